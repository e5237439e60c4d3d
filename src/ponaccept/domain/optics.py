"""Optical power readings and attenuation (reference/optics.md C1).

A reading is either a measured power in dBm or an explicit :class:`Missing` with a reason. There is no
sentinel number: vendors use ``0``, ``-40`` or ``2147483647`` for "no value", and each of those has been
mistaken for a real power somewhere. Drivers translate their sentinels into :class:`Missing`; this module
refuses to turn a missing value into a number.

Plausible range. GPON/XGS-PON transmitters launch at most about +10 dBm (C+ combo optics, optics.md C1) and
receivers stop working around −35 dBm; DDM readings below about −40 dBm are noise floor. We accept
−50…+15 dBm (:data:`POWER_MIN_DBM`, :data:`POWER_MAX_DBM`) so that every physically possible reading,
including a saturated receiver or a noise-floor value, is kept, while decoding errors (a wrong scale gives
+40 dBm or −80 dBm, an unscaled raw counter gives thousands) are rejected instead of being judged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ponaccept.domain.choices import OpticalClass
from ponaccept.domain.errors import InvalidOpticalValue

POWER_MIN_DBM = -50.0
"""Lowest accepted optical power: below any receiver's noise floor, above decoding garbage."""
POWER_MAX_DBM = 15.0
"""Highest accepted optical power: above any PON class launch power (max +10 dBm), below decoding garbage."""

TEMPERATURE_RANGE_C = (-50.0, 125.0)
"""Transceiver DDM temperature: industrial parts run −40…+85 °C; the wider range keeps alarms visible."""
VOLTAGE_RANGE_V = (0.0, 7.0)
"""Supply voltage (3.3 V nominal); anything outside 0…7 V is a decoding error."""
BIAS_RANGE_MA = (0.0, 200.0)
"""Laser bias current; real lasers draw ≈5…90 mA."""
DISTANCE_RANGE_M = (0.0, 60_000.0)
"""OLT-ONU ranging distance: GPON logical reach is 60 km."""


class Quantity(StrEnum):
    """The four powers of a line test, named from the device that reports them."""

    OLT_TX = "olt_tx"
    OLT_RX = "olt_rx"
    ONU_TX = "onu_tx"
    ONU_RX = "onu_rx"


class MissingReason(StrEnum):
    """Why a power has no value; lets a report say *why* a test could not be judged."""

    OFFLINE = "offline"  # the ONU is not registered / online, so it reports nothing
    LOS = "los"  # loss of signal on the port or at the ONU
    NOT_AVAILABLE = "not_available"  # the device answered with its "invalid" sentinel
    NOT_SUPPORTED = "not_supported"  # this platform or firmware does not expose the quantity
    TIMEOUT = "timeout"  # the read did not complete in time


