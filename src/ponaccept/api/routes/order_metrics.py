"""Work-order service metrics (装机及时率, 修障及时率, 万投比, backlog …) per month, as JSON, CSV or XLSX."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from ponaccept.api.deps import CurrentKey, SessionDep
from ponaccept.api.errors import PROBLEM_RESPONSES, InvalidRequest
from ponaccept.api.reports.builders import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE
from ponaccept.api.reports.order_metrics_export import build_csv, build_xlsx, report_json
from ponaccept.api.schemas.common import TEXT_REGEX
from ponaccept.api.schemas.order_metrics import OrderMetricsReport
from ponaccept.api.schemas.reports import ReportFormat, ReportLang
from ponaccept.db.repositories.order_metrics import (
    Grouping,
    MetricsQuery,
    UnknownDistrict,
    compute_metrics,
    resolve_district,
)
from ponaccept.db.repositories.order_metrics_sql import parse_month

router = APIRouter(prefix="/order-metrics", tags=["order-metrics"], responses=PROBLEM_RESPONSES)

_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON, or the same table as CSV / XLSX (`format`)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def _render(session: Session, query_args: dict[str, Any], fmt: ReportFormat, lang: ReportLang) -> Any:
    try:
        month = parse_month(query_args.pop("month"))
    except ValueError as exc:
        raise InvalidRequest(str(exc), errors=[("query.month", "expected YYYY-MM")]) from None
    try:
        district_id = resolve_district(session, query_args.pop("district"))
    except UnknownDistrict as exc:
        raise InvalidRequest(str(exc), errors=[("query.district", "no such district")]) from None
    try:
        query = MetricsQuery(month=month, district_id=district_id, **query_args)
    except ValueError as exc:
        raise InvalidRequest(str(exc), errors=[("query.as_of", str(exc))]) from None
    report = compute_metrics(session, query)
    name = f"order-metrics-{month:%Y-%m}-{report.query.grouping.value}"
    if fmt is ReportFormat.CSV:
        return Response(
            build_csv(report, lang),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt is ReportFormat.XLSX:
        return Response(
            build_xlsx(report, lang),
            media_type=XLSX_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    return OrderMetricsReport.model_validate(report_json(report, lang))


@router.get("", response_model=OrderMetricsReport, responses=_FILE_RESPONSES)
async def order_metrics(
    session: SessionDep,
    _caller: CurrentKey,
    month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", examples=["2026-11"], description="Local month")],
    district: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=100,
            pattern=TEXT_REGEX,
            description="District name or id (all if absent)",
        ),
    ] = None,
    group_by: Annotated[
        Grouping, Query(description="district | team | technician | project")
    ] = Grouping.DISTRICT,
    repeat_window_days: Annotated[int, Query(ge=1, le=365, description="障碍重复申告 window")] = 30,
    as_of: Annotated[
        datetime | None, Query(description="Instant of the backlog figures (default now; UTC if no zone)")
    ] = None,
    format: Annotated[ReportFormat, Query(description="json | csv | xlsx")] = ReportFormat.JSON,
    lang: Annotated[ReportLang, Query(description="Header language: en | zh (中文表头)")] = ReportLang.EN,
) -> Any:
    """Every service metric of one month, grouped by district, team or technician, plus the total row
    and the two-tier backlog alerts (mobile team, then emergency team). Formulas: docs/metrics.md."""
    args: dict[str, Any] = {
        "month": month,
        "district": district,
        "grouping": group_by,
        "repeat_window_days": repeat_window_days,
        "as_of": None if as_of is None else (as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC)),
    }
    return await run_in_threadpool(_render, session, args, format, lang)
