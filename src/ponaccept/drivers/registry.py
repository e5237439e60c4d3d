"""Driver lookup by the inventory ``platform`` (the netmiko device_type / ntc-templates platform).

:class:`Driver` is the interface ``ponaccept.netops`` programs against; both vendor drivers satisfy it
structurally. Huawei additionally offers ``list_service_ports`` (service-port indexes are per OLT there;
ZTE's live inside each ONU interface).
"""

from __future__ import annotations

from typing import Final, Protocol

from ponaccept.domain.choices import Vendor
from ponaccept.drivers.base import ActivationSpec, Plan, PonPort, ReadRequest
from ponaccept.drivers.errors import UnknownPlatform
from ponaccept.drivers.huawei_ma5800 import HuaweiMA5800Driver
from ponaccept.drivers.results import ConfiguredOnu, OnuOptics, OnuState, PonTx
from ponaccept.drivers.validation import Limits
from ponaccept.drivers.zte_c300 import ZteC300Driver


class Driver(Protocol):
    """What every OLT dialect provides: plans for changes, read requests for facts."""

    platform: str
    vendor: Vendor
    level_up: str
    listing_includes_names: bool
    limits: Limits

    def provision_plan(self, spec: ActivationSpec) -> Plan: ...
    def deprovision_plan(self, spec: ActivationSpec) -> Plan: ...
    def read_onu_optics(self, port: PonPort, ont_id: int) -> ReadRequest[OnuOptics]: ...
    def read_port_optics(self, port: PonPort) -> ReadRequest[tuple[OnuOptics, ...]]: ...
    def read_pon_tx(self, port: PonPort) -> ReadRequest[PonTx]: ...
    def read_onu_state(self, port: PonPort, ont_id: int) -> ReadRequest[OnuState]: ...
    def read_onu_detail(self, port: PonPort, ont_id: int) -> ReadRequest[ConfiguredOnu]: ...
    def list_onus(self, port: PonPort) -> ReadRequest[tuple[ConfiguredOnu, ...]]: ...


_HUAWEI: Final = HuaweiMA5800Driver()
_ZTE: Final = ZteC300Driver()
_DRIVERS: Final[dict[str, Driver]] = {
    "huawei_smartax": _HUAWEI,
    "huawei_olt": _HUAWEI,  # netmiko alias of the same SSH driver (reference §4)
    "zte_zxros": _ZTE,
}


def known_platforms() -> tuple[str, ...]:
    return tuple(sorted(_DRIVERS))


def get_driver(platform: str) -> Driver:
    """The driver for an inventory platform; :class:`UnknownPlatform` lists the known ones."""
    try:
        return _DRIVERS[platform.strip().lower()]
    except KeyError:
        raise UnknownPlatform(platform, known_platforms()) from None
