"""Typed domain errors.

Every error the domain raises derives from :class:`DomainError`, so the API can map the whole family to
4xx responses and the CLI to a clean message without catching unrelated bugs. Errors about *bad input
values* also derive from :class:`ValueError`: inside a pydantic validator they then become a normal
``ValidationError`` (HTTP 422), while outside pydantic they are raised as themselves.

Each error keeps its facts as attributes (field, value, limits, states) so callers can build structured
responses instead of parsing messages. Messages never repeat a secret: :class:`UnsafeCliText` and
:class:`InvalidOnuPassword` name the field and the offending character, not the whole value.
"""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base of every error raised by ``ponaccept.domain``."""


class InvalidOpticalValue(DomainError, ValueError):
    """An optical quantity that is not a finite number inside its plausible range."""

    def __init__(self, quantity: str, value: float, low: float, high: float, unit: str) -> None:
        self.quantity = quantity
        self.value = value
        self.low = low
        self.high = high
        self.unit = unit
        super().__init__(
            f"{quantity}: {value!r} {unit} is not a plausible value (expected a finite number "
            f"between {low} and {high} {unit})"
        )


class InvalidThresholdProfile(DomainError, ValueError):
    """A threshold profile whose limits contradict each other or miss a required setting."""


class InvalidTopology(DomainError, ValueError):
    """An ODN path description that cannot be priced (unknown splitter ratio, negative length…)."""


class UnsafeCliText(DomainError, ValueError):
    """User text that would reach a device CLI but is not in the safe character set or length."""

    def __init__(
        self, field: str, reason: str, offending: str | None = None, position: int | None = None
    ) -> None:
        self.field = field
        self.reason = reason
        self.offending = offending
        self.position = position
        where = "" if offending is None else f": character {offending!r} at position {position}"
        super().__init__(f"{field}: {reason}{where}")


class InvalidNamingTemplate(DomainError, ValueError):
    """An ONU naming template with unknown placeholders, unsafe literal text or missing required fields."""


class InvalidOnuPassword(DomainError, ValueError):
    """An ONU password that some vendor CLI could not take verbatim."""


class InvalidVlan(DomainError, ValueError):
    """A VLAN id or CVLAN range outside 1..4094, inverted, or overlapping another range."""


class CvlanPoolError(DomainError):
    """Base for CVLAN pool operations that do not fit the pool's current state."""

    def __init__(self, pool_id: str, cvlan: int | None, message: str) -> None:
        self.pool_id = pool_id
        self.cvlan = cvlan
        super().__init__(f"CVLAN pool {pool_id!r}: {message}")


class CvlanPoolExhausted(CvlanPoolError):
    """No CVLAN is free: every id is allocated or quarantined."""

    def __init__(self, pool_id: str, allocated: int, quarantined: int) -> None:
        self.allocated = allocated
        self.quarantined = quarantined
        super().__init__(
            pool_id, None, f"exhausted ({allocated} allocated, {quarantined} quarantined, none free)"
        )


class CvlanNotInPool(CvlanPoolError):
    """The CVLAN is outside every range of the pool."""

    def __init__(self, pool_id: str, cvlan: int) -> None:
        super().__init__(pool_id, cvlan, f"CVLAN {cvlan} is outside the pool's ranges")


class CvlanStateConflict(CvlanPoolError):
    """Release/quarantine/unquarantine of a CVLAN that is not in the state the operation needs."""

    def __init__(self, pool_id: str, cvlan: int, operation: str, current: str) -> None:
        self.operation = operation
        self.current = current
        super().__init__(pool_id, cvlan, f"cannot {operation} CVLAN {cvlan}: it is {current}")


class IllegalTransition(DomainError):
    """An event that the entity's state machine does not accept in its current state.

    The API maps this to HTTP 409 and returns ``current_state`` and ``allowed_events`` so a client
    can see why its request conflicted.
    """

    def __init__(self, entity: str, current_state: str, event: str, allowed_events: Sequence[str]) -> None:
        self.entity = entity
        self.current_state = current_state
        self.event = event
        self.allowed_events = tuple(allowed_events)
        allowed = ", ".join(self.allowed_events) or "none (terminal state)"
        super().__init__(f"{entity} in state {current_state!r} does not accept {event!r}; allowed: {allowed}")
