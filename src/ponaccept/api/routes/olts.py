"""OLTs: create, list, read, update, delete (refused while anything hangs off the OLT)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlmodel import col, select

from ponaccept.api.crud import apply_patch, count_where, db_value, get_or_404, refuse_if_used
from ponaccept.api.deps import CurrentKey, SessionDep, WriteSessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, ConflictError
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, paginate
from ponaccept.api.schemas.common import CLI_TOKEN_REGEX, IdPath
from ponaccept.api.schemas.resources import OltCreate, OltRead, OltUpdate
from ponaccept.api.security import Role
from ponaccept.db.models import Activation, CommandLog, CvlanPool, Olt, PonPort
from ponaccept.domain.choices import Vendor

router = APIRouter(prefix="/olts", tags=["olts"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute)
WRITE = [require(Role.RESOURCE_SYSTEM)]


def _name_taken(session: SessionDep, name: str, *, except_id: int | None = None) -> bool:
    existing = session.exec(select(Olt).where(col(Olt.name) == name)).first()
    return existing is not None and existing.id != except_id


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=WRITE)
def create_olt(body: OltCreate, session: WriteSessionDep) -> OltRead:
    """Register an OLT. The SNMP community is referenced by name; its value stays in the secrets file."""
    if _name_taken(session, body.name):
        raise ConflictError(f"an OLT named {body.name!r} already exists", errors=[("body.name", "duplicate")])
    olt = Olt(**{k: db_value(v) for k, v in body.model_dump().items()})
    session.add(olt)
    session.commit()
    return OltRead.model_validate(olt)


@router.get("")
def list_olts(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    vendor: Vendor | None = None,
    name: Annotated[str | None, Query(pattern=CLI_TOKEN_REGEX)] = None,
    management_ip: Annotated[str | None, Query(max_length=45, pattern=r"^[0-9A-Fa-f.:]+$")] = None,
) -> Page[OltRead]:
    statement = select(Olt).order_by(col(Olt.id))
    if vendor is not None:
        statement = statement.where(col(Olt.vendor) == vendor)
    if name is not None:
        statement = statement.where(col(Olt.name) == name)
    if management_ip is not None:
        statement = statement.where(col(Olt.management_ip) == management_ip)
    return paginate(session, statement, page, OltRead)


@router.get("/{olt_id}")
def get_olt(olt_id: IdPath, session: SessionDep, _caller: CurrentKey) -> OltRead:
    return OltRead.model_validate(get_or_404(session, Olt, olt_id, "OLT"))


@router.patch("/{olt_id}", dependencies=WRITE)
def update_olt(olt_id: IdPath, body: OltUpdate, session: WriteSessionDep) -> OltRead:
    olt = get_or_404(session, Olt, olt_id, "OLT")
    if body.name is not None and _name_taken(session, body.name, except_id=olt_id):
        raise ConflictError(f"an OLT named {body.name!r} already exists", errors=[("body.name", "duplicate")])
    apply_patch(olt, body, clearable=frozenset({"snmp_community_ref"}))
    session.add(olt)
    session.commit()
    return OltRead.model_validate(olt)


@router.delete("/{olt_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=WRITE)
def delete_olt(olt_id: IdPath, session: WriteSessionDep) -> None:
    """Refused (409) while PON ports, activations, CVLAN pools or command logs refer to the OLT."""
    olt = get_or_404(session, Olt, olt_id, "OLT")
    refuse_if_used(
        "OLT",
        olt_id,
        {
            "PON ports": count_where(session, PonPort, col(PonPort.olt_id) == olt_id),
            "activations": count_where(session, Activation, col(Activation.olt_id) == olt_id),
            "CVLAN pools": count_where(session, CvlanPool, col(CvlanPool.olt_id) == olt_id),
            "device log entries": count_where(session, CommandLog, col(CommandLog.olt_id) == olt_id),
        },
    )
    session.delete(olt)
    session.commit()
