"""One pysnmp engine that answers SNMP v2c for many simulated OLTs, each on its own UDP port.

Why it is built this way (reference/simulator-notes.md, "SNMP v2c agent on pysnmp 7"):

- **One engine, one UDP transport per OLT.** An engine per OLT costs ≈ 0.8 MB and 70 ms; instead each OLT's
  socket is registered under its own transport domain (``udp.DOMAIN_NAME + (n,)``) and a request is routed
  by the domain it arrived on, read from the engine's ``rfc3412.receiveMessage:request`` execution context.
- **Everything is wired inside the running event loop.** pysnmp binds transports to the loop that is
  current when they are created; wiring before the loop runs gives a bound socket that never answers.
  :meth:`SnmpAgent.start` and :meth:`SnmpAgent.add_olt` must therefore run on the loop's thread.
- **Pre-bound sockets.** The caller gets the real port back at once, also when it asked for port 0.
- **Communities.** Each distinct community is registered once with the engine; a request that carries
  another OLT's community is dropped like one with an unknown community (real agents stay silent, so the
  poller times out instead of reading the wrong box).
- **Silence as a fault.** While ``source.silent()`` is true the OLT's transport discards datagrams before
  pysnmp sees them: no state is created and the client times out exactly as with a dead agent.
- **Own responder.** The stock GETBULK responder caps replies at 64 var-binds and repeats end-of-MIB markers;
  ours answers GET/GETNEXT/GETBULK straight from the OLT's :class:`LiveMib` (bisect over a sorted key
  list), up to :attr:`SnmpAgent.max_varbinds` per reply.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from typing import Any

from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.carrier.asyncio.dispatch import AsyncioDispatcher
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import cmdrsp, context
from pysnmp.proto import rfc1905
from pysnmp.proto.api import v2c
from pysnmp.smi import error as smi_error

from ponaccept.sim.snmp.mib import LiveMib, SnmpSource

_REQUEST_CONTEXT = "rfc3412.receiveMessage:request"
log = logging.getLogger(__name__)


class _SilenceableUdp(udp.UdpAsyncioTransport):  # type: ignore[misc]
    """UDP transport that discards every datagram while its OLT is told to stay silent."""

    def __init__(self, olt: _Olt) -> None:
        super().__init__()
        self._olt = olt

    def datagram_received(self, datagram: bytes, transport_address: Any) -> None:
        if self._olt.source.silent():
            return
        super().datagram_received(datagram, transport_address)


@dataclass(eq=False)
class _Olt:
    source: SnmpSource
    mib: LiveMib
    port: int = 0
    domain: tuple[int, ...] = ()
    transport: Any = None
    sock: socket.socket | None = None


class _Responder(cmdrsp.CommandResponderBase):  # type: ignore[misc]
    """GET, GETNEXT and GETBULK for all OLTs, routed to the OLT whose socket received the request."""

    SUPPORTED_PDU_TYPES = (
        rfc1905.GetRequestPDU.tagSet,
        rfc1905.GetNextRequestPDU.tagSet,
        rfc1905.GetBulkRequestPDU.tagSet,
    )

    def __init__(self, snmp_engine: Any, snmp_context: Any, agent: SnmpAgent) -> None:
        super().__init__(snmp_engine, snmp_context)
        self._agent = agent

    def handle_management_operation(
        self, snmpEngine: Any, stateReference: Any, contextName: Any, PDU: Any
    ) -> None:
        mib = self._agent._route(snmpEngine)
        if mib is None:
            return  # wrong community for this port: no answer, like an unknown community
        try:
            var_binds = self._answer(mib, PDU)
        except Exception as exc:
            # A broken view must not take the whole agent down: answer genErr, as a device would.
            log.exception("SNMP request for %s failed", mib.source.name)
            raise smi_error.GenError() from exc
        self.send_varbinds(snmpEngine, stateReference, 0, 0, var_binds)

    def _answer(self, mib: LiveMib, PDU: Any) -> list[Any]:
        oids = [tuple(name) for name, _ in v2c.apiPDU.get_varbinds(PDU)]
        tag = PDU.tagSet
        if tag == rfc1905.GetRequestPDU.tagSet:
            var_binds = mib.get(oids)
        elif tag == rfc1905.GetNextRequestPDU.tagSet:
            var_binds = mib.get_next(oids)
        else:
            non_repeaters = min(max(int(v2c.apiBulkPDU.get_non_repeaters(PDU)), 0), len(oids))
            repetitions = max(int(v2c.apiBulkPDU.get_max_repetitions(PDU)), 0)
            var_binds = mib.get_bulk(
                oids[:non_repeaters], oids[non_repeaters:], repetitions, self._agent.max_varbinds
            )
        return var_binds


class SnmpAgent:
    """SNMP v2c agent for many OLTs in one asyncio process.

    Usage (inside the running loop)::

        agent = SnmpAgent()
        await agent.start()
        port = agent.add_olt(source)          # port=0 → a free port, returned
        ...
        agent.remove_olt(source.name)
        agent.stop()
    """

    max_varbinds = 1000
    """Var-binds per GETBULK reply; 1,000 Huawei rows stay well below the 65,507-byte UDP limit."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self._engine: Any = None
        self._responder: _Responder | None = None
        self._olts: dict[str, _Olt] = {}
        self._by_domain: dict[tuple[int, ...], _Olt] = {}
        self._security_names: dict[str, str] = {}  # security name → community
        self._community_index: dict[str, str] = {}  # community → security name
        self._domain_counter = 0
        self._community_counter = 0

    @property
    def running(self) -> bool:
        return self._engine is not None

    async def start(self) -> None:
        """Create the engine and responder on the running loop (see the module docstring)."""
        if self._engine is not None:
            return
        snmp_engine = engine.SnmpEngine()
        # An explicitly registered dispatcher is not "automatic", so removing the last OLT does not
        # tear the dispatcher down under a still-running agent.
        snmp_engine.register_transport_dispatcher(AsyncioDispatcher())
        self._responder = _Responder(snmp_engine, context.SnmpContext(snmp_engine), self)
        self._engine = snmp_engine

    def add_olt(self, source: SnmpSource, port: int = 0) -> int:
        """Serve ``source`` on ``host:port`` (0 = any free port) and return the bound port.

        Must be called on the loop's thread after :meth:`start`. OLT names must be unique.
        """
        if self._engine is None:
            raise RuntimeError("SnmpAgent.start() must be awaited before add_olt()")
        if source.name in self._olts:
            raise ValueError(f"OLT {source.name!r} is already served")
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        try:
            sock.bind((self.host, port))
        except OSError:
            sock.close()
            raise
        sock.setblocking(False)
        olt = _Olt(source=source, mib=LiveMib(source), port=sock.getsockname()[1], sock=sock)
        self._domain_counter += 1
        olt.domain = (*udp.DOMAIN_NAME, self._domain_counter)
        olt.transport = _SilenceableUdp(olt).open_server_mode(sock=sock)
        config.add_transport(self._engine, olt.domain, olt.transport)
        self._register_community(source.community)
        self._olts[source.name] = olt
        self._by_domain[olt.domain] = olt
        return olt.port

    def remove_olt(self, name: str) -> None:
        """Stop serving one OLT and close its socket (its port becomes free again)."""
        olt = self._olts.pop(name)
        del self._by_domain[olt.domain]
        config.delete_transport(self._engine, olt.domain)
        olt.transport.close_transport()
        if olt.transport.transport is None and olt.sock is not None:
            # pysnmp opens the endpoint in a task; removed before that task ran (e.g. the next OLT's port
            # was taken in the same start-up step), close_transport only cancels it and the socket would
            # stay bound until garbage collection.
            olt.sock.close()
        community = olt.source.community
        if all(other.source.community != community for other in self._olts.values()):
            security_name = self._community_index.pop(community)
            del self._security_names[security_name]
            config.delete_v1_system(self._engine, security_name)

    def port_of(self, name: str) -> int:
        return self._olts[name].port

    def mib_of(self, name: str) -> LiveMib:
        """The live MIB of one OLT (tests and the lab read encoded values through it)."""
        return self._olts[name].mib

    def stop(self) -> None:
        """Close every socket and the dispatcher; the agent can be started again afterwards."""
        if self._engine is None:
            return
        for name in list(self._olts):
            self.remove_olt(name)
        if self._responder is not None:
            self._responder.close(self._engine)
            self._responder = None
        self._engine.close_dispatcher()
        self._engine = None

    def _register_community(self, community: str) -> None:
        if community in self._community_index:
            return
        self._community_counter += 1
        security_name = f"olt-community-{self._community_counter}"
        config.add_v1_system(self._engine, security_name, community)
        self._community_index[community] = security_name
        self._security_names[security_name] = community

    def _route(self, snmp_engine: Any) -> LiveMib | None:
        """The MIB of the OLT this request reached, or None if its community belongs to another OLT."""
        request = snmp_engine.observer.get_execution_context(_REQUEST_CONTEXT)
        olt = self._by_domain.get(tuple(request["transportDomain"]))
        if olt is None:
            return None
        if self._security_names.get(str(request["securityName"])) != olt.source.community:
            return None
        return olt.mib
