"""Parsers against the reference outputs and their documented variants; missing values are None."""

from __future__ import annotations

from pathlib import Path

import pytest

from ponaccept.drivers import (
    ConfiguredOnu,
    DoesNotExist,
    OnuOptics,
    PonPort,
    PonTx,
    RunState,
    ServicePort,
    UnparsedOutput,
    check_read,
    get_driver,
)
from ponaccept.drivers.parsing import parse_rows

FIXTURES = Path(__file__).parent / "fixtures"
HUAWEI = get_driver("huawei_smartax")
ZTE = get_driver("zte_zxros")


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


# ---- Huawei ------------------------------------------------------------------------------------------


def test_huawei_single_ont_optics() -> None:
    optics = check_read(
        HUAWEI.read_onu_optics(PonPort(0, 1, 0), 4), [fixture("huawei_display_ont_optical_info_single.txt")]
    )
    assert optics == OnuOptics(
        ont_id=4,
        onu_rx_dbm=-15.10,
        onu_tx_dbm=3.61,
        olt_rx_dbm=-15.41,
        temperature_c=49,
        voltage_v=3.240,
        bias_ma=11,
    )


def test_huawei_single_ont_optics_dashes_are_none_not_zero() -> None:
    text = fixture("huawei_display_ont_optical_info_single.txt")
    text = text.replace(": -15.10", ": -").replace(": 3.61", ": -").replace(": 3.240", ": -")
    optics = check_read(HUAWEI.read_onu_optics(PonPort(0, 1, 0), 4), [text])
    assert optics.onu_rx_dbm is None and optics.onu_tx_dbm is None and optics.voltage_v is None
    assert optics.olt_rx_dbm == -15.41


def test_huawei_port_optics_table() -> None:
    rows = check_read(
        HUAWEI.read_port_optics(PonPort(0, 1, 0)), [fixture("huawei_display_ont_optical_info_all.txt")]
    )
    assert rows == (OnuOptics(0, -24.68, 3.68, -22.68, 38, 3.2, 6, 171),)


def test_huawei_port_optics_empty_table_and_no_ont_reply() -> None:
    header_only = "\n".join(fixture("huawei_display_ont_optical_info_all.txt").splitlines()[:4]) + "\n"
    assert check_read(HUAWEI.read_port_optics(PonPort(0, 1, 0)), [header_only]) == ()
    assert (
        check_read(HUAWEI.read_port_optics(PonPort(0, 1, 0)), ["  Failure: There is no ONT available"]) == ()
    )


def test_huawei_pon_tx() -> None:
    assert check_read(
        HUAWEI.read_pon_tx(PonPort(0, 4, 0)), [fixture("huawei_display_port_state.txt")]
    ) == PonTx(3.49, "Normal")


def test_huawei_pon_tx_with_colons_and_dash() -> None:
    text = "  F/S/P                       : 0/4/0\n  TX power(dBm)               : -\n"
    assert check_read(HUAWEI.read_pon_tx(PonPort(0, 4, 0)), [text]).tx_dbm is None


def test_huawei_onu_state_detail() -> None:
    state = check_read(
        HUAWEI.read_onu_state(PonPort(0, 0, 6), 2), [fixture("huawei_display_ont_info_detail.txt")]
    )
    assert state.run_state is RunState.ONLINE
    assert (state.config_state, state.match_state, state.description) == ("normal", "match", "New_link")
    assert (state.auth, state.serial) == ("SN-auth", "8XN7J0FFL8NL6I3W")


def test_huawei_onu_state_offline_newer_firmware() -> None:
    text = (
        fixture("huawei_display_ont_info_detail.txt")
        .replace("online", "offline")
        .replace("normal", "initial")
        .replace(": match", ": initial")
        .replace("8XN7J0FFL8NL6I3W", "48575443655C13A0 (HWTC-655C13A0)")
    )
    state = check_read(HUAWEI.read_onu_state(PonPort(0, 0, 6), 2), [text])
    assert state.run_state is RunState.OFFLINE and state.config_state == "initial"
    assert state.serial == "48575443655C13A0"
    never_seen = fixture("huawei_display_ont_info_detail.txt").replace("8XN7J0FFL8NL6I3W", "0" * 16)
    assert check_read(HUAWEI.read_onu_state(PonPort(0, 0, 6), 2), [never_seen]).serial is None


