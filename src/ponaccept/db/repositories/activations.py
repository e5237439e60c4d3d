"""Activation queries used by device work (reconciliation, the lease sweeper)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from ponaccept.db.models import Activation, Olt, PonPort
from ponaccept.db.models.acceptance import ACTIVE_ACTIVATION_STATUSES

ExpectedOnus = dict[str, dict[str, dict[str, int | None]]]
"""OLT name → PON port ``F/S/P`` → ONU name → ONT-ID (None while not yet chosen)."""


def expected_test_onus(session: Session, olts: list[str] | None = None) -> ExpectedOnus:
    """Test ONUs the database says may be on the OLTs (every activation in an active status)."""
    statement = (
        select(
            col(Olt.name),
            col(PonPort.frame),
            col(PonPort.slot),
            col(PonPort.port),
            col(Activation.onu_name),
            col(Activation.ont_id),
        )
        .join(PonPort, col(Activation.pon_port_id) == col(PonPort.id))
        .join(Olt, col(Activation.olt_id) == col(Olt.id))
        .where(col(Activation.status).in_([s.value for s in ACTIVE_ACTIVATION_STATUSES]))
    )
    if olts:
        statement = statement.where(col(Olt.name).in_(olts))
    expected: ExpectedOnus = {}
    for olt, frame, slot, port, onu_name, ont_id in session.execute(statement):
        expected.setdefault(olt, {}).setdefault(f"{frame}/{slot}/{port}", {})[onu_name] = ont_id
    return expected
