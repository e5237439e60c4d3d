"""Transactional outbox and webhook subscriptions.

An :class:`OutboxEvent` is inserted in the same transaction as the state change it announces, so an
event exists if and only if the change was committed. A delivery worker later fans each event out to
the matching :class:`WebhookSubscription` rows as :class:`WebhookDelivery` rows and posts them with
retries; a delivery is only ever marked ``delivered`` after a 2xx answer, so a failing receiver delays
an event but never loses it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ponaccept.db.models.base import CreatedAt, enum_field, utc_field


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"


class OutboxEvent(CreatedAt, table=True):
    """A domain event waiting to be (or already) fanned out to webhook subscriptions."""

    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_event_dispatched_at", "dispatched_at"),)

    id: int | None = Field(default=None, primary_key=True)
    event_type: str = Field(max_length=64)
    aggregate_type: str = Field(max_length=32)
    aggregate_id: int
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    dispatched_at: datetime | None = utc_field(nullable=True)


class WebhookSubscription(CreatedAt, table=True):
    """A receiver URL. ``secret`` is the HMAC key shared with the receiver (needed in clear to sign);
    the API shows it only in the response that created it. Empty ``event_types`` means all events."""

    __tablename__ = "webhook_subscription"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=500)
    secret: str = Field(max_length=128)
    event_types: list[str] = Field(default_factory=list, sa_type=JSON)
    active: bool = True
    description: str | None = Field(default=None, max_length=200)


class WebhookDelivery(SQLModel, table=True):
    """One event for one subscription: retried with exponential backoff until a 2xx answer."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("event_id", "subscription_id"),
        Index("ix_webhook_delivery_status_next", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("outbox_event.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    subscription_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("webhook_subscription.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    status: DeliveryStatus = enum_field(DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts: int = 0
    next_attempt_at: datetime = utc_field()
    last_error: str | None = Field(default=None, sa_type=Text)
    last_status_code: int | None = None
    delivered_at: datetime | None = utc_field(nullable=True)
