"""Issue 4 acceptance against the simulated lab: full cycle, idempotency, attenuation maths."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from netmiko import ConnectHandler
from nornir.core import Nornir

from ponaccept.domain.optics import reading_dbm
from ponaccept.drivers.base import PonPort
from ponaccept.netops.operations import OnuTarget, Status
from ponaccept.netops.tasks import JobContext, OpticsRequest, run_onu_action, run_read_optics
from ponaccept.sim.lab import Lab


@dataclass(frozen=True)
class Case:
    olt: str
    fsp: str
    splitter: str
    svlan: int
    displays: tuple[str, ...]


CASES = [
    Case("olt-hw-1", "0/1/0", "HW1-A-1x32", 100, ("display ont info 0 1 0 all", "display service-port all")),
    Case(
        "olt-zte-1",
        "1/2/1",
        "ZTE-A-1x32",
        300,
        ("show running-config interface gpon-olt_1/2/1", "show gpon onu state gpon-olt_1/2/1"),
    ),
]


def snapshot(lab: Lab, olt: str, commands: tuple[str, ...]) -> list[str]:
    """What the OLT shows, read with netmiko directly (not through our code)."""
    ep = lab.endpoints()[olt]
    device_type = "huawei_smartax" if ep["vendor"] == "huawei" else "zte_zxros"
    with ConnectHandler(
        device_type=device_type,
        host=ep["host"],
        port=ep["ssh_port"],
        username=ep["username"],
        password=ep["password"],
        secret=ep.get("enable_password") or "",
    ) as conn:
        conn.enable()
        return [conn.send_command(c) for c in commands]


def target(case: Case, port_no: int = 7, password: str = "Tst0000007") -> OnuTarget:
    name = f"T-{case.olt}-{case.fsp.replace('/', '-')}-{case.splitter}-{port_no}"
    return OnuTarget(case.olt, PonPort.parse(case.fsp), name, password, case.svlan, 3700)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.olt)
def test_full_cycle_leaves_the_olt_as_before(
    case: Case, fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    before = snapshot(fresh_lab, case.olt, case.displays)
    onu = target(case)
    ctx = JobContext()

    [activated] = run_onu_action(lab_nornir(), [onu], "activate", ctx)
    assert activated.status is Status.CHANGED, activated.message
    assert activated.ont_id is not None
    assert snapshot(fresh_lab, case.olt, case.displays) != before

    fresh_lab.plug(case.olt, case.splitter, 7, password=onu.password)
    [optics] = run_read_optics(lab_nornir(), [OpticsRequest(case.olt, onu.port, activated.ont_id)], ctx)
    assert optics.error is None
    readings = optics.readings[activated.ont_id]
    model = fresh_lab.model.optics(case.olt, _key(case.fsp), activated.ont_id)
    assert reading_dbm(readings.onu_rx) == pytest.approx(model.rx_dbm, abs=0.01)
    assert reading_dbm(readings.onu_tx) == pytest.approx(model.tx_dbm, abs=0.01)
    assert reading_dbm(readings.olt_rx) == pytest.approx(model.olt_rx_dbm, abs=0.01)
    olt_tx = reading_dbm(readings.olt_tx)
    assert olt_tx is not None
    assert readings.downstream_attenuation_db == pytest.approx(olt_tx - model.rx_dbm, abs=0.02)
    assert readings.upstream_attenuation_db == pytest.approx(model.tx_dbm - model.olt_rx_dbm, abs=0.02)

    [revoked] = run_onu_action(lab_nornir(), [onu], "revoke", ctx)
    assert revoked.status is Status.CHANGED, revoked.message
    fresh_lab.unplug(case.olt, case.splitter, 7)
    assert snapshot(fresh_lab, case.olt, case.displays) == before
    # every command of the job was recorded, and the ONU password never was
    commands = [e.command for e in ctx.recorder.entries]
    assert any("service-port" in c for c in commands)
    assert all(onu.password not in e.command + e.output for e in ctx.recorder.entries)


def _key(fsp: str) -> tuple[int, int, int]:
    port = PonPort.parse(fsp)
    return (port.frame, port.slot, port.port)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.olt)
def test_activate_and_revoke_twice_change_nothing_the_second_time(
    case: Case, fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    onu = target(case, port_no=8, password="Tst0000008")
    first = run_onu_action(lab_nornir(), [onu], "activate", JobContext())[0]
    second_ctx = JobContext()
    second = run_onu_action(lab_nornir(), [onu], "activate", second_ctx)[0]
    assert first.status is Status.CHANGED
    assert second.status is Status.UNCHANGED
    assert second.ont_id == first.ont_id
    sent = [e.command for e in second_ctx.recorder.entries]
    assert not any(c.startswith(("ont add", "onu ", "service-port")) for c in sent), sent

    assert run_onu_action(lab_nornir(), [onu], "revoke", JobContext())[0].status is Status.CHANGED
    again_ctx = JobContext()
    again = run_onu_action(lab_nornir(), [onu], "revoke", again_ctx)[0]
    assert again.status is Status.UNCHANGED
    assert not any(e.command.startswith(("ont delete", "no onu", "undo")) for e in again_ctx.recorder.entries)


def test_dry_run_shows_the_plan_and_sends_no_change(
    fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    case = CASES[0]
    onu = target(case, port_no=9, password="Tst0000009")
    ctx = JobContext()
    [planned] = run_onu_action(lab_nornir(), [onu], "activate", ctx, dry_run=True)
    assert planned.status is Status.PLANNED
    assert any(c.startswith("ont add 0") for c in planned.commands)
    assert all("Tst0000009" not in c for c in planned.commands)  # masked even in the plan shown
    assert not any(e.command.startswith("ont add") for e in ctx.recorder.entries)
    assert all(v.desc != onu.onu_name for v in fresh_lab.model.ont_views(case.olt))


def test_activations_on_two_olts_run_in_parallel_and_both_succeed(
    fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    targets = [target(CASES[0], 10, "Tst0000010"), target(CASES[1], 10, "Tst0000011")]
    done: list[str] = []
    outcomes = run_onu_action(
        lab_nornir(), targets, "activate", JobContext(on_olt_done=lambda o, ok: done.append(o))
    )
    assert [o.status for o in outcomes] == [Status.CHANGED, Status.CHANGED]
    assert sorted(done) == ["olt-hw-1", "olt-zte-1"]


def test_port_read_with_every_onu_dark_is_empty_not_an_error(
    fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    fresh_lab.cut_fibre("olt-hw-1", "0/1/0")
    [outcome] = run_read_optics(
        lab_nornir(), [OpticsRequest("olt-hw-1", PonPort.parse("0/1/0"))], JobContext()
    )
    assert outcome.error is None
    assert outcome.readings == {}


def test_activation_on_an_empty_pon_port(fresh_lab: Lab, lab_nornir: Callable[..., Nornir]) -> None:
    # Huawei answers "The ONT does not exist" to a listing of an empty port: that means "none".
    onu = OnuTarget(
        "olt-hw-2", PonPort.parse("0/3/2"), "T-olt-hw-2-0-3-2-HW2-B-1x64-5", "Empty00005", 201, 3705
    )
    [activated] = run_onu_action(lab_nornir(), [onu], "activate", JobContext())
    assert activated.status is Status.CHANGED, activated.message
    assert activated.ont_id == 127  # the top of Huawei's GPON range: test ONUs stay clear of customers
    [revoked] = run_onu_action(lab_nornir(), [onu], "revoke", JobContext())
    assert revoked.status is Status.CHANGED, revoked.message
