"""ZTE ZXA10 C300/C320 GPON driver: plans and reads, no I/O.

Port mapping: C300/C320 name ports ``gpon-olt_<rack>/<slot>/<port>`` and ONUs
``gpon-onu_<rack>/<slot>/<port>:<id>``. :class:`PonPort` ``frame`` holds the first number (rack/shelf,
``1`` on the single-shelf chassis); slot, port and ONU id start at 1. C600 ``gpon_olt-1/1/1`` naming is
not supported.

Commands and where they come from (reference/vendor-cli-snmp.md §2, the djing2 C320 transcript):

- ``configure terminal`` → ``interface gpon-olt_R/S/P`` → ``onu ID type T pw PWD`` (the transcript uses
  ``sn``; ``pw`` is the password form of the same command). Undo: ``no onu ID`` (§2 "Delete").
- ``interface gpon-onu_R/S/P:ID`` → ``name NAME`` and ``description NAME``, ``tcont 1 profile P``,
  ``gemport N unicast tcont 1 dir both``, ``service-port 1 vport N user-vlan CVLAN vlan CVLAN svlan
  SVLAN`` (the ``svlan`` QinQ form is marked [?] in §2). Undo of the service-port: ``no service-port 1``.
  Name, T-CONT and GEM port have no undo of their own: ``no onu`` removes them with the ONU.
- Success of every configuration command is silence (djing2 only waits for the prompt) [T/?].
- Reads (exec mode): ``show pon power attenuation gpon-onu_…`` (one ONU, four powers), ``show pon power
  onu-rx|onu-tx|olt-rx gpon-olt_…`` (per port), ``show pon power olt-tx gpon-olt_…`` (PON Tx, [?]),
  ``show gpon onu state gpon-olt_…``.
- Configured-ONU listing: ``show running-config interface gpon-olt_R/S/P`` (``onu N type T pw|sn X``
  lines, one command per port) — chosen over ``show gpon onu baseinfo`` because it is the provisioning
  syntax of §2 itself. It carries no names, so ``listing_includes_names`` is False and reconciliation
  reads names per ONU with ``show gpon onu detail-info gpon-onu_R/S/P:N`` (``Name:``/``Description:``,
  layout [?]).
"""

from __future__ import annotations

from typing import Final

from ponaccept.domain.choices import Vendor
from ponaccept.drivers.base import ActivationSpec, Plan, PonPort, ReadRequest, Step
from ponaccept.drivers.errors import DoesNotExist, ServicePortExists
from ponaccept.drivers.results import ConfiguredOnu, OnuOptics, OnuState, PonTx
from ponaccept.drivers.validation import Limits, check_port, check_range, check_spec
from ponaccept.drivers.zte_parsers import (
    PLATFORM,
    parse_attenuation,
    parse_olt_tx,
    parse_onu_detail,
    parse_onu_list,
    parse_onu_state,
    parse_port_optics,
)

LIMITS: Final = Limits(frame=(1, 8), slot=(1, 22), port=(1, 16), ont_id=(1, 128), gemport=(1, 32))
CONFIG: Final = ("configure terminal",)
EXEC: Final[tuple[str, ...]] = ()
SERVICE_PORT_ID: Final = 1
"""ZTE service-port ids are local to the ONU interface, so the one test service-port is always 1."""


def olt_interface(port: PonPort) -> str:
    return f"gpon-olt_{port.frame}/{port.slot}/{port.port}"


def onu_interface(port: PonPort, ont_id: int) -> str:
    return f"gpon-onu_{port.frame}/{port.slot}/{port.port}:{ont_id}"


