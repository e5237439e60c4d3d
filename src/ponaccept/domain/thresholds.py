"""Threshold profiles, optical class limits and the line-quality verdict.

The seed process judges a line by ONU Rx against one number (−20 dBm at construction acceptance, −27 dBm
for the end user). That number is a *policy*, so it lives in a versioned :class:`ThresholdProfile`, and
every :class:`LineVerdict` records the profile name and version it was judged with — a report must still
explain itself after the policy changes.

Two modes:

* ``fixed`` — ONU Rx must be ≥ ``onu_rx_min_dbm`` (the presets).
* ``predicted_plus_tolerance`` — ONU Rx must be ≥ (OLT Tx − predicted downstream loss − tolerance), but
  never below the class sensitivity + ``sensitivity_margin_db`` (optics.md C3 recommendation: a fixed
  −20 dBm fails compliant 1:64 builds). Without a prediction the profile's ``onu_rx_min_dbm`` is used
  and the verdict says so (``onu_rx_min_basis = fixed_fallback``).

The verdict lists *every* reason, not just the first, so a field engineer fixes all problems in one visit.
Each reason has a severity: FAIL (a limit is violated), INCONCLUSIVE (a reading is missing or physically
implausible, e.g. a negative attenuation) or WARNING (worth a look, verdict unchanged: loss well *below*
the prediction — wrong port or stale topology — or an up/down gap that the fibre length does not explain;
DDM calibration is too loose to fail a line on that alone). A missing reading never passes: it makes the
verdict INCONCLUSIVE unless another check already FAILs.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ponaccept.domain.choices import Direction, Verdict
from ponaccept.domain.errors import InvalidThresholdProfile
from ponaccept.domain.link_budget import (
    DEFAULT_GAP_TOLERANCE_DB,
    LinkBudget,
    check_up_down_consistency,
    is_implausible_attenuation,
)
from ponaccept.domain.optics import (
    CLASS_LIMITS,
    POWER_MAX_DBM,
    POWER_MIN_DBM,
    Missing,
    OpticalReadings,
    Quantity,
)


class ThresholdMode(StrEnum):
    FIXED = "fixed"
    PREDICTED_PLUS_TOLERANCE = "predicted_plus_tolerance"


DEFAULT_OVERLOAD_DBM = -8.0
"""ONU Rx overload of GPON B+ (optics.md C1); above it the receiver saturates and errors."""
DEFAULT_SENSITIVITY_MARGIN_DB = 3.0
"""Floor of predicted thresholds above class sensitivity: B+ −27 + 3 = −24 dBm, the training rule (C3)."""

_DBM = Field(ge=POWER_MIN_DBM, le=POWER_MAX_DBM)


class ThresholdProfile(BaseModel):
    """A versioned line-quality policy. Optional limits that are ``None`` are not checked."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    name: str = Field(min_length=1, max_length=64)
    version: int = Field(default=1, ge=1)
    description: str = Field(default="", max_length=500)
    mode: ThresholdMode = ThresholdMode.FIXED
    onu_rx_min_dbm: float = _DBM
    onu_rx_overload_dbm: float = Field(default=DEFAULT_OVERLOAD_DBM, ge=POWER_MIN_DBM, le=POWER_MAX_DBM)
    olt_rx_min_dbm: float | None = Field(default=None, ge=POWER_MIN_DBM, le=POWER_MAX_DBM)
    olt_rx_overload_dbm: float | None = Field(default=None, ge=POWER_MIN_DBM, le=POWER_MAX_DBM)
    max_downstream_attenuation_db: float | None = Field(default=None, gt=0, le=40)
    max_upstream_attenuation_db: float | None = Field(default=None, gt=0, le=40)
    tolerance_db: float | None = Field(default=None, gt=0, le=15)
    """Allowed |measured − predicted| loss. Required in predicted mode; when set and a prediction is given,
    measured loss above predicted + tolerance FAILs (``predicted_delta_exceeded``) in either mode."""
    sensitivity_margin_db: float = Field(default=DEFAULT_SENSITIVITY_MARGIN_DB, ge=0, le=15)
    up_down_gap_tolerance_db: float | None = Field(default=DEFAULT_GAP_TOLERANCE_DB, ge=0, le=15)
    """Warn when the up/down gap deviates from (α1310 − α1490)·L by more; ``None`` disables the check."""

    @model_validator(mode="after")
    def _coherent(self) -> ThresholdProfile:
        if self.onu_rx_min_dbm >= self.onu_rx_overload_dbm:
            raise InvalidThresholdProfile(
                f"onu_rx_min_dbm ({self.onu_rx_min_dbm}) must be below onu_rx_overload_dbm "
                f"({self.onu_rx_overload_dbm})"
            )
        if (
            self.olt_rx_min_dbm is not None
            and self.olt_rx_overload_dbm is not None
            and self.olt_rx_min_dbm >= self.olt_rx_overload_dbm
        ):
            raise InvalidThresholdProfile("olt_rx_min_dbm must be below olt_rx_overload_dbm")
        if self.mode is ThresholdMode.PREDICTED_PLUS_TOLERANCE and self.tolerance_db is None:
            raise InvalidThresholdProfile("mode predicted_plus_tolerance needs tolerance_db")
        return self


