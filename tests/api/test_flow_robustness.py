"""Uploads, illegal transitions and roles of the workflow routes (no device work needed)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from fixtures.api import Api, ApiFactory
from fixtures.db import build_activation, build_olt_tree, build_project
from fixtures.workflow import JPEG_BYTES, PNG_BYTES
from ponaccept.api.services.workflow_settings import WorkflowSettings
from ponaccept.domain.choices import ActivationStatus, ProjectStatus


@pytest.fixture
def quiet(api_factory: ApiFactory) -> Api:
    api = api_factory(lifespan_hooks=[])
    api.app.state.workflow = WorkflowSettings(photo_max_bytes=2048)
    return api


def make_activation(
    api: Api, status: ActivationStatus, project_status: ProjectStatus = ProjectStatus.TESTING
) -> Any:
    with Session(api.engine, expire_on_commit=False) as session:
        project = build_project(session, code=f"P-{status.value}", status=project_status)
        tree = build_olt_tree(session, project=project, splitter_name=f"S-{status.value}")
        activation = build_activation(session, tree, project, status=status, cvlan=3001)
        session.commit()
        return activation


def post_service(api: Api, activation_id: int, files: list[Any], **data: str) -> Any:
    form = {"account": "acc1", "dialup_ok": "true", "down_mbps": "300", "up_mbps": "50", **data}
    return api.engineer.post(f"/api/v1/activations/{activation_id}/service-tests", data=form, files=files)


def test_photo_type_is_checked_from_bytes(quiet: Api) -> None:
    activation = make_activation(quiet, ActivationStatus.ACTIVATION_SUCCEEDED)
    fake = post_service(
        quiet, activation.id, [("photos", ("x.png", b"<html>not an image</html>", "image/png"))]
    )
    assert fake.status_code == 422
    assert fake.json()["errors"][0]["field"] == "body.photos[0]"
    ok = post_service(quiet, activation.id, [("photos", ("x.bin", JPEG_BYTES, "application/octet-stream"))])
    assert ok.status_code == 201, ok.text
    photo = ok.json()["photos"][0]
    assert photo["content_type"] == "image/jpeg"
    served = quiet.reviewer.get(photo["url"])
    assert served.headers["content-type"] == "image/jpeg" and served.content == JPEG_BYTES


def test_oversize_and_malformed_fields_are_named(quiet: Api) -> None:
    activation = make_activation(quiet, ActivationStatus.ACTIVATION_SUCCEEDED)
    big = PNG_BYTES + bytes(4096)
    too_big = post_service(quiet, activation.id, [("photos", ("big.png", big, "image/png"))])
    assert too_big.status_code == 413 and too_big.json()["errors"][0]["field"] == "body.photos[0]"
    bad_speed = post_service(quiet, activation.id, [], down_mbps="fast")
    assert bad_speed.status_code == 422
    assert any(e["field"].endswith("down_mbps") for e in bad_speed.json()["errors"])
    assert quiet.reviewer.get("/api/v1/photos/not-a-hash").status_code == 422
    assert quiet.reviewer.get("/api/v1/photos/" + "0" * 64).status_code == 404


def test_service_verdict_uses_minimum_speeds(quiet: Api) -> None:
    activation = make_activation(quiet, ActivationStatus.ACTIVATION_SUCCEEDED)
    slow = post_service(quiet, activation.id, [], down_mbps="5")
    assert slow.status_code == 201 and slow.json()["verdict"] == "fail"
    failed_dial = post_service(quiet, activation.id, [], dialup_ok="false")
    assert failed_dial.json()["verdict"] == "fail"
    good = post_service(quiet, activation.id, [])
    assert good.json()["verdict"] == "pass"
    listed = quiet.reviewer.get(f"/api/v1/activations/{activation.id}/service-tests").json()
    assert [t["verdict"] for t in listed] == ["fail", "fail", "pass"], "results are never overwritten"


def test_illegal_transitions_answer_409_with_current_state(quiet: Api) -> None:
    revoked = make_activation(quiet, ActivationStatus.REVOKED)
    again = quiet.engineer.post(f"/api/v1/activations/{revoked.id}/revoke")
    assert again.status_code == 409
    assert again.json()["current_state"] == "revoked"
    line = quiet.engineer.post(f"/api/v1/activations/{revoked.id}/line-tests")
    assert line.status_code == 409 and line.json()["current_state"] == "revoked"
    approve = quiet.reviewer.post(f"/api/v1/projects/{revoked.project_id}/approve")
    assert approve.status_code == 409 and approve.json()["current_state"] == "testing"
    with Session(quiet.engine) as session:
        accepted = build_project(session, code="P-ACC", status=ProjectStatus.ACCEPTED)
        session.commit()
        accepted_id = accepted.id
    dispatch = quiet.resource_system.post(
        f"/api/v1/projects/{accepted_id}/activations", json={"splitter_ids": [1]}
    )
    assert dispatch.status_code == 409 and dispatch.json()["current_state"] == "accepted"


def test_roles_and_auth(quiet: Api) -> None:
    activation = make_activation(quiet, ActivationStatus.ACTIVATION_SUCCEEDED)
    assert quiet.anonymous.get("/api/v1/activations").status_code == 401
    assert (
        quiet.engineer.post(f"/api/v1/projects/{activation.project_id}/activations", json={}).status_code
        == 403
    )
    assert quiet.resource_system.post(f"/api/v1/activations/{activation.id}/line-tests").status_code == 403
    assert quiet.reviewer.post(f"/api/v1/activations/{activation.id}/revoke").status_code == 403
    assert (
        quiet.engineer.post("/api/v1/webhooks", json={"url": "http://x", "secret": "s" * 16}).status_code
        == 403
    )
    reject = quiet.resource_system.post(
        f"/api/v1/projects/{activation.project_id}/reject", json={"reason": "x"}
    )
    assert reject.status_code == 403
    unknown = quiet.reviewer.get("/api/v1/activations", params={"status": "maybe"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "query.status"


def test_unsafe_splitter_name_is_refused_naming_the_field(quiet: Api) -> None:
    with Session(quiet.engine, expire_on_commit=False) as session:
        project = build_project(session, code="P-UNSAFE")
        tree = build_olt_tree(session, project=project, splitter_name="SPL 1;reboot")
        session.commit()
    response = quiet.resource_system.post(
        f"/api/v1/projects/{project.id}/activations", json={"splitter_ids": [tree.splitter.id]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == f"splitter[{tree.splitter.id}].name"


def test_webhook_admin_crud_hides_the_secret(quiet: Api) -> None:
    created = quiet.admin.post(
        "/api/v1/webhooks",
        json={"url": "http://127.0.0.1:9/x", "secret": "0123456789abcdef", "event_types": []},
    )
    assert created.status_code == 201 and "secret" not in created.json()
    hook_id = created.json()["id"]
    patched = quiet.admin.patch(f"/api/v1/webhooks/{hook_id}", json={"active": False})
    assert patched.json()["active"] is False
    assert quiet.admin.get("/api/v1/webhooks").json()["total"] == 1
    assert quiet.admin.delete(f"/api/v1/webhooks/{hook_id}").status_code == 204
    assert quiet.admin.get(f"/api/v1/webhooks/{hook_id}").status_code == 404
