"""Work-order metrics as JSON, CSV or XLSX, with English or Chinese (``lang=zh``) headers.

The column list is the single definition of what a metrics export contains; the API, the CLI and the
exports all read it, so a column cannot appear in one and be missing from another. Rates are fractions
(0.75, not 75 %) rounded to four decimals in files; JSON keeps full precision.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook

from ponaccept.api.schemas.reports import ReportLang
from ponaccept.db.repositories.order_metrics import RATE_NAMES, MetricsReport, MetricsRow

__all__ = ["ALERT_COLUMNS", "METRIC_COLUMNS", "build_csv", "build_xlsx", "headers", "report_json"]

METRIC_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("group_id", "Group id", "分组编号"),
    ("group_name", "Group", "分组"),
    ("installs_completed", "Installs completed", "装机竣工数"),
    ("installs_on_time", "Installs on time", "装机及时数"),
    ("install_timeliness", "Install timeliness", "装机及时率"),
    ("installs_open_breached", "Open installs already late", "在途超时装机数"),
    ("onsite_compliant", "On-site compliant", "现场装机达标数"),
    ("onsite_compliance", "On-site compliance", "现场装机达标率"),
    ("repairs_completed", "Repairs completed", "修障竣工数"),
    ("repairs_on_time", "Repairs on time", "修障及时数"),
    ("repair_timeliness", "Repair timeliness", "修障及时率"),
    ("repairs_reopened", "Repairs reopened", "重开修障数"),
    ("dispatched", "Orders dispatched", "派单数"),
    ("contacted_on_time", "Contacted on time", "预约及时数"),
    ("contact_timeliness", "Contact timeliness", "预约及时率"),
    ("visits", "Confirmed visits", "预约上门数"),
    ("visits_on_time", "Visits on time", "上门准时数"),
    ("on_time_arrival", "On-time arrival", "上门准时率"),
    ("repairs_reported", "Repairs reported", "障碍申告数"),
    ("repeat_repairs", "Repeat reports", "重复申告数"),
    ("repeat_fault_rate", "Repeat fault rate", "障碍重复申告率"),
    ("installs_created", "Install orders", "装机工单数"),
    ("installs_urged", "Installs expedited", "催装工单数"),
    ("install_urge_rate", "Install expedite rate", "催装率"),
    ("repairs_created", "Repair orders", "修障工单数"),
    ("repairs_urged", "Repairs expedited", "催修工单数"),
    ("repair_urge_rate", "Repair expedite rate", "催修率"),
    ("completed", "Orders completed", "竣工工单数"),
    ("called_back", "Called back", "已回访数"),
    ("callback_rate", "Call-back rate", "回访率"),
    ("callbacks_reached", "Call-backs reached", "回访接通数"),
    ("satisfied", "Satisfied", "满意数"),
    ("satisfaction_rate", "Satisfaction", "满意率"),
    ("mean_stars", "Mean stars", "平均星级"),
    ("complaining_accounts", "Complaining customers", "投诉用户数"),
    ("billed_customers", "Billed customers", "出账用户数"),
    ("complaints_per_10k", "Complaints per 10,000", "万投比"),
    ("backlog", "Backlog", "积压工单数"),
    ("backlog_deferred", "Deferred", "缓装工单数"),
    ("backlog_lt_24h", "Backlog < 24 h", "积压<24小时"),
    ("backlog_24_72h", "Backlog 24–72 h", "积压24–72小时"),
    ("backlog_gt_72h", "Backlog > 72 h", "积压>72小时"),
    ("penalty_orders", "Penalised orders", "罚款工单数"),
    ("penalty_days", "Penalty days", "罚款天数"),
    ("penalty_amount", "Penalty amount", "罚款金额"),
    ("penalty_exempt_orders", "Exempt orders", "免责工单数"),
)

ALERT_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("district_id", "District id", "区县编号"),
    ("district_name", "District", "区县"),
    ("backlog", "Backlog", "积压工单数"),
    ("mobile_team_threshold", "Mobile-team threshold", "机动队门限"),
    ("emergency_team_threshold", "Emergency-team threshold", "应急队门限"),
    ("level", "Alert", "告警级别"),
)

ALERT_LEVEL_ZH = {"mobile_team": "调用施工单位机动队", "emergency_team": "调用网络部应急队", "none": "无"}


def headers(lang: ReportLang, columns: tuple[tuple[str, str, str], ...] = METRIC_COLUMNS) -> list[str]:
    return [zh if lang is ReportLang.ZH else en for _key, en, zh in columns]


def _file_value(key: str, value: Any) -> Any:
    if value is None:
        return ""
    if key in RATE_NAMES and isinstance(value, float):
        return round(value, 4)
    return value


def _row_cells(row: MetricsRow) -> list[Any]:
    data = row.as_dict()
    return [_file_value(key, data[key]) for key, _en, _zh in METRIC_COLUMNS]


def _alert_cells(report: MetricsReport, lang: ReportLang) -> list[list[Any]]:
    rows = []
    for alert in report.alerts:
        level = ALERT_LEVEL_ZH[alert.level.value] if lang is ReportLang.ZH else alert.level.value
        rows.append(
            [
                alert.district_id,
                alert.district_name,
                alert.backlog,
                alert.mobile_team_threshold,
                alert.emergency_team_threshold,
                level,
            ]
        )
    return rows


def _naive(value: datetime) -> datetime:
    """Excel cells have no time zone: write UTC wall time (the header says so)."""
    return value.astimezone(UTC).replace(tzinfo=None)


def report_json(report: MetricsReport, lang: ReportLang = ReportLang.EN) -> dict[str, Any]:
    """The whole report as plain JSON types (what the API returns and ``--json`` prints)."""
    return {
        "month": report.query.month.strftime("%Y-%m"),
        "grouping": report.query.grouping.value,
        "district_id": report.query.district_id,
        "repeat_window_days": report.query.repeat_window_days,
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "as_of": report.as_of.isoformat(),
        "columns": [
            {"key": key, "label": zh if lang is ReportLang.ZH else en} for key, en, zh in METRIC_COLUMNS
        ],
        "rows": [row.as_dict() for row in report.rows],
        "total": report.total.as_dict(),
        "alerts": [
            {
                "district_id": a.district_id,
                "district_name": a.district_name,
                "backlog": a.backlog,
                "mobile_team_threshold": a.mobile_team_threshold,
                "emergency_team_threshold": a.emergency_team_threshold,
                "level": a.level.value,
            }
            for a in report.alerts
        ],
    }


def build_csv(report: MetricsReport, lang: ReportLang = ReportLang.EN) -> bytes:
    """One line per group, then the total line. Chinese files start with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(lang))
    for row in [*report.rows, report.total]:
        writer.writerow(_row_cells(row))
    prefix = "\ufeff" if lang is ReportLang.ZH else ""
    return (prefix + buffer.getvalue()).encode("utf-8")