CONSTRUCTION_PRESET = ThresholdProfile(
    name="construction",
    version=1,
    description="施工验收: ONU Rx ≥ −20 dBm so the end user still reaches −27 dBm after the drop cable",
    onu_rx_min_dbm=-20.0,
)
END_USER_PRESET = ThresholdProfile(
    name="end-user",
    version=1,
    description="用户端: ONU Rx ≥ −27 dBm (GPON B+ ONU sensitivity)",
    onu_rx_min_dbm=-27.0,
)
PRESETS: Mapping[str, ThresholdProfile] = MappingProxyType(
    {CONSTRUCTION_PRESET.name: CONSTRUCTION_PRESET, END_USER_PRESET.name: END_USER_PRESET}
)


class ReasonCode(StrEnum):
    """Stable reason identifiers (API clients and reports key on these, never on messages)."""

    MISSING_READING = "missing_reading"
    ONU_RX_BELOW_MIN = "onu_rx_below_min"
    ONU_RX_OVERLOAD = "onu_rx_overload"
    OLT_RX_BELOW_MIN = "olt_rx_below_min"
    OLT_RX_OVERLOAD = "olt_rx_overload"
    DOWNSTREAM_ATTENUATION_ABOVE_MAX = "downstream_attenuation_above_max"
    UPSTREAM_ATTENUATION_ABOVE_MAX = "upstream_attenuation_above_max"
    PREDICTED_DELTA_EXCEEDED = "predicted_delta_exceeded"
    ATTENUATION_BELOW_PREDICTED = "attenuation_below_predicted"
    IMPLAUSIBLE_ATTENUATION = "implausible_attenuation"
    UP_DOWN_INCONSISTENT = "up_down_inconsistent"


class Severity(StrEnum):
    """How a reason weighs on the verdict: FAIL beats INCONCLUSIVE; WARNING never changes it."""

    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    WARNING = "warning"


class OnuRxLimitBasis(StrEnum):
    """Where the ONU Rx minimum applied came from."""

    FIXED = "fixed"
    PREDICTED = "predicted"
    CLASS_FLOOR = "class_floor"
    FIXED_FALLBACK = "fixed_fallback"


class Reason(BaseModel):
    """One finding of a verdict: stable code, the value measured, the limit it was compared with."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: ReasonCode
    severity: Severity
    message: str
    quantity: Quantity | None = None
    direction: Direction | None = None
    measured: float | None = None
    limit: float | None = None


class LineVerdict(BaseModel):
    """Outcome of judging one set of readings against one profile (stored with the LineTest)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    verdict: Verdict
    reasons: tuple[Reason, ...]
    downstream_attenuation_db: float | None
    upstream_attenuation_db: float | None
    profile_name: str
    profile_version: int
    onu_rx_min_dbm: float
    onu_rx_min_basis: OnuRxLimitBasis
    predicted_downstream_db: float | None = None
    predicted_upstream_db: float | None = None
    expected_onu_rx_dbm: float | None = None

    @property
    def codes(self) -> tuple[ReasonCode, ...]:
        return tuple(r.code for r in self.reasons)


