"""Work orders: append events, keep the derived columns/pauses/clocks in step, rebuild them from events.

Two paths produce the same state (tested with random event sequences):

* **live** — :func:`append_event` loads the order's facts from its row and pause rows, applies one event
  (``domain.order_facts.apply_event``), writes them back and refreshes the clocks;
* **rebuild** — :func:`recompute_order` replays the whole event log. A ``correct`` event (an edit of an
  earlier event's time) always takes this path, because it changes history.

Clock snapshots keep the policy row they started with (policies are immutable versioned rows), so a
policy change mid-flight never changes a running clock's target or drops its pause credit.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from ponaccept.db.models import (
    Account,
    CalendarException,
    District,
    OrderCalendar,
    OrderEvent,
    OrderPause,
    OrderSlaPolicy,
    OutboxEvent,
    Project,
    SlaClock,
    Splitter,
    SplitterPort,
    WorkOrder,
)
from ponaccept.db.repositories.errors import NotFound
from ponaccept.domain.choices import ProjectStatus
from ponaccept.domain.errors import DomainError
from ponaccept.domain.order_facts import (
    EventFact,
    InvalidOrderTime,
    OrderFacts,
    apply_event,
    clock_spans,
    new_order,
    replay,
)
from ponaccept.domain.orders import NON_TRANSITION_EVENTS, OrderEventType, OrderStatus, OrderType
from ponaccept.domain.sla import (
    Calendar,
    ClockKind,
    Pause,
    SlaPolicy,
    default_calendar,
    evaluate_clock,
    repair_penalty,
    seed_policies,
)

log = logging.getLogger(__name__)

REPEAT_WINDOW = timedelta(days=30)
"""A repair is a repeat when the account had another repair completed this long before the report."""
ATTRIBUTION_WINDOW = timedelta(days=30)
"""A repair within this time after its port's project was accepted is attributed to that project."""
DEFAULT_CALENDAR_NAME = "default"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


# --- calendars and policies -------------------------------------------------------------------------------


def calendar_from_row(row: OrderCalendar, exceptions: Sequence[CalendarException]) -> Calendar:
    """The domain calendar of a row plus its exception dates (named and versioned like the row)."""
    base = Calendar.model_validate({**row.definition, "id": row.name, "version": row.version})
    extra = {
        e.day: tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in e.windows) for e in exceptions
    }
    return base.model_copy(update={"exceptions": {**base.exceptions, **extra}})


def load_calendar(session: Session, calendar_id: int | None) -> Calendar:
    if calendar_id is None:
        return default_calendar()
    row = session.get(OrderCalendar, calendar_id)
    if row is None:
        raise NotFound(f"calendar {calendar_id} does not exist")
    exceptions = session.exec(
        select(CalendarException).where(CalendarException.calendar_id == calendar_id)
    ).all()
    return calendar_from_row(row, exceptions)


def ensure_seed_policies(session: Session, *, contact: timedelta = timedelta(minutes=30)) -> None:
    """Insert the seed rule set (72 h / 4 h / 8 h / 30 min) for every kind that has no policy yet."""
    present = set(session.exec(select(OrderSlaPolicy.kind)).all())
    for kind, policy in seed_policies(contact=contact).items():
        if kind not in present:
            session.add(
                OrderSlaPolicy(
                    key=policy.id,
                    version=policy.version,
                    kind=kind,
                    target_s=int(policy.target.total_seconds()),
                    effective_from=EPOCH,
                )
            )
    session.flush()


def policy_at(session: Session, kind: ClockKind, at: datetime) -> OrderSlaPolicy:
    """The policy of ``kind`` in effect at ``at`` (latest ``effective_from`` ≤ at, not yet ended)."""
    statement = (
        select(OrderSlaPolicy)
        .where(OrderSlaPolicy.kind == kind, col(OrderSlaPolicy.effective_from) <= at)
        .where((col(OrderSlaPolicy.effective_to).is_(None)) | (col(OrderSlaPolicy.effective_to) > at))
        .order_by(col(OrderSlaPolicy.effective_from).desc(), col(OrderSlaPolicy.version).desc())
    )
    row = session.exec(statement).first()
    if row is None:
        ensure_seed_policies(session)
        row = session.exec(statement).first()
    if row is None:
        raise NotFound(f"no SLA policy for {kind.value} in effect at {at.isoformat()}")
    return row


