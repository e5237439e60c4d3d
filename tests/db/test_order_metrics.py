"""Work-order metrics on a generated month (November 2026, Asia/Shanghai) against hand-computed figures.

:func:`build_month` writes the rows the orders service would have derived from events (orders, clock
snapshots, appointments, call-backs, urges, complaints, billed customers) so each formula is checked on
its own. Every expected number below is counted by hand from the generator's comments; each metric has
an edge case beside it: cancelled orders, deferred orders, reopened repairs, the same account
complaining twice, orders and complaints on either side of the (local) month boundary, a move parent.
Runs on SQLite and PostgreSQL through the ``session`` fixture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlmodel import Session, col

from ponaccept.db.models import (
    Account,
    Appointment,
    BilledCustomersMonthly,
    Callback,
    Complaint,
    District,
    OrderSlaPolicy,
    Project,
    SlaClock,
    Team,
    Technician,
    Urge,
    WorkOrder,
)
from ponaccept.db.repositories.order_metrics import (
    AlertLevel,
    Grouping,
    MetricsQuery,
    UnknownDistrict,
    compute_metrics,
    resolve_district,
)
from ponaccept.db.repositories.order_metrics_sql import month_bounds, month_start, parse_month
from ponaccept.domain.orders import AppointmentStatus, OrderStatus, OrderType
from ponaccept.domain.sla import ClockKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH = date(2026, 11, 1)
TARGETS = {
    ClockKind.INSTALL_COMPLETION: 72 * 3600,
    ClockKind.ONSITE: 4 * 3600,
    ClockKind.REPAIR_COMPLETION: 8 * 3600,
    ClockKind.CONTACT: 30 * 60,
}


def local(month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=SHANGHAI).astimezone(UTC)


def nov(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return local(11, day, hour, minute, second)


AS_OF = nov(28, 12)
DONE = OrderStatus.COMPLETED


@dataclass
class Month:
    """Ids of the generated month's reference rows (for group names and filters)."""

    district_a: int = 0
    district_b: int = 0
    team_1: int = 0
    team_2: int = 0
    tech: dict[str, int] = field(default_factory=dict)
    project: int = 0
    orders: dict[str, WorkOrder] = field(default_factory=dict)


class _Writer:
    def __init__(self, session: Session) -> None:
        self.s = session
        self.month = Month()
        self.policies: dict[ClockKind, int] = {}
        self.accounts = 0

    def add(self, row: Any) -> Any:
        self.s.add(row)
        self.s.flush()
        return row

    def account(self, district: int) -> int:
        self.accounts += 1
        row = self.add(Account(account_no=f"ACC-{self.accounts:04d}", district_id=district, address="addr"))
        return int(row.id)

    def order(
        self,
        name: str,
        kind: OrderType,
        district: int,
        tech: str | None,
        status: OrderStatus,
        created: datetime,
        *,
        account: int | None = None,
        **values: Any,
    ) -> WorkOrder:
        technician = self.month.tech[tech] if tech else None
        team = None
        if tech:
            team = self.month.team_1 if tech in ("t1", "t2") else self.month.team_2
        if kind is OrderType.REPAIR:
            values.setdefault("reported_at", created)
        row = self.add(
            WorkOrder(
                no=name,
                type=kind,
                account_id=account or self.account(district),
                district_id=district,
                address="addr",
                status=status,
                created_at=created,
                technician_id=technician,
                team_id=team,
                **values,
            )
        )
        self.month.orders[name] = row
        return row

    def clock(
        self,
        order: WorkOrder,
        kind: ClockKind,
        *,
        breached: bool,
        start: datetime,
        stop: datetime | None = None,
        elapsed: float | None = None,
        due: datetime | None = None,
        paused: bool = False,
    ) -> None:
        target = TARGETS[kind]
        used = elapsed if elapsed is not None else (target + 600 if breached else target - 600)
        self.add(
            SlaClock(
                order_id=order.id,
                kind=kind,
                policy_id=self.policies[kind],
                policy_key=f"seed.{kind.value}",
                policy_version=1,
                calendar_name="default",
                calendar_version=1,
                target_s=target,
                start_at=start,
                stop_at=stop,
                due_at=due or start + timedelta(seconds=target),
                elapsed_business_s=used,
                breached=breached,
                overdue_s=max(0.0, used - target),
                overdue_natural_s=0.0,
                running=stop is None,
                paused=paused,
                evaluated_at=AS_OF,
            )
        )

    def appointment(
        self, order: WorkOrder, slot: datetime, status: AppointmentStatus, arrived: datetime | None
    ) -> None:
        self.add(Appointment(order_id=order.id, slot_start=slot, status=status, arrived_at=arrived))

    def callback(self, order: WorkOrder, reached: bool, satisfied: bool | None, stars: int | None) -> None:
        self.add(
            Callback(order_id=order.id, at=nov(29, 10), reached=reached, satisfied=satisfied, stars=stars)
        )

    def urge(self, order: WorkOrder) -> None:
        self.add(Urge(order_id=order.id, at=order.created_at + timedelta(hours=30)))

    def complaint(self, account: int, district: int, at: datetime, order: WorkOrder | None = None) -> None:
        order_id = order.id if order is not None else None
        self.add(
            Complaint(account_id=account, district_id=district, at=at, category="slow", order_id=order_id)
        )


