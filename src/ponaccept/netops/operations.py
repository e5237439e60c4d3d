"""Device operations on one open session: check → plan → apply → verify.

These functions know nothing about Nornir or the database; ``tasks.py`` runs them per host. Each is
idempotent: activating an ONU that is already there with our name, or revoking one that is already
gone, succeeds without sending a change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TypeVar

from ponaccept.domain.errors import DomainError
from ponaccept.domain.naming import validate_cli_token
from ponaccept.domain.optics import MissingReason, OpticalReadings, check_power_dbm
from ponaccept.drivers.base import ActivationSpec, Plan, PonPort, ReadRequest
from ponaccept.drivers.check import check_read
from ponaccept.drivers.errors import DoesNotExist, NotOnline
from ponaccept.drivers.registry import Driver
from ponaccept.drivers.results import ConfiguredOnu, OnuOptics
from ponaccept.netops.apply import PlanFailed, RollbackReport, apply_plan
from ponaccept.netops.session import DeviceSession

T = TypeVar("T")


class Status(StrEnum):
    CHANGED = "changed"  # the device was changed and verified
    UNCHANGED = "unchanged"  # the wanted state already held: nothing sent but reads
    PLANNED = "planned"  # dry run: the plan is in ``commands``, nothing was sent
    FAILED = "failed"  # refused or failed; rolled back completely
    NEEDS_RECONCILE = "needs_reconcile"  # failed and the rollback could not finish


class OperationError(Exception):
    """A precondition failed before any change (e.g. the ONT-ID belongs to somebody else)."""


@dataclass(frozen=True)
class OnuTarget:
    """One test ONU on one PON port, as the engineer or the API asks for it.

    ``ont_id`` None means "pick the highest free ONT-ID on the device" (engineer CLI); the API always
    passes the one it stored, so a retry after a lost reply reuses it instead of creating a second ONT.
    """

    olt: str
    port: PonPort
    onu_name: str
    password: str
    svlan: int
    cvlan: int
    ont_id: int | None = None
    activation_id: int | None = None

    def __post_init__(self) -> None:
        validate_cli_token(self.onu_name, "onu_name")
        validate_cli_token(self.password, "password")


@dataclass
class OnuOutcome:
    olt: str
    fsp: str
    onu_name: str
    action: str
    status: Status
    ont_id: int | None = None
    message: str = ""
    commands: list[str] = field(default_factory=list)
    rollback: RollbackReport | None = None
    activation_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.status in (Status.CHANGED, Status.UNCHANGED, Status.PLANNED)


def _spec(target: OnuTarget, ont_id: int) -> ActivationSpec:
    return ActivationSpec(
        port=target.port,
        ont_id=ont_id,
        password=target.password,
        onu_name=target.onu_name,
        svlan=target.svlan,
        cvlan=target.cvlan,
    )


def read(session: DeviceSession, request: ReadRequest[T]) -> T:
    outputs = [session.run_commands(request.mode, (command,)) for command in request.commands]
    return check_read(request, outputs)


def configured_onus(session: DeviceSession, driver: Driver, port: PonPort) -> list[ConfiguredOnu]:
    """Every ONU configured on ``port`` with its description (one extra read per ONU on ZTE)."""
    listed = read(session, driver.list_onus(port))
    if driver.listing_includes_names:
        return list(listed)
    return [read(session, driver.read_onu_detail(port, onu.ont_id)) for onu in listed]


def _highest_free(driver: Driver, taken: set[int]) -> int:
    # From the top, as the API does: customer ONUs usually get the OLT's automatic (lowest) ID.
    low, high = driver.limits.ont_id
    for candidate in range(high, low - 1, -1):
        if candidate not in taken:
            return candidate
    raise OperationError(f"no free ONT-ID on the PON port ({low}…{high} all used)")


def activate(
    session: DeviceSession,
    driver: Driver,
    target: OnuTarget,
    *,
    dry_run: bool = False,
    reconnect: Callable[[], DeviceSession] | None = None,
) -> OnuOutcome:
    outcome = OnuOutcome(target.olt, target.port.fsp, target.onu_name, "activate", Status.UNCHANGED)
    outcome.activation_id = target.activation_id
    onus = configured_onus(session, driver, target.port)
    ours = [o for o in onus if o.description == target.onu_name]
    if ours:
        existing = ours[0]
        if target.ont_id is not None and existing.ont_id != target.ont_id:
            raise OperationError(
                f"{target.onu_name} already exists on {target.port.fsp} as ONT {existing.ont_id}, "
                f"not {target.ont_id}"
            )
        outcome.ont_id = existing.ont_id
        outcome.message = "already provisioned with this name; nothing sent"
        return outcome
    taken = {o.ont_id for o in onus}
    ont_id = target.ont_id if target.ont_id is not None else _highest_free(driver, taken)
    if ont_id in taken:
        raise OperationError(f"ONT-ID {ont_id} on {target.port.fsp} is used by another ONU")
    plan = driver.provision_plan(_spec(target, ont_id))
    outcome.ont_id = ont_id
    outcome.commands = plan.commands(with_modes=True)
    if dry_run:
        outcome.status = Status.PLANNED
        return outcome
    try:
        apply_plan(session, plan, reconnect)
    except PlanFailed as exc:
        outcome.status = Status.NEEDS_RECONCILE if exc.needs_reconcile else Status.FAILED
        outcome.message = str(exc)
        outcome.rollback = exc.rollback
        return outcome
    detail = read(session, driver.read_onu_detail(target.port, ont_id))
    if detail.description != target.onu_name:
        outcome.status = Status.NEEDS_RECONCILE
        outcome.message = f"verify failed: ONT {ont_id} reads back as {detail.description!r}"
        return outcome
    outcome.status = Status.CHANGED
    outcome.message = f"provisioned as ONT {ont_id}, verified"
    return outcome


def revoke(
    session: DeviceSession,
    driver: Driver,
    target: OnuTarget,
    *,
    dry_run: bool = False,
) -> OnuOutcome:
    """Remove the test ONU named ``target.onu_name``; never touches an ONU with another name."""
    outcome = OnuOutcome(target.olt, target.port.fsp, target.onu_name, "revoke", Status.UNCHANGED)
    outcome.activation_id = target.activation_id
    onus = configured_onus(session, driver, target.port)
    ours = [o for o in onus if o.description == target.onu_name]
    if target.ont_id is not None:
        at_id = [o for o in onus if o.ont_id == target.ont_id]
        if at_id and at_id[0].description != target.onu_name:
            raise OperationError(
                f"ONT {target.ont_id} on {target.port.fsp} is {at_id[0].description!r}, "
                f"not {target.onu_name!r}: refusing to delete it"
            )
    if not ours:
        outcome.ont_id = target.ont_id
        outcome.message = "not on the OLT; nothing sent"
        return outcome
    ont_id = ours[0].ont_id
    plans = removal_plans(session, driver, target.port, ont_id, target.onu_name)
    outcome.ont_id = ont_id
    outcome.commands = [c for plan in plans for c in plan.commands(with_modes=True)]
    if dry_run:
        outcome.status = Status.PLANNED
        return outcome
    try:
        for plan in plans:
            apply_plan(session, plan)
    except PlanFailed as exc:
        outcome.status = Status.NEEDS_RECONCILE
        outcome.message = str(exc)
        return outcome
    remaining = [o for o in configured_onus(session, driver, target.port) if o.ont_id == ont_id]
    if remaining:
        outcome.status = Status.NEEDS_RECONCILE
        outcome.message = f"verify failed: ONT {ont_id} still configured"
        return outcome
    outcome.status = Status.CHANGED
    outcome.message = f"ONT {ont_id} and its service-port removed, verified"
    return outcome


def removal_plans(
    session: DeviceSession, driver: Driver, port: PonPort, ont_id: int, name: str
) -> list[Plan]:
    """Plans that remove ONT ``ont_id`` and every service-port the OLT has for it, service-ports first.

    The service-ports are read from the device rather than rebuilt from the activation's VLANs: on
    Huawei they are OLT-global objects deleted by index, and one left behind makes the OLT refuse the
    ONT delete ("has some service virtual ports"). The ONU password is not needed to delete.
    """
    base = ActivationSpec(port=port, ont_id=ont_id, password="x", onu_name=name, svlan=1, cvlan=1)  # noqa: S106
    lister = getattr(driver, "list_service_ports", None)
    if lister is None:  # ZTE: service-ports live inside the ONU interface; the plan removes them by number
        return [driver.deprovision_plan(base)]
    plans: list[Plan] = []
    for sp in read(session, lister(port)):
        if sp.ont_id != ont_id:
            continue
        spec = replace(base, service_port_index=sp.index, svlan=sp.svlan, cvlan=sp.user_vlan or 1)
        steps = tuple(s for s in driver.deprovision_plan(spec).steps if s.name == "service_port_delete")
        plans.append(Plan(f"remove service-port {sp.index}", driver.platform, steps, driver.level_up))
    steps = tuple(s for s in driver.deprovision_plan(base).steps if s.name != "service_port_delete")
    plans.append(Plan(f"remove ONT {ont_id}", driver.platform, steps, driver.level_up))
    return plans


def to_readings(optics: OnuOptics | None, olt_tx_dbm: float | None, reason: MissingReason) -> OpticalReadings:
    """Driver numbers → domain readings; an implausible value becomes 'no reading', never a crash."""
    values = {
        "olt_tx": olt_tx_dbm if olt_tx_dbm is not None else (optics.olt_tx_dbm if optics else None),
        "olt_rx": optics.olt_rx_dbm if optics else None,
        "onu_tx": optics.onu_tx_dbm if optics else None,
        "onu_rx": optics.onu_rx_dbm if optics else None,
    }
    extras = {
        "onu_temperature_c": optics.temperature_c if optics else None,
        "onu_voltage_v": optics.voltage_v if optics else None,
        "onu_bias_ma": optics.bias_ma if optics else None,
        "distance_m": float(optics.distance_m) if optics and optics.distance_m is not None else None,
    }
    try:
        return OpticalReadings.from_dbm(**values, missing_reason=reason, **extras)
    except DomainError:
        # One absurd number must not hide the others: keep the powers that validate, drop the rest.
        plausible = {key: value if _plausible(value) else None for key, value in values.items()}
        return OpticalReadings.from_dbm(**plausible, missing_reason=MissingReason.NOT_AVAILABLE)


def _plausible(value: float | None) -> bool:
    if value is None:
        return False
    try:
        check_power_dbm(value)
    except DomainError:
        return False
    return True


def read_onu_readings(session: DeviceSession, driver: Driver, port: PonPort, ont_id: int) -> OpticalReadings:
    """The four powers of one ONU: its optics plus the PON port's Tx (one or two commands)."""
    tx = read(session, driver.read_pon_tx(port)).tx_dbm
    try:
        optics = read(session, driver.read_onu_optics(port, ont_id))
    except NotOnline:
        return to_readings(None, tx, MissingReason.OFFLINE)
    except DoesNotExist as exc:
        raise OperationError(f"no ONT {ont_id} on {port.fsp}") from exc
    return to_readings(optics, tx, MissingReason.NOT_AVAILABLE)


def read_port_readings(session: DeviceSession, driver: Driver, port: PonPort) -> dict[int, OpticalReadings]:
    """Every online ONU of a PON port in one table read plus the port's Tx."""
    tx = read(session, driver.read_pon_tx(port)).tx_dbm
    try:
        table = read(session, driver.read_port_optics(port))
    except NotOnline:  # no ONU of the port is online (e.g. feeder cut): an empty table, not an error
        table = ()
    return {row.ont_id: to_readings(row, tx, MissingReason.OFFLINE) for row in table}
