"""Project rectification reason; indexes for the contact-timeliness and on-time-arrival metrics.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 22:57:02.438922
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

    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_order_dispatched_at"), ["dispatched_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("work_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_order_dispatched_at"))

    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("rectification_reason")

    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_slot_start"))
