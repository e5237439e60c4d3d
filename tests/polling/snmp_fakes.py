"""A running simulated SNMP agent with fake sources, for the polling tests (the product never imports sim).

The agent and the client share one event loop: each test body is a coroutine run with ``asyncio.run``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from ponaccept.polling.client import SnmpTarget
from ponaccept.sim.snmp.agent import SnmpAgent
from ponaccept.sim.snmp.view import OltSnmpView, OnuSnmpView, PonSnmpView


@dataclass
class FakeSource:
    """An :class:`~ponaccept.sim.snmp.mib.SnmpSource` whose view and silence the test sets directly."""

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


def huawei_view(name: str, count: int, ports: int = 4) -> OltSnmpView:
    """``count`` ONTs spread over ``ports`` PON ports of slot 1; every 7th (i % 7 == 3) is offline."""
    pons = tuple(PonSnmpView(0, 1, p, tx_dbm=3.5 + p / 10, temperature_c=40) for p in range(ports))
    onus = tuple(
        OnuSnmpView(
            0,
            1,
            i % ports,
            i // ports,
            online=i % 7 != 3,
            rx_dbm=round(-18.0 - (i % 97) / 10, 2),
            tx_dbm=round(1.5 + (i % 13) / 10, 2),
            olt_rx_dbm=round(-22.0 - (i % 89) / 20, 2),
            temperature_c=40 + i % 20,
            voltage_v=3.3,
            bias_ma=10 + i % 5,
            distance_m=900 + i,
        )
        for i in range(count)
    )
    return OltSnmpView(name, "huawei", "Huawei Integrated Access Software", name, pons, onus)


def zte_view(name: str, count: int) -> OltSnmpView:
    """``count`` ONUs over gpon-olt_1/2/1 and 1/2/2 (ONU ids from 1); ONU index 4 is offline."""
    pons = (PonSnmpView(1, 2, 1, tx_dbm=3.9), PonSnmpView(1, 2, 2, tx_dbm=4.12))
    onus = tuple(
        OnuSnmpView(
            1,
            2,
            1 + i % 2,
            1 + i // 2,
            online=i != 4,
            rx_dbm=round(-21.0 - i / 10, 2),
            tx_dbm=round(2.2 + i / 50, 2),
            olt_rx_dbm=round(-25.25 + i / 100, 2),
        )
        for i in range(count)
    )
    return OltSnmpView(name, "zte", "C320 Version V2.1.0 Software", name, pons, onus)


@dataclass
class Served:
    agent: SnmpAgent
    ports: dict[str, int]

    def target(self, source: FakeSource, *, timeout_s: float = 1.0, retries: int = 0) -> SnmpTarget:
        return SnmpTarget(
            source.name, "127.0.0.1", self.ports[source.name], source.community, timeout_s, retries
        )


@asynccontextmanager
async def serving(*sources: FakeSource) -> AsyncIterator[Served]:
    """Serve ``sources`` on free UDP ports of 127.0.0.1 for the duration of the block."""
    agent = SnmpAgent()
    await agent.start()
    try:
        yield Served(agent, {source.name: agent.add_olt(source) for source in sources})
    finally:
        agent.stop()