def onu_rx_minimum(
    profile: ThresholdProfile, prediction: LinkBudget | None, olt_tx_dbm: float | None
) -> tuple[float, OnuRxLimitBasis, float | None]:
    """The ONU Rx minimum to apply, its basis, and the expected ONU Rx (if predicted)."""
    if profile.mode is ThresholdMode.FIXED:
        return profile.onu_rx_min_dbm, OnuRxLimitBasis.FIXED, None
    if prediction is None or olt_tx_dbm is None or profile.tolerance_db is None:
        return profile.onu_rx_min_dbm, OnuRxLimitBasis.FIXED_FALLBACK, None
    expected = prediction.expected_onu_rx_dbm(olt_tx_dbm)
    floor = CLASS_LIMITS[prediction.optical_class].onu_rx_sensitivity_dbm + profile.sensitivity_margin_db
    candidate = expected - profile.tolerance_db
    if candidate >= floor:
        return candidate, OnuRxLimitBasis.PREDICTED, expected
    return floor, OnuRxLimitBasis.CLASS_FLOOR, expected


def _fail(code: ReasonCode, message: str, **facts: object) -> Reason:
    return Reason.model_validate({"code": code, "severity": Severity.FAIL, "message": message, **facts})


def _power_checks(readings: OpticalReadings, profile: ThresholdProfile, onu_rx_min: float) -> list[Reason]:
    reasons: list[Reason] = []
    onu_rx = readings.dbm(Quantity.ONU_RX)
    if onu_rx is not None and onu_rx < onu_rx_min:
        reasons.append(
            _fail(
                ReasonCode.ONU_RX_BELOW_MIN,
                f"ONU Rx {onu_rx:.2f} dBm is below the minimum {onu_rx_min:.2f} dBm",
                quantity=Quantity.ONU_RX,
                measured=onu_rx,
                limit=onu_rx_min,
            )
        )
    if onu_rx is not None and onu_rx > profile.onu_rx_overload_dbm:
        reasons.append(
            _fail(
                ReasonCode.ONU_RX_OVERLOAD,
                f"ONU Rx {onu_rx:.2f} dBm is above the overload level {profile.onu_rx_overload_dbm:.2f} dBm",
                quantity=Quantity.ONU_RX,
                measured=onu_rx,
                limit=profile.onu_rx_overload_dbm,
            )
        )
    olt_rx = readings.dbm(Quantity.OLT_RX)
    if olt_rx is not None and profile.olt_rx_min_dbm is not None and olt_rx < profile.olt_rx_min_dbm:
        reasons.append(
            _fail(
                ReasonCode.OLT_RX_BELOW_MIN,
                f"OLT Rx {olt_rx:.2f} dBm is below the minimum {profile.olt_rx_min_dbm:.2f} dBm",
                quantity=Quantity.OLT_RX,
                measured=olt_rx,
                limit=profile.olt_rx_min_dbm,
            )
        )
    if (
        olt_rx is not None
        and profile.olt_rx_overload_dbm is not None
        and olt_rx > profile.olt_rx_overload_dbm
    ):
        reasons.append(
            _fail(
                ReasonCode.OLT_RX_OVERLOAD,
                f"OLT Rx {olt_rx:.2f} dBm is above the overload level {profile.olt_rx_overload_dbm:.2f} dBm",
                quantity=Quantity.OLT_RX,
                measured=olt_rx,
                limit=profile.olt_rx_overload_dbm,
            )
        )
    return reasons


_MAX_CODES = {
    Direction.DOWNSTREAM: ReasonCode.DOWNSTREAM_ATTENUATION_ABOVE_MAX,
    Direction.UPSTREAM: ReasonCode.UPSTREAM_ATTENUATION_ABOVE_MAX,
}


def _attenuation_checks(
    direction: Direction,
    measured: float | None,
    maximum: float | None,
    predicted: float | None,
    tolerance: float | None,
) -> list[Reason]:
    if measured is None:
        return []
    facts = {"direction": direction, "measured": measured}
    if is_implausible_attenuation(measured):
        return [
            Reason.model_validate(
                {
                    "code": ReasonCode.IMPLAUSIBLE_ATTENUATION,
                    "severity": Severity.INCONCLUSIVE,
                    "message": f"{direction.value} attenuation {measured:.2f} dB is physically implausible; "
                    "a reading is wrong or miscalibrated",
                    **facts,
                }
            )
        ]
    reasons: list[Reason] = []
    if maximum is not None and measured > maximum:
        reasons.append(
            _fail(
                _MAX_CODES[direction],
                f"{direction.value} attenuation {measured:.2f} dB exceeds the maximum {maximum:.2f} dB",
                limit=maximum,
                **facts,
            )
        )
    if predicted is not None and tolerance is not None:
        if measured > predicted + tolerance:
            reasons.append(
                _fail(
                    ReasonCode.PREDICTED_DELTA_EXCEEDED,
                    f"{direction.value} attenuation {measured:.2f} dB exceeds the predicted "
                    f"{predicted:.2f} dB by {measured - predicted:.2f} dB (tolerance {tolerance:.2f} dB): "
                    "dirty connector, bend or wrong port",
                    limit=predicted + tolerance,
                    **facts,
                )
            )
        elif measured < predicted - tolerance:
            reasons.append(
                Reason.model_validate(
                    {
                        "code": ReasonCode.ATTENUATION_BELOW_PREDICTED,
                        "severity": Severity.WARNING,
                        "message": f"{direction.value} attenuation {measured:.2f} dB is "
                        f"{predicted - measured:.2f} dB below the predicted {predicted:.2f} dB: check the "
                        "topology data and that the tested port is the intended one",
                        "limit": predicted - tolerance,
                        **facts,
                    }
                )
            )
    return reasons


