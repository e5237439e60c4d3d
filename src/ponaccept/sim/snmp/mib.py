"""A live, per-OLT MIB: the encoded OID table of one OLT, re-encoded only when the model changes.

pysnmp's own MIB tree is built for static MIB modules; here every value is derived from the lab model, so
a small controller keeps ``{OID: value}`` plus the sorted key list and answers GET/GETNEXT/GETBULK with
``bisect``. Every request first compares the source's ``version()`` with the one it encoded, so an ONT
added over SSH is visible at the very next SNMP request and an idle OLT costs nothing.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from pysnmp.proto import rfc1902, rfc1905
from pysnmp.smi.instrum import AbstractMibInstrumController

from ponaccept.sim.snmp import mib_huawei, mib_zte
from ponaccept.sim.snmp.mib_system import (
    COMMON_OBJECTS,
    SNMP_ENGINE_TIME,
    SYS_UPTIME,
    MibValue,
    Oid,
    OidTable,
)
from ponaccept.sim.snmp.view import OltSnmpView, Vendor


class SnmpSource(Protocol):
    """What the agent needs from the lab for one OLT (see ``adapter`` for the model-backed one)."""

    @property
    def name(self) -> str: ...

    @property
    def community(self) -> str: ...

    def version(self) -> int:
        """Changes whenever anything served over SNMP may have changed."""
        ...

    def view(self) -> OltSnmpView: ...

    def silent(self) -> bool:
        """True while the OLT must not answer SNMP at all (fault injection: the client times out)."""
        ...


ENCODERS: dict[Vendor, Callable[[OltSnmpView], OidTable]] = {
    "huawei": mib_huawei.encode,
    "zte": mib_zte.encode,
}
OBJECTS: dict[Vendor, frozenset[Oid]] = {
    "huawei": COMMON_OBJECTS | mib_huawei.OBJECTS,
    "zte": COMMON_OBJECTS | mib_zte.OBJECTS,
}

VarBind = tuple[Oid, Any]
"""(OID, pysnmp value) — what pysnmp's ``set_varbinds`` accepts."""


def to_pysnmp(value: MibValue) -> Any:
    """Build the pysnmp value for a plain table value (see :data:`MibValue`)."""
    if isinstance(value, int):
        return rfc1902.Integer32(value)
    if isinstance(value, bytes):
        return rfc1902.OctetString(value)
    return rfc1902.ObjectName(value)


class LiveMib(AbstractMibInstrumController):  # type: ignore[misc]
    """Read-only MIB of one OLT, backed by an :class:`SnmpSource`."""

    def __init__(self, source: SnmpSource, started: float | None = None) -> None:
        self.source = source
        self._started = time.monotonic() if started is None else started
        self._version: int | None = None
        self._values: OidTable = {}
        self._keys: list[Oid] = []
        self._objects: frozenset[Oid] = frozenset()
        self.rebuilds = 0

    def refresh(self) -> None:
        """Re-encode the OLT if its model version moved since the last request."""
        version = self.source.version()
        if version == self._version:
            return
        view = self.source.view()
        values = ENCODERS[view.vendor](view)
        keys = sorted(values)
        self._values = values
        self._keys = keys
        self._objects = OBJECTS[view.vendor]
        self._version = version
        self.rebuilds += 1

    def _value(self, oid: Oid) -> Any:
        if oid == SYS_UPTIME:
            return rfc1902.TimeTicks(int((time.monotonic() - self._started) * 100) % 2**32)
        if oid == SNMP_ENGINE_TIME:
            return rfc1902.Integer32(int(time.monotonic() - self._started))
        return to_pysnmp(self._values[oid])

    def _next(self, position: int) -> VarBind:
        key = self._keys[position]
        return key, self._value(key)

    def get(self, oids: Sequence[Oid]) -> list[VarBind]:
        self.refresh()
        result: list[VarBind] = []
        for oid in oids:
            if oid in self._values:
                result.append((oid, self._value(oid)))
            elif any(oid[:length] in self._objects for length in range(len(oid))):
                result.append((oid, rfc1905.noSuchInstance))
            else:
                result.append((oid, rfc1905.noSuchObject))
        return result

    def get_next(self, oids: Sequence[Oid]) -> list[VarBind]:
        self.refresh()
        result: list[VarBind] = []
        for oid in oids:
            position = bisect_right(self._keys, oid)
            if position < len(self._keys):
                result.append(self._next(position))
            else:
                result.append((oid, rfc1905.endOfMibView))
        return result

    def get_bulk(
        self, non_repeaters: Sequence[Oid], repeaters: Sequence[Oid], max_repetitions: int, limit: int
    ) -> list[VarBind]:
        """RFC 3416 §4.2.3, truncated to ``limit`` var-binds and stopped after the first repetition in
        which every repeater is past the end of the MIB (the stock pysnmp responder keeps repeating the
        end-of-MIB markers up to ``max_repetitions``, which net-snmp prints as many error lines)."""
        result = self.get_next(non_repeaters[:limit])
        count = len(keys := self._keys)
        positions = [bisect_right(keys, oid) for oid in repeaters]
        last_names = list(repeaters)
        for repetition in range(max_repetitions):
            if not repeaters or len(result) + len(repeaters) > limit:
                break
            at_end = True
            for column, start in enumerate(positions):
                position = start + repetition
                if position < count:
                    name, value = self._next(position)
                    last_names[column] = name
                    result.append((name, value))
                    at_end = False
                else:
                    result.append((last_names[column], rfc1905.endOfMibView))
            if at_end:
                break
        return result

    # pysnmp's controller interface, for code that drives the MIB through an SnmpContext.

    def read_variables(self, *var_binds: VarBind, **context: Any) -> list[VarBind]:
        return self.get([tuple(name) for name, _ in var_binds])

    def read_next_variables(self, *var_binds: VarBind, **context: Any) -> list[VarBind]:
        return self.get_next([tuple(name) for name, _ in var_binds])