def build_xlsx(report: MetricsReport, lang: ReportLang = ReportLang.EN) -> bytes:
    """Sheet 1: the metrics (groups + total); sheet 2: backlog alerts; sheet 3: what the report covers."""
    zh = lang is ReportLang.ZH
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="工单指标" if zh else "Order metrics")
    sheet.append(headers(lang))
    for row in [*report.rows, report.total]:
        sheet.append(_row_cells(row))
    alerts = workbook.create_sheet(title="积压告警" if zh else "Backlog alerts")
    alerts.append(headers(lang, ALERT_COLUMNS))
    for cells in _alert_cells(report, lang):
        alerts.append(cells)
    about = workbook.create_sheet(title="说明" if zh else "About")
    about.append(["月份" if zh else "Month", report.query.month.strftime("%Y-%m")])
    about.append(["分组" if zh else "Grouping", report.query.grouping.value])
    about.append(["统计开始 (UTC)" if zh else "Period start (UTC)", _naive(report.period_start)])
    about.append(["统计结束 (UTC)" if zh else "Period end (UTC)", _naive(report.period_end)])
    about.append(["积压时点 (UTC)" if zh else "Backlog as of (UTC)", _naive(report.as_of)])
    about.append(["重复申告窗口(天)" if zh else "Repeat window (days)", report.query.repeat_window_days])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