def _missing_reasons(readings: OpticalReadings) -> list[Reason]:
    reasons: list[Reason] = []
    for quantity in readings.missing_quantities():
        reading = readings.reading(quantity)
        assert isinstance(reading, Missing)
        detail = f" ({reading.detail})" if reading.detail else ""
        reasons.append(
            Reason(
                code=ReasonCode.MISSING_READING,
                severity=Severity.INCONCLUSIVE,
                message=f"{quantity.value} has no reading: {reading.reason.value}{detail}",
                quantity=quantity,
            )
        )
    return reasons


def _consistency_reason(
    profile: ThresholdProfile, prediction: LinkBudget | None, down: float | None, up: float | None
) -> list[Reason]:
    if prediction is None or profile.up_down_gap_tolerance_db is None or down is None or up is None:
        return []
    if is_implausible_attenuation(down) or is_implausible_attenuation(up):
        return []  # already reported as implausible; a gap of two wrong numbers adds nothing
    check = check_up_down_consistency(
        down, up, prediction.fibre_km, tolerance_db=profile.up_down_gap_tolerance_db
    )
    if check.consistent is not False or check.measured_gap_db is None:
        return []
    return [
        Reason(
            code=ReasonCode.UP_DOWN_INCONSISTENT,
            severity=Severity.WARNING,
            message=f"upstream − downstream attenuation is {check.measured_gap_db:.2f} dB, expected "
            f"{check.expected_gap_db:.2f} dB ± {check.tolerance_db:.2f} dB for {prediction.fibre_km:g} km: "
            "check reading calibration",
            measured=check.measured_gap_db,
            limit=check.expected_gap_db,
        )
    ]


def judge(
    readings: OpticalReadings, profile: ThresholdProfile, prediction: LinkBudget | None = None
) -> LineVerdict:
    """Judge one set of readings: FAIL if any check fails, else INCONCLUSIVE if anything is missing or
    implausible, else PASS. All reasons are listed, including warnings that do not change the verdict.
    """
    down = readings.downstream_attenuation_db
    up = readings.upstream_attenuation_db
    onu_rx_min, basis, expected_onu_rx = onu_rx_minimum(profile, prediction, readings.dbm(Quantity.OLT_TX))
    predicted_down = prediction.downstream_loss_db if prediction else None
    predicted_up = prediction.upstream_loss_db if prediction else None

    reasons = _missing_reasons(readings)
    reasons += _power_checks(readings, profile, onu_rx_min)
    reasons += _attenuation_checks(
        Direction.DOWNSTREAM,
        down,
        profile.max_downstream_attenuation_db,
        predicted_down,
        profile.tolerance_db,
    )
    reasons += _attenuation_checks(
        Direction.UPSTREAM, up, profile.max_upstream_attenuation_db, predicted_up, profile.tolerance_db
    )
    reasons += _consistency_reason(profile, prediction, down, up)

    severities = {r.severity for r in reasons}
    if Severity.FAIL in severities:
        verdict = Verdict.FAIL
    elif Severity.INCONCLUSIVE in severities:
        verdict = Verdict.INCONCLUSIVE
    else:
        verdict = Verdict.PASS
    return LineVerdict(
        verdict=verdict,
        reasons=tuple(reasons),
        downstream_attenuation_db=down,
        upstream_attenuation_db=up,
        profile_name=profile.name,
        profile_version=profile.version,
        onu_rx_min_dbm=onu_rx_min,
        onu_rx_min_basis=basis,
        predicted_downstream_db=predicted_down,
        predicted_upstream_db=predicted_up,
        expected_onu_rx_dbm=expected_onu_rx,
    )
