"""Southbound throughput against the simulated lab (issue 4): not a test, prints figures and ratios.

Every figure is compared with a baseline measured in the same run:

(a) one splitter port: activate → plug → read optics → revoke, versus the lower bound
    (round trips recorded in the transcript × per-command latency, plus the measured login cost);
(b) 200 ports across 20 OLTs in one job, versus the per-OLT serial lower bound (the busiest OLT's
    round trips × latency: sessions on one OLT are serialised by design, OLTs run in parallel);
(c) optical polling: our SNMP path (GETBULK of whole tables per OLT) versus net-snmp's snmpbulkwalk
    over the same agents, and the per-PON-port CLI read versus a naive one-command-per-ONU loop.

Run: ``.venv/bin/python bench/southbound.py [--olts 20 --ports-per-olt 10 --latency 0.1]``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from netmiko import ConnectHandler

from ponaccept.cli.demo import credential_environ
from ponaccept.drivers.base import PonPort
from ponaccept.netops.credentials import load_credentials
from ponaccept.netops.inventory import Timeouts, load_nornir
from ponaccept.netops.operations import OnuTarget, Status
from ponaccept.netops.tasks import JobContext, OpticsRequest, run_onu_action, run_read_optics
from ponaccept.polling.client import SnmpTarget
from ponaccept.polling.poller import PollRequest, poll_many
from ponaccept.sim.lab import Lab
from ponaccept.sim.topology import Topology

CUSTOMERS = 32
DDM_TABLE = "1.3.6.1.4.1.2011.6.128.1.1.2.51"


def build_topology(olts: int) -> Topology:
    """Huawei OLTs with two PON ports, each a 1:64 splitter: 32 customers, the rest free for tests."""
    spec: list[dict[str, Any]] = []
    for o in range(olts):
        pon_ports = []
        for p in range(2):
            splitter = f"B{o:02d}P{p}"
            customers = [
                {"sn": f"48575443{o:03X}{p:02X}{i:03X}", "ont_id": i, "splitter": splitter,
                 "splitter_port": i + 1, "drop_km": 0.1, "desc": f"c{o}-{p}-{i}"}
                for i in range(CUSTOMERS)
            ]  # fmt: skip
            pon_ports.append(
                {"slot": 1, "port": p, "tx_dbm": 3.5, "svlan": 100,
                 "odn": {"feeder_km": 2.0, "splitters": [{"name": splitter, "ratio": 64}], "onus": customers}}
            )  # fmt: skip
        spec.append(
            {"name": f"olt{o:02d}", "dialect": "huawei_ma5800", "hostname": f"MA5800-S{o:02d}",
             "username": "bench", "password": "bench-pass", "community": f"bench{o}", "vlans": [100],
             "pon_ports": pon_ports}
        )  # fmt: skip
    return Topology.model_validate({"seed": 11, "olts": spec})


def target(o: int, splitter_port: int) -> OnuTarget:
    return OnuTarget(
        f"olt{o:02d}",
        PonPort(0, 1, 0),
        f"T-olt{o:02d}-B{o:02d}P0-{splitter_port}",
        f"Bench{splitter_port:05d}",
        100,
        3000 + splitter_port,
    )


def login_cost(ep: dict[str, Any]) -> float:
    """Seconds for a netmiko login + logout at the current latency (the per-session fixed cost)."""
    start = time.perf_counter()
    with ConnectHandler(device_type="huawei_smartax", host=ep["host"], port=ep["ssh_port"],
                        username=ep["username"], password=ep["password"]) as conn:  # fmt: skip
        conn.enable()
    return time.perf_counter() - start


def part_a(lab: Lab, nr_factory: Any, latency: float) -> None:
    ctx = JobContext()
    onu = target(0, 60)
    start = time.perf_counter()
    [activated] = run_onu_action(nr_factory(), [onu], "activate", ctx)
    assert activated.status is Status.CHANGED, activated.message
    lab.plug(onu.olt, "B00P0", 60, password=onu.password)
    [optics] = run_read_optics(nr_factory(), [OpticsRequest(onu.olt, onu.port, activated.ont_id)], ctx)
    assert optics.error is None, optics.error
    [revoked] = run_onu_action(nr_factory(), [onu], "revoke", ctx)
    assert revoked.status is Status.CHANGED, revoked.message
    elapsed = time.perf_counter() - start
    lab.unplug(onu.olt, "B00P0", 60)
    round_trips = len(ctx.recorder.entries)
    login = login_cost(lab.endpoints()[onu.olt])
    commands_bound = round_trips * latency
    with_logins = commands_bound + 3 * login  # three jobs, one session each
    print("(a) activation → measure → revoke, one port")
    print(f"    wall time                  {elapsed:7.2f} s")
    print(
        f"    round trips (transcript)   {round_trips:7d}   × {latency * 1000:.0f} ms"
        f" = {commands_bound:.2f} s"
    )
    print(f"    measured login+logout cost {login:7.2f} s per session (3 sessions)")
    print(f"    ratio wall / commands bound          {elapsed / commands_bound:5.2f}")
    print(f"    ratio wall / (commands + 3 logins)   {elapsed / with_logins:5.2f}")


def part_b(nr_factory: Any, olts: int, per_olt: int, latency: float, login: float) -> None:
    targets = [target(o, 33 + i) for o in range(olts) for i in range(per_olt)]
    ctx = JobContext()
    start = time.perf_counter()
    outcomes = run_onu_action(nr_factory(num_workers=olts), targets, "activate", ctx)
    elapsed = time.perf_counter() - start
    failed = [o for o in outcomes if o.status is not Status.CHANGED]
    per_olt_commands: dict[str, int] = {}
    for entry in ctx.recorder.entries:
        per_olt_commands[entry.olt] = per_olt_commands.get(entry.olt, 0) + 1
    busiest = max(per_olt_commands.values())
    bound = busiest * latency + login
    serial_all = sum(per_olt_commands.values()) * latency + olts * login
    print(f"(b) {len(targets)} activations across {olts} OLTs (one job)")
    print(f"    wall time                  {elapsed:7.2f} s   ({len(failed)} not changed)")
    print(
        f"    busiest OLT round trips    {busiest:7d}   → per-OLT serial bound {bound:.2f} s (incl. 1 login)"
    )
    print(f"    ratio wall / per-OLT bound           {elapsed / bound:5.2f}")
    print(f"    fully serial estimate      {serial_all:7.2f} s   (speed-up {serial_all / elapsed:.1f}×)")
    revoke_ctx = JobContext()
    run_onu_action(nr_factory(num_workers=olts), targets, "revoke", revoke_ctx)


def part_c(lab: Lab, nr_factory: Any, olts: int, latency: float) -> None:
    eps = lab.endpoints()
    ports = (PonPort(0, 1, 0), PonPort(0, 1, 1))
    requests = [
        PollRequest(
            SnmpTarget(n, ep["host"], ep["snmp_port"], ep["community"], 2.0, 1), "huawei", ports, False
        )
        for n, ep in eps.items()
    ]
    start = time.perf_counter()
    results = asyncio.run(poll_many(requests))
    ours = time.perf_counter() - start
    onus = sum(len(r.readings) for r in results.values())
    walker = shutil.which("snmpbulkwalk")
    print(f"(c) optical polling, {olts} OLTs × 2 PON ports × {CUSTOMERS} ONUs")
    print(f"    ponaccept SNMP poll_many   {onus / ours:8.0f} ONUs/s  ({onus} ONUs in {ours:.2f} s)")
    if walker:
        start = time.perf_counter()
        for ep in eps.values():
            subprocess.run(
                [walker, "-v2c", "-c", ep["community"], "-Cr50", "-On", "-Oq", "-t", "2", "-r", "1",
                 f"{ep['host']}:{ep['snmp_port']}", DDM_TABLE],
                check=True, capture_output=True,
            )  # fmt: skip
        walk = time.perf_counter() - start
        print(f"    snmpbulkwalk (DDM table)   {onus / walk:8.0f} ONUs/s  ({walk:.2f} s, same agents)")
        print(f"    ratio ponaccept / snmpbulkwalk        {walk / ours:5.2f}")
    else:
        print("    snmpbulkwalk not installed: baseline skipped (apt-get install snmp)")
    lab.set_faults("olt00", latency_s=latency)
    port = PonPort(0, 1, 0)
    start = time.perf_counter()
    [table] = run_read_optics(nr_factory(olts=["olt00"]), [OpticsRequest("olt00", port)], JobContext())
    per_port = time.perf_counter() - start
    start = time.perf_counter()
    naive = run_read_optics(
        nr_factory(olts=["olt00"]), [OpticsRequest("olt00", port, i) for i in range(CUSTOMERS)], JobContext()
    )
    per_onu = time.perf_counter() - start
    read = len(table.readings)
    assert all(o.error is None for o in naive), [o.error for o in naive if o.error]
    print(f"    CLI per PON port           {read / per_port:8.1f} ONUs/s  ({read} ONUs, {per_port:.2f} s)")
    print(f"    CLI one command per ONU    {CUSTOMERS / per_onu:8.1f} ONUs/s  ({per_onu:.2f} s)")
    print(f"    ratio per-port / per-ONU              {per_onu / per_port * read / CUSTOMERS:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--olts", type=int, default=20)
    parser.add_argument("--ports-per-olt", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.1, help="per-command latency in seconds")
    args = parser.parse_args()

    handle = Lab.start_in_thread(build_topology(args.olts), free_ports=True)
    lab = handle.lab
    try:
        inventory = lab.write_nornir_inventory(Path(tempfile.mkdtemp(prefix="bench-inv-")))
        creds = load_credentials(None, credential_environ(lab))
        timeouts = Timeouts(connect=30, auth=30, banner=30, read=60)

        def nr_factory(**kwargs: Any) -> Any:
            return load_nornir(inventory, creds, timeouts=timeouts, **kwargs)

        print(f"lab: {args.olts} OLTs, latency {args.latency * 1000:.0f} ms per command")
        for name in lab.endpoints():
            lab.set_faults(name, latency_s=args.latency)
        part_a(lab, nr_factory, args.latency)
        login = login_cost(lab.endpoints()["olt01"])
        part_b(nr_factory, args.olts, args.ports_per_olt, args.latency, login)
        for name in lab.endpoints():
            lab.set_faults(name, latency_s=0.0)
        part_c(lab, nr_factory, args.olts, args.latency)
    finally:
        handle.stop()


if __name__ == "__main__":
    main()
