"""Work-order state machine and the fold of events into facts and clock intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ponaccept.domain.errors import IllegalTransition
from ponaccept.domain.order_facts import (
    EventFact,
    InvalidOrderTime,
    apply_event,
    clock_spans,
    new_order,
    replay,
)
from ponaccept.domain.orders import (
    FINAL_STATUSES,
    allowed_events,
    next_status,
)
from ponaccept.domain.orders import (
    OrderEventType as E,
)
from ponaccept.domain.orders import (
    OrderStatus as S,
)
from ponaccept.domain.orders import (
    OrderType as T,
)
from ponaccept.domain.sla import ClockKind, default_calendar, evaluate_clock, seed_policies

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # 09:00 Asia/Shanghai


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


HAPPY = [E.DISPATCH, E.CONTACT, E.ARRIVE, E.COMPLETE, E.CLOSE]


def test_happy_path_install() -> None:
    state = S.CREATED
    seen = []
    for event in HAPPY:
        state = next_status(state, event, order_type=T.INSTALL)
        seen.append(state)
    assert seen == [S.DISPATCHED, S.APPOINTED, S.ON_SITE, S.COMPLETED, S.CLOSED]


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (S.CREATED, E.ARRIVE),
        (S.CREATED, E.COMPLETE),
        (S.DISPATCHED, E.COMPLETE),
        (S.APPOINTED, E.COMPLETE),
        (S.CLOSED, E.CANCEL),
        (S.CANCELLED, E.DISPATCH),
        (S.COMPLETED, E.CANCEL),
        (S.DEFERRED, E.ARRIVE),
        (S.RETURNED, E.ARRIVE),
        (S.EXCEPTION, E.COMPLETE),
    ],
)
def test_illegal_transitions_name_current_state(state: S, event: E) -> None:
    with pytest.raises(IllegalTransition) as info:
        next_status(state, event, order_type=T.INSTALL, before_deferral=S.DISPATCHED)
    assert info.value.current_state == state.value
    assert info.value.event == event.value


def test_cancel_from_every_open_state_but_not_final() -> None:
    for state in S:
        if state in FINAL_STATUSES or state is S.COMPLETED:
            assert E.CANCEL not in allowed_events(state, order_type=T.REPAIR)
        else:
            assert next_status(state, E.CANCEL, order_type=T.REPAIR) is S.CANCELLED


def test_deferral_resumes_to_previous_state() -> None:
    for previous in (S.CREATED, S.DISPATCHED, S.APPOINTED, S.ON_SITE, S.EXCEPTION):
        deferred = next_status(previous, E.DEFER, order_type=T.INSTALL)
        assert deferred is S.DEFERRED
        assert next_status(deferred, E.RESUME, order_type=T.INSTALL, before_deferral=previous) is previous


def test_return_redispatch_and_abnormal_fix() -> None:
    assert next_status(S.APPOINTED, E.RETURN_ORDER, order_type=T.INSTALL) is S.RETURNED
    assert next_status(S.RETURNED, E.REDISPATCH, order_type=T.INSTALL) is S.DISPATCHED
    assert next_status(S.ON_SITE, E.ABNORMAL, order_type=T.INSTALL) is S.EXCEPTION
    assert next_status(S.EXCEPTION, E.FIX, order_type=T.INSTALL) is S.ON_SITE
    assert next_status(S.APPOINTED, E.NO_SHOW, order_type=T.INSTALL) is S.APPOINTED
    assert next_status(S.APPOINTED, E.REASSIGN, order_type=T.INSTALL) is S.DISPATCHED


def test_reopen_only_for_repairs_and_move_parent_only_cancels() -> None:
    assert next_status(S.COMPLETED, E.REOPEN, order_type=T.REPAIR) is S.DISPATCHED
    with pytest.raises(IllegalTransition):
        next_status(S.COMPLETED, E.REOPEN, order_type=T.INSTALL)
    with pytest.raises(IllegalTransition):
        next_status(S.CREATED, E.DISPATCH, order_type=T.MOVE)
    assert next_status(S.CREATED, E.COMPLETE, order_type=T.MOVE) is S.COMPLETED
    assert next_status(S.CREATED, E.CANCEL, order_type=T.MOVE) is S.CANCELLED


def test_records_keep_status_but_not_on_cancelled() -> None:
    assert next_status(S.ON_SITE, E.URGE, order_type=T.INSTALL) is S.ON_SITE
    with pytest.raises(IllegalTransition):
        next_status(S.CANCELLED, E.URGE, order_type=T.INSTALL)


def test_labels_are_chinese() -> None:
    assert S.DEFERRED.label_zh == "缓装"
    assert T.RESUME.label_zh == "复机"
    assert E.RESUME.label_zh == "恢复"


def test_first_dispatch_is_kept_across_reassignment() -> None:
    facts = new_order(T.INSTALL, at(0))
    facts = apply_event(facts, E.DISPATCH, at(1))
    facts = apply_event(facts, E.REASSIGN, at(2))
    facts = apply_event(facts, E.CONTACT, at(3))
    assert facts.dispatched_at == at(1)
    assert facts.first_contact_at == at(3)


def test_times_before_creation_in_future_or_out_of_order_are_refused() -> None:
    facts = apply_event(new_order(T.INSTALL, at(0)), E.DISPATCH, at(2))
    with pytest.raises(InvalidOrderTime, match="before the order was created"):
        apply_event(facts, E.URGE, at(-1))
    with pytest.raises(InvalidOrderTime, match="future"):
        apply_event(facts, E.CONTACT, at(10), now=at(9))
    with pytest.raises(InvalidOrderTime, match="previous status change"):
        apply_event(facts, E.CONTACT, at(1))
    # a record may arrive late (before the last status change), just not before creation
    assert apply_event(facts, E.URGE, at(1)).status is S.DISPATCHED
    with pytest.raises(InvalidOrderTime) as info:
        new_order(T.REPAIR, at(0), reported_at=at(1))
    assert info.value.field == "reported_at"


def test_deferral_becomes_a_pause_closed_by_resume_or_cancel() -> None:
    facts = apply_event(new_order(T.INSTALL, at(0)), E.DEFER, at(1), payload={"resume_date": "2026-11-05"})
    assert facts.pauses[0].end is None and facts.status_before_deferral is S.CREATED
    resumed = apply_event(facts, E.RESUME, at(5))
    assert resumed.pauses[0].end == at(5) and resumed.status is S.CREATED
    cancelled = apply_event(facts, E.CANCEL, at(6))
    assert cancelled.pauses[0].end == at(6) and cancelled.cancelled_at == at(6)


def test_replay_equals_step_by_step_and_corrections_rewrite_times() -> None:
    steps = [(E.DISPATCH, 1.0), (E.CONTACT, 1.25), (E.ARRIVE, 3.0), (E.COMPLETE, 5.0)]
    facts = new_order(T.INSTALL, at(0))
    events = [EventFact(1, at(0), E.CREATE)]
    for seq, (event, hours) in enumerate(steps, start=2):
        facts = apply_event(facts, event, at(hours))
        events.append(EventFact(seq, at(hours), event))
    assert replay(T.INSTALL, events) == facts
    fix = EventFact(6, at(9), E.CORRECT, {"seq": 5, "at": at(4).isoformat()})
    assert replay(T.INSTALL, [*events, fix]).completed_at == at(4)


def test_clock_spans_per_type() -> None:
    install = replay(
        T.INSTALL,
        [
            EventFact(1, at(0), E.CREATE),
            EventFact(2, at(1), E.DISPATCH),
            EventFact(3, at(2), E.CONTACT),
            EventFact(4, at(3), E.ARRIVE),
        ],
    )
    kinds = {s.kind: s for s in clock_spans(install)}
    assert set(kinds) == {ClockKind.INSTALL_COMPLETION, ClockKind.ONSITE, ClockKind.CONTACT}
    assert kinds[ClockKind.CONTACT].stop == at(2)
    assert kinds[ClockKind.ONSITE].start == at(3) and kinds[ClockKind.ONSITE].stop is None
    repair = new_order(T.REPAIR, at(1), reported_at=at(0))
    assert [s.kind for s in clock_spans(repair)] == [ClockKind.REPAIR_COMPLETION]
    assert clock_spans(repair)[0].start == at(0)
    assert clock_spans(new_order(T.MOVE, at(0))) == []


def test_worked_example_repair_with_customer_pause() -> None:
    """Repair reported 21:00 + 8 h → next day 16:00, or 20:00 with a 4 h customer pause."""
    reported = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)  # 21:00 Asia/Shanghai
    facts = new_order(T.REPAIR, reported, reported_at=reported)
    policy = seed_policies()[ClockKind.REPAIR_COMPLETION]
    span = clock_spans(facts)[0]
    now = reported + timedelta(hours=24)
    clock = evaluate_clock(
        policy, default_calendar(), start=span.start, stop=span.stop, pauses=facts.pauses, now=now
    )
    assert clock.due_at == datetime(2026, 11, 3, 8, 0, tzinfo=UTC)  # 16:00 local
    paused = apply_event(facts, E.DEFER, datetime(2026, 11, 3, 1, 0, tzinfo=UTC))  # 09:00 local
    paused = apply_event(paused, E.RESUME, datetime(2026, 11, 3, 5, 0, tzinfo=UTC))  # 13:00 local
    clock = evaluate_clock(
        policy, default_calendar(), start=span.start, stop=None, pauses=paused.pauses, now=now
    )
    assert clock.due_at == datetime(2026, 11, 3, 12, 0, tzinfo=UTC)  # 20:00 local
