"""The in-process executor and job rows: status lifecycle, failures recorded, idempotent re-runs."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from ponaccept.config import Settings
from ponaccept.db.models import Job, JobStatus
from ponaccept.jobs.executor import InProcessExecutor, run_job
from ponaccept.jobs.registry import register
from ponaccept.jobs.runtime import JobRuntime

CALLS: list[dict[str, Any]] = []
GATE = threading.Event()


@register("test.echo")
def echo(_runtime: JobRuntime, job: Job) -> None:
    CALLS.append(dict(job.payload))


@register("test.boom")
def boom(_runtime: JobRuntime, _job: Job) -> None:
    raise ValueError("device said no")


@register("test.gate")
def gate(runtime: JobRuntime, job: Job) -> None:
    with Session(runtime.engine) as session:
        row = session.get(Job, job.id)
        assert row is not None and row.status is JobStatus.RUNNING and row.attempts == 1
    GATE.wait(10)


def runtime(engine: Engine) -> JobRuntime:
    return JobRuntime(engine=engine, settings=Settings())


def job_row(engine: Engine, job_id: int) -> Job:
    with Session(engine) as session:
        row = session.get(Job, job_id)
        assert row is not None
        return row


def test_jobs_run_and_record_their_outcome(engine: Engine) -> None:
    executor = InProcessExecutor(runtime(engine), max_workers=4)
    try:
        ok = executor.submit("test.echo", {"n": 1}, project_id=None)
        bad = executor.submit("test.boom", {})
        assert executor.wait(ok, 10) is JobStatus.SUCCEEDED
        assert executor.wait(bad, 10) is JobStatus.FAILED
    finally:
        executor.shutdown()
    assert {"n": 1} in CALLS
    done = job_row(engine, ok)
    assert done.status is JobStatus.SUCCEEDED and done.attempts == 1 and done.finished_at is not None
    failed = job_row(engine, bad)
    assert failed.status is JobStatus.FAILED and failed.error == "ValueError: device said no"


def test_a_finished_job_is_not_run_again(engine: Engine) -> None:
    rt = runtime(engine)
    executor = InProcessExecutor(rt)
    try:
        job_id = executor.submit("test.echo", {"n": 2})
        executor.wait(job_id, 10)
    finally:
        executor.shutdown()
    before = CALLS.count({"n": 2})
    assert run_job(rt, job_id) is None  # a redelivered message: skipped
    assert CALLS.count({"n": 2}) == before
    assert job_row(engine, job_id).attempts == 1


def test_unknown_kind_fails_the_job_not_the_executor(engine: Engine) -> None:
    executor = InProcessExecutor(runtime(engine))
    try:
        job_id = executor.submit("test.nope", {})
        assert executor.wait(job_id, 10) is JobStatus.FAILED
    finally:
        executor.shutdown()
    assert "no handler for job kind 'test.nope'" in (job_row(engine, job_id).error or "")


def test_running_state_is_visible_while_the_job_runs(engine: Engine) -> None:
    executor = InProcessExecutor(runtime(engine))
    try:
        GATE.clear()
        job_id = executor.submit("test.gate", {})
        for _ in range(100):
            if job_row(engine, job_id).status is JobStatus.RUNNING:
                break
            threading.Event().wait(0.05)
        assert job_row(engine, job_id).status is JobStatus.RUNNING
        GATE.set()
        assert executor.wait(job_id, 10) is JobStatus.SUCCEEDED
    finally:
        GATE.set()
        executor.shutdown()
