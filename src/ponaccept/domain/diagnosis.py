"""Remote pre-diagnosis of a repair order (先局内后局外): classify from one PON port's readings.

Before a technician is sent, the office reads the customer's ONU *and every neighbour on the same PON
port* in one per-port read. Looking at the neighbours is what separates the four situations that need
different people:

* **port fault** — many ONUs of the port are offline or degraded at once: the OLT port or the feeder
  (trunk) fibre failed. That is the network department's job, and seed 002 exempts such repairs from the
  penalty (``FaultCause.OLT`` / ``FaultCause.TRUNK_FIBRE``). Checked first, because during a feeder cut the
  customer's ONU is also "offline alone" from its own point of view.
* **ONU offline alone** — the customer's ONU is not online while the port is healthy: customer power or
  the drop fibre. A field visit to the customer.
* **line fault** — the ONU is online but its receive power is below the threshold, or the measured
  attenuation exceeds the splitter port's predicted loss (:mod:`ponaccept.domain.link_budget`) by more than
  a tolerance: dirty connector, macro-bend, damaged drop. A line repair.
* **customer side** — everything reads normal: the problem is in the home (Wi-Fi, router, PC).

Every threshold is a parameter (:class:`DiagnosisThresholds`): operators run different ODN classes and
different "how many is many" rules. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ponaccept.domain.link_budget import LinkBudget
from ponaccept.domain.optics import Measured, OpticalReadings, reading_dbm
from ponaccept.domain.sla import DEFAULT_PENALTY_EXEMPT_CAUSES, FaultCause

__all__ = [
    "Diagnosis",
    "DiagnosisThresholds",
    "Dispatch",
    "OnuCondition",
    "PortOnu",
    "Verdict",
    "classify",
]

_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Verdict(StrEnum):
    """What the pre-diagnosis concluded (values are stored; ``label_zh`` is shown to dispatchers)."""

    ONU_OFFLINE_ALONE = "onu_offline_alone"
    LINE_FAULT = "line_fault"
    PORT_FAULT = "port_fault"
    CUSTOMER_SIDE = "customer_side"
    UNKNOWN = "unknown"

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self.value]


class Dispatch(StrEnum):
    """Who should take the order next — the point of diagnosing before dispatching."""

    CUSTOMER_VISIT = "customer_visit"
    LINE_REPAIR = "line_repair"
    NETWORK_DEPARTMENT = "network_department"
    REMOTE_GUIDANCE = "remote_guidance"
    MANUAL = "manual"

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH[self.value]


_LABELS_ZH = {
    "onu_offline_alone": "光猫单独离线（用户断电/入户光缆）",
    "line_fault": "线路故障（收光过低/衰减超标）",
    "port_fault": "OLT/主干光缆故障（同PON口多用户异常）",
    "customer_side": "光路正常（用户侧问题）",
    "unknown": "无法判断",
    "customer_visit": "派装维上门（电源/入户线）",
    "line_repair": "派线路维护",
    "network_department": "移交网络部（OLT/主干）",
    "remote_guidance": "远程指导/上门排查终端",
    "manual": "人工判断",
}


class OnuCondition(StrEnum):
    ONLINE = "online"
    DEGRADED = "degraded"
    OFFLINE = "offline"


class PortOnu(BaseModel):
    """One ONU configured on the PON port: whether it is online and, if so, its readings."""

    model_config = _FROZEN

    ont_id: int = Field(ge=0)
    online: bool
    readings: OpticalReadings | None = None
    description: str | None = None


class DiagnosisThresholds(BaseModel):
    """Classification limits. Defaults: end-user Rx −27 dBm, 3 dB over prediction, half the port and ≥ 3."""

    model_config = _FROZEN

    onu_rx_min_dbm: float = Field(default=-27.0, ge=-40.0, le=0.0)
    """Below this ONU receive power a line is degraded (the end-user limit of the operator's spec)."""
    excess_attenuation_db: float = Field(default=3.0, gt=0.0, le=20.0)
    """Measured downstream attenuation above the predicted loss by more than this is a line fault."""
    port_fault_share: float = Field(default=0.5, gt=0.0, le=1.0)
    """Share of the port's ONUs offline or degraded from which the port (OLT/feeder) is suspected."""
    port_fault_min_onus: int = Field(default=3, ge=1)
    """…and at least this many: two neighbours off on a 4-ONU port is a coincidence, not a cut."""
    olt_tx_min_dbm: float = Field(default=0.0, ge=-10.0, le=10.0)
    """A PON port launching less than this (or nothing) points at the OLT rather than the fibre."""


class Diagnosis(BaseModel):
    """The verdict with the figures that led to it (attached to the order as evidence)."""

    model_config = _FROZEN

    verdict: Verdict
    dispatch: Dispatch
    fault_cause: FaultCause
    penalty_exempt: bool
    target_ont_id: int
    target_condition: OnuCondition | None
    onu_rx_dbm: float | None
    olt_tx_dbm: float | None
    downstream_attenuation_db: float | None
    predicted_loss_db: float | None
    excess_attenuation_db: float | None
    port_onus: int
    port_offline: int
    port_degraded: int
    reason: str


def _attenuation(readings: OpticalReadings | None) -> float | None:
    if readings is None:
        return None
    tx, rx = reading_dbm(readings.olt_tx), reading_dbm(readings.onu_rx)
    return None if tx is None or rx is None else round(tx - rx, 2)


def condition(
    onu: PortOnu, thresholds: DiagnosisThresholds, budget: LinkBudget | None = None
) -> OnuCondition:
    """Online, degraded (Rx low or, with a prediction, attenuation in excess) or offline."""
    if not onu.online:
        return OnuCondition.OFFLINE
    rx = reading_dbm(onu.readings.onu_rx) if onu.readings is not None else None
    if rx is not None and rx < thresholds.onu_rx_min_dbm:
        return OnuCondition.DEGRADED
    attenuation = _attenuation(onu.readings)
    if (
        budget is not None
        and attenuation is not None
        and attenuation - budget.downstream_loss_db > thresholds.excess_attenuation_db
    ):
        return OnuCondition.DEGRADED
    return OnuCondition.ONLINE


def _port_tx(onus: Sequence[PortOnu], olt_tx_dbm: float | None) -> float | None:
    if olt_tx_dbm is not None:
        return olt_tx_dbm
    for onu in onus:
        if onu.readings is not None and isinstance(onu.readings.olt_tx, Measured):
            return onu.readings.olt_tx.dbm
    return None


def classify(
    target_ont_id: int,
    onus: Sequence[PortOnu],
    *,
    budget: LinkBudget | None = None,
    olt_tx_dbm: float | None = None,
    thresholds: DiagnosisThresholds | None = None,
) -> Diagnosis:
    """Classify the customer's ONU ``target_ont_id`` among every ONU configured on its PON port.

    ``budget`` is the predicted link budget of the customer's splitter port (None when the topology is
    unknown: then only the Rx threshold judges the line). ``olt_tx_dbm`` is the PON port's launch power
    when it was read separately (a port whose ONUs are all offline reports no per-ONU OLT Tx).
    """
    limits = thresholds or DiagnosisThresholds()
    by_id = {onu.ont_id: onu for onu in onus}
    target = by_id.get(target_ont_id)
    conditions = {
        onu.ont_id: condition(onu, limits, budget if onu.ont_id == target_ont_id else None) for onu in onus
    }
    offline = sum(1 for c in conditions.values() if c is OnuCondition.OFFLINE)
    degraded = sum(1 for c in conditions.values() if c is OnuCondition.DEGRADED)
    tx = _port_tx(onus, olt_tx_dbm)
    rx = reading_dbm(target.readings.onu_rx) if target and target.readings else None
    attenuation = _attenuation(target.readings) if target else None
    predicted = round(budget.downstream_loss_db, 2) if budget is not None else None
    excess = round(attenuation - predicted, 2) if attenuation is not None and predicted is not None else None
    target_condition = conditions.get(target_ont_id)

    def result(verdict: Verdict, dispatch: Dispatch, cause: FaultCause, reason: str) -> Diagnosis:
        return Diagnosis(
            verdict=verdict,
            dispatch=dispatch,
            fault_cause=cause,
            penalty_exempt=cause in DEFAULT_PENALTY_EXEMPT_CAUSES,
            target_ont_id=target_ont_id,
            target_condition=target_condition,
            onu_rx_dbm=rx,
            olt_tx_dbm=tx,
            downstream_attenuation_db=attenuation,
            predicted_loss_db=predicted,
            excess_attenuation_db=excess,
            port_onus=len(onus),
            port_offline=offline,
            port_degraded=degraded,
            reason=reason,
        )

    affected = offline + degraded
    if onus and affected >= limits.port_fault_min_onus and affected / len(onus) >= limits.port_fault_share:
        # A port that launches no (or too little) light failed in the OLT; one that launches normally
        # but whose ONUs all lost it points at the feeder fibre.
        olt_side = tx is None or tx < limits.olt_tx_min_dbm
        cause = FaultCause.OLT if olt_side else FaultCause.TRUNK_FIBRE
        where = "OLT PON port" if olt_side else "feeder/trunk fibre"
        return result(
            Verdict.PORT_FAULT,
            Dispatch.NETWORK_DEPARTMENT,
            cause,
            f"{affected} of {len(onus)} ONUs on the port offline or degraded: {where}",
        )
    if target is None:
        return result(
            Verdict.UNKNOWN, Dispatch.MANUAL, FaultCause.UNKNOWN, f"ONT {target_ont_id} is not on the port"
        )
    if target_condition is OnuCondition.OFFLINE:
        return result(
            Verdict.ONU_OFFLINE_ALONE,
            Dispatch.CUSTOMER_VISIT,
            FaultCause.CUSTOMER_SIDE,
            f"ONU offline while {len(onus) - affected} of {len(onus)} ONUs on the port are normal",
        )
    if target_condition is OnuCondition.DEGRADED:
        detail = f"ONU Rx {rx} dBm" if rx is not None else "ONU Rx unknown"
        if excess is not None:
            detail += f", attenuation {attenuation} dB vs {predicted} dB predicted ({excess:+} dB)"
        return result(Verdict.LINE_FAULT, Dispatch.LINE_REPAIR, FaultCause.LINE, detail)
    return result(
        Verdict.CUSTOMER_SIDE,
        Dispatch.REMOTE_GUIDANCE,
        FaultCause.CUSTOMER_SIDE,
        f"ONU online, Rx {rx} dBm within limits; port normal",
    )
