"""The engineer CLI against the simulated lab: tables/JSON, exit codes, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fixtures.netops import lab_credential_env
from ponaccept.cli.main import app
from ponaccept.sim.lab import Lab

runner = CliRunner()


@pytest.fixture
def cli_env(fresh_lab: Lab, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Lab:
    for key, value in lab_credential_env(fresh_lab).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PONACCEPT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return fresh_lab


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_activate_json_then_optics_then_revoke(cli_env: Lab, lab_inventory: Path) -> None:
    base = ("--inventory", str(lab_inventory))
    code, output = invoke(
        "onu",
        "activate",
        *base,
        "--olt",
        "olt-hw-1",
        "--port",
        "0/1/0",
        "--splitter",
        "HW1-A-1x32",
        "--splitter-port",
        "13",
        "--svlan",
        "100",
        "--cvlan",
        "3900",
        "--json",
    )
    assert code == 0, output
    [row] = json.loads(output)
    assert row["status"] == "changed"
    assert row["onu_name"] == "T-olt-hw-1-0-1-0-HW1-A-1x32-13"
    assert len(row["password"]) == 10  # generated, shown once so the engineer can set the test ONU

    cli_env.plug("olt-hw-1", "HW1-A-1x32", 13, password=row["password"])
    code, output = invoke(
        "optics",
        "read",
        *base,
        "--olt",
        "olt-hw-1",
        "--port",
        "0/1/0",
        "--ont-id",
        str(row["ont_id"]),
        "--json",
    )
    assert code == 0, output
    [reading] = json.loads(output)
    assert reading["verdict"] == "pass"
    assert reading["down_att_db"] == pytest.approx(reading["olt_tx_dbm"] - reading["onu_rx_dbm"], abs=0.01)

    code, output = invoke(
        "onu",
        "revoke",
        *base,
        "--olt",
        "olt-hw-1",
        "--port",
        "0/1/0",
        "--splitter",
        "HW1-A-1x32",
        "--splitter-port",
        "13",
    )
    assert code == 0, output
    assert "changed" in output


def test_dry_run_prints_the_plan_with_the_password_masked(cli_env: Lab, lab_inventory: Path) -> None:
    code, output = invoke(
        "onu",
        "activate",
        "--inventory",
        str(lab_inventory),
        "--olt",
        "olt-zte-1",
        "--port",
        "1/2/1",
        "--splitter",
        "ZTE-A-1x32",
        "--splitter-port",
        "14",
        "--svlan",
        "300",
        "--cvlan",
        "3901",
        "--password",
        "Dry0000014",
        "--dry-run",
    )
    assert code == 0, output
    assert "onu " in output and "pw ******" in output
    assert "pw Dry0000014" not in output
    assert all(v.desc != "T-olt-zte-1-1-2-1-ZTE-A-1x32-14" for v in cli_env.model.ont_views("olt-zte-1"))


def test_optics_over_every_olt_reports_partial_failure_with_exit_3(cli_env: Lab, lab_inventory: Path) -> None:
    cli_env.set_faults("olt-hw-2", refuse_logins=True)
    code, output = invoke("optics", "read", "--inventory", str(lab_inventory), "--json")
    assert code == 3, output
    rows = json.loads(output)
    assert any(r.get("olt") == "olt-hw-2" and "cannot log in" in r["error"] for r in rows)
    assert any(r.get("olt") == "olt-hw-1" and "verdict" in r for r in rows)


@pytest.mark.parametrize("splitter", ['A"B', "A\nquit", "A;B"])
def test_injection_is_one_readable_line_and_exit_2(splitter: str, tmp_path: Path) -> None:
    # The inventory does not even exist: validation must fail before anything is loaded or dialled.
    code, output = invoke(
        "onu",
        "activate",
        "--inventory",
        str(tmp_path / "none"),
        "--olt",
        "o",
        "--port",
        "0/1/0",
        "--splitter",
        splitter,
        "--splitter-port",
        "1",
        "--svlan",
        "100",
        "--cvlan",
        "3000",
    )
    assert code == 2
    assert output.count("\n") == 1 and output.startswith("error: options:")


def test_reconcile_exit_codes_drift_then_fixed(cli_env: Lab, lab_inventory: Path, tmp_path: Path) -> None:
    base = ("--inventory", str(lab_inventory), "--olt", "olt-hw-1")
    code, _ = invoke(
        "onu",
        "activate",
        *base,
        "--port",
        "0/1/0",
        "--splitter",
        "HW1-A-1x32",
        "--splitter-port",
        "15",
        "--svlan",
        "100",
        "--cvlan",
        "3902",
    )
    assert code == 0
    expected = tmp_path / "expected.json"
    expected.write_text("{}", encoding="utf-8")
    code, output = invoke("reconcile", *base, "--expected", str(expected), "--json")
    assert code == 3, output
    [report] = json.loads(output)
    assert [o["name"] for o in report["orphans"]] == ["T-olt-hw-1-0-1-0-HW1-A-1x32-15"]
    code, output = invoke("reconcile", *base, "--expected", str(expected), "--fix")
    assert code == 0, output
    code, output = invoke("reconcile", *base, "--expected", str(expected))
    assert code == 0, output
    assert "in sync" in output


def test_missing_inventory_is_a_usage_error(tmp_path: Path) -> None:
    code, output = invoke("optics", "read", "--inventory", str(tmp_path))
    assert code == 2
    assert "no hosts.yaml" in output
