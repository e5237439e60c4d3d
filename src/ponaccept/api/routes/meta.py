"""Caller identity and the status vocabularies with their Chinese labels."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ponaccept.api.deps import CurrentKey
from ponaccept.api.errors import PROBLEM_RESPONSES
from ponaccept.api.security import Role
from ponaccept.domain.choices import ActivationStatus, ProjectStatus, TestStatus, Verdict

router = APIRouter(prefix="/meta", tags=["meta"], responses=PROBLEM_RESPONSES)


class WhoAmI(BaseModel):
    name: str = Field(examples=["resource-system-prod"])
    role: Role
    key_prefix: str = Field(examples=["pak_1a2b3c4d"], description="Public part of the key")


class EnumValue(BaseModel):
    value: str = Field(examples=["activation_succeeded"])
    label_zh: str = Field(examples=["激活成功"])


@router.get("/whoami")
def whoami(caller: CurrentKey) -> WhoAmI:
    """The name and role of the key used for this request."""
    return WhoAmI(name=caller.name, role=caller.role, key_prefix=caller.prefix)


@router.get("/enums")
def enums(_caller: CurrentKey) -> dict[str, list[EnumValue]]:
    """Every status vocabulary: stable English value and the seed's Chinese label."""
    return {
        cls.__name__: [EnumValue(value=m.value, label_zh=m.label_zh) for m in cls]
        for cls in (ActivationStatus, TestStatus, ProjectStatus, Verdict)
    }
