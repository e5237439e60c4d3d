"""Project rectification reason; repair penalty rule on SLA policies; indexes for two metric filters.

Existing policies get the rule that applied before (20 yuan per whole 24-hour day, natural time).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 23:02:01.370893
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_slot_start"), ["slot_start"], unique=False)

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rectification_reason", sa.String(length=2000), nullable=True))

    with op.batch_alter_table("sla_policy", schema=None) as batch_op:
        batch_op.add_column(sa.Column("penalty_base", sa.Integer(), nullable=False, server_default="20"))
        batch_op.add_column(sa.Column("penalty_day_s", sa.Integer(), nullable=False, server_default="86400"))
        batch_op.add_column(
            sa.Column("penalty_measure", sa.String(length=32), nullable=False, server_default="natural")
        )
        batch_op.add_column(
            sa.Column("penalty_rounding", sa.String(length=32), nullable=False, server_default="whole_days")
        )
        batch_op.create_check_constraint(
            op.f("ck_sla_policy_penalty_valid"), "penalty_base >= 0 AND penalty_day_s > 0"
        )

    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_order_dispatched_at"), ["dispatched_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_dispatched_at"))

    with op.batch_alter_table("sla_policy", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_sla_policy_penalty_valid"), type_="check")
        batch_op.drop_column("penalty_rounding")
        batch_op.drop_column("penalty_measure")
        batch_op.drop_column("penalty_day_s")
        batch_op.drop_column("penalty_base")

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("rectification_reason")

    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_slot_start"))
