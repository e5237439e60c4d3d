"""挂测报表: rows per tested port and attempt, latest tests for pass columns, JSON/CSV/XLSX, zh headers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from sqlmodel import Session

from fixtures.api import Api
from fixtures.db import build_activation, build_olt_tree, build_project
from ponaccept.db.models import LineTest, OpticsMethod, ServiceTest
from ponaccept.db.repositories.thresholds import latest
from ponaccept.domain.choices import ActivationStatus, Verdict

URL = "/api/v1/reports/acceptance"
ZH_HEADERS = [
    "OLT发光功率",
    "OLT收光功率",
    "ONU发光功率",
    "ONU收光功率",
    "下行衰减",
    "上行衰减",
    "业务测试是否达标",
    "线路质量是否达标",
    "是否达标",
]
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@dataclass
class Seeded:
    rectified_project_id: int
    other_project_id: int
    other_olt_id: int


def _line(
    session: Session, activation_id: int, profile_id: int, onu_rx: float, verdict: Verdict, at: datetime
) -> None:
    session.add(
        LineTest(
            activation_id=activation_id,
            measured_at=at,
            olt_tx_dbm=3.0,
            olt_rx_dbm=-24.0,
            onu_tx_dbm=2.0,
            onu_rx_dbm=onu_rx,
            down_att_db=round(3.0 - onu_rx, 2),
            up_att_db=26.0,
            method=OpticsMethod.SNMP,
            threshold_profile_id=profile_id,
            verdict=verdict,
        )
    )


def _service(session: Session, activation_id: int, verdict: Verdict, at: datetime) -> None:
    session.add(ServiceTest(activation_id=activation_id, account="test01", verdict=verdict, created_at=at))


def seed(api: Api) -> Seeded:
    """Project R: port 1 failed (dirty connector), rectified, attempt 2 passed; port 2 passed once and was
    re-tested (latest fails); port 3 activated but never tested. Project O on another OLT: one pass."""
    with Session(api.engine, expire_on_commit=False) as session:
        profile = latest(session, "construction")
        assert profile is not None and profile.id is not None
        rectified = build_project(session, code="R-1", contractor="Alpha")
        tree = build_olt_tree(session, name="OLT-R", splitter_name="SPL-R", project=rectified)
        first = build_activation(session, tree, rectified, port_number=1, status=ActivationStatus.REVOKED)
        _line(session, first.id, profile.id, -23.5, Verdict.FAIL, T0)  # type: ignore[arg-type]
        _service(session, first.id, Verdict.PASS, T0)  # type: ignore[arg-type]
        second = build_activation(
            session, tree, rectified, port_number=1, attempt=2, onu_name="T-SPL-R-1-2", ont_id=11
        )
        _line(session, second.id, profile.id, -18.0, Verdict.PASS, T0 + timedelta(days=3))  # type: ignore[arg-type]
        _service(session, second.id, Verdict.PASS, T0 + timedelta(days=3))  # type: ignore[arg-type]
        port2 = build_activation(session, tree, rectified, port_number=2)
        _line(session, port2.id, profile.id, -17.0, Verdict.PASS, T0 + timedelta(days=1))  # type: ignore[arg-type]
        _line(session, port2.id, profile.id, -22.0, Verdict.FAIL, T0 + timedelta(days=2))  # type: ignore[arg-type]
        build_activation(session, tree, rectified, port_number=3)
        other = build_project(session, code="O-1", contractor="Beta")
        other_tree = build_olt_tree(session, name="OLT-O", splitter_name="SPL-O", project=other)
        activation = build_activation(session, other_tree, other, port_number=1)
        _line(session, activation.id, profile.id, -16.0, Verdict.PASS, T0 + timedelta(days=10))  # type: ignore[arg-type]
        session.commit()
        assert rectified.id and other.id and other_tree.olt.id
        return Seeded(rectified.id, other.id, other_tree.olt.id)


def test_json_rows_show_every_attempt_and_latest_verdicts(api: Api) -> None:
    seeded = seed(api)
    body = api.reviewer.get(f"/api/v1/reports/projects/{seeded.rectified_project_id}").json()
    rows = body["items"]
    assert body["total"] == 3  # port 3 was never tested: no row
    assert [(r["splitter_port"], r["attempt"]) for r in rows] == [(1, 1), (1, 2), (2, 1)]
    attempt1, attempt2, port2 = rows
    assert attempt1["line_quality_pass"] is False and attempt1["service_test_pass"] is True
    assert attempt1["overall_pass"] is False and attempt1["onu_rx_dbm"] == -23.5
    assert attempt2["overall_pass"] is True and attempt2["down_att_db"] == 21.0
    assert attempt2["threshold_profile"] == "construction v1" and attempt2["pon_port"] == "0/1/0"
    assert port2["line_quality_pass"] is False and port2["onu_rx_dbm"] == -22.0  # the latest of two
    assert port2["service_test_pass"] is None and port2["overall_pass"] is False
    assert (
        attempt2["olt"] == "OLT-R" and attempt2["project_code"] == "R-1" and attempt2["contractor"] == "Alpha"
    )
    assert [c["key"] for c in body["columns"]][-1] == "overall_pass"


def test_filters(api: Api) -> None:
    seeded = seed(api)
    assert api.admin.get(URL).json()["total"] == 4
    assert api.admin.get(URL, params={"olt_id": seeded.other_olt_id}).json()["total"] == 1
    assert api.admin.get(URL, params={"contractor": "Alpha"}).json()["total"] == 3
    window = {"from": (T0 + timedelta(days=1)).isoformat(), "to": (T0 + timedelta(days=5)).isoformat()}
    assert api.admin.get(URL, params=window).json()["total"] == 2
    naive = {"from": "2026-11-10T00:00:00"}
    assert api.admin.get(URL, params=naive).json()["total"] == 1
    bad = api.admin.get(URL, params={"from": "2026-11-10T00:00:00Z", "to": "2026-11-01T00:00:00Z"})
    assert bad.status_code == 422
    ordered = [r["project_code"] for r in api.admin.get(URL).json()["items"]]
    assert ordered == ["O-1", "R-1", "R-1", "R-1"]
    assert api.admin.get(URL, params={"limit": 1, "offset": 3}).json()["items"][0]["splitter_port"] == 2
    assert api.admin.get("/api/v1/reports/projects/999").status_code == 404


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_csv(api: Api, lang: str) -> None:
    seeded = seed(api)
    response = api.engineer.get(
        f"/api/v1/reports/projects/{seeded.rectified_project_id}", params={"format": "csv", "lang": lang}
    )
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8-sig")
    assert response.content.startswith(b"\xef\xbb\xbf") == (lang == "zh")
    rows = list(csv.reader(io.StringIO(text)))
    header, data = rows[0], rows[1:]
    if lang == "zh":
        assert header[-9:] == ZH_HEADERS
        assert data[1][-1] == "是" and data[0][-1] == "否"
    else:
        assert header[-1] == "Overall pass" and data[1][-1] == "yes" and data[2][-3] == ""
    assert len(data) == 3 and [row[7] for row in data] == ["1", "2", "1"]


def test_xlsx_with_chinese_headers(api: Api) -> None:
    seed(api)
    response = api.admin.get(URL, params={"format": "xlsx", "lang": "zh"})
    assert response.status_code == 200
    assert (
        response.headers["content-type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    assert sheet is not None and sheet.title == "挂测报表"
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0][-9:]) == ZH_HEADERS
    assert len(values) == 5
    first = values[1]
    assert first[0] == "O-1" and first[13] == -16.0
    assert first[-3:] == (None, "是", None)  # no service test yet: overall undecided
    assert isinstance(first[8], datetime)


def test_empty_report_formats(api: Api) -> None:
    assert api.admin.get(URL).json()["items"] == []
    csv_text = api.admin.get(URL, params={"format": "csv"}).text
    assert csv_text.count("\n") == 1 and csv_text.startswith("Project,")
    workbook = openpyxl.load_workbook(io.BytesIO(api.admin.get(URL, params={"format": "xlsx"}).content))
    assert workbook.active is not None and workbook.active.max_row == 1
