"""CVLAN pools: lowest-free allocation, release, quarantine, and concurrent allocators."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from fixtures.db import build_olt_tree
from ponaccept.db.engine import session_scope
from ponaccept.db.models import CvlanAllocation, CvlanPool, CvlanStatus
from ponaccept.db.repositories import AllocationContention, NotFound, PoolExhausted, cvlans


def _pool(session: Session, start: int = 100, end: int = 104, **kw: object) -> CvlanPool:
    pool = CvlanPool(name=kw.pop("name", f"pool-{start}-{end}"), range_start=start, range_end=end, **kw)
    session.add(pool)
    session.flush()
    return pool


def test_allocates_lowest_free_and_reuses_released(session: Session) -> None:
    pool = _pool(session)
    assert [cvlans.allocate(session, pool.id) for _ in range(3)] == [100, 101, 102]
    cvlans.release(session, pool.id, 101)
    assert cvlans.allocate(session, pool.id) == 101
    assert cvlans.allocate(session, pool.id) == 103


def test_quarantined_cvlan_is_never_reissued_until_unquarantined(session: Session) -> None:
    pool = _pool(session, 10, 12)
    assert [cvlans.allocate(session, pool.id) for _ in range(2)] == [10, 11]
    cvlans.quarantine(session, pool.id, 10)
    cvlans.release(session, pool.id, 11)
    assert cvlans.quarantined(session, pool.id) == [10]
    assert cvlans.allocate(session, pool.id) == 11
    assert cvlans.allocate(session, pool.id) == 12
    with pytest.raises(PoolExhausted):
        cvlans.allocate(session, pool.id)
    with pytest.raises(ValueError, match="quarantined"):
        cvlans.release(session, pool.id, 10)
    cvlans.unquarantine(session, pool.id, 10)
    assert cvlans.quarantined(session, pool.id) == []
    assert cvlans.allocate(session, pool.id) == 10


def test_unquarantine_requires_quarantine_and_release_requires_allocation(session: Session) -> None:
    pool = _pool(session)
    cvlans.allocate(session, pool.id)
    with pytest.raises(ValueError, match="not quarantined"):
        cvlans.unquarantine(session, pool.id, 100)
    with pytest.raises(NotFound):
        cvlans.release(session, pool.id, 104)
    with pytest.raises(NotFound):
        cvlans.allocate(session, 999_999)


def test_pools_are_independent_and_allocation_links_activation(session: Session) -> None:
    a, b = _pool(session, 100, 110, name="a"), _pool(session, 100, 110, name="b")
    assert cvlans.allocate(session, a.id) == 100
    assert cvlans.allocate(session, b.id) == 100
    row = session.exec(select(CvlanAllocation).where(CvlanAllocation.pool_id == b.id)).one()
    assert row.status is CvlanStatus.ALLOCATED
    assert row.activation_id is None


def test_bad_activation_reference_is_not_mistaken_for_a_race(session: Session) -> None:
    pool = _pool(session)
    with pytest.raises(IntegrityError):
        cvlans.allocate(session, pool.id, activation_id=987_654)


def test_pool_for_pon_port_prefers_the_most_specific_scope(session: Session) -> None:
    tree = build_olt_tree(session)
    other_port = build_olt_tree(session, name=tree.olt.name, port=1, splitter_name="S2").pon_port
    assert cvlans.pool_for_pon_port(session, tree.pon_port) is None
    global_pool = _pool(session, 2000, 2100, name="global")
    assert cvlans.pool_for_pon_port(session, tree.pon_port) == global_pool
    olt_pool = _pool(session, 1000, 1100, name="olt", olt_id=tree.olt.id)
    assert cvlans.pool_for_pon_port(session, tree.pon_port) == olt_pool
    port_pool = _pool(session, 500, 600, name="port", olt_id=tree.olt.id, pon_port_id=tree.pon_port.id)
    assert cvlans.pool_for_pon_port(session, tree.pon_port) == port_pool
    assert cvlans.pool_for_pon_port(session, other_port) == olt_pool


def test_released_cvlan_is_visible_free_to_other_sessions(engine: Engine) -> None:
    with session_scope(engine) as session:
        pool_id = _pool(session).id
        first = cvlans.allocate(session, pool_id)
    with session_scope(engine) as session:
        assert cvlans.allocate(session, pool_id) == first + 1
        cvlans.release(session, pool_id, first)
    with session_scope(engine) as session:
        assert cvlans.allocate(session, pool_id) == first


def test_concurrent_allocators_get_distinct_lowest_cvlans(engine: Engine) -> None:
    """Threads with their own sessions allocate from one pool at once (both backends)."""
    threads, per_thread = 8, 12
    with session_scope(engine) as session:
        pool_id = _pool(session, 100, 400).id
    barrier = threading.Barrier(threads)

    def worker() -> list[int]:
        barrier.wait()
        got = []
        for _ in range(per_thread):
            with session_scope(engine) as session:
                got.append(cvlans.allocate(session, pool_id))
        return got

    with ThreadPoolExecutor(max_workers=threads) as executor:
        results = [f.result() for f in [executor.submit(worker) for _ in range(threads)]]
    allocated = [c for chunk in results for c in chunk]
    assert len(allocated) == len(set(allocated)) == threads * per_thread
    # Lowest-free under contention: no gaps, the first N numbers of the pool are used.
    assert sorted(allocated) == list(range(100, 100 + threads * per_thread))
    with Session(engine) as session:
        stored = session.exec(select(CvlanAllocation.cvlan).where(CvlanAllocation.pool_id == pool_id)).all()
    assert sorted(stored) == sorted(allocated)


def test_lost_race_is_retried_with_the_next_number(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulate a stale read: the first candidate was meanwhile taken by another writer."""
    pool = _pool(session)
    assert cvlans.allocate(session, pool.id) == 100
    real_lowest_free = cvlans._lowest_free
    calls: list[int | None] = []

    def stale_then_real(session: Session, pool: CvlanPool) -> int | None:
        candidate = 100 if not calls else real_lowest_free(session, pool)
        calls.append(candidate)
        return candidate

    monkeypatch.setattr(cvlans, "_lowest_free", stale_then_real)
    assert cvlans.allocate(session, pool.id) == 101
    assert calls == [100, 101]
    # The failed attempt was rolled back to its savepoint only; earlier work is intact.
    assert sorted(session.exec(select(CvlanAllocation.cvlan)).all()) == [100, 101]


def test_allocation_contention_is_bounded(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    pool = _pool(session)
    cvlans.allocate(session, pool.id)
    monkeypatch.setattr(cvlans, "_lowest_free", lambda session, pool: 100)
    with pytest.raises(AllocationContention, match="lost 3"):
        cvlans.allocate(session, pool.id, max_attempts=3)
