"""Acceptance-test reports (挂测报表) per project or across projects, as JSON, CSV or XLSX."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from ponaccept.api.crud import get_or_404
from ponaccept.api.deps import CurrentKey, SessionDep, get_sessionmaker
from ponaccept.api.errors import PROBLEM_RESPONSES, InvalidRequest
from ponaccept.api.pagination import PageDep, count
from ponaccept.api.reports.builders import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE, build_xlsx, stream_csv
from ponaccept.api.reports.query import ReportFilter, iter_rows, report_statement, to_row
from ponaccept.api.schemas.common import TEXT_REGEX, Id, IdPath
from ponaccept.api.schemas.reports import (
    REPORT_COLUMNS,
    AcceptanceReport,
    ReportColumn,
    ReportFormat,
    ReportLang,
)
from ponaccept.db.models import Project

router = APIRouter(prefix="/reports", tags=["reports"], responses=PROBLEM_RESPONSES)

_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "JSON (paginated), or the whole report as CSV / XLSX (`format`)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}

FormatQuery = Annotated[ReportFormat, Query(description="json (paginated) | csv | xlsx (whole report)")]
LangQuery = Annotated[ReportLang, Query(description="Header language: en | zh (中文表头)")]
FromQuery = Annotated[datetime | None, Query(alias="from", description="Tested at or after (UTC if no zone)")]
ToQuery = Annotated[datetime | None, Query(alias="to", description="Tested before (UTC if no zone)")]


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _stream(factory: sessionmaker[Session], filters: ReportFilter, lang: ReportLang) -> Iterator[bytes]:
    # The request's session is closed once the handler returns; the stream owns its own.
    with factory() as session:
        yield from stream_csv(iter_rows(session, report_statement(filters)), lang)


def _xlsx(factory: sessionmaker[Session], filters: ReportFilter, lang: ReportLang) -> bytes:
    with factory() as session:
        return build_xlsx(iter_rows(session, report_statement(filters)), lang)


def _render(
    request: Request,
    session: Session,
    filters: ReportFilter,
    fmt: ReportFormat,
    lang: ReportLang,
    page: Any,
    name: str,
) -> Any:
    if filters.start and filters.end and filters.start >= filters.end:
        raise InvalidRequest("`from` must be before `to`", errors=[("query.from", "not before `to`")])
    factory = get_sessionmaker(request)
    if fmt is ReportFormat.CSV:
        return StreamingResponse(
            _stream(factory, filters, lang),
            media_type=CSV_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    if fmt is ReportFormat.XLSX:
        return _xlsx_response(factory, filters, lang, name)
    statement = report_statement(filters)
    records = session.execute(statement.limit(page.limit).offset(page.offset)).all()
    return AcceptanceReport(
        columns=[
            ReportColumn(key=key, label=zh if lang is ReportLang.ZH else en) for key, en, zh in REPORT_COLUMNS
        ],
        items=[to_row(record) for record in records],
        total=count(session, statement),
        limit=page.limit,
        offset=page.offset,
    )


def _xlsx_response(
    factory: sessionmaker[Session], filters: ReportFilter, lang: ReportLang, name: str
) -> Response:
    return Response(
        _xlsx(factory, filters, lang),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


@router.get("/acceptance", response_model=AcceptanceReport, responses=_FILE_RESPONSES)
async def acceptance_report(
    request: Request,
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    project_id: Id | None = None,
    olt_id: Id | None = None,
    contractor: Annotated[str | None, Query(min_length=1, max_length=200, pattern=TEXT_REGEX)] = None,
    start: FromQuery = None,
    end: ToQuery = None,
    format: FormatQuery = ReportFormat.JSON,
    lang: LangQuery = ReportLang.EN,
) -> Any:
    """Rows per tested splitter port and attempt, across projects, with the seed's columns.

    Filters: project, OLT, contractor, test time range (`from`/`to`, on the latest test of the row).
    Pass columns use the latest line test and service test of each attempt; every attempt is listed
    (a rectified project shows its failed and its passing attempt).
    """
    filters = ReportFilter(
        project_id=project_id, olt_id=olt_id, contractor=contractor, start=_aware(start), end=_aware(end)
    )
    return await run_in_threadpool(
        _render, request, session, filters, format, lang, page, "acceptance-report"
    )


@router.get("/projects/{project_id}", response_model=AcceptanceReport, responses=_FILE_RESPONSES)
async def project_report(
    project_id: IdPath,
    request: Request,
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    format: FormatQuery = ReportFormat.JSON,
    lang: LangQuery = ReportLang.EN,
) -> Any:
    """The report of one project (404 if it does not exist)."""

    def render() -> Any:
        project = get_or_404(session, Project, project_id, "project")
        filters = ReportFilter(project_id=project_id)
        return _render(request, session, filters, format, lang, page, f"report-{project.code}"[:100])

    return await run_in_threadpool(render)
