"""State machines: every legal transition, a sample of illegal ones, and the provisioned predicate."""

from __future__ import annotations

import itertools

import pytest

from ponaccept.domain.choices import ActivationStatus as A
from ponaccept.domain.choices import ProjectStatus as P
from ponaccept.domain.choices import TestStatus as T
from ponaccept.domain.errors import DomainError, IllegalTransition
from ponaccept.domain.states import (
    ACTIVATION_MACHINE,
    PROJECT_MACHINE,
    TEST_STATUS_MACHINE,
    apply_activation,
    apply_project,
    apply_test_status,
    is_provisioned,
)
from ponaccept.domain.states import ActivationEvent as AE
from ponaccept.domain.states import ProjectEvent as PE
from ponaccept.domain.states import TestEvent as TE

ACTIVATION_LEGAL = [
    (A.NOT_ACTIVATED, AE.START_ACTIVATION, A.ACTIVATING),
    (A.ACTIVATING, AE.ACTIVATION_SUCCEEDED, A.ACTIVATION_SUCCEEDED),
    (A.ACTIVATING, AE.ACTIVATION_FAILED, A.ACTIVATION_FAILED),
    (A.ACTIVATING, AE.START_REVOCATION, A.REVOKING),
    (A.ACTIVATION_FAILED, AE.START_ACTIVATION, A.ACTIVATING),
    (A.ACTIVATION_FAILED, AE.START_REVOCATION, A.REVOKING),
    (A.ACTIVATION_SUCCEEDED, AE.START_REVOCATION, A.REVOKING),
    (A.REVOKING, AE.REVOCATION_SUCCEEDED, A.REVOKED),
    (A.REVOKING, AE.REVOCATION_FAILED, A.REVOKE_FAILED),
    (A.REVOKE_FAILED, AE.START_REVOCATION, A.REVOKING),
]
PROJECT_LEGAL = [
    (P.DRAFT, PE.START_TESTING, P.TESTING),
    (P.TESTING, PE.SUBMIT_FOR_REVIEW, P.IN_REVIEW),
    (P.IN_REVIEW, PE.ACCEPT, P.ACCEPTED),
    (P.IN_REVIEW, PE.REQUEST_RECTIFICATION, P.RECTIFICATION),
    (P.RECTIFICATION, PE.RESUME_TESTING, P.TESTING),
]


@pytest.mark.parametrize(("state", "event", "target"), ACTIVATION_LEGAL)
def test_activation_legal(state: A, event: AE, target: A) -> None:
    assert apply_activation(state, event) is target


@pytest.mark.parametrize(("state", "event", "target"), PROJECT_LEGAL)
def test_project_legal(state: P, event: PE, target: P) -> None:
    assert apply_project(state, event) is target


def test_test_status_legal_and_illegal() -> None:
    assert apply_test_status(T.NOT_DONE, TE.COMPLETE_TEST) is T.DONE
    with pytest.raises(IllegalTransition) as info:
        apply_test_status(T.DONE, TE.COMPLETE_TEST)
    assert info.value.entity == "test"
    assert info.value.allowed_events == ()


def test_tables_contain_exactly_the_documented_transitions() -> None:
    assert {(s, e, t) for (s, e), t in ACTIVATION_MACHINE.transitions.items()} == set(ACTIVATION_LEGAL)
    assert {(s, e, t) for (s, e), t in PROJECT_MACHINE.transitions.items()} == set(PROJECT_LEGAL)
    assert len(TEST_STATUS_MACHINE.transitions) == 1


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (A.NOT_ACTIVATED, AE.START_REVOCATION),
        (A.NOT_ACTIVATED, AE.ACTIVATION_SUCCEEDED),
        (A.ACTIVATION_SUCCEEDED, AE.START_ACTIVATION),
        (A.REVOKED, AE.START_ACTIVATION),
        (A.REVOKED, AE.START_REVOCATION),
        (A.REVOKING, AE.START_ACTIVATION),
        (A.REVOKE_FAILED, AE.REVOCATION_SUCCEEDED),
    ],
)
def test_activation_illegal_reports_state_and_allowed_events(state: A, event: AE) -> None:
    with pytest.raises(IllegalTransition) as info:
        apply_activation(state, event)
    error = info.value
    assert isinstance(error, DomainError)
    assert (error.entity, error.current_state, error.event) == ("activation", state.value, event.value)
    assert error.allowed_events == tuple(e.value for e in ACTIVATION_MACHINE.allowed_events(state))
    assert state.value in str(error)


def test_every_pair_outside_the_table_is_illegal() -> None:
    legal = {(s, e) for s, e, _ in ACTIVATION_LEGAL}
    for state, event in itertools.product(A, AE):
        assert ACTIVATION_MACHINE.can_apply(state, event) == ((state, event) in legal)
        if (state, event) not in legal:
            with pytest.raises(IllegalTransition):
                apply_activation(state, event)
    legal_project = {(s, e) for s, e, _ in PROJECT_LEGAL}
    for pstate, pevent in itertools.product(P, PE):
        if (pstate, pevent) not in legal_project:
            with pytest.raises(IllegalTransition):
                apply_project(pstate, pevent)


def test_allowed_events_and_terminal_states() -> None:
    assert ACTIVATION_MACHINE.allowed_events(A.ACTIVATING) == (
        AE.ACTIVATION_SUCCEEDED,
        AE.ACTIVATION_FAILED,
        AE.START_REVOCATION,
    )
    assert ACTIVATION_MACHINE.is_terminal(A.REVOKED)
    assert PROJECT_MACHINE.is_terminal(P.ACCEPTED)
    assert not PROJECT_MACHINE.is_terminal(P.RECTIFICATION)
    with pytest.raises(IllegalTransition, match="terminal"):
        apply_project(P.ACCEPTED, PE.RESUME_TESTING)


def test_rectification_loop_returns_to_testing() -> None:
    state = P.DRAFT
    for event in (PE.START_TESTING, PE.SUBMIT_FOR_REVIEW, PE.REQUEST_RECTIFICATION, PE.RESUME_TESTING):
        state = apply_project(state, event)
    assert state is P.TESTING


@pytest.mark.parametrize(
    ("status", "provisioned"),
    [
        (A.NOT_ACTIVATED, False),
        (A.ACTIVATING, True),
        (A.ACTIVATION_SUCCEEDED, True),
        (A.ACTIVATION_FAILED, False),
        (A.REVOKING, True),
        (A.REVOKED, False),
        (A.REVOKE_FAILED, True),
    ],
)
def test_is_provisioned(status: A, provisioned: bool) -> None:
    assert is_provisioned(status) is provisioned
