"""Input safety for everything a driver interpolates into a command (DESIGN §3: user text never reaches
a device unchecked).

Text goes through the domain's rules — :func:`ponaccept.domain.naming.validate_cli_token` (names,
profile and ONU-type names) and :func:`ponaccept.domain.credentials.validate_onu_password` — which reject
rather than escape, so the name on the device is the name in the database. Numbers are range-checked here
against the dialect's limits, which the domain does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

from ponaccept.domain.credentials import validate_onu_password
from ponaccept.domain.cvlan import validate_vlan_id
from ponaccept.domain.naming import validate_cli_token
from ponaccept.drivers.base import ActivationSpec, PonPort
from ponaccept.drivers.errors import InvalidSpec


@dataclass(frozen=True)
class Limits:
    """Inclusive numeric ranges a vendor CLI accepts."""

    frame: tuple[int, int]
    slot: tuple[int, int]
    port: tuple[int, int]
    ont_id: tuple[int, int]
    gemport: tuple[int, int]
    profile_id: tuple[int, int] = (0, 8191)
    service_port_index: tuple[int, int] = (0, 65534)


def check_range(field: str, value: object, bounds: tuple[int, int]) -> int:
    """``value`` if it is an int (not bool) within ``bounds``; else :class:`InvalidSpec`."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidSpec(field, value, low, high)
    return value


def check_port(port: PonPort, limits: Limits) -> PonPort:
    check_range("frame", port.frame, limits.frame)
    check_range("slot", port.slot, limits.slot)
    check_range("port", port.port, limits.port)
    return port


def check_text(value: str, field: str) -> str:
    """Names, descriptions, profile and ONU-type names: the domain's CLI-safe token rule."""
    return validate_cli_token(value, field)


def check_spec(spec: ActivationSpec, limits: Limits) -> ActivationSpec:
    """Validate every field a plan will interpolate; raises before any command text exists."""
    check_port(spec.port, limits)
    check_range("ont_id", spec.ont_id, limits.ont_id)
    check_range("gemport", spec.gemport, limits.gemport)
    validate_vlan_id(spec.svlan, "svlan")
    validate_vlan_id(spec.cvlan, "cvlan")
    validate_onu_password(spec.password)
    check_text(spec.onu_name, "onu_name")
    check_range("line_profile_id", spec.line_profile_id, limits.profile_id)
    check_range("srv_profile_id", spec.srv_profile_id, limits.profile_id)
    if spec.service_port_index is not None:
        check_range("service_port_index", spec.service_port_index, limits.service_port_index)
    check_text(spec.onu_type, "onu_type")
    check_text(spec.tcont_profile, "tcont_profile")
    return spec
