"""``ponaccept orders``: work-order commands (``import``, ``sweep``; ``metrics`` from ``cli.order_metrics``).

``import`` back-fills orders from CSV (columns in :data:`COLUMNS`, documented in docs/orders.md). It is
all-or-nothing: every row is parsed and checked first (types, times with offsets, order of the times,
districts and technicians exist) and every problem is reported as ``row N, column C: message``; then all
rows are applied in ONE transaction through the same service functions as the API, so a back-filled order
gets the same events, clocks, port links and repeat flags as a live one. Any error while applying rolls
everything back.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from sqlmodel import Session, select

from ponaccept.api.errors import ApiError
from ponaccept.api.services import order_records, orders
from ponaccept.cli.common import ExitCode, err, out
from ponaccept.cli.order_metrics import metrics
from ponaccept.config import get_settings
from ponaccept.db.engine import make_engine
from ponaccept.db.models import District, Technician
from ponaccept.db.repositories.orders import recompute_open_orders
from ponaccept.db.types import utcnow
from ponaccept.domain.errors import DomainError
from ponaccept.domain.order_facts import DEFAULT_SKEW
from ponaccept.domain.orders import OrderType
from ponaccept.domain.sla import FaultCause

app = typer.Typer(name="orders", help="Install/repair work orders (装机/修障工单).", no_args_is_help=True)
app.command("metrics")(metrics)

REQUIRED = ("order_no", "type", "account_no", "district", "address", "created_at")
TIMES = (
    "created_at",
    "reported_at",
    "dispatched_at",
    "first_contact_at",
    "arrived_at",
    "completed_at",
    "cancelled_at",
)
COLUMNS = (
    *REQUIRED,
    "reported_at",
    "fault_category",
    "splitter_port_id",
    "technician_code",
    "dispatched_at",
    "first_contact_at",
    "arrived_at",
    "completed_at",
    "cancelled_at",
    "cancel_reason",
    "fault_cause",
)
STEPS = ("dispatched_at", "first_contact_at", "arrived_at", "completed_at")
IMPORTABLE_TYPES = (OrderType.INSTALL, OrderType.REMOVAL, OrderType.RESUME, OrderType.REPAIR)


@dataclass
class Row:
    line: int
    values: dict[str, str]
    times: dict[str, datetime]
    order_type: OrderType
    port_id: int | None
    technician_id: int | None
    fault_cause: FaultCause | None


class ImportFailed(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _parse_row(
    session: Session, line: int, raw: dict[str, str], now: datetime, problems: list[str]
) -> Row | None:
    values = {k: (v or "").strip() for k, v in raw.items() if k is not None}
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(f"row {line}, column {column}: {message}")

    for column in REQUIRED:
        if not values.get(column):
            problem(column, "required")
    times: dict[str, datetime] = {}
    for column in TIMES:
        if not values.get(column):
            continue
        try:
            value = datetime.fromisoformat(values[column])
        except ValueError:
            problem(column, f"not an ISO 8601 time: {values[column]!r}")
            continue
        if value.tzinfo is None:
            problem(column, "needs a UTC offset (e.g. 2026-11-02T19:00+08:00)")
        elif value > now + DEFAULT_SKEW:
            problem(column, "is in the future")
        else:
            times[column] = value
    order_type = None
    try:
        order_type = OrderType(values.get("type", ""))
    except ValueError:
        problem("type", f"one of {', '.join(t.value for t in IMPORTABLE_TYPES)}")
    if order_type is OrderType.MOVE:
        problem("type", "import moves as their install and removal legs")
    if order_type is OrderType.REPAIR and "reported_at" not in times and not values.get("reported_at"):
        problem("reported_at", "required for a repair")
    created = times.get("created_at")
    previous = ("created_at", created)
    for column in STEPS:
        when = times.get(column)
        if when is None or previous[1] is None:
            continue
        if when < previous[1]:
            problem(column, f"is before {previous[0]}")
        previous = (column, when)
    if created is not None and times.get("reported_at") and times["reported_at"] > created:
        problem("reported_at", "is after created_at")
    if created is not None and times.get("cancelled_at") and times["cancelled_at"] < created:
        problem("cancelled_at", "is before created_at")
    if "completed_at" in times and "cancelled_at" in times:
        problem("cancelled_at", "a completed order cannot also be cancelled")
    if (
        values.get("district")
        and session.exec(select(District.id).where(District.name == values["district"])).first() is None
    ):
        problem("district", f"unknown district {values['district']!r}")
    technician_id = None
    if values.get("technician_code"):
        technician_id = session.exec(
            select(Technician.id).where(Technician.code == values["technician_code"])
        ).first()
        if technician_id is None:
            problem("technician_code", f"unknown technician {values['technician_code']!r}")
    elif "dispatched_at" in times:
        problem("technician_code", "required when dispatched_at is given")
    port_id = None
    if values.get("splitter_port_id"):
        try:
            port_id = int(values["splitter_port_id"])
        except ValueError:
            problem("splitter_port_id", "not an integer")
    cause = None
    if values.get("fault_cause"):
        try:
            cause = FaultCause(values["fault_cause"])
        except ValueError:
            problem("fault_cause", f"one of {', '.join(c.value for c in FaultCause)}")
    if len(problems) > before or order_type is None:
        return None
    return Row(line, values, times, order_type, port_id, technician_id, cause)


def _apply(session: Session, row: Row, now: datetime, step: list[str]) -> None:
    """Apply one row; ``step[0]`` names the column being applied, for error messages."""
    v, t = row.values, row.times
    step[0] = "created_at"
    order = orders.create_order(
        session,
        order_type=row.order_type,
        no=v["order_no"],
        account_no=v["account_no"],
        district=v["district"],
        address=v["address"],
        created_at=t["created_at"],
        reported_at=t.get("reported_at"),
        fault_category=v.get("fault_category") or None,
        splitter_port_id=row.port_id,
        now=now,
        source="import",
        field_prefix="row",
    )
    common: dict[str, Any] = {"now": now, "source": "import"}
    if "dispatched_at" in t:
        step[0] = "dispatched_at"
        orders.dispatch(
            session, order, technician_id=row.technician_id, team_id=None, at=t["dispatched_at"], **common
        )
    if "first_contact_at" in t:
        step[0] = "first_contact_at"
        order_records.contact(session, order, at=t["first_contact_at"], **common)
    if "arrived_at" in t:
        step[0] = "arrived_at"
        order_records.arrive(session, order, at=t["arrived_at"], **common)
    if row.fault_cause is not None:
        step[0] = "fault_cause"
        orders.set_fault_cause(
            session, order, row.fault_cause, at=t.get("completed_at") or t["created_at"], **common
        )
    if "completed_at" in t:
        step[0] = "completed_at"
        orders.complete(session, order, at=t["completed_at"], **common)
    if "cancelled_at" in t:
        step[0] = "cancelled_at"
        reason = v.get("cancel_reason") or "imported"
        orders.cancel(session, order, reason=reason, at=t["cancelled_at"], **common)


def import_orders(session: Session, path: Path, *, now: datetime | None = None) -> int:
    """Validate every row, then apply them all in the caller's transaction; else :class:`ImportFailed`."""
    now = now or utcnow()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        unknown = [c for c in header if c not in COLUMNS]
        if missing or unknown:
            raise ImportFailed(
                [f"header: missing column {c}" for c in missing]
                + [f"header: unknown column {c}" for c in unknown]
            )
        problems: list[str] = []
        rows = [_parse_row(session, line, raw, now, problems) for line, raw in enumerate(reader, start=2)]
    numbers = [r.values["order_no"] for r in rows if r is not None]
    for r in rows:
        if r is not None and numbers.count(r.values["order_no"]) > 1:
            problems.append(f"row {r.line}, column order_no: {r.values['order_no']!r} appears more than once")
    if problems:
        raise ImportFailed(problems)
    for row in rows:
        assert row is not None
        step = ["created_at"]
        try:
            _apply(session, row, now, step)
        except (ApiError, DomainError) as exc:
            raise ImportFailed([f"row {row.line}, column {_column(exc, step[0])}: {exc}"]) from None
    return len(rows)


