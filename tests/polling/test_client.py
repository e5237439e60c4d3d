"""The SNMP client against the simulated agent: the readings equal what the fake view holds."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from polling.snmp_fakes import FakeSource, huawei_view, serving, zte_view
from ponaccept.domain.optics import Missing, MissingReason, OpticalReadings, Quantity
from ponaccept.drivers.base import PonPort
from ponaccept.polling.client import SnmpClient, SnmpTarget, SnmpTimeout, read_olt, read_onu, read_port
from ponaccept.sim.snmp.view import OltSnmpView, OnuSnmpView


def expected(view: OltSnmpView, onu: OnuSnmpView) -> tuple[float | None, ...]:
    pon_tx = next(p.tx_dbm for p in view.pons if (p.frame, p.slot, p.port) == (onu.frame, onu.slot, onu.port))
    if not onu.online:
        return (pon_tx, None, None, None)
    return (pon_tx, onu.olt_rx_dbm, onu.tx_dbm, onu.rx_dbm)


def observed(readings: OpticalReadings) -> tuple[float | None, ...]:
    return tuple(readings.dbm(q) for q in Quantity)


def assert_matches(view: OltSnmpView, onu: OnuSnmpView, readings: OpticalReadings) -> None:
    for want, got in zip(expected(view, onu), observed(readings), strict=True):
        if want is None:
            assert got is None
        else:
            assert got == pytest.approx(want, abs=0.01)
    if not onu.online:
        for quantity in (Quantity.OLT_RX, Quantity.ONU_TX, Quantity.ONU_RX):
            value = readings.reading(quantity)
            assert isinstance(value, Missing)
            assert value.reason is MissingReason.OFFLINE


def test_read_olt_huawei_returns_every_ont_as_served() -> None:
    source = FakeSource("hw-a", "comm-a", huawei_view("hw-a", 64))

    async def run() -> dict[tuple[PonPort, int], OpticalReadings]:
        async with serving(source) as lab:
            return await read_olt(lab.target(source), "huawei")

    readings = asyncio.run(run())
    view = source.current
    assert len(readings) == 64
    for onu in view.onus:
        got = readings[(PonPort(onu.frame, onu.slot, onu.port), onu.ont_id)]
        assert_matches(view, onu, got)
        if onu.online:
            assert got.onu_temperature_c == onu.temperature_c
            assert got.onu_voltage_v == pytest.approx(onu.voltage_v)
            assert got.onu_bias_ma == onu.bias_ma
            assert got.distance_m == onu.distance_m
    assert sum(1 for r in readings.values() if r.missing_quantities()) == sum(
        1 for o in view.onus if not o.online
    )


def test_read_port_and_read_onu_huawei() -> None:
    source = FakeSource("hw-p", "comm-p", huawei_view("hw-p", 40))
    view = source.current

    async def run() -> tuple[dict[int, OpticalReadings], OpticalReadings, OpticalReadings]:
        async with serving(source) as lab, SnmpClient() as client:
            target = lab.target(source)
            port = await client.read_port(target, "huawei", PonPort(0, 1, 2))
            one = await client.read_onu(target, "huawei", PonPort(0, 1, 3), 0)  # i = 3: offline
            missing = await read_onu(target, "huawei", PonPort(0, 1, 3), 99)
            return port, one, missing

    port, one, missing = asyncio.run(run())
    on_port = [onu for onu in view.onus if onu.port == 2]
    assert sorted(port) == [onu.ont_id for onu in on_port]
    for onu in on_port:
        assert_matches(view, onu, port[onu.ont_id])
    assert_matches(view, view.onus[3], one)
    assert isinstance(missing.onu_rx, Missing) and missing.onu_rx.reason is MissingReason.OFFLINE
    assert missing.onu_rx.detail is not None and "not configured" in missing.onu_rx.detail


def test_zte_reads_combine_both_mib_generations() -> None:
    source = FakeSource("zte-a", "comm-z", zte_view("zte-a", 12))
    view = source.current

    async def run() -> tuple[
        dict[tuple[PonPort, int], OpticalReadings], dict[int, OpticalReadings], OpticalReadings
    ]:
        async with serving(source) as lab:
            target = lab.target(source)
            whole = await read_olt(target, "zte")
            port = await read_port(target, "zte", PonPort(1, 2, 2))
            one = await read_onu(target, "zte", PonPort(1, 2, 1), 3)  # i = 4: offline
            return whole, port, one

    whole, port, one = asyncio.run(run())
    assert len(whole) == 12
    for onu in view.onus:
        assert_matches(view, onu, whole[(PonPort(1, onu.slot, onu.port), onu.ont_id)])
    assert sorted(port) == [1, 2, 3, 4, 5, 6]
    assert port == {key[1]: value for key, value in whole.items() if key[0] == PonPort(1, 2, 2)}
    assert_matches(view, view.onus[4], one)


def test_a_value_outside_the_plausible_range_is_missing_not_a_crash() -> None:
    view = huawei_view("hw-odd", 4)
    odd = dataclasses.replace(view.onus[0], rx_dbm=40.0)
    source = FakeSource("hw-odd", "c", dataclasses.replace(view, onus=(odd, *view.onus[1:])))

    async def run() -> dict[tuple[PonPort, int], OpticalReadings]:
        async with serving(source) as lab:
            return await read_olt(lab.target(source), "huawei")

    readings = asyncio.run(run())
    first = readings[(PonPort(0, 1, 0), 0)]
    assert isinstance(first.onu_rx, Missing)
    assert first.onu_rx.reason is MissingReason.NOT_AVAILABLE
    assert first.onu_tx.kind == "measured"
    assert readings[(PonPort(0, 1, 1), 0)].onu_rx.kind == "measured"


def test_a_silent_olt_raises_a_timeout_naming_it_without_the_community() -> None:
    source = FakeSource("hw-quiet", "s3cret-community", huawei_view("hw-quiet", 2), quiet=True)

    async def run() -> str:
        async with serving(source) as lab:
            with pytest.raises(SnmpTimeout) as caught:
                await read_port(lab.target(source, timeout_s=0.2, retries=1), "huawei", PonPort(0, 1, 0))
            return str(caught.value)

    message = asyncio.run(run())
    assert message.startswith("SNMP timeout from OLT hw-quiet (127.0.0.1:")
    assert message.endswith("after 2 tries")
    assert "s3cret" not in message


def test_the_target_hides_its_community_and_checks_its_settings() -> None:
    target = SnmpTarget("olt-1", "10.0.0.1", 161, "s3cret", 1.5, 1)
    assert "s3cret" not in repr(target)
    assert str(target) == "OLT olt-1 (10.0.0.1:161)"
    assert target.tries == 2
    with pytest.raises(ValueError, match="community"):
        SnmpTarget("olt-1", "10.0.0.1", 161, "")
    with pytest.raises(ValueError, match="retries"):
        SnmpTarget("olt-1", "10.0.0.1", 161, "c", retries=-1)
    with pytest.raises(ValueError, match="port"):
        SnmpTarget("olt-1", "10.0.0.1", 0, "c")


def test_walk_follows_several_columns_across_many_requests() -> None:
    source = FakeSource("hw-w", "c", huawei_view("hw-w", 30))
    ddm = (1, 3, 6, 1, 4, 1, 2011, 6, 128, 1, 1, 2, 51, 1)

    async def run() -> tuple[dict[tuple[int, ...], dict[tuple[int, ...], int]], int]:
        async with serving(source) as lab, SnmpClient(max_repetitions=4) as client:
            walked = await client.walk(lab.target(source), [(*ddm, 4), (*ddm, 6), (*ddm, 99)])
            return walked, client.varbinds

    walked, varbinds = asyncio.run(run())
    assert len(walked[(*ddm, 4)]) == 30
    assert len(walked[(*ddm, 6)]) == 30
    assert walked[(*ddm, 99)] == {}
    assert walked[(*ddm, 4)][(4194312192, 0)] == -1800
    assert varbinds > 60  # 8 requests of up to 3 × 4 var-binds, the overshoot past each column included


def test_parallel_streams_and_powers_only_reads_give_the_same_powers() -> None:
    source = FakeSource("hw-s", "c", huawei_view("hw-s", 48))

    async def run() -> tuple[dict[tuple[PonPort, int], OpticalReadings], ...]:
        async with serving(source) as lab:
            target = lab.target(source)
            async with SnmpClient(max_repetitions=7) as serial:
                full = await serial.read_olt(target, "huawei")
                lean = await serial.read_olt(target, "huawei", diagnostics=False)
            async with SnmpClient(max_repetitions=7, streams=3) as parallel:
                streamed = await parallel.read_olt(target, "huawei")
                port = await parallel.read_port(target, "huawei", PonPort(0, 1, 1), diagnostics=False)
            return full, lean, streamed, {(PonPort(0, 1, 1), k): v for k, v in port.items()}

    full, lean, streamed, port = asyncio.run(run())
    assert streamed == full
    assert lean.keys() == full.keys()
    for key, readings in full.items():
        assert observed(lean[key]) == observed(readings)
        assert lean[key].onu_temperature_c is None
        assert lean[key].distance_m is None
    assert any(readings.onu_temperature_c is not None for readings in full.values())
    assert port == {key: value for key, value in lean.items() if key[0] == PonPort(0, 1, 1)}
