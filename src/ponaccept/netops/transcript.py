"""Record every command sent to a device with its output and outcome, secrets masked.

The recorder is the single place where device text is captured: netops tasks call ``record`` for
each command, and an optional sink persists the entry (the API passes one that writes CommandLog
rows linked to the activation). Masking happens before anything is stored or returned.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

MASK = "******"

# Authentication material that appears inside provisioning commands (ONU passwords).
_INLINE_SECRETS = (
    re.compile(r'(password-auth\s+)"[^"]*"'),
    re.compile(r"(\bpw\s+)\S+"),
)


@dataclass(frozen=True)
class TranscriptEntry:
    at: datetime
    olt: str
    command: str
    output: str
    outcome: str  # ok | error | timeout | dry-run | ...
    duration_ms: int
    activation_id: int | None = None


def mask_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace known secret values and inline ONU passwords with a fixed mask."""
    for secret in sorted({s for s in secrets if s}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    for pattern in _INLINE_SECRETS:
        text = pattern.sub(lambda m: m.group(1) + (f'"{MASK}"' if '"' in m.group(0) else MASK), text)
    return text


@dataclass
class TranscriptRecorder:
    """Collects transcript entries for one job; thread-safe (Nornir runs hosts in threads)."""

    secrets: set[str] = field(default_factory=set)
    sink: Callable[[TranscriptEntry], None] | None = None
    entries: list[TranscriptEntry] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add_secrets(self, values: Iterable[str]) -> None:
        with self._lock:
            self.secrets.update(v for v in values if v)

    def record(
        self,
        olt: str,
        command: str,
        output: str,
        outcome: str,
        duration_ms: int,
        activation_id: int | None = None,
    ) -> TranscriptEntry:
        with self._lock:
            secrets = tuple(self.secrets)
        entry = TranscriptEntry(
            at=datetime.now(UTC),
            olt=olt,
            command=mask_secrets(command, secrets),
            output=mask_secrets(output, secrets),
            outcome=outcome,
            duration_ms=duration_ms,
            activation_id=activation_id,
        )
        with self._lock:
            self.entries.append(entry)
        if self.sink is not None:
            self.sink(entry)
        return entry

    def for_olt(self, olt: str) -> list[TranscriptEntry]:
        with self._lock:
            return [e for e in self.entries if e.olt == olt]
