"""Engine settings and value round-trips (enums, aware UTC datetimes, JSON) on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from fixtures.db import build_activation, build_olt_tree, build_project
from ponaccept.db.engine import make_engine, make_sessionmaker, session_scope
from ponaccept.db.models import (
    Activation,
    CommandLog,
    CommandOutcome,
    Olt,
    OpticsMethod,
    PonPort,
    Project,
    SplitterPort,
    SplitterPortStatus,
)
from ponaccept.domain.choices import ActivationStatus, OpticalClass, ProjectStatus, TestStatus, Vendor


def test_sqlite_pragmas_applied(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15_000
    finally:
        engine.dispose()


def test_foreign_keys_enforced(session: Session) -> None:
    session.add(PonPort(olt_id=999_999, slot=1, port=0, svlan=100))
    with pytest.raises(IntegrityError):
        session.flush()


def test_enums_round_trip_as_choices_members(engine: Engine) -> None:
    with session_scope(engine) as session:
        tree = build_olt_tree(session, vendor=Vendor.ZTE)
        project = build_project(session, status=ProjectStatus.IN_REVIEW)
        build_activation(session, tree, project, status=ActivationStatus.REVOKE_FAILED)
        session.add(CommandLog(olt_name="OLT-LAB-1", command="show run", outcome=CommandOutcome.BUSY))
    with Session(engine) as session:
        olt = session.exec(select(Olt)).one()
        assert type(olt.vendor) is Vendor
        assert olt.vendor is Vendor.ZTE
        assert olt.optics_method is OpticsMethod.SNMP
        assert session.exec(select(PonPort)).one().optical_class is OpticalClass.GPON_B_PLUS
        assert session.exec(select(Project)).one().status is ProjectStatus.IN_REVIEW
        activation = session.exec(select(Activation)).one()
        assert activation.status is ActivationStatus.REVOKE_FAILED
        assert activation.test_status is TestStatus.NOT_DONE
        assert session.exec(select(SplitterPort)).first().status is SplitterPortStatus.UNTESTED  # type: ignore[union-attr]
        assert session.exec(select(CommandLog)).one().outcome is CommandOutcome.BUSY
        # Stored as the plain value, so SQL written by hand (reports, operators) can filter on it.
        assert session.exec(text("SELECT status FROM activation")).one()[0] == "revoke_failed"  # type: ignore[call-overload]


def test_unknown_enum_value_is_rejected(session: Session) -> None:
    project = Project(code="X", name="x")
    project.status = "approved"  # type: ignore[assignment]
    session.add(project)
    with pytest.raises(StatementError):
        session.flush()


def test_datetimes_round_trip_aware_utc(engine: Engine) -> None:
    plus8 = timezone(timedelta(hours=8))
    lease = datetime(2026, 3, 1, 17, 30, 15, 123456, tzinfo=plus8)
    with session_scope(engine) as session:
        tree = build_olt_tree(session)
        project = build_project(session)
        activation_id = build_activation(session, tree, project, lease_expires_at=lease).id
    with Session(engine) as session:
        activation = session.get(Activation, activation_id)
        assert activation is not None
        assert activation.lease_expires_at == lease
        assert activation.lease_expires_at.tzinfo is UTC  # type: ignore[union-attr]
        assert activation.lease_expires_at.hour == 9  # type: ignore[union-attr]
        assert activation.created_at.tzinfo is UTC
        # Comparisons happen in UTC on both backends: the lease is after 09:00Z, before 10:00Z.
        after = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        before = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
        found = session.exec(
            select(Activation).where(
                Activation.lease_expires_at > after, Activation.lease_expires_at < before
            )  # type: ignore[operator]
        ).all()
        assert [a.id for a in found] == [activation_id]


def test_naive_datetime_is_rejected(session: Session) -> None:
    tree = build_olt_tree(session)
    project = build_project(session)
    with pytest.raises(StatementError, match="naive datetime"):
        build_activation(session, tree, project, lease_expires_at=datetime(2026, 1, 1, 12, 0))


def test_updated_at_advances_on_update(engine: Engine) -> None:
    with session_scope(engine) as session:
        project = build_project(session)
        created, first_update = project.created_at, project.updated_at
        project_id = project.id
    with session_scope(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        project.status = ProjectStatus.TESTING
        session.add(project)
    with Session(engine) as session:
        project = session.get(Project, project_id)
        assert project is not None
        assert project.updated_at > first_update
        assert project.created_at == created


def test_session_scope_rolls_back_on_error(engine: Engine) -> None:
    def failing_unit_of_work() -> None:
        with session_scope(engine) as session:
            build_project(session, code="ROLLED-BACK")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        failing_unit_of_work()
    with Session(engine) as session:
        assert session.exec(select(Project)).all() == []


def test_sessionmaker_keeps_objects_readable_after_commit(engine: Engine) -> None:
    factory = make_sessionmaker(engine)
    with factory() as session:
        project = build_project(session, code="KEEP")
        session.commit()
    assert project.code == "KEEP"
    assert project.status is ProjectStatus.DRAFT
