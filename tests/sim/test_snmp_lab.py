"""SNMP serves the lab model: what the model says (and the CLI prints) is what net-snmp reads.

Most tests run ``start_agent(model)`` — the call ``ponaccept.sim.lab.Lab`` makes — on an event loop in a
background thread and drive the model directly, as the SSH dialects and the control surface do. The last
one goes through the whole session lab: an ONT added with netmiko over SSH, read back with net-snmp.
"""

from __future__ import annotations

import asyncio
import gc
import socket
import subprocess
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from netmiko import ConnectHandler

from ponaccept.sim.lab import Lab
from ponaccept.sim.model import LabModel
from ponaccept.sim.snmp import mib_huawei, mib_zte
from ponaccept.sim.snmp.adapter import LabSnmpHandle, start_agent
from ponaccept.sim.topology import Topology

T = TypeVar("T")

LAB_TOPOLOGY = Path(__file__).resolve().parents[2] / "inventories" / "lab" / "topology.yaml"
HW = "hw-lab"
ZTE = "zte-lab"
HW_PON = (0, 1, 0)
ZTE_PON = (1, 2, 1)
NO_INSTANCE = "No Such Instance currently exists at this OID"


def topology(hw_port: int = 0, zte_port: int = 0) -> Topology:
    def onu(sn: str, ont_id: int, splitter: str, splitter_port: int, **extra: Any) -> dict[str, Any]:
        return {"sn": sn, "ont_id": ont_id, "splitter": splitter, "splitter_port": splitter_port, **extra}

    return Topology.model_validate(
        {
            "seed": 7,
            "olts": [
                {
                    "name": HW,
                    "dialect": "huawei_ma5800",
                    "hostname": "MA5800-LAB",
                    "snmp_port": hw_port,
                    "username": "u",
                    "password": "p",
                    "community": "hw-community",
                    "pon_ports": [
                        {
                            "frame": 0,
                            "slot": 1,
                            "port": 0,
                            "odn": {
                                "feeder_km": 3.0,
                                "splitters": [{"name": "HW-A", "ratio": 32}],
                                "onus": [
                                    onu("48575443A0000001", 0, "HW-A", 1),
                                    onu("48575443A0000002", 1, "HW-A", 2, powered=False),
                                ],
                            },
                        }
                    ],
                },
                {
                    "name": ZTE,
                    "dialect": "zte_c300",
                    "hostname": "ZXAN-LAB",
                    "model_name": "C320",
                    "snmp_port": zte_port,
                    "username": "u",
                    "password": "p",
                    "community": "zte-community",
                    "pon_ports": [
                        {
                            "frame": 1,
                            "slot": 2,
                            "port": 1,
                            "odn": {
                                "feeder_km": 5.0,
                                "splitters": [{"name": "ZT-A", "ratio": 64}],
                                "onus": [onu("5A544547C0000001", 1, "ZT-A", 3)],
                            },
                        }
                    ],
                },
            ],
        }
    )


