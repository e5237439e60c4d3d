"""The Celery executor: eager mode, and one real task through an in-process worker on Redis."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from fixtures.services import service_unavailable
from ponaccept.config import Settings
from ponaccept.db.models import Job, JobStatus
from ponaccept.jobs import celery_app
from ponaccept.jobs.celery_app import CeleryExecutor, make_celery
from ponaccept.jobs.registry import register
from ponaccept.jobs.runtime import JobRuntime

SEEN: list[str] = []


@register("test.celery")
def record(_runtime: JobRuntime, job: Job) -> None:
    SEEN.append(job.payload["token"])


@pytest.fixture
def runtime(engine: Engine) -> Iterator[JobRuntime]:
    rt = JobRuntime(engine=engine, settings=Settings())
    celery_app.set_worker_runtime(rt)
    yield rt
    celery_app.set_worker_runtime(None)


def status_of(engine: Engine, job_id: int) -> JobStatus:
    with Session(engine) as session:
        row = session.get(Job, job_id)
        assert row is not None
        return row.status


def test_celery_settings_make_redelivery_safe() -> None:
    app = make_celery(Settings())
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert celery_app.TASK_NAME in app.tasks


def test_eager_mode_runs_the_job_once(runtime: JobRuntime) -> None:
    app = make_celery(Settings(), task_always_eager=True)
    executor = CeleryExecutor(runtime, app)
    token = f"eager-{runtime.engine.url}"
    job_id = executor.submit("test.celery", {"token": token})
    assert status_of(runtime.engine, job_id) is JobStatus.SUCCEEDED
    assert SEEN.count(token) == 1
    executor.enqueue(job_id)  # a duplicate message (redelivery): the finished job is skipped
    assert SEEN.count(token) == 1


BROKERS = {"redis": "redis://127.0.0.1:6379/15", "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//"}


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_real_worker_runs_a_task_from_the_broker(runtime: JobRuntime, broker: str) -> None:
    """DESIGN §6: Celery workers with a Redis or a RabbitMQ broker."""
    from kombu import Connection

    url = BROKERS[broker]
    try:
        with Connection(url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as exc:  # kombu raises the transport's own errors
        service_unavailable(broker, f"{exc.__class__.__name__}: {exc}")
        return
    from celery.contrib.testing.worker import start_worker

    # A queue of its own: two suites running at once (a developer and CI) must not eat each other's jobs.
    app = make_celery(Settings(broker_url=url), task_default_queue=f"ponaccept-test-{uuid.uuid4().hex[:8]}")
    executor = CeleryExecutor(runtime, app)
    token = f"worker-{broker}-{runtime.engine.url}"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        job_id = executor.submit("test.celery", {"token": token})
        for _ in range(200):
            if status_of(runtime.engine, job_id) is JobStatus.SUCCEEDED:
                break
            time.sleep(0.05)
    assert status_of(runtime.engine, job_id) is JobStatus.SUCCEEDED
    assert SEEN.count(token) == 1
