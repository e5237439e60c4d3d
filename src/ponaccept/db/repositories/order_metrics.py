"""Work-order service metrics, aggregated by the database (reference/work-orders.md "Metrics").

Every figure is a ``GROUP BY`` query over indexed columns of ``work_order`` and the cached ``sla_clock``
snapshots (business seconds already computed from events), so a month of a million orders is counted by
PostgreSQL, never fetched into Python. Python only merges the few rows per group the queries return.

Formulas (all exclude cancelled orders; "in M" = the timestamp lies in the local month ``[start, end)``):

* 装机及时率 — install orders completed in M whose completion clock is not breached ÷ installs completed
  in M. Beside it, ``installs_open_breached``: installs still open whose clock has breached (or whose
  ``due_at`` has passed un-paused) at ``as_of``, so a backlog cannot hide behind a good rate.
* 现场装机达标率 — installs completed in M with an on-site clock not breached ÷ installs completed in M
  (an install without a recorded arrival has no on-site clock and is not compliant).
* 修障及时率 — repairs completed in M (final completion, after any reopen) with the repair clock not
  breached ÷ repairs completed in M. ``repairs_reopened`` counts those that were reopened at least once.
* 预约及时率 — orders first dispatched in M whose contact clock stopped without breach ÷ orders
  dispatched in M (never contacted = not timely).
* 上门准时率 — appointments starting in M that were confirmed (confirmed, attended or missed) with an
  arrival within ±``arrival_tolerance_s`` of the slot start ÷ such appointments.
* 障碍重复申告率 — repairs reported in M for which the same account had another (non-cancelled) repair
  completed in ``[reported_at − N days, reported_at)`` ÷ repairs reported in M.
* 催装率 / 催修率 — install (repair) orders created in M with ≥ 1 urge ÷ install (repair) orders created in M.
* 回访率 — orders completed in M with ≥ 1 call-back ÷ orders completed in M; 满意率 — satisfied ÷ reached
  call-backs of those orders; mean stars over reached call-backs that gave stars.
* 万投比 — DISTINCT accounts with a complaint in M ÷ billed customers of M × 10 000 (district grouping;
  by team/technician only the complaining accounts of complaints tied to an order are counted).
* 积压 — orders open at ``as_of`` (status in ``OPEN_STATUSES``), deferred ones reported separately and left
  out of the age buckets and the alerts; age is the completion clock's counted time (natural age for an
  order without one). Alerts: a district above its first threshold calls the contractor's mobile team,
  above the second also the network department's emergency team.
* 罚则 — repairs completed in M: orders with a penalty, whole days and amount summed; exempt ones counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import Select, and_, exists, literal, null, or_, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, func

from ponaccept.db.models import (
    Appointment,
    BilledCustomersMonthly,
    Callback,
    Complaint,
    District,
    Project,
    SlaClock,
    Team,
    Technician,
    Urge,
    WorkOrder,
)
from ponaccept.db.repositories.order_metrics_model import (
    DEFAULT_TZ,
    RATE_NAMES,
    AlertLevel,
    BacklogAlert,
    Grouping,
    MetricsQuery,
    MetricsReport,
    MetricsRow,
    UnknownDistrict,
)
from ponaccept.db.repositories.order_metrics_sql import count_if, month_bounds, seconds_between
from ponaccept.db.types import UtcDateTime, utcnow
from ponaccept.domain.orders import DONE_STATUSES, OPEN_STATUSES, AppointmentStatus, OrderStatus, OrderType
from ponaccept.domain.sla import ClockKind

__all__ = [
    "DEFAULT_TZ",
    "RATE_NAMES",
    "AlertLevel",
    "BacklogAlert",
    "Grouping",
    "MetricsQuery",
    "MetricsReport",
    "MetricsRow",
    "UnknownDistrict",
    "compute_metrics",
    "resolve_district",
]

Stmt: TypeAlias = "Select[*tuple[Any, ...]]"

DAY_S = 86_400
_EPSILON_S = 0.001
"""Tolerance for float seconds from SQLite's julianday: 600 s must compare as exactly 600 s."""


