"""Typed, vendor-neutral errors of the lab model.

The model says *what* went wrong; each dialect renders it in its own words (Huawei
``  Failure: The ONT ID has already existed``, ZTE ``%Code 32310-GPONSRV : …``). Control-surface errors
(unknown OLT, splitter port taken) are :class:`LabError` too, and the HTTP endpoint maps them to 4xx.
"""

from __future__ import annotations


class LabError(Exception):
    """Base of every error the model raises on purpose."""


class UnknownOlt(LabError):
    """No OLT of that name in the lab."""


class PonPortNotFound(LabError):
    """No such PON port on the OLT."""


class OntIdExists(LabError):
    """The ONT-ID is already configured on that PON port."""

    def __init__(self, ont_id: int) -> None:
        super().__init__(f"ONT-ID {ont_id} exists")
        self.ont_id = ont_id


class OntIdOutOfRange(LabError):
    """No free ONT-ID left, or the ID is outside what the dialect allows."""


class SnExists(LabError):
    """An ONT entry with that SN already exists on the OLT."""


class PasswordExists(LabError):
    """An ONT entry with that password already exists on that PON port."""


class OntNotFound(LabError):
    """No ONT entry with that ID (or SN) on that PON port / OLT."""


class OntNotOnline(LabError):
    """The ONT entry exists but is not online (no matching ONU, no light, unpowered or too weak)."""


class OntHasServicePorts(LabError):
    """Deleting the ONT would orphan its service ports; delete those first (Huawei behaviour)."""


class LineProfileNotFound(LabError):
    """The ont-lineprofile id does not exist on the OLT."""


class SrvProfileNotFound(LabError):
    """The ont-srvprofile id does not exist on the OLT."""


class VlanNotFound(LabError):
    """The service VLAN is not created on the OLT."""


class ServicePortExists(LabError):
    """A service port with that index already exists (``index`` is the conflicting one)."""

    def __init__(self, index: int) -> None:
        super().__init__(f"service port {index} exists")
        self.index = index


class ServicePortNotFound(LabError):
    """No service port matches."""


class SystemBusy(LabError):
    """Fault injection: the OLT answers a configuration command with "system is busy"."""


class SplitterNotFound(LabError):
    """Field action on a splitter the OLT's ODN does not have."""


class SplitterPortInvalid(LabError):
    """Splitter port number outside 1..ratio, or an unknown ODN element reference."""


class SplitterPortOccupied(LabError):
    """Something is already plugged into that splitter port (a customer drop, a test ONU or a splitter)."""


class NothingPlugged(LabError):
    """Unplug on an empty splitter port (or an unknown ONU)."""
