"""Work-order business functions shared by the HTTP API and ``ponaccept orders import``.

Every change goes through :func:`ponaccept.db.repositories.orders.append_event`, so the API, the CSV
back-fill and the clock rebuild apply the same rules. Links to the network (DESIGN §1, issue 6 item 4):

* **Port reservation at creation**: an install (or a move's install leg) names a splitter port that
  acceptance made ``available``; while the order is open no other install may take that port (409). The
  port's own status only changes on completion (``in_use``), because a cancelled or returned install must
  not leave a port marked as sold. A removal (or a move's removal leg) frees the account's port on
  completion (``available``).
* **Repeat repairs and attribution**: a repair is a repeat when the account had a repair completed within
  30 days before the report; while another repair of the account is still open the new report is refused
  as a duplicate (409 naming it). A repair within 30 days of the acceptance of the project that built the
  account's port is attributed to that project (``work_order.project_id``; contractor via the project).

Functions do not commit: the caller (route or import) owns the transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from ponaccept.api.errors import ConflictError, InvalidRequest, NotFoundError
from ponaccept.db.models import (
    Account,
    District,
    OrderEvent,
    SplitterPort,
    SplitterPortStatus,
    Team,
    Technician,
    WorkOrder,
)
from ponaccept.db.repositories.orders import (
    append_event,
    attributed_project,
    find_repeat_of,
    insert_order,
    open_repair_of,
)
from ponaccept.domain.errors import IllegalTransition
from ponaccept.domain.order_facts import DEFAULT_SKEW, InvalidOrderTime
from ponaccept.domain.orders import DONE_STATUSES, OPEN_STATUSES, OrderEventType, OrderStatus, OrderType
from ponaccept.domain.sla import FaultCause

E = OrderEventType


def field_error(field: str, message: str) -> InvalidRequest:
    return InvalidRequest(message, errors=[(field, message)])


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
"""Older times are typos (and year-1 values cannot even be converted to UTC or walked by the calendar)."""


def check_not_future(
    value: datetime, now: datetime, field: str, *, horizon: timedelta = DEFAULT_SKEW
) -> None:
    """``value`` is aware, not before 2000 and not beyond ``now + horizon`` (422 naming ``field``)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise field_error(field, "times must carry a UTC offset")
    if value < EARLIEST:
        raise field_error(field, f"{value.isoformat()} is before {EARLIEST.date()}")
    if value > now + horizon:
        raise field_error(field, f"{value.isoformat()} is in the future")


def district_by_name(session: Session, name: str, *, field: str = "body.district") -> District:
    district = session.exec(select(District).where(District.name == name)).first()
    if district is None:
        raise field_error(field, f"unknown district {name!r}")
    return district


def get_order(session: Session, order_id: int) -> WorkOrder:
    order = session.get(WorkOrder, order_id)
    if order is None:
        raise NotFoundError("work order", order_id)
    return order


def record(
    session: Session,
    order: WorkOrder,
    event_type: OrderEventType,
    at: datetime | None,
    *,
    now: datetime,
    reason: str | None = None,
    actor: str | None = None,
    source: str = "api",
    payload: Mapping[str, Any] | None = None,
    field_prefix: str = "body",
) -> OrderEvent:
    """Append one event (``at`` defaults to ``now``); time errors become 422 naming the field."""
    when = at or now
    try:
        return append_event(
            session,
            order,
            event_type,
            when,
            now=now,
            reason=reason,
            actor=actor,
            source=source,
            payload=payload,
        )
    except InvalidOrderTime as exc:
        raise field_error(f"{field_prefix}.{exc.field}", str(exc)) from None


# --- creation ---------------------------------------------------------------------------------------------


