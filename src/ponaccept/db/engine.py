"""Engine and session construction for SQLite (embedded default) and PostgreSQL (scale-out).

SQLite needs care to behave like a real transactional database:

* ``check_same_thread=False`` because the API and the in-process executor hand connections
  between threads (the pool still gives each connection to one thread at a time);
* ``PRAGMA foreign_keys=ON`` on every connection — SQLite ignores foreign keys otherwise;
* WAL journal so readers do not block the writer, and a busy timeout so a second writer waits
  instead of failing at once with "database is locked";
* pysqlite's own transaction handling is disabled and SQLAlchemy emits ``BEGIN`` itself
  (SQLAlchemy's documented recipe): without it SAVEPOINT — which the repositories use to retry
  on unique-constraint conflicts — does not work reliably.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 15_000


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str | URL, *, echo: bool = False, **kwargs: Any) -> Engine:
    """Create an engine with the per-backend settings above; extra ``kwargs`` go to SQLAlchemy."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args = {"check_same_thread": False, **kwargs.pop("connect_args", {})}
        engine = create_engine(parsed, echo=echo, connect_args=connect_args, **kwargs)
        _configure_sqlite(engine, in_memory=parsed.database in (None, "", ":memory:"))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(parsed, echo=echo, **kwargs)


def _configure_sqlite(engine: Engine, *, in_memory: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (see the module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Session factory; objects stay readable after commit (the API serialises them afterwards)."""
    return sessionmaker(bind=engine, class_=Session, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit when the block succeeds, roll back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
