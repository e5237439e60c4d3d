"""State machines for activations, field tests and projects.

Each machine is a table of ``(state, event) → next state``. Anything not in the table raises
:class:`IllegalTransition` with the allowed events, which the API returns as HTTP 409 with the current
state. Keeping the tables as data makes the documentation (``allowed_events``) and the behaviour one thing.

Activation (seed 002: 未激活 → 激活成功 / 激活失败 → 已撤销激活, plus the in-flight and failure states a
real OLT needs)::

    not_activated --start_activation--> activating
    activating --activation_succeeded--> activation_succeeded
    activating --activation_failed--> activation_failed
    activating --start_revocation--> revoking          (a crashed or stuck activation is cleaned up by
                                                        reconciliation: the plan may be half-applied)
    activation_failed --start_activation--> activating (retry)
    activation_failed --start_revocation--> revoking   (the failed plan's rollback itself failed and
                                                        reconciliation found leftovers on the OLT)
    activation_succeeded --start_revocation--> revoking
    revoking --revocation_succeeded--> revoked         (terminal: a new attempt is a new activation)
    revoking --revocation_failed--> revoke_failed
    revoke_failed --start_revocation--> revoking       (retry; the CVLAN stays quarantined meanwhile)

Test status: ``not_done --complete_test--> done``.

Project (工程)::

    draft --start_testing--> testing --submit_for_review--> in_review
    in_review --accept--> accepted (terminal)
    in_review --request_rectification--> rectification --resume_testing--> testing

Guards that need data (all tests done, no test ONU still provisioned — see :func:`is_provisioned`) belong
to the service layer that fires the event; the tables only encode the order of states.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar

from ponaccept.domain.choices import ActivationStatus, ProjectStatus, TestStatus
from ponaccept.domain.errors import IllegalTransition

S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=StrEnum)


class ActivationEvent(StrEnum):
    START_ACTIVATION = "start_activation"
    ACTIVATION_SUCCEEDED = "activation_succeeded"
    ACTIVATION_FAILED = "activation_failed"
    START_REVOCATION = "start_revocation"
    REVOCATION_SUCCEEDED = "revocation_succeeded"
    REVOCATION_FAILED = "revocation_failed"


class TestEvent(StrEnum):
    __test__ = False  # not a pytest class

    COMPLETE_TEST = "complete_test"


class ProjectEvent(StrEnum):
    START_TESTING = "start_testing"
    SUBMIT_FOR_REVIEW = "submit_for_review"
    ACCEPT = "accept"
    REQUEST_RECTIFICATION = "request_rectification"
    RESUME_TESTING = "resume_testing"


@dataclass(frozen=True)
class StateMachine(Generic[S, E]):
    """A transition table for one entity kind; ``entity`` names it in errors ("activation", "project")."""

    entity: str
    transitions: Mapping[tuple[S, E], S]

    def apply(self, state: S, event: E) -> S:
        """The state after ``event``; raises :class:`IllegalTransition` if ``state`` does not accept it."""
        try:
            return self.transitions[(state, event)]
        except KeyError:
            raise IllegalTransition(
                self.entity, state.value, event.value, [e.value for e in self.allowed_events(state)]
            ) from None

    def allowed_events(self, state: S) -> tuple[E, ...]:
        """Events accepted in ``state``, in table order (empty for a terminal state)."""
        return tuple(event for (source, event) in self.transitions if source == state)

    def can_apply(self, state: S, event: E) -> bool:
        return (state, event) in self.transitions

    def is_terminal(self, state: S) -> bool:
        return not self.allowed_events(state)


def _table(rows: Iterable[tuple[S, E, S]]) -> Mapping[tuple[S, E], S]:
    return MappingProxyType({(source, event): target for source, event, target in rows})


_A = ActivationStatus
_AE = ActivationEvent

ACTIVATION_MACHINE: StateMachine[ActivationStatus, ActivationEvent] = StateMachine(
    "activation",
    _table(
        [
            (_A.NOT_ACTIVATED, _AE.START_ACTIVATION, _A.ACTIVATING),
            (_A.ACTIVATING, _AE.ACTIVATION_SUCCEEDED, _A.ACTIVATION_SUCCEEDED),
            (_A.ACTIVATING, _AE.ACTIVATION_FAILED, _A.ACTIVATION_FAILED),
            (_A.ACTIVATING, _AE.START_REVOCATION, _A.REVOKING),
            (_A.ACTIVATION_FAILED, _AE.START_ACTIVATION, _A.ACTIVATING),
            (_A.ACTIVATION_FAILED, _AE.START_REVOCATION, _A.REVOKING),
            (_A.ACTIVATION_SUCCEEDED, _AE.START_REVOCATION, _A.REVOKING),
            (_A.REVOKING, _AE.REVOCATION_SUCCEEDED, _A.REVOKED),
            (_A.REVOKING, _AE.REVOCATION_FAILED, _A.REVOKE_FAILED),
            (_A.REVOKE_FAILED, _AE.START_REVOCATION, _A.REVOKING),
        ]
    ),
)

TEST_STATUS_MACHINE: StateMachine[TestStatus, TestEvent] = StateMachine(
    "test",
    _table([(TestStatus.NOT_DONE, TestEvent.COMPLETE_TEST, TestStatus.DONE)]),
)

_P = ProjectStatus
_PE = ProjectEvent

PROJECT_MACHINE: StateMachine[ProjectStatus, ProjectEvent] = StateMachine(
    "project",
    _table(
        [
            (_P.DRAFT, _PE.START_TESTING, _P.TESTING),
            (_P.TESTING, _PE.SUBMIT_FOR_REVIEW, _P.IN_REVIEW),
            (_P.IN_REVIEW, _PE.ACCEPT, _P.ACCEPTED),
            (_P.IN_REVIEW, _PE.REQUEST_RECTIFICATION, _P.RECTIFICATION),
            (_P.RECTIFICATION, _PE.RESUME_TESTING, _P.TESTING),
        ]
    ),
)

PROVISIONED_STATUSES: frozenset[ActivationStatus] = frozenset(
    {_A.ACTIVATING, _A.ACTIVATION_SUCCEEDED, _A.REVOKING, _A.REVOKE_FAILED}
)
"""Statuses in which the test ONU may exist on the OLT. ``activation_failed`` is excluded because a failed
plan is rolled back; if the rollback fails the driver reports it and reconciliation revokes."""


def is_provisioned(status: ActivationStatus) -> bool:
    """Whether a test ONU in ``status`` may still be configured on the OLT (blocks project acceptance)."""
    return status in PROVISIONED_STATUSES


def apply_activation(state: ActivationStatus, event: ActivationEvent) -> ActivationStatus:
    return ACTIVATION_MACHINE.apply(state, event)


def apply_test_status(state: TestStatus, event: TestEvent) -> TestStatus:
    return TEST_STATUS_MACHINE.apply(state, event)


def apply_project(state: ProjectStatus, event: ProjectEvent) -> ProjectStatus:
    return PROJECT_MACHINE.apply(state, event)
