"""``Idempotency-Key`` for POST routes: a retried request gets the stored response, never a second effect.

A router opts in with ``APIRouter(route_class=IdempotentRoute)``; every POST route of that router then
honours the header (requests without it run normally). Per (API key, Idempotency-Key):

1. the first request *reserves* the key by inserting an ``in_progress`` row in its own committed
   transaction — the unique (scope, key) constraint lets exactly one of several parallel requests win;
2. the winner runs the route; a response the route *returns* (status < 500, not 401/403) is stored on
   the row. An error raised by the route (validation, 404/409/422 problems) or a 5xx deletes the
   reservation instead: the failed request had no effect, so the client may retry or fix it;
3. a later request with the same key and the same method/path/body replays the stored response
   (header ``Idempotent-Replayed: true``); a different method/path/body → 422; a loser of the race
   waits up to ``idempotency_wait_seconds`` for the winner, then replays, or answers 409 "in progress".

Records older than ``idempotency_ttl_hours`` are ignored and replaced; an ``in_progress`` row older
than ``idempotency_stale_seconds`` (its process died) is taken over.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import anyio
from fastapi import Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col, delete, select
from starlette.concurrency import run_in_threadpool

from ponaccept.api.deps import end_transactions
from ponaccept.api.errors import ConflictError, InvalidRequest, problem_response
from ponaccept.api.security import hash_key, presented_key
from ponaccept.config import Settings
from ponaccept.db.models import IdempotencyRecord, IdempotencyStatus
from ponaccept.db.types import utcnow

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128
_KEY_PATTERN = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_KEY_LENGTH}}}")
_POLL_SECONDS = 0.05
_UNCACHED_STATUSES = frozenset({401, 403})
_REPLAYED_HEADERS = ("content-type", "location")

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _fingerprint(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), b"\0", path.encode(), b"\0", body):
        digest.update(part)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    headers = {k: str(v) for k, v in record.response_headers.items()}
    headers["Idempotent-Replayed"] = "true"
    return Response(
        content=record.response_body or b"",
        status_code=record.response_status or 200,
        headers=headers,
    )


class _Store:
    """The synchronous database side (run in a worker thread)."""

    def __init__(self, factory: sessionmaker[Session], settings: Settings) -> None:
        self.factory = factory
        self.ttl = timedelta(hours=settings.idempotency_ttl_hours)
        self.stale = timedelta(seconds=settings.idempotency_stale_seconds)

    def reserve(self, scope: str, key: str, method: str, path: str, fingerprint: str) -> int | None:
        """Insert the reservation; its id, or None when a live row already holds the key.

        Every transaction here starts with its write (INSERT/DELETE/UPDATE), never with a read: on
        SQLite a transaction that read first cannot take the write lock after another writer committed
        ("database is locked" at once), while a leading write waits for the lock (busy timeout).
        """
        for _ in range(2):
            with self.factory() as session:
                record = IdempotencyRecord(
                    scope=scope, key=key, method=method, path=path, fingerprint=fingerprint
                )
                session.add(record)
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()
                else:
                    return record.id
            if not self._remove_if_dead(scope, key):
                return None
        return None

    def _remove_if_dead(self, scope: str, key: str) -> bool:
        """Delete the key's row if it expired or its request died; whether a row was deleted."""
        now = utcnow()
        with self.factory() as session:
            result = session.execute(
                delete(IdempotencyRecord).where(
                    col(IdempotencyRecord.scope) == scope,
                    col(IdempotencyRecord.key) == key,
                    or_(
                        col(IdempotencyRecord.created_at) < now - self.ttl,
                        and_(
                            col(IdempotencyRecord.status) == IdempotencyStatus.IN_PROGRESS,
                            col(IdempotencyRecord.created_at) < now - self.stale,
                        ),
                    ),
                )
            )
            session.commit()
            return bool(getattr(result, "rowcount", 0))

    def load(self, scope: str, key: str) -> IdempotencyRecord | None:
        with self.factory() as session:
            return session.exec(
                select(IdempotencyRecord).where(
                    col(IdempotencyRecord.scope) == scope, col(IdempotencyRecord.key) == key
                )
            ).first()

    def complete(self, record_id: int, response: Response, body: bytes) -> None:
        headers = {name: response.headers[name] for name in _REPLAYED_HEADERS if name in response.headers}
        with self.factory() as session:
            session.execute(
                update(IdempotencyRecord)
                .where(col(IdempotencyRecord.id) == record_id)
                .values(
                    status=IdempotencyStatus.COMPLETED,
                    response_status=response.status_code,
                    response_headers=headers,
                    response_body=body,
                )
            )
            session.commit()

    def release(self, record_id: int) -> None:
        with self.factory() as session:
            session.exec(delete(IdempotencyRecord).where(col(IdempotencyRecord.id) == record_id))
            session.commit()


