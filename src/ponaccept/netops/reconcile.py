"""Reconciliation: the database is the source of truth for intent, the OLT for fact.

For each PON port in scope, list the test ONUs actually configured (recognised by the naming rule's
prefix — customer ONUs are never touched) and compare them with what the database expects:

* **orphan** — on the OLT, not expected (a crash between apply and commit, a manual change): with
  ``fix`` it is deprovisioned (service-ports first, then the ONU), and the result says so;
* **missing** — expected but not on the OLT (revoked by hand, OLT restarted without save): reported,
  so the caller can mark the activation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ponaccept.drivers.base import PonPort
from ponaccept.drivers.errors import DriverError
from ponaccept.drivers.registry import Driver
from ponaccept.netops.apply import PlanFailed, apply_plan
from ponaccept.netops.operations import configured_onus, removal_plans
from ponaccept.netops.session import DeviceSession, SessionBroken


@dataclass(frozen=True)
class FoundOnu:
    fsp: str
    ont_id: int | None  # None: expected without a known ONT-ID
    name: str


@dataclass
class ReconcileReport:
    olt: str
    orphans: list[FoundOnu] = field(default_factory=list)
    missing: list[FoundOnu] = field(default_factory=list)
    removed: list[FoundOnu] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def clean(self) -> bool:
        return self.error is None and not self.failures and len(self.orphans) == len(self.removed)


def reconcile_olt(
    session: DeviceSession,
    driver: Driver,
    olt: str,
    ports: list[PonPort],
    expected: dict[str, dict[str, int | None]],
    prefix: str,
    fix: bool,
) -> ReconcileReport:
    report = ReconcileReport(olt=olt)
    scan = {p.fsp: p for p in ports}
    for fsp in expected:
        scan.setdefault(fsp, PonPort.parse(fsp))
    for fsp, port in sorted(scan.items()):
        try:
            onus = configured_onus(session, driver, port)
        except (DriverError, SessionBroken) as exc:
            report.failures.append(f"{fsp}: cannot list ONUs: {exc}")
            continue
        found = {o.description: o.ont_id for o in onus if o.description and o.description.startswith(prefix)}
        wanted = expected.get(fsp, {})
        for name, ont_id in sorted(found.items()):
            if name not in wanted:
                report.orphans.append(FoundOnu(fsp, ont_id, name))
        for name, wanted_id in sorted(wanted.items()):
            if name not in found:
                report.missing.append(FoundOnu(fsp, wanted_id, name))
        if not fix:
            continue
        for orphan in [o for o in report.orphans if o.fsp == fsp]:
            try:
                assert orphan.ont_id is not None  # orphans come from the listing, which has the id
                for plan in removal_plans(session, driver, port, orphan.ont_id, orphan.name):
                    apply_plan(session, plan)
                report.removed.append(orphan)
            except (PlanFailed, DriverError, SessionBroken) as exc:
                report.failures.append(f"{fsp} ONT {orphan.ont_id} ({orphan.name}): {exc}")
    return report
