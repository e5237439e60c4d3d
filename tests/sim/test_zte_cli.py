"""feed()-level tests of the ZTE C300 dialect's state machine: modes, commands, errors, faults, paging."""

from __future__ import annotations

from typing import Any

import pytest

from ponaccept.sim.dialects import dialect_class
from ponaccept.sim.dialects import zte_render as r
from ponaccept.sim.dialects.base import Dialect, Reply
from ponaccept.sim.model import LabModel
from ponaccept.sim.topology import Topology

OLT = "zte-t"


def _topology(enable_password: str = "zxr10") -> Topology:
    onus: list[dict[str, Any]] = [
        {"sn": "ZTEGC0000001", "ont_id": 1, "desc": "cust-1", "splitter": "S32", "splitter_port": 1,
         "equipment": "ZTE-F660",
         "service_ports": [{"index": 7, "svlan": 300, "gemport": 1, "user_vlan": 501, "inner_vlan": 501,
                            "vport": 1, "local_index": 1}]},
        {"sn": "ZTEGC0000002", "auth": "password", "password": "5002", "ont_id": 2, "splitter": "S32",
         "splitter_port": 2, "equipment": "ZTE-F660", "powered": False},
        {"sn": "ZTEGC0000003", "ont_id": 3, "splitter": "S32", "splitter_port": 3, "equipment": "ZTE-F660"},
    ]  # fmt: skip
    olt = {
        "name": OLT,
        "dialect": "zte_c300",
        "hostname": "ZXAN",
        "username": "u",
        "password": "p",
        "enable_password": enable_password,
        "vlans": [300, 3000],
        "pon_ports": [
            {"frame": 1, "slot": 2, "port": 1, "tx_dbm": 4.8, "odn": {
                "feeder_km": 3.0, "splitters": [{"name": "S32", "ratio": 32}], "onus": onus}},
            {"frame": 1, "slot": 2, "port": 2, "odn": {"splitters": [{"name": "T8", "ratio": 8}]}},
        ],
    }  # fmt: skip
    return Topology.model_validate({"seed": 3, "olts": [olt]})


@pytest.fixture
def model() -> LabModel:
    m = LabModel(_topology())
    m.cut_fibre(OLT, "S32:3")  # ONU 3 has no light: LOS
    return m


def _session(model: LabModel) -> Dialect:
    return dialect_class("zte_c300")(model.olt(OLT), model, "u")


def _run(d: Dialect, *lines: str) -> list[Reply]:
    return [d.feed(line) for line in lines]


@pytest.fixture
def cfg(model: LabModel) -> Dialect:
    """A session in ``interface gpon-olt_1/2/1`` with paging off."""
    d = _session(model)
    replies = _run(
        d, "terminal length 0", "enable", "zxr10", "configure terminal", "interface gpon-olt_1/2/1"
    )
    assert [reply.text for reply in replies] == ["", "Password:", "", "", ""]
    assert d.prompt() == "ZXAN(config-if)#"
    return d


def test_login_modes_and_prompts(model: LabModel) -> None:
    d = _session(model)
    assert d.prompt() == "ZXAN>"
    assert d.feed("configure terminal").text == r.INVALID_COMMAND + "\n"
    ask = d.feed("enable")
    assert (ask.text, ask.prompt, ask.secret) == ("Password:", False, True)
    assert d.feed("wrong").text == "% Bad password\n"
    assert d.prompt() == "ZXAN>"
    d.feed("en")
    assert d.feed("zxr10").text == ""
    assert d.prompt() == "ZXAN#"
    d.feed("conf t")
    assert d.prompt() == "ZXAN(config)#"
    d.feed("int gpon-onu_1/2/1:1")
    assert d.prompt() == "ZXAN(config-if)#"
    d.feed("exit")
    assert d.prompt() == "ZXAN(config)#"
    d.feed("pon-onu-mng gpon-onu_1/2/1:1")
    assert d.prompt() == "ZXAN(gpon-onu-mng)#"
    d.feed("end")
    assert d.prompt() == "ZXAN#"
    d.feed("disable")
    assert d.prompt() == "ZXAN>"
    assert d.feed("exit").close


