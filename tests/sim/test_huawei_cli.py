"""Huawei MA5800 dialect without sockets: modes, hints, paging, every error reply, ntc-templates parsing."""

from __future__ import annotations

import pytest
from ntc_templates.parse import parse_output

from fixtures.lab import LAB_TOPOLOGY
from ponaccept.sim.dialects import dialect_class
from ponaccept.sim.dialects.base import Dialect
from ponaccept.sim.model import LabModel
from ponaccept.sim.topology import Topology

OLT = "olt-hw-1"
ADD = 'ont add 0 {id} password-auth "{pw}" always-on omci ont-lineprofile-id 10 ont-srvprofile-id 10 desc "t"'
SP = (
    "service-port {idx} vlan 100 gpon 0/1/0 ont {id} gemport 1 multi-service user-vlan {cv} "
    "tag-transform translate"
)


@pytest.fixture(scope="module")
def topology() -> Topology:
    return Topology.load(LAB_TOPOLOGY)


@pytest.fixture
def model(topology: Topology) -> LabModel:
    return LabModel(topology)


def session(model: LabModel, *lines: str) -> Dialect:
    d = dialect_class("huawei_ma5800")(model.olt(OLT), model, "labadmin")
    for line in lines:
        d.feed(line)
    return d


def gpon(model: LabModel) -> Dialect:
    return session(model, "undo smart", "enable", "scroll", "config", "interface gpon 0/1")


def test_modes_and_prompts(model: LabModel) -> None:
    d = session(model)
    assert d.prompt() == "MA5800-X7>"
    assert "% Unknown command" in d.feed("config").text  # must enable first, as on the device
    d.feed("enable")
    assert d.prompt() == "MA5800-X7#"
    d.feed("config")
    assert d.prompt() == "MA5800-X7(config)#"
    d.feed("interface gpon 0/1")
    assert d.prompt() == "MA5800-X7(config-if-gpon-0/1)#"
    d.feed("quit")
    assert d.prompt() == "MA5800-X7(config)#"
    d.feed("interface gpon 0/2")
    d.feed("return")
    assert d.prompt() == "MA5800-X7#"
    assert "Parameter error" in session(model, "enable", "config").feed("interface gpon 0/9").text


def test_unknown_command_caret_points_at_the_word(model: LabModel) -> None:
    d = session(model, "enable")
    text = d.feed("displya ont info 0 1 0 all").text
    caret, message = text.splitlines()[:2]
    assert caret == " " * len("MA5800-X7#") + "^"
    assert message == "  % Unknown command, the error locates at '^'"


def test_logout_confirmation(model: LabModel) -> None:
    d = session(model, "enable")
    r = d.feed("quit")
    assert r.text.endswith("Are you sure to log out? (y/n)[n]:") and not r.prompt
    assert not d.feed("n").close
    d.feed("quit")
    r = d.feed("y")
    assert r.close and "Configuration console exit, please retry to log on" in r.text


def test_smart_mode_hints_then_undo_smart(model: LabModel) -> None:
    d = session(model, "enable", "config", "interface gpon 0/1")
    r = d.feed(ADD.format(id=20, pw="SMART001"))
    assert r.text == "{ <cr>|ont-type<K> }: " and not r.prompt
    r = d.feed("")
    assert r.text.startswith("  Command:\n          ont add 0 20 ")
    assert "PortID :0, ONTID :20" in r.text
    assert d.feed("display ont info 0 20").text == "{ <cr>||<K> }:"
    assert "ONT-ID                  : 20" in d.feed("").text
    d.feed("undo smart")
    assert d.feed(ADD.format(id=21, pw="SMART002")).text.startswith("  Number of ONTs")
    assert session(model).feed("scroll").text == "{ <cr>|number<U><10,512> }:"


def test_paging_until_scroll(model: LabModel) -> None:
    d = session(model, "undo smart", "enable")
    r = d.feed("display ont info 0 1 0 1")
    assert r.pages and d.pager == "---- More ( Press 'Q' to break ) ----"
    d.feed("scroll")
    assert not d.feed("display ont info 0 1 0 1").pages


