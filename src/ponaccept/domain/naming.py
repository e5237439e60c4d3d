"""CLI-safe text and the test-ONU naming rule.

Anything a user or an upstream system types can end up inside an OLT command (``ont add … desc "<name>"``,
``name <name>``). A newline there is a second command, a quote ends the argument, a space splits it. So
every such value passes :func:`validate_cli_token`, which *rejects* — never strips, escapes or
transliterates — anything outside ``[A-Za-z0-9_.-]{1,64}``. Mangling would make the name on the device
differ from the name in the database, and reconciliation matches on it.

The naming rule is a ``str.format`` template over a fixed set of fields. The default,
:data:`DEFAULT_TEMPLATE` ``"T-{olt}-{frame}-{slot}-{port}-{splitter}-{splitter_port}"``, starts with ``T-``
so that test ONUs are recognisable on the OLT (and by the leak sweeper), and contains the PON port and the
splitter port so that two live test ONUs never share a name. ``{splitter}`` must be a CLI-safe code for
the splitter (e.g. its resource-system id), not its Chinese display name: rendering rejects such text.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Final

from ponaccept.domain.errors import InvalidNamingTemplate, UnsafeCliText

CLI_TOKEN_MAX_LENGTH: Final = 64
CLI_SAFE_CHARS: Final = frozenset(string.ascii_letters + string.digits + "-_.")
CLI_TOKEN_PATTERN: Final = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
"""Full-match pattern of a CLI-safe token (documented for API schemas; validation uses the same set)."""

NAMING_FIELDS: Final = frozenset({"olt", "frame", "slot", "port", "splitter", "splitter_port", "attempt"})
REQUIRED_FIELDS: Final = frozenset({"splitter", "splitter_port"})
"""A template without these would give every test ONU on a PON port the same name."""
DEFAULT_TEMPLATE: Final = "T-{olt}-{frame}-{slot}-{port}-{splitter}-{splitter_port}"


def _describe(char: str) -> str:
    names = {"\n": "newline", "\r": "carriage return", "\t": "tab", " ": "space", '"': "double quote"}
    if char in names:
        return names[char]
    if char == "'":
        return "single quote"
    if not char.isascii():
        return "non-ASCII character"
    if not char.isprintable():
        return "control character"
    return "character not allowed"


def validate_cli_token(value: str, field: str, max_length: int = CLI_TOKEN_MAX_LENGTH) -> str:
    """Return ``value`` unchanged if it is safe to place in a device command; else raise.

    Raises :class:`UnsafeCliText` naming ``field``, why, and the first offending character and its
    position (the value itself is not repeated, in case it is secret).
    """
    if not isinstance(value, str):
        raise UnsafeCliText(field, f"must be text, got {type(value).__name__}")
    if not value:
        raise UnsafeCliText(field, "must not be empty")
    if len(value) > max_length:
        raise UnsafeCliText(field, f"is {len(value)} characters long, at most {max_length} allowed")
    for position, char in enumerate(value):
        if char not in CLI_SAFE_CHARS:
            raise UnsafeCliText(
                field, f"{_describe(char)}; only letters, digits, '-', '_' and '.'", char, position
            )
    return value


def is_cli_safe(value: str, max_length: int = CLI_TOKEN_MAX_LENGTH) -> bool:
    """Predicate form of :func:`validate_cli_token`."""
    try:
        validate_cli_token(value, "value", max_length)
    except UnsafeCliText:
        return False
    return True


@dataclass(frozen=True, slots=True)
class NamingContext:
    """The facts a name is built from: where the test ONU sits and which attempt it is."""

    olt: str
    frame: int
    slot: int
    port: int
    splitter: str
    splitter_port: int
    attempt: int = 1

    def fields(self) -> dict[str, str]:
        """Field values as validated text; raises :class:`UnsafeCliText` naming the bad field."""
        values: dict[str, str] = {}
        for name in ("olt", "splitter"):
            values[name] = validate_cli_token(getattr(self, name), name)
        for name, minimum in (("frame", 0), ("slot", 0), ("port", 0), ("splitter_port", 1), ("attempt", 1)):
            number = getattr(self, name)
            if isinstance(number, bool) or not isinstance(number, int) or number < minimum:
                raise UnsafeCliText(name, f"must be an integer ≥ {minimum}, got {number!r}")
            values[name] = str(number)
        return values


@dataclass(frozen=True, slots=True)
class NamingRule:
    """A validated ONU naming template; construct once from configuration, render per activation."""

    template: str = DEFAULT_TEMPLATE
    max_length: int = CLI_TOKEN_MAX_LENGTH

    def __post_init__(self) -> None:
        if not 1 <= self.max_length <= CLI_TOKEN_MAX_LENGTH:
            raise InvalidNamingTemplate(f"max_length must be 1…{CLI_TOKEN_MAX_LENGTH}, got {self.max_length}")
        used = _template_fields(self.template)
        missing = REQUIRED_FIELDS - used
        if missing:
            raise InvalidNamingTemplate(
                f"template {self.template!r} lacks required field(s) {sorted(missing)}: "
                "names would repeat on a PON port"
            )

    @property
    def fields(self) -> frozenset[str]:
        return _template_fields(self.template)

    @property
    def prefix(self) -> str:
        """Literal text before the first placeholder: how reconciliation tells test ONUs from customers'."""
        return self.template.split("{", 1)[0]

    def render(self, context: NamingContext) -> str:
        """The ONU name for ``context``; raises :class:`UnsafeCliText` if a field or the result is unsafe."""
        name = self.template.format(**context.fields())
        return validate_cli_token(name, "onu_name", self.max_length)


def _template_fields(template: str) -> frozenset[str]:
    """Placeholders of ``template`` after checking the literal text and each placeholder.

    Format specs and conversions are refused: ``{olt!r}`` adds quotes and ``{olt:>80}`` adds spaces, and
    neither is needed for a name.
    """
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise InvalidNamingTemplate(f"template {template!r} is not a valid format string: {exc}") from exc
    used: set[str] = set()
    literal = ""
    for text, name, spec, conversion in parts:
        literal += text
        if name is None:
            continue
        if name not in NAMING_FIELDS:
            raise InvalidNamingTemplate(
                f"unknown placeholder {{{name}}} in {template!r}; allowed: {sorted(NAMING_FIELDS)}"
            )
        if spec or conversion:
            raise InvalidNamingTemplate(f"placeholder {{{name}}} must not carry a format spec or conversion")
        used.add(name)
    for position, char in enumerate(literal):
        if char not in CLI_SAFE_CHARS:
            raise InvalidNamingTemplate(
                f"template text has an unsafe {_describe(char)} {char!r} at literal position {position}"
            )
    return frozenset(used)