def test_enable_without_configured_secret_needs_no_password() -> None:
    m = LabModel(_topology(enable_password=""))
    d = _session(m)
    assert d.feed("enable") == Reply()
    assert d.prompt() == "ZXAN#"
    assert d.feed("write").text == "Building configuration...\n[OK]\n"
    assert d.feed("exit").close


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("frobnicate", r.INVALID_COMMAND),
        ("onu", r.INVALID_COMMAND),  # incomplete
        ("show pon power o gpon-olt_1/2/1", r.INVALID_COMMAND),  # ambiguous keyword
        ("onu 129 type ZTE-F660 pw abc", r.INVALID_PARAMETER),
        ("onu 0 type ZTE-F660 pw abc", r.INVALID_PARAMETER),
        ("onu x type ZTE-F660 pw abc", r.INVALID_PARAMETER),
        ("onu 9 type ZTE-F660 sn NOT-AN-SN", r.INVALID_PARAMETER),
        ("interface gpon-olt_1/9/1", r.INVALID_PARAMETER),
        ("interface gpon-olt_1/2", r.INVALID_PARAMETER),
        ("interface gpon-onu_1/2/1:44", r.ONU_NOT_EXIST),
        ("onu 1 type ZTE-F660 pw fresh", r.ONU_ID_EXISTS),
        ("onu 9 type ZTE-F660 pw 5002", r.ONU_PW_EXISTS),
        ("onu 9 type ZTE-F660 sn ZTEGC0000001", r.ONU_SN_EXISTS),
        ("onu 9 type ZTE-F660 sn 5A544547C0000001", r.ONU_SN_EXISTS),
        ("no onu 44", r.ONU_NOT_EXIST),
        ("show gpon onu state gpon-olt_1/2/1 44", r.ONU_NOT_EXIST),
        ("show pon power attenuation gpon-onu_1/2/1:44", r.ONU_NOT_EXIST),
        ("show gpon onu state gpon-olt_1/7/1", r.INVALID_PARAMETER),
    ],
)
def test_errors_leave_the_mode_unchanged(cfg: Dialect, line: str, error: str) -> None:
    assert cfg.feed(line).text == error + "\n"
    assert cfg.prompt() == "ZXAN(config-if)#"


def test_provision_then_delete_round_trip(cfg: Dialect, model: LabModel) -> None:
    plan = [
        "onu 5 type ZTE-F660 pw acc0005",
        "exit",
        "interface gpon-onu_1/2/1:5",
        "name acc-T5",
        "description project 9 port 5",
        "tcont 1 profile HSI_100",
        "gemport 1 unicast tcont 1 dir both",
        "service-port 1 vport 1 user-vlan 100 vlan 100 svlan 3000",
        "exit",
    ]
    assert all(reply.text == "" for reply in _run(cfg, *plan))
    entry = model.ont(OLT, (1, 2, 1), 5)
    assert (entry.auth, entry.password, entry.ont_type, entry.desc) == (
        "password",
        "acc0005",
        "ZTE-F660",
        "acc-T5",
    )
    assert entry.tconts == {1: "HSI_100"} and entry.gemports == {1: 1}
    (sp,) = model.service_ports(OLT, (1, 2, 1), 5)
    assert (sp.svlan, sp.inner_vlan, sp.user_vlan, sp.vport, sp.local_index) == (3000, 100, 100, 1, 1)
    assert sp.tag_transform == "translate-and-add"

    rc = cfg.feed("show running-config interface gpon-onu_1/2/1:5").text.splitlines()
    assert "  description project 9 port 5" in rc
    assert "  service-port 1 vport 1 user-vlan 100 vlan 100 svlan 3000" in rc
    olt_rc = cfg.feed("show running-config interface gpon-olt_1/2/1").text.splitlines()
    assert "  onu 5 type ZTE-F660 pw acc0005" in olt_rc
    assert "  onu 1 type ZTE-F660 sn ZTEGC0000001" in olt_rc
    detail = cfg.feed("show gpon onu detail-info gpon-onu_1/2/1:5").text.splitlines()
    assert "  Name:                 acc-T5" in detail
    assert "  Phase state:          OffLine" in detail

    _run(cfg, "interface gpon-onu_1/2/1:5", "no description", "no name")
    assert entry.desc == ""
    assert "description" not in cfg.feed("show running-config interface gpon-onu_1/2/1:5").text
    _run(cfg, "description again", "interface gpon-olt_1/2/1")
    assert cfg.feed("no onu 5").text == ""
    assert model.service_ports(OLT, (1, 2, 1), 5) == []
    assert cfg.feed("show gpon onu state gpon-olt_1/2/1 5").text == r.ONU_NOT_EXIST + "\n"
    # Re-created entries start clean: the description side table went with the old entry.
    _run(cfg, "onu 5 type ZTE-F660 pw acc0005", "interface gpon-onu_1/2/1:5")
    assert "description" not in cfg.feed("show running-config interface gpon-onu_1/2/1:5").text


