"""ZTE ZXA10 C300/C320 OID tables from an :class:`OltSnmpView` (reference/vendor-cli-snmp.md §7).

ZTE boxes expose the same readings under two MIB generations with two PON ifIndex layouts; pollers in
the field use both, so the lab serves both:

- **ZXAN ("1082") tables**, PON ifIndex ``0x11000000 | shelf<<16 | slot<<8 | port`` — the
  ZTE-AN-PON-BASE-MIB layout ``type(4b)=1 | rack(4b) | shelf(8b) | slot(8b) | port(8b)`` with rack 1
  (``gpon-olt_1/1/1`` → 285278465, ``1/2/1`` → 285278721). Assumption [?]: rack is always 1; these match
  the constants that public C320 pollers (go-api-c320 and its ports) use on hardware.
  - ``zxAnPonRxOpticalPower`` ``.1082.500.1.2.4.2.1.2.<ifIndex>.<onuIdx>``: what the OLT receives from the
    ONU, 0.001 dBm; 65535000 when the ONU is not in service (offline), −80000 when online without signal.
  - ``zxAnOpticalModuleInfoTable`` ``.1082.30.40.2.4.1.<col>.<ifIndex>`` for the PON SFP, all in 0.001
    units: .2 Rx dBm, .3 Tx dBm, .5 bias mA, .6 voltage V, .8 temperature °C; 2147483647 = no reading.
- **Legacy C300 ("1012") tables**, PON ifIndex ``0x10000000 | slot<<16 | port<<8`` (``1/1/1`` →
  268501248, ``1/2/1`` → 268566784; shelf is not encoded, so only shelf 1 is accepted).
  - ONU Rx ``.1012.3.50.12.1.1.10.<ifIndex>.<onu>.1`` and ONU Tx ``….14.<ifIndex>.<onu>.1``:
    ``raw = (dBm + 30) / 0.002`` (the OMCI ANI-G scale); 65535 = N/A. The trailing ``.1`` is the ONU's
    ANI port; assumption [?]: it is always present (one ANI per GPON ONU).
- System group (sysObjectID 1.3.6.1.4.1.3902.1082.1001.320.2.1, as reported by C320 V2.x), the
  snmpEngine scalars (``mib_system``) and ifDescr/ifName ``gpon-olt_1/2/1`` keyed by the legacy ifIndex
  (assumption [?]: which index IF-MIB uses on a C320 is unverified; the legacy one is what djing2 checks
  against ifDescr).
"""

from __future__ import annotations

from ponaccept.sim.snmp.mib_system import (
    Oid,
    OidTable,
    interface_rows,
    scaled,
    snmp_engine_group,
    system_group,
)
from ponaccept.sim.snmp.view import OltSnmpView, OnuSnmpView, PonSnmpView

ZXAN: Oid = (1, 3, 6, 1, 4, 1, 3902)
PON_RX_POWER: Oid = (*ZXAN, 1082, 500, 1, 2, 4, 2, 1, 2)
OPTICAL_MODULE: Oid = (*ZXAN, 1082, 30, 40, 2, 4, 1)
LEGACY_ONU_OPTICS: Oid = (*ZXAN, 1012, 3, 50, 12, 1, 1)
LEGACY_RX_COLUMN = 10
LEGACY_TX_COLUMN = 14
ANI_PORT = 1

OBJECTS: frozenset[Oid] = frozenset(
    {
        PON_RX_POWER,
        *((*OPTICAL_MODULE, column) for column in (2, 3, 5, 6, 8)),
        (*LEGACY_ONU_OPTICS, LEGACY_RX_COLUMN),
        (*LEGACY_ONU_OPTICS, LEGACY_TX_COLUMN),
    }
)
"""The vendor objects :func:`encode` serves (see ``mib_system.COMMON_OBJECTS``)."""

PON_RX_NOT_IN_SERVICE = 65535000
PON_RX_NO_SIGNAL = -80000
MODULE_NA = 2147483647
LEGACY_NA = 65535

DEFAULT_SYS_OBJECT_ID: Oid = (1, 3, 6, 1, 4, 1, 3902, 1082, 1001, 320, 2, 1)


def _check(shelf: int, slot: int, port: int) -> None:
    if shelf != 1:
        raise ValueError(f"ZTE C300/C320 PON ports live on shelf 1, got {shelf}/{slot}/{port}")
    if not (1 <= slot < 256 and 1 <= port < 256):
        raise ValueError(f"slot/port out of range: {shelf}/{slot}/{port}")


def pon_ifindex(shelf: int, slot: int, port: int) -> int:
    """ZXAN (1082-tree) ifIndex of ``gpon-olt_<shelf>/<slot>/<port>``."""
    _check(shelf, slot, port)
    return 0x11000000 | shelf << 16 | slot << 8 | port


def legacy_pon_ifindex(shelf: int, slot: int, port: int) -> int:
    """Legacy C300 (1012-tree and IF-MIB) ifIndex of ``gpon-olt_<shelf>/<slot>/<port>``."""
    _check(shelf, slot, port)
    return 0x10000000 | slot << 16 | port << 8


def port_name(shelf: int, slot: int, port: int) -> str:
    """ifDescr of a GPON port, e.g. ``gpon-olt_1/2/1``."""
    return f"gpon-olt_{shelf}/{slot}/{port}"


def _pon_rx(onu: OnuSnmpView) -> int:
    if not onu.online:
        return PON_RX_NOT_IN_SERVICE
    return scaled(onu.olt_rx_dbm, 1000, na=PON_RX_NO_SIGNAL)


def _legacy(value: float | None, online: bool) -> int:
    return scaled(value if online else None, 500, offset=30, na=LEGACY_NA)


def _module(pon: PonSnmpView) -> dict[int, int]:
    return {
        2: scaled(pon.rx_dbm, 1000, na=MODULE_NA),
        3: scaled(pon.tx_dbm, 1000, na=MODULE_NA),
        5: scaled(pon.bias_ma, 1000, na=MODULE_NA),
        6: scaled(pon.voltage_v, 1000, na=MODULE_NA),
        8: scaled(pon.temperature_c, 1000, na=MODULE_NA),
    }


def encode(view: OltSnmpView) -> OidTable:
    """The whole OID table of one ZTE OLT (unsorted; the agent sorts it once per model version)."""
    table = system_group(view.sys_descr, view.sys_object_id or DEFAULT_SYS_OBJECT_ID, view.sys_name)
    table.update(snmp_engine_group(3902, view.name))
    table.update(
        interface_rows(
            (legacy_pon_ifindex(p.frame, p.slot, p.port), port_name(p.frame, p.slot, p.port))
            for p in view.pons
        )
    )
    for pon in view.pons:
        if_index = pon_ifindex(pon.frame, pon.slot, pon.port)
        for column, raw in _module(pon).items():
            table[(*OPTICAL_MODULE, column, if_index)] = raw
    for onu in view.onus:
        new_index = pon_ifindex(onu.frame, onu.slot, onu.port)
        old_index = legacy_pon_ifindex(onu.frame, onu.slot, onu.port)
        table[(*PON_RX_POWER, new_index, onu.ont_id)] = _pon_rx(onu)
        legacy_rx = _legacy(onu.rx_dbm, onu.online)
        legacy_tx = _legacy(onu.tx_dbm, onu.online)
        table[(*LEGACY_ONU_OPTICS, LEGACY_RX_COLUMN, old_index, onu.ont_id, ANI_PORT)] = legacy_rx
        table[(*LEGACY_ONU_OPTICS, LEGACY_TX_COLUMN, old_index, onu.ont_id, ANI_PORT)] = legacy_tx
    return table
