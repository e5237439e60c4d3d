"""Line tests: SNMP vs CLI per OLT, stability mode, predicted-loss profiles, never overwritten."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from fixtures.db import build_activation, build_olt_tree, build_project
from fixtures.workflow import HUAWEI, Flow, flow, seed_lab_project
from ponaccept.api.services.line_tests import combine, predicted_budget, run_line_test
from ponaccept.db.models import LineTest, OpticsMethod, ThresholdMode
from ponaccept.db.repositories import thresholds
from ponaccept.domain.choices import ActivationStatus, TestStatus
from ponaccept.domain.optics import OpticalReadings
from ponaccept.jobs.devices import DeviceAccess

__all__ = ["flow"]


def readings(onu_rx: float, olt_rx: float = -18.0) -> OpticalReadings:
    return OpticalReadings.from_dbm(olt_tx=3.5, olt_rx=round(olt_rx, 2), onu_tx=2.5, onu_rx=round(onu_rx, 2))


def test_snmp_is_used_when_the_olt_says_so(flow: Flow) -> None:
    seeded = seed_lab_project(
        flow.api.engine, flow.lab, HUAWEI, code="PRJ-SNMP", ports=[8], optics_method=OpticsMethod.SNMP
    )
    response = flow.api.resource_system.post(
        f"/api/v1/projects/{seeded.project_id}/activations",
        json={"splitter_port_ids": seeded.splitter_port_ids},
    )
    [created] = response.json()["activations"]
    flow.wait()
    flow.lab.plug(HUAWEI.olt, HUAWEI.splitter, 8, password=created["password"])
    first = flow.api.engineer.post(f"/api/v1/activations/{created['id']}/line-tests").json()
    assert first["method"] == "snmp" and first["verdict"] == "pass", first
    again = flow.api.engineer.post(
        f"/api/v1/activations/{created['id']}/line-tests", json={"samples": 3}
    ).json()
    assert again["id"] != first["id"] and again["samples"] == 3 and again["spread_db"] is not None
    assert len(again["raw"]["samples"]) == 3
    stored = flow.api.reviewer.get("/api/v1/line-tests", params={"activation_id": created["id"]}).json()
    assert stored["total"] == 2


def test_stability_mode_means_and_spread() -> None:
    combined, spread = combine([readings(-18.0), readings(-19.0), readings(-18.5)])
    assert spread == 1.0 and combined.missing_quantities() == ()
    assert combined.downstream_attenuation_db == pytest.approx(3.5 + 18.5)
    single, none = combine([readings(-18.0)])
    assert none is None and single == readings(-18.0)


def _activation(session: Session, mode: ThresholdMode) -> Any:
    project = build_project(session, code=f"P-{mode.value}")
    if mode is ThresholdMode.PREDICTED_PLUS_TOLERANCE:
        profile = thresholds.create_profile(
            session,
            "predicted",
            onu_rx_min_dbm=-25.0,
            overload_dbm=-8.0,
            max_down_att_db=28.0,
            max_up_att_db=28.0,
            mode=mode,
            tolerance_db=1.0,
        )
        project.threshold_profile_id = profile.id
    tree = build_olt_tree(session, project=project)
    activation = build_activation(session, tree, project, status=ActivationStatus.ACTIVATION_SUCCEEDED)
    session.commit()
    return activation


def test_predicted_mode_judges_against_the_splitter_chain(engine: Any) -> None:
    with Session(engine, expire_on_commit=False) as session:
        activation = _activation(session, ThresholdMode.PREDICTED_PLUS_TOLERANCE)
        budget = predicted_budget(session, activation)
        assert budget is not None  # 1:8 splitter 10.5 + 3 km × 0.25 + 4 connectors + 6 splices
        assert budget.downstream_loss_db == pytest.approx(13.85)
        expected_rx = 3.5 - budget.downstream_loss_db
        expected_olt_rx = 2.5 - budget.upstream_loss_db
        samples = iter([(readings(expected_rx, expected_olt_rx), OpticsMethod.CLI)])
        good = run_line_test(engine, session, DeviceAccess(), activation, reader=lambda: next(samples))
        session.commit()
        assert good.verdict.value == "pass", good.reasons
        bad_reader = iter([(readings(expected_rx - 4.0, expected_olt_rx - 4.0), OpticsMethod.CLI)])
        bad = run_line_test(engine, session, DeviceAccess(), activation, reader=lambda: next(bad_reader))
        session.commit()
        assert bad.verdict.value == "fail"
        assert any(r.startswith("predicted_delta_exceeded") for r in bad.reasons), bad.reasons
        assert bad.raw["judgement"]["onu_rx_min_basis"] != "fixed"
        assert session.get(LineTest, good.id) is not None  # the earlier result is kept
        assert activation.test_status is TestStatus.NOT_DONE  # no service test yet
