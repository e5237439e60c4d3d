"""CVLAN pool: lowest-free allocation, release, quarantine, exhaustion, range validation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ponaccept.domain.cvlan import (
    CvlanPool,
    CvlanRange,
    Svlan,
    lowest_free,
    validate_ranges,
    validate_vlan_id,
)
from ponaccept.domain.errors import (
    CvlanNotInPool,
    CvlanPoolExhausted,
    CvlanStateConflict,
    DomainError,
    InvalidVlan,
)


def pool(*ranges: tuple[int, int]) -> CvlanPool:
    return CvlanPool("olt-1/0/1/3", tuple(CvlanRange(a, b) for a, b in ranges))


def test_allocates_lowest_free_across_ranges() -> None:
    p = pool((3000, 3001), (100, 100))
    p, first = p.allocate()
    p, second = p.allocate()
    p, third = p.allocate()
    assert (first, second, third) == (100, 3000, 3001)
    assert p.free_count == 0
    with pytest.raises(CvlanPoolExhausted) as info:
        p.allocate()
    assert isinstance(info.value, DomainError)
    assert info.value.pool_id == "olt-1/0/1/3"
    assert info.value.allocated == 3


def test_release_makes_the_id_lowest_again() -> None:
    p = pool((10, 20))
    for _ in range(3):
        p, _cvlan = p.allocate()
    p = p.release(10)
    p, again = p.allocate()
    assert again == 10


def test_operations_do_not_mutate_the_original() -> None:
    original = pool((10, 20))
    after, cvlan = original.allocate()
    assert cvlan == 10
    assert original.allocated == frozenset()
    assert after.allocated == frozenset({10})


def test_quarantined_is_not_reissued_until_unquarantined() -> None:
    p = pool((10, 11))
    p, a = p.allocate()
    p = p.quarantine(a)
    assert p.state_of(a) == "quarantined"
    p, b = p.allocate()
    assert b == 11
    with pytest.raises(CvlanPoolExhausted) as info:
        p.allocate()
    assert info.value.quarantined == 1
    p = p.unquarantine(a)
    p, c = p.allocate()
    assert c == a


@pytest.mark.parametrize(
    ("setup", "operation", "current"),
    [
        ([], "release", "free"),
        ([], "quarantine", "free"),
        ([], "unquarantine", "free"),
        (["allocate"], "unquarantine", "allocated"),
        (["allocate", "quarantine"], "release", "quarantined"),
        (["allocate", "quarantine"], "quarantine", "quarantined"),
    ],
)
def test_state_conflicts_are_typed(setup: list[str], operation: str, current: str) -> None:
    p = pool((10, 12))
    for step in setup:
        p = p.allocate()[0] if step == "allocate" else getattr(p, step)(10)
    with pytest.raises(CvlanStateConflict) as info:
        getattr(p, operation)(10)
    assert info.value.current == current
    assert info.value.operation == operation
    assert info.value.cvlan == 10


def test_outside_the_pool_is_rejected() -> None:
    with pytest.raises(CvlanNotInPool):
        pool((10, 12)).release(13)
    with pytest.raises(InvalidVlan):
        pool((10, 12)).release(5000)


@pytest.mark.parametrize(("start", "end"), [(0, 10), (1, 4095), (20, 10), (-1, 5)])
def test_invalid_ranges(start: int, end: int) -> None:
    with pytest.raises(InvalidVlan):
        CvlanRange(start, end)


def test_overlapping_or_empty_ranges_are_rejected() -> None:
    with pytest.raises(InvalidVlan, match="overlap"):
        validate_ranges([CvlanRange(100, 200), CvlanRange(200, 300)])
    with pytest.raises(InvalidVlan, match="at least one"):
        validate_ranges([])
    assert validate_ranges([CvlanRange(300, 301), CvlanRange(1, 4)]) == (
        CvlanRange(1, 4),
        CvlanRange(300, 301),
    )


def test_pool_state_is_validated() -> None:
    with pytest.raises(InvalidVlan, match="both"):
        CvlanPool("p", (CvlanRange(1, 5),), allocated=frozenset({2}), quarantined=frozenset({2}))
    with pytest.raises(CvlanNotInPool):
        CvlanPool("p", (CvlanRange(1, 5),), allocated=frozenset({9}))


def test_svlan_and_vlan_ids() -> None:
    assert Svlan(100).vlan_id == 100
    for bad in (0, 4095, True):
        with pytest.raises(InvalidVlan):
            Svlan(bad)
    assert validate_vlan_id(4094) == 4094


def test_lowest_free_pure_function() -> None:
    ranges = [CvlanRange(200, 202), CvlanRange(100, 101)]
    assert lowest_free(ranges, []) == 100
    assert lowest_free(ranges, [100, 101, 200]) == 201
    assert lowest_free(ranges, range(0, 4095)) is None


operations = st.lists(
    st.tuples(st.sampled_from(["allocate", "release", "quarantine", "unquarantine"]), st.integers(0, 50)),
    max_size=80,
)


@given(ops=operations)
def test_random_sequences_keep_the_pool_invariants(ops: list[tuple[str, int]]) -> None:
    ranges = (CvlanRange(10, 19), CvlanRange(30, 34))
    ids = [*range(10, 20), *range(30, 35)]
    p = CvlanPool("p", ranges)
    held: set[int] = set()
    quarantined: set[int] = set()
    for operation, pick in ops:
        if operation == "allocate":
            expected = min((i for i in ids if i not in held | quarantined), default=None)
            if expected is None:
                with pytest.raises(CvlanPoolExhausted):
                    p.allocate()
                continue
            p, cvlan = p.allocate()
            assert cvlan == expected  # always the lowest free
            assert cvlan not in held  # never held twice
            assert cvlan not in quarantined  # quarantined never re-issued
            held.add(cvlan)
        elif operation in ("release", "quarantine") and held:
            cvlan = sorted(held)[pick % len(held)]
            p = getattr(p, operation)(cvlan)
            held.discard(cvlan)
            if operation == "quarantine":
                quarantined.add(cvlan)
        elif operation == "unquarantine" and quarantined:
            cvlan = sorted(quarantined)[pick % len(quarantined)]
            p = p.unquarantine(cvlan)
            quarantined.discard(cvlan)
        assert p.allocated == held
        assert p.quarantined == quarantined
        assert p.free_count == len(ids) - len(held) - len(quarantined)
