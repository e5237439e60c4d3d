"""``Lab``: one asyncio loop serving every simulated OLT (SSH + SNMP) plus the HTTP control endpoint.

Async use (inside a running loop)::

    async with Lab("inventories/lab/topology.yaml", free_ports=True) as lab:
        eps = lab.endpoints()  # {olt: {vendor, host, ssh_port, snmp_port, username, password, …}}
        lab.plug("olt-hw-1", "HW1-A-1x32", 12, password="TEST0001")

Sync use (tests, benchmarks, scripts) — the loop runs in a daemon thread::

    handle = Lab.start_in_thread("inventories/lab/topology.yaml", free_ports=True)
    handle.lab.set_faults("olt-hw-1", latency_s=2.0)
    handle.stop()

Control methods (``plug``, ``set_faults``, …; see :class:`ponaccept.sim.control.ControlSurface`) are
thread-safe and may be called from any thread. The SNMP agent is started through
``ponaccept.sim.snmp.adapter.start_agent`` when that package is importable (``snmp=False`` skips it).
"""

from __future__ import annotations

import asyncio
import importlib
import json
import logging
import socket
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import asyncssh
import uvicorn
import yaml

from ponaccept.sim.control import ControlSurface, create_control_app
from ponaccept.sim.model import LabModel
from ponaccept.sim.ssh_server import generate_host_key, start_listener
from ponaccept.sim.topology import Topology, fsp_str

log = logging.getLogger(__name__)
T = TypeVar("T")

NORNIR_PLATFORM = {"huawei": "huawei_smartax", "zte": "zte_zxros"}


