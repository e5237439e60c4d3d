"""LabModel: configuration operations, derived run state, field actions, versions, reset."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from ponaccept.sim import errors
from ponaccept.sim.model import LabModel
from ponaccept.sim.topology import Topology, normalize_sn, sn_readable
from sim.sim_topologies import twin_ports, two_stage

OLT = "olt-a"
P0 = (0, 1, 0)


@pytest.fixture
def model() -> LabModel:
    return LabModel(twin_ports())


def _add(m: LabModel, ont_id: int | None = 1, password: str = "PW1") -> int:
    e = m.add_ont(OLT, P0, ont_id, auth="password", password=password, line_profile=10, srv_profile=10)
    return e.ont_id


def test_ont_online_only_with_matching_password_on_that_port(model: LabModel) -> None:
    _add(model)
    assert not model.ont(OLT, P0, 1).status.online
    model.plug(OLT, "SPL-B", 3, password="PW1")  # right password, other PON port
    assert not model.ont(OLT, P0, 1).status.online
    model.plug(OLT, "SPL-A", 3, password="WRONG")
    assert not model.ont(OLT, P0, 1).status.online
    assert [onu.password for _, onu, _ in model.autofind(OLT, P0)] == ["WRONG"]
    model.plug(OLT, "SPL-A", 4, password="PW1")
    st = model.ont(OLT, P0, 1).status
    assert st.online and st.onu_sn is not None and st.last_up is not None
    model.unplug(OLT, "SPL-A", 4)
    st = model.ont(OLT, P0, 1).status
    assert not st.online and st.down_cause == "LOS"
    assert st.onu_sn is not None  # the learned SN stays visible, as on the OLT


def test_sn_auth_and_power_off_gives_dying_gasp(model: LabModel) -> None:
    model.add_ont(OLT, P0, 2, auth="sn", sn="48575443AAAA0001", line_profile=10, srv_profile=10)
    model.plug(OLT, "SPL-A", 1, sn="48575443AAAA0001")
    assert model.ont(OLT, P0, 2).status.online
    model.set_onu_power(OLT, "48575443AAAA0001", False)
    st = model.ont(OLT, P0, 2).status
    assert not st.online and st.down_cause == "dying-gasp"


def test_add_ont_errors(model: LabModel) -> None:
    _add(model)
    with pytest.raises(errors.OntIdExists):
        _add(model, 1, "OTHER")
    with pytest.raises(errors.PasswordExists):
        _add(model, 2, "PW1")
    model.add_ont(OLT, P0, 3, auth="sn", sn="48575443AAAA0001", line_profile=10, srv_profile=10)
    with pytest.raises(errors.SnExists):  # SNs are unique OLT-wide
        model.add_ont(OLT, (0, 1, 1), 3, auth="sn", sn="48575443AAAA0001", line_profile=10, srv_profile=10)
    with pytest.raises(errors.LineProfileNotFound):
        model.add_ont(OLT, P0, 4, auth="password", password="X", line_profile=99, srv_profile=10)
    with pytest.raises(errors.SrvProfileNotFound):
        model.add_ont(OLT, P0, 4, auth="password", password="X", line_profile=10, srv_profile=99)
    with pytest.raises(errors.PonPortNotFound):
        model.add_ont(OLT, (0, 9, 0), 4, auth="password", password="X")
    with pytest.raises(errors.OntIdOutOfRange):
        model.add_ont(OLT, P0, 128, auth="password", password="X")
    assert _add(model, None, "AUTO") == 0  # the OLT picks the smallest free ID


def test_service_ports_and_delete_order(model: LabModel) -> None:
    _add(model)
    with pytest.raises(errors.VlanNotFound):
        model.add_service_port(OLT, index=None, svlan=999, pon=P0, ont_id=1, gemport=1, user_vlan=3001)
    with pytest.raises(errors.OntNotFound):
        model.add_service_port(OLT, index=None, svlan=100, pon=P0, ont_id=7, gemport=1, user_vlan=3001)
    sp = model.add_service_port(OLT, index=20, svlan=100, pon=P0, ont_id=1, gemport=1, user_vlan=3001)
    with pytest.raises(errors.ServicePortExists) as exc:
        model.add_service_port(OLT, index=21, svlan=100, pon=P0, ont_id=1, gemport=1, user_vlan=3001)
    assert exc.value.index == 20
    with pytest.raises(errors.OntHasServicePorts):
        model.delete_ont(OLT, P0, 1)
    assert model.delete_service_ports(OLT, index=sp.index) == [sp]
    with pytest.raises(errors.ServicePortNotFound):
        model.delete_service_ports(OLT, index=sp.index)
    model.delete_ont(OLT, P0, 1)
    with pytest.raises(errors.OntNotFound):
        model.ont(OLT, P0, 1)


def test_cascade_delete_for_zte_style(model: LabModel) -> None:
    _add(model)
    model.add_service_port(OLT, index=None, svlan=100, pon=P0, ont_id=1, gemport=1, user_vlan=3001)
    assert model.delete_ont(OLT, P0, 1, cascade=True) == 1
    assert model.service_ports(OLT) == []


def test_busy_fault_fails_k_configuration_operations(model: LabModel) -> None:
    model.set_faults(OLT, busy_remaining=2)
    for _ in range(2):
        with pytest.raises(errors.SystemBusy):
            _add(model)
    assert _add(model) == 1
    assert model.faults(OLT).busy_remaining == 0


def test_version_increases_on_every_change_and_reset(model: LabModel) -> None:
    seen = [model.version(OLT)]
    _add(model)
    seen.append(model.version(OLT))
    model.plug(OLT, "SPL-A", 2, password="PW1")
    seen.append(model.version(OLT))
    model.set_faults(OLT, latency_s=1.0)
    seen.append(model.version(OLT))
    model.reset()
    seen.append(model.version(OLT))
    assert seen == sorted(set(seen))
    assert model.onts(OLT, P0) == [] and model.faults(OLT).latency_s == 0


def test_reset_restores_topology_customers() -> None:
    m = LabModel(two_stage())
    m.delete_ont("olt-t", (0, 2, 0), 0)
    m.unplug("olt-t", "S2b", 1)
    m.reset()
    assert [e.status.online for e in m.onts("olt-t", (0, 2, 0))] == [True, True]


def test_field_action_errors(model: LabModel) -> None:
    with pytest.raises(errors.SplitterNotFound):
        model.plug(OLT, "NOPE", 1, password="x")
    with pytest.raises(errors.SplitterPortInvalid):
        model.plug(OLT, "SPL-A", 33, password="x")
    model.plug(OLT, "SPL-A", 1, password="x")
    with pytest.raises(errors.SplitterPortOccupied):
        model.plug(OLT, "SPL-A", 1, password="y")
    with pytest.raises(errors.NothingPlugged):
        model.unplug(OLT, "SPL-A", 2)
    with pytest.raises(errors.SplitterPortInvalid):
        model.cut_fibre(OLT, "SPL-A:99")
    with pytest.raises(TypeError):
        model.set_faults(OLT, no_such_fault=True)
    with pytest.raises(errors.UnknownOlt):
        model.olt("nope")


def test_two_stage_port_taken_by_child_splitter() -> None:
    m = LabModel(two_stage())
    with pytest.raises(errors.SplitterPortOccupied):
        m.plug("olt-t", "S1", 1, password="x")


def test_topology_validation_rejects_inconsistent_trees() -> None:
    base = twin_ports().model_dump()
    base["olts"][0]["pon_ports"][0]["odn"]["onus"] = [
        {"sn": "48575443AAAA0001", "ont_id": 0, "splitter": "SPL-A", "splitter_port": 40}
    ]
    with pytest.raises(ValidationError, match="splitter port 40"):
        Topology.model_validate(base)
    base["olts"][0]["pon_ports"][0]["odn"]["onus"] = []
    base["olts"][0]["pon_ports"][0]["odn"]["splitters"].append(
        {"name": "X", "ratio": 8, "stage": 2, "parent": "MISSING", "parent_port": 1}
    )
    with pytest.raises(ValidationError, match="unknown parent"):
        Topology.model_validate(base)


def test_sn_forms() -> None:
    assert normalize_sn("ZTEGC0000001") == "5A544547C0000001"
    assert normalize_sn("HWTC-655C13A0") == "48575443655C13A0"
    assert sn_readable("5A544547C0000001") == "ZTEGC0000001"
    with pytest.raises(ValueError):
        normalize_sn("xyz")


def test_lab_topology_file_is_valid_and_has_offline_customers() -> None:
    from fixtures.lab import LAB_TOPOLOGY

    m = LabModel(Topology.load(LAB_TOPOLOGY))
    views = [v for name in m.olt_names() for v in m.ont_views(name)]
    assert any(not v.online for v in views) and any(v.online for v in views)
    assert {o.dialect for o in m.topology.olts} == {"huawei_ma5800", "zte_c300"}
