"""Limit/offset pagination with a total count, shared by every list route.

    @router.get("", response_model=Page[OltRead])
    def list_olts(session: SessionDep, page: PageDep, vendor: Vendor | None = None) -> Page[OltRead]:
        statement = select(Olt).order_by(col(Olt.id))
        if vendor is not None:
            statement = statement.where(col(Olt.vendor) == vendor)
        return paginate(session, statement, page, OltRead)

Order by a unique column (id) so pages are stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.sql import Select
from sqlmodel import Session

T = TypeVar("T", bound=BaseModel)

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


class Page(BaseModel, Generic[T]):
    """One page of a list: ``items`` plus ``total`` matching rows (ignoring limit/offset)."""

    items: list[T]
    total: int = Field(ge=0, examples=[137])
    limit: int = Field(ge=1, examples=[DEFAULT_LIMIT])
    offset: int = Field(ge=0, examples=[0])


@dataclass(frozen=True)
class PageParams:
    limit: int
    offset: int


def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


PageDep = Annotated[PageParams, Depends(page_params)]


def count(session: Session, statement: Select[Any]) -> int:
    """Rows ``statement`` would return, without fetching them."""
    counted = select(func.count()).select_from(statement.order_by(None).subquery())
    return int(session.execute(counted).scalar_one())


def paginate(session: Session, statement: Select[Any], page: PageParams, schema: type[T]) -> Page[T]:
    """Run ``statement`` (selecting one ORM entity) for one page and convert rows with ``schema``."""
    rows = session.execute(statement.limit(page.limit).offset(page.offset)).scalars().all()
    return Page[schema](  # type: ignore[valid-type]
        items=[schema.model_validate(row, from_attributes=True) for row in rows],
        total=count(session, statement),
        limit=page.limit,
        offset=page.offset,
    )
