"""The executor interface and the in-process (thread pool) executor.

``submit`` writes a :class:`Job` row (committed) before handing the id to the worker, so the
database always knows what was asked for. :func:`run_job` is the one function every executor runs:
it is idempotent per job id — a job that already finished is not run again — which is what makes
Celery's late acknowledgement (redelivery after a worker died) safe.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from sqlmodel import Session

from ponaccept.db.engine import session_scope
from ponaccept.db.models import Job, JobStatus
from ponaccept.db.types import utcnow
from ponaccept.jobs.registry import handler_for
from ponaccept.jobs.runtime import JobRuntime
from ponaccept.jobs.txn import write_scope

log = logging.getLogger(__name__)


class Executor(Protocol):
    """Runs device work in the background; returns the job id at once."""

    def submit(
        self,
        job_kind: str,
        payload: dict[str, Any],
        *,
        activation_id: int | None = None,
        project_id: int | None = None,
    ) -> int: ...

    def enqueue(self, job_id: int) -> None:
        """Hand an existing queued job row to the workers (start-up recovery)."""
        ...

    def shutdown(self, wait: bool = True) -> None: ...


def create_job(
    session: Session,
    job_kind: str,
    payload: dict[str, Any],
    *,
    activation_id: int | None = None,
    project_id: int | None = None,
) -> Job:
    """Insert a queued job (flushed; the caller commits)."""
    job = Job(kind=job_kind, payload=payload, activation_id=activation_id, project_id=project_id)
    session.add(job)
    session.flush()
    return job


def _start(runtime: JobRuntime, job_id: int) -> Job | None:
    with write_scope(runtime.engine) as session:
        job = session.get(Job, job_id)
        if job is None or job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
            return None  # unknown or already finished: a redelivery, nothing to do
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = utcnow()
        session.add(job)
        return job


def _finish(runtime: JobRuntime, job_id: int, error: str | None) -> None:
    with write_scope(runtime.engine) as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        job.status = JobStatus.FAILED if error else JobStatus.SUCCEEDED
        job.error = error
        job.finished_at = utcnow()
        session.add(job)


def run_job(runtime: JobRuntime, job_id: int) -> JobStatus | None:
    """Run job ``job_id`` to completion; returns its final status (None when skipped as finished).

    A handler's exception fails the job with the message recorded; handlers themselves record the
    business outcome (activation status etc.) so that a failed job never hides it.
    """
    job = _start(runtime, job_id)
    if job is None:
        return None
    try:
        handler_for(job.kind)(runtime, job)
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, job.kind)
        _finish(runtime, job_id, f"{exc.__class__.__name__}: {exc}")
        return JobStatus.FAILED
    _finish(runtime, job_id, None)
    return JobStatus.SUCCEEDED


class JobRowExecutor(ABC):
    """Shared by every executor: a job is first a committed row, then handed to the runner.

    Writing the row before enqueueing is what makes recovery possible: a job whose process died is
    still in the database, queued or running, and start-up recovery finds it.
    """

    runtime: JobRuntime

    def submit(
        self,
        job_kind: str,
        payload: dict[str, Any],
        *,
        activation_id: int | None = None,
        project_id: int | None = None,
    ) -> int:
        with session_scope(self.runtime.engine) as session:
            job = create_job(session, job_kind, payload, activation_id=activation_id, project_id=project_id)
            assert job.id is not None
            job_id = job.id
        self.enqueue(job_id)
        return job_id

    @abstractmethod
    def enqueue(self, job_id: int) -> None:
        """Hand an existing job row to the runner (also used by recovery for jobs left queued)."""


class InProcessExecutor(JobRowExecutor):
    """A thread pool in the API process (the embedded default).

    Per-OLT serialisation is the netops locks' job, so the pool can be wide: jobs on different OLTs
    run in parallel, jobs on one OLT queue on its lock.
    """

    def __init__(self, runtime: JobRuntime, max_workers: int = 16) -> None:
        self.runtime = runtime
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ponaccept-job")
        self._futures: dict[int, Future[JobStatus | None]] = {}
        self._lock = threading.Lock()

    def enqueue(self, job_id: int) -> None:
        """Run an existing job row (used by startup recovery for jobs left queued)."""
        future = self._pool.submit(run_job, self.runtime, job_id)
        with self._lock:
            self._futures[job_id] = future

    def wait(self, job_id: int, timeout: float | None = None) -> JobStatus | None:
        """Block until job ``job_id`` submitted here has finished (tests, the demo)."""
        with self._lock:
            future = self._futures[job_id]
        return future.result(timeout=timeout)

    def wait_all(self, timeout: float | None = None) -> None:
        with self._lock:
            futures = list(self._futures.values())
        for future in futures:
            future.result(timeout=timeout)

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
