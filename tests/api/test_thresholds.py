"""Threshold profiles: presets at start-up, create, change = new version, old versions untouched."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from fixtures.api import Api
from ponaccept.api.thresholds_map import profile_for_project, to_domain_profile
from ponaccept.db.models import Project, ThresholdMode, ThresholdProfile
from ponaccept.domain.optics import OpticalReadings
from ponaccept.domain.thresholds import judge

URL = "/api/v1/threshold-profiles"


def test_presets_are_seeded_at_startup(api: Api) -> None:
    items = api.engineer.get(URL, params={"latest": True}).json()["items"]
    limits = {p["name"]: p["onu_rx_min_dbm"] for p in items}
    assert limits == {"construction": -20.0, "end-user": -27.0}
    assert all(p["version"] == 1 and p["latest"] for p in items)


def test_change_creates_a_new_version_and_keeps_the_old(api: Api) -> None:
    v1 = api.admin.get(URL, params={"name": "construction"}).json()["items"][0]
    patched = api.admin.patch(f"{URL}/{v1['id']}", json={"onu_rx_min_dbm": -21.5})
    assert patched.status_code == 201
    v2 = patched.json()
    assert v2["version"] == 2 and v2["id"] != v1["id"] and v2["onu_rx_min_dbm"] == -21.5
    assert v2["max_down_att_db"] == v1["max_down_att_db"] and v2["latest"] is True
    old = api.admin.get(f"{URL}/{v1['id']}").json()
    assert old["onu_rx_min_dbm"] == -20.0 and old["version"] == 1 and old["latest"] is False
    history = api.admin.get(URL, params={"name": "construction"}).json()
    assert [p["version"] for p in history["items"]] == [2, 1] and history["total"] == 2
    put = api.admin.put(f"{URL}/{v2['id']}", json={"onu_rx_min_dbm": -22.0})
    assert put.status_code == 201 and put.json()["version"] == 3 and put.json()["overload_dbm"] == -8.0


def test_changing_an_old_version_is_409(api: Api) -> None:
    v1 = api.admin.get(URL, params={"name": "end-user"}).json()["items"][0]
    assert api.admin.patch(f"{URL}/{v1['id']}", json={"onu_rx_min_dbm": -26}).status_code == 201
    stale = api.admin.patch(f"{URL}/{v1['id']}", json={"onu_rx_min_dbm": -25})
    assert stale.status_code == 409 and stale.json()["current_state"] == "v2"


def test_create_predicted_mode_profile(api: Api) -> None:
    body = {"name": "predicted", "onu_rx_min_dbm": -24, "mode": "predicted_plus_tolerance", "tolerance_db": 3}
    response = api.admin.post(URL, json=body)
    assert response.status_code == 201
    assert response.json()["mode"] == "predicted_plus_tolerance" and response.json()["version"] == 1
    assert api.admin.post(URL, json=body).status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "onu_rx_min_dbm": -20, "mode": "predicted_plus_tolerance"}, "body"),
        ({"name": "x", "onu_rx_min_dbm": -5, "overload_dbm": -8}, "body"),
        ({"name": "x", "onu_rx_min_dbm": -20, "mode": "magic"}, "body.mode"),
        ({"name": "bad name", "onu_rx_min_dbm": -20}, "body.name"),
        ({"name": "x", "onu_rx_min_dbm": -20, "max_down_att_db": 0}, "body.max_down_att_db"),
    ],
)
def test_incoherent_profiles_are_422(api: Api, body: dict[str, object], field: str) -> None:
    response = api.admin.post(URL, json=body)
    assert response.status_code == 422
    assert field in {e["field"] for e in response.json()["errors"]}


def test_patch_nothing_or_null_is_422(api: Api) -> None:
    v1 = api.admin.get(URL, params={"name": "construction"}).json()["items"][0]
    assert api.admin.patch(f"{URL}/{v1['id']}", json={}).status_code == 422
    assert api.admin.patch(f"{URL}/{v1['id']}", json={"onu_rx_min_dbm": None}).status_code == 422


def test_mapping_to_domain_profile_judges_with_stored_limits() -> None:
    row = ThresholdProfile(
        name="m",
        version=4,
        onu_rx_min_dbm=-19.0,
        overload_dbm=-7.0,
        max_down_att_db=25.0,
        max_up_att_db=26.0,
        olt_rx_min_dbm=-30.0,
        mode=ThresholdMode.FIXED,
    )
    profile = to_domain_profile(row)
    assert (profile.name, profile.version, profile.onu_rx_overload_dbm) == ("m", 4, -7.0)
    assert profile.max_downstream_attenuation_db == 25.0 and profile.max_upstream_attenuation_db == 26.0
    readings = OpticalReadings.from_dbm(olt_tx=3.0, olt_rx=-22.0, onu_tx=2.0, onu_rx=-19.5)
    verdict = judge(readings, profile)
    assert verdict.verdict.value == "fail" and verdict.profile_version == 4


def test_profile_for_project_defaults_to_latest_construction(api: Api) -> None:
    v1 = api.admin.get(URL, params={"name": "construction"}).json()["items"][0]
    v2 = api.admin.patch(f"{URL}/{v1['id']}", json={"onu_rx_min_dbm": -21}).json()
    end_user = api.admin.get(URL, params={"name": "end-user"}).json()["items"][0]
    with Session(api.engine) as session:
        assert profile_for_project(session, Project(code="x", name="x")).id == v2["id"]
        chosen = Project(code="y", name="y", threshold_profile_id=end_user["id"])
        assert profile_for_project(session, chosen).id == end_user["id"]
