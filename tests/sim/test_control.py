"""Control surface over HTTP and Python, endpoints JSON, Nornir inventory, and ``ponaccept sim run``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from nornir import InitNornir

from fixtures.lab import LAB_TOPOLOGY
from ponaccept.sim.lab import Lab

OLT = "olt-hw-1"


@pytest.fixture
def http(fresh_lab: Lab) -> httpx.Client:
    assert fresh_lab.control_url is not None
    return httpx.Client(base_url=fresh_lab.control_url, timeout=5)


def _ont(state: dict[str, object], olt: str, pon: str, ont_id: int) -> dict[str, object]:
    onts = state[olt]["onts"]  # type: ignore[index]
    return next(o for o in onts if o["pon"] == pon and o["ont_id"] == ont_id)  # type: ignore[no-any-return]


def test_plug_over_http_brings_a_configured_ont_online(fresh_lab: Lab, http: httpx.Client) -> None:
    fresh_lab.model.add_ont(OLT, (0, 1, 0), 60, auth="password", password="HTTP0060", line_profile=10,
                            srv_profile=10)  # fmt: skip
    r = http.post(f"/olts/{OLT}/plug", json={"splitter": "HW1-A-1x32", "port": 16, "password": "HTTP0060"})
    assert r.status_code == 200 and r.json()["test"] is True
    ont = _ont(http.get("/state").json(), OLT, "0/1/0", 60)
    assert ont["online"] is True and ont["optics"]["rx_dbm"] < -10  # type: ignore[index]
    assert http.post(f"/olts/{OLT}/unplug", json={"splitter": "HW1-A-1x32", "port": 16}).status_code == 200
    assert _ont(http.get("/state").json(), OLT, "0/1/0", 60)["down_cause"] == "LOS"


def test_faults_and_odn_over_http(fresh_lab: Lab, http: httpx.Client) -> None:
    r = http.patch(f"/olts/{OLT}/faults", json={"latency_s": 0.2, "busy_remaining": 3, "snmp_silent": True})
    assert r.json()["busy_remaining"] == 3 and fresh_lab.model.faults(OLT).snmp_silent
    before = fresh_lab.model.optics(OLT, (0, 1, 0), 0).rx_dbm
    assert http.post(f"/olts/{OLT}/odn/dirty", json={"element": "0/1/0", "extra_db": 2.0}).status_code == 200
    assert fresh_lab.model.optics(OLT, (0, 1, 0), 0).rx_dbm == pytest.approx(before - 2.0, abs=0.011)
    assert http.post(f"/olts/{OLT}/odn/cut", json={"element": "HW1-A-1x32"}).status_code == 200
    assert not fresh_lab.model.ont(OLT, (0, 1, 0), 0).status.online
    assert http.post(f"/olts/{OLT}/odn/repair", json={"element": "HW1-A-1x32"}).status_code == 200
    assert http.post("/faults/clear", params={"olt": OLT}).status_code == 200
    assert fresh_lab.model.faults(OLT).latency_s == 0
    assert fresh_lab.model.optics(OLT, (0, 1, 0), 0).rx_dbm == before


def test_http_errors(http: httpx.Client) -> None:
    assert (
        http.post("/olts/nope/plug", json={"splitter": "X", "port": 1, "sn": "48575443AAAA0001"}).status_code
        == 404
    )
    taken = http.post(f"/olts/{OLT}/plug", json={"splitter": "HW1-A-1x32", "port": 1, "password": "x"})
    assert taken.status_code == 409 and "HW1-A-1x32:1" in taken.json()["detail"]
    assert http.post(f"/olts/{OLT}/odn/cut", json={"element": "nowhere"}).status_code == 409
    assert http.get("/olts/nope/onts").status_code == 404


def test_reset_over_http(fresh_lab: Lab, http: httpx.Client) -> None:
    fresh_lab.unplug(OLT, "HW1-A-1x32", 1)
    assert http.post("/reset").status_code == 200
    assert fresh_lab.model.ont(OLT, (0, 1, 0), 0).status.online


def test_endpoints_and_nornir_inventory(lab: Lab, tmp_path: Path) -> None:
    eps = json.loads(lab.write_endpoints(tmp_path / "eps.json").read_text())
    assert set(eps) == {"olt-hw-1", "olt-hw-2", "olt-zte-1"}
    assert eps[OLT]["vendor"] == "huawei" and eps["olt-zte-1"]["vendor"] == "zte"
    assert eps[OLT]["ssh_port"] != 10022  # the test lab runs on free ports
    inv = lab.write_nornir_inventory(tmp_path / "inv")
    assert "password" not in (inv / "hosts.yaml").read_text()
    nr = InitNornir(
        runner={"plugin": "serial"}, logging={"enabled": False},
        inventory={"plugin": "SimpleInventory", "options": {
            "host_file": str(inv / "hosts.yaml"), "group_file": str(inv / "groups.yaml"),
            "defaults_file": str(inv / "defaults.yaml")}},
    )  # fmt: skip
    host = nr.inventory.hosts[OLT]
    assert (host.port, host.platform, host.get("snmp_port")) == (
        eps[OLT]["ssh_port"],
        "huawei_smartax",
        eps[OLT]["snmp_port"],
    )
    assert nr.inventory.hosts["olt-zte-1"].platform == "zte_zxros"


def test_static_lab_inventory_matches_the_topology() -> None:
    inv = LAB_TOPOLOGY.parent
    nr = InitNornir(
        runner={"plugin": "serial"}, logging={"enabled": False},
        inventory={"plugin": "SimpleInventory", "options": {
            "host_file": str(inv / "hosts.yaml"), "group_file": str(inv / "groups.yaml"),
            "defaults_file": str(inv / "defaults.yaml")}},
    )  # fmt: skip
    lab = Lab(LAB_TOPOLOGY)
    for spec in lab.topology.olts:
        host = nr.inventory.hosts[spec.name]
        assert (host.hostname, host.port, host.get("snmp_port")) == (
            "127.0.0.1",
            spec.ssh_port,
            spec.snmp_port,
        )
        assert host.platform == {"huawei": "huawei_smartax", "zte": "zte_zxros"}[spec.vendor]
    for name in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
        text = (inv / name).read_text()
        assert "password" not in text.lower() and "community" not in text.lower()


def test_cli_sim_run_writes_endpoints_and_stops_on_sigterm(tmp_path: Path) -> None:
    eps_file = tmp_path / "eps.json"
    cmd = [sys.executable, "-m", "ponaccept.cli.main", "sim", "run", "--topology", str(LAB_TOPOLOGY),
           "--endpoints", str(eps_file), "--free-ports"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "COLUMNS": "160"})  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while not eps_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert eps_file.exists()
        assert set(json.loads(eps_file.read_text())) == {"olt-hw-1", "olt-hw-2", "olt-zte-1"}
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "olt-hw-1" in out and "MA5800-X7" in out and "lab stopped" in out


def test_taken_fixed_port_fails_cleanly_and_stop_closes_open_sessions() -> None:
    import socket

    from sim.sim_topologies import twin_ports
    from sim.test_netmiko_huawei import connect

    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken = blocker.getsockname()[1]
        topo = twin_ports()
        busy = topo.model_copy(update={"olts": [topo.olts[0].model_copy(update={"ssh_port": taken})]})
        with pytest.raises(OSError):
            Lab.start_in_thread(busy, snmp=False, control_port=None)
    handle = Lab.start_in_thread(twin_ports(), snmp=False, control_port=None)
    c = connect(handle.lab, "olt-a")
    assert c.find_prompt() == "OLT-A>"
    handle.stop()
    assert not c.is_alive()
