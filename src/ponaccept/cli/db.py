"""``ponaccept db``: database schema management (Alembic)."""

from __future__ import annotations

import typer
from rich.console import Console

from ponaccept.config import get_settings

app = typer.Typer(help="Database schema management.", no_args_is_help=True)
console = Console(stderr=True)


@app.command()
def upgrade(
    revision: str = typer.Argument("head", help="Target Alembic revision."),
    database_url: str | None = typer.Option(None, help="Override PONACCEPT_DATABASE_URL."),
) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    from ponaccept.db.migrate import upgrade as run_upgrade

    url = database_url or get_settings().database_url
    try:
        run_upgrade(url, revision)
    except Exception as exc:  # one readable line for the operator, non-zero exit
        console.print(f"[red]error:[/red] database upgrade failed: {exc}")
        raise typer.Exit(1) from exc
    console.print(f"database at revision {revision}: {_redact(url)}")


def _redact(url: str) -> str:
    """Hide a password in a database URL before printing it."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
