"""Huawei SmartAX (MA5800) OID tables from an :class:`OltSnmpView` (HUAWEI-XPON-MIB, see
reference/vendor-cli-snmp.md §7).

Served objects, all indexed ``.<ponIfIndex>.<ontId>`` (ONT tables) or ``.<ponIfIndex>`` (OLT optics):

- ``hwGponDeviceOntOpticalDdmInfoTable`` (.51.1): .1 temperature °C, .2 bias mA, .3 ONT Tx 0.01 dBm,
  .4 ONT Rx 0.01 dBm, .5 voltage mV, .6 OLT Rx from the ONT as ``dBm*100 + 10000``, .7 CATV Rx 0.01 dBm.
  An offline ONT answers 2147483647 in every column (as real OLTs do); the lab has no CATV overlay, so .7
  is always 2147483647.
- ``hwGponOltOpticsDdmInfoTable`` (.23.1): .1 temperature °C, .2 voltage 0.01 V, .3 bias mA,
  .4 PON Tx 0.01 dBm, .5 Rx 0.01 dBm.
- ``hwGponDeviceOntControlRunStatus`` (.46.1.15: up 1 / down 2) and ``…Ranging`` (.46.1.20: metres, −1 when
  not ranged).
- ``hwGponDeviceOntSn`` (.43.1.3, 8-byte OCTET STRING) and ``hwGponDeviceOntDespt`` (.43.1.9).
- System group (sysObjectID 1.3.6.1.4.1.2011.2.248, the SmartAX family value seen on MA5600T/MA5608T),
  ifDescr/ifName ``GPON 0/1/0`` per PON port and the snmpEngine scalars (``mib_system``).
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

XPON: Oid = (1, 3, 6, 1, 4, 1, 2011, 6, 128, 1, 1, 2)
ONT_DDM: Oid = (*XPON, 51, 1)
OLT_DDM: Oid = (*XPON, 23, 1)
ONT_CONTROL: Oid = (*XPON, 46, 1)
ONT_CONFIG: Oid = (*XPON, 43, 1)

RUN_STATUS_COLUMN = 15
RANGING_COLUMN = 20
SN_COLUMN = 3
DESCRIPTION_COLUMN = 9

OBJECTS: frozenset[Oid] = frozenset(
    {
        *((*ONT_DDM, column) for column in range(1, 8)),
        *((*OLT_DDM, column) for column in range(1, 6)),
        (*ONT_CONTROL, RUN_STATUS_COLUMN),
        (*ONT_CONTROL, RANGING_COLUMN),
        (*ONT_CONFIG, SN_COLUMN),
        (*ONT_CONFIG, DESCRIPTION_COLUMN),
    }
)
"""The vendor objects :func:`encode` serves (see ``mib_system.COMMON_OBJECTS``)."""

INVALID = 2147483647
"""What SmartAX returns for any optical reading it does not have (offline ONT, no module)."""
RUN_UP = 1
RUN_DOWN = 2

DEFAULT_SYS_OBJECT_ID: Oid = (1, 3, 6, 1, 4, 1, 2011, 2, 248)
_IFINDEX_BASE = 4194304000  # 0xFA000000: GPON port type


def pon_ifindex(frame: int, slot: int, port: int) -> int:
    """SmartAX GPON port ifIndex: ``4194304000 + slot*8192 + port*256``.

    Only frame 0 is known (the frame bits are unverified in the reference), and an MA5800 has a single
    frame, so any other frame is refused rather than guessed.
    """
    if frame != 0:
        raise ValueError(f"Huawei PON ifIndex is only known for frame 0, got frame {frame}")
    if not (0 <= slot < 32 and 0 <= port < 32):
        raise ValueError(f"slot/port out of range: {slot}/{port}")
    return _IFINDEX_BASE + slot * 8192 + port * 256


def port_name(frame: int, slot: int, port: int) -> str:
    """ifDescr of a GPON port, e.g. ``GPON 0/1/0``."""
    return f"GPON {frame}/{slot}/{port}"


def _ont_ddm(onu: OnuSnmpView) -> dict[int, int]:
    if not onu.online:
        return dict.fromkeys(range(1, 8), INVALID)
    return {
        1: scaled(onu.temperature_c, 1, na=INVALID),
        2: scaled(onu.bias_ma, 1, na=INVALID),
        3: scaled(onu.tx_dbm, 100, na=INVALID),
        4: scaled(onu.rx_dbm, 100, na=INVALID),
        5: scaled(onu.voltage_v, 1000, na=INVALID),
        6: scaled(onu.olt_rx_dbm, 100, offset=100, na=INVALID),
        7: INVALID,
    }


def _olt_ddm(pon: PonSnmpView) -> dict[int, int]:
    return {
        1: scaled(pon.temperature_c, 1, na=INVALID),
        2: scaled(pon.voltage_v, 100, na=INVALID),
        3: scaled(pon.bias_ma, 1, na=INVALID),
        4: scaled(pon.tx_dbm, 100, na=INVALID),
        5: scaled(pon.rx_dbm, 100, na=INVALID),
    }


def encode(view: OltSnmpView) -> OidTable:
    """The whole OID table of one Huawei OLT (unsorted; the agent sorts it once per model version)."""
    table = system_group(view.sys_descr, view.sys_object_id or DEFAULT_SYS_OBJECT_ID, view.sys_name)
    table.update(snmp_engine_group(2011, view.name))
    table.update(
        interface_rows(
            (pon_ifindex(p.frame, p.slot, p.port), port_name(p.frame, p.slot, p.port)) for p in view.pons
        )
    )
    for pon in view.pons:
        if_index = pon_ifindex(pon.frame, pon.slot, pon.port)
        for column, raw in _olt_ddm(pon).items():
            table[(*OLT_DDM, column, if_index)] = raw
    for onu in view.onus:
        index = (pon_ifindex(onu.frame, onu.slot, onu.port), onu.ont_id)
        for column, raw in _ont_ddm(onu).items():
            table[(*ONT_DDM, column, *index)] = raw
        table[(*ONT_CONTROL, RUN_STATUS_COLUMN, *index)] = RUN_UP if onu.online else RUN_DOWN
        distance = onu.distance_m if onu.online and onu.distance_m is not None else -1
        table[(*ONT_CONTROL, RANGING_COLUMN, *index)] = distance
        table[(*ONT_CONFIG, SN_COLUMN, *index)] = onu.sn
        table[(*ONT_CONFIG, DESCRIPTION_COLUMN, *index)] = onu.description.encode()
    return table
