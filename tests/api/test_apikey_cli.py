"""``ponaccept apikey``: the key is printed once and works; list never shows it; revoke stops it."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ponaccept.api.app import create_app
from ponaccept.cli.main import app as cli
from ponaccept.config import Settings
from ponaccept.db.engine import make_engine


def test_create_list_revoke(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    runner = CliRunner()
    created = runner.invoke(
        cli, ["apikey", "create", "--role", "engineer", "--name", "field-team", "--database-url", url]
    )
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("pak_") and len(key) > 40

    listed = runner.invoke(cli, ["apikey", "list", "--json", "--database-url", url])
    assert listed.exit_code == 0
    rows = json.loads(listed.stdout)
    assert [(r["name"], r["role"], r["revoked_at"]) for r in rows] == [("field-team", "engineer", None)]
    assert key not in listed.stdout and rows[0]["prefix"] == key[:12]

    engine = make_engine(url)
    try:
        with TestClient(
            create_app(engine, settings=Settings(data_dir=tmp_path), lifespan_hooks=[])
        ) as client:
            headers = {"Authorization": f"Bearer {key}"}
            assert client.get("/api/v1/meta/whoami", headers=headers).json()["role"] == "engineer"
            revoked = runner.invoke(cli, ["apikey", "revoke", rows[0]["prefix"], "--database-url", url])
            assert revoked.exit_code == 0
            assert client.get("/api/v1/meta/whoami", headers=headers).status_code == 401
    finally:
        engine.dispose()
    missing = runner.invoke(cli, ["apikey", "revoke", "pak_nothere", "--database-url", url])
    assert missing.exit_code == 1


def test_unknown_role_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "apikey",
            "create",
            "--role",
            "root",
            "--name",
            "x",
            "--database-url",
            f"sqlite:///{tmp_path / 'k.db'}",
        ],
    )
    assert result.exit_code == 2
