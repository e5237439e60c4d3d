"""Bulk import of a project's splitters: JSON and CSV, validated first, all-or-nothing."""

from __future__ import annotations

from fixtures.api import Api, create_resources


def _errors(response_json: dict[str, object]) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response_json["errors"]}  # type: ignore[index,union-attr]


def _project_splitters(api: Api, project_id: int) -> list[dict[str, object]]:
    items: list[dict[str, object]] = api.admin.get(
        "/api/v1/splitters", params={"project_id": project_id, "limit": 500}
    ).json()["items"]
    return items


def test_json_import_creates_tree_with_parents_listed_later(api: Api) -> None:
    tree = create_resources(api, splitters=0)
    body = {
        "splitters": [
            {"name": "L2-A", "ratio": 8, "pon_port_id": tree.pon_port_id, "parent": "L1"},
            {"name": "L1", "ratio": 4, "olt": "OLT-LAB-1", "slot": 1, "port": 0, "fibre_length_km": 2.5},
            {"name": "L2-B", "ratio": 8, "pon_port_id": tree.pon_port_id, "parent": "L1", "port_count": 6},
        ]
    }
    response = api.resource_system.post(f"/api/v1/projects/{tree.project_id}/splitters/import", json=body)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["created"] == 3
    by_name = {s["name"]: s for s in result["splitters"]}
    assert by_name["L1"]["stage"] == 1 and by_name["L1"]["fibre_length_km"] == 2.5
    assert by_name["L2-A"]["parent_splitter_id"] == by_name["L1"]["id"] and by_name["L2-A"]["stage"] == 2
    ports = api.admin.get("/api/v1/splitter-ports", params={"splitter_id": by_name["L2-B"]["id"]}).json()
    assert ports["total"] == 6
    project = api.admin.get(f"/api/v1/projects/{tree.project_id}").json()
    assert project["test_required"] is True


def test_json_import_is_all_or_nothing_and_names_row_and_field(api: Api) -> None:
    tree = create_resources(api, splitters=0)
    body = {
        "splitters": [
            {"name": "OK-1", "ratio": 8, "pon_port_id": tree.pon_port_id},
            {"name": "BAD-RATIO", "ratio": 5, "pon_port_id": tree.pon_port_id},
            {"name": "OK-2", "ratio": 8, "pon_port_id": tree.pon_port_id},
        ]
    }
    response = api.resource_system.post(f"/api/v1/projects/{tree.project_id}/splitters/import", json=body)
    assert response.status_code == 422
    assert set(_errors(response.json())) == {"body.splitters[1].ratio"}
    assert _project_splitters(api, tree.project_id) == []


def test_semantic_errors_are_all_reported_and_nothing_written(api: Api) -> None:
    tree = create_resources(api, splitters=1)
    body = {
        "splitters": [
            {"name": "N-1", "ratio": 8, "pon_port_id": 9999},
            {"name": "N-2", "ratio": 8, "olt": "OLT-LAB-1", "slot": 7, "port": 7},
            {"name": "PRJ-1-SPL-1", "ratio": 8, "pon_port_id": tree.pon_port_id},
            {"name": "DUP", "ratio": 8, "pon_port_id": tree.pon_port_id},
            {"name": "DUP", "ratio": 8, "pon_port_id": tree.pon_port_id},
            {"name": "ORPHAN", "ratio": 8, "pon_port_id": tree.pon_port_id, "parent": "NOPE"},
            {"name": "STAGED", "ratio": 8, "pon_port_id": tree.pon_port_id, "stage": 2},
            {"name": "GOOD", "ratio": 8, "pon_port_id": tree.pon_port_id},
        ]
    }
    response = api.resource_system.post(f"/api/v1/projects/{tree.project_id}/splitters/import", json=body)
    assert response.status_code == 422
    assert set(_errors(response.json())) == {
        "body.splitters[0].pon_port_id",
        "body.splitters[1].port",
        "body.splitters[2].name",
        "body.splitters[4].name",
        "body.splitters[5].parent",
        "body.splitters[6].parent",
    }
    assert [s["name"] for s in _project_splitters(api, tree.project_id)] == ["PRJ-1-SPL-1"]


def test_parent_cycle_is_rejected(api: Api) -> None:
    tree = create_resources(api, splitters=0)
    body = {
        "splitters": [
            {"name": "A", "ratio": 8, "pon_port_id": tree.pon_port_id, "parent": "B"},
            {"name": "B", "ratio": 8, "pon_port_id": tree.pon_port_id, "parent": "A"},
        ]
    }
    response = api.resource_system.post(f"/api/v1/projects/{tree.project_id}/splitters/import", json=body)
    assert response.status_code == 422
    assert any(field.endswith(".parent") for field in _errors(response.json()))
    assert _project_splitters(api, tree.project_id) == []


def test_csv_import(api: Api) -> None:
    tree = create_resources(api, splitters=0)
    csv_text = (
        "name,ratio,olt,slot,port,fibre_length_km,connectors,splices,parent,address\n"
        "C-1,4,OLT-LAB-1,1,0,3.2,4,6,,文三路 88 号\n"
        "C-1-1,8,OLT-LAB-1,1,0,0.3,2,1,C-1,\n"
    )
    response = api.resource_system.post(
        f"/api/v1/projects/{tree.project_id}/splitters/import",
        content=csv_text.encode("utf-8-sig"),
        headers={"Content-Type": "text/csv; charset=utf-8"},
    )
    assert response.status_code == 201, response.text
    names = {s["name"]: s for s in response.json()["splitters"]}
    assert names["C-1"]["address"] == "文三路 88 号" and names["C-1"]["connectors"] == 4
    assert names["C-1-1"]["stage"] == 2 and names["C-1-1"]["parent_splitter_id"] == names["C-1"]["id"]


def test_csv_errors_name_line_and_column_and_write_nothing(api: Api) -> None:
    tree = create_resources(api, splitters=0)
    csv_text = (
        "name,ratio,pon_port_id,connectors\n"
        f"OK,8,{tree.pon_port_id},1\n"
        f"BAD NAME,8,{tree.pon_port_id},1\n"
        f"X,3,{tree.pon_port_id},many\n"
    )
    response = api.resource_system.post(
        f"/api/v1/projects/{tree.project_id}/splitters/import",
        content=csv_text,
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    assert set(_errors(response.json())) == {
        "csv.line[3].name",
        "csv.line[4].ratio",
        "csv.line[4].connectors",
    }
    assert _project_splitters(api, tree.project_id) == []


def test_csv_bad_header_and_content_type(api: Api) -> None:
    tree = create_resources(api, splitters=0)
    url = f"/api/v1/projects/{tree.project_id}/splitters/import"
    response = api.admin.post(url, content="name,colour\nA,red\n", headers={"Content-Type": "text/csv"})
    assert response.status_code == 422 and "csv.header" in _errors(response.json())
    response = api.admin.post(url, content="<xml/>", headers={"Content-Type": "application/xml"})
    assert response.status_code == 422 and "header.Content-Type" in _errors(response.json())
    response = api.admin.post(url, content=b"\xff\xfe", headers={"Content-Type": "text/csv"})
    assert response.status_code == 422


def test_import_into_missing_project_is_404(api: Api) -> None:
    response = api.admin.post("/api/v1/projects/4242/splitters/import", json={"splitters": []})
    assert response.status_code == 404
