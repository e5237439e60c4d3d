"""Start-up/shutdown hooks of the API process.

The app's own start-up (migrate when configured, seed threshold presets) runs first; then every
hook in :data:`LIFESPAN_HOOKS`, in order, each an async context manager factory taking the app —
code before ``yield`` runs at start-up, after ``yield`` at shutdown (in reverse order). Background
workers (executor, sweeper, outbox delivery) register here with ONE line each::

    LIFESPAN_HOOKS: list[LifespanHook] = [jobs_lifespan]

A hook reads what it needs from ``app.state`` (``engine``, ``sessionmaker``, ``settings``) and may
put its own objects there (e.g. ``app.state.executor``). ``create_app(lifespan_hooks=[...])``
overrides the list (tests that must not start workers pass ``[]``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from ponaccept.api.workers import jobs_lifespan

LifespanHook = Callable[[FastAPI], AbstractAsyncContextManager[None]]

LIFESPAN_HOOKS: list[LifespanHook] = [
    jobs_lifespan,  # executor, crash recovery, lease sweeper, webhook delivery (api/workers.py)
]
