"""TextFSM glue: find the template for (platform, command) and turn output into rows.

Two template directories, each with a ``textfsm.clitable`` ``index``: ours (``templates/`` at the repository
root, or ``$PONACCEPT_TEMPLATES_DIR``) and the one shipped with ntc-templates. Ours is consulted first so a
command we cover (single-ONT ``display ont optical-info P ID``, ``display ont info … all``, ``display port
state``, ``display service-port port``, every ZTE ONU command) never falls through to a looser ntc entry;
anything else goes to ntc-templates (``display ont info F S P ID``, ``display ont optical-info P all``,
``ont add``, ``display service-port all``, ``display ont autofind`` for huawei_smartax).

Rows come back as ``dict[str, str]`` with lower-case keys, like ``ntc_templates.parse.parse_output``.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import ntc_templates
import textfsm
from textfsm import clitable

from ponaccept.drivers.errors import UnparsedOutput

TEMPLATES_ENV: Final = "PONACCEPT_TEMPLATES_DIR"
_MISSING: Final = frozenset({"", "-", "--", "n/a", "na", "invalid"})
_MISSING_TEXT: Final = frozenset({"", "-", "--", "n/a"})
PROMPT_LINE: Final = re.compile(r"^\s*[\w.\-]+(\([\w.\-/:]+\))?[#>]\s*$")
"""A bare CLI prompt line (``MA5800-X7(config-if-gpon-0/6)#``, ``ZXAN#``) left in a captured output."""
_UNIT = re.compile(r"\s*\((?:dbm|db|c|v|ma|m)\)\s*$", re.IGNORECASE)


def templates_dir() -> Path:
    """Our template directory: ``$PONACCEPT_TEMPLATES_DIR`` or the repository's ``templates/``."""
    configured = os.environ.get(TEMPLATES_ENV)
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[3] / "templates"


def ntc_templates_dir() -> Path:
    """The template directory shipped inside the installed ntc-templates package."""
    return Path(ntc_templates.__file__).resolve().parent / "templates"


@lru_cache(maxsize=4096)
def _has_entry(directory: Path, platform: str, command: str) -> bool:
    table = clitable.CliTable("index", str(directory))
    return bool(table.index.GetRowMatch({"Platform": platform, "Command": command}))


def template_source(platform: str, command: str) -> Path | None:
    """The directory whose index has a template for ``command`` on ``platform`` (ours first)."""
    for directory in (templates_dir(), ntc_templates_dir()):
        if (directory / "index").is_file() and _has_entry(directory, platform, command):
            return directory
    return None


def parse_rows(platform: str, command: str, output: str) -> list[dict[str, str]]:
    """Parse ``output`` of ``command`` with the indexed template; raise UnparsedOutput if it cannot."""
    directory = template_source(platform, command)
    if directory is None:
        raise UnparsedOutput(f"no TextFSM template for {platform} command", command, output)
    table: Any = clitable.CliTable("index", str(directory))
    # ntc templates send unknown lines to Error; a trailing prompt is transport residue, not output.
    cleaned = "\n".join(line for line in output.splitlines() if not PROMPT_LINE.match(line))
    try:
        table.ParseCmd(cleaned + "\n", {"Platform": platform, "Command": command})
    except (textfsm.TextFSMError, clitable.CliTableError) as exc:
        raise UnparsedOutput(f"output does not match its template: {exc}", command, output) from exc
    header = [str(h).lower() for h in table.header]
    return [{key: _cell(value) for key, value in zip(header, row, strict=True)} for row in table]


def _cell(value: object) -> str:
    # List values (e.g. ntc's T_CONT) are joined so every cell is text.
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def to_float(text: str | None) -> float | None:
    """A reading as float; ``-``, ``N/A`` and empty cells are None (never 0). Units in parentheses are
    dropped (``-16.676(dbm)``)."""
    if text is None:
        return None
    cleaned = _UNIT.sub("", text.strip())
    if cleaned.lower() in _MISSING:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def to_int(text: str | None) -> int | None:
    """An integer cell; missing markers and non-numbers are None."""
    value = to_float(text)
    return None if value is None or value != int(value) else int(value)


def text_or_none(text: str | None) -> str | None:
    """A text cell with the missing markers turned into None."""
    if text is None:
        return None
    stripped = text.strip()
    return None if stripped.lower() in _MISSING_TEXT else stripped
