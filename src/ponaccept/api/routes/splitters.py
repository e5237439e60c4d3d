"""Splitters (分光器) and their output ports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlmodel import col, delete, select

from ponaccept.api.crud import apply_patch, count_where, get_or_404, refuse_if_used
from ponaccept.api.deps import CurrentKey, SessionDep, WriteSessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, ConflictError, InvalidRequest
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, paginate
from ponaccept.api.schemas.common import Id, IdPath
from ponaccept.api.schemas.resources import (
    SplitterCreate,
    SplitterPortRead,
    SplitterPortUpdate,
    SplitterRead,
    SplitterUpdate,
)
from ponaccept.api.security import Role
from ponaccept.api.splitter_ops import create_splitter, mark_test_required
from ponaccept.db.models import Activation, Project, Splitter, SplitterPort, SplitterPortStatus

router = APIRouter(tags=["splitters"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute)
WRITE = [require(Role.RESOURCE_SYSTEM)]


@router.post("/splitters", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create(body: SplitterCreate, session: WriteSessionDep) -> SplitterRead:
    """Create a splitter and its ports 1..port_count (default: the ratio).

    Stage 1 hangs off ``pon_port_id``; a deeper stage names ``parent_splitter_id`` (the PON port and
    stage then follow from the parent). Attaching it to a project makes that project's test required.
    """
    splitter = create_splitter(session, body)
    session.commit()
    return SplitterRead.model_validate(splitter)


@router.get("/splitters")
def list_splitters(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    project_id: Id | None = None,
    pon_port_id: Id | None = None,
    parent_splitter_id: Id | None = None,
    stage: Annotated[int | None, Query(ge=1, le=4)] = None,
) -> Page[SplitterRead]:
    statement = select(Splitter).order_by(col(Splitter.id))
    if project_id is not None:
        statement = statement.where(col(Splitter.project_id) == project_id)
    if pon_port_id is not None:
        statement = statement.where(col(Splitter.pon_port_id) == pon_port_id)
    if parent_splitter_id is not None:
        statement = statement.where(col(Splitter.parent_splitter_id) == parent_splitter_id)
    if stage is not None:
        statement = statement.where(col(Splitter.stage) == stage)
    return paginate(session, statement, page, SplitterRead)


@router.get("/splitters/{splitter_id}")
def get_splitter(splitter_id: IdPath, session: SessionDep, _caller: CurrentKey) -> SplitterRead:
    return SplitterRead.model_validate(get_or_404(session, Splitter, splitter_id, "splitter"))


@router.patch("/splitters/{splitter_id}", dependencies=WRITE)
def update_splitter(splitter_id: IdPath, body: SplitterUpdate, session: WriteSessionDep) -> SplitterRead:
    """Change name, segment data, address or project. Ratio and parent are fixed: re-create instead."""
    splitter = get_or_404(session, Splitter, splitter_id, "splitter")
    if body.name is not None and body.name != splitter.name:
        clash = session.exec(
            select(Splitter.id).where(
                col(Splitter.pon_port_id) == splitter.pon_port_id, col(Splitter.name) == body.name
            )
        ).first()
        if clash is not None:
            raise ConflictError(
                f"splitter {clash} on the same PON port is already named {body.name!r}",
                errors=[("body.name", "duplicate")],
            )
    if body.project_id is not None and session.get(Project, body.project_id) is None:
        raise InvalidRequest("unknown project", errors=[("body.project_id", "unknown project")])
    apply_patch(splitter, body, clearable=frozenset({"project_id", "address", "community"}))
    mark_test_required(session, splitter.project_id)
    session.add(splitter)
    session.commit()
    return SplitterRead.model_validate(splitter)


@router.delete("/splitters/{splitter_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=WRITE)
def delete_splitter(splitter_id: IdPath, session: WriteSessionDep) -> None:
    """Delete a splitter with its ports; refused (409) if it feeds splitters or a port was ever tested."""
    splitter = get_or_404(session, Splitter, splitter_id, "splitter")
    port_ids = select(SplitterPort.id).where(col(SplitterPort.splitter_id) == splitter_id)
    refuse_if_used(
        "splitter",
        splitter_id,
        {
            "child splitters": count_where(
                session, Splitter, col(Splitter.parent_splitter_id) == splitter_id
            ),
            "activations": count_where(session, Activation, col(Activation.splitter_port_id).in_(port_ids)),
        },
    )
    # Ports first, as one statement: left to the unit of work (no ORM relationship between the two) the
    # splitter row could go first and the ON DELETE CASCADE would leave the port DELETEs matching nothing.
    session.execute(delete(SplitterPort).where(col(SplitterPort.splitter_id) == splitter_id))
    session.delete(splitter)
    session.commit()


@router.get("/splitters/{splitter_id}/ports")
def list_ports_of_splitter(
    splitter_id: IdPath, session: SessionDep, _caller: CurrentKey, page: PageDep
) -> Page[SplitterPortRead]:
    get_or_404(session, Splitter, splitter_id, "splitter")
    statement = (
        select(SplitterPort)
        .where(col(SplitterPort.splitter_id) == splitter_id)
        .order_by(col(SplitterPort.number))
    )
    return paginate(session, statement, page, SplitterPortRead)


@router.get("/splitter-ports")
def list_splitter_ports(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    splitter_id: Id | None = None,
    project_id: Id | None = None,
    status: SplitterPortStatus | None = None,
) -> Page[SplitterPortRead]:
    statement = select(SplitterPort).order_by(col(SplitterPort.id))
    if splitter_id is not None:
        statement = statement.where(col(SplitterPort.splitter_id) == splitter_id)
    if project_id is not None:
        in_project = select(Splitter.id).where(col(Splitter.project_id) == project_id)
        statement = statement.where(col(SplitterPort.splitter_id).in_(in_project))
    if status is not None:
        statement = statement.where(col(SplitterPort.status) == status)
    return paginate(session, statement, page, SplitterPortRead)


@router.get("/splitter-ports/{port_id}")
def get_splitter_port(port_id: IdPath, session: SessionDep, _caller: CurrentKey) -> SplitterPortRead:
    return SplitterPortRead.model_validate(get_or_404(session, SplitterPort, port_id, "splitter port"))


@router.patch("/splitter-ports/{port_id}", dependencies=WRITE)
def update_splitter_port(
    port_id: IdPath, body: SplitterPortUpdate, session: WriteSessionDep
) -> SplitterPortRead:
    """Set a port's resource status (e.g. in_use once sold, faulty) or its drop-cable length."""
    port = get_or_404(session, SplitterPort, port_id, "splitter port")
    apply_patch(port, body, clearable=frozenset({"drop_length_km"}))
    session.add(port)
    session.commit()
    return SplitterPortRead.model_validate(port)
