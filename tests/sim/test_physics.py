"""Physics of the lab: losses per ODN element, both wavelengths, faults, ranging limits."""

from __future__ import annotations

import pytest

from ponaccept.sim import errors, physics
from ponaccept.sim.model import LabModel
from sim.sim_topologies import twin_ports, two_stage

HW = "olt-a"


def test_1x32_and_1x64_differ_by_the_splitter_loss_difference() -> None:
    m = LabModel(twin_ports(32, 64))
    for port, spl in ((0, "SPL-A"), (1, "SPL-B")):
        m.add_ont(HW, (0, 1, port), 1, auth="password", password="PW1", line_profile=10, srv_profile=10)
        m.plug(HW, spl, 5, password="PW1", drop_km=0.1)
    a, b = m.optics(HW, (0, 1, 0), 1), m.optics(HW, (0, 1, 1), 1)
    expected = physics.SPLITTER_IL_DB[64] - physics.SPLITTER_IL_DB[32]
    assert a.rx_dbm - b.rx_dbm == pytest.approx(expected, abs=0.5)
    assert a.olt_rx_dbm - b.olt_rx_dbm == pytest.approx(expected, abs=0.5)


def test_upstream_loses_more_than_downstream_per_km() -> None:
    m = LabModel(two_stage())
    near, far = m.optics("olt-t", (0, 2, 0), 0), m.optics("olt-t", (0, 2, 0), 1)
    # The far branch has 0.5 km more fibre: both directions drop, upstream (1310 nm) by more per km.
    assert near.distance_m == 2000 + 800 + 100
    assert far.distance_m == 2000 + 1300 + 100
    down = (near.rx_dbm - far.rx_dbm) / 0.5
    assert 0.22 - 0.7 < down < 0.22 + 0.7  # noise ±0.15 dB on each reading over 0.5 km


def test_two_stage_loss_adds_both_splitters() -> None:
    m = LabModel(two_stage())
    o = m.optics("olt-t", (0, 2, 0), 0)
    path = physics.path_to(
        m.topology.olts[0].pon_ports[0].odn, (0, 2, 0), "S2a", 1,
        drop_km=0.1, drop_connectors=2, drop_splices=1, dirty={}, cuts=set(),
    )  # fmt: skip
    assert path.splitter_db == physics.SPLITTER_IL_DB[4] + physics.SPLITTER_IL_DB[16]
    assert path.elements == ("0/2/0", "S1", "S1:1", "S2a", "S2a:1")
    assert o.rx_dbm == pytest.approx(3.0 - path.down_db, abs=physics.RX_NOISE_DB + 0.01)


def test_readings_are_deterministic_until_state_changes() -> None:
    m1, m2 = LabModel(two_stage()), LabModel(two_stage())
    first = m1.optics("olt-t", (0, 2, 0), 0)
    assert m1.optics("olt-t", (0, 2, 0), 0) == first
    assert m2.optics("olt-t", (0, 2, 0), 0) == first  # same seed → same numbers in another model


def test_dirty_connector_lowers_both_directions_by_the_injected_amount() -> None:
    m = LabModel(two_stage())
    before = m.optics("olt-t", (0, 2, 0), 0)
    other = m.optics("olt-t", (0, 2, 0), 1)
    m.dirty_connector("olt-t", "S2a", 2.5)
    after = m.optics("olt-t", (0, 2, 0), 0)
    assert before.rx_dbm - after.rx_dbm == pytest.approx(2.5, abs=0.011)
    assert before.olt_rx_dbm - after.olt_rx_dbm == pytest.approx(2.5, abs=0.011)
    assert m.optics("olt-t", (0, 2, 0), 1) == other  # the other branch is untouched
    m.dirty_connector("olt-t", "S2a", 0)
    assert m.optics("olt-t", (0, 2, 0), 0) == before


def test_cut_fibre_gives_los_behind_it_only() -> None:
    m = LabModel(two_stage())
    m.cut_fibre("olt-t", "S1:2")
    assert m.ont("olt-t", (0, 2, 0), 0).status.online
    st = m.ont("olt-t", (0, 2, 0), 1).status
    assert not st.online and st.down_cause == "LOS"
    with pytest.raises(errors.OntNotOnline):
        m.optics("olt-t", (0, 2, 0), 1)
    m.cut_fibre("olt-t", "0/2/0")
    assert not m.ont("olt-t", (0, 2, 0), 0).status.online
    m.repair_fibre("olt-t", "0/2/0")
    m.repair_fibre("olt-t", "S1:2")
    assert all(e.status.online for e in m.onts("olt-t", (0, 2, 0)))


def test_too_weak_to_range_goes_offline() -> None:
    m = LabModel(two_stage())
    rx = m.optics("olt-t", (0, 2, 0), 0).rx_dbm
    m.dirty_connector("olt-t", "S2a:1", rx - physics.ONU_RANGING_SENSITIVITY_DBM + 0.5)
    assert not m.ont("olt-t", (0, 2, 0), 0).status.online


def test_port_optics_close_to_configured_launch_power() -> None:
    m = LabModel(two_stage())
    assert m.port_optics("olt-t", (0, 2, 0)).tx_dbm == pytest.approx(3.0, abs=0.05)