def resolve_district(session: Session, district: str | int | None) -> int | None:
    """A district filter given as id or name → its id; :class:`UnknownDistrict` when there is none."""
    if district is None:
        return None
    text = str(district).strip()
    statement = select(col(District.id)).where(col(District.name) == text)
    if text.isdigit():
        statement = select(col(District.id)).where(
            or_(col(District.id) == int(text), col(District.name) == text)
        )
    found = session.execute(statement).scalars().first()
    if found is None:
        raise UnknownDistrict(f"unknown district {text!r}")
    return int(found)


class _Builder:
    """Builds the grouped statements of one report (one grouping, one period, one dialect)."""

    def __init__(self, query: MetricsQuery, dialect: str, start: datetime, end: datetime, as_of: datetime):
        self.q = query
        self.dialect = dialect
        self.start, self.end, self.as_of = start, end, as_of

    def key(self, grouped: bool) -> ColumnElement[Any]:
        if not grouped:
            return null().label("k")
        column = {
            Grouping.DISTRICT: WorkOrder.district_id,
            Grouping.TEAM: WorkOrder.team_id,
            Grouping.TECHNICIAN: WorkOrder.technician_id,
            Grouping.PROJECT: WorkOrder.project_id,
        }[self.q.grouping]
        return col(column).label("k")

    def in_month(self, column: Any) -> ColumnElement[bool]:
        return and_(column >= self.start, column < self.end)

    def base(self) -> list[ColumnElement[bool]]:
        conditions = [col(WorkOrder.status) != OrderStatus.CANCELLED]
        if self.q.district_id is not None:
            conditions.append(col(WorkOrder.district_id) == self.q.district_id)
        return conditions

    def done_in_month(self) -> list[ColumnElement[bool]]:
        return [*self.base(), col(WorkOrder.status).in_(DONE_STATUSES), self.in_month(WorkOrder.completed_at)]

    @staticmethod
    def clock(kind: ClockKind) -> Any:
        alias = aliased(SlaClock, name=f"clock_{kind.value}")
        return alias, and_(col(alias.order_id) == WorkOrder.id, col(alias.kind) == kind)

    def installs(self, grouped: bool) -> Stmt:
        done, done_on = self.clock(ClockKind.INSTALL_COMPLETION)
        onsite, onsite_on = self.clock(ClockKind.ONSITE)
        return (
            select(
                self.key(grouped),
                func.count().label("installs_completed"),
                count_if(done.breached.is_(False)).label("installs_on_time"),
                count_if(onsite.breached.is_(False)).label("onsite_compliant"),
            )
            .select_from(WorkOrder)
            .outerjoin(done, done_on)
            .outerjoin(onsite, onsite_on)
            .where(col(WorkOrder.type) == OrderType.INSTALL, *self.done_in_month())
        )

    def open_breached(self, grouped: bool) -> Stmt:
        clock, on = self.clock(ClockKind.INSTALL_COMPLETION)
        late = or_(clock.breached.is_(True), and_(clock.paused.is_(False), clock.due_at < self.as_of))
        return (
            select(self.key(grouped), func.count().label("installs_open_breached"))
            .select_from(WorkOrder)
            .join(clock, on)
            .where(
                col(WorkOrder.type) == OrderType.INSTALL,
                col(WorkOrder.status).in_(OPEN_STATUSES),
                col(WorkOrder.created_at) < self.end,
                late,
                *self.base(),
            )
        )

    def repairs(self, grouped: bool) -> Stmt:
        clock, on = self.clock(ClockKind.REPAIR_COMPLETION)
        return (
            select(
                self.key(grouped),
                func.count().label("repairs_completed"),
                count_if(clock.breached.is_(False)).label("repairs_on_time"),
                count_if(col(WorkOrder.reopen_count) > 0).label("repairs_reopened"),
                count_if(col(WorkOrder.penalty_amount) > 0).label("penalty_orders"),
                func.coalesce(func.sum(WorkOrder.penalty_days), 0).label("penalty_days"),
                func.coalesce(func.sum(WorkOrder.penalty_amount), 0).label("penalty_amount"),
                count_if(col(WorkOrder.penalty_exempt).is_(True)).label("penalty_exempt_orders"),
            )
            .select_from(WorkOrder)
            .outerjoin(clock, on)
            .where(col(WorkOrder.type) == OrderType.REPAIR, *self.done_in_month())
        )

    def contact(self, grouped: bool) -> Stmt:
        clock, on = self.clock(ClockKind.CONTACT)
        timely = and_(clock.stop_at.is_not(None), clock.breached.is_(False))
        return (
            select(
                self.key(grouped),
                func.count().label("dispatched"),
                count_if(timely).label("contacted_on_time"),
            )
            .select_from(WorkOrder)
            .outerjoin(clock, on)
            .where(self.in_month(WorkOrder.dispatched_at), *self.base())
        )

    def arrival(self, grouped: bool) -> Stmt:
        offset = seconds_between(Appointment.arrived_at, Appointment.slot_start, self.dialect)
        tolerance = self.q.arrival_tolerance_s + _EPSILON_S
        on_time = and_(col(Appointment.arrived_at).is_not(None), offset <= tolerance, offset >= -tolerance)
        confirmed = (AppointmentStatus.CONFIRMED, AppointmentStatus.ATTENDED, AppointmentStatus.MISSED)
        return (
            select(self.key(grouped), func.count().label("visits"), count_if(on_time).label("visits_on_time"))
            .select_from(Appointment)
            .join(WorkOrder, col(WorkOrder.id) == Appointment.order_id)
            .where(
                col(Appointment.status).in_(confirmed), self.in_month(Appointment.slot_start), *self.base()
            )
        )

    def repeats(self, grouped: bool) -> Stmt:
        earlier = aliased(WorkOrder, name="earlier")
        window = self.q.repeat_window_days * DAY_S + _EPSILON_S
        repeat = exists().where(
            col(earlier.account_id) == WorkOrder.account_id,
            col(earlier.type) == OrderType.REPAIR,
            col(earlier.id) != WorkOrder.id,
            col(earlier.status) != OrderStatus.CANCELLED,
            col(earlier.completed_at) < WorkOrder.reported_at,
            seconds_between(WorkOrder.reported_at, col(earlier.completed_at), self.dialect) <= window,
        )
        return (
            select(
                self.key(grouped),
                func.count().label("repairs_reported"),
                count_if(repeat).label("repeat_repairs"),
            )
            .select_from(WorkOrder)
            .where(
                col(WorkOrder.type) == OrderType.REPAIR, self.in_month(WorkOrder.reported_at), *self.base()
            )
        )

    def urges(self, grouped: bool, order_type: OrderType, prefix: str) -> Stmt:
        urged = exists().where(col(Urge.order_id) == WorkOrder.id)
        return (
            select(
                self.key(grouped),
                func.count().label(f"{prefix}_created"),
                count_if(urged).label(f"{prefix}_urged"),
            )
            .select_from(WorkOrder)
            .where(col(WorkOrder.type) == order_type, self.in_month(WorkOrder.created_at), *self.base())
        )

    def completions(self, grouped: bool) -> Stmt:
        called = exists().where(col(Callback.order_id) == WorkOrder.id)
        return (
            select(self.key(grouped), func.count().label("completed"), count_if(called).label("called_back"))
            .select_from(WorkOrder)
            .where(col(WorkOrder.type) != OrderType.MOVE, *self.done_in_month())
        )

    def callbacks(self, grouped: bool) -> Stmt:
        return (
            select(
                self.key(grouped),
                func.count().label("callbacks_reached"),
                count_if(col(Callback.satisfied).is_(True)).label("satisfied"),
                func.coalesce(func.sum(Callback.stars), 0).label("stars_sum"),
                func.count(col(Callback.stars)).label("stars_count"),
            )
            .select_from(Callback)
            .join(WorkOrder, col(WorkOrder.id) == Callback.order_id)
            .where(
                col(Callback.reached).is_(True), col(WorkOrder.type) != OrderType.MOVE, *self.done_in_month()
            )
        )

    def complaints(self, grouped: bool) -> Stmt:
        accounts = func.count(func.distinct(Complaint.account_id)).label("complaining_accounts")
        in_month = self.in_month(Complaint.at)
        if self.q.grouping is Grouping.DISTRICT or not grouped:
            key = col(Complaint.district_id).label("k") if grouped else null().label("k")
            statement = select(key, accounts).select_from(Complaint).where(in_month)
            if self.q.district_id is not None:
                statement = statement.where(col(Complaint.district_id) == self.q.district_id)
            return statement
        return (
            select(self.key(grouped), accounts)
            .select_from(Complaint)
            .join(WorkOrder, col(WorkOrder.id) == Complaint.order_id)
            .where(in_month, *self.base())
        )

    def billed(self, grouped: bool) -> Stmt:
        key = col(BilledCustomersMonthly.district_id).label("k") if grouped else null().label("k")
        statement = select(key, func.sum(BilledCustomersMonthly.count).label("billed_customers")).where(
            col(BilledCustomersMonthly.month) == self.q.month
        )
        if self.q.district_id is not None:
            statement = statement.where(col(BilledCustomersMonthly.district_id) == self.q.district_id)
        return statement

    def backlog(self, grouped: bool) -> Stmt:
        install, install_on = self.clock(ClockKind.INSTALL_COMPLETION)
        repair, repair_on = self.clock(ClockKind.REPAIR_COMPLETION)
        now = literal(self.as_of, UtcDateTime())
        natural = seconds_between(now, WorkOrder.created_at, self.dialect)
        age = func.coalesce(install.elapsed_business_s, repair.elapsed_business_s, natural)
        deferred = col(WorkOrder.status) == OrderStatus.DEFERRED
        active = col(WorkOrder.status) != OrderStatus.DEFERRED
        return (
            select(
                self.key(grouped),
                count_if(active).label("backlog"),
                count_if(deferred).label("backlog_deferred"),
                count_if(and_(active, age < DAY_S)).label("backlog_lt_24h"),
                count_if(and_(active, age >= DAY_S, age <= 3 * DAY_S)).label("backlog_24_72h"),
                count_if(and_(active, age > 3 * DAY_S)).label("backlog_gt_72h"),
            )
            .select_from(WorkOrder)
            .outerjoin(install, install_on)
            .outerjoin(repair, repair_on)
            .where(
                col(WorkOrder.status).in_(OPEN_STATUSES),
                col(WorkOrder.type) != OrderType.MOVE,
                col(WorkOrder.created_at) <= self.as_of,
                *self.base(),
            )
        )

    def statements(self, grouped: bool) -> list[Stmt]:
        statements = [
            self.installs(grouped),
            self.open_breached(grouped),
            self.repairs(grouped),
            self.contact(grouped),
            self.arrival(grouped),
            self.repeats(grouped),
            self.urges(grouped, OrderType.INSTALL, "installs"),
            self.urges(grouped, OrderType.REPAIR, "repairs"),
            self.completions(grouped),
            self.callbacks(grouped),
            self.complaints(grouped),
            self.backlog(grouped),
        ]
        if self.q.grouping is Grouping.DISTRICT or not grouped:
            statements.append(self.billed(grouped))
        return [s.group_by(s.selected_columns.k) if grouped else s for s in statements]


