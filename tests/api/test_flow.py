"""The acceptance workflow end to end through HTTP against the simulated lab (issue 5 acceptance).

Resources are seeded into the database to match the lab's ODN (``fixtures.workflow.seed_lab_project``):
the lab's splitters are 1:32 with customers on some ports, so a project owning only the ports under test
cannot be built through the resource routes (they create every port of a splitter). Everything of the
acceptance workflow itself — dispatch, tests, revocation, review, webhooks, reports — goes through HTTP.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from sqlmodel import Session, select

from fixtures.workflow import (
    HUAWEI,
    PNG_BYTES,
    ZTE,
    Flow,
    LabPort,
    Receiver,
    flow,
    receiver,
    seed_lab_project,
)
from ponaccept.db.models import CvlanAllocation, SplitterPort, SplitterPortStatus
from ponaccept.jobs.outbox import SIGNATURE_HEADER, TIMESTAMP_HEADER, deliver_pending, verify

__all__ = ["flow", "receiver"]

SECRET = "s3cret-webhook-key-0123456789"


def dispatch(flow: Flow, project_id: int, port_ids: list[int], **kwargs: Any) -> list[dict[str, Any]]:
    response = flow.api.resource_system.post(
        f"/api/v1/projects/{project_id}/activations", json={"splitter_port_ids": port_ids}, **kwargs
    )
    assert response.status_code == 202, response.text
    activations: list[dict[str, Any]] = response.json()["activations"]
    return activations


def service_test(flow: Flow, activation_id: int, down: float = 500.0) -> dict[str, Any]:
    response = flow.api.engineer.post(
        f"/api/v1/activations/{activation_id}/service-tests",
        data={
            "account": "test0451@adsl",
            "dialup_ok": "true",
            "down_mbps": str(down),
            "up_mbps": "80",
            "result": "PPPoE up",
        },
        files=[("photos", ("site.png", PNG_BYTES, "image/png"))],
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("where", [HUAWEI, ZTE], ids=lambda w: w.olt)
def test_whole_flow(flow: Flow, receiver: Receiver, where: LabPort) -> None:
    api = flow.api
    hook = api.admin.post("/api/v1/webhooks", json={"url": receiver.url, "secret": SECRET})
    assert hook.status_code == 201, hook.text
    seeded = seed_lab_project(api.engine, flow.lab, where, code=f"PRJ-{where.olt}", ports=[3])

    [created] = dispatch(flow, seeded.project_id, seeded.splitter_port_ids)
    assert created["status"] == "not_activated"
    assert created["olt_pon_port"] == where.fsp and created["splitter_name"] == where.splitter
    assert created["svlan"] == where.svlan and created["cvlan"] is not None and created["ont_id"] is not None
    flow.wait()
    activation = flow.activation(created["id"])
    assert activation["status"] == "activation_succeeded", activation["error"]
    assert activation["status_label_zh"] == "激活成功"
    assert activation["transcript"], "device transcript recorded"
    assert all(created["password"] not in c["command"] + c["output"] for c in activation["transcript"])

    flow.lab.plug(where.olt, where.splitter, 3, password=created["password"])
    line = api.engineer.post(f"/api/v1/activations/{created['id']}/line-tests", json={})
    assert line.status_code == 201, line.text
    result = line.json()
    assert result["verdict"] == "pass", result["reasons"]
    assert result["verdict_label_zh"] == "达标"
    assert result["down_att_db"] == pytest.approx(result["olt_tx_dbm"] - result["onu_rx_dbm"], abs=0.02)
    assert result["up_att_db"] == pytest.approx(result["onu_tx_dbm"] - result["olt_rx_dbm"], abs=0.02)

    service = service_test(flow, created["id"])
    assert service["verdict"] == "pass" and service["verdict_label_zh"] == "达标"
    photo = api.reviewer.get(service["photos"][0]["url"])
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
    assert photo.content == PNG_BYTES
    assert flow.activation(created["id"])["test_status"] == "done"

    early = api.engineer.post(f"/api/v1/projects/{seeded.project_id}/submit")
    assert early.status_code == 409 and "still provisioned" in early.json()["detail"]

    revoke = api.engineer.post(f"/api/v1/activations/{created['id']}/revoke")
    assert revoke.status_code == 202, revoke.text
    flow.wait()
    assert flow.activation(created["id"])["status"] == "revoked"
    with Session(api.engine) as session:
        assert (
            session.exec(select(CvlanAllocation).where(CvlanAllocation.cvlan == created["cvlan"])).first()
            is None
        )

    assert api.engineer.post(f"/api/v1/projects/{seeded.project_id}/approve").status_code == 403
    submitted = api.engineer.post(f"/api/v1/projects/{seeded.project_id}/submit")
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
    approved = api.reviewer.post(f"/api/v1/projects/{seeded.project_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "accepted"
    with Session(api.engine) as session:
        port = session.get(SplitterPort, seeded.splitter_port_ids[0])
        assert port is not None and port.status is SplitterPortStatus.AVAILABLE

    delivered = deliver_pending(api.engine)
    assert delivered.failed == 0 and delivered.delivered >= 1
    types = [e["type"] for e in receiver.events()]
    assert "project.accepted" in types and "activation.activation_succeeded" in types
    for headers, body in receiver.received:
        assert verify(SECRET, headers[TIMESTAMP_HEADER], body, headers[SIGNATURE_HEADER])
    accepted = next(e for e in receiver.events() if e["type"] == "project.accepted")
    assert accepted["data"]["available_ports"][0]["port"] == 3
    check_report(flow, seeded.project_id, result["onu_rx_dbm"])


def check_report(flow: Flow, project_id: int, onu_rx: float) -> None:
    """The acceptance report (挂测报表) shows the tested port in JSON, CSV and XLSX."""
    url = f"/api/v1/reports/projects/{project_id}"
    [row] = flow.api.reviewer.get(url).json()["items"]
    assert row["splitter_port"] == 3 and row["attempt"] == 1 and row["onu_rx_dbm"] == onu_rx
    assert (
        row["line_quality_pass"] is True and row["service_test_pass"] is True and row["overall_pass"] is True
    )
    text = flow.api.reviewer.get(url, params={"format": "csv"}).content.decode("utf-8-sig")
    header, data = list(csv.reader(io.StringIO(text)))
    assert header[-1] == "Overall pass" and data[-1] == "yes" and str(onu_rx) in data
    xlsx = flow.api.reviewer.get(url, params={"format": "xlsx", "lang": "zh"}).content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2 and onu_rx in values[1] and values[1][-1] == "是"


def test_failing_line_is_rectified_and_retested(flow: Flow) -> None:
    api = flow.api
    where = HUAWEI
    seeded = seed_lab_project(api.engine, flow.lab, where, code="PRJ-DIRTY", ports=[4])
    [first] = dispatch(flow, seeded.project_id, seeded.splitter_port_ids)
    flow.wait()
    assert flow.activation(first["id"])["status"] == "activation_succeeded"
    flow.lab.dirty_connector(where.olt, where.splitter, 8.0)
    flow.lab.plug(where.olt, where.splitter, 4, password=first["password"])
    failed = api.engineer.post(f"/api/v1/activations/{first['id']}/line-tests").json()
    assert failed["verdict"] == "fail" and failed["verdict_label_zh"] == "不达标"
    assert any(r.startswith("onu_rx_below_min") for r in failed["reasons"]), failed["reasons"]
    service_test(flow, first["id"])
    assert api.engineer.post(f"/api/v1/projects/{seeded.project_id}/revoke").status_code == 202
    flow.wait()
    refused = api.engineer.post(f"/api/v1/projects/{seeded.project_id}/submit")
    assert refused.status_code == 409 and "without a passing test" in refused.json()["detail"]

    # The reviewer sends it back only from review: force the review path with a second pass below.
    flow.lab.unplug(where.olt, where.splitter, 4)
    flow.lab.clear_faults(where.olt)
    [second] = dispatch(flow, seeded.project_id, seeded.splitter_port_ids)
    assert second["attempt"] == 2 and second["id"] != first["id"]
    flow.wait()
    flow.lab.plug(where.olt, where.splitter, 4, password=second["password"])
    passed = api.engineer.post(f"/api/v1/activations/{second['id']}/line-tests").json()
    assert passed["verdict"] == "pass", passed["reasons"]
    service_test(flow, second["id"])
    api.engineer.post(f"/api/v1/activations/{second['id']}/revoke")
    flow.wait()
    assert api.engineer.post(f"/api/v1/projects/{seeded.project_id}/submit").status_code == 200
    rejected = api.reviewer.post(
        f"/api/v1/projects/{seeded.project_id}/reject", json={"reason": "photo unclear"}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rectification"
    project = api.engineer.get(f"/api/v1/projects/{seeded.project_id}").json()
    assert project["rectification_reason"] == "photo unclear"  # the engineer sees what to fix
    # Re-test after rectification: a third attempt, old results kept.
    [third] = dispatch(flow, seeded.project_id, seeded.splitter_port_ids)
    assert third["attempt"] == 3
    flow.wait()
    flow.lab.unplug(where.olt, where.splitter, 4)
    flow.lab.plug(where.olt, where.splitter, 4, password=third["password"])
    assert api.engineer.post(f"/api/v1/activations/{third['id']}/line-tests").json()["verdict"] == "pass"
    service_test(flow, third["id"])
    api.engineer.post(f"/api/v1/activations/{third['id']}/revoke")
    flow.wait()
    assert api.engineer.post(f"/api/v1/projects/{seeded.project_id}/submit").status_code == 200
    assert api.reviewer.post(f"/api/v1/projects/{seeded.project_id}/approve").json()["status"] == "accepted"
    tests = api.reviewer.get("/api/v1/line-tests", params={"project_id": seeded.project_id}).json()
    assert [t["verdict"] for t in tests["items"]] == ["fail", "pass", "pass"]
    listed = api.reviewer.get("/api/v1/activations", params={"project_id": seeded.project_id}).json()
    assert [a["attempt"] for a in listed["items"]] == [1, 2, 3]
    report = api.reviewer.get(f"/api/v1/reports/projects/{seeded.project_id}").json()["items"]
    assert [(r["attempt"], r["line_quality_pass"]) for r in report] == [(1, False), (2, True), (3, True)]
