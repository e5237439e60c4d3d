"""Start a unit of work that writes, so that it cannot fail on SQLite because of concurrent writers.

SQLite (WAL) gives each transaction a snapshot at its first read; a transaction that read first and
then tries to write after another connection committed fails at once with "database is locked"
(SQLITE_BUSY_SNAPSHOT) — the busy timeout does not help. Background jobs commit all the time, so a
request that reads, then writes must instead start with a write: :func:`lock_row` ends the current
(read-only) transaction and begins a new one with a self-assigning UPDATE of the row the request is
about. On SQLite that waits for the write lock (busy timeout); on PostgreSQL it row-locks, which also
serialises concurrent requests on the same project/activation. The row is then re-read.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, SQLModel

M = TypeVar("M", bound=SQLModel)


def lock_row(session: Session, row: M) -> M:
    """Commit the current transaction, lock ``row`` in a new one, and refresh it."""
    session.commit()
    model: Any = type(row)
    session.execute(
        update(model).where(model.id == getattr(row, "id")).values(id=model.id),  # noqa: B009
        execution_options={"synchronize_session": False},
    )
    session.refresh(row)
    return row
