"""Request and response bodies of ``/api/v1/orders`` (work orders, their facts and reference data)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, StringConstraints, field_validator

from ponaccept.api.schemas.common import TEXT_REGEX, Id, InputModel, ReadModel, Text64, Text200, enum_doc
from ponaccept.domain.orders import AppointmentStatus, OrderEventType, OrderStatus, OrderType, UrgeChannel
from ponaccept.domain.sla import ClockKind, FaultCause, OverdueMeasure, PenaltyRounding

Address = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=TEXT_REGEX)
]
At = Annotated[
    AwareDatetime | None,
    Field(default=None, description="When it happened (ISO 8601 with offset); default: now"),
]


class _Intake(InputModel):
    no: Text64 | None = Field(default=None, description="Order number from the CRM; generated when absent")
    account_no: Text64 = Field(examples=["ACC-0001"])
    district: Text64 = Field(examples=["city"], description="District name (must exist)")
    address: Address = Field(examples=["3-2-501 Garden Road"])
    created_at: AwareDatetime | None = Field(default=None, description="Order time; default: now")


class InstallCreate(_Intake):
    splitter_port_id: Id = Field(description="An accepted (available) splitter port; reserved by the order")


class ServiceChangeCreate(_Intake):
    """Removal (拆机) or resume (复机): acts on the account's current splitter port."""


class RepairCreate(_Intake):
    reported_at: AwareDatetime = Field(
        description="When the customer reported the fault (not after created_at)"
    )
    fault_category: Text64 | None = Field(default=None, examples=["no_internet"])


class MoveCreate(InputModel):
    no: Text64 | None = None
    account_no: Text64
    district: Text64
    new_address: Address
    splitter_port_id: Id = Field(description="Port at the new address (accepted, available)")
    created_at: AwareDatetime | None = None


class DispatchBody(InputModel):
    technician_id: Id | None = None
    team_id: Id | None = None
    at: At = None


class AtBody(InputModel):
    at: At = None


class ReasonBody(InputModel):
    reason: Text200
    at: At = None


class DeferBody(InputModel):
    reason: Text200 = Field(examples=["customer travelling"])
    resume_date: date | None = Field(default=None, description="Planned resume date (local)")
    evidence_ref: Text200 | None = None
    at: At = None


class ContactBody(InputModel):
    at: At = None
    slot_start: AwareDatetime | None = Field(default=None, description="Agreed slot → confirmed appointment")
    slot_end: AwareDatetime | None = None


class AppointmentCreate(InputModel):
    slot_start: AwareDatetime
    slot_end: AwareDatetime | None = None
    at: At = None


class ArriveBody(InputModel):
    appointment_id: Id | None = Field(default=None, description="Default: the latest confirmed appointment")
    at: At = None


class CallbackBody(InputModel):
    reached: bool
    satisfied: bool | None = None
    stars: int | None = Field(default=None, ge=1, le=5)
    agent: Text64 | None = None
    at: At = None


class UrgeBody(InputModel):
    channel: UrgeChannel = Field(default=UrgeChannel.PHONE, description=enum_doc(UrgeChannel))
    at: At = None


class FaultCauseBody(InputModel):
    fault_cause: FaultCause = Field(description=enum_doc(FaultCause))
    at: At = None
    evidence: dict[str, Any] = Field(default_factory=dict, description="Readings or notes kept on the event")


class CorrectionBody(InputModel):
    seq: Id = Field(description="Sequence number of the event whose time was wrong")
    at: AwareDatetime


class ComplaintCreate(InputModel):
    account_no: Text64
    category: Text64 = Field(examples=["slow_install"])
    order_id: Id | None = None
    at: At = None


class BilledCustomersBody(InputModel):
    month: str = Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-11"])
    district: Text64
    count: int = Field(ge=0, le=2_147_483_647)

    def month_start(self) -> date:
        return date.fromisoformat(f"{self.month}-01")

    @field_validator("month")
    @classmethod
    def _real_month(cls, value: str) -> str:
        date.fromisoformat(f"{value}-01")
        return value


# --- reference data ---------------------------------------------------------------------------------------


class DistrictCreate(InputModel):
    name: Text64
    calendar_id: Id | None = None
    mobile_team_threshold: int = Field(default=40, ge=0, le=1_000_000)
    emergency_team_threshold: int = Field(default=60, ge=0, le=1_000_000)


class TeamCreate(InputModel):
    name: Text64
    contractor: Text200 | None = None
    district: Text64 | None = None


class TechnicianCreate(InputModel):
    code: Text64
    name: Text64
    team_id: Id | None = None
    district: Text64 | None = None


class CalendarCreate(InputModel):
    name: Text64
    tz: Text64 = Field(default="Asia/Shanghai", examples=["Asia/Shanghai"])
    weekly: list[list[tuple[str, str]]] = Field(
        default_factory=lambda: [[("08:00", "20:00")]] * 7,
        description="Seven lists (Monday first) of local [start, end] windows; end <= start: past midnight",
    )


