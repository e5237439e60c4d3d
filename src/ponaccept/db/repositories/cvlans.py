"""CVLAN allocation: lowest free number first, safe under concurrent allocators.

Correctness rests on the unique (pool_id, cvlan) constraint: an allocator reads the taken numbers,
inserts the lowest free one inside a SAVEPOINT, and on a conflict (another writer took it first)
rolls back only the savepoint and tries again. That retry assumes READ COMMITTED on PostgreSQL (the
default), where the winner's committed row is visible to the loser's next statement.

Efficiency comes from a pool lock (see ``_lock_pool``): allocators of one pool take turns, so the
retry path is a safety net rather than the normal case. Call ``allocate`` early in a short unit of
work: the lock is held until commit, and on SQLite a transaction that has already read data cannot
take the write lock if another writer committed in the meantime.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ponaccept.db.models import CvlanAllocation, CvlanPool, CvlanStatus, PonPort
from ponaccept.db.repositories.errors import AllocationContention, NotFound, PoolExhausted

DEFAULT_MAX_ATTEMPTS = 32


def _pool(session: Session, pool_id: int) -> CvlanPool:
    pool = session.get(CvlanPool, pool_id)
    if pool is None:
        raise NotFound(f"CVLAN pool {pool_id} does not exist")
    return pool


def _lock_pool(session: Session, pool_id: int) -> None:
    """Queue allocators of one pool behind each other until the caller's transaction ends.

    A self-assigning UPDATE is the one statement that does this on both backends: PostgreSQL
    row-locks the pool; SQLite takes its write lock (waiting up to the busy timeout) *before* we
    read the taken numbers. Without it, every allocator races for the same lowest number (costly
    retries on PostgreSQL) and SQLite fails at once with "database is locked" when a writer
    commits between our read and our insert.
    """
    session.execute(
        update(CvlanPool).where(col(CvlanPool.id) == pool_id).values(id=CvlanPool.id),
        execution_options={"synchronize_session": False},
    )


def _lowest_free(session: Session, pool: CvlanPool) -> int | None:
    taken = set(session.exec(select(CvlanAllocation.cvlan).where(CvlanAllocation.pool_id == pool.id)).all())
    for candidate in range(pool.range_start, pool.range_end + 1):
        if candidate not in taken:
            return candidate
    return None


def _is_taken(session: Session, pool_id: int, cvlan: int) -> bool:
    statement = select(CvlanAllocation.id).where(
        CvlanAllocation.pool_id == pool_id, CvlanAllocation.cvlan == cvlan
    )
    return session.exec(statement).first() is not None


def allocate(
    session: Session,
    pool_id: int,
    *,
    activation_id: int | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> int:
    """Reserve and return the lowest CVLAN of the pool that is neither allocated nor quarantined.

    Raises :class:`PoolExhausted` when none is left and :class:`AllocationContention` when
    concurrent allocators won ``max_attempts`` races in a row. The reservation becomes visible to
    others when the caller commits.
    """
    _lock_pool(session, pool_id)
    pool = _pool(session, pool_id)
    for _ in range(max_attempts):
        candidate = _lowest_free(session, pool)
        if candidate is None:
            raise PoolExhausted(
                f"CVLAN pool {pool.name!r} ({pool.range_start}-{pool.range_end}) is exhausted"
            )
        try:
            with session.begin_nested():
                session.add(CvlanAllocation(pool_id=pool_id, cvlan=candidate, activation_id=activation_id))
        except IntegrityError:
            if not _is_taken(session, pool_id, candidate):
                raise  # not a lost race (e.g. a bad activation_id): retrying would not help
            continue
        return candidate
    raise AllocationContention(f"CVLAN pool {pool.name!r}: lost {max_attempts} allocation races")


def _allocation(session: Session, pool_id: int, cvlan: int) -> CvlanAllocation:
    statement = select(CvlanAllocation).where(
        CvlanAllocation.pool_id == pool_id, CvlanAllocation.cvlan == cvlan
    )
    allocation = session.exec(statement).first()
    if allocation is None:
        raise NotFound(f"CVLAN {cvlan} is not allocated in pool {pool_id}")
    return allocation


def release(session: Session, pool_id: int, cvlan: int) -> None:
    """Return an allocated CVLAN to the pool. A quarantined one is refused: it must be
    unquarantined explicitly, after someone confirmed the OLT no longer uses it."""
    allocation = _allocation(session, pool_id, cvlan)
    if allocation.status == CvlanStatus.QUARANTINED:
        raise ValueError(f"CVLAN {cvlan} in pool {pool_id} is quarantined; unquarantine it instead")
    session.delete(allocation)
    session.flush()


def quarantine(session: Session, pool_id: int, cvlan: int) -> None:
    """Keep ``cvlan`` out of circulation (its revocation failed; the OLT may still use it)."""
    allocation = _allocation(session, pool_id, cvlan)
    allocation.status = CvlanStatus.QUARANTINED
    session.add(allocation)
    session.flush()


def unquarantine(session: Session, pool_id: int, cvlan: int) -> None:
    """Release a quarantined CVLAN back to the pool once the device was cleaned up."""
    allocation = _allocation(session, pool_id, cvlan)
    if allocation.status != CvlanStatus.QUARANTINED:
        raise ValueError(f"CVLAN {cvlan} in pool {pool_id} is not quarantined")
    session.delete(allocation)
    session.flush()


def quarantined(session: Session, pool_id: int) -> list[int]:
    """CVLANs of the pool currently held in quarantine, ascending."""
    statement = (
        select(CvlanAllocation.cvlan)
        .where(CvlanAllocation.pool_id == pool_id, CvlanAllocation.status == CvlanStatus.QUARANTINED)
        .order_by(col(CvlanAllocation.cvlan))
    )
    return list(session.exec(statement).all())


def pool_for_pon_port(session: Session, pon_port: PonPort) -> CvlanPool | None:
    """The pool serving ``pon_port``: the most specific of PON-port, OLT and global scope."""
    for condition in (
        col(CvlanPool.pon_port_id) == pon_port.id,
        (col(CvlanPool.olt_id) == pon_port.olt_id) & col(CvlanPool.pon_port_id).is_(None),
        col(CvlanPool.olt_id).is_(None) & col(CvlanPool.pon_port_id).is_(None),
    ):
        pool = session.exec(select(CvlanPool).where(condition).order_by(col(CvlanPool.id)).limit(1)).first()
        if pool is not None:
            return pool
    return None
