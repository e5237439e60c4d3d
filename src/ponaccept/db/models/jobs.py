"""Background jobs (device work run by an executor).

A row is written before the job is handed to the executor, so a process that dies while a job is
queued or running leaves a trace the startup recovery can find: the executor itself (a thread pool,
or a Celery broker) is not the record of what was asked for — the database is.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, Text
from sqlmodel import Field

from ponaccept.db.models.base import Timestamps, enum_field, utc_field


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Job(Timestamps, table=True):
    """One unit of background work (``kind`` names the handler; ``payload`` its JSON arguments)."""

    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        Index("ix_job_status_kind", "status", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64)
    status: JobStatus = enum_field(JobStatus, default=JobStatus.QUEUED)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    activation_id: int | None = Field(default=None, foreign_key="activation.id", index=True)
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    attempts: int = 0
    error: str | None = Field(default=None, sa_type=Text)
    started_at: datetime | None = utc_field(nullable=True)
    finished_at: datetime | None = utc_field(nullable=True)