def build_month(session: Session) -> Month:
    """Write the generated month (see the module docstring); returns the reference ids."""
    w = _Writer(session)
    m = w.month
    for kind, target in TARGETS.items():
        policy = w.add(
            OrderSlaPolicy(key=f"seed.{kind.value}", kind=kind, target_s=target, effective_from=nov(1, 0))
        )
        w.policies[kind] = int(policy.id)
    m.district_a = int(w.add(District(name="城区A", mobile_team_threshold=3, emergency_team_threshold=5)).id)
    m.district_b = int(w.add(District(name="县区B", mobile_team_threshold=1, emergency_team_threshold=2)).id)
    m.team_1 = int(w.add(Team(name="T1", contractor="C1", district_id=m.district_a)).id)
    m.team_2 = int(w.add(Team(name="T2", contractor="C2", district_id=m.district_b)).id)
    for code, team, district in (
        ("t1", m.team_1, m.district_a),
        ("t2", m.team_1, m.district_a),
        ("t3", m.team_2, m.district_b),
    ):
        tech = w.add(Technician(name=f"tech {code}", code=code, team_id=team, district_id=district))
        m.tech[code] = int(tech.id)
    a, b = m.district_a, m.district_b
    install, repair = OrderType.INSTALL, OrderType.REPAIR
    ic, os_, rc, ct = (
        ClockKind.INSTALL_COMPLETION,
        ClockKind.ONSITE,
        ClockKind.REPAIR_COMPLETION,
        ClockKind.CONTACT,
    )
    move = w.order("M1", OrderType.MOVE, a, None, OrderStatus.CREATED, nov(11, 8))  # never counted

    # Installs in A: i even → t1, odd → t2. Completion breached for i % 3 == 0; on-site breached for i == 1,
    # none recorded for i == 9; contact breached for i == 4; arrival offsets below; urges on i 0 (twice), 1.
    arrival_offsets = {0: 600, 1: -600, 2: 601, 3: 660}
    for i in range(10):
        created = nov(2 + i, 9)
        order = w.order(
            f"I{i}",
            install,
            a,
            "t1" if i % 2 == 0 else "t2",
            OrderStatus.CLOSED,
            created,
            dispatched_at=created + timedelta(hours=1),
            completed_at=nov(3 + i, 10),
            parent_id=move.id if i == 9 else None,
        )
        w.clock(order, ic, breached=i % 3 == 0, start=created, stop=order.completed_at)
        if i != 9:
            w.clock(order, os_, breached=i == 1, start=nov(3 + i, 9), stop=order.completed_at)
        w.clock(
            order, ct, breached=i == 4, start=created + timedelta(hours=1), stop=created + timedelta(hours=2)
        )
        slot = nov(3 + i, 9)
        w.appointment(
            order, slot, AppointmentStatus.ATTENDED, slot + timedelta(seconds=arrival_offsets.get(i, 120))
        )
        w.callback(
            order,
            reached=i < 8,
            satisfied=(i < 6) if i < 8 else None,
            stars=None if i in (5, 8, 9) else (5 if i < 6 else 2),
        )
        if i == 0:
            w.urge(order)
            w.urge(order)
        if i == 1:
            w.urge(order)
    # Month boundary: X1 completed 1 Nov 01:00 local (31 Oct UTC) counts; X2 completed 1 Dec 01:00 does not.
    x1 = w.order(
        "X1",
        install,
        a,
        "t1",
        DONE,
        local(10, 28, 9),
        completed_at=nov(1, 1),
        dispatched_at=local(10, 28, 10),
    )
    w.clock(x1, ic, breached=False, start=x1.created_at, stop=x1.completed_at)
    w.clock(x1, os_, breached=False, start=local(10, 31, 22), stop=x1.completed_at)
    x2 = w.order("X2", install, a, "t1", DONE, nov(27, 9), completed_at=local(12, 1, 1))
    w.clock(x2, ic, breached=True, start=x2.created_at, stop=x2.completed_at)
    w.callback(x2, reached=True, satisfied=False, stars=1)
    # Cancelled install: completed time, clocks, appointment, urge — all ignored.
    x3 = w.order(
        "X3",
        install,
        a,
        "t1",
        OrderStatus.CANCELLED,
        nov(6, 9),
        completed_at=nov(7, 9),
        dispatched_at=nov(6, 10),
    )
    w.clock(x3, ic, breached=True, start=x3.created_at, stop=x3.completed_at)
    w.appointment(x3, nov(7, 9), AppointmentStatus.ATTENDED, nov(7, 9))
    w.urge(x3)
    # Open installs in A (as of 28 Nov 12:00): O1 due passed un-paused, O2 breached, O3 deferred (paused,
    # due passed), O4 fresh; O5 cancelled with a breached clock.
    o1 = w.order("O1", install, a, "t1", OrderStatus.DISPATCHED, nov(20, 9), dispatched_at=nov(20, 10))
    w.clock(o1, ic, breached=False, start=o1.created_at, elapsed=100_000, due=nov(23, 9))
    w.clock(o1, ct, breached=False, start=nov(20, 10))
    w.appointment(o1, nov(21, 9), AppointmentStatus.MISSED, None)
    w.urge(o1)
    o2 = w.order("O2", install, a, "t2", OrderStatus.ON_SITE, nov(18, 9), dispatched_at=nov(21, 10))
    w.clock(o2, ic, breached=True, start=o2.created_at, elapsed=300_000, due=nov(24, 9))
    w.clock(o2, ct, breached=False, start=nov(21, 10), stop=nov(21, 10, 20))
    w.appointment(o2, local(12, 2, 9), AppointmentStatus.CONFIRMED, None)
    o3 = w.order("O3", install, a, "t1", OrderStatus.DEFERRED, nov(15, 9))
    w.clock(o3, ic, breached=False, start=o3.created_at, elapsed=50_000, due=nov(20, 9), paused=True)
    o4 = w.order("O4", install, a, None, OrderStatus.CREATED, nov(28, 10))
    w.clock(o4, ic, breached=False, start=o4.created_at, elapsed=3_600, due=nov(30, 12))
    w.appointment(o4, nov(29, 9), AppointmentStatus.PROPOSED, None)
    o5 = w.order("O5", install, a, "t2", OrderStatus.CANCELLED, nov(19, 9))
    w.clock(o5, ic, breached=True, start=o5.created_at, elapsed=400_000)

    # Repairs in A: j < 4 → t1, else t2. Breached j 2 and 5; j 2 exempt (1 day, amount 0), j 5 one day
    # (20); j 7 never contacted; j 0 urged, two call-backs (not reached, then reached 4★).
    for j in range(8):
        reported = nov(5 + j, 21)
        penalty = {"penalty_days": 1, "penalty_amount": 20} if j == 5 else {}
        if j == 2:
            penalty = {"penalty_days": 1, "penalty_amount": 0, "penalty_exempt": True}
        order = w.order(
            f"R{j}",
            repair,
            a,
            "t1" if j < 4 else "t2",
            DONE,
            reported,
            dispatched_at=reported + timedelta(minutes=30),
            completed_at=nov(6 + j, 12),
            **penalty,
        )
        w.clock(order, rc, breached=j in (2, 5), start=reported, stop=order.completed_at)
        if j != 7:
            w.clock(order, ct, breached=False, start=order.dispatched_at, stop=order.dispatched_at)
        if j == 0:
            w.urge(order)
            w.callback(order, reached=False, satisfied=None, stars=None)
            w.callback(order, reached=True, satisfied=True, stars=4)
    r9 = w.order(
        "R9",
        repair,
        a,
        "t2",
        OrderStatus.CLOSED,
        nov(15, 9),
        dispatched_at=nov(15, 10),
        completed_at=nov(17, 9),
        first_completed_at=nov(15, 15),
        reopen_count=1,
        penalty_days=2,
        penalty_amount=40,
    )
    w.clock(r9, rc, breached=True, start=r9.created_at, stop=r9.completed_at)
    w.clock(r9, ct, breached=False, start=nov(15, 10), stop=nov(15, 10, 5))
    w.callback(r9, reached=True, satisfied=False, stars=1)
    # Reopened and open again: no completion counted, in the backlog (<24 h counted).
    r10 = w.order(
        "R10",
        repair,
        a,
        "t1",
        OrderStatus.DISPATCHED,
        nov(16, 9),
        dispatched_at=nov(16, 10),
        first_completed_at=nov(16, 15),
        reopen_count=1,
    )
    w.clock(r10, rc, breached=False, start=r10.created_at, elapsed=20_000)
    w.clock(r10, ct, breached=True, start=nov(16, 10), stop=nov(16, 12))
    w.urge(r10)
    w.order("R11", repair, a, "t1", OrderStatus.CANCELLED, nov(18, 9), dispatched_at=nov(18, 10))

    # District B (t3): repeats. P1 completed 25 Oct → R1 (3 Nov) repeats; P2 completed 1 Oct → R2 (3 Nov)
    # only with a 40-day window; R3 (20 Nov) repeats R1; P3 cancelled → R4 not a repeat; P5 completed
    # exactly 30 days before R5 → repeat.
    # BR1 and BR3 (both repeats) are attributed to construction project PRJ-9 of contractor C9.
    m.project = int(w.add(Project(code="PRJ-9", name="Block 9", contractor="C9")).id)
    acc1, acc2, acc3, acc5 = (w.account(b) for _ in range(4))
    w.order(
        "P1",
        repair,
        b,
        "t3",
        OrderStatus.CLOSED,
        local(10, 24, 10),
        account=acc1,
        completed_at=local(10, 25, 10),
    )
    r1 = w.order(
        "BR1",
        repair,
        b,
        "t3",
        DONE,
        nov(3, 10),
        account=acc1,
        completed_at=nov(3, 15),
        dispatched_at=nov(3, 10, 10),
        project_id=m.project,
    )
    w.clock(r1, rc, breached=False, start=r1.created_at, stop=r1.completed_at)
    w.clock(r1, ct, breached=True, start=nov(3, 10, 10), stop=nov(3, 11, 30))
    w.order(
        "P2",
        repair,
        b,
        "t3",
        OrderStatus.CLOSED,
        local(9, 30, 10),
        account=acc2,
        completed_at=local(10, 1, 10),
    )
    r2 = w.order("BR2", repair, b, "t3", DONE, nov(3, 10), account=acc2, completed_at=nov(4, 10))
    w.clock(r2, rc, breached=False, start=r2.created_at, stop=r2.completed_at)
    r3 = w.order(
        "BR3", repair, b, "t3", OrderStatus.DISPATCHED, nov(20, 10), account=acc1, project_id=m.project
    )
    w.clock(r3, rc, breached=False, start=r3.created_at, elapsed=50_000)
    w.urge(r3)
    w.order(
        "P3", repair, b, "t3", OrderStatus.CANCELLED, local(10, 30, 10), account=acc3, completed_at=nov(1, 10)
    )
    r4 = w.order("BR4", repair, b, "t3", DONE, nov(5, 10), account=acc3, completed_at=nov(5, 15))
    w.clock(r4, rc, breached=False, start=r4.created_at, stop=r4.completed_at)
    w.order(
        "P5",
        repair,
        b,
        "t3",
        OrderStatus.CLOSED,
        local(10, 10, 8),
        account=acc5,
        completed_at=local(10, 10, 10),
    )
    r5 = w.order("BR5", repair, b, "t3", DONE, nov(9, 10), account=acc5, completed_at=nov(9, 15))
    w.clock(r5, rc, breached=False, start=r5.created_at, stop=r5.completed_at)
    for n in range(2):
        order = w.order(f"BI{n}", install, b, "t3", DONE, nov(8, 9), completed_at=nov(10, 9))
        w.clock(order, ic, breached=False, start=order.created_at, stop=order.completed_at)
        w.clock(order, os_, breached=False, start=nov(10, 8), stop=order.completed_at)
    # Open B orders without clocks: aged by natural time (48 h exactly → 24–72 h; 8 days → > 72 h).
    w.order("BO1", OrderType.REMOVAL, b, None, OrderStatus.RETURNED, AS_OF - timedelta(hours=48))
    w.order("BO2", OrderType.RESUME, b, None, OrderStatus.EXCEPTION, nov(20, 12))

    # Complaints: c1 twice (one tied to I0), c2 tied to R4, c3 just before the local month, c4 just after
    # its start (still 31 Oct in UTC); B: acc1 once.
    c1, c2, c3, c4 = (w.account(a) for _ in range(4))
    w.complaint(c1, a, nov(4, 10), m.orders["I0"])
    w.complaint(c1, a, nov(14, 10))
    w.complaint(c2, a, nov(12, 10), m.orders["R4"])
    w.complaint(c3, a, local(10, 31, 23))
    w.complaint(c4, a, nov(1, 0, 30))
    w.complaint(acc1, b, nov(21, 10))
    for district, count in ((a, 12_000), (b, 5_000)):
        w.add(BilledCustomersMonthly(month=MONTH, district_id=district, count=count))
    w.add(BilledCustomersMonthly(month=date(2026, 10, 1), district_id=a, count=1))
    session.commit()
    return m


