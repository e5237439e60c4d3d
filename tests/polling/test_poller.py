"""Many OLTs at once: a silent OLT is reported by name, never kills the batch, and trips its breaker."""

from __future__ import annotations

import asyncio
import time

import pytest

from polling.snmp_fakes import FakeSource, huawei_view, serving, zte_view
from ponaccept.domain.optics import Missing, MissingReason, OpticalReadings, Quantity
from ponaccept.drivers.base import PonPort
from ponaccept.polling.client import SnmpClient, SnmpTarget
from ponaccept.polling.poller import Poller, PollRequest, PollResult, PollStatus, poll_many


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_silent_olt_gives_a_named_timeout_within_timeout_times_tries() -> None:
    source = FakeSource("hw-dead", "c", huawei_view("hw-dead", 4), quiet=True)

    async def run() -> tuple[PollResult, float, int]:
        async with serving(source) as lab:
            started = time.monotonic()
            results = await poll_many([PollRequest(lab.target(source, timeout_s=0.3, retries=1), "huawei")])
            return results["hw-dead"], time.monotonic() - started, lab.ports["hw-dead"]

    result, elapsed, port = asyncio.run(run())
    assert result.status is PollStatus.TIMEOUT
    assert not result.ok
    assert result.readings == {}
    assert result.error == f"SNMP timeout from OLT hw-dead (127.0.0.1:{port}) after 2 tries"
    # Both tries waited for (pysnmp's timer ticks every 0.1 s), and no more: pysnmp's default of 5 retries
    # would take 1.8 s. The slack above 0.6 s absorbs a loaded CI machine.
    assert 0.5 <= elapsed < 1.5


def test_two_olts_concurrently_one_silent_the_other_still_read() -> None:
    alive = FakeSource("zte-ok", "c1", zte_view("zte-ok", 8))
    dead = FakeSource("hw-dead", "c2", huawei_view("hw-dead", 8), quiet=True)

    async def run() -> tuple[dict[str, PollResult], float]:
        async with serving(alive, dead) as lab:
            requests = [
                PollRequest(lab.target(dead, timeout_s=0.5, retries=1), "huawei"),
                PollRequest(lab.target(alive, timeout_s=0.5, retries=1), "zte"),
            ]
            started = time.monotonic()
            results = await poll_many(requests, concurrency=2)
            return results, time.monotonic() - started

    results, elapsed = asyncio.run(run())
    assert results["hw-dead"].status is PollStatus.TIMEOUT
    assert results["hw-dead"].error is not None and "hw-dead" in results["hw-dead"].error
    assert results["zte-ok"].ok
    assert len(results["zte-ok"].readings) == 8
    assert results["zte-ok"].readings[(PonPort(1, 2, 1), 1)].dbm(Quantity.OLT_RX) == -25.25
    assert results["zte-ok"].elapsed_s < 0.5  # not held up behind the silent OLT
    assert elapsed < 1.5


def test_port_requests_and_per_olt_errors() -> None:
    source = FakeSource("hw-p", "c", huawei_view("hw-p", 16))

    async def run() -> tuple[dict[str, PollResult], dict[str, PollResult]]:
        async with serving(source) as lab:
            target = lab.target(source)
            ports = await poll_many([PollRequest(target, "huawei", (PonPort(0, 1, 0), PonPort(0, 1, 3)))])
            bad = await poll_many([PollRequest(target, "huawei", (PonPort(1, 1, 0),))])
            return ports, bad

    ports, bad = asyncio.run(run())
    assert sorted(key[1] for key in ports["hw-p"].readings) == [0, 0, 1, 1, 2, 2, 3, 3]
    assert {key[0] for key in ports["hw-p"].readings} == {PonPort(0, 1, 0), PonPort(0, 1, 3)}
    assert bad["hw-p"].status is PollStatus.ERROR
    assert bad["hw-p"].error is not None and "frame 0" in bad["hw-p"].error


def test_circuit_breaker_opens_after_k_timeouts_and_half_opens_after_the_cool_down() -> None:
    source = FakeSource("hw-flaky", "c", huawei_view("hw-flaky", 4), quiet=True)
    clock = FakeClock()
    poller = Poller(breaker_threshold=2, breaker_cooldown_s=60, clock=clock)

    async def run() -> list[tuple[PollStatus, str | None, float]]:
        outcomes: list[tuple[PollStatus, str | None, float]] = []
        async with serving(source) as lab:
            request = PollRequest(lab.target(source, timeout_s=0.2, retries=0), "huawei")

            async def once() -> None:
                started = time.monotonic()
                result = (await poller.poll_many([request]))["hw-flaky"]
                outcomes.append((result.status, result.error, time.monotonic() - started))

            await once()  # timeout 1
            await once()  # timeout 2: opens
            await once()  # skipped, no network
            clock.now += 61
            await once()  # half-open: tried, times out again → re-opened at once
            await once()  # skipped
            clock.now += 61
            source.quiet = False
            await once()  # half-open: answers → closed
            await once()
        return outcomes

    outcomes = asyncio.run(run())
    statuses = [status for status, _, _ in outcomes]
    assert statuses == [
        PollStatus.TIMEOUT,
        PollStatus.TIMEOUT,
        PollStatus.SKIPPED,
        PollStatus.TIMEOUT,
        PollStatus.SKIPPED,
        PollStatus.OK,
        PollStatus.OK,
    ]
    skipped_error, skipped_elapsed = outcomes[2][1], outcomes[2][2]
    assert skipped_error is not None
    assert "hw-flaky" in skipped_error and "suspended after 2 consecutive timeouts" in skipped_error
    assert skipped_elapsed < 0.1
    assert poller.breaker("hw-flaky").consecutive_timeouts == 0
    assert not poller.breaker("hw-flaky").open


