"""The SNMP encoders write the vendor scalings of reference/vendor-cli-snmp.md §7.

The decoders below are written independently from the reference text (not imported from the simulator)
so that an encoder mistake cannot cancel itself out; the product has its own decoders in ponaccept.drivers.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ponaccept.sim.snmp import mib_huawei, mib_zte
from ponaccept.sim.snmp.mib_system import IF_DESCR, IF_NAME, SYS_DESCR, SYS_NAME, SYS_OBJECT_ID, OidTable
from ponaccept.sim.snmp.view import OltSnmpView, OnuSnmpView, PonSnmpView, sn_from_text

HW_DDM = "1.3.6.1.4.1.2011.6.128.1.1.2.51.1"
HW_OLT_DDM = "1.3.6.1.4.1.2011.6.128.1.1.2.23.1"
HW_CONTROL = "1.3.6.1.4.1.2011.6.128.1.1.2.46.1"
HW_CONFIG = "1.3.6.1.4.1.2011.6.128.1.1.2.43.1"
ZTE_PON_RX = "1.3.6.1.4.1.3902.1082.500.1.2.4.2.1.2"
ZTE_MODULE = "1.3.6.1.4.1.3902.1082.30.40.2.4.1"
ZTE_LEGACY = "1.3.6.1.4.1.3902.1012.3.50.12.1.1"


def oid(text: str, *index: int) -> tuple[int, ...]:
    return (*(int(arc) for arc in text.split(".")), *index)


def num(table: OidTable, key: tuple[int, ...]) -> int:
    value = table[key]
    assert isinstance(value, int)
    return value


# --- decoders, straight from the reference ---------------------------------------------------------------


def huawei_dbm(raw: int) -> float | None:
    return None if raw == 2147483647 else raw / 100


def huawei_olt_rx(raw: int) -> float | None:
    return None if raw == 2147483647 else (raw - 10000) / 100


def zte_pon_rx(raw: int) -> float | None:
    return None if raw in (65535000, -80000) else raw / 1000


def zte_legacy_dbm(raw: int) -> float | None:
    return None if raw == 65535 else raw * 0.002 - 30


# --- fixtures ----------------------------------------------------------------------------------------------

ONLINE = OnuSnmpView(
    frame=0,
    slot=1,
    port=0,
    ont_id=5,
    online=True,
    sn=sn_from_text("HWTC1A2B3C4D"),
    description="acc-test-0105",
    rx_dbm=-20.47,
    tx_dbm=2.13,
    olt_rx_dbm=-23.5,
    temperature_c=45.4,
    voltage_v=3.28,
    bias_ma=11.6,
    distance_m=1834,
)
OFFLINE = OnuSnmpView(frame=0, slot=1, port=0, ont_id=6, online=False, sn=b"HWTC\x00\x00\x00\x06")
HUAWEI = OltSnmpView(
    name="hw-olt-1",
    vendor="huawei",
    sys_descr="Huawei Integrated Access Software",
    sys_name="hw-olt-1",
    pons=(PonSnmpView(0, 1, 0, tx_dbm=4.52, rx_dbm=None, temperature_c=41, voltage_v=3.31, bias_ma=24),),
    onus=(ONLINE, OFFLINE),
)


def zte_onu(ont_id: int, online: bool, **optics: float) -> OnuSnmpView:
    return OnuSnmpView(
        frame=1, slot=2, port=1, ont_id=ont_id, online=online, sn=b"ZTEG\x00\x00\x00\x01", **optics
    )


ZTE = OltSnmpView(
    name="zte-olt-1",
    vendor="zte",
    sys_descr="C320 Version V2.1.0 Software, Copyright (c) by ZTE Corporation Compiled",
    sys_name="zte-olt-1",
    pons=(
        PonSnmpView(1, 2, 1, tx_dbm=3.875, rx_dbm=-18.25, temperature_c=38.5, voltage_v=3.3, bias_ma=21.5),
    ),
    onus=(
        zte_onu(1, True, rx_dbm=-21.3, tx_dbm=2.4, olt_rx_dbm=-24.125),
        zte_onu(2, False),
        zte_onu(3, True, rx_dbm=-22.0, tx_dbm=2.0),
    ),
)


# --- Huawei -----------------------------------------------------------------------------------------------


def test_huawei_pon_ifindex_matches_the_reference_example() -> None:
    assert mib_huawei.pon_ifindex(0, 1, 0) == 4194312192
    assert mib_huawei.pon_ifindex(0, 2, 3) == 4194304000 + 2 * 8192 + 3 * 256
    with pytest.raises(ValueError, match="frame 0"):
        mib_huawei.pon_ifindex(1, 1, 0)


def test_huawei_online_ont_ddm_row() -> None:
    table = mib_huawei.encode(HUAWEI)
    if_index = 4194312192
    row = {col: table[oid(HW_DDM, col, if_index, 5)] for col in range(1, 8)}
    assert row == {1: 45, 2: 12, 3: 213, 4: -2047, 5: 3280, 6: 7650, 7: 2147483647}
    assert huawei_dbm(row[4]) == pytest.approx(-20.47)
    assert huawei_dbm(row[3]) == pytest.approx(2.13)
    assert huawei_olt_rx(row[6]) == pytest.approx(-23.5)
    assert table[oid(HW_CONTROL, 15, if_index, 5)] == 1
    assert table[oid(HW_CONTROL, 20, if_index, 5)] == 1834
    assert table[oid(HW_CONFIG, 3, if_index, 5)] == bytes.fromhex("485754431A2B3C4D")
    assert table[oid(HW_CONFIG, 9, if_index, 5)] == b"acc-test-0105"


def test_huawei_offline_ont_reads_invalid_everywhere() -> None:
    table = mib_huawei.encode(HUAWEI)
    assert {table[oid(HW_DDM, col, 4194312192, 6)] for col in range(1, 8)} == {2147483647}
    assert table[oid(HW_CONTROL, 15, 4194312192, 6)] == 2
    assert table[oid(HW_CONTROL, 20, 4194312192, 6)] == -1


def test_huawei_olt_optics_and_system_group() -> None:
    table = mib_huawei.encode(HUAWEI)
    assert table[oid(HW_OLT_DDM, 4, 4194312192)] == 452
    assert table[oid(HW_OLT_DDM, 5, 4194312192)] == 2147483647
    assert table[oid(HW_OLT_DDM, 2, 4194312192)] == 331
    assert table[SYS_DESCR] == b"Huawei Integrated Access Software"
    assert table[SYS_NAME] == b"hw-olt-1"
    assert table[SYS_OBJECT_ID] == (1, 3, 6, 1, 4, 1, 2011, 2, 248)
    assert table[(*IF_DESCR, 4194312192)] == b"GPON 0/1/0"
    assert table[(*IF_NAME, 4194312192)] == b"GPON 0/1/0"


# --- ZTE --------------------------------------------------------------------------------------------------


def test_zte_ifindex_layouts() -> None:
    assert mib_zte.pon_ifindex(1, 1, 1) == 285278465
    assert mib_zte.pon_ifindex(1, 2, 1) == 285278721
    assert mib_zte.legacy_pon_ifindex(1, 1, 1) == 268501248
    assert mib_zte.legacy_pon_ifindex(1, 2, 1) == 268566784
    with pytest.raises(ValueError, match="shelf 1"):
        mib_zte.pon_ifindex(0, 1, 1)


def test_zte_olt_side_rx_per_onu() -> None:
    table = mib_zte.encode(ZTE)
    assert table[oid(ZTE_PON_RX, 285278721, 1)] == -24125
    assert zte_pon_rx(-24125) == pytest.approx(-24.125)
    assert table[oid(ZTE_PON_RX, 285278721, 2)] == 65535000  # not in service
    assert table[oid(ZTE_PON_RX, 285278721, 3)] == -80000  # online, no signal at the OLT


def test_zte_legacy_onu_rx_tx() -> None:
    table = mib_zte.encode(ZTE)
    rx = num(table, oid(ZTE_LEGACY, 10, 268566784, 1, 1))
    tx = num(table, oid(ZTE_LEGACY, 14, 268566784, 1, 1))
    assert rx == 4350
    assert zte_legacy_dbm(rx) == pytest.approx(-21.3)
    assert zte_legacy_dbm(tx) == pytest.approx(2.4)
    assert table[oid(ZTE_LEGACY, 10, 268566784, 2, 1)] == 65535
    assert table[oid(ZTE_LEGACY, 14, 268566784, 2, 1)] == 65535


def test_zte_pon_module_and_system_group() -> None:
    table = mib_zte.encode(ZTE)
    assert table[oid(ZTE_MODULE, 3, 285278721)] == 3875
    assert table[oid(ZTE_MODULE, 2, 285278721)] == -18250
    assert table[oid(ZTE_MODULE, 8, 285278721)] == 38500
    assert table[oid(ZTE_MODULE, 5, 285278721)] == 21500
    assert table[SYS_OBJECT_ID] == (1, 3, 6, 1, 4, 1, 3902, 1082, 1001, 320, 2, 1)
    assert table[(*IF_DESCR, 268566784)] == b"gpon-olt_1/2/1"


def test_encoders_keep_rows_apart_and_serve_only_integers_bytes_or_oids() -> None:
    for view, encode in ((HUAWEI, mib_huawei.encode), (ZTE, mib_zte.encode)):
        table = encode(view)
        assert all(isinstance(value, int | bytes | tuple) for value in table.values())
    huawei = mib_huawei.encode(HUAWEI)
    per_ont = [key for key in huawei if key[: len(oid(HW_DDM))] == oid(HW_DDM)]
    assert len(per_ont) == 7 * len(HUAWEI.onus)


# --- properties ---------------------------------------------------------------------------------------------

dbm = st.floats(min_value=-40, max_value=10, allow_nan=False)


@given(rx=dbm, tx=dbm, olt_rx=dbm)
def test_huawei_roundtrip_is_within_a_hundredth(rx: float, tx: float, olt_rx: float) -> None:
    onu = OnuSnmpView(0, 3, 7, 100, True, rx_dbm=rx, tx_dbm=tx, olt_rx_dbm=olt_rx)
    view = OltSnmpView("h", "huawei", "d", "h", onus=(onu,))
    table = mib_huawei.encode(view)
    index = (mib_huawei.pon_ifindex(0, 3, 7), 100)
    decoded = [
        huawei_dbm(num(table, oid(HW_DDM, 4, *index))),
        huawei_dbm(num(table, oid(HW_DDM, 3, *index))),
        huawei_olt_rx(num(table, oid(HW_DDM, 6, *index))),
    ]
    assert decoded == pytest.approx([rx, tx, olt_rx], abs=0.005 + 1e-9)


@given(rx=dbm, olt_rx=dbm)
def test_zte_roundtrip_is_within_the_encoding_step(rx: float, olt_rx: float) -> None:
    view = OltSnmpView("z", "zte", "d", "z", onus=(zte_onu(9, True, rx_dbm=rx, olt_rx_dbm=olt_rx),))
    table = mib_zte.encode(view)
    legacy = num(table, oid(ZTE_LEGACY, 10, 268566784, 9, 1))
    pon_rx = num(table, oid(ZTE_PON_RX, 285278721, 9))
    assert zte_legacy_dbm(legacy) == pytest.approx(rx, abs=0.001 + 1e-9)
    assert zte_pon_rx(pon_rx) == pytest.approx(olt_rx, abs=0.0005 + 1e-9)


def test_sn_spellings() -> None:
    assert sn_from_text("HWTC1A2B3C4D") == sn_from_text("485754431a2b3c4d") == b"HWTC\x1a\x2b\x3c\x4d"
    with pytest.raises(ValueError, match="serial"):
        sn_from_text("HWTC1A2B")
    with pytest.raises(ValueError, match="8 bytes"):
        OnuSnmpView(0, 1, 0, 1, True, sn=b"short")
