"""Authentication (401) and the role matrix (403) on a sample of routes."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from fixtures.api import Api, create_resources
from ponaccept.api.security import Role, hash_key, revoke_key

OLT = {"name": "OLT-A", "vendor": "huawei", "platform": "huawei_smartax", "management_ip": "10.0.0.1"}
PROFILE = {"name": "strict", "onu_rx_min_dbm": -19.0}


def test_missing_key_is_401_with_problem_body(api: Api) -> None:
    response = api.anonymous.get("/api/v1/olts")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["status"] == 401 and body["type"].endswith(":unauthorized") and body["errors"] == []


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer pak_00000000_not-a-real-key"},
        {"X-API-Key": "garbage"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ],
)
def test_unknown_or_malformed_key_is_401(api: Api, headers: dict[str, str]) -> None:
    assert api.client.get("/api/v1/olts", headers=headers).status_code == 401


def test_x_api_key_header_is_accepted(api: Api) -> None:
    response = api.client.get("/api/v1/meta/whoami", headers={"X-API-Key": api.keys[Role.REVIEWER]})
    assert response.status_code == 200
    assert response.json()["role"] == "reviewer"


def test_tampered_key_with_valid_prefix_is_401(api: Api) -> None:
    key = api.keys[Role.ADMIN]
    tampered = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert api.client.get("/api/v1/olts", headers={"Authorization": f"Bearer {tampered}"}).status_code == 401


def test_revoked_key_is_401(api: Api) -> None:
    key = api.keys[Role.ENGINEER]
    with Session(api.engine) as session:
        assert revoke_key(session, key[:12]) is not None
        session.commit()
    assert api.engineer.get("/api/v1/olts").status_code == 401


def test_only_the_hash_is_stored(api: Api) -> None:
    from sqlmodel import select

    from ponaccept.db.models import ApiKey

    with Session(api.engine) as session:
        rows = session.exec(select(ApiKey)).all()
    stored = {value for row in rows for value in (row.key_hash, row.prefix, row.name)}
    for key in api.keys.values():
        assert key not in stored
        assert hash_key(key) in stored


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads(api: Api, role: Role) -> None:
    for url in (
        "/api/v1/olts",
        "/api/v1/projects",
        "/api/v1/threshold-profiles",
        "/api/v1/reports/acceptance",
    ):
        assert api.as_role(role).get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.RESOURCE_SYSTEM, 201), (Role.ADMIN, 201), (Role.ENGINEER, 403), (Role.REVIEWER, 403)],
)
def test_resource_writes_need_resource_system(api: Api, role: Role, expected: int) -> None:
    response = api.as_role(role).post("/api/v1/olts", json={**OLT, "name": f"OLT-{role.value}"})
    assert response.status_code == expected
    if expected == 403:
        body = response.json()
        assert body["type"].endswith(":forbidden") and role.value in body["detail"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [(Role.ADMIN, 201), (Role.RESOURCE_SYSTEM, 403), (Role.ENGINEER, 403), (Role.REVIEWER, 403)],
)
def test_only_admin_changes_thresholds(api: Api, role: Role, expected: int) -> None:
    assert api.as_role(role).post("/api/v1/threshold-profiles", json=PROFILE).status_code == expected
    construction = api.admin.get("/api/v1/threshold-profiles", params={"name": "construction"}).json()[
        "items"
    ][0]
    patch = api.as_role(role).patch(
        f"/api/v1/threshold-profiles/{construction['id']}", json={"onu_rx_min_dbm": -21}
    )
    assert patch.status_code == expected


@pytest.mark.parametrize("role", [Role.ENGINEER, Role.REVIEWER])
def test_non_owners_cannot_delete_or_import(api: Api, role: Role) -> None:
    tree = create_resources(api)
    client = api.as_role(role)
    assert client.delete(f"/api/v1/splitters/{tree.splitter_ids[0]}").status_code == 403
    assert client.patch(f"/api/v1/projects/{tree.project_id}", json={"name": "x"}).status_code == 403
    body = {"splitters": [{"name": "S-2", "ratio": 8, "pon_port_id": tree.pon_port_id}]}
    assert client.post(f"/api/v1/projects/{tree.project_id}/splitters/import", json=body).status_code == 403


def test_auth_is_checked_before_validation_and_existence(api: Api) -> None:
    assert api.anonymous.post("/api/v1/olts", json={"bogus": True}).status_code in (401, 422)
    assert api.engineer.delete("/api/v1/olts/999").status_code == 403
