"""Capacity of the simulated PON lab in one process (issue 3): not a test, prints figures.

Builds a lab of OLTS × PORTS × ONUS customer ONUs programmatically (default 50 × 16 × 32 = 25,600), starts it
(SSH + SNMP + control) in a background thread and reports:

- memory (RSS growth) and start-up time of the lab;
- netmiko ``huawei_smartax`` login time (median of N) against the lab, compared with a bare asyncssh server
  in the same process that only echoes and prompts (no dialect, no model) — the difference is our overhead;
- ``display ont optical-info P all`` time for a full 32-ONU port (median, through netmiko);
- snmpbulkwalk rate of one OLT's whole ONT optical table (hwGponDeviceOntOpticalDdmInfoTable).

Run: ``.venv/bin/python bench/sim_capacity.py [--olts 50 --ports 16 --onus 32 --logins 20]``.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import threading
import time
from typing import Any

import asyncssh
from netmiko import ConnectHandler

from ponaccept.sim.lab import Lab
from ponaccept.sim.ssh_server import generate_host_key
from ponaccept.sim.topology import Topology

OPTICAL_TABLE = "1.3.6.1.4.1.2011.6.128.1.1.2.51"


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def build_topology(olts: int, ports: int, onus: int) -> Topology:
    """OLTs of ``ports`` PON ports, each with one splitter of ``onus`` outputs, every output a customer."""
    ratio = next(r for r in (2, 4, 8, 16, 32, 64) if r >= onus)
    spec_olts: list[dict[str, Any]] = []
    for o in range(olts):
        pon_ports = []
        for p in range(ports):
            splitter = f"S{o}-{p}"
            customers = [
                {
                    "sn": f"48575443{o:03X}{p:02X}{i:03X}",
                    "ont_id": i,
                    "splitter": splitter,
                    "splitter_port": i + 1,
                    "drop_km": 0.05 + (i % 7) * 0.05,
                    "powered": i % 16 != 15,
                    "desc": f"c{o}-{p}-{i}",
                }
                for i in range(onus)
            ]
            pon_ports.append(
                {
                    "slot": 1 + p // 8, "port": p % 8, "tx_dbm": 3.5, "svlan": 100,
                    "odn": {"feeder_km": 1.0 + (p % 5), "splitters": [{"name": splitter, "ratio": ratio}],
                            "onus": customers},
                }
            )  # fmt: skip
        spec_olts.append(
            {
                "name": f"olt{o:03d}", "dialect": "huawei_ma5800", "hostname": f"MA5800-B{o:03d}",
                "username": "bench", "password": "bench-pass", "community": f"bench{o}", "vlans": [100],
                "pon_ports": pon_ports,
            }
        )  # fmt: skip
    return Topology.model_validate({"seed": 3, "olts": spec_olts})


class _BareSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """The least a shell must do for netmiko: echo, prompt, ``>``/``#`` on enable/disable."""

    def __init__(self) -> None:
        self._chan: Any = None
        self._buf = ""
        self._mark = ">"

    def connection_made(self, chan: Any) -> None:
        self._chan = chan

    def pty_requested(self, *args: Any) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def session_started(self) -> None:
        self._chan.write("bare" + self._mark)

    def data_received(self, data: str, datatype: Any) -> None:
        for ch in data:
            if ch in "\r\n":
                if ch == "\n" and self._buf == "" and getattr(self, "_cr", False):
                    self._cr = False
                    continue
                self._cr = ch == "\r"
                line, self._buf = self._buf.strip(), ""
                if line == "enable":
                    self._mark = "#"
                elif line == "disable":
                    self._mark = ">"
                if line == "quit":
                    self._chan.write("\r\n")
                    self._chan.exit(0)
                    return
                self._chan.write("\r\nbare" + self._mark)
            elif ch != "\x00":
                self._buf += ch
                self._chan.write(ch)


class _BareServer(asyncssh.SSHServer):
    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return True

    def session_requested(self) -> _BareSession:
        return _BareSession()


