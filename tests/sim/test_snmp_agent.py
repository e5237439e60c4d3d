"""The multi-OLT SNMP agent, driven by clients nobody here wrote: net-snmp's tools and pysnmp's hlapi.

The agent runs on its own event loop in a background thread (as in the lab) while the tests call the
net-snmp binaries synchronously; sources are fakes, so these tests do not depend on the lab model.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    bulk_walk_cmd,
    get_cmd,
)
from pysnmp.proto import rfc1902, rfc1905

from ponaccept.sim.snmp import mib_huawei, mib_zte
from ponaccept.sim.snmp.agent import SnmpAgent
from ponaccept.sim.snmp.mib import LiveMib
from ponaccept.sim.snmp.mib_system import OidTable
from ponaccept.sim.snmp.view import OltSnmpView, OnuSnmpView, PonSnmpView

T = TypeVar("T")

HW_DDM = "1.3.6.1.4.1.2011.6.128.1.1.2.51"
ZTE_PON_RX = "1.3.6.1.4.1.3902.1082.500.1.2.4.2.1.2"


class LoopThread:
    """An event loop in a daemon thread; everything touching the agent runs there."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        async def invoke() -> T:
            return fn(*args, **kwargs)

        return self.run(invoke())

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@dataclass
class FakeSource:
    name: str
    community: str
    current: OltSnmpView
    revision: int = 1
    quiet: bool = False

    def version(self) -> int:
        return self.revision

    def view(self) -> OltSnmpView:
        return self.current

    def silent(self) -> bool:
        return self.quiet

    def update(self, view: OltSnmpView) -> None:
        self.current = view
        self.revision += 1


def huawei_view(name: str, count: int, rx_dbm: float = -20.5) -> OltSnmpView:
    pons = tuple(PonSnmpView(0, 1, p, tx_dbm=4.0 + p / 10, temperature_c=40) for p in range(4))
    onus = tuple(
        OnuSnmpView(
            0,
            1,
            i % 4,
            i // 4,
            online=i % 7 != 3,
            sn=b"HWTC" + i.to_bytes(4, "big"),
            description=f"{name}-ont-{i}",
            rx_dbm=rx_dbm - i / 100,
            tx_dbm=2.0 + i / 100,
            olt_rx_dbm=-24.0 + i / 100,
            temperature_c=45,
            voltage_v=3.3,
            bias_ma=12,
            distance_m=1000 + i,
        )
        for i in range(count)
    )
    return OltSnmpView(name, "huawei", "Huawei Integrated Access Software", name, pons, onus)


def zte_view(name: str, count: int) -> OltSnmpView:
    pons = (PonSnmpView(1, 2, 1, tx_dbm=3.9), PonSnmpView(1, 2, 2, tx_dbm=4.1))
    onus = tuple(
        OnuSnmpView(
            1,
            2,
            1 + i % 2,
            1 + i // 2,
            online=i != 4,
            sn=b"ZTEG" + i.to_bytes(4, "big"),
            rx_dbm=-21.0 - i / 10,
            tx_dbm=2.2,
            olt_rx_dbm=-25.25 + i / 100,
        )
        for i in range(count)
    )
    return OltSnmpView(name, "zte", "C320 Version V2.1.0 Software", name, pons, onus)


def oid_text(oid: tuple[int, ...]) -> str:
    return "." + ".".join(map(str, oid))


def integers_under(table: OidTable, prefix: str) -> dict[str, str]:
    arcs = tuple(int(a) for a in prefix.strip(".").split("."))
    return {
        oid_text(key): str(value)
        for key, value in sorted(table.items())
        if key[: len(arcs)] == arcs and isinstance(value, int)
    }


def snmp(
    tool: str, port: int, community: str, *args: str, timeout: int = 2
) -> subprocess.CompletedProcess[str]:
    """Run a net-snmp tool: options (``-Cr50``) go before the agent address, OIDs after it."""
    options = [arg for arg in args if arg.startswith("-")]
    oids = [arg for arg in args if not arg.startswith("-")]
    command = [
        tool,
        "-v2c",
        "-c",
        community,
        "-On",
        "-OQ",
        "-Oe",
        "-Ot",
        "-t",
        str(timeout),
        "-r",
        "0",
        *options,
    ]
    return subprocess.run(
        [*command, f"127.0.0.1:{port}", *oids], capture_output=True, text=True, timeout=60, check=False
    )


def walk(port: int, community: str, oid: str, repetitions: int = 50) -> dict[str, str]:
    result = snmp("snmpbulkwalk", port, community, f"-Cr{repetitions}", oid)
    assert result.returncode == 0, result.stderr
    assert "No more variables" not in result.stdout
    return parse(result.stdout)


