"""Property-based robustness of the work-order routes: no 5xx, responses conform to the schema.

Generated requests (valid and invalid) against every operation tagged ``orders`` / ``order reference
data``, with an admin key, on a database that has a district, a technician and one order so that path
ids sometimes hit real rows. Bounded (few examples per operation, SQLite) to keep the suite fast.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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

from fixtures.api import issue_keys
from ponaccept.api.app import create_app
from ponaccept.api.security import Role
from ponaccept.api.services.orders import create_order
from ponaccept.config import Settings
from ponaccept.db.engine import make_engine, session_scope
from ponaccept.db.migrate import upgrade_engine
from ponaccept.db.models import District, Technician
from ponaccept.domain.orders import OrderType

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_order_routes_never_fail_with_5xx(tmp_path: Path, mode: GenerationMode) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'orders.db'}")
    upgrade_engine(engine, "head")
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        session.add(District(name="city"))
        session.add(Technician(code="E01", name="Li"))
        session.flush()
        create_order(
            session,
            order_type=OrderType.REPAIR,
            account_no="A1",
            district="city",
            address="1 Road",
            reported_at=now - timedelta(hours=1),
            now=now,
        )
    key = issue_keys(engine)[Role.ADMIN]
    app = create_app(engine, settings=Settings(data_dir=tmp_path / "data"), lifespan_hooks=[])
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(
        tag=["orders", "order reference data"]
    )
    headers = {"Authorization": f"Bearer {key}"}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30, "the tag filter lost operations"
    try:
        for operation in operations:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def run(case: Any) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                continue
            except (Exception, BaseExceptionGroup) as exc:  # report every failing operation together
                parts = exc.exceptions if isinstance(exc, BaseExceptionGroup) else [exc]
                failures[operation.label] = "\n".join(str(part)[:1500] for part in parts)
    finally:
        engine.dispose()
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
