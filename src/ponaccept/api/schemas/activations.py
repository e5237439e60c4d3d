"""Activation work orders (端口激活): the seed's list view, dispatch and revocation bodies."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ponaccept.db.models import CommandOutcome
from ponaccept.domain.choices import ActivationStatus, TestStatus

_ACTIVATION_STATUS = f"激活状态 activation status: {ActivationStatus.describe()}"
_TEST_STATUS = f"挂测状态 test status: {TestStatus.describe()}"


class DispatchRequest(BaseModel):
    """Splitters (all their ports) and/or single splitter ports of the project to activate."""

    model_config = ConfigDict(extra="forbid")

    splitter_ids: list[int] = Field(default_factory=list, examples=[[12, 13]], max_length=500)
    splitter_port_ids: list[int] = Field(default_factory=list, examples=[[]], max_length=5000)


class CommandRead(BaseModel):
    """One command sent to the OLT for this activation (secrets masked)."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    olt_name: str = Field(examples=["olt-hw-1"])
    command: str = Field(
        examples=['ont add 0 127 password-auth "******" always-on omci desc T-olt-hw-1-0-1-0-S1-1']
    )
    output: str
    outcome: CommandOutcome
    duration_ms: int | None = None


class ActivationRead(BaseModel):
    """One row of the activation list (端口激活列表), with the seed's columns."""

    id: int = Field(examples=[41])
    project_id: int = Field(examples=[7])
    splitter_port_id: int
    attempt: int = Field(examples=[1], description="1 for the first test of the port, +1 per re-test")
    olt_management_ip: str = Field(examples=["10.20.0.11"], description="OLT管理IP")
    olt_pon_port: str = Field(examples=["0/1/0"], description="OLT PON口 (frame/slot/port)")
    splitter_name: str = Field(examples=["HW1-A-1x32"], description="分光器名称")
    splitter_port: int = Field(examples=[3], description="分光器端口号")
    onu_name: str = Field(examples=["T-olt-hw-1-0-1-0-HW1-A-1x32-3"], description="ONU名称 (naming rule)")
    ont_id: int | None = Field(
        examples=[127], description="ONT-ID on the PON port (chosen before provisioning)"
    )
    svlan: int = Field(examples=[100], description="SVLAN (from the PON port)")
    cvlan: int | None = Field(examples=[3000], description="CVLAN (from the test CVLAN pool)")
    password: str = Field(examples=["k3J9xq2LpA"], description="PASSWORD: the test ONU's GPON password")
    status: ActivationStatus = Field(description=_ACTIVATION_STATUS)
    status_label_zh: str = Field(examples=["激活成功"])
    test_status: TestStatus = Field(description=_TEST_STATUS)
    test_status_label_zh: str = Field(examples=["未完成"])
    lease_expires_at: datetime | None
    needs_reconcile: bool = Field(description="The device may differ from this record; reconciliation needed")
    error: str | None = None
    created_at: datetime
    updated_at: datetime


class ActivationDetail(ActivationRead):
    transcript: list[CommandRead] = Field(
        default_factory=list, description="Device transcript (设备命令记录)"
    )


class DispatchResponse(BaseModel):
    job_id: int | None = Field(examples=[5], description="Background job running the activations")
    activations: list[ActivationRead]


class RevocationResponse(BaseModel):
    job_id: int | None = None
    activations: list[ActivationRead]
