"""CLI-safe tokens and the ONU naming rule: unsafe text is rejected, never mangled."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ponaccept.domain.errors import DomainError, InvalidNamingTemplate, UnsafeCliText
from ponaccept.domain.naming import (
    CLI_TOKEN_PATTERN,
    DEFAULT_TEMPLATE,
    NamingContext,
    NamingRule,
    is_cli_safe,
    validate_cli_token,
)

SAFE = string.ascii_letters + string.digits + "-_."


def context(**overrides: object) -> NamingContext:
    values: dict[str, object] = {
        "olt": "OLT-SZ01",
        "frame": 0,
        "slot": 1,
        "port": 3,
        "splitter": "POS0012",
        "splitter_port": 7,
        "attempt": 1,
    }
    values.update(overrides)
    return NamingContext(**values)  # type: ignore[arg-type]


def test_default_rule_renders_documented_shape() -> None:
    assert DEFAULT_TEMPLATE == "T-{olt}-{frame}-{slot}-{port}-{splitter}-{splitter_port}"
    assert NamingRule().render(context()) == "T-OLT-SZ01-0-1-3-POS0012-7"


def test_custom_rule_with_attempt() -> None:
    rule = NamingRule("acc_{splitter}.{splitter_port}_a{attempt}")
    assert rule.render(context(attempt=2)) == "acc_POS0012.7_a2"
    assert rule.fields == frozenset({"splitter", "splitter_port", "attempt"})


@pytest.mark.parametrize(
    ("value", "offending", "position"),
    [
        ("abc\ndisplay", "\n", 3),
        ('ab"c', '"', 2),
        ("ab'c", "'", 2),
        ("a;b", ";", 1),
        ("a b", " ", 1),
        ("分光器1", "分", 0),
        ("ok\r", "\r", 2),
        ("tab\there", "\t", 3),
        ("a/b", "/", 1),
    ],
)
def test_unsafe_characters_are_rejected_with_field_and_character(
    value: str, offending: str, position: int
) -> None:
    with pytest.raises(UnsafeCliText) as info:
        validate_cli_token(value, "description")
    assert isinstance(info.value, DomainError)
    assert info.value.field == "description"
    assert info.value.offending == offending
    assert info.value.position == position
    assert "description" in str(info.value)
    assert repr(offending) in str(info.value)


def test_empty_and_too_long_are_rejected() -> None:
    with pytest.raises(UnsafeCliText, match="empty"):
        validate_cli_token("", "onu_name")
    with pytest.raises(UnsafeCliText, match="65 characters"):
        validate_cli_token("a" * 65, "onu_name")
    assert validate_cli_token("a" * 64, "onu_name") == "a" * 64
    with pytest.raises(UnsafeCliText):
        validate_cli_token("abcdef", "x", max_length=5)


def test_non_text_is_rejected() -> None:
    with pytest.raises(UnsafeCliText):
        validate_cli_token(12, "onu_name")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("template", "match"),
    [
        ("T-{olt}-{splitter}-{nonsense}-{splitter_port}", "unknown placeholder"),
        ("T-{}-{splitter}-{splitter_port}", "unknown placeholder"),
        ("T-{0}-{splitter}-{splitter_port}", "unknown placeholder"),
        ("T-{olt.__class__}-{splitter}-{splitter_port}", "unknown placeholder"),
        ("T {splitter}-{splitter_port}", "space"),
        ("T;{splitter}-{splitter_port}", "unsafe"),
        ("{{x}}{splitter}-{splitter_port}", "unsafe"),
        ("T-{splitter!r}-{splitter_port}", "format spec or conversion"),
        ("T-{splitter:>40}-{splitter_port}", "format spec or conversion"),
        ("T-{olt}-{splitter_port}", "required"),
        ("T-{splitter", "not a valid format string"),
        ("", "required"),
    ],
)
def test_bad_templates_are_rejected_at_construction(template: str, match: str) -> None:
    with pytest.raises(InvalidNamingTemplate, match=match):
        NamingRule(template)


def test_bad_max_length_is_rejected() -> None:
    with pytest.raises(InvalidNamingTemplate):
        NamingRule(max_length=65)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"splitter": "1号分光器"}, "splitter"),
        ({"olt": "olt 1"}, "olt"),
        ({"splitter_port": 0}, "splitter_port"),
        ({"slot": -1}, "slot"),
        ({"attempt": True}, "attempt"),
    ],
)
def test_bad_field_values_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(UnsafeCliText) as info:
        NamingRule().render(context(**overrides))
    assert info.value.field == field


def test_too_long_rendered_name_is_rejected_not_truncated() -> None:
    with pytest.raises(UnsafeCliText) as info:
        NamingRule().render(context(olt="O" * 60))
    assert info.value.field == "onu_name"


safe_tokens = st.text(alphabet=SAFE, min_size=1, max_size=12)
numbers = st.integers(min_value=0, max_value=999)


@given(
    olt=safe_tokens,
    splitter=safe_tokens,
    frame=numbers,
    slot=numbers,
    port=numbers,
    splitter_port=st.integers(1, 128),
    attempt=st.integers(1, 99),
)
def test_valid_inputs_always_give_a_cli_safe_name(
    olt: str, splitter: str, frame: int, slot: int, port: int, splitter_port: int, attempt: int
) -> None:
    ctx = NamingContext(olt, frame, slot, port, splitter, splitter_port, attempt)
    name = NamingRule("T-{olt}-{frame}-{slot}-{port}-{splitter}-{splitter_port}-{attempt}").render(ctx)
    assert CLI_TOKEN_PATTERN.fullmatch(name)
    assert is_cli_safe(name)


@given(
    prefix=st.text(alphabet=SAFE, max_size=5),
    bad=st.characters(blacklist_characters=SAFE),
    suffix=st.text(max_size=5),
)
def test_any_unsafe_character_is_rejected(prefix: str, bad: str, suffix: str) -> None:
    value = prefix + bad + suffix
    with pytest.raises(UnsafeCliText) as info:
        validate_cli_token(value, "field")
    assert info.value.position == len(prefix)
    assert info.value.offending == bad


@given(splitter=st.text(min_size=1, max_size=20).filter(lambda s: not is_cli_safe(s)))
def test_unsafe_field_never_reaches_a_name(splitter: str) -> None:
    with pytest.raises(UnsafeCliText):
        NamingRule().render(context(splitter=splitter))


@given(value=st.text(max_size=80))
def test_validator_agrees_with_documented_pattern(value: str) -> None:
    assert is_cli_safe(value) == bool(CLI_TOKEN_PATTERN.fullmatch(value))


def test_prefix_is_the_literal_text_before_the_first_field() -> None:
    from ponaccept.domain.naming import NamingRule

    assert NamingRule().prefix == "T-"
    assert NamingRule("acc_{splitter}.{splitter_port}").prefix == "acc_"
