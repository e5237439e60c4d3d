"""Between the stored threshold profile (a table row) and the domain's judging model.

The two grew separately and name the same limits differently; this is the one place that knows the
correspondence, so line tests (judged with the domain model) and the thresholds API agree.
"""

from __future__ import annotations

from sqlmodel import Session

from ponaccept.db.models import Project, ThresholdProfile
from ponaccept.db.repositories import thresholds as threshold_repo
from ponaccept.domain import thresholds as domain

DEFAULT_PROFILE_NAME = "construction"
"""Applied to projects without an assigned profile: seed 002's construction acceptance (−20 dBm)."""


def to_domain_profile(row: ThresholdProfile) -> domain.ThresholdProfile:
    """The domain model judging with exactly the limits stored in ``row`` (name and version kept)."""
    return domain.ThresholdProfile(
        name=row.name,
        version=row.version,
        mode=domain.ThresholdMode(row.mode.value),
        onu_rx_min_dbm=row.onu_rx_min_dbm,
        onu_rx_overload_dbm=row.overload_dbm,
        olt_rx_min_dbm=row.olt_rx_min_dbm,
        max_downstream_attenuation_db=row.max_down_att_db,
        max_upstream_attenuation_db=row.max_up_att_db,
        tolerance_db=row.tolerance_db,
    )


def profile_for_project(session: Session, project: Project) -> ThresholdProfile:
    """The profile version assigned to ``project``, else the newest ``construction`` preset.

    The preset is seeded when missing, so line tests can always be judged.
    """
    if project.threshold_profile_id is not None:
        row = session.get(ThresholdProfile, project.threshold_profile_id)
        if row is not None:
            return row
    row = threshold_repo.latest(session, DEFAULT_PROFILE_NAME)
    if row is None:
        threshold_repo.seed_presets(session)
        row = threshold_repo.latest(session, DEFAULT_PROFILE_NAME)
    assert row is not None, "seed_presets creates the construction preset"
    return row
