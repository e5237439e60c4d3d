"""Render report rows as CSV (streamed) or XLSX (openpyxl, write-only mode)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook

from ponaccept.api.schemas.reports import BOOL_TEXT, REPORT_COLUMNS, ReportLang, ReportRow, headers

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_KEYS = [key for key, _en, _zh in REPORT_COLUMNS]


def cell(value: Any, lang: ReportLang) -> Any:
    """A value as a spreadsheet shows it: booleans as yes/no (是/否), times as naive UTC, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        yes, no = BOOL_TEXT[lang]
        return yes if value else no
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return value


def row_cells(row: ReportRow, lang: ReportLang) -> list[Any]:
    return [cell(getattr(row, key), lang) for key in _KEYS]


def stream_csv(rows: Iterable[ReportRow], lang: ReportLang) -> Iterator[bytes]:
    """CSV in chunks. Chinese reports start with a UTF-8 BOM so that Excel detects the encoding."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers(lang))
    prefix = "\ufeff" if lang is ReportLang.ZH else ""
    yield (prefix + buffer.getvalue()).encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(rows, start=1):
        writer.writerow(
            [v.isoformat(sep=" ") if isinstance(v, datetime) else v for v in row_cells(row, lang)]
        )
        if n % 200 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    tail = buffer.getvalue()
    if tail:
        yield tail.encode("utf-8")


def build_xlsx(rows: Iterable[ReportRow], lang: ReportLang) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="挂测报表" if lang is ReportLang.ZH else "Acceptance tests")
    sheet.append(headers(lang))
    for row in rows:
        sheet.append(row_cells(row, lang))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
