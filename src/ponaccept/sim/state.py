"""Mutable per-OLT state held by :class:`ponaccept.sim.model.LabModel`.

These are plain dataclasses. Read them under ``model.lock`` (or use the model's snapshot methods, which
return copies); change them only through ``LabModel`` methods, which keep the derived run state and the
per-OLT ``version`` right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ponaccept.sim.physics import OnuOptics
from ponaccept.sim.topology import OltSpec, PonKey, PonPortSpec

AuthKind = Literal["sn", "password"]


@dataclass(frozen=True)
class OntStatus:
    """Derived run state of an ONT entry, recomputed by the model whenever anything on its PON port changes.

    ``down_cause`` is ``None`` while online, ``"-"`` if it never came up, else ``"LOS"`` (no light: unplugged,
    cut, too weak) or ``"dying-gasp"`` (the ONU lost power). ``optics`` is set only while online.
    """

    online: bool = False
    onu_sn: str | None = None
    optics: OnuOptics | None = None
    down_cause: str | None = "-"
    last_up: datetime | None = None
    last_down: datetime | None = None


@dataclass
class OntEntry:
    """An ONT configured on a PON port (``ont add`` / ``onu N type … pw …`` or from the topology).

    ``sn`` is the configured SN for sn-auth; for password-auth it is ``None`` until a matching ONU
    registers, then the ONU's SN is shown (``status.onu_sn``). ``tconts`` (id → profile name) and
    ``gemports`` (id → tcont id) hold ZTE per-ONU configuration; Huawei does not use them.
    """

    ont_id: int
    auth: AuthKind
    sn: str | None
    password: str | None
    desc: str
    line_profile: int
    srv_profile: int
    ont_type: str
    origin: Literal["topology", "cli"]
    created_at: datetime
    tconts: dict[int, str] = field(default_factory=dict)
    gemports: dict[int, int] = field(default_factory=dict)
    status: OntStatus = field(default_factory=OntStatus)


@dataclass
class PhysicalOnu:
    """A real box on a splitter port: a customer's ONU from the topology or a field-plugged test ONU."""

    sn: str
    password: str | None
    splitter: str
    splitter_port: int
    drop_km: float = 0.05
    drop_connectors: int = 2
    drop_splices: int = 0
    powered: bool = True
    equipment: str = "HG8546M"
    test: bool = False

    @property
    def vendor_id(self) -> str:
        """The 4-letter vendor id encoded in the first 8 hex digits of the SN (``48575443`` → ``HWTC``)."""
        try:
            return bytes.fromhex(self.sn[:8]).decode("ascii")
        except (ValueError, UnicodeDecodeError):
            return "----"


@dataclass
class ServicePort:
    """A service port (Huawei global index; ZTE keeps its per-ONU number in ``vport``/``local_index``)."""

    index: int
    svlan: int
    pon: PonKey
    ont_id: int
    gemport: int
    user_vlan: int
    tag_transform: str = "translate"
    inner_vlan: int | None = None
    vport: int | None = None
    local_index: int | None = None


@dataclass
class PonPortState:
    """One PON port: its spec, configured ONT entries, and the ONUs physically behind it."""

    spec: PonPortSpec
    onts: dict[int, OntEntry] = field(default_factory=dict)
    plugged: dict[tuple[str, int], PhysicalOnu] = field(default_factory=dict)
    autofind: dict[str, datetime] = field(default_factory=dict)

    @property
    def key(self) -> PonKey:
        """``(frame, slot, port)``."""
        return self.spec.key


@dataclass
class OltFaults:
    """Session-level faults of one OLT (read by the SSH server and SNMP agent, set via the control surface).

    ``latency_s``: delay before each input line is processed. ``refuse_logins``: new SSH logins are
    refused ("user busy"). ``drop_after_commands`` = N: a session answers N non-empty command lines, then
    the connection is aborted when the next one arrives (without answering it). ``busy_remaining``: the
    next K configuration operations fail with "system is busy". ``snmp_silent``: the SNMP agent drops every
    request of this OLT.
    """

    latency_s: float = 0.0
    refuse_logins: bool = False
    drop_after_commands: int | None = None
    busy_remaining: int = 0
    snmp_silent: bool = False


@dataclass
class OltState:
    """Everything mutable about one OLT. ``version`` increases on every change (SNMP caches per version)."""

    spec: OltSpec
    pon_ports: dict[PonKey, PonPortState]
    service_ports: dict[int, ServicePort]
    vlans: set[int]
    line_profiles: set[int]
    srv_profiles: set[int]
    faults: OltFaults = field(default_factory=OltFaults)
    dirty: dict[str, float] = field(default_factory=dict)
    cuts: set[str] = field(default_factory=set)
    version: int = 0
    splitter_pon: dict[str, PonKey] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The OLT's name (topology key, used in every model call)."""
        return self.spec.name

    @property
    def hostname(self) -> str:
        """The CLI prompt's host part / sysName."""
        return self.spec.hostname

    @property
    def dialect(self) -> str:
        """The registered dialect name (``huawei_ma5800`` | ``zte_c300``)."""
        return self.spec.dialect
