"""Poll many OLTs concurrently without letting one bad OLT spoil the batch.

- Every OLT's outcome is a :class:`PollResult`; :meth:`Poller.poll_many` never raises for an SNMP failure,
  so a silent OLT yields "SNMP timeout from OLT <name> (host:port) after N tries" and no readings while the
  others' readings are returned.
- A semaphore bounds the OLTs in flight (each walk keeps one request outstanding per OLT, so this is also
  the number of outstanding requests).
- **Circuit breaker per OLT.** After ``breaker_threshold`` consecutive timeouts an OLT is not polled for
  ``breaker_cooldown_s``: a dead OLT would otherwise cost ``timeout × tries`` in every cycle and, on a
  struggling one, every poll adds load. After the cool-down one poll is let through; success closes the
  breaker, another timeout opens it again. Only timeouts count: an SNMP error reply proves the OLT is alive.
- ``deadline_s`` caps one OLT's whole poll (a walk is many requests, each with its own timeout).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from ponaccept.domain.choices import Vendor
from ponaccept.domain.optics import MissingReason, OpticalReadings
from ponaccept.drivers.base import PonPort
from ponaccept.polling.client import (
    DEFAULT_MAX_REPETITIONS,
    OnuKey,
    SnmpClient,
    SnmpError,
    SnmpTarget,
    SnmpTimeout,
)
from ponaccept.polling.decode import unreachable

log = logging.getLogger(__name__)


class PollStatus(StrEnum):
    OK = "ok"
    TIMEOUT = "timeout"
    ERROR = "error"
    SKIPPED = "skipped"  # circuit breaker open: not polled this time


@dataclass(frozen=True)
class PollRequest:
    """What to read from one OLT: every ONU (``ports=None``) or the ONUs of the given PON ports.

    ``diagnostics=False`` reads only the powers (and run status), skipping the transceiver diagnostics.
    """

    target: SnmpTarget
    vendor: Vendor | str
    ports: tuple[PonPort, ...] | None = None
    diagnostics: bool = True


@dataclass(frozen=True)
class PollResult:
    """One OLT's outcome: ``readings`` is empty unless ``status`` is OK; ``error`` names the OLT."""

    olt: str
    status: PollStatus
    readings: Mapping[OnuKey, OpticalReadings] = field(default_factory=lambda: MappingProxyType({}))
    error: str | None = None
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status is PollStatus.OK


@dataclass
class _Breaker:
    timeouts: int = 0
    open_until: float = 0.0


@dataclass(frozen=True)
class BreakerState:
    consecutive_timeouts: int
    open: bool
    retry_in_s: float


