"""Revocation (撤销激活) per activation and per project, and the lease sweeper.

The service moves activations to ``revoking`` (committed, with outbox events) and submits one revoke
job; the job records ``revoked`` (CVLAN released) or ``revoke_failed`` (CVLAN quarantined).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ponaccept.api.services.txn import lock_row
from ponaccept.db.engine import session_scope
from ponaccept.db.models import Activation, Project
from ponaccept.domain.choices import ActivationStatus
from ponaccept.domain.states import ActivationEvent
from ponaccept.jobs.activation_jobs import REVOKE, transition
from ponaccept.jobs.executor import Executor
from ponaccept.jobs.txn import write_scope

REVOCABLE: tuple[ActivationStatus, ...] = (
    ActivationStatus.ACTIVATION_SUCCEEDED,
    ActivationStatus.REVOKE_FAILED,
)
"""Statuses a project-wide revocation and the sweeper pick up (a single activation may also be
revoked from ``activation_failed`` — its leftovers, if any, are removed)."""


def start_revocation(
    session: Session, executor: Executor | None, activations: Sequence[Activation]
) -> int | None:
    """Move ``activations`` to revoking (IllegalTransition → 409 for any that cannot), commit, submit.

    Callers lock the row the request is about first (:func:`lock_row`)."""
    for activation in activations:
        transition(session, activation, ActivationEvent.START_REVOCATION)
    session.commit()
    ids = [a.id for a in activations if a.id is not None]
    if executor is None or not ids:
        return None
    return executor.submit(REVOKE, {"activation_ids": ids}, project_id=activations[0].project_id)


def revoke_project(
    session: Session, executor: Executor | None, project_id: int
) -> tuple[list[Activation], int | None]:
    """Revoke every test ONU of the project that may still be on an OLT."""
    project = session.get(Project, project_id)
    assert project is not None
    lock_row(session, project)
    found = list(
        session.exec(
            select(Activation)
            .where(
                Activation.project_id == project_id, col(Activation.status).in_([s.value for s in REVOCABLE])
            )
            .order_by(col(Activation.id))
        ).all()
    )
    return found, start_revocation(session, executor, found)


def _expired(now: datetime) -> tuple[Any, ...]:
    return (
        col(Activation.status).in_([s.value for s in REVOCABLE]),
        col(Activation.lease_expires_at) < now,
    )


def sweep_expired_leases(engine: Engine, executor: Executor | None, now: datetime) -> list[int]:
    """Revoke activations whose lease expired before ``now``; returns their ids.

    ``revoke_failed`` ones are included, so a failed revocation is retried on every sweep until the
    OLT lets go of the test ONU.
    """
    with session_scope(engine) as session:  # look first: the periodic sweep must not stall writers
        due = session.exec(select(Activation.id).where(*_expired(now))).first()
    if due is None:
        return []
    with write_scope(engine) as session:
        expired = list(
            session.exec(
                select(Activation)
                .where(*_expired(now))
                .order_by(col(Activation.id))
                .with_for_update(skip_locked=True)  # several API processes may sweep at once
            ).all()
        )
        start_revocation(session, executor, expired)
        return [a.id for a in expired if a.id is not None]
