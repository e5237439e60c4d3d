"""Entry point of the ``ponaccept`` console script.

Each command group lives in its own module and is registered here, so that commands for a new
capability are added without touching the others.
"""

from __future__ import annotations

import typer

from ponaccept.cli import apikey as apikey_commands
from ponaccept.cli import db as db_commands
from ponaccept.cli import onu as onu_commands
from ponaccept.cli import optics as optics_commands
from ponaccept.cli import orders as orders_commands
from ponaccept.cli import reconcile as reconcile_commands
from ponaccept.cli import serve as serve_commands
from ponaccept.cli import sim as sim_commands

app = typer.Typer(
    name="ponaccept",
    help="Acceptance testing (挂测) of FTTH/GPON construction against OLTs, and work-order tracking.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db_commands.app, name="db")
app.add_typer(apikey_commands.app, name="apikey")
app.add_typer(sim_commands.app, name="sim")
app.add_typer(onu_commands.app, name="onu")
app.add_typer(optics_commands.app, name="optics")
app.add_typer(orders_commands.app, name="orders")
app.command("reconcile")(reconcile_commands.reconcile)
app.command("serve")(serve_commands.serve)


if __name__ == "__main__":
    app()
