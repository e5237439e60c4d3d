"""An order's facts rebuilt from its event log, and the clock intervals those facts define.

The event log is the source of truth (reference/work-orders.md): status, the first dispatch, first contact,
arrival and completion times, and the customer pauses are all a fold over the events. Both the live path
(one event applied to the stored facts) and the rebuild path (:func:`replay` of the whole log) go through
:func:`apply_event`, so the two cannot drift apart; ``correct`` events (an edit of an earlier event's time)
make the rebuild the only consistent way to apply them, and :func:`replay` handles them up front.

Time rules, checked here so the API and the CSV import reject the same things:

* no event before the order's creation; a repair's fault report not after its creation;
* transitions in time order (a transition earlier than the previous one would make pauses and clocks
  ambiguous); records (urges, call-backs, complaints) may arrive late but not before creation;
* nothing beyond ``now + skew`` (callers pass ``now``: the domain never reads a clock).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from ponaccept.domain.errors import DomainError
from ponaccept.domain.orders import (
    NON_TRANSITION_EVENTS,
    OrderEventType,
    OrderStatus,
    OrderType,
    next_status,
)
from ponaccept.domain.sla import ClockKind, Pause

DEFAULT_SKEW = timedelta(minutes=5)
"""Tolerated device/server clock difference for "not in the future" (field phones drift)."""


class InvalidOrderTime(DomainError, ValueError):
    """An event time that is in the future, before the order's creation, or out of order."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class EventFact:
    """The part of an ``order_event`` row that the fold needs."""

    seq: int
    at: datetime
    type: OrderEventType
    payload: Mapping[str, Any] = field(default_factory=dict)
    reason: str | None = None


@dataclass(frozen=True)
class OrderFacts:
    """Everything the clocks and the ``work_order`` timestamp columns derive from."""

    type: OrderType
    status: OrderStatus
    created_at: datetime
    reported_at: datetime | None = None
    status_before_deferral: OrderStatus | None = None
    dispatched_at: datetime | None = None
    first_contact_at: datetime | None = None
    arrived_at: datetime | None = None
    first_completed_at: datetime | None = None
    completed_at: datetime | None = None
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None
    reopen_count: int = 0
    last_transition_at: datetime | None = None
    pauses: tuple[Pause, ...] = ()
    pause_resume_dates: tuple[date | None, ...] = ()

    @property
    def stopped_at(self) -> datetime | None:
        """When work on the order ended for good (completion, or cancellation), for the completion clock."""
        if self.status is OrderStatus.CANCELLED:
            return self.cancelled_at
        return self.completed_at


def new_order(
    order_type: OrderType, created_at: datetime, *, reported_at: datetime | None = None
) -> OrderFacts:
    """Facts of a freshly created order (the ``create`` event)."""
    if order_type is OrderType.REPAIR:
        if reported_at is None:
            raise InvalidOrderTime("reported_at", "a repair needs the time the fault was reported")
        if reported_at > created_at:
            raise InvalidOrderTime("reported_at", f"{reported_at} is after the order's creation {created_at}")
    return OrderFacts(
        type=order_type,
        status=OrderStatus.CREATED,
        created_at=created_at,
        reported_at=reported_at,
        last_transition_at=created_at,
    )


