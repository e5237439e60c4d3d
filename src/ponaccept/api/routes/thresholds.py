"""Threshold profiles: list versions, read, create, and change (= a new version; admin only).

A version is immutable: line tests keep pointing at the version they were judged with, so a change
never re-judges stored results.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from sqlalchemy import func
from sqlmodel import Session, col, select

from ponaccept.api.crud import get_or_404
from ponaccept.api.deps import CurrentKey, SessionDep, WriteSessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES, ConflictError, InvalidRequest
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, count
from ponaccept.api.schemas.common import CLI_TOKEN_REGEX, IdPath
from ponaccept.api.schemas.thresholds import (
    ThresholdLimits,
    ThresholdProfileCreate,
    ThresholdProfilePatch,
    ThresholdProfileRead,
)
from ponaccept.api.security import Role
from ponaccept.api.thresholds_map import to_domain_profile
from ponaccept.db.models import ThresholdProfile
from ponaccept.db.repositories import thresholds as repo
from ponaccept.domain.errors import InvalidThresholdProfile

router = APIRouter(
    prefix="/threshold-profiles",
    tags=["thresholds"],
    responses=PROBLEM_RESPONSES,
    route_class=IdempotentRoute,
)
ADMIN = [require(Role.ADMIN)]


def _latest_versions(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(col(ThresholdProfile.name), func.max(col(ThresholdProfile.version))).group_by(
            col(ThresholdProfile.name)
        )
    ).all()
    return {name: int(version) for name, version in rows}


def _read(row: ThresholdProfile, latest_version: int | None) -> ThresholdProfileRead:
    data: dict[str, Any] = row.model_dump()
    data["latest"] = latest_version == row.version
    return ThresholdProfileRead.model_validate(data)


def _check_coherent(row: ThresholdProfile) -> None:
    """Reject limits the domain judge could not use (e.g. minimum above overload)."""
    try:
        to_domain_profile(row)
    except InvalidThresholdProfile as exc:
        raise InvalidRequest(str(exc), errors=[("body", str(exc))]) from None
    except ValueError as exc:  # pydantic ValidationError: a limit outside the judge's range
        raise InvalidRequest(
            "the limits are out of range", errors=[("body", str(exc).splitlines()[0])]
        ) from None


@router.get("")
def list_profiles(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    name: Annotated[str | None, Query(pattern=CLI_TOKEN_REGEX)] = None,
    latest: Annotated[bool, Query(description="Only the newest version of each profile")] = False,
) -> Page[ThresholdProfileRead]:
    """Profile versions, newest first per name. ``name`` lists one profile's history."""
    statement = select(ThresholdProfile).order_by(
        col(ThresholdProfile.name), col(ThresholdProfile.version).desc()
    )
    if name is not None:
        statement = statement.where(col(ThresholdProfile.name) == name)
    if latest:
        newest = (
            select(col(ThresholdProfile.name), func.max(col(ThresholdProfile.version)).label("version"))
            .group_by(col(ThresholdProfile.name))
            .subquery()
        )
        statement = statement.join(
            newest,
            (col(ThresholdProfile.name) == newest.c.name)
            & (col(ThresholdProfile.version) == newest.c.version),
        )
    versions = _latest_versions(session)
    rows = session.exec(statement.limit(page.limit).offset(page.offset)).all()
    return Page[ThresholdProfileRead](
        items=[_read(row, versions.get(row.name)) for row in rows],
        total=count(session, statement),
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{profile_id}")
def get_profile(profile_id: IdPath, session: SessionDep, _caller: CurrentKey) -> ThresholdProfileRead:
    row = get_or_404(session, ThresholdProfile, profile_id, "threshold profile")
    return _read(row, _latest_versions(session).get(row.name))


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=ADMIN)
def create_profile(body: ThresholdProfileCreate, session: WriteSessionDep) -> ThresholdProfileRead:
    """Create version 1 of a new profile."""
    if repo.latest(session, body.name) is not None:
        raise ConflictError(
            f"threshold profile {body.name!r} exists; change it with PUT/PATCH (creates a new version)",
            errors=[("body.name", "duplicate")],
        )
    candidate = ThresholdProfile(version=1, **body.model_dump())
    _check_coherent(candidate)
    row = repo.create_profile(session, **body.model_dump())
    session.commit()
    return _read(row, row.version)


def _revise(session: Session, profile_id: int, changes: dict[str, Any]) -> ThresholdProfileRead:
    current = get_or_404(session, ThresholdProfile, profile_id, "threshold profile")
    newest = repo.latest(session, current.name)
    assert newest is not None
    if newest.id != current.id:
        raise ConflictError(
            f"version {current.version} of {current.name!r} is not the latest (v{newest.version}, "
            f"id {newest.id}); change the latest version",
            current_state=f"v{newest.version}",
        )
    values = current.model_dump(include=set(repo.REVISABLE_FIELDS))
    values.update(changes)
    _check_coherent(ThresholdProfile(name=current.name, version=current.version + 1, **values))
    row = repo.revise(session, current.name, **changes)
    session.commit()
    return _read(row, row.version)


@router.put("/{profile_id}", status_code=status.HTTP_201_CREATED, dependencies=ADMIN)
def replace_profile(
    profile_id: IdPath, body: ThresholdLimits, session: WriteSessionDep
) -> ThresholdProfileRead:
    """New version with exactly these limits. ``profile_id`` must be the latest version (else 409)."""
    return _revise(session, profile_id, body.model_dump())


@router.patch("/{profile_id}", status_code=status.HTTP_201_CREATED, dependencies=ADMIN)
def change_profile(
    profile_id: IdPath, body: ThresholdProfilePatch, session: WriteSessionDep
) -> ThresholdProfileRead:
    """New version with the given limits changed and the others copied from the latest version."""
    changes = body.model_dump(exclude_unset=True)
    nulls = [k for k, v in changes.items() if v is None and k not in ("olt_rx_min_dbm", "tolerance_db")]
    if nulls:
        raise InvalidRequest("cannot be null", errors=[(f"body.{k}", "may not be null") for k in nulls])
    if not changes:
        raise InvalidRequest("nothing to change", errors=[("body", "give at least one limit")])
    return _revise(session, profile_id, changes)
