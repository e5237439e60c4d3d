"""Huawei SmartAX MA5800 (and MA5600T/EA5800) GPON driver: plans and reads, no I/O.

Commands and where they come from (reference/vendor-cli-snmp.md):

- ``interface gpon F/S`` → ``ont add P ID password-auth "PWD" always-on omci ont-lineprofile-id N
  ont-srvprofile-id N desc "NAME"`` (§1.2, password-auth form; success ``success: 1`` + ``PortID :x,
  ONTID :y``, parsed with ntc's ``ont add`` template). Undo: ``ont delete P ID`` (§1.4, ``success: 1``).
- ``config`` → ``service-port [IDX] vlan SVLAN gpon F/S/P ont ID gemport N multi-service user-vlan CVLAN
  tag-transform translate-and-add inner-vlan CVLAN`` (§1.3; success is silence). Undo: ``undo
  service-port vlan SVLAN gpon F/S/P ont ID gemport N`` answered ``y`` (§1.4 transcript, ``deleted: 1``),
  or ``undo service-port IDX`` when the index was given (§1.4 says its silent success is NESi-only [?]).
- Deprovision: service-port first, then the ONT (§1.4: an ONT with service-ports is refused).
- Reads: ``display ont optical-info P ID`` (§1.6, our template), ``display ont optical-info P all``
  (§1.6, ntc), ``display port state P`` (§1.6, our template; the doc excerpt is not a transcript [?]),
  ``display ont info F S P ID`` (§1.5, ntc detail template), ``display ont info F S P all`` (§1.5, our
  pair of templates: ntc's rejects two-digit slots such as ``0/10/0``), ``display service-port port
  F/S/P`` (our template, same table as ntc's ``display service-port all`` §1.3).

Known limits of the ntc detail template: it keeps only the first word of ``Description`` (our names are
single CLI-safe tokens, so this is exact) and recognises only ``SN-auth``/``MAC-auth`` as the auth type
(password-auth ONTs report ``auth=None``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ponaccept.domain.choices import Vendor
from ponaccept.drivers.base import ActivationSpec, Expect, Plan, PonPort, ReadRequest, Step
from ponaccept.drivers.errors import DoesNotExist, Rejected, ServicePortExists, UnparsedOutput
from ponaccept.drivers.huawei_parsers import (
    PLATFORM,
    parse_configured_onu,
    parse_ont_add,
    parse_onu_list,
    parse_onu_optics,
    parse_onu_state,
    parse_pon_tx,
    parse_port_optics,
    parse_service_ports,
)
from ponaccept.drivers.results import ConfiguredOnu, OntAddResult, OnuOptics, OnuState, PonTx, ServicePort
from ponaccept.drivers.validation import Limits, check_port, check_range, check_spec

LIMITS: Final = Limits(frame=(0, 7), slot=(0, 31), port=(0, 63), ont_id=(0, 127), gemport=(0, 1023))
CONFIG: Final = ("config",)
CONFIRM_PROMPT: Final = r"\(y/n\)\[n\]:"


def _interface(port: PonPort) -> tuple[str, ...]:
    return (*CONFIG, f"interface gpon {port.frame}/{port.slot}")


class HuaweiMA5800Driver:
    """Driver for netmiko/ntc platform ``huawei_smartax`` (alias ``huawei_olt``)."""

    platform: str = PLATFORM
    vendor: Vendor = Vendor.HUAWEI
    level_up: str = "quit"
    listing_includes_names: bool = True
    limits: Limits = LIMITS

    # ---- plans -------------------------------------------------------------------------------------

    def provision_plan(self, spec: ActivationSpec) -> Plan:
        """ONT (password-auth, explicit ONT-ID, desc = ONU name), then the QinQ service-port."""
        check_spec(spec, LIMITS)
        p = spec.port
        ont_add = Step(
            name="ont_add",
            mode=_interface(p),
            commands=(
                f'ont add {p.port} {spec.ont_id} password-auth "{spec.password}" always-on omci '
                f"ont-lineprofile-id {spec.line_profile_id} ont-srvprofile-id {spec.srv_profile_id} "
                f'desc "{spec.onu_name}"',
            ),
            expect=Expect.PARSE,
            parser=_OntAddCheck(p, spec.ont_id),
            undo=self._ont_delete(spec),
            secrets=(spec.password,),
        )
        index = "" if spec.service_port_index is None else f"{spec.service_port_index} "
        service_port = Step(
            name="service_port_add",
            mode=CONFIG,
            commands=(
                f"service-port {index}vlan {spec.svlan} gpon {p.fsp} ont {spec.ont_id} "
                f"gemport {spec.gemport} multi-service user-vlan {spec.cvlan} "
                f"tag-transform translate-and-add inner-vlan {spec.cvlan}",
            ),
            # Same service-port already there = a retry after a lost reply: the state we want holds.
            tolerate=(ServicePortExists,),
            undo=self._service_port_delete(spec),
        )
        return Plan("provision", PLATFORM, (ont_add, service_port), self.level_up)

    def deprovision_plan(self, spec: ActivationSpec) -> Plan:
        """Service-port first, then the ONT; both tolerate "already gone" so a second revoke is a no-op."""
        check_spec(spec, LIMITS)
        steps = (self._service_port_delete(spec), self._ont_delete(spec))
        return Plan("deprovision", PLATFORM, steps, self.level_up)

    def _ont_delete(self, spec: ActivationSpec) -> Step:
        return Step(
            name="ont_delete",
            mode=_interface(spec.port),
            commands=(f"ont delete {spec.port.port} {spec.ont_id}",),
            expect=Expect.PATTERN,
            success_pattern=r"success\s*:\s*[1-9]",
            tolerate=(DoesNotExist,),
        )

    def _service_port_delete(self, spec: ActivationSpec) -> Step:
        p = spec.port
        if spec.service_port_index is not None:
            return Step(
                name="service_port_delete",
                mode=CONFIG,
                commands=(f"undo service-port {spec.service_port_index}",),
                tolerate=(DoesNotExist,),
            )
        return Step(
            name="service_port_delete",
            mode=CONFIG,
            commands=(
                f"undo service-port vlan {spec.svlan} gpon {p.fsp} ont {spec.ont_id} gemport {spec.gemport}",
            ),
            expect=Expect.PATTERN,
            success_pattern=r"deleted\s*:\s*[1-9]",
            confirm_prompt=CONFIRM_PROMPT,
            confirm_answer="y",
            tolerate=(DoesNotExist,),
        )

    # ---- reads -------------------------------------------------------------------------------------

    def read_onu_optics(self, port: PonPort, ont_id: int) -> ReadRequest[OnuOptics]:
        check_port(port, LIMITS)
        check_range("ont_id", ont_id, LIMITS.ont_id)
        command = f"display ont optical-info {port.port} {ont_id}"
        return ReadRequest(
            "onu_optics", _interface(port), (command,), lambda o: parse_onu_optics(command, o[0], ont_id)
        )

    def read_port_optics(self, port: PonPort) -> ReadRequest[tuple[OnuOptics, ...]]:
        check_port(port, LIMITS)
        command = f"display ont optical-info {port.port} all"
        return ReadRequest(
            "port_optics",
            _interface(port),
            (command,),
            lambda o: parse_port_optics(command, o[0]),
            empty_ok=True,
        )

    def read_pon_tx(self, port: PonPort) -> ReadRequest[PonTx]:
        check_port(port, LIMITS)
        command = f"display port state {port.port}"
        return ReadRequest("pon_tx", _interface(port), (command,), lambda o: parse_pon_tx(command, o[0]))

    def read_onu_state(self, port: PonPort, ont_id: int) -> ReadRequest[OnuState]:
        command = self._ont_info(port, ont_id)
        return ReadRequest("onu_state", CONFIG, (command,), lambda o: parse_onu_state(command, o[0], ont_id))

    def read_onu_detail(self, port: PonPort, ont_id: int) -> ReadRequest[ConfiguredOnu]:
        command = self._ont_info(port, ont_id)
        return ReadRequest(
            "onu_detail", CONFIG, (command,), lambda o: parse_configured_onu(command, o[0], ont_id)
        )

    def list_onus(self, port: PonPort) -> ReadRequest[tuple[ConfiguredOnu, ...]]:
        check_port(port, LIMITS)
        command = f"display ont info {port.frame} {port.slot} {port.port} all"
        return ReadRequest(
            "list_onus", CONFIG, (command,), lambda o: parse_onu_list(command, o[0]), empty_ok=True
        )

    def list_service_ports(self, port: PonPort) -> ReadRequest[tuple[ServicePort, ...]]:
        check_port(port, LIMITS)
        command = f"display service-port port {port.fsp}"
        return ReadRequest(
            "list_service_ports",
            CONFIG,
            (command,),
            lambda o: parse_service_ports(command, o[0]),
            empty_ok=True,
        )

    def _ont_info(self, port: PonPort, ont_id: int) -> str:
        check_port(port, LIMITS)
        check_range("ont_id", ont_id, LIMITS.ont_id)
        return f"display ont info {port.frame} {port.slot} {port.port} {ont_id}"


class _OntAddCheck:
    """Parse an ``ont add`` reply and insist it added *our* ONT: ``success`` ≥ 1 and, where the firmware
    prints them, the same port and ONT-ID (a different ONT-ID would mean the OLT chose one)."""

    def __init__(self, port: PonPort, ont_id: int) -> None:
        self.port = port
        self.ont_id = ont_id

    def __call__(self, output: str) -> OntAddResult:
        result = parse_ont_add("ont add", output)
        if result.success < 1:
            raise Rejected("ont add added nothing", "ont add", output)
        if result.ont_id is not None and result.ont_id != self.ont_id:
            raise UnparsedOutput(
                f"ont add reports ONT-ID {result.ont_id}, asked {self.ont_id}", "ont add", output
            )
        if result.port_id is not None and result.port_id != self.port.port:
            raise UnparsedOutput(
                f"ont add reports port {result.port_id}, asked {self.port.port}", "ont add", output
            )
        return result


def next_free_service_port_index(used: Sequence[int], low: int = 0, high: int = 65534) -> int | None:
    """Lowest index in ``low…high`` not in ``used`` (None when all are taken).

    Service-port indexes are global to the OLT, so ``used`` must come from a global listing (``display
    service-port all``); a per-port listing only proves the index is free on that port.
    """
    taken = set(used)
    return next((i for i in range(low, high + 1) if i not in taken), None)
