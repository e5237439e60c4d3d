"""Result and query types of the work-order metrics (see :mod:`ponaccept.db.repositories.order_metrics`).

Rates are derived properties over the stored counts, so the exports and the API can never show a rate
that disagrees with its numerator and denominator.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from ponaccept.db.repositories.errors import NotFound

DEFAULT_TZ = "Asia/Shanghai"
"""Months are the operator's local months (the default calendar's zone)."""


class Grouping(StrEnum):
    DISTRICT = "district"
    TEAM = "team"
    TECHNICIAN = "technician"
    PROJECT = "project"
    """Repairs attributed to the construction project (and contractor) accepted within 30 days before the
    fault report (``work_order.project_id``, set by the orders service); everything else is unassigned."""


class AlertLevel(StrEnum):
    NONE = "none"
    MOBILE_TEAM = "mobile_team"
    EMERGENCY_TEAM = "emergency_team"


class UnknownDistrict(NotFound, ValueError):
    """The ``--district`` / ``district`` filter names no district (a 4xx, not an empty report)."""


@dataclass(frozen=True)
class MetricsQuery:
    month: date
    grouping: Grouping = Grouping.DISTRICT
    district_id: int | None = None
    repeat_window_days: int = 30
    arrival_tolerance_s: int = 600
    tz: str = DEFAULT_TZ
    as_of: datetime | None = None
    """Instant for the backlog and open-breached figures (default: now)."""

    def __post_init__(self) -> None:
        if self.repeat_window_days < 1:
            raise ValueError("repeat window must be at least 1 day")
        if self.arrival_tolerance_s < 0:
            raise ValueError("arrival tolerance must be ≥ 0 s")
        if self.as_of is not None and (self.as_of.tzinfo is None or not 1970 <= self.as_of.year <= 2999):
            raise ValueError("as_of must be an aware time between 1970 and 2999")


def _rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


@dataclass
class MetricsRow:
    """All counts of one group (a district, team or technician; ``group_id`` None = unassigned)."""

    group_id: int | None
    group_name: str
    installs_completed: int = 0
    installs_on_time: int = 0
    installs_open_breached: int = 0
    onsite_compliant: int = 0
    repairs_completed: int = 0
    repairs_on_time: int = 0
    repairs_reopened: int = 0
    dispatched: int = 0
    contacted_on_time: int = 0
    visits: int = 0
    visits_on_time: int = 0
    repairs_reported: int = 0
    repeat_repairs: int = 0
    installs_created: int = 0
    installs_urged: int = 0
    repairs_created: int = 0
    repairs_urged: int = 0
    completed: int = 0
    called_back: int = 0
    callbacks_reached: int = 0
    satisfied: int = 0
    stars_sum: int = 0
    stars_count: int = 0
    complaining_accounts: int = 0
    billed_customers: int | None = None
    backlog: int = 0
    backlog_deferred: int = 0
    backlog_lt_24h: int = 0
    backlog_24_72h: int = 0
    backlog_gt_72h: int = 0
    penalty_orders: int = 0
    penalty_days: int = 0
    penalty_amount: int = 0
    penalty_exempt_orders: int = 0

    @property
    def install_timeliness(self) -> float | None:
        return _rate(self.installs_on_time, self.installs_completed)

    @property
    def onsite_compliance(self) -> float | None:
        return _rate(self.onsite_compliant, self.installs_completed)

    @property
    def repair_timeliness(self) -> float | None:
        return _rate(self.repairs_on_time, self.repairs_completed)

    @property
    def contact_timeliness(self) -> float | None:
        return _rate(self.contacted_on_time, self.dispatched)

    @property
    def on_time_arrival(self) -> float | None:
        return _rate(self.visits_on_time, self.visits)

    @property
    def repeat_fault_rate(self) -> float | None:
        return _rate(self.repeat_repairs, self.repairs_reported)

    @property
    def install_urge_rate(self) -> float | None:
        return _rate(self.installs_urged, self.installs_created)

    @property
    def repair_urge_rate(self) -> float | None:
        return _rate(self.repairs_urged, self.repairs_created)

    @property
    def callback_rate(self) -> float | None:
        return _rate(self.called_back, self.completed)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.callbacks_reached)

    @property
    def mean_stars(self) -> float | None:
        return _rate(self.stars_sum, self.stars_count)

    @property
    def complaints_per_10k(self) -> float | None:
        if not self.billed_customers:
            return None
        return self.complaining_accounts / self.billed_customers * 10_000

    def as_dict(self) -> dict[str, Any]:
        """Counts and rates, flat (the export and API shape)."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in RATE_NAMES:
            data[name] = getattr(self, name)
        return data


RATE_NAMES = (
    "install_timeliness",
    "onsite_compliance",
    "repair_timeliness",
    "contact_timeliness",
    "on_time_arrival",
    "repeat_fault_rate",
    "install_urge_rate",
    "repair_urge_rate",
    "callback_rate",
    "satisfaction_rate",
    "mean_stars",
    "complaints_per_10k",
)


@dataclass(frozen=True)
class BacklogAlert:
    district_id: int
    district_name: str
    backlog: int
    mobile_team_threshold: int
    emergency_team_threshold: int
    level: AlertLevel


@dataclass
class MetricsReport:
    query: MetricsQuery
    period_start: datetime
    period_end: datetime
    as_of: datetime
    rows: list[MetricsRow]
    total: MetricsRow
    alerts: list[BacklogAlert] = field(default_factory=list)
