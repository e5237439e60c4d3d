"""``ponaccept onu activate|revoke``: provision or remove test ONUs on OLTs from the terminal."""

from __future__ import annotations

import csv
import secrets
from pathlib import Path

import typer
from rich.table import Table

from ponaccept.cli.common import (
    DryRunOption,
    ExitCode,
    InventoryOption,
    JsonOption,
    exit_for,
    fail,
    nornir_for,
    olt_progress,
    out,
    print_json,
)
from ponaccept.config import get_settings
from ponaccept.domain.credentials import generate_onu_password
from ponaccept.domain.errors import DomainError
from ponaccept.domain.naming import NamingContext, NamingRule
from ponaccept.drivers.base import PonPort
from ponaccept.netops.operations import OnuOutcome, OnuTarget
from ponaccept.netops.tasks import JobContext, run_onu_action

app = typer.Typer(help="Provision (activate) and remove (revoke) temporary test ONUs.", no_args_is_help=True)

_BATCH_COLUMNS = ("olt", "port", "splitter", "splitter_port", "svlan", "cvlan")


def _port(text: str) -> PonPort:
    try:
        return PonPort.parse(text)
    except ValueError:
        fail(f"--port: {text!r} is not frame/slot/port like 0/1/0", ExitCode.USAGE)


def _name(olt: str, port: PonPort, splitter: str, splitter_port: int) -> str:
    rule = NamingRule(get_settings().onu_name_template)
    return rule.render(NamingContext(olt, port.frame, port.slot, port.port, splitter, splitter_port))


def _target(row: dict[str, str], *, where: str, need_vlans: bool) -> OnuTarget:
    """One target from CLI options or a batch row; any unsafe text is rejected before connecting."""
    try:
        port = _port(row["port"])
        name = row.get("name") or _name(row["olt"], port, row["splitter"], int(row["splitter_port"]))
        password = row.get("password") or generate_onu_password(secrets.SystemRandom())
        return OnuTarget(
            olt=row["olt"],
            port=port,
            onu_name=name,
            password=password,
            svlan=int(row["svlan"]) if need_vlans else 1,
            cvlan=int(row["cvlan"]) if need_vlans else 1,
            ont_id=int(row["ont_id"]) if row.get("ont_id") else None,
        )
    except DomainError as exc:
        fail(f"{where}: {exc}", ExitCode.USAGE)
    except (KeyError, ValueError) as exc:
        fail(f"{where}: missing or invalid value ({exc})", ExitCode.USAGE)


def _batch(path: Path, need_vlans: bool) -> list[OnuTarget]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        fail(f"--batch: cannot read {path}: {exc.strerror}", ExitCode.USAGE)
    required = _BATCH_COLUMNS if need_vlans else ("olt", "port")
    if not rows:
        fail(f"--batch: {path} has no rows", ExitCode.USAGE)
    missing = [c for c in required if c not in rows[0]]
    if missing:
        fail(f"--batch: {path} lacks column(s) {', '.join(missing)}", ExitCode.USAGE)
    return [_target(row, where=f"{path} line {i + 2}", need_vlans=need_vlans) for i, row in enumerate(rows)]


def _report(outcomes: list[OnuOutcome], targets: list[OnuTarget], as_json: bool, show_plan: bool) -> None:
    passwords = {(t.olt, t.onu_name): t.password for t in targets}
    if as_json:
        print_json(
            [
                {
                    **o.__dict__,
                    "password": passwords.get((o.olt, o.onu_name)) if o.action == "activate" else None,
                }
                for o in outcomes
            ]
        )
    else:
        table = Table(title=f"test ONU {outcomes[0].action if outcomes else ''}")
        for column in ("OLT", "PON port", "ONU name", "ONT-ID", "password", "status", "detail"):
            table.add_column(column)
        for o in outcomes:
            style = "green" if o.ok else "red"
            shown_pw = passwords.get((o.olt, o.onu_name), "") if o.action == "activate" else ""
            table.add_row(
                o.olt,
                o.fsp,
                o.onu_name,
                "" if o.ont_id is None else str(o.ont_id),
                shown_pw,
                f"[{style}]{o.status.value}[/{style}]",
                o.message,
            )
        out.print(table)
        if show_plan:
            for o in outcomes:
                out.print(f"[bold]{o.olt} {o.fsp} {o.onu_name}[/bold] plan:")
                for command in o.commands:
                    out.print(f"  {command}", highlight=False)
    ok = sum(1 for o in outcomes if o.ok)
    raise typer.Exit(int(exit_for(ok, len(outcomes) - ok)))