def test_huawei_onu_state_for_another_ont_is_unparsed() -> None:
    with pytest.raises(UnparsedOutput):
        check_read(
            HUAWEI.read_onu_state(PonPort(0, 0, 6), 3), [fixture("huawei_display_ont_info_detail.txt")]
        )


def test_huawei_onu_detail_for_reconcile() -> None:
    onu = check_read(
        HUAWEI.read_onu_detail(PonPort(0, 0, 6), 2), [fixture("huawei_display_ont_info_detail.txt")]
    )
    assert onu.description == "New_link" and onu.run_state == "online"


def test_huawei_list_onus_merges_descriptions() -> None:
    onus = check_read(HUAWEI.list_onus(PonPort(0, 1, 0)), [fixture("huawei_display_ont_info_table.txt")])
    assert [(o.ont_id, o.description, o.run_state) for o in onus] == [
        (0, "Customer_A", "online"),
        (5, "T-olt1-0-1-0-SPL1-3", "offline"),
    ]
    assert HUAWEI.listing_includes_names


def test_huawei_list_onus_two_digit_slot_and_missing_description() -> None:
    text = fixture("huawei_display_ont_info_table.txt").replace("0/ 1/0", "0/10/0")
    text = text.replace("  0/10/0       5   T-olt1-0-1-0-SPL1-3\n", "")
    onus = check_read(HUAWEI.list_onus(PonPort(0, 10, 0)), [text])
    assert [(o.ont_id, o.description) for o in onus] == [(0, "Customer_A"), (5, None)]


def test_huawei_list_onus_mangled_row_is_unparsed() -> None:
    text = fixture("huawei_display_ont_info_table.txt").replace("485754430A0B0C0D  active", "4857544  ")
    with pytest.raises(UnparsedOutput):
        check_read(HUAWEI.list_onus(PonPort(0, 1, 0)), [text])


def test_huawei_service_ports() -> None:
    ports = check_read(
        HUAWEI.list_service_ports(PonPort(0, 1, 0)), [fixture("huawei_display_service_port_all.txt")]
    )  # type: ignore[attr-defined]
    assert ports == (
        ServicePort(index=5827, svlan=2, fsp="0/1/0", ont_id=0, gemport=1, user_vlan=2, state="up"),
    )


def test_huawei_service_ports_none_on_port() -> None:
    read = HUAWEI.list_service_ports(PonPort(0, 1, 0))  # type: ignore[attr-defined]
    assert check_read(read, ["  Failure: No service virtual port can be operated"]) == ()


def test_ntc_service_port_all_template_on_reference_output() -> None:
    rows = parse_rows(
        "huawei_smartax", "display service-port all", fixture("huawei_display_service_port_all.txt")
    )
    assert rows[0]["index"] == "5827" and rows[0]["vlan_id"] == "2" and rows[0]["state"] == "up"


# ---- ZTE ---------------------------------------------------------------------------------------------


def test_zte_attenuation() -> None:
    optics = check_read(ZTE.read_onu_optics(PonPort(1, 1, 1), 1), [fixture("zte_pon_power_attenuation.txt")])
    assert optics == OnuOptics(1, onu_rx_dbm=-16.676, onu_tx_dbm=2.423, olt_rx_dbm=-20.241, olt_tx_dbm=5.369)


def test_zte_attenuation_na_and_missing_blank_line() -> None:
    optics = check_read(
        ZTE.read_onu_optics(PonPort(1, 1, 1), 1), [fixture("zte_pon_power_attenuation_na.txt")]
    )
    assert optics == OnuOptics(1, None, None, None, olt_tx_dbm=5.369)


