"""Line-quality (线路质量) and service (业务测试) test results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field

from ponaccept.db.models import OpticsMethod
from ponaccept.domain.choices import Verdict

_VERDICT = f"判定 verdict: {Verdict.describe()}"


class _Judged(BaseModel):
    """A result with a verdict; the Chinese label is derived, never stored."""

    verdict: Verdict = Field(description=_VERDICT)

    @computed_field(description="判定 (Chinese label of verdict)", examples=["达标"])  # type: ignore[prop-decorator]
    @property
    def verdict_label_zh(self) -> str:
        return self.verdict.label_zh


class LineTestRequest(BaseModel):
    """Optional stability mode: ``samples`` readings spread over ``duration_s`` seconds."""

    model_config = ConfigDict(extra="forbid")

    samples: int = Field(default=1, ge=1, le=20, examples=[1])
    duration_s: float = Field(default=0.0, ge=0, le=120, examples=[0])


class LineTestRead(_Judged):
    model_config = ConfigDict(from_attributes=True)

    id: int
    activation_id: int
    measured_at: datetime
    olt_tx_dbm: float | None = Field(examples=[3.6], description="OLT发光功率")
    olt_rx_dbm: float | None = Field(examples=[-21.4], description="OLT收光功率")
    onu_tx_dbm: float | None = Field(examples=[2.1], description="ONU发光功率")
    onu_rx_dbm: float | None = Field(examples=[-18.2], description="ONU收光功率")
    down_att_db: float | None = Field(examples=[21.8], description="下行衰减 = OLT Tx − ONU Rx")
    up_att_db: float | None = Field(examples=[23.5], description="上行衰减 = ONU Tx − OLT Rx")
    method: OpticsMethod
    threshold_profile_id: int = Field(description="The exact threshold profile version used")
    reasons: list[str] = Field(examples=[["onu_rx_below_min: ONU Rx -21.30 dBm is below -20.00 dBm"]])
    raw: dict[str, Any]
    samples: int
    spread_db: float | None = Field(description="Stability mode: max − min ONU Rx over the samples")


class PhotoRead(BaseModel):
    sha256: str
    content_type: str
    filename: str
    size: int
    url: str = Field(examples=["/api/v1/photos/9f86d08188…"])


class ServiceTestRead(_Judged):
    id: int
    activation_id: int
    created_at: datetime
    account: str = Field(examples=["test0451@adsl"], description="拨号账号")
    result: str | None = Field(examples=["PPPoE up, speedtest ok"], description="测试结果")
    down_mbps: float | None = Field(examples=[940.2])
    up_mbps: float | None = Field(examples=[98.7])
    photos: list[PhotoRead]
