"""Review (二次审核) bodies and answers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ponaccept.domain.choices import ProjectStatus


class RejectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        min_length=1, max_length=2000, examples=["SPL-3 port 5: ONU Rx −22.4 dBm, clean connector"]
    )


class ReviewResult(BaseModel):
    project_id: int
    status: ProjectStatus = Field(description=f"工程状态: {ProjectStatus.describe()}")
    status_label_zh: str = Field(examples=["已验收"])
    reason: str | None = None