@pytest.fixture
def month(session: Session) -> Month:
    return build_month(session)


def by_id(rows: list[Any]) -> dict[int | None, Any]:
    return {row.group_id: row for row in rows}


def test_district_figures_match_hand_counts(session: Session, month: Month) -> None:
    report = compute_metrics(session, MetricsQuery(month=MONTH, as_of=AS_OF))
    rows = by_id(report.rows)
    assert set(rows) == {month.district_a, month.district_b}
    a, b = rows[month.district_a], rows[month.district_b]
    assert a.group_name == "城区A"
    # 装机及时率: I0–I9 + X1 (not X2: December, not X3: cancelled); breached I0, I3, I6, I9.
    assert (a.installs_completed, a.installs_on_time) == (11, 7)
    assert a.install_timeliness == pytest.approx(7 / 11)
    assert a.installs_open_breached == 2  # O1 (due passed), O2 (breached); not O3 (paused) nor O5
    assert (b.installs_completed, b.installs_on_time, b.installs_open_breached) == (2, 2, 0)
    # 现场装机达标率: I1 breached, I9 has no on-site clock.
    assert a.onsite_compliant == 9 and a.onsite_compliance == pytest.approx(9 / 11)
    # 修障及时率: R0–R7 + R9 (reopened, final completion in month); not R10 (open again) nor R11.
    assert (a.repairs_completed, a.repairs_on_time, a.repairs_reopened) == (9, 6, 1)
    assert (b.repairs_completed, b.repairs_on_time) == (4, 4)
    # 预约及时率: 10 installs + 8 repairs + R9, R10, O1, O2 dispatched; I4, R7, R10, O1 not timely.
    assert (a.dispatched, a.contacted_on_time) == (22, 18)
    assert (b.dispatched, b.contacted_on_time) == (1, 0)
    # 上门准时率: ±600 s inclusive (I0, I1 on time; I2 +601 s, I3 +660 s late), O1 missed, O4 only proposed.
    assert (a.visits, a.visits_on_time) == (11, 8)
    # 障碍重复申告率
    assert (a.repairs_reported, a.repeat_repairs) == (10, 0)
    assert (b.repairs_reported, b.repeat_repairs) == (5, 3)
    assert b.repeat_fault_rate == pytest.approx(0.6)
    # 催装率 / 催修率: I0 urged twice counts once; X3 cancelled.
    assert (a.installs_created, a.installs_urged) == (15, 3)
    assert (a.repairs_created, a.repairs_urged) == (10, 2)
    assert (b.installs_created, b.repairs_created, b.repairs_urged) == (2, 5, 1)
    # 回访率 / 满意率 / ★
    assert (a.completed, a.called_back) == (20, 12)
    assert (a.callbacks_reached, a.satisfied) == (10, 7)
    assert a.mean_stars == pytest.approx(34 / 9)
    assert (b.completed, b.called_back, b.callback_rate) == (6, 0, 0.0)
    assert b.satisfaction_rate is None
    # 万投比: c1 (twice), c2, c4 — not c3 (October local time).
    assert (a.complaining_accounts, a.billed_customers) == (3, 12_000)
    assert a.complaints_per_10k == pytest.approx(2.5)
    assert b.complaints_per_10k == pytest.approx(2.0)
    # 积压 and ages (as of 28 Nov 12:00)
    assert (a.backlog, a.backlog_deferred) == (4, 1)
    assert (a.backlog_lt_24h, a.backlog_24_72h, a.backlog_gt_72h) == (2, 1, 1)
    assert (b.backlog, b.backlog_lt_24h, b.backlog_24_72h, b.backlog_gt_72h) == (3, 1, 1, 1)
    # 罚则: R5 (20), R9 (40); R2 exempt.
    assert (a.penalty_orders, a.penalty_days, a.penalty_amount, a.penalty_exempt_orders) == (2, 4, 60, 1)


