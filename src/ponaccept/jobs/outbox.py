"""Transactional outbox: write events with the state change, deliver them to webhooks later.

:func:`emit` adds an :class:`OutboxEvent` to the caller's session — it commits or rolls back with the
state change. :func:`deliver_pending` is the delivery worker's one pass: it fans new events out to
matching subscriptions (one :class:`WebhookDelivery` each) and posts every due delivery.

Each POST carries the raw JSON body and two headers:

* ``X-Ponaccept-Timestamp``: Unix seconds when the request was signed;
* ``X-Ponaccept-Signature``: ``sha256=<hex HMAC-SHA256(secret, "<timestamp>." + raw body)>``.

Signing the timestamp with the body lets a receiver reject replays (compare the timestamp with its
clock) — the Stripe/Slack scheme. Delivery is at-least-once: a receiver must de-duplicate on the
``X-Ponaccept-Event-Id`` header. A non-2xx answer or a network error reschedules the delivery with
exponential backoff (``base · 2^(attempts−1)``, capped); deliveries are never dropped.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ponaccept.db.engine import session_scope
from ponaccept.db.models import DeliveryStatus, OutboxEvent, WebhookDelivery, WebhookSubscription
from ponaccept.db.types import utcnow
from ponaccept.jobs.txn import write_scope

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Ponaccept-Signature"
TIMESTAMP_HEADER = "X-Ponaccept-Timestamp"
EVENT_ID_HEADER = "X-Ponaccept-Event-Id"
EVENT_TYPE_HEADER = "X-Ponaccept-Event"

BACKOFF_BASE_S = 2.0
BACKOFF_CAP_S = 3600.0

Poster = Callable[[str, bytes, dict[str, str]], int]
"""(url, body, headers) → HTTP status; raises on network errors."""


def emit(
    session: Session, event_type: str, aggregate_type: str, aggregate_id: int, payload: dict[str, Any]
) -> OutboxEvent:
    """Record an event in the caller's transaction (it exists iff the caller commits)."""
    event = OutboxEvent(
        event_type=event_type, aggregate_type=aggregate_type, aggregate_id=aggregate_id, payload=payload
    )
    session.add(event)
    return event


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (used by tests and documented for integrators)."""
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_BASE_S * 2 ** max(attempts - 1, 0), BACKOFF_CAP_S))


def body_of(event: OutboxEvent) -> bytes:
    document = {
        "id": event.id,
        "type": event.event_type,
        "aggregate": {"type": event.aggregate_type, "id": event.aggregate_id},
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode()


def httpx_poster(timeout_s: float = 10.0) -> Poster:
    def post(url: str, body: bytes, headers: dict[str, str]) -> int:
        response = httpx.post(url, content=body, headers=headers, timeout=timeout_s)
        return response.status_code

    return post


def fan_out(session: Session, now: datetime) -> int:
    """Create deliveries for events not yet dispatched; returns how many events were dispatched."""
    events = list(session.exec(select(OutboxEvent).where(col(OutboxEvent.dispatched_at).is_(None))).all())
    if not events:
        return 0
    subscriptions = list(
        session.exec(select(WebhookSubscription).where(col(WebhookSubscription.active))).all()
    )
    for event in events:
        for sub in subscriptions:
            if sub.event_types and event.event_type not in sub.event_types:
                continue
            assert event.id is not None and sub.id is not None
            session.add(WebhookDelivery(event_id=event.id, subscription_id=sub.id, next_attempt_at=now))
        event.dispatched_at = now
        session.add(event)
    return len(events)


@dataclass
class DeliveryPass:
    dispatched: int = 0
    delivered: int = 0
    failed: int = 0


def deliver_pending(
    engine: Engine, *, now: datetime | None = None, post: Poster | None = None
) -> DeliveryPass:
    """Fan out new events and attempt every due delivery once."""
    now = now or utcnow()
    post = post or httpx_poster()
    result = DeliveryPass()
    # Look before taking the write lock: this runs every few seconds and must not stall other writers.
    with session_scope(engine) as session:
        waiting = session.exec(select(OutboxEvent.id).where(col(OutboxEvent.dispatched_at).is_(None))).first()
    if waiting is not None:
        with write_scope(engine) as session:
            result.dispatched = fan_out(session, now)
    with session_scope(engine) as session:
        due = list(
            session.exec(
                select(WebhookDelivery)
                .where(WebhookDelivery.status == DeliveryStatus.PENDING)
                .where(col(WebhookDelivery.next_attempt_at) <= now)
                .order_by(col(WebhookDelivery.id))
            ).all()
        )
    for delivery in due:
        ok = _attempt(engine, delivery, now, post)
        result.delivered += ok
        result.failed += not ok
    return result


def _attempt(engine: Engine, delivery: WebhookDelivery, now: datetime, post: Poster) -> bool:
    with session_scope(engine) as session:
        event = session.get(OutboxEvent, delivery.event_id)
        sub = session.get(WebhookSubscription, delivery.subscription_id)
    if event is None or sub is None:
        return False
    body = body_of(event)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(sub.secret, timestamp, body),
        EVENT_ID_HEADER: str(event.id),
        EVENT_TYPE_HEADER: event.event_type,
    }
    status: int | None = None
    error: str | None = None
    try:
        status = post(sub.url, body, headers)
        if not 200 <= status < 300:
            error = f"receiver answered HTTP {status}"
    except Exception as exc:  # any network failure: retried later, never dropped
        error = f"{exc.__class__.__name__}: {exc}"
    with write_scope(engine) as session:
        row = session.get(WebhookDelivery, delivery.id)
        if row is None:
            return False
        row.attempts += 1
        row.last_status_code = status
        row.last_error = error
        if error is None:
            row.status = DeliveryStatus.DELIVERED
            row.delivered_at = now
        else:
            row.next_attempt_at = now + backoff(row.attempts)
            log.warning("webhook delivery %s to subscription %s failed: %s", row.id, sub.id, error)
        session.add(row)
    return error is None
