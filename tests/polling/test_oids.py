"""Vendor scalings, sentinels and ifIndex layouts, checked against the examples in reference §7."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ponaccept.domain.choices import Vendor
from ponaccept.domain.optics import Measured, Missing, MissingReason, OpticalReadings
from ponaccept.drivers.base import PonPort
from ponaccept.polling import oids
from ponaccept.polling.decode import decode, decode_huawei, decode_zte, unreachable
from ponaccept.polling.oids import OnuField

# --- scalings --------------------------------------------------------------------------------------------


def test_huawei_olt_rx_reference_example() -> None:
    assert oids.huawei_olt_rx_dbm(7650) == -23.50


@pytest.mark.parametrize(
    ("raw", "dbm"), [(-2050, -20.5), (213, 2.13), (452, 4.52), (0, 0.0), (-2747, -27.47)]
)
def test_huawei_powers_are_hundredths_of_a_dbm(raw: int, dbm: float) -> None:
    assert oids.huawei_power_dbm(raw) == dbm


def test_huawei_voltage_is_millivolts() -> None:
    assert oids.huawei_voltage_v(3280) == 3.28


@pytest.mark.parametrize(("raw", "dbm"), [(-25250, -25.25), (3900, 3.9), (-8123, -8.123)])
def test_zte_zxan_powers_are_thousandths_of_a_dbm(raw: int, dbm: float) -> None:
    assert oids.zte_milli_dbm(raw) == dbm


@pytest.mark.parametrize(("raw", "dbm"), [(4765, -20.47), (15000, 0.0), (16100, 2.2), (0, -30.0)])
def test_zte_legacy_scale_is_raw_times_0_002_minus_30(raw: int, dbm: float) -> None:
    assert oids.zte_legacy_dbm(raw) == dbm


# --- ifIndex ---------------------------------------------------------------------------------------------


def test_huawei_ifindex_reference_example() -> None:
    assert oids.huawei_pon_ifindex(PonPort(0, 1, 0)) == 4194312192
    assert oids.huawei_pon_from_ifindex(4194312192) == PonPort(0, 1, 0)
    assert oids.huawei_pon_ifindex(PonPort(0, 2, 15)) == 4194304000 + 2 * 8192 + 15 * 256


def test_zte_ifindex_examples() -> None:
    assert oids.zte_legacy_pon_ifindex(PonPort(1, 2, 1)) == 268566784  # djing2's C320 value
    assert oids.zte_legacy_pon_from_ifindex(268566784) == PonPort(1, 2, 1)
    assert oids.zte_pon_ifindex(PonPort(1, 1, 1)) == 285278465
    assert oids.zte_pon_ifindex(PonPort(1, 2, 1)) == 285278721
    assert oids.zte_pon_from_ifindex(285278721) == PonPort(1, 2, 1)


@given(st.integers(0, 31), st.integers(0, 31))
def test_huawei_ifindex_round_trips(slot: int, port: int) -> None:
    pon = PonPort(0, slot, port)
    assert oids.huawei_pon_from_ifindex(oids.huawei_pon_ifindex(pon)) == pon


@given(st.integers(1, 255), st.integers(1, 255))
def test_zte_ifindexes_round_trip(slot: int, port: int) -> None:
    pon = PonPort(1, slot, port)
    assert oids.zte_pon_from_ifindex(oids.zte_pon_ifindex(pon)) == pon
    assert oids.zte_legacy_pon_from_ifindex(oids.zte_legacy_pon_ifindex(pon)) == pon


@pytest.mark.parametrize("pon", [PonPort(1, 1, 0), PonPort(0, 32, 0), PonPort(0, 1, 32), PonPort(0, -1, 0)])
def test_huawei_ifindex_refuses_unknown_layouts(pon: PonPort) -> None:
    with pytest.raises(ValueError, match="Huawei"):
        oids.huawei_pon_ifindex(pon)


@pytest.mark.parametrize("if_index", [4194312193, 4194304000 - 256, 4194304000 + 32 * 8192, 285278721])
def test_huawei_ifindex_decode_refuses_other_interfaces(if_index: int) -> None:
    with pytest.raises(ValueError, match="not a Huawei"):
        oids.huawei_pon_from_ifindex(if_index)


@pytest.mark.parametrize("pon", [PonPort(0, 2, 1), PonPort(2, 2, 1), PonPort(1, 0, 1), PonPort(1, 2, 256)])
def test_zte_ifindex_refuses_other_shelves_and_ranges(pon: PonPort) -> None:
    with pytest.raises(ValueError, match="ZTE"):
        oids.zte_pon_ifindex(pon)


def test_zte_ifindex_decoders_do_not_accept_each_others_layout() -> None:
    with pytest.raises(ValueError, match="ZXAN"):
        oids.zte_pon_from_ifindex(268566784)
    with pytest.raises(ValueError, match="legacy"):
        oids.zte_legacy_pon_from_ifindex(285278721)


def test_instance_suffixes_and_their_parsing() -> None:
    legacy = oids.ZTE_MIB.onu_columns[OnuField.ONU_RX].index
    assert legacy.onu_suffix(PonPort(1, 2, 1), 7) == (268566784, 7, 1)
    assert legacy.parse_onu((268566784, 7, 1)) == (PonPort(1, 2, 1), 7)
    assert legacy.parse_onu((268566784, 7)) is None  # no ANI trailer: not this table's row
    assert legacy.parse_onu((268566784, 7, 2)) is None
    huawei = oids.HUAWEI_MIB.onu_columns[OnuField.ONU_RX].index
    assert huawei.parse_onu((4194312192, 5)) == (PonPort(0, 1, 0), 5)
    assert huawei.parse_onu((12, 5)) is None
    assert huawei.parse_port((4194312448,)) == PonPort(0, 1, 1)


def test_vendor_lookup() -> None:
    assert oids.vendor_mib("huawei") is oids.HUAWEI_MIB
    assert oids.vendor_mib(Vendor.ZTE) is oids.ZTE_MIB
    with pytest.raises(ValueError, match="known: huawei, zte"):
        oids.vendor_mib("fiberhome")


def test_huawei_map_uses_the_mib_columns_not_the_mislabelled_snippets() -> None:
    columns = {name: column.base[-1] for name, column in oids.HUAWEI_MIB.onu_columns.items()}
    assert columns[OnuField.ONU_TX] == 3
    assert columns[OnuField.ONU_RX] == 4
    assert columns[OnuField.VOLTAGE] == 5
    assert columns[OnuField.OLT_RX] == 6
    assert oids.HUAWEI_MIB.pon_tx.base == (1, 3, 6, 1, 4, 1, 2011, 6, 128, 1, 1, 2, 23, 1, 4)


# --- raw rows → readings ---------------------------------------------------------------------------------

HUAWEI_ONLINE = {
    OnuField.TEMPERATURE: 45,
    OnuField.BIAS: 12,
    OnuField.ONU_TX: 213,
    OnuField.ONU_RX: -2047,
    OnuField.VOLTAGE: 3280,
    OnuField.OLT_RX: 7650,
    OnuField.RUN_STATUS: 1,
    OnuField.DISTANCE: 1834,
}


def test_huawei_online_row() -> None:
    readings = decode_huawei(HUAWEI_ONLINE, 452)
    assert readings == OpticalReadings.from_dbm(
        olt_tx=4.52,
        olt_rx=-23.5,
        onu_tx=2.13,
        onu_rx=-20.47,
        onu_temperature_c=45,
        onu_voltage_v=3.28,
        onu_bias_ma=12,
        distance_m=1834,
    )
    assert readings.downstream_attenuation_db == pytest.approx(24.99)


def test_huawei_offline_row_is_offline_on_the_onu_side_only() -> None:
    row = dict.fromkeys(HUAWEI_ONLINE, oids.HUAWEI_INVALID) | {OnuField.RUN_STATUS: 2, OnuField.DISTANCE: -1}
    readings = decode_huawei(row, 452)
    assert readings.olt_tx == Measured(dbm=4.52)
    for quantity in (readings.olt_rx, readings.onu_tx, readings.onu_rx):
        assert isinstance(quantity, Missing)
        assert quantity.reason is MissingReason.OFFLINE
    assert readings.onu_temperature_c is None
    assert readings.distance_m is None


def test_huawei_sentinel_on_an_online_ont_is_not_available() -> None:
    readings = decode_huawei(HUAWEI_ONLINE | {OnuField.ONU_RX: oids.HUAWEI_INVALID}, oids.HUAWEI_INVALID)
    assert isinstance(readings.onu_rx, Missing)
    assert readings.onu_rx.reason is MissingReason.NOT_AVAILABLE
    assert isinstance(readings.olt_tx, Missing)
    assert readings.olt_tx.reason is MissingReason.NOT_AVAILABLE
    assert readings.onu_tx == Measured(dbm=2.13)


def test_huawei_sentinel_without_run_status_is_read_as_offline() -> None:
    row = {OnuField.ONU_RX: oids.HUAWEI_INVALID, OnuField.ONU_TX: 200}
    readings = decode_huawei(row, 452)
    assert isinstance(readings.onu_rx, Missing)
    assert readings.onu_rx.reason is MissingReason.OFFLINE
    assert readings.onu_tx == Measured(dbm=2.0)
    assert isinstance(readings.olt_rx, Missing)
    assert readings.olt_rx.reason is MissingReason.NOT_SUPPORTED


def test_implausible_values_become_missing_with_the_raw_value_not_an_exception() -> None:
    row = HUAWEI_ONLINE | {OnuField.ONU_RX: 4000, OnuField.TEMPERATURE: 900, OnuField.VOLTAGE: 33000}
    readings = decode_huawei(row, -9000)
    assert isinstance(readings.onu_rx, Missing)
    assert readings.onu_rx.reason is MissingReason.NOT_AVAILABLE
    assert readings.onu_rx.detail is not None and "4000" in readings.onu_rx.detail
    assert isinstance(readings.olt_tx, Missing)
    assert readings.onu_temperature_c is None
    assert readings.onu_voltage_v is None
    assert readings.onu_tx == Measured(dbm=2.13)


def test_unknown_ont_is_offline_not_configured() -> None:
    for vendor in ("huawei", "zte"):
        readings = decode(vendor, {}, None)
        assert readings.missing_quantities() == ("olt_tx", "olt_rx", "onu_tx", "onu_rx")
        assert isinstance(readings.onu_rx, Missing)
        assert readings.onu_rx.reason is MissingReason.OFFLINE
        assert readings.onu_rx.detail is not None and "not configured" in readings.onu_rx.detail


def test_zte_rows() -> None:
    online = {OnuField.OLT_RX: -25250, OnuField.ONU_RX: 4765, OnuField.ONU_TX: 16100}
    assert decode_zte(online, 3900) == OpticalReadings.from_dbm(
        olt_tx=3.9, olt_rx=-25.25, onu_tx=2.2, onu_rx=-20.47
    )
    offline = {
        OnuField.OLT_RX: oids.ZTE_PON_RX_NOT_IN_SERVICE,
        OnuField.ONU_RX: 65535,
        OnuField.ONU_TX: 65535,
    }
    readings = decode_zte(offline, 3900)
    assert readings.missing_quantities() == ("olt_rx", "onu_tx", "onu_rx")
    assert {r.reason for r in (readings.olt_rx, readings.onu_rx) if isinstance(r, Missing)} == {
        MissingReason.OFFLINE
    }
    no_light = decode_zte(online | {OnuField.OLT_RX: oids.ZTE_PON_RX_NO_SIGNAL}, oids.ZTE_MODULE_NA)
    assert isinstance(no_light.olt_rx, Missing)
    assert no_light.olt_rx.reason is MissingReason.LOS
    assert isinstance(no_light.olt_tx, Missing)
    assert no_light.olt_tx.reason is MissingReason.NOT_AVAILABLE
    assert no_light.onu_rx == Measured(dbm=-20.47)
    legacy_na = decode_zte(online | {OnuField.ONU_TX: oids.ZTE_LEGACY_NA}, 3900)
    assert isinstance(legacy_na.onu_tx, Missing)
    assert legacy_na.onu_tx.reason is MissingReason.NOT_AVAILABLE


def test_unreachable_names_the_cause_in_every_power() -> None:
    readings = unreachable("SNMP timeout from OLT hw-1 (10.0.0.1:161) after 2 tries")
    for quantity in readings.missing_quantities():
        value = readings.reading(quantity)
        assert isinstance(value, Missing)
        assert value.reason is MissingReason.TIMEOUT
        assert value.detail is not None and "hw-1" in value.detail
    assert len(readings.missing_quantities()) == 4