def _account(
    session: Session, account_no: str, district: District, address: str, *, field_prefix: str
) -> Account:
    account = session.exec(select(Account).where(Account.account_no == account_no)).first()
    if account is None:
        assert district.id is not None
        account = Account(account_no=account_no, district_id=district.id, address=address)
        session.add(account)
        session.flush()
    elif account.district_id != district.id:
        raise field_error(
            f"{field_prefix}.district",
            f"account {account_no} belongs to another district (id {account.district_id})",
        )
    return account


def _check_port_free(session: Session, port_id: int, *, field: str) -> SplitterPort:
    """The port exists, acceptance made it available, and no open install has reserved it (else 409)."""
    port = session.get(SplitterPort, port_id)
    if port is None:
        raise field_error(field, f"splitter port {port_id} does not exist")
    if port.status is not SplitterPortStatus.AVAILABLE:
        raise ConflictError(
            f"splitter port {port_id} is {port.status.value}: only accepted ports take an install",
            current_state=port.status.value,
            errors=[(field, f"port is {port.status.value}")],
        )
    holder = session.exec(
        select(WorkOrder.id).where(
            WorkOrder.splitter_port_id == port_id,
            WorkOrder.type == OrderType.INSTALL,
            col(WorkOrder.status).in_([s.value for s in OPEN_STATUSES]),
        )
    ).first()
    if holder is not None:
        raise ConflictError(
            f"splitter port {port_id} is reserved by open install order {holder}",
            errors=[(field, "reserved by another open install")],
        )
    return port


def _new_no(order_type: OrderType) -> str:
    return f"{order_type.value[:3].upper()}-{secrets.token_hex(6)}"


def create_order(
    session: Session,
    *,
    order_type: OrderType,
    account_no: str,
    district: str,
    address: str,
    now: datetime,
    no: str | None = None,
    created_at: datetime | None = None,
    reported_at: datetime | None = None,
    fault_category: str | None = None,
    splitter_port_id: int | None = None,
    parent: WorkOrder | None = None,
    actor: str | None = None,
    source: str = "api",
    field_prefix: str = "body",
) -> WorkOrder:
    """Create an install, removal, resume or repair order (a move uses :func:`create_move`)."""
    if order_type is OrderType.MOVE:
        raise field_error(f"{field_prefix}.type", "a move is created with create_move (two legs)")
    district_row = district_by_name(session, district, field=f"{field_prefix}.district")
    created = created_at or now
    check_not_future(created, now, f"{field_prefix}.created_at")
    if no is not None and session.exec(select(WorkOrder.id).where(WorkOrder.no == no)).first() is not None:
        raise ConflictError(f"order number {no!r} already exists")
    account = _account(session, account_no, district_row, address, field_prefix=field_prefix)
    assert account.id is not None and district_row.id is not None
    order = WorkOrder(
        no=no or _new_no(order_type),
        type=order_type,
        parent_id=parent.id if parent is not None else None,
        account_id=account.id,
        district_id=district_row.id,
        address=address,
        created_at=created,
        fault_category=fault_category,
    )
    if order_type is OrderType.REPAIR:
        if reported_at is None:
            raise field_error(f"{field_prefix}.reported_at", "a repair needs the time the fault was reported")
        check_not_future(reported_at, now, f"{field_prefix}.reported_at")
        if reported_at > created:
            raise field_error(f"{field_prefix}.reported_at", "the fault cannot be reported after the order")
        duplicate = open_repair_of(session, account.id)
        if duplicate is not None:
            raise ConflictError(
                f"account {account_no} already has open repair order {duplicate.id} ({duplicate.no}): "
                "a new report is a duplicate of it",
                current_state=duplicate.status.value,
            )
        order.reported_at = reported_at
        previous = find_repeat_of(session, account.id, reported_at)
        if previous is not None:
            order.is_repeat, order.repeat_of_id = True, previous.id
        project = attributed_project(session, account, reported_at)
        order.project_id = project.id if project is not None else None
        order.splitter_port_id = account.splitter_port_id
    elif order_type is OrderType.INSTALL:
        if splitter_port_id is not None:
            _check_port_free(session, splitter_port_id, field=f"{field_prefix}.splitter_port_id")
        order.splitter_port_id = splitter_port_id
    else:  # removal / resume act on the account's current port
        order.splitter_port_id = account.splitter_port_id
    try:
        insert_order(session, order, now=now, actor=actor, source=source)
    except InvalidOrderTime as exc:
        raise field_error(f"{field_prefix}.{exc.field}", str(exc)) from None
    return order