class _PeerGoneFilter(logging.Filter):
    """Drop asyncio's "socket.send() raised exception." warnings.

    asyncio logs one for every write after a peer vanished; OLT clients disconnect mid-output all the time
    (netmiko's abort after a timeout, the fault tests dropping sessions), so in the lab it is noise that
    buries real warnings. Installed on the ``asyncio`` logger when a lab starts (the product never runs a
    lab, so its own logging keeps the message).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("socket.send() raised exception")


_PEER_GONE = _PeerGoneFilter()


class _LoopServer(uvicorn.Server):
    """uvicorn inside our loop: the lab owns signals (Ctrl-C stops the whole lab, not just HTTP)."""

    def install_signal_handlers(self) -> None:
        return None

    def capture_signals(self) -> Any:
        import contextlib

        return contextlib.nullcontext()


class Lab(ControlSurface):
    """A running lab. ``control_port``: None = no HTTP endpoint, 0 = a free port. ``free_ports`` ignores the
    topology's fixed SSH/SNMP ports (tests use it so they never clash with a lab started by hand)."""

    def __init__(
        self,
        topology: Topology | str | Path,
        *,
        host: str = "127.0.0.1",
        control_port: int | None = 0,
        snmp: bool = True,
        free_ports: bool = False,
    ) -> None:
        topo = topology if isinstance(topology, Topology) else Topology.load(topology)
        if free_ports:
            topo = topo.with_free_ports()
        self.topology = topo
        self.model = LabModel(topo)
        self.host = host
        self._control_port = control_port
        self._want_snmp = snmp
        self._acceptors: dict[str, asyncssh.SSHAcceptor] = {}
        self._live: set[asyncssh.SSHServerConnection] = set()
        self._ssh_ports: dict[str, int] = {}
        self._snmp: Any = None
        self._snmp_ports: dict[str, int] = {}
        self._http: _LoopServer | None = None
        self._http_task: asyncio.Task[None] | None = None
        self.control_url: str | None = None

    # ----------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        """Start SSH listeners, the SNMP agent and the control endpoint (all in the running loop)."""
        logging.getLogger("asyncio").addFilter(_PEER_GONE)  # idempotent: a filter is added once
        key = generate_host_key()
        try:
            for spec in self.topology.olts:
                acc = await start_listener(self.model, spec.name, key, self.host, spec.ssh_port, self._live)
                self._acceptors[spec.name] = acc
                self._ssh_ports[spec.name] = acc.get_port()
            if self._want_snmp:
                await self._start_snmp()
            if self._control_port is not None:
                await self._start_http(self._control_port)
        except BaseException:
            await self.stop()
            raise

    async def _start_snmp(self) -> None:
        try:
            adapter = importlib.import_module("ponaccept.sim.snmp.adapter")
        except ImportError as e:
            log.warning("SNMP agent not available (%s): serving SSH only", e)
            return
        self._snmp = await adapter.start_agent(self.model, self.host)
        self._snmp_ports = dict(self._snmp.ports)

    async def _start_http(self, port: int) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, port))
        app = create_control_app(self, self.endpoints)
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self._http = _LoopServer(config)
        self._http_task = asyncio.get_running_loop().create_task(self._http.serve(sockets=[sock]))
        while not self._http.started and not self._http_task.done():
            await asyncio.sleep(0.01)
        if self._http_task.done():
            self._http_task.result()
        self.control_url = f"http://{self.host}:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        """Close every listener, the agent and the HTTP endpoint; idempotent."""
        if self._http is not None and self._http_task is not None:
            self._http.should_exit = True
            await asyncio.wait([self._http_task], timeout=5)
            self._http = None
        for acc in self._acceptors.values():
            acc.close()
        for acc in self._acceptors.values():
            await acc.wait_closed()
        self._acceptors.clear()
        for conn in list(self._live):
            conn.close()
        for conn in list(self._live):
            await conn.wait_closed()
        self._live.clear()
        if self._snmp is not None:
            self._snmp.close()
            self._snmp = None

    async def __aenter__(self) -> Lab:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @classmethod
    def start_in_thread(cls, topology: Topology | str | Path, **kwargs: Any) -> LabThread:
        """Start a lab in a daemon thread with its own loop; returns once it serves (or raises)."""
        return LabThread(cls(topology, **kwargs))

    # ----------------------------------------------------------------- endpoints / inventory
    def endpoints(self) -> dict[str, dict[str, Any]]:
        """``{olt: {vendor, host, ssh_port, snmp_port, username, password, community, …}}`` (live ports)."""
        out: dict[str, dict[str, Any]] = {}
        for spec in self.topology.olts:
            out[spec.name] = {
                "vendor": spec.vendor,
                "dialect": spec.dialect,
                "platform": NORNIR_PLATFORM[spec.vendor],
                "host": self.host,
                "ssh_port": self._ssh_ports.get(spec.name, spec.ssh_port),
                "snmp_port": self._snmp_ports.get(spec.name, spec.snmp_port),
                "username": spec.username,
                "password": spec.password,
                "enable_password": spec.enable_password,
                "community": spec.community,
            }
        return out

    def write_endpoints(self, path: str | Path) -> Path:
        """Write :meth:`endpoints` as JSON (it holds the lab-only credentials: keep it out of git)."""
        p = Path(path)
        p.write_text(json.dumps(self.endpoints(), indent=2) + "\n", encoding="utf-8")
        return p

    def write_nornir_inventory(self, directory: str | Path) -> Path:
        """Write hosts/groups/defaults YAML for the running ports (no credentials) into ``directory``."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        eps = self.endpoints()
        hosts = {
            spec.name: {
                "hostname": self.host,
                "port": eps[spec.name]["ssh_port"],
                "groups": [spec.vendor],
                "data": {
                    "model": spec.model_name,
                    "snmp_port": eps[spec.name]["snmp_port"],
                    "pon_ports": [fsp_str(p.key) for p in spec.pon_ports],
                },
            }
            for spec in self.topology.olts
        }
        groups = {
            "huawei": {
                "platform": "huawei_smartax",
                "data": {"vendor": "huawei", "dialect": "huawei_ma5800"},
            },
            "zte": {"platform": "zte_zxros", "data": {"vendor": "zte", "dialect": "zte_c300"}},
        }
        defaults = {"hostname": self.host, "data": {"site": "lab", "snmp_version": "2c"}}
        for name, data in (("hosts", hosts), ("groups", groups), ("defaults", defaults)):
            (d / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return d


class LabThread:
    """A :class:`Lab` in its own thread and loop (``.lab``, ``.loop``, ``.run(coro)``, ``.stop()``)."""

    def __init__(self, lab: Lab) -> None:
        self.lab = lab
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="ponaccept-lab", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=30)
        if self._error is not None:
            self._thread.join(timeout=5)
            raise self._error
        if not self._ready.is_set():
            raise TimeoutError("lab did not start within 30 s")

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.lab.start())
        except BaseException as e:
            self._error = e
            self._ready.set()
            self.loop.close()
            return
        self._ready.set()
        self.loop.run_forever()
        # Let sessions and client handlers finish their cancellation before the loop goes away.
        pending = asyncio.all_tasks(self.loop)
        for task in pending:
            task.cancel()
        self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.close()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = 30) -> T:
        """Run a coroutine on the lab's loop from another thread and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        """Stop the lab and its thread; idempotent."""
        if self.loop.is_closed() or not self._thread.is_alive():
            return
        self.run(self.lab.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
