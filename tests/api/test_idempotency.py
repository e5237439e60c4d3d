"""Idempotency-Key on POST: one execution per key, stored response replayed, misuse reported."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, func, select

from fixtures.api import Api, ApiFactory
from ponaccept.api.security import Role, hash_key
from ponaccept.config import Settings
from ponaccept.db.models import IdempotencyRecord, IdempotencyStatus, Olt
from ponaccept.db.types import utcnow

OLT = {"name": "OLT-I", "vendor": "huawei", "platform": "huawei_smartax", "management_ip": "10.1.1.1"}


def _olt_count(api: Api) -> int:
    with Session(api.engine) as session:
        return int(session.exec(select(func.count()).select_from(Olt)).one())


def test_same_key_twice_replays_the_stored_response(api: Api) -> None:
    headers = {"Idempotency-Key": "create-olt-1"}
    first = api.resource_system.post("/api/v1/olts", json=OLT, headers=headers)
    second = api.resource_system.post("/api/v1/olts", json=OLT, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert _olt_count(api) == 1


def test_without_key_the_second_post_conflicts(api: Api) -> None:
    assert api.resource_system.post("/api/v1/olts", json=OLT).status_code == 201
    assert api.resource_system.post("/api/v1/olts", json=OLT).status_code == 409


def test_same_key_different_body_is_422(api: Api) -> None:
    headers = {"Idempotency-Key": "k-2"}
    assert api.resource_system.post("/api/v1/olts", json=OLT, headers=headers).status_code == 201
    other = api.resource_system.post("/api/v1/olts", json={**OLT, "name": "OLT-J"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert _olt_count(api) == 1


def test_keys_are_scoped_per_api_key(api: Api) -> None:
    headers = {"Idempotency-Key": "shared"}
    assert api.resource_system.post("/api/v1/olts", json=OLT, headers=headers).status_code == 201
    # Another client using the same key string is a different request: it executes (and conflicts).
    assert api.admin.post("/api/v1/olts", json=OLT, headers=headers).status_code == 409


def test_parallel_requests_with_one_key_execute_once(api: Api) -> None:
    headers = {"Idempotency-Key": "parallel-1"}

    def send(_: int) -> tuple[int, int | None]:
        response = api.resource_system.post("/api/v1/olts", json=OLT, headers=headers)
        return response.status_code, response.json().get("id")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(send, range(8)))
    assert {status for status, _ in results} == {201}
    assert len({olt_id for _, olt_id in results}) == 1
    assert _olt_count(api) == 1
    with Session(api.engine) as session:
        records = session.exec(select(IdempotencyRecord)).all()
    assert len(records) == 1 and records[0].status == IdempotencyStatus.COMPLETED


def test_auth_failures_and_server_errors_are_not_remembered(api: Api) -> None:
    headers = {"Idempotency-Key": "k-auth"}
    assert api.engineer.post("/api/v1/olts", json=OLT, headers=headers).status_code == 403
    with Session(api.engine) as session:
        assert session.exec(select(IdempotencyRecord)).all() == []


def test_a_failed_request_releases_its_key(api: Api) -> None:
    headers = {"Idempotency-Key": "k-invalid"}
    first = api.resource_system.post("/api/v1/olts", json={**OLT, "vendor": "x"}, headers=headers)
    assert first.status_code == 422 and "idempotent-replayed" not in first.headers
    # The corrected request may reuse the key: the failure had no effect to protect.
    fixed = api.resource_system.post("/api/v1/olts", json=OLT, headers=headers)
    assert fixed.status_code == 201
    assert api.resource_system.post("/api/v1/olts", json=OLT, headers=headers).headers["idempotent-replayed"]


def test_key_length_is_checked(api: Api) -> None:
    response = api.resource_system.post("/api/v1/olts", json=OLT, headers={"Idempotency-Key": "x" * 129})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "header.Idempotency-Key"


def _reserve(api: Api, key: str, body: bytes, *, age: timedelta) -> None:
    digest = hashlib.sha256()
    for part in (b"POST", b"\0", b"/api/v1/olts", b"\0", body):
        digest.update(part)
    with Session(api.engine) as session:
        session.add(
            IdempotencyRecord(
                scope=hash_key(api.keys[Role.RESOURCE_SYSTEM]),
                key=key,
                method="POST",
                path="/api/v1/olts",
                fingerprint=digest.hexdigest(),
                created_at=utcnow() - age,
            )
        )
        session.commit()


def test_request_in_progress_elsewhere_answers_409_after_waiting(
    api_factory: ApiFactory, tmp_path: Path
) -> None:
    api = api_factory(settings=Settings(data_dir=tmp_path, idempotency_wait_seconds=0.2))
    body = b'{"name":"OLT-W","vendor":"huawei","platform":"huawei_smartax","management_ip":"10.0.0.9"}'
    _reserve(api, "busy", body, age=timedelta(seconds=1))
    headers = {"Idempotency-Key": "busy", "Content-Type": "application/json"}
    response = api.resource_system.post("/api/v1/olts", content=body, headers=headers)
    assert response.status_code == 409 and response.headers["retry-after"] == "1"
    assert "in progress" in response.json()["detail"]
    assert _olt_count(api) == 0


def test_abandoned_reservation_is_taken_over(api_factory: ApiFactory, tmp_path: Path) -> None:
    api = api_factory(settings=Settings(data_dir=tmp_path, idempotency_stale_seconds=60))
    body = b'{"name":"OLT-S","vendor":"huawei","platform":"huawei_smartax","management_ip":"10.0.0.9"}'
    _reserve(api, "stale", body, age=timedelta(minutes=5))
    headers = {"Idempotency-Key": "stale", "Content-Type": "application/json"}
    assert api.resource_system.post("/api/v1/olts", content=body, headers=headers).status_code == 201
    assert _olt_count(api) == 1


def test_purge_expired_deletes_only_old_records(api: Api) -> None:
    from ponaccept.api.idempotency import purge_expired

    _reserve(api, "old", b"{}", age=timedelta(hours=25))
    _reserve(api, "young", b"{}", age=timedelta(hours=1))
    assert purge_expired(api.app.state.sessionmaker, api.app.state.settings) == 1
    with Session(api.engine) as session:
        assert [r.key for r in session.exec(select(IdempotencyRecord)).all()] == ["young"]
