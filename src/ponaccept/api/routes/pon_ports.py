"""PON ports of OLTs (SVLAN, optical class)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlmodel import col, select

from ponaccept.api.crud import apply_patch, count_where, get_or_404, refuse_if_used
from ponaccept.api.deps import CurrentKey, SessionDep, WriteSessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, ConflictError, InvalidRequest
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, paginate
from ponaccept.api.schemas.common import Id, IdPath
from ponaccept.api.schemas.resources import PonPortCreate, PonPortRead, PonPortUpdate
from ponaccept.api.security import Role
from ponaccept.db.models import Activation, CvlanPool, Olt, PonPort, Splitter
from ponaccept.domain.choices import OpticalClass

router = APIRouter(
    prefix="/pon-ports", tags=["pon-ports"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute
)
WRITE = [require(Role.RESOURCE_SYSTEM)]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create_pon_port(body: PonPortCreate, session: WriteSessionDep) -> PonPortRead:
    if session.get(Olt, body.olt_id) is None:
        raise InvalidRequest(f"OLT {body.olt_id} does not exist", errors=[("body.olt_id", "unknown OLT")])
    duplicate = session.exec(
        select(PonPort).where(
            col(PonPort.olt_id) == body.olt_id,
            col(PonPort.frame) == body.frame,
            col(PonPort.slot) == body.slot,
            col(PonPort.port) == body.port,
        )
    ).first()
    if duplicate is not None:
        raise ConflictError(
            f"OLT {body.olt_id} already has PON port {body.frame}/{body.slot}/{body.port} "
            f"(id {duplicate.id})",
            errors=[("body.port", "duplicate")],
        )
    pon_port = PonPort(**body.model_dump())
    session.add(pon_port)
    session.commit()
    return PonPortRead.model_validate(pon_port)


@router.get("")
def list_pon_ports(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    olt_id: Id | None = None,
    svlan: Annotated[int | None, Query(ge=1, le=4094)] = None,
    optical_class: OpticalClass | None = None,
) -> Page[PonPortRead]:
    statement = select(PonPort).order_by(col(PonPort.id))
    if olt_id is not None:
        statement = statement.where(col(PonPort.olt_id) == olt_id)
    if svlan is not None:
        statement = statement.where(col(PonPort.svlan) == svlan)
    if optical_class is not None:
        statement = statement.where(col(PonPort.optical_class) == optical_class)
    return paginate(session, statement, page, PonPortRead)


@router.get("/{pon_port_id}")
def get_pon_port(pon_port_id: IdPath, session: SessionDep, _caller: CurrentKey) -> PonPortRead:
    return PonPortRead.model_validate(get_or_404(session, PonPort, pon_port_id, "PON port"))


@router.patch("/{pon_port_id}", dependencies=WRITE)
def update_pon_port(pon_port_id: IdPath, body: PonPortUpdate, session: WriteSessionDep) -> PonPortRead:
    """Change SVLAN, optical class or Tx power. Running activations keep the SVLAN they were given."""
    pon_port = get_or_404(session, PonPort, pon_port_id, "PON port")
    apply_patch(pon_port, body, clearable=frozenset({"tx_power_dbm"}))
    session.add(pon_port)
    session.commit()
    return PonPortRead.model_validate(pon_port)


@router.delete("/{pon_port_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=WRITE)
def delete_pon_port(pon_port_id: IdPath, session: WriteSessionDep) -> None:
    pon_port = get_or_404(session, PonPort, pon_port_id, "PON port")
    refuse_if_used(
        "PON port",
        pon_port_id,
        {
            "splitters": count_where(session, Splitter, col(Splitter.pon_port_id) == pon_port_id),
            "activations": count_where(session, Activation, col(Activation.pon_port_id) == pon_port_id),
            "CVLAN pools": count_where(session, CvlanPool, col(CvlanPool.pon_port_id) == pon_port_id),
        },
    )
    session.delete(pon_port)
    session.commit()