def create_move(
    session: Session,
    *,
    account_no: str,
    district: str,
    new_address: str,
    splitter_port_id: int | None,
    now: datetime,
    no: str | None = None,
    created_at: datetime | None = None,
    actor: str | None = None,
    source: str = "api",
) -> tuple[WorkOrder, WorkOrder, WorkOrder]:
    """A move (移机): parent + install leg at the new address + removal leg at the old one."""
    district_row = district_by_name(session, district)
    account = session.exec(select(Account).where(Account.account_no == account_no)).first()
    if account is None:
        raise field_error(
            "body.account_no", f"unknown account {account_no!r}: a move needs an existing account"
        )
    if account.district_id != district_row.id:
        raise field_error("body.district", f"account {account_no} belongs to another district")
    created = created_at or now
    check_not_future(created, now, "body.created_at")
    number = no or _new_no(OrderType.MOVE)
    if session.exec(select(WorkOrder.id).where(WorkOrder.no == number)).first() is not None:
        raise ConflictError(f"order number {number!r} already exists")
    assert account.id is not None and district_row.id is not None
    parent = WorkOrder(
        no=number,
        type=OrderType.MOVE,
        account_id=account.id,
        district_id=district_row.id,
        address=new_address,
        created_at=created,
        splitter_port_id=splitter_port_id,
    )
    insert_order(session, parent, now=now, actor=actor, source=source)
    old_address = account.address
    install = create_order(
        session,
        order_type=OrderType.INSTALL,
        account_no=account_no,
        district=district,
        address=new_address,
        now=now,
        no=f"{number}-I",
        created_at=created,
        splitter_port_id=splitter_port_id,
        parent=parent,
        actor=actor,
        source=source,
    )
    removal = create_order(
        session,
        order_type=OrderType.REMOVAL,
        account_no=account_no,
        district=district,
        address=old_address,
        now=now,
        no=f"{number}-R",
        created_at=created,
        parent=parent,
        actor=actor,
        source=source,
    )
    return parent, install, removal


# --- field work -------------------------------------------------------------------------------------------


def dispatch(
    session: Session,
    order: WorkOrder,
    *,
    technician_id: int | None,
    team_id: int | None,
    at: datetime | None,
    now: datetime,
    actor: str | None = None,
    source: str = "api",
) -> OrderEvent:
    """Dispatch (created), redispatch (returned) or reassign (dispatched/appointed) to a technician/team."""
    technician = None
    if technician_id is not None:
        technician = session.get(Technician, technician_id)
        if technician is None:
            raise field_error("body.technician_id", f"technician {technician_id} does not exist")
    if team_id is not None and session.get(Team, team_id) is None:
        raise field_error("body.team_id", f"team {team_id} does not exist")
    if technician is None and team_id is None:
        raise field_error("body.technician_id", "name a technician or a team")
    event = {
        OrderStatus.RETURNED: E.REDISPATCH,
        OrderStatus.DISPATCHED: E.REASSIGN,
        OrderStatus.APPOINTED: E.REASSIGN,
    }.get(order.status, E.DISPATCH)
    team = team_id if team_id is not None else (technician.team_id if technician is not None else None)
    payload = {"technician_id": technician_id, "team_id": team}
    result = record(session, order, event, at, now=now, actor=actor, source=source, payload=payload)
    order.technician_id, order.team_id = technician_id, team
    session.add(order)
    return result


