"""Every unique, partial-unique and check constraint is enforced by the database, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from fixtures.db import OltTree, build_activation, build_olt_tree, build_project
from ponaccept.db.models import (
    CommandLog,
    CommandOutcome,
    CvlanAllocation,
    CvlanPool,
    LineTest,
    Olt,
    OpticsMethod,
    PonPort,
    Project,
    ServiceTest,
    Splitter,
    SplitterPort,
    ThresholdMode,
    ThresholdProfile,
)
from ponaccept.domain.choices import ActivationStatus, Vendor, Verdict

ACTIVE = [
    ActivationStatus.NOT_ACTIVATED,
    ActivationStatus.ACTIVATING,
    ActivationStatus.ACTIVATION_SUCCEEDED,
    ActivationStatus.REVOKING,
    ActivationStatus.REVOKE_FAILED,
]
INACTIVE = [ActivationStatus.ACTIVATION_FAILED, ActivationStatus.REVOKED]


def assert_rejected(session: Session, *rows: SQLModel) -> None:
    """The rows violate a constraint; the surrounding transaction stays usable afterwards."""
    savepoint = session.begin_nested()
    session.add_all(rows)
    with pytest.raises(IntegrityError):
        session.flush()
    savepoint.rollback()


def assert_accepted(session: Session, *rows: SQLModel) -> None:
    with session.begin_nested():
        session.add_all(rows)
        session.flush()


@pytest.fixture
def tree(session: Session) -> OltTree:
    return build_olt_tree(session)


@pytest.fixture
def project(session: Session) -> Project:
    return build_project(session)


def _olt(**overrides: Any) -> Olt:
    values: dict[str, Any] = {"name": "OLT-X", "vendor": Vendor.HUAWEI, "platform": "huawei_smartax"}
    values["management_ip"] = "10.0.0.1"
    values.update(overrides)
    return Olt(**values)


# --- plain unique constraints -------------------------------------------------------------------


def test_olt_name_unique(session: Session, tree: OltTree) -> None:
    assert_rejected(session, _olt(name=tree.olt.name))
    assert_accepted(session, _olt(name="OLT-OTHER"))


def test_pon_port_position_unique_per_olt(session: Session, tree: OltTree) -> None:
    p = tree.pon_port
    assert_rejected(session, PonPort(olt_id=p.olt_id, frame=p.frame, slot=p.slot, port=p.port, svlan=200))
    assert_accepted(session, PonPort(olt_id=p.olt_id, frame=p.frame, slot=p.slot, port=p.port + 1, svlan=200))


def test_splitter_name_unique_per_pon_port(session: Session, tree: OltTree) -> None:
    def splitter(pon_port_id: int | None) -> Splitter:
        return Splitter(name=tree.splitter.name, ratio=8, port_count=8, pon_port_id=pon_port_id)

    assert_rejected(session, splitter(tree.pon_port.id))
    other = build_olt_tree(session, name="OLT-2", splitter_name="SPL-OTHER")
    assert_accepted(session, splitter(other.pon_port.id))


def test_splitter_port_number_unique(session: Session, tree: OltTree) -> None:
    assert_rejected(session, SplitterPort(splitter_id=tree.splitter.id, number=1))


def test_project_code_unique(session: Session, project: Project) -> None:
    assert_rejected(session, Project(code=project.code, name="dup"))


def test_threshold_profile_name_version_unique(session: Session) -> None:
    def profile(version: int) -> ThresholdProfile:
        return ThresholdProfile(
            name="p",
            version=version,
            onu_rx_min_dbm=-20,
            overload_dbm=-8,
            max_down_att_db=28,
            max_up_att_db=28,
        )

    assert_accepted(session, profile(1))
    assert_rejected(session, profile(1))
    assert_accepted(session, profile(2))


def test_activation_attempt_unique_per_splitter_port(
    session: Session, tree: OltTree, project: Project
) -> None:
    build_activation(session, tree, project, status=ActivationStatus.REVOKED, attempt=1)
    with pytest.raises(IntegrityError), session.begin_nested():
        build_activation(session, tree, project, attempt=1, onu_name="other", ont_id=9)


def test_activation_idempotency_key_unique(session: Session, tree: OltTree, project: Project) -> None:
    build_activation(session, tree, project, port_number=1, idempotency_key="k-1")
    with pytest.raises(IntegrityError), session.begin_nested():
        build_activation(session, tree, project, port_number=2, idempotency_key="k-1")
    build_activation(session, tree, project, port_number=3, idempotency_key=None)
    build_activation(session, tree, project, port_number=4, idempotency_key=None)


def test_cvlan_allocation_unique_per_pool(session: Session) -> None:
    pool = CvlanPool(name="pool", range_start=100, range_end=200)
    session.add(pool)
    session.flush()
    assert_accepted(session, CvlanAllocation(pool_id=pool.id, cvlan=100))
    assert_rejected(session, CvlanAllocation(pool_id=pool.id, cvlan=100))


# --- partial unique indexes on live activations ------------------------------------------------


@pytest.mark.parametrize("first", ACTIVE)
def test_one_active_activation_per_splitter_port(
    session: Session, tree: OltTree, project: Project, first: ActivationStatus
) -> None:
    build_activation(session, tree, project, status=first, attempt=1)
    with pytest.raises(IntegrityError), session.begin_nested():
        build_activation(session, tree, project, attempt=2, onu_name="retry", ont_id=20)


@pytest.mark.parametrize("first", INACTIVE)
def test_finished_activation_frees_splitter_port(
    session: Session, tree: OltTree, project: Project, first: ActivationStatus
) -> None:
    build_activation(session, tree, project, status=first, attempt=1)
    # Same port, same ONU name and ONT-ID: all free again once the first attempt is over.
    retry = build_activation(session, tree, project, attempt=2)
    assert retry.id is not None


def test_onu_name_unique_per_olt_among_active(session: Session, tree: OltTree, project: Project) -> None:
    build_activation(session, tree, project, port_number=1, onu_name="T-1")
    with pytest.raises(IntegrityError), session.begin_nested():
        build_activation(session, tree, project, port_number=2, onu_name="T-1")
    other_olt = build_olt_tree(session, name="OLT-2")
    build_activation(session, other_olt, project, port_number=1, onu_name="T-1")


def test_ont_id_unique_per_pon_port_among_active(session: Session, tree: OltTree, project: Project) -> None:
    build_activation(session, tree, project, port_number=1, ont_id=5)
    with pytest.raises(IntegrityError), session.begin_nested():
        build_activation(session, tree, project, port_number=2, ont_id=5)
    # Not yet assigned: several activations may wait without an ONT-ID.
    build_activation(session, tree, project, port_number=3, ont_id=None)
    build_activation(session, tree, project, port_number=4, ont_id=None)
    second_port = build_olt_tree(session, name=tree.olt.name, port=1, splitter_name="SPL-2")
    build_activation(session, second_port, project, port_number=1, ont_id=5)


def test_reviving_a_finished_activation_is_checked_too(
    session: Session, tree: OltTree, project: Project
) -> None:
    old = build_activation(session, tree, project, status=ActivationStatus.REVOKED, attempt=1)
    build_activation(session, tree, project, attempt=2)
    savepoint = session.begin_nested()  # flushes pending work first, so only the update is tested
    old.status = ActivationStatus.REVOKE_FAILED
    with pytest.raises(IntegrityError):
        session.flush()
    savepoint.rollback()


# --- check constraints -------------------------------------------------------------------------

RowFactory = Callable[[OltTree, Project], SQLModel]


def _pon(tree: OltTree, **kw: Any) -> PonPort:
    return PonPort(**{"olt_id": tree.olt.id, "slot": 9, "port": 0, "svlan": 100, **kw})


def _splitter(tree: OltTree, **kw: Any) -> Splitter:
    return Splitter(**{"name": "S-NEW", "ratio": 8, "port_count": 8, "pon_port_id": tree.pon_port.id, **kw})


def _pool(**kw: Any) -> CvlanPool:
    return CvlanPool(**{"name": "pool-x", "range_start": 10, "range_end": 20, **kw})


def _profile(**kw: Any) -> ThresholdProfile:
    base = {
        "name": "x",
        "onu_rx_min_dbm": -20,
        "overload_dbm": -8,
        "max_down_att_db": 28,
        "max_up_att_db": 28,
    }
    return ThresholdProfile(**{**base, **kw})


CHECK_VIOLATIONS: dict[str, RowFactory] = {
    "olt ssh_port 0": lambda t, p: _olt(ssh_port=0),
    "olt snmp_port 70000": lambda t, p: _olt(snmp_port=70000),
    "pon svlan 0": lambda t, p: _pon(t, svlan=0),
    "pon svlan 4095": lambda t, p: _pon(t, svlan=4095),
    "pon negative slot": lambda t, p: _pon(t, slot=-1),
    "splitter ratio 3": lambda t, p: _splitter(t, ratio=3),
    "splitter ratio 128": lambda t, p: _splitter(t, ratio=128),
    "splitter stage 0": lambda t, p: _splitter(t, stage=0),
    "splitter stage 2 without parent": lambda t, p: _splitter(t, stage=2),
    "splitter stage 1 with parent": lambda t, p: _splitter(t, parent_splitter_id=t.splitter.id),
    "splitter port_count 0": lambda t, p: _splitter(t, port_count=0),
    "splitter negative fibre": lambda t, p: _splitter(t, fibre_length_km=-0.1),
    "splitter negative connectors": lambda t, p: _splitter(t, connectors=-1),
    "splitter port number 0": lambda t, p: SplitterPort(splitter_id=t.splitter.id, number=0),
    "splitter port negative drop": lambda t, p: SplitterPort(
        splitter_id=t.splitter.id, number=99, drop_length_km=-1
    ),
    "pool start 0": lambda t, p: _pool(range_start=0),
    "pool end 4095": lambda t, p: _pool(range_end=4095),
    "pool start > end": lambda t, p: _pool(range_start=30, range_end=20),
    "profile version 0": lambda t, p: _profile(version=0),
    "profile predicted mode without tolerance": lambda t, p: _profile(
        mode=ThresholdMode.PREDICTED_PLUS_TOLERANCE
    ),
    "command log negative duration": lambda t, p: CommandLog(
        olt_name="x", command="c", outcome=CommandOutcome.OK, duration_ms=-1
    ),
}


@pytest.mark.parametrize("case", sorted(CHECK_VIOLATIONS))
def test_check_constraint_rejects(session: Session, tree: OltTree, project: Project, case: str) -> None:
    assert_rejected(session, CHECK_VIOLATIONS[case](tree, project))


@pytest.mark.parametrize(
    ("field", "value"),
    [("svlan", 0), ("svlan", 4095), ("cvlan", 0), ("cvlan", 4095), ("attempt", 0), ("ont_id", -1)],
)
def test_activation_range_checks(
    session: Session, tree: OltTree, project: Project, field: str, value: int
) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        build_activation(session, tree, project, **{field: value})


def test_activation_valid_edges_accepted(session: Session, tree: OltTree, project: Project) -> None:
    build_activation(session, tree, project, svlan=4094, cvlan=1, ont_id=0)


def test_test_result_checks(session: Session, tree: OltTree, project: Project) -> None:
    activation = build_activation(session, tree, project)
    profile = _profile(name="checks")
    assert_accepted(session, profile)
    line = {"activation_id": activation.id, "method": OpticsMethod.SNMP, "threshold_profile_id": profile.id}
    assert_rejected(session, LineTest(**line, verdict=Verdict.PASS, samples=0))
    assert_rejected(session, LineTest(**line, verdict=Verdict.PASS, spread_db=-0.5))
    assert_accepted(session, LineTest(**line, verdict=Verdict.INCONCLUSIVE))
    service = {"activation_id": activation.id, "account": "acc", "verdict": Verdict.PASS}
    assert_rejected(session, ServiceTest(**service, down_mbps=-1))
    assert_rejected(session, ServiceTest(**service, up_mbps=-1))
    assert_accepted(session, ServiceTest(**service, down_mbps=0, up_mbps=0))


def test_valid_stage_two_splitter_accepted(session: Session, tree: OltTree) -> None:
    assert_accepted(
        session, _splitter(tree, stage=2, parent_splitter_id=tree.splitter.id, ratio=4, port_count=4)
    )


def test_deleting_splitter_cascades_to_its_ports(session: Session, tree: OltTree) -> None:
    from sqlmodel import select

    session.delete(tree.splitter)
    session.flush()
    session.expunge_all()
    assert session.exec(select(SplitterPort)).all() == []
