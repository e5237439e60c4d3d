"""``ponaccept orders metrics``: the month's work-order service metrics as a table, JSON or CSV.

Attached to the orders Typer app (``app.command("metrics")(metrics)`` in ``cli/orders.py``). The table is
transposed — one line per metric, one column per group — because a month has a few districts but forty
figures, and forty columns do not fit a terminal. ``--json`` / ``--csv`` print the full export instead.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import typer
from rich.table import Table
from sqlmodel import Session

from ponaccept.api.reports.order_metrics_export import METRIC_COLUMNS, build_csv, report_json
from ponaccept.api.schemas.reports import ReportLang
from ponaccept.cli.common import ExitCode, fail, out
from ponaccept.config import get_settings
from ponaccept.db.engine import make_engine
from ponaccept.db.repositories.order_metrics import (
    RATE_NAMES,
    Grouping,
    MetricsQuery,
    MetricsReport,
    UnknownDistrict,
    compute_metrics,
    resolve_district,
)
from ponaccept.db.repositories.order_metrics_sql import parse_month

_PERCENT = frozenset(RATE_NAMES) - {"mean_stars", "complaints_per_10k"}
_TABLE_KEYS = [key for key, _en, _zh in METRIC_COLUMNS if key not in ("group_id", "group_name")]


def _format(key: str, value: object) -> str:
    if value is None:
        return "–"
    if key in _PERCENT and isinstance(value, float):
        return f"{value:.1%}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def render_table(report: MetricsReport, lang: ReportLang) -> Table:
    labels = {key: (zh if lang is ReportLang.ZH else en) for key, en, zh in METRIC_COLUMNS}
    title = f"{report.query.month:%Y-%m} · {report.query.grouping.value}"
    table = Table(title=title, show_lines=False)
    table.add_column("metric" if lang is ReportLang.EN else "指标")
    rows = [*report.rows, report.total]
    for row in rows:
        table.add_column(row.group_name, justify="right")
    data = [row.as_dict() for row in rows]
    for key in _TABLE_KEYS:
        table.add_row(labels[key], *(_format(key, values[key]) for values in data))
    return table


def metrics(
    month: str = typer.Option(..., "--month", help="Local month, e.g. 2026-11."),
    district: str | None = typer.Option(None, "--district", help="Only this district (name or id)."),
    group_by: Grouping = typer.Option(
        Grouping.DISTRICT, "--group-by", help="district | team | technician | project"
    ),
    repeat_window: int = typer.Option(
        30, "--repeat-window", min=1, max=365, help="Repeat-fault window, days."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the full report as CSV."),
    lang: ReportLang = typer.Option(ReportLang.EN, "--lang", help="Labels: en | zh."),
    as_of: datetime | None = typer.Option(None, "--as-of", help="Backlog instant (default now; UTC)."),
    database_url: str | None = typer.Option(None, "--database-url", help="Override PONACCEPT_DATABASE_URL."),
) -> None:
    """Work-order service metrics of one month (装机及时率, 修障及时率, 万投比, backlog …)."""
    if as_json and as_csv:
        fail("choose one of --json and --csv", ExitCode.USAGE)
    try:
        first_day = parse_month(month)
    except ValueError as exc:
        fail(str(exc), ExitCode.USAGE)
    engine = make_engine(database_url or get_settings().database_url)
    try:
        with Session(engine) as session:
            try:
                district_id = resolve_district(session, district)
            except UnknownDistrict as exc:
                fail(str(exc), ExitCode.USAGE)
            instant = None if as_of is None else (as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC))
            query = MetricsQuery(
                month=first_day,
                grouping=group_by,
                district_id=district_id,
                repeat_window_days=repeat_window,
                as_of=instant,
            )
            report = compute_metrics(session, query)
    finally:
        engine.dispose()
    if as_json:
        sys.stdout.write(json.dumps(report_json(report, lang), ensure_ascii=False, indent=2) + "\n")
    elif as_csv:
        sys.stdout.write(build_csv(report, lang).decode("utf-8").lstrip("\ufeff"))
    else:
        out.print(render_table(report, lang))
        for alert in report.alerts:
            thresholds = f"{alert.mobile_team_threshold}/{alert.emergency_team_threshold}"
            out.print(
                f"[yellow]backlog alert[/yellow] {alert.district_name}: {alert.backlog} open orders "
                f"(thresholds {thresholds}) → {alert.level.value}",
                highlight=False,
            )
