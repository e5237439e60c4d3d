"""Texts of the OpenAPI document: the overview and one description per tag."""

from __future__ import annotations

from typing import Any

API_DESCRIPTION = """Acceptance testing (挂测) of FTTH/GPON construction.

* Authenticate with an API key: `Authorization: Bearer <key>` or `X-API-Key: <key>` (create one with
  `ponaccept apikey create --role ... --name ...`). Roles: resource_system, engineer, reviewer, admin.
* Errors are `application/problem+json`: `{type, title, status, detail, errors: [{field, message}]}`;
  state conflicts (409) add `current_state` and `allowed_events`.
* Lists take `limit`/`offset` and return `{items, total, limit, offset}`.
* POSTs honour `Idempotency-Key`: a retry with the same key and body gets the stored response.
* Status vocabularies with their Chinese labels: `GET /api/v1/meta/enums`.
"""

OPENAPI_TAGS: list[dict[str, Any]] = [
    {"name": "meta", "description": "Health, caller identity, status vocabularies (中文标签)."},
    {"name": "olts", "description": "OLTs (≈ TMF639 resources)."},
    {"name": "pon-ports", "description": "PON ports of OLTs: SVLAN, optical class."},
    {"name": "splitters", "description": "Splitters (分光器) and their ports; bulk import per project."},
    {"name": "projects", "description": "Construction projects (工程资料) and their test-required flag."},
    {
        "name": "thresholds",
        "description": "Versioned threshold profiles (质量门限值); a change is a new version.",
    },
    {"name": "reports", "description": "Acceptance-test reports (挂测报表) as JSON, CSV or XLSX."},
]
