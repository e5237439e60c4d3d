"""``ponaccept orders import``: all-or-nothing CSV back-fill with row/column errors."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

from fixtures.db import build_olt_tree
from ponaccept.cli.main import app
from ponaccept.db.models import (
    Account,
    District,
    OrderEvent,
    SlaClock,
    SplitterPortStatus,
    Technician,
    WorkOrder,
)
from ponaccept.domain.orders import OrderStatus

runner = CliRunner()
HEADER = (
    "order_no,type,account_no,district,address,created_at,reported_at,fault_category,splitter_port_id,"
    "technician_code,dispatched_at,first_contact_at,arrived_at,completed_at,cancelled_at,cancel_reason,fault_cause"
)


def _seed(engine: Engine) -> list[int]:
    with Session(engine) as session:
        session.add(District(name="city"))
        session.add(Technician(code="E01", name="Li"))
        tree = build_olt_tree(session)
        for port in tree.ports:
            port.status = SplitterPortStatus.AVAILABLE
            session.add(port)
        session.commit()
        return [p.id for p in tree.ports if p.id is not None]


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _invoke(db_url: str, path: Path) -> tuple[int, str]:
    result = runner.invoke(app, ["orders", "import", str(path), "--database-url", db_url])
    return result.exit_code, result.stdout + result.stderr


def test_import_backfills_events_clocks_and_ports(engine: Engine, db_url: str, tmp_path: Path) -> None:
    ports = _seed(engine)
    path = _write(
        tmp_path,
        f"I-1,install,ACC-1,city,1 Road,2026-10-05T19:00+08:00,,,{ports[0]},E01,2026-10-05T19:10+08:00,"
        "2026-10-05T19:20+08:00,2026-10-06T09:00+08:00,2026-10-06T11:00+08:00,,,",
        "R-1,repair,ACC-1,city,1 Road,2026-10-07T21:00+08:00,2026-10-07T21:00+08:00,no_internet,,E01,"
        "2026-10-07T21:05+08:00,,,,,,olt",
        "C-1,install,ACC-2,city,2 Road,2026-10-05T10:00+08:00,,,,,,,,,2026-10-05T12:00+08:00,no coverage,",
    )
    code, output = _invoke(db_url, path)
    assert code == 0, output
    assert "imported 3 order(s)" in output
    with Session(engine) as session:
        orders = {o.no: o for o in session.exec(select(WorkOrder)).all()}
        assert orders["I-1"].status is OrderStatus.COMPLETED
        assert orders["R-1"].status is OrderStatus.DISPATCHED and orders["R-1"].penalty_exempt
        assert orders["C-1"].status is OrderStatus.CANCELLED and orders["C-1"].cancel_reason == "no coverage"
        account = session.exec(select(Account).where(Account.account_no == "ACC-1")).one()
        assert account.splitter_port_id == ports[0]
        assert orders["R-1"].splitter_port_id == ports[0]
        kinds = {
            c.kind.value for c in session.exec(select(SlaClock).where(SlaClock.order_id == orders["I-1"].id))
        }
        assert kinds == {"install_completion", "onsite", "contact"}
        sources = {e.source for e in session.exec(select(OrderEvent)).all()}
        assert sources == {"import"}


def test_validation_errors_name_row_and_column_and_import_nothing(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    ports = _seed(engine)
    path = _write(
        tmp_path,
        f"I-1,install,ACC-1,city,1 Road,2026-10-05T19:00+08:00,,,{ports[0]},,,,,,,,",
        "I-2,install,ACC-2,nowhere,1 Road,2026-10-05T19:00,,,,,,,,,,,",
        "I-3,install,ACC-3,city,1 Road,2026-10-05T19:00+08:00,,,,E01,2026-10-05T18:00+08:00,,,,,,",
        "I-4,repair,ACC-4,city,1 Road,2999-01-01T00:00+08:00,,,,,,,,,,,",
    )
    code, output = _invoke(db_url, path)
    assert code == 1
    for expected in (
        "row 3, column district: unknown district 'nowhere'",
        "row 3, column created_at: needs a UTC offset",
        "row 4, column dispatched_at: is before created_at",
        "row 5, column created_at: is in the future",
        "row 5, column reported_at: required for a repair",
    ):
        assert expected in output, output
    assert "nothing imported" in output
    with Session(engine) as session:
        assert session.exec(select(WorkOrder)).all() == []


def test_apply_error_rolls_back_every_row(engine: Engine, db_url: str, tmp_path: Path) -> None:
    ports = _seed(engine)
    path = _write(
        tmp_path,
        f"I-1,install,ACC-1,city,1 Road,2026-10-05T19:00+08:00,,,{ports[1]},,,,,,,,",
        f"I-2,install,ACC-2,city,2 Road,2026-10-05T19:30+08:00,,,{ports[1]},,,,,,,,",
    )
    code, output = _invoke(db_url, path)
    assert code == 1
    assert "row 3, column splitter_port_id: " in output and "reserved by open install order" in output
    with Session(engine) as session:
        assert session.exec(select(WorkOrder)).all() == []
        assert session.exec(select(Account)).all() == []


def test_bad_header_is_refused(engine: Engine, db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("order_no,type,colour\n1,install,red\n", encoding="utf-8")
    code, output = _invoke(db_url, path)
    assert code == 1
    assert "missing column account_no" in output and "unknown column colour" in output


def test_sweep_brings_an_imported_open_order_up_to_now(engine: Engine, db_url: str, tmp_path: Path) -> None:
    ports = _seed(engine)
    path = _write(tmp_path, f"I-9,install,ACC-9,city,1 Road,2026-10-05T19:00+08:00,,,{ports[0]},,,,,,,,")
    assert _invoke(db_url, path)[0] == 0
    with Session(engine) as session:  # make the snapshot stale, as if taken on the day of the order
        stale = session.exec(select(SlaClock)).one()
        stale.breached, stale.elapsed_business_s, stale.overdue_s = False, 3600.0, 0.0
        session.add(stale)
        session.commit()
    result = runner.invoke(app, ["orders", "sweep", "--database-url", db_url, "--batch-size", "1"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "1 order(s)" in result.stdout
    with Session(engine) as session:
        after = session.exec(select(SlaClock)).one()
        assert after.running and after.breached and after.elapsed_business_s > 72 * 3600
