"""Lease sweeper: expired activations are revoked; the CVLAN of a failed revocation is quarantined."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from fixtures.db import build_activation, build_olt_tree, build_project
from ponaccept.api.services.recovery import recover_interrupted
from ponaccept.api.services.revocation import sweep_expired_leases
from ponaccept.api.workers import BackgroundLoop
from ponaccept.config import Settings
from ponaccept.db.models import (
    Account,
    Activation,
    CvlanAllocation,
    CvlanPool,
    CvlanStatus,
    District,
    Job,
    JobStatus,
    OutboxEvent,
    SlaClock,
    WorkOrder,
)
from ponaccept.db.repositories import cvlans
from ponaccept.db.repositories.orders import insert_order
from ponaccept.db.types import utcnow
from ponaccept.domain.choices import ActivationStatus
from ponaccept.domain.orders import OrderType
from ponaccept.jobs.activation_jobs import finish_revocations
from ponaccept.jobs.runtime import JobRuntime
from ponaccept.netops.operations import OnuOutcome, Status


class FakeExecutor:
    def __init__(self) -> None:
        self.submitted: list[tuple[str, dict[str, Any]]] = []

    def submit(self, job_kind: str, payload: dict[str, Any], **_links: Any) -> int:
        self.submitted.append((job_kind, payload))
        return len(self.submitted)

    def enqueue(self, job_id: int) -> None:
        self.submitted.append(("enqueue", {"job_id": job_id}))

    def shutdown(self, wait: bool = True) -> None:
        return None


def seed(engine: Engine) -> tuple[int, int]:
    with Session(engine, expire_on_commit=False) as session:
        project = build_project(session)
        tree = build_olt_tree(session, project=project)
        pool = CvlanPool(name="p", range_start=3000, range_end=3010)
        session.add(pool)
        session.flush()
        assert pool.id is not None
        expired = build_activation(
            session,
            tree,
            project,
            port_number=1,
            status=ActivationStatus.ACTIVATION_SUCCEEDED,
            lease_expires_at=utcnow() - timedelta(minutes=1),
        )
        build_activation(
            session,
            tree,
            project,
            port_number=2,
            status=ActivationStatus.ACTIVATION_SUCCEEDED,
            lease_expires_at=utcnow() + timedelta(hours=1),
        )
        expired.cvlan = cvlans.allocate(session, pool.id, activation_id=expired.id)
        session.commit()
        assert expired.id is not None
        return expired.id, pool.id


def test_sweeper_revokes_only_expired_leases(engine: Engine) -> None:
    expired_id, _pool = seed(engine)
    executor = FakeExecutor()
    assert sweep_expired_leases(engine, executor, utcnow()) == [expired_id]
    assert executor.submitted == [("revoke", {"activation_ids": [expired_id]})]
    with Session(engine) as session:
        statuses = {a.id: a.status for a in session.exec(select(Activation)).all()}
        assert statuses[expired_id] is ActivationStatus.REVOKING
        assert sorted(s.value for s in statuses.values()) == ["activation_succeeded", "revoking"]
        assert session.exec(
            select(OutboxEvent).where(OutboxEvent.event_type == "activation.revoking")
        ).first()
    later = utcnow() + timedelta(hours=2)
    assert len(sweep_expired_leases(engine, executor, later)) == 1  # the other one, once it expired


def test_failed_revocation_quarantines_and_success_releases(engine: Engine) -> None:
    expired_id, pool_id = seed(engine)
    sweep_expired_leases(engine, None, utcnow())
    runtime = JobRuntime(engine=engine, settings=Settings())
    outcome = OnuOutcome(
        "OLT-LAB-1", "0/1/0", "x", "revoke", Status.NEEDS_RECONCILE, 1, "busy", activation_id=expired_id
    )
    finish_revocations(runtime, [outcome])
    with Session(engine) as session:
        row = session.get(Activation, expired_id)
        assert row is not None and row.status is ActivationStatus.REVOKE_FAILED and row.needs_reconcile
        allocation = session.exec(select(CvlanAllocation)).one()
        assert allocation.status is CvlanStatus.QUARANTINED
        assert cvlans.quarantined(session, pool_id) == [allocation.cvlan]


def test_recovery_requeues_waiting_work(engine: Engine) -> None:
    """Queued jobs are re-enqueued; a not-activated activation without a queued job gets a new one."""
    with Session(engine, expire_on_commit=False) as session:
        project = build_project(session)
        tree = build_olt_tree(session, project=project)
        covered = build_activation(session, tree, project, port_number=1)
        orphan = build_activation(session, tree, project, port_number=2)
        queued = Job(kind="activate", payload={"activation_ids": [covered.id]})
        running = Job(kind="activate", status=JobStatus.RUNNING, payload={"activation_ids": []})
        session.add_all([queued, running])
        session.commit()
    executor = FakeExecutor()
    report = recover_interrupted(JobRuntime(engine=engine, settings=Settings()), executor)
    assert report.interrupted_jobs == [running.id]
    assert ("enqueue", {"job_id": queued.id}) in executor.submitted
    assert ("activate", {"activation_ids": [orphan.id]}) in executor.submitted
    assert len(executor.submitted) == 2
    with Session(engine) as session:
        row = session.get(Job, running.id)
        assert row is not None and row.status is JobStatus.FAILED and "interrupted" in (row.error or "")


def test_background_loop_sweeps_at_its_interval(engine: Engine) -> None:
    expired_id, _pool = seed(engine)
    executor = FakeExecutor()
    loop = BackgroundLoop(JobRuntime(engine=engine, settings=Settings()), executor, sweep=True)
    now = utcnow()
    loop.tick(now)
    assert executor.submitted == [("revoke", {"activation_ids": [expired_id]})]
    later = now + timedelta(hours=2)  # the second lease has expired too, but the interval has not passed
    loop.tick(now + timedelta(seconds=loop.sweep_s / 2))
    assert len(executor.submitted) == 1
    loop.tick(later)
    assert len(executor.submitted) == 2


def test_background_loop_brings_running_order_clocks_up_to_now(engine: Engine) -> None:
    created = utcnow() - timedelta(days=8)
    with Session(engine) as session:
        district = District(name="sweep-city", mobile_team_threshold=40, emergency_team_threshold=60)
        session.add(district)
        session.flush()
        assert district.id is not None
        account = Account(account_no="SWEEP-1", district_id=district.id, address="1 Road")
        session.add(account)
        session.flush()
        assert account.id is not None
        order = WorkOrder(
            no="SWEEP-1",
            type=OrderType.INSTALL,
            account_id=account.id,
            district_id=district.id,
            address="1 Road",
            created_at=created,
        )
        insert_order(session, order, now=created)
        session.commit()
        order_id = order.id
    loop = BackgroundLoop(JobRuntime(engine=engine, settings=Settings()), FakeExecutor(), sweep=True)
    now = utcnow()
    loop.clock_tick(now)
    with Session(engine) as session:
        clock = session.exec(select(SlaClock).where(SlaClock.order_id == order_id)).one()
        # eight days at 12 counted hours a day: far past the 72 h install limit, and the snapshot says so
        assert clock.breached and clock.elapsed_business_s > 72 * 3600
        assert clock.evaluated_at is not None and abs((clock.evaluated_at - now).total_seconds()) < 1
