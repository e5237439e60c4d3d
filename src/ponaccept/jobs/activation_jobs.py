"""Activation and revocation jobs: state machine around ``netops.tasks.run_onu_action``.

Every state change is committed (with its outbox event) before and after the device work, so the
database always says what may be on the OLT: an activation is ``activating`` from before the first
command is sent until the verified outcome is stored. CVLANs follow the outcome: released when the
test ONU is gone (revoked, or an activation that failed and was rolled back cleanly), quarantined when
it may still be on the OLT (revoke failed, or a failed activation whose rollback did not finish).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ponaccept.db.models import (
    Activation,
    CommandLog,
    CommandOutcome,
    CvlanAllocation,
    CvlanStatus,
    Job,
    Olt,
    PonPort,
)
from ponaccept.db.repositories import cvlans
from ponaccept.domain.choices import ActivationStatus
from ponaccept.domain.states import ActivationEvent, apply_activation
from ponaccept.drivers.base import PonPort as DevicePort
from ponaccept.jobs.outbox import emit
from ponaccept.jobs.registry import register
from ponaccept.jobs.runtime import JobRuntime
from ponaccept.jobs.txn import write_scope
from ponaccept.netops.operations import OnuOutcome, OnuTarget, Status
from ponaccept.netops.tasks import JobContext, run_onu_action
from ponaccept.netops.transcript import TranscriptEntry, TranscriptRecorder

log = logging.getLogger(__name__)

ACTIVATE = "activate"
REVOKE = "revoke"

_OUTCOMES = {o.value for o in CommandOutcome}


def event_payload(activation: Activation) -> dict[str, Any]:
    """What webhooks learn about an activation (never the ONU password)."""
    return {
        "activation_id": activation.id,
        "project_id": activation.project_id,
        "splitter_port_id": activation.splitter_port_id,
        "onu_name": activation.onu_name,
        "status": activation.status.value,
        "attempt": activation.attempt,
    }


def transition(session: Session, activation: Activation, event: ActivationEvent) -> None:
    """Apply ``event`` (IllegalTransition if the machine refuses) and record the outbox event."""
    activation.status = apply_activation(activation.status, event)
    session.add(activation)
    session.flush()
    assert activation.id is not None
    emit(
        session,
        f"activation.{activation.status.value}",
        "activation",
        activation.id,
        event_payload(activation),
    )


def command_sink(engine: Engine) -> Callable[[TranscriptEntry], None]:
    """Persist each (already masked) transcript entry as a CommandLog row as it happens, so the
    audit trail survives a crash mid-job."""
    olt_ids: dict[str, int | None] = {}

    def sink(entry: TranscriptEntry) -> None:
        try:
            write(entry)
        except Exception:  # losing one log row must not abort a half-applied plan on the device
            log.exception("could not store a transcript entry for OLT %s", entry.olt)

    def write(entry: TranscriptEntry) -> None:
        with write_scope(engine) as session:
            if entry.olt not in olt_ids:
                olt = session.exec(select(Olt).where(Olt.name == entry.olt)).first()
                olt_ids[entry.olt] = olt.id if olt else None
            outcome = entry.outcome if entry.outcome in _OUTCOMES else CommandOutcome.SKIPPED.value
            session.add(
                CommandLog(
                    at=entry.at,
                    olt_id=olt_ids[entry.olt],
                    olt_name=entry.olt,
                    activation_id=entry.activation_id,
                    command=entry.command,
                    output=entry.output,
                    outcome=CommandOutcome(outcome),
                    duration_ms=entry.duration_ms,
                )
            )

    return sink


def job_context(runtime: JobRuntime) -> JobContext:
    return JobContext(
        recorder=TranscriptRecorder(sink=command_sink(runtime.engine)), locks=runtime.devices.locks
    )


def target_for(session: Session, activation: Activation) -> OnuTarget:
    olt = session.get(Olt, activation.olt_id)
    port = session.get(PonPort, activation.pon_port_id)
    assert olt is not None and port is not None and activation.cvlan is not None
    return OnuTarget(
        olt=olt.name,
        port=DevicePort(port.frame, port.slot, port.port),
        onu_name=activation.onu_name,
        password=activation.password,
        svlan=activation.svlan,
        cvlan=activation.cvlan,
        ont_id=activation.ont_id,
        activation_id=activation.id,
    )


def _allocation(session: Session, activation_id: int) -> CvlanAllocation | None:
    return session.exec(select(CvlanAllocation).where(CvlanAllocation.activation_id == activation_id)).first()


def release_cvlan(session: Session, activation: Activation) -> None:
    assert activation.id is not None
    allocation = _allocation(session, activation.id)
    if allocation is not None and allocation.status == CvlanStatus.ALLOCATED:
        cvlans.release(session, allocation.pool_id, allocation.cvlan)


def quarantine_cvlan(session: Session, activation: Activation) -> None:
    assert activation.id is not None
    allocation = _allocation(session, activation.id)
    if allocation is not None and allocation.status == CvlanStatus.ALLOCATED:
        cvlans.quarantine(session, allocation.pool_id, allocation.cvlan)


def _failed_outcomes(
    targets: Sequence[OnuTarget], action: str, status: Status, message: str
) -> list[OnuOutcome]:
    return [
        OnuOutcome(
            t.olt, t.port.fsp, t.onu_name, action, status, t.ont_id, message, activation_id=t.activation_id
        )
        for t in targets
    ]


def run_device(runtime: JobRuntime, targets: Sequence[OnuTarget], action: str) -> list[OnuOutcome]:
    """One ``run_onu_action`` on a fresh Nornir; every target gets an outcome even if Nornir fails.

    A failure before any session (inventory, credentials) is a clean ``failed``: nothing was sent. A
    crash inside the device task is ``needs_reconcile``: commands may have been applied.
    """
    try:
        with runtime.devices.nornir(runtime.engine, [t.olt for t in targets]) as nr:
            try:
                outcomes = run_onu_action(nr, targets, action, job_context(runtime))
            except Exception as exc:
                log.exception("%s: device task crashed", action)
                return _failed_outcomes(
                    targets, action, Status.NEEDS_RECONCILE, f"device task crashed: {exc}"
                )
    except Exception as exc:
        log.exception("%s: device job could not start", action)
        return _failed_outcomes(targets, action, Status.FAILED, f"{exc.__class__.__name__}: {exc}")
    if len(outcomes) == len(targets) and all(isinstance(o, OnuOutcome) for o in outcomes):
        return outcomes
    # Nornir hands back a traceback string when a host task raised: state on the device unknown.
    return _failed_outcomes(targets, action, Status.NEEDS_RECONCILE, "device task crashed; see the log")


def _ids(job: Job) -> list[int]:
    return [int(i) for i in job.payload.get("activation_ids", [])]


def start_activations(runtime: JobRuntime, ids: Sequence[int]) -> list[OnuTarget]:
    """Move not-activated activations to ``activating``; return their targets.

    Activations already ``activating`` (a redelivered job after a crash) are included as they are:
    the device operation is idempotent. A failed activation is never retried here: its CVLAN and
    ONT-ID were released and may belong to a newer activation — a re-test is a new dispatch.
    """
    targets = []
    with write_scope(runtime.engine) as session:
        for activation_id in ids:
            activation = session.get(Activation, activation_id)
            if activation is None:
                continue
            if activation.status is ActivationStatus.NOT_ACTIVATED:
                transition(session, activation, ActivationEvent.START_ACTIVATION)
            elif activation.status is not ActivationStatus.ACTIVATING:
                continue
            targets.append(target_for(session, activation))
    return targets


def finish_activations(runtime: JobRuntime, outcomes: Sequence[OnuOutcome]) -> None:
    with write_scope(runtime.engine) as session:
        for outcome in outcomes:
            activation = session.get(Activation, outcome.activation_id)
            if activation is None or activation.status is not ActivationStatus.ACTIVATING:
                continue
            if outcome.ok:
                activation.ont_id = outcome.ont_id if outcome.ont_id is not None else activation.ont_id
                activation.error = None
                transition(session, activation, ActivationEvent.ACTIVATION_SUCCEEDED)
                continue
            activation.error = outcome.message or outcome.status.value
            activation.needs_reconcile = outcome.status is Status.NEEDS_RECONCILE
            transition(session, activation, ActivationEvent.ACTIVATION_FAILED)
            if activation.needs_reconcile:
                quarantine_cvlan(session, activation)
            else:
                release_cvlan(session, activation)


@register(ACTIVATE)
def activate_job(runtime: JobRuntime, job: Job) -> None:
    targets = start_activations(runtime, _ids(job))
    if not targets:
        return
    outcomes = run_device(runtime, targets, ACTIVATE)
    runtime.hook("after_device", ACTIVATE, outcomes)
    finish_activations(runtime, outcomes)


def revoking_targets(runtime: JobRuntime, ids: Sequence[int]) -> list[OnuTarget]:
    with write_scope(runtime.engine) as session:
        found = session.exec(
            select(Activation).where(
                col(Activation.id).in_(list(ids)), Activation.status == ActivationStatus.REVOKING
            )
        ).all()
        return [target_for(session, a) for a in found]


def finish_revocations(runtime: JobRuntime, outcomes: Sequence[OnuOutcome]) -> None:
    with write_scope(runtime.engine) as session:
        for outcome in outcomes:
            activation = session.get(Activation, outcome.activation_id)
            if activation is None or activation.status is not ActivationStatus.REVOKING:
                continue
            if outcome.ok:
                activation.needs_reconcile = False
                activation.error = None
                transition(session, activation, ActivationEvent.REVOCATION_SUCCEEDED)
                release_cvlan(session, activation)
            else:
                activation.error = outcome.message or outcome.status.value
                activation.needs_reconcile = True
                transition(session, activation, ActivationEvent.REVOCATION_FAILED)
                quarantine_cvlan(session, activation)


@register(REVOKE)
def revoke_job(runtime: JobRuntime, job: Job) -> None:
    """Revoke activations the service already moved to ``revoking``."""
    targets = revoking_targets(runtime, _ids(job))
    if not targets:
        return
    outcomes = run_device(runtime, targets, REVOKE)
    runtime.hook("after_device", REVOKE, outcomes)
    finish_revocations(runtime, outcomes)