class ZteC300Driver:
    """Driver for netmiko/ntc platform ``zte_zxros`` (C300/C320 naming)."""

    platform: str = PLATFORM
    vendor: Vendor = Vendor.ZTE
    level_up: str = "exit"
    listing_includes_names: bool = False
    limits: Limits = LIMITS

    def provision_plan(self, spec: ActivationSpec) -> Plan:
        """ONU (password, explicit id) → name → T-CONT/GEM → QinQ service-port."""
        check_spec(spec, LIMITS)
        p, onu = spec.port, onu_interface(spec.port, spec.ont_id)
        olt_mode = (*CONFIG, f"interface {olt_interface(p)}")
        onu_mode = (*CONFIG, f"interface {onu}")
        steps = (
            Step(
                name="onu_add",
                mode=olt_mode,
                commands=(f"onu {spec.ont_id} type {spec.onu_type} pw {spec.password}",),
                undo=self._onu_delete(spec),
                secrets=(spec.password,),
            ),
            Step(
                name="onu_name",
                mode=onu_mode,
                commands=(f"name {spec.onu_name}", f"description {spec.onu_name}"),
            ),
            Step(
                name="tcont_gemport",
                mode=onu_mode,
                commands=(
                    f"tcont 1 profile {spec.tcont_profile}",
                    f"gemport {spec.gemport} unicast tcont 1 dir both",
                ),
            ),
            Step(
                name="service_port_add",
                mode=onu_mode,
                commands=(
                    f"service-port {SERVICE_PORT_ID} vport {spec.gemport} user-vlan {spec.cvlan} "
                    f"vlan {spec.cvlan} svlan {spec.svlan}",
                ),
                # Already configured on the ONU we just created = a retry after a lost reply.
                tolerate=(ServicePortExists,),
                undo=self._service_port_delete(spec),
            ),
        )
        return Plan("provision", PLATFORM, steps, self.level_up)

    def deprovision_plan(self, spec: ActivationSpec) -> Plan:
        """Service-port first, then the ONU; "does not exist" is tolerated so a second revoke is a no-op."""
        check_spec(spec, LIMITS)
        return Plan(
            "deprovision", PLATFORM, (self._service_port_delete(spec), self._onu_delete(spec)), self.level_up
        )

    def _onu_delete(self, spec: ActivationSpec) -> Step:
        return Step(
            name="onu_delete",
            mode=(*CONFIG, f"interface {olt_interface(spec.port)}"),
            commands=(f"no onu {spec.ont_id}",),
            tolerate=(DoesNotExist,),
        )

    def _service_port_delete(self, spec: ActivationSpec) -> Step:
        return Step(
            name="service_port_delete",
            mode=(*CONFIG, f"interface {onu_interface(spec.port, spec.ont_id)}"),
            commands=(f"no service-port {SERVICE_PORT_ID}",),
            tolerate=(DoesNotExist,),
        )

    # ---- reads -------------------------------------------------------------------------------------

    def read_onu_optics(self, port: PonPort, ont_id: int) -> ReadRequest[OnuOptics]:
        command = f"show pon power attenuation {self._onu(port, ont_id)}"
        return ReadRequest("onu_optics", EXEC, (command,), lambda o: parse_attenuation(command, o[0], ont_id))

    def read_port_optics(self, port: PonPort) -> ReadRequest[tuple[OnuOptics, ...]]:
        olt = self._olt(port)
        commands = tuple(f"show pon power {kind} {olt}" for kind in ("onu-rx", "onu-tx", "olt-rx"))
        return ReadRequest(
            "port_optics", EXEC, commands, lambda o: parse_port_optics(commands, o), empty_ok=True
        )

    def read_pon_tx(self, port: PonPort) -> ReadRequest[PonTx]:
        command = f"show pon power olt-tx {self._olt(port)}"
        return ReadRequest("pon_tx", EXEC, (command,), lambda o: parse_olt_tx(command, o[0]))

    def read_onu_state(self, port: PonPort, ont_id: int) -> ReadRequest[OnuState]:
        self._onu(port, ont_id)
        command = f"show gpon onu state {self._olt(port)}"
        return ReadRequest("onu_state", EXEC, (command,), lambda o: parse_onu_state(command, o[0], ont_id))

    def read_onu_detail(self, port: PonPort, ont_id: int) -> ReadRequest[ConfiguredOnu]:
        command = f"show gpon onu detail-info {self._onu(port, ont_id)}"
        return ReadRequest("onu_detail", EXEC, (command,), lambda o: parse_onu_detail(command, o[0], ont_id))

    def list_onus(self, port: PonPort) -> ReadRequest[tuple[ConfiguredOnu, ...]]:
        command = f"show running-config interface {self._olt(port)}"
        return ReadRequest(
            "list_onus", EXEC, (command,), lambda o: parse_onu_list(command, o[0]), empty_ok=True
        )

    def _olt(self, port: PonPort) -> str:
        return olt_interface(check_port(port, LIMITS))

    def _onu(self, port: PonPort, ont_id: int) -> str:
        check_range("ont_id", ont_id, LIMITS.ont_id)
        return onu_interface(check_port(port, LIMITS), ont_id)
