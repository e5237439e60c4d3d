"""Webhook subscriptions (admin): where the outbox delivers events, and their delivery log."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlmodel import col, select

from ponaccept.api.deps import AdminKey, SessionDep
from ponaccept.api.errors import PROBLEM_RESPONSES, NotFoundError
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, paginate
from ponaccept.api.schemas.webhooks import DeliveryRead, WebhookCreate, WebhookRead, WebhookUpdate
from ponaccept.db.models import WebhookDelivery, WebhookSubscription

router = APIRouter(
    prefix="/webhooks", tags=["webhooks"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute
)


def _get(session: SessionDep, webhook_id: int) -> WebhookSubscription:
    row = session.get(WebhookSubscription, webhook_id)
    if row is None:
        raise NotFoundError("webhook", webhook_id)
    return row


@router.post("", status_code=status.HTTP_201_CREATED)
def create_webhook(body: WebhookCreate, session: SessionDep, _admin: AdminKey) -> WebhookRead:
    """Subscribe a URL. Deliveries are POSTed with ``X-Ponaccept-Signature: sha256=<hex>`` where hex is
    HMAC-SHA256(secret, "<X-Ponaccept-Timestamp>." + raw body); de-duplicate on ``X-Ponaccept-Event-Id``."""
    row = WebhookSubscription(
        url=str(body.url),
        secret=body.secret,
        event_types=body.event_types,
        active=body.active,
        description=body.description,
    )
    session.add(row)
    session.commit()
    return WebhookRead.model_validate(row)


@router.get("")
def list_webhooks(session: SessionDep, _admin: AdminKey, page: PageDep) -> Page[WebhookRead]:
    return paginate(
        session, select(WebhookSubscription).order_by(col(WebhookSubscription.id)), page, WebhookRead
    )


@router.get("/{webhook_id}")
def get_webhook(webhook_id: int, session: SessionDep, _admin: AdminKey) -> WebhookRead:
    return WebhookRead.model_validate(_get(session, webhook_id))


@router.patch("/{webhook_id}")
def update_webhook(
    webhook_id: int, body: WebhookUpdate, session: SessionDep, _admin: AdminKey
) -> WebhookRead:
    row = _get(session, webhook_id)
    for name, value in body.model_dump(exclude_unset=True).items():
        setattr(row, name, str(value) if name == "url" and value is not None else value)
    session.add(row)
    session.commit()
    return WebhookRead.model_validate(row)


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(webhook_id: int, session: SessionDep, _admin: AdminKey) -> Response:
    session.delete(_get(session, webhook_id))
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{webhook_id}/deliveries")
def list_deliveries(
    webhook_id: int, session: SessionDep, _admin: AdminKey, page: PageDep
) -> Page[DeliveryRead]:
    """Delivery attempts for this subscription (pending ones are retried with exponential backoff)."""
    _get(session, webhook_id)
    statement = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == webhook_id)
        .order_by(col(WebhookDelivery.id))
    )
    return paginate(session, statement, page, DeliveryRead)
