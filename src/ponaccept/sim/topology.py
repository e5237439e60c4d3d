"""The lab's static description: OLTs, PON ports and their optical distribution networks (ODN).

A topology file (``inventories/lab/topology.yaml``) is the simulator's "as built" world: it says which OLTs
exist, how they are reached, what fibre and splitters hang off each PON port and which customer ONUs are
already installed. :class:`ponaccept.sim.model.LabModel` turns it into mutable state; nothing here changes
at run time, so ``LabModel.reset()`` can always rebuild the initial state from it.

Port numbering
    Every PON port is ``frame/slot/port`` (:data:`PonKey`). Huawei prints it as ``F/S/P`` (``0/1/0``).
    ZTE C300/C320 names it ``gpon-olt_R/S/P``; we store the first number (rack/shelf, normally ``1``) in
    ``frame``, so ``gpon-olt_1/2/1`` is ``frame=1, slot=2, port=1``. A C300 is a single-shelf chassis: the
    ZTE ifIndex encoding uses rack=1 and shelf=``frame``.

ODN element references (used by faults, see :mod:`ponaccept.sim.physics`)
    ``"F/S/P"`` is the feeder fibre of that PON port; ``"<splitter>"`` is the fibre and connectors entering
    that splitter; ``"<splitter>:<n>"`` is the branch leaving output port ``n``. Splitter names are unique
    per OLT and may not contain ``/`` or ``:`` so the three forms never collide.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PonKey = tuple[int, int, int]
"""``(frame, slot, port)`` of a PON port."""

DialectName = Literal["huawei_ma5800", "zte_c300"]
OpticalClassName = Literal["gpon_b+", "gpon_c+", "xgspon_n1", "xgspon_n2", "xgspon_e1"]

SPLITTER_RATIOS = (2, 4, 8, 16, 32, 64)
_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,48}$")
_SN_RE = re.compile(r"^[0-9A-F]{16}$")


def fsp_str(key: PonKey) -> str:
    """``(0, 1, 0)`` → ``"0/1/0"`` (the canonical spelling used by model APIs and element references)."""
    return f"{key[0]}/{key[1]}/{key[2]}"


def parse_fsp(text: str) -> PonKey:
    """``"0/1/0"`` → ``(0, 1, 0)``; raises ``ValueError`` for anything else."""
    parts = text.strip().split("/")
    if len(parts) != 3 or not all(p.strip().isdigit() for p in parts):
        raise ValueError(f"not a frame/slot/port: {text!r}")
    return (int(parts[0]), int(parts[1]), int(parts[2]))


def normalize_sn(text: str) -> str:
    """Accept an ONU SN as 16 hex digits (``5A5445474300A1B2``) or vendor-id form (``ZTEG4300A1B2``,
    ``HWTC-655C13A0``) and return the canonical 16 upper-case hex digits; ``ValueError`` otherwise."""
    t = text.strip().replace("-", "")
    if _SN_RE.match(t.upper()):
        return t.upper()
    if len(t) == 12 and t[:4].isalnum() and re.fullmatch(r"[0-9A-Fa-f]{8}", t[4:]):
        return t[:4].encode("ascii").hex().upper() + t[4:].upper()
    raise ValueError(f"not an ONU serial number: {text!r}")


def sn_readable(sn: str) -> str:
    """``5A5445474300A1B2`` → ``ZTEG4300A1B2`` (vendor id as letters, as ZTE prints and Huawei shows in
    parentheses); falls back to the hex form if the vendor id is not printable."""
    try:
        vendor = bytes.fromhex(sn[:8]).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return sn
    return vendor + sn[8:] if vendor.isprintable() else sn


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServicePortSpec(_Strict):
    """A pre-existing service port of a customer ONU (Huawei ``service-port`` / ZTE ``service-port``)."""

    index: int = Field(ge=0)
    svlan: int = Field(ge=1, le=4094)
    gemport: int = Field(default=1, ge=0)
    user_vlan: int = Field(ge=1, le=4094)
    tag_transform: Literal["translate", "translate-and-add"] = "translate"
    inner_vlan: int | None = Field(default=None, ge=1, le=4094)
    vport: int | None = Field(default=None, ge=1)
    local_index: int | None = Field(default=None, ge=1)


class OnuSpec(_Strict):
    """An installed customer ONU and the OLT's ONT entry for it.

    ``auth`` says how the OLT recognises it: by ``sn`` (16 hex, vendor id + serial) or by ``password``.
    ``powered: false`` models a customer whose ONU is switched off (it shows offline, last down cause
    dying-gasp). ``equipment`` is the ONU model (Huawei equipment ID / ZTE ``onu type``).
    """

    sn: str  # 16 hex or vendor form (ZTEG4300A1B2); stored as 16 hex, see normalize_sn
    password: str | None = None
    auth: Literal["sn", "password"] = "sn"
    ont_id: int = Field(ge=0, le=255)
    desc: str = ""
    line_profile: int = 10
    srv_profile: int = 10
    splitter: str
    splitter_port: int = Field(ge=1)
    drop_km: float = Field(default=0.1, ge=0)
    connectors: int = Field(default=2, ge=0)
    splices: int = Field(default=1, ge=0)
    powered: bool = True
    equipment: str = "HG8546M"
    service_ports: list[ServicePortSpec] = Field(default_factory=list)

    @field_validator("sn")
    @classmethod
    def _sn_hex(cls, v: str) -> str:
        return normalize_sn(v)

    @model_validator(mode="after")
    def _password_when_password_auth(self) -> OnuSpec:
        if self.auth == "password" and not self.password:
            raise ValueError("password-auth ONU needs a password")
        return self


class SplitterSpec(_Strict):
    """A PLC splitter. ``parent`` is ``None`` for a first-stage splitter fed by the feeder fibre; otherwise it
    hangs off output ``parent_port`` of the named splitter through ``fibre_km`` of fibre."""

    name: str
    ratio: int
    stage: int = Field(default=1, ge=1, le=3)
    parent: str | None = None
    parent_port: int | None = Field(default=None, ge=1)
    fibre_km: float = Field(default=0.0, ge=0)
    connectors: int = Field(default=2, ge=0)
    splices: int = Field(default=0, ge=0)

    @field_validator("name")
    @classmethod
    def _name_ok(cls, v: str) -> str:
        if not _NAME_RE.match(v):
            raise ValueError("splitter names: letters, digits, _ . - (no / or :), at most 48 chars")
        return v

    @field_validator("ratio")
    @classmethod
    def _ratio_ok(cls, v: int) -> int:
        if v not in SPLITTER_RATIOS:
            raise ValueError(f"ratio must be one of {SPLITTER_RATIOS}")
        return v

    @model_validator(mode="after")
    def _parent_port_given(self) -> SplitterSpec:
        if (self.parent is None) != (self.parent_port is None):
            raise ValueError("parent and parent_port go together")
        return self


class OdnSpec(_Strict):
    """Everything passive behind one PON port: the feeder, the splitter tree and the customers on it."""

    feeder_km: float = Field(default=2.0, ge=0)
    connectors: int = Field(default=2, ge=0)
    splices: int = Field(default=2, ge=0)
    splitters: list[SplitterSpec] = Field(default_factory=list)
    onus: list[OnuSpec] = Field(default_factory=list)

    def splitter(self, name: str) -> SplitterSpec | None:
        """The splitter called ``name`` in this ODN, if any."""
        return next((s for s in self.splitters if s.name == name), None)

    @model_validator(mode="after")
    def _tree_consistent(self) -> OdnSpec:
        names = [s.name for s in self.splitters]
        if len(names) != len(set(names)):
            raise ValueError("duplicate splitter name in one ODN")
        by_name = {s.name: s for s in self.splitters}
        used: set[tuple[str, int]] = set()
        for s in self.splitters:
            if s.parent is not None:
                parent = by_name.get(s.parent)
                if parent is None:
                    raise ValueError(f"splitter {s.name}: unknown parent {s.parent}")
                assert s.parent_port is not None
                if s.parent_port > parent.ratio:
                    raise ValueError(f"splitter {s.name}: parent port {s.parent_port} > 1:{parent.ratio}")
                if parent.stage >= s.stage:
                    raise ValueError(f"splitter {s.name}: stage must exceed its parent's")
                if (s.parent, s.parent_port) in used:
                    raise ValueError(f"{s.parent}:{s.parent_port} used twice")
                used.add((s.parent, s.parent_port))
        ids: set[int] = set()
        for o in self.onus:
            sp = by_name.get(o.splitter)
            if sp is None:
                raise ValueError(f"ONU {o.sn}: unknown splitter {o.splitter}")
            if o.splitter_port > sp.ratio:
                raise ValueError(f"ONU {o.sn}: splitter port {o.splitter_port} > 1:{sp.ratio}")
            if (o.splitter, o.splitter_port) in used:
                raise ValueError(f"ONU {o.sn}: {o.splitter}:{o.splitter_port} used twice")
            used.add((o.splitter, o.splitter_port))
            if o.ont_id in ids:
                raise ValueError(f"ONT-ID {o.ont_id} used twice on one PON port")
            ids.add(o.ont_id)
        return self


class PonPortSpec(_Strict):
    """A GPON port: its position, optics (class, launch power) and the SVLAN test services use."""

    frame: int = Field(default=0, ge=0)
    slot: int = Field(ge=0)
    port: int = Field(ge=0)
    optical_class: OpticalClassName = "gpon_b+"
    tx_dbm: float = 3.5
    svlan: int = Field(default=100, ge=1, le=4094)
    odn: OdnSpec = Field(default_factory=OdnSpec)

    @property
    def key(self) -> PonKey:
        """``(frame, slot, port)``."""
        return (self.frame, self.slot, self.port)


class OltSpec(_Strict):
    """One simulated OLT: how it is reached (ports, lab-only credentials) and what it holds.

    ``ssh_port``/``snmp_port`` 0 means "pick a free port at start" (tests); fixed ports match the Nornir
    inventory. ``vlans`` are the VLANs created on the OLT: a service port on any other VLAN fails.
    ``line_profiles``/``srv_profiles`` are the ONT profile ids that exist.
    """

    name: str
    dialect: DialectName
    hostname: str
    model_name: str = ""
    ssh_port: int = Field(default=0, ge=0, le=65535)
    snmp_port: int = Field(default=0, ge=0, le=65535)
    username: str
    password: str
    enable_password: str = ""
    community: str = "public"
    vlans: list[int] = Field(default_factory=list)
    line_profiles: list[int] = Field(default_factory=lambda: [10])
    srv_profiles: list[int] = Field(default_factory=lambda: [10])
    pon_ports: list[PonPortSpec] = Field(default_factory=list)

    @property
    def vendor(self) -> str:
        """``"huawei"`` or ``"zte"`` (the prefix of the dialect name)."""
        return self.dialect.split("_", 1)[0]

    @model_validator(mode="after")
    def _unique_inside(self) -> OltSpec:
        keys = [p.key for p in self.pon_ports]
        if len(keys) != len(set(keys)):
            raise ValueError(f"OLT {self.name}: duplicate PON port")
        names = [s.name for p in self.pon_ports for s in p.odn.splitters]
        if len(names) != len(set(names)):
            raise ValueError(f"OLT {self.name}: splitter names must be unique per OLT")
        sns = [o.sn for p in self.pon_ports for o in p.odn.onus]
        if len(sns) != len(set(sns)):
            raise ValueError(f"OLT {self.name}: duplicate ONU SN")
        indexes = [sp.index for p in self.pon_ports for o in p.odn.onus for sp in o.service_ports]
        if len(indexes) != len(set(indexes)):
            raise ValueError(f"OLT {self.name}: duplicate service-port index")
        return self


class Topology(_Strict):
    """The whole lab. ``seed`` makes the per-ONU noise reproducible across runs and processes."""

    seed: int = 1
    olts: list[OltSpec]

    @model_validator(mode="after")
    def _unique_olts(self) -> Topology:
        names = [o.name for o in self.olts]
        if len(names) != len(set(names)):
            raise ValueError("duplicate OLT name")
        return self

    def olt(self, name: str) -> OltSpec:
        """The OLT called ``name``; ``KeyError`` if absent."""
        for o in self.olts:
            if o.name == name:
                return o
        raise KeyError(name)

    @classmethod
    def load(cls, path: str | Path) -> Topology:
        """Read and validate a topology YAML file."""
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return cls.model_validate(data)

    def with_free_ports(self) -> Topology:
        """A copy with every SSH/SNMP port set to 0, so a test lab never clashes with a running one."""
        olts = [o.model_copy(update={"ssh_port": 0, "snmp_port": 0}) for o in self.olts]
        return self.model_copy(update={"olts": olts})