def test_add_errors(model: LabModel) -> None:
    d = gpon(model)
    assert "success: 1" in d.feed(ADD.format(id=20, pw="PW000001")).text
    assert d.feed(ADD.format(id=20, pw="PW000002")).text == "  Failure: The ONT ID has already existed\n\n"
    sn_add = 'ont add 0 21 sn-auth "48575443A1000001" omci ont-lineprofile-id 10 ont-srvprofile-id 10'
    assert d.feed(sn_add).text == "  Failure: SN already exists\n\n"
    bad_profile = ADD.format(id=22, pw="PW000003").replace("ont-lineprofile-id 10", "ont-lineprofile-id 77")
    assert d.feed(bad_profile).text == "  Failure: The ont-lineprofile does not exist\n\n"
    assert "Parameter error" in d.feed(ADD.format(id=200, pw="PW000004")).text
    assert "Parameter error" in d.feed(ADD.format(id=23, pw="PASSWORD-TOO-LONG")).text
    assert "Incomplete command" in d.feed('ont add 0 24 password-auth "PW5" omci').text


def test_delete_and_service_port_errors(model: LabModel) -> None:
    d = gpon(model)
    d.feed(ADD.format(id=30, pw="PW000030"))
    d.feed("quit")
    assert d.feed(SP.format(idx=900, id=30, cv=3001)).text == ""
    assert d.feed(SP.format(idx=901, id=30, cv=3001)).text == (
        "  Failure: Service virtual port has existed already\n"
        "  Conflicted service virtual port index: 900\n\n"
    )
    assert d.feed(SP.format(idx=902, id=99, cv=3002)).text == "  Failure: The ONT does not exist\n\n"
    no_vlan = SP.format(idx=903, id=30, cv=3003).replace("vlan 100", "vlan 999")
    assert d.feed(no_vlan).text == "  Failure: VLAN does not exist\n\n"
    d.feed("interface gpon 0/1")
    assert d.feed("ont delete 0 30").text == (
        "  Failure: This configured object has some service virtual\n  ports\n\n"
    )
    assert d.feed("ont delete 0 99").text == "  Failure: The ONT does not exist\n\n"
    d.feed("quit")
    r = d.feed("undo service-port vlan 100 gpon 0/1/0 ont 30 gemport 1")
    assert r.text.endswith("Are you sure to release service virtual port(s)? (y/n)[n]:")
    assert "deleted: 1" in d.feed("y").text
    d.feed("interface gpon 0/1")
    assert d.feed("ont delete 0 30").text == "  Number of ONTs that can be deleted: 1, success: 1\n\n"


def test_optics_errors_and_busy(model: LabModel) -> None:
    d = gpon(model)
    assert d.feed("display ont optical-info 0 2").text == "  Failure: The ONT is not online\n\n"
    assert d.feed("display ont optical-info 0 99").text == "  Failure: The ONT does not exist\n\n"
    model.set_faults(OLT, busy_remaining=1)
    assert d.feed(ADD.format(id=40, pw="PW000040")).text == (
        "  Failure: System is busy, please retry after a while\n\n"
    )
    assert "success: 1" in d.feed(ADD.format(id=40, pw="PW000040")).text
    assert "The required ONT does not exist" in d.feed("display ont info by-sn 48575443FFFFFFFF").text


def test_port_state_shows_olt_tx_power(model: LabModel) -> None:
    text = gpon(model).feed("display port state 0").text
    tx = model.port_optics(OLT, (0, 1, 0)).tx_dbm
    assert f"  TX power(dBm)                {tx:.2f}\n" in text


