"""Business calendars for SLA clocks: which instants count (reference/work-orders.md, "business hours").

The operator's rule is "20:00–08:00 is not counted", i.e. 08:00–20:00 counts on all seven days. A calendar is
an IANA time zone, counted windows per weekday and per-date exceptions (a closed holiday, or replacement
windows for a 调休 make-up day). Windows are local wall-clock ranges ``(start, end)``; ``end <= start`` means
the window runs past midnight into the next local date (``end == start`` is a full 24-hour window). A window
belongs to the local date on which it *starts*: an exception for date D replaces the windows starting on D,
while an overnight window that started on D−1 still runs into D.

Local times become UTC instants through :mod:`zoneinfo` for each local date separately, so an overnight
window counts its real length: 20:00–08:00 in Europe/Berlin is 11 h on the spring-forward night and 13 h on
the fall-back night. Nothing here assumes a zone without DST.

Nonexistent and ambiguous local times (deliberate choice): a window covers every instant whose wall-clock
reading lies inside it. Hence

* a boundary inside a spring-forward gap maps to the transition instant (the first instant whose reading is
  past the boundary); a window lying wholly inside the gap is empty;
* an ambiguous *start* takes the earlier occurrence (``fold=0``) and an ambiguous *end* the later one
  (``fold=1``), so a window never loses the repeated hour. (For a window starting inside the repeated hour
  this also counts the first pass of the part of that hour before the start: at most one hour a year, in
  favour of the customer's clock rather than against it.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from ponaccept.domain.errors import DomainError

Window = tuple[time, time]
"""A counted local range ``(start, end)``; ``end <= start`` runs past midnight."""

Span = tuple[datetime, datetime]
"""A half-open UTC interval ``[a, b)``."""

DAY = timedelta(days=1)


class InvalidCalendar(DomainError, ValueError):
    """A calendar definition that cannot be used (unknown zone, aware times, no counted time at all)."""


class Calendar(BaseModel):
    """Counted business time: zone + weekly windows (Monday first) + per-date exceptions.

    ``exceptions[d] == ()`` closes local date ``d``; a non-empty tuple replaces that date's windows.
    ``id`` and ``version`` are snapshotted onto every clock result so a later calendar edit is visible.
    """

    model_config = ConfigDict(frozen=True)

    id: str = "default"
    version: int = 1
    tz: str = "Asia/Shanghai"
    weekly: tuple[tuple[Window, ...], ...]
    exceptions: Mapping[date, tuple[Window, ...]] = {}

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidCalendar(f"unknown IANA time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _check_windows(self) -> Calendar:
        if len(self.weekly) != 7:
            raise InvalidCalendar(f"weekly needs 7 entries (Monday..Sunday), got {len(self.weekly)}")
        # At least one weekly window guarantees that due_at terminates: exceptions are finitely many.
        if not any(self.weekly):
            raise InvalidCalendar("a calendar needs at least one counted weekly window")
        for windows in (*self.weekly, *self.exceptions.values()):
            for start, end in windows:
                if start.tzinfo is not None or end.tzinfo is not None:
                    raise InvalidCalendar("window times are local wall-clock times and must be naive")
        return self

    @classmethod
    def daily(
        cls,
        start: time = time(8),
        end: time = time(20),
        *,
        tz: str = "Asia/Shanghai",
        id: str = "default",
        version: int = 1,
        exceptions: Mapping[date, tuple[Window, ...]] | None = None,
    ) -> Calendar:
        """The same single window on every day of the week."""
        return cls(
            id=id,
            version=version,
            tz=tz,
            weekly=(((start, end),),) * 7,
            exceptions=dict(exceptions or {}),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def local_windows(self, day: date) -> tuple[Window, ...]:
        """Windows starting on local date ``day`` (exception if any, else the weekday's windows)."""
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly[day.weekday()]

    def utc_windows(self, day: date) -> list[Span]:
        """The windows starting on local ``day`` as UTC spans, sorted by start, empty ones dropped."""
        zone = self.zone
        spans: list[Span] = []
        for start, end in self.local_windows(day):
            end_day = day if end > start else day + DAY
            a = local_to_utc(datetime.combine(day, start), zone, "start")
            b = local_to_utc(datetime.combine(end_day, end), zone, "end")
            if b > a:
                spans.append((a, b))
        spans.sort()
        return spans


def default_calendar() -> Calendar:
    """The operator's rule: 08:00–20:00 counted every day in Asia/Shanghai (20:00–08:00 not counted)."""
    return Calendar.daily()


def local_to_utc(naive: datetime, zone: ZoneInfo, edge: Literal["start", "end"]) -> datetime:
    """Map a local wall-clock reading to a UTC instant, resolving gaps and folds as the module explains."""
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if first == second:
        return first
    if first < second:  # ambiguous (fall-back): the reading occurs twice
        return first if edge == "start" else second
    return _transition_between(second, first, zone)


def _transition_between(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """First instant in ``(before, after]`` whose UTC offset differs from the offset at ``before``.

    PEP 495 maps a nonexistent reading with ``fold=1`` to an instant before the transition and with
    ``fold=0`` to one after it, so the transition lies in between; bisect to the microsecond.
    """
    offset_before = before.astimezone(zone).utcoffset()
    lo, hi = before, after
    while hi - lo > timedelta(microseconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(zone).utcoffset() == offset_before:
            lo = mid
        else:
            hi = mid
    return hi


def counted_windows(calendar: Calendar, since: datetime) -> Iterator[Span]:
    """Endless stream of disjoint counted UTC spans ending after ``since``, in time order.

    Starts from the local date before ``since`` because an overnight window of that date can still be open.
    Overlapping windows (several per day, or a long exception) are trimmed rather than merged: adjacent
    24-hour windows would otherwise merge forever and never be yielded. Spans may touch but never overlap.
    """
    day = since.astimezone(calendar.zone).date() - DAY
    emitted_until = since
    while True:
        for a, b in calendar.utc_windows(day):
            if b > emitted_until:
                yield (max(a, emitted_until), b)
                emitted_until = b
        day += DAY


# --- business time over pauses ---------------------------------------------------------------------------


class InvalidClockInput(DomainError, ValueError):
    """Times that cannot form a clock: naive datetimes, an end before the start, an unresolvable pause."""


class Pause(BaseModel):
    """A customer-caused pause ``[start, end)`` (缓装, waiting for the customer); ``end=None``: still open."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Pause:
        require_aware(self.start, "pause start")
        if self.end is not None:
            require_aware(self.end, "pause end")
            if self.end < self.start:
                raise InvalidClockInput(f"pause ends ({self.end}) before it starts ({self.start})")
        return self


PauseLike = Pause | tuple[datetime, datetime | None]


def require_aware(value: datetime, what: str) -> datetime:
    """Reject naive datetimes: a naive time means "server zone" somewhere, which is how Frappe went wrong."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidClockInput(f"{what} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def merge_pauses(pauses: Iterable[PauseLike], *, start: datetime, open_until: datetime | None) -> list[Span]:
    """Closed, clipped, sorted, merged UTC pause spans.

    An open pause ends at ``open_until`` (the caller's "now"); ``None`` means it never ends. A pause that
    began before ``start`` is clipped to ``start`` (the order cannot be paused before it exists); pauses that
    end by ``start`` vanish.
    """
    far_future = datetime.max.replace(tzinfo=UTC)
    spans: list[Span] = []
    for pause in pauses:
        p = pause if isinstance(pause, Pause) else Pause(start=pause[0], end=pause[1])
        a = require_aware(p.start, "pause start")
        if p.end is not None:
            b = require_aware(p.end, "pause end")
        else:
            b = far_future if open_until is None else max(a, require_aware(open_until, "now"))
        a = max(a, start)
        if b > a:
            spans.append((a, b))
    spans.sort()
    merged: list[Span] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _free_segments(calendar: Calendar, start: datetime, pauses: list[Span]) -> Iterator[Span]:
    """Counted spans from ``start`` on, with the (sorted, merged) pauses cut out."""
    i = 0
    for a, b in counted_windows(calendar, start):
        cursor = a
        while i < len(pauses) and pauses[i][1] <= cursor:
            i += 1
        j = i
        while j < len(pauses) and pauses[j][0] < b:
            p_start, p_end = pauses[j]
            if p_start > cursor:
                yield (cursor, p_start)
            cursor = max(cursor, p_end)
            if cursor >= b:
                break
            j += 1
        if cursor < b:
            yield (cursor, b)


def elapsed(
    calendar: Calendar,
    start: datetime,
    end: datetime,
    pauses: Iterable[PauseLike] = (),
    *,
    now: datetime | None = None,
) -> timedelta:
    """Counted business time in ``[start, end)`` minus pauses.

    An open pause ends at ``now``; without ``now`` it runs to ``end`` (the clock is read while paused).
    """
    start = require_aware(start, "start")
    end = require_aware(end, "end")
    if end < start:
        raise InvalidClockInput(f"end ({end}) is before start ({start})")
    total = timedelta(0)
    if end == start:
        return total
    for a, b in _free_segments(calendar, start, merge_pauses(pauses, start=start, open_until=now or end)):
        if a >= end:
            break
        total += min(b, end) - a
    return total


def due_at(
    calendar: Calendar,
    start: datetime,
    budget: timedelta,
    pauses: Iterable[PauseLike] = (),
    *,
    now: datetime | None = None,
) -> datetime:
    """The instant at which ``budget`` of counted, unpaused time has been consumed since ``start``.

    This is the *earliest* instant with ``elapsed(start, t) == budget``: a budget used up exactly at 20:00 is
    due at 20:00, and a completion at 20:30 (before the next window opens) still has ``elapsed == budget``,
    so it is not breached (breach means ``elapsed > target``). Pauses push the due time out by the counted
    time they cover. An open pause ends at ``now`` (a projection: "if the customer resumed now");
    without ``now`` an open pause makes the due time undefined.
    """
    start = require_aware(start, "start")
    if budget < timedelta(0):
        raise InvalidClockInput(f"budget must not be negative, got {budget}")
    merged = merge_pauses(pauses, start=start, open_until=now)
    if merged and merged[-1][1] == datetime.max.replace(tzinfo=UTC):
        raise InvalidClockInput("an open pause without 'now' has no due time")
    remaining = budget
    if remaining == timedelta(0):
        return start
    for a, b in _free_segments(calendar, start, merged):
        if b - a >= remaining:
            return a + remaining
        remaining -= b - a
    raise AssertionError("counted_windows is endless")  # pragma: no cover - generator never stops
