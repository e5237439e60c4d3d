"""Apply a driver plan on a session; on failure undo the applied steps in reverse order.

A device never keeps a half-applied plan: when step N fails, the undos of the steps before it that
actually changed something run last-first. If the session broke (timeout, dropped connection) the
rollback runs on a fresh session from ``reconnect``; if even that is impossible the outcome says
``needs_reconcile`` so the reconciler cleans up later — nothing is silently left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ponaccept.drivers.base import Plan, Step
from ponaccept.drivers.check import StepOutcome, check_step
from ponaccept.drivers.errors import DriverError
from ponaccept.netops.session import DeviceSession, SessionBroken


@dataclass
class RollbackReport:
    attempted: list[str] = field(default_factory=list)
    undone: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def complete(self) -> bool:
        return self.error is None and self.attempted == self.undone


class PlanFailed(Exception):
    """A step failed; ``rollback`` says what was undone and ``needs_reconcile`` whether cleanup is owed."""

    def __init__(self, step: Step, cause: BaseException, rollback: RollbackReport) -> None:
        self.step = step
        self.cause = cause
        self.rollback = rollback
        self.needs_reconcile = not rollback.complete
        undo = (
            "rolled back: " + (", ".join(rollback.undone) or "nothing to undo")
            if rollback.complete
            else f"ROLLBACK INCOMPLETE ({rollback.error}); needs reconcile"
        )
        super().__init__(f"step {step.name} failed: {cause}; {undo}")


def run_plan(session: DeviceSession, plan: Plan) -> list[StepOutcome]:
    """Run every step; raise the step's error (typed) or :class:`SessionBroken` on the first failure."""
    outcomes: list[StepOutcome] = []
    for step in plan.steps:
        outcomes.append(check_step(step, session.run_step(step)))
    return outcomes


def apply_plan(
    session: DeviceSession,
    plan: Plan,
    reconnect: Callable[[], DeviceSession] | None = None,
) -> list[StepOutcome]:
    """Apply ``plan``; on failure roll back and raise :class:`PlanFailed`."""
    outcomes: list[StepOutcome] = []
    for step in plan.steps:
        try:
            outcomes.append(check_step(step, session.run_step(step)))
        except (DriverError, SessionBroken) as exc:
            changed = [o.step for o in outcomes if o.changed]
            rollback = _roll_back(session, changed, reconnect)
            raise PlanFailed(step, exc, rollback) from exc
    session.leave_to_top()
    return outcomes


def _roll_back(
    session: DeviceSession, applied: list[Step], reconnect: Callable[[], DeviceSession] | None
) -> RollbackReport:
    undos = [s.undo for s in reversed(applied) if s.undo is not None]
    report = RollbackReport(attempted=[u.name for u in undos])
    if not undos:
        return report
    if session.broken:
        if reconnect is None:
            report.error = "session lost and no way to reconnect"
            return report
        try:
            session = reconnect()
        except Exception as exc:  # unreachable device: the reconciler owns the cleanup now
            report.error = f"cannot reconnect for rollback: {exc}"
            return report
    for undo in undos:
        try:
            check_step(undo, session.run_step(undo))
        except (DriverError, SessionBroken) as exc:
            report.error = f"undo {undo.name} failed: {exc}"
            return report
        report.undone.append(undo.name)
    session.leave_to_top()
    return report
