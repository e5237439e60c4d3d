"""Physical network resources (≈ TMF639): OLT → PON port → splitter (tree) → splitter port."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from ponaccept.db.models.base import CreatedAt, enum_field, vlan_check
from ponaccept.domain.choices import OpticalClass, Vendor

SPLITTER_RATIOS = (2, 4, 8, 16, 32, 64)


class OpticsMethod(StrEnum):
    """How optical powers are read from an OLT: SNMP tables, or CLI when SNMP is not available."""

    SNMP = "snmp"
    CLI = "cli"


class SplitterPortStatus(StrEnum):
    """Whether a splitter port can take a subscriber (≈ TMF639 resourceStatus)."""

    UNTESTED = "untested"
    AVAILABLE = "available"
    IN_USE = "in_use"
    FAULTY = "faulty"


class Olt(CreatedAt, table=True):
    """An OLT the product drives over SSH (CLI) and SNMP.

    ``snmp_community_ref`` names a secret in the secrets file; the community string itself never
    enters the database.
    """

    __tablename__ = "olt"
    __table_args__ = (
        CheckConstraint("ssh_port BETWEEN 1 AND 65535", name="ssh_port_range"),
        CheckConstraint("snmp_port BETWEEN 1 AND 65535", name="snmp_port_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    vendor: Vendor = enum_field(Vendor)
    platform: str = Field(max_length=32, description="Nornir/netmiko platform, e.g. huawei_smartax")
    management_ip: str = Field(max_length=45)
    ssh_port: int = 22
    snmp_port: int = 161
    snmp_community_ref: str | None = Field(default=None, max_length=64)
    optics_method: OpticsMethod = enum_field(OpticsMethod, default=OpticsMethod.SNMP)


class PonPort(SQLModel, table=True):
    """A GPON/XGS-PON port of an OLT. The CVLAN pool serving it is linked from ``CvlanPool``."""

    __tablename__ = "pon_port"
    __table_args__ = (
        UniqueConstraint("olt_id", "frame", "slot", "port"),
        CheckConstraint("frame >= 0 AND slot >= 0 AND port >= 0", name="position_non_negative"),
        vlan_check("svlan"),
    )

    id: int | None = Field(default=None, primary_key=True)
    olt_id: int = Field(foreign_key="olt.id", index=True)
    frame: int = 0
    slot: int
    port: int
    svlan: int
    optical_class: OpticalClass = enum_field(OpticalClass, default=OpticalClass.GPON_B_PLUS)
    tx_power_dbm: float | None = None


class Splitter(SQLModel, table=True):
    """A passive optical splitter; stage 1 hangs off the PON port, deeper stages off a parent.

    ``fibre_length_km``, ``connectors`` and ``splices`` describe the segment towards the parent (or
    the OLT for stage 1); they feed the link-budget prediction.
    """

    __tablename__ = "splitter"
    __table_args__ = (
        UniqueConstraint("pon_port_id", "name"),
        CheckConstraint(f"ratio IN {SPLITTER_RATIOS}", name="ratio_allowed"),
        CheckConstraint("stage >= 1", name="stage_positive"),
        CheckConstraint("port_count >= 1", name="port_count_positive"),
        CheckConstraint("fibre_length_km >= 0", name="fibre_length_non_negative"),
        CheckConstraint("connectors >= 0 AND splices >= 0", name="counts_non_negative"),
        CheckConstraint(
            "(stage = 1 AND parent_splitter_id IS NULL) OR (stage > 1 AND parent_splitter_id IS NOT NULL)",
            name="stage_matches_parent",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    ratio: int
    stage: int = 1
    parent_splitter_id: int | None = Field(default=None, foreign_key="splitter.id", index=True)
    pon_port_id: int = Field(foreign_key="pon_port.id", index=True)
    fibre_length_km: float = 0.0
    connectors: int = 0
    splices: int = 0
    port_count: int
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    address: str | None = Field(default=None, max_length=200)
    community: str | None = Field(default=None, max_length=200)


class SplitterPort(SQLModel, table=True):
    """One output of a splitter: the unit that is tested and later sold to a subscriber."""

    __tablename__ = "splitter_port"
    __table_args__ = (
        UniqueConstraint("splitter_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("drop_length_km IS NULL OR drop_length_km >= 0", name="drop_length_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    splitter_id: int = Field(
        sa_column=Column(Integer, ForeignKey("splitter.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    number: int
    status: SplitterPortStatus = enum_field(SplitterPortStatus, default=SplitterPortStatus.UNTESTED)
    drop_length_km: float | None = None
