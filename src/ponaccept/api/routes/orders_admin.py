"""Reference data and account-level facts of work orders, mounted under ``/orders`` by ``routes.orders``.

Districts, calendars, SLA policies, teams and technicians are admin data (a calendar or policy change
affects every clock). Complaints and monthly billed-customer counts come from the CRM / billing side
(``resource_system``).
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Annotated

from fastapi import APIRouter, status
from sqlmodel import Session, col, select

from ponaccept.api.deps import AdminKey, CurrentKey, SessionDep, require
from ponaccept.api.errors import ConflictError, InvalidRequest, NotFoundError
from ponaccept.api.pagination import Page, PageDep, paginate
from ponaccept.api.schemas.common import IdPath
from ponaccept.api.schemas.orders import (
    BilledCustomersBody,
    BilledCustomersRead,
    CalendarCreate,
    CalendarExceptionBody,
    CalendarRead,
    ComplaintCreate,
    ComplaintRead,
    DistrictCreate,
    DistrictRead,
    PolicyCreate,
    PolicyRead,
    TeamCreate,
    TeamRead,
    TechnicianCreate,
    TechnicianRead,
)
from ponaccept.api.security import Principal, Role
from ponaccept.api.services import order_records as records
from ponaccept.api.services.orders import check_not_future, district_by_name, field_error
from ponaccept.db.models import (
    CalendarException,
    District,
    OrderCalendar,
    OrderSlaPolicy,
    Team,
    Technician,
)
from ponaccept.db.repositories.orders import ensure_seed_policies
from ponaccept.db.types import utcnow
from ponaccept.domain.sla import Calendar, ClockKind, InvalidCalendar

router = APIRouter()
Intake = Annotated[Principal, require(Role.RESOURCE_SYSTEM)]


def _unique(session: Session, model: type[District] | type[Team] | type[OrderCalendar], name: str) -> None:
    if session.exec(select(model.id).where(col(model.name) == name)).first() is not None:
        raise ConflictError(f"{name!r} already exists", errors=[("body.name", "duplicate")])


def _calendar_exists(session: Session, calendar_id: int | None, field: str = "body.calendar_id") -> None:
    if calendar_id is not None and session.get(OrderCalendar, calendar_id) is None:
        raise field_error(field, f"calendar {calendar_id} does not exist")


@router.post("/districts", status_code=status.HTTP_201_CREATED, tags=["order reference data"])
def create_district(body: DistrictCreate, session: SessionDep, _admin: AdminKey) -> DistrictRead:
    if body.emergency_team_threshold < body.mobile_team_threshold:
        raise field_error("body.emergency_team_threshold", "must not be below mobile_team_threshold")
    _unique(session, District, body.name)
    _calendar_exists(session, body.calendar_id)
    row = District(**body.model_dump())
    session.add(row)
    session.commit()
    return DistrictRead.model_validate(row)


@router.get("/districts", tags=["order reference data"])
def list_districts(session: SessionDep, _caller: CurrentKey, page: PageDep) -> Page[DistrictRead]:
    return paginate(session, select(District).order_by(col(District.id)), page, DistrictRead)


@router.post("/teams", status_code=status.HTTP_201_CREATED, tags=["order reference data"])
def create_team(body: TeamCreate, session: SessionDep, _admin: AdminKey) -> TeamRead:
    _unique(session, Team, body.name)
    district_id = district_by_name(session, body.district).id if body.district else None
    row = Team(name=body.name, contractor=body.contractor, district_id=district_id)
    session.add(row)
    session.commit()
    return TeamRead.model_validate(row)


@router.get("/teams", tags=["order reference data"])
def list_teams(session: SessionDep, _caller: CurrentKey, page: PageDep) -> Page[TeamRead]:
    return paginate(session, select(Team).order_by(col(Team.id)), page, TeamRead)


@router.post("/technicians", status_code=status.HTTP_201_CREATED, tags=["order reference data"])
def create_technician(body: TechnicianCreate, session: SessionDep, _admin: AdminKey) -> TechnicianRead:
    if session.exec(select(Technician.id).where(Technician.code == body.code)).first() is not None:
        raise ConflictError(f"technician {body.code!r} already exists", errors=[("body.code", "duplicate")])
    if body.team_id is not None and session.get(Team, body.team_id) is None:
        raise field_error("body.team_id", f"team {body.team_id} does not exist")
    district_id = district_by_name(session, body.district).id if body.district else None
    row = Technician(code=body.code, name=body.name, team_id=body.team_id, district_id=district_id)
    session.add(row)
    session.commit()
    return TechnicianRead.model_validate(row)


@router.get("/technicians", tags=["order reference data"])
def list_technicians(session: SessionDep, _caller: CurrentKey, page: PageDep) -> Page[TechnicianRead]:
    return paginate(session, select(Technician).order_by(col(Technician.id)), page, TechnicianRead)


def _windows(pairs: list[tuple[str, str]], field: str) -> tuple[tuple[time, time], ...]:
    try:
        return tuple((time.fromisoformat(a), time.fromisoformat(b)) for a, b in pairs)
    except ValueError as exc:
        raise field_error(field, f'windows are ["HH:MM", "HH:MM"] pairs: {exc}') from None


@router.post("/calendars", status_code=status.HTTP_201_CREATED, tags=["order reference data"])
def create_calendar(body: CalendarCreate, session: SessionDep, _admin: AdminKey) -> CalendarRead:
    _unique(session, OrderCalendar, body.name)
    weekly = tuple(_windows(day, f"body.weekly[{i}]") for i, day in enumerate(body.weekly))
    try:
        calendar = Calendar(id=body.name, version=1, tz=body.tz, weekly=weekly)
    except (InvalidCalendar, ValueError) as exc:
        raise InvalidRequest(str(exc), errors=[("body.weekly", str(exc))]) from None
    definition = calendar.model_dump(mode="json", exclude={"exceptions"})
    row = OrderCalendar(name=body.name, version=1, definition=definition)
    session.add(row)
    session.commit()
    return CalendarRead.model_validate(row)


@router.get("/calendars", tags=["order reference data"])
def list_calendars(session: SessionDep, _caller: CurrentKey, page: PageDep) -> Page[CalendarRead]:
    return paginate(session, select(OrderCalendar).order_by(col(OrderCalendar.id)), page, CalendarRead)


@router.put("/calendars/{calendar_id}/exceptions", tags=["order reference data"])
def put_calendar_exception(
    calendar_id: IdPath, body: CalendarExceptionBody, session: SessionDep, _admin: AdminKey
) -> CalendarRead:
    """Close a date or replace its windows (调休); bumps the calendar version seen by every new clock."""
    row = session.get(OrderCalendar, calendar_id)
    if row is None:
        raise NotFoundError("calendar", calendar_id)
    windows = _windows(body.windows, "body.windows")
    exception = session.exec(
        select(CalendarException).where(
            CalendarException.calendar_id == calendar_id, CalendarException.day == body.day
        )
    ).first() or CalendarException(calendar_id=calendar_id, day=body.day)
    exception.windows = [[a.isoformat("minutes"), b.isoformat("minutes")] for a, b in windows]
    exception.note = body.note
    row.version += 1
    session.add_all([exception, row])
    session.commit()
    return CalendarRead.model_validate(row)


@router.post("/policies", status_code=status.HTTP_201_CREATED, tags=["order reference data"])
def create_policy(body: PolicyCreate, session: SessionDep, _admin: AdminKey) -> PolicyRead:
    """A new version of a rule-set entry; the previous version of the key ends where this one starts."""
    _calendar_exists(session, body.calendar_id)
    check_not_future(body.effective_from, utcnow(), "body.effective_from", horizon=timedelta(days=3660))
    ensure_seed_policies(session)  # the seed set stays in force before the new policy's start
    previous = session.exec(
        select(OrderSlaPolicy)
        .where(OrderSlaPolicy.key == body.key)
        .order_by(col(OrderSlaPolicy.version).desc())
    ).first()
    penalty = {
        name: value
        for name in ("penalty_base", "penalty_day_s", "penalty_measure", "penalty_rounding")
        if (value := getattr(body, name)) is not None
    }
    if penalty and body.kind is not ClockKind.REPAIR_COMPLETION:
        name = next(iter(penalty))
        raise field_error(f"body.{name}", "a penalty rule belongs to a repair_completion policy")
    if previous is not None and previous.kind is not body.kind:
        raise field_error("body.kind", f"policy {body.key!r} measures {previous.kind.value}")
    if previous is not None:
        if body.effective_from <= previous.effective_from:
            raise field_error("body.effective_from", "a new version must start after the previous one")
        previous.effective_to = body.effective_from
        session.add(previous)
    row = OrderSlaPolicy(
        key=body.key,
        version=(previous.version + 1) if previous is not None else 1,
        kind=body.kind,
        target_s=body.target_s,
        calendar_id=body.calendar_id,
        effective_from=body.effective_from,
        **penalty,
    )
    session.add(row)
    session.commit()
    return PolicyRead.model_validate(row)


@router.get("/policies", tags=["order reference data"])
def list_policies(session: SessionDep, _caller: CurrentKey, page: PageDep) -> Page[PolicyRead]:
    return paginate(session, select(OrderSlaPolicy).order_by(col(OrderSlaPolicy.id)), page, PolicyRead)


@router.post("/complaints", status_code=status.HTTP_201_CREATED, tags=["orders"])
def create_complaint(body: ComplaintCreate, session: SessionDep, caller: Intake) -> ComplaintRead:
    row = records.complaint(
        session,
        account_no=body.account_no,
        category=body.category,
        at=body.at,
        now=utcnow(),
        order_id=body.order_id,
        actor=caller.name,
    )
    session.commit()
    return ComplaintRead.model_validate(row)


@router.put("/billed-customers", tags=["orders"])
def put_billed_customers(
    body: BilledCustomersBody, session: SessionDep, _caller: Intake
) -> BilledCustomersRead:
    """Billed customers of a district in a month (万投比 denominator); counts are ≥ 0."""
    row = records.set_billed_customers(
        session, month=body.month_start(), district=body.district, count=body.count
    )
    session.commit()
    return BilledCustomersRead.model_validate(row)