def start_bare_server() -> tuple[int, asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    ready: list[int] = []
    started = threading.Event()

    async def serve() -> None:
        acc = await asyncssh.create_server(
            _BareServer, "127.0.0.1", 0, server_host_keys=[generate_host_key()], line_editor=False
        )
        ready.append(acc.get_port())
        started.set()

    def main() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(serve())
        loop.run_forever()

    threading.Thread(target=main, daemon=True).start()
    started.wait(10)
    return ready[0], loop


def median_login(port: int, username: str, password: str, n: int) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        c = ConnectHandler(
            device_type="huawei_smartax", host="127.0.0.1", port=port, username=username, password=password,
            fast_cli=True,
        )  # fmt: skip
        times.append(time.perf_counter() - t)
        c.disconnect()
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--olts", type=int, default=50)
    ap.add_argument("--ports", type=int, default=16)
    ap.add_argument("--onus", type=int, default=32)
    ap.add_argument("--logins", type=int, default=20)
    args = ap.parse_args()

    base_rss = rss_mb()
    t = time.perf_counter()
    topo = build_topology(args.olts, args.ports, args.onus)
    t_topo = time.perf_counter() - t
    t = time.perf_counter()
    handle = Lab.start_in_thread(topo, free_ports=True)
    t_start = time.perf_counter() - t
    lab = handle.lab
    lab_rss = rss_mb()
    n_onts = sum(len(lab.model.ont_views(name)) for name in lab.model.olt_names())
    print(f"lab: {args.olts} OLTs × {args.ports} PON ports × {args.onus} ONUs = {n_onts} ONTs")
    print(
        f"  topology build {t_topo:.2f} s; model + {args.olts} SSH listeners + SNMP + HTTP "
        f"start {t_start:.2f} s"
    )
    print(f"  RSS {base_rss:.0f} MB → {lab_rss:.0f} MB (+{lab_rss - base_rss:.0f} MB)")

    ep = lab.endpoints()["olt000"]
    bare_port, _ = start_bare_server()
    lab_login = median_login(ep["ssh_port"], ep["username"], ep["password"], args.logins)
    bare_login = median_login(bare_port, "x", "y", args.logins)
    print(f"netmiko huawei_smartax login, median of {args.logins}: lab {lab_login * 1000:.0f} ms, "
          f"bare asyncssh echo server {bare_login * 1000:.0f} ms")  # fmt: skip

    c = ConnectHandler(
        device_type="huawei_smartax", host="127.0.0.1", port=ep["ssh_port"], username=ep["username"],
        password=ep["password"], fast_cli=True,
    )  # fmt: skip
    c.enable()
    c.config_mode()
    c.send_command("interface gpon 0/1", expect_string=r"\)#")
    times = []
    for _ in range(10):
        t = time.perf_counter()
        out = c.send_command("display ont optical-info 0 all", expect_string=r"\)#")
        times.append(time.perf_counter() - t)
    rows = sum(1 for line in out.splitlines() if line[:5].strip().isdigit())
    print(
        f"display ont optical-info 0 all ({rows} rows) via netmiko: "
        f"median {statistics.median(times) * 1000:.0f} ms"
    )
    c.disconnect()

    if shutil.which("snmpbulkwalk") and ep["snmp_port"]:
        cmd = ["snmpbulkwalk", "-v2c", "-c", ep["community"], "-Cr50", "-On", "-Ir", "-t", "5", "-r", "0",
               f"127.0.0.1:{ep['snmp_port']}", OPTICAL_TABLE]  # fmt: skip
        subprocess.run(cmd, capture_output=True, text=True, check=False)  # warm the per-version encode
        t = time.perf_counter()
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        dt = time.perf_counter() - t
        n = sum(1 for line in res.stdout.splitlines() if line.startswith("." + OPTICAL_TABLE))
        print(
            f"snmpbulkwalk -Cr50 of one OLT's optical table: {n} varbinds in {dt:.2f} s "
            f"= {n / dt:.0f} varbinds/s"
        )
    else:
        print("snmpbulkwalk not available or SNMP agent not running: SNMP figure skipped")
    handle.stop()


if __name__ == "__main__":
    main()
