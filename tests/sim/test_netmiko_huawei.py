"""netmiko's own ``huawei_smartax`` driver against the lab: login, enable, config plans, displays, logout."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from netmiko import BaseConnection, ConnectHandler

from ponaccept.sim import errors
from ponaccept.sim.lab import Lab

OLT = "olt-hw-1"
PLAN = [
    "interface gpon 0/1",
    'ont add 0 40 password-auth "NMK00040" always-on omci ont-lineprofile-id 10 ont-srvprofile-id 10 '
    'desc "acc-test-40"',
    "quit",
    "service-port 4040 vlan 100 gpon 0/1/0 ont 40 gemport 1 multi-service user-vlan 3040 "
    "tag-transform translate-and-add inner-vlan 3040",
]


def connect(lab: Lab, olt: str = OLT, **extra: Any) -> BaseConnection:
    ep = lab.endpoints()[olt]
    return ConnectHandler(
        device_type="huawei_smartax", host=ep["host"], port=ep["ssh_port"], username=ep["username"],
        password=ep["password"], fast_cli=True, **extra,
    )  # fmt: skip


@pytest.fixture
def conn(fresh_lab: Lab) -> Iterator[BaseConnection]:
    c = connect(fresh_lab)
    yield c
    c.disconnect()


def _in_gpon(c: BaseConnection) -> None:
    if not c.check_config_mode():
        c.config_mode()
    c.send_command("interface gpon 0/1", expect_string=r"\)#")


def test_login_lands_in_user_mode_with_base_prompt(conn: BaseConnection) -> None:
    assert conn.base_prompt == "MA5800-X7"
    assert conn.find_prompt() == "MA5800-X7>"
    conn.enable()
    assert conn.check_enable_mode()


def test_provision_plug_read_delete_round_trip(fresh_lab: Lab, conn: BaseConnection) -> None:
    conn.enable()
    out = conn.send_config_set(PLAN)
    assert "PortID :0, ONTID :40" in out and "Failure" not in out
    assert not fresh_lab.model.ont(OLT, (0, 1, 0), 40).status.online

    fresh_lab.plug(OLT, "HW1-A-1x32", 14, password="NMK00040")
    table = conn.send_command("display ont info 0 1 0 all", use_textfsm=True)
    assert isinstance(table, list)
    row = next(r for r in table if r["ont_id"] == "40")
    assert (row["run_state"], row["description"]) == ("online", "acc-test-40")

    _in_gpon(conn)
    optics = conn.send_command("display ont optical-info 0 all", use_textfsm=True)
    assert isinstance(optics, list)
    mine = next(r for r in optics if r["ont_id"] == "40")
    model_optics = fresh_lab.model.optics(OLT, (0, 1, 0), 40)
    assert float(mine["rx_power"]) == model_optics.rx_dbm
    assert float(mine["olt_rx_ont"]) == model_optics.olt_rx_dbm
    single = conn.send_command("display ont optical-info 0 40")
    assert f"Rx optical power(dBm)                  : {model_optics.rx_dbm:.2f}" in single
    tx = conn.send_command("display port state 0")
    assert "TX power(dBm)" in tx

    sps = conn.send_command("display service-port all", use_textfsm=True)
    assert isinstance(sps, list)
    assert any(r["index"] == "4040" and r["vlan_access"] == "3040" for r in sps)

    conn.send_command("quit", expect_string=r"\)#")
    undo = conn.send_command(
        "undo service-port vlan 100 gpon 0/1/0 ont 40 gemport 1", expect_string=r"\(y/n\)\[n\]:"
    )
    assert "Are you sure to release service virtual port(s)?" in undo
    assert "deleted: 1" in conn.send_command("y", expect_string=r"\)#")
    out = conn.send_config_set(["interface gpon 0/1", "ont delete 0 40"], exit_config_mode=False)
    assert "Number of ONTs that can be deleted: 1, success: 1" in out
    assert "Failure: The ONT does not exist" in conn.send_command("display ont info 0 40")
    with pytest.raises(errors.OntNotFound):
        fresh_lab.model.ont(OLT, (0, 1, 0), 40)


def test_failures_reach_the_client_verbatim(conn: BaseConnection) -> None:
    conn.enable()
    again = 'ont add 0 0 sn-auth "48575443A1000001" omci ont-lineprofile-id 10 ont-srvprofile-id 10'
    out = conn.send_config_set(["interface gpon 0/1", again])
    assert "  Failure: The ONT ID has already existed" in out
    _in_gpon(conn)
    assert "Failure: The ONT is not online" in conn.send_command("display ont optical-info 0 2")


def test_disconnect_answers_the_logout_question(fresh_lab: Lab) -> None:
    c = connect(fresh_lab)
    c.enable()
    c.disconnect()
    assert not c.is_alive()
