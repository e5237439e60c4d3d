"""Issue 4 fault acceptance: what our device code does when the OLT misbehaves (simulated lab)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nornir.core import Nornir

from ponaccept.domain.errors import UnsafeCliText
from ponaccept.drivers.base import PonPort
from ponaccept.netops.credentials import CredentialStore, load_credentials
from ponaccept.netops.inventory import Timeouts
from ponaccept.netops.operations import OnuTarget, Status
from ponaccept.netops.session import RetryPolicy
from ponaccept.netops.tasks import JobContext, run_onu_action, run_reconcile
from ponaccept.netops.transcript import TranscriptEntry, TranscriptRecorder
from ponaccept.sim.lab import Lab

OLT, FSP, SPLITTER = "olt-hw-1", "0/1/0", "HW1-A-1x32"
# Short reads where the device is expected to go silent: a dead channel is only noticed by timing out.
SHORT = Timeouts(connect=3, auth=3, banner=3, read=2)


def onu(port_no: int = 11) -> OnuTarget:
    return OnuTarget(
        OLT, PonPort.parse(FSP), f"T-{OLT}-0-1-0-{SPLITTER}-{port_no}", f"Flt00000{port_no}", 100, 3800
    )


def names_on_olt(lab: Lab) -> set[str]:
    return {v.desc for v in lab.model.ont_views(OLT)}


def fast_ctx(sink: Callable[[TranscriptEntry], None] | None = None) -> tuple[JobContext, list[float]]:
    sleeps: list[float] = []
    ctx = JobContext(
        recorder=TranscriptRecorder(sink=sink),
        retry=RetryPolicy(attempts=3, first_delay_s=0.01),
        connect_attempts=3,
        connect_backoff_s=0.01,
        sleep=sleeps.append,
    )
    return ctx, sleeps


def test_wrong_password_is_an_auth_error_without_retries(
    fresh_lab: Lab, lab_nornir: Callable[..., Nornir], lab_credentials: CredentialStore
) -> None:
    env = dict(lab_credentials.environ) | {"PONACCEPT_DEVICE_OLT_HW_1_PASSWORD": "wrong"}
    bad = load_credentials(None, env)
    nr = lab_nornir()
    for host in nr.inventory.hosts.values():
        host.password = bad.resolve(host.name).password
    ctx, sleeps = fast_ctx()
    [outcome] = run_onu_action(nr, [onu()], "activate", ctx)
    assert outcome.status is Status.FAILED
    assert "authentication failed" in outcome.message
    assert sleeps == []  # no retry storm against a device that rejects our credentials


def test_refused_login_is_retried_then_reported(fresh_lab: Lab, lab_nornir: Callable[..., Nornir]) -> None:
    fresh_lab.set_faults(OLT, refuse_logins=True)
    ctx, sleeps = fast_ctx()
    [outcome] = run_onu_action(lab_nornir(timeouts=SHORT), [onu()], "activate", ctx)
    assert outcome.status is Status.FAILED
    assert "cannot log in after 3 attempts" in outcome.message
    assert sleeps == [0.01, 0.02]  # exponential backoff between the three attempts


def test_latency_above_read_timeout_fails_and_discards_the_session(
    fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    def slow_after_first_command(entry: TranscriptEntry) -> None:
        fresh_lab.set_faults(OLT, latency_s=3.0)

    ctx, _ = fast_ctx(sink=slow_after_first_command)
    nr = lab_nornir(timeouts=Timeouts(connect=5, auth=5, banner=5, read=1))
    [outcome] = run_onu_action(nr, [onu()], "activate", ctx)
    assert outcome.status is Status.FAILED
    assert "timed out" in outcome.message
    assert any(e.outcome == "timeout" for e in ctx.recorder.entries)
    assert "netmiko" not in nr.inventory.hosts[OLT].connections  # the session was thrown away
    assert onu().onu_name not in names_on_olt(fresh_lab)

    fresh_lab.clear_faults(OLT)
    ok_ctx, _ = fast_ctx()
    assert run_onu_action(lab_nornir(), [onu()], "activate", ok_ctx)[0].status is Status.CHANGED


def test_session_dropped_after_ont_step_is_rolled_back_on_a_new_session(
    fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    def drop_after_ont_add(entry: TranscriptEntry) -> None:
        if entry.command.startswith("ont add"):
            fresh_lab.set_faults(OLT, drop_after_commands=0)
        elif entry.outcome == "timeout":
            fresh_lab.clear_faults(OLT)  # the device comes back for the rollback

    ctx, _ = fast_ctx(sink=drop_after_ont_add)
    [outcome] = run_onu_action(lab_nornir(timeouts=SHORT), [onu()], "activate", ctx)
    assert outcome.status is Status.FAILED
    assert outcome.rollback is not None
    assert outcome.rollback.undone == ["ont_delete"]
    assert onu().onu_name not in names_on_olt(fresh_lab)  # no ONT left behind


def test_unreachable_for_rollback_needs_reconcile_and_reconcile_fixes_it(
    fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    def drop_and_lock_out(entry: TranscriptEntry) -> None:
        if entry.command.startswith("ont add"):
            fresh_lab.set_faults(OLT, drop_after_commands=0, refuse_logins=True)
        elif entry.outcome == "timeout":
            fresh_lab.set_faults(OLT, drop_after_commands=None)  # logins stay refused

    ctx, _ = fast_ctx(sink=drop_and_lock_out)
    [outcome] = run_onu_action(lab_nornir(timeouts=SHORT), [onu()], "activate", ctx)
    assert outcome.status is Status.NEEDS_RECONCILE
    assert "needs reconcile" in outcome.message
    assert onu().onu_name in names_on_olt(fresh_lab)  # left behind, and we know it

    fresh_lab.clear_faults(OLT)
    ports = {OLT: [PonPort.parse(FSP)]}
    [report] = run_reconcile(lab_nornir(), ports, {OLT: {}}, fast_ctx()[0], prefix="T-", fix=True)
    assert [o.name for o in report.removed] == [onu().onu_name]
    assert report.clean
    assert onu().onu_name not in names_on_olt(fresh_lab)


def test_system_busy_twice_then_success(fresh_lab: Lab, lab_nornir: Callable[..., Nornir]) -> None:
    fresh_lab.set_faults(OLT, busy_remaining=2)
    ctx, sleeps = fast_ctx()
    [outcome] = run_onu_action(lab_nornir(), [onu()], "activate", ctx)
    assert outcome.status is Status.CHANGED, outcome.message
    assert sum(1 for e in ctx.recorder.entries if e.command.startswith("ont add")) == 3
    assert sleeps == [0.01, 0.02]


def test_system_busy_forever_fails_cleanly(fresh_lab: Lab, lab_nornir: Callable[..., Nornir]) -> None:
    fresh_lab.set_faults(OLT, busy_remaining=10)
    ctx, _ = fast_ctx()
    [outcome] = run_onu_action(lab_nornir(), [onu()], "activate", ctx)
    assert outcome.status is Status.FAILED
    assert "busy" in outcome.message
    assert onu().onu_name not in names_on_olt(fresh_lab)


@pytest.mark.parametrize("bad", ["SPL\nundo ont", 'SPL"1', "SPL;quit", "SPL 1", "分光器"])
def test_unsafe_names_are_rejected_before_any_connection(bad: str) -> None:
    with pytest.raises(UnsafeCliText) as info:
        OnuTarget(OLT, PonPort.parse(FSP), f"T-{bad}", "Pw00000001", 100, 3800)
    assert info.value.field == "onu_name"


def test_reconcile_reports_missing_and_orphans_without_fix(
    fresh_lab: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    run_onu_action(lab_nornir(), [onu(12)], "activate", fast_ctx()[0])
    expected = {OLT: {FSP: {"T-olt-hw-1-ghost": 9}}}
    [report] = run_reconcile(lab_nornir(), {OLT: [PonPort.parse(FSP)]}, expected, fast_ctx()[0], prefix="T-")
    assert [o.name for o in report.orphans] == [onu(12).onu_name]
    assert [(o.name, o.ont_id) for o in report.missing] == [("T-olt-hw-1-ghost", 9)]
    assert report.removed == []
    assert onu(12).onu_name in names_on_olt(fresh_lab)  # nothing removed without --fix
    assert "cust-1001" in names_on_olt(fresh_lab)  # customers are never considered
