"""Typed device errors and the classifier that turns a raw CLI reply into one.

The OLTs report failure as text, not as an exit status: Huawei prints ``  Failure: …`` or ``  % …`` and
ZTE prints ``%Code NNNNN-GPONSRV : …`` / ``%Error NNNNN: …``. The execution layer must react differently
to "already there" (idempotent re-run), "not there" (idempotent revoke), "busy" (retry with backoff) and
"rejected" (stop and roll back), so every reply is mapped onto one class below. Every error keeps the
command and the device text so the transcript and the operator see exactly what the OLT said.

Sources of the strings: reference/vendor-cli-snmp.md §1.1 (generic Huawei errors), §1.2 (``ont add``
failures), §1.3 (service-port failures), §1.4 (delete), §1.5/§1.6 (``does not exist``/``not online``) and
§2 (ZTE ``%Code``/``%Error``). Strings marked [?] there (ZTE "ONU does not exist", the C600 ``%Error``
family) are matched by their keywords rather than their exact wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


class DriverError(Exception):
    """A device reply that means the command did not do what the step wanted.

    ``retryable`` tells the execution layer whether sending the same command again later can succeed.
    """

    retryable: bool = False

    def __init__(self, message: str, command: str = "", device_text: str = "") -> None:
        self.command = command
        self.device_text = device_text
        super().__init__(f"{message} (command: {command!r})" if command else message)


class AlreadyExists(DriverError):
    """The object the command creates is already configured (ONT-ID, SN, password, service-port)."""


class ServicePortExists(AlreadyExists):
    """Huawei ``Service virtual port has existed already``; ``conflicting_index`` names the existing one."""

    def __init__(self, message: str, command: str = "", device_text: str = "") -> None:
        match = re.search(r"Conflicted\s+service\s+virtual\s+port\s+index\s*:\s*(\d+)", device_text)
        self.conflicting_index: int | None = int(match.group(1)) if match else None
        super().__init__(message, command, device_text)


class DoesNotExist(DriverError):
    """The ONT/ONU (or service-port) the command refers to is not configured."""


class NoInformation(DoesNotExist):
    """A listing with nothing to list (ZTE ``No related information to show``)."""


class NotOnline(DriverError):
    """The ONT is configured but not online, so live readings (optics) are unavailable."""


class DeviceBusy(DriverError):
    """``System is busy, please retry after a while``: the only device reply worth retrying."""

    retryable = True


class HasDependents(DriverError):
    """The object still has dependants (Huawei: an ONT with service-ports cannot be deleted)."""


class Rejected(DriverError):
    """The device understood the command and refused it (missing VLAN/profile, ``success: 0``, …)."""


class CommandRejected(Rejected):
    """The CLI did not accept the syntax (unknown command, parameter error, incomplete command)."""


class UnparsedOutput(DriverError):
    """Output that is neither a known error nor what the step expects: never treated as success."""


class UnknownPlatform(LookupError):
    """No driver is registered for the inventory ``platform``."""

    def __init__(self, platform: str, known: tuple[str, ...]) -> None:
        self.platform = platform
        self.known = known
        super().__init__(f"no OLT driver for platform {platform!r}; known platforms: {', '.join(known)}")


class InvalidSpec(ValueError):
    """A numeric field of an activation or read request outside what the vendor CLI accepts."""

    def __init__(self, field: str, value: object, low: int, high: int) -> None:
        self.field = field
        self.value = value
        self.low = low
        self.high = high
        super().__init__(f"{field} must be an integer in {low}…{high}, got {value!r}")


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    error: type[DriverError]
    label: str


def _rule(pattern: str, error: type[DriverError], label: str) -> _Rule:
    return _Rule(re.compile(pattern, re.IGNORECASE | re.MULTILINE), error, label)


# Order matters: the first matching rule wins, so specific wording comes before the catch-alls, and
# "profile/VLAN does not exist" (a configuration mistake → Rejected) before "ONT does not exist".
# Multi-word phrases use \s+ because Huawei wraps long failures onto an indented second line (§1.4).
_RULES: Final[tuple[_Rule, ...]] = (
    _rule(r"System\s+is\s+busy", DeviceBusy, "device busy"),
    _rule(r"Service\s+virtual\s+port\s+has\s+existed\s+already", ServicePortExists, "service-port exists"),
    _rule(r"service\s+port\s+has\s+been\s+configured", ServicePortExists, "service-port exists"),
    _rule(r"has\s+some\s+service\s+virtual\s+ports?", HasDependents, "ONT still has service-ports"),
    _rule(r"has\s+service\s+configuration", HasDependents, "ONU still has service configuration"),
    _rule(r"ont-(line|srv)profile\s+does\s+not\s+exist", Rejected, "profile missing"),
    _rule(r"VLAN\s+does\s+not\s+exist", Rejected, "VLAN missing"),
    _rule(r"ONT\s+ID\s+has\s+already\s+existed", AlreadyExists, "ONT-ID in use"),
    _rule(r"\b(SN|password|LOID)\s+(has\s+)?already\s+exist", AlreadyExists, "auth value in use"),
    _rule(r"\bhas\s+been\s+(used|registered)", AlreadyExists, "id or auth value in use"),
    _rule(r"ON[TU]\s+is\s+not\s+online", NotOnline, "ONT not online"),
    _rule(r"(required\s+)?ON[TU]\s+does\s+not\s+exist", DoesNotExist, "ONT missing"),
    _rule(r"There\s+is\s+no\s+ONT\s+available", NoInformation, "no ONT on port"),
    _rule(r"automatically\s+found\s+ONTs\s+do\s+not\s+exist", NoInformation, "no autofound ONT"),
    _rule(r"No\s+service\s+virtual\s+port", NoInformation, "no service-port"),
    _rule(r"service\s+virtual\s+port\s+does\s+not\s+exist", DoesNotExist, "service-port missing"),
    _rule(r"have\s+been\s+deleted\s*:\s*0\b", DoesNotExist, "nothing deleted"),
    _rule(r"success\s*:\s*0\b", Rejected, "nothing done"),
    _rule(
        r"^\s*%\s*(Unknown\s+command|Parameter\s+error|Too\s+many\s+parameters|Incomplete\s+command)",
        CommandRejected,
        "syntax",
    ),
    _rule(r"^\s*Failure\s*:", Rejected, "failure"),
    _rule(r"^\s*%\s*Bad\s+password", Rejected, "enable password refused"),
    # ZTE C300/C320 ``%Code NNNNN-GPONSRV : text`` — classify by the text, since codes are undocumented.
    _rule(r"^\s*%Code\s+\S+\s*:\s*No\s+related\s+information", NoInformation, "nothing to show"),
    _rule(r"^\s*%Code\s+\S+\s*:.*\bbusy\b", DeviceBusy, "device busy"),
    _rule(r"^\s*%Code\s+\S+\s*:.*(does\s+not\s+exist|not\s+exist|nonexist)", DoesNotExist, "missing"),
    _rule(r"^\s*%Code\s+\S+\s*:.*(already|exist)", AlreadyExists, "exists"),
    _rule(r"^\s*%Code\b", Rejected, "failure"),
    # C600 ``%Error NNNNN: Invalid command/parameter/input …`` and the classic ``% Invalid input``.
    _rule(r"^\s*%\s*Error\s+\d+\s*:\s*Invalid", CommandRejected, "syntax"),
    _rule(r"^\s*%\s*Invalid\s+input", CommandRejected, "syntax"),
    _rule(r"^\s*%\s*Error\b", Rejected, "failure"),
)


def classify(output: str, command: str = "") -> DriverError | None:
    """Return the typed error a device reply means, or None when it contains no known failure text."""
    for rule in _RULES:
        match = rule.pattern.search(output)
        if match:
            line_start = output.rfind("\n", 0, match.start()) + 1
            line = output[line_start:].strip().splitlines()[0]
            return rule.error(f"{rule.label}: {line}", command, output)
    return None


def raise_for_output(output: str, command: str = "") -> None:
    """Raise the typed error for ``output`` if it reports a failure."""
    error = classify(output, command)
    if error is not None:
        raise error
