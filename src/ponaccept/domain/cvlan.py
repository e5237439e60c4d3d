"""VLAN value objects and the test-CVLAN pool.

Each test ONU gets a CVLAN from a reserved range, scoped to an OLT or a PON port (the pool id is just a
label here; the database decides the scope). The pool issues the *lowest* free CVLAN so allocations are
predictable and easy to audit against the OLT's ``display service-port`` output.

Quarantine: when revoking a test ONU fails, its service-port may still exist on the OLT with that CVLAN.
Re-issuing the CVLAN would put a second subscriber on the same C-tag, so the CVLAN moves to
``quarantined`` and is only freed by an explicit :meth:`CvlanPool.unquarantine` after reconciliation has
confirmed the OLT is clean.

:class:`CvlanPool` is immutable: every operation returns a new pool, so a caller holding the old value (a
repository about to persist, a test's model) never sees it change. The database layer may instead keep
allocations in rows and call :func:`lowest_free` directly.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Final

from ponaccept.domain.errors import CvlanNotInPool, CvlanPoolExhausted, CvlanStateConflict, InvalidVlan

VLAN_MIN: Final = 1
VLAN_MAX: Final = 4094
"""802.1Q: 0 means "priority tag only" and 4095 is reserved, so usable ids are 1…4094."""


def validate_vlan_id(value: int, field_name: str = "vlan") -> int:
    """Return ``value`` if it is an integer VLAN id in 1…4094; else raise :class:`InvalidVlan`."""
    if isinstance(value, bool) or not isinstance(value, int) or not VLAN_MIN <= value <= VLAN_MAX:
        raise InvalidVlan(f"{field_name} must be an integer in {VLAN_MIN}…{VLAN_MAX}, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Svlan:
    """The outer VLAN of a PON port's service-ports; it comes from the port, never from the pool."""

    vlan_id: int

    def __post_init__(self) -> None:
        validate_vlan_id(self.vlan_id, "svlan")


@dataclass(frozen=True, slots=True, order=True)
class CvlanRange:
    """An inclusive range of CVLAN ids reserved for test ONUs."""

    start: int
    end: int

    def __post_init__(self) -> None:
        validate_vlan_id(self.start, "cvlan range start")
        validate_vlan_id(self.end, "cvlan range end")
        if self.start > self.end:
            raise InvalidVlan(f"cvlan range start {self.start} is after its end {self.end}")

    def __contains__(self, cvlan: object) -> bool:
        return isinstance(cvlan, int) and self.start <= cvlan <= self.end

    def __len__(self) -> int:
        return self.end - self.start + 1


def validate_ranges(ranges: Iterable[CvlanRange]) -> tuple[CvlanRange, ...]:
    """Sort ``ranges`` and reject overlaps (an id in two ranges would be counted twice)."""
    ordered = tuple(sorted(ranges))
    if not ordered:
        raise InvalidVlan("a CVLAN pool needs at least one range")
    for previous, current in pairwise(ordered):
        if current.start <= previous.end:
            raise InvalidVlan(
                f"cvlan ranges {previous.start}-{previous.end} and {current.start}-{current.end} overlap"
            )
    return ordered


def lowest_free(ranges: Iterable[CvlanRange], taken: Collection[int]) -> int | None:
    """The lowest id of ``ranges`` not in ``taken`` (allocated *or* quarantined), or ``None`` if none."""
    taken_set = taken if isinstance(taken, set | frozenset) else set(taken)
    for cvlan_range in sorted(ranges):
        for cvlan in range(cvlan_range.start, cvlan_range.end + 1):
            if cvlan not in taken_set:
                return cvlan
    return None


@dataclass(frozen=True, slots=True)
class CvlanPool:
    """Immutable pool state: ranges plus the allocated and quarantined ids (disjoint sets)."""

    pool_id: str
    ranges: tuple[CvlanRange, ...]
    allocated: frozenset[int] = field(default_factory=frozenset)
    quarantined: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ranges", validate_ranges(self.ranges))
        object.__setattr__(self, "allocated", frozenset(self.allocated))
        object.__setattr__(self, "quarantined", frozenset(self.quarantined))
        both = self.allocated & self.quarantined
        if both:
            raise InvalidVlan(f"CVLAN(s) {sorted(both)} cannot be both allocated and quarantined")
        for cvlan in self.allocated | self.quarantined:
            self._check_member(cvlan)

    @property
    def size(self) -> int:
        return sum(len(r) for r in self.ranges)

    @property
    def free_count(self) -> int:
        return self.size - len(self.allocated) - len(self.quarantined)

    def __contains__(self, cvlan: object) -> bool:
        return any(cvlan in r for r in self.ranges)

    def state_of(self, cvlan: int) -> str:
        """``allocated``, ``quarantined`` or ``free`` (raises :class:`CvlanNotInPool` outside the ranges)."""
        self._check_member(cvlan)
        if cvlan in self.allocated:
            return "allocated"
        if cvlan in self.quarantined:
            return "quarantined"
        return "free"

    def allocate(self) -> tuple[CvlanPool, int]:
        """Issue the lowest free CVLAN; raises :class:`CvlanPoolExhausted` when none is free."""
        cvlan = lowest_free(self.ranges, self.allocated | self.quarantined)
        if cvlan is None:
            raise CvlanPoolExhausted(self.pool_id, len(self.allocated), len(self.quarantined))
        return replace(self, allocated=self.allocated | {cvlan}), cvlan

    def release(self, cvlan: int) -> CvlanPool:
        """Return an allocated CVLAN after a successful revocation."""
        self._expect(cvlan, "allocated", "release")
        return replace(self, allocated=self.allocated - {cvlan})

    def quarantine(self, cvlan: int) -> CvlanPool:
        """Hold an allocated CVLAN whose revocation failed; it is not issued again until unquarantined."""
        self._expect(cvlan, "allocated", "quarantine")
        return replace(self, allocated=self.allocated - {cvlan}, quarantined=self.quarantined | {cvlan})

    def unquarantine(self, cvlan: int) -> CvlanPool:
        """Free a quarantined CVLAN once reconciliation has confirmed the OLT no longer uses it."""
        self._expect(cvlan, "quarantined", "unquarantine")
        return replace(self, quarantined=self.quarantined - {cvlan})

    def _check_member(self, cvlan: int) -> None:
        validate_vlan_id(cvlan, "cvlan")
        if cvlan not in self:
            raise CvlanNotInPool(self.pool_id, cvlan)

    def _expect(self, cvlan: int, wanted: str, operation: str) -> None:
        current = self.state_of(cvlan)
        if current != wanted:
            raise CvlanStateConflict(self.pool_id, cvlan, operation, current)
