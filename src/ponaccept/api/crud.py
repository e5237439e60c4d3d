"""Small helpers the resource routers share: fetch-or-404, apply a PATCH, refuse deletes in use."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, func, select
from sqlmodel import Session, SQLModel

from ponaccept.api.errors import ConflictError, InvalidRequest, NotFoundError

M = TypeVar("M", bound=SQLModel)


def get_or_404(session: Session, model: type[M], ident: int, entity: str) -> M:
    row = session.get(model, ident)
    if row is None:
        raise NotFoundError(entity, ident)
    return row


def db_value(value: Any) -> Any:
    """Request values as the columns store them (IP addresses as text)."""
    if isinstance(value, IPv4Address | IPv6Address):
        return str(value)
    return value


def apply_patch(
    row: SQLModel, patch: BaseModel, *, clearable: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Set the fields the client sent (``exclude_unset``). Returns them.

    ``null`` clears only the ``clearable`` fields; for any other field it is a 422 naming it.
    """
    changes = patch.model_dump(exclude_unset=True)
    nulls = sorted(name for name, value in changes.items() if value is None and name not in clearable)
    if nulls:
        raise InvalidRequest(
            f"{', '.join(nulls)} cannot be null",
            errors=[(f"body.{name}", "may not be null") for name in nulls],
        )
    for name, value in changes.items():
        setattr(row, name, db_value(value))
    return changes


def count_where(session: Session, model: type[SQLModel], condition: ColumnElement[bool]) -> int:
    return int(session.execute(select(func.count()).select_from(model).where(condition)).scalar_one())


def refuse_if_used(entity: str, ident: int, usages: dict[str, int]) -> None:
    """409 naming what still refers to the row; deletes never cascade into results or activations."""
    used = {what: n for what, n in usages.items() if n}
    if used:
        listed = ", ".join(f"{n} {what}" for what, n in used.items())
        raise ConflictError(f"{entity} {ident} cannot be deleted: it still has {listed}")