class Poller:
    """Concurrent, circuit-broken optical polling; keep one instance to let the breakers remember."""

    def __init__(
        self,
        *,
        concurrency: int = 32,
        breaker_threshold: int = 3,
        breaker_cooldown_s: float = 300.0,
        deadline_s: float | None = None,
        max_repetitions: int = DEFAULT_MAX_REPETITIONS,
        streams_per_olt: int = 1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if (
            min(concurrency, breaker_threshold, max_repetitions, streams_per_olt) < 1
            or breaker_cooldown_s < 0
        ):
            raise ValueError("concurrency, threshold, repetitions and streams must be >= 1, cool-down >= 0")
        self.concurrency = concurrency
        self.breaker_threshold = breaker_threshold
        self.breaker_cooldown_s = breaker_cooldown_s
        self.deadline_s = deadline_s
        self.max_repetitions = max_repetitions
        self.streams_per_olt = streams_per_olt
        self._clock = clock
        self._breakers: dict[str, _Breaker] = {}

    def breaker(self, olt: str) -> BreakerState:
        state = self._breakers.get(olt, _Breaker())
        retry_in = max(0.0, state.open_until - self._clock())
        return BreakerState(state.timeouts, retry_in > 0, retry_in)

    def _skip_reason(self, target: SnmpTarget) -> str | None:
        state = self._breakers.get(target.name)
        if state is None or self._clock() >= state.open_until:
            return None
        retry_in = state.open_until - self._clock()
        return (
            f"SNMP polling of {target} suspended after {state.timeouts} consecutive timeouts; "
            f"next try in {retry_in:.0f} s"
        )

    def _record(self, olt: str, timed_out: bool) -> None:
        state = self._breakers.setdefault(olt, _Breaker())
        if not timed_out:
            state.timeouts, state.open_until = 0, 0.0
            return
        state.timeouts += 1
        if state.timeouts >= self.breaker_threshold:
            state.open_until = self._clock() + self.breaker_cooldown_s
            log.warning("circuit opened for OLT %s after %d SNMP timeouts", olt, state.timeouts)

    async def _read(self, client: SnmpClient, request: PollRequest) -> dict[OnuKey, OpticalReadings]:
        if request.ports is None:
            return await client.read_olt(request.target, request.vendor, diagnostics=request.diagnostics)
        readings: dict[OnuKey, OpticalReadings] = {}
        for pon in request.ports:
            port = await client.read_port(
                request.target, request.vendor, pon, diagnostics=request.diagnostics
            )
            readings.update(((pon, ont_id), value) for ont_id, value in port.items())
        return readings

    async def _poll_one(
        self, client: SnmpClient, request: PollRequest, gate: asyncio.Semaphore
    ) -> PollResult:
        target = request.target
        if (reason := self._skip_reason(target)) is not None:
            return PollResult(target.name, PollStatus.SKIPPED, error=reason)
        async with gate:
            started = self._clock()
            status, message = PollStatus.OK, None
            try:
                readings = await asyncio.wait_for(self._read(client, request), self.deadline_s)
            except SnmpTimeout as exc:
                status, message = PollStatus.TIMEOUT, str(exc)
            except TimeoutError:
                status, message = PollStatus.TIMEOUT, f"SNMP poll of {target} exceeded {self.deadline_s} s"
            except (SnmpError, ValueError) as exc:
                # ValueError: a port this vendor cannot encode — a bad request, reported per OLT.
                status, message = PollStatus.ERROR, str(exc)
            except Exception as exc:
                # Last resort (a library fault): one OLT's surprise must not cancel the other OLTs' polls.
                log.exception("unexpected failure polling %s", target)
                status, message = PollStatus.ERROR, f"SNMP poll of {target} failed: {type(exc).__name__}"
            elapsed = self._clock() - started
        if status is PollStatus.ERROR:
            log.warning("%s", message)
            return PollResult(target.name, status, error=message, elapsed_s=elapsed)
        self._record(target.name, timed_out=status is PollStatus.TIMEOUT)
        if status is PollStatus.TIMEOUT:
            log.warning("%s", message)
            return PollResult(target.name, status, error=message, elapsed_s=elapsed)
        return PollResult(target.name, status, MappingProxyType(readings), elapsed_s=elapsed)

    async def poll_many(self, requests: Iterable[PollRequest]) -> dict[str, PollResult]:
        """Poll every request's OLT, at most :attr:`concurrency` at once; one result per OLT name."""
        batch = list(requests)
        names = [request.target.name for request in batch]
        if len(set(names)) != len(names):
            raise ValueError("each OLT may appear only once per poll")
        gate = asyncio.Semaphore(self.concurrency)
        async with SnmpClient(self.max_repetitions, self.streams_per_olt) as client:
            results = await asyncio.gather(*(self._poll_one(client, request, gate) for request in batch))
        return {result.olt: result for result in results}

    async def poll_onu(
        self, target: SnmpTarget, vendor: Vendor | str, pon: PonPort, ont_id: int
    ) -> OpticalReadings:
        """One ONU that never raises for SNMP trouble: a silent or suspended OLT gives four
        ``Missing(timeout)`` powers whose detail names the OLT; any other SNMP failure (unresolvable host,
        error reply) gives ``Missing(not_available)`` with the error text. A bad ``pon`` for the vendor
        still raises ``ValueError``: that is a caller bug, not a missing reading."""
        if (reason := self._skip_reason(target)) is not None:
            return unreachable(reason)
        try:
            async with SnmpClient(self.max_repetitions, self.streams_per_olt) as client:
                readings = await client.read_onu(target, vendor, pon, ont_id)
        except SnmpTimeout as exc:
            self._record(target.name, timed_out=True)
            return unreachable(str(exc))
        except SnmpError as exc:
            log.warning("%s", exc)
            return unreachable(str(exc), MissingReason.NOT_AVAILABLE)
        self._record(target.name, timed_out=False)
        return readings


async def poll_many(
    requests: Iterable[PollRequest],
    *,
    concurrency: int = 32,
    poller: Poller | None = None,
) -> dict[str, PollResult]:
    """Poll once with a fresh :class:`Poller` (no breaker memory) unless ``poller`` is given."""
    return await (poller or Poller(concurrency=concurrency)).poll_many(requests)