class CalendarExceptionBody(InputModel):
    day: date
    windows: list[tuple[str, str]] = Field(default_factory=list, description="[] closes the day")
    note: Text200 | None = None


_PENALTY_ONLY_REPAIR = "Repair penalty rule (服务扣罚); only for kind repair_completion."


class PolicyCreate(InputModel):
    key: Text64 = Field(examples=["set2.contact"])
    kind: ClockKind
    target_s: int = Field(gt=0, le=365 * 86400)
    calendar_id: Id | None = None
    effective_from: AwareDatetime
    penalty_base: int | None = Field(
        default=None,
        ge=0,
        le=100_000,
        examples=[20],
        description=f"Yuan per day (default 20). {_PENALTY_ONLY_REPAIR}",
    )
    penalty_day_s: int | None = Field(
        default=None,
        gt=0,
        le=7 * 86400,
        examples=[86400],
        description=f"Length of a penalty day in seconds (default 86400). {_PENALTY_ONLY_REPAIR}",
    )
    penalty_measure: OverdueMeasure | None = Field(
        default=None,
        description=(
            f"natural (wall clock minus pauses, default) or business (counted time). {_PENALTY_ONLY_REPAIR}"
        ),
    )
    penalty_rounding: PenaltyRounding | None = Field(
        default=None,
        description=(
            "whole_days (⌊overdue/day⌋, default) or started_days (⌈overdue/day⌉); nothing is charged under "
            f"one day either way. {_PENALTY_ONLY_REPAIR}"
        ),
    )


# --- responses --------------------------------------------------------------------------------------------


class DistrictRead(ReadModel):
    id: int
    name: str
    calendar_id: int | None
    mobile_team_threshold: int
    emergency_team_threshold: int


class TeamRead(ReadModel):
    id: int
    name: str
    contractor: str | None
    district_id: int | None


class TechnicianRead(ReadModel):
    id: int
    code: str
    name: str
    team_id: int | None
    district_id: int | None


class CalendarRead(ReadModel):
    id: int
    name: str
    version: int
    definition: dict[str, Any]


class PolicyRead(ReadModel):
    id: int
    key: str
    version: int
    kind: ClockKind
    target_s: int
    calendar_id: int | None
    effective_from: datetime
    effective_to: datetime | None
    penalty_base: int
    penalty_day_s: int
    penalty_measure: OverdueMeasure
    penalty_rounding: PenaltyRounding


class OrderRead(ReadModel):
    id: int
    no: str
    type: OrderType = Field(description=enum_doc(OrderType))
    parent_id: int | None
    account_id: int
    district_id: int
    address: str
    status: OrderStatus = Field(description=enum_doc(OrderStatus))
    created_at: datetime
    reported_at: datetime | None
    dispatched_at: datetime | None
    first_contact_at: datetime | None
    arrived_at: datetime | None
    first_completed_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None
    cancelled_at: datetime | None
    reopen_count: int
    technician_id: int | None
    team_id: int | None
    splitter_port_id: int | None
    repeat_of_id: int | None
    is_repeat: bool
    project_id: int | None
    fault_category: str | None
    fault_cause: FaultCause | None
    penalty_exempt: bool
    penalty_days: int
    penalty_amount: int
    cancel_reason: str | None
    return_reason: str | None


class EventRead(ReadModel):
    seq: int
    at: datetime
    recorded_at: datetime
    type: OrderEventType = Field(description=enum_doc(OrderEventType))
    from_status: OrderStatus | None
    to_status: OrderStatus | None
    reason: str | None
    actor: str | None
    source: str | None
    payload: dict[str, Any]


class ClockRead(ReadModel):
    kind: ClockKind
    policy_key: str
    policy_version: int
    calendar_name: str
    calendar_version: int
    target_s: int
    start_at: datetime
    stop_at: datetime | None
    due_at: datetime
    elapsed_business_s: float
    breached: bool
    overdue_s: float
    overdue_natural_s: float
    running: bool
    paused: bool
    evaluated_at: datetime


class AppointmentRead(ReadModel):
    id: int
    slot_start: datetime
    slot_end: datetime | None
    status: AppointmentStatus = Field(description=enum_doc(AppointmentStatus))
    arrived_at: datetime | None


class OrderDetail(OrderRead):
    events: list[EventRead]
    clocks: list[ClockRead]
    appointments: list[AppointmentRead]
    allowed_events: list[str]


class MoveRead(ReadModel):
    move: OrderRead
    install: OrderRead
    removal: OrderRead


class CallbackRead(ReadModel):
    id: int
    order_id: int
    at: datetime
    reached: bool
    satisfied: bool | None
    stars: int | None


class UrgeRead(ReadModel):
    id: int
    order_id: int
    at: datetime
    channel: UrgeChannel


class ComplaintRead(ReadModel):
    id: int
    account_id: int
    district_id: int
    at: datetime
    category: str
    order_id: int | None


class BilledCustomersRead(ReadModel):
    month: date
    district_id: int
    count: int