def _run(action: str, targets: list[OnuTarget], inventory: Path, dry_run: bool, as_json: bool) -> None:
    olts = sorted({t.olt for t in targets})
    nr = nornir_for(inventory, olts, [])
    with olt_progress(len(olts), f"{action} on {len(olts)} OLTs", not as_json) as advance:
        outcomes = run_onu_action(nr, targets, action, JobContext(on_olt_done=advance), dry_run=dry_run)
    _report(outcomes, targets, as_json, show_plan=dry_run)


@app.command()
def activate(
    olt: str = typer.Option(None, "--olt", help="OLT name in the inventory."),
    port: str = typer.Option(None, "--port", help="PON port frame/slot/port, e.g. 0/1/0 (ZTE 1/2/1)."),
    splitter: str = typer.Option(None, "--splitter", help="Splitter code (CLI-safe) used in the ONU name."),
    splitter_port: int = typer.Option(None, "--splitter-port", min=1, help="Splitter port number."),
    svlan: int = typer.Option(None, "--svlan", min=1, max=4094, help="SVLAN of the PON port."),
    cvlan: int = typer.Option(None, "--cvlan", min=1, max=4094, help="Test CVLAN."),
    ont_id: int = typer.Option(None, "--ont-id", min=0, help="Explicit ONT-ID (default: highest free)."),
    password: str = typer.Option(None, "--password", help="ONU password (default: generated)."),
    batch: Path = typer.Option(
        None, "--batch", help=f"CSV with columns {','.join(_BATCH_COLUMNS)}[,ont_id]."
    ),
    inventory: Path = InventoryOption,
    dry_run: bool = DryRunOption,
    as_json: bool = JsonOption,
) -> None:
    """Provision a password-auth test ONU and its QinQ service-port (check → plan → apply → verify)."""
    if batch is not None:
        targets = _batch(batch, need_vlans=True)
    else:
        options = {
            "olt": olt,
            "port": port,
            "splitter": splitter,
            "splitter_port": splitter_port,
            "svlan": svlan,
            "cvlan": cvlan,
        }
        missing = [f"--{k.replace('_', '-')}" for k, v in options.items() if v is None]
        if missing:
            fail(f"missing option(s) {', '.join(missing)} (or give --batch FILE)", ExitCode.USAGE)
        row = {k: str(v) for k, v in options.items()}
        row |= {"ont_id": "" if ont_id is None else str(ont_id), "password": password or ""}
        targets = [_target(row, where="options", need_vlans=True)]
    _run("activate", targets, inventory, dry_run, as_json)


@app.command()
def revoke(
    olt: str = typer.Option(None, "--olt", help="OLT name in the inventory."),
    port: str = typer.Option(None, "--port", help="PON port frame/slot/port."),
    name: str = typer.Option(None, "--name", help="ONU name (or give --splitter and --splitter-port)."),
    splitter: str = typer.Option(None, "--splitter", help="Splitter code, to derive the ONU name."),
    splitter_port: int = typer.Option(None, "--splitter-port", min=1, help="Splitter port number."),
    batch: Path = typer.Option(
        None, "--batch", help="CSV with columns olt,port and name or splitter,splitter_port."
    ),
    inventory: Path = InventoryOption,
    dry_run: bool = DryRunOption,
    as_json: bool = JsonOption,
) -> None:
    """Remove a test ONU (service-ports first). Only an ONU with exactly this name is ever deleted."""
    if batch is not None:
        targets = _batch(batch, need_vlans=False)
    else:
        if olt is None or port is None or (name is None and (splitter is None or splitter_port is None)):
            fail("give --olt, --port and --name (or --splitter with --splitter-port)", ExitCode.USAGE)
        row = {
            "olt": olt,
            "port": port,
            "name": name or "",
            "splitter": splitter or "",
            "splitter_port": str(splitter_port or ""),
            "password": "x",
        }
        targets = [_target(row, where="options", need_vlans=False)]
    _run("revoke", targets, inventory, dry_run, as_json)
