"""Vendor OID maps, scalings, "no reading" sentinels, PON ifIndex encodings (reference/vendor-cli-snmp.md §7).

Everything here is pure: numbers in, numbers out. ``decode`` turns the raw integers into
:class:`~ponaccept.domain.optics.OpticalReadings`; ``client`` and ``poller`` do the I/O.

Huawei SmartAX (HUAWEI-XPON-MIB, authoritative over the many mislabelled third-party snippets):

- ``hwGponDeviceOntOpticalDdmInfoTable`` ``…2.51.1.<col>.<ponIfIndex>.<ontId>``: .1 temperature °C,
  .2 bias mA, .3 ONT Tx 0.01 dBm, .4 ONT Rx 0.01 dBm, .5 voltage mV, .6 OLT Rx = (raw − 10000)/100 dBm.
  Offline ONTs answer 2147483647.
- ``hwGponOltOpticsDdmInfoTable`` ``…2.23.1.4.<ponIfIndex>``: PON port Tx, 0.01 dBm.
- ``hwGponDeviceOntControlRunStatus`` ``…2.46.1.15`` (up 1, down 2, invalid −1) and ``…Ranging``
  ``…2.46.1.20`` (metres, −1 = not ranged).
- PON ifIndex ``4194304000 + slot*8192 + port*256`` (frame 0 only: the frame bits are unverified).

ZTE C300/C320 — the reference lists two MIB generations; the lab agent (``ponaccept.sim.snmp.mib_zte``)
serves both and so do real C320s, and no single generation has all four powers, so we read:

- OLT Rx per ONU: ``zxAnPonRxOpticalPower`` ``.3902.1082.500.1.2.4.2.1.2.<ifIndex>.<onu>``, 0.001 dBm;
  65535000 = ONU not in service, −80000 = no signal. The MIB text says "received on OLT side from ONU",
  so it is the OLT Rx even though LibreNMS labels it "ONU Rx".
- ONU Rx / ONU Tx: legacy ``.3902.1012.3.50.12.1.1.10`` / ``.14`` ``.<legacyIfIndex>.<onu>.1``,
  dBm = raw × 0.002 − 30; 65535 = N/A. The trailing ``.1`` is the ONU's ANI port (one per GPON ONU).
- OLT Tx: ``zxAnOpticalIfTxPwrCurrValue`` ``.3902.1082.30.40.2.4.1.3.<ifIndex>``, 0.001 dBm; 2147483647 = N/A.
- ifIndex: ZXAN ``type(4b)=1 | rack(4b)=1 | shelf(8b) | slot(8b) | port(8b)``; legacy
  ``0x10000000 | slot<<16 | port<<8`` (shelf not encoded, so shelf 1 only).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from ponaccept.domain.choices import Vendor
from ponaccept.drivers.base import PonPort

Oid = tuple[int, ...]


class OnuField(StrEnum):
    """What one ONU-indexed column holds, vendor-neutral (``decode`` knows each vendor's scaling)."""

    ONU_RX = "onu_rx"
    ONU_TX = "onu_tx"
    OLT_RX = "olt_rx"
    TEMPERATURE = "temperature"
    BIAS = "bias"
    VOLTAGE = "voltage"
    RUN_STATUS = "run_status"
    DISTANCE = "distance"


DIAGNOSTIC_FIELDS = frozenset({OnuField.TEMPERATURE, OnuField.BIAS, OnuField.VOLTAGE, OnuField.DISTANCE})
"""Transceiver diagnostics: optional for a power poll (``diagnostics=False`` skips their columns)."""

# --- Huawei ------------------------------------------------------------------------------------------------

HUAWEI_XPON: Oid = (1, 3, 6, 1, 4, 1, 2011, 6, 128, 1, 1, 2)
HUAWEI_ONT_DDM: Oid = (*HUAWEI_XPON, 51, 1)
HUAWEI_OLT_DDM: Oid = (*HUAWEI_XPON, 23, 1)
HUAWEI_ONT_CONTROL: Oid = (*HUAWEI_XPON, 46, 1)

HUAWEI_INVALID = 2147483647
"""SmartAX's answer for any optical value it does not have (offline ONT, no module)."""
HUAWEI_RUN_UP = 1
HUAWEI_RUN_DOWN = 2
HUAWEI_RUN_INVALID = -1
HUAWEI_NOT_RANGED = -1
HUAWEI_OLT_RX_OFFSET = 10000
"""``hwGponOntOpticalDdmOltRxOntPower`` is sent as ``dBm*100 + 10000`` (7650 → −23.50 dBm)."""

_HUAWEI_IFINDEX_BASE = 4194304000  # 0xFA000000: the GPON port type bits
_HUAWEI_SLOT_STEP = 8192
_HUAWEI_PORT_STEP = 256
_HUAWEI_MAX_SLOT = 32
_HUAWEI_MAX_PORT = 32


def huawei_pon_ifindex(pon: PonPort) -> int:
    """SmartAX GPON port ifIndex: ``4194304000 + slot*8192 + port*256`` (0/1/0 → 4194312192)."""
    if pon.frame != 0:
        raise ValueError(f"Huawei PON ifIndex is only known for frame 0, not {pon.fsp}")
    if not (0 <= pon.slot < _HUAWEI_MAX_SLOT and 0 <= pon.port < _HUAWEI_MAX_PORT):
        raise ValueError(f"Huawei slot/port out of range: {pon.fsp}")
    return _HUAWEI_IFINDEX_BASE + pon.slot * _HUAWEI_SLOT_STEP + pon.port * _HUAWEI_PORT_STEP


def huawei_pon_from_ifindex(if_index: int) -> PonPort:
    """Inverse of :func:`huawei_pon_ifindex`; ``ValueError`` for anything that is not a frame-0 GPON port."""
    offset = if_index - _HUAWEI_IFINDEX_BASE
    slot, rest = divmod(offset, _HUAWEI_SLOT_STEP)
    port, low = divmod(rest, _HUAWEI_PORT_STEP)
    if offset < 0 or low or not (slot < _HUAWEI_MAX_SLOT and port < _HUAWEI_MAX_PORT):
        raise ValueError(f"not a Huawei GPON port ifIndex: {if_index}")
    return PonPort(0, slot, port)


def huawei_power_dbm(raw: int) -> float:
    """ONT Tx/Rx and PON Tx: 0.01 dBm units (−2050 → −20.50)."""
    return round(raw / 100, 2)


def huawei_olt_rx_dbm(raw: int) -> float:
    """OLT Rx from an ONT: ``(raw − 10000) / 100`` (7650 → −23.50)."""
    return round((raw - HUAWEI_OLT_RX_OFFSET) / 100, 2)


def huawei_voltage_v(raw: int) -> float:
    """ONT supply voltage is sent in mV."""
    return raw / 1000


# --- ZTE ---------------------------------------------------------------------------------------------------

ZTE: Oid = (1, 3, 6, 1, 4, 1, 3902)
ZTE_PON_RX_POWER: Oid = (*ZTE, 1082, 500, 1, 2, 4, 2, 1, 2)
ZTE_OPTICAL_MODULE: Oid = (*ZTE, 1082, 30, 40, 2, 4, 1)
ZTE_MODULE_TX_COLUMN = 3
ZTE_LEGACY_ONU_OPTICS: Oid = (*ZTE, 1012, 3, 50, 12, 1, 1)
ZTE_LEGACY_RX_COLUMN = 10
ZTE_LEGACY_TX_COLUMN = 14
ZTE_ANI_PORT = 1

ZTE_PON_RX_NOT_IN_SERVICE = 65535000
ZTE_PON_RX_NO_SIGNAL = -80000
ZTE_MODULE_NA = 2147483647
ZTE_LEGACY_NA = 65535

_ZTE_ZXAN_TYPE_RACK = 0x11  # type nibble 1, rack nibble 1 (the only rack a C300/C320 has)
_ZTE_LEGACY_TYPE = 0x10


def _zte_check(pon: PonPort) -> None:
    if pon.frame != 1:
        raise ValueError(f"ZTE C300/C320 PON ports live on shelf 1, not gpon-olt_{pon.fsp}")
    if not (1 <= pon.slot < 256 and 1 <= pon.port < 256):
        raise ValueError(f"ZTE slot/port out of range: gpon-olt_{pon.fsp}")


def zte_pon_ifindex(pon: PonPort) -> int:
    """ZXAN (1082-tree) ifIndex of ``gpon-olt_<shelf>/<slot>/<port>`` (1/2/1 → 285278721)."""
    _zte_check(pon)
    return _ZTE_ZXAN_TYPE_RACK << 24 | pon.frame << 16 | pon.slot << 8 | pon.port


def zte_pon_from_ifindex(if_index: int) -> PonPort:
    """Inverse of :func:`zte_pon_ifindex`."""
    if if_index >> 24 != _ZTE_ZXAN_TYPE_RACK:
        raise ValueError(f"not a ZTE ZXAN GPON port ifIndex: {if_index}")
    pon = PonPort((if_index >> 16) & 0xFF, (if_index >> 8) & 0xFF, if_index & 0xFF)
    _zte_check(pon)
    return pon


def zte_legacy_pon_ifindex(pon: PonPort) -> int:
    """Legacy C300 (1012-tree) ifIndex, ``0x10000000 | slot<<16 | port<<8`` (1/2/1 → 268566784)."""
    _zte_check(pon)
    return _ZTE_LEGACY_TYPE << 24 | pon.slot << 16 | pon.port << 8


def zte_legacy_pon_from_ifindex(if_index: int) -> PonPort:
    """Inverse of :func:`zte_legacy_pon_ifindex` (shelf is not encoded: always 1)."""
    if if_index >> 24 != _ZTE_LEGACY_TYPE or if_index & 0xFF:
        raise ValueError(f"not a ZTE legacy GPON port ifIndex: {if_index}")
    pon = PonPort(1, (if_index >> 16) & 0xFF, (if_index >> 8) & 0xFF)
    _zte_check(pon)
    return pon


def zte_milli_dbm(raw: int) -> float:
    """ZXAN powers: 0.001 dBm units (−25250 → −25.25)."""
    return round(raw / 1000, 3)


def zte_legacy_dbm(raw: int) -> float:
    """Legacy ONU Rx/Tx: ``raw × 0.002 − 30`` (the OMCI ANI-G scale; 4765 → −20.47)."""
    return round(raw * 0.002 - 30, 3)


# --- the maps the client walks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PortIndex:
    """How one table encodes a PON port in its instance OIDs, plus any fixed trailing arcs."""

    encode: Callable[[PonPort], int]
    decode: Callable[[int], PonPort]
    trailer: Oid = ()

    def onu_suffix(self, pon: PonPort, ont_id: int) -> Oid:
        return (self.encode(pon), ont_id, *self.trailer)

    def parse_onu(self, suffix: Oid) -> tuple[PonPort, int] | None:
        """``(pon, ont_id)`` of an instance suffix, or ``None`` if this table's layout does not fit it."""
        if len(suffix) != 2 + len(self.trailer) or suffix[2:] != self.trailer:
            return None
        try:
            return self.decode(suffix[0]), suffix[1]
        except ValueError:
            return None

    def parse_port(self, suffix: Oid) -> PonPort | None:
        if len(suffix) != 1:
            return None
        try:
            return self.decode(suffix[0])
        except ValueError:
            return None


@dataclass(frozen=True)
class OnuColumn:
    base: Oid
    index: PortIndex


@dataclass(frozen=True)
class PonColumn:
    base: Oid
    index: PortIndex


@dataclass(frozen=True)
class VendorMib:
    """The columns polled for one vendor: ONU-indexed ones (by field) and the PON port Tx."""

    vendor: Vendor
    onu_columns: Mapping[OnuField, OnuColumn]
    pon_tx: PonColumn


_HUAWEI_INDEX = PortIndex(huawei_pon_ifindex, huawei_pon_from_ifindex)
_ZTE_INDEX = PortIndex(zte_pon_ifindex, zte_pon_from_ifindex)
_ZTE_LEGACY_INDEX = PortIndex(zte_legacy_pon_ifindex, zte_legacy_pon_from_ifindex, (ZTE_ANI_PORT,))

HUAWEI_MIB = VendorMib(
    vendor=Vendor.HUAWEI,
    onu_columns=MappingProxyType(
        {
            OnuField.TEMPERATURE: OnuColumn((*HUAWEI_ONT_DDM, 1), _HUAWEI_INDEX),
            OnuField.BIAS: OnuColumn((*HUAWEI_ONT_DDM, 2), _HUAWEI_INDEX),
            OnuField.ONU_TX: OnuColumn((*HUAWEI_ONT_DDM, 3), _HUAWEI_INDEX),
            OnuField.ONU_RX: OnuColumn((*HUAWEI_ONT_DDM, 4), _HUAWEI_INDEX),
            OnuField.VOLTAGE: OnuColumn((*HUAWEI_ONT_DDM, 5), _HUAWEI_INDEX),
            OnuField.OLT_RX: OnuColumn((*HUAWEI_ONT_DDM, 6), _HUAWEI_INDEX),
            OnuField.RUN_STATUS: OnuColumn((*HUAWEI_ONT_CONTROL, 15), _HUAWEI_INDEX),
            OnuField.DISTANCE: OnuColumn((*HUAWEI_ONT_CONTROL, 20), _HUAWEI_INDEX),
        }
    ),
    pon_tx=PonColumn((*HUAWEI_OLT_DDM, 4), _HUAWEI_INDEX),
)

ZTE_MIB = VendorMib(
    vendor=Vendor.ZTE,
    onu_columns=MappingProxyType(
        {
            OnuField.OLT_RX: OnuColumn(ZTE_PON_RX_POWER, _ZTE_INDEX),
            OnuField.ONU_RX: OnuColumn((*ZTE_LEGACY_ONU_OPTICS, ZTE_LEGACY_RX_COLUMN), _ZTE_LEGACY_INDEX),
            OnuField.ONU_TX: OnuColumn((*ZTE_LEGACY_ONU_OPTICS, ZTE_LEGACY_TX_COLUMN), _ZTE_LEGACY_INDEX),
        }
    ),
    pon_tx=PonColumn((*ZTE_OPTICAL_MODULE, ZTE_MODULE_TX_COLUMN), _ZTE_INDEX),
)

VENDOR_MIBS: Mapping[Vendor, VendorMib] = MappingProxyType({Vendor.HUAWEI: HUAWEI_MIB, Vendor.ZTE: ZTE_MIB})


def vendor_mib(vendor: Vendor | str) -> VendorMib:
    """The OID map of ``vendor`` (``"huawei"`` / ``"zte"``); ``ValueError`` names the known ones."""
    try:
        return VENDOR_MIBS[Vendor(vendor)]
    except ValueError:
        known = ", ".join(sorted(VENDOR_MIBS))
        raise ValueError(f"no SNMP map for vendor {vendor!r} (known: {known})") from None
