"""Work-order metrics at scale (issue 6): not a test, prints figures and ratios.

1. Generates N work orders (default 1,000,000) over six months with their event history (create, dispatch,
   contact, arrive, complete, close; ~6 events per order), clock snapshots, appointments, call-backs,
   urges and complaints, and loads them with PostgreSQL ``COPY`` into a throw-away schema (migrated with
   Alembic, so the real indexes are in place). Reports the events ingest rate (generation + COPY).
2. Runs the month's metrics (``db.repositories.order_metrics.compute_metrics``) per grouping (district,
   team, technician) and times each.
3. Baseline in the same run: fetches the rows the same figures need and computes them in Python; reports
   fetch + compute time and the ratio to SQL, and checks that both give the same numbers.
4. The SLA clock sweep (``recompute_open_orders``, batched) over every open order, against the per-order
   loop it replaced (one order, its pauses and its clocks fetched one by one) on the first
   ``--sweep-sample`` open orders; reports orders/s for both and the ratio.

Run: ``.venv/bin/python bench/orders_metrics.py [--orders 1000000]``. Database:
``PONACCEPT_BENCH_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``). The schema
is dropped at the end.
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from ponaccept.db.engine import make_engine
from ponaccept.db.migrate import upgrade_engine
from ponaccept.db.repositories.order_metrics import Grouping, MetricsQuery, MetricsRow, compute_metrics
from ponaccept.db.repositories.order_metrics_sql import month_bounds

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MONTH = date(2026, 11, 1)
START = int(datetime(2026, 5, 31, 16, tzinfo=UTC).timestamp())  # 1 Jun 2026 00:00 Shanghai
END = int(datetime(2026, 11, 30, 16, tzinfo=UTC).timestamp())  # 1 Dec 2026 00:00 Shanghai
AS_OF = END - 12 * 3600
DISTRICTS, TEAMS_PER_DISTRICT, TECHS_PER_TEAM = 12, 4, 10
TARGETS = {"install_completion": 259_200, "onsite": 14_400, "repair_completion": 28_800, "contact": 1_800}
CLOCK_KINDS = list(TARGETS)
WINDOW = timedelta(days=30)
OPEN_STATUSES = {"created", "dispatched", "appointed", "on_site", "deferred", "returned", "exception"}

_minutes: dict[int, str] = {}


def ts(seconds: int) -> str:
    """Epoch seconds → COPY text timestamptz (cached per minute: formatting dominates generation)."""
    minute = seconds // 60
    prefix = _minutes.get(minute)
    if prefix is None:
        prefix = time.strftime("%Y-%m-%d %H:%M", time.gmtime(minute * 60))
        _minutes[minute] = prefix
    return f"{prefix}:{seconds % 60:02d}+00"


def opt(seconds: int | None) -> str:
    return r"\N" if seconds is None else ts(seconds)


class Order:
    __slots__ = (
        "account",
        "arrived",
        "completed",
        "contacted",
        "created",
        "dispatched",
        "district",
        "id",
        "kind",
        "status",
        "team",
        "tech",
    )

    def __init__(self, **values: Any) -> None:
        for key, value in values.items():
            setattr(self, key, value)


def generate(n: int, accounts: int, rng: random.Random) -> list[Order]:
    orders = []
    span = END - START
    for i in range(1, n + 1):
        district = rng.randrange(DISTRICTS)
        team = district * TEAMS_PER_DISTRICT + rng.randrange(TEAMS_PER_DISTRICT)
        tech = team * TECHS_PER_TEAM + rng.randrange(TECHS_PER_TEAM)
        r = rng.random()
        kind = "install" if r < 0.55 else "repair" if r < 0.95 else "removal" if r < 0.98 else "resume"
        created = START + int(span * rng.random() ** 0.9)  # more orders towards the recent months
        dispatched = created + rng.randrange(300, 3_600)
        contacted = dispatched + rng.randrange(60, 2_700)
        arrived = contacted + rng.randrange(3_600, 30 * 3_600)
        completed = arrived + rng.randrange(1_800, 6 * 3_600)
        status = "closed" if rng.random() < 0.8 else "completed"
        if rng.random() < 0.02:
            status = "cancelled"
        elif completed > AS_OF:
            status = rng.choice(("dispatched", "appointed", "on_site", "deferred"))
        orders.append(
            Order(
                id=i,
                kind=kind,
                district=district + 1,
                team=team + 1,
                tech=tech + 1,
                account=rng.randrange(accounts) + 1,
                created=created,
                # a cancelled order was cancelled 10 minutes after creation, before any dispatch
                dispatched=dispatched if dispatched <= AS_OF and status != "cancelled" else None,
                contacted=contacted if contacted <= AS_OF and status != "cancelled" else None,
                arrived=arrived if arrived <= AS_OF and status != "cancelled" else None,
                completed=completed if status in ("closed", "completed") else None,
                status=status,
            )
        )
    return orders


def business(seconds: int) -> int:
    """Counted time ≈ half the wall-clock span (08:00–20:00 of 24 h); the engine is not under test here."""
    return seconds // 2


def clocks_of(o: Order) -> Iterator[tuple[str, int, int | None, int]]:
    """(kind, start, stop, elapsed) of each clock the order has."""
    stop_of = o.created + 600 if o.status == "cancelled" else o.completed  # cancelling stops the clocks
    if o.kind == "install":
        yield "install_completion", o.created, stop_of, business((stop_of or AS_OF) - o.created)
        if o.arrived is not None:
            yield "onsite", o.arrived, stop_of, business((stop_of or AS_OF) - o.arrived)
    if o.kind == "repair":
        yield "repair_completion", o.created, stop_of, business((stop_of or AS_OF) - o.created)
    if o.dispatched is not None:
        stop = o.contacted
        yield "contact", o.dispatched, stop, business((stop or AS_OF) - o.dispatched)


def copy_lines(conn: psycopg.Connection[Any], table: str, columns: str, lines: Iterable[str]) -> int:
    count = 0
    with conn.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        chunk: list[str] = []
        for line in lines:
            chunk.append(line)
            count += 1
            if len(chunk) >= 20_000:
                copy.write("".join(chunk))
                chunk.clear()
        if chunk:
            copy.write("".join(chunk))
    return count


def load(
    conn: psycopg.Connection[Any], orders: list[Order], accounts: int, rng: random.Random
) -> dict[str, float]:
    now = ts(AS_OF)
    figures: dict[str, float] = {}
    copy_lines(
        conn,
        "district",
        "id, name, mobile_team_threshold, emergency_team_threshold, created_at",
        (
            f"{d}\tdistrict-{d}\t{2_000 + 100 * d}\t{3_000 + 100 * d}\t{now}\n"
            for d in range(1, DISTRICTS + 1)
        ),
    )
    teams = DISTRICTS * TEAMS_PER_DISTRICT
    copy_lines(
        conn,
        "team",
        "id, name, district_id, created_at",
        (f"{t}\tteam-{t}\t{(t - 1) // TEAMS_PER_DISTRICT + 1}\t{now}\n" for t in range(1, teams + 1)),
    )
    copy_lines(
        conn,
        "technician",
        "id, name, code, team_id, district_id, active, created_at",
        (
            f"{x}\ttech-{x}\tT{x}\t{(x - 1) // TECHS_PER_TEAM + 1}"
            f"\t{(x - 1) // (TECHS_PER_TEAM * TEAMS_PER_DISTRICT) + 1}"
            f"\tt\t{now}\n"
            for x in range(1, teams * TECHS_PER_TEAM + 1)
        ),
    )
    copy_lines(
        conn,
        "account",
        "id, account_no, district_id, address, created_at",
        (f"{a}\tA{a:08d}\t{(a % DISTRICTS) + 1}\taddr\t{now}\n" for a in range(1, accounts + 1)),
    )
    copy_lines(
        conn,
        "sla_policy",
        "id, key, version, kind, target_s, effective_from, created_at",
        (f"{i}\tseed.{k}\t1\t{k}\t{TARGETS[k]}\t{ts(START)}\t{now}\n" for i, k in enumerate(CLOCK_KINDS, 1)),
    )
    started = time.perf_counter()
    copy_lines(
        conn,
        "work_order",
        (
            "id, no, type, account_id, district_id, address, status, created_at, updated_at, reported_at, "
            "dispatched_at, first_contact_at, arrived_at, first_completed_at, completed_at, closed_at, "
            "cancelled_at, reopen_count, technician_id, team_id, is_repeat, penalty_exempt, penalty_days, "
            "penalty_amount, last_seq"
        ),
        (
            f"{o.id}\tWO{o.id}\t{o.kind}\t{o.account}\t{o.district}\taddr\t{o.status}\t{ts(o.created)}\t{now}\t"
            f"{opt(o.created if o.kind == 'repair' else None)}\t{opt(o.dispatched)}\t{opt(o.contacted)}\t"
            f"{opt(o.arrived)}\t{opt(o.completed)}\t{opt(o.completed)}\t"
            f"{opt(o.completed if o.status == 'closed' else None)}\t"
            f"{opt(o.created + 600 if o.status == 'cancelled' else None)}\t0\t{o.tech}\t{o.team}\tf\t"
            f"{'t' if o.kind == 'repair' and o.id % 50 == 0 else 'f'}\t{penalty(o)[0]}\t{penalty(o)[1]}\t6\n"
            for o in orders
        ),
    )
    figures["orders_s"] = time.perf_counter() - started

    def events() -> Iterator[str]:
        for o in orders:
            steps = [("create", o.created, r"\N", "created")]
            if o.dispatched is not None:
                steps.append(("dispatch", o.dispatched, "created", "dispatched"))
            if o.contacted is not None:
                steps.append(("contact", o.contacted, "dispatched", "appointed"))
            if o.arrived is not None:
                steps.append(("arrive", o.arrived, "appointed", "on_site"))
            if o.completed is not None:
                steps.append(("complete", o.completed, "on_site", "completed"))
                if o.status == "closed":
                    steps.append(("close", o.completed + 86_400, "completed", "closed"))
            if o.status == "cancelled":
                steps.append(("cancel", o.created + 600, steps[-1][3], "cancelled"))
            for seq, (kind, at, source, target) in enumerate(steps, 1):
                yield f"{o.id}\t{seq}\t{ts(at)}\t{ts(at)}\t{kind}\t{source}\t{target}\tapi\t{{}}\n"

    started = time.perf_counter()
    events_loaded = copy_lines(
        conn,
        "order_event",
        "order_id, seq, at, recorded_at, type, from_status, to_status, source, payload",
        events(),
    )
    figures["events"] = events_loaded
    figures["events_s"] = time.perf_counter() - started

    def clocks() -> Iterator[str]:
        policy = {k: i for i, k in enumerate(CLOCK_KINDS, 1)}
        for o in orders:
            for kind, start, stop, elapsed in clocks_of(o):
                target = TARGETS[kind]
                breached = elapsed > target
                yield (
                    f"{o.id}\t{kind}\t{policy[kind]}\tseed.{kind}\t1\tdefault\t1\t{target}\t{ts(start)}\t"
                    f"{opt(stop)}\t{ts(start + 2 * target)}\t{elapsed}\t{'t' if breached else 'f'}\t"
                    f"{max(0, elapsed - target)}\t0\t{'f' if stop else 't'}\t"
                    f"{'t' if o.status == 'deferred' else 'f'}\t{now}\n"
                )

    started = time.perf_counter()
    figures["clocks"] = copy_lines(
        conn,
        "sla_clock",
        (
            "order_id, kind, policy_id, policy_key, policy_version, calendar_name, calendar_version, "
            "target_s, start_at, stop_at, due_at, elapsed_business_s, breached, overdue_s, "
            "overdue_natural_s, running, paused, evaluated_at"
        ),
        clocks(),
    )

    def appointments() -> Iterator[str]:
        for o in orders:
            if o.contacted is None or o.status == "cancelled":
                continue
            slot = o.contacted + 7_200
            arrived = o.arrived if o.arrived is not None else None
            if arrived is not None:
                arrived = slot + (o.id * 37 % 1_500) - 600
            status = "attended" if arrived is not None else "confirmed"
            yield f"{o.id}\t{ts(slot)}\t{status}\t{opt(arrived)}\t{now}\t{now}\n"

    copy_lines(
        conn,
        "appointment",
        "order_id, slot_start, status, arrived_at, created_at, updated_at",
        appointments(),
    )

    def callbacks() -> Iterator[str]:
        for o in orders:
            if o.completed is not None and o.id % 10 != 0:
                reached = o.id % 7 != 0
                satisfied = "t" if reached and o.id % 11 != 0 else ("f" if reached else r"\N")
                stars = str(o.id % 5 + 1) if reached else r"\N"
                yield f"{o.id}\t{ts(o.completed + 3_600)}\t{'t' if reached else 'f'}\t{satisfied}\t{stars}\n"

    copy_lines(conn, "callback", "order_id, at, reached, satisfied, stars", callbacks())
    copy_lines(
        conn,
        "urge",
        "order_id, at, channel",
        (f"{o.id}\t{ts(o.created + 7_200)}\tphone\n" for o in orders if o.id % 13 == 0),
    )
    complaints = [
        (rng.randrange(accounts) + 1, START + rng.randrange(END - START), rng.randrange(len(orders)) + 1)
        for _ in range(len(orders) // 20)
    ]
    copy_lines(
        conn,
        "complaint",
        "account_id, district_id, at, category, order_id",
        (
            f"{a}\t{(a % DISTRICTS) + 1}\t{ts(at)}\tslow\t{oid if oid % 3 == 0 else chr(92) + 'N'}\n"
            for a, at, oid in complaints
        ),
    )
    copy_lines(
        conn,
        "billed_customers_monthly",
        "month, district_id, count",
        (f"{MONTH.isoformat()}\t{d}\t{accounts // DISTRICTS + 5_000}\n" for d in range(1, DISTRICTS + 1)),
    )
    conn.commit()
    with conn.cursor() as cursor:
        cursor.execute("ANALYZE")
    conn.commit()
    return figures


def penalty(o: Order) -> tuple[int, int]:
    if o.kind != "repair" or o.completed is None:
        return 0, 0
    overdue = business(o.completed - o.created) - TARGETS["repair_completion"]
    days = overdue // 86_400 if overdue >= 86_400 else 0
    return days, 0 if o.id % 50 == 0 else 20 * days


# ---- the Python baseline: fetch the rows, compute the same figures ------------------------------------


def python_metrics(
    conn: psycopg.Connection[Any], groupings: list[str]
) -> tuple[float, dict[str, dict[Any, dict[str, int]]], dict[str, float]]:
    start_dt, end_dt = month_bounds(MONTH, "Asia/Shanghai")
    as_of = datetime.fromtimestamp(AS_OF, UTC)
    t0 = time.perf_counter()
    with conn.cursor() as cursor:
        orders = cursor.execute(
            "SELECT id, type, status, account_id, district_id, team_id, technician_id, created_at, "
            "reported_at, dispatched_at, completed_at, reopen_count, penalty_days, penalty_amount, "
            "penalty_exempt FROM work_order"
        ).fetchall()
        clocks = cursor.execute(
            "SELECT order_id, kind, breached, paused, due_at, stop_at, elapsed_business_s FROM sla_clock"
        ).fetchall()
        urged = {row[0] for row in cursor.execute("SELECT order_id FROM urge")}
        callbacks = cursor.execute("SELECT order_id, reached, satisfied, stars FROM callback").fetchall()
        visits = cursor.execute("SELECT order_id, status, slot_start, arrived_at FROM appointment").fetchall()
        complaints = cursor.execute("SELECT account_id, district_id, at, order_id FROM complaint").fetchall()
        billed = cursor.execute(
            "SELECT district_id, count FROM billed_customers_monthly WHERE month = %s", (MONTH,)
        ).fetchall()
    fetch_s = time.perf_counter() - t0
    compute: dict[str, float] = {}
    results: dict[str, dict[Any, dict[str, int]]] = {}
    for grouping in groupings:
        t1 = time.perf_counter()
        results[grouping] = _compute(
            grouping, orders, clocks, urged, callbacks, visits, complaints, billed, start_dt, end_dt, as_of
        )
        compute[grouping] = time.perf_counter() - t1
    return fetch_s, results, compute


def _compute(
    grouping: str,
    orders: list[Any],
    clocks: list[Any],
    urged: set[int],
    callbacks: list[Any],
    visits: list[Any],
    complaints: list[Any],
    billed: list[Any],
    start: datetime,
    end: datetime,
    as_of: datetime,
) -> dict[Any, dict[str, int]]:
    column = {"district": 4, "team": 5, "technician": 6}[grouping]
    clock = {(row[0], row[1]): row for row in clocks}
    by_id = {row[0]: row for row in orders}
    out: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    repairs_done: dict[int, list[datetime]] = defaultdict(list)
    for o in orders:
        if o[1] == "repair" and o[2] != "cancelled" and o[10] is not None:
            repairs_done[o[3]].append(o[10])
    for values in repairs_done.values():
        values.sort()
    for o in orders:
        oid, kind, status = o[0], o[1], o[2]
        if status == "cancelled":
            continue
        g = out[o[column]]
        done = status in ("completed", "closed") and o[10] is not None and start <= o[10] < end
        if done and kind == "install":
            g["installs_completed"] += 1
            c = clock.get((oid, "install_completion"))
            g["installs_on_time"] += bool(c and not c[2])
            c = clock.get((oid, "onsite"))
            g["onsite_compliant"] += bool(c and not c[2])
        if done and kind == "repair":
            g["repairs_completed"] += 1
            c = clock.get((oid, "repair_completion"))
            g["repairs_on_time"] += bool(c and not c[2])
            g["penalty_days"] += o[12]
            g["penalty_amount"] += o[13]
        if done and kind != "move":
            g["completed"] += 1
        if o[9] is not None and start <= o[9] < end:
            g["dispatched"] += 1
            c = clock.get((oid, "contact"))
            g["contacted_on_time"] += bool(c and c[5] is not None and not c[2])
        if kind == "repair" and o[8] is not None and start <= o[8] < end:
            g["repairs_reported"] += 1
            # Earlier completions of the same account in [reported − 30 days, reported); the order's own
            # completion is never before its report, so it cannot be among them.
            times = repairs_done.get(o[3], [])
            low = bisect.bisect_left(times, o[8] - WINDOW)
            g["repeat_repairs"] += bisect.bisect_left(times, o[8]) > low
        if kind in ("install", "repair") and start <= o[7] < end:
            g[f"{kind}s_created"] += 1
            g[f"{kind}s_urged"] += oid in urged
        if status in OPEN_STATUSES and o[7] <= as_of:
            if status == "deferred":
                g["backlog_deferred"] += 1
            else:
                g["backlog"] += 1
    for order_id, reached, satisfied, stars in callbacks:
        o = by_id[order_id]
        if o[2] in ("completed", "closed") and o[10] is not None and start <= o[10] < end and reached:
            g = out[o[column]]
            g["callbacks_reached"] += 1
            g["satisfied"] += bool(satisfied)
            g["stars_sum"] += stars or 0
    called = {cb[0] for cb in callbacks}
    for o in orders:
        if o[2] in ("completed", "closed") and o[10] is not None and start <= o[10] < end and o[0] in called:
            out[o[column]]["called_back"] += 1
    for order_id, status, slot, arrived in visits:
        o = by_id[order_id]
        if o[2] != "cancelled" and status in ("confirmed", "attended", "missed") and start <= slot < end:
            g = out[o[column]]
            g["visits"] += 1
            g["visits_on_time"] += arrived is not None and abs((arrived - slot).total_seconds()) <= 600
    accounts: dict[Any, set[int]] = defaultdict(set)
    for account, district, at, order_id in complaints:
        if start <= at < end:
            if grouping == "district":
                accounts[district].add(account)
            elif order_id is not None and by_id[order_id][2] != "cancelled":
                accounts[by_id[order_id][column]].add(account)
    for key, members in accounts.items():
        out[key]["complaining_accounts"] = len(members)
    if grouping == "district":
        for district, count in billed:
            out[district]["billed_customers"] = count
    return out


CHECKED = (
    "installs_completed",
    "installs_on_time",
    "onsite_compliant",
    "repairs_completed",
    "repairs_on_time",
    "penalty_days",
    "penalty_amount",
    "completed",
    "called_back",
    "dispatched",
    "contacted_on_time",
    "repairs_reported",
    "repeat_repairs",
    "installs_created",
    "installs_urged",
    "repairs_created",
    "repairs_urged",
    "callbacks_reached",
    "satisfied",
    "stars_sum",
    "visits",
    "visits_on_time",
    "complaining_accounts",
    "backlog",
    "backlog_deferred",
)


def compare(sql_rows: list[MetricsRow], python: dict[Any, dict[str, int]]) -> list[str]:
    problems = []
    for row in sql_rows:
        expected = python.get(row.group_id, {})
        for name in CHECKED:
            if getattr(row, name) != expected.get(name, 0):
                problems.append(
                    f"group {row.group_id} {name}: sql {getattr(row, name)} python {expected.get(name, 0)}"
                )
    return problems


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def sweep_bench(engine: Any, sample: int) -> None:
    """Section 4: the batched clock sweep vs the per-order loop it replaced.

    Each pass runs one hour after the previous one, so every pass rewrites every running clock (at one
    instant a second pass would find nothing to change). Loop, sweep, loop: the baseline is the faster
    of the two loops, so the sweep gets no advantage from a warm cache.
    """
    from sqlmodel import col, select

    from ponaccept.db.models import SlaClock, WorkOrder
    from ponaccept.db.repositories.orders import (
        facts_from_row,
        order_pauses,
        recompute_open_orders,
        refresh_clocks,
    )
    from ponaccept.domain.errors import DomainError

    start = datetime.fromtimestamp(AS_OF, UTC)
    with Session(engine) as session:
        ids = session.exec(
            select(SlaClock.order_id).where(col(SlaClock.running).is_(True)).distinct().order_by("order_id")
        ).all()
    sampled = ids[:sample]

    def loop(now: datetime) -> tuple[float, int]:
        skipped = 0
        with Session(engine) as session:
            started = time.perf_counter()
            for order_id in sampled:  # the loop recompute_open_orders used to be
                order = session.get(WorkOrder, order_id)
                assert order is not None and order.id is not None
                facts = facts_from_row(order, order_pauses(session, order.id))
                try:
                    refresh_clocks(session, order, facts, now)
                except DomainError:  # rows the domain refuses are skipped, as the sweep does
                    skipped += 1
                    session.expire_all()
            session.commit()
            return len(sampled) / (time.perf_counter() - started), skipped

    first_rate, loop_skipped = loop(start)
    with Session(engine) as session:
        sweep_s, touched = timed(
            lambda: recompute_open_orders(session, start + timedelta(hours=1), commit=True)
        )
    second_rate, _ = loop(start + timedelta(hours=2))
    loop_rate, sweep_rate = max(first_rate, second_rate), touched / sweep_s
    print()
    print(f"clock sweep over {len(ids):,} orders with running clocks (passes one hour apart):")
    print(
        f"  per-order loop on the first {len(sampled):,}: {first_rate:,.0f} then {second_rate:,.0f} orders/s"
    )
    print(f"  batched sweep on all {touched:,} (500 per transaction): {sweep_s:.1f} s", end=" ")
    print(f"= {sweep_rate:,.0f} orders/s")
    print(f"  ratio to the faster loop {sweep_rate / loop_rate:.1f}×")
    print(f"  skipped as unevaluable: {len(ids) - touched:,} by the sweep, {loop_skipped:,} by the loop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=400_000)
    parser.add_argument("--sweep-sample", type=int, default=2_000)
    args = parser.parse_args()
    base = os.environ.get("PONACCEPT_BENCH_POSTGRES_URL", DEFAULT_URL)
    schema = f"bench_orders_{secrets.token_hex(4)}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        upgrade_engine(engine, "head")
        rng = random.Random(20261122)
        gen_s, orders = timed(lambda: generate(args.orders, args.accounts, rng))
        print(f"generated {len(orders):,} orders in {gen_s:.1f} s")
        dsn = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(dsn, options=f"-csearch_path={schema}") as conn:
            started = time.perf_counter()
            figures = load(conn, orders, args.accounts, rng)
            load_s = time.perf_counter() - started
            print(f"loaded everything in {load_s:.1f} s (COPY, indexes in place)")
            print(
                f"  work_order: {len(orders):,} rows in {figures['orders_s']:.1f} s "
                f"({len(orders) / figures['orders_s']:,.0f} rows/s)"
            )
            print(
                f"  order_event: {figures['events']:,.0f} events in {figures['events_s']:.1f} s "
                f"→ ingest rate {figures['events'] / figures['events_s']:,.0f} events/s"
            )
            print(f"  sla_clock: {figures['clocks']:,.0f} clock snapshots")
            groupings = [Grouping.DISTRICT, Grouping.TEAM, Grouping.TECHNICIAN]
            sql_times: dict[str, float] = {}
            reports = {}
            with Session(engine) as session:
                for grouping in groupings:
                    query = MetricsQuery(
                        month=MONTH, grouping=grouping, as_of=datetime.fromtimestamp(AS_OF, UTC)
                    )
                    compute_metrics(session, query)  # warm the cache: both sides then read from memory
                    sql_times[grouping.value], reports[grouping.value] = timed(
                        lambda q=query: compute_metrics(session, q)
                    )
            fetch_s, python, compute = python_metrics(conn, [g.value for g in groupings])
        print(f"\nmonthly metrics for {MONTH:%Y-%m} (SQL, every formula incl. totals and alerts):")
        print(f"  Python baseline fetch of the needed rows: {fetch_s:.2f} s (shared by the groupings)")
        for grouping in groupings:
            key = grouping.value
            python_s = fetch_s + compute[key]
            problems = compare(reports[key].rows, python[key])
            status = "same figures" if not problems else f"{len(problems)} DIFFERENCES: {problems[:3]}"
            print(
                f"  by {key:<10}: SQL {sql_times[key]:.2f} s ({len(reports[key].rows)} groups) | "
                f"Python fetch+compute {python_s:.2f} s (compute {compute[key]:.2f} s) | "
                f"ratio {python_s / sql_times[key]:.1f}× | {status}"
            )
        sweep_bench(engine, args.sweep_sample)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        print(f"\nschema {schema} dropped")


if __name__ == "__main__":
    main()