_HEADER_DOC: dict[str, Any] = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Retry-safe key (1-128 characters): a repeated POST with the same key and body gets the "
    "stored response (header Idempotent-Replayed: true) instead of executing again.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": f"^{_KEY_PATTERN.pattern}$",
    },
    "example": "3f0c6a2e-7d1b-4c55-9a51-0d7c9b1f2e10",
}


class IdempotentRoute(APIRoute):
    """Route class whose POST handlers honour ``Idempotency-Key`` (see the module docstring)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if "POST" in {m.upper() for m in kwargs.get("methods") or ()}:
            extra = dict(kwargs.get("openapi_extra") or {})
            extra["parameters"] = [*extra.get("parameters", []), _HEADER_DOC]
            kwargs["openapi_extra"] = extra
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original: Handler = super().get_route_handler()

        async def handler(request: Request) -> Response:
            key = request.headers.get(HEADER)
            if request.method != "POST" or key is None:
                return await original(request)
            caller_key = presented_key(request.headers.get("authorization"), request.headers.get("x-api-key"))
            if caller_key is None:
                return await original(request)  # answers 401; nothing to remember
            if not _KEY_PATTERN.fullmatch(key):
                return problem_response(
                    InvalidRequest(
                        f"{HEADER} must be 1-{MAX_KEY_LENGTH} characters of A-Z a-z 0-9 . _ : -",
                        errors=[(f"header.{HEADER}", "invalid key")],
                    ).problem()
                )
            return await _run_once(request, original, hash_key(caller_key), key)

        return handler


async def _run_once(request: Request, original: Handler, scope: str, key: str) -> Response:
    store = _Store(request.app.state.sessionmaker, request.app.state.settings)
    body = await request.body()
    path = request.url.path
    fingerprint = _fingerprint(request.method, path, body)
    record_id = await run_in_threadpool(store.reserve, scope, key, request.method, path, fingerprint)
    if record_id is None:
        return await _await_winner(request, store, scope, key, fingerprint)
    try:
        response = await original(request)
    except BaseException:
        await run_in_threadpool(end_transactions, request)
        await run_in_threadpool(store.release, record_id)
        raise
    await run_in_threadpool(end_transactions, request)
    response_body = getattr(response, "body", None)
    storable = (
        isinstance(response_body, bytes)
        and response.status_code < 500
        and response.status_code not in _UNCACHED_STATUSES
    )
    if storable:
        assert isinstance(response_body, bytes)
        await run_in_threadpool(store.complete, record_id, response, response_body)
    else:
        await run_in_threadpool(store.release, record_id)
    return response


async def _await_winner(request: Request, store: _Store, scope: str, key: str, fingerprint: str) -> Response:
    settings: Settings = request.app.state.settings
    wait = settings.idempotency_wait_seconds
    deadline = time.monotonic() + wait
    while True:
        record = await run_in_threadpool(store.load, scope, key)
        if record is not None and record.fingerprint != fingerprint:
            return problem_response(
                InvalidRequest(
                    f"{HEADER} {key!r} was already used for a different request "
                    f"({record.method} {record.path} with another body); use a new key",
                    errors=[(f"header.{HEADER}", "reused with a different request")],
                ).problem()
            )
        if record is not None and record.status == IdempotencyStatus.COMPLETED:
            return _replay(record)
        if record is None or time.monotonic() >= deadline:
            break
        await anyio.sleep(_POLL_SECONDS)
    if record is None:
        # The winner failed and released the key meanwhile: the client may simply retry.
        return problem_response(
            ConflictError(f"the request with {HEADER} {key!r} failed; retry it").problem(),
            {"Retry-After": "1"},
        )
    return problem_response(
        ConflictError(f"a request with {HEADER} {key!r} is still in progress; retry later").problem(),
        {"Retry-After": "1"},
    )


def purge_expired(factory: sessionmaker[Session], settings: Settings) -> int:
    """Delete records older than the TTL (they are no longer replayed); returns how many.

    Meant for a periodic background task; expired rows are otherwise only replaced on key reuse.
    """
    cutoff = utcnow() - timedelta(hours=settings.idempotency_ttl_hours)
    with factory() as session:
        result = session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < cutoff))
        session.commit()
        return int(getattr(result, "rowcount", 0) or 0)
