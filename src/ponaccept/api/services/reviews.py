"""Review and acceptance (资源验收): submit → in_review → accepted | rectification.

Guards (DESIGN §4):

* submit is refused (409) while any test ONU of the project may still be on an OLT
  (``domain.states.is_provisioned``) — test ONUs must never outlive the test;
* submit is refused (409) for a project that requires testing while any of its splitter ports lacks
  a passing test: the port's latest attempt must have a latest line test and a latest service test
  that both passed. Older attempts stay stored (and in reports) but do not count.

Approval marks every splitter port of the project ``available`` and emits ``project.accepted`` (with
the ports) for the front-end account-opening system (前台开户系统); rejection emits
``project.rectification`` with the reason. All events are written in the same transaction.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from ponaccept.api.errors import ConflictError
from ponaccept.api.services.txn import lock_row
from ponaccept.db.models import (
    Activation,
    LineTest,
    Project,
    ServiceTest,
    Splitter,
    SplitterPort,
    SplitterPortStatus,
)
from ponaccept.domain.choices import Verdict
from ponaccept.domain.states import ProjectEvent, apply_project, is_provisioned
from ponaccept.jobs.outbox import emit


def project_ports(session: Session, project_id: int) -> list[tuple[Splitter, SplitterPort]]:
    rows = session.exec(
        select(Splitter, SplitterPort)
        .join(SplitterPort, col(SplitterPort.splitter_id) == col(Splitter.id))
        .where(Splitter.project_id == project_id)
        .order_by(col(Splitter.id), col(SplitterPort.number))
    ).all()
    return [(s, p) for s, p in rows]


def _latest_line_verdict(session: Session, activation_id: int) -> Verdict | None:
    row = session.exec(
        select(LineTest)
        .where(LineTest.activation_id == activation_id)
        .order_by(col(LineTest.measured_at).desc(), col(LineTest.id).desc())
    ).first()
    return row.verdict if row is not None else None


def _latest_service_verdict(session: Session, activation_id: int) -> Verdict | None:
    row = session.exec(
        select(ServiceTest)
        .where(ServiceTest.activation_id == activation_id)
        .order_by(col(ServiceTest.id).desc())
    ).first()
    return row.verdict if row is not None else None


def untested_ports(session: Session, project_id: int) -> list[str]:
    """Human-readable list of splitter ports without a passing latest attempt."""
    missing = []
    for splitter, port in project_ports(session, project_id):
        attempt = session.exec(
            select(func.max(Activation.attempt)).where(Activation.splitter_port_id == port.id)
        ).one()
        activation = (
            session.exec(
                select(Activation).where(
                    Activation.splitter_port_id == port.id, Activation.attempt == attempt
                )
            ).first()
            if attempt
            else None
        )
        if activation is None or activation.id is None:
            missing.append(f"{splitter.name}:{port.number} (not tested)")
            continue
        line = _latest_line_verdict(session, activation.id)
        service = _latest_service_verdict(session, activation.id)
        if line is not Verdict.PASS or service is not Verdict.PASS:
            missing.append(
                f"{splitter.name}:{port.number} (line {line.value if line else 'none'}, "
                f"service {service.value if service else 'none'})"
            )
    return missing


def _transition(session: Session, project: Project, event: ProjectEvent, payload: dict[str, object]) -> None:
    project.status = apply_project(project.status, event)
    session.add(project)
    session.flush()
    assert project.id is not None
    emit(
        session,
        f"project.{project.status.value}",
        "project",
        project.id,
        {"project_id": project.id, **payload},
    )


def submit(session: Session, project: Project) -> Project:
    assert project.id is not None
    lock_row(session, project)
    apply_project(project.status, ProjectEvent.SUBMIT_FOR_REVIEW)  # state check first: 409 names the state
    live = session.exec(select(Activation).where(Activation.project_id == project.id)).all()
    provisioned = [a for a in live if is_provisioned(a.status)]
    if provisioned:
        names = ", ".join(f"{a.id} ({a.status.value})" for a in provisioned)
        raise ConflictError(
            f"test ONUs are still provisioned: activations {names}; revoke them first",
            current_state=project.status.value,
            allowed_events=[ProjectEvent.SUBMIT_FOR_REVIEW.value],
        )
    if project.test_required:
        missing = untested_ports(session, project.id)
        if missing:
            raise ConflictError(
                f"splitter ports without a passing test: {', '.join(missing[:20])}"
                + (f" and {len(missing) - 20} more" if len(missing) > 20 else ""),
                current_state=project.status.value,
            )
    _transition(session, project, ProjectEvent.SUBMIT_FOR_REVIEW, {"status": "in_review"})
    session.commit()
    return project


def approve(session: Session, project: Project, reviewer: str) -> Project:
    assert project.id is not None
    lock_row(session, project)
    apply_project(project.status, ProjectEvent.ACCEPT)
    ports = []
    for splitter, port in project_ports(session, project.id):
        port.status = SplitterPortStatus.AVAILABLE
        session.add(port)
        ports.append(
            {
                "splitter_id": splitter.id,
                "splitter": splitter.name,
                "port": port.number,
                "splitter_port_id": port.id,
            }
        )
    _transition(
        session,
        project,
        ProjectEvent.ACCEPT,
        {"status": "accepted", "code": project.code, "reviewer": reviewer, "available_ports": ports},
    )
    session.commit()
    return project


def reject(session: Session, project: Project, reviewer: str, reason: str) -> Project:
    lock_row(session, project)
    _transition(
        session,
        project,
        ProjectEvent.REQUEST_RECTIFICATION,
        {"status": "rectification", "code": project.code, "reviewer": reviewer, "reason": reason},
    )
    project.rectification_reason = reason
    session.commit()
    return project
