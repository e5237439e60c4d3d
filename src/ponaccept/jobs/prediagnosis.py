"""Remote pre-diagnosis of a repair order (先局内后局外), run through the job executor.

When a repair order is created for an account whose ONU location is known (the order's — or the
account's — splitter port, which leads to the splitter chain, the PON port and the OLT), this job:

1. reads the whole PON port in ONE device session under the OLT's lock: the port's launch power, the
   list of configured ONUs (so an offline neighbour is visible at all — the optics table lists online ONUs
   only, and fails outright when none is online) and the optics table;
2. finds the customer's ONU among them by its description, which provisioning sets to the account number;
3. classifies with :func:`ponaccept.domain.diagnosis.classify`, using the splitter port's predicted link
   budget so a dirty connector is caught even above the Rx threshold;
4. attaches readings and verdict to the order through ``api.services.orders.set_fault_cause`` (a
   ``fault_cause_set`` event whose payload keeps the evidence); an OLT/trunk verdict sets the penalty
   exemption there.

Call :func:`submit_prediagnosis` after creating a repair order; it is a no-op when no location is known.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from nornir.core.task import Result, Task
from sqlmodel import Session

from ponaccept.api.services.orders import set_fault_cause
from ponaccept.db.engine import session_scope
from ponaccept.db.models import Account, Job, Olt, PonPort, Splitter, SplitterPort, WorkOrder
from ponaccept.db.types import utcnow
from ponaccept.domain.diagnosis import Diagnosis, DiagnosisThresholds, PortOnu, classify
from ponaccept.domain.link_budget import LinkBudget, OdnPath, predict
from ponaccept.domain.optics import MissingReason
from ponaccept.domain.orders import OrderType
from ponaccept.drivers.base import PonPort as DevicePort
from ponaccept.drivers.errors import DriverError, NotOnline
from ponaccept.drivers.registry import Driver, get_driver
from ponaccept.jobs.activation_jobs import job_context
from ponaccept.jobs.executor import Executor
from ponaccept.jobs.registry import register
from ponaccept.jobs.runtime import JobRuntime
from ponaccept.netops.operations import OperationError, configured_onus, read, to_readings
from ponaccept.netops.session import DeviceSession
from ponaccept.netops.tasks import JobContext, OltSessions

log = logging.getLogger(__name__)

PREDIAGNOSIS = "order_prediagnosis"
ACTOR = "prediagnosis"


@dataclass(frozen=True)
class OnuLocation:
    """Where a customer's ONU hangs, from the database: OLT, PON port, splitter port and its budget."""

    olt: str
    port: DevicePort
    splitter_port_id: int
    account_no: str
    budget: LinkBudget | None


@dataclass(frozen=True)
class PortSnapshot:
    olt_tx_dbm: float | None
    onus: list[PortOnu]


def _budget(session: Session, port: SplitterPort, pon: PonPort) -> LinkBudget | None:
    """Predicted loss from the PON port to ``port`` (stage-1 splitter first), None if the chain is broken."""
    chain: list[Splitter] = []
    splitter = session.get(Splitter, port.splitter_id)
    while splitter is not None:
        chain.insert(0, splitter)
        splitter = session.get(Splitter, splitter.parent_splitter_id) if splitter.parent_splitter_id else None
    if not chain:
        return None
    path = OdnPath(
        fibre_km=(*(s.fibre_length_km for s in chain), port.drop_length_km or 0.0),
        splitter_ratios=tuple(s.ratio for s in chain),
        connectors=sum(s.connectors for s in chain),
        splices=sum(s.splices for s in chain),
    )
    return predict(path, optical_class=pon.optical_class)


def locate(session: Session, order: WorkOrder) -> OnuLocation | None:
    """The ONU location of ``order``'s account, or None when the network position is unknown."""
    account = session.get(Account, order.account_id)
    port_id = order.splitter_port_id or (account.splitter_port_id if account is not None else None)
    if account is None or port_id is None:
        return None
    port = session.get(SplitterPort, port_id)
    splitter = session.get(Splitter, port.splitter_id) if port is not None else None
    while splitter is not None and splitter.pon_port_id is None and splitter.parent_splitter_id:
        splitter = session.get(Splitter, splitter.parent_splitter_id)
    pon = (
        session.get(PonPort, splitter.pon_port_id) if splitter is not None and splitter.pon_port_id else None
    )
    olt = session.get(Olt, pon.olt_id) if pon is not None else None
    if port is None or pon is None or olt is None:
        return None
    return OnuLocation(
        olt=olt.name,
        port=DevicePort(pon.frame, pon.slot, pon.port),
        splitter_port_id=port_id,
        account_no=account.account_no,
        budget=_budget(session, port, pon),
    )


