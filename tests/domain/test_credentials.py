"""ONU password generation and validation."""

from __future__ import annotations

import random
import secrets

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ponaccept.domain.credentials import (
    ONU_PASSWORD_ALPHABET,
    UNAMBIGUOUS_ALPHABET,
    generate_onu_password,
    validate_onu_password,
)
from ponaccept.domain.errors import InvalidOnuPassword
from ponaccept.domain.naming import is_cli_safe


def test_default_is_ten_alphanumerics() -> None:
    password = generate_onu_password(secrets.SystemRandom())
    assert len(password) == 10
    assert set(password) <= set(ONU_PASSWORD_ALPHABET)
    assert is_cli_safe(password)


def test_injected_generator_makes_it_deterministic() -> None:
    assert generate_onu_password(random.Random(7)) == generate_onu_password(random.Random(7))
    assert generate_onu_password(random.Random(7)) != generate_onu_password(random.Random(8))


def test_unambiguous_alphabet() -> None:
    password = generate_onu_password(random.Random(1), length=10, alphabet=UNAMBIGUOUS_ALPHABET)
    assert not set(password) & set("0O1lI")


@pytest.mark.parametrize("length", [0, 11])
def test_length_bounds(length: int) -> None:
    with pytest.raises(InvalidOnuPassword):
        generate_onu_password(random.Random(1), length=length)


def test_alphabet_must_be_safe() -> None:
    with pytest.raises(InvalidOnuPassword):
        generate_onu_password(random.Random(1), alphabet='abc"')
    with pytest.raises(InvalidOnuPassword):
        generate_onu_password(random.Random(1), alphabet="")


@pytest.mark.parametrize("password", ["", "a" * 11, 'ab"cd', "ab cd", "ab;cd", "pässwort", "a\nb"])
def test_invalid_passwords_are_rejected_without_echoing(password: str) -> None:
    with pytest.raises(InvalidOnuPassword) as info:
        validate_onu_password(password)
    if len(password) > 2:
        assert password not in str(info.value)


def test_valid_password_is_returned_unchanged() -> None:
    assert validate_onu_password("Abc123xyz9") == "Abc123xyz9"


@given(seed=st.integers(), length=st.integers(1, 10))
def test_generated_passwords_always_validate(seed: int, length: int) -> None:
    password = generate_onu_password(random.Random(seed), length=length)
    assert len(password) == length
    assert validate_onu_password(password) == password
