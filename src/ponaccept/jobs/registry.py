"""Job kinds and their handlers.

A handler is a plain function ``(runtime, job) -> None`` registered under a kind name; executors
only ever carry the job id, so a Celery worker and the in-process pool run exactly the same code.
Handlers register themselves when their module is imported; :func:`load_handlers` imports the
product's handler modules so that a worker process knows every kind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ponaccept.db.models import Job
    from ponaccept.jobs.runtime import JobRuntime

Handler = Callable[["JobRuntime", "Job"], Any]

HANDLERS: dict[str, Handler] = {}
HANDLER_MODULES = ("ponaccept.jobs.activation_jobs", "ponaccept.jobs.prediagnosis")


def register(kind: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return decorator


def load_handlers() -> None:
    for module in HANDLER_MODULES:
        importlib.import_module(module)


def handler_for(kind: str) -> Handler:
    load_handlers()
    try:
        return HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler for job kind {kind!r}; known: {sorted(HANDLERS)}") from None