def check_time(
    facts: OrderFacts,
    at: datetime,
    *,
    transition: bool,
    now: datetime | None,
    skew: timedelta = DEFAULT_SKEW,
    field_name: str = "at",
) -> None:
    """Raise :class:`InvalidOrderTime` unless ``at`` may be recorded against ``facts``."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvalidOrderTime(field_name, "times must carry a UTC offset")
    if now is not None and at > now + skew:
        raise InvalidOrderTime(field_name, f"{at.isoformat()} is in the future")
    if at < facts.created_at:
        raise InvalidOrderTime(
            field_name, f"{at.isoformat()} is before the order was created ({facts.created_at.isoformat()})"
        )
    if transition and facts.last_transition_at is not None and at < facts.last_transition_at:
        raise InvalidOrderTime(
            field_name,
            f"{at.isoformat()} is before the order's previous status change "
            f"({facts.last_transition_at.isoformat()})",
        )


def apply_event(
    facts: OrderFacts,
    event_type: OrderEventType,
    at: datetime,
    *,
    payload: Mapping[str, Any] | None = None,
    reason: str | None = None,
    now: datetime | None = None,
) -> OrderFacts:
    """The facts after one event; raises ``IllegalTransition`` or :class:`InvalidOrderTime`."""
    transition = event_type not in NON_TRANSITION_EVENTS
    check_time(facts, at, transition=transition, now=now)
    status = next_status(
        facts.status, event_type, order_type=facts.type, before_deferral=facts.status_before_deferral
    )
    if not transition:
        return facts
    changes: dict[str, Any] = {"status": status, "last_transition_at": at}
    E = OrderEventType
    if event_type in (E.DISPATCH, E.REDISPATCH, E.REASSIGN) and facts.dispatched_at is None:
        changes["dispatched_at"] = at  # the contact clock runs from the FIRST dispatch
    elif event_type is E.CONTACT and facts.first_contact_at is None:
        changes["first_contact_at"] = at
    elif event_type is E.ARRIVE and facts.arrived_at is None:
        changes["arrived_at"] = at
    elif event_type is E.COMPLETE:
        changes["completed_at"] = at
        if facts.first_completed_at is None:
            changes["first_completed_at"] = at
    elif event_type is E.REOPEN:
        changes["completed_at"] = None
        changes["reopen_count"] = facts.reopen_count + 1
    elif event_type is E.CLOSE:
        changes["closed_at"] = at
    elif event_type is E.DEFER:
        changes["status_before_deferral"] = facts.status
        resume_date = (payload or {}).get("resume_date")
        changes["pauses"] = (*facts.pauses, Pause(start=at, end=None, reason=reason))
        changes["pause_resume_dates"] = (
            *facts.pause_resume_dates,
            date.fromisoformat(resume_date) if isinstance(resume_date, str) else resume_date,
        )
    elif event_type is E.RESUME:
        changes["status_before_deferral"] = None
        changes["pauses"] = _close_last_pause(facts.pauses, at)
    if event_type is E.CANCEL:
        changes["cancelled_at"] = at
        if facts.status is OrderStatus.DEFERRED:
            changes["status_before_deferral"] = None
            changes["pauses"] = _close_last_pause(facts.pauses, at)
    return replace(facts, **changes)


def _close_last_pause(pauses: tuple[Pause, ...], at: datetime) -> tuple[Pause, ...]:
    last = pauses[-1]
    return (*pauses[:-1], Pause(start=last.start, end=at, reason=last.reason))


def corrected(events: Iterable[EventFact]) -> list[EventFact]:
    """The events with every ``correct`` applied (later corrections win), corrections themselves dropped."""
    ordered = sorted(events, key=lambda e: e.seq)
    new_times: dict[int, datetime] = {}
    for event in ordered:
        if event.type is OrderEventType.CORRECT:
            target = int(event.payload["seq"])
            value = event.payload["at"]
            new_times[target] = datetime.fromisoformat(value) if isinstance(value, str) else value
    return [
        replace(e, at=new_times.get(e.seq, e.at)) for e in ordered if e.type is not OrderEventType.CORRECT
    ]


def replay(order_type: OrderType, events: Iterable[EventFact], *, now: datetime | None = None) -> OrderFacts:
    """Rebuild an order's facts from its whole log (the first event must be ``create``)."""
    log = corrected(events)
    if not log or log[0].type is not OrderEventType.CREATE:
        raise InvalidOrderTime("events", "an order's history starts with its create event")
    first = log[0]
    reported = first.payload.get("reported_at")
    facts = new_order(
        order_type,
        first.at,
        reported_at=datetime.fromisoformat(reported) if isinstance(reported, str) else reported,
    )
    for event in log[1:]:
        facts = apply_event(facts, event.type, event.at, payload=event.payload, reason=event.reason, now=now)
    return facts


@dataclass(frozen=True)
class ClockSpan:
    kind: ClockKind
    start: datetime
    stop: datetime | None


def clock_spans(facts: OrderFacts) -> list[ClockSpan]:
    """The clocks an order has right now (a clock exists once its start event happened).

    Completion: install (move legs too) from creation, repair from the fault report. On-site: installs,
    from the first arrival. Contact: every worked order, from the first dispatch. A cancelled order's
    clocks stop at the cancellation so they do not run forever (metrics exclude cancelled orders anyway).
    """
    if facts.type is OrderType.MOVE:
        return []
    spans: list[ClockSpan] = []
    stop = facts.stopped_at
    if facts.type is OrderType.INSTALL:
        spans.append(ClockSpan(ClockKind.INSTALL_COMPLETION, facts.created_at, stop))
        if facts.arrived_at is not None:
            spans.append(ClockSpan(ClockKind.ONSITE, facts.arrived_at, stop))
    elif facts.type is OrderType.REPAIR:
        assert facts.reported_at is not None  # new_order() guarantees it for repairs
        spans.append(ClockSpan(ClockKind.REPAIR_COMPLETION, facts.reported_at, stop))
    if facts.dispatched_at is not None:
        contact_stop = facts.first_contact_at
        if contact_stop is None and facts.status is OrderStatus.CANCELLED:
            contact_stop = facts.cancelled_at
        spans.append(ClockSpan(ClockKind.CONTACT, facts.dispatched_at, contact_stop))
    return spans