def complete(
    session: Session,
    order: WorkOrder,
    *,
    at: datetime | None,
    now: datetime,
    actor: str | None = None,
    source: str = "api",
) -> OrderEvent:
    """Completion (竣工) with its network effect: an install takes its port, a removal frees it."""
    port = session.get(SplitterPort, order.splitter_port_id) if order.splitter_port_id is not None else None
    if (
        order.type is OrderType.INSTALL
        and port is not None
        and port.status is not SplitterPortStatus.AVAILABLE
    ):
        raise ConflictError(
            f"splitter port {port.id} is {port.status.value}: the install cannot take it",
            current_state=order.status.value,
        )
    event = record(session, order, E.COMPLETE, at, now=now, actor=actor, source=source)
    account = session.get(Account, order.account_id)
    assert account is not None
    if port is not None and order.type is OrderType.INSTALL:
        port.status = SplitterPortStatus.IN_USE
        account.splitter_port_id = port.id
    elif port is not None and order.type is OrderType.REMOVAL:
        port.status = SplitterPortStatus.AVAILABLE
        if account.splitter_port_id == port.id:
            account.splitter_port_id = None
    if order.type is OrderType.INSTALL:
        account.address = order.address
    if port is not None:
        session.add(port)
    session.add(account)
    _complete_parent(session, order, event.at, now=now, actor=actor, source=source)
    return event


def _complete_parent(
    session: Session, leg: WorkOrder, at: datetime, *, now: datetime, actor: str | None, source: str
) -> None:
    if leg.parent_id is None:
        return
    parent = session.get(WorkOrder, leg.parent_id)
    assert parent is not None
    legs = session.exec(select(WorkOrder).where(WorkOrder.parent_id == parent.id)).all()
    if parent.status is OrderStatus.CREATED and all(x.status in DONE_STATUSES for x in legs):
        record(session, parent, E.COMPLETE, at, now=now, actor=actor, source=source)


def cancel(
    session: Session,
    order: WorkOrder,
    *,
    reason: str,
    at: datetime | None,
    now: datetime,
    actor: str | None = None,
    source: str = "api",
) -> OrderEvent:
    """Cancel (撤单); cancelling a move cancels its open legs with it (the reservation is released)."""
    event = record(session, order, E.CANCEL, at, now=now, reason=reason, actor=actor, source=source)
    order.cancel_reason = reason
    session.add(order)
    if order.type is OrderType.MOVE:
        legs = session.exec(select(WorkOrder).where(WorkOrder.parent_id == order.id)).all()
        for leg in legs:
            if leg.status in OPEN_STATUSES:
                record(session, leg, E.CANCEL, event.at, now=now, reason=reason, actor=actor, source=source)
                leg.cancel_reason = reason
                session.add(leg)
    return event


def return_order(
    session: Session,
    order: WorkOrder,
    *,
    reason: str,
    at: datetime | None,
    now: datetime,
    actor: str | None = None,
    source: str = "api",
) -> OrderEvent:
    event = record(session, order, E.RETURN_ORDER, at, now=now, reason=reason, actor=actor, source=source)
    order.return_reason = reason
    session.add(order)
    return event


def set_fault_cause(
    session: Session,
    order: WorkOrder,
    cause: FaultCause,
    *,
    at: datetime | None,
    now: datetime,
    actor: str | None = None,
    source: str = "api",
    payload: Mapping[str, Any] | None = None,
) -> OrderEvent:
    """Record where the fault was (technician or remote pre-diagnosis); the penalty exemption follows."""
    previous = order.fault_cause
    order.fault_cause = cause
    try:
        return record(
            session,
            order,
            E.FAULT_CAUSE_SET,
            at,
            now=now,
            actor=actor,
            source=source,
            payload={"fault_cause": cause.value, **(payload or {})},
        )
    except (IllegalTransition, InvalidRequest):
        order.fault_cause = previous
        raise
