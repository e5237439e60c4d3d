"""Activation work orders: dispatch (202), list, detail with device transcript, revocation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from sqlmodel import col, select

from ponaccept.api.deps import CurrentKey, SessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, NotFoundError
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, count
from ponaccept.api.schemas.activations import (
    ActivationDetail,
    ActivationRead,
    DispatchRequest,
    DispatchResponse,
    RevocationResponse,
)
from ponaccept.api.security import Role
from ponaccept.api.services.dispatch import dispatch_activations
from ponaccept.api.services.revocation import revoke_project, start_revocation
from ponaccept.api.services.txn import lock_row
from ponaccept.api.services.views import activation_detail, activation_views
from ponaccept.api.services.workflow_settings import WorkflowSettings, get_workflow_settings
from ponaccept.db.models import Activation, Project
from ponaccept.domain.choices import ActivationStatus, TestStatus
from ponaccept.jobs.executor import Executor

router = APIRouter(tags=["activations"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute)


def executor_of(request: Request) -> Executor | None:
    executor: Executor | None = getattr(request.app.state, "executor", None)
    return executor


def workflow_of(request: Request) -> WorkflowSettings:
    workflow: WorkflowSettings | None = getattr(request.app.state, "workflow", None)
    return workflow or get_workflow_settings()


def _project(session: SessionDep, project_id: int) -> Project:
    project = session.get(Project, project_id)
    if project is None:
        raise NotFoundError("project", project_id)
    return project


def _activation(session: SessionDep, activation_id: int) -> Activation:
    activation = session.get(Activation, activation_id)
    if activation is None:
        raise NotFoundError("activation", activation_id)
    return activation


@router.post(
    "/projects/{project_id}/activations",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[require(Role.RESOURCE_SYSTEM)],
)
def dispatch(
    project_id: int, body: DispatchRequest, request: Request, session: SessionDep
) -> DispatchResponse:
    """Dispatch activation work orders (端口激活) for splitters / splitter ports of the project.

    Answers 202 at once with the new activations (status ``not_activated``); the executor provisions
    the test ONUs in the background. Poll ``GET /activations/{id}`` or subscribe to webhooks.
    Send an ``Idempotency-Key`` to retry safely: the same key never creates a second activation.
    """
    project = _project(session, project_id)
    result = dispatch_activations(
        session,
        executor_of(request),
        project,
        request.app.state.settings,
        workflow_of(request),
        splitter_ids=body.splitter_ids,
        splitter_port_ids=body.splitter_port_ids,
    )
    return DispatchResponse(job_id=result.job_id, activations=activation_views(session, result.activations))


@router.get("/activations")
def list_activations(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    project_id: int | None = None,
    olt_id: int | None = None,
    splitter_port_id: int | None = None,
    status: Annotated[ActivationStatus | None, Query(description=ActivationStatus.describe())] = None,
    test_status: Annotated[TestStatus | None, Query(description=TestStatus.describe())] = None,
) -> Page[ActivationRead]:
    """The activation list (端口激活列表) with the seed's columns; filter by project, OLT, status."""
    statement: Any = select(Activation)
    for column, value in (
        (Activation.project_id, project_id),
        (Activation.olt_id, olt_id),
        (Activation.splitter_port_id, splitter_port_id),
        (Activation.status, status),
        (Activation.test_status, test_status),
    ):
        if value is not None:
            statement = statement.where(col(column) == value)
    total = count(session, statement)
    rows = session.exec(statement.order_by(col(Activation.id)).offset(page.offset).limit(page.limit)).all()
    return Page[ActivationRead](
        items=activation_views(session, rows), total=total, limit=page.limit, offset=page.offset
    )


@router.get("/activations/{activation_id}")
def get_activation(activation_id: int, session: SessionDep, _caller: CurrentKey) -> ActivationDetail:
    """One activation with its device transcript (every command sent for it, secrets masked)."""
    return activation_detail(session, _activation(session, activation_id))


@router.post(
    "/activations/{activation_id}/revoke",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[require(Role.RESOURCE_SYSTEM, Role.ENGINEER)],
)
def revoke(activation_id: int, request: Request, session: SessionDep) -> RevocationResponse:
    """Revoke the test ONU (撤销激活); 409 with the current state when it cannot be revoked now."""
    activation = lock_row(session, _activation(session, activation_id))
    job_id = start_revocation(session, executor_of(request), [activation])
    return RevocationResponse(job_id=job_id, activations=activation_views(session, [activation]))


@router.post(
    "/projects/{project_id}/revoke",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[require(Role.RESOURCE_SYSTEM, Role.ENGINEER)],
)
def revoke_all(project_id: int, request: Request, session: SessionDep) -> RevocationResponse:
    """Revoke every test ONU of the project that may still be on an OLT."""
    _project(session, project_id)
    found, job_id = revoke_project(session, executor_of(request), project_id)
    return RevocationResponse(job_id=job_id, activations=activation_views(session, found))
