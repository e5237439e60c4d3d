"""Projects (工程资料): CRUD, the test-required rule, threshold assignment, splitter bulk import."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from pydantic import ValidationError
from sqlmodel import Session, col, select
from starlette.concurrency import run_in_threadpool

from ponaccept.api.crud import apply_patch, count_where, get_or_404, refuse_if_used
from ponaccept.api.deps import CurrentKey, SessionDep, WriteSessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, ConflictError, FieldProblem, InvalidRequest, field_path
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, paginate
from ponaccept.api.schemas.common import TEXT_REGEX, IdPath
from ponaccept.api.schemas.projects import ProjectCreate, ProjectRead, ProjectUpdate
from ponaccept.api.schemas.resources import CSV_COLUMNS, SplitterImport, SplitterImportResult, SplitterRead
from ponaccept.api.security import Role
from ponaccept.api.splitter_ops import csv_line, import_splitters, parse_csv
from ponaccept.db.models import Activation, Project, Splitter, ThresholdProfile
from ponaccept.domain.choices import ProjectStatus

router = APIRouter(
    prefix="/projects", tags=["projects"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute
)
WRITE = [require(Role.RESOURCE_SYSTEM)]
FilterText = Annotated[str | None, Query(min_length=1, max_length=200, pattern=TEXT_REGEX)]


def _check_profile(session: Session, profile_id: int | None) -> None:
    if profile_id is not None and session.get(ThresholdProfile, profile_id) is None:
        raise InvalidRequest(
            f"threshold profile {profile_id} does not exist",
            errors=[("body.threshold_profile_id", "unknown threshold profile")],
        )


def _splitter_count(session: Session, project_id: int) -> int:
    return count_where(session, Splitter, col(Splitter.project_id) == project_id)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create_project(body: ProjectCreate, session: WriteSessionDep) -> ProjectRead:
    if session.exec(select(Project.id).where(col(Project.code) == body.code)).first() is not None:
        raise ConflictError(f"a project with code {body.code!r} exists", errors=[("body.code", "duplicate")])
    _check_profile(session, body.threshold_profile_id)
    values = body.model_dump()
    values["test_required"] = bool(body.test_required)
    project = Project(**values)
    session.add(project)
    session.commit()
    return ProjectRead.model_validate(project)


@router.get("")
def list_projects(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    status: ProjectStatus | None = None,
    code: FilterText = None,
    contractor: FilterText = None,
    community: FilterText = None,
    test_required: bool | None = None,
) -> Page[ProjectRead]:
    statement = select(Project).order_by(col(Project.id))
    if status is not None:
        statement = statement.where(col(Project.status) == status)
    if code is not None:
        statement = statement.where(col(Project.code) == code)
    if contractor is not None:
        statement = statement.where(col(Project.contractor) == contractor)
    if community is not None:
        statement = statement.where(col(Project.community) == community)
    if test_required is not None:
        statement = statement.where(col(Project.test_required) == test_required)
    return paginate(session, statement, page, ProjectRead)


@router.get("/{project_id}")
def get_project(project_id: IdPath, session: SessionDep, _caller: CurrentKey) -> ProjectRead:
    return ProjectRead.model_validate(get_or_404(session, Project, project_id, "project"))


@router.patch("/{project_id}", dependencies=WRITE)
def update_project(project_id: IdPath, body: ProjectUpdate, session: WriteSessionDep) -> ProjectRead:
    """Edit data, the test-required flag, or assign a threshold profile version (null: the default)."""
    project = get_or_404(session, Project, project_id, "project")
    _check_profile(session, body.threshold_profile_id)
    if body.test_required is False and _splitter_count(session, project_id):
        raise ConflictError(
            "a project with splitters must be tested (seed 002); detach its splitters first",
            errors=[("body.test_required", "required while the project has splitters")],
        )
    apply_patch(project, body, clearable=frozenset({"contractor", "community", "threshold_profile_id"}))
    session.add(project)
    session.commit()
    return ProjectRead.model_validate(project)


@router.delete("/{project_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=WRITE)
def delete_project(project_id: IdPath, session: WriteSessionDep) -> None:
    project = get_or_404(session, Project, project_id, "project")
    refuse_if_used(
        "project",
        project_id,
        {
            "splitters": _splitter_count(session, project_id),
            "activations": count_where(session, Activation, col(Activation.project_id) == project_id),
        },
    )
    session.delete(project)
    session.commit()


_IMPORT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/SplitterImport"}},
            "text/csv": {
                "schema": {"type": "string"},
                "example": "name,ratio,olt,slot,port,fibre_length_km,connectors,splices,parent\n"
                "SPL-A,8,OLT-HZ-01,1,0,3.2,4,6,\nSPL-A-1,8,OLT-HZ-01,1,0,0.3,2,1,SPL-A\n",
            },
        },
    }
}


def _json_items(data: bytes) -> SplitterImport:
    try:
        return SplitterImport.model_validate_json(data)
    except ValidationError as exc:
        problems = [
            FieldProblem(field=field_path(["body", *error["loc"]]), message=error["msg"])
            for error in exc.errors()
        ]
        raise InvalidRequest(
            f"import refused, nothing was created: {len(problems)} problem(s)", errors=problems
        ) from None


_IMPORT_DESCRIPTION = f"""Create many splitters (and their ports) for the project in one transaction.

Send `application/json` (`{{"splitters": [...]}}`) or `text/csv` with a header row; CSV columns:
{", ".join(CSV_COLUMNS)}. Every row is validated first; if any is wrong nothing is created and the 422
lists each problem with its location: `body.splitters[2].ratio` (JSON) or `csv.line[4].ratio` (CSV, the
header being line 1). Parents are named by `parent` and may be rows of the same import. Unknown PON
ports, duplicate names and stage/parent mismatches are errors.
"""


def _json_location(index: int) -> str:
    return f"body.splitters[{index}]"


def _import(session: Session, project_id: int, content_type: str, data: bytes) -> SplitterImportResult:
    project = get_or_404(session, Project, project_id, "project")
    if content_type == "text/csv":
        items = parse_csv(data)
        locate = csv_line
    elif content_type in ("application/json", ""):
        items = _json_items(data).splitters
        locate = _json_location
    else:
        raise InvalidRequest(
            f"unsupported content type {content_type!r}; send application/json or text/csv",
            errors=[("header.Content-Type", "must be application/json or text/csv")],
        )
    created = import_splitters(session, project, items, locate)
    session.commit()
    return SplitterImportResult(
        created=len(created), splitters=[SplitterRead.model_validate(s) for s in created]
    )


@router.post(
    "/{project_id}/splitters/import",
    status_code=status.HTTP_201_CREATED,
    dependencies=WRITE,
    openapi_extra=_IMPORT_BODY,
    summary="Bulk import a project's splitters (JSON or CSV, all-or-nothing)",
    description=_IMPORT_DESCRIPTION,
)
async def import_project_splitters(
    project_id: IdPath, request: Request, session: WriteSessionDep
) -> SplitterImportResult:
    data = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return await run_in_threadpool(_import, session, project_id, content_type, data)
