"""Threshold profiles and the line verdict: every reason code, inconclusive handling, predicted mode."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ponaccept.domain.choices import Direction, OpticalClass, Verdict
from ponaccept.domain.link_budget import LinkBudget, OdnPath, predict
from ponaccept.domain.optics import MissingReason, OpticalReadings, Quantity, measured, missing
from ponaccept.domain.thresholds import (
    CONSTRUCTION_PRESET,
    END_USER_PRESET,
    PRESETS,
    OnuRxLimitBasis,
    ReasonCode,
    Severity,
    ThresholdMode,
    ThresholdProfile,
    judge,
)

WORKED = OdnPath(fibre_km=(3.0,), splitter_ratios=(32,), connectors=4, splices=6)


def readings(
    olt_tx: float | None = 3.0,
    olt_rx: float | None = -18.85,
    onu_tx: float | None = 2.0,
    onu_rx: float | None = -17.55,
) -> OpticalReadings:
    return OpticalReadings.from_dbm(
        olt_tx=olt_tx, olt_rx=olt_rx, onu_tx=onu_tx, onu_rx=onu_rx, missing_reason=MissingReason.OFFLINE
    )


def predicted_profile(**overrides: object) -> ThresholdProfile:
    values: dict[str, object] = {
        "name": "per-design",
        "version": 3,
        "mode": ThresholdMode.PREDICTED_PLUS_TOLERANCE,
        "onu_rx_min_dbm": -20.0,
        "tolerance_db": 2.0,
    }
    values.update(overrides)
    return ThresholdProfile.model_validate(values)


def test_presets() -> None:
    assert CONSTRUCTION_PRESET.onu_rx_min_dbm == -20.0
    assert END_USER_PRESET.onu_rx_min_dbm == -27.0
    assert CONSTRUCTION_PRESET.onu_rx_overload_dbm == -8.0
    assert set(PRESETS) == {"construction", "end-user"}
    assert CONSTRUCTION_PRESET.mode is ThresholdMode.FIXED


def test_good_line_passes_and_records_profile() -> None:
    result = judge(readings(), CONSTRUCTION_PRESET)
    assert result.verdict is Verdict.PASS
    assert result.reasons == ()
    assert result.profile_name == "construction"
    assert result.profile_version == 1
    assert result.downstream_attenuation_db == pytest.approx(20.55)
    assert result.upstream_attenuation_db == pytest.approx(20.85)
    assert result.onu_rx_min_basis is OnuRxLimitBasis.FIXED


def test_boundary_value_passes() -> None:
    assert judge(readings(onu_rx=-20.0), CONSTRUCTION_PRESET).verdict is Verdict.PASS
    assert judge(readings(onu_rx=-8.0), CONSTRUCTION_PRESET).verdict is Verdict.PASS


def test_one_to_64_build_fails_construction_but_passes_end_user() -> None:
    line = readings(onu_rx=-21.85)
    result = judge(line, CONSTRUCTION_PRESET)
    assert result.verdict is Verdict.FAIL
    [reason] = result.reasons
    assert reason.code is ReasonCode.ONU_RX_BELOW_MIN
    assert (reason.measured, reason.limit, reason.quantity) == (-21.85, -20.0, Quantity.ONU_RX)
    assert "-21.85" in reason.message
    assert judge(line, END_USER_PRESET).verdict is Verdict.PASS


def test_overload() -> None:
    result = judge(readings(onu_rx=-5.0), END_USER_PRESET)
    assert result.verdict is Verdict.FAIL
    assert result.codes == (ReasonCode.ONU_RX_OVERLOAD,)
    assert result.reasons[0].limit == -8.0


def test_olt_rx_limits() -> None:
    profile = CONSTRUCTION_PRESET.model_copy(update={"olt_rx_min_dbm": -25.0, "olt_rx_overload_dbm": -8.0})
    low = judge(readings(olt_rx=-26.0), profile)
    assert low.codes == (ReasonCode.OLT_RX_BELOW_MIN,)
    assert low.reasons[0].quantity is Quantity.OLT_RX
    high = judge(readings(olt_rx=-7.0), profile)
    assert high.codes == (ReasonCode.OLT_RX_OVERLOAD,)


def test_max_attenuation_both_directions() -> None:
    profile = END_USER_PRESET.model_copy(
        update={"max_downstream_attenuation_db": 20.0, "max_upstream_attenuation_db": 20.0}
    )
    result = judge(readings(), profile)
    assert result.verdict is Verdict.FAIL
    assert result.codes == (
        ReasonCode.DOWNSTREAM_ATTENUATION_ABOVE_MAX,
        ReasonCode.UPSTREAM_ATTENUATION_ABOVE_MAX,
    )
    down, up = result.reasons
    assert (down.direction, down.measured, down.limit) == (Direction.DOWNSTREAM, pytest.approx(20.55), 20.0)
    assert (up.direction, up.measured, up.limit) == (Direction.UPSTREAM, pytest.approx(20.85), 20.0)


def test_every_failure_is_listed_not_just_the_first() -> None:
    profile = CONSTRUCTION_PRESET.model_copy(
        update={"max_downstream_attenuation_db": 22.0, "olt_rx_min_dbm": -20}
    )
    result = judge(readings(onu_rx=-23.0, olt_rx=-24.0), profile)
    assert set(result.codes) == {
        ReasonCode.ONU_RX_BELOW_MIN,
        ReasonCode.DOWNSTREAM_ATTENUATION_ABOVE_MAX,
        ReasonCode.OLT_RX_BELOW_MIN,
    }


def test_missing_reading_is_inconclusive_never_pass() -> None:
    result = judge(readings(olt_rx=None), CONSTRUCTION_PRESET)
    assert result.verdict is Verdict.INCONCLUSIVE
    [reason] = result.reasons
    assert reason.code is ReasonCode.MISSING_READING
    assert reason.severity is Severity.INCONCLUSIVE
    assert reason.quantity is Quantity.OLT_RX
    assert "offline" in reason.message
    assert result.upstream_attenuation_db is None
    assert result.downstream_attenuation_db == pytest.approx(20.55)


def test_missing_reading_plus_failure_is_fail_and_still_lists_missing() -> None:
    result = judge(readings(olt_tx=None, onu_rx=-25.0), CONSTRUCTION_PRESET)
    assert result.verdict is Verdict.FAIL
    assert result.codes == (ReasonCode.MISSING_READING, ReasonCode.ONU_RX_BELOW_MIN)


def test_all_missing_lists_all_four() -> None:
    result = judge(readings(None, None, None, None), END_USER_PRESET)
    assert result.verdict is Verdict.INCONCLUSIVE
    assert [r.quantity for r in result.reasons] == list(Quantity)


def test_missing_detail_is_reported() -> None:
    line = OpticalReadings(
        olt_tx=measured(3.0),
        olt_rx=measured(-19.0),
        onu_tx=measured(2.0),
        onu_rx=missing(MissingReason.LOS, "fibre cut"),
    )
    assert "los (fibre cut)" in judge(line, CONSTRUCTION_PRESET).reasons[0].message


def test_negative_attenuation_is_implausible_so_inconclusive() -> None:
    result = judge(readings(olt_tx=3.0, onu_rx=-10.0, onu_tx=2.0, olt_rx=4.0), END_USER_PRESET)
    assert result.verdict is Verdict.INCONCLUSIVE
    assert result.codes == (ReasonCode.IMPLAUSIBLE_ATTENUATION,)
    assert result.reasons[0].direction is Direction.UPSTREAM


def test_predicted_delta_exceeded_flags_a_dirty_connector() -> None:
    budget = predict(WORKED)
    result = judge(readings(onu_rx=-17.55 - 2.5, olt_rx=-18.85 - 2.5), predicted_profile(), budget)
    assert result.verdict is Verdict.FAIL
    assert ReasonCode.PREDICTED_DELTA_EXCEEDED in result.codes
    delta = [r for r in result.reasons if r.code is ReasonCode.PREDICTED_DELTA_EXCEEDED]
    assert [r.direction for r in delta] == [Direction.DOWNSTREAM, Direction.UPSTREAM]
    assert delta[0].limit == pytest.approx(22.55)
    assert result.predicted_downstream_db == pytest.approx(20.55)
    assert result.expected_onu_rx_dbm == pytest.approx(-17.55)
    assert result.profile_version == 3


def test_predicted_mode_passes_a_compliant_1_64_build_that_fixed_minus_20_fails() -> None:
    budget = predict(OdnPath(fibre_km=(3.0,), splitter_ratios=(64,), connectors=4, splices=6))
    line = readings(onu_rx=-21.9, olt_rx=-22.2)
    assert judge(line, CONSTRUCTION_PRESET).verdict is Verdict.FAIL
    result = judge(line, predicted_profile(), budget)
    assert result.verdict is Verdict.PASS, result.reasons
    assert result.onu_rx_min_basis is OnuRxLimitBasis.PREDICTED
    assert result.onu_rx_min_dbm == pytest.approx(-23.85)


def test_predicted_threshold_is_floored_by_class_sensitivity_plus_margin() -> None:
    long_path = OdnPath(fibre_km=(18.0,), splitter_ratios=(64,), connectors=6, splices=20)
    budget = predict(long_path)
    assert budget.expected_onu_rx_dbm(3.0) < -24  # predicted − tolerance would go below −24 dBm
    result = judge(readings(onu_rx=-25.0, olt_rx=-27.0), predicted_profile(tolerance_db=3.0), budget)
    assert result.onu_rx_min_basis is OnuRxLimitBasis.CLASS_FLOOR
    assert result.onu_rx_min_dbm == pytest.approx(-27 + 3)  # B+ sensitivity + default margin
    assert ReasonCode.ONU_RX_BELOW_MIN in result.codes


def test_class_floor_uses_the_predictions_class() -> None:
    budget = predict(
        OdnPath(fibre_km=(20.0,), splitter_ratios=(2, 64)), optical_class=OpticalClass.GPON_C_PLUS
    )
    result = judge(readings(onu_rx=-26.5, olt_rx=-28.0), predicted_profile(tolerance_db=1.0), budget)
    assert result.onu_rx_min_dbm == pytest.approx(-30 + 3)
    assert result.onu_rx_min_basis is OnuRxLimitBasis.CLASS_FLOOR


def test_predicted_mode_without_prediction_falls_back_to_fixed_minimum() -> None:
    result = judge(readings(onu_rx=-21.0), predicted_profile())
    assert result.onu_rx_min_basis is OnuRxLimitBasis.FIXED_FALLBACK
    assert result.codes == (ReasonCode.ONU_RX_BELOW_MIN,)


def test_much_better_than_predicted_is_a_warning_only() -> None:
    budget = predict(WORKED)
    result = judge(readings(onu_rx=-13.0, olt_rx=-14.3), predicted_profile(), budget)
    assert result.verdict is Verdict.PASS
    assert result.codes == (ReasonCode.ATTENUATION_BELOW_PREDICTED, ReasonCode.ATTENUATION_BELOW_PREDICTED)
    assert all(r.severity is Severity.WARNING for r in result.reasons)


def test_up_down_inconsistency_is_a_warning() -> None:
    budget = predict(WORKED)
    result = judge(readings(olt_rx=-22.0), CONSTRUCTION_PRESET, budget)
    assert result.verdict is Verdict.PASS
    assert result.codes == (ReasonCode.UP_DOWN_INCONSISTENT,)
    reason = result.reasons[0]
    assert reason.measured == pytest.approx(24.0 - 20.55)
    assert reason.limit == pytest.approx(0.3)


def test_up_down_check_can_be_disabled() -> None:
    profile = CONSTRUCTION_PRESET.model_copy(update={"up_down_gap_tolerance_db": None})
    assert judge(readings(olt_rx=-22.0), profile, predict(WORKED)).reasons == ()


@pytest.mark.parametrize(
    "overrides",
    [
        {"onu_rx_min_dbm": -8.0},  # not below overload
        {"onu_rx_min_dbm": -60.0},
        {"onu_rx_min_dbm": float("nan")},
        {"mode": "predicted_plus_tolerance"},  # no tolerance
        {"olt_rx_min_dbm": -10.0, "olt_rx_overload_dbm": -12.0},
        {"version": 0},
        {"name": ""},
        {"max_downstream_attenuation_db": -1.0},
        {"unknown_field": 1},
    ],
)
def test_incoherent_profiles_are_rejected(overrides: dict[str, object]) -> None:
    values: dict[str, object] = {"name": "p", "onu_rx_min_dbm": -20.0}
    values.update(overrides)
    with pytest.raises(ValidationError):
        ThresholdProfile.model_validate(values)


def test_verdict_serialises_for_storage() -> None:
    result = judge(readings(onu_rx=None), CONSTRUCTION_PRESET)
    data = result.model_dump(mode="json")
    assert data["verdict"] == "inconclusive"
    assert data["reasons"][0]["code"] == "missing_reading"
    assert data["profile_name"] == "construction"


@given(onu_rx=st.floats(min_value=-40, max_value=-9, allow_nan=False))
def test_fixed_verdict_agrees_with_the_threshold(onu_rx: float) -> None:
    result = judge(
        readings(onu_rx=onu_rx), CONSTRUCTION_PRESET.model_copy(update={"up_down_gap_tolerance_db": None})
    )
    assert (result.verdict is Verdict.PASS) == (onu_rx >= -20.0)


@given(missing_quantity=st.sampled_from(list(Quantity)), onu_rx=st.floats(min_value=-19, max_value=-9))
def test_any_missing_reading_prevents_pass(missing_quantity: Quantity, onu_rx: float) -> None:
    values: dict[str, float | None] = {"olt_tx": 3.0, "olt_rx": -18.85, "onu_tx": 2.0, "onu_rx": onu_rx}
    values[missing_quantity.value] = None
    result = judge(readings(**values), CONSTRUCTION_PRESET)
    assert result.verdict is not Verdict.PASS
    assert ReasonCode.MISSING_READING in result.codes


def test_prediction_type_is_link_budget() -> None:
    assert isinstance(predict(WORKED), LinkBudget)
