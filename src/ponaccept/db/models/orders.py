"""Install/repair work orders (reference/work-orders.md "Tables"), see also domain/ORDERS_INTERFACE.md.

``order_event`` is append-only and the source of truth: the timestamp columns of ``work_order``, the
``pause`` rows and the ``sla_clock`` snapshots are all derived from it (and rebuilt from it by
``repositories.orders.recompute_order``), so an edit or a late event gives the same answer as live updates.
The derived copies exist so metrics run as plain SQL over indexed columns instead of replaying events.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from ponaccept.db.models.base import CreatedAt, Timestamps, enum_field, utc_field
from ponaccept.domain.orders import AppointmentStatus, OrderEventType, OrderStatus, OrderType, UrgeChannel
from ponaccept.domain.sla import ClockKind, FaultCause, OverdueMeasure, PenaltyRounding, PenaltySettings


class OrderCalendar(CreatedAt, table=True):
    """A counted-time calendar. ``definition`` is the domain ``Calendar`` JSON (zone, weekly windows).

    Exceptions live in ``calendar_exception`` so they can be edited one date at a time; every edit bumps
    ``version``, which each clock snapshots.
    """

    __tablename__ = "calendar"
    __table_args__ = (CheckConstraint("version >= 1", name="version_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    version: int = 1
    definition: dict[str, Any] = Field(sa_type=JSON)


class CalendarException(SQLModel, table=True):
    """One local date that is closed (``windows == []``) or counted with other windows (调休 make-up day)."""

    __tablename__ = "calendar_exception"
    __table_args__ = (UniqueConstraint("calendar_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    calendar_id: int = Field(foreign_key="calendar.id", index=True)
    day: date
    windows: list[list[str]] = Field(default_factory=list, sa_type=JSON, description='[["08:00","20:00"]]')
    note: str | None = Field(default=None, max_length=200)


class OrderSlaPolicy(CreatedAt, table=True):
    """A versioned time limit. A change is a new row (``version + 1``); clocks keep the version they began
    with, so a mid-flight policy change never drops pause credit (GLPI #6902)."""

    __tablename__ = "sla_policy"
    __table_args__ = (
        UniqueConstraint("key", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("target_s > 0", name="target_positive"),
        CheckConstraint("penalty_base >= 0 AND penalty_day_s > 0", name="penalty_valid"),
        Index("ix_sla_policy_kind_effective", "kind", "effective_from"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, description="rule-set entry, e.g. seed.contact")
    version: int = 1
    kind: ClockKind = enum_field(ClockKind)
    target_s: int
    calendar_id: int | None = Field(default=None, foreign_key="calendar.id", description="NULL: district's")
    effective_from: datetime = utc_field()
    effective_to: datetime | None = utc_field(nullable=True)
    # Repair penalty rule (seed 001 服务扣罚), versioned with the time limit it belongs to; only
    # repair_completion policies use it.
    penalty_base: int = Field(default=20, ge=0, description="yuan per penalty day")
    penalty_day_s: int = Field(default=86400, gt=0, description="length of a penalty day in seconds")
    penalty_measure: OverdueMeasure = enum_field(OverdueMeasure, default=OverdueMeasure.NATURAL)
    penalty_rounding: PenaltyRounding = enum_field(PenaltyRounding, default=PenaltyRounding.WHOLE_DAYS)

    def penalty_settings(self) -> PenaltySettings:
        return PenaltySettings(
            base=self.penalty_base,
            day=timedelta(seconds=self.penalty_day_s),
            measure=self.penalty_measure,
            rounding=self.penalty_rounding,
        )


class Team(CreatedAt, table=True):
    __tablename__ = "team"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    contractor: str | None = Field(default=None, max_length=200)
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)


class District(CreatedAt, table=True):
    """A service district with its calendar and the two backlog thresholds (mobile team, emergency team)."""

    __tablename__ = "district"
    __table_args__ = (
        CheckConstraint("mobile_team_threshold >= 0", name="mobile_threshold_non_negative"),
        CheckConstraint("emergency_team_threshold >= mobile_team_threshold", name="thresholds_ordered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    calendar_id: int | None = Field(default=None, foreign_key="calendar.id", description="NULL: default")
    mobile_team_threshold: int = 40
    emergency_team_threshold: int = 60


class Technician(CreatedAt, table=True):
    __tablename__ = "technician"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    code: str = Field(max_length=64, unique=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    district_id: int | None = Field(default=None, foreign_key="district.id", index=True)
    active: bool = True


class Account(CreatedAt, table=True):
    """A broadband account; ``splitter_port_id`` is where its ONU hangs (set when an install completes)."""

    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    account_no: str = Field(max_length=64, unique=True)
    district_id: int = Field(foreign_key="district.id", index=True)
    address: str = Field(max_length=300)
    splitter_port_id: int | None = Field(default=None, foreign_key="splitter_port.id", index=True)


class WorkOrder(Timestamps, table=True):
    """One order. Timestamps and status are derived from ``order_event`` (see module docstring).

    ``created_at`` is the business creation time (when the customer's order was taken), not the insert
    time, so back-filled orders keep their real clocks.
    """

    __tablename__ = "work_order"
    __table_args__ = (
        Index("ix_work_order_district_status", "district_id", "status"),
        Index("ix_work_order_type_completed", "type", "completed_at"),
        Index("ix_work_order_type_created", "type", "created_at"),
        Index("ix_work_order_account_type_reported", "account_id", "type", "reported_at"),
        Index("ix_work_order_status_created", "status", "created_at"),
        CheckConstraint("penalty_days >= 0 AND penalty_amount >= 0", name="penalty_non_negative"),
        CheckConstraint("reopen_count >= 0", name="reopen_count_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    no: str = Field(max_length=64, unique=True, description="order number (CRM / 10086 reference)")
    type: OrderType = enum_field(OrderType)
    parent_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)
    account_id: int = Field(foreign_key="account.id")
    district_id: int = Field(foreign_key="district.id")
    address: str = Field(max_length=300)
    status: OrderStatus = enum_field(OrderStatus, default=OrderStatus.CREATED)
    status_before_deferral: OrderStatus | None = enum_field(OrderStatus, default=None, nullable=True)
    reported_at: datetime | None = utc_field(nullable=True)
    dispatched_at: datetime | None = utc_field(nullable=True, index=True)  # contact-timeliness month
    first_contact_at: datetime | None = utc_field(nullable=True)
    arrived_at: datetime | None = utc_field(nullable=True)
    first_completed_at: datetime | None = utc_field(nullable=True)
    completed_at: datetime | None = utc_field(nullable=True)
    closed_at: datetime | None = utc_field(nullable=True)
    cancelled_at: datetime | None = utc_field(nullable=True)
    reopen_count: int = 0
    last_transition_at: datetime | None = utc_field(nullable=True)
    technician_id: int | None = Field(default=None, foreign_key="technician.id", index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    splitter_port_id: int | None = Field(default=None, foreign_key="splitter_port.id", index=True)
    repeat_of_id: int | None = Field(default=None, foreign_key="work_order.id")
    is_repeat: bool = False
    project_id: int | None = Field(default=None, foreign_key="project.id", index=True)
    fault_category: str | None = Field(default=None, max_length=64)
    fault_cause: FaultCause | None = enum_field(FaultCause, default=None, nullable=True)
    penalty_exempt: bool = False
    penalty_days: int = 0
    penalty_amount: int = 0
    cancel_reason: str | None = Field(default=None, max_length=200)
    return_reason: str | None = Field(default=None, max_length=200)
    last_seq: int = 0


class OrderEvent(SQLModel, table=True):
    """Append-only history. ``at`` is when it happened (business time), ``recorded_at`` when we learnt it."""

    __tablename__ = "order_event"
    __table_args__ = (
        UniqueConstraint("order_id", "seq"),
        CheckConstraint("seq >= 1", name="seq_positive"),
        Index("ix_order_event_type_at", "type", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    seq: int
    at: datetime = utc_field()
    recorded_at: datetime = utc_field()
    type: OrderEventType = enum_field(OrderEventType)
    from_status: OrderStatus | None = enum_field(OrderStatus, default=None, nullable=True)
    to_status: OrderStatus | None = enum_field(OrderStatus, default=None, nullable=True)
    reason: str | None = Field(default=None, max_length=200)
    actor: str | None = Field(default=None, max_length=100)
    source: str | None = Field(default=None, max_length=32, description="api, import, crm…")
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class OrderPause(SQLModel, table=True):
    """A customer-caused pause (缓装) ``[start_at, end_at)``; ``end_at`` NULL while still deferred."""

    __tablename__ = "pause"
    __table_args__ = (CheckConstraint("end_at IS NULL OR end_at >= start_at", name="ordered"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    start_at: datetime = utc_field()
    end_at: datetime | None = utc_field(nullable=True)
    reason: str = Field(max_length=200)
    resume_date: date | None = None
    evidence_ref: str | None = Field(default=None, max_length=300)


class Appointment(Timestamps, table=True):
    __tablename__ = "appointment"
    __table_args__ = (
        CheckConstraint("slot_end IS NULL OR slot_end >= slot_start", name="slot_ordered"),
        Index("ix_appointment_order_status", "order_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    slot_start: datetime = utc_field(index=True)  # on-time-arrival month
    slot_end: datetime | None = utc_field(nullable=True)
    status: AppointmentStatus = enum_field(AppointmentStatus, default=AppointmentStatus.PROPOSED)
    created_by: str | None = Field(default=None, max_length=100)
    arrived_at: datetime | None = utc_field(nullable=True)


class Callback(SQLModel, table=True):
    """回访: reached or not; when reached, satisfied and 1–5 stars."""

    __tablename__ = "callback"
    __table_args__ = (CheckConstraint("stars IS NULL OR stars BETWEEN 1 AND 5", name="stars_range"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    at: datetime = utc_field()
    reached: bool
    satisfied: bool | None = None
    stars: int | None = None
    agent: str | None = Field(default=None, max_length=100)


class Urge(SQLModel, table=True):
    """催装/催修: the customer chased the order."""

    __tablename__ = "urge"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    at: datetime = utc_field()
    channel: UrgeChannel = enum_field(UrgeChannel, default=UrgeChannel.PHONE)


class Complaint(SQLModel, table=True):
    """A customer complaint; ``district_id`` is the account's, copied so 万投比 needs no join."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_district_at", "district_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    district_id: int = Field(foreign_key="district.id")
    at: datetime = utc_field()
    category: str = Field(max_length=64)
    order_id: int | None = Field(default=None, foreign_key="work_order.id", index=True)


class BilledCustomersMonthly(SQLModel, table=True):
    """Billed customers per district and month (denominator of 万投比); ``month`` is the 1st of the month."""

    __tablename__ = "billed_customers_monthly"
    __table_args__ = (
        UniqueConstraint("month", "district_id"),
        CheckConstraint("count >= 0", name="count_non_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    month: date
    district_id: int = Field(foreign_key="district.id", index=True)
    count: int


class SlaClock(SQLModel, table=True):
    """Cached clock snapshot per order and kind, recomputed from events on every event and by a sweep.

    For a stopped clock (``running`` false) every figure is final. For a running one the figures hold at
    ``evaluated_at``; metrics about open orders should re-read ``due_at`` against their own ``now``.
    """

    __tablename__ = "sla_clock"
    __table_args__ = (
        UniqueConstraint("order_id", "kind"),
        Index("ix_sla_clock_kind_breached", "kind", "breached"),
        Index("ix_sla_clock_running_due", "running", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    kind: ClockKind = enum_field(ClockKind)
    policy_id: int = Field(foreign_key="sla_policy.id")
    policy_key: str = Field(max_length=64)
    policy_version: int
    calendar_name: str = Field(max_length=64)
    calendar_version: int
    target_s: int
    start_at: datetime = utc_field()
    stop_at: datetime | None = utc_field(nullable=True)
    due_at: datetime = utc_field()
    elapsed_business_s: float
    breached: bool
    overdue_s: float
    overdue_natural_s: float
    running: bool
    paused: bool
    evaluated_at: datetime = utc_field()
