"""Pre-diagnosis classification (issue 6 item 4): the four situations and their boundaries."""

from __future__ import annotations

import pytest

from ponaccept.domain.diagnosis import (
    DiagnosisThresholds,
    Dispatch,
    OnuCondition,
    PortOnu,
    Verdict,
    classify,
)
from ponaccept.domain.link_budget import OdnPath, predict
from ponaccept.domain.optics import OpticalReadings
from ponaccept.domain.sla import FaultCause

TX = 3.5


def online(ont_id: int, rx: float = -16.0, tx: float | None = TX) -> PortOnu:
    readings = OpticalReadings.from_dbm(olt_tx=tx, olt_rx=rx - 1.5, onu_tx=2.5, onu_rx=rx)
    return PortOnu(ont_id=ont_id, online=True, readings=readings)


def offline(ont_id: int) -> PortOnu:
    return PortOnu(ont_id=ont_id, online=False)


def port(*onus: PortOnu) -> list[PortOnu]:
    return list(onus)


def test_all_normal_is_customer_side() -> None:
    result = classify(0, port(online(0), online(1), online(2), online(3)))
    assert result.verdict is Verdict.CUSTOMER_SIDE
    assert result.dispatch is Dispatch.REMOTE_GUIDANCE
    assert result.target_condition is OnuCondition.ONLINE
    assert not result.penalty_exempt
    assert result.onu_rx_dbm == -16.0
    assert result.downstream_attenuation_db == 19.5


def test_onu_offline_alone_goes_to_a_customer_visit() -> None:
    result = classify(0, port(offline(0), online(1), online(2), online(3), offline(4)))
    assert result.verdict is Verdict.ONU_OFFLINE_ALONE
    assert result.dispatch is Dispatch.CUSTOMER_VISIT
    assert result.fault_cause is FaultCause.CUSTOMER_SIDE
    assert (result.port_onus, result.port_offline) == (5, 2)
    assert not result.penalty_exempt


def test_rx_below_threshold_is_a_line_fault() -> None:
    result = classify(1, port(online(0), online(1, rx=-28.2), online(2)))
    assert result.verdict is Verdict.LINE_FAULT
    assert result.fault_cause is FaultCause.LINE
    assert result.dispatch is Dispatch.LINE_REPAIR
    assert result.predicted_loss_db is None  # topology unknown: judged on Rx alone


def test_attenuation_above_prediction_is_a_line_fault_even_with_rx_above_threshold() -> None:
    budget = predict(OdnPath(fibre_km=(3.0, 0.1), splitter_ratios=(32,), connectors=4, splices=4))
    expected_rx = TX - budget.downstream_loss_db
    dirty = online(0, rx=round(expected_rx - 8.0, 2))
    result = classify(0, port(dirty, online(1), online(2)), budget=budget)
    assert result.verdict is Verdict.LINE_FAULT
    assert result.excess_attenuation_db == pytest.approx(8.0, abs=0.02)
    assert result.predicted_loss_db == pytest.approx(budget.downstream_loss_db, abs=0.01)
    clean = classify(0, port(online(0, rx=round(expected_rx, 2)), online(1)), budget=budget)
    assert clean.verdict is Verdict.CUSTOMER_SIDE


def test_many_onus_of_the_port_down_is_a_trunk_fault_with_penalty_exemption() -> None:
    result = classify(0, port(offline(0), offline(1), offline(2), online(3)), olt_tx_dbm=TX)
    assert result.verdict is Verdict.PORT_FAULT
    assert result.fault_cause is FaultCause.TRUNK_FIBRE
    assert result.dispatch is Dispatch.NETWORK_DEPARTMENT
    assert result.penalty_exempt


def test_port_without_launch_power_is_an_olt_fault() -> None:
    result = classify(0, port(offline(0), offline(1), offline(2)), olt_tx_dbm=None)
    assert result.fault_cause is FaultCause.OLT
    assert result.penalty_exempt


def test_degraded_neighbours_count_towards_a_port_fault() -> None:
    onus = port(online(0, rx=-29.0), online(1, rx=-28.5), offline(2), online(3))
    assert classify(0, onus).verdict is Verdict.PORT_FAULT


@pytest.mark.parametrize(
    ("onus", "verdict"),
    [
        # two of four down is half the port but fewer than three ONUs: a coincidence, not a cut
        (port(offline(0), offline(1), online(2), online(3)), Verdict.ONU_OFFLINE_ALONE),
        # three of seven: enough ONUs but under half the port
        (
            port(offline(0), offline(1), offline(2), *[online(i) for i in range(3, 7)]),
            Verdict.ONU_OFFLINE_ALONE,
        ),
        # three of six: exactly half and three → port
        (port(offline(0), offline(1), offline(2), *[online(i) for i in range(3, 6)]), Verdict.PORT_FAULT),
    ],
)
def test_port_fault_boundaries(onus: list[PortOnu], verdict: Verdict) -> None:
    assert classify(0, onus, olt_tx_dbm=TX).verdict is verdict


def test_thresholds_are_parameters() -> None:
    onus = port(offline(0), offline(1), online(2), online(3))
    strict = DiagnosisThresholds(port_fault_min_onus=2)
    assert classify(0, onus, thresholds=strict).verdict is Verdict.PORT_FAULT
    lenient_rx = DiagnosisThresholds(onu_rx_min_dbm=-30.0)
    assert classify(1, port(online(0), online(1, rx=-28.2)), thresholds=lenient_rx).verdict is (
        Verdict.CUSTOMER_SIDE
    )


def test_target_missing_from_the_port_is_unknown() -> None:
    result = classify(9, port(online(0), online(1)))
    assert result.verdict is Verdict.UNKNOWN
    assert result.dispatch is Dispatch.MANUAL


def test_labels_are_chinese_for_dispatchers() -> None:
    assert Verdict.PORT_FAULT.label_zh.startswith("OLT")
    assert all(v.label_zh for v in Verdict) and all(d.label_zh for d in Dispatch)
