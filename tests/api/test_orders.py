"""Work orders through HTTP: intake, field updates, port links, repeat attribution, the 4xx cases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from fixtures.api import Api, create_resources
from ponaccept.db.models import Account, District, OutboxEvent, Project, SplitterPort, SplitterPortStatus
from ponaccept.domain.choices import ProjectStatus

PAST = datetime(2026, 10, 5, 11, 0, tzinfo=UTC)  # 19:00 Asia/Shanghai


def iso(value: datetime) -> str:
    return value.isoformat()


@pytest.fixture
def world(api: Api) -> dict[str, Any]:
    """District, team, technician and an accepted project whose ports are available."""
    assert api.admin.post("/api/v1/orders/districts", json={"name": "city"}).status_code == 201
    team = api.admin.post("/api/v1/orders/teams", json={"name": "T1", "contractor": "C1", "district": "city"})
    tech = api.admin.post(
        "/api/v1/orders/technicians", json={"code": "E01", "name": "Li", "team_id": team.json()["id"]}
    )
    assert tech.status_code == 201, tech.text
    resources = create_resources(api)
    with Session(api.engine) as session:
        for port_id in resources.splitter_port_ids[:6]:
            port = session.get(SplitterPort, port_id)
            assert port is not None
            port.status = SplitterPortStatus.AVAILABLE
            session.add(port)
        project = session.get(Project, resources.project_id)
        assert project is not None
        project.status = ProjectStatus.ACCEPTED
        session.add(project)
        session.add(
            OutboxEvent(
                event_type="project.accepted",
                aggregate_type="project",
                aggregate_id=resources.project_id,
                payload={},
                created_at=PAST - timedelta(days=10),
            )
        )
        session.commit()
    return {
        "ports": resources.splitter_port_ids,
        "project_id": resources.project_id,
        "technician_id": tech.json()["id"],
        "team_id": team.json()["id"],
    }


def install(api: Api, port_id: int, account: str = "ACC-1", **extra: Any) -> Any:
    body = {
        "account_no": account,
        "district": "city",
        "address": "1 Road",
        "splitter_port_id": port_id,
        **extra,
    }
    return api.resource_system.post("/api/v1/orders/install", json=body)


def step(api: Api, order_id: int, action: str, when: datetime, **extra: Any) -> dict[str, Any]:
    client = api.resource_system if action in ("dispatch", "cancel") else api.engineer
    response = client.post(f"/api/v1/orders/{order_id}/{action}", json={"at": iso(when), **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def finish(api: Api, world: dict[str, Any], order_id: int, start: datetime) -> dict[str, Any]:
    step(api, order_id, "dispatch", start + timedelta(minutes=10), technician_id=world["technician_id"])
    step(api, order_id, "contact", start + timedelta(minutes=20), slot_start=iso(start + timedelta(hours=13)))
    step(api, order_id, "arrive", start + timedelta(hours=13, minutes=5))
    return step(api, order_id, "complete", start + timedelta(hours=14))


def clock(order: dict[str, Any], kind: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in order["clocks"] if c["kind"] == kind)
    return found


def test_install_lifecycle_takes_the_port_and_callback_closes(api: Api, world: dict[str, Any]) -> None:
    port = world["ports"][0]
    created = install(api, port, created_at=iso(PAST))
    assert created.status_code == 201, created.text
    order = created.json()
    assert clock(order, "install_completion")["due_at"].startswith("2026-10-11T11:00")  # day+6 19:00 local
    assert install(api, port, account="ACC-2").status_code == 409  # reserved by the open order
    done = finish(api, world, order["id"], PAST)
    assert done["status"] == "completed"
    assert clock(done, "onsite")["breached"] is False
    assert clock(done, "contact")["stop_at"] is not None
    assert done["appointments"][0]["status"] == "attended"
    with Session(api.engine) as session:
        row = session.get(SplitterPort, port)
        assert row is not None and row.status is SplitterPortStatus.IN_USE
    assert install(api, port, account="ACC-3").status_code == 409  # occupied
    bad = api.resource_system.post(
        f"/api/v1/orders/{order['id']}/callbacks", json={"reached": True, "stars": 6}
    )
    assert bad.status_code == 422
    ok = api.resource_system.post(
        f"/api/v1/orders/{order['id']}/callbacks", json={"reached": True, "satisfied": True, "stars": 5}
    )
    assert ok.status_code == 201, ok.text
    assert api.engineer.get(f"/api/v1/orders/{order['id']}").json()["status"] == "closed"


def test_install_on_unaccepted_port_is_409(api: Api, world: dict[str, Any]) -> None:
    response = install(api, world["ports"][7])  # still untested
    assert response.status_code == 409
    assert response.json()["current_state"] == "untested"


def test_removal_frees_the_port(api: Api, world: dict[str, Any]) -> None:
    port = world["ports"][1]
    order = install(api, port, account="ACC-R", created_at=iso(PAST)).json()
    finish(api, world, order["id"], PAST)
    removal = api.resource_system.post(
        "/api/v1/orders/removal",
        json={
            "account_no": "ACC-R",
            "district": "city",
            "address": "1 Road",
            "created_at": iso(PAST + timedelta(days=2)),
        },
    )
    assert removal.status_code == 201, removal.text
    assert removal.json()["splitter_port_id"] == port
    finish(api, world, removal.json()["id"], PAST + timedelta(days=2))
    with Session(api.engine) as session:
        row = session.get(SplitterPort, port)
        assert row is not None and row.status is SplitterPortStatus.AVAILABLE
    assert install(api, port, account="ACC-NEW").status_code == 201


def test_move_has_two_legs_and_completes_with_them(api: Api, world: dict[str, Any]) -> None:
    old, new = world["ports"][2], world["ports"][3]
    first = install(api, old, account="ACC-M", created_at=iso(PAST)).json()
    finish(api, world, first["id"], PAST)
    start = PAST + timedelta(days=3)
    move = api.resource_system.post(
        "/api/v1/orders/move",
        json={
            "account_no": "ACC-M",
            "district": "city",
            "new_address": "9 Hill",
            "splitter_port_id": new,
            "created_at": iso(start),
        },
    )
    assert move.status_code == 201, move.text
    legs = move.json()
    assert legs["install"]["parent_id"] == legs["move"]["id"] == legs["removal"]["parent_id"]
    assert legs["removal"]["splitter_port_id"] == old
    finish(api, world, legs["install"]["id"], start)
    assert api.engineer.get(f"/api/v1/orders/{legs['move']['id']}").json()["status"] == "created"
    finish(api, world, legs["removal"]["id"], start)
    assert api.engineer.get(f"/api/v1/orders/{legs['move']['id']}").json()["status"] == "completed"
    with Session(api.engine) as session:
        statuses = [session.get(SplitterPort, p).status for p in (old, new)]  # type: ignore[union-attr]
    assert statuses == [SplitterPortStatus.AVAILABLE, SplitterPortStatus.IN_USE]


def repair(api: Api, account: str, reported: datetime) -> Any:
    return api.resource_system.post(
        "/api/v1/orders/repair",
        json={
            "account_no": account,
            "district": "city",
            "address": "1 Road",
            "reported_at": iso(reported),
            "created_at": iso(reported),
            "fault_category": "no_internet",
        },
    )


def test_repair_worked_example_pause_and_repeat_attribution(api: Api, world: dict[str, Any]) -> None:
    port = world["ports"][4]
    finish(api, world, install(api, port, account="ACC-P", created_at=iso(PAST)).json()["id"], PAST)
    reported = PAST + timedelta(days=1, hours=2)  # 21:00 local
    first = repair(api, "ACC-P", reported)
    assert first.status_code == 201, first.text
    order = first.json()
    assert clock(order, "repair_completion")["due_at"].startswith("2026-10-07T08:00")  # next day 16:00
    assert order["project_id"] == world["project_id"] and order["is_repeat"] is False
    assert repair(api, "ACC-P", reported + timedelta(minutes=5)).status_code == 409  # duplicate while open
    oid = order["id"]
    step(api, oid, "dispatch", reported + timedelta(minutes=5), technician_id=world["technician_id"])
    step(api, oid, "defer", reported + timedelta(hours=12), reason="customer out")  # 09:00 local
    paused = step(api, oid, "resume", reported + timedelta(hours=16))  # 13:00 local
    assert clock(paused, "repair_completion")["due_at"].startswith("2026-10-07T12:00")  # 20:00 local
    step(api, oid, "contact", reported + timedelta(hours=16, minutes=10))
    step(api, oid, "arrive", reported + timedelta(hours=17))
    done = step(api, oid, "complete", reported + timedelta(hours=18))
    assert clock(done, "repair_completion")["breached"] is False
    second = repair(api, "ACC-P", reported + timedelta(days=3)).json()
    assert second["is_repeat"] is True and second["repeat_of_id"] == oid
    assert second["project_id"] == world["project_id"]
    late = repair(api, "ACC-Q", PAST + timedelta(days=30))  # no port known: no attribution
    assert late.json()["project_id"] is None


def test_illegal_transition_unknown_district_and_bad_times(api: Api, world: dict[str, Any]) -> None:
    order = install(api, world["ports"][5], created_at=iso(PAST)).json()
    response = api.engineer.post(f"/api/v1/orders/{order['id']}/complete", json={})
    assert response.status_code == 409
    assert response.json()["current_state"] == "created"
    response = api.resource_system.post(
        "/api/v1/orders/repair",
        json={"account_no": "X", "district": "nowhere", "address": "a", "reported_at": iso(PAST)},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.district"
    future = datetime.now(UTC) + timedelta(hours=2)
    response = install(api, world["ports"][6], account="ACC-F", created_at=iso(future))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.created_at"
    response = api.resource_system.post(
        f"/api/v1/orders/{order['id']}/dispatch",
        json={"technician_id": world["technician_id"], "at": iso(PAST - timedelta(hours=1))},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.at"
    response = api.resource_system.post(
        f"/api/v1/orders/{order['id']}/dispatch",
        json={"technician_id": world["technician_id"], "at": iso(future)},
    )
    assert response.status_code == 422
    response = api.resource_system.put(
        "/api/v1/orders/billed-customers", json={"month": "2026-11", "district": "city", "count": -1}
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.count"
    response = api.resource_system.put(
        "/api/v1/orders/billed-customers", json={"month": "2026-11", "district": "city", "count": 12000}
    )
    assert response.status_code == 200 and response.json()["count"] == 12000
    assert api.engineer.post("/api/v1/orders/districts", json={"name": "x"}).status_code == 403
    assert api.engineer.post("/api/v1/orders/install", json={}).status_code in (403, 422)


def test_urge_complaint_list_and_correction(api: Api, world: dict[str, Any]) -> None:
    order = install(api, world["ports"][5], account="ACC-U", created_at=iso(PAST)).json()
    assert (
        api.resource_system.post(
            f"/api/v1/orders/{order['id']}/urges", json={"channel": "hotline_10086"}
        ).status_code
        == 201
    )
    complaint = api.resource_system.post(
        "/api/v1/orders/complaints", json={"account_no": "ACC-U", "category": "slow", "order_id": order["id"]}
    )
    assert complaint.status_code == 201, complaint.text
    listed = api.engineer.get("/api/v1/orders", params={"type": "install", "status": "created"}).json()
    assert order["id"] in [o["id"] for o in listed["items"]]
    step(api, order["id"], "dispatch", PAST + timedelta(hours=1), technician_id=world["technician_id"])
    fixed = api.admin.post(
        f"/api/v1/orders/{order['id']}/corrections", json={"seq": 4, "at": iso(PAST + timedelta(minutes=30))}
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["dispatched_at"].startswith("2026-10-05T11:30")
    assert [e["type"] for e in fixed.json()["events"]] == [
        "create",
        "urge",
        "complaint",
        "dispatch",
        "correct",
    ]


def test_district_calendar_exception_and_policy_versions(api: Api, world: dict[str, Any]) -> None:
    calendar = api.admin.post("/api/v1/orders/calendars", json={"name": "county-cal"})
    assert calendar.status_code == 201, calendar.text
    cal_id = calendar.json()["id"]
    closed = api.admin.put(
        f"/api/v1/orders/calendars/{cal_id}/exceptions", json={"day": "2026-10-06", "windows": []}
    )
    assert closed.status_code == 200 and closed.json()["version"] == 2
    bad = api.admin.put(
        f"/api/v1/orders/calendars/{cal_id}/exceptions", json={"day": "2026-10-07", "windows": [["8h", "x"]]}
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.windows"
    district = api.admin.post(
        "/api/v1/orders/districts",
        json={
            "name": "county",
            "calendar_id": cal_id,
            "mobile_team_threshold": 20,
            "emergency_team_threshold": 30,
        },
    )
    assert district.status_code == 201
    two_tier = api.admin.post(
        "/api/v1/orders/districts",
        json={"name": "odd", "mobile_team_threshold": 5, "emergency_team_threshold": 3},
    )
    assert two_tier.status_code == 422
    policy = api.admin.post(
        "/api/v1/orders/policies",
        json={
            "key": "seed.contact",
            "kind": "contact",
            "target_s": 7200,
            "effective_from": iso(PAST + timedelta(days=1)),
        },
    )
    assert policy.status_code == 201 and policy.json()["version"] == 2, policy.text
    order = api.resource_system.post(
        "/api/v1/orders/repair",
        json={
            "account_no": "ACC-C",
            "district": "county",
            "address": "farm",
            "reported_at": iso(PAST),
            "created_at": iso(PAST),
        },
    ).json()
    # reported 19:00 local on 10-05: 1 h that evening, 10-06 closed, 7 h on 10-07 → due 10-07 15:00 local
    assert clock(order, "repair_completion")["due_at"].startswith("2026-10-07T07:00")
    assert clock(order, "repair_completion")["calendar_name"] == "county-cal"
    early = step(
        api, order["id"], "dispatch", PAST + timedelta(minutes=5), technician_id=world["technician_id"]
    )
    assert clock(early, "contact")["target_s"] == 1800  # started before the new version
    later = api.resource_system.post(
        "/api/v1/orders/repair",
        json={
            "account_no": "ACC-D",
            "district": "county",
            "address": "farm",
            "reported_at": iso(PAST + timedelta(days=2)),
            "created_at": iso(PAST + timedelta(days=2)),
        },
    ).json()
    late = step(
        api,
        later["id"],
        "dispatch",
        PAST + timedelta(days=2, minutes=5),
        technician_id=world["technician_id"],
    )
    assert (clock(late, "contact")["target_s"], clock(late, "contact")["policy_version"]) == (7200, 2)


def test_repair_penalty_rule_is_a_versioned_policy_value(api: Api, world: dict[str, Any]) -> None:
    misplaced = api.admin.post(
        "/api/v1/orders/policies",
        json={
            "key": "seed.contact",
            "kind": "contact",
            "target_s": 1800,
            "effective_from": iso(PAST),
            "penalty_base": 30,
        },
    )
    assert misplaced.status_code == 422 and misplaced.json()["errors"][0]["field"] == "body.penalty_base"
    policy = api.admin.post(
        "/api/v1/orders/policies",
        json={
            "key": "seed.repair_completion",
            "kind": "repair_completion",
            "target_s": 8 * 3600,
            "effective_from": iso(PAST + timedelta(hours=12)),
            "penalty_base": 30,
            "penalty_rounding": "started_days",
        },
    )
    assert policy.status_code == 201, policy.text
    assert policy.json()["penalty_day_s"] == 86400 and policy.json()["penalty_measure"] == "natural"
    listed = api.admin.get("/api/v1/orders/policies", params={"limit": 500}).json()["items"]
    first = next(p for p in listed if p["key"] == "seed.repair_completion" and p["version"] == 1)
    assert (first["penalty_base"], first["penalty_rounding"]) == (20, "whole_days")  # the old version stays

    def late_repair(account: str, reported: datetime) -> dict[str, Any]:
        # reported 19:00 local: 1 h that evening + 7 h next day → due next day 15:00 local (07:00 UTC)
        order = repair(api, account, reported).json()
        due = reported + timedelta(hours=20)
        for action, at in (("dispatch", 1), ("contact", 2), ("arrive", 3)):
            extra = {"technician_id": world["technician_id"]} if action == "dispatch" else {}
            step(api, order["id"], action, reported + timedelta(minutes=at), **extra)
        done = step(api, order["id"], "complete", due + timedelta(hours=24, minutes=1))
        assert clock(done, "repair_completion")["due_at"].startswith(iso(due)[:16])
        return done

    before = late_repair("ACC-P1", PAST)  # judged by version 1: whole days
    assert (before["penalty_days"], before["penalty_amount"]) == (1, 20)
    after = late_repair("ACC-P2", PAST + timedelta(days=1))  # version 2: a begun day counts
    assert (after["penalty_days"], after["penalty_amount"]) == (2, 60)


def test_appointments_no_show_abnormal_return_and_reopen(api: Api, world: dict[str, Any]) -> None:
    order = install(api, world["ports"][5], account="ACC-N", created_at=iso(PAST)).json()
    oid = order["id"]
    step(api, oid, "dispatch", PAST + timedelta(minutes=5), technician_id=world["technician_id"])
    step(api, oid, "contact", PAST + timedelta(minutes=10))
    slot = api.engineer.post(
        f"/api/v1/orders/{oid}/appointments",
        json={"slot_start": iso(PAST + timedelta(hours=14)), "at": iso(PAST + timedelta(minutes=11))},
    )
    assert slot.status_code == 201 and slot.json()["status"] == "proposed"
    aid = slot.json()["id"]
    base = f"/api/v1/orders/{oid}/appointments/{aid}"
    assert api.engineer.post(f"{base}/attended", json={}).status_code == 409  # not confirmed yet
    assert (
        api.engineer.post(f"{base}/confirm", json={"at": iso(PAST + timedelta(minutes=12))}).json()["status"]
        == "confirmed"
    )
    missed = api.engineer.post(f"{base}/missed", json={"at": iso(PAST + timedelta(hours=15))})
    assert missed.status_code == 200 and missed.json()["status"] == "missed"
    after = api.engineer.get(f"/api/v1/orders/{oid}").json()
    assert after["status"] == "appointed" and after["events"][-1]["type"] == "no_show"
    step(api, oid, "arrive", PAST + timedelta(hours=16))
    step(api, oid, "abnormal", PAST + timedelta(hours=17), reason="OLT profile missing")
    fixed = step(api, oid, "fix", PAST + timedelta(hours=18))
    assert fixed["status"] == "on_site"
    assert clock(fixed, "onsite")["paused"] is False  # operator-caused: the clock kept running
    assert api.engineer.post(f"/api/v1/orders/{oid}/reopen", json={"reason": "x"}).status_code == 409
    returned = step(api, oid, "return", PAST + timedelta(hours=19), reason="no resources")
    assert returned["status"] == "returned" and returned["return_reason"] == "no resources"
    again = step(api, oid, "dispatch", PAST + timedelta(hours=20), technician_id=world["technician_id"])
    assert again["events"][-1]["type"] == "redispatch" and again["dispatched_at"].startswith(
        "2026-10-05T11:05"
    )

    rep = repair(api, "ACC-N", PAST + timedelta(days=1)).json()
    for action, hours in (("dispatch", 1), ("contact", 2), ("arrive", 3), ("complete", 4)):
        extra = {"technician_id": world["technician_id"]} if action == "dispatch" else {}
        step(api, rep["id"], action, PAST + timedelta(days=1, hours=hours), **extra)
    reopened = api.resource_system.post(
        f"/api/v1/orders/{rep['id']}/reopen",
        json={"reason": "still down", "at": iso(PAST + timedelta(days=1, hours=5))},
    ).json()
    assert reopened["status"] == "dispatched" and reopened["completed_at"] is None
    assert reopened["first_completed_at"] is not None and reopened["reopen_count"] == 1
    assert clock(reopened, "repair_completion")["running"] is True
    cause = api.engineer.post(
        f"/api/v1/orders/{rep['id']}/fault-cause",
        json={"fault_cause": "trunk_fibre", "evidence": {"offline_onus": 12}},
    )
    assert cause.status_code == 200 and cause.json()["penalty_exempt"] is True
    assert cause.json()["events"][-1]["payload"]["offline_onus"] == 12


class _RecordingExecutor:
    def __init__(self) -> None:
        self.submitted: list[tuple[str, dict[str, Any]]] = []

    def submit(self, job_kind: str, payload: dict[str, Any], **_ids: int | None) -> int:
        self.submitted.append((job_kind, payload))
        return len(self.submitted)

    def shutdown(self, wait: bool = True) -> None:
        return None


def test_repair_intake_queues_the_remote_prediagnosis_when_the_onu_is_located(
    api: Api, world: dict[str, Any]
) -> None:

    executor = _RecordingExecutor()
    api.app.state.executor = executor
    with Session(api.engine) as session:
        district = session.exec(select(District).where(District.name == "city")).one()
        session.add(Account(account_no="ACC-LOC", district_id=district.id, address="1 Road",
                            splitter_port_id=world["ports"][5]))  # fmt: skip
        session.commit()
    reported = datetime.now(UTC) - timedelta(hours=1)
    located = repair(api, "ACC-LOC", reported)
    assert located.status_code == 201, located.text
    assert executor.submitted == [("order_prediagnosis", {"order_id": located.json()["id"]})]
    unlocated = repair(api, "ACC-NOWHERE", reported)
    assert unlocated.status_code == 201, unlocated.text
    assert len(executor.submitted) == 1  # no known ONU position: nothing to read remotely
