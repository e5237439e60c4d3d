"""``ponaccept orders metrics``, invoked through the real ``ponaccept`` command tree."""

from __future__ import annotations

import csv
import io
import json

from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from db.test_order_metrics import AS_OF, build_month
from ponaccept.cli.main import app

runner = CliRunner()


def invoke(db_url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["orders", "metrics", "--database-url", db_url, "--as-of", AS_OF.isoformat(), *args]
    )
    return result.exit_code, result.stdout, result.stderr


def test_table_json_and_csv(engine: Engine, db_url: str) -> None:
    with Session(engine) as session:
        month = build_month(session)
    code, stdout, _ = invoke(db_url, "--month", "2026-11")
    assert code == 0, stdout
    assert "城区A" in stdout and "Install timeliness" in stdout and "63.6%" in stdout
    assert "backlog alert" in stdout and "emergency_team" in stdout

    code, stdout, _ = invoke(db_url, "--month", "2026-11", "--group-by", "technician", "--json")
    assert code == 0
    body = json.loads(stdout)
    rows = {row["group_id"]: row for row in body["rows"]}
    assert rows[month.tech["t1"]]["installs_completed"] == 6

    code, stdout, _ = invoke(db_url, "--month", "2026-11", "--district", "县区B", "--csv", "--lang", "zh")
    assert code == 0
    table = list(csv.reader(io.StringIO(stdout)))
    assert table[0][:3] == ["分组编号", "分组", "装机竣工数"]
    assert [line[1] for line in table[1:]] == ["县区B", "(total)"]


def test_bad_month_and_unknown_district_exit_with_one_line(engine: Engine, db_url: str) -> None:
    with Session(engine) as session:
        build_month(session)
    code, _, stderr = invoke(db_url, "--month", "November")
    assert code == 2
    assert stderr.strip().splitlines() == ["error: month must look like 2026-11, got 'November'"]
    code, _, stderr = invoke(db_url, "--month", "2026-11", "--district", "nowhere")
    assert code == 2
    assert "unknown district 'nowhere'" in stderr
