"""SNMP optical-poll throughput: ponaccept's pysnmp client versus net-snmp's ``snmpbulkwalk`` on one agent.

The simulated agent (``--olts`` Huawei OLTs with ``--onus`` ONTs each, spread over 4 PON ports) runs
in a child process, as a real OLT would be a separate box, so client and agent do not share a CPU/GIL.
Measured, each ``--repeat`` times (best run reported):

- ``snmpbulkwalk -v2c -Cr50`` of every column ``read_olt`` needs (one process per column, as a shell
  poller would do), and of the DDM subtree alone (one process);
- ``SnmpClient.walk`` of the same columns (raw var-binds, no decoding), and ``SnmpClient.read_olt`` (walk +
  decoding into ``OpticalReadings``): as is, with 2 request streams, and powers only (no diagnostics);
- the naive path: ``read_onu`` (one GET) per ONT, sequentially;
- ``Poller.poll_many`` of all ``--olts`` OLTs at once (every column, one stream per OLT).

Usage: ``.venv/bin/python bench/snmp_poll.py [--onus 512] [--repeat 3] [--json]``. Prints, asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import shutil
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Event

from ponaccept.drivers.base import PonPort
from ponaccept.polling.client import SnmpClient, SnmpTarget
from ponaccept.polling.oids import DIAGNOSTIC_FIELDS, HUAWEI_MIB, HUAWEI_ONT_DDM
from ponaccept.polling.poller import Poller, PollRequest
from ponaccept.sim.snmp.agent import SnmpAgent
from ponaccept.sim.snmp.view import OltSnmpView, OnuSnmpView, PonSnmpView

COMMUNITY = "bench"  # a throwaway lab community, not a secret
PORTS = 4


@dataclass
class StaticSource:
    name: str
    community: str
    current: OltSnmpView

    def version(self) -> int:
        return 1

    def view(self) -> OltSnmpView:
        return self.current

    def silent(self) -> bool:
        return False


def bench_view(onus: int) -> OltSnmpView:
    pons = tuple(
        PonSnmpView(0, 1, p, tx_dbm=4.0, temperature_c=40, voltage_v=3.3, bias_ma=20) for p in range(PORTS)
    )
    rows = tuple(
        OnuSnmpView(
            0,
            1,
            i % PORTS,
            i // PORTS,
            online=i % 10 != 9,
            rx_dbm=-18.0 - (i % 90) / 10,
            tx_dbm=2.0,
            olt_rx_dbm=-22.0 - (i % 80) / 10,
            temperature_c=45,
            voltage_v=3.3,
            bias_ma=12,
            distance_m=1000 + i,
        )
        for i in range(onus)
    )
    return OltSnmpView("bench-olt", "huawei", "Huawei Integrated Access Software", "bench-olt", pons, rows)


def olt_name(number: int) -> str:
    return f"bench-olt-{number}"


def serve(ports: list[int], onus: int, ready: Event, stop: Event) -> None:
    """Child process: serve one bench OLT per port until ``stop`` is set."""

    async def main() -> None:
        agent = SnmpAgent()
        await agent.start()
        for number, port in enumerate(ports):
            agent.add_olt(StaticSource(olt_name(number), COMMUNITY, bench_view(onus)), port=port)
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.05)
        agent.stop()

    asyncio.run(main())


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def dotted(oid: tuple[int, ...]) -> str:
    return "." + ".".join(map(str, oid))


def bulkwalk(port: int, roots: list[tuple[int, ...]]) -> int:
    """Run one ``snmpbulkwalk -Cr50`` per root; the number of var-binds printed."""
    count = 0
    for root in roots:
        out = subprocess.run(
            ["snmpbulkwalk", "-v2c", "-c", COMMUNITY, "-Cr50", "-On", "-OQ", "-t", "2", "-r", "0",
             f"127.0.0.1:{port}", dotted(root)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        count += len(out.stdout.splitlines())
    return count


def best(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """Best wall time over ``repeat`` runs and the item count of that run."""
    results = []
    for _ in range(repeat):
        started = time.perf_counter()
        count = run()
        results.append((time.perf_counter() - started, count))
    return min(results)


async def best_async(repeat: int, run: Callable[[], Awaitable[int]]) -> tuple[float, int]:
    results = []
    for _ in range(repeat):
        started = time.perf_counter()
        count = await run()
        results.append((time.perf_counter() - started, count))
    return min(results)


def measure(ports: list[int], onus: int, repeat: int) -> dict[str, dict[str, float]]:
    """snmpbulkwalk figures include its process start; pysnmp figures are steady state: the client (and
    its engine, ≈ 0.1 s to create) is made once per configuration and warmed by one unmeasured read."""
    targets = [
        SnmpTarget(olt_name(n), "127.0.0.1", p, COMMUNITY, timeout_s=2.0, retries=0)
        for n, p in enumerate(ports)
    ]
    target, port = targets[0], ports[0]
    columns = [column.base for column in HUAWEI_MIB.onu_columns.values()] + [HUAWEI_MIB.pon_tx.base]
    ddm = HUAWEI_ONT_DDM[:-1]  # the whole .51 table: 7 columns
    figures: dict[str, dict[str, float]] = {}

    def record(name: str, seconds: float, varbinds: int, onus_read: int) -> None:
        figures[name] = {
            "seconds": round(seconds, 4),
            "varbinds": varbinds,
            "varbinds_per_s": round(varbinds / seconds),
            "onus_per_s": round(onus_read / seconds),
        }

    async def read_olt_figure(streams: int, diagnostics: bool, label: str) -> None:
        async with SnmpClient(50, streams) as client:

            async def read_olt() -> int:
                return len(await client.read_olt(target, "huawei", diagnostics=diagnostics))

            await read_olt()
            seconds, count = await best_async(repeat, read_olt)
        per_onu = len(columns) - 1 - (0 if diagnostics else len(DIAGNOSTIC_FIELDS))
        record(f"pysnmp SnmpClient.read_olt{label}", seconds, count * per_onu, count)

    async def pysnmp_figures() -> None:
        async with SnmpClient(50) as client:

            async def walk() -> int:
                walked = await client.walk(target, columns)
                return sum(len(values) for values in walked.values())

            await walk()
            seconds, count = await best_async(repeat, walk)
            record("pysnmp SnmpClient.walk, 9 columns", seconds, count, onus)

        await read_olt_figure(1, True, "")
        await read_olt_figure(2, True, ", 2 streams")
        await read_olt_figure(1, False, ", powers only")

        async with SnmpClient(50) as client:

            async def per_onu_loop() -> int:
                for i in range(onus):
                    await client.read_onu(target, "huawei", PonPort(0, 1, i % PORTS), i // PORTS)
                return onus

            seconds, count = await best_async(1, per_onu_loop)
            record("pysnmp read_onu per ONT (naive GET loop)", seconds, count * len(columns), count)

        poller = Poller(concurrency=len(targets))

        async def poll_all() -> int:
            results = await poller.poll_many(PollRequest(t, "huawei") for t in targets)
            return sum(len(result.readings) for result in results.values())

        await poll_all()
        seconds, count = await best_async(repeat, poll_all)
        name = f"pysnmp Poller.poll_many, {len(targets)} OLTs at once"
        record(name, seconds, count * (len(columns) - 1), count)

    if shutil.which("snmpbulkwalk"):
        seconds, count = best(repeat, lambda: bulkwalk(port, columns))
        record("snmpbulkwalk -Cr50, 9 columns (9 processes)", seconds, count, onus)
        seconds, count = best(repeat, lambda: bulkwalk(port, [ddm]))
        record("snmpbulkwalk -Cr50, DDM table (1 process)", seconds, count, onus)
    asyncio.run(pysnmp_figures())
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onus", type=int, default=512)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--olts", type=int, default=4, help="OLTs served, all polled at once by poll_many")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    ports = [free_udp_port() for _ in range(args.olts)]
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Event(), context.Event()
    agent = context.Process(target=serve, args=(ports, args.onus, ready, stop), daemon=True)
    agent.start()
    try:
        if not ready.wait(30):
            raise SystemExit("the SNMP agent did not start")
        figures = measure(ports, args.onus, args.repeat)
    finally:
        stop.set()
        agent.join(10)
    if args.json:
        print(json.dumps({"onus_per_olt": args.onus, "olts": args.olts, "results": figures}, indent=2))
        return
    print(f"SNMP optical poll, Huawei OLTs with {args.onus} ONTs each (best of {args.repeat}):")
    for name, row in figures.items():
        print(
            f"  {name:<48} {row['seconds']:>8.3f} s  {row['varbinds']:>6} vb  "
            f"{row['varbinds_per_s']:>7} vb/s  {row['onus_per_s']:>6} ONUs/s"
        )


if __name__ == "__main__":
    main()
