from pathlib import Path

import pytest

from ponaccept.config import ExecutorKind, Settings


def test_defaults_are_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("DATABASE_URL", "DATA_DIR", "EXECUTOR", "LOG_LEVEL"):
        monkeypatch.delenv(f"PONACCEPT_{key}", raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url.startswith("sqlite:///")
    assert settings.executor is ExecutorKind.INPROCESS
    assert settings.data_dir == Path("./data")


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PONACCEPT_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("PONACCEPT_EXECUTOR", "celery")
    settings = Settings(_env_file=None)
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.executor is ExecutorKind.CELERY


def test_unknown_executor_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PONACCEPT_EXECUTOR", "threads")
    with pytest.raises(ValueError, match="executor"):
        Settings(_env_file=None)
