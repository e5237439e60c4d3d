"""Runtime settings, read from the environment (prefix ``PONACCEPT_``) or a ``.env`` file.

Secrets (device and API credentials) are never given defaults here: they come from the
environment or from a file outside the repository (see ``secrets_file``).
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ExecutorKind(StrEnum):
    """Where device work runs: in the API process (default) or on Celery workers (scale-out)."""

    INPROCESS = "inprocess"
    CELERY = "celery"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PONACCEPT_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./ponaccept.db",
        description="SQLAlchemy URL. Default: an SQLite file in the working directory. "
        "PostgreSQL: postgresql+psycopg://user@host:5432/dbname",
    )
    data_dir: Path = Field(default=Path("./data"), description="Uploaded photos and exports live here.")
    log_level: str = Field(default="INFO", description="Python logging level name.")
    executor: ExecutorKind = Field(default=ExecutorKind.INPROCESS, description="inprocess | celery")
    broker_url: str = Field(
        default="redis://127.0.0.1:6379/0", description="Celery broker (executor=celery)."
    )
    redis_url: str = Field(default="redis://127.0.0.1:6379/1", description="Per-OLT locks (executor=celery).")
    secrets_file: Path | None = Field(
        default=None,
        description="YAML file outside the repository with device credentials per OLT/group.",
    )
    onu_name_template: str = Field(
        default="T-{olt}-{frame}-{slot}-{port}-{splitter}-{splitter_port}",
        description="Naming rule for test ONUs (fields: olt, frame, slot, port, splitter, splitter_port, "
        "attempt). Its literal prefix is how reconciliation recognises test ONUs.",
    )
    activation_lease_hours: float = Field(default=8.0, gt=0, description="Lifetime of a test-ONU activation.")
    host: str = Field(default="127.0.0.1", description="Address `ponaccept serve` binds to.")
    port: int = Field(default=8000, description="Port `ponaccept serve` binds to.")
    auto_migrate: bool = Field(
        default=True, description="The API migrates its database to the newest schema at start-up."
    )
    idempotency_ttl_hours: float = Field(
        default=24.0, gt=0, description="How long a stored Idempotency-Key response is replayed."
    )
    idempotency_wait_seconds: float = Field(
        default=10.0, ge=0, description="How long a request waits for a parallel one with the same key."
    )
    idempotency_stale_seconds: float = Field(
        default=300.0,
        gt=0,
        description="An unfinished Idempotency-Key reservation older than this is retaken.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
