"""Every session/ODN fault as a client sees it (netmiko, a raw SSH client, the CLI)."""

from __future__ import annotations

import asyncio
import time

import asyncssh
import pytest
from netmiko import ReadTimeout

from ponaccept.sim.lab import Lab
from sim.test_netmiko_huawei import OLT, connect

ADD = 'ont add 0 {id} password-auth "{pw}" always-on omci ont-lineprofile-id 10 ont-srvprofile-id 10'


def test_latency_makes_a_short_read_timeout_fail(fresh_lab: Lab) -> None:
    c = connect(fresh_lab)
    c.enable()
    fresh_lab.set_faults(OLT, latency_s=1.5)
    started = time.monotonic()
    with pytest.raises(ReadTimeout):
        # expect_string skips netmiko's prompt probe (each probe line would also wait 1.5 s).
        c.send_command("display service-port all", expect_string="#", read_timeout=0.5, cmd_verify=False)
    assert time.monotonic() - started < 1.5
    fresh_lab.set_faults(OLT, latency_s=0)
    c.disconnect()


def test_latency_delays_but_a_patient_client_succeeds(fresh_lab: Lab) -> None:
    c = connect(fresh_lab)
    c.enable()
    fresh_lab.set_faults(OLT, latency_s=0.4)
    started = time.monotonic()
    out = c.send_command("display service-port all", read_timeout=5)
    assert time.monotonic() - started >= 0.4 and "Total : " in out
    fresh_lab.set_faults(OLT, latency_s=0)
    c.disconnect()


def test_refused_login_user_busy(fresh_lab: Lab) -> None:
    fresh_lab.set_faults(OLT, refuse_logins=True)
    # netmiko never sees a prompt: it times out, or finds the channel already closed.
    with pytest.raises((ReadTimeout, OSError)):
        connect(fresh_lab, read_timeout_override=1)
    ep = fresh_lab.endpoints()[OLT]

    async def raw() -> str:
        async with asyncssh.connect(
            ep["host"], ep["ssh_port"], username=ep["username"], password=ep["password"], known_hosts=None
        ) as conn:
            proc = await conn.create_process(term_type="vt100")
            text = await asyncio.wait_for(proc.stdout.read(), 5)
            return str(text)

    assert "Too many users are logged in" in asyncio.run(raw())  # then the channel closes
    fresh_lab.set_faults(OLT, refuse_logins=False)
    connect(fresh_lab).disconnect()


def test_session_dropped_after_n_commands(fresh_lab: Lab) -> None:
    # netmiko's login sends 5 non-empty lines (undo smart, enable, infoswitch cli OFF, disable, scroll);
    # enable() is the 6th; the 7th (config) hits a dead connection.
    fresh_lab.set_faults(OLT, drop_after_commands=6)
    c = connect(fresh_lab, read_timeout_override=2)
    c.enable()
    with pytest.raises((ReadTimeout, OSError, EOFError)):
        c.send_config_set(["interface gpon 0/1"])
    assert not c.is_alive()
    fresh_lab.set_faults(OLT, drop_after_commands=None)


def test_busy_k_times_then_success(fresh_lab: Lab) -> None:
    fresh_lab.set_faults(OLT, busy_remaining=2)
    c = connect(fresh_lab)
    c.enable()
    outs = [c.send_config_set(["interface gpon 0/1", ADD.format(id=50, pw="BUSY0050")]) for _ in range(3)]
    assert [("System is busy" in o, "success: 1" in o) for o in outs] == [(True, False)] * 2 + [(False, True)]
    c.disconnect()


def test_unplug_and_cut_show_not_online(fresh_lab: Lab) -> None:
    c = connect(fresh_lab)
    c.enable()
    c.send_config_set(["interface gpon 0/1", ADD.format(id=51, pw="PLUG0051")], exit_config_mode=False)
    fresh_lab.plug(OLT, "HW1-A-1x32", 15, password="PLUG0051")
    assert "Rx optical power(dBm)" in c.send_command("display ont optical-info 0 51")
    fresh_lab.cut_fibre(OLT, "HW1-A-1x32:15")
    assert "Failure: The ONT is not online" in c.send_command("display ont optical-info 0 51")
    assert "Last down cause         : LOS" in c.send_command("display ont info 0 51")
    fresh_lab.repair_fibre(OLT, "HW1-A-1x32:15")
    assert "Rx optical power(dBm)" in c.send_command("display ont optical-info 0 51")
    fresh_lab.unplug(OLT, "HW1-A-1x32", 15)
    assert "Failure: The ONT is not online" in c.send_command("display ont optical-info 0 51")
    c.disconnect()


def test_dirty_connector_seen_in_cli_readings(fresh_lab: Lab) -> None:
    before = fresh_lab.model.optics(OLT, (0, 1, 1), 0)
    fresh_lab.dirty_connector(OLT, "0/1/1", 1.7)
    c = connect(fresh_lab)
    c.enable()
    c.send_config_set(["interface gpon 0/1"], exit_config_mode=False)
    text = c.send_command("display ont optical-info 1 0")
    assert f"Rx optical power(dBm)                  : {before.rx_dbm - 1.7:.2f}" in text
    assert f"OLT Rx ONT optical power(dBm)          : {before.olt_rx_dbm - 1.7:.2f}" in text
    c.disconnect()
