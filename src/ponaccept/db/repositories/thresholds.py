"""Threshold profiles: create, revise (new version, never edit in place), look up, seed presets."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ponaccept.db.models import ThresholdMode, ThresholdProfile
from ponaccept.db.repositories.errors import AllocationContention, NotFound

REVISABLE_FIELDS = frozenset(
    {
        "onu_rx_min_dbm",
        "overload_dbm",
        "max_down_att_db",
        "max_up_att_db",
        "olt_rx_min_dbm",
        "mode",
        "tolerance_db",
    }
)
"""Fields a revision may change; name/version/id/created_at are the identity of a version."""

PRESETS: dict[str, dict[str, Any]] = {
    # Construction acceptance: ONU Rx ≥ −20 dBm (operator policy, reference/optics.md).
    "construction": {
        "onu_rx_min_dbm": -20.0,
        "overload_dbm": -8.0,
        "max_down_att_db": 28.0,
        "max_up_att_db": 28.0,
    },
    # End-user service: ONU Rx ≥ −27 dBm (GPON B+ ONU sensitivity, G.984.2 Amd1).
    "end-user": {
        "onu_rx_min_dbm": -27.0,
        "overload_dbm": -8.0,
        "max_down_att_db": 28.0,
        "max_up_att_db": 28.0,
    },
}

_MAX_REVISE_ATTEMPTS = 5


def create_profile(
    session: Session,
    name: str,
    *,
    onu_rx_min_dbm: float,
    overload_dbm: float,
    max_down_att_db: float,
    max_up_att_db: float,
    olt_rx_min_dbm: float | None = None,
    mode: ThresholdMode = ThresholdMode.FIXED,
    tolerance_db: float | None = None,
) -> ThresholdProfile:
    """Insert version 1 of a new profile (IntegrityError if the name already exists)."""
    profile = ThresholdProfile(
        name=name,
        version=1,
        onu_rx_min_dbm=onu_rx_min_dbm,
        overload_dbm=overload_dbm,
        max_down_att_db=max_down_att_db,
        max_up_att_db=max_up_att_db,
        olt_rx_min_dbm=olt_rx_min_dbm,
        mode=mode,
        tolerance_db=tolerance_db,
    )
    session.add(profile)
    session.flush()
    return profile


def latest(session: Session, name: str) -> ThresholdProfile | None:
    """The newest version of profile ``name``, or None."""
    statement = (
        select(ThresholdProfile)
        .where(ThresholdProfile.name == name)
        .order_by(col(ThresholdProfile.version).desc())
        .limit(1)
    )
    return session.exec(statement).first()


def versions(session: Session, name: str) -> list[ThresholdProfile]:
    """Every version of ``name``, oldest first."""
    statement = (
        select(ThresholdProfile).where(ThresholdProfile.name == name).order_by(col(ThresholdProfile.version))
    )
    return list(session.exec(statement).all())


def revise(session: Session, name: str, /, **changes: Any) -> ThresholdProfile:
    """Create version N+1 of ``name`` from the latest version with ``changes`` applied.

    The old row is left untouched so results judged against it keep their meaning. Two concurrent
    revisions cannot both become N+1 (unique name+version); the loser retries on top of the winner.
    """
    unknown = set(changes) - REVISABLE_FIELDS
    if unknown:
        raise ValueError(f"cannot revise {sorted(unknown)}; revisable: {sorted(REVISABLE_FIELDS)}")
    for _ in range(_MAX_REVISE_ATTEMPTS):
        current = latest(session, name)
        if current is None:
            raise NotFound(f"threshold profile {name!r} does not exist")
        values = current.model_dump(include=set(REVISABLE_FIELDS))
        values.update(changes)
        revised = ThresholdProfile(name=name, version=current.version + 1, **values)
        try:
            with session.begin_nested():
                session.add(revised)
        except IntegrityError:
            newest = latest(session, name)
            if newest is None or newest.version == current.version:
                raise  # not a lost race (e.g. a CHECK constraint): the caller's data is wrong
            continue
        return revised
    raise AllocationContention(f"could not revise threshold profile {name!r}: concurrent revisions")


def seed_presets(session: Session) -> list[ThresholdProfile]:
    """Ensure the "construction" and "end-user" presets exist; return their latest versions.

    Idempotent: an existing preset (including one already revised) is left as it is.
    """
    result = []
    for name, limits in PRESETS.items():
        profile = latest(session, name)
        if profile is None:
            profile = create_profile(session, name, **limits)
        result.append(profile)
    return result
