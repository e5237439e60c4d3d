"""Service test (业务测试): dial-up account, result, speeds and photos; judged against minimum speeds.

Verdict: ``pass`` when the dial-up succeeded (``dialup_ok``) and both speeds reach the configured
minimums (``PONACCEPT_SERVICE_MIN_DOWN_MBPS`` / ``_UP_MBPS``); ``fail`` otherwise. Each call is a new
row: results are never overwritten.
"""

from __future__ import annotations

from sqlmodel import Session

from ponaccept.api.errors import ConflictError
from ponaccept.api.services.photos import StoredPhoto
from ponaccept.api.services.test_status import refresh_test_status
from ponaccept.api.services.txn import lock_row
from ponaccept.api.services.workflow_settings import WorkflowSettings
from ponaccept.db.models import Activation, ServiceTest
from ponaccept.domain.choices import ActivationStatus, Verdict

TESTABLE = (ActivationStatus.ACTIVATION_SUCCEEDED, ActivationStatus.REVOKING, ActivationStatus.REVOKED)
"""The result may be recorded after the engineer finished and the ONU was already revoked."""


def service_verdict(
    dialup_ok: bool, down: float | None, up: float | None, workflow: WorkflowSettings
) -> Verdict:
    if not dialup_ok or down is None or up is None:
        return Verdict.FAIL
    return (
        Verdict.PASS
        if down >= workflow.service_min_down_mbps and up >= workflow.service_min_up_mbps
        else Verdict.FAIL
    )


def record_service_test(
    session: Session,
    activation: Activation,
    workflow: WorkflowSettings,
    *,
    account: str,
    dialup_ok: bool,
    result: str | None,
    down_mbps: float | None,
    up_mbps: float | None,
    photos: list[StoredPhoto],
) -> ServiceTest:
    lock_row(session, activation)
    if activation.status not in TESTABLE:
        raise ConflictError(
            f"activation {activation.id} is {activation.status.value}: nothing was provisioned to test",
            current_state=activation.status.value,
        )
    assert activation.id is not None
    test = ServiceTest(
        activation_id=activation.id,
        account=account,
        result=result,
        down_mbps=down_mbps,
        up_mbps=up_mbps,
        verdict=service_verdict(dialup_ok, down_mbps, up_mbps, workflow),
        photos=[p.as_json() for p in photos],
    )
    session.add(test)
    session.flush()
    refresh_test_status(session, activation)
    return test