def to_domain_policy(row: OrderSlaPolicy) -> SlaPolicy:
    return SlaPolicy(id=row.key, version=row.version, kind=row.kind, target=timedelta(seconds=row.target_s))


# --- facts <-> rows ---------------------------------------------------------------------------------------


def order_pauses(session: Session, order_id: int) -> list[OrderPause]:
    return list(
        session.exec(
            select(OrderPause).where(OrderPause.order_id == order_id).order_by(col(OrderPause.id))
        ).all()
    )


def facts_from_row(order: WorkOrder, pauses: Sequence[OrderPause]) -> OrderFacts:
    return OrderFacts(
        type=order.type,
        status=order.status,
        created_at=order.created_at,
        reported_at=order.reported_at,
        status_before_deferral=order.status_before_deferral,
        dispatched_at=order.dispatched_at,
        first_contact_at=order.first_contact_at,
        arrived_at=order.arrived_at,
        first_completed_at=order.first_completed_at,
        completed_at=order.completed_at,
        closed_at=order.closed_at,
        cancelled_at=order.cancelled_at,
        reopen_count=order.reopen_count,
        last_transition_at=order.last_transition_at or order.created_at,
        pauses=tuple(Pause(start=p.start_at, end=p.end_at, reason=p.reason) for p in pauses),
        pause_resume_dates=tuple(p.resume_date for p in pauses),
    )


def write_facts(session: Session, order: WorkOrder, facts: OrderFacts) -> None:
    """Copy the facts onto the row and make the ``pause`` rows match them one to one."""
    assert order.id is not None
    order.status = facts.status
    order.status_before_deferral = facts.status_before_deferral
    order.reported_at = facts.reported_at
    order.dispatched_at = facts.dispatched_at
    order.first_contact_at = facts.first_contact_at
    order.arrived_at = facts.arrived_at
    order.first_completed_at = facts.first_completed_at
    order.completed_at = facts.completed_at
    order.closed_at = facts.closed_at
    order.cancelled_at = facts.cancelled_at
    order.reopen_count = facts.reopen_count
    order.last_transition_at = facts.last_transition_at
    session.add(order)
    rows = order_pauses(session, order.id)
    for index, pause in enumerate(facts.pauses):
        resume_date = facts.pause_resume_dates[index] if index < len(facts.pause_resume_dates) else None
        if index < len(rows):
            row = rows[index]
            row.start_at, row.end_at, row.reason = pause.start, pause.end, pause.reason or ""
            row.resume_date = resume_date
        else:
            row = OrderPause(
                order_id=order.id,
                start_at=pause.start,
                end_at=pause.end,
                reason=pause.reason or "",
                resume_date=resume_date,
            )
        session.add(row)
    for row in rows[len(facts.pauses) :]:
        session.delete(row)
    session.flush()


# --- clocks -----------------------------------------------------------------------------------------------


