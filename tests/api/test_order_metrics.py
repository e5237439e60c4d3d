"""``GET /api/v1/order-metrics``: the generated month through HTTP, exports, and clear 4xx answers."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlmodel import Session

from db.test_order_metrics import AS_OF, Month, build_month
from fixtures.api import Api

URL = "/api/v1/order-metrics"
PARAMS = {"month": "2026-11", "as_of": AS_OF.isoformat()}


def month_in(api: Api) -> Month:
    with Session(api.engine, expire_on_commit=False) as session:
        return build_month(session)


def test_json_by_district_for_every_read_role(api: Api) -> None:
    month = month_in(api)
    for client in (api.engineer, api.reviewer, api.resource_system):
        response = client.get(URL, params=PARAMS)
        assert response.status_code == 200, response.text
    body = response.json()
    rows = {row["group_id"]: row for row in body["rows"]}
    a = rows[month.district_a]
    assert (a["installs_completed"], a["installs_on_time"]) == (11, 7)
    assert abs(a["install_timeliness"] - 7 / 11) < 1e-9
    assert a["complaints_per_10k"] == 2.5
    assert body["total"]["repairs_completed"] == 13
    assert {alert["level"] for alert in body["alerts"]} == {"mobile_team", "emergency_team"}
    assert body["month"] == "2026-11" and body["grouping"] == "district"


def test_group_by_technician_with_district_name_filter_and_zh_labels(api: Api) -> None:
    month = month_in(api)
    params = PARAMS | {"group_by": "technician", "district": "城区A", "lang": "zh"}
    body = api.engineer.get(URL, params=params).json()
    rows = {row["group_id"]: row for row in body["rows"]}
    assert rows[month.tech["t2"]]["penalty_amount"] == 60
    assert month.tech["t3"] not in rows  # district B filtered out
    labels = {c["key"]: c["label"] for c in body["columns"]}
    assert labels["complaints_per_10k"] == "万投比"


def test_csv_and_xlsx_exports(api: Api) -> None:
    month_in(api)
    csv_response = api.engineer.get(URL, params=PARAMS | {"format": "csv", "lang": "zh"})
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"].startswith("text/csv")
    text = csv_response.content.decode("utf-8")
    assert text.startswith("\ufeff分组编号,分组,装机竣工数")
    lines = text.strip().splitlines()
    assert len(lines) == 1 + 2 + 1  # header, two districts, total
    assert lines[1].split(",")[1:5] == ["城区A", "11", "7", "0.6364"]

    xlsx = api.engineer.get(URL, params=PARAMS | {"format": "xlsx"})
    assert xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert workbook.sheetnames == ["Order metrics", "Backlog alerts", "About"]
    sheet = list(workbook["Order metrics"].iter_rows(values_only=True))
    assert sheet[0][:3] == ("Group id", "Group", "Installs completed")
    assert sheet[-1][1] == "(total)" and sheet[-1][2] == 13
    alerts = list(workbook["Backlog alerts"].iter_rows(values_only=True))
    assert [row[-1] for row in alerts[1:]] == ["mobile_team", "emergency_team"]


def test_bad_month_and_unknown_district_are_422(api: Api) -> None:
    month_in(api)
    bad_month = api.engineer.get(URL, params={"month": "2026-13"})
    assert bad_month.status_code == 422
    assert bad_month.json()["errors"][0]["field"] == "query.month"
    unknown = api.engineer.get(URL, params={"month": "2026-11", "district": "nowhere"})
    assert unknown.status_code == 422
    assert "unknown district" in unknown.json()["detail"]
    assert api.engineer.get(URL, params={"month": "2026-11", "group_by": "city"}).status_code == 422
    assert api.anonymous.get(URL, params=PARAMS).status_code == 401
    assert api.engineer.get(URL, params={"month": "9999-12"}).status_code == 422  # would overflow UTC
    far = api.engineer.get(URL, params={"month": "2026-11", "as_of": "0001-01-01T00:00:00"})
    assert far.status_code == 422 and far.json()["errors"][0]["field"] == "query.as_of"
