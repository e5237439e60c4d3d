"""Response models of ``GET /api/v1/order-metrics`` (the work-order service metrics)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ponaccept.api.schemas.common import enum_doc
from ponaccept.db.repositories.order_metrics import AlertLevel, Grouping


class MetricColumn(BaseModel):
    key: str = Field(examples=["install_timeliness"])
    label: str = Field(examples=["装机及时率"], description="English, or Chinese with `lang=zh`")


class OrderMetricsRow(BaseModel):
    """Counts of one group and the rates derived from them (fractions, None when the denominator is 0)."""

    model_config = ConfigDict(extra="forbid")

    group_id: int | None = Field(description="District / team / technician id; null = unassigned or total")
    group_name: str = Field(examples=["城区A"])
    installs_completed: int
    installs_on_time: int
    install_timeliness: float | None = Field(examples=[0.9364], description="装机及时率")
    installs_open_breached: int = Field(description="Open installs already past their limit (在途超时)")
    onsite_compliant: int
    onsite_compliance: float | None = Field(description="现场装机达标率")
    repairs_completed: int
    repairs_on_time: int
    repair_timeliness: float | None = Field(description="修障及时率")
    repairs_reopened: int
    dispatched: int
    contacted_on_time: int
    contact_timeliness: float | None = Field(description="预约及时率")
    visits: int
    visits_on_time: int
    on_time_arrival: float | None = Field(description="上门准时率 (±10 min of the confirmed slot start)")
    repairs_reported: int
    repeat_repairs: int
    repeat_fault_rate: float | None = Field(description="障碍重复申告率")
    installs_created: int
    installs_urged: int
    install_urge_rate: float | None = Field(description="催装率")
    repairs_created: int
    repairs_urged: int
    repair_urge_rate: float | None = Field(description="催修率")
    completed: int
    called_back: int
    callback_rate: float | None = Field(description="回访率")
    callbacks_reached: int
    satisfied: int
    satisfaction_rate: float | None = Field(description="满意率")
    stars_sum: int
    stars_count: int
    mean_stars: float | None = Field(description="Mean of 1–5 stars over reached call-backs")
    complaining_accounts: int
    billed_customers: int | None
    complaints_per_10k: float | None = Field(description="万投比 (district grouping only)")
    backlog: int = Field(description="Open orders at `as_of`, deferred excluded")
    backlog_deferred: int = Field(description="缓装 orders, reported beside the backlog")
    backlog_lt_24h: int
    backlog_24_72h: int
    backlog_gt_72h: int
    penalty_orders: int
    penalty_days: int
    penalty_amount: int
    penalty_exempt_orders: int


class BacklogAlertRead(BaseModel):
    district_id: int
    district_name: str
    backlog: int
    mobile_team_threshold: int
    emergency_team_threshold: int
    level: AlertLevel = Field(description=enum_doc(AlertLevel, "Who is called in."))


class OrderMetricsReport(BaseModel):
    month: str = Field(examples=["2026-11"])
    grouping: Grouping
    district_id: int | None
    repeat_window_days: int
    period_start: str = Field(description="Start of the local month, UTC ISO-8601")
    period_end: str
    as_of: str = Field(description="Instant of the backlog and open-breach figures")
    columns: list[MetricColumn]
    rows: list[OrderMetricsRow]
    total: OrderMetricsRow
    alerts: list[BacklogAlertRead]