def refresh_clocks(
    session: Session,
    order: WorkOrder,
    facts: OrderFacts,
    now: datetime,
    *,
    clocks: Sequence[SlaClock] | None = None,
    calendars: dict[int | None, Calendar] | None = None,
) -> list[SlaClock]:
    """Recompute every clock of the order at ``now`` and upsert the ``sla_clock`` rows (plus penalties).

    ``clocks`` (the order's current rows) and ``calendars`` (a cache by calendar id, ``None`` = default)
    let a batch caller save the per-order queries.
    """
    assert order.id is not None
    if clocks is None:
        clocks = session.exec(select(SlaClock).where(SlaClock.order_id == order.id)).all()
    existing = {c.kind: c for c in clocks}
    spans = clock_spans(facts)
    cache: dict[int | None, Calendar] = {} if calendars is None else calendars

    def calendar_of(calendar_id: int | None) -> Calendar:
        if calendar_id not in cache:
            cache[calendar_id] = load_calendar(session, calendar_id)
        return cache[calendar_id]

    district = session.get(District, order.district_id)
    if district is None:
        raise NotFound(f"district {order.district_id} does not exist")
    calendar = calendar_of(district.calendar_id)
    result: list[SlaClock] = []
    for span in spans:
        row = existing.pop(span.kind, None)
        policy_row = (
            session.get(OrderSlaPolicy, row.policy_id)
            if row is not None
            else policy_at(session, span.kind, span.start)
        )
        assert policy_row is not None and policy_row.id is not None
        clock_calendar = calendar if policy_row.calendar_id is None else calendar_of(policy_row.calendar_id)
        at = max(now, span.start, span.stop or span.start)
        clock = evaluate_clock(
            to_domain_policy(policy_row),
            clock_calendar,
            start=span.start,
            stop=span.stop,
            pauses=facts.pauses,
            now=at,
        )
        row = row or SlaClock(
            order_id=order.id,
            kind=span.kind,
            policy_id=policy_row.id,
            policy_key=policy_row.key,
            policy_version=policy_row.version,
            calendar_name=clock.calendar_id,
            calendar_version=clock.calendar_version,
            target_s=policy_row.target_s,
            start_at=span.start,
            due_at=clock.due_at,
            elapsed_business_s=0.0,
            breached=False,
            overdue_s=0.0,
            overdue_natural_s=0.0,
            running=True,
            paused=False,
        )
        row.calendar_name, row.calendar_version = clock.calendar_id, clock.calendar_version
        row.start_at, row.stop_at, row.due_at = clock.start, clock.stop, clock.due_at
        row.elapsed_business_s = clock.elapsed_business_s
        row.breached, row.overdue_s = clock.breached, clock.overdue_s
        row.overdue_natural_s = clock.overdue_natural.total_seconds()
        row.running, row.paused, row.evaluated_at = clock.running, clock.paused, clock.evaluated_at
        session.add(row)
        result.append(row)
        if span.kind is ClockKind.REPAIR_COMPLETION:
            penalty = repair_penalty(
                clock, fault_cause=order.fault_cause, settings=policy_row.penalty_settings()
            )
            order.penalty_exempt = penalty.exempt
            order.penalty_days, order.penalty_amount = penalty.days, penalty.amount
            session.add(order)
    for stale in existing.values():
        session.delete(stale)
    session.flush()
    return result


# --- events -----------------------------------------------------------------------------------------------


def events_of(session: Session, order_id: int) -> list[OrderEvent]:
    return list(
        session.exec(
            select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(col(OrderEvent.seq))
        ).all()
    )


def to_fact(event: OrderEvent) -> EventFact:
    return EventFact(seq=event.seq, at=event.at, type=event.type, payload=event.payload, reason=event.reason)


def insert_order(
    session: Session,
    order: WorkOrder,
    *,
    now: datetime,
    actor: str | None = None,
    source: str = "api",
    payload: Mapping[str, Any] | None = None,
) -> OrderEvent:
    """Insert a new order (its ``created_at``/``reported_at`` already set) with its ``create`` event."""
    facts = new_order(order.type, order.created_at, reported_at=order.reported_at)
    order.status = OrderStatus.CREATED
    order.last_seq = 1
    order.last_transition_at = order.created_at
    session.add(order)
    session.flush()
    assert order.id is not None
    body = dict(payload or {})
    if order.reported_at is not None:
        body["reported_at"] = order.reported_at.isoformat()
    event = OrderEvent(
        order_id=order.id,
        seq=1,
        at=order.created_at,
        recorded_at=now,
        type=OrderEventType.CREATE,
        to_status=OrderStatus.CREATED,
        actor=actor,
        source=source,
        payload=body,
    )
    session.add(event)
    write_facts(session, order, facts)
    refresh_clocks(session, order, facts, now)
    return event


