"""Activation work orders: create activations for splitter ports, then hand them to the executor.

Everything the device will be told is decided and COMMITTED before any device work, so a retry or a
crash recovery re-sends exactly the same thing (DESIGN §3, check → plan → apply → verify):

* ONU name from the naming rule (``settings.onu_name_template``); splitter and OLT names must be
  CLI-safe, otherwise 422 naming the field;
* ONT-ID: the HIGHEST ID in the driver's range not used by an active activation on the PON port.
  Customer ONUs are usually added with the OLT's automatic choice (the lowest free ID), so test ONUs
  taken from the top of the range rarely meet them; the netops check phase still refuses an ID that
  the device uses for another ONU (the activation then fails cleanly);
* SVLAN from the PON port; CVLAN from the pool serving the PON port (PON port → OLT → global). When no
  pool exists a global pool ``default-test`` is created from the workflow settings
  (``PONACCEPT_DEFAULT_CVLAN_START``/``_END``, 3000–3999 by default);
* password generated; lease = now + ``settings.activation_lease_hours``.

Concurrency: the CVLAN allocator locks the pool row first (see ``db.repositories.cvlans``); every
dispatch on one PON port uses the same pool, so ONT-ID choice happens under that lock and parallel
dispatches see each other's committed choices. The partial unique indexes on ``activation`` remain the
last line of defence.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ponaccept.api.errors import ConflictError, InvalidRequest, NotFoundError
from ponaccept.api.services.txn import lock_row
from ponaccept.api.services.workflow_settings import WorkflowSettings
from ponaccept.config import Settings
from ponaccept.db.models import (
    Activation,
    CvlanAllocation,
    CvlanPool,
    Olt,
    PonPort,
    Project,
    Splitter,
    SplitterPort,
)
from ponaccept.db.models.acceptance import ACTIVE_ACTIVATION_STATUSES
from ponaccept.db.repositories import cvlans
from ponaccept.db.types import utcnow
from ponaccept.domain.choices import ProjectStatus
from ponaccept.domain.credentials import generate_onu_password
from ponaccept.domain.errors import UnsafeCliText
from ponaccept.domain.naming import NamingContext, NamingRule
from ponaccept.domain.states import ProjectEvent, apply_project
from ponaccept.drivers.registry import get_driver
from ponaccept.jobs.activation_jobs import ACTIVATE
from ponaccept.jobs.executor import Executor
from ponaccept.jobs.outbox import emit

DEFAULT_POOL_NAME = "default-test"
_ACTIVE = [s.value for s in ACTIVE_ACTIVATION_STATUSES]


@dataclass
class Dispatched:
    activations: list[Activation]
    job_id: int | None


def ensure_project_testing(session: Session, project: Project) -> None:
    """draft → testing, rectification → testing (re-test); testing stays; others are 409."""
    if project.status is ProjectStatus.TESTING:
        return
    event = (
        ProjectEvent.RESUME_TESTING
        if project.status is ProjectStatus.RECTIFICATION
        else ProjectEvent.START_TESTING
    )
    project.status = apply_project(project.status, event)
    session.add(project)
    session.flush()
    assert project.id is not None
    emit(session, "project.testing", "project", project.id, {"project_id": project.id, "status": "testing"})


def pool_for(session: Session, pon_port: PonPort, workflow: WorkflowSettings) -> CvlanPool:
    pool = cvlans.pool_for_pon_port(session, pon_port)
    if pool is not None:
        return pool
    try:
        with session.begin_nested():
            session.add(
                CvlanPool(
                    name=DEFAULT_POOL_NAME,
                    range_start=workflow.default_cvlan_start,
                    range_end=workflow.default_cvlan_end,
                )
            )
    except IntegrityError:
        pass  # a parallel dispatch created it first
    pool = cvlans.pool_for_pon_port(session, pon_port)
    assert pool is not None
    return pool


def choose_ont_id(session: Session, olt: Olt, pon_port: PonPort) -> int:
    low, high = get_driver(olt.platform).limits.ont_id
    taken = set(
        session.exec(
            select(Activation.ont_id).where(
                Activation.pon_port_id == pon_port.id, col(Activation.status).in_(_ACTIVE)
            )
        ).all()
    )
    for candidate in range(high, low - 1, -1):
        if candidate not in taken:
            return candidate
    raise ConflictError(f"no free ONT-ID on PON port {pon_port.frame}/{pon_port.slot}/{pon_port.port}")


def _splitter_ports(
    session: Session, project: Project, splitter_ids: Sequence[int], port_ids: Sequence[int]
) -> list[SplitterPort]:
    ports: dict[int, SplitterPort] = {}
    for splitter_id in splitter_ids:
        splitter = session.get(Splitter, splitter_id)
        if splitter is None:
            raise NotFoundError("splitter", splitter_id)
        if splitter.project_id != project.id:
            raise InvalidRequest(
                f"splitter {splitter_id} does not belong to project {project.id}",
                errors=[("body.splitter_ids", f"splitter {splitter_id} is not in this project")],
            )
        found = session.exec(
            select(SplitterPort)
            .where(SplitterPort.splitter_id == splitter_id)
            .order_by(col(SplitterPort.number))
        ).all()
        ports.update({p.id: p for p in found if p.id is not None})
    for port_id in port_ids:
        port = session.get(SplitterPort, port_id)
        if port is None:
            raise NotFoundError("splitter port", port_id)
        splitter = session.get(Splitter, port.splitter_id)
        if splitter is None or splitter.project_id != project.id:
            raise InvalidRequest(
                f"splitter port {port_id} does not belong to project {project.id}",
                errors=[("body.splitter_port_ids", f"splitter port {port_id} is not in this project")],
            )
        ports[port_id] = port
    if not ports:
        raise InvalidRequest(
            "nothing to dispatch", errors=[("body", "give splitter_ids and/or splitter_port_ids")]
        )
    return [ports[k] for k in sorted(ports)]


def _onu_name(
    rule: NamingRule, olt: Olt, pon: PonPort, splitter: Splitter, port: SplitterPort, attempt: int
) -> str:
    context = NamingContext(olt.name, pon.frame, pon.slot, pon.port, splitter.name, port.number, attempt)
    try:
        return rule.render(context)
    except UnsafeCliText as exc:
        where = {"olt": f"olt[{olt.id}].name", "splitter": f"splitter[{splitter.id}].name"}.get(
            exc.field, exc.field
        )
        raise InvalidRequest(f"cannot build an ONU name: {exc}", errors=[(where, str(exc))]) from exc


def new_activation(
    session: Session,
    project: Project,
    port: SplitterPort,
    settings: Settings,
    workflow: WorkflowSettings,
) -> Activation:
    assert project.id is not None and port.id is not None
    live = session.exec(
        select(Activation.id).where(
            Activation.splitter_port_id == port.id, col(Activation.status).in_(_ACTIVE)
        )
    ).first()
    if live is not None:
        raise ConflictError(
            f"splitter port {port.id} already has activation {live} in progress; revoke it first",
            errors=[("body.splitter_port_ids", f"splitter port {port.id} is busy")],
        )
    splitter = session.get(Splitter, port.splitter_id)
    assert splitter is not None
    pon = session.get(PonPort, splitter.pon_port_id)
    assert pon is not None and pon.id is not None
    olt = session.get(Olt, pon.olt_id)
    assert olt is not None and olt.id is not None
    previous = session.exec(
        select(func.max(Activation.attempt)).where(Activation.splitter_port_id == port.id)
    ).one()
    attempt = (previous or 0) + 1
    name = _onu_name(NamingRule(settings.onu_name_template), olt, pon, splitter, port, attempt)
    pool = pool_for(session, pon, workflow)
    assert pool.id is not None
    cvlan = cvlans.allocate(session, pool.id)
    activation = Activation(
        project_id=project.id,
        splitter_port_id=port.id,
        pon_port_id=pon.id,
        olt_id=olt.id,
        attempt=attempt,
        onu_name=name,
        ont_id=choose_ont_id(session, olt, pon),
        svlan=pon.svlan,
        cvlan=cvlan,
        password=generate_onu_password(secrets.SystemRandom()),
        lease_expires_at=utcnow() + timedelta(hours=settings.activation_lease_hours),
    )
    session.add(activation)
    session.flush()
    allocation = session.exec(
        select(CvlanAllocation).where(CvlanAllocation.pool_id == pool.id, CvlanAllocation.cvlan == cvlan)
    ).one()
    allocation.activation_id = activation.id
    session.add(allocation)
    session.flush()
    return activation


def dispatch_activations(
    session: Session,
    executor: Executor | None,
    project: Project,
    settings: Settings,
    workflow: WorkflowSettings,
    *,
    splitter_ids: Sequence[int] = (),
    splitter_port_ids: Sequence[int] = (),
) -> Dispatched:
    """Create one activation per splitter port (committed), then submit one activate job for them.

    With ``executor`` None the job is not submitted (callers that run it themselves, e.g. tests).
    """
    lock_row(session, project)
    ensure_project_testing(session, project)
    ports = _splitter_ports(session, project, splitter_ids, splitter_port_ids)
    activations = [new_activation(session, project, port, settings, workflow) for port in ports]
    session.commit()
    ids = [a.id for a in activations if a.id is not None]
    job_id = None
    if executor is not None:
        job_id = executor.submit(ACTIVATE, {"activation_ids": ids}, project_id=project.id)
    return Dispatched(activations, job_id)
