"""Byte-level checks of the ZTE C300 renderers against the transcripts in reference/vendor-cli-snmp.md §2."""

from __future__ import annotations

import re

import pytest

from ponaccept.sim.dialects import zte_render as r

REFERENCE_ATTENUATION = [
    "           OLT                  ONU              Attenuation",
    "--------------------------------------------------------------------------",
    " up      Rx :-20.241(dbm)      Tx:2.423(dbm)        22.664(dB)",
    "",
    " down    Tx :5.369(dbm)        Rx:-16.676(dbm)      22.045(dB)",
]

REFERENCE_ONU_RX = [
    "Onu                 Rx power",
    "------------------------------------",
    "gpon-onu_1/1/1:1    -16.676(dbm)",
    "gpon-onu_1/1/1:3    N/A",
]

REFERENCE_STATE = [
    "OnuIndex               Admin State  OMCC State   O7 State     Phase State",
    "----------------------------------------------------------------------------",
    "gpon-onu_1/1/1:1       enable       enable       operation    working",
    "gpon-onu_1/1/1:3       enable       disable      unknown      LOS",
]


def test_attenuation_matches_reference_transcript_byte_for_byte() -> None:
    powers = r.LinkPowers(olt_rx=-20.241, onu_tx=2.423, olt_tx=5.369, onu_rx=-16.676)
    assert r.render_attenuation(powers) == REFERENCE_ATTENUATION


def test_attenuation_without_readings_keeps_columns_and_says_na() -> None:
    lines = r.render_attenuation(r.LinkPowers(None, None, 5.369, None))
    assert lines[2] == " up      Rx :N/A               Tx:N/A               N/A"
    assert lines[4] == " down    Tx :5.369(dbm)        Rx:N/A               N/A"
    assert all(line == line.rstrip() for line in lines)


def test_attenuation_is_the_difference_of_the_printed_values() -> None:
    lines = r.render_attenuation(r.LinkPowers(-27.004, 2.0049, 3.5, -19.12))
    up = re.findall(r"-?\d+\.\d+", lines[2])
    assert float(up[1]) - float(up[0]) == pytest.approx(float(up[2]), abs=1e-9)
    assert lines[4].endswith("22.620(dB)")


def test_onu_rx_table_matches_reference() -> None:
    rows = [("gpon-onu_1/1/1:1", -16.676), ("gpon-onu_1/1/1:3", None)]
    assert r.render_port_powers("onu-rx", rows) == REFERENCE_ONU_RX


@pytest.mark.parametrize(("kind", "title"), [("onu-tx", "Tx power"), ("olt-rx", "Rx power")])
def test_other_port_power_tables_share_the_layout(kind: str, title: str) -> None:
    lines = r.render_port_powers(kind, [("gpon-onu_1/1/1:1", 2.445)])
    assert lines == [f"Onu                 {title}", "-" * 36, "gpon-onu_1/1/1:1    2.445(dbm)"]


def test_olt_tx_table() -> None:
    assert r.render_olt_tx(3.488) == [
        "Channel             Tx power",
        "-" * 36,
        "1(GPON)             3.488(dbm)",
    ]
    assert r.render_olt_tx(None)[2] == "1(GPON)             N/A"


def test_onu_state_matches_reference() -> None:
    rows = [r.state_row("gpon-onu_1/1/1:1", "working"), r.state_row("gpon-onu_1/1/1:3", "LOS")]
    assert r.render_onu_state(rows) == REFERENCE_STATE


def test_interface_names_round_trip_and_reject_garbage() -> None:
    assert r.parse_olt_if("gpon-olt_1/2/1") == (1, 2, 1)
    assert r.parse_onu_if("GPON-ONU_1/2/1:5") == ((1, 2, 1), 5)
    assert r.onu_if("1/2/1", 5) == "gpon-onu_1/2/1:5"
    assert r.parse_olt_if("gpon-olt_1/2") is None
    assert r.parse_onu_if("gpon-onu_1/2/1") is None
    assert r.parse_onu_if("gpon_onu-1/1/1:1") is None  # C600 naming is a different platform


def _onu(**kw: object) -> r.OnuConfig:
    base: dict[str, object] = {"pon": "1/2/1", "onu_id": 5, "onu_type": "ZTE-F660"}
    base.update(kw)
    return r.OnuConfig(**base)  # type: ignore[arg-type]


def test_running_config_olt_lists_registrations_in_id_order() -> None:
    onus = [_onu(onu_id=7, password="pw123456"), _onu(onu_id=2, sn_hex="5A544547C0000001")]
    lines = r.render_running_config_olt("1/2/1", onus)
    assert lines[:2] == ["Building configuration...", "interface gpon-olt_1/2/1"]
    onu_lines = [line for line in lines if line.startswith("  onu ")]
    assert onu_lines == ["  onu 2 type ZTE-F660 sn ZTEGC0000001", "  onu 7 type ZTE-F660 pw pw123456"]
    assert lines[-2:] == ["!", "end"]


