"""Shared pieces of every table: constraint naming, timestamps, column helpers.

A naming convention on the metadata gives every index and constraint a deterministic name. Alembic
needs names to drop or alter constraints later, and SQLite's batch migrations (table copy) can only
recreate constraints that have one.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, text
from sqlmodel import Field, SQLModel

from ponaccept.db.types import EnumText, UtcDateTime, utcnow

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

VLAN_MIN = 1
VLAN_MAX = 4094


def enum_field(enum_cls: type[StrEnum], default: Any = ..., **kwargs: Any) -> Any:
    """A column holding ``enum_cls`` values as strings (see :class:`EnumText`)."""
    return Field(default=default, sa_type=EnumText(enum_cls), **kwargs)


def utc_field(*, nullable: bool = False, **kwargs: Any) -> Any:
    """An aware-UTC timestamp column; non-nullable ones default to now."""
    if nullable:
        return Field(default=None, sa_type=UtcDateTime(), **kwargs)
    return Field(default_factory=utcnow, sa_type=UtcDateTime(), **kwargs)


def vlan_check(column: str, *, name: str | None = None) -> CheckConstraint:
    """``column`` is a valid 802.1Q VLAN id (NULL allowed: a CHECK passes on NULL)."""
    return CheckConstraint(f"{column} BETWEEN {VLAN_MIN} AND {VLAN_MAX}", name=name or f"{column}_range")


def in_values_sql(column: str, values: list[str]) -> Any:
    """SQL text ``column IN ('a', 'b')`` for partial-index predicates and checks.

    Values come from our own enums (never user input), so literal quoting is safe here.
    """
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return text(f"{column} IN ({quoted})")


class CreatedAt(SQLModel):
    created_at: datetime = utc_field()


class Timestamps(CreatedAt):
    updated_at: datetime = utc_field(sa_column_kwargs={"onupdate": utcnow})
