"""The activation list view: one activation joined with its OLT, PON port and splitter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlmodel import Session, col, select

from ponaccept.api.schemas.activations import ActivationDetail, ActivationRead, CommandRead
from ponaccept.db.models import Activation, CommandLog, Olt, PonPort, Splitter, SplitterPort

M = TypeVar("M", Olt, PonPort, SplitterPort, Splitter)


def _by_id(session: Session, model: type[M], ids: set[int]) -> dict[int, M]:
    """Rows of ``model`` with these ids, in one ``IN`` query."""
    if not ids:
        return {}
    rows = session.exec(select(model).where(col(model.id).in_(ids))).all()
    return {row.id: row for row in rows if row.id is not None}


def activation_views(session: Session, activations: Sequence[Activation]) -> list[ActivationRead]:
    """Rows of the seed's list view; related rows are loaded with one query per table, not per row."""
    olts = _by_id(session, Olt, {a.olt_id for a in activations})
    pons = _by_id(session, PonPort, {a.pon_port_id for a in activations})
    ports = _by_id(session, SplitterPort, {a.splitter_port_id for a in activations})
    splitters = _by_id(session, Splitter, {p.splitter_id for p in ports.values()})
    views = []
    for a in activations:
        assert a.id is not None
        olt, pon, port = olts[a.olt_id], pons[a.pon_port_id], ports[a.splitter_port_id]
        splitter = splitters[port.splitter_id]
        views.append(
            ActivationRead(
                id=a.id,
                project_id=a.project_id,
                splitter_port_id=a.splitter_port_id,
                attempt=a.attempt,
                olt_management_ip=olt.management_ip,
                olt_pon_port=f"{pon.frame}/{pon.slot}/{pon.port}",
                splitter_name=splitter.name,
                splitter_port=port.number,
                onu_name=a.onu_name,
                ont_id=a.ont_id,
                svlan=a.svlan,
                cvlan=a.cvlan,
                password=a.password,
                status=a.status,
                status_label_zh=a.status.label_zh,
                test_status=a.test_status,
                test_status_label_zh=a.test_status.label_zh,
                lease_expires_at=a.lease_expires_at,
                needs_reconcile=a.needs_reconcile,
                error=a.error,
                created_at=a.created_at,
                updated_at=a.updated_at,
            )
        )
    return views


def activation_detail(session: Session, activation: Activation) -> ActivationDetail:
    [view] = activation_views(session, [activation])
    logs = session.exec(
        select(CommandLog).where(CommandLog.activation_id == activation.id).order_by(col(CommandLog.id))
    ).all()
    return ActivationDetail(**view.model_dump(), transcript=[CommandRead.model_validate(r) for r in logs])
