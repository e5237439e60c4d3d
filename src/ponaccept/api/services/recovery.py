"""Start-up recovery: finish or roll back work a dead process left behind (DESIGN §4: never leak).

Run once when the API (or a worker supervisor) starts, before new jobs are accepted:

1. jobs still ``running`` belonged to the dead process: marked ``failed`` ("interrupted");
2. activations left ``activating``: the plan may be half-applied. Leftovers are removed from the OLT
   (revoke by ONU name — removes the ONT and every service-port the OLT has for it), then the
   activation is applied again from its stored values and verified → ``activation_succeeded``, or
   ``activation_failed``. If the clean-up itself fails the activation goes to ``revoke_failed`` with
   ``needs_reconcile`` and its CVLAN quarantined — recorded, never silently provisioned;
3. activations left ``revoking``: revoked again (idempotent) → ``revoked`` / ``revoke_failed``;
4. activations still ``not_activated`` with no queued job, and queued jobs: handed to the executor.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel import col, select

from ponaccept.db.models import Activation, Job, JobStatus
from ponaccept.db.types import utcnow
from ponaccept.domain.choices import ActivationStatus
from ponaccept.domain.states import ActivationEvent
from ponaccept.jobs.activation_jobs import (
    ACTIVATE,
    REVOKE,
    finish_activations,
    finish_revocations,
    quarantine_cvlan,
    run_device,
    target_for,
    transition,
)
from ponaccept.jobs.executor import Executor
from ponaccept.jobs.runtime import JobRuntime
from ponaccept.jobs.txn import write_scope

log = logging.getLogger(__name__)


@dataclass
class RecoveryReport:
    interrupted_jobs: list[int] = field(default_factory=list)
    reactivated: list[int] = field(default_factory=list)
    rolled_back: list[int] = field(default_factory=list)
    revoked_again: list[int] = field(default_factory=list)
    resubmitted: list[int] = field(default_factory=list)


def _interrupt_running_jobs(runtime: JobRuntime, report: RecoveryReport) -> None:
    with write_scope(runtime.engine) as session:
        for job in session.exec(select(Job).where(Job.status == JobStatus.RUNNING)).all():
            job.status = JobStatus.FAILED
            job.error = "interrupted: the process stopped while the job ran; recovered at start-up"
            job.finished_at = utcnow()
            session.add(job)
            assert job.id is not None
            report.interrupted_jobs.append(job.id)


def _stuck(runtime: JobRuntime, status: ActivationStatus) -> list[int]:
    with write_scope(runtime.engine) as session:
        rows = session.exec(select(Activation.id).where(Activation.status == status)).all()
        return [i for i in rows if i is not None]


def _recover_activating(runtime: JobRuntime, ids: list[int], report: RecoveryReport) -> None:
    if not ids:
        return
    with write_scope(runtime.engine) as session:
        targets = [
            target_for(session, a)
            for a in session.exec(select(Activation).where(col(Activation.id).in_(ids)))
        ]
    cleanup = run_device(runtime, targets, REVOKE)
    clean = [t for t, o in zip(targets, cleanup, strict=True) if o.ok]
    dirty = [o for o in cleanup if not o.ok]
    if dirty:
        with write_scope(runtime.engine) as session:
            for outcome in dirty:
                activation = session.get(Activation, outcome.activation_id)
                if activation is None:
                    continue
                transition(session, activation, ActivationEvent.START_REVOCATION)
                activation.error = f"recovery could not clean up: {outcome.message}"
                activation.needs_reconcile = True
                transition(session, activation, ActivationEvent.REVOCATION_FAILED)
                quarantine_cvlan(session, activation)
                assert activation.id is not None
                report.rolled_back.append(activation.id)
    if clean:
        outcomes = run_device(runtime, clean, ACTIVATE)
        finish_activations(runtime, outcomes)
        report.reactivated += [o.activation_id for o in outcomes if o.activation_id is not None]


def _recover_revoking(runtime: JobRuntime, ids: list[int], report: RecoveryReport) -> None:
    if not ids:
        return
    with write_scope(runtime.engine) as session:
        targets = [
            target_for(session, a)
            for a in session.exec(select(Activation).where(col(Activation.id).in_(ids)))
        ]
    finish_revocations(runtime, run_device(runtime, targets, REVOKE))
    report.revoked_again += ids


def _resubmit(runtime: JobRuntime, executor: Executor, report: RecoveryReport) -> None:
    with write_scope(runtime.engine) as session:
        queued = list(session.exec(select(Job).where(Job.status == JobStatus.QUEUED)).all())
        covered = {int(i) for job in queued for i in job.payload.get("activation_ids", [])}
        waiting = list(
            session.exec(select(Activation).where(Activation.status == ActivationStatus.NOT_ACTIVATED))
        )
    for job in queued:
        if job.id is not None:
            executor.enqueue(job.id)
            report.resubmitted.append(job.id)
    orphans = [a for a in waiting if a.id not in covered]
    for activation in orphans:
        assert activation.id is not None
        report.resubmitted.append(
            executor.submit(ACTIVATE, {"activation_ids": [activation.id]}, project_id=activation.project_id)
        )


def recover_interrupted(runtime: JobRuntime, executor: Executor | None) -> RecoveryReport:
    report = RecoveryReport()
    _interrupt_running_jobs(runtime, report)
    _recover_activating(runtime, _stuck(runtime, ActivationStatus.ACTIVATING), report)
    _recover_revoking(runtime, _stuck(runtime, ActivationStatus.REVOKING), report)
    if executor is not None:
        _resubmit(runtime, executor, report)
    if any((report.interrupted_jobs, report.reactivated, report.rolled_back, report.revoked_again)):
        log.warning("start-up recovery: %s", report)
    return report