def read_port_snapshot(session: DeviceSession, driver: Driver, port: DevicePort) -> PortSnapshot:
    """Launch power, configured ONUs and the optics table of one PON port, on one open session."""
    try:
        tx = read(session, driver.read_pon_tx(port)).tx_dbm
    except (DriverError, OperationError):
        tx = None  # a dead port laser is itself evidence: the classifier treats no launch as OLT-side
    listed = configured_onus(session, driver, port)
    try:
        table = {row.ont_id: row for row in read(session, driver.read_port_optics(port))}
    except NotOnline:
        table = {}  # the optics table refuses to print when no ONU of the port is online
    onus = [
        PortOnu(
            ont_id=onu.ont_id,
            online=onu.ont_id in table,
            readings=to_readings(table[onu.ont_id], tx, MissingReason.OFFLINE)
            if onu.ont_id in table
            else None,
            description=onu.description,
        )
        for onu in listed
    ]
    return PortSnapshot(olt_tx_dbm=tx, onus=onus)


def _port_task(task: Task, ctx: JobContext, port: DevicePort) -> Result:
    driver = get_driver(task.host.platform or "")
    with ctx.locks.hold(task.host.name, ctx.lock_timeout_s):
        sessions = OltSessions(task, ctx, driver)
        try:
            snapshot = read_port_snapshot(sessions.current, driver, port)
        finally:
            sessions.close()
    return Result(host=task.host, result=snapshot)


def read_port(runtime: JobRuntime, location: OnuLocation) -> PortSnapshot:
    """One per-port read through Nornir (fresh inventory from the OLT rows, per-OLT lock held)."""
    with runtime.devices.nornir(runtime.engine, [location.olt]) as nr:
        result = nr.filter(name=location.olt).run(
            task=_port_task, ctx=job_context(runtime), port=location.port, on_failed=True
        )
    multi = result[location.olt]
    if multi[0].exception is not None:
        raise multi[0].exception
    snapshot: PortSnapshot = multi[0].result
    return snapshot


def diagnose(
    location: OnuLocation, snapshot: PortSnapshot, thresholds: DiagnosisThresholds | None = None
) -> Diagnosis:
    """Classify the snapshot for the account's ONU (description = account number; -1 when absent)."""
    target = next((o.ont_id for o in snapshot.onus if o.description == location.account_no), -1)
    return classify(
        target, snapshot.onus, budget=location.budget, olt_tx_dbm=snapshot.olt_tx_dbm, thresholds=thresholds
    )


def evidence(location: OnuLocation, snapshot: PortSnapshot, diagnosis: Diagnosis) -> dict[str, Any]:
    """What is attached to the order: verdict, figures and every ONU reading of the port."""
    return {
        "verdict": diagnosis.verdict.value,
        "verdict_zh": diagnosis.verdict.label_zh,
        "dispatch": diagnosis.dispatch.value,
        "diagnosis": diagnosis.model_dump(mode="json"),
        "olt": location.olt,
        "pon_port": location.port.fsp,
        "splitter_port_id": location.splitter_port_id,
        "onus": [onu.model_dump(mode="json") for onu in snapshot.onus],
    }


@register(PREDIAGNOSIS)
def run_prediagnosis(runtime: JobRuntime, job: Job) -> None:
    order_id = int(job.payload["order_id"])
    with Session(runtime.engine) as session:
        order = session.get(WorkOrder, order_id)
        if order is None:
            raise LookupError(f"work order {order_id} does not exist")
        location = locate(session, order)
    if location is None:
        raise LookupError(f"work order {order_id}: the account's ONU location is not known")
    snapshot = read_port(runtime, location)
    diagnosis = diagnose(location, snapshot)
    payload = evidence(location, snapshot, diagnosis) | {"job_id": job.id}
    now = utcnow()
    with session_scope(runtime.engine) as session:
        order = session.get(WorkOrder, order_id)
        assert order is not None
        set_fault_cause(
            session, order, diagnosis.fault_cause, at=now, now=now, actor=ACTOR, source=ACTOR, payload=payload
        )
    log.info("pre-diagnosis of order %s: %s", order_id, diagnosis.verdict.value)


def submit_prediagnosis(session: Session, executor: Executor | None, order: WorkOrder) -> int | None:
    """Queue the pre-diagnosis of a just-created repair order; the job id, or None when not applicable
    (not a repair, no executor, or no known ONU location). Call after the order is committed."""
    if executor is None or order.type is not OrderType.REPAIR or order.id is None:
        return None
    if locate(session, order) is None:
        return None
    return executor.submit(PREDIAGNOSIS, {"order_id": order.id})
