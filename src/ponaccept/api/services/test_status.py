"""The activation's test status (已完成 / 未完成).

Rule: an activation's field test is ``done`` once it has at least one line test AND at least one
service test, whatever their verdicts — test status is run state, the verdicts are the result (TMF653).
"""

from __future__ import annotations

from sqlmodel import Session, select

from ponaccept.db.models import Activation, LineTest, ServiceTest
from ponaccept.domain.choices import TestStatus
from ponaccept.domain.states import TestEvent, apply_test_status


def refresh_test_status(session: Session, activation: Activation) -> None:
    if activation.test_status is TestStatus.DONE:
        return
    has_line = session.exec(select(LineTest.id).where(LineTest.activation_id == activation.id)).first()
    has_service = session.exec(
        select(ServiceTest.id).where(ServiceTest.activation_id == activation.id)
    ).first()
    if has_line is not None and has_service is not None:
        activation.test_status = apply_test_status(activation.test_status, TestEvent.COMPLETE_TEST)
        session.add(activation)
        session.flush()
