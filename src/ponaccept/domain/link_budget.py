"""Link-budget prediction for one splitter-port path (reference/optics.md C2).

A fixed "ONU Rx ≥ −20 dBm" rule fails compliant 1:64 builds and passes a dirty connector on a short 1:8
build. Predicting the loss of each splitter port from its topology lets the verdict compare *measured*
with *expected* and flag the delta (dirty connector, macro-bend, wrong port) — see thresholds.py.

The ODN formula is ``A = α·L + n_splice·a_s + n_conn·a_c + Σ splitter IL + margin``, evaluated at 1490 nm
for downstream and 1310 nm for upstream. Defaults are the *maximum* (worst-case) values of optics.md C2,
so a healthy line normally measures slightly better than predicted. Every default is a parameter
(:class:`LossParameters`), because operators plan with their own vendor tables.

Worked example (optics.md C3): B+, 1:32, 3 km, 4 connectors, 6 splices →
17.2 + 3·0.25 + 4·0.5 + 6·0.1 = 20.55 dB downstream → ONU Rx −17.55 dBm at a +3 dBm launch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ponaccept.domain.choices import OpticalClass
from ponaccept.domain.errors import InvalidTopology

ALPHA_1310_DB_PER_KM = 0.35
"""Upstream fibre attenuation (optics.md C2: 0.35, design 0.36–0.40)."""
ALPHA_1490_DB_PER_KM = 0.25
"""Downstream fibre attenuation (optics.md C2: 0.20–0.25; upper value for a conservative prediction)."""
CONNECTOR_LOSS_DB = 0.5
"""Mated connector pair, worst case per standards (typical ≤0.25)."""
SPLICE_LOSS_DB = 0.1
"""Fusion splice (0.12 in one Chinese design code, 0.15 FOA)."""

DEFAULT_SPLITTER_IL_DB: Mapping[int, float] = MappingProxyType(
    {2: 3.6, 4: 7.2, 8: 10.5, 16: 13.8, 32: 17.2, 64: 21.5}
)
"""Maximum insertion loss of PLC splitters by ratio N (1:N), chosen inside the optics.md C2 ranges."""

SPLITTER_RATIOS = (2, 4, 8, 16, 32, 64)
"""Splitter ratios a path may contain (1:2 … 1:64)."""

DEFAULT_GAP_TOLERANCE_DB = 2.0
"""Allowed |measured − expected| up/down gap. Four DDM readings of ±0.5 dB each stack to about 2 dB."""

MAX_PLAUSIBLE_ATTENUATION_DB = 40.0
"""No PON class closes a link beyond 35 dB; a larger measured attenuation means a bad reading."""

MAX_SEGMENT_KM = 60.0
"""GPON logical reach; a longer fibre segment is a data-entry error."""


def design_margin_db(length_km: float) -> float:
    """Huawei ODN design margin by fibre length: 1 dB up to 5 km, 2 dB up to 10 km, 3 dB beyond."""
    if not math.isfinite(length_km) or length_km < 0:
        raise InvalidTopology(f"fibre length must be a finite number ≥ 0 km, got {length_km!r}")
    if length_km <= 5.0:
        return 1.0
    if length_km <= 10.0:
        return 2.0
    return 3.0


_FROZEN = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class LossParameters(BaseModel):
    """Per-element losses used for prediction; defaults are the worst-case values of optics.md C2."""

    model_config = _FROZEN

    alpha_downstream_db_per_km: float = Field(default=ALPHA_1490_DB_PER_KM, ge=0.0, le=2.0)
    alpha_upstream_db_per_km: float = Field(default=ALPHA_1310_DB_PER_KM, ge=0.0, le=2.0)
    connector_db: float = Field(default=CONNECTOR_LOSS_DB, ge=0.0, le=3.0)
    splice_db: float = Field(default=SPLICE_LOSS_DB, ge=0.0, le=1.0)
    splitter_il_db: dict[int, float] = Field(default_factory=lambda: dict(DEFAULT_SPLITTER_IL_DB))
    """Insertion loss by ratio N of a 1:N splitter (read-only by convention: the model is frozen)."""

    @field_validator("splitter_il_db")
    @classmethod
    def _splitter_table(cls, table: dict[int, float]) -> dict[int, float]:
        for ratio, loss in table.items():
            if ratio not in SPLITTER_RATIOS:
                raise InvalidTopology(f"splitter ratio 1:{ratio} is not one of 1:2 … 1:64")
            if not math.isfinite(loss) or not 0.0 < loss <= 30.0:
                raise InvalidTopology(f"insertion loss of 1:{ratio} must be in (0, 30] dB, got {loss!r}")
        return table


DEFAULT_LOSS_PARAMETERS = LossParameters()


class OdnPath(BaseModel):
    """The passive path from an OLT PON port to one splitter port, as entered in the resource system.

    ``fibre_km`` lists the feeder/distribution/drop segments; ``splitter_ratios`` the splitter stages in
    order (``(4, 16)`` for a 1:4 then a 1:16). ``margin_db`` is added to both directions; it is 0 by
    default because the prediction is compared with a measurement (use :func:`design_margin_db` when
    planning).
    """

    model_config = _FROZEN

    fibre_km: tuple[float, ...] = ()
    splitter_ratios: tuple[int, ...] = ()
    connectors: int = Field(default=0, ge=0, le=100)
    splices: int = Field(default=0, ge=0, le=500)
    margin_db: float = Field(default=0.0, ge=0.0, le=10.0)

    @field_validator("fibre_km")
    @classmethod
    def _segments(cls, segments: tuple[float, ...]) -> tuple[float, ...]:
        for length in segments:
            if not math.isfinite(length) or not 0.0 <= length <= MAX_SEGMENT_KM:
                raise InvalidTopology(f"fibre segment must be 0…{MAX_SEGMENT_KM} km, got {length!r}")
        return segments

    @field_validator("splitter_ratios")
    @classmethod
    def _ratios(cls, ratios: tuple[int, ...]) -> tuple[int, ...]:
        for ratio in ratios:
            if ratio not in SPLITTER_RATIOS:
                raise InvalidTopology(f"splitter ratio 1:{ratio} is not one of 1:2 … 1:64")
        return ratios

    @property
    def total_fibre_km(self) -> float:
        return math.fsum(self.fibre_km)


class LinkBudget(BaseModel):
    """Predicted losses of one path, with the breakdown kept for reports and evidence bundles."""

    model_config = _FROZEN

    optical_class: OpticalClass
    fibre_km: float
    fibre_downstream_db: float
    fibre_upstream_db: float
    splitters_db: float
    connectors_db: float
    splices_db: float
    margin_db: float
    downstream_loss_db: float
    upstream_loss_db: float

    @property
    def expected_gap_db(self) -> float:
        """Upstream − downstream loss: only the fibre differs by wavelength."""
        return self.upstream_loss_db - self.downstream_loss_db

    def expected_onu_rx_dbm(self, olt_tx_dbm: float) -> float:
        """ONU receive power for a given OLT launch power."""
        return olt_tx_dbm - self.downstream_loss_db

    def expected_olt_rx_dbm(self, onu_tx_dbm: float) -> float:
        """OLT receive power for a given ONU launch power."""
        return onu_tx_dbm - self.upstream_loss_db


def predict(
    path: OdnPath,
    params: LossParameters = DEFAULT_LOSS_PARAMETERS,
    optical_class: OpticalClass = OpticalClass.GPON_B_PLUS,
) -> LinkBudget:
    """Predict downstream (1490 nm) and upstream (1310 nm) loss of ``path``.

    Raises :class:`InvalidTopology` when the path uses a splitter ratio missing from ``params``.
    """
    missing = [r for r in path.splitter_ratios if r not in params.splitter_il_db]
    if missing:
        ratios = ", ".join(f"1:{r}" for r in missing)
        raise InvalidTopology(f"no insertion loss configured for splitter ratio(s) {ratios}")
    km = path.total_fibre_km
    fibre_down = km * params.alpha_downstream_db_per_km
    fibre_up = km * params.alpha_upstream_db_per_km
    splitters = math.fsum(params.splitter_il_db[r] for r in path.splitter_ratios)
    connectors = path.connectors * params.connector_db
    splices = path.splices * params.splice_db
    common = math.fsum((splitters, connectors, splices, path.margin_db))
    return LinkBudget(
        optical_class=optical_class,
        fibre_km=km,
        fibre_downstream_db=fibre_down,
        fibre_upstream_db=fibre_up,
        splitters_db=splitters,
        connectors_db=connectors,
        splices_db=splices,
        margin_db=path.margin_db,
        downstream_loss_db=common + fibre_down,
        upstream_loss_db=common + fibre_up,
    )


def expected_gap_db(fibre_km: float, params: LossParameters = DEFAULT_LOSS_PARAMETERS) -> float:
    """Expected upstream − downstream attenuation: ``(α1310 − α1490) · L``."""
    return (params.alpha_upstream_db_per_km - params.alpha_downstream_db_per_km) * fibre_km


def is_implausible_attenuation(attenuation_db: float) -> bool:
    """A negative loss (receiver above transmitter) or one no PON link could close means a bad reading."""
    return attenuation_db < 0.0 or attenuation_db > MAX_PLAUSIBLE_ATTENUATION_DB


@dataclass(frozen=True, slots=True)
class UpDownConsistency:
    """Comparison of the measured up/down attenuation gap with the gap the fibre length explains.

    ``consistent`` is ``None`` when either attenuation is unknown: absence of data is not agreement.
    """

    expected_gap_db: float
    measured_gap_db: float | None
    tolerance_db: float

    @property
    def deviation_db(self) -> float | None:
        if self.measured_gap_db is None:
            return None
        return self.measured_gap_db - self.expected_gap_db

    @property
    def consistent(self) -> bool | None:
        deviation = self.deviation_db
        return None if deviation is None else abs(deviation) <= self.tolerance_db


def check_up_down_consistency(
    downstream_db: float | None,
    upstream_db: float | None,
    fibre_km: float,
    params: LossParameters = DEFAULT_LOSS_PARAMETERS,
    tolerance_db: float = DEFAULT_GAP_TOLERANCE_DB,
) -> UpDownConsistency:
    """Check ``upstream ≈ downstream + (α1310 − α1490)·L`` within ``tolerance_db``.

    A large asymmetry means one of the four readings is wrong or miscalibrated, which a threshold on
    ONU Rx alone would not notice.
    """
    if not math.isfinite(tolerance_db) or tolerance_db < 0:
        raise InvalidTopology(f"gap tolerance must be a finite number ≥ 0 dB, got {tolerance_db!r}")
    gap = None if downstream_db is None or upstream_db is None else upstream_db - downstream_db
    return UpDownConsistency(
        expected_gap_db=expected_gap_db(fibre_km, params), measured_gap_db=gap, tolerance_db=tolerance_db
    )
