"""Initial schema: resources, acceptance, device log, CVLAN pools.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 20:18:52.345744
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An activation is "active" (holds its splitter port, ONU name and ONT-ID) in these statuses;
# must match ponaccept.db.models.acceptance.ACTIVE_ACTIVATION_STATUSES at this revision.
_ACTIVE = sa.text(
    "status IN ('not_activated', 'activating', 'activation_succeeded', 'revoking', 'revoke_failed')"
)


def upgrade() -> None:
    op.create_table(
        "olt",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("vendor", sa.String(length=32), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("management_ip", sa.String(length=45), nullable=False),
        sa.Column("ssh_port", sa.Integer(), nullable=False),
        sa.Column("snmp_port", sa.Integer(), nullable=False),
        sa.Column("snmp_community_ref", sa.String(length=64), nullable=True),
        sa.Column("optics_method", sa.String(length=32), nullable=False),
        sa.CheckConstraint("snmp_port BETWEEN 1 AND 65535", name=op.f("ck_olt_snmp_port_range")),
        sa.CheckConstraint("ssh_port BETWEEN 1 AND 65535", name=op.f("ck_olt_ssh_port_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_olt")),
        sa.UniqueConstraint("name", name=op.f("uq_olt_name")),
    )
    op.create_table(
        "threshold_profile",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("onu_rx_min_dbm", sa.Float(), nullable=False),
        sa.Column("overload_dbm", sa.Float(), nullable=False),
        sa.Column("max_down_att_db", sa.Float(), nullable=False),
        sa.Column("max_up_att_db", sa.Float(), nullable=False),
        sa.Column("olt_rx_min_dbm", sa.Float(), nullable=True),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("tolerance_db", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "mode <> 'predicted_plus_tolerance' OR tolerance_db IS NOT NULL",
            name=op.f("ck_threshold_profile_tolerance_required"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_threshold_profile_version_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threshold_profile")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_threshold_profile_name_version")),
    )
    op.create_table(
        "pon_port",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("olt_id", sa.Integer(), nullable=False),
        sa.Column("frame", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("svlan", sa.Integer(), nullable=False),
        sa.Column("optical_class", sa.String(length=32), nullable=False),
        sa.Column("tx_power_dbm", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "frame >= 0 AND slot >= 0 AND port >= 0", name=op.f("ck_pon_port_position_non_negative")
        ),
        sa.CheckConstraint("svlan BETWEEN 1 AND 4094", name=op.f("ck_pon_port_svlan_range")),
        sa.ForeignKeyConstraint(["olt_id"], ["olt.id"], name=op.f("fk_pon_port_olt_id_olt")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pon_port")),
        sa.UniqueConstraint(
            "olt_id", "frame", "slot", "port", name=op.f("uq_pon_port_olt_id_frame_slot_port")
        ),
    )
    op.create_index(op.f("ix_pon_port_olt_id"), "pon_port", ["olt_id"], unique=False)

    op.create_table(
        "project",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("contractor", sa.String(length=200), nullable=True),
        sa.Column("community", sa.String(length=200), nullable=True),
        sa.Column("test_required", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("threshold_profile_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["threshold_profile_id"],
            ["threshold_profile.id"],
            name=op.f("fk_project_threshold_profile_id_threshold_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("code", name=op.f("uq_project_code")),
    )
    op.create_index(
        op.f("ix_project_threshold_profile_id"), "project", ["threshold_profile_id"], unique=False
    )

    op.create_table(
        "cvlan_pool",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("olt_id", sa.Integer(), nullable=True),
        sa.Column("pon_port_id", sa.Integer(), nullable=True),
        sa.Column("range_start", sa.Integer(), nullable=False),
        sa.Column("range_end", sa.Integer(), nullable=False),
        sa.CheckConstraint("range_start <= range_end", name=op.f("ck_cvlan_pool_range_ordered")),
        sa.CheckConstraint(
            "range_start BETWEEN 1 AND 4094 AND range_end BETWEEN 1 AND 4094",
            name=op.f("ck_cvlan_pool_range_valid"),
        ),
        sa.ForeignKeyConstraint(["olt_id"], ["olt.id"], name=op.f("fk_cvlan_pool_olt_id_olt")),
        sa.ForeignKeyConstraint(
            ["pon_port_id"], ["pon_port.id"], name=op.f("fk_cvlan_pool_pon_port_id_pon_port")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cvlan_pool")),
        sa.UniqueConstraint("name", name=op.f("uq_cvlan_pool_name")),
    )
    op.create_index(op.f("ix_cvlan_pool_olt_id"), "cvlan_pool", ["olt_id"], unique=False)
    op.create_index(op.f("ix_cvlan_pool_pon_port_id"), "cvlan_pool", ["pon_port_id"], unique=False)

    op.create_table(
        "splitter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("ratio", sa.Integer(), nullable=False),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("parent_splitter_id", sa.Integer(), nullable=True),
        sa.Column("pon_port_id", sa.Integer(), nullable=False),
        sa.Column("fibre_length_km", sa.Float(), nullable=False),
        sa.Column("connectors", sa.Integer(), nullable=False),
        sa.Column("splices", sa.Integer(), nullable=False),
        sa.Column("port_count", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("community", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "(stage = 1 AND parent_splitter_id IS NULL) OR (stage > 1 AND parent_splitter_id IS NOT NULL)",
            name=op.f("ck_splitter_stage_matches_parent"),
        ),
        sa.CheckConstraint("connectors >= 0 AND splices >= 0", name=op.f("ck_splitter_counts_non_negative")),
        sa.CheckConstraint("fibre_length_km >= 0", name=op.f("ck_splitter_fibre_length_non_negative")),
        sa.CheckConstraint("port_count >= 1", name=op.f("ck_splitter_port_count_positive")),
        sa.CheckConstraint("ratio IN (2, 4, 8, 16, 32, 64)", name=op.f("ck_splitter_ratio_allowed")),
        sa.CheckConstraint("stage >= 1", name=op.f("ck_splitter_stage_positive")),
        sa.ForeignKeyConstraint(
            ["parent_splitter_id"], ["splitter.id"], name=op.f("fk_splitter_parent_splitter_id_splitter")
        ),
        sa.ForeignKeyConstraint(
            ["pon_port_id"], ["pon_port.id"], name=op.f("fk_splitter_pon_port_id_pon_port")
        ),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"], name=op.f("fk_splitter_project_id_project")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_splitter")),
        sa.UniqueConstraint("pon_port_id", "name", name=op.f("uq_splitter_pon_port_id_name")),
    )
    op.create_index(op.f("ix_splitter_parent_splitter_id"), "splitter", ["parent_splitter_id"], unique=False)
    op.create_index(op.f("ix_splitter_pon_port_id"), "splitter", ["pon_port_id"], unique=False)
    op.create_index(op.f("ix_splitter_project_id"), "splitter", ["project_id"], unique=False)

    op.create_table(
        "splitter_port",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("splitter_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("drop_length_km", sa.Float(), nullable=True),
        sa.CheckConstraint(
            "drop_length_km IS NULL OR drop_length_km >= 0",
            name=op.f("ck_splitter_port_drop_length_non_negative"),
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_splitter_port_number_positive")),
        sa.ForeignKeyConstraint(
            ["splitter_id"],
            ["splitter.id"],
            name=op.f("fk_splitter_port_splitter_id_splitter"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_splitter_port")),
        sa.UniqueConstraint("splitter_id", "number", name=op.f("uq_splitter_port_splitter_id_number")),
    )
    op.create_index(op.f("ix_splitter_port_splitter_id"), "splitter_port", ["splitter_id"], unique=False)

    op.create_table(
        "activation",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("splitter_port_id", sa.Integer(), nullable=False),
        sa.Column("pon_port_id", sa.Integer(), nullable=False),
        sa.Column("olt_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("onu_name", sa.String(length=64), nullable=False),
        sa.Column("ont_id", sa.Integer(), nullable=True),
        sa.Column("svlan", sa.Integer(), nullable=False),
        sa.Column("cvlan", sa.Integer(), nullable=True),
        sa.Column("password", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("test_status", sa.String(length=32), nullable=False),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("needs_reconcile", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=128), nullable=True),
        sa.CheckConstraint("attempt >= 1", name=op.f("ck_activation_attempt_positive")),
        sa.CheckConstraint("cvlan BETWEEN 1 AND 4094", name=op.f("ck_activation_cvlan_range")),
        sa.CheckConstraint("ont_id IS NULL OR ont_id >= 0", name=op.f("ck_activation_ont_id_non_negative")),
        sa.CheckConstraint("svlan BETWEEN 1 AND 4094", name=op.f("ck_activation_svlan_range")),
        sa.ForeignKeyConstraint(["olt_id"], ["olt.id"], name=op.f("fk_activation_olt_id_olt")),
        sa.ForeignKeyConstraint(
            ["pon_port_id"], ["pon_port.id"], name=op.f("fk_activation_pon_port_id_pon_port")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_activation_project_id_project")
        ),
        sa.ForeignKeyConstraint(
            ["splitter_port_id"],
            ["splitter_port.id"],
            name=op.f("fk_activation_splitter_port_id_splitter_port"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activation")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_activation_idempotency_key")),
        sa.UniqueConstraint(
            "splitter_port_id", "attempt", name=op.f("uq_activation_splitter_port_id_attempt")
        ),
    )
    op.create_index(op.f("ix_activation_project_id"), "activation", ["project_id"], unique=False)
    op.create_index("ix_activation_status_lease", "activation", ["status", "lease_expires_at"], unique=False)
    op.create_index(
        "uq_activation_active_ont_id",
        "activation",
        ["pon_port_id", "ont_id"],
        unique=True,
        sqlite_where=_ACTIVE,
        postgresql_where=_ACTIVE,
    )
    op.create_index(
        "uq_activation_active_onu_name",
        "activation",
        ["olt_id", "onu_name"],
        unique=True,
        sqlite_where=_ACTIVE,
        postgresql_where=_ACTIVE,
    )
    op.create_index(
        "uq_activation_active_splitter_port",
        "activation",
        ["splitter_port_id"],
        unique=True,
        sqlite_where=_ACTIVE,
        postgresql_where=_ACTIVE,
    )

    op.create_table(
        "command_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("olt_id", sa.Integer(), nullable=True),
        sa.Column("olt_name", sa.String(length=64), nullable=False),
        sa.Column("activation_id", sa.Integer(), nullable=True),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "duration_ms IS NULL OR duration_ms >= 0", name=op.f("ck_command_log_duration_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["activation_id"], ["activation.id"], name=op.f("fk_command_log_activation_id_activation")
        ),
        sa.ForeignKeyConstraint(["olt_id"], ["olt.id"], name=op.f("fk_command_log_olt_id_olt")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_command_log")),
    )
    op.create_index(op.f("ix_command_log_activation_id"), "command_log", ["activation_id"], unique=False)
    op.create_index("ix_command_log_olt_name_at", "command_log", ["olt_name", "at"], unique=False)

    op.create_table(
        "cvlan_allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pool_id", sa.Integer(), nullable=False),
        sa.Column("cvlan", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("activation_id", sa.Integer(), nullable=True),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("cvlan BETWEEN 1 AND 4094", name=op.f("ck_cvlan_allocation_cvlan_range")),
        sa.ForeignKeyConstraint(
            ["activation_id"], ["activation.id"], name=op.f("fk_cvlan_allocation_activation_id_activation")
        ),
        sa.ForeignKeyConstraint(
            ["pool_id"],
            ["cvlan_pool.id"],
            name=op.f("fk_cvlan_allocation_pool_id_cvlan_pool"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cvlan_allocation")),
        sa.UniqueConstraint("pool_id", "cvlan", name=op.f("uq_cvlan_allocation_pool_id_cvlan")),
    )
    op.create_index(
        op.f("ix_cvlan_allocation_activation_id"), "cvlan_allocation", ["activation_id"], unique=False
    )

    op.create_table(
        "line_test",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activation_id", sa.Integer(), nullable=False),
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("olt_tx_dbm", sa.Float(), nullable=True),
        sa.Column("olt_rx_dbm", sa.Float(), nullable=True),
        sa.Column("onu_tx_dbm", sa.Float(), nullable=True),
        sa.Column("onu_rx_dbm", sa.Float(), nullable=True),
        sa.Column("down_att_db", sa.Float(), nullable=True),
        sa.Column("up_att_db", sa.Float(), nullable=True),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("threshold_profile_id", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("spread_db", sa.Float(), nullable=True),
        sa.CheckConstraint("samples >= 1", name=op.f("ck_line_test_samples_positive")),
        sa.CheckConstraint(
            "spread_db IS NULL OR spread_db >= 0", name=op.f("ck_line_test_spread_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["activation_id"], ["activation.id"], name=op.f("fk_line_test_activation_id_activation")
        ),
        sa.ForeignKeyConstraint(
            ["threshold_profile_id"],
            ["threshold_profile.id"],
            name=op.f("fk_line_test_threshold_profile_id_threshold_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_test")),
    )
    op.create_index(op.f("ix_line_test_activation_id"), "line_test", ["activation_id"], unique=False)
    op.create_index(
        op.f("ix_line_test_threshold_profile_id"), "line_test", ["threshold_profile_id"], unique=False
    )

    op.create_table(
        "service_test",
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activation_id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("down_mbps", sa.Float(), nullable=True),
        sa.Column("up_mbps", sa.Float(), nullable=True),
        sa.Column("verdict", sa.String(length=32), nullable=False),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "down_mbps IS NULL OR down_mbps >= 0", name=op.f("ck_service_test_down_mbps_non_negative")
        ),
        sa.CheckConstraint(
            "up_mbps IS NULL OR up_mbps >= 0", name=op.f("ck_service_test_up_mbps_non_negative")
        ),
        sa.ForeignKeyConstraint(
            ["activation_id"], ["activation.id"], name=op.f("fk_service_test_activation_id_activation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_test")),
    )
    op.create_index(op.f("ix_service_test_activation_id"), "service_test", ["activation_id"], unique=False)


def downgrade() -> None:
    # Dropping a table drops its indexes; reverse creation order satisfies the foreign keys.
    op.drop_table("service_test")
    op.drop_table("line_test")
    op.drop_table("cvlan_allocation")
    op.drop_table("command_log")
    op.drop_table("activation")
    op.drop_table("splitter_port")
    op.drop_table("splitter")
    op.drop_table("cvlan_pool")
    op.drop_table("project")
    op.drop_table("pon_port")
    op.drop_table("threshold_profile")
    op.drop_table("olt")
