"""Concurrency and crash safety of the activation workflow against the lab."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from nornir.core import Nornir
from sqlmodel import Session, select

from fixtures.workflow import HUAWEI, Flow, flow, seed_lab_project
from ponaccept.api.services.recovery import recover_interrupted
from ponaccept.db.models import Activation, Job, JobStatus
from ponaccept.db.repositories.activations import expected_test_onus
from ponaccept.domain.choices import ActivationStatus
from ponaccept.drivers.base import PonPort
from ponaccept.netops.tasks import JobContext, run_reconcile

__all__ = ["flow"]


class SimulatedCrash(Exception):
    """Raised by the test hook right after the device work: the process 'dies' before recording."""


def test_twenty_parallel_dispatches_get_distinct_ids(flow: Flow) -> None:
    seeded = seed_lab_project(flow.api.engine, flow.lab, HUAWEI, code="PRJ-PAR", ports=list(range(10, 30)))
    url = f"/api/v1/projects/{seeded.project_id}/activations"

    def one(port_id: int) -> Any:
        return flow.api.resource_system.post(url, json={"splitter_port_ids": [port_id]})

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(one, seeded.splitter_port_ids))
    assert [r.status_code for r in responses] == [202] * 20, [
        r.text for r in responses if r.status_code != 202
    ]
    created = [r.json()["activations"][0] for r in responses]
    assert len({a["ont_id"] for a in created}) == 20
    assert len({a["cvlan"] for a in created}) == 20
    assert len({a["onu_name"] for a in created}) == 20
    flow.wait(timeout=300)
    final = [flow.activation(a["id"]) for a in created]
    assert {a["status"] for a in final} <= {"activation_succeeded", "activation_failed"}
    assert all(a["status"] == "activation_succeeded" for a in final), [a["error"] for a in final]


def test_same_idempotency_key_in_parallel_creates_one_activation(flow: Flow) -> None:
    seeded = seed_lab_project(flow.api.engine, flow.lab, HUAWEI, code="PRJ-IDEM", ports=[6])
    url = f"/api/v1/projects/{seeded.project_id}/activations"
    body = {"splitter_port_ids": seeded.splitter_port_ids}

    def one(_: int) -> Any:
        return flow.api.resource_system.post(url, json=body, headers={"Idempotency-Key": "dispatch-6-once"})

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = list(pool.map(one, range(2)))
    assert {first.status_code, second.status_code} == {202}
    assert first.json()["activations"][0]["id"] == second.json()["activations"][0]["id"]
    flow.wait()
    with Session(flow.api.engine) as session:
        rows = session.exec(select(Activation).where(Activation.project_id == seeded.project_id)).all()
    assert len(rows) == 1


def _reconcile(flow: Flow, make_nornir: Callable[..., Nornir]) -> Any:
    with Session(flow.api.engine) as session:
        expected = expected_test_onus(session, [HUAWEI.olt])
    [report] = run_reconcile(
        make_nornir(olts=[HUAWEI.olt]),
        {HUAWEI.olt: [PonPort.parse(HUAWEI.fsp)]},
        expected,
        JobContext(),
        prefix="T-",
    )
    return report


@pytest.mark.parametrize("crash_in", ["activate", "revoke"])
def test_crash_after_device_work_is_recovered(
    flow: Flow, lab_nornir: Callable[..., Nornir], crash_in: str
) -> None:
    runtime = flow.api.app.state.job_runtime
    seeded = seed_lab_project(flow.api.engine, flow.lab, HUAWEI, code=f"PRJ-CRASH-{crash_in}", ports=[7])
    url = f"/api/v1/projects/{seeded.project_id}/activations"

    def crash(action: str, _outcomes: Any) -> None:
        if action == crash_in:
            raise SimulatedCrash(action)

    runtime.hooks["after_device"] = crash
    [created] = flow.api.resource_system.post(
        url, json={"splitter_port_ids": seeded.splitter_port_ids}
    ).json()["activations"]
    flow.wait()
    if crash_in == "revoke":
        assert flow.activation(created["id"])["status"] == "activation_succeeded"
        flow.api.engineer.post(f"/api/v1/activations/{created['id']}/revoke")
        flow.wait()
    stuck = "activating" if crash_in == "activate" else "revoking"
    assert flow.activation(created["id"])["status"] == stuck
    with Session(flow.api.engine) as session:  # the process died: its job row still says running
        for job in session.exec(select(Job)).all():
            if job.status is JobStatus.FAILED:
                job.status = JobStatus.RUNNING
                session.add(job)
        session.commit()

    runtime.hooks.clear()
    report = recover_interrupted(runtime, None)
    assert report.interrupted_jobs
    final = flow.activation(created["id"])
    if crash_in == "activate":
        assert final["status"] == "activation_succeeded", final["error"]
        assert report.reactivated == [created["id"]]
    else:
        assert final["status"] == "revoked"
    reconciled = _reconcile(flow, lab_nornir)
    assert reconciled.orphans == [] and reconciled.missing == [], reconciled
    with Session(flow.api.engine) as session:
        assert session.exec(select(Job).where(Job.status == JobStatus.RUNNING)).first() is None
        row = session.get(Activation, created["id"])
        assert row is not None and row.status in (
            ActivationStatus.ACTIVATION_SUCCEEDED,
            ActivationStatus.REVOKED,
        )
