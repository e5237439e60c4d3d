"""Portable SQL building blocks for the work-order metrics (SQLite and PostgreSQL).

Only two things differ between the backends here: the difference of two timestamps in seconds, and
truncating a timestamp to its month. Everything else is plain SQLAlchemy Core that both render alike.
Kept apart from :mod:`ponaccept.db.repositories.order_metrics` so the metric queries read as formulas.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, case, cast, func
from sqlalchemy.sql.elements import ColumnElement

__all__ = ["count_if", "month_bounds", "month_start", "parse_month", "seconds_between"]


MIN_YEAR, MAX_YEAR = 1970, 2999
"""Months outside this range are typing errors; year 1 or 9999 would also overflow the UTC conversion."""


def seconds_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[float]:
    """``later − earlier`` in seconds as a float SQL expression.

    SQLite stores timestamps as ISO text (UTC, see ``db.types.UtcDateTime``); ``julianday`` reads it with
    sub-millisecond precision, far below the one-second resolution any metric here needs.
    """
    if dialect == "sqlite":
        return cast((func.julianday(later) - func.julianday(earlier)) * 86400.0, Float)
    return cast(func.extract("epoch", later - earlier), Float)


def month_start(column: Any, dialect: str, tz: str) -> ColumnElement[Any]:
    """The local month a UTC timestamp falls in, as ``YYYY-MM`` text (for multi-month trends).

    PostgreSQL converts to the business time zone first; SQLite has no zone database, so the fixed
    UTC offset of ``tz`` at the current instant is applied (exact for zones without DST, such as the
    operator's Asia/Shanghai).
    """
    if dialect == "sqlite":
        offset = datetime.now(ZoneInfo(tz)).utcoffset()
        seconds = int(offset.total_seconds()) if offset is not None else 0
        return func.strftime("%Y-%m", column, f"{seconds:+d} seconds")
    return func.to_char(func.date_trunc("month", func.timezone(tz, column)), "YYYY-MM")


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """``SUM(CASE WHEN condition THEN 1 ELSE 0 END)`` — conditional counting both backends understand."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def parse_month(text: str) -> date:
    """``2026-11`` → the first day of that month; a readable ``ValueError`` otherwise."""
    try:
        year_text, month_text = text.strip().split("-")
        month = date(int(year_text), int(month_text), 1)
    except ValueError:
        raise ValueError(f"month must look like 2026-11, got {text!r}") from None
    if len(year_text) != 4 or not MIN_YEAR <= month.year <= MAX_YEAR:
        raise ValueError(f"month must look like 2026-11 (years {MIN_YEAR}–{MAX_YEAR}), got {text!r}")
    return month


def month_bounds(month: date, tz: str) -> tuple[datetime, datetime]:
    """``[start, end)`` of the local calendar month ``month`` in ``tz``, as UTC instants.

    The month is the operator's local month: an order completed at 07:00 on the 1st in Shanghai belongs
    to that month although it is still the previous day in UTC.
    """
    zone = ZoneInfo(tz)
    first = datetime(month.year, month.month, 1, tzinfo=zone)
    if month.month == 12:
        following = datetime(month.year + 1, 1, 1, tzinfo=zone)
    else:
        following = datetime(month.year, month.month + 1, 1, tzinfo=zone)
    return first.astimezone(UTC), following.astimezone(UTC)