def test_totals_and_two_tier_backlog_alerts(session: Session, month: Month) -> None:
    report = compute_metrics(session, MetricsQuery(month=MONTH, as_of=AS_OF))
    total = report.total
    assert (total.installs_completed, total.repairs_completed, total.backlog) == (13, 13, 7)
    assert (total.complaining_accounts, total.billed_customers) == (4, 17_000)
    assert total.complaints_per_10k == pytest.approx(4 / 17_000 * 10_000)
    levels = {alert.district_id: alert.level for alert in report.alerts}
    assert levels == {month.district_a: AlertLevel.MOBILE_TEAM, month.district_b: AlertLevel.EMERGENCY_TEAM}
    assert report.period_start == nov(1, 0) and report.period_end == local(12, 1, 0)


def test_technician_grouping(session: Session, month: Month) -> None:
    query = MetricsQuery(month=MONTH, grouping=Grouping.TECHNICIAN, as_of=AS_OF)
    report = compute_metrics(session, query)
    rows = by_id(report.rows)
    t1, t2 = rows[month.tech["t1"]], rows[month.tech["t2"]]
    assert t1.group_name == "tech t1"
    assert (t1.installs_completed, t1.installs_on_time, t1.onsite_compliant) == (6, 4, 6)
    assert (t2.installs_completed, t2.installs_on_time, t2.onsite_compliant) == (5, 3, 3)
    assert (t1.repairs_completed, t1.repairs_on_time, t1.penalty_days, t1.penalty_exempt_orders) == (
        4,
        3,
        1,
        1,
    )
    assert (t2.repairs_completed, t2.repairs_on_time, t2.repairs_reopened, t2.penalty_amount) == (5, 3, 1, 60)
    assert (t1.dispatched, t1.contacted_on_time, t2.dispatched, t2.contacted_on_time) == (11, 8, 11, 10)
    assert (t1.visits, t1.visits_on_time, t2.visits, t2.visits_on_time) == (6, 4, 5, 4)
    assert (t1.installs_created, t1.installs_urged, t2.installs_created, t2.installs_urged) == (8, 2, 6, 1)
    assert (t1.callbacks_reached, t1.satisfied, t1.stars_sum, t1.stars_count) == (5, 4, 21, 5)
    assert (t2.callbacks_reached, t2.satisfied, t2.stars_sum, t2.stars_count) == (5, 3, 13, 4)
    assert (t1.complaining_accounts, t2.complaining_accounts) == (1, 1)
    assert t1.complaints_per_10k is None  # billed customers are known per district only
    unassigned = rows[None]
    assert (unassigned.installs_created, unassigned.backlog) == (1, 3)  # O4; O4, BO1, BO2
    # Alerts stay per district whatever the grouping.
    assert {a.district_id for a in report.alerts} == {month.district_a, month.district_b}


