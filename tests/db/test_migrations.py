"""Migrations: apply on both backends, match the models exactly, are idempotent, reversible."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel
from typer.testing import CliRunner

from ponaccept.cli.main import app
from ponaccept.config import get_settings
from ponaccept.db import migrate
from ponaccept.db.engine import make_engine
from ponaccept.db.models import ACTIVE_ACTIVATION_STATUSES
from ponaccept.domain.choices import ActivationStatus

EXPECTED_TABLES = {
    "olt",
    "pon_port",
    "splitter",
    "splitter_port",
    "project",
    "threshold_profile",
    "activation",
    "line_test",
    "service_test",
    "command_log",
    "cvlan_pool",
    "cvlan_allocation",
}


def _newest_revision_file() -> str:
    """Revision ids are the file-name prefixes (0001, 0002, …): the newest file must be the single head."""
    versions = Path(migrate.__file__).parent / "migrations" / "versions"
    return max(path.name.split("_", 1)[0] for path in versions.glob("[0-9]*.py"))


def test_upgrade_creates_every_table_and_records_head(engine: Engine, db_url: str) -> None:
    assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    assert migrate.current(db_url) == migrate.head() == _newest_revision_file()


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_partial_unique_indexes_exist_with_predicate(engine: Engine) -> None:
    """The migrated predicate lists exactly the statuses the models call active."""
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("activation")}
    for name in (
        "uq_activation_active_splitter_port",
        "uq_activation_active_onu_name",
        "uq_activation_active_ont_id",
    ):
        assert indexes[name]["unique"]
        options = indexes[name].get("dialect_options", {})
        key = "postgresql_where" if "postgresql_where" in options else "sqlite_where"
        predicate = str(options[key])
        for status in ActivationStatus:
            assert (f"'{status.value}'" in predicate) == (status in ACTIVE_ACTIVATION_STATUSES), predicate


def test_upgrade_is_idempotent(engine: Engine, db_url: str) -> None:
    migrate.upgrade(db_url, "head")
    migrate.upgrade(db_url, "head")
    assert migrate.current(db_url) == migrate.head()


def test_0005_gives_existing_policies_the_penalty_rule_they_had(engine: Engine) -> None:
    migrate.downgrade_engine(engine, "0004")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sla_policy (created_at, key, version, kind, target_s, effective_from) "
                "VALUES (:at, 'seed.repair_completion', 1, 'repair_completion', 28800, :at)"
            ),
            {"at": "2026-01-01 00:00:00+00:00"},
        )
    migrate.upgrade_engine(engine, "head")
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT penalty_base, penalty_day_s, penalty_measure, penalty_rounding FROM sla_policy")
        ).one()
    assert tuple(row) == (20, 86400, "natural", "whole_days")


def test_downgrade_to_base_and_back(engine: Engine, db_url: str) -> None:
    migrate.downgrade_engine(engine, "base")
    assert not EXPECTED_TABLES & set(inspect(engine).get_table_names())
    assert migrate.current(db_url) is None
    migrate.upgrade_engine(engine, "head")
    assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES


def test_cli_db_upgrade_from_clean_sqlite_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "cli.db"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("PONACCEPT_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(app, ["db", "upgrade"])
        second = runner.invoke(app, ["db", "upgrade"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert path.exists()
    assert migrate.current(url) == migrate.head()
    engine = make_engine(url)
    try:
        assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
    finally:
        engine.dispose()


def test_cli_db_upgrade_reports_failure(tmp_path) -> None:
    missing_dir_url = f"sqlite:///{tmp_path / 'no-such-dir' / 'x.db'}"
    result = CliRunner().invoke(app, ["db", "upgrade", "--database-url", missing_dir_url])
    assert result.exit_code == 1


def test_schema_comparison_detects_a_missing_partial_index(engine: Engine) -> None:
    """Guards the comparison above against passing vacuously."""
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX uq_activation_active_ont_id")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert [(d[0], d[1].name) for d in diff] == [("add_index", "uq_activation_active_ont_id")]