def append_event(
    session: Session,
    order: WorkOrder,
    event_type: OrderEventType,
    at: datetime,
    *,
    now: datetime,
    reason: str | None = None,
    actor: str | None = None,
    source: str = "api",
    payload: Mapping[str, Any] | None = None,
) -> OrderEvent:
    """Validate and append one event, then bring the row, pauses and clocks up to date (the live path).

    Raises ``IllegalTransition`` (409) or ``InvalidOrderTime`` (422) before anything is written.
    """
    assert order.id is not None
    facts = facts_from_row(order, order_pauses(session, order.id))
    body = dict(payload or {})
    if event_type is OrderEventType.CORRECT:
        new_facts = _validate_correction(session, order, body, now)
    else:
        new_facts = apply_event(facts, event_type, at, payload=body, reason=reason, now=now)
    order.last_seq += 1
    event = OrderEvent(
        order_id=order.id,
        seq=order.last_seq,
        at=at,
        recorded_at=now,
        type=event_type,
        from_status=None if event_type in NON_TRANSITION_EVENTS else facts.status,
        to_status=None if event_type in NON_TRANSITION_EVENTS else new_facts.status,
        reason=reason,
        actor=actor,
        source=source,
        payload=body,
    )
    session.add(event)
    write_facts(session, order, new_facts)
    refresh_clocks(session, order, new_facts, now)
    return event


def _validate_correction(
    session: Session, order: WorkOrder, payload: dict[str, Any], now: datetime
) -> OrderFacts:
    """Replay the log with the correction applied: an impossible history is refused before it is stored."""
    assert order.id is not None
    history = [to_fact(e) for e in events_of(session, order.id)]
    target = payload.get("seq")
    if not isinstance(target, int) or not any(e.seq == target for e in history):
        raise NotFound(f"event {target!r} of order {order.id} does not exist")
    at = payload.get("at")
    try:
        new_at = datetime.fromisoformat(at) if isinstance(at, str) else at
    except ValueError:
        new_at = None
    if not isinstance(new_at, datetime) or new_at.tzinfo is None:
        raise InvalidOrderTime("at", "a correction needs a time with a UTC offset")
    payload["at"] = new_at.isoformat()
    probe = EventFact(seq=order.last_seq + 1, at=now, type=OrderEventType.CORRECT, payload=payload)
    facts = replay(order.type, [*history, probe], now=now)
    if target == 1:
        order.created_at = new_at
    return facts


def recompute_order(session: Session, order: WorkOrder, now: datetime) -> OrderFacts:
    """Rebuild the row's derived columns, pauses and clocks from the event log (the rebuild path)."""
    assert order.id is not None
    log = [to_fact(e) for e in events_of(session, order.id)]
    facts = replay(order.type, log)
    order.created_at = facts.created_at
    write_facts(session, order, facts)
    refresh_clocks(session, order, facts, now)
    return facts


def recompute_open_orders(
    session: Session, now: datetime, *, batch_size: int = 500, commit: bool = False
) -> int:
    """Refresh every running clock at ``now`` (the periodic sweep); returns how many orders were refreshed.

    Orders go in batches of ``batch_size`` by id: one query each for the batch's orders, pauses and
    clocks, calendars cached, so the cost per order is the clock arithmetic and the row writes.
    ``commit`` commits after each batch (the service's sweep: no transaction spans 100k orders). The
    batch's orders are locked with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL: an order that an event is
    being appended to right now is skipped — that event refreshes its clocks itself.

    One order whose stored facts cannot be evaluated (a domain error) must not stop the sweep for all
    the others: its batch is redone order by order inside savepoints, the order is logged and skipped.
    """
    refreshed, after = 0, 0
    calendars: dict[int | None, Calendar] = {}
    while True:
        ids = session.exec(
            select(SlaClock.order_id)
            .where(col(SlaClock.running).is_(True), col(SlaClock.order_id) > after)
            .distinct()
            .order_by(col(SlaClock.order_id))
            .limit(batch_size)
        ).all()
        if not ids:
            return refreshed
        after = ids[-1]
        try:
            with session.begin_nested():
                refreshed += _refresh_batch(session, list(ids), now, calendars)
        except DomainError:
            for order_id in ids:
                try:
                    with session.begin_nested():
                        refreshed += _refresh_batch(session, [order_id], now, calendars)
                except DomainError as exc:
                    log.warning("clock sweep skipped order %s: %s", order_id, exc)
        if commit:
            session.commit()
            calendars.clear()  # an admin may have edited a calendar meanwhile


