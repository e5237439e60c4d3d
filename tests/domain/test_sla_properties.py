"""Property tests of the SLA interval engine: elapsed/due consistency and pause handling.

Calendars are drawn at random (several windows a day, overnight windows, closed days, exceptions) in zones
with and without DST, and start times cluster around the 2026 European and US DST nights, where a
wall-clock-based engine would go wrong.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ponaccept.domain.sla import Calendar, default_calendar, due_at, elapsed
from ponaccept.domain.sla_calendar import Span, counted_windows

ZONES = ["Asia/Shanghai", "Europe/Berlin", "America/New_York"]
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
DST_NIGHTS = [
    datetime(2026, 3, 8, 7, tzinfo=UTC),  # New York spring forward
    datetime(2026, 3, 29, 1, tzinfo=UTC),  # Berlin spring forward
    datetime(2026, 10, 25, 1, tzinfo=UTC),  # Berlin fall back
    datetime(2026, 11, 1, 6, tzinfo=UTC),  # New York fall back
]
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

local_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))
windows = st.tuples(local_times, local_times)
day_windows = st.lists(windows, max_size=2).map(tuple)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    weekly = tuple(draw(day_windows) for _ in range(7))
    assume(any(weekly))
    exception_days = draw(st.lists(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=4, unique=True))
    exceptions = {d: draw(day_windows) for d in exception_days}
    return Calendar(tz=draw(st.sampled_from(ZONES)), weekly=weekly, exceptions=exceptions)


any_calendar = st.one_of(
    st.just(default_calendar()),
    st.just(Calendar.daily(time(20), time(8), tz="Europe/Berlin")),
    calendars(),
)

instants = st.one_of(
    st.integers(0, 364 * 86400).map(lambda s: YEAR_START + timedelta(seconds=s)),
    st.builds(
        lambda night, s: night + timedelta(seconds=s),
        st.sampled_from(DST_NIGHTS),
        st.integers(-2 * 86400, 86400),
    ),
)
budgets = st.integers(0, 120 * 3600).map(lambda s: timedelta(seconds=s))


@st.composite
def pause_lists(draw: st.DrawFn, around: datetime) -> list[tuple[datetime, datetime | None]]:
    """Pauses near ``around``: some before it (clipped), some overlapping, each up to two days long."""
    pauses: list[tuple[datetime, datetime | None]] = []
    for _ in range(draw(st.integers(0, 4))):
        begin = around + timedelta(seconds=draw(st.integers(-86400, 5 * 86400)))
        pauses.append((begin, begin + timedelta(seconds=draw(st.integers(0, 2 * 86400)))))
    return pauses


@PROPERTY_SETTINGS
@given(cal=any_calendar, start=instants, budget=budgets, data=st.data())
def test_elapsed_until_due_is_the_budget(
    cal: Calendar, start: datetime, budget: timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(start))
    due = due_at(cal, start, budget, pauses)
    assert due >= start
    assert elapsed(cal, start, due, pauses) == budget
    # due_at is the *earliest* such instant: one microsecond earlier the budget is not yet used up.
    if budget > timedelta(0):
        assert elapsed(cal, start, due - timedelta(microseconds=1), pauses) < budget


@PROPERTY_SETTINGS
@given(cal=any_calendar, start=instants, data=st.data())
def test_elapsed_is_additive_over_a_split_point(cal: Calendar, start: datetime, data: st.DataObject) -> None:
    middle = start + timedelta(seconds=data.draw(st.integers(0, 4 * 86400)))
    end = middle + timedelta(seconds=data.draw(st.integers(0, 4 * 86400)))
    pauses = data.draw(pause_lists(start))
    whole = elapsed(cal, start, end, pauses)
    assert whole == elapsed(cal, start, middle, pauses) + elapsed(cal, middle, end, pauses)
    assert timedelta(0) <= whole <= end - start


@PROPERTY_SETTINGS
@given(cal=any_calendar, start=instants, budget=budgets, data=st.data())
def test_pause_outside_counted_windows_changes_nothing(
    cal: Calendar, start: datetime, budget: timedelta, data: st.DataObject
) -> None:
    gaps = _gaps(counted_windows(cal, start), count=6)
    assume(gaps)
    gap_start, gap_end = data.draw(st.sampled_from(gaps))
    fraction_a, fraction_b = sorted(data.draw(st.tuples(st.floats(0, 1), st.floats(0, 1))))
    pause = (gap_start + (gap_end - gap_start) * fraction_a, gap_start + (gap_end - gap_start) * fraction_b)
    end = start + timedelta(days=data.draw(st.integers(0, 8)))
    assert elapsed(cal, start, end, [pause]) == elapsed(cal, start, end)
    assert due_at(cal, start, budget, [pause]) == due_at(cal, start, budget)


@PROPERTY_SETTINGS
@given(cal=any_calendar, start=instants, budget=budgets, data=st.data())
def test_adding_a_pause_never_helps_the_clock_run_faster(
    cal: Calendar, start: datetime, budget: timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(start))
    extra = data.draw(pause_lists(start))
    end = start + timedelta(seconds=data.draw(st.integers(0, 6 * 86400)))
    assert elapsed(cal, start, end, pauses + extra) <= elapsed(cal, start, end, pauses)
    assert due_at(cal, start, budget, pauses + extra) >= due_at(cal, start, budget, pauses)
    assert due_at(cal, start, budget, pauses) >= due_at(cal, start, budget)


ORACLE_CALENDARS = [
    (default_calendar(), lambda hour: 8 <= hour < 20),
    (Calendar.daily(time(20), time(8), tz="Europe/Berlin"), lambda hour: hour >= 20 or hour < 8),
    (Calendar.daily(time(8), time(20), tz="America/New_York"), lambda hour: 8 <= hour < 20),
]


@settings(max_examples=80, deadline=None)
@given(
    which=st.integers(0, len(ORACLE_CALENDARS) - 1),
    start=st.one_of(
        st.integers(0, 300 * 1440).map(lambda m: YEAR_START + timedelta(minutes=m)),
        st.builds(
            lambda night, m: night + timedelta(minutes=m), st.sampled_from(DST_NIGHTS), st.integers(-1440, 0)
        ),
    ),
    length_min=st.integers(0, 3 * 1440),
    pause_spec=st.lists(st.tuples(st.integers(-600, 3 * 1440), st.integers(0, 1000)), max_size=3),
)
def test_matches_a_minute_by_minute_wall_clock_count(
    which: int, start: datetime, length_min: int, pause_spec: list[tuple[int, int]]
) -> None:
    """Independent oracle: count each real minute whose local wall hour is counted and that is not paused.

    The windows' boundaries are whole hours away from the DST jumps (02:00/03:00 local), so plain wall-clock
    membership is the right answer there, including the 11 h / 13 h Berlin nights.
    """
    cal, counted_hour = ORACLE_CALENDARS[which]
    zone = ZoneInfo(cal.tz)
    end = start + timedelta(minutes=length_min)
    pauses = [
        (start + timedelta(minutes=off), start + timedelta(minutes=off + length))
        for off, length in pause_spec
    ]
    expected = 0
    for i in range(length_min):
        minute = start + timedelta(minutes=i)
        paused = any(a <= minute < b for a, b in pauses)
        if not paused and counted_hour(minute.astimezone(zone).hour):
            expected += 1
    assert elapsed(cal, start, end, pauses) == timedelta(minutes=expected)


def _gaps(stream: Iterator[Span], count: int) -> list[Span]:
    """The first ``count`` uncounted stretches between consecutive counted windows."""
    gaps: list[Span] = []
    previous_end: datetime | None = None
    for _ in range(count + 1):
        a, b = next(stream)
        if previous_end is not None and a > previous_end:
            gaps.append((previous_end, a))
        previous_end = b
    return gaps
