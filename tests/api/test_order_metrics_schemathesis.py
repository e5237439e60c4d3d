"""Property-based robustness of ``GET /api/v1/order-metrics`` (schemathesis, in-process, SQLite).

Generated valid and invalid query strings against a database holding the generated month: no 5xx, and
every answer matches the documented status codes, content types and schemas (JSON, CSV, XLSX, problem).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from db.test_order_metrics import build_month
from fixtures.api import issue_keys
from ponaccept.api.app import create_app
from ponaccept.api.security import Role
from ponaccept.config import Settings
from ponaccept.db.engine import make_engine
from ponaccept.db.migrate import upgrade_engine

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_order_metrics_never_fails_on_generated_queries(tmp_path: Path, mode: GenerationMode) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'metrics.db'}")
    upgrade_engine(engine, "head")
    with Session(engine) as session:
        build_month(session)
    key = issue_keys(engine)[Role.ENGINEER]
    app = create_app(engine, settings=Settings(data_dir=tmp_path / "data"), lifespan_hooks=[])
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(tag=["order-metrics"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 1
    headers = {"Authorization": f"Bearer {key}"}

    @given(case=operations[0].as_strategy(generation_mode=mode))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        pytest.fail("schemathesis could not generate a query for the operation")
    finally:
        engine.dispose()