def _names(session: Session, grouping: Grouping, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(ids)
    if not wanted:
        return {}
    if grouping is Grouping.PROJECT:
        projects = session.execute(
            select(col(Project.id), col(Project.code), col(Project.contractor)).where(
                col(Project.id).in_(wanted)
            )
        ).all()
        return {
            int(pid): f"{code} ({contractor})" if contractor else str(code)
            for pid, code, contractor in projects
        }
    table: Any = {Grouping.DISTRICT: District, Grouping.TEAM: Team, Grouping.TECHNICIAN: Technician}[grouping]
    rows = session.execute(select(table.id, table.name).where(table.id.in_(wanted))).all()
    return {int(row[0]): str(row[1]) for row in rows}


def _merge(
    session: Session, statements: Sequence[Stmt], make: Callable[[Any], MetricsRow]
) -> dict[Any, MetricsRow]:
    rows: dict[Any, MetricsRow] = {}
    for statement in statements:
        for result in session.execute(statement).mappings():
            key = result["k"]
            row = rows.setdefault(key, make(key))
            for name, value in result.items():
                if name != "k" and value is not None:
                    setattr(row, name, int(value))
    return rows


def alert_level(backlog: int, mobile: int, emergency: int) -> AlertLevel:
    """Above the second threshold the emergency team comes too; above the first the mobile team."""
    if backlog > emergency:
        return AlertLevel.EMERGENCY_TEAM
    if backlog > mobile:
        return AlertLevel.MOBILE_TEAM
    return AlertLevel.NONE


def backlog_alerts(session: Session, rows_by_district: dict[Any, MetricsRow]) -> list[BacklogAlert]:
    districts = session.execute(
        select(
            col(District.id),
            col(District.name),
            col(District.mobile_team_threshold),
            col(District.emergency_team_threshold),
        )
    ).all()
    alerts = []
    for district_id, name, mobile, emergency in districts:
        row = rows_by_district.get(district_id)
        if row is None:
            continue
        level = alert_level(row.backlog, mobile, emergency)
        if level is not AlertLevel.NONE:
            alerts.append(BacklogAlert(district_id, name, row.backlog, mobile, emergency, level))
    return sorted(alerts, key=lambda a: a.district_id)


def compute_metrics(session: Session, query: MetricsQuery) -> MetricsReport:
    """Every metric of ``query.month`` grouped by ``query.grouping``, plus the all-groups total and alerts."""
    start, end = month_bounds(query.month, query.tz)
    as_of = query.as_of or utcnow()
    dialect = session.get_bind().dialect.name
    builder = _Builder(query, dialect, start, end, as_of)
    grouped = _merge(session, builder.statements(True), lambda k: MetricsRow(k, ""))
    names = _names(session, query.grouping, (k for k in grouped if k is not None))
    for key, row in grouped.items():
        row.group_name = names.get(key, str(key)) if key is not None else "(unassigned)"
    total = _total(session, builder, grouped.values())
    rows = sorted(grouped.values(), key=lambda r: (r.group_id is None, r.group_id or 0))
    by_district = grouped if query.grouping is Grouping.DISTRICT else _district_backlog(session, builder)
    return MetricsReport(query, start, end, as_of, rows, total, backlog_alerts(session, by_district))


_NOT_ADDITIVE = frozenset({"group_id", "group_name", "complaining_accounts", "billed_customers"})
ADDITIVE_FIELDS = tuple(f.name for f in fields(MetricsRow) if f.name not in _NOT_ADDITIVE)
"""Counts of orders, visits or call-backs: each belongs to exactly one group (unassigned is a group)."""


def _total(session: Session, builder: _Builder, rows: Iterable[MetricsRow]) -> MetricsRow:
    """The all-groups row: additive counts are summed (no second pass over the orders); distinct
    complaining accounts and billed customers are counted once more over all complaints."""
    total = MetricsRow(None, "(total)")
    for row in rows:
        for name in ADDITIVE_FIELDS:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    extra = _merge(
        session, [builder.complaints(False), builder.billed(False)], lambda k: MetricsRow(None, "")
    )
    found = extra.get(None)
    if found is not None:
        total.complaining_accounts, total.billed_customers = (
            found.complaining_accounts,
            found.billed_customers,
        )
    return total


def _district_backlog(session: Session, builder: _Builder) -> dict[Any, MetricsRow]:
    """Alerts are per district whatever the grouping: count the backlog by district separately."""
    district_query = MetricsQuery(
        month=builder.q.month,
        grouping=Grouping.DISTRICT,
        district_id=builder.q.district_id,
        tz=builder.q.tz,
        as_of=builder.as_of,
    )
    by_district = _Builder(district_query, builder.dialect, builder.start, builder.end, builder.as_of)
    statement = by_district.backlog(True)
    return _merge(session, [statement.group_by(statement.selected_columns.k)], lambda k: MetricsRow(k, ""))
