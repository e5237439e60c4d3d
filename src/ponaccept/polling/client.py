"""Async SNMP v2c client for OLT optics: GET for one ONU, multi-column GETBULK walks for a port or an OLT.

Choices (reference/simulator-notes.md, DESIGN.md §6):

- **Whole columns, not one ONU at a time.** A port or OLT read walks every needed column in one GETBULK
  stream (all columns as repeaters, ``max_repetitions`` rows each per request), so 512 ONUs × 8 columns
  cost about a dozen round trips instead of thousands of GETs.
- **``lookupMib=False``.** MIB resolution triples the client's cost per var-bind and we only need numbers.
- **Retries are explicit.** pysnmp defaults to 5 retries; a busy OLT answering slowly then receives six
  copies of every request, so :class:`SnmpTarget` defaults to 1 retry and a short timeout.
- **One engine per client.** An engine is cheap to share across many concurrent requests to many OLTs on
  one loop; :class:`SnmpClient` owns one and closes its dispatcher when done.
- **The community is a secret.** It is excluded from ``repr`` and never appears in errors or logs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from pyasn1.type import univ
from pysnmp.error import PySnmpError
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    UdpTransportTarget,
    bulk_cmd,
    get_cmd,
)
from pysnmp.proto import errind, rfc1905

from ponaccept.domain.choices import Vendor
from ponaccept.domain.optics import OpticalReadings
from ponaccept.drivers.base import PonPort
from ponaccept.polling.decode import decode
from ponaccept.polling.oids import DIAGNOSTIC_FIELDS, Oid, OnuField, VendorMib, vendor_mib

log = logging.getLogger(__name__)

DEFAULT_MAX_REPETITIONS = 50

OnuKey = tuple[PonPort, int]
"""(PON port, ONT-ID / ONU index) — the key of an OLT-wide read."""


@dataclass(frozen=True)
class SnmpTarget:
    """One OLT's SNMP v2c endpoint. ``timeout_s`` is per try; a request takes ``retries + 1`` tries."""

    name: str
    host: str
    port: int
    community: str = field(repr=False)
    timeout_s: float = 2.0
    retries: int = 1

    def __post_init__(self) -> None:
        if not self.community:
            raise ValueError(f"OLT {self.name}: SNMP community is empty")
        if not 0 < self.port < 65536:
            raise ValueError(f"OLT {self.name}: UDP port {self.port} out of range")
        if self.timeout_s <= 0 or self.retries < 0:
            raise ValueError(f"OLT {self.name}: timeout must be > 0 s and retries >= 0")

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def tries(self) -> int:
        return self.retries + 1

    def __str__(self) -> str:
        return f"OLT {self.name} ({self.address})"


class SnmpError(Exception):
    """An SNMP read of one OLT failed; the message names the OLT and its address, never the community."""

    def __init__(self, target: SnmpTarget, message: str) -> None:
        super().__init__(message)
        self.olt = target.name
        self.address = target.address


class SnmpTimeout(SnmpError):
    """The OLT did not answer within ``timeout_s × (retries + 1)``."""

    def __init__(self, target: SnmpTarget) -> None:
        super().__init__(target, f"SNMP timeout from {target} after {target.tries} tries")


def _integer(value: Any) -> int | None:
    """The integer of a var-bind value; ``None`` for noSuch*/endOfMibView (Null types) or a non-integer."""
    if not isinstance(value, univ.Integer):
        return None
    return int(value)


