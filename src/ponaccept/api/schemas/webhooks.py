"""Webhook subscriptions (admin)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from ponaccept.db.models import DeliveryStatus

EVENT_TYPES_DOC = (
    "Event types: activation.<status> (activating, activation_succeeded, activation_failed, revoking, "
    "revoked, revoke_failed), project.testing, project.in_review, project.accepted, "
    "project.rectification. Empty = all."
)


class WebhookCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl = Field(examples=["https://crm.example.net/hooks/ponaccept"])
    secret: str = Field(min_length=16, max_length=128, description="HMAC-SHA256 key shared with the receiver")
    event_types: list[str] = Field(
        default_factory=list, examples=[["project.accepted"]], description=EVENT_TYPES_DOC
    )
    active: bool = True
    description: str | None = Field(default=None, max_length=200)


class WebhookUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: AnyHttpUrl | None = None
    secret: str | None = Field(default=None, min_length=16, max_length=128)
    event_types: list[str] | None = None
    active: bool | None = None
    description: str | None = Field(default=None, max_length=200)


class WebhookRead(BaseModel):
    """The secret is never returned (the caller chose it)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    event_types: list[str]
    active: bool
    description: str | None
    created_at: datetime


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    event_id: int
    subscription_id: int
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
