"""What a job needs to run: the database, device access and product settings.

One :class:`JobRuntime` per process: the API builds it at start-up for the in-process executor; a
Celery worker builds it from settings on first use (:func:`runtime_from_settings`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from ponaccept.config import Settings
from ponaccept.jobs.devices import DeviceAccess
from ponaccept.netops.locks import OltLocks


@dataclass
class JobRuntime:
    engine: Engine
    settings: Settings
    devices: DeviceAccess = field(default_factory=DeviceAccess)
    hooks: dict[str, Callable[..., Any]] = field(default_factory=dict)
    """Test seams: named callbacks a handler calls at well-defined points (e.g. ``after_device``)."""

    def hook(self, name: str, *args: Any) -> None:
        callback = self.hooks.get(name)
        if callback is not None:
            callback(*args)


def runtime_from_settings(
    settings: Settings,
    engine: Engine,
    *,
    environ: Mapping[str, str] | None = None,
    locks: OltLocks | None = None,
) -> JobRuntime:
    devices = DeviceAccess(secrets_file=settings.secrets_file, environ=environ)
    if locks is not None:
        devices.locks = locks
    return JobRuntime(engine=engine, settings=settings, devices=devices)
