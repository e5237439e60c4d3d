"""``ponaccept optics read``: the four powers, both attenuations and a verdict, per ONU."""

from __future__ import annotations

from pathlib import Path

import typer
from nornir.core import Nornir
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
from ponaccept.cli.snmp_optics import read_optics_snmp
from ponaccept.domain.optics import OpticalReadings, reading_dbm
from ponaccept.domain.thresholds import PRESETS, judge
from ponaccept.drivers.base import PonPort
from ponaccept.netops.tasks import JobContext, OpticsOutcome, OpticsRequest, run_read_optics

app = typer.Typer(help="Read optical power from OLTs (CLI or SNMP).", no_args_is_help=True)


def _requests(nr: Nornir, port: str | None, ont_id: int | None) -> list[OpticsRequest]:
    requests: list[OpticsRequest] = []
    for name, host in sorted(nr.inventory.hosts.items()):
        if port is not None:
            ports = [port]
        else:
            ports = list(host.get("pon_ports", []) or [])
            if not ports:
                fail(f"OLT {name} has no pon_ports in the inventory; give --port", ExitCode.USAGE)
        for fsp in ports:
            try:
                requests.append(OpticsRequest(name, PonPort.parse(fsp), ont_id))
            except ValueError:
                fail(f"--port: {fsp!r} is not frame/slot/port like 0/1/0", ExitCode.USAGE)
    return requests


def _fmt(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else "—"


def _rows(outcomes: list[OpticsOutcome], profile: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for outcome in outcomes:
        if outcome.error is not None:
            rows.append({"olt": outcome.olt, "port": outcome.fsp, "error": outcome.error})
            continue
        for ont_id, readings in sorted(outcome.readings.items()):
            assert isinstance(readings, OpticalReadings)
            verdict = judge(readings, PRESETS[profile])
            rows.append(
                {
                    "olt": outcome.olt,
                    "port": outcome.fsp,
                    "ont_id": ont_id,
                    "olt_tx_dbm": reading_dbm(readings.olt_tx),
                    "olt_rx_dbm": reading_dbm(readings.olt_rx),
                    "onu_tx_dbm": reading_dbm(readings.onu_tx),
                    "onu_rx_dbm": reading_dbm(readings.onu_rx),
                    "down_att_db": verdict.downstream_attenuation_db,
                    "up_att_db": verdict.upstream_attenuation_db,
                    "verdict": verdict.verdict.value,
                    "verdict_zh": verdict.verdict.label_zh,
                    "reasons": [r.message for r in verdict.reasons],
                    "profile": f"{verdict.profile_name} v{verdict.profile_version}",
                }
            )
    return rows


@app.command()
def read(
    port: str = typer.Option(
        None, "--port", help="One PON port (default: every pon_ports entry of each OLT)."
    ),
    ont_id: int = typer.Option(None, "--ont-id", min=0, help="One ONU (default: every ONU of the port)."),
    profile: str = typer.Option("construction", "--profile", help=f"Threshold preset: {', '.join(PRESETS)}."),
    method: str = typer.Option(
        "cli", "--method", help="cli (SSH, one command per PON port) or snmp (GETBULK)."
    ),
    inventory: Path = InventoryOption,
    olt: list[str] = OltOption,
    group: list[str] = GroupOption,
    as_json: bool = JsonOption,
) -> None:
    """Read OLT Tx/Rx and ONU Tx/Rx; print attenuations and the verdict against a threshold preset."""
    if profile not in PRESETS:
        fail(f"--profile: unknown preset {profile!r}; known: {', '.join(PRESETS)}", ExitCode.USAGE)
    if method not in ("cli", "snmp"):
        fail(f"--method: {method!r} is not cli or snmp", ExitCode.USAGE)
    nr = nornir_for(inventory, olt, group)
    requests = _requests(nr, port, ont_id)
    olts = sorted({r.olt for r in requests})
    if method == "snmp":
        outcomes = read_optics_snmp(nr, requests)
    else:
        with olt_progress(len(olts), f"reading optics on {len(olts)} OLTs", not as_json) as advance:
            outcomes = run_read_optics(nr, requests, JobContext(on_olt_done=advance))
    rows = _rows(outcomes, profile)
    if as_json:
        print_json(rows)
    else:
        table = Table(title=f"optical readings (dBm / dB), profile {profile}")
        headers = (
            "OLT",
            "port",
            "ONT",
            "OLT Tx",
            "OLT Rx",
            "ONU Tx",
            "ONU Rx",
            "down att",
            "up att",
            "verdict",
        )
        for header in headers:
            table.add_column(header, justify="right" if header not in ("OLT", "port", "verdict") else "left")
        for row in rows:
            if "error" in row:
                table.add_row(
                    str(row["olt"]),
                    str(row["port"]),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    f"[red]{row['error']}[/red]",
                )
                continue
            colour = {"pass": "green", "fail": "red"}.get(str(row["verdict"]), "yellow")
            table.add_row(
                str(row["olt"]),
                str(row["port"]),
                str(row["ont_id"]),
                *(
                    _fmt(row[k])
                    for k in (
                        "olt_tx_dbm",
                        "olt_rx_dbm",
                        "onu_tx_dbm",
                        "onu_rx_dbm",
                        "down_att_db",
                        "up_att_db",
                    )
                ),
                f"[{colour}]{row['verdict']} {row['verdict_zh']}[/{colour}]",
            )
        out.print(table)
    failures = sum(1 for o in outcomes if o.error is not None)
    raise typer.Exit(int(exit_for(len(outcomes) - failures, failures)))
