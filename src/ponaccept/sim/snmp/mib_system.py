"""Pieces every simulated OLT serves whatever its vendor: the system group, ifTable/ifXTable names, scaling.

Both vendor encoders build on these so that sysDescr/sysName/ifDescr look the same way on every OLT and the
"no reading" rule (``None`` → the vendor's N/A integer) is written once.
"""

from __future__ import annotations

from collections.abc import Iterable

Oid = tuple[int, ...]
MibValue = int | bytes | Oid
"""A served value as plain Python: int → Integer32, bytes → OCTET STRING, tuple → OBJECT IDENTIFIER.

Plain values rather than pysnmp objects because a pyasn1 object costs ≈ 0.5 kB: a 512-ONU OLT would hold
≈ 7 MB of them per model version, while building them per reply costs only a few µs per var-bind.
"""
OidTable = dict[Oid, MibValue]

SYS_DESCR: Oid = (1, 3, 6, 1, 2, 1, 1, 1, 0)
SYS_OBJECT_ID: Oid = (1, 3, 6, 1, 2, 1, 1, 2, 0)
SYS_UPTIME: Oid = (1, 3, 6, 1, 2, 1, 1, 3, 0)
"""Served live by the agent (time since the agent started); encoders only reserve its place."""
SYS_NAME: Oid = (1, 3, 6, 1, 2, 1, 1, 5, 0)

SNMP_ENGINE_ID: Oid = (1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0)
SNMP_ENGINE_BOOTS: Oid = (1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0)
SNMP_ENGINE_TIME: Oid = (1, 3, 6, 1, 6, 3, 10, 2, 1, 3, 0)
"""Served live by the agent (seconds since the agent started)."""
SNMP_ENGINE_MAX_MESSAGE_SIZE: Oid = (1, 3, 6, 1, 6, 3, 10, 2, 1, 4, 0)

IF_DESCR: Oid = (1, 3, 6, 1, 2, 1, 2, 2, 1, 2)
IF_TYPE: Oid = (1, 3, 6, 1, 2, 1, 2, 2, 1, 3)
IF_NAME: Oid = (1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 1)
IANA_IFTYPE_GPON = 250
"""IANAifType-MIB gpon(250)."""

COMMON_OBJECTS: frozenset[Oid] = frozenset(
    {
        *(oid[:-1] for oid in (SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME, SYS_NAME)),
        *(
            oid[:-1]
            for oid in (SNMP_ENGINE_ID, SNMP_ENGINE_BOOTS, SNMP_ENGINE_TIME, SNMP_ENGINE_MAX_MESSAGE_SIZE)
        ),
        IF_DESCR,
        IF_TYPE,
        IF_NAME,
    }
)
"""Object (column/scalar) OIDs served on every OLT. A GET under a served object that misses its instance
answers noSuchInstance; anything else noSuchObject, so a poller can tell "no such ONT" from "this box has no
such table" as on a real agent."""


def system_group(sys_descr: str, sys_object_id: Oid, sys_name: str) -> OidTable:
    """sysDescr/sysObjectID/sysUpTime/sysName — what discovery tools read first to recognise the box."""
    return {
        SYS_DESCR: sys_descr.encode(),
        SYS_OBJECT_ID: sys_object_id,
        SYS_UPTIME: 0,
        SYS_NAME: sys_name.encode(),
    }


def snmp_engine_group(enterprise: int, name: str) -> OidTable:
    """SNMP-FRAMEWORK-MIB snmpEngine scalars, which every real agent serves.

    They also sort after all vendor (1.3.6.1.4) tables, so a walk of the last vendor table ends by leaving
    its subtree, as on a real OLT, instead of running into endOfMibView. The engine ID follows RFC 3411's
    text format: enterprise number with the high bit set, format 4, then the OLT name.
    """
    engine_id = (0x80000000 | enterprise).to_bytes(4, "big") + b"\x04" + name.encode()[:27]
    return {
        SNMP_ENGINE_ID: engine_id,
        SNMP_ENGINE_BOOTS: 1,
        SNMP_ENGINE_TIME: 0,
        SNMP_ENGINE_MAX_MESSAGE_SIZE: 65507,
    }


def interface_rows(rows: Iterable[tuple[int, str]]) -> OidTable:
    """ifDescr, ifType and ifName for PON ports, keyed by the vendor's ifIndex.

    The ifIndex column itself (ifTable .1) is deliberately not served: Huawei's PON ifIndex values
    (≈ 4.19e9) do not fit InterfaceIndex (Integer32), and pollers only need the index inside the OID.
    """
    table: OidTable = {}
    for if_index, name in rows:
        label = name.encode()
        table[(*IF_DESCR, if_index)] = label
        table[(*IF_TYPE, if_index)] = IANA_IFTYPE_GPON
        table[(*IF_NAME, if_index)] = label
    return table


def scaled(value: float | None, per_unit: float, *, offset: float = 0.0, na: int) -> int:
    """``round((value + offset) * per_unit)``, or the vendor's N/A integer when there is no reading."""
    if value is None:
        return na
    return round((value + offset) * per_unit)
