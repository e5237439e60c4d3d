"""The acceptance-test report (挂测报表): one row per tested splitter port and attempt."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ReportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


class ReportLang(StrEnum):
    EN = "en"
    ZH = "zh"


REPORT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("project_code", "Project", "工程编号"),
    ("contractor", "Contractor", "施工单位"),
    ("olt", "OLT", "OLT名称"),
    ("pon_port", "PON port", "PON口"),
    ("splitter", "Splitter", "分光器"),
    ("splitter_port", "Splitter port", "分光器端口"),
    ("onu_name", "ONU name", "ONU名称"),
    ("attempt", "Attempt", "测试轮次"),
    ("measured_at", "Measured at (UTC)", "测试时间(UTC)"),
    ("threshold_profile", "Threshold profile", "门限模板"),
    ("olt_tx_dbm", "OLT Tx (dBm)", "OLT发光功率"),
    ("olt_rx_dbm", "OLT Rx (dBm)", "OLT收光功率"),
    ("onu_tx_dbm", "ONU Tx (dBm)", "ONU发光功率"),
    ("onu_rx_dbm", "ONU Rx (dBm)", "ONU收光功率"),
    ("down_att_db", "Downstream attenuation (dB)", "下行衰减"),
    ("up_att_db", "Upstream attenuation (dB)", "上行衰减"),
    ("service_test_pass", "Service test pass", "业务测试是否达标"),
    ("line_quality_pass", "Line quality pass", "线路质量是否达标"),
    ("overall_pass", "Overall pass", "是否达标"),
)
"""(key, English header, Chinese header) in report order; keys are the JSON field names."""

BOOL_TEXT = {ReportLang.EN: ("yes", "no"), ReportLang.ZH: ("是", "否")}


def headers(lang: ReportLang) -> list[str]:
    return [zh if lang is ReportLang.ZH else en for _key, en, zh in REPORT_COLUMNS]


class ReportRow(BaseModel):
    activation_id: int
    project_code: str = Field(examples=["PRJ-2026-0451"])
    contractor: str | None
    olt: str = Field(examples=["OLT-HZ-01"])
    pon_port: str = Field(examples=["0/1/0"], description="frame/slot/port")
    splitter: str = Field(examples=["SPL-A01"])
    splitter_port: int = Field(examples=[3])
    onu_name: str = Field(examples=["T-OLT-HZ-01-0-1-0-SPL-A01-3"])
    attempt: int = Field(examples=[1], description="1 for the first test of the port; +1 per re-test")
    measured_at: datetime | None = Field(description="Time of the latest line test of this attempt")
    threshold_profile: str | None = Field(examples=["construction v1"], description="name and version")
    olt_tx_dbm: float | None
    olt_rx_dbm: float | None
    onu_tx_dbm: float | None
    onu_rx_dbm: float | None
    down_att_db: float | None
    up_att_db: float | None
    service_test_pass: bool | None = Field(description="Latest service test passed (null: none yet)")
    line_quality_pass: bool | None = Field(description="Latest line test passed (null: none yet)")
    overall_pass: bool | None = Field(
        description="Both latest tests passed; false if either did not pass; null while one is missing"
    )


class ReportColumn(BaseModel):
    key: str
    label: str


class AcceptanceReport(BaseModel):
    columns: list[ReportColumn] = Field(description="Row keys with their header in the requested language")
    items: list[ReportRow]
    total: int
    limit: int
    offset: int
