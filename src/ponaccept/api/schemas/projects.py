"""Construction projects (工程资料)."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ponaccept.api.schemas.common import Created, Id, InputModel, Text64, Text200, enum_doc
from ponaccept.domain.choices import ProjectStatus

TEST_REQUIRED_RULE = (
    "Whether the project must pass the acceptance test (挂测) before its ports are accepted. Rule: a "
    "project that has splitters is always test-required (seed 002: mandatory for new communities with "
    "splitters) — attaching splitters sets it, and it cannot be cleared while splitters are attached. "
    "A project without splitters (isolated addresses) is not test-required unless you set it to true."
)


class ProjectCreate(InputModel):
    code: Text64 = Field(examples=["PRJ-2026-0451"], description="Unique project code")
    name: Text200 = Field(examples=["文三新村 FTTH 新建"])
    contractor: Text200 | None = Field(default=None, examples=["浙江某通信工程有限公司"])
    community: Text200 | None = Field(default=None, examples=["文三新村"])
    test_required: bool | None = Field(
        default=None, description=TEST_REQUIRED_RULE + " Omitted: false until splitters are attached."
    )
    threshold_profile_id: Id | None = Field(
        default=None,
        description="Threshold profile VERSION (row id) used to judge line tests; "
        "default: the newest `construction` preset at test time",
    )


class ProjectUpdate(InputModel):
    name: Text200 | None = None
    contractor: Text200 | None = None
    community: Text200 | None = None
    test_required: bool | None = Field(default=None, description=TEST_REQUIRED_RULE)
    threshold_profile_id: Id | None = None


class ProjectRead(Created):
    id: int
    code: str
    name: str
    contractor: str | None
    community: str | None
    test_required: bool = Field(description=TEST_REQUIRED_RULE)
    status: ProjectStatus = Field(description=enum_doc(ProjectStatus, "Acceptance status."))
    threshold_profile_id: int | None
    rectification_reason: str | None = Field(
        default=None, description="整改原因: the reviewer's reason of the latest rejection", examples=[None]
    )
    updated_at: datetime
