"""One optical reading of a test ONU, over SNMP or CLI as the OLT row says.

SNMP is used when ``Olt.optics_method`` is ``snmp`` and the credential store has a community for the
OLT (``PONACCEPT_DEVICE_<OLT>_COMMUNITY`` or the secrets file); otherwise — and that is documented, not
silent: the reading's ``method`` says which was used — the CLI (``display ont optical-info`` /
``show pon power attenuation``), recorded in the activation's transcript.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

from sqlalchemy.engine import Engine

from ponaccept.db.models import Activation, Olt, OpticsMethod, PonPort
from ponaccept.domain.optics import OpticalReadings
from ponaccept.drivers.base import PonPort as DevicePort
from ponaccept.jobs.activation_jobs import command_sink
from ponaccept.jobs.devices import DeviceAccess
from ponaccept.netops.tasks import JobContext, OpticsRequest, run_read_optics
from ponaccept.netops.transcript import TranscriptEntry, TranscriptRecorder


class OpticsUnavailable(Exception):
    """The OLT could not be read (unreachable, ONT unknown); the message says why."""


def _linked_sink(engine: Engine, activation_id: int | None) -> Callable[[TranscriptEntry], None]:
    sink = command_sink(engine)

    def linked(entry: TranscriptEntry) -> None:
        sink(dataclasses.replace(entry, activation_id=activation_id))

    return linked


def read_cli(
    engine: Engine, devices: DeviceAccess, activation: Activation, olt: Olt, port: PonPort
) -> OpticalReadings:
    assert activation.ont_id is not None
    request = OpticsRequest(olt.name, DevicePort(port.frame, port.slot, port.port), activation.ont_id)
    ctx = JobContext(
        recorder=TranscriptRecorder(sink=_linked_sink(engine, activation.id)), locks=devices.locks
    )
    with devices.nornir(engine, [olt.name]) as nr:
        [outcome] = run_read_optics(nr, [request], ctx)
    if outcome.error is not None:
        raise OpticsUnavailable(outcome.error)
    readings: OpticalReadings = outcome.readings[activation.ont_id]
    return readings


def read_snmp(
    devices: DeviceAccess, activation: Activation, olt: Olt, port: PonPort, community: str
) -> OpticalReadings:
    from ponaccept.polling.client import SnmpError, SnmpTarget, read_onu

    assert activation.ont_id is not None
    target = SnmpTarget(olt.name, olt.management_ip, olt.snmp_port, community)
    try:
        return asyncio.run(
            read_onu(target, olt.vendor, DevicePort(port.frame, port.slot, port.port), activation.ont_id)
        )
    except SnmpError as exc:
        raise OpticsUnavailable(str(exc)) from exc


def read_activation_optics(
    engine: Engine, devices: DeviceAccess, activation: Activation, olt: Olt, port: PonPort
) -> tuple[OpticalReadings, OpticsMethod]:
    """Read the activation's ONU; uses no caller session (see :func:`read_cli`)."""
    if olt.optics_method is OpticsMethod.SNMP:
        community = devices.snmp_community(olt)
        if community:
            return read_snmp(devices, activation, olt, port, community), OpticsMethod.SNMP
    return read_cli(engine, devices, activation, olt, port), OpticsMethod.CLI
