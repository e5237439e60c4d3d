"""Background work of the API process: executor, start-up recovery, lease sweeper, webhook delivery.

:func:`make_jobs_lifespan` builds the lifespan hook registered in ``api/lifespan.py``. At start-up it
creates the job runtime and the executor (``settings.executor``: in-process thread pool, or Celery),
puts them on ``app.state`` (``job_runtime``, ``executor``), runs the crash recovery
(``services.recovery``) and starts one daemon thread that, every few seconds, delivers due webhooks
sweeps expired leases (in Celery mode too: the revoke jobs then go to the workers; several API
processes may sweep at once — the sweep takes its rows with ``FOR UPDATE SKIP LOCKED``) and, less often,
brings the running SLA clocks of open work orders up to now (their breach flags and counted age feed the
backlog metrics; the clock sweep locks its orders the same way).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from ponaccept.api.services.recovery import recover_interrupted
from ponaccept.api.services.revocation import sweep_expired_leases
from ponaccept.api.services.workflow_settings import get_workflow_settings
from ponaccept.config import ExecutorKind, Settings
from ponaccept.db.repositories.orders import recompute_open_orders
from ponaccept.db.types import utcnow
from ponaccept.jobs.devices import DeviceAccess
from ponaccept.jobs.executor import Executor, InProcessExecutor
from ponaccept.jobs.outbox import deliver_pending
from ponaccept.jobs.runtime import JobRuntime

log = logging.getLogger(__name__)

Hook = Callable[[FastAPI], AbstractAsyncContextManager[None]]


def make_executor(runtime: JobRuntime, settings: Settings) -> Executor:
    if settings.executor is ExecutorKind.CELERY:
        from ponaccept.jobs.celery_app import CeleryExecutor

        return CeleryExecutor(runtime)
    return InProcessExecutor(runtime)


class BackgroundLoop:
    """Two daemon threads. One delivers webhooks every ``outbox_s`` and sweeps expired leases every
    ``sweep_s`` (:meth:`tick`); the other sweeps SLA clocks every ``clock_sweep_s`` (:meth:`clock_tick`),
    on its own thread because a large sweep (tens of seconds at 1M orders) must not hold up webhooks.
    Both sweeps run only if ``sweep``."""

    def __init__(self, runtime: JobRuntime, executor: Executor, *, sweep: bool) -> None:
        workflow = get_workflow_settings()
        self.runtime = runtime
        self.executor = executor
        self.sweep = sweep
        self.outbox_s = workflow.outbox_interval_s
        self.sweep_s = workflow.sweep_interval_s
        self.clock_sweep_s = workflow.clock_sweep_interval_s
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(
                target=self._every, args=(self.outbox_s, self.tick), name="ponaccept-background"
            ),
            threading.Thread(
                target=self._every, args=(self.clock_sweep_s, self.clock_tick), name="ponaccept-clock-sweep"
            ),
        ]
        for thread in self._threads:
            thread.daemon = True
        self._last_sweep: datetime | None = None

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def tick(self, now: datetime) -> None:
        deliver_pending(self.runtime.engine, now=now)
        if self.sweep and (
            self._last_sweep is None or (now - self._last_sweep).total_seconds() >= self.sweep_s
        ):
            self._last_sweep = now
            sweep_expired_leases(self.runtime.engine, self.executor, now)

    def clock_tick(self, now: datetime) -> None:
        if not self.sweep:
            return
        with Session(self.runtime.engine) as session:
            touched = recompute_open_orders(session, now, commit=True)
        log.info("clock sweep: %d open order(s) brought up to %s", touched, now.isoformat())

    def _every(self, interval_s: float, action: Callable[[datetime], None]) -> None:
        while not self._stop.wait(interval_s):
            try:
                action(utcnow())
            except Exception:  # a failing pass must not kill the loop; the next one retries
                log.exception("background pass failed")


def make_jobs_lifespan(
    *, environ: Mapping[str, str] | None = None, background: bool = True, recover: bool = True
) -> Hook:
    """The lifespan hook; ``environ`` overrides where device credentials come from (demo, tests)."""

    @asynccontextmanager
    async def jobs_lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings: Settings = app.state.settings
        devices = DeviceAccess(secrets_file=settings.secrets_file, environ=environ)
        runtime = JobRuntime(engine=app.state.engine, settings=settings, devices=devices)
        executor = make_executor(runtime, settings)
        app.state.job_runtime = runtime
        app.state.executor = executor
        if recover:
            await run_in_threadpool(recover_interrupted, runtime, executor)
        loop = BackgroundLoop(runtime, executor, sweep=True)
        if background:
            loop.start()
        try:
            yield
        finally:
            if background:
                await run_in_threadpool(loop.stop)
            await run_in_threadpool(executor.shutdown, True)

    return jobs_lifespan


jobs_lifespan = make_jobs_lifespan()
