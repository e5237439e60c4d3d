"""CRUD of OLTs, PON ports, splitters and splitter ports: happy paths, 404/409/422, pagination."""

from __future__ import annotations

from sqlmodel import Session

from fixtures.api import Api, create_resources
from fixtures.db import build_activation
from ponaccept.db.models import Olt, PonPort, Project, Splitter, SplitterPort

OLT = {"name": "OLT-A", "vendor": "zte", "platform": "zte_zxros", "management_ip": "2001:db8::1"}


def _fields(response_json: dict[str, object]) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response_json["errors"]}  # type: ignore[index,union-attr]


def test_olt_crud(api: Api) -> None:
    client = api.resource_system
    created = client.post("/api/v1/olts", json={**OLT, "snmp_community_ref": "lab-snmp"})
    assert created.status_code == 201
    olt = created.json()
    assert olt["management_ip"] == "2001:db8::1" and olt["optics_method"] == "snmp" and olt["ssh_port"] == 22
    assert client.get(f"/api/v1/olts/{olt['id']}").json() == olt
    patched = client.patch(f"/api/v1/olts/{olt['id']}", json={"ssh_port": 2222, "snmp_community_ref": None})
    assert patched.status_code == 200
    assert patched.json()["ssh_port"] == 2222 and patched.json()["snmp_community_ref"] is None
    assert client.delete(f"/api/v1/olts/{olt['id']}").status_code == 204
    assert client.get(f"/api/v1/olts/{olt['id']}").status_code == 404


def test_olt_duplicate_name_is_409_naming_the_field(api: Api) -> None:
    assert api.admin.post("/api/v1/olts", json=OLT).status_code == 201
    response = api.admin.post("/api/v1/olts", json=OLT)
    assert response.status_code == 409
    assert "body.name" in _fields(response.json())


def test_unknown_enum_value_is_422_naming_the_field(api: Api) -> None:
    response = api.admin.post("/api/v1/olts", json={**OLT, "vendor": "nokia"})
    assert response.status_code == 422
    body = response.json()
    assert body["type"].endswith(":validation") and "body.vendor" in _fields(body)
    assert "huawei" in _fields(body)["body.vendor"]
    response = api.admin.get("/api/v1/splitter-ports", params={"status": "broken"})
    assert response.status_code == 422 and "query.status" in _fields(response.json())


def test_unsafe_cli_names_and_bad_ip_are_rejected(api: Api) -> None:
    response = api.admin.post(
        "/api/v1/olts", json={**OLT, "name": "OLT A\nquit", "management_ip": "999.1.1.1"}
    )
    assert response.status_code == 422
    assert {"body.name", "body.management_ip"} <= set(_fields(response.json()))


def test_unknown_fields_are_rejected(api: Api) -> None:
    response = api.admin.post("/api/v1/olts", json={**OLT, "colour": "red"})
    assert response.status_code == 422 and "body.colour" in _fields(response.json())


def test_patch_null_on_required_field_is_422(api: Api) -> None:
    olt_id = api.admin.post("/api/v1/olts", json=OLT).json()["id"]
    response = api.admin.patch(f"/api/v1/olts/{olt_id}", json={"name": None})
    assert response.status_code == 422 and "body.name" in _fields(response.json())


def test_missing_ids_are_404(api: Api) -> None:
    for url in (
        "/api/v1/olts/77",
        "/api/v1/pon-ports/77",
        "/api/v1/splitters/77",
        "/api/v1/splitter-ports/77",
    ):
        response = api.admin.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"].endswith("77 does not exist")
    assert api.admin.delete("/api/v1/projects/77").status_code == 404


def test_path_id_out_of_range_is_422(api: Api) -> None:
    response = api.admin.get("/api/v1/olts/99999999999")
    assert response.status_code == 422 and "path.olt_id" in _fields(response.json())


def test_pon_port_svlan_range_and_duplicates(api: Api) -> None:
    olt_id = api.admin.post("/api/v1/olts", json=OLT).json()["id"]
    bad = api.admin.post("/api/v1/pon-ports", json={"olt_id": olt_id, "slot": 1, "port": 0, "svlan": 4095})
    assert bad.status_code == 422 and "body.svlan" in _fields(bad.json())
    unknown = api.admin.post("/api/v1/pon-ports", json={"olt_id": 999, "slot": 1, "port": 0, "svlan": 10})
    assert unknown.status_code == 422 and "body.olt_id" in _fields(unknown.json())
    body = {"olt_id": olt_id, "slot": 1, "port": 0, "svlan": 100, "optical_class": "gpon_c+"}
    created = api.admin.post("/api/v1/pon-ports", json=body)
    assert created.status_code == 201 and created.json()["optical_class"] == "gpon_c+"
    assert api.admin.post("/api/v1/pon-ports", json=body).status_code == 409
    patched = api.admin.patch(f"/api/v1/pon-ports/{created.json()['id']}", json={"svlan": 200})
    assert patched.json()["svlan"] == 200
    listed = api.admin.get("/api/v1/pon-ports", params={"olt_id": olt_id, "svlan": 200}).json()
    assert listed["total"] == 1


