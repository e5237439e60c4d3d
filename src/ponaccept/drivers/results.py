"""Parsed device readings, vendor-neutral.

Plain frozen dataclasses; ``ponaccept.netops`` turns them into domain readings. A value the device did
not report (``-``, ``N/A``, an offline ONU) is ``None`` — never ``0``, which is a real optical power and a
real temperature.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RunState(StrEnum):
    """ONU operational state, normalised across vendors (raw text is kept next to it)."""

    ONLINE = "online"
    OFFLINE = "offline"
    LOS = "los"
    DYING_GASP = "dying_gasp"
    OTHER = "other"


@dataclass(frozen=True)
class OnuOptics:
    """One ONU's optical readings; OLT Tx is only known per ONU where the device prints it (ZTE)."""

    ont_id: int
    onu_rx_dbm: float | None
    onu_tx_dbm: float | None
    olt_rx_dbm: float | None
    temperature_c: float | None = None
    voltage_v: float | None = None
    bias_ma: float | None = None
    distance_m: int | None = None
    olt_tx_dbm: float | None = None


@dataclass(frozen=True)
class PonTx:
    """The PON port's transmit power (the OLT side of the downstream budget)."""

    tx_dbm: float | None
    laser_state: str | None = None


@dataclass(frozen=True)
class OnuState:
    """Run/config/match state of one ONU.

    Huawei fills ``config_state``/``match_state`` from ``display ont info``; ZTE maps its admin state to
    ``config_state`` and its OMCC state to ``match_state``. ``auth`` is the authentication mode as the
    device names it (``SN-auth``, ``password-auth``, ``pw``…) or None when not shown.
    """

    ont_id: int
    run_state: RunState
    run_state_raw: str
    config_state: str | None = None
    match_state: str | None = None
    description: str | None = None
    auth: str | None = None
    serial: str | None = None


@dataclass(frozen=True)
class ConfiguredOnu:
    """An ONU configured on a PON port, as listed for reconciliation.

    ``description`` is None when the listing does not carry names (ZTE running-config); then the driver's
    ``read_onu_detail`` gives it. Passwords are never kept: only the auth mode and, for SN-auth, the SN.
    """

    ont_id: int
    description: str | None
    auth: str | None = None
    serial: str | None = None
    onu_type: str | None = None
    run_state: str | None = None


@dataclass(frozen=True)
class ServicePort:
    """A Huawei service virtual port (VPI column = ONT-ID, VCI column = GEM index)."""

    index: int
    svlan: int
    fsp: str
    ont_id: int
    gemport: int
    user_vlan: int | None
    state: str | None = None


@dataclass(frozen=True)
class OntAddResult:
    """Huawei ``ont add`` reply: ``Number of ONTs that can be added: N, success: M`` + ``PortID/ONTID``."""

    addable: int
    success: int
    port_id: int | None
    ont_id: int | None