def test_running_config_onu_shows_line_configuration_with_qinq() -> None:
    onu = _onu(
        name="acc-T1",
        description="proj-9",
        tconts=[(1, "HSI_100")],
        gemports=[(1, 1)],
        service_ports=[(1, 1, 100, 100, 2001), (2, 1, 200, 200, None)],
    )
    assert r.render_running_config_onu(onu) == [
        "Building configuration...",
        "interface gpon-onu_1/2/1:5",
        "  name acc-T1",
        "  description proj-9",
        "  tcont 1 profile HSI_100",
        "  gemport 1 unicast tcont 1 dir both",
        "  service-port 1 vport 1 user-vlan 100 vlan 100 svlan 2001",
        "  service-port 2 vport 1 user-vlan 200 vlan 200",
        "!",
        "end",
    ]


def test_detail_info_fields_are_aligned_and_parseable() -> None:
    onu = _onu(sn_hex="5A544547C0000001", name="acc-T1", description="proj 9")
    lines = r.render_detail_info(onu, "working", 1523, 3723)
    fields: dict[str, str] = {}
    for line in lines:
        m = re.match(r"^  ([^:]+):\s*(.*)$", line)
        assert m is not None, line
        fields[m[1]] = m[2]
    assert fields["Name"] == "acc-T1"
    assert fields["Description"] == "proj 9"
    assert fields["Serial number"] == "ZTEGC0000001"
    assert fields["Phase state"] == "working"
    assert fields["ONU Distance"] == "1523m"
    assert fields["Online Duration"] == "1h 2m 3s"
    assert lines[1] == "  Name:                 acc-T1"
    assert all(line == line.rstrip() for line in lines)
    offline = r.render_detail_info(onu, "LOS", 1523, 99)
    assert "  ONU Distance:         N/A" in offline
    assert "  Online Duration:      0h 0m 0s" in offline


def test_by_sn_and_uncfg_fall_back_to_no_information_code() -> None:
    assert r.render_by_sn([]) == [r.NO_INFO]
    assert r.render_by_sn(["gpon-onu_1/2/1:5"])[-1] == "gpon-onu_1/2/1:5"
    assert r.render_uncfg([]) == ["%Code 32310-GPONSRV : No related information to show."]
    assert r.render_uncfg([("gpon-onu_1/2/1:1", "5A544547C0000009")])[2].split() == [
        "gpon-onu_1/2/1:1",
        "ZTEGC0000009",
        "unknown",
    ]


def test_baseinfo_rows() -> None:
    lines = r.render_baseinfo(
        [_onu(password="12345678"), _onu(onu_id=6, sn_hex="5A544547C0000001")], ["working", "LOS"]
    )
    assert lines[2].split() == ["gpon-onu_1/2/1:5", "ZTE-F660", "pw", "PW:12345678", "ready"]
    assert lines[3].split() == ["gpon-onu_1/2/1:6", "ZTE-F660", "sn", "SN:ZTEGC0000001", "offline"]


def test_pager_strings() -> None:
    assert r.MORE == "--More--"
    assert r.MORE_ERASE == "\b" * 8 + " " * 8 + "\b" * 8


GRAMMAR = [
    r.Command(frozenset({"m"}), ("onu", "<n>", "type", "<word>", "pw", "<word>"), "add"),
    r.Command(frozenset({"m"}), ("no", "onu", "<n>"), "delete"),
    r.Command(frozenset({"m"}), ("show", "pon", "power", "onu-rx", "<olt>"), "onu-rx"),
    r.Command(frozenset({"m"}), ("show", "pon", "power", "olt-rx", "<olt>"), "olt-rx"),
    r.Command(frozenset({"m"}), ("show", "gpon", "onu", "state", "<olt>"), "state"),
    r.Command(frozenset({"m"}), ("show", "gpon", "onu", "by", "sn", "<sn>"), "by-sn"),
    r.Command(frozenset({"m"}), ("description", "<rest>"), "desc"),
    r.Command(frozenset({"m"}), ("interface", "<olt>"), "if-olt"),
    r.Command(frozenset({"m"}), ("interface", "<onu>"), "if-onu"),
]


def _match(line: str) -> tuple[str, list[object]] | str:
    found = r.match_command(GRAMMAR, line)
    return found if isinstance(found, str) else (found[0].handler, found[1])


def test_grammar_accepts_unique_prefixes_and_parses_arguments() -> None:
    assert _match("onu 5 type ZTE-F660 pw acc5") == ("add", [5, "ZTE-F660", "acc5"])
    assert _match("sh gp o st gpon-olt_1/2/1") == ("state", [(1, 2, 1)])
    assert _match("SHOW PON POWER ONU-RX gpon-olt_1/2/1") == ("onu-rx", [(1, 2, 1)])
    assert _match("sh gpon onu by sn ZTEGC0000001") == ("by-sn", ["5A544547C0000001"])
    assert _match("int gpon-onu_1/2/1:7") == ("if-onu", [((1, 2, 1), 7)])
    assert _match("int gpon-olt_1/2/1") == ("if-olt", [(1, 2, 1)])
    assert _match("description  two  words ") == ("desc", ["two  words"])


def test_grammar_errors() -> None:
    assert _match("show pon power o gpon-olt_1/2/1") == r.INVALID_COMMAND  # o → onu-rx or olt-rx
    assert _match("no onu") == r.INVALID_COMMAND  # incomplete
    assert _match("no onu 5 extra") == r.INVALID_COMMAND
    assert _match("no onu five") == r.INVALID_PARAMETER
    assert _match("interface gpon-olt_1/2") == r.INVALID_PARAMETER
    assert _match("sh gpon onu by sn 123") == r.INVALID_PARAMETER
    assert _match("description") == r.INVALID_COMMAND
