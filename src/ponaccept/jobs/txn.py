"""Units of work that will write: take the write lock first on SQLite.

SQLite (WAL) refuses a write, without waiting, from a transaction that read before another
connection committed ("database is locked", SQLITE_BUSY_SNAPSHOT). Jobs, the API and the webhook
worker commit concurrently, so a read-then-write unit of work must begin with a write instead: a
zero-row UPDATE takes the write lock (waiting up to the busy timeout) before anything is read.
PostgreSQL (READ COMMITTED) has no such failure and gets a plain transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from ponaccept.db.engine import session_scope


@contextmanager
def write_scope(engine: Engine) -> Iterator[Session]:
    """``session_scope`` whose transaction holds SQLite's write lock from its first statement."""
    with session_scope(engine) as session:
        if engine.dialect.name == "sqlite":
            session.execute(text("UPDATE job SET id = id WHERE id = -1"))
        yield session