def test_team_grouping_and_district_filter(session: Session, month: Month) -> None:
    report = compute_metrics(
        session, MetricsQuery(month=MONTH, grouping=Grouping.TEAM, district_id=month.district_b, as_of=AS_OF)
    )
    rows = by_id(report.rows)
    assert set(rows) == {month.team_2, None}
    assert rows[month.team_2].group_name == "T2"
    assert (rows[month.team_2].repairs_reported, rows[month.team_2].repeat_repairs) == (5, 3)
    assert report.total.billed_customers == 5_000
    assert [a.district_id for a in report.alerts] == [month.district_b]


def test_repeats_attributed_to_the_construction_project(session: Session, month: Month) -> None:
    rows = by_id(
        compute_metrics(session, MetricsQuery(month=MONTH, grouping=Grouping.PROJECT, as_of=AS_OF)).rows
    )
    project = rows[month.project]
    assert project.group_name == "PRJ-9 (C9)"
    assert (project.repairs_reported, project.repeat_repairs, project.repairs_completed, project.backlog) == (
        2,
        2,
        1,
        1,
    )
    assert rows[None].repairs_reported == 13  # every other repair reported in November


def test_repeat_window_is_configurable(session: Session, month: Month) -> None:
    rows = by_id(compute_metrics(session, MetricsQuery(month=MONTH, repeat_window_days=40, as_of=AS_OF)).rows)
    assert rows[month.district_b].repeat_repairs == 4  # BR2 now repeats P2 (33 days)
    rows = by_id(compute_metrics(session, MetricsQuery(month=MONTH, repeat_window_days=29, as_of=AS_OF)).rows)
    assert rows[month.district_b].repeat_repairs == 2  # BR5's 30 days no longer count


