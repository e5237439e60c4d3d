"""Projects (工程资料): CRUD, the test-required rule, threshold profile assignment."""

from __future__ import annotations

from fixtures.api import Api, create_resources


def test_project_crud_and_filters(api: Api) -> None:
    client = api.resource_system
    created = client.post(
        "/api/v1/projects", json={"code": "P-1", "name": "文三新村 FTTH", "contractor": "某通信工程公司"}
    )
    assert created.status_code == 201
    project = created.json()
    assert project["status"] == "draft" and project["threshold_profile_id"] is None
    assert client.post("/api/v1/projects", json={"code": "P-1", "name": "again"}).status_code == 409
    client.post("/api/v1/projects", json={"code": "P-2", "name": "other", "contractor": "B"})
    listed = client.get("/api/v1/projects", params={"contractor": "某通信工程公司"}).json()
    assert [p["code"] for p in listed["items"]] == ["P-1"]
    assert client.get("/api/v1/projects", params={"status": "draft"}).json()["total"] == 2
    assert client.get("/api/v1/projects", params={"status": "nope"}).status_code == 422
    patched = client.patch(f"/api/v1/projects/{project['id']}", json={"contractor": None, "name": "新名称"})
    assert patched.json()["contractor"] is None and patched.json()["name"] == "新名称"
    assert client.delete(f"/api/v1/projects/{project['id']}").status_code == 204
    assert client.get(f"/api/v1/projects/{project['id']}").status_code == 404


def test_test_required_follows_splitters(api: Api) -> None:
    isolated = api.resource_system.post(
        "/api/v1/projects", json={"code": "ISO", "name": "isolated addresses"}
    )
    assert isolated.json()["test_required"] is False
    explicit = api.resource_system.post(
        "/api/v1/projects", json={"code": "EXP", "name": "x", "test_required": True}
    )
    assert explicit.json()["test_required"] is True
    tree = create_resources(api, project_code="NEW")
    project = api.admin.get(f"/api/v1/projects/{tree.project_id}").json()
    assert project["test_required"] is True
    refused = api.resource_system.patch(f"/api/v1/projects/{tree.project_id}", json={"test_required": False})
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "body.test_required"


def test_attaching_splitter_by_patch_marks_project(api: Api) -> None:
    tree = create_resources(api, project_code="A")
    other = api.resource_system.post("/api/v1/projects", json={"code": "B", "name": "b"}).json()
    assert other["test_required"] is False
    moved = api.resource_system.patch(
        f"/api/v1/splitters/{tree.splitter_ids[0]}", json={"project_id": other["id"]}
    )
    assert moved.status_code == 200
    assert api.admin.get(f"/api/v1/projects/{other['id']}").json()["test_required"] is True


def test_assign_threshold_profile_version(api: Api) -> None:
    project = api.resource_system.post("/api/v1/projects", json={"code": "T", "name": "t"}).json()
    end_user = api.admin.get("/api/v1/threshold-profiles", params={"name": "end-user"}).json()["items"][0]
    response = api.resource_system.patch(
        f"/api/v1/projects/{project['id']}", json={"threshold_profile_id": end_user["id"]}
    )
    assert response.status_code == 200 and response.json()["threshold_profile_id"] == end_user["id"]
    unknown = api.resource_system.patch(
        f"/api/v1/projects/{project['id']}", json={"threshold_profile_id": 999}
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "body.threshold_profile_id"
    cleared = api.resource_system.patch(
        f"/api/v1/projects/{project['id']}", json={"threshold_profile_id": None}
    )
    assert cleared.json()["threshold_profile_id"] is None


def test_project_text_rejects_control_characters(api: Api) -> None:
    response = api.resource_system.post("/api/v1/projects", json={"code": "C\x00", "name": "x"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.code"
