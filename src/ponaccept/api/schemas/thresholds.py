"""Threshold profiles (质量门限值): versioned; a change creates version N+1."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ponaccept.api.schemas.common import CLI_TOKEN_REGEX, Created, InputModel, ReadModel, enum_doc
from ponaccept.db.models import ThresholdMode

Dbm = Annotated[float, Field(ge=-50, le=10)]
AttDb = Annotated[float, Field(gt=0, le=40)]
ToleranceDb = Annotated[float, Field(gt=0, le=15)]

MODE_DOC = enum_doc(
    ThresholdMode,
    "fixed: ONU Rx ≥ onu_rx_min_dbm. predicted_plus_tolerance: ONU Rx ≥ OLT Tx − predicted loss − "
    "tolerance_db (floored at class sensitivity + 3 dB; falls back to onu_rx_min_dbm without a prediction).",
)


class ThresholdLimits(InputModel):
    """Every limit of a version (PUT sends all of them; a new version is created)."""

    onu_rx_min_dbm: Dbm = Field(
        examples=[-20.0], description="ONU Rx minimum (seed: −20 construction, −27 user)"
    )
    overload_dbm: Dbm = Field(default=-8.0, examples=[-8.0], description="ONU Rx overload level")
    max_down_att_db: AttDb = Field(default=28.0, examples=[28.0], description="Max downstream attenuation")
    max_up_att_db: AttDb = Field(default=28.0, examples=[28.0], description="Max upstream attenuation")
    olt_rx_min_dbm: Dbm | None = Field(
        default=None, examples=[-28.0], description="OLT Rx minimum (optional)"
    )
    mode: ThresholdMode = Field(default=ThresholdMode.FIXED, description=MODE_DOC)
    tolerance_db: ToleranceDb | None = Field(
        default=None, examples=[3.0], description="Required in predicted_plus_tolerance mode"
    )


class ThresholdProfileCreate(ThresholdLimits):
    name: str = Field(
        pattern=CLI_TOKEN_REGEX, max_length=64, examples=["construction-strict"], description="Unique name"
    )


class ThresholdProfilePatch(InputModel):
    """Only the limits to change; the others are copied from the latest version."""

    onu_rx_min_dbm: Dbm | None = None
    overload_dbm: Dbm | None = None
    max_down_att_db: AttDb | None = None
    max_up_att_db: AttDb | None = None
    olt_rx_min_dbm: Dbm | None = None
    mode: ThresholdMode | None = None
    tolerance_db: ToleranceDb | None = None


class ThresholdProfileRead(Created):
    id: int = Field(description="Id of this VERSION (what projects and line tests refer to)")
    name: str
    version: int
    onu_rx_min_dbm: float
    overload_dbm: float
    max_down_att_db: float
    max_up_att_db: float
    olt_rx_min_dbm: float | None
    mode: ThresholdMode = Field(description=MODE_DOC)
    tolerance_db: float | None
    latest: bool = Field(description="Whether this is the newest version of the profile")


class ThresholdPreset(ReadModel):
    name: str
    onu_rx_min_dbm: float
