"""Column types shared by every table.

Two portability problems are solved here once, so the models stay declarative:

* SQLite has no timezone-aware timestamp: it hands back naive datetimes. ``UtcDateTime`` insists
  on aware values going in (a naive one is a bug upstream — we cannot guess its zone) and always
  returns aware UTC values, whichever backend stored them.
* Status enums are stored as their plain string ``value`` (no native PostgreSQL ENUM type and no
  CHECK list), so adding a status later needs no schema migration; ``EnumText`` converts back to
  the ``choices`` enum on the way out and rejects unknown strings on the way in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

ENUM_LENGTH = 32
"""Column width for every enum; all ``choices`` values are well below it."""


def utcnow() -> datetime:
    """Current time as an aware UTC datetime (the only kind the database layer accepts)."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """``TIMESTAMP WITH TIME ZONE`` that round-trips as aware UTC on SQLite and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the database layer stores aware UTC values only")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            # SQLite's text storage ignores tzinfo; normalising to UTC first keeps ordering correct.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E], Generic[E]):
    """A ``StrEnum`` stored as ``VARCHAR(32)`` holding the member's value."""

    impl = String(ENUM_LENGTH)
    cache_ok = True

    def __init__(self, enum_cls: type[E], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enum_cls = enum_cls

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        # Raises ValueError for a string that is not a member value: bad data never reaches a row.
        return self.enum_cls(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        if value is None:
            return None
        return self.enum_cls(value)

    def __repr__(self) -> str:
        return f"EnumText({self.enum_cls.__name__})"
