"""``ponaccept sim``: run the simulated PON lab (see ponaccept.sim and docs/simulator.md)."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="Simulated PON lab: SSH/SNMP OLTs backed by one physics model.", no_args_is_help=True)


def _summary(lab: object) -> Table:
    from ponaccept.sim.lab import Lab
    from ponaccept.sim.topology import fsp_str

    assert isinstance(lab, Lab)
    table = Table(title="Simulated OLTs (127.0.0.1)")
    for col in ("OLT", "vendor", "prompt", "SSH", "SNMP", "PON ports", "ONUs up/cfg"):
        table.add_column(col)
    eps = lab.endpoints()
    for spec in lab.topology.olts:
        views = lab.model.ont_views(spec.name)
        online = sum(1 for v in views if v.online)
        table.add_row(
            spec.name,
            spec.vendor,
            spec.hostname,
            str(eps[spec.name]["ssh_port"]),
            str(eps[spec.name]["snmp_port"]),
            ", ".join(fsp_str(p.key) for p in spec.pon_ports),
            f"{online}/{len(views)}",
        )
    return table


@app.command("run")
def run(
    topology: Path = typer.Option(Path("inventories/lab/topology.yaml"), help="Topology YAML of the lab."),
    endpoints: Path | None = typer.Option(None, help="Write {olt: {vendor, host, ssh_port, …}} JSON here."),
    control_port: int = typer.Option(0, help="HTTP control endpoint port on 127.0.0.1 (0 = a free port)."),
    free_ports: bool = typer.Option(False, help="Ignore the topology's fixed ports and pick free ones."),
) -> None:
    """Start the lab in the foreground until Ctrl-C / SIGTERM."""
    from ponaccept.sim.lab import Lab

    console = Console()

    async def main() -> None:
        lab = Lab(topology, control_port=control_port, free_ports=free_ports)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with lab:
            console.print(_summary(lab))
            console.print(f"control endpoint: {lab.control_url}  (GET /state, POST /olts/<olt>/plug, …)")
            if endpoints is not None:
                lab.write_endpoints(endpoints)
                console.print(f"endpoints written to {endpoints} (lab-only credentials)")
            console.print("running — Ctrl-C to stop")
            await stop.wait()
        console.print("lab stopped")

    try:
        asyncio.run(main())
    except OSError as e:  # a fixed port of the topology is taken (another lab running?)
        console.print(f"[red]cannot start the lab: {e}[/red] (try --free-ports)")
        raise typer.Exit(1) from e
