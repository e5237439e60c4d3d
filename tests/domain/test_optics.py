"""Optical readings: plausibility, explicit absence, attenuation arithmetic."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ponaccept.domain.choices import OpticalClass
from ponaccept.domain.errors import DomainError, InvalidOpticalValue
from ponaccept.domain.optics import (
    CLASS_LIMITS,
    POWER_MAX_DBM,
    POWER_MIN_DBM,
    Measured,
    Missing,
    MissingReason,
    OpticalReadings,
    Quantity,
    attenuation,
    attenuation_db,
    measured,
    missing,
)

powers = st.floats(min_value=POWER_MIN_DBM, max_value=POWER_MAX_DBM, allow_nan=False)


def full(
    olt_tx: float = 3.0, olt_rx: float = -21.0, onu_tx: float = 2.0, onu_rx: float = -18.0
) -> OpticalReadings:
    return OpticalReadings.from_dbm(olt_tx=olt_tx, olt_rx=olt_rx, onu_tx=onu_tx, onu_rx=onu_rx)


@pytest.mark.parametrize("value", [40.0, -80.0, 15.01, -50.01, math.nan, math.inf, -math.inf, 2147483647])
def test_implausible_power_is_rejected_with_quantity_and_value(value: float) -> None:
    with pytest.raises(InvalidOpticalValue) as info:
        OpticalReadings.from_dbm(olt_tx=3.0, olt_rx=-20.0, onu_tx=2.0, onu_rx=value)
    assert isinstance(info.value, DomainError)
    assert info.value.quantity == "onu_rx"
    assert "onu_rx" in str(info.value)
    assert info.value.low == POWER_MIN_DBM
    assert info.value.high == POWER_MAX_DBM
    if math.isfinite(value):
        assert info.value.value == value


@pytest.mark.parametrize("value", [POWER_MIN_DBM, POWER_MAX_DBM, 0.0, -27.5])
def test_range_bounds_are_inclusive(value: float) -> None:
    assert measured(value, "olt_rx").dbm == value


def test_bool_is_not_a_power() -> None:
    with pytest.raises(InvalidOpticalValue):
        measured(True, "onu_rx")  # type: ignore[arg-type]


def test_json_input_is_validated_too() -> None:
    with pytest.raises(ValidationError, match="plausible"):
        Measured.model_validate({"dbm": 99})


def test_none_becomes_missing_with_reason_never_a_number() -> None:
    readings = OpticalReadings.from_dbm(
        olt_tx=3.0, olt_rx=None, onu_tx=2.0, onu_rx=None, missing_reason=MissingReason.OFFLINE
    )
    assert readings.olt_rx == Missing(reason=MissingReason.OFFLINE)
    assert readings.dbm(Quantity.OLT_RX) is None
    assert readings.missing_quantities() == (Quantity.OLT_RX, Quantity.ONU_RX)
    assert readings.downstream_attenuation_db is None
    assert readings.upstream_attenuation_db is None


def test_zero_dbm_is_a_real_measurement_not_absence() -> None:
    readings = full(onu_rx=0.0)
    assert readings.missing_quantities() == ()
    assert readings.downstream_attenuation_db == pytest.approx(3.0)


def test_attenuations_follow_the_seed_formulas() -> None:
    readings = full(olt_tx=3.0, olt_rx=-21.5, onu_tx=2.0, onu_rx=-17.55)
    assert readings.downstream_attenuation_db == pytest.approx(20.55)  # OLT Tx − ONU Rx
    assert readings.upstream_attenuation_db == pytest.approx(23.5)  # ONU Tx − OLT Rx


def test_round_trip_through_json_keeps_absence_and_reason() -> None:
    readings = OpticalReadings(
        olt_tx=measured(3.1),
        olt_rx=missing(MissingReason.TIMEOUT, "snmp get timed out"),
        onu_tx=measured(2.2),
        onu_rx=missing(MissingReason.LOS),
        onu_temperature_c=41.5,
        distance_m=3120,
    )
    again = OpticalReadings.model_validate_json(readings.model_dump_json())
    assert again == readings
    assert isinstance(again.olt_rx, Missing)
    assert again.olt_rx.detail == "snmp get timed out"


@pytest.mark.parametrize(
    ("field", "value"),
    [("onu_temperature_c", 300.0), ("onu_voltage_v", -1.0), ("onu_bias_ma", 1e6), ("distance_m", 70_000.0)],
)
def test_diagnostics_are_range_checked(field: str, value: float) -> None:
    with pytest.raises(InvalidOpticalValue, match=field):
        OpticalReadings.from_dbm(olt_tx=3, olt_rx=-20, onu_tx=2, onu_rx=-18, **{field: value})


def test_readings_are_immutable() -> None:
    readings = full()
    with pytest.raises(ValidationError):
        readings.onu_rx = measured(-10.0)  # type: ignore[misc]


def test_class_table_matches_optics_reference() -> None:
    b_plus = CLASS_LIMITS[OpticalClass.GPON_B_PLUS]
    assert (b_plus.loss_min_db, b_plus.loss_max_db) == (13, 28)
    assert (b_plus.onu_rx_sensitivity_dbm, b_plus.onu_rx_overload_dbm) == (-27, -8)
    assert (b_plus.olt_rx_sensitivity_dbm, b_plus.olt_tx_min_dbm, b_plus.olt_tx_max_dbm) == (-28, 1.5, 5)
    assert not b_plus.approximate
    assert CLASS_LIMITS[OpticalClass.GPON_C_PLUS].approximate
    assert CLASS_LIMITS[OpticalClass.XGSPON_E1].olt_rx_sensitivity_dbm == -30
    assert set(CLASS_LIMITS) == set(OpticalClass)
    for limits in CLASS_LIMITS.values():
        assert limits.loss_min_db < limits.loss_max_db
        assert limits.onu_rx_sensitivity_dbm < limits.onu_rx_overload_dbm
        assert limits.olt_rx_sensitivity_dbm < limits.olt_rx_overload_dbm
        assert limits.onu_tx_min_dbm <= limits.onu_tx_max_dbm


@given(tx=powers, rx=powers)
def test_attenuation_plus_rx_gives_back_tx(tx: float, rx: float) -> None:
    assert math.isclose(attenuation_db(tx, rx) + rx, tx, abs_tol=1e-9)


@given(tx=powers, rx=powers, shift=st.floats(min_value=-10, max_value=10, allow_nan=False))
def test_common_shift_leaves_attenuation_unchanged(tx: float, rx: float, shift: float) -> None:
    assert math.isclose(attenuation_db(tx + shift, rx + shift), attenuation_db(tx, rx), abs_tol=1e-9)


@given(tx=powers, rx=powers)
def test_swapping_roles_negates_attenuation(tx: float, rx: float) -> None:
    assert math.isclose(attenuation_db(tx, rx), -attenuation_db(rx, tx), abs_tol=1e-12)


@given(olt_tx=powers, olt_rx=powers, onu_tx=powers, onu_rx=powers)
def test_readings_attenuations_match_plain_arithmetic(
    olt_tx: float, olt_rx: float, onu_tx: float, onu_rx: float
) -> None:
    readings = full(olt_tx=olt_tx, olt_rx=olt_rx, onu_tx=onu_tx, onu_rx=onu_rx)
    assert readings.downstream_attenuation_db == olt_tx - onu_rx
    assert readings.upstream_attenuation_db == onu_tx - olt_rx


@given(value=powers, reason=st.sampled_from(MissingReason))
def test_missing_side_never_yields_a_number(value: float, reason: MissingReason) -> None:
    assert attenuation(measured(value), missing(reason)) is None
    assert attenuation(missing(reason), measured(value)) is None
