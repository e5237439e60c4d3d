"""Customer-VLAN pools and live allocations.

A released CVLAN is a deleted row, so "is it free" is just "is there no row". A CVLAN whose
revocation failed is kept as ``quarantined``: the ONU may still be on the OLT with that VLAN, so it
must not be handed to the next test until someone clears it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from ponaccept.db.models.base import VLAN_MAX, VLAN_MIN, enum_field, utc_field, vlan_check


class CvlanStatus(StrEnum):
    ALLOCATED = "allocated"
    QUARANTINED = "quarantined"


class CvlanPool(SQLModel, table=True):
    """A CVLAN range, scoped to a PON port, an OLT, or global (both NULL)."""

    __tablename__ = "cvlan_pool"
    __table_args__ = (
        CheckConstraint(
            f"range_start BETWEEN {VLAN_MIN} AND {VLAN_MAX} AND range_end BETWEEN {VLAN_MIN} AND {VLAN_MAX}",
            name="range_valid",
        ),
        CheckConstraint("range_start <= range_end", name="range_ordered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    olt_id: int | None = Field(default=None, foreign_key="olt.id", index=True)
    pon_port_id: int | None = Field(default=None, foreign_key="pon_port.id", index=True)
    range_start: int
    range_end: int


class CvlanAllocation(SQLModel, table=True):
    """A CVLAN taken from a pool. The unique (pool, cvlan) pair is what makes allocation safe
    under concurrency: two writers racing for the same number cannot both commit."""

    __tablename__ = "cvlan_allocation"
    __table_args__ = (UniqueConstraint("pool_id", "cvlan"), vlan_check("cvlan"))

    id: int | None = Field(default=None, primary_key=True)
    pool_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cvlan_pool.id", ondelete="CASCADE"), nullable=False)
    )
    cvlan: int
    status: CvlanStatus = enum_field(CvlanStatus, default=CvlanStatus.ALLOCATED)
    activation_id: int | None = Field(default=None, foreign_key="activation.id", index=True)
    allocated_at: datetime = utc_field()
