"""Acceptance testing (挂测): projects, test-ONU activations, line/service tests, threshold profiles.

Run state and result are separate columns (TMF653): an activation can have succeeded while its
line test failed.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ponaccept.db.models.base import CreatedAt, Timestamps, enum_field, in_values_sql, utc_field, vlan_check
from ponaccept.db.models.resources import OpticsMethod
from ponaccept.domain.choices import ActivationStatus, ProjectStatus, TestStatus, Verdict

ACTIVE_ACTIVATION_STATUSES: tuple[ActivationStatus, ...] = (
    ActivationStatus.NOT_ACTIVATED,
    ActivationStatus.ACTIVATING,
    ActivationStatus.ACTIVATION_SUCCEEDED,
    ActivationStatus.REVOKING,
    ActivationStatus.REVOKE_FAILED,
)
"""Statuses in which a test ONU may exist (or be about to exist) on the OLT.

Only ``activation_failed`` and ``revoked`` free the splitter port, ONU name and ONT-ID; a failed
revocation keeps them reserved because the ONU may still be configured on the device.
"""

_ACTIVE_SQL = in_values_sql("status", [s.value for s in ACTIVE_ACTIVATION_STATUSES])


class ThresholdMode(StrEnum):
    """``fixed``: compare with the profile's limits; ``predicted_plus_tolerance``: with the
    link-budget prediction for the port plus ``tolerance_db`` (floored by the fixed limits)."""

    FIXED = "fixed"
    PREDICTED_PLUS_TOLERANCE = "predicted_plus_tolerance"


class ThresholdProfile(CreatedAt, table=True):
    """Pass/fail limits. Versioned and immutable: a change is a new row with ``version + 1`` so
    that every stored verdict keeps pointing at the exact limits it was judged against."""

    __tablename__ = "threshold_profile"
    __table_args__ = (
        UniqueConstraint("name", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint(
            "mode <> 'predicted_plus_tolerance' OR tolerance_db IS NOT NULL", name="tolerance_required"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    version: int = 1
    onu_rx_min_dbm: float
    overload_dbm: float
    max_down_att_db: float
    max_up_att_db: float
    olt_rx_min_dbm: float | None = None
    mode: ThresholdMode = enum_field(ThresholdMode, default=ThresholdMode.FIXED)
    tolerance_db: float | None = None


class Project(Timestamps, table=True):
    """A construction project (工程) whose splitter ports are accepted by testing."""

    __tablename__ = "project"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    name: str = Field(max_length=200)
    contractor: str | None = Field(default=None, max_length=200)
    community: str | None = Field(default=None, max_length=200)
    test_required: bool = True
    status: ProjectStatus = enum_field(ProjectStatus, default=ProjectStatus.DRAFT)
    threshold_profile_id: int | None = Field(default=None, foreign_key="threshold_profile.id", index=True)
    # The reviewer's reason of the latest rejection (整改原因); the full history is in the outbox events.
    rectification_reason: str | None = Field(default=None, max_length=2000)


class Activation(Timestamps, table=True):
    """One test-ONU activation on one splitter port (one row per attempt).

    ``password`` is the ONU's GPON authentication password. It is a throw-away test credential the
    engineer types into the test ONU, so it is stored; whether the API shows it is the API's
    decision. It is not a device login secret and must still never be written to logs.

    Partial unique indexes (same predicate on SQLite and PostgreSQL) make the database itself refuse
    a second live activation on a splitter port, a duplicate ONU name on an OLT, or a duplicate
    ONT-ID on a PON port — the invariants that keep test ONUs from colliding or leaking.
    """

    __tablename__ = "activation"
    __table_args__ = (
        UniqueConstraint("splitter_port_id", "attempt"),
        CheckConstraint("attempt >= 1", name="attempt_positive"),
        CheckConstraint("ont_id IS NULL OR ont_id >= 0", name="ont_id_non_negative"),
        vlan_check("svlan"),
        vlan_check("cvlan"),
        Index(
            "uq_activation_active_splitter_port",
            "splitter_port_id",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
        Index(
            "uq_activation_active_onu_name",
            "olt_id",
            "onu_name",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
        Index(
            "uq_activation_active_ont_id",
            "pon_port_id",
            "ont_id",
            unique=True,
            sqlite_where=_ACTIVE_SQL,
            postgresql_where=_ACTIVE_SQL,
        ),
        Index("ix_activation_status_lease", "status", "lease_expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    splitter_port_id: int = Field(foreign_key="splitter_port.id")
    pon_port_id: int = Field(foreign_key="pon_port.id")
    olt_id: int = Field(foreign_key="olt.id")
    attempt: int = 1
    onu_name: str = Field(max_length=64)
    ont_id: int | None = None
    svlan: int
    cvlan: int | None = None
    password: str = Field(max_length=32)
    status: ActivationStatus = enum_field(ActivationStatus, default=ActivationStatus.NOT_ACTIVATED)
    test_status: TestStatus = enum_field(TestStatus, default=TestStatus.NOT_DONE)
    lease_expires_at: datetime | None = utc_field(nullable=True)
    needs_reconcile: bool = False
    error: str | None = Field(default=None, sa_type=Text)
    idempotency_key: str | None = Field(default=None, max_length=128, unique=True)


class LineTest(SQLModel, table=True):
    """An optical line test. Append-only: a re-test is a new row, never an update.

    Powers are NULL when there was no reading (ONU offline, LOS) — never a sentinel number.
    ``raw`` keeps the readings as received so a verdict can be re-derived and audited.
    """

    __tablename__ = "line_test"
    __table_args__ = (
        CheckConstraint("samples >= 1", name="samples_positive"),
        CheckConstraint("spread_db IS NULL OR spread_db >= 0", name="spread_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    activation_id: int = Field(foreign_key="activation.id", index=True)
    measured_at: datetime = utc_field()
    olt_tx_dbm: float | None = None
    olt_rx_dbm: float | None = None
    onu_tx_dbm: float | None = None
    onu_rx_dbm: float | None = None
    down_att_db: float | None = None
    up_att_db: float | None = None
    method: OpticsMethod = enum_field(OpticsMethod)
    threshold_profile_id: int = Field(foreign_key="threshold_profile.id", index=True)
    verdict: Verdict = enum_field(Verdict)
    reasons: list[str] = Field(default_factory=list, sa_type=JSON)
    raw: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    samples: int = 1
    spread_db: float | None = None


class ServiceTest(CreatedAt, table=True):
    """A service (speed) test by the field engineer, with photo evidence.

    ``photos`` holds metadata only — ``{sha256, content_type, filename, size}`` — the files live
    under the data directory, addressed by their hash.
    """

    __tablename__ = "service_test"
    __table_args__ = (
        CheckConstraint("down_mbps IS NULL OR down_mbps >= 0", name="down_mbps_non_negative"),
        CheckConstraint("up_mbps IS NULL OR up_mbps >= 0", name="up_mbps_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    activation_id: int = Field(foreign_key="activation.id", index=True)
    account: str = Field(max_length=64)
    result: str | None = Field(default=None, sa_type=Text)
    down_mbps: float | None = None
    up_mbps: float | None = None
    verdict: Verdict = enum_field(Verdict)
    photos: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