def test_onu_interface_errors(cfg: Dialect, model: LabModel) -> None:
    _run(cfg, "interface gpon-onu_1/2/1:1")
    assert cfg.feed("gemport 2 tcont 4").text == r.TCONT_NOT_EXIST + "\n"
    assert cfg.feed("tcont 9 profile X").text == r.INVALID_PARAMETER + "\n"
    assert (
        cfg.feed("service-port 1 vport 1 user-vlan 9 vlan 9 svlan 3000").text == r.SERVICE_PORT_EXISTS + "\n"
    )
    assert (
        cfg.feed("service-port 2 vport 1 user-vlan 9 vlan 9 svlan 999").text
        == r.SERVICE_PORT_VLAN_MISSING + "\n"
    )
    assert cfg.feed("service-port 2 vport 1 user-vlan 9 vlan 5000").text == r.INVALID_PARAMETER + "\n"
    assert cfg.feed("no service-port 3").text == r.SERVICE_PORT_NOT_EXIST + "\n"
    # The topology's customer service port is addressed by its ZTE per-ONU number, not the global index.
    assert cfg.feed("no service-port 1").text == ""
    assert model.service_ports(OLT, (1, 2, 1), 1) == []
    assert cfg.feed("name has space").text == r.INVALID_COMMAND + "\n"


def test_onu_mng_lines_are_kept(cfg: Dialect) -> None:
    _run(cfg, "exit", "pon-onu-mng gpon-onu_1/2/1:1")
    assert cfg.feed("service HSI type internet gemport 1 vlan 100").text == ""
    assert cfg.feed("vlan port eth_0/1 mode tag vlan 100").text == ""
    assert cfg.feed("vlan port eth_0/1 mode tag vlan 100").text == ""
    out = cfg.feed("show onu running config gpon-onu_1/2/1:1").text.splitlines()
    assert out == [
        "pon-onu-mng gpon-onu_1/2/1:1",
        "  service HSI type internet gemport 1 vlan 100",
        "  vlan port eth_0/1 mode tag vlan 100",
        "!",
    ]


def test_state_and_optics_follow_the_model(cfg: Dialect, model: LabModel) -> None:
    state = cfg.feed("show gpon onu state gpon-olt_1/2/1").text.splitlines()
    assert state[2:] == [
        "gpon-onu_1/2/1:1       enable       enable       operation    working",
        "gpon-onu_1/2/1:2       enable       disable      unknown      DyingGasp",
        "gpon-onu_1/2/1:3       enable       disable      unknown      LOS",
    ]
    o = model.optics(OLT, (1, 2, 1), 1)
    att = cfg.feed("show pon power attenuation gpon-onu_1/2/1:1").text.splitlines()
    assert att[2].startswith(f" up      Rx :{o.olt_rx_dbm:.3f}(dbm)")
    assert f"Tx:{o.tx_dbm:.3f}(dbm)" in att[2]
    assert f"Rx:{o.rx_dbm:.3f}(dbm)" in att[4]
    tx = model.port_optics(OLT, (1, 2, 1)).tx_dbm
    assert att[4].startswith(f" down    Tx :{tx:.3f}(dbm)")
    assert att[4].endswith(f"{tx - o.rx_dbm:.3f}(dB)")
    offline = cfg.feed("show pon power attenuation gpon-onu_1/2/1:3").text.splitlines()
    assert offline[2] == " up      Rx :N/A               Tx:N/A               N/A"
    rx = cfg.feed("show pon power onu-rx gpon-olt_1/2/1").text.splitlines()
    assert rx[2] == f"gpon-onu_1/2/1:1    {o.rx_dbm:.3f}(dbm)"
    assert rx[3:] == ["gpon-onu_1/2/1:2    N/A", "gpon-onu_1/2/1:3    N/A"]
    assert (
        cfg.feed("sh pon pow olt-rx gpon-olt_1/2/1").text.splitlines()[2].endswith(f"{o.olt_rx_dbm:.3f}(dbm)")
    )
    assert cfg.feed("sh pon pow onu-tx gpon-olt_1/2/1").text.splitlines()[2].endswith(f"{o.tx_dbm:.3f}(dbm)")
    assert (
        cfg.feed("show pon power olt-tx gpon-olt_1/2/1").text.splitlines()[2]
        == f"1(GPON)             {tx:.3f}(dbm)"
    )
    assert cfg.feed("show gpon onu state gpon-olt_1/2/2").text == r.NO_INFO + "\n"


