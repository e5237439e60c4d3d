"""Driver value types: what to provision, the plan of device steps, and read requests.

DESIGN.md §3 "Plans, not scripts": a driver never talks to a device. It returns a :class:`Plan` — ordered
:class:`Step` s, each with the CLI mode to be in, the command(s), how success is recognised, the answer to
any y/n confirmation, and the compensating undo step — so a plan can be asserted in tests, printed for
``--dry-run``, written to the audit log and rolled back in reverse order. Reads are :class:`ReadRequest` s:
command(s) plus the parser that turns the output into a result dataclass (``results.py``).

Mode paths are the commands that lead from the privileged prompt (``#``) to the mode a step needs, e.g.
``("config", "interface gpon 0/1")`` on Huawei or ``("configure terminal", "interface gpon-olt_1/2/1")`` on
ZTE. :meth:`Plan.commands` can render the mode changes with the vendor's one-level-up command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

from ponaccept.drivers.errors import DriverError

T = TypeVar("T")

SECRET_MASK = "******"  # noqa: S105 - the mask that replaces secrets, not a secret


class Expect(StrEnum):
    """How a step's success is recognised once no failure text was found in its output."""

    NO_OUTPUT = "no_output"
    """The device prints nothing but the prompt; any other text is unexpected and fails the step."""
    PATTERN = "pattern"
    """``success_pattern`` must be found in the output (e.g. ``success: 1``)."""
    PARSE = "parse"
    """``parser`` must turn the output into a result; it raises when the output does not parse."""


@dataclass(frozen=True)
class PonPort:
    """A PON port as the OLT numbers it.

    Huawei: frame/slot/port (``F/S/P``, all from 0). ZTE C300/C320: ``gpon-olt_<rack>/<slot>/<port>``
    where the first number (rack/shelf, ``1`` on a single-shelf chassis) is stored in ``frame``; ZTE slot
    and port numbers start at 1. Ranges are checked by each driver, which knows its dialect's limits.
    """

    frame: int
    slot: int
    port: int

    @property
    def fsp(self) -> str:
        """``F/S/P`` text, the key used by listings and the database."""
        return f"{self.frame}/{self.slot}/{self.port}"

    @classmethod
    def parse(cls, text: str) -> PonPort:
        """Read ``0/1/0``, ``0/ 1/0`` or ``0/1 /0`` (device tables pad the numbers differently)."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match:
            raise ValueError(f"not a frame/slot/port: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)), int(match.group(3)))


@dataclass(frozen=True)
class ActivationSpec:
    """Everything needed to provision (and later revoke) one password-authenticated test ONU.

    ``ont_id`` is always explicit: left to the OLT it picks the lowest free id, and a retry after a lost
    reply would create a second ONT (DESIGN §3). Defaults are the lab's profiles; real OLTs take theirs
    from the inventory. Vendor-specific fields are ignored by the other vendor:

    - Huawei: ``line_profile_id``/``srv_profile_id`` (``ont-lineprofile-id``/``ont-srvprofile-id``),
      ``gemport`` (the GEM index of the line profile), ``service_port_index`` (``None`` lets the OLT pick
      the index; a retry of the same service-port is then refused as "has existed already", which the
      plan treats as done, so no duplicate can appear).
    - ZTE: ``onu_type`` (``onu N type <T>``), ``tcont_profile`` (``tcont 1 profile <P>``), ``gemport``
      (``gemport <N>`` and ``vport <N>``); the ONU-local service-port id is always 1.
    """

    port: PonPort
    ont_id: int
    password: str
    onu_name: str
    svlan: int
    cvlan: int
    gemport: int = 1
    line_profile_id: int = 10
    srv_profile_id: int = 10
    service_port_index: int | None = None
    onu_type: str = "ZTE-F660"
    tcont_profile: str = "HSI_100"


@dataclass(frozen=True)
class Step:
    """One unit of device work: enter ``mode``, send ``commands``, recognise success, know the undo.

    ``tolerate`` lists errors that mean the step's effect already holds (e.g. deleting an ONT that does
    not exist during a revoke), so a re-run is a no-op success instead of a failure. ``secrets`` are the
    values to mask wherever the command is shown or recorded.
    """

    name: str
    mode: tuple[str, ...]
    commands: tuple[str, ...]
    expect: Expect = Expect.NO_OUTPUT
    success_pattern: str | None = None
    parser: Callable[[str], object] | None = None
    confirm_prompt: str | None = None
    confirm_answer: str = "y"
    tolerate: tuple[type[DriverError], ...] = ()
    undo: Step | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not self.commands:
            raise ValueError(f"step {self.name!r} has no command")
        if self.expect is Expect.PATTERN and not self.success_pattern:
            raise ValueError(f"step {self.name!r} expects a pattern but has none")
        if self.expect is Expect.PARSE and self.parser is None:
            raise ValueError(f"step {self.name!r} expects a parse but has no parser")
        single = self.expect is not Expect.NO_OUTPUT or self.confirm_prompt is not None
        if single and len(self.commands) != 1:
            raise ValueError(f"step {self.name!r}: pattern/parse/confirm steps take exactly one command")

    def __repr__(self) -> str:
        # Steps end up in logs and exception traces: never show a secret there.
        undo = None if self.undo is None else self.undo.name
        return (
            f"Step(name={self.name!r}, mode={self.mode!r}, commands={self.shown_commands()!r}, undo={undo!r})"
        )

    def mask(self, text: str) -> str:
        """``text`` with this step's secrets replaced, for logs and displays."""
        for secret in self.secrets:
            if secret:
                text = text.replace(secret, SECRET_MASK)
        return text

    def shown_commands(self, mask_secrets: bool = True) -> tuple[str, ...]:
        return tuple(self.mask(c) for c in self.commands) if mask_secrets else self.commands


