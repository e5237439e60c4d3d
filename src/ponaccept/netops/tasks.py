"""Nornir tasks: run device operations per OLT, serialised per OLT and parallel across OLTs.

Each public ``run_*`` function takes a fresh Nornir (``inventory.load_nornir``), groups the requests by
OLT, and runs one task per OLT that holds that OLT's lock for the whole job and uses one CLI session
for all of its requests. Results come back as plain outcomes per request; a failure on one OLT never
stops the others.
"""

from __future__ import annotations

import contextlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from netmiko.exceptions import NetmikoAuthenticationException
from nornir.core import Nornir
from nornir.core.filter import F
from nornir.core.inventory import Host
from nornir.core.task import AggregatedResult, MultiResult, Result, Task

from ponaccept.drivers.base import PonPort
from ponaccept.drivers.errors import DriverError
from ponaccept.drivers.registry import Driver, get_driver
from ponaccept.netops import operations
from ponaccept.netops.locks import LocalOltLocks, OltBusy, OltLocks
from ponaccept.netops.operations import OnuOutcome, OnuTarget, OperationError, Status
from ponaccept.netops.reconcile import ReconcileReport, reconcile_olt
from ponaccept.netops.session import DeviceSession, RetryPolicy, SessionBroken
from ponaccept.netops.transcript import TranscriptRecorder

_LOCAL_LOCKS = LocalOltLocks()


@dataclass
class JobContext:
    """What every device job shares: transcript, locks, retry policy, progress callback."""

    recorder: TranscriptRecorder = field(default_factory=TranscriptRecorder)
    locks: OltLocks = field(default_factory=lambda: _LOCAL_LOCKS)
    lock_timeout_s: float = 120.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    connect_attempts: int = 3
    connect_backoff_s: float = 1.0
    on_olt_done: Callable[[str, bool], None] | None = None
    sleep: Callable[[float], None] = time.sleep


class DeviceUnreachable(Exception):
    """Login failed (after retries where retrying is safe); nothing was sent to the OLT."""


class OltSessions:
    """The CLI session of one Nornir task on one OLT; ``reopen`` replaces a broken one.

    Public so that jobs needing their own sequence of reads (e.g. repair pre-diagnosis) reuse the login
    retries, secret masking and abort-on-broken behaviour instead of re-implementing them.
    """

    def __init__(self, task: Task, ctx: JobContext, driver: Driver) -> None:
        self.task = task
        self.ctx = ctx
        self.driver = driver
        self.current = self._open()

    def _open(self) -> DeviceSession:
        host: Host = self.task.host
        last: BaseException | None = None
        for attempt in range(self.ctx.connect_attempts):
            try:
                connection = host.get_connection("netmiko", self.task.nornir.config)
                connection.enable()
                break
            except NetmikoAuthenticationException as exc:
                # Wrong credentials do not improve with retries, and retries can lock the account.
                raise DeviceUnreachable(f"OLT {host.name}: authentication failed") from exc
            except Exception as exc:  # refused, timed out, dropped: safe to retry, nothing was sent
                last = exc
                self._discard(abort=True)
                if attempt + 1 < self.ctx.connect_attempts:
                    self.ctx.sleep(self.ctx.connect_backoff_s * 2**attempt)
        else:
            raise DeviceUnreachable(
                f"OLT {host.name}: cannot log in after {self.ctx.connect_attempts} attempts "
                f"({last.__class__.__name__ if last else 'unknown error'})"
            ) from last
        extras = host.connection_options.get("netmiko")
        secret = (extras.extras or {}).get("secret", "") if extras else ""
        self.ctx.recorder.add_secrets([host.password or "", secret])
        return DeviceSession(
            host.name,
            connection,
            self.driver.level_up,
            self.ctx.recorder,
            retry=self.ctx.retry,
            sleep=self.ctx.sleep,
        )

    def _discard(self, abort: bool = False) -> None:
        """Close the connection; ``abort`` drops the transport without netmiko's logout dialogue.

        A broken session (timed out, dropped) is in an unknown state: a polite ``quit`` would wait for
        prompts that may never come, so it is torn down at the SSH layer instead.
        """
        plugin = self.task.host.connections.get("netmiko")
        if plugin is None:
            return
        if abort:
            with contextlib.suppress(Exception):
                plugin.connection.paramiko_cleanup()
            self.task.host.connections.pop("netmiko", None)
            return
        try:
            self.task.host.close_connection("netmiko")
        except Exception:  # closing a dead session may fail again; it is gone either way
            self.task.host.connections.pop("netmiko", None)

    def reopen(self) -> DeviceSession:
        self._discard(abort=True)
        self.current = self._open()
        return self.current

    def close(self) -> None:
        if not self.current.broken:
            with contextlib.suppress(SessionBroken):
                self.current.leave_to_top()
        self._discard(abort=self.current.broken)


