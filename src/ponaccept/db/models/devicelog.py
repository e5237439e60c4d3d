"""Audit trail of every command sent to a device (DESIGN §3: every command is recorded)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Text
from sqlmodel import Field, SQLModel

from ponaccept.db.models.base import enum_field, utc_field


class CommandOutcome(StrEnum):
    OK = "ok"
    ERROR = "error"  # the device answered with an error string
    TIMEOUT = "timeout"  # no prompt came back in time
    BUSY = "busy"  # "System is busy" / "user busy": retryable
    DISCONNECTED = "disconnected"  # the session dropped mid-command
    SKIPPED = "skipped"  # not sent (dry run, or an earlier step failed)


class CommandLog(SQLModel, table=True):
    """One command and its output. ``olt_name`` is copied so the log survives the OLT's deletion.

    Written by the transcript recorder after secrets were masked; nothing here is ever a password.
    """

    __tablename__ = "command_log"
    __table_args__ = (
        Index("ix_command_log_olt_name_at", "olt_name", "at"),
        CheckConstraint("duration_ms IS NULL OR duration_ms >= 0", name="duration_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = utc_field()
    olt_id: int | None = Field(default=None, foreign_key="olt.id")
    olt_name: str = Field(max_length=64)
    activation_id: int | None = Field(default=None, foreign_key="activation.id", index=True)
    command: str = Field(sa_type=Text)
    output: str = Field(default="", sa_type=Text)
    outcome: CommandOutcome = enum_field(CommandOutcome)
    duration_ms: int | None = None