class LoopThread:
    """The lab's event loop, in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def snmpget(port: int, community: str, *oids: str, timeout: int = 2) -> subprocess.CompletedProcess[str]:
    command = ["snmpget", "-v2c", "-c", community, "-On", "-OQ", "-t", str(timeout), "-r", "0"]
    return subprocess.run(
        [*command, f"127.0.0.1:{port}", *oids], capture_output=True, text=True, timeout=30, check=False
    )


def read(port: int, community: str, *oids: str) -> dict[str, str]:
    result = snmpget(port, community, *oids)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" = ", 1) for line in result.stdout.splitlines())


def bulkwalk(port: int, community: str, oid: str) -> dict[str, str]:
    command = ["snmpbulkwalk", "-v2c", "-c", community, "-On", "-OQ", "-Cr50", "-t", "2", "-r", "0"]
    result = subprocess.run(
        [*command, f"127.0.0.1:{port}", oid], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return dict(line.split(" = ", 1) for line in result.stdout.splitlines())


def text(oid: tuple[int, ...]) -> str:
    return "." + ".".join(map(str, oid))


@pytest.fixture
def served() -> Iterator[tuple[LabModel, LabSnmpHandle]]:
    loop = LoopThread()
    model = LabModel(topology())
    handle = loop.run(start_agent(model))
    yield model, handle
    loop.run(handle.stop())
    loop.close()


def huawei_ddm(ont_id: int, column: int) -> str:
    return text((*mib_huawei.ONT_DDM, column, mib_huawei.pon_ifindex(*HW_PON), ont_id))


def huawei_control(ont_id: int, column: int) -> str:
    return text((*mib_huawei.ONT_CONTROL, column, mib_huawei.pon_ifindex(*HW_PON), ont_id))


def test_huawei_ont_added_then_plugged_then_deleted(served: tuple[LabModel, LabSnmpHandle]) -> None:
    model, handle = served
    port, community = handle.ports[HW], "hw-community"
    model.add_ont(HW, HW_PON, 7, auth="password", password="0100000777", desc="acc-test-7")
    oids = [huawei_ddm(7, 4), huawei_ddm(7, 3), huawei_ddm(7, 6), huawei_control(7, 15)]
    assert read(port, community, *oids) == dict.fromkeys(oids[:3], "2147483647") | {oids[3]: "2"}

    model.plug(HW, "HW-A", 10, password="0100000777")
    optics = model.optics(HW, HW_PON, 7)
    values = read(port, community, *oids, huawei_control(7, 20))
    assert int(values[oids[0]]) / 100 == pytest.approx(optics.rx_dbm, abs=0.01)
    assert int(values[oids[1]]) / 100 == pytest.approx(optics.tx_dbm, abs=0.01)
    assert (int(values[oids[2]]) - 10000) / 100 == pytest.approx(optics.olt_rx_dbm, abs=0.01)
    assert values[oids[3]] == "1"
    assert int(values[huawei_control(7, 20)]) == optics.distance_m
    sn_oid = text((*mib_huawei.ONT_CONFIG, 3, mib_huawei.pon_ifindex(*HW_PON), 7))
    shown_sn = next(v.sn for v in model.ont_views(HW) if v.ont_id == 7)
    assert shown_sn is not None
    assert read(port, community, sn_oid)[sn_oid].strip('" ').replace(" ", "") == shown_sn

    model.unplug(HW, "HW-A", 10)
    model.delete_ont(HW, HW_PON, 7)
    assert read(port, community, *oids) == dict.fromkeys(oids, NO_INSTANCE)


def test_zte_onu_added_then_plugged_then_deleted(served: tuple[LabModel, LabSnmpHandle]) -> None:
    model, handle = served
    port, community = handle.ports[ZTE], "zte-community"
    sn = "5A544547C0000042"
    model.add_ont(ZTE, ZTE_PON, 5, auth="sn", sn=sn, first_id=1, max_id=128)
    pon_rx = text((*mib_zte.PON_RX_POWER, mib_zte.pon_ifindex(*ZTE_PON), 5))
    legacy_index = mib_zte.legacy_pon_ifindex(*ZTE_PON)
    onu_rx = text((*mib_zte.LEGACY_ONU_OPTICS, mib_zte.LEGACY_RX_COLUMN, legacy_index, 5, 1))
    onu_tx = text((*mib_zte.LEGACY_ONU_OPTICS, mib_zte.LEGACY_TX_COLUMN, legacy_index, 5, 1))
    assert read(port, community, pon_rx, onu_rx, onu_tx) == {
        pon_rx: "65535000",
        onu_rx: "65535",
        onu_tx: "65535",
    }

    model.plug(ZTE, "ZT-A", 20, sn=sn)
    optics = model.optics(ZTE, ZTE_PON, 5)
    values = read(port, community, pon_rx, onu_rx, onu_tx)
    assert int(values[pon_rx]) / 1000 == pytest.approx(optics.olt_rx_dbm, abs=0.01)
    assert int(values[onu_rx]) * 0.002 - 30 == pytest.approx(optics.rx_dbm, abs=0.01)
    assert int(values[onu_tx]) * 0.002 - 30 == pytest.approx(optics.tx_dbm, abs=0.01)

    model.delete_ont(ZTE, ZTE_PON, 5, cascade=True)
    assert read(port, community, pon_rx, onu_rx) == {pon_rx: NO_INSTANCE, onu_rx: NO_INSTANCE}


def test_walked_optical_table_equals_the_model_for_every_ont(served: tuple[LabModel, LabSnmpHandle]) -> None:
    model, handle = served
    walked = bulkwalk(handle.ports[HW], "hw-community", text((*mib_huawei.ONT_DDM, 4)))
    expected = {
        huawei_ddm(view.ont_id, 4): str(round(view.optics.rx_dbm * 100)) if view.optics else "2147483647"
        for view in model.ont_views(HW)
    }
    assert walked == expected
    assert sum(value != "2147483647" for value in walked.values()) == 1  # the unpowered customer is offline


def test_dirty_connector_lowers_the_snmp_reading_by_the_injected_loss(
    served: tuple[LabModel, LabSnmpHandle],
) -> None:
    model, handle = served
    oids = [huawei_ddm(0, 4), huawei_ddm(0, 6)]
    before = read(handle.ports[HW], "hw-community", *oids)
    model.dirty_connector(HW, "HW-A:1", 2.0)
    after = read(handle.ports[HW], "hw-community", *oids)
    for oid in oids:
        assert (int(before[oid]) - int(after[oid])) / 100 == pytest.approx(2.0, abs=0.5)


def test_snmp_silent_fault_makes_the_olt_time_out(served: tuple[LabModel, LabSnmpHandle]) -> None:
    model, handle = served
    sys_name = ".1.3.6.1.2.1.1.5.0"
    model.set_faults(HW, snmp_silent=True)
    silent = snmpget(handle.ports[HW], "hw-community", sys_name, timeout=1)
    assert "Timeout" in silent.stderr
    assert read(handle.ports[ZTE], "zte-community", sys_name) == {sys_name: '"ZXAN-LAB"'}  # others unaffected
    model.set_faults(HW, snmp_silent=False)
    assert read(handle.ports[HW], "hw-community", sys_name) == {sys_name: '"MA5800-LAB"'}


def test_every_olt_of_the_lab_topology_answers_with_its_own_community() -> None:
    model = LabModel(Topology.load(LAB_TOPOLOGY).with_free_ports())
    loop = LoopThread()
    handle = loop.run(start_agent(model))
    try:
        assert set(handle.ports) == set(model.olt_names())
        assert len(set(handle.ports.values())) == len(handle.ports)
        for name, port in handle.ports.items():
            spec = model.olt(name).spec
            assert read(port, spec.community, ".1.3.6.1.2.1.1.5.0") == {
                ".1.3.6.1.2.1.1.5.0": f'"{spec.hostname}"'
            }
    finally:
        loop.run(handle.stop())
        loop.close()


def test_fixed_ports_are_honoured_and_a_taken_port_fails_cleanly() -> None:
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as free,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken,
    ):
        free.bind(("127.0.0.1", 0))
        taken.bind(("127.0.0.1", 0))
        wanted = free.getsockname()[1]
        free.close()
        loop = LoopThread()
        # With the collector off, a socket that start-up forgot to close stays bound (it once passed
        # locally only because garbage collection happened to close it first).
        gc.disable()
        try:
            with pytest.raises(OSError):
                loop.run(start_agent(LabModel(topology(hw_port=wanted, zte_port=taken.getsockname()[1]))))
            # the first OLT's socket was closed again, so its port can be bound once more
            handle = loop.run(start_agent(LabModel(topology(hw_port=wanted))))
            assert handle.ports[HW] == wanted
            loop.run(handle.stop())
        finally:
            gc.enable()
            loop.close()


def cli_dbm(output: str, label: str) -> float:
    line = next(line for line in output.splitlines() if line.strip().startswith(label))
    return float(line.split(":", 1)[1])


def test_ont_added_over_ssh_shows_in_snmp_with_the_cli_powers_and_goes_with_it(fresh_lab: Lab) -> None:
    olt = "olt-hw-1"
    endpoint = fresh_lab.endpoints()[olt]
    port, community = endpoint["snmp_port"], endpoint["community"]
    status = huawei_control(20, 15)
    rx, olt_rx = huawei_ddm(20, 4), huawei_ddm(20, 6)
    assert read(port, community, status) == {status: NO_INSTANCE}

    cli = ConnectHandler(
        device_type="huawei_smartax",
        host=endpoint["host"],
        port=endpoint["ssh_port"],
        username=endpoint["username"],
        password=endpoint["password"],
    )
    try:
        cli.enable()
        cli.send_config_set(
            [
                "interface gpon 0/1",
                'ont add 0 20 password-auth "0100002020" always-on omci ont-lineprofile-id 10 '
                'ont-srvprofile-id 10 desc "acc-snmp"',
                "quit",
            ]
        )
        assert read(port, community, status) == {status: "2"}  # configured, nothing plugged yet

        fresh_lab.plug(olt, "HW1-A-1x32", 12, password="0100002020")
        shown = cli.send_config_set(["interface gpon 0/1", "display ont optical-info 0 20", "quit"])
        values = read(port, community, status, rx, olt_rx)
        assert values[status] == "1"
        assert int(values[rx]) / 100 == pytest.approx(cli_dbm(shown, "Rx optical power(dBm)"), abs=0.01)
        assert (int(values[olt_rx]) - 10000) / 100 == pytest.approx(
            cli_dbm(shown, "OLT Rx ONT optical power(dBm)"), abs=0.01
        )

        cli.send_config_set(["interface gpon 0/1", "ont delete 0 20", "quit"])
        assert read(port, community, status, rx) == {status: NO_INSTANCE, rx: NO_INSTANCE}
    finally:
        cli.disconnect()
