"""Review and acceptance (资源验收 / 二次审核): submit, approve, reject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from ponaccept.api.deps import SessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, NotFoundError
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.schemas.reviews import RejectRequest, ReviewResult
from ponaccept.api.security import Principal, Role
from ponaccept.api.services import reviews
from ponaccept.db.models import Project

router = APIRouter(
    prefix="/projects", tags=["reviews"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute
)


def _project(session: SessionDep, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError("project", project_id)
    return project


def _result(project: Project, reason: str | None = None) -> ReviewResult:
    assert project.id is not None
    return ReviewResult(
        project_id=project.id, status=project.status, status_label_zh=project.status.label_zh, reason=reason
    )


@router.post("/{project_id}/submit", dependencies=[require(Role.RESOURCE_SYSTEM, Role.ENGINEER)])
def submit(project_id: int, session: SessionDep) -> ReviewResult:
    """testing → in_review. 409 while any test ONU is still provisioned or a splitter port lacks a
    passing test (latest attempt: line and service test both pass)."""
    return _result(reviews.submit(session, _project(session, project_id)))


@router.post("/{project_id}/approve")
def approve(
    project_id: int, session: SessionDep, caller: Annotated[Principal, require(Role.REVIEWER)]
) -> ReviewResult:
    """in_review → accepted: splitter ports become available and ``project.accepted`` is sent to the
    account-opening system (webhook)."""
    return _result(reviews.approve(session, _project(session, project_id), caller.name))


@router.post("/{project_id}/reject")
def reject(
    project_id: int,
    body: RejectRequest,
    session: SessionDep,
    caller: Annotated[Principal, require(Role.REVIEWER)],
) -> ReviewResult:
    """in_review → rectification (整改) with a reason.

    Re-testing creates new activations; old results stay."""
    return _result(
        reviews.reject(session, _project(session, project_id), caller.name, body.reason), body.reason
    )
