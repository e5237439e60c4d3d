"""Link-budget prediction: the optics.md worked examples and the up/down consistency check."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from ponaccept.domain.choices import OpticalClass
from ponaccept.domain.errors import InvalidTopology
from ponaccept.domain.link_budget import (
    DEFAULT_SPLITTER_IL_DB,
    LossParameters,
    OdnPath,
    check_up_down_consistency,
    design_margin_db,
    expected_gap_db,
    is_implausible_attenuation,
    predict,
)


def test_worked_example_b_plus_1_32_three_km() -> None:
    path = OdnPath(fibre_km=(3.0,), splitter_ratios=(32,), connectors=4, splices=6)
    budget = predict(path)
    # 17.2 (1:32) + 0.75 (3 km × 0.25) + 2.0 (4 × 0.5) + 0.6 (6 × 0.1)
    assert budget.splitters_db == pytest.approx(17.2)
    assert budget.fibre_downstream_db == pytest.approx(0.75)
    assert budget.connectors_db == pytest.approx(2.0)
    assert budget.splices_db == pytest.approx(0.6)
    assert budget.downstream_loss_db == pytest.approx(20.55)
    assert budget.expected_onu_rx_dbm(3.0) == pytest.approx(-17.55)
    assert round(budget.expected_onu_rx_dbm(3.0), 1) == pytest.approx(-17.6, abs=0.051)  # optics.md "≈ −17.6"
    assert budget.upstream_loss_db == pytest.approx(20.85)  # 3 km × 0.35 at 1310 nm
    assert budget.expected_olt_rx_dbm(2.0) == pytest.approx(-18.85)
    assert budget.optical_class is OpticalClass.GPON_B_PLUS


def test_one_to_sixty_four_lands_near_minus_22() -> None:
    budget = predict(OdnPath(fibre_km=(3.0,), splitter_ratios=(64,), connectors=4, splices=6))
    assert budget.expected_onu_rx_dbm(3.0) == pytest.approx(-21.85)
    assert abs(budget.expected_onu_rx_dbm(3.0) - -22.0) < 0.5


def test_two_stage_1_4_plus_1_16_with_extra_connector_pair_lands_near_minus_22() -> None:
    one_stage = OdnPath(fibre_km=(2.0, 1.0), splitter_ratios=(4, 16), connectors=6, splices=6)
    budget = predict(one_stage)
    assert budget.fibre_km == pytest.approx(3.0)
    assert budget.splitters_db == pytest.approx(21.0)
    assert budget.expected_onu_rx_dbm(3.0) == pytest.approx(-22.35)
    assert abs(budget.expected_onu_rx_dbm(3.0) - -22.0) < 0.5


def test_margin_is_added_to_both_directions() -> None:
    without = predict(OdnPath(fibre_km=(3.0,), splitter_ratios=(32,)))
    with_margin = predict(OdnPath(fibre_km=(3.0,), splitter_ratios=(32,), margin_db=design_margin_db(3.0)))
    assert with_margin.downstream_loss_db - without.downstream_loss_db == pytest.approx(1.0)
    assert with_margin.upstream_loss_db - without.upstream_loss_db == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("km", "margin"), [(0.0, 1.0), (5.0, 1.0), (5.01, 2.0), (10.0, 2.0), (10.5, 3.0), (40, 3.0)]
)
def test_design_margin_by_length(km: float, margin: float) -> None:
    assert design_margin_db(km) == margin


@pytest.mark.parametrize("km", [-1.0, math.nan, math.inf])
def test_design_margin_rejects_bad_length(km: float) -> None:
    with pytest.raises(InvalidTopology):
        design_margin_db(km)


def test_splitter_table_is_a_parameter() -> None:
    zhone = LossParameters(splitter_il_db={8: 11.0, 16: 14.0, 32: 18.0, 64: 21.5})
    budget = predict(OdnPath(splitter_ratios=(32,)), zhone)
    assert budget.downstream_loss_db == pytest.approx(18.0)
    with pytest.raises(InvalidTopology, match="1:4"):
        predict(OdnPath(splitter_ratios=(4,)), zhone)


def test_default_table_is_the_documented_one() -> None:
    assert dict(DEFAULT_SPLITTER_IL_DB) == {2: 3.6, 4: 7.2, 8: 10.5, 16: 13.8, 32: 17.2, 64: 21.5}
    assert LossParameters().splitter_il_db == dict(DEFAULT_SPLITTER_IL_DB)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"splitter_ratios": (3,)},
        {"splitter_ratios": (128,)},
        {"fibre_km": (-0.1,)},
        {"fibre_km": (math.nan,)},
        {"fibre_km": (61.0,)},
        {"connectors": -1},
        {"margin_db": -0.5},
    ],
)
def test_invalid_paths_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        OdnPath.model_validate(kwargs)


def test_invalid_loss_table_is_rejected() -> None:
    with pytest.raises(ValidationError, match="1:3"):
        LossParameters(splitter_il_db={3: 5.0})
    with pytest.raises(ValidationError):
        LossParameters(splitter_il_db={2: -1.0})


def test_consistency_within_tolerance() -> None:
    check = check_up_down_consistency(20.55, 20.85, 3.0)
    assert check.expected_gap_db == pytest.approx(0.3)
    assert check.deviation_db == pytest.approx(0.0)
    assert check.consistent is True


def test_consistency_flags_large_asymmetry() -> None:
    check = check_up_down_consistency(20.0, 24.0, 3.0, tolerance_db=2.0)
    assert check.deviation_db == pytest.approx(3.7)
    assert check.consistent is False


def test_consistency_unknown_when_a_side_is_missing() -> None:
    check = check_up_down_consistency(None, 24.0, 3.0)
    assert check.measured_gap_db is None
    assert check.consistent is None


def test_consistency_rejects_negative_tolerance() -> None:
    with pytest.raises(InvalidTopology):
        check_up_down_consistency(1.0, 1.0, 1.0, tolerance_db=-1)


@pytest.mark.parametrize(("value", "implausible"), [(-0.1, True), (0.0, False), (20.0, False), (40.1, True)])
def test_implausible_attenuation(value: float, implausible: bool) -> None:
    assert is_implausible_attenuation(value) is implausible


segments = st.lists(st.floats(min_value=0, max_value=20, allow_nan=False), max_size=4)
ratios = st.lists(st.sampled_from([2, 4, 8, 16, 32, 64]), max_size=3)


@given(fibre=segments, stages=ratios, connectors=st.integers(0, 12), splices=st.integers(0, 20))
def test_upstream_minus_downstream_is_the_fibre_term(
    fibre: list[float], stages: list[int], connectors: int, splices: int
) -> None:
    path = OdnPath(
        fibre_km=tuple(fibre), splitter_ratios=tuple(stages), connectors=connectors, splices=splices
    )
    budget = predict(path)
    assert math.isclose(budget.expected_gap_db, expected_gap_db(path.total_fibre_km), abs_tol=1e-9)
    assert budget.upstream_loss_db >= budget.downstream_loss_db
    assert check_up_down_consistency(
        budget.downstream_loss_db, budget.upstream_loss_db, budget.fibre_km
    ).consistent


@given(fibre=segments, stages=ratios, extra=st.integers(1, 5))
def test_more_connectors_never_reduce_loss(fibre: list[float], stages: list[int], extra: int) -> None:
    base = OdnPath(fibre_km=tuple(fibre), splitter_ratios=tuple(stages), connectors=2)
    more = base.model_copy(update={"connectors": 2 + extra})
    assert predict(more).downstream_loss_db > predict(base).downstream_loss_db
