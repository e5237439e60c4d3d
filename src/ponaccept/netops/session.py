"""A CLI session on one OLT: mode tracking, confirmations, busy retries and the transcript.

netmiko gives us login, echo handling and prompt detection; this wrapper adds what plans need:
entering the CLI mode a step expects (and knowing where we are), answering y/n confirmations, retrying
only "System is busy" replies with backoff, and recording every command with its output. A session
that timed out or dropped is marked ``broken`` and must be discarded: its state is unknown.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from netmiko.exceptions import NetmikoTimeoutException, ReadTimeout

from ponaccept.drivers.base import Step
from ponaccept.drivers.errors import classify
from ponaccept.netops.transcript import TranscriptRecorder

# Commands that return to the privileged prompt from any configuration depth.
_TOP_LEVEL = {"quit": "return", "exit": "end"}


class SessionBroken(Exception):
    """The device stopped answering or the connection dropped; the session must not be reused."""

    def __init__(self, olt: str, command: str, cause: BaseException) -> None:
        self.olt = olt
        self.command = command
        kind = "timed out" if isinstance(cause, (ReadTimeout, NetmikoTimeoutException)) else "failed"
        super().__init__(f"OLT {olt}: session {kind} during {command!r}: {cause.__class__.__name__}")


@dataclass(frozen=True)
class RetryPolicy:
    """Retry only replies the device marks as retryable (busy), with exponential backoff."""

    attempts: int = 3
    first_delay_s: float = 0.5
    factor: float = 2.0

    def delays(self) -> list[float]:
        return [self.first_delay_s * self.factor**i for i in range(max(self.attempts - 1, 0))]


class DeviceSession:
    """Drives one netmiko connection; one job owns it at a time (the caller holds the OLT lock)."""

    def __init__(
        self,
        olt: str,
        connection: Any,
        level_up: str,
        recorder: TranscriptRecorder,
        *,
        activation_id: int | None = None,
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.olt = olt
        self.connection = connection
        self.level_up = level_up
        self.recorder = recorder
        self.activation_id = activation_id
        self.retry = retry
        self._sleep = sleep
        self.mode: tuple[str, ...] = ()
        self.broken = False
        base = re.escape(connection.base_prompt)
        self._prompt = rf"{base}[^\r\n#>]*[#>]"

    # ---- low level ---------------------------------------------------------------------------------

    def send(self, command: str, *, confirm: str | None = None, answer: str = "y") -> str:
        """Send one command (answering a confirmation if ``confirm`` matches) and record it."""
        if self.broken:
            raise SessionBroken(self.olt, command, RuntimeError("session already broken"))
        started = time.monotonic()
        expect = self._prompt if confirm is None else f"(?:{confirm})|(?:{self._prompt})"
        try:
            output = str(
                self.connection.send_command(
                    command, expect_string=expect, strip_prompt=True, strip_command=True
                )
            )
            if confirm is not None and re.search(confirm, output):
                output += "\n" + self.connection.send_command(
                    answer, expect_string=self._prompt, strip_prompt=True, strip_command=True
                )
        except Exception as exc:  # any transport failure leaves the device state unknown
            self.broken = True
            self._record(command, f"<{exc.__class__.__name__}: {exc}>", "timeout", started)
            raise SessionBroken(self.olt, command, exc) from exc
        error = classify(output, command)
        self._record(command, output, "ok" if error is None else "error", started)
        return output

    def _record(self, command: str, output: str, outcome: str, started: float) -> None:
        elapsed_ms = int((time.monotonic() - started) * 1000)
        self.recorder.record(self.olt, command, output, outcome, elapsed_ms, self.activation_id)

    # ---- modes -------------------------------------------------------------------------------------

    def enter(self, mode: Sequence[str]) -> None:
        """Move from the current mode to ``mode`` (a path of commands from the privileged prompt)."""
        target = tuple(mode)
        common = 0
        while common < min(len(self.mode), len(target)) and self.mode[common] == target[common]:
            common += 1
        for _ in range(len(self.mode) - common):
            self.send(self.level_up)
            self.mode = self.mode[:-1]
        for command in target[common:]:
            output = self.send(command)
            error = classify(output, command)
            if error is not None:
                raise error
            self.mode = (*self.mode, command)

    def leave_to_top(self) -> None:
        """Return to the privileged prompt in one command (used after errors and before logout)."""
        if self.mode and not self.broken:
            self.send(_TOP_LEVEL.get(self.level_up, self.level_up))
        self.mode = ()

    # ---- steps and reads ---------------------------------------------------------------------------

    def run_commands(
        self, mode: Sequence[str], commands: Sequence[str], *, confirm: str | None = None, answer: str = "y"
    ) -> str:
        """Enter ``mode`` and send ``commands``, retrying the whole group while the device is busy.

        Only :class:`DriverError` s with ``retryable`` (busy) are retried: a busy OLT executed nothing, so
        sending the same command again cannot duplicate anything.
        """
        for delay in [*self.retry.delays(), None]:
            self.enter(mode)
            outputs = [self.send(c, confirm=confirm, answer=answer) for c in commands]
            combined = "\n".join(outputs)
            error = classify(combined, commands[0] if commands else "")
            if error is None or not error.retryable or delay is None:
                return combined
            self._sleep(delay)
        raise AssertionError("unreachable: the loop returns on its last iteration")

    def run_step(self, step: Step) -> str:
        return self.run_commands(
            step.mode, step.commands, confirm=step.confirm_prompt, answer=step.confirm_answer
        )
