"""Work orders (装机/修障工单): intake, field updates, call-backs, history and clocks.

Roles (docs/orders.md): ``resource_system`` is the CRM / 10086 intake and dispatch desk (create, dispatch,
cancel, urge, call-back, complaints, billed counts); ``engineer`` is the field technician (contact,
appointments, arrival, completion, deferral, abnormal activation, return, fault cause); ``admin`` also
manages districts, calendars, policies, teams and time corrections (``orders_admin``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from pydantic import AwareDatetime
from sqlmodel import Session, col, select

from ponaccept.api.deps import CurrentKey, SessionDep, require
from ponaccept.api.errors import PROBLEM_RESPONSES
from ponaccept.api.idempotency import IdempotentRoute
from ponaccept.api.pagination import Page, PageDep, paginate
from ponaccept.api.routes import orders_admin
from ponaccept.api.routes.activations import executor_of
from ponaccept.api.schemas.common import DB_INT_MAX, IdPath
from ponaccept.api.schemas.orders import (
    AppointmentCreate,
    AppointmentRead,
    ArriveBody,
    AtBody,
    CallbackBody,
    CallbackRead,
    ClockRead,
    ContactBody,
    CorrectionBody,
    DeferBody,
    DispatchBody,
    EventRead,
    FaultCauseBody,
    InstallCreate,
    MoveCreate,
    MoveRead,
    OrderDetail,
    OrderRead,
    ReasonBody,
    RepairCreate,
    ServiceChangeCreate,
    UrgeBody,
    UrgeRead,
)
from ponaccept.api.security import Principal, Role
from ponaccept.api.services import order_records as records
from ponaccept.api.services import orders as service
from ponaccept.db.models import Appointment, SlaClock, WorkOrder
from ponaccept.db.repositories.orders import events_of
from ponaccept.db.types import utcnow
from ponaccept.domain.orders import OrderEventType, OrderStatus, OrderType, allowed_events
from ponaccept.jobs.prediagnosis import submit_prediagnosis

router = APIRouter(
    prefix="/orders", tags=["orders"], responses=PROBLEM_RESPONSES, route_class=IdempotentRoute
)
router.include_router(orders_admin.router)

Intake = Annotated[Principal, require(Role.RESOURCE_SYSTEM)]
Field_ = Annotated[Principal, require(Role.ENGINEER)]
Desk = Annotated[Principal, require(Role.RESOURCE_SYSTEM, Role.ENGINEER)]
E = OrderEventType


def detail(session: Session, order: WorkOrder) -> OrderDetail:
    assert order.id is not None
    clocks = session.exec(
        select(SlaClock).where(SlaClock.order_id == order.id).order_by(col(SlaClock.kind))
    ).all()
    appointments = session.exec(
        select(Appointment).where(Appointment.order_id == order.id).order_by(col(Appointment.id))
    ).all()
    return OrderDetail.model_validate(
        {
            **OrderRead.model_validate(order).model_dump(),
            "events": [EventRead.model_validate(e) for e in events_of(session, order.id)],
            "clocks": [ClockRead.model_validate(c) for c in clocks],
            "appointments": [AppointmentRead.model_validate(a) for a in appointments],
            "allowed_events": [e.value for e in allowed_events(order.status, order_type=order.type)],
        }
    )


def _done(session: Session, order: WorkOrder) -> OrderDetail:
    session.commit()
    return detail(session, order)


# --- intake -----------------------------------------------------------------------------------------------


def _create(
    session: Session,
    caller: Principal,
    order_type: OrderType,
    body: InstallCreate | ServiceChangeCreate | RepairCreate,
) -> OrderDetail:
    order = service.create_order(
        session,
        order_type=order_type,
        no=body.no,
        account_no=body.account_no,
        district=body.district,
        address=body.address,
        created_at=body.created_at,
        reported_at=getattr(body, "reported_at", None),
        fault_category=getattr(body, "fault_category", None),
        splitter_port_id=getattr(body, "splitter_port_id", None),
        now=utcnow(),
        actor=caller.name,
    )
    return _done(session, order)


@router.post("/install", status_code=status.HTTP_201_CREATED)
def create_install(body: InstallCreate, session: SessionDep, caller: Intake) -> OrderDetail:
    return _create(session, caller, OrderType.INSTALL, body)


@router.post("/removal", status_code=status.HTTP_201_CREATED)
def create_removal(body: ServiceChangeCreate, session: SessionDep, caller: Intake) -> OrderDetail:
    return _create(session, caller, OrderType.REMOVAL, body)


@router.post("/resume", status_code=status.HTTP_201_CREATED)
def create_resume(body: ServiceChangeCreate, session: SessionDep, caller: Intake) -> OrderDetail:
    return _create(session, caller, OrderType.RESUME, body)


@router.post("/repair", status_code=status.HTTP_201_CREATED)
def create_repair(body: RepairCreate, session: SessionDep, caller: Intake, request: Request) -> OrderDetail:
    """Repair intake (10086/CRM). When the account's ONU location is known, a remote optical
    pre-diagnosis (先局内后局外) is queued at once; its verdict is attached to the order as an event."""
    created = _create(session, caller, OrderType.REPAIR, body)
    order = session.get(WorkOrder, created.id)
    if order is not None:
        submit_prediagnosis(session, executor_of(request), order)
    return created


@router.post("/move", status_code=status.HTTP_201_CREATED)
def create_move(body: MoveCreate, session: SessionDep, caller: Intake) -> MoveRead:
    parent, install, removal = service.create_move(
        session,
        no=body.no,
        account_no=body.account_no,
        district=body.district,
        new_address=body.new_address,
        splitter_port_id=body.splitter_port_id,
        created_at=body.created_at,
        now=utcnow(),
        actor=caller.name,
    )
    session.commit()
    return MoveRead(
        move=OrderRead.model_validate(parent),
        install=OrderRead.model_validate(install),
        removal=OrderRead.model_validate(removal),
    )


# --- reads ------------------------------------------------------------------------------------------------


@router.get("")
def list_orders(
    session: SessionDep,
    _caller: CurrentKey,
    page: PageDep,
    type: OrderType | None = None,
    status: OrderStatus | None = None,
    district_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
    account_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
    technician_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
    team_id: Annotated[int | None, Query(ge=1, le=DB_INT_MAX)] = None,
    is_repeat: bool | None = None,
    from_: Annotated[AwareDatetime | None, Query(alias="from", description="created_at ≥ from")] = None,
    to: Annotated[AwareDatetime | None, Query(description="created_at < to")] = None,
) -> Page[OrderRead]:
    statement = select(WorkOrder).order_by(col(WorkOrder.id))
    filters = {
        WorkOrder.type: type,
        WorkOrder.status: status,
        WorkOrder.district_id: district_id,
        WorkOrder.account_id: account_id,
        WorkOrder.technician_id: technician_id,
        WorkOrder.team_id: team_id,
        WorkOrder.is_repeat: is_repeat,
    }
    for column, value in filters.items():
        if value is not None:
            statement = statement.where(col(column) == value)
    if from_ is not None:
        statement = statement.where(col(WorkOrder.created_at) >= from_)
    if to is not None:
        statement = statement.where(col(WorkOrder.created_at) < to)
    return paginate(session, statement, page, OrderRead)


@router.get("/{order_id}")
def get_order(order_id: IdPath, session: SessionDep, _caller: CurrentKey) -> OrderDetail:
    return detail(session, service.get_order(session, order_id))


# --- transitions ------------------------------------------------------------------------------------------


@router.post("/{order_id}/dispatch")
def dispatch(order_id: IdPath, body: DispatchBody, session: SessionDep, caller: Intake) -> OrderDetail:
    """Dispatch, redispatch after a return, or reassign (the contact clock keeps its first dispatch)."""
    order = service.get_order(session, order_id)
    service.dispatch(
        session,
        order,
        technician_id=body.technician_id,
        team_id=body.team_id,
        at=body.at,
        now=utcnow(),
        actor=caller.name,
    )
    return _done(session, order)


def _simple(event: OrderEventType) -> Callable[[int, AtBody, Session, Principal], OrderDetail]:
    def handler(order_id: IdPath, body: AtBody, session: SessionDep, caller: Field_) -> OrderDetail:
        order = service.get_order(session, order_id)
        service.record(session, order, event, body.at, now=utcnow(), actor=caller.name)
        return _done(session, order)

    return handler


router.post("/{order_id}/resume", summary="Resume a deferred order (恢复)")(_simple(E.RESUME))
router.post("/{order_id}/fix", summary="Abnormal activation fixed (异常处理完毕)")(_simple(E.FIX))


@router.post("/{order_id}/contact")
def contact(order_id: IdPath, body: ContactBody, session: SessionDep, caller: Field_) -> OrderDetail:
    order = service.get_order(session, order_id)
    records.contact(
        session,
        order,
        at=body.at,
        now=utcnow(),
        slot_start=body.slot_start,
        slot_end=body.slot_end,
        actor=caller.name,
    )
    return _done(session, order)


@router.post("/{order_id}/arrive")
def arrive(order_id: IdPath, body: ArriveBody, session: SessionDep, caller: Field_) -> OrderDetail:
    order = service.get_order(session, order_id)
    records.arrive(
        session, order, at=body.at, now=utcnow(), appointment_id=body.appointment_id, actor=caller.name
    )
    return _done(session, order)


@router.post("/{order_id}/complete")
def complete(order_id: IdPath, body: AtBody, session: SessionDep, caller: Field_) -> OrderDetail:
    order = service.get_order(session, order_id)
    service.complete(session, order, at=body.at, now=utcnow(), actor=caller.name)
    return _done(session, order)


@router.post("/{order_id}/defer")
def defer(order_id: IdPath, body: DeferBody, session: SessionDep, caller: Field_) -> OrderDetail:
    """缓装: customer-caused; pauses every clock of the order until resumed."""
    order = service.get_order(session, order_id)
    payload = {
        "resume_date": body.resume_date.isoformat() if body.resume_date else None,
        "evidence_ref": body.evidence_ref,
    }
    service.record(
        session, order, E.DEFER, body.at, now=utcnow(), reason=body.reason, actor=caller.name, payload=payload
    )
    return _done(session, order)


@router.post("/{order_id}/abnormal")
def abnormal(order_id: IdPath, body: ReasonBody, session: SessionDep, caller: Field_) -> OrderDetail:
    """开通异常: operator-caused; the clocks keep running."""
    order = service.get_order(session, order_id)
    service.record(session, order, E.ABNORMAL, body.at, now=utcnow(), reason=body.reason, actor=caller.name)
    return _done(session, order)


@router.post("/{order_id}/return")
def return_order(order_id: IdPath, body: ReasonBody, session: SessionDep, caller: Field_) -> OrderDetail:
    """退单 (e.g. no resources at the address): back to the dispatcher."""
    order = service.get_order(session, order_id)
    service.return_order(session, order, reason=body.reason, at=body.at, now=utcnow(), actor=caller.name)
    return _done(session, order)


@router.post("/{order_id}/cancel")
def cancel(order_id: IdPath, body: ReasonBody, session: SessionDep, caller: Intake) -> OrderDetail:
    order = service.get_order(session, order_id)
    service.cancel(session, order, reason=body.reason, at=body.at, now=utcnow(), actor=caller.name)
    return _done(session, order)


@router.post("/{order_id}/reopen")
def reopen(order_id: IdPath, body: ReasonBody, session: SessionDep, caller: Desk) -> OrderDetail:
    """A repair reported as not fixed (e.g. at call-back): the completion clock runs again."""
    order = service.get_order(session, order_id)
    service.record(session, order, E.REOPEN, body.at, now=utcnow(), reason=body.reason, actor=caller.name)
    return _done(session, order)


@router.post("/{order_id}/fault-cause")
def fault_cause(order_id: IdPath, body: FaultCauseBody, session: SessionDep, caller: Field_) -> OrderDetail:
    """Where the fault was; OLT or trunk fibre exempts the repair from penalties."""
    order = service.get_order(session, order_id)
    service.set_fault_cause(
        session, order, body.fault_cause, at=body.at, now=utcnow(), actor=caller.name, payload=body.evidence
    )
    return _done(session, order)


# --- appointments -----------------------------------------------------------------------------------------


@router.post("/{order_id}/appointments", status_code=status.HTTP_201_CREATED)
def propose(
    order_id: IdPath, body: AppointmentCreate, session: SessionDep, caller: Field_
) -> AppointmentRead:
    order = service.get_order(session, order_id)
    row = records.propose_appointment(
        session,
        order,
        slot_start=body.slot_start,
        slot_end=body.slot_end,
        at=body.at,
        now=utcnow(),
        actor=caller.name,
    )
    session.commit()
    return AppointmentRead.model_validate(row)


def _appointment_action(
    action: Callable[..., Appointment],
) -> Callable[[int, int, AtBody, Session, Principal], AppointmentRead]:
    def handler(
        order_id: IdPath, appointment_id: IdPath, body: AtBody, session: SessionDep, caller: Field_
    ) -> AppointmentRead:
        order = service.get_order(session, order_id)
        row = action(session, order, appointment_id, at=body.at, now=utcnow(), actor=caller.name)
        session.commit()
        return AppointmentRead.model_validate(row)

    return handler


router.post("/{order_id}/appointments/{appointment_id}/confirm")(
    _appointment_action(records.confirm_appointment)
)
router.post("/{order_id}/appointments/{appointment_id}/missed", summary="No-show (爽约)")(
    _appointment_action(records.miss_appointment)
)
router.post("/{order_id}/appointments/{appointment_id}/attended")(
    _appointment_action(records.attend_appointment)
)


# --- call-backs, urges, corrections -----------------------------------------------------------------------


@router.post("/{order_id}/callbacks", status_code=status.HTTP_201_CREATED)
def callback(order_id: IdPath, body: CallbackBody, session: SessionDep, caller: Intake) -> CallbackRead:
    order = service.get_order(session, order_id)
    row = records.callback(
        session,
        order,
        reached=body.reached,
        satisfied=body.satisfied,
        stars=body.stars,
        at=body.at,
        now=utcnow(),
        agent=body.agent or caller.name,
    )
    session.commit()
    return CallbackRead.model_validate(row)


@router.post("/{order_id}/urges", status_code=status.HTTP_201_CREATED)
def urge(order_id: IdPath, body: UrgeBody, session: SessionDep, caller: Intake) -> UrgeRead:
    """催装/催修."""
    order = service.get_order(session, order_id)
    row = records.urge(session, order, channel=body.channel, at=body.at, now=utcnow(), actor=caller.name)
    session.commit()
    return UrgeRead.model_validate(row)


@router.post("/{order_id}/corrections", dependencies=[require(Role.ADMIN)])
def correct(order_id: IdPath, body: CorrectionBody, session: SessionDep, caller: CurrentKey) -> OrderDetail:
    """Fix the time of an earlier event; the order's columns, pauses and clocks are rebuilt from history."""
    order = service.get_order(session, order_id)
    now = utcnow()
    service.check_not_future(body.at, now, "body.at")
    service.record(
        session,
        order,
        E.CORRECT,
        now,
        now=now,
        actor=caller.name,
        payload={"seq": body.seq, "at": body.at.isoformat()},
    )
    return _done(session, order)