def check_finite_in_range(value: float, quantity: str, low: float, high: float, unit: str) -> float:
    """``value`` as a float if finite and within ``low..high``; else :class:`InvalidOpticalValue`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidOpticalValue(quantity, float("nan"), low, high, unit)
    number = float(value)
    if not math.isfinite(number) or not low <= number <= high:
        raise InvalidOpticalValue(quantity, number, low, high, unit)
    return number


def check_power_dbm(value: float, quantity: str = "optical power") -> float:
    """Validate an optical power in dBm against the plausible range (see module docstring)."""
    return check_finite_in_range(value, quantity, POWER_MIN_DBM, POWER_MAX_DBM, "dBm")


_FROZEN = ConfigDict(frozen=True, extra="forbid")


class Measured(BaseModel):
    """A power that the device reported, in dBm."""

    model_config = _FROZEN

    kind: Literal["measured"] = "measured"
    dbm: float

    @field_validator("dbm")
    @classmethod
    def _plausible(cls, value: float) -> float:
        return check_power_dbm(value)


class Missing(BaseModel):
    """A power that could not be obtained, with the reason (never a number)."""

    model_config = _FROZEN

    kind: Literal["missing"] = "missing"
    reason: MissingReason
    detail: str | None = Field(default=None, max_length=200)


PowerReading = Annotated[Measured | Missing, Field(discriminator="kind")]
"""Either a :class:`Measured` or a :class:`Missing` power (JSON discriminator ``kind``)."""


def measured(dbm: float, quantity: str = "optical power") -> Measured:
    """Build a :class:`Measured`, naming ``quantity`` in the error if the value is implausible."""
    return Measured(dbm=check_power_dbm(dbm, quantity))


def missing(reason: MissingReason, detail: str | None = None) -> Missing:
    return Missing(reason=reason, detail=detail)


def reading_dbm(reading: Measured | Missing) -> float | None:
    """The value in dBm, or ``None`` when missing — for arithmetic that must propagate absence."""
    return reading.dbm if isinstance(reading, Measured) else None


def attenuation_db(tx_dbm: float, rx_dbm: float) -> float:
    """Loss between a transmitter and the receiver at the other end: ``tx − rx`` (dB)."""
    return tx_dbm - rx_dbm


def attenuation(tx: Measured | Missing, rx: Measured | Missing) -> float | None:
    """``tx − rx`` in dB, or ``None`` if either side is missing (a missing side never counts as 0)."""
    if isinstance(tx, Measured) and isinstance(rx, Measured):
        return attenuation_db(tx.dbm, rx.dbm)
    return None


def _optional_in_range(
    value: float | None, quantity: str, bounds: tuple[float, float], unit: str
) -> float | None:
    if value is None:
        return None
    return check_finite_in_range(value, quantity, bounds[0], bounds[1], unit)


class OpticalReadings(BaseModel):
    """One snapshot of a test ONU's line: the four powers plus optional ONU transceiver diagnostics."""

    model_config = _FROZEN

    olt_tx: PowerReading
    olt_rx: PowerReading
    onu_tx: PowerReading
    onu_rx: PowerReading
    onu_temperature_c: float | None = None
    onu_voltage_v: float | None = None
    onu_bias_ma: float | None = None
    distance_m: float | None = None

    @field_validator("onu_temperature_c")
    @classmethod
    def _temperature(cls, value: float | None) -> float | None:
        return _optional_in_range(value, "onu_temperature_c", TEMPERATURE_RANGE_C, "°C")

    @field_validator("onu_voltage_v")
    @classmethod
    def _voltage(cls, value: float | None) -> float | None:
        return _optional_in_range(value, "onu_voltage_v", VOLTAGE_RANGE_V, "V")

    @field_validator("onu_bias_ma")
    @classmethod
    def _bias(cls, value: float | None) -> float | None:
        return _optional_in_range(value, "onu_bias_ma", BIAS_RANGE_MA, "mA")

    @field_validator("distance_m")
    @classmethod
    def _distance(cls, value: float | None) -> float | None:
        return _optional_in_range(value, "distance_m", DISTANCE_RANGE_M, "m")

    @classmethod
    def from_dbm(
        cls,
        *,
        olt_tx: float | None,
        olt_rx: float | None,
        onu_tx: float | None,
        onu_rx: float | None,
        missing_reason: MissingReason = MissingReason.NOT_AVAILABLE,
        onu_temperature_c: float | None = None,
        onu_voltage_v: float | None = None,
        onu_bias_ma: float | None = None,
        distance_m: float | None = None,
    ) -> OpticalReadings:
        """Build from plain dBm values; ``None`` becomes :class:`Missing` with ``missing_reason``.

        Validation errors name the quantity (``onu_rx: 40.0 dBm is not a plausible value…``).
        """

        def wrap(value: float | None, quantity: Quantity) -> Measured | Missing:
            return Missing(reason=missing_reason) if value is None else measured(value, quantity.value)

        return cls(
            olt_tx=wrap(olt_tx, Quantity.OLT_TX),
            olt_rx=wrap(olt_rx, Quantity.OLT_RX),
            onu_tx=wrap(onu_tx, Quantity.ONU_TX),
            onu_rx=wrap(onu_rx, Quantity.ONU_RX),
            onu_temperature_c=_optional_in_range(
                onu_temperature_c, "onu_temperature_c", TEMPERATURE_RANGE_C, "°C"
            ),
            onu_voltage_v=_optional_in_range(onu_voltage_v, "onu_voltage_v", VOLTAGE_RANGE_V, "V"),
            onu_bias_ma=_optional_in_range(onu_bias_ma, "onu_bias_ma", BIAS_RANGE_MA, "mA"),
            distance_m=_optional_in_range(distance_m, "distance_m", DISTANCE_RANGE_M, "m"),
        )

    def reading(self, quantity: Quantity) -> Measured | Missing:
        readings: dict[Quantity, Measured | Missing] = {
            Quantity.OLT_TX: self.olt_tx,
            Quantity.OLT_RX: self.olt_rx,
            Quantity.ONU_TX: self.onu_tx,
            Quantity.ONU_RX: self.onu_rx,
        }
        return readings[quantity]

    def dbm(self, quantity: Quantity) -> float | None:
        return reading_dbm(self.reading(quantity))

    def missing_quantities(self) -> tuple[Quantity, ...]:
        """The powers that have no value, in :class:`Quantity` order."""
        return tuple(q for q in Quantity if isinstance(self.reading(q), Missing))

    @property
    def downstream_attenuation_db(self) -> float | None:
        """OLT Tx − ONU Rx (1490 nm), or ``None`` if either is missing."""
        return attenuation(self.olt_tx, self.onu_rx)

    @property
    def upstream_attenuation_db(self) -> float | None:
        """ONU Tx − OLT Rx (1310 nm), or ``None`` if either is missing."""
        return attenuation(self.onu_tx, self.olt_rx)


@dataclass(frozen=True, slots=True)
class ClassLimits:
    """Limits of one ITU-T optical class (optics.md C1). ``approximate`` marks values from memory."""

    optical_class: OpticalClass
    loss_min_db: float
    loss_max_db: float
    olt_tx_min_dbm: float
    olt_tx_max_dbm: float
    olt_rx_sensitivity_dbm: float
    olt_rx_overload_dbm: float
    onu_tx_min_dbm: float
    onu_tx_max_dbm: float
    onu_rx_sensitivity_dbm: float
    onu_rx_overload_dbm: float
    approximate: bool = False


CLASS_LIMITS: Mapping[OpticalClass, ClassLimits] = MappingProxyType(
    {
        OpticalClass.GPON_B_PLUS: ClassLimits(
            OpticalClass.GPON_B_PLUS, 13, 28, 1.5, 5, -28, -8, 0.5, 5, -27, -8
        ),
        OpticalClass.GPON_C_PLUS: ClassLimits(
            OpticalClass.GPON_C_PLUS, 17, 32, 3, 7, -32, -12, 0.5, 5, -30, -8, approximate=True
        ),
        OpticalClass.XGSPON_N1: ClassLimits(
            OpticalClass.XGSPON_N1, 14, 29, 2, 5, -26, -5, 4, 9, -28, -9, approximate=True
        ),
        OpticalClass.XGSPON_N2: ClassLimits(OpticalClass.XGSPON_N2, 16, 31, 4, 7, -28, -7, 4, 9, -28, -9),
        OpticalClass.XGSPON_E1: ClassLimits(OpticalClass.XGSPON_E1, 18, 33, 6, 9, -30, -9, 4, 9, -28, -9),
    }
)