def test_breaker_state_reports_the_remaining_cool_down() -> None:
    source = FakeSource("hw-x", "c", huawei_view("hw-x", 1), quiet=True)
    clock = FakeClock()
    poller = Poller(breaker_threshold=1, breaker_cooldown_s=30, clock=clock)

    async def run() -> None:
        async with serving(source) as lab:
            await poller.poll_many([PollRequest(lab.target(source, timeout_s=0.2), "huawei")])

    asyncio.run(run())
    clock.now += 10
    state = poller.breaker("hw-x")
    assert state.open
    assert state.consecutive_timeouts == 1
    assert state.retry_in_s == pytest.approx(20)
    assert not poller.breaker("never-polled").open


def test_deadline_caps_one_olt_poll() -> None:
    source = FakeSource("hw-slow", "c", huawei_view("hw-slow", 1), quiet=True)
    poller = Poller(deadline_s=0.2)

    async def run() -> tuple[PollResult, float]:
        async with serving(source) as lab:
            started = time.monotonic()
            results = await poller.poll_many(
                [PollRequest(lab.target(source, timeout_s=5, retries=0), "huawei")]
            )
            return results["hw-slow"], time.monotonic() - started

    result, elapsed = asyncio.run(run())
    assert result.status is PollStatus.TIMEOUT
    assert result.error is not None and "hw-slow" in result.error and "exceeded 0.2 s" in result.error
    assert elapsed < 1.0


def test_poll_onu_turns_silence_into_missing_timeout_readings() -> None:
    alive = FakeSource("zte-1", "c", zte_view("zte-1", 4))
    dead = FakeSource("zte-2", "c", zte_view("zte-2", 4), quiet=True)
    poller = Poller(breaker_threshold=1)

    async def run() -> tuple[OpticalReadings, OpticalReadings, OpticalReadings]:
        async with serving(alive, dead) as lab:
            good = await poller.poll_onu(lab.target(alive), "zte", PonPort(1, 2, 1), 1)
            silent_target = lab.target(dead, timeout_s=0.2)
            silent = await poller.poll_onu(silent_target, "zte", PonPort(1, 2, 1), 1)
            suspended = await poller.poll_onu(silent_target, "zte", PonPort(1, 2, 1), 1)
            return good, silent, suspended

    good, silent, suspended = asyncio.run(run())
    assert good.missing_quantities() == ()
    for readings, words in ((silent, "SNMP timeout from OLT zte-2"), (suspended, "suspended")):
        assert isinstance(readings.onu_rx, Missing)
        assert readings.onu_rx.reason is MissingReason.TIMEOUT
        assert readings.onu_rx.detail is not None and words in readings.onu_rx.detail


def test_each_olt_once_per_poll() -> None:
    target = SnmpTarget("twin", "127.0.0.1", 1161, "c")
    with pytest.raises(ValueError, match="once"):
        asyncio.run(poll_many([PollRequest(target, "zte"), PollRequest(target, "huawei")]))


def test_unresolvable_host_and_unexpected_faults_stay_within_their_olt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alive = FakeSource("zte-ok", "c", zte_view("zte-ok", 2))
    original = SnmpClient.read_olt

    async def read_olt(self: SnmpClient, target: SnmpTarget, vendor: str, **options: bool) -> object:
        if target.name == "boom":
            raise RuntimeError("library fault")
        return await original(self, target, vendor, **options)

    monkeypatch.setattr(SnmpClient, "read_olt", read_olt)

    async def run() -> dict[str, PollResult]:
        async with serving(alive) as lab:
            return await poll_many(
                [
                    PollRequest(lab.target(alive), "zte"),
                    PollRequest(SnmpTarget("nowhere", "no-such-olt.invalid", 161, "c", 0.2, 0), "zte"),
                    PollRequest(SnmpTarget("boom", "127.0.0.1", 9, "c", 0.2, 0), "zte"),
                ]
            )

    results = asyncio.run(run())
    assert results["zte-ok"].ok and len(results["zte-ok"].readings) == 2
    for name in ("nowhere", "boom"):
        assert results[name].status is PollStatus.ERROR
        assert results[name].error is not None and f"OLT {name} (" in results[name].error


def test_poll_onu_reports_other_snmp_failures_as_not_available() -> None:
    target = SnmpTarget("nowhere", "no-such-olt.invalid", 161, "c", 0.2, 0)
    readings = asyncio.run(Poller().poll_onu(target, "huawei", PonPort(0, 1, 0), 1))
    assert isinstance(readings.olt_tx, Missing)
    assert readings.olt_tx.reason is MissingReason.NOT_AVAILABLE
    assert readings.olt_tx.detail is not None and "OLT nowhere" in readings.olt_tx.detail
