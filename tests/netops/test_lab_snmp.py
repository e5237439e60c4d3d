"""Optics by SSH and by SNMP agree; a silent SNMP agent gives 'no reading' naming the OLT."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from nornir.core import Nornir

from fixtures.netops import lab_credential_env
from ponaccept.cli.snmp_optics import read_optics_snmp
from ponaccept.domain.optics import Quantity, reading_dbm
from ponaccept.drivers.base import PonPort
from ponaccept.netops.operations import OnuTarget, Status
from ponaccept.netops.tasks import JobContext, OpticsRequest, run_onu_action, run_read_optics
from ponaccept.sim.lab import Lab

CASES = [("olt-hw-1", "0/1/0", "HW1-A-1x32", 100), ("olt-zte-1", "1/2/1", "ZTE-A-1x32", 300)]


@pytest.fixture
def snmp_env(fresh_lab: Lab, monkeypatch: pytest.MonkeyPatch) -> Lab:
    for key, value in lab_credential_env(fresh_lab).items():
        monkeypatch.setenv(key, value)
    return fresh_lab


@pytest.mark.parametrize(("olt", "fsp", "splitter", "svlan"), CASES, ids=[c[0] for c in CASES])
def test_cli_and_snmp_readings_agree(
    olt: str, fsp: str, splitter: str, svlan: int, snmp_env: Lab, lab_nornir: Callable[..., Nornir]
) -> None:
    onu = OnuTarget(olt, PonPort.parse(fsp), f"T-{olt}-snmp-{splitter}-20", "Snmp000020", svlan, 3600)
    [activated] = run_onu_action(lab_nornir(), [onu], "activate", JobContext())
    assert activated.status is Status.CHANGED
    snmp_env.plug(olt, splitter, 20, password=onu.password)
    request = [OpticsRequest(olt, onu.port, activated.ont_id)]
    [by_cli] = run_read_optics(lab_nornir(), request, JobContext())
    [by_snmp] = read_optics_snmp(lab_nornir(), request)
    assert by_cli.error is None and by_snmp.error is None
    assert activated.ont_id is not None
    cli, snmp = by_cli.readings[activated.ont_id], by_snmp.readings[activated.ont_id]
    for quantity in Quantity:
        value_cli, value_snmp = reading_dbm(cli.reading(quantity)), reading_dbm(snmp.reading(quantity))
        assert value_cli is not None and value_snmp is not None, quantity
        assert value_cli == pytest.approx(value_snmp, abs=0.011), quantity
    assert cli.downstream_attenuation_db == pytest.approx(snmp.downstream_attenuation_db, abs=0.02)
    assert cli.upstream_attenuation_db == pytest.approx(snmp.upstream_attenuation_db, abs=0.02)


def test_silent_snmp_agent_names_the_olt(snmp_env: Lab, lab_nornir: Callable[..., Nornir]) -> None:
    snmp_env.set_faults("olt-hw-2", snmp_silent=True)
    requests = [
        OpticsRequest("olt-hw-2", PonPort.parse("0/1/0")),
        OpticsRequest("olt-hw-1", PonPort.parse("0/1/0")),
    ]
    silent, alive = read_optics_snmp(lab_nornir(), requests)
    assert silent.error is not None and "olt-hw-2" in silent.error and "timeout" in silent.error.lower()
    assert silent.readings == {}
    assert alive.error is None and alive.readings  # the other OLT is unaffected
