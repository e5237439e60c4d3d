"""ponaccept.jobs — run device work in the background behind one interface (DESIGN §3, §6).

- ``executor``: the :class:`Executor` protocol, job rows (:func:`run_job` is what every executor calls),
  and :class:`InProcessExecutor` (a thread pool in the API process; the embedded default).
- ``celery_app``: :class:`CeleryExecutor` and the Celery app (Redis broker, late acks, tasks keyed by
  job id) for scale-out workers.
- ``devices``: :class:`DeviceAccess` — a fresh Nornir per job built from the database's OLT rows, the
  credentials store and the per-OLT locks.
- ``registry``: job kinds → handler functions.
"""