def parse(stdout: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in stdout.splitlines():
        name, _, value = line.partition(" = ")
        values[name] = value
    return values


def get(port: int, community: str, *oids: str) -> dict[str, str]:
    result = snmp("snmpget", port, community, *oids)
    assert result.returncode == 0, result.stderr
    return parse(result.stdout)


@pytest.fixture
def lab() -> Iterator[tuple[LoopThread, SnmpAgent]]:
    loop = LoopThread()
    agent = SnmpAgent()
    loop.run(agent.start())
    yield loop, agent
    loop.call(agent.stop)
    loop.close()


def test_bulkwalk_of_the_huawei_ont_table_returns_the_encoded_values(
    lab: tuple[LoopThread, SnmpAgent],
) -> None:
    loop, agent = lab
    source = FakeSource("hw-a", "comm-a", huawei_view("hw-a", 64))
    port = loop.call(agent.add_olt, source)
    walked = walk(port, "comm-a", HW_DDM)
    expected = integers_under(mib_huawei.encode(source.current), HW_DDM)
    assert len(walked) == 64 * 7
    assert walked == expected
    offline_rx = oid_text((*mib_huawei.ONT_DDM, 4, mib_huawei.pon_ifindex(0, 1, 3), 0))
    assert walked[offline_rx] == "2147483647"


def test_bulkwalk_of_the_zte_tables_returns_the_encoded_values(lab: tuple[LoopThread, SnmpAgent]) -> None:
    loop, agent = lab
    source = FakeSource("zte-a", "comm-z", zte_view("zte-a", 10))
    port = loop.call(agent.add_olt, source)
    walked = walk(port, "comm-z", ".1.3.6.1.4.1.3902", repetitions=25)
    assert walked == integers_under(mib_zte.encode(source.current), ".1.3.6.1.4.1.3902")
    assert walked[f".{ZTE_PON_RX}.285278721.1"] == "-25250"
    assert walked[f".{ZTE_PON_RX}.285278721.3"] == "65535000"  # i == 4: offline


def test_system_group_and_interface_names(lab: tuple[LoopThread, SnmpAgent]) -> None:
    loop, agent = lab
    port = loop.call(agent.add_olt, FakeSource("hw-sys", "public", huawei_view("hw-sys", 2)))
    if_index = mib_huawei.pon_ifindex(0, 1, 2)
    values = get(
        port,
        "public",
        ".1.3.6.1.2.1.1.1.0",
        ".1.3.6.1.2.1.1.2.0",
        ".1.3.6.1.2.1.1.5.0",
        f".1.3.6.1.2.1.2.2.1.2.{if_index}",
        ".1.3.6.1.2.1.1.9.0",
        ".1.3.6.1.2.1.1.5.1",
    )
    assert values[".1.3.6.1.2.1.1.1.0"] == '"Huawei Integrated Access Software"'
    assert values[".1.3.6.1.2.1.1.2.0"] == ".1.3.6.1.4.1.2011.2.248"
    assert values[".1.3.6.1.2.1.1.5.0"] == '"hw-sys"'
    assert values[f".1.3.6.1.2.1.2.2.1.2.{if_index}"] == '"GPON 0/1/2"'
    assert values[".1.3.6.1.2.1.1.9.0"] == "No Such Object available on this agent at this OID"  # sysORTable
    assert values[".1.3.6.1.2.1.1.5.1"] == "No Such Instance currently exists at this OID"
    first = int(get(port, "public", ".1.3.6.1.2.1.1.3.0")[".1.3.6.1.2.1.1.3.0"])
    time.sleep(0.2)
    assert int(get(port, "public", ".1.3.6.1.2.1.1.3.0")[".1.3.6.1.2.1.1.3.0"]) >= first + 10


def test_model_changes_show_at_the_next_request_and_only_then_re_encode(
    lab: tuple[LoopThread, SnmpAgent],
) -> None:
    loop, agent = lab
    source = FakeSource("hw-v", "public", huawei_view("hw-v", 4))
    port = loop.call(agent.add_olt, source)
    rx_oid = oid_text((*mib_huawei.ONT_DDM, 4, mib_huawei.pon_ifindex(0, 1, 0), 0))
    new_oid = oid_text((*mib_huawei.ONT_DDM, 4, mib_huawei.pon_ifindex(0, 1, 0), 1))
    assert get(port, "public", rx_oid)[rx_oid] == "-2050"
    assert get(port, "public", new_oid)[new_oid] == "No Such Instance currently exists at this OID"
    rebuilds = agent.mib_of("hw-v").rebuilds
    get(port, "public", rx_oid)
    assert agent.mib_of("hw-v").rebuilds == rebuilds  # same version: served from the cached table

    source.update(huawei_view("hw-v", 5, rx_dbm=-18.0))
    values = get(port, "public", rx_oid, new_oid)
    assert values == {rx_oid: "-1800", new_oid: "-1804"}
    assert agent.mib_of("hw-v").rebuilds == rebuilds + 1


def test_a_silent_olt_times_out_and_recovers(lab: tuple[LoopThread, SnmpAgent]) -> None:
    loop, agent = lab
    source = FakeSource("hw-s", "public", huawei_view("hw-s", 1))
    port = loop.call(agent.add_olt, source)
    source.quiet = True
    result = snmp("snmpget", port, "public", ".1.3.6.1.2.1.1.5.0", timeout=1)
    assert result.returncode != 0
    assert "Timeout" in result.stderr
    source.quiet = False
    assert get(port, "public", ".1.3.6.1.2.1.1.5.0") == {".1.3.6.1.2.1.1.5.0": '"hw-s"'}


def test_two_olts_on_two_ports_keep_their_data_and_communities_apart(
    lab: tuple[LoopThread, SnmpAgent],
) -> None:
    loop, agent = lab
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        fixed = probe.getsockname()[1]
    hw = FakeSource("hw-1", "comm-1", huawei_view("hw-1", 8, rx_dbm=-19.0))
    zte = FakeSource("zte-1", "comm-2", zte_view("zte-1", 4))
    twin = FakeSource("hw-2", "comm-1", huawei_view("hw-2", 8, rx_dbm=-25.0))
    hw_port = loop.call(agent.add_olt, hw, port=fixed)
    zte_port = loop.call(agent.add_olt, zte)
    twin_port = loop.call(agent.add_olt, twin)
    assert hw_port == fixed
    assert len({hw_port, zte_port, twin_port}) == 3

    assert walk(hw_port, "comm-1", HW_DDM) == integers_under(mib_huawei.encode(hw.current), HW_DDM)
    assert walk(twin_port, "comm-1", HW_DDM) == integers_under(mib_huawei.encode(twin.current), HW_DDM)
    assert get(zte_port, "comm-2", ".1.3.6.1.2.1.1.5.0") == {".1.3.6.1.2.1.1.5.0": '"zte-1"'}
    no_table = snmp("snmpbulkwalk", zte_port, "comm-2", HW_DDM)  # a ZTE box has no Huawei tables
    assert no_table.stdout.strip() == f".{HW_DDM} = No Such Object available on this agent at this OID"

    for port, community in ((hw_port, "comm-2"), (zte_port, "comm-1"), (hw_port, "nobody")):
        result = snmp("snmpget", port, community, ".1.3.6.1.2.1.1.5.0", timeout=1)
        assert "Timeout" in result.stderr, (port, community)


def test_removing_an_olt_closes_its_port(lab: tuple[LoopThread, SnmpAgent]) -> None:
    loop, agent = lab
    port = loop.call(agent.add_olt, FakeSource("hw-r", "public", huawei_view("hw-r", 1)))
    loop.call(agent.add_olt, FakeSource("hw-keep", "public", huawei_view("hw-keep", 1)))
    loop.call(agent.remove_olt, "hw-r")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as again:
        again.bind(("127.0.0.1", port))  # free again
    port = loop.call(agent.add_olt, FakeSource("hw-r", "public", huawei_view("hw-r", 1)))
    assert get(port, "public", ".1.3.6.1.2.1.1.5.0") == {".1.3.6.1.2.1.1.5.0": '"hw-r"'}
    with pytest.raises(ValueError, match="already served"):
        loop.call(agent.add_olt, FakeSource("hw-r", "public", huawei_view("hw-r", 1)))


def test_bulk_replies_go_beyond_the_stock_limit_and_end_of_mib_is_reported_once(
    lab: tuple[LoopThread, SnmpAgent],
) -> None:
    loop, agent = lab
    port = loop.call(agent.add_olt, FakeSource("hw-b", "public", huawei_view("hw-b", 64)))
    many = snmp("snmpbulkget", port, "public", "-Cr200", HW_DDM)
    assert many.returncode == 0, many.stderr
    assert len(many.stdout.splitlines()) == 200
    last = snmp("snmpbulkget", port, "public", "-Cr50", ".1.3.6.1.6.3.10.2.1.4.0")
    end_of_mib = "No more variables left in this MIB View (It is past the end of the MIB tree)"
    assert last.stdout.splitlines() == [f".1.3.6.1.6.3.10.2.1.4.0 = {end_of_mib}"]


def test_pysnmp_client_reads_the_same_values(lab: tuple[LoopThread, SnmpAgent]) -> None:
    loop, agent = lab
    source = FakeSource("zte-p", "comm-p", zte_view("zte-p", 12))
    port = loop.call(agent.add_olt, source)

    async def read() -> tuple[str, dict[str, int]]:
        engine = SnmpEngine()
        target = await UdpTransportTarget.create(("127.0.0.1", port), timeout=2, retries=0)
        community = CommunityData("comm-p")
        error, status, _, var_binds = await get_cmd(
            engine,
            community,
            target,
            ContextData(),
            ObjectType(ObjectIdentity("1.3.6.1.2.1.1.5.0")),
            lookupMib=False,
        )
        assert error is None
        assert not status
        sys_name = str(var_binds[0][1])
        table: dict[str, int] = {}
        async for error, status, _, rows in bulk_walk_cmd(
            engine,
            community,
            target,
            ContextData(),
            0,
            50,
            ObjectType(ObjectIdentity(ZTE_PON_RX)),
            lookupMib=False,
            lexicographicMode=False,
        ):
            assert error is None
            assert not status
            for name, value in rows:
                table["." + str(name)] = int(value)
        engine.close_dispatcher()
        return sys_name, table

    sys_name, table = asyncio.run(read())
    assert sys_name == "zte-p"
    expected = integers_under(mib_zte.encode(source.current), ZTE_PON_RX)
    assert {name: str(value) for name, value in table.items()} == expected
    assert len(table) == 12


# --- the live MIB on its own ----------------------------------------------------------------------------


def test_live_mib_bulk_semantics() -> None:
    mib = LiveMib(FakeSource("z", "c", zte_view("z", 3)))
    keys = sorted(mib_zte.encode(zte_view("z", 3)))
    rx_column = tuple(int(a) for a in ZTE_PON_RX.split("."))
    rx_keys = [key for key in keys if key[: len(rx_column)] == rx_column]

    reply = mib.get_bulk([(1, 3, 6, 1, 2, 1, 1, 1, 0)], [rx_column, keys[-2]], max_repetitions=3, limit=100)
    names = [name for name, _ in reply]
    assert names[0] == (1, 3, 6, 1, 2, 1, 1, 2, 0)  # the non-repeater's successor comes first
    assert names[1::2] == rx_keys[:3]  # then repetitions interleave the two columns
    assert names[2] == keys[-1]
    assert reply[4] == (keys[-1], rfc1905.endOfMibView)  # past the end: named after the last row served
    assert len(reply) == 7

    assert len(mib.get_bulk([], [rx_column], max_repetitions=50, limit=2)) == 2
    at_end = mib.get_bulk([], [keys[-1], keys[-1]], max_repetitions=50, limit=100)
    assert at_end == [(keys[-1], rfc1905.endOfMibView)] * 2  # one all-end repetition, not fifty

    missing_onu = (*rx_column, 285278721, 99)
    assert mib.get([missing_onu]) == [(missing_onu, rfc1905.noSuchInstance)]
    huawei_column = (1, 3, 6, 1, 4, 1, 2011, 6, 128, 1, 1, 2, 51, 1, 4, 4194312192, 0)
    assert mib.get([huawei_column]) == [(huawei_column, rfc1905.noSuchObject)]
    assert mib.get_next([(2,)]) == [((2,), rfc1905.endOfMibView)]

    # the same answers through pysnmp's controller interface (what an SnmpContext would call)
    [(name, value)] = mib.read_variables((rfc1902.ObjectName((1, 3, 6, 1, 2, 1, 1, 5, 0)), None))
    assert (name, bytes(value)) == ((1, 3, 6, 1, 2, 1, 1, 5, 0), b"z")
    [(name, value)] = mib.read_next_variables((rfc1902.ObjectName((1, 3, 6, 1, 2, 1, 1, 5)), None))
    assert name == (1, 3, 6, 1, 2, 1, 1, 5, 0)


def test_add_olt_needs_a_started_agent() -> None:
    with pytest.raises(RuntimeError, match="start"):
        SnmpAgent().add_olt(FakeSource("x", "c", zte_view("x", 1)))


class BrokenSource(FakeSource):
    def view(self) -> OltSnmpView:
        raise RuntimeError("model exploded")


def test_a_failing_view_answers_gen_err_and_other_olts_keep_working(
    lab: tuple[LoopThread, SnmpAgent], caplog: pytest.LogCaptureFixture
) -> None:
    loop, agent = lab
    broken = loop.call(agent.add_olt, BrokenSource("bad", "public", zte_view("bad", 1)))
    good = loop.call(agent.add_olt, FakeSource("good", "public", zte_view("good", 1)))
    result = snmp("snmpget", broken, "public", ".1.3.6.1.2.1.1.5.0")
    assert "genError" in result.stdout + result.stderr
    assert "model exploded" in caplog.text
    assert get(good, "public", ".1.3.6.1.2.1.1.5.0") == {".1.3.6.1.2.1.1.5.0": '"good"'}
