"""Property-based robustness: schemathesis against the OpenAPI schema, in-process.

Every operation of the resource, project, threshold and report routers gets generated requests
(valid and invalid) with an admin key; no response may be a 5xx or differ from the documented
status codes, content types and schemas. Bounded (few examples per operation, SQLite only) so the
suite stays fast; the invariants are what matters, not volume.
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
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fixtures.api import issue_keys
from ponaccept.api.app import create_app
from ponaccept.api.security import Role
from ponaccept.config import Settings
from ponaccept.db.engine import make_engine, session_scope
from ponaccept.db.migrate import upgrade_engine
from ponaccept.db.repositories.thresholds import seed_presets

OUR_TAGS = ["meta", "olts", "pon-ports", "splitters", "projects", "thresholds", "reports"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _schema(tmp_path: Path) -> tuple[Any, str, Any]:
    engine = make_engine(f"sqlite:///{tmp_path / 'schemathesis.db'}")
    upgrade_engine(engine, "head")
    with session_scope(engine) as session:
        seed_presets(session)
    key = issue_keys(engine)[Role.ADMIN]
    app = create_app(engine, settings=Settings(data_dir=tmp_path / "data"), lifespan_hooks=[])
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(tag=OUR_TAGS), key, engine


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_errors_and_schema_conformance(tmp_path: Path, mode: GenerationMode) -> None:
    schema, key, engine = _schema(tmp_path)
    headers = {"Authorization": f"Bearer {key}"}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25, "the tag filter lost operations"
    try:
        for operation in operations:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def run(case: Any) -> None:
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except Unsatisfiable:
                continue  # nothing to make invalid (e.g. no parameters in negative mode)
            except (
                Exception,
                BaseExceptionGroup,
            ) as exc:  # collect every operation's failure, then report them together
                failures[operation.label] = str(exc)[:2000]
    finally:
        engine.dispose()
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
