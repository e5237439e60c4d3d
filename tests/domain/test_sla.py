"""SLA engine: the worked examples and edge cases of reference/work-orders.md, exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ponaccept.domain.sla import (
    Calendar,
    ClockKind,
    FaultCause,
    InvalidCalendar,
    InvalidClockInput,
    OverdueMeasure,
    Pause,
    PenaltyRounding,
    PenaltySettings,
    arrival_check,
    default_calendar,
    due_at,
    elapsed,
    evaluate_clock,
    repair_penalty,
    seed_policies,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
CAL = default_calendar()
H = timedelta(hours=1)
M = timedelta(minutes=1)


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time in November 2026 (the 2nd is a Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=SH)


# --- worked examples -----------------------------------------------------------------------------------


def test_default_calendar_is_08_to_20_every_day_in_shanghai() -> None:
    assert CAL.tz == "Asia/Shanghai"
    assert CAL.weekly == (((time(8), time(20)),),) * 7
    assert elapsed(CAL, sh(7, 0), sh(8, 0)) == 12 * H  # Saturday counts like any other day


def test_evening_to_next_morning_counts_one_and_a_half_hours() -> None:
    assert elapsed(CAL, sh(2, 19, 30), sh(3, 9)) == timedelta(hours=1, minutes=30)


def test_install_created_at_19_is_due_day_plus_6_at_19() -> None:
    assert due_at(CAL, sh(2, 19), 72 * H) == sh(8, 19)


def test_repair_reported_at_21_is_due_next_day_16() -> None:
    assert due_at(CAL, sh(2, 21), 8 * H) == sh(3, 16)


def test_repair_with_four_hour_customer_pause_is_due_at_20() -> None:
    pause = Pause(start=sh(3, 10), end=sh(3, 14), reason="customer_not_home")
    assert due_at(CAL, sh(2, 21), 8 * H, [pause]) == sh(3, 20)


def test_contact_dispatched_at_1950_is_due_0820() -> None:
    assert due_at(CAL, sh(2, 19, 50), 30 * M) == sh(3, 8, 20)


@pytest.mark.parametrize(
    ("night", "expected"),
    [
        (date(2026, 3, 28), 11 * H),  # spring forward: 02:00 CET → 03:00 CEST
        (date(2026, 10, 24), 13 * H),  # fall back: 03:00 CEST → 02:00 CET
        (date(2026, 6, 13), 12 * H),
    ],
)
def test_berlin_overnight_window_counts_real_hours(night: date, expected: timedelta) -> None:
    cal = Calendar.daily(time(20), time(8), tz="Europe/Berlin")
    noon = datetime.combine(night, time(12), tzinfo=BERLIN)
    assert elapsed(cal, noon, noon + 24 * H) == expected
    assert cal.utc_windows(night)[0][1] - cal.utc_windows(night)[0][0] == expected


def test_dst_zone_with_day_window_is_not_hard_coded() -> None:
    cal = Calendar.daily(time(0), time(0), tz="America/New_York")  # 24-hour windows
    start = datetime(2026, 3, 8, 0, tzinfo=ZoneInfo("America/New_York"))
    assert elapsed(cal, start, start.replace(day=9)) == 23 * H


# --- budget running out at the end of a window -----------------------------------------------------------


def test_budget_used_up_at_20_is_due_at_20_and_completion_at_2030_is_on_time() -> None:
    policy = seed_policies()[ClockKind.REPAIR_COMPLETION]
    assert due_at(CAL, sh(2, 12), 8 * H) == sh(2, 20)
    late_evening = evaluate_clock(policy, CAL, start=sh(2, 12), stop=sh(2, 20, 30), pauses=[], now=sh(2, 21))
    assert late_evening.elapsed == 8 * H
    assert late_evening.due_at == sh(2, 20)
    assert not late_evening.breached
    assert late_evening.overdue == timedelta(0)
    next_morning = evaluate_clock(policy, CAL, start=sh(2, 12), stop=sh(3, 8, 1), pauses=[], now=sh(3, 9))
    assert next_morning.breached
    assert next_morning.overdue == M


# --- edge cases ------------------------------------------------------------------------------------------


def test_start_inside_excluded_window_counts_from_0800() -> None:
    assert elapsed(CAL, sh(2, 22), sh(3, 9)) == H
    assert due_at(CAL, sh(2, 22), 30 * M) == sh(3, 8, 30)


def test_pause_wholly_inside_excluded_window_changes_nothing() -> None:
    night = [Pause(start=sh(2, 21), end=sh(3, 7))]
    assert elapsed(CAL, sh(2, 9), sh(3, 12), night) == elapsed(CAL, sh(2, 9), sh(3, 12))
    assert due_at(CAL, sh(2, 9), 16 * H, night) == due_at(CAL, sh(2, 9), 16 * H) == sh(3, 13)


def test_pause_started_in_excluded_window_removes_only_counted_part() -> None:
    assert elapsed(CAL, sh(2, 9), sh(3, 12), [(sh(2, 22), sh(3, 10))]) == 11 * H + 2 * H


def test_resume_inside_excluded_window_removes_only_counted_part() -> None:
    assert elapsed(CAL, sh(2, 9), sh(3, 12), [(sh(2, 18), sh(2, 22))]) == 9 * H + 4 * H


def test_overlapping_pauses_are_merged_not_double_counted() -> None:
    pauses = [(sh(2, 9), sh(2, 12)), (sh(2, 11), sh(2, 14)), (sh(2, 13), sh(2, 13, 30))]
    assert elapsed(CAL, sh(2, 8), sh(2, 20), pauses) == 12 * H - 5 * H


def test_pause_opened_before_creation_is_clipped_to_creation() -> None:
    assert elapsed(CAL, sh(2, 9), sh(2, 12), [(sh(2, 6), sh(2, 10))]) == 2 * H
    assert elapsed(CAL, sh(2, 9), sh(2, 12), [(sh(1, 6), sh(2, 9))]) == 3 * H
    assert due_at(CAL, sh(2, 9), H, [(sh(2, 6), sh(2, 10))]) == sh(2, 11)


def test_never_closed_pause_ends_at_now() -> None:
    open_pause = [Pause(start=sh(2, 10))]
    assert elapsed(CAL, sh(2, 9), sh(2, 15), open_pause, now=sh(2, 12)) == H + 3 * H
    assert elapsed(CAL, sh(2, 9), sh(2, 15), open_pause) == H  # read while still paused
    assert due_at(CAL, sh(2, 9), 2 * H, open_pause, now=sh(2, 12)) == sh(2, 13)
    with pytest.raises(InvalidClockInput, match="open pause"):
        due_at(CAL, sh(2, 9), 2 * H, open_pause)


def test_closed_exception_day_is_skipped() -> None:
    cal = Calendar.daily(exceptions={date(2026, 11, 3): ()})
    assert due_at(cal, sh(2, 19), 2 * H) == sh(4, 9)
    assert elapsed(cal, sh(2, 8), sh(4, 8)) == 12 * H


def test_make_up_workday_counts_on_a_closed_weekend() -> None:
    weekdays_only = ((time(8), time(20)),)
    weekly = (weekdays_only,) * 5 + ((), ())
    plain = Calendar(weekly=weekly)
    make_up = Calendar(weekly=weekly, exceptions={date(2026, 11, 7): ((time(9), time(17)),)}, version=2)
    friday_evening = sh(6, 19)
    assert due_at(plain, friday_evening, 2 * H) == sh(9, 9)
    assert due_at(make_up, friday_evening, 2 * H) == sh(7, 10)
    assert elapsed(make_up, sh(6, 20), sh(8, 20)) == 8 * H


def test_overnight_window_belongs_to_its_start_date() -> None:
    cal = Calendar(weekly=(((time(20), time(8)),),) * 7, exceptions={date(2026, 11, 3): ()})
    # Monday night's window still runs into the closed Tuesday; Tuesday night's window is gone.
    assert elapsed(cal, sh(3, 0), sh(4, 0)) == 8 * H
    assert elapsed(cal, sh(2, 12), sh(4, 12)) == 12 * H


def test_overlapping_windows_of_one_day_count_once() -> None:
    cal = Calendar(weekly=(((time(8), time(12)), (time(10), time(14))),) * 7)
    assert elapsed(cal, sh(2, 0), sh(3, 0)) == 6 * H


def test_always_open_calendar_does_not_loop_and_counts_wall_clock() -> None:
    cal = Calendar.daily(time(0), time(0))
    assert due_at(cal, sh(2, 19), 72 * H) == sh(5, 19)
    assert elapsed(cal, sh(2, 19), sh(5, 19)) == 72 * H


def test_nonexistent_and_ambiguous_window_boundaries() -> None:
    cal = Calendar.daily(time(2, 30), time(3, 30), tz="Europe/Berlin")
    spring = cal.utc_windows(date(2026, 3, 29))
    # 02:30 does not exist: the window opens when the clock jumps (01:00 UTC) and closes at 03:30 CEST.
    assert spring == [(datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 3, 29, 1, 30, tzinfo=UTC))]
    autumn = cal.utc_windows(date(2026, 10, 25))
    # 02:30 occurs twice: the window opens at the first 02:30 (CEST) and 03:30 is unambiguous (CET).
    assert autumn == [(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 2, 30, tzinfo=UTC))]
    gap_only = Calendar.daily(time(2, 10), time(2, 50), tz="Europe/Berlin")
    assert gap_only.utc_windows(date(2026, 3, 29)) == []


# --- input validation ------------------------------------------------------------------------------------


def test_naive_times_and_reversed_ranges_are_rejected() -> None:
    with pytest.raises(InvalidClockInput, match="timezone-aware"):
        elapsed(CAL, datetime(2026, 11, 2, 9), sh(2, 10))
    with pytest.raises(InvalidClockInput, match="before start"):
        elapsed(CAL, sh(2, 10), sh(2, 9))
    with pytest.raises(ValueError, match="before it starts"):  # pydantic wraps it: HTTP 422 in the API
        Pause(start=sh(2, 10), end=sh(2, 9))
    with pytest.raises(InvalidClockInput, match="negative"):
        due_at(CAL, sh(2, 10), -H)
    assert due_at(CAL, sh(2, 22), timedelta(0)) == sh(2, 22)


def test_bad_calendars_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown IANA"):
        Calendar.daily(tz="Mars/Olympus")
    with pytest.raises(ValueError, match="at least one"):
        Calendar(weekly=((),) * 7)
    with pytest.raises(ValueError, match="7 entries"):
        Calendar(weekly=(((time(8), time(20)),),) * 5)
    with pytest.raises(ValueError, match="naive"):
        Calendar.daily(time(8, tzinfo=SH), time(20))
    assert issubclass(InvalidCalendar, ValueError)


# --- policies and clocks ---------------------------------------------------------------------------------


def test_seed_policies_and_the_two_hour_contact_rule_set() -> None:
    seed = seed_policies()
    assert {k: p.target for k, p in seed.items()} == {
        ClockKind.INSTALL_COMPLETION: 72 * H,
        ClockKind.ONSITE: 4 * H,
        ClockKind.REPAIR_COMPLETION: 8 * H,
        ClockKind.CONTACT: 30 * M,
    }
    other = seed_policies(contact=2 * H, version=2)
    assert other[ClockKind.CONTACT].target == 2 * H
    assert other[ClockKind.CONTACT].version == 2
    with pytest.raises(ValueError):
        seed_policies(contact=timedelta(0))


def test_clock_result_snapshots_policy_and_calendar_versions() -> None:
    cal = Calendar.daily(id="district-7", version=3)
    policy = seed_policies(version=5)[ClockKind.REPAIR_COMPLETION]
    pause = Pause(start=sh(3, 10), end=sh(3, 14))
    result = evaluate_clock(policy, cal, start=sh(2, 21), stop=sh(3, 19), pauses=[pause], now=sh(3, 22))
    assert (result.policy_id, result.policy_version) == ("seed.repair_completion", 5)
    assert (result.calendar_id, result.calendar_version) == ("district-7", 3)
    assert result.due_at == sh(3, 20)
    assert result.elapsed == 7 * H
    assert result.elapsed_business_s == 7 * 3600
    assert not result.breached
    assert not result.running
    assert not result.paused


def test_running_clock_reads_at_now_and_reports_an_open_pause() -> None:
    policy = seed_policies()[ClockKind.CONTACT]
    result = evaluate_clock(
        policy, CAL, start=sh(2, 9), stop=None, pauses=[Pause(start=sh(2, 9, 10))], now=sh(2, 9, 40)
    )
    assert result.running
    assert result.paused
    assert result.elapsed == 10 * M
    assert result.due_at == sh(2, 10, 0)  # projection: 20 minutes left if the customer resumed now
    assert not result.breached


def test_running_clock_past_due_is_breached_with_overdue() -> None:
    policy = seed_policies()[ClockKind.CONTACT]
    result = evaluate_clock(policy, CAL, start=sh(2, 19, 50), stop=None, pauses=[], now=sh(3, 9))
    assert result.breached
    assert result.overdue == 40 * M  # 10 min on the evening + 60 min in the morning − 30 min target
    assert result.overdue_s == 2400
    assert result.overdue_natural == 40 * M


def test_pause_recorded_after_completion_does_not_move_a_stopped_clock() -> None:
    policy = seed_policies()[ClockKind.REPAIR_COMPLETION]
    late_pause = [(sh(2, 12), sh(2, 19))]
    result = evaluate_clock(policy, CAL, start=sh(2, 9), stop=sh(2, 11), pauses=late_pause, now=sh(2, 21))
    assert result.elapsed == 2 * H
    assert result.due_at == sh(2, 17)


def test_clock_rejects_events_that_have_not_happened() -> None:
    policy = seed_policies()[ClockKind.ONSITE]
    with pytest.raises(InvalidClockInput, match="after now"):
        evaluate_clock(policy, CAL, start=sh(2, 9), stop=sh(2, 12), pauses=[], now=sh(2, 11))
    with pytest.raises(InvalidClockInput, match="before the clock started"):
        evaluate_clock(policy, CAL, start=sh(2, 9), stop=None, pauses=[], now=sh(2, 8))
    with pytest.raises(InvalidClockInput, match="before start"):
        evaluate_clock(policy, CAL, start=sh(2, 9), stop=sh(2, 8), pauses=[], now=sh(2, 11))


# --- penalties -------------------------------------------------------------------------------------------

REPAIR = seed_policies()[ClockKind.REPAIR_COMPLETION]


def _repair(stop: datetime, pauses: list[Pause] | None = None) -> object:
    return evaluate_clock(REPAIR, CAL, start=sh(2, 9), stop=stop, pauses=pauses or [], now=sh(20, 0))


@pytest.mark.parametrize(
    ("stop", "days"),
    [
        (sh(2, 17), 0),  # on time (due 17:00 the same day)
        (sh(3, 16, 59), 0),  # 23 h 59 m natural overdue
        (sh(3, 17), 1),  # exactly 24 h
        (sh(4, 16, 59), 1),  # 47 h 59 m: a partial second day is not charged
        (sh(4, 17), 2),
    ],
)
def test_penalty_counts_whole_natural_days_overdue(stop: datetime, days: int) -> None:
    clock = evaluate_clock(REPAIR, CAL, start=sh(2, 9), stop=stop, pauses=[], now=sh(20, 0))
    penalty = repair_penalty(clock)
    assert penalty.days == days
    assert penalty.amount == 20 * days
    assert not penalty.exempt


@pytest.mark.parametrize(
    ("stop", "whole", "started"),
    [
        (sh(3, 16, 59), 0, 0),  # under one day: nothing either way (seed: from 24 h on, 含24小时)
        (sh(3, 17), 1, 1),
        (sh(3, 17, 1), 1, 2),  # a begun second day counts only in the started-days reading
        (sh(4, 17), 2, 2),
    ],
)
def test_penalty_rounding_is_a_setting(stop: datetime, whole: int, started: int) -> None:
    clock = evaluate_clock(REPAIR, CAL, start=sh(2, 9), stop=stop, pauses=[], now=sh(20, 0))
    assert repair_penalty(clock).days == whole
    started_days = PenaltySettings(rounding=PenaltyRounding.STARTED_DAYS)
    assert repair_penalty(clock, settings=started_days).days == started


def test_customer_pause_after_due_is_not_penalised_overdue() -> None:
    clock = evaluate_clock(
        REPAIR,
        CAL,
        start=sh(2, 9),
        stop=sh(3, 17),
        pauses=[Pause(start=sh(3, 9), end=sh(3, 12))],
        now=sh(4, 0),
    )
    assert clock.due_at == sh(2, 17)
    assert clock.overdue_natural == 21 * H
    assert repair_penalty(clock).days == 0


def test_business_measure_and_base_are_settings() -> None:
    clock = evaluate_clock(REPAIR, CAL, start=sh(2, 9), stop=sh(3, 17), pauses=[], now=sh(4, 0))
    assert clock.overdue == 12 * H  # 11 h on day 1 + 9 h on day 2 − 8 h target
    business_24 = PenaltySettings(measure=OverdueMeasure.BUSINESS)
    assert repair_penalty(clock, settings=business_24).days == 0
    business_12 = PenaltySettings(measure=OverdueMeasure.BUSINESS, day=12 * H, base=50)
    assert repair_penalty(clock, settings=business_12).amount == 50


@pytest.mark.parametrize("cause", [FaultCause.OLT, FaultCause.TRUNK_FIBRE])
def test_olt_and_trunk_fibre_faults_are_exempt(cause: FaultCause) -> None:
    clock = evaluate_clock(REPAIR, CAL, start=sh(2, 9), stop=sh(5, 17), pauses=[], now=sh(6, 0))
    penalty = repair_penalty(clock, fault_cause=cause)
    assert penalty.exempt
    assert penalty.days == 3
    assert penalty.amount == 0
    assert repair_penalty(clock, fault_cause=FaultCause.LINE).amount == 60


def test_penalty_only_applies_to_repair_clocks() -> None:
    install = seed_policies()[ClockKind.INSTALL_COMPLETION]
    clock = evaluate_clock(install, CAL, start=sh(2, 9), stop=sh(12, 9), pauses=[], now=sh(13, 0))
    with pytest.raises(InvalidClockInput, match="repair"):
        repair_penalty(clock)


# --- arrival punctuality ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrived", "on_time"),
    [
        (sh(2, 9, 50), True),
        (sh(2, 10, 10), True),
        (sh(2, 9, 49), False),
        (sh(2, 10, 11), False),
        (datetime(2026, 11, 2, 2, 5, tzinfo=UTC), True),  # 10:05 Shanghai, given in UTC
    ],
)
def test_arrival_within_ten_minutes_of_slot_start(arrived: datetime, on_time: bool) -> None:
    check = arrival_check(arrived, sh(2, 10))
    assert check.on_time is on_time
    assert check.deviation == arrived - sh(2, 10)


def test_arrival_uses_wall_clock_outside_counted_hours() -> None:
    assert arrival_check(sh(2, 7, 55), sh(2, 8)).deviation == -5 * M
    assert not arrival_check(sh(2, 8, 5), sh(2, 8), tolerance=4 * M).on_time
