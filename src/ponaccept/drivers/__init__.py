"""ponaccept.drivers — OLT dialects as pure plan builders and output parsers (DESIGN.md §3).

No module here performs I/O: drivers build :class:`Plan` s and :class:`ReadRequest` s, ``check_step`` /
``check_read`` interpret what the device answered. ``ponaccept.netops`` sends the commands.
"""

from ponaccept.drivers.base import ActivationSpec, Expect, Plan, PonPort, ReadRequest, Step
from ponaccept.drivers.check import StepOutcome, check_mode_entry, check_read, check_step
from ponaccept.drivers.errors import (
    AlreadyExists,
    CommandRejected,
    DeviceBusy,
    DoesNotExist,
    DriverError,
    HasDependents,
    InvalidSpec,
    NoInformation,
    NotOnline,
    Rejected,
    ServicePortExists,
    UnknownPlatform,
    UnparsedOutput,
    classify,
)
from ponaccept.drivers.registry import Driver, get_driver, known_platforms
from ponaccept.drivers.results import (
    ConfiguredOnu,
    OntAddResult,
    OnuOptics,
    OnuState,
    PonTx,
    RunState,
    ServicePort,
)

__all__ = [
    "ActivationSpec",
    "AlreadyExists",
    "CommandRejected",
    "ConfiguredOnu",
    "DeviceBusy",
    "DoesNotExist",
    "Driver",
    "DriverError",
    "Expect",
    "HasDependents",
    "InvalidSpec",
    "NoInformation",
    "NotOnline",
    "OntAddResult",
    "OnuOptics",
    "OnuState",
    "Plan",
    "PonPort",
    "PonTx",
    "ReadRequest",
    "Rejected",
    "RunState",
    "ServicePort",
    "ServicePortExists",
    "Step",
    "StepOutcome",
    "UnknownPlatform",
    "UnparsedOutput",
    "check_mode_entry",
    "check_read",
    "check_step",
    "classify",
    "get_driver",
    "known_platforms",
]
