"""Line-quality tests (线路质量): trigger an optics read and judge it; list results."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from sqlmodel import col, select

from ponaccept.api.deps import CurrentKey, SessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, NotFoundError
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, paginate
from ponaccept.api.schemas.tests import LineTestRead, LineTestRequest
from ponaccept.api.security import Role
from ponaccept.api.services.line_tests import run_line_test
from ponaccept.db.models import Activation, LineTest
from ponaccept.domain.choices import Verdict
from ponaccept.jobs.devices import DeviceAccess

router = APIRouter(tags=["line tests"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute)


def devices_of(request: Request) -> DeviceAccess:
    runtime = getattr(request.app.state, "job_runtime", None)
    if runtime is not None:
        devices: DeviceAccess = runtime.devices
        return devices
    return DeviceAccess(secrets_file=request.app.state.settings.secrets_file)


@router.post(
    "/activations/{activation_id}/line-tests",
    status_code=status.HTTP_201_CREATED,
    dependencies=[require(Role.ENGINEER)],
)
def create_line_test(
    activation_id: int, request: Request, session: SessionDep, body: LineTestRequest | None = None
) -> LineTestRead:
    """Read the four optical powers of the test ONU now (SNMP or CLI per the OLT's setting), judge them
    with the project's threshold profile and store the result. Repeatable; results are never overwritten.
    409 when the activation has no provisioned test ONU or the OLT cannot be read."""
    activation = session.get(Activation, activation_id)
    if activation is None:
        raise NotFoundError("activation", activation_id)
    options = body or LineTestRequest()
    test = run_line_test(
        request.app.state.engine,
        session,
        devices_of(request),
        activation,
        samples=options.samples,
        duration_s=options.duration_s,
    )
    session.commit()
    return LineTestRead.model_validate(test)


@router.get("/line-tests")
def list_line_tests(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    activation_id: int | None = None,
    project_id: int | None = None,
    verdict: Annotated[Verdict | None, Query(description=Verdict.describe())] = None,
) -> Page[LineTestRead]:
    """Stored line tests, newest last; filter by activation, project or verdict."""
    statement: Any = select(LineTest)
    if activation_id is not None:
        statement = statement.where(col(LineTest.activation_id) == activation_id)
    if project_id is not None:
        statement = statement.join(Activation, col(Activation.id) == col(LineTest.activation_id)).where(
            col(Activation.project_id) == project_id
        )
    if verdict is not None:
        statement = statement.where(col(LineTest.verdict) == verdict)
    return paginate(session, statement.order_by(col(LineTest.id)), page, LineTestRead)
