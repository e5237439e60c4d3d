"""Work-order storage: live event application equals a rebuild from the event log; clock snapshots."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from ponaccept.db.models import (
    Account,
    District,
    OrderCalendar,
    OrderEvent,
    OrderPause,
    OrderSlaPolicy,
    SlaClock,
    WorkOrder,
)
from ponaccept.db.repositories.orders import (
    append_event,
    insert_order,
    order_pauses,
    policy_at,
    recompute_open_orders,
    recompute_order,
)
from ponaccept.domain.errors import IllegalTransition
from ponaccept.domain.order_facts import InvalidOrderTime
from ponaccept.domain.orders import OrderEventType as E
from ponaccept.domain.orders import OrderStatus as S
from ponaccept.domain.orders import OrderType as T
from ponaccept.domain.sla import Calendar, ClockKind, FaultCause

T0 = datetime(2026, 11, 2, 11, 0, tzinfo=UTC)  # 19:00 Asia/Shanghai
SERIAL = itertools.count(1)


def _district(session: Session, name: str = "city") -> District:
    district = session.exec(select(District).where(District.name == name)).first()
    if district is None:
        district = District(name=name, mobile_team_threshold=40, emergency_team_threshold=60)
        session.add(district)
        session.flush()
    return district


def _order(session: Session, order_type: T = T.INSTALL, *, no: str, created: datetime = T0) -> WorkOrder:
    district = _district(session)
    assert district.id is not None
    account = Account(account_no=f"A-{no}", district_id=district.id, address="1 Road")
    session.add(account)
    session.flush()
    assert account.id is not None
    order = WorkOrder(
        no=no,
        type=order_type,
        account_id=account.id,
        district_id=district.id,
        address="1 Road",
        created_at=created,
        reported_at=created if order_type is T.REPAIR else None,
    )
    insert_order(session, order, now=created)
    return order


def _snapshot(session: Session, order: WorkOrder) -> dict[str, Any]:
    assert order.id is not None
    session.refresh(order)
    columns = {
        name: getattr(order, name)
        for name in (
            "status",
            "status_before_deferral",
            "dispatched_at",
            "first_contact_at",
            "arrived_at",
            "first_completed_at",
            "completed_at",
            "closed_at",
            "cancelled_at",
            "reopen_count",
            "penalty_days",
            "penalty_amount",
        )
    }
    pauses = [(p.start_at, p.end_at, p.reason) for p in order_pauses(session, order.id)]
    clocks = sorted(
        (
            c.kind.value,
            c.start_at,
            c.stop_at,
            c.due_at,
            c.elapsed_business_s,
            c.breached,
            c.overdue_s,
            c.paused,
        )
        for c in session.exec(select(SlaClock).where(SlaClock.order_id == order.id)).all()
    )
    return {"columns": columns, "pauses": pauses, "clocks": clocks}


def test_worked_example_install_created_1900_due_day6_1900(session: Session) -> None:
    order = _order(session, no="W-1")
    clock = session.exec(select(SlaClock).where(SlaClock.order_id == order.id)).one()
    assert clock.kind is ClockKind.INSTALL_COMPLETION
    assert clock.due_at == T0 + timedelta(days=6)  # 72 counted hours at 12 h a day
    assert clock.policy_key == "seed.install_completion" and clock.policy_version == 1
    assert clock.running and not clock.breached


def test_contact_clock_dispatched_1950_due_0820(session: Session) -> None:
    order = _order(session, no="W-2")
    dispatched = T0 + timedelta(minutes=50)  # 19:50 local
    append_event(session, order, E.DISPATCH, dispatched, now=dispatched)
    contact = session.exec(
        select(SlaClock).where(SlaClock.order_id == order.id, SlaClock.kind == ClockKind.CONTACT)
    ).one()
    assert contact.due_at == datetime(2026, 11, 3, 0, 20, tzinfo=UTC)  # 08:20 local
    append_event(
        session, order, E.REASSIGN, dispatched + timedelta(hours=1), now=dispatched + timedelta(hours=1)
    )
    session.refresh(contact)
    assert contact.start_at == dispatched  # reassignment does not restart the contact clock


def test_repair_penalty_and_exemption(session: Session) -> None:
    reported = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)  # 21:00 local; due next day 16:00 local
    order = _order(session, T.REPAIR, no="W-3", created=reported)
    steps = [(E.DISPATCH, 1), (E.CONTACT, 2), (E.ARRIVE, 3)]
    for event, hours in steps:
        append_event(
            session, order, event, reported + timedelta(hours=hours), now=reported + timedelta(hours=hours)
        )
    done = datetime(2026, 11, 5, 9, 0, tzinfo=UTC)  # due 11-03 08:00 UTC → 49 natural hours late
    append_event(session, order, E.COMPLETE, done, now=done)
    assert (order.penalty_days, order.penalty_amount, order.penalty_exempt) == (2, 40, False)
    order.fault_cause = FaultCause.OLT
    recompute_order(session, order, done)
    assert (order.penalty_days, order.penalty_amount, order.penalty_exempt) == (2, 0, True)


def test_deferral_pauses_clock_and_pause_rows_follow(session: Session) -> None:
    order = _order(session, no="W-4")
    assert order.id is not None
    defer_at = T0 + timedelta(hours=14)  # next day 09:00 local
    append_event(
        session,
        order,
        E.DEFER,
        defer_at,
        now=defer_at,
        reason="customer away",
        payload={"resume_date": "2026-11-05"},
    )
    pause = session.exec(select(OrderPause).where(OrderPause.order_id == order.id)).one()
    assert pause.end_at is None and pause.resume_date is not None and pause.reason == "customer away"
    clock = session.exec(select(SlaClock).where(SlaClock.order_id == order.id)).one()
    later = defer_at + timedelta(hours=5)
    recompute_open_orders(session, later)
    session.refresh(clock)
    assert clock.paused and clock.elapsed_business_s == 7200  # 19:00–20:00 and 08:00–09:00, then paused
    append_event(session, order, E.RESUME, later, now=later)
    session.refresh(pause)
    assert pause.end_at == later and order.status is S.CREATED


def test_sweep_in_batches_equals_a_rebuild_and_skips_stopped_clocks(session: Session) -> None:
    opened = [_order(session, no=f"SW-{k}") for k in range(5)]
    done = _order(session, T.REPAIR, no="SW-done")
    for event, minutes in ((E.DISPATCH, 10), (E.CONTACT, 20), (E.ARRIVE, 30), (E.COMPLETE, 40)):
        append_event(
            session, done, event, T0 + timedelta(minutes=minutes), now=T0 + timedelta(minutes=minutes)
        )
    append_event(
        session,
        opened[2],
        E.DEFER,
        T0 + timedelta(minutes=30),
        now=T0 + timedelta(minutes=30),
        reason="away",
        payload={"resume_date": "2026-11-09"},
    )
    session.commit()
    later = T0 + timedelta(days=2, hours=3)  # 11-04 22:00 local, after that day's window
    stopped_before = _snapshot(session, done)

    assert recompute_open_orders(session, later, batch_size=2, commit=True) == 5
    swept = {o.no: _snapshot(session, o) for o in opened}
    assert _snapshot(session, done) == stopped_before  # a stopped clock is not touched
    running = session.exec(select(SlaClock).where(SlaClock.order_id == opened[0].id)).one()
    assert running.elapsed_business_s == (1 + 12 + 12) * 3600 and running.evaluated_at == later
    paused = session.exec(select(SlaClock).where(SlaClock.order_id == opened[2].id)).one()
    assert paused.paused and paused.elapsed_business_s == 30 * 60
    for order in opened:
        recompute_order(session, order, later)
        assert _snapshot(session, order) == swept[order.no], order.no


def test_one_unevaluable_order_does_not_stop_the_sweep(session: Session) -> None:
    orders = [_order(session, no=f"BAD-{k}") for k in range(3)]
    broken = orders[1]
    for event, minutes in ((E.DISPATCH, 10), (E.CONTACT, 20), (E.ARRIVE, 30)):
        at = T0 + timedelta(minutes=minutes)
        append_event(session, broken, event, at, now=at)
    assert broken.arrived_at is not None
    broken.completed_at = broken.arrived_at - timedelta(hours=1)  # corrupt: completed before arrival
    session.add(broken)
    session.commit()
    later = T0 + timedelta(days=1)
    assert recompute_open_orders(session, later, batch_size=10, commit=True) == 2
    for order in (orders[0], orders[2]):
        clock = session.exec(select(SlaClock).where(SlaClock.order_id == order.id)).one()
        assert clock.evaluated_at == later  # refreshed despite the broken neighbour in its batch


def test_policy_snapshot_survives_a_new_version(session: Session) -> None:
    order = _order(session, no="W-5")
    dispatched = T0 + timedelta(hours=13)
    append_event(session, order, E.DISPATCH, dispatched, now=dispatched)
    old = policy_at(session, ClockKind.CONTACT, dispatched)
    old.effective_to = dispatched
    session.add(old)
    session.add(
        OrderSlaPolicy(
            key="set2.contact", version=1, kind=ClockKind.CONTACT, target_s=7200, effective_from=dispatched
        )
    )
    session.flush()
    recompute_order(session, order, dispatched + timedelta(hours=1))
    contact = session.exec(
        select(SlaClock).where(SlaClock.order_id == order.id, SlaClock.kind == ClockKind.CONTACT)
    ).one()
    assert (contact.policy_key, contact.target_s) == ("seed.contact", 1800)
    assert policy_at(session, ClockKind.CONTACT, dispatched + timedelta(hours=1)).target_s == 7200


def test_district_calendar_is_used_and_snapshotted(session: Session) -> None:
    calendar = Calendar.daily(tz="Asia/Shanghai")
    row = OrderCalendar(name="round-the-clock", version=3, definition=calendar.model_dump(mode="json"))
    row.definition["weekly"] = [[["00:00", "00:00"]]] * 7  # end <= start: runs 24 h
    session.add(row)
    session.flush()
    district = District(
        name="county", calendar_id=row.id, mobile_team_threshold=20, emergency_team_threshold=30
    )
    session.add(district)
    session.flush()
    order = _order(session, no="W-6")
    order.district_id = district.id  # type: ignore[assignment]
    recompute_order(session, order, T0)
    clock = session.exec(select(SlaClock).where(SlaClock.order_id == order.id)).one()
    assert clock.due_at == T0 + timedelta(hours=72)
    assert (clock.calendar_name, clock.calendar_version) == ("round-the-clock", 3)


def test_correction_rewrites_history_consistently(session: Session) -> None:
    order = _order(session, no="W-7")
    for event, hours in [(E.DISPATCH, 13), (E.CONTACT, 14), (E.ARRIVE, 15), (E.COMPLETE, 18)]:
        append_event(session, order, event, T0 + timedelta(hours=hours), now=T0 + timedelta(hours=hours))
    now = T0 + timedelta(hours=20)
    append_event(
        session,
        order,
        E.CORRECT,
        now,
        now=now,
        payload={"seq": 5, "at": (T0 + timedelta(hours=16)).isoformat()},
    )
    assert order.completed_at == T0 + timedelta(hours=16)
    with pytest.raises(InvalidOrderTime):  # completion before arrival: refused, nothing stored
        append_event(session, order, E.CORRECT, now, now=now, payload={"seq": 5, "at": T0.isoformat()})
    events = session.exec(select(OrderEvent).where(OrderEvent.order_id == order.id)).all()
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]


EVENTS = [
    E.DISPATCH,
    E.REASSIGN,
    E.CONTACT,
    E.NO_SHOW,
    E.ARRIVE,
    E.COMPLETE,
    E.CLOSE,
    E.DEFER,
    E.RESUME,
    E.RETURN_ORDER,
    E.REDISPATCH,
    E.ABNORMAL,
    E.FIX,
    E.REOPEN,
    E.CANCEL,
    E.URGE,
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    order_type=st.sampled_from([T.INSTALL, T.REPAIR, T.REMOVAL]),
    steps=st.lists(st.tuples(st.sampled_from(EVENTS), st.integers(0, 20 * 60)), min_size=1, max_size=14),
)
def test_live_updates_equal_rebuild_from_events(
    session: Session, order_type: T, steps: list[tuple[E, int]]
) -> None:
    order = _order(session, order_type, no=f"H-{next(SERIAL)}")
    now = T0
    for event, minutes in steps:
        now += timedelta(minutes=minutes)
        try:
            append_event(session, order, event, now, now=now, reason="r")
        except IllegalTransition:
            continue
    recompute_open_orders(session, now)  # running clocks read at the same instant, from the row (live path)
    live = _snapshot(session, order)
    recompute_order(session, order, now)
    assert _snapshot(session, order) == live