def _group(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return dict(grouped)


def _select(nr: Nornir, olts: Iterable[str]) -> Nornir:
    wanted = sorted(set(olts))
    unknown = [name for name in wanted if name not in nr.inventory.hosts]
    if unknown:
        raise OperationError(f"OLT(s) not in the inventory: {', '.join(unknown)}")
    return nr.filter(F(name__any=wanted))


def _run(nr: Nornir, task: Callable[..., Result], ctx: JobContext, **kwargs: Any) -> AggregatedResult:
    result = nr.run(task=task, ctx=ctx, on_failed=True, **kwargs)
    return result


def _host_result(multi: MultiResult) -> Any:
    first = multi[0]
    if first.exception is not None and first.result is None:
        raise first.exception
    return first.result


# ---- activation / revocation ----------------------------------------------------------------------


def _onu_task(
    task: Task, ctx: JobContext, grouped: dict[str, list[OnuTarget]], action: str, dry_run: bool
) -> Result:
    targets = grouped.get(task.host.name, [])
    outcomes: list[OnuOutcome] = []
    # ONU passwords are authentication secrets on the PON: masked in every recorded command and output.
    ctx.recorder.add_secrets(t.password for t in targets)

    def failed(target: OnuTarget, message: str, status: Status = Status.FAILED) -> OnuOutcome:
        return OnuOutcome(
            target.olt,
            target.port.fsp,
            target.onu_name,
            action,
            status,
            target.ont_id,
            message,
            activation_id=target.activation_id,
        )

    try:
        driver = get_driver(task.host.platform or "")
        with ctx.locks.hold(task.host.name, ctx.lock_timeout_s):
            sessions = OltSessions(task, ctx, driver)
            try:
                for target in targets:
                    if sessions.current.broken:
                        sessions.reopen()
                    sessions.current.activation_id = target.activation_id
                    try:
                        if action == "activate":
                            outcome = operations.activate(
                                sessions.current, driver, target, dry_run=dry_run, reconnect=sessions.reopen
                            )
                        else:
                            outcome = operations.revoke(sessions.current, driver, target, dry_run=dry_run)
                    except (OperationError, DriverError) as exc:
                        outcome = failed(target, str(exc))
                    except SessionBroken as exc:
                        # Broken before any change was applied (plan failures are handled inside).
                        outcome = failed(target, str(exc))
                    outcomes.append(outcome)
            finally:
                sessions.close()
    except (DeviceUnreachable, OltBusy, LookupError) as exc:
        done = {id(o) for o in outcomes}
        outcomes += [failed(t, str(exc)) for t in targets if id(t) not in done][len(outcomes) :]
        if not outcomes:
            outcomes = [failed(t, str(exc)) for t in targets]
    ok = all(o.ok for o in outcomes)
    if ctx.on_olt_done is not None:
        ctx.on_olt_done(task.host.name, ok)
    return Result(host=task.host, result=outcomes, failed=not ok)


def run_onu_action(
    nr: Nornir, targets: Sequence[OnuTarget], action: str, ctx: JobContext, *, dry_run: bool = False
) -> list[OnuOutcome]:
    """Activate or revoke ``targets`` (``action`` = "activate" | "revoke"); one outcome per target."""
    if action not in ("activate", "revoke"):
        raise ValueError(f"unknown action {action!r}")
    grouped = _group(targets, lambda t: t.olt)
    if not grouped:
        return []
    result = _run(_select(nr, grouped), _onu_task, ctx, grouped=grouped, action=action, dry_run=dry_run)
    outcomes: list[OnuOutcome] = []
    for name in grouped:
        outcomes.extend(_host_result(result[name]))
    return outcomes


# ---- optics ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpticsRequest:
    """Read one ONU (``ont_id``) or every ONU of a PON port (``ont_id`` None)."""

    olt: str
    port: PonPort
    ont_id: int | None = None


@dataclass
class OpticsOutcome:
    olt: str
    fsp: str
    readings: dict[int, Any] = field(default_factory=dict)  # ont_id -> OpticalReadings
    error: str | None = None


def _optics_task(task: Task, ctx: JobContext, grouped: dict[str, list[OpticsRequest]]) -> Result:
    requests = grouped.get(task.host.name, [])
    outcomes: list[OpticsOutcome] = []
    try:
        driver = get_driver(task.host.platform or "")
        with ctx.locks.hold(task.host.name, ctx.lock_timeout_s):
            sessions = OltSessions(task, ctx, driver)
            try:
                for request in requests:
                    outcome = OpticsOutcome(request.olt, request.port.fsp)
                    try:
                        if sessions.current.broken:
                            sessions.reopen()
                        if request.ont_id is None:
                            outcome.readings = operations.read_port_readings(
                                sessions.current, driver, request.port
                            )
                        else:
                            outcome.readings = {
                                request.ont_id: operations.read_onu_readings(
                                    sessions.current, driver, request.port, request.ont_id
                                )
                            }
                    except (OperationError, DriverError, SessionBroken) as exc:
                        outcome.error = str(exc)
                    outcomes.append(outcome)
            finally:
                sessions.close()
    except (DeviceUnreachable, OltBusy, LookupError) as exc:
        outcomes = [OpticsOutcome(r.olt, r.port.fsp, error=str(exc)) for r in requests]
    ok = all(o.error is None for o in outcomes)
    if ctx.on_olt_done is not None:
        ctx.on_olt_done(task.host.name, ok)
    return Result(host=task.host, result=outcomes, failed=not ok)


def run_read_optics(nr: Nornir, requests: Sequence[OpticsRequest], ctx: JobContext) -> list[OpticsOutcome]:
    grouped = _group(requests, lambda r: r.olt)
    if not grouped:
        return []
    result = _run(_select(nr, grouped), _optics_task, ctx, grouped=grouped)
    outcomes: list[OpticsOutcome] = []
    for name in grouped:
        outcomes.extend(_host_result(result[name]))
    return outcomes


# ---- reconciliation -------------------------------------------------------------------------------


def _reconcile_task(
    task: Task,
    ctx: JobContext,
    ports: dict[str, list[PonPort]],
    expected: dict[str, dict[str, dict[str, int | None]]],
    prefix: str,
    fix: bool,
) -> Result:
    name = task.host.name
    try:
        driver = get_driver(task.host.platform or "")
        with ctx.locks.hold(name, ctx.lock_timeout_s):
            sessions = OltSessions(task, ctx, driver)
            try:
                report = reconcile_olt(
                    sessions.current, driver, name, ports.get(name, []), expected.get(name, {}), prefix, fix
                )
            finally:
                sessions.close()
    except (DeviceUnreachable, OltBusy, LookupError, DriverError, SessionBroken) as exc:
        report = ReconcileReport(olt=name, error=str(exc))
    if ctx.on_olt_done is not None:
        ctx.on_olt_done(name, report.error is None)
    return Result(host=task.host, result=report, failed=report.error is not None)


def run_reconcile(
    nr: Nornir,
    ports: dict[str, list[PonPort]],
    expected: dict[str, dict[str, dict[str, int | None]]],
    ctx: JobContext,
    *,
    prefix: str,
    fix: bool = False,
) -> list[ReconcileReport]:
    """Compare test ONUs on the OLTs (names starting with ``prefix``) with ``expected``.

    ``ports``: per OLT, the PON ports to scan; ``expected``: per OLT, per F/S/P, ONU name → ONT-ID.
    With ``fix`` orphans (on the OLT, not expected) are removed; missing ones are only reported.
    """
    olts = set(ports) | set(expected)
    if not olts:
        return []
    result = _run(
        _select(nr, olts), _reconcile_task, ctx, ports=ports, expected=expected, prefix=prefix, fix=fix
    )
    return [_host_result(result[name]) for name in sorted(olts)]