class SnmpClient:
    """Reads optical tables from any number of OLTs through one pysnmp engine.

    Use as ``async with SnmpClient() as client:`` inside the running loop. ``varbinds`` counts the
    var-binds received, for throughput figures.
    """

    def __init__(self, max_repetitions: int = DEFAULT_MAX_REPETITIONS, streams: int = 1) -> None:
        if max_repetitions < 1 or streams < 1:
            raise ValueError("max_repetitions and streams must be at least 1")
        self.max_repetitions = max_repetitions
        self.streams = streams
        self.varbinds = 0
        self._engine: SnmpEngine | None = None
        self._transports: dict[SnmpTarget, UdpTransportTarget] = {}
        self._auth: dict[str, CommunityData] = {}

    async def __aenter__(self) -> SnmpClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the engine's sockets; the client can be used again afterwards (a new engine is made)."""
        if self._engine is not None:
            self._engine.close_dispatcher()
            self._engine = None
        self._transports.clear()
        self._auth.clear()

    def _engine_now(self) -> SnmpEngine:
        if self._engine is None:
            self._engine = SnmpEngine()
        return self._engine

    async def _transport(self, target: SnmpTarget) -> UdpTransportTarget:
        transport = self._transports.get(target)
        if transport is None:
            try:
                transport = await UdpTransportTarget.create(
                    (target.host, target.port), timeout=target.timeout_s, retries=target.retries
                )
            except PySnmpError as exc:
                raise SnmpError(target, f"SNMP: cannot resolve {target}: {exc}") from None
            self._transports[target] = transport
        return transport

    def _community(self, target: SnmpTarget) -> CommunityData:
        auth = self._auth.get(target.community)
        if auth is None:
            auth = self._auth[target.community] = CommunityData(target.community, mpModel=1)  # noqa: S508 - OLTs speak v2c
        return auth

    def _check(self, target: SnmpTarget, indication: Any, status: Any, index: Any) -> None:
        if isinstance(indication, errind.RequestTimedOut):
            raise SnmpTimeout(target)
        if indication:
            raise SnmpError(target, f"SNMP error from {target}: {indication}")
        if status:
            text = status.prettyPrint() if hasattr(status, "prettyPrint") else str(status)
            raise SnmpError(target, f"SNMP error from {target}: {text} at var-bind {int(index)}")

    async def get(self, target: SnmpTarget, oids: Sequence[Oid]) -> dict[Oid, int | None]:
        """GET ``oids`` in one request; a value is ``None`` when the OLT has no such instance."""
        transport = await self._transport(target)
        try:
            indication, status, index, var_binds = await get_cmd(
                self._engine_now(),
                self._community(target),
                transport,
                ContextData(),
                *(ObjectType(ObjectIdentity(oid)) for oid in oids),
                lookupMib=False,
            )
        except (PySnmpError, OSError) as exc:
            raise SnmpError(target, f"SNMP error from {target}: {exc}") from None
        self._check(target, indication, status, index)
        self.varbinds += len(var_binds)
        values = {tuple(name): _integer(value) for name, value in var_binds}
        return {oid: values.get(oid) for oid in oids}

    async def walk(self, target: SnmpTarget, roots: Sequence[Oid]) -> dict[Oid, dict[Oid, int]]:
        """GETBULK-walk every subtree in ``roots`` at once; ``{root: {oid suffix below root: value}}``.

        Each request carries one repeater per unfinished subtree; a subtree is finished at the first OID
        outside it or at endOfMibView. Non-integer values are skipped (only numeric columns are walked).
        With ``streams`` > 1 the roots are split over that many concurrent request streams, so the OLT
        encodes one reply while we decode another (pyasn1 decoding is the client's main cost). The
        default of 1 keeps a single request outstanding per OLT, which fragile agents prefer.
        """
        groups = [list(roots[i :: self.streams]) for i in range(min(self.streams, len(roots)))]
        result: dict[Oid, dict[Oid, int]] = {}
        for part in await asyncio.gather(*(self._walk_stream(target, group) for group in groups)):
            result.update(part)
        return result

    async def _walk_stream(self, target: SnmpTarget, roots: Sequence[Oid]) -> dict[Oid, dict[Oid, int]]:
        transport = await self._transport(target)
        result: dict[Oid, dict[Oid, int]] = {root: {} for root in roots}
        cursors = {root: root for root in roots}
        while cursors:
            active = list(cursors)
            try:
                indication, status, index, var_binds = await bulk_cmd(
                    self._engine_now(),
                    self._community(target),
                    transport,
                    ContextData(),
                    0,
                    self.max_repetitions,
                    *(ObjectType(ObjectIdentity(cursors[root])) for root in active),
                    lookupMib=False,
                )
            except (PySnmpError, OSError) as exc:
                raise SnmpError(target, f"SNMP error from {target}: {exc}") from None
            self._check(target, indication, status, index)
            self.varbinds += len(var_binds)
            if not var_binds:
                raise SnmpError(target, f"SNMP: empty GETBULK reply from {target}")
            done: set[Oid] = set()
            for position, (name, value) in enumerate(var_binds):
                root = active[position % len(active)]
                if root in done:
                    continue
                oid = tuple(name)
                if isinstance(value, rfc1905.EndOfMibView) or oid[: len(root)] != root:
                    done.add(root)
                    continue
                if oid <= cursors[root]:
                    raise SnmpError(target, f"SNMP: {target} returned non-increasing OID {name}")
                cursors[root] = oid
                number = _integer(value)
                if number is not None:
                    result[root][oid[len(root) :]] = number
            for root in done:
                del cursors[root]
        return result

    async def read_onu(
        self, target: SnmpTarget, vendor: Vendor | str, pon: PonPort, ont_id: int
    ) -> OpticalReadings:
        """One ONU's readings by a single GET (its columns plus its port's Tx)."""
        mib = vendor_mib(vendor)
        instances = {
            name: (*column.base, *column.index.onu_suffix(pon, ont_id))
            for name, column in mib.onu_columns.items()
        }
        pon_tx = (*mib.pon_tx.base, mib.pon_tx.index.encode(pon))
        values = await self.get(target, [*instances.values(), pon_tx])
        row = {name: raw for name, oid in instances.items() if (raw := values[oid]) is not None}
        return decode(mib.vendor, row, values[pon_tx])

    async def read_port(
        self, target: SnmpTarget, vendor: Vendor | str, pon: PonPort, *, diagnostics: bool = True
    ) -> dict[int, OpticalReadings]:
        """Every ONU of one PON port, by ONT-ID, from one multi-column walk plus a GET of the port's Tx.

        ``diagnostics=False`` skips temperature/voltage/bias/distance (half of the Huawei columns).
        """
        mib = vendor_mib(vendor)
        port_index = {
            name: (*column.base, column.index.encode(pon)) for name, column in mib.onu_columns.items()
        }
        roots = {name: port_index[name] for name in _fields(mib, diagnostics)}
        pon_tx = (*mib.pon_tx.base, mib.pon_tx.index.encode(pon))
        walked, tx = await asyncio.gather(self.walk(target, list(roots.values())), self.get(target, [pon_tx]))
        rows = _rows(mib, {name: (root, walked[root]) for name, root in roots.items()})
        return {
            ont_id: decode(mib.vendor, row, tx[pon_tx])
            for (_, ont_id), row in sorted(rows.items(), key=_order)
        }

    async def read_olt(
        self, target: SnmpTarget, vendor: Vendor | str, *, diagnostics: bool = True
    ) -> dict[OnuKey, OpticalReadings]:
        """Every ONU of the OLT, keyed by ``(pon, ont_id)``, from one walk of all columns and the PON Tx.

        ``diagnostics=False`` skips temperature/voltage/bias/distance (half of the Huawei columns).
        """
        mib = vendor_mib(vendor)
        roots = {name: mib.onu_columns[name].base for name in _fields(mib, diagnostics)}
        walked = await self.walk(target, [*roots.values(), mib.pon_tx.base])
        tx_by_port: dict[PonPort, int] = {}
        for suffix, raw in walked[mib.pon_tx.base].items():
            port = mib.pon_tx.index.parse_port(suffix)
            if port is not None:
                tx_by_port[port] = raw
        rows = _rows(mib, {name: (root, walked[root]) for name, root in roots.items()})
        return {
            key: decode(mib.vendor, row, tx_by_port.get(key[0]))
            for key, row in sorted(rows.items(), key=_order)
        }


