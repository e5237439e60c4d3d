"""What the SNMP agent needs to know about one simulated OLT, as plain immutable values.

The encoders (``mib_huawei``, ``mib_zte``) turn these into OID tables, and ``adapter`` builds them from the
lab model. Keeping this boundary to frozen dataclasses means the encoders are testable without a model or an
agent, and the agent never reaches into the model's mutable state while it answers a request.

Conventions: powers in dBm, temperature in °C, voltage in V, bias in mA, distance in metres. ``None`` means
"no reading" (offline ONU, no light, no module); each encoder maps it to its vendor's N/A value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Vendor = Literal["huawei", "zte"]


@dataclass(frozen=True, slots=True)
class OnuSnmpView:
    """One registered ONU/ONT as the OLT reports it over SNMP.

    ``frame/slot/port`` name its PON port in the vendor's own numbering (Huawei ``0/1/0``; ZTE
    ``1/2/1`` = shelf/slot/port, all 1-based). ``ont_id`` is the ONT-ID (Huawei) or ONU index (ZTE).
    """

    frame: int
    slot: int
    port: int
    ont_id: int
    online: bool
    sn: bytes = b"\x00" * 8
    description: str = ""
    rx_dbm: float | None = None
    tx_dbm: float | None = None
    olt_rx_dbm: float | None = None
    temperature_c: float | None = None
    voltage_v: float | None = None
    bias_ma: float | None = None
    distance_m: int | None = None

    def __post_init__(self) -> None:
        if len(self.sn) != 8:
            raise ValueError(f"GPON serial number must be 8 bytes (4 vendor + 4 serial), got {self.sn!r}")


@dataclass(frozen=True, slots=True)
class PonSnmpView:
    """One PON port's OLT-side optical module (SFP DDM)."""

    frame: int
    slot: int
    port: int
    tx_dbm: float | None = None
    rx_dbm: float | None = None
    temperature_c: float | None = None
    voltage_v: float | None = None
    bias_ma: float | None = None


@dataclass(frozen=True, slots=True)
class OltSnmpView:
    """Everything one OLT's SNMP agent serves, at one model version."""

    name: str
    vendor: Vendor
    sys_descr: str
    sys_name: str
    pons: tuple[PonSnmpView, ...] = ()
    onus: tuple[OnuSnmpView, ...] = ()
    sys_object_id: tuple[int, ...] | None = None
    """``None`` = the vendor default chosen by the encoder."""


def sn_from_text(text: str) -> bytes:
    """Turn ``HWTC1A2B3C4D`` (4 letters + 8 hex) or ``485754431A2B3C4D`` (16 hex) into the 8 SN bytes.

    Both spellings occur in CLI outputs and work orders; SNMP always carries the 8 raw bytes.
    """
    cleaned = text.strip().replace("-", "")
    if len(cleaned) == 16:
        return bytes.fromhex(cleaned)
    if len(cleaned) == 12:
        return cleaned[:4].encode("ascii") + bytes.fromhex(cleaned[4:])
    raise ValueError(f"not a GPON serial number: {text!r}")