def test_zte_attenuation_onu_missing() -> None:
    with pytest.raises(DoesNotExist):
        check_read(
            ZTE.read_onu_optics(PonPort(1, 1, 1), 9), ["%Code 32310-GPONSRV : The ONU does not exist."]
        )


def test_zte_port_optics_merges_three_tables() -> None:
    rx = fixture("zte_pon_power_onu_rx.txt")
    tx = (
        "Onu                 Tx power\n------------------------------------\ngpon-onu_1/1/1:1    2.445(dbm)\n"
    )
    olt_rx = "Onu                 Rx power\n" + "-" * 36 + "\ngpon-onu_1/1/1:1    -27.786(dbm)\n"
    optics = check_read(ZTE.read_port_optics(PonPort(1, 1, 1)), [rx, tx, olt_rx])
    assert optics == (OnuOptics(1, -16.676, 2.445, -27.786), OnuOptics(3, None, None, None))


def test_zte_port_optics_empty() -> None:
    nothing = "%Code 32310-GPONSRV : No related information to show."
    header = fixture("zte_pon_power_onu_rx_header_only.txt")
    assert check_read(ZTE.read_port_optics(PonPort(1, 1, 1)), [nothing, header, nothing]) == ()


def test_zte_olt_tx() -> None:
    assert check_read(ZTE.read_pon_tx(PonPort(1, 1, 1)), [fixture("zte_pon_power_olt_tx.txt")]) == PonTx(
        3.488
    )


@pytest.mark.parametrize(
    ("name", "ont_id", "run_state", "raw"),
    [
        ("zte_gpon_onu_state.txt", 1, RunState.ONLINE, "working"),
        ("zte_gpon_onu_state.txt", 3, RunState.LOS, "LOS"),
        ("zte_gpon_onu_state_c600.txt", 2, RunState.DYING_GASP, "DyingGasp"),
    ],
)
def test_zte_onu_state(name: str, ont_id: int, run_state: RunState, raw: str) -> None:
    state = check_read(ZTE.read_onu_state(PonPort(1, 1, 1), ont_id), [fixture(name)])
    assert (state.ont_id, state.run_state, state.run_state_raw) == (ont_id, run_state, raw)
    assert state.config_state == "enable"


def test_zte_onu_state_absent_onu() -> None:
    with pytest.raises(DoesNotExist):
        check_read(ZTE.read_onu_state(PonPort(1, 1, 1), 2), [fixture("zte_gpon_onu_state.txt")])


def test_zte_list_onus_drops_passwords() -> None:
    onus = check_read(ZTE.list_onus(PonPort(1, 2, 1)), [fixture("zte_running_config_gpon_olt.txt")])
    assert onus == (
        ConfiguredOnu(1, None, auth="sn", serial="ZTEGC0000001", onu_type="ZTE-F660"),
        ConfiguredOnu(5, None, auth="pw", serial=None, onu_type="ZTE-F601"),
    )
    assert "Pw12345678" not in repr(onus)
    assert not ZTE.listing_includes_names
    assert (
        check_read(ZTE.list_onus(PonPort(1, 2, 1)), [fixture("zte_running_config_gpon_olt_empty.txt")]) == ()
    )


def test_zte_onu_detail_name() -> None:
    onu = check_read(ZTE.read_onu_detail(PonPort(1, 2, 1), 5), [fixture("zte_gpon_onu_detail_info.txt")])
    assert onu == ConfiguredOnu(
        5, "T-zte1-1-2-1-SPL7-2", auth="pw", serial="ZTEGC0000005", onu_type="ZTE-F601", run_state="working"
    )
    with pytest.raises(UnparsedOutput):
        check_read(ZTE.read_onu_detail(PonPort(1, 2, 1), 6), [fixture("zte_gpon_onu_detail_info.txt")])