def test_other_month_and_empty_month(session: Session, month: Month) -> None:
    december = compute_metrics(session, MetricsQuery(month=date(2026, 12, 1), as_of=AS_OF))
    rows = by_id(december.rows)
    assert rows[month.district_a].installs_completed == 1  # X2
    assert december.total.billed_customers == 0 or december.total.billed_customers is None
    assert (
        compute_metrics(session, MetricsQuery(month=date(2025, 1, 1), as_of=AS_OF)).total.installs_completed
        == 0
    )


def test_district_filter_resolves_names_and_ids(session: Session, month: Month) -> None:
    assert resolve_district(session, "县区B") == month.district_b
    assert resolve_district(session, str(month.district_a)) == month.district_a
    assert resolve_district(session, None) is None
    with pytest.raises(UnknownDistrict, match="unknown district 'nowhere'"):
        resolve_district(session, "nowhere")


def test_query_rejects_nonsense_parameters() -> None:
    with pytest.raises(ValueError, match="repeat window"):
        MetricsQuery(month=MONTH, repeat_window_days=0)
    with pytest.raises(ValueError, match="as_of"):
        MetricsQuery(month=MONTH, as_of=datetime(2026, 11, 1))  # naive: zone unknown


def test_month_truncation_helper_uses_the_local_month(session: Session, month: Month) -> None:
    dialect = session.get_bind().dialect.name
    bucket = month_start(WorkOrder.completed_at, dialect, "Asia/Shanghai")
    rows = dict(
        session.execute(select(WorkOrder.no, bucket).where(col(WorkOrder.no).in_(["X1", "X2", "I0"]))).all()
    )
    assert rows == {"X1": "2026-11", "X2": "2026-12", "I0": "2026-11"}  # X1 is 31 Oct in UTC


def test_month_parsing_and_bounds() -> None:
    assert parse_month("2026-11") == MONTH
    for bad in ("2026-13", "26-11", "November", "2026-11-01", "0001-01", "9999-12"):
        with pytest.raises(ValueError, match="month must look like 2026-11"):
            parse_month(bad)
    start, end = month_bounds(date(2026, 12, 1), "Asia/Shanghai")
    assert (start, end) == (local(12, 1, 0), datetime(2027, 1, 1, tzinfo=SHANGHAI).astimezone(UTC))
