"""SNMP optics for the engineer CLI: inventory hosts → poll requests → the same outcomes as the CLI path."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from nornir.core import Nornir

from ponaccept.config import get_settings
from ponaccept.drivers.base import PonPort
from ponaccept.netops.credentials import load_credentials
from ponaccept.netops.tasks import OpticsOutcome, OpticsRequest
from ponaccept.polling.client import SnmpTarget
from ponaccept.polling.poller import PollRequest, poll_many


def snmp_targets(nr: Nornir, timeout_s: float = 2.0, retries: int = 1) -> dict[str, tuple[SnmpTarget, str]]:
    """Per OLT: the SNMP target (port from host data, community from the credential store) and vendor."""
    store = load_credentials(get_settings().secrets_file)
    targets: dict[str, tuple[SnmpTarget, str]] = {}
    for name, host in nr.inventory.hosts.items():
        creds = store.resolve(name, [g.name for g in host.groups])
        vendor = str(host.get("vendor") or ("zte" if (host.platform or "").startswith("zte") else "huawei"))
        port = int(host.get("snmp_port") or 161)
        targets[name] = (
            SnmpTarget(name, host.hostname or "", port, creds.community, timeout_s, retries),
            vendor,
        )
    return targets


def read_optics_snmp(nr: Nornir, requests: list[OpticsRequest]) -> list[OpticsOutcome]:
    """Poll each OLT once for the PON ports asked for; a silent OLT yields an error naming it."""
    targets = snmp_targets(nr)
    ports: dict[str, set[PonPort]] = defaultdict(set)
    for request in requests:
        ports[request.olt].add(request.port)
    poll = [
        PollRequest(targets[olt][0], targets[olt][1], tuple(sorted(p, key=lambda x: x.fsp)))
        for olt, p in ports.items()
    ]
    results = asyncio.run(poll_many(poll))
    outcomes: list[OpticsOutcome] = []
    for request in requests:
        result = results[request.olt]
        outcome = OpticsOutcome(request.olt, request.port.fsp)
        if not result.ok:
            outcome.error = result.error or f"SNMP poll of OLT {request.olt} failed"
        else:
            outcome.readings = {
                ont_id: readings
                for (pon, ont_id), readings in result.readings.items()
                if pon == request.port and (request.ont_id is None or ont_id == request.ont_id)
            }
            if request.ont_id is not None and not outcome.readings:
                outcome.error = f"OLT {request.olt}: no ONT {request.ont_id} on {request.port.fsp}"
        outcomes.append(outcome)
    return outcomes
