"""Threshold profiles are versioned: revising adds a row, results keep the version they used."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from fixtures.db import build_activation, build_olt_tree, build_project
from ponaccept.db.engine import session_scope
from ponaccept.db.models import LineTest, OpticsMethod, ThresholdMode, ThresholdProfile
from ponaccept.db.repositories import NotFound, thresholds
from ponaccept.domain.choices import Verdict


def test_seed_presets_inserts_construction_and_end_user_once(session: Session) -> None:
    first = thresholds.seed_presets(session)
    by_name = {p.name: p for p in first}
    assert set(by_name) == {"construction", "end-user"}
    construction, end_user = by_name["construction"], by_name["end-user"]
    assert (construction.version, construction.onu_rx_min_dbm, construction.overload_dbm) == (1, -20.0, -8.0)
    assert (construction.max_down_att_db, construction.max_up_att_db) == (28.0, 28.0)
    assert construction.mode is ThresholdMode.FIXED
    assert (end_user.version, end_user.onu_rx_min_dbm) == (1, -27.0)
    again = thresholds.seed_presets(session)
    assert sorted(p.id for p in again) == sorted(p.id for p in first)
    assert len(thresholds.versions(session, "construction")) == 1


def test_seed_keeps_a_revised_preset(session: Session) -> None:
    thresholds.seed_presets(session)
    thresholds.revise(session, "construction", onu_rx_min_dbm=-21.0)
    seeded = {p.name: p for p in thresholds.seed_presets(session)}
    assert seeded["construction"].version == 2
    assert seeded["construction"].onu_rx_min_dbm == -21.0


def test_revise_creates_next_version_and_leaves_old_untouched(engine: Engine) -> None:
    with session_scope(engine) as session:
        v1 = thresholds.create_profile(
            session, "site", onu_rx_min_dbm=-20, overload_dbm=-8, max_down_att_db=28, max_up_att_db=28
        )
        v2 = thresholds.revise(session, "site", onu_rx_min_dbm=-22.5)
        v3 = thresholds.revise(
            session, "site", mode=ThresholdMode.PREDICTED_PLUS_TOLERANCE, tolerance_db=1.5, olt_rx_min_dbm=-28
        )
        ids = (v1.id, v2.id, v3.id)
    with Session(engine) as session:
        rows = thresholds.versions(session, "site")
        assert [r.id for r in rows] == list(ids)
        assert [r.version for r in rows] == [1, 2, 3]
        assert [r.onu_rx_min_dbm for r in rows] == [-20.0, -22.5, -22.5]
        assert rows[2].mode is ThresholdMode.PREDICTED_PLUS_TOLERANCE
        assert (rows[2].tolerance_db, rows[2].olt_rx_min_dbm) == (1.5, -28.0)
        assert rows[1].tolerance_db is None
        latest = thresholds.latest(session, "site")
        assert latest is not None
        assert latest.id == ids[2]


def test_line_test_keeps_pointing_at_the_version_it_was_judged_with(engine: Engine) -> None:
    with session_scope(engine) as session:
        (construction, _) = thresholds.seed_presets(session)
        tree = build_olt_tree(session)
        activation = build_activation(session, tree, build_project(session))
        result = LineTest(
            activation_id=activation.id,
            onu_rx_dbm=-20.5,
            method=OpticsMethod.SNMP,
            threshold_profile_id=construction.id,
            verdict=Verdict.FAIL,
            reasons=["onu_rx_below_min"],
            raw={"onu_rx": [-20.4, -20.6]},
            samples=2,
            spread_db=0.2,
        )
        session.add(result)
        session.flush()
        result_id = result.id
        thresholds.revise(session, "construction", onu_rx_min_dbm=-21.0)
    with Session(engine) as session:
        stored = session.get(LineTest, result_id)
        assert stored is not None
        judged_with = session.get(ThresholdProfile, stored.threshold_profile_id)
        assert judged_with is not None
        assert (judged_with.version, judged_with.onu_rx_min_dbm) == (1, -20.0)
        assert stored.reasons == ["onu_rx_below_min"]
        assert stored.raw == {"onu_rx": [-20.4, -20.6]}
        assert stored.olt_rx_dbm is None
        latest = thresholds.latest(session, "construction")
        assert latest is not None
        assert (latest.version, latest.onu_rx_min_dbm) == (2, -21.0)


def test_revise_rejects_identity_fields_and_unknown_profiles(session: Session) -> None:
    thresholds.seed_presets(session)
    with pytest.raises(ValueError, match="version"):
        thresholds.revise(session, "construction", version=7)
    with pytest.raises(ValueError, match="name"):
        thresholds.revise(session, "construction", name="other")
    with pytest.raises(NotFound):
        thresholds.revise(session, "no-such-profile", onu_rx_min_dbm=-10)
    assert thresholds.latest(session, "no-such-profile") is None


def test_revise_to_predicted_mode_without_tolerance_is_rejected(session: Session) -> None:
    thresholds.seed_presets(session)
    with pytest.raises(IntegrityError):
        thresholds.revise(session, "end-user", mode=ThresholdMode.PREDICTED_PLUS_TOLERANCE)


def test_create_profile_twice_is_rejected(session: Session) -> None:
    limits = {"onu_rx_min_dbm": -20.0, "overload_dbm": -8.0, "max_down_att_db": 28.0, "max_up_att_db": 28.0}
    thresholds.create_profile(session, "dup", **limits)
    with pytest.raises(IntegrityError):
        thresholds.create_profile(session, "dup", **limits)