def test_ntc_templates_parse_the_outputs(model: LabModel) -> None:
    model.plug(OLT, "HW1-A-1x32", 12, password="NTC00001")
    d = gpon(model)
    cmd = ADD.format(id=12, pw="NTC00001")
    added = parse_output(platform="huawei_smartax", command=cmd, data=d.feed(cmd).text)
    assert added == [{"onts": "1", "success": "1", "port_id": "0", "ont_id": "12"}]

    table = parse_output(platform="huawei_smartax", command="display ont info 0 1 0 all",
                         data=d.feed("display ont info 0 1 0 all").text)  # fmt: skip
    by_id = {row["ont_id"]: row for row in table}
    assert by_id["12"]["run_state"] == "online" and by_id["12"]["description"] == "t"
    assert by_id["2"]["run_state"] == "offline" and by_id["2"]["serial_number"] == "48575443A1000003"

    detail = parse_output(platform="huawei_smartax", command="display ont info 0 12",
                          data=d.feed("display ont info 0 12").text)  # fmt: skip
    optics = model.optics(OLT, (0, 1, 0), 12)
    assert detail[0]["run_state"] == "online" and detail[0]["distance_m"] == str(optics.distance_m)
    by_sn = parse_output(platform="huawei_smartax", command="display ont info by-sn 48575443A1000001",
                         data=d.feed("display ont info by-sn 48575443A1000001").text)  # fmt: skip
    assert by_sn[0]["ont_id"] == "0" and by_sn[0]["authentic_type"] == "SN-auth"

    rows = parse_output(platform="huawei_smartax", command="display ont optical-info 0 all",
                        data=d.feed("display ont optical-info 0 all").text)  # fmt: skip
    row = next(r for r in rows if r["ont_id"] == "12")
    assert float(row["rx_power"]) == optics.rx_dbm and float(row["olt_rx_ont"]) == optics.olt_rx_dbm
    assert "2" not in {r["ont_id"] for r in rows}  # offline ONTs have no optics row

    d.feed("quit")
    d.feed(SP.format(idx=700, id=12, cv=3100))
    sps = parse_output(platform="huawei_smartax", command="display service-port all",
                       data=d.feed("display service-port all").text)  # fmt: skip
    sp = next(r for r in sps if r["index"] == "700")
    assert (sp["vlan_id"], sp["ont_id"], sp["vlan_access"], sp["state"]) == ("100", "12", "3100", "up")
    assert next(r for r in sps if r["index"] == "1002")["state"] == "down"


def test_autofind_lists_unmatched_onus(model: LabModel) -> None:
    d = gpon(model)
    assert "The automatically found ONTs do not exist" in d.feed("display ont autofind all").text
    model.plug(OLT, "HW1-A-1x32", 20, sn="48575443EEEE0001")
    rows = parse_output(platform="huawei_smartax", command="display ont autofind all",
                        data=d.feed("display ont autofind all").text)  # fmt: skip
    assert [(r["fsp"], r["serial_number"]) for r in rows] == [("0/1/0", "48575443EEEE0001 (HWTC-EEEE0001)")]


def test_interface_forms_and_single_index_undo(model: LabModel) -> None:
    d = gpon(model)
    table = d.feed("display ont info 0 all").text  # interface-mode "P all"
    assert "In port 0/ 1/0 , the total of ONTs are: 4, online: 3" in table
    assert "Failure" not in d.feed("display port state all").text
    d.feed("ont modify 0 1 desc renamed-1002")
    assert model.ont(OLT, (0, 1, 0), 1).desc == "renamed-1002"
    d.feed("quit")
    by_port = d.feed("display service-port port 0/1/1").text
    assert "    1100 101  common   gpon 0/1 /1  0    1     vlan  2001       -    -    up   " in by_port
    assert "1000" not in by_port
    assert d.feed("undo service-port 1100").text == ""
    assert (
        d.feed("display service-port port 0/1/1").text
        == "  Failure: No service virtual port can be operated\n\n"
    )
    assert d.feed("undo service-port 1100").text == "  Failure: No service virtual port can be operated\n\n"
    d.feed("scroll 10")
    assert d.page_lines == 10 and d.paging
