"""Plans and reads driven through the simulated OLT dialects (``Dialect.feed``, no sockets).

This proves the drivers and the lab agree on syntax and output layout: a full activate → read → revoke
cycle on both vendors leaves the OLT as before, a second revoke is a no-op, and faults come back typed.
Mode handling here mimics what ``ponaccept.netops`` does with a real session.
"""

from __future__ import annotations

from typing import Any

import pytest

from ponaccept.drivers import (
    ActivationSpec,
    AlreadyExists,
    DeviceBusy,
    Driver,
    NotOnline,
    Plan,
    PonPort,
    ReadRequest,
    RunState,
    StepOutcome,
    check_mode_entry,
    check_read,
    check_step,
    get_driver,
)
from ponaccept.sim.dialects import dialect_class
from ponaccept.sim.model import LabModel
from ponaccept.sim.topology import Topology

PASSWORD = "Pw12345678"


def _odn(splitter: str, sn: str, ont_id: int) -> dict[str, Any]:
    return {
        "splitters": [{"name": splitter, "ratio": 8}],
        "onus": [
            {"sn": sn, "ont_id": ont_id, "desc": "Customer_A", "splitter": splitter, "splitter_port": 1}
        ],
    }


TOPOLOGY = {
    "olts": [
        {
            "name": "hw1",
            "dialect": "huawei_ma5800",
            "hostname": "MA5800-X7",
            "username": "u",
            "password": "p",
            "vlans": [300],
            "pon_ports": [
                {"frame": 0, "slot": 1, "port": 0, "svlan": 300, "odn": _odn("S1", "485754430A0B0C0D", 0)}
            ],
        },
        {
            "name": "zte1",
            "dialect": "zte_c300",
            "hostname": "ZXAN",
            "username": "u",
            "password": "p",
            "vlans": [300],
            "pon_ports": [
                {"frame": 1, "slot": 2, "port": 1, "svlan": 300, "odn": _odn("S2", "ZTEGC0000001", 1)}
            ],
        },
    ]
}
CASES = [
    ("hw1", "huawei_smartax", PonPort(0, 1, 0), "S1", ["undo smart", "enable", "", "scroll"]),
    ("zte1", "zte_zxros", PonPort(1, 2, 1), "S2", ["terminal length 0", "enable"]),
]


class Session:
    """Minimal stand-in for a netmiko session: tracks the mode path like netops will."""

    def __init__(
        self, model: LabModel, topology: Topology, olt: str, driver: Driver, login: list[str]
    ) -> None:
        self.dialect = dialect_class(topology.olt(olt).dialect)(model.olt(olt), model, "u")
        self.driver = driver
        self.mode: tuple[str, ...] = ()
        for line in login:
            self.dialect.feed(line)

    def send(self, line: str) -> str:
        return str(self.dialect.feed(line).text)

    def enter(self, target: tuple[str, ...], plan_step: Any = None) -> StepOutcome | None:
        common = 0
        while common < min(len(self.mode), len(target)) and self.mode[common] == target[common]:
            common += 1
        for _ in range(len(self.mode) - common):
            self.send(self.driver.level_up)
        self.mode = self.mode[:common]
        for command in target[common:]:
            output = self.send(command)
            if plan_step is not None:
                outcome = check_mode_entry(plan_step, command, output)
                if outcome is not None:
                    return outcome
            self.mode = (*self.mode, command)
        return None

    def apply(self, plan: Plan) -> list[StepOutcome]:
        outcomes = []
        for step in plan.steps:
            entered = self.enter(step.mode, step)
            if entered is not None:
                outcomes.append(entered)
                continue
            output = ""
            for command in step.commands:
                output += self.send(command)
                if step.confirm_prompt is not None:
                    output += self.send(step.confirm_answer)
            outcomes.append(check_step(step, output))
        return outcomes

    def read(self, request: ReadRequest[Any]) -> Any:
        self.enter(request.mode)
        return check_read(request, [self.send(c) for c in request.commands])


@pytest.fixture
def lab() -> tuple[LabModel, Topology]:
    topology = Topology.model_validate(TOPOLOGY)
    return LabModel(topology), topology


@pytest.mark.parametrize(("olt", "platform", "port", "splitter", "login"), CASES, ids=["huawei", "zte"])
def test_full_cycle(
    lab: tuple[LabModel, Topology], olt: str, platform: str, port: PonPort, splitter: str, login: list[str]
) -> None:
    model, topology = lab
    driver = get_driver(platform)
    session = Session(model, topology, olt, driver, login)
    before = session.read(driver.list_onus(port))
    spec = ActivationSpec(port, 5, PASSWORD, f"T-{olt}-S-2", svlan=300, cvlan=2001)

    assert all(o.changed for o in session.apply(driver.provision_plan(spec)))
    model.plug(olt, splitter, 2, password=PASSWORD)
    assert session.read(driver.read_onu_state(port, 5)).run_state is RunState.ONLINE
    optics = session.read(driver.read_onu_optics(port, 5))
    assert optics.onu_rx_dbm is not None and optics.olt_rx_dbm is not None and optics.onu_tx_dbm is not None
    assert 5 in {o.ont_id for o in session.read(driver.read_port_optics(port))}
    assert session.read(driver.read_pon_tx(port)).tx_dbm is not None
    assert session.read(driver.read_onu_detail(port, 5)).description == f"T-{olt}-S-2"
    with pytest.raises(AlreadyExists):
        session.apply(driver.provision_plan(spec))

    assert all(o.changed for o in session.apply(driver.deprovision_plan(spec)))
    assert session.read(driver.list_onus(port)) == before
    again = session.apply(driver.deprovision_plan(spec))
    assert not any(o.changed for o in again)


@pytest.mark.parametrize(("olt", "platform", "port", "splitter", "login"), CASES, ids=["huawei", "zte"])
def test_busy_then_success_and_rollback(
    lab: tuple[LabModel, Topology], olt: str, platform: str, port: PonPort, splitter: str, login: list[str]
) -> None:
    model, topology = lab
    driver = get_driver(platform)
    session = Session(model, topology, olt, driver, login)
    before = session.read(driver.list_onus(port))
    plan = driver.provision_plan(ActivationSpec(port, 7, PASSWORD, "T-x", svlan=300, cvlan=2002))
    model.set_faults(olt, busy_remaining=1)
    first = plan.steps[0]
    session.enter(first.mode)
    with pytest.raises(DeviceBusy) as excinfo:
        check_step(first, session.send(first.commands[0]))
    assert excinfo.value.retryable
    assert check_step(first, session.send(first.commands[0])).changed
    # Pretend the next step failed: undoing the one applied step restores the port.
    session.apply(plan.undo_plan(applied=1))
    assert session.read(driver.list_onus(port)) == before


def test_offline_optics_typed_or_none(lab: tuple[LabModel, Topology]) -> None:
    model, topology = lab
    for olt, platform, port, _, login in CASES:
        driver = get_driver(platform)
        session = Session(model, topology, olt, driver, login)
        session.apply(
            driver.provision_plan(ActivationSpec(port, 9, PASSWORD, "T-off", svlan=300, cvlan=2003))
        )
        request = driver.read_onu_optics(port, 9)
        if platform == "huawei_smartax":
            with pytest.raises(NotOnline):
                session.read(request)
        else:
            optics = session.read(request)
            assert (optics.onu_rx_dbm, optics.onu_tx_dbm, optics.olt_rx_dbm) == (None, None, None)
        assert session.read(driver.read_onu_state(port, 9)).run_state is RunState.OFFLINE
