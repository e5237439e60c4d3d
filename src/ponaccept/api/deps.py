"""Dependencies every router uses: a database session, the authenticated caller, role guards.

Usage in a route::

    @router.post("", dependencies=[require(Role.RESOURCE_SYSTEM)])
    def create(body: OltCreate, session: SessionDep) -> OltRead: ...

    @router.get("/{olt_id}")
    def get(olt_id: int, session: SessionDep, caller: CurrentKey) -> OltRead: ...

Routes commit explicitly (``session.commit()``); the dependency rolls back whatever was not
committed and closes the session, so an exception never leaves half a unit of work behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from ponaccept.api.errors import Forbidden, Unauthorized
from ponaccept.api.security import Principal, Role, lookup_key, presented_key


def get_sessionmaker(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    return factory


def _track(request: Request, session: Session) -> Session:
    """Remember the request's sessions so :func:`end_transactions` can end them early."""
    sessions: list[Session] | None = getattr(request.state, "db_sessions", None)
    if sessions is None:
        sessions = []
        request.state.db_sessions = sessions
    sessions.append(session)
    return session


def end_transactions(request: Request) -> None:
    """Roll back whatever the request's sessions did not commit, now rather than at teardown.

    Dependency teardown runs only after the response is sent; code wrapping the route (the
    Idempotency-Key store) must not wait for locks an unfinished transaction still holds.
    """
    for session in getattr(request.state, "db_sessions", ()):
        session.rollback()


def get_session(request: Request) -> Iterator[Session]:
    with get_sessionmaker(request)() as session:
        try:
            yield _track(request, session)
        finally:
            session.rollback()


SessionDep = Annotated[Session, Depends(get_session)]

_SQLITE_WRITE_LOCK = text("UPDATE api_key SET id = id WHERE 1 = 0")


def get_write_session(request: Request) -> Iterator[Session]:
    """As :func:`get_session`, holding the database write lock from the start on SQLite.

    A SQLite transaction that reads first and writes later fails at once ("database is locked") if
    another writer committed in between; one that starts with a write waits for the lock instead
    (busy timeout). The no-op UPDATE takes that lock up front, so concurrent writing requests queue
    rather than fail. No effect on PostgreSQL. Use for short read-then-write routes only: the lock
    is held until the route commits.
    """
    with get_sessionmaker(request)() as session:
        try:
            if session.get_bind().dialect.name == "sqlite":
                session.execute(_SQLITE_WRITE_LOCK)
            yield _track(request, session)
        finally:
            session.rollback()


WriteSessionDep = Annotated[Session, Depends(get_write_session)]
"""Session for routes that read then write (create with duplicate checks, update, delete, import)."""


_bearer = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key")


def authenticate(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    x_api_key: Annotated[str | None, Depends(_api_key_header)],
) -> Principal:
    """The caller behind the presented key; 401 when there is none or it is unknown/revoked."""
    key = presented_key(f"Bearer {bearer.credentials}" if bearer else None, x_api_key)
    if key is None:
        raise Unauthorized("send an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`")
    with get_sessionmaker(request)() as session:
        principal = lookup_key(session, key)
    if principal is None:
        raise Unauthorized("the API key is unknown or revoked")
    request.state.principal = principal
    return principal


CurrentKey = Annotated[Principal, Depends(authenticate)]
"""Any valid key (every role may read everything)."""


def require(*roles: Role) -> Any:
    """A dependency admitting only ``roles`` (admin is always admitted); 403 for the others.

    Use it in ``dependencies=[require(...)]`` or as a parameter type
    ``caller: Annotated[Principal, require(Role.ENGINEER)]`` when the route needs the caller.
    """
    allowed = frozenset(roles) | {Role.ADMIN}

    def _check(principal: CurrentKey) -> Principal:
        if principal.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise Forbidden(f"role {principal.role.value!r} may not do this; allowed roles: {names}")
        return principal

    return Depends(_check)


AdminKey = Annotated[Principal, require(Role.ADMIN)]