def _column(exc: ApiError | DomainError, step: str) -> str:
    """The CSV column an error is about: the field it names, else the step being applied."""
    fields = [e.field for e in getattr(exc, "errors", [])]
    name = fields[0].split(".", 1)[-1] if fields else getattr(exc, "field", None)
    return step if name in (None, "at") else str(name)


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True, help="CSV file (UTF-8)."),
    database_url: str | None = typer.Option(None, help="Override PONACCEPT_DATABASE_URL."),
) -> None:
    """Back-fill orders from CSV: all rows or none; errors name the row and column."""
    engine = make_engine(database_url or get_settings().database_url)
    try:
        with Session(engine) as session:
            try:
                count = import_orders(session, file)
            except ImportFailed as exc:
                session.rollback()
                for problem in exc.problems:
                    err.print(f"[red]error:[/red] {problem}", highlight=False, soft_wrap=True)
                err.print(f"nothing imported ({len(exc.problems)} problem(s))")
                raise typer.Exit(int(ExitCode.FAILED)) from None
            session.commit()
    finally:
        engine.dispose()
    out.print(f"imported {count} order(s)")


@app.command("sweep")
def sweep_command(
    database_url: str | None = typer.Option(None, help="Override PONACCEPT_DATABASE_URL."),
    batch_size: int = typer.Option(500, min=1, max=10_000, help="Orders per transaction."),
) -> None:
    """Bring every running SLA clock up to now (the service does this every few minutes; run it before
    ``orders metrics`` when no service is running, e.g. from cron)."""
    engine = make_engine(database_url or get_settings().database_url)
    try:
        with Session(engine) as session:
            count = recompute_open_orders(session, utcnow(), batch_size=batch_size, commit=True)
    finally:
        engine.dispose()
    out.print(f"refreshed the running clocks of {count} order(s)")
