"""Scale-out executor: Celery workers with a Redis broker (DESIGN §6).

* ``task_acks_late`` + ``task_reject_on_worker_lost``: a message is acknowledged only after the task
  finished, so a worker that dies mid-job gets its job redelivered to another worker;
* tasks carry only the job id and use it as the Celery task id, and :func:`run_job` skips a job that
  already finished — a redelivered or duplicated message does not repeat device work that completed;
  one that was interrupted re-runs, which the netops operations make safe (check → plan → apply →
  verify: re-activating an ONU that is already there is a no-op success);
* per-OLT locks live in Redis (``RedisOltLocks``) so two workers never open sessions to one OLT.

Workers build their runtime from settings on first use; tests inject one with :func:`set_worker_runtime`.
Start a worker with ``celery -A ponaccept.jobs.celery_app worker``.
"""

from __future__ import annotations

import threading
from typing import Any

from celery import Celery

from ponaccept.config import Settings, get_settings
from ponaccept.db.engine import make_engine
from ponaccept.jobs.executor import JobRowExecutor, run_job
from ponaccept.jobs.runtime import JobRuntime, runtime_from_settings
from ponaccept.netops.locks import RedisOltLocks

TASK_NAME = "ponaccept.run_job"

_runtime: JobRuntime | None = None
_runtime_lock = threading.Lock()


def set_worker_runtime(runtime: JobRuntime | None) -> None:
    global _runtime
    with _runtime_lock:
        _runtime = runtime


def worker_runtime() -> JobRuntime:
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            settings = get_settings()
            import redis

            locks = RedisOltLocks(redis.Redis.from_url(settings.redis_url))
            _runtime = runtime_from_settings(settings, make_engine(settings.database_url), locks=locks)
        return _runtime


def run_job_task(job_id: int) -> str | None:
    """The Celery task body: run job ``job_id`` (skipped when it already finished)."""
    status = run_job(worker_runtime(), job_id)
    return status.value if status is not None else None


def make_celery(settings: Settings | None = None, **conf: Any) -> Celery:
    settings = settings or get_settings()
    app = Celery("ponaccept", broker=settings.broker_url)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
    )
    app.conf.update(conf)

    app.task(name=TASK_NAME)(run_job_task)
    return app


app = make_celery()


class CeleryExecutor(JobRowExecutor):
    """Writes the job row, then sends its id to the workers (task id = ``job-<id>``)."""

    def __init__(self, runtime: JobRuntime, celery: Celery | None = None) -> None:
        self.runtime = runtime
        self.celery = celery or app

    def enqueue(self, job_id: int) -> None:
        # Through the registered task (not send_task) so that eager mode runs it in-line in tests.
        self.celery.tasks[TASK_NAME].apply_async(args=[job_id], task_id=f"job-{job_id}")

    def shutdown(self, wait: bool = True) -> None:
        """Nothing to stop: the workers are separate processes."""
