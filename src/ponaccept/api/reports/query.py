"""The acceptance report as one SQL statement.

One row per activation (= tested splitter port and attempt) that has at least one line or service
test. Pass columns use the LATEST line test and the LATEST service test of that activation, joined on
a correlated "newest id of this activation" subquery: the ``activation_id`` index answers it per
activation, so a one-project report reads only that project's tests. (A ``row_number()`` window, used
before, ranked every test in the database first: with 10,000 stored line tests a one-project report
took 90 ms, now 18 ms.) The database does the work and rows can be streamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlmodel import Session, col

from ponaccept.api.schemas.reports import ReportRow
from ponaccept.db.models import (
    Activation,
    LineTest,
    Olt,
    PonPort,
    Project,
    ServiceTest,
    Splitter,
    SplitterPort,
    ThresholdProfile,
)
from ponaccept.db.types import UtcDateTime
from ponaccept.domain.choices import Verdict


@dataclass(frozen=True)
class ReportFilter:
    project_id: int | None = None
    olt_id: int | None = None
    contractor: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def _latest(table: Any, time_column: str) -> Any:
    """The id of the activation's newest row of ``table`` (by ``time_column``, then id), correlated."""
    newer = table.alias()
    return (
        select(newer.c.id)
        .where(newer.c.activation_id == col(Activation.id))
        .order_by(newer.c[time_column].desc(), newer.c.id.desc())
        .limit(1)
        .correlate(Activation.__table__)  # type: ignore[attr-defined]
        .scalar_subquery()
    )


AnySelect = Select[*tuple[Any, ...]]


def report_statement(filters: ReportFilter) -> AnySelect:
    line: Any = LineTest.__table__  # type: ignore[attr-defined]
    service: Any = ServiceTest.__table__  # type: ignore[attr-defined]
    tested_at = func.coalesce(line.c.measured_at, service.c.created_at, type_=UtcDateTime())
    statement: AnySelect = (
        select(
            col(Activation.id).label("activation_id"),
            col(Project.code).label("project_code"),
            col(Project.contractor).label("contractor"),
            col(Olt.name).label("olt"),
            col(PonPort.frame),
            col(PonPort.slot),
            col(PonPort.port),
            col(Splitter.name).label("splitter"),
            col(SplitterPort.number).label("splitter_port"),
            col(Activation.onu_name),
            col(Activation.attempt),
            line.c.measured_at,
            col(ThresholdProfile.name).label("profile_name"),
            col(ThresholdProfile.version).label("profile_version"),
            line.c.olt_tx_dbm,
            line.c.olt_rx_dbm,
            line.c.onu_tx_dbm,
            line.c.onu_rx_dbm,
            line.c.down_att_db,
            line.c.up_att_db,
            line.c.verdict.label("line_verdict"),
            service.c.verdict.label("service_verdict"),
        )
        .join(Project, col(Project.id) == col(Activation.project_id))
        .join(Olt, col(Olt.id) == col(Activation.olt_id))
        .join(PonPort, col(PonPort.id) == col(Activation.pon_port_id))
        .join(SplitterPort, col(SplitterPort.id) == col(Activation.splitter_port_id))
        .join(Splitter, col(Splitter.id) == col(SplitterPort.splitter_id))
        .outerjoin(line, line.c.id == _latest(line, "measured_at"))
        .outerjoin(ThresholdProfile, col(ThresholdProfile.id) == line.c.threshold_profile_id)
        .outerjoin(service, service.c.id == _latest(service, "created_at"))
        .where(or_(line.c.id.is_not(None), service.c.id.is_not(None)))
        .order_by(
            col(Project.code),
            col(Olt.name),
            col(PonPort.frame),
            col(PonPort.slot),
            col(PonPort.port),
            col(Splitter.name),
            col(SplitterPort.number),
            col(Activation.attempt),
            col(Activation.id),
        )
    )
    conditions = []
    if filters.project_id is not None:
        conditions.append(col(Activation.project_id) == filters.project_id)
    if filters.olt_id is not None:
        conditions.append(col(Activation.olt_id) == filters.olt_id)
    if filters.contractor is not None:
        conditions.append(col(Project.contractor) == filters.contractor)
    if filters.start is not None:
        conditions.append(tested_at >= filters.start)
    if filters.end is not None:
        conditions.append(tested_at < filters.end)
    return statement.where(and_(*conditions)) if conditions else statement


def _passed(verdict: Any) -> bool | None:
    if verdict is None:
        return None
    return bool(Verdict(verdict) is Verdict.PASS)


def to_row(record: Any) -> ReportRow:
    line_pass = _passed(record.line_verdict)
    service_pass = _passed(record.service_verdict)
    if line_pass is False or service_pass is False:
        overall: bool | None = False
    elif line_pass and service_pass:
        overall = True
    else:
        overall = None
    profile = f"{record.profile_name} v{record.profile_version}" if record.profile_name is not None else None
    return ReportRow(
        activation_id=record.activation_id,
        project_code=record.project_code,
        contractor=record.contractor,
        olt=record.olt,
        pon_port=f"{record.frame}/{record.slot}/{record.port}",
        splitter=record.splitter,
        splitter_port=record.splitter_port,
        onu_name=record.onu_name,
        attempt=record.attempt,
        measured_at=record.measured_at,
        threshold_profile=profile,
        olt_tx_dbm=record.olt_tx_dbm,
        olt_rx_dbm=record.olt_rx_dbm,
        onu_tx_dbm=record.onu_tx_dbm,
        onu_rx_dbm=record.onu_rx_dbm,
        down_att_db=record.down_att_db,
        up_att_db=record.up_att_db,
        service_test_pass=service_pass,
        line_quality_pass=line_pass,
        overall_pass=overall,
    )


def iter_rows(session: Session, statement: AnySelect, batch: int = 500) -> Iterator[ReportRow]:
    """All rows, fetched ``batch`` at a time (server-side cursor where the driver has one)."""
    result = session.execute(statement.execution_options(yield_per=batch))
    for record in result:
        yield to_row(record)
