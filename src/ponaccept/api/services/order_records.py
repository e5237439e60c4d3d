"""Facts attached to work orders: appointments, contact and arrival, deferral, call-backs, urges,
complaints and monthly billed-customer counts (the denominators and numerators of the service metrics).

Each fact is a row in its own table (for SQL metrics) plus an event in the order's log (the history and
the source the clocks are rebuilt from). Functions do not commit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from ponaccept.api.errors import ConflictError, NotFoundError
from ponaccept.api.services.orders import check_not_future, district_by_name, field_error, record
from ponaccept.db.models import (
    Account,
    Appointment,
    BilledCustomersMonthly,
    Callback,
    Complaint,
    OrderEvent,
    Urge,
    WorkOrder,
)
from ponaccept.domain.errors import IllegalTransition
from ponaccept.domain.orders import AppointmentStatus, OrderEventType, OrderStatus, UrgeChannel
from ponaccept.domain.sla import arrival_check

E = OrderEventType
A = AppointmentStatus
APPOINTMENT_HORIZON = timedelta(days=366)
"""Appointments are booked at most a year ahead; further is a typo."""


def _appointment(session: Session, order: WorkOrder, appointment_id: int) -> Appointment:
    row = session.get(Appointment, appointment_id)
    if row is None or row.order_id != order.id:
        raise NotFoundError("appointment", appointment_id)
    return row


def _move_appointment(row: Appointment, allowed_from: set[AppointmentStatus], to: AppointmentStatus) -> None:
    if row.status not in allowed_from:
        raise ConflictError(
            f"appointment {row.id} is {row.status.value}; cannot become {to.value}",
            current_state=row.status.value,
        )
    row.status = to


def propose_appointment(
    session: Session,
    order: WorkOrder,
    *,
    slot_start: datetime,
    slot_end: datetime | None,
    at: datetime | None,
    now: datetime,
    actor: str | None = None,
    confirmed: bool = False,
) -> Appointment:
    check_not_future(slot_start, now, "body.slot_start", horizon=APPOINTMENT_HORIZON)
    if slot_end is not None:
        check_not_future(slot_end, now, "body.slot_end", horizon=APPOINTMENT_HORIZON)
        if slot_end < slot_start:
            raise field_error("body.slot_end", "the slot ends before it starts")
    if slot_start < order.created_at:
        raise field_error("body.slot_start", "the slot is before the order was created")
    assert order.id is not None
    row = Appointment(
        order_id=order.id,
        slot_start=slot_start,
        slot_end=slot_end,
        status=A.CONFIRMED if confirmed else A.PROPOSED,
        created_by=actor,
    )
    session.add(row)
    session.flush()
    kind = E.APPOINTMENT_CONFIRMED if confirmed else E.APPOINTMENT_PROPOSED
    record(
        session,
        order,
        kind,
        at,
        now=now,
        actor=actor,
        payload={"appointment_id": row.id, "slot_start": slot_start.isoformat()},
    )
    return row


def confirm_appointment(
    session: Session,
    order: WorkOrder,
    appointment_id: int,
    *,
    at: datetime | None,
    now: datetime,
    actor: str | None,
) -> Appointment:
    row = _appointment(session, order, appointment_id)
    _move_appointment(row, {A.PROPOSED}, A.CONFIRMED)
    record(
        session, order, E.APPOINTMENT_CONFIRMED, at, now=now, actor=actor, payload={"appointment_id": row.id}
    )
    session.add(row)
    return row


def miss_appointment(
    session: Session,
    order: WorkOrder,
    appointment_id: int,
    *,
    at: datetime | None,
    now: datetime,
    actor: str | None,
) -> Appointment:
    """No-show (爽约): the order stays ``appointed``, the appointment is ``missed``; a new slot follows."""
    row = _appointment(session, order, appointment_id)
    _move_appointment(row, {A.PROPOSED, A.CONFIRMED}, A.MISSED)
    record(session, order, E.NO_SHOW, at, now=now, actor=actor, payload={"appointment_id": row.id})
    session.add(row)
    return row


def attend_appointment(
    session: Session,
    order: WorkOrder,
    appointment_id: int,
    *,
    at: datetime | None,
    now: datetime,
    actor: str | None,
) -> Appointment:
    row = _appointment(session, order, appointment_id)
    _move_appointment(row, {A.CONFIRMED}, A.ATTENDED)
    event = record(
        session, order, E.APPOINTMENT_ATTENDED, at, now=now, actor=actor, payload={"appointment_id": row.id}
    )
    row.arrived_at = row.arrived_at or event.at
    session.add(row)
    return row


def contact(
    session: Session,
    order: WorkOrder,
    *,
    at: datetime | None,
    now: datetime,
    slot_start: datetime | None = None,
    slot_end: datetime | None = None,
    actor: str | None = None,
    source: str = "api",
) -> OrderEvent:
    """The technician reached the customer (预约); a slot given here becomes a confirmed appointment."""
    event = record(session, order, E.CONTACT, at, now=now, actor=actor, source=source)
    if slot_start is not None:
        propose_appointment(
            session,
            order,
            slot_start=slot_start,
            slot_end=slot_end,
            at=event.at,
            now=now,
            actor=actor,
            confirmed=True,
        )
    return event


def arrive(
    session: Session,
    order: WorkOrder,
    *,
    at: datetime | None,
    now: datetime,
    appointment_id: int | None = None,
    actor: str | None = None,
    source: str = "api",
) -> OrderEvent:
    """Arrival (上门): marks the appointment attended and records the ±10-minute punctuality."""
    row = None
    if appointment_id is not None:
        row = _appointment(session, order, appointment_id)
    else:
        row = session.exec(
            select(Appointment)
            .where(Appointment.order_id == order.id, Appointment.status == A.CONFIRMED)
            .order_by(col(Appointment.slot_start).desc())
        ).first()
    when = at or now
    payload: dict[str, object] = {}
    if row is not None:
        check = arrival_check(when, row.slot_start)
        payload = {
            "appointment_id": row.id,
            "on_time": check.on_time,
            "deviation_s": check.deviation.total_seconds(),
        }
    event = record(session, order, E.ARRIVE, when, now=now, actor=actor, source=source, payload=payload)
    if row is not None and row.status in (A.CONFIRMED, A.PROPOSED):
        row.status, row.arrived_at = A.ATTENDED, event.at
        session.add(row)
    return event


def callback(
    session: Session,
    order: WorkOrder,
    *,
    reached: bool,
    satisfied: bool | None,
    stars: int | None,
    at: datetime | None,
    now: datetime,
    agent: str | None = None,
    source: str = "api",
) -> Callback:
    """回访: the first call-back of a completed order closes it; later ones are recorded on the closed one."""
    if not reached and (satisfied is not None or stars is not None):
        raise field_error("body.reached", "an unreached customer gives no satisfaction or stars")
    if stars is not None and not 1 <= stars <= 5:
        raise field_error("body.stars", "stars are 1 to 5")
    if order.status is OrderStatus.COMPLETED:
        kind = E.CLOSE
    elif order.status is OrderStatus.CLOSED:
        kind = E.CALLBACK
    else:
        raise IllegalTransition("work order", order.status.value, E.CALLBACK.value, [])
    payload = {"reached": reached, "satisfied": satisfied, "stars": stars}
    event = record(session, order, kind, at, now=now, actor=agent, source=source, payload=payload)
    assert order.id is not None
    row = Callback(
        order_id=order.id, at=event.at, reached=reached, satisfied=satisfied, stars=stars, agent=agent
    )
    session.add(row)
    return row


def urge(
    session: Session,
    order: WorkOrder,
    *,
    channel: UrgeChannel,
    at: datetime | None,
    now: datetime,
    actor: str | None = None,
) -> Urge:
    """催装/催修."""
    event = record(session, order, E.URGE, at, now=now, actor=actor, payload={"channel": channel.value})
    assert order.id is not None
    row = Urge(order_id=order.id, at=event.at, channel=channel)
    session.add(row)
    return row


def complaint(
    session: Session,
    *,
    account_no: str,
    category: str,
    at: datetime | None,
    now: datetime,
    order_id: int | None = None,
    actor: str | None = None,
) -> Complaint:
    account = session.exec(select(Account).where(Account.account_no == account_no)).first()
    if account is None:
        raise field_error("body.account_no", f"unknown account {account_no!r}")
    when = at or now
    check_not_future(when, now, "body.at")
    assert account.id is not None
    if order_id is not None:
        order = session.get(WorkOrder, order_id)
        if order is None or order.account_id != account.id:
            raise field_error("body.order_id", f"order {order_id} is not an order of account {account_no}")
        record(session, order, E.COMPLAINT, when, now=now, actor=actor, payload={"category": category})
    row = Complaint(
        account_id=account.id, district_id=account.district_id, at=when, category=category, order_id=order_id
    )
    session.add(row)
    return row


def set_billed_customers(
    session: Session, *, month: date, district: str, count: int
) -> BilledCustomersMonthly:
    """Upsert one district's billed customers for a month (the 万投比 denominator)."""
    if count < 0:
        raise field_error("body.count", "a customer count cannot be negative")
    if month.day != 1:
        raise field_error("body.month", "give the month as its first day (YYYY-MM-01) or YYYY-MM")
    row_district = district_by_name(session, district)
    assert row_district.id is not None
    row = session.exec(
        select(BilledCustomersMonthly).where(
            BilledCustomersMonthly.month == month, BilledCustomersMonthly.district_id == row_district.id
        )
    ).first()
    if row is None:
        row = BilledCustomersMonthly(month=month, district_id=row_district.id, count=count)
    row.count = count
    session.add(row)
    return row