def test_plugged_test_onu_comes_online_and_unknown_sn_shows_as_uncfg(cfg: Dialect, model: LabModel) -> None:
    _run(cfg, "onu 6 type ZTE-F660 pw acc0006")
    model.plug(OLT, "S32", 6, password="acc0006")
    assert cfg.feed("show gpon onu state gpon-olt_1/2/1 6").text.splitlines()[2].endswith("working")
    assert cfg.feed("show gpon onu uncfg").text == r.NO_INFO + "\n"
    model.plug(OLT, "S32", 7, sn="5A544547C00000AA")
    uncfg = cfg.feed("show gpon onu uncfg gpon-olt_1/2/1").text.splitlines()
    assert uncfg[2].split() == ["gpon-onu_1/2/1:1", "ZTEGC00000AA", "unknown"]
    assert cfg.feed("show gpon onu by sn ZTEGC0000003").text.splitlines()[-1] == "gpon-onu_1/2/1:3"
    assert cfg.feed("show gpon onu by sn ZTEGC00000AA").text == r.NO_INFO + "\n"


def test_busy_fault_answers_configuration_commands_k_times(cfg: Dialect, model: LabModel) -> None:
    model.set_faults(OLT, busy_remaining=2)
    assert cfg.feed("onu 8 type ZTE-F660 pw acc0008").text == r.SYSTEM_BUSY + "\n"
    assert cfg.feed("show gpon onu state gpon-olt_1/2/1").text.startswith("OnuIndex")  # reads are not busy
    _run(cfg, "interface gpon-onu_1/2/1:1")
    assert cfg.feed("tcont 2 profile P").text == r.SYSTEM_BUSY + "\n"
    assert cfg.feed("tcont 2 profile P").text == ""
    assert model.ont(OLT, (1, 2, 1), 1).tconts == {2: "P"}


def test_paging_until_terminal_length_zero(model: LabModel) -> None:
    m = model
    for i in range(10, 40):
        m.add_ont(
            OLT, (1, 2, 1), i, auth="password", password=f"pw{i}", ont_type="ZTE-F660", first_id=1, max_id=128
        )
    d = _session(m)
    _run(d, "enable", "zxr10")
    paged = d.feed("show gpon onu state gpon-olt_1/2/1")
    assert len(paged.text.splitlines()) == 24
    assert paged.pages and "".join([paged.text, *paged.pages]).count("\n") == 2 + 33
    assert d.pager == "--More--"
    d.feed("terminal length 0")
    whole = d.feed("show gpon onu state gpon-olt_1/2/1")
    assert whole.pages == [] and whole.text.count("\n") == 35
    d.feed("terminal length 10")
    assert len(d.feed("show gpon onu state gpon-olt_1/2/1").pages) == 3


def test_blank_and_comment_lines_do_nothing(cfg: Dialect) -> None:
    assert cfg.feed("") == Reply()
    assert cfg.feed("!") == Reply()
    assert cfg.prompt() == "ZXAN(config-if)#"
