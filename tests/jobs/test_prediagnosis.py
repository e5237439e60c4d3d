"""Remote pre-diagnosis against the simulated lab: the four situations, induced with the lab's faults.

The customer is ``cust-1001`` on olt-hw-1 0/1/0 behind HW1-A-1x32 port 1. Its port has four ONUs, one of
which (``cust-1003-offline``) is unpowered in the lab's initial state — so "normal" already has an offline
neighbour, and switching the customer's ONU off gives two of four offline, which must still read as
"offline alone" (fewer than three).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from fixtures.netops import lab_credential_env
from fixtures.workflow import HUAWEI, seed_lab_project
from ponaccept.api.services.orders import create_order
from ponaccept.config import get_settings
from ponaccept.db.models import Account, District, JobStatus, OrderEvent, SplitterPort, WorkOrder
from ponaccept.db.types import utcnow
from ponaccept.domain.diagnosis import Dispatch, Verdict
from ponaccept.domain.orders import OrderEventType, OrderType
from ponaccept.domain.sla import FaultCause
from ponaccept.jobs.devices import DeviceAccess
from ponaccept.jobs.executor import InProcessExecutor
from ponaccept.jobs.prediagnosis import submit_prediagnosis
from ponaccept.jobs.runtime import JobRuntime
from ponaccept.netops.inventory import Timeouts
from ponaccept.sim.lab import Lab

CUSTOMER = "cust-1001"
CUSTOMER_SN = "48575443A1000001"


def no_fault(lab: Lab) -> None:
    return None


def power_off(lab: Lab) -> None:
    lab.set_onu_power(HUAWEI.olt, CUSTOMER_SN, False)


def dirty_branch(lab: Lab) -> None:
    lab.dirty_connector(HUAWEI.olt, f"{HUAWEI.splitter}:1", 8.0)


def feeder_cut(lab: Lab) -> None:
    lab.cut_fibre(HUAWEI.olt, HUAWEI.fsp)


def repair_order(engine: Engine, lab: Lab, *, located: bool = True) -> WorkOrder:
    seeded = seed_lab_project(engine, lab, HUAWEI, code="PRJ-DIAG", ports=[1, 2, 5, 9])
    now = utcnow()
    with Session(engine, expire_on_commit=False) as session:
        district = District(name="城区")
        session.add(district)
        session.flush()
        assert district.id is not None
        port = seeded.splitter_port_ids[0] if located else None
        session.add(
            Account(account_no=CUSTOMER, district_id=district.id, address="1 Lab Rd", splitter_port_id=port)
        )
        session.flush()
        order = create_order(
            session,
            order_type=OrderType.REPAIR,
            account_no=CUSTOMER,
            district="城区",
            address="1 Lab Rd",
            now=now,
            reported_at=now - timedelta(minutes=5),
            created_at=now - timedelta(minutes=5),
        )
        session.commit()
        return order


def run(engine: Engine, lab: Lab, order: WorkOrder) -> tuple[WorkOrder, dict[str, object]]:
    devices = DeviceAccess(
        environ=lab_credential_env(lab), timeouts=Timeouts(connect=5, auth=5, banner=5, read=10)
    )
    executor = InProcessExecutor(
        JobRuntime(engine=engine, settings=get_settings(), devices=devices), max_workers=1
    )
    try:
        with Session(engine) as session:
            job_id = submit_prediagnosis(session, executor, order)
        assert job_id is not None
        assert executor.wait(job_id, timeout=60) is JobStatus.SUCCEEDED
    finally:
        executor.shutdown()
    with Session(engine) as session:
        stored = session.get(WorkOrder, order.id)
        assert stored is not None
        event = session.exec(
            select(OrderEvent).where(
                OrderEvent.order_id == order.id, col(OrderEvent.type) == OrderEventType.FAULT_CAUSE_SET
            )
        ).one()
        return stored, event.payload


@pytest.mark.parametrize(
    ("fault", "verdict", "cause", "dispatch"),
    [
        (no_fault, Verdict.CUSTOMER_SIDE, FaultCause.CUSTOMER_SIDE, Dispatch.REMOTE_GUIDANCE),
        (power_off, Verdict.ONU_OFFLINE_ALONE, FaultCause.CUSTOMER_SIDE, Dispatch.CUSTOMER_VISIT),
        (dirty_branch, Verdict.LINE_FAULT, FaultCause.LINE, Dispatch.LINE_REPAIR),
        (feeder_cut, Verdict.PORT_FAULT, FaultCause.TRUNK_FIBRE, Dispatch.NETWORK_DEPARTMENT),
    ],
)
def test_each_situation_is_classified_and_attached_to_the_order(
    engine: Engine,
    fresh_lab: Lab,
    fault: Callable[[Lab], None],
    verdict: Verdict,
    cause: FaultCause,
    dispatch: Dispatch,
) -> None:
    order = repair_order(engine, fresh_lab)
    fault(fresh_lab)
    stored, payload = run(engine, fresh_lab, order)
    assert payload["verdict"] == verdict.value
    assert payload["dispatch"] == dispatch.value
    assert stored.fault_cause is cause
    assert stored.penalty_exempt is (verdict is Verdict.PORT_FAULT)
    onus = payload["onus"]
    assert isinstance(onus, list) and len(onus) == 4  # the customer's ONU and its three neighbours
    diagnosis = payload["diagnosis"]
    assert isinstance(diagnosis, dict) and diagnosis["target_ont_id"] == 0
    assert diagnosis["predicted_loss_db"] == pytest.approx(19.35, abs=0.01)  # 3 km, 1:32, 2 conn., 4 spl.
    if verdict is Verdict.LINE_FAULT:
        # Rx (≈ −23.8 dBm) is above the −27 dBm limit: only the comparison with the prediction catches it.
        assert diagnosis["onu_rx_dbm"] > -27.0
        assert diagnosis["excess_attenuation_db"] == pytest.approx(8.0, abs=0.5)
    if verdict is Verdict.PORT_FAULT:
        assert diagnosis["port_offline"] == 4


class RecordingExecutor:
    """Executor that only records what it was asked to run."""

    def __init__(self) -> None:
        self.submitted: list[tuple[str, dict[str, Any]]] = []

    def submit(self, job_kind: str, payload: dict[str, Any], **_ids: int | None) -> int:
        self.submitted.append((job_kind, payload))
        return len(self.submitted)

    def shutdown(self, wait: bool = True) -> None:
        return None


def test_only_located_repairs_are_diagnosed(engine: Engine, fresh_lab: Lab) -> None:
    unlocated = repair_order(engine, fresh_lab, located=False)
    executor = RecordingExecutor()
    with Session(engine) as session:
        assert submit_prediagnosis(session, executor, unlocated) is None
        assert submit_prediagnosis(session, None, unlocated) is None
        account = session.exec(select(Account).where(Account.account_no == CUSTOMER)).one()
        account.splitter_port_id = session.exec(select(SplitterPort.id)).first()
        session.add(account)
        session.commit()
        assert submit_prediagnosis(session, executor, unlocated) == 1
    assert executor.submitted == [("order_prediagnosis", {"order_id": unlocated.id})]