def _refresh_batch(
    session: Session, ids: list[int], now: datetime, calendars: dict[int | None, Calendar]
) -> int:
    orders = session.exec(
        select(WorkOrder).where(col(WorkOrder.id).in_(ids)).with_for_update(skip_locked=True)
    ).all()
    pauses: dict[int, list[OrderPause]] = {}
    for pause in session.exec(
        select(OrderPause).where(col(OrderPause.order_id).in_(ids)).order_by(col(OrderPause.id))
    ):
        pauses.setdefault(pause.order_id, []).append(pause)
    clocks: dict[int, list[SlaClock]] = {}
    for row in session.exec(select(SlaClock).where(col(SlaClock.order_id).in_(ids))):
        clocks.setdefault(row.order_id, []).append(row)
    for order in orders:
        assert order.id is not None
        facts = facts_from_row(order, pauses.get(order.id, []))
        refresh_clocks(session, order, facts, now, clocks=clocks.get(order.id, []), calendars=calendars)
    session.flush()
    return len(orders)


# --- repeat repairs and attribution -----------------------------------------------------------------------


def find_repeat_of(
    session: Session, account_id: int, reported_at: datetime, window: timedelta = REPEAT_WINDOW
) -> WorkOrder | None:
    """The latest repair of the account completed in ``[reported_at − window, reported_at)``."""
    statement = (
        select(WorkOrder)
        .where(WorkOrder.account_id == account_id, WorkOrder.type == OrderType.REPAIR)
        .where(col(WorkOrder.completed_at) >= reported_at - window, col(WorkOrder.completed_at) < reported_at)
        .where(WorkOrder.status != OrderStatus.CANCELLED)
        .order_by(col(WorkOrder.completed_at).desc())
    )
    return session.exec(statement).first()


def open_repair_of(session: Session, account_id: int) -> WorkOrder | None:
    """A repair of the account that is still being worked (a new report then duplicates it)."""
    statement = select(WorkOrder).where(
        WorkOrder.account_id == account_id,
        WorkOrder.type == OrderType.REPAIR,
        col(WorkOrder.status).in_([s.value for s in OrderStatus if s not in _NOT_OPEN]),
    )
    return session.exec(statement).first()


_NOT_OPEN = frozenset({OrderStatus.COMPLETED, OrderStatus.CLOSED, OrderStatus.CANCELLED})


def accepted_at(session: Session, project: Project) -> datetime | None:
    """When the project was (last) accepted: its ``project.accepted`` outbox event, else its last update."""
    if project.status is not ProjectStatus.ACCEPTED or project.id is None:
        return None
    event_time = session.exec(
        select(OutboxEvent.created_at)
        .where(OutboxEvent.event_type == "project.accepted", OutboxEvent.aggregate_id == project.id)
        .order_by(col(OutboxEvent.created_at).desc())
    ).first()
    return event_time or project.updated_at


def attributed_project(
    session: Session, account: Account, reported_at: datetime, window: timedelta = ATTRIBUTION_WINDOW
) -> Project | None:
    """The project that built the account's port, if accepted within ``window`` before the report."""
    if account.splitter_port_id is None:
        return None
    port = session.get(SplitterPort, account.splitter_port_id)
    splitter = session.get(Splitter, port.splitter_id) if port is not None else None
    if splitter is None or splitter.project_id is None:
        return None
    project = session.get(Project, splitter.project_id)
    if project is None:
        return None
    when = accepted_at(session, project)
    if when is None or not (reported_at - window <= when <= reported_at):
        return None
    return project
