"""Decide what a device reply means for a step or a read: typed error, tolerated, or success.

The rule that matters most: output is success only when it is *recognised* as success. A ``NO_OUTPUT``
step that got unexpected text, a ``PATTERN`` step whose pattern is absent and a read whose template
yields nothing all raise :class:`UnparsedOutput` — a banner, a half-received reply or a firmware
variant must never be mistaken for a done change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeVar

from ponaccept.drivers.base import Expect, ReadRequest, Step
from ponaccept.drivers.errors import DoesNotExist, DriverError, NoInformation, UnparsedOutput, classify
from ponaccept.drivers.parsing import PROMPT_LINE

T = TypeVar("T")

# Lines that carry no meaning for success: prompts (``MA5800-X7(config)#``, ``ZXAN(config-if)#``), the
# Huawei smart-mode echo block (``Command:`` + the command, §1.1) and an answered y/n question.
_NOISE: Final = re.compile(r"^\s*(Command:|.*\(y/n\)\[[yn]\]:\s*[yn]?\s*$)", re.IGNORECASE)


@dataclass(frozen=True)
class StepOutcome:
    """A step that succeeded: ``value`` is the parse result (PARSE steps), ``tolerated`` the error that
    meant "already done" (then nothing changed on the device)."""

    step: Step
    value: object | None = None
    tolerated: DriverError | None = None

    @property
    def changed(self) -> bool:
        return self.tolerated is None


def significant_lines(output: str, commands: Sequence[str] = ()) -> list[str]:
    """Output lines other than blanks, prompts, command echoes and answered confirmations."""
    echoes = {c.strip() for c in commands}
    return [
        line
        for line in output.splitlines()
        if line.strip()
        and line.strip() not in echoes
        and not PROMPT_LINE.match(line)
        and not _NOISE.match(line)
    ]


def check_step(step: Step, output: str) -> StepOutcome:
    """Classify the (concatenated) output of ``step``'s commands.

    Raises the typed :class:`DriverError` for a failure reply unless ``step.tolerate`` accepts it, and
    :class:`UnparsedOutput` when success cannot be recognised. The raised error's text is masked.
    """
    command = step.mask(" ; ".join(step.commands))
    output = step.mask(output)  # an echoed command may carry the password into the device text
    error = classify(output, command)
    if error is not None:
        if isinstance(error, step.tolerate):
            return StepOutcome(step, tolerated=error)
        raise error
    if step.expect is Expect.NO_OUTPUT:
        extra = significant_lines(output, step.commands + step.shown_commands())
        if extra:
            raise UnparsedOutput(
                f"unexpected output from a silent command: {extra[0].strip()!r}", command, output
            )
        return StepOutcome(step)
    if step.expect is Expect.PATTERN:
        assert step.success_pattern is not None  # guaranteed by Step.__post_init__
        if re.search(step.success_pattern, output, re.IGNORECASE):
            return StepOutcome(step)
        raise UnparsedOutput(f"success pattern {step.success_pattern!r} not found", command, output)
    assert step.parser is not None  # guaranteed by Step.__post_init__
    return StepOutcome(step, value=step.parser(output))


def check_mode_entry(step: Step, command: str, output: str) -> StepOutcome | None:
    """Interpret the reply to one mode-entry command of ``step`` (e.g. ``interface gpon-onu_1/2/1:5``).

    Entering a mode normally prints nothing: then None (go on). When the device refuses because the
    object is gone (ZTE: ``%Code … The ONU does not exist.`` for a revoke that already happened) and the
    step tolerates that error, the step is already done: a tolerated :class:`StepOutcome` is returned and
    its commands must not be sent. Any other reply raises, like :func:`check_step`.
    """
    error = classify(output, command)
    if error is not None:
        if isinstance(error, step.tolerate):
            return StepOutcome(step, tolerated=error)
        raise error
    extra = significant_lines(output, (command,))
    if extra:
        raise UnparsedOutput(f"unexpected output entering a mode: {extra[0].strip()!r}", command, output)
    return None


def check_read(read: ReadRequest[T], outputs: Sequence[str]) -> T:
    """Classify each output of ``read`` and parse them; typed error or parsed result, never silence."""
    if len(outputs) != len(read.commands):
        raise UnparsedOutput(
            f"{read.name}: {len(read.commands)} command(s) sent but {len(outputs)} output(s) given",
            " ; ".join(read.commands),
            "\n".join(outputs),
        )
    for command, output in zip(read.commands, outputs, strict=True):
        error = classify(output, command)
        # A listing of nothing: ZTE says "No related information", Huawei "The ONT does not exist" for
        # `display ont info F S P all` on an empty port. For a read that may be empty, both mean "none".
        if error is not None and not (read.empty_ok and isinstance(error, (NoInformation, DoesNotExist))):
            raise error
    return read.parser(outputs)