@dataclass(frozen=True)
class Plan:
    """Ordered steps for one action, with the vendor's way of leaving a CLI mode."""

    action: str
    platform: str
    steps: tuple[Step, ...]
    level_up: str
    """The command that leaves one mode level (Huawei ``quit``, ZTE ``exit``)."""

    def commands(self, *, with_modes: bool = False, mask_secrets: bool = True) -> list[str]:
        """The commands in order, for ``--dry-run`` and tests.

        With ``with_modes`` the result is every line an engineer would type: mode changes between steps
        (leave levels with ``level_up``, enter the missing ones, starting and ending at the privileged
        prompt) and the answers to confirmation questions.
        """
        lines: list[str] = []
        current: tuple[str, ...] = ()
        for step in self.steps:
            if with_modes:
                lines.extend(_mode_change(current, step.mode, self.level_up))
                current = step.mode
            lines.extend(step.shown_commands(mask_secrets))
            if with_modes and step.confirm_prompt is not None:
                lines.append(step.confirm_answer)
        if with_modes:
            lines.extend(_mode_change(current, (), self.level_up))
        return lines

    def undo_plan(self, applied: int | None = None) -> Plan:
        """The undos of the first ``applied`` steps (all by default), last applied first."""
        count = len(self.steps) if applied is None else applied
        if not 0 <= count <= len(self.steps):
            raise ValueError(f"applied must be within 0…{len(self.steps)}, got {count}")
        undos = tuple(s.undo for s in reversed(self.steps[:count]) if s.undo is not None)
        return Plan(f"undo {self.action}", self.platform, undos, self.level_up)


def _mode_change(current: tuple[str, ...], target: tuple[str, ...], level_up: str) -> list[str]:
    common = 0
    while common < min(len(current), len(target)) and current[common] == target[common]:
        common += 1
    return [level_up] * (len(current) - common) + list(target[common:])


@dataclass(frozen=True)
class ReadRequest(Generic[T]):
    """Command(s) whose outputs, in the same order, ``parser`` turns into a result.

    ``empty_ok`` marks listings: a device reply of "nothing to show" is then an empty result instead of
    an error (the parser still refuses output it cannot recognise).
    """

    name: str
    mode: tuple[str, ...]
    commands: tuple[str, ...]
    parser: Callable[[Sequence[str]], T]
    empty_ok: bool = False

    def __post_init__(self) -> None:
        if not self.commands:
            raise ValueError(f"read {self.name!r} has no command")
