"""Settings of the acceptance workflow (environment prefix ``PONACCEPT_``, like the product settings).

Kept beside the services rather than in ``ponaccept.config`` because only this workflow reads them.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WorkflowSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PONACCEPT_", env_file=".env", extra="ignore")

    service_min_down_mbps: float = Field(
        default=100.0, ge=0, description="Service test pass: download ≥ this."
    )
    service_min_up_mbps: float = Field(default=20.0, ge=0, description="Service test pass: upload ≥ this.")
    photo_max_bytes: int = Field(default=10 * 1024 * 1024, gt=0, description="Largest accepted photo.")
    default_cvlan_start: int = Field(
        default=3000,
        ge=1,
        le=4094,
        description="When a PON port has no CVLAN pool (PON port, OLT or global scope), dispatch creates "
        "a global pool 'default-test' with this range.",
    )
    default_cvlan_end: int = Field(default=3999, ge=1, le=4094)
    sweep_interval_s: float = Field(default=60.0, gt=0, description="Lease sweeper period (in-process mode).")
    outbox_interval_s: float = Field(default=2.0, gt=0, description="Webhook delivery worker period.")
    clock_sweep_interval_s: float = Field(
        default=300.0, gt=0, description="Period of the SLA clock sweep (running clocks brought up to now)."
    )
    line_test_max_samples: int = Field(default=20, ge=1)
    line_test_max_duration_s: float = Field(default=120.0, gt=0)


@lru_cache(maxsize=1)
def get_workflow_settings() -> WorkflowSettings:
    return WorkflowSettings()
