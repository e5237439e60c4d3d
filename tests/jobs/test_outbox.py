"""Transactional outbox: events commit with the change, deliveries retry with backoff, never lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ponaccept.db.models import DeliveryStatus, OutboxEvent, WebhookDelivery, WebhookSubscription
from ponaccept.db.types import utcnow
from ponaccept.jobs.outbox import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    backoff,
    deliver_pending,
    emit,
    sign,
    verify,
)


class Receiver:
    def __init__(self, answers: list[int]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, bytes, dict[str, str]]] = []

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        self.calls.append((url, body, headers))
        answer = self.answers.pop(0) if self.answers else 200
        if answer == 0:
            raise ConnectionError("connection refused")
        return answer


def subscribe(engine: Engine, event_types: list[str] | None = None) -> None:
    with Session(engine) as session:
        session.add(
            WebhookSubscription(url="http://receiver/hook", secret="k" * 20, event_types=event_types or [])
        )
        session.commit()


def test_event_exists_only_if_the_change_commits(engine: Engine) -> None:
    with Session(engine) as session:
        emit(session, "project.accepted", "project", 1, {"x": 1})
        session.rollback()
        emit(session, "project.accepted", "project", 2, {"x": 2})
        session.commit()
    with Session(engine) as session:
        assert [e.aggregate_id for e in session.exec(select(OutboxEvent)).all()] == [2]


def test_failing_receiver_is_retried_with_backoff_until_delivered(engine: Engine) -> None:
    subscribe(engine)
    with Session(engine) as session:
        emit(session, "activation.revoked", "activation", 5, {"activation_id": 5})
        session.commit()
    receiver = Receiver([503, 0, 200])
    t0 = utcnow()
    first = deliver_pending(engine, now=t0, post=receiver)
    assert (first.dispatched, first.delivered, first.failed) == (1, 0, 1)
    assert deliver_pending(engine, now=t0 + timedelta(seconds=1), post=receiver).failed == 0  # not due yet
    assert len(receiver.calls) == 1
    second = deliver_pending(engine, now=t0 + backoff(1), post=receiver)
    assert second.failed == 1  # network error: rescheduled, kept
    with Session(engine) as session:
        row = session.exec(select(WebhookDelivery)).one()
        assert row.status is DeliveryStatus.PENDING and row.attempts == 2
        assert row.next_attempt_at == t0 + backoff(1) + backoff(2)
        assert "ConnectionError" in (row.last_error or "")
    third = deliver_pending(engine, now=t0 + backoff(1) + backoff(2), post=receiver)
    assert third.delivered == 1
    with Session(engine) as session:
        row = session.exec(select(WebhookDelivery)).one()
        assert row.status is DeliveryStatus.DELIVERED and row.attempts == 3
    _url, body, headers = receiver.calls[-1]
    assert verify("k" * 20, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert not verify("wrong-secret-000000", headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    assert headers[SIGNATURE_HEADER] == sign("k" * 20, int(headers[TIMESTAMP_HEADER]), body)


def test_subscriptions_filter_event_types(engine: Engine) -> None:
    subscribe(engine, ["project.accepted"])
    with Session(engine) as session:
        emit(session, "activation.revoked", "activation", 1, {})
        emit(session, "project.accepted", "project", 1, {})
        session.commit()
    receiver = Receiver([])
    result = deliver_pending(engine, post=receiver)
    assert result.dispatched == 2 and result.delivered == 1
    assert b"project.accepted" in receiver.calls[0][1]


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 2), (2, 4), (5, 32), (30, 3600)])
def test_backoff_doubles_and_is_capped(attempts: int, seconds: int) -> None:
    assert backoff(attempts) == timedelta(seconds=seconds)
