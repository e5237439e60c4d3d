"""``ponaccept reconcile``: compare test ONUs on OLTs with the database, optionally remove orphans."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from ponaccept.cli.common import (
    ExitCode,
    GroupOption,
    InventoryOption,
    JsonOption,
    OltOption,
    exit_for,
    fail,
    nornir_for,
    olt_progress,
    out,
    print_json,
)
from ponaccept.config import get_settings
from ponaccept.domain.naming import NamingRule
from ponaccept.drivers.base import PonPort
from ponaccept.netops.tasks import JobContext, run_reconcile


def _expected_from_db(olts: list[str]) -> dict[str, dict[str, dict[str, int | None]]]:
    from sqlalchemy.exc import SQLAlchemyError

    from ponaccept.db.engine import make_engine, session_scope
    from ponaccept.db.repositories.activations import expected_test_onus

    try:
        with session_scope(make_engine(get_settings().database_url)) as session:
            return expected_test_onus(session, olts or None)
    except SQLAlchemyError as exc:
        fail(
            f"cannot read activations from the database: {exc.__class__.__name__}"
            " (run `ponaccept db upgrade`?)"
        )


def _expected_from_file(path: Path) -> dict[str, dict[str, dict[str, int | None]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        fail(f"--expected: cannot read {path}: {exc}", ExitCode.USAGE)
    if not isinstance(data, dict):
        fail("--expected: top level must map OLT names to {F/S/P: {onu_name: ont_id}}", ExitCode.USAGE)
    return data


def reconcile(
    fix: bool = typer.Option(False, "--fix", help="Remove orphaned test ONUs (service-ports first)."),
    expected: Path = typer.Option(
        None, "--expected", help="JSON {olt: {F/S/P: {onu_name: ont_id}}} instead of the database."
    ),
    prefix: str = typer.Option(
        None, "--prefix", help="Name prefix of test ONUs (default: the naming rule's)."
    ),
    inventory: Path = InventoryOption,
    olt: list[str] = OltOption,
    group: list[str] = GroupOption,
    as_json: bool = JsonOption,
) -> None:
    """Find test ONUs on the OLTs that the database does not know (orphans), and the reverse (missing)."""
    name_prefix = prefix if prefix is not None else NamingRule(get_settings().onu_name_template).prefix
    if not name_prefix:
        fail("the naming rule has no literal prefix; give --prefix so customer ONUs are never touched")
    nr = nornir_for(inventory, olt, group)
    wanted = _expected_from_file(expected) if expected else _expected_from_db(list(nr.inventory.hosts))
    ports = {
        name: [PonPort.parse(p) for p in (host.get("pon_ports", []) or [])]
        for name, host in nr.inventory.hosts.items()
    }
    wanted = {name: wanted.get(name, {}) for name in nr.inventory.hosts}
    with olt_progress(len(ports), f"reconciling {len(ports)} OLTs", not as_json) as advance:
        reports = run_reconcile(
            nr, ports, wanted, JobContext(on_olt_done=advance), prefix=name_prefix, fix=fix
        )
    if as_json:
        print_json(reports)
    else:
        table = Table(title=f"reconciliation (test ONUs named {name_prefix}…){' with --fix' if fix else ''}")
        for column in ("OLT", "finding", "PON port", "ONT-ID", "ONU name", "action"):
            table.add_column(column)
        for report in reports:
            if report.error:
                table.add_row(report.olt, "[red]error[/red]", "", "", "", report.error)
            for onu in report.orphans:
                action = "removed" if onu in report.removed else ("[red]removal failed[/red]" if fix else "—")
                table.add_row(report.olt, "orphan on OLT", onu.fsp, str(onu.ont_id), onu.name, action)
            for onu in report.missing:
                table.add_row(report.olt, "missing on OLT", onu.fsp, str(onu.ont_id or ""), onu.name, "—")
            for failure in report.failures:
                table.add_row(report.olt, "[red]failure[/red]", "", "", "", failure)
            if report.error is None and not report.orphans and not report.missing and not report.failures:
                table.add_row(report.olt, "[green]in sync[/green]", "", "", "", "")
        out.print(table)
    failed = sum(1 for r in reports if r.error or r.failures or (fix and not r.clean))
    findings = sum(1 for r in reports if r.orphans or r.missing)
    code = exit_for(len(reports) - failed, failed)
    if code is ExitCode.OK and findings and not fix:
        code = ExitCode.PARTIAL  # scripts can tell "in sync" from "drift found"
    raise typer.Exit(int(code))