def test_splitter_creates_its_ports_and_derives_stage_from_parent(api: Api) -> None:
    tree = create_resources(api, ratio=8)
    assert len(tree.splitter_port_ids) == 8
    child = api.resource_system.post(
        "/api/v1/splitters",
        json={"name": "CHILD-1", "ratio": 4, "parent_splitter_id": tree.splitter_ids[0], "port_count": 3},
    )
    assert child.status_code == 201
    assert child.json()["stage"] == 2 and child.json()["pon_port_id"] == tree.pon_port_id
    ports = api.admin.get(f"/api/v1/splitters/{child.json()['id']}/ports").json()
    assert [p["number"] for p in ports["items"]] == [1, 2, 3] and ports["total"] == 3
    assert all(p["status"] == "untested" for p in ports["items"])


def test_splitter_validation_names_fields(api: Api) -> None:
    tree = create_resources(api)
    response = api.admin.post(
        "/api/v1/splitters",
        json={"name": "X", "ratio": 12, "pon_port_id": tree.pon_port_id, "connectors": -1},
    )
    assert response.status_code == 422
    assert {"body.ratio", "body.connectors"} <= set(_fields(response.json()))
    response = api.admin.post(
        "/api/v1/splitters", json={"name": "X", "ratio": 8, "pon_port_id": 999, "stage": 2}
    )
    assert response.status_code == 422
    assert {"body.pon_port_id", "body.parent_splitter_id"} <= set(_fields(response.json()))
    response = api.admin.post(
        "/api/v1/splitters", json={"name": "X", "ratio": 8, "pon_port_id": tree.pon_port_id, "port_count": 9}
    )
    assert response.status_code == 422
    duplicate = api.admin.post(
        "/api/v1/splitters", json={"name": "PRJ-1-SPL-1", "ratio": 8, "pon_port_id": tree.pon_port_id}
    )
    assert duplicate.status_code == 422 and "body.name" in _fields(duplicate.json())


def test_splitter_port_status_update_and_filters(api: Api) -> None:
    tree = create_resources(api, ratio=4)
    port_id = tree.splitter_port_ids[1]
    response = api.resource_system.patch(f"/api/v1/splitter-ports/{port_id}", json={"status": "faulty"})
    assert response.status_code == 200 and response.json()["status"] == "faulty"
    listed = api.admin.get(
        "/api/v1/splitter-ports", params={"project_id": tree.project_id, "status": "faulty"}
    )
    assert [p["id"] for p in listed.json()["items"]] == [port_id]


def test_deletes_are_refused_while_in_use(api: Api) -> None:
    tree = create_resources(api)
    response = api.admin.delete(f"/api/v1/olts/{tree.olt_id}")
    assert response.status_code == 409 and "PON ports" in response.json()["detail"]
    assert api.admin.delete(f"/api/v1/pon-ports/{tree.pon_port_id}").status_code == 409
    with Session(api.engine, expire_on_commit=False) as session:
        from fixtures.db import OltTree

        olt = session.get(Olt, tree.olt_id)
        pon = session.get(PonPort, tree.pon_port_id)
        splitter = session.get(Splitter, tree.splitter_ids[0])
        project = session.get(Project, tree.project_id)
        ports = [session.get(SplitterPort, i) for i in tree.splitter_port_ids]
        assert olt and pon and splitter and project and all(ports)
        build_activation(session, OltTree(olt, pon, splitter, ports), project)  # type: ignore[arg-type]
        session.commit()
    response = api.admin.delete(f"/api/v1/splitters/{tree.splitter_ids[0]}")
    assert response.status_code == 409 and "activations" in response.json()["detail"]
    response = api.admin.delete(f"/api/v1/projects/{tree.project_id}")
    assert response.status_code == 409
    assert "splitters" in response.json()["detail"] and "activations" in response.json()["detail"]
    # Nothing was cascaded away.
    assert api.admin.get(f"/api/v1/splitters/{tree.splitter_ids[0]}").status_code == 200
    assert api.admin.get(f"/api/v1/splitter-ports/{tree.splitter_port_ids[0]}").status_code == 200


def test_unused_splitter_is_deleted_with_its_ports(api: Api) -> None:
    tree = create_resources(api, ratio=2)
    assert api.admin.delete(f"/api/v1/splitters/{tree.splitter_ids[0]}").status_code == 204
    for port_id in tree.splitter_port_ids:
        assert api.admin.get(f"/api/v1/splitter-ports/{port_id}").status_code == 404


def test_pagination_totals_and_bounds(api: Api) -> None:
    for n in range(5):
        assert api.admin.post("/api/v1/olts", json={**OLT, "name": f"OLT-{n}"}).status_code == 201
    page = api.admin.get("/api/v1/olts", params={"limit": 2, "offset": 2}).json()
    assert page["total"] == 5 and page["limit"] == 2 and page["offset"] == 2
    assert [o["name"] for o in page["items"]] == ["OLT-2", "OLT-3"]
    last = api.admin.get("/api/v1/olts", params={"limit": 2, "offset": 4}).json()
    assert [o["name"] for o in last["items"]] == ["OLT-4"]
    too_big = api.admin.get("/api/v1/olts", params={"limit": 501})
    assert too_big.status_code == 422 and "query.limit" in _fields(too_big.json())
    assert api.admin.get("/api/v1/olts", params={"vendor": "zte"}).json()["total"] == 5
    assert api.admin.get("/api/v1/olts", params={"vendor": "huawei"}).json()["total"] == 0
