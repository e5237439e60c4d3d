"""``ponaccept apikey``: create, list and revoke API keys.

The key is printed once, on stdout alone (so ``KEY=$(ponaccept apikey create ...)`` works); only its
hash is stored, so a lost key is revoked and replaced, never recovered.
"""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from ponaccept.config import get_settings
from ponaccept.db.engine import make_engine, session_scope
from ponaccept.db.migrate import upgrade_engine
from ponaccept.db.models import ApiKey, ApiRole

app = typer.Typer(help="API keys for the HTTP API (roles: resource_system, engineer, reviewer, admin).")
out = Console()
err = Console(stderr=True)

DatabaseOption = typer.Option(None, "--database-url", help="Override PONACCEPT_DATABASE_URL.")


def _engine(database_url: str | None) -> Engine:
    engine = make_engine(database_url or get_settings().database_url)
    upgrade_engine(engine, "head")  # a fresh install can create its first key before `serve`
    return engine


@app.command()
def create(
    role: ApiRole = typer.Option(..., "--role", help="resource_system | engineer | reviewer | admin"),
    name: str = typer.Option(..., "--name", help="Who uses the key, e.g. resource-system-prod."),
    database_url: str | None = DatabaseOption,
) -> None:
    """Create a key and print it ONCE."""
    from ponaccept.api.security import create_api_key

    if not name.strip() or len(name) > 100:
        err.print("[red]error:[/red] --name must be 1-100 characters")
        raise typer.Exit(2)
    engine = _engine(database_url)
    try:
        with session_scope(engine) as session:
            row, key = create_api_key(session, name=name.strip(), role=role)
            prefix = row.prefix
    finally:
        engine.dispose()
    err.print(f"created {role.value} key {prefix!r} for {name!r}; it is shown once, store it now:")
    print(key)


@app.command("list")
def list_keys(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    database_url: str | None = DatabaseOption,
) -> None:
    """Keys with prefix, name, role and state (never the key itself)."""
    engine = _engine(database_url)
    try:
        with session_scope(engine) as session:
            rows = session.exec(select(ApiKey).order_by(col(ApiKey.id))).all()
            listed = [
                {
                    "id": r.id,
                    "prefix": r.prefix,
                    "name": r.name,
                    "role": r.role.value,
                    "created_at": r.created_at.isoformat(),
                    "revoked_at": r.revoked_at.isoformat() if r.revoked_at else None,
                }
                for r in rows
            ]
    finally:
        engine.dispose()
    if as_json:
        print(json.dumps(listed, ensure_ascii=False))
        return
    table = Table("id", "prefix", "name", "role", "created", "state")
    for item in listed:
        state = f"revoked {item['revoked_at']}" if item["revoked_at"] else "active"
        table.add_row(
            str(item["id"]),
            str(item["prefix"]),
            str(item["name"]),
            str(item["role"]),
            str(item["created_at"]),
            state,
        )
    out.print(table)


@app.command()
def revoke(
    key: str = typer.Argument(..., help="The key's id or prefix (pak_xxxxxxxx) as shown by `list`."),
    database_url: str | None = DatabaseOption,
) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    from ponaccept.api.security import revoke_key

    engine = _engine(database_url)
    try:
        with session_scope(engine) as session:
            row = revoke_key(session, key)
            found = row is not None
    finally:
        engine.dispose()
    if not found:
        err.print(f"[red]error:[/red] no API key {key!r}")
        raise typer.Exit(1)
    err.print(f"revoked {key}")