def _fields(mib: VendorMib, diagnostics: bool) -> list[OnuField]:
    return [name for name in mib.onu_columns if diagnostics or name not in DIAGNOSTIC_FIELDS]


def _order(item: tuple[OnuKey, object]) -> tuple[int, int, int, int]:
    (pon, ont_id), _ = item
    return pon.frame, pon.slot, pon.port, ont_id


def _rows(
    mib: VendorMib, walked: Mapping[OnuField, tuple[Oid, Mapping[Oid, int]]]
) -> dict[OnuKey, dict[OnuField, int]]:
    """Join walked columns into per-ONU rows; instances whose index does not decode are logged and dropped."""
    rows: dict[OnuKey, dict[OnuField, int]] = {}
    for name, (root, values) in walked.items():
        column = mib.onu_columns[name]
        below_base = root[len(column.base) :]
        for suffix, raw in values.items():
            key = column.index.parse_onu((*below_base, *suffix))
            if key is None:
                log.debug("ignoring %s instance %s: index does not decode", name, suffix)
                continue
            rows.setdefault(key, {})[name] = raw
    return rows


async def read_onu(target: SnmpTarget, vendor: Vendor | str, pon: PonPort, ont_id: int) -> OpticalReadings:
    """One ONU through a short-lived client; raises :class:`SnmpTimeout` / :class:`SnmpError`."""
    async with SnmpClient() as client:
        return await client.read_onu(target, vendor, pon, ont_id)


async def read_port(target: SnmpTarget, vendor: Vendor | str, pon: PonPort) -> dict[int, OpticalReadings]:
    """One PON port through a short-lived client; raises :class:`SnmpTimeout` / :class:`SnmpError`."""
    async with SnmpClient() as client:
        return await client.read_port(target, vendor, pon)


async def read_olt(target: SnmpTarget, vendor: Vendor | str) -> dict[OnuKey, OpticalReadings]:
    """A whole OLT through a short-lived client; raises :class:`SnmpTimeout` / :class:`SnmpError`."""
    async with SnmpClient() as client:
        return await client.read_olt(target, vendor)
