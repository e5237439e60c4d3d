"""OLTs, PON ports, splitters and splitter ports (≈ TMF639 resources)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, IPvAnyAddress, model_validator

from ponaccept.api.schemas.common import (
    CliToken,
    Created,
    Id,
    InputModel,
    ReadModel,
    Text200,
    enum_doc,
)
from ponaccept.db.models import OpticsMethod, SplitterPortStatus
from ponaccept.domain.choices import OpticalClass, Vendor

Port = Annotated[int, Field(ge=1, le=65535)]
Position = Annotated[int, Field(ge=0, le=255)]
Vlan = Annotated[int, Field(ge=1, le=4094, examples=[100])]
Ratio = Literal[2, 4, 8, 16, 32, 64]
FibreKm = Annotated[float, Field(ge=0, le=60, examples=[3.2], description="Fibre length of the segment, km")]
Connectors = Annotated[int, Field(ge=0, le=100, examples=[4])]
Splices = Annotated[int, Field(ge=0, le=1000, examples=[6])]
TxPower = Annotated[float, Field(ge=-10, le=15, examples=[3.5], description="OLT port Tx power, dBm")]
DropKm = Annotated[float, Field(ge=0, le=20, examples=[0.15])]


# --- OLT -----------------------------------------------------------------------------------------


class OltBase(InputModel):
    name: CliToken = Field(examples=["OLT-HZ-01"], description="Unique; CLI-safe [A-Za-z0-9_.-]")
    vendor: Vendor = Field(description=enum_doc(Vendor))
    platform: CliToken = Field(max_length=32, examples=["huawei_smartax"], description="Nornir platform")
    management_ip: IPvAnyAddress = Field(examples=["192.0.2.10"])
    ssh_port: Port = 22
    snmp_port: Port = 161
    snmp_community_ref: CliToken | None = Field(
        default=None, examples=["snmp-ro"], description="Name of the SNMP community in the secrets file"
    )
    optics_method: OpticsMethod = Field(default=OpticsMethod.SNMP, description=enum_doc(OpticsMethod))


class OltCreate(OltBase):
    pass


class OltUpdate(InputModel):
    name: CliToken | None = None
    platform: CliToken | None = Field(default=None, max_length=32)
    management_ip: IPvAnyAddress | None = None
    ssh_port: Port | None = None
    snmp_port: Port | None = None
    snmp_community_ref: CliToken | None = None
    optics_method: OpticsMethod | None = None


class OltRead(Created):
    id: int
    name: str
    vendor: Vendor
    platform: str
    management_ip: str
    ssh_port: int
    snmp_port: int
    snmp_community_ref: str | None
    optics_method: OpticsMethod


# --- PON port ------------------------------------------------------------------------------------


class PonPortCreate(InputModel):
    olt_id: Id
    frame: Position = 0
    slot: Position = Field(examples=[1])
    port: Position = Field(examples=[0])
    svlan: Vlan
    optical_class: OpticalClass = Field(default=OpticalClass.GPON_B_PLUS, description=enum_doc(OpticalClass))
    tx_power_dbm: TxPower | None = None


class PonPortUpdate(InputModel):
    svlan: Vlan | None = None
    optical_class: OpticalClass | None = None
    tx_power_dbm: TxPower | None = None


class PonPortRead(ReadModel):
    id: int
    olt_id: int
    frame: int
    slot: int
    port: int
    svlan: int
    optical_class: OpticalClass
    tx_power_dbm: float | None


# --- Splitter ------------------------------------------------------------------------------------


class SplitterFields(InputModel):
    name: CliToken = Field(examples=["SPL-A01"], description="Unique per PON port; CLI-safe [A-Za-z0-9_.-]")
    ratio: Ratio = Field(examples=[8], description="Split ratio 1:N")
    stage: int = Field(
        default=1, ge=1, le=4, description="1 = fed by the PON port; 2 = fed by a stage-1 splitter"
    )
    fibre_length_km: FibreKm = 0.0
    connectors: Connectors = 0
    splices: Splices = 0
    port_count: int | None = Field(
        default=None, ge=1, le=64, description="Output ports to create (default: the ratio)"
    )
    address: Text200 | None = Field(default=None, examples=["西湖区文三路 88 号 3 幢"])
    community: Text200 | None = Field(default=None, examples=["文三新村"])

    @model_validator(mode="after")
    def _ports_within_ratio(self) -> SplitterFields:
        if self.port_count is not None and self.port_count > self.ratio:
            raise ValueError(f"port_count {self.port_count} exceeds the ratio 1:{self.ratio}")
        return self


class SplitterCreate(SplitterFields):
    pon_port_id: Id | None = Field(default=None, description="Required unless parent_splitter_id is given")
    parent_splitter_id: Id | None = Field(default=None, description="The feeding splitter (stage > 1)")
    project_id: Id | None = None


class SplitterUpdate(InputModel):
    name: CliToken | None = None
    fibre_length_km: FibreKm | None = None
    connectors: Connectors | None = None
    splices: Splices | None = None
    project_id: Id | None = None
    address: Text200 | None = None
    community: Text200 | None = None


class SplitterRead(ReadModel):
    id: int
    name: str
    ratio: int
    stage: int
    parent_splitter_id: int | None
    pon_port_id: int
    fibre_length_km: float
    connectors: int
    splices: int
    port_count: int
    project_id: int | None
    address: str | None
    community: str | None


class SplitterPortRead(ReadModel):
    id: int
    splitter_id: int
    number: int
    status: SplitterPortStatus = Field(description=enum_doc(SplitterPortStatus))
    drop_length_km: float | None


class SplitterPortUpdate(InputModel):
    status: SplitterPortStatus | None = Field(default=None, description=enum_doc(SplitterPortStatus))
    drop_length_km: DropKm | None = None


# --- Bulk import ---------------------------------------------------------------------------------


class SplitterImportItem(SplitterFields):
    """One splitter of a bulk import. The PON port is given by id or by OLT name + frame/slot/port;
    the parent by name (it may be another row of the same import, listed earlier or later)."""

    pon_port_id: Id | None = None
    olt: CliToken | None = Field(default=None, examples=["OLT-HZ-01"], description="OLT name")
    frame: Position | None = None
    slot: Position | None = None
    port: Position | None = None
    parent: CliToken | None = Field(default=None, description="Name of the feeding splitter (same PON port)")

    @model_validator(mode="after")
    def _pon_port_given(self) -> SplitterImportItem:
        if self.pon_port_id is None and (self.olt is None or self.slot is None or self.port is None):
            raise ValueError("give pon_port_id, or olt with slot and port (frame defaults to 0)")
        return self


class SplitterImport(InputModel):
    splitters: list[SplitterImportItem] = Field(min_length=1, max_length=5000)


class SplitterImportResult(ReadModel):
    created: int = Field(examples=[12])
    splitters: list[SplitterRead]


CSV_COLUMNS = (
    "name",
    "ratio",
    "stage",
    "parent",
    "pon_port_id",
    "olt",
    "frame",
    "slot",
    "port",
    "fibre_length_km",
    "connectors",
    "splices",
    "port_count",
    "address",
    "community",
)
"""Columns a CSV import may have (header row required; empty cells mean "not given")."""
