"""Install/repair work orders (装机/修障工单): vocabularies and the order state machine.

The machine follows reference/work-orders.md ("State machine and data model")::

    created ─dispatch→ dispatched ─contact→ appointed ─arrive→ on_site ─complete→ completed ─close→ closed
    dispatched/appointed ─reassign→ dispatched     (the contact clock is NOT restarted: first dispatch counts)
    appointed ─no_show→ appointed                  (appointment marked missed, a new slot follows)
    created/dispatched/appointed/on_site/exception ─defer→ deferred ─resume→ <the state before deferral>
    created/dispatched/appointed/on_site ─return_order→ returned ─redispatch→ dispatched
    on_site ─abnormal→ exception ─fix→ on_site     (开通异常: operator-caused, clocks keep running)
    completed ─reopen→ dispatched                  (a repair the customer reports as not fixed at call-back)
    any non-final state ─cancel→ cancelled
    move (parent): created ─complete→ completed (both legs done) | ─cancel→ cancelled

Two facts cannot be a fixed table entry: ``resume`` returns to the state recorded before the deferral (the
table maps it to :attr:`OrderStatus.DEFERRED` as a placeholder and :func:`next_status` substitutes), and
``reopen`` is only for repairs (a type guard). Events that record facts without moving the order (call-back
on a closed order, urges, appointment proposals) are in :data:`NON_TRANSITION_EVENTS`; they are still
appended to the event log, because the log is the single source the clocks are recomputed from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

from ponaccept.domain.errors import IllegalTransition
from ponaccept.domain.states import StateMachine


class _Labelled(StrEnum):
    @property
    def label_zh(self) -> str:
        return _LABELS_ZH.get(type(self).__name__, {}).get(self.value, self.value)

    @classmethod
    def describe(cls) -> str:
        """``value (中文)`` list, for OpenAPI enum descriptions."""
        return ", ".join(f"{m.value} ({m.label_zh})" for m in cls)


class OrderType(_Labelled):
    """What the order does. ``move`` is a parent with an ``install`` leg and a ``removal`` leg."""

    INSTALL = "install"
    MOVE = "move"
    REMOVAL = "removal"
    RESUME = "resume"
    REPAIR = "repair"


class OrderStatus(_Labelled):
    """Order states (≈ TMF621 trouble ticket / TMF641 service order states, mapped in docs/orders.md)."""

    CREATED = "created"
    DISPATCHED = "dispatched"
    APPOINTED = "appointed"
    ON_SITE = "on_site"
    COMPLETED = "completed"
    CLOSED = "closed"
    DEFERRED = "deferred"
    RETURNED = "returned"
    EXCEPTION = "exception"
    CANCELLED = "cancelled"


class OrderEventType(_Labelled):
    """Every kind of row in ``order_event``. Transition events change the status; the others only record."""

    CREATE = "create"
    DISPATCH = "dispatch"
    REASSIGN = "reassign"
    CONTACT = "contact"
    NO_SHOW = "no_show"
    ARRIVE = "arrive"
    COMPLETE = "complete"
    CLOSE = "close"
    DEFER = "defer"
    RESUME = "resume"
    RETURN_ORDER = "return_order"
    REDISPATCH = "redispatch"
    ABNORMAL = "abnormal"
    FIX = "fix"
    REOPEN = "reopen"
    CANCEL = "cancel"
    # Non-transition events: facts attached to the order without changing its state.
    APPOINTMENT_PROPOSED = "appointment_proposed"
    APPOINTMENT_CONFIRMED = "appointment_confirmed"
    APPOINTMENT_ATTENDED = "appointment_attended"
    CALLBACK = "callback"
    URGE = "urge"
    COMPLAINT = "complaint"
    FAULT_CAUSE_SET = "fault_cause_set"
    PORT_ASSIGNED = "port_assigned"
    CORRECT = "correct"  # fixes the time of an earlier event: payload {"seq": n, "at": iso}; history is kept


class AppointmentStatus(_Labelled):
    """TMF646-style appointment states; ``missed`` feeds the ±10-minute arrival rule."""

    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    MISSED = "missed"
    ATTENDED = "attended"
    CANCELLED = "cancelled"


class UrgeChannel(_Labelled):
    PHONE = "phone"
    APP = "app"
    HOTLINE_10086 = "hotline_10086"
    OTHER = "other"


_LABELS_ZH: dict[str, dict[str, str]] = {
    "OrderType": {"install": "装机", "move": "移机", "removal": "拆机", "resume": "复机", "repair": "修障"},
    "OrderStatus": {
        "created": "已建单",
        "dispatched": "已派单",
        "appointed": "已预约",
        "on_site": "已上门",
        "completed": "已竣工",
        "closed": "已归档",
        "deferred": "缓装",
        "returned": "退单",
        "exception": "开通异常",
        "cancelled": "撤单",
    },
    "OrderEventType": {
        "create": "建单",
        "dispatch": "派单",
        "reassign": "改派",
        "contact": "预约联系",
        "no_show": "爽约",
        "arrive": "上门",
        "complete": "竣工",
        "close": "回访归档",
        "defer": "缓装",
        "resume": "恢复",
        "return_order": "退单",
        "redispatch": "重新派单",
        "abnormal": "开通异常",
        "fix": "异常处理完毕",
        "reopen": "重开",
        "cancel": "撤单",
        "appointment_proposed": "预约提议",
        "appointment_confirmed": "预约确认",
        "appointment_attended": "按约上门",
        "callback": "回访",
        "urge": "催单",
        "complaint": "投诉",
        "fault_cause_set": "障碍定位",
        "port_assigned": "分配端口",
        "correct": "时间更正",
    },
    "AppointmentStatus": {
        "proposed": "待确认",
        "confirmed": "已确认",
        "missed": "爽约",
        "attended": "已履约",
        "cancelled": "已取消",
    },
    "UrgeChannel": {"phone": "电话", "app": "APP", "hotline_10086": "10086", "other": "其他"},
}

FINAL_STATUSES: frozenset[OrderStatus] = frozenset({OrderStatus.CLOSED, OrderStatus.CANCELLED})
"""No further transition (a closed repair cannot be reopened: a new report is a new, repeat, order)."""

OPEN_STATUSES: frozenset[OrderStatus] = frozenset(
    {
        OrderStatus.CREATED,
        OrderStatus.DISPATCHED,
        OrderStatus.APPOINTED,
        OrderStatus.ON_SITE,
        OrderStatus.DEFERRED,
        OrderStatus.RETURNED,
        OrderStatus.EXCEPTION,
    }
)
"""Backlog (积压) statuses; ``deferred`` is among them and reported separately by the metrics."""

DONE_STATUSES: frozenset[OrderStatus] = frozenset({OrderStatus.COMPLETED, OrderStatus.CLOSED})

DEFERRABLE: frozenset[OrderStatus] = frozenset(
    {
        OrderStatus.CREATED,
        OrderStatus.DISPATCHED,
        OrderStatus.APPOINTED,
        OrderStatus.ON_SITE,
        OrderStatus.EXCEPTION,
    }
)

NON_TRANSITION_EVENTS: frozenset[OrderEventType] = frozenset(
    {
        OrderEventType.APPOINTMENT_PROPOSED,
        OrderEventType.APPOINTMENT_CONFIRMED,
        OrderEventType.APPOINTMENT_ATTENDED,
        OrderEventType.CALLBACK,
        OrderEventType.URGE,
        OrderEventType.COMPLAINT,
        OrderEventType.FAULT_CAUSE_SET,
        OrderEventType.PORT_ASSIGNED,
        OrderEventType.CORRECT,
    }
)

_S = OrderStatus
_E = OrderEventType


def _rows() -> Iterable[tuple[OrderStatus, OrderEventType, OrderStatus]]:
    yield (_S.CREATED, _E.DISPATCH, _S.DISPATCHED)
    yield (_S.DISPATCHED, _E.REASSIGN, _S.DISPATCHED)
    yield (_S.APPOINTED, _E.REASSIGN, _S.DISPATCHED)
    yield (_S.DISPATCHED, _E.CONTACT, _S.APPOINTED)
    yield (_S.APPOINTED, _E.CONTACT, _S.APPOINTED)
    yield (_S.APPOINTED, _E.NO_SHOW, _S.APPOINTED)
    yield (_S.APPOINTED, _E.ARRIVE, _S.ON_SITE)
    yield (_S.ON_SITE, _E.COMPLETE, _S.COMPLETED)
    yield (_S.COMPLETED, _E.CLOSE, _S.CLOSED)
    yield (_S.COMPLETED, _E.REOPEN, _S.DISPATCHED)
    yield (_S.ON_SITE, _E.ABNORMAL, _S.EXCEPTION)
    yield (_S.EXCEPTION, _E.FIX, _S.ON_SITE)
    for source in (_S.CREATED, _S.DISPATCHED, _S.APPOINTED, _S.ON_SITE):
        yield (source, _E.RETURN_ORDER, _S.RETURNED)
    yield (_S.RETURNED, _E.REDISPATCH, _S.DISPATCHED)
    for source in sorted(DEFERRABLE):
        yield (source, _E.DEFER, _S.DEFERRED)
    yield (_S.DEFERRED, _E.RESUME, _S.DEFERRED)  # placeholder: next_status() returns the pre-deferral state
    for source in sorted(OPEN_STATUSES):
        yield (source, _E.CANCEL, _S.CANCELLED)


ORDER_MACHINE: StateMachine[OrderStatus, OrderEventType] = StateMachine(
    "work order", MappingProxyType({(s, e): t for s, e, t in _rows()})
)

REPAIR_ONLY_EVENTS: frozenset[OrderEventType] = frozenset({OrderEventType.REOPEN})


def next_status(
    state: OrderStatus,
    event: OrderEventType,
    *,
    order_type: OrderType,
    before_deferral: OrderStatus | None = None,
) -> OrderStatus:
    """The status after ``event``; raises :class:`IllegalTransition` (HTTP 409) when not allowed.

    ``before_deferral`` is the status the order had when it was deferred; ``resume`` goes back there.
    Non-transition events are accepted in every state except ``cancelled`` and keep the status.
    """
    if event in NON_TRANSITION_EVENTS:
        if state is OrderStatus.CANCELLED and event is not OrderEventType.COMPLAINT:
            raise IllegalTransition("work order", state.value, event.value, [])
        return state
    if event in REPAIR_ONLY_EVENTS and order_type is not OrderType.REPAIR:
        allowed = [e.value for e in allowed_events(state, order_type=order_type)]
        raise IllegalTransition("work order", state.value, event.value, allowed)
    if order_type is OrderType.MOVE:
        # A move parent only groups its legs; the legs carry the work (and the clocks). It completes when
        # both legs are done and is cancelled with them.
        if event is OrderEventType.COMPLETE and state is OrderStatus.CREATED:
            return OrderStatus.COMPLETED
        if event is OrderEventType.CANCEL and state in OPEN_STATUSES:
            return OrderStatus.CANCELLED
        allowed = [e.value for e in allowed_events(state, order_type=order_type)]
        raise IllegalTransition("work order", state.value, event.value, allowed)
    target = ORDER_MACHINE.apply(state, event)
    if event is OrderEventType.RESUME:
        if before_deferral is None or before_deferral not in DEFERRABLE:
            raise IllegalTransition("work order", state.value, event.value, ["cancel"])
        return before_deferral
    return target


def allowed_events(state: OrderStatus, *, order_type: OrderType) -> tuple[OrderEventType, ...]:
    """Transition events accepted in ``state`` for an order of ``order_type`` (for 409 bodies and docs)."""
    if order_type is OrderType.MOVE:
        if state is OrderStatus.CREATED:
            return (OrderEventType.COMPLETE, OrderEventType.CANCEL)
        return (OrderEventType.CANCEL,) if state in OPEN_STATUSES else ()
    return tuple(
        e
        for e in ORDER_MACHINE.allowed_events(state)
        if order_type is OrderType.REPAIR or e not in REPAIR_ONLY_EVENTS
    )


def status_labels() -> Mapping[str, str]:
    """Status value → Chinese label, for report headers."""
    return {s.value: s.label_zh for s in OrderStatus}
