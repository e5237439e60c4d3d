"""API clients (keys with roles) and stored responses for ``Idempotency-Key`` replays."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, LargeBinary, UniqueConstraint
from sqlmodel import Field

from ponaccept.db.models.base import CreatedAt, enum_field, utc_field


class ApiRole(StrEnum):
    """What an API key may do (least privilege; the role matrix is in docs/api.md)."""

    RESOURCE_SYSTEM = "resource_system"
    ENGINEER = "engineer"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class ApiKey(CreatedAt, table=True):
    """A client credential. Only ``sha256(key)`` is stored: a database leak reveals no usable key.

    ``prefix`` (the first characters of the key, not secret) finds the row and lets operators tell
    keys apart in listings without ever seeing the secret part again.
    """

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    role: ApiRole = enum_field(ApiRole)
    prefix: str = Field(max_length=16, unique=True)
    key_hash: str = Field(max_length=64)
    revoked_at: datetime | None = utc_field(nullable=True)


class IdempotencyStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class IdempotencyRecord(CreatedAt, table=True):
    """One ``Idempotency-Key`` of one API key: reserved before the request runs, then its response.

    The unique (scope, key) pair is the lock: of two parallel requests with the same key only one
    can insert the row, so only one executes; the other replays the stored response.
    """

    __tablename__ = "idempotency_record"
    __table_args__ = (
        UniqueConstraint("scope", "key"),
        Index("ix_idempotency_record_created_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=64, description="sha256 of the caller's API key")
    key: str = Field(max_length=128)
    method: str = Field(max_length=8)
    path: str = Field(max_length=500)
    fingerprint: str = Field(max_length=64, description="sha256 of method, path and body")
    status: IdempotencyStatus = enum_field(IdempotencyStatus, default=IdempotencyStatus.IN_PROGRESS)
    response_status: int | None = None
    response_headers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    response_body: bytes | None = Field(default=None, sa_type=LargeBinary)
