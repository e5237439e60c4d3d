"""Shared pieces of the Huawei dialect: tokenizer with caret positions, keyword abbreviations, the
generic ``%`` error replies, and the message texts (verbatim from reference/vendor-cli-snmp.md §1 where it
has them; three are assumptions, marked).

Every reply that prints text ends with an empty line before the prompt, as the device does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ponaccept.sim.dialects.base import Reply
from ponaccept.sim.topology import PonKey

if TYPE_CHECKING:
    from ponaccept.sim.dialects.huawei import HuaweiMa5800

FAIL_SN_EXISTS = "  Failure: SN already exists"
FAIL_ID_EXISTS = "  Failure: The ONT ID has already existed"
FAIL_PASSWORD_EXISTS = "  Failure: Password already exists"  # noqa: S105 — a message; assumption
FAIL_LINEPROFILE = "  Failure: The ont-lineprofile does not exist"
FAIL_SRVPROFILE = "  Failure: The ont-srvprofile does not exist"  # assumption, mirrors lineprofile
FAIL_HAS_SP = "  Failure: This configured object has some service virtual\n  ports"
FAIL_VLAN = "  Failure: VLAN does not exist"
FAIL_SP_EXISTS = (
    "  Failure: Service virtual port has existed already\n  Conflicted service virtual port index: {}"
)
FAIL_SP_MISSING = "  Failure: No service virtual port can be operated"  # assumption
FAIL_NO_AUTOFIND = "  Failure: The automatically found ONTs do not exist"
FAIL_SN_UNKNOWN = "  The required ONT does not exist"
SP_CONFIRM = (
    "  Warning: The operation will delete multiple or all service ports ...\n"
    "  Are you sure to release service virtual port(s)? (y/n)[n]:"
)
SP_HINT = "{ <cr>|bundle<K>|inbound<K>|inner-priority<K>|rx-cttr<K> }:"
ONT_ADD_HINT = "{ <cr>|ont-type<K> }: "


class Tokens:
    """A command line split into words (quoted strings kept whole) with their columns, for caret errors."""

    _RE = re.compile(r'"[^"]*"?|\S+')

    def __init__(self, line: str, prompt_len: int) -> None:
        self.line = line
        self.prompt_len = prompt_len
        found = list(self._RE.finditer(line))
        self.words = [m.group(0) for m in found]
        self.cols = [m.start() for m in found]

    def unquoted(self, i: int) -> str:
        """Word ``i`` without surrounding double quotes."""
        w = self.words[i]
        return w[1:-1] if len(w) >= 2 and w.startswith('"') and w.endswith('"') else w

    def caret(self, i: int) -> str:
        """The ``^`` line under word ``i`` (or just past the end of the line)."""
        col = self.cols[i] if i < len(self.cols) else len(self.line) + 1
        return " " * (self.prompt_len + col) + "^"


def kw(word: str, full: str, min_len: int) -> bool:
    """Huawei keyword abbreviation: ``word`` is a prefix of ``full`` of at least ``min_len`` characters."""
    return len(word) >= min(min_len, len(full)) and full.startswith(word.lower())


def say(*lines: str) -> Reply:
    """Text reply followed by the blank line the device prints before its prompt."""
    return Reply(text="\n".join(lines) + "\n\n")


def unknown(t: Tokens, i: int) -> Reply:
    return say(t.caret(i), "  % Unknown command, the error locates at '^'")


def param_error(t: Tokens, i: int) -> Reply:
    return say(t.caret(i), "  % Parameter error, the error locates at '^'")


def too_many(t: Tokens, i: int) -> Reply:
    return say(t.caret(i), "  % Too many parameters, the error locates at '^'")


def incomplete() -> Reply:
    return say("  % Incomplete command, the error locates at '^'")


def num(t: Tokens, i: int, lo: int = 0, hi: int = 1 << 31) -> int | None:
    if i < len(t.words) and t.words[i].isdigit() and lo <= int(t.words[i]) <= hi:
        return int(t.words[i])
    return None


def fsp(text: str) -> PonKey | None:
    parts = text.split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return (int(parts[0]), int(parts[1]), int(parts[2]))
    return None


def page(d: HuaweiMa5800, text: str) -> Reply:
    return d.paginate(text + "\n")
