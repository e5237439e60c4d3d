"""One CLI session per OLT at a time.

OLTs reject or slow down concurrent sessions, so device work is serialised per OLT and parallel
across OLTs. In one process a lock per OLT name suffices; with Celery workers on several machines
the lock lives in Redis (``SET key owner NX PX ttl``; released only by its owner).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol


class OltBusy(TimeoutError):
    """Another job holds the OLT's session lock for longer than we were willing to wait."""

    def __init__(self, olt: str, waited_s: float) -> None:
        super().__init__(f"OLT {olt!r} is in use by another job (waited {waited_s:.1f} s)")
        self.olt = olt


class OltLocks(Protocol):
    def hold(self, olt: str, timeout_s: float) -> Any:
        """Context manager holding the OLT's lock; raises OltBusy after ``timeout_s``."""


class LocalOltLocks:
    """Per-OLT locks for one process (the in-process executor and the engineer CLI)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def _lock_for(self, olt: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(olt, threading.Lock())

    @contextmanager
    def hold(self, olt: str, timeout_s: float) -> Iterator[None]:
        lock = self._lock_for(olt)
        if not lock.acquire(timeout=timeout_s):
            raise OltBusy(olt, timeout_s)
        try:
            yield
        finally:
            lock.release()


# Delete the key only if we still own it: a lock that expired and was taken by another worker must
# not be released by the first one.
_RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""


class RedisOltLocks:
    """Per-OLT locks shared by all workers through Redis.

    ``ttl_s`` bounds how long a crashed worker can keep an OLT locked; it must exceed the longest
    device job (the job's own timeouts guarantee that).
    """

    def __init__(self, client: Any, ttl_s: float = 600.0, prefix: str = "ponaccept:olt-lock:") -> None:
        self._client = client
        self._ttl_ms = int(ttl_s * 1000)
        self._prefix = prefix
        self._release = client.register_script(_RELEASE_SCRIPT)

    @contextmanager
    def hold(self, olt: str, timeout_s: float, poll_s: float = 0.05) -> Iterator[None]:
        key = self._prefix + olt
        owner = uuid.uuid4().hex
        deadline = time.monotonic() + timeout_s
        while not self._client.set(key, owner, nx=True, px=self._ttl_ms):
            if time.monotonic() >= deadline:
                raise OltBusy(olt, timeout_s)
            time.sleep(poll_s)
        try:
            yield
        finally:
            self._release(keys=[key], args=[owner])
