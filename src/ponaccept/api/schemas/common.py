"""Building blocks shared by every schema module: base models, bounded types, enum descriptions.

Bounds matter beyond tidiness: an unbounded integer reaching PostgreSQL's ``integer`` column or a NUL
character reaching a text column is a 500, not a 422. Every id, count and free text here is bounded.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ponaccept.domain.naming import CLI_TOKEN_MAX_LENGTH

DB_INT_MAX = 2_147_483_647
"""Largest value of a PostgreSQL ``integer`` (ids and counts)."""

CLI_TOKEN_REGEX = rf"^[A-Za-z0-9_.\-]{{1,{CLI_TOKEN_MAX_LENGTH}}}$"
"""Names that may end up in OLT commands (OLT, splitter): see ponaccept.domain.naming."""

TEXT_REGEX = r"^[^\x00-\x1f\x7f]*$"
"""Free text (Chinese welcome) without control characters — PostgreSQL rejects NUL in text."""

Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
IdPath = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="Numeric id")]
CliToken = Annotated[
    str, StringConstraints(pattern=CLI_TOKEN_REGEX, min_length=1, max_length=CLI_TOKEN_MAX_LENGTH)
]


# Stripped, control-character-free strings of bounded length (names of the column widths).
Text64 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=TEXT_REGEX)
]
Text200 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=TEXT_REGEX)
]


def enum_doc(enum_cls: type[StrEnum], lead: str = "") -> str:
    """Field description listing the values, with Chinese labels where the enum has them."""
    describe = getattr(enum_cls, "describe", None)
    values = describe() if callable(describe) else ", ".join(m.value for m in enum_cls)
    return f"{lead} Values: {values}".strip()


class InputModel(BaseModel):
    """Request bodies: unknown fields are an error (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class ReadModel(BaseModel):
    """Response bodies, built from table rows."""

    model_config = ConfigDict(from_attributes=True)


class Created(ReadModel):
    created_at: datetime = Field(examples=["2026-11-22T08:30:00Z"])
