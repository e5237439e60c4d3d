"""Acceptance workflow through the HTTP API against the simulated lab (issue 5): not a test.

1. Flow: P projects × S splitters (one port under test each, spread round-robin over the lab's PON
   ports) go through dispatch → activation → line test → service test (with a photo) → revoke →
   submit → approve, C projects at a time, all through HTTP (in-process ASGI client) with the
   in-process executor driving the lab over SSH. Prints wall time and the southbound lower bound of
   the same run: per OLT, the sum of the device command times recorded in the transcript (commands
   to one OLT are serialised, so no schedule can finish before its busiest OLT); the ratio shows
   what the API, database and job machinery add on top.
2. Latency: tops the line tests up to N (default 10,000) stored rows, then times list and report
   endpoints (p50/p95/p99 over R requests each).

The bench projects do not require passing tests (the lab ONUs are not plugged, so line tests read
"offline" and are inconclusive) — the device reads still happen. Run:
``.venv/bin/python bench/api_flow.py [--projects 100 --splitters 8 --concurrency 8]``; a temporary
SQLite database (or ``--database-url``) is used.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, select

from ponaccept.api.app import create_app
from ponaccept.api.security import Role, create_api_key
from ponaccept.api.workers import make_jobs_lifespan
from ponaccept.cli.demo import TOPOLOGY, credential_environ
from ponaccept.config import Settings
from ponaccept.db.engine import make_engine, session_scope
from ponaccept.db.migrate import upgrade_engine
from ponaccept.db.models import (
    Activation,
    CommandLog,
    LineTest,
    Olt,
    OpticsMethod,
    PonPort,
    Project,
    Splitter,
    SplitterPort,
)
from ponaccept.db.types import utcnow
from ponaccept.domain.choices import OpticalClass, Vendor, Verdict
from ponaccept.jobs.executor import InProcessExecutor
from ponaccept.sim.lab import Lab

PNG = b"\x89PNG\r\n\x1a\n" + bytes(256)


def seed(engine: Any, lab: Lab, projects: int, splitters: int) -> list[tuple[int, list[int]]]:
    """OLTs/PON ports from the lab; per project S splitters (1 port row each) round-robin over PON ports."""
    endpoints = lab.endpoints()
    pons: list[int] = []
    with session_scope(engine) as session:
        for spec in lab.topology.olts:
            ep = endpoints[spec.name]
            olt = Olt(
                name=spec.name,
                vendor=Vendor(ep["vendor"]),
                platform=ep["platform"],
                management_ip=ep["host"],
                ssh_port=ep["ssh_port"],
                snmp_port=ep["snmp_port"],
                optics_method=OpticsMethod.CLI,
            )
            session.add(olt)
            session.flush()
            for p in spec.pon_ports:
                pon = PonPort(
                    olt_id=olt.id,
                    frame=p.frame,
                    slot=p.slot,
                    port=p.port,
                    svlan=p.svlan,
                    optical_class=OpticalClass(p.optical_class),
                )
                session.add(pon)
                session.flush()
                assert pon.id is not None
                pons.append(pon.id)
        plan: list[tuple[int, list[int]]] = []
        n = 0
        for k in range(projects):
            project = Project(
                code=f"BENCH-{k:04d}", name=f"Bench {k}", contractor=f"C{k % 5}", test_required=False
            )
            session.add(project)
            session.flush()
            assert project.id is not None
            splitter_ids = []
            for s in range(splitters):
                splitter = Splitter(
                    name=f"B{k:04d}-S{s}",
                    ratio=8,
                    pon_port_id=pons[n % len(pons)],
                    port_count=8,
                    fibre_length_km=2.0,
                    project_id=project.id,
                )
                n += 1
                session.add(splitter)
                session.flush()
                assert splitter.id is not None
                session.add(SplitterPort(splitter_id=splitter.id, number=1))
                splitter_ids.append(splitter.id)
            plan.append((project.id, splitter_ids))
    return plan


def run_project(
    client: TestClient,
    headers: dict[str, str],
    executor: InProcessExecutor,
    project_id: int,
    splitter_ids: list[int],
) -> None:
    api = "/api/v1"
    r = client.post(
        f"{api}/projects/{project_id}/activations", json={"splitter_ids": splitter_ids}, headers=headers
    )
    assert r.status_code == 202, r.text
    body = r.json()
    executor.wait(body["job_id"], timeout=900)
    for a in body["activations"]:
        client.post(f"{api}/activations/{a['id']}/line-tests", headers=headers)
        client.post(
            f"{api}/activations/{a['id']}/service-tests",
            headers=headers,
            data={"account": "bench", "dialup_ok": "true", "down_mbps": "300", "up_mbps": "50"},
            files=[("photos", ("p.png", PNG, "image/png"))],
        )
    r = client.post(f"{api}/projects/{project_id}/revoke", headers=headers)
    if r.json().get("job_id"):
        executor.wait(r.json()["job_id"], timeout=900)
    assert client.post(f"{api}/projects/{project_id}/submit", headers=headers).status_code == 200
    assert client.post(f"{api}/projects/{project_id}/approve", headers=headers).status_code == 200


def southbound_bound(engine: Any) -> tuple[float, dict[str, float]]:
    with Session(engine) as session:
        rows = session.exec(
            select(CommandLog.olt_name, func.sum(CommandLog.duration_ms)).group_by(CommandLog.olt_name)
        ).all()
    per_olt = {name: (total or 0) / 1000 for name, total in rows}
    return max(per_olt.values(), default=0.0), per_olt


def outcome_counts(engine: Any) -> str:
    """How the flow ended: activation statuses, line-test verdicts, project statuses (failures show here)."""
    with Session(engine) as session:
        parts = []
        for label, column in (
            ("activations", Activation.status),
            ("line tests", LineTest.verdict),
            ("projects", Project.status),
        ):
            rows = session.exec(select(column, func.count()).group_by(column)).all()
            parts.append(f"{label}: " + ", ".join(f"{value} {count}" for value, count in sorted(rows)))
    return "; ".join(parts)


def top_up_line_tests(engine: Any, target: int) -> int:
    with session_scope(engine) as session:
        have = session.exec(select(func.count()).select_from(LineTest)).one()
        ids = list(session.exec(select(Activation.id)).all())
        profile_id = session.exec(select(LineTest.threshold_profile_id)).first() or 1
        rng = random.Random(7)
        for i in range(max(0, target - have)):
            rx = rng.uniform(-24, -14)
            session.add(
                LineTest(
                    activation_id=ids[i % len(ids)],
                    measured_at=utcnow(),
                    olt_tx_dbm=3.5,
                    olt_rx_dbm=rx - 2,
                    onu_tx_dbm=2.2,
                    onu_rx_dbm=rx,
                    down_att_db=3.5 - rx,
                    up_att_db=2.2 - rx + 2,
                    method=OpticsMethod.CLI,
                    threshold_profile_id=profile_id,
                    verdict=Verdict.PASS if rx >= -20 else Verdict.FAIL,
                    reasons=[],
                    raw={},
                    samples=1,
                )
            )
        return max(0, target - have)


def percentiles(samples: list[float]) -> str:
    qs = statistics.quantiles(samples, n=100)
    return f"p50 {qs[49] * 1000:7.1f} ms  p95 {qs[94] * 1000:7.1f} ms  p99 {qs[98] * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=100)
    parser.add_argument("--splitters", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--line-tests", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ponaccept-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.db'}"
    engine = make_engine(url)
    upgrade_engine(engine, "head")
    handle = Lab.start_in_thread(TOPOLOGY, free_ports=True, control_port=None)
    try:
        plan = seed(engine, handle.lab, args.projects, args.splitters)
        with session_scope(engine) as session:
            _row, key = create_api_key(session, name="bench", role=Role.ADMIN)
        headers = {"Authorization": f"Bearer {key}"}
        settings = Settings(database_url=url, data_dir=workdir / "data")
        app = create_app(
            engine,
            settings=settings,
            lifespan_hooks=[make_jobs_lifespan(environ=credential_environ(handle.lab), background=False)],
        )
        with TestClient(app) as client:
            executor = app.state.executor
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                list(pool.map(lambda p: run_project(client, headers, executor, *p), plan))
            wall = time.perf_counter() - started
            bound, per_olt = southbound_bound(engine)
            activations = args.projects * args.splitters
            print(f"flow: {args.projects} projects × {args.splitters} splitters = {activations} activations")
            print(f"  wall time            {wall:8.1f} s  ({activations / wall:.2f} activations/s)")
            print(
                f"  southbound bound     {bound:8.1f} s  (busiest OLT's command time; per OLT: "
                + ", ".join(f"{k} {v:.1f}s" for k, v in sorted(per_olt.items()))
                + ")"
            )
            print(f"  wall / bound         {wall / bound if bound else float('nan'):8.2f}")
            print(f"  outcomes             {outcome_counts(engine)}")
            added = top_up_line_tests(engine, args.line_tests)
            print(
                f"latency with {args.line_tests} stored line tests ({added} synthetic), "
                f"{args.requests} requests each:"
            )
            some_project = plan[0][0]
            for label, path in (
                ("GET /activations?limit=50", "/api/v1/activations?limit=50&offset=100"),
                ("GET /line-tests?limit=50", "/api/v1/line-tests?limit=50&offset=5000"),
                ("GET /reports/acceptance?limit=50", "/api/v1/reports/acceptance?limit=50"),
                ("GET /reports/projects/{id}", f"/api/v1/reports/projects/{some_project}"),
                ("GET /reports/acceptance csv", "/api/v1/reports/acceptance?format=csv&limit=500"),
            ):
                samples = []
                for _ in range(args.requests):
                    t0 = time.perf_counter()
                    response = client.get(path, headers=headers)
                    samples.append(time.perf_counter() - t0)
                    assert response.status_code == 200, response.text
                print(f"  {label:34s} {percentiles(samples)}")
    finally:
        handle.stop()
        engine.dispose()


if __name__ == "__main__":
    main()
