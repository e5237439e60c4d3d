"""Plans: exact commands per vendor, undo order, masking, and input safety before any plan exists."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ponaccept.domain.errors import DomainError, InvalidOnuPassword, InvalidVlan, UnsafeCliText
from ponaccept.drivers import ActivationSpec, DoesNotExist, Expect, InvalidSpec, PonPort, get_driver
from ponaccept.drivers.huawei_ma5800 import next_free_service_port_index

HUAWEI = get_driver("huawei_smartax")
ZTE = get_driver("zte_zxros")


def huawei_spec(**changes: object) -> ActivationSpec:
    spec = ActivationSpec(
        port=PonPort(0, 1, 3),
        ont_id=17,
        password="Pw12345678",
        onu_name="T-olt1-0-1-3-SPL7-2",
        svlan=300,
        cvlan=2001,
        line_profile_id=20,
        srv_profile_id=30,
    )
    return dataclasses.replace(spec, **changes)  # type: ignore[arg-type]


def zte_spec(**changes: object) -> ActivationSpec:
    spec = ActivationSpec(
        port=PonPort(1, 2, 1),
        ont_id=5,
        password="Pw12345678",
        onu_name="T-zte1-1-2-1-SPL7-2",
        svlan=300,
        cvlan=2001,
        onu_type="ZTE-F601",
        tcont_profile="TEST_1G",
    )
    return dataclasses.replace(spec, **changes)  # type: ignore[arg-type]


HUAWEI_ONT_ADD = (
    'ont add 3 17 password-auth "Pw12345678" always-on omci ont-lineprofile-id 20 ont-srvprofile-id 30 '
    'desc "T-olt1-0-1-3-SPL7-2"'
)
HUAWEI_SERVICE_PORT = (
    "service-port vlan 300 gpon 0/1/3 ont 17 gemport 1 multi-service user-vlan 2001 "
    "tag-transform translate-and-add inner-vlan 2001"
)


def test_huawei_provision_commands_and_modes() -> None:
    plan = HUAWEI.provision_plan(huawei_spec())
    assert plan.commands(mask_secrets=False) == [HUAWEI_ONT_ADD, HUAWEI_SERVICE_PORT]
    assert [s.mode for s in plan.steps] == [("config", "interface gpon 0/1"), ("config",)]
    assert plan.commands(with_modes=True, mask_secrets=False) == [
        "config",
        "interface gpon 0/1",
        HUAWEI_ONT_ADD,
        "quit",
        HUAWEI_SERVICE_PORT,
        "quit",
    ]
    assert plan.steps[0].expect is Expect.PARSE


def test_huawei_undo_is_reverse_of_applied_steps() -> None:
    plan = HUAWEI.provision_plan(huawei_spec())
    undo = plan.undo_plan()
    assert undo.commands() == ["undo service-port vlan 300 gpon 0/1/3 ont 17 gemport 1", "ont delete 3 17"]
    assert undo.steps[0].confirm_prompt is not None and undo.steps[0].confirm_answer == "y"
    assert undo.commands(with_modes=True) == [
        "config",
        "undo service-port vlan 300 gpon 0/1/3 ont 17 gemport 1",
        "y",
        "interface gpon 0/1",
        "ont delete 3 17",
        "quit",
        "quit",
    ]
    # Only the ONT was added when the service-port failed: only the ONT is undone.
    assert plan.undo_plan(applied=1).commands() == ["ont delete 3 17"]
    assert plan.undo_plan(applied=0).steps == ()
    with pytest.raises(ValueError):
        plan.undo_plan(applied=3)


def test_huawei_explicit_service_port_index() -> None:
    plan = HUAWEI.provision_plan(huawei_spec(service_port_index=4711))
    assert plan.commands()[1].startswith("service-port 4711 vlan 300 gpon 0/1/3 ont 17 gemport 1 ")
    assert plan.undo_plan().commands() == ["undo service-port 4711", "ont delete 3 17"]
    assert plan.undo_plan().steps[0].confirm_prompt is None


def test_huawei_deprovision_service_ports_first_and_idempotent() -> None:
    plan = HUAWEI.deprovision_plan(huawei_spec())
    assert plan.commands() == ["undo service-port vlan 300 gpon 0/1/3 ont 17 gemport 1", "ont delete 3 17"]
    assert all(DoesNotExist in s.tolerate for s in plan.steps)


def test_zte_provision_commands_and_modes() -> None:
    plan = ZTE.provision_plan(zte_spec())
    assert plan.commands(mask_secrets=False) == [
        "onu 5 type ZTE-F601 pw Pw12345678",
        "name T-zte1-1-2-1-SPL7-2",
        "description T-zte1-1-2-1-SPL7-2",
        "tcont 1 profile TEST_1G",
        "gemport 1 unicast tcont 1 dir both",
        "service-port 1 vport 1 user-vlan 2001 vlan 2001 svlan 300",
    ]
    typed = plan.commands(with_modes=True, mask_secrets=False)
    assert typed[:3] == [
        "configure terminal",
        "interface gpon-olt_1/2/1",
        "onu 5 type ZTE-F601 pw Pw12345678",
    ]
    assert typed[3:5] == ["exit", "interface gpon-onu_1/2/1:5"]
    assert typed[-2:] == ["exit", "exit"]


def test_zte_undo_and_deprovision_order() -> None:
    plan = ZTE.provision_plan(zte_spec())
    assert plan.undo_plan().commands() == ["no service-port 1", "no onu 5"]
    assert plan.undo_plan().steps[0].mode == ("configure terminal", "interface gpon-onu_1/2/1:5")
    assert plan.undo_plan().steps[1].mode == ("configure terminal", "interface gpon-olt_1/2/1")
    # Failure at the name step: only the ONU exists, so only "no onu" runs.
    assert plan.undo_plan(applied=2).commands() == ["no onu 5"]
    assert ZTE.deprovision_plan(zte_spec()).commands() == ["no service-port 1", "no onu 5"]


def test_zte_commands_follow_the_reference_transcript_syntax() -> None:
    transcript = Path(__file__).parent / "fixtures" / "zte_provisioning_transcript.txt"
    lines = transcript.read_text().splitlines()
    plan = ZTE.provision_plan(zte_spec(onu_type="ZTE-F660", tcont_profile="HSI_100", cvlan=100, svlan=100))
    shapes = {line.split()[0]: len(line.split()) for line in lines}
    for command in plan.commands(mask_secrets=False):
        word = command.split()[0]
        if word in {"onu", "tcont", "gemport"}:
            assert len(command.split()) == shapes[word], command


def test_secrets_are_masked_in_display_and_repr() -> None:
    plan = HUAWEI.provision_plan(huawei_spec())
    assert "Pw12345678" not in " ".join(plan.commands())
    assert "Pw12345678" not in repr(plan.steps[0])
    assert "Pw12345678" not in " ".join(ZTE.provision_plan(zte_spec()).commands(with_modes=True))


@pytest.mark.parametrize("driver", [HUAWEI, ZTE], ids=["huawei", "zte"])
@pytest.mark.parametrize(
    "bad_name", ["evil\nsave", 'name"quoted', "a;b", "two words", "名字", "", "x" * 65, "a'b", "tab\there"]
)
def test_unsafe_onu_name_rejected_before_any_plan(driver: object, bad_name: str) -> None:
    build = huawei_spec if driver is HUAWEI else zte_spec
    with pytest.raises(UnsafeCliText) as excinfo:
        driver.provision_plan(build(onu_name=bad_name))  # type: ignore[attr-defined]
    assert excinfo.value.field == "onu_name"
    with pytest.raises(UnsafeCliText):
        driver.deprovision_plan(build(onu_name=bad_name))  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad_password", ['pw"x', "pw\nx", "pw x", "pw;x", "", "12345678901"])
def test_unsafe_password_rejected(bad_password: str) -> None:
    for driver, build in ((HUAWEI, huawei_spec), (ZTE, zte_spec)):
        with pytest.raises(InvalidOnuPassword):
            driver.provision_plan(build(password=bad_password))


@pytest.mark.parametrize("field", ["onu_type", "tcont_profile"])
def test_unsafe_profile_names_rejected(field: str) -> None:
    with pytest.raises(UnsafeCliText):
        ZTE.provision_plan(zte_spec(**{field: "HSI 100\nsave"}))


@pytest.mark.parametrize(
    ("driver", "changes"),
    [
        (HUAWEI, {"ont_id": 128}),
        (HUAWEI, {"ont_id": -1}),
        (HUAWEI, {"ont_id": True}),
        (HUAWEI, {"port": PonPort(0, 1, 64)}),
        (HUAWEI, {"line_profile_id": 9000}),
        (HUAWEI, {"service_port_index": 70000}),
        (ZTE, {"ont_id": 0}),
        (ZTE, {"ont_id": 129}),
        (ZTE, {"port": PonPort(0, 2, 1)}),
        (ZTE, {"gemport": 0}),
    ],
)
def test_numeric_ranges_per_vendor(driver: object, changes: dict[str, object]) -> None:
    build = huawei_spec if driver is HUAWEI else zte_spec
    with pytest.raises(InvalidSpec):
        driver.provision_plan(build(**changes))  # type: ignore[attr-defined]


@pytest.mark.parametrize("field", ["svlan", "cvlan"])
@pytest.mark.parametrize("value", [0, 4095, "100"])
def test_vlans_validated(field: str, value: object) -> None:
    with pytest.raises(InvalidVlan):
        HUAWEI.provision_plan(huawei_spec(**{field: value}))


def test_read_builders_validate_numbers() -> None:
    with pytest.raises(InvalidSpec):
        HUAWEI.read_onu_optics(PonPort(0, 1, 0), 200)
    with pytest.raises(InvalidSpec):
        ZTE.list_onus(PonPort(1, 1, 0))
    assert issubclass(UnsafeCliText, DomainError)


def test_read_builders_commands_and_modes() -> None:
    port = PonPort(0, 1, 3)
    assert HUAWEI.read_onu_optics(port, 7).commands == ("display ont optical-info 3 7",)
    assert HUAWEI.read_onu_optics(port, 7).mode == ("config", "interface gpon 0/1")
    assert HUAWEI.read_port_optics(port).commands == ("display ont optical-info 3 all",)
    assert HUAWEI.read_pon_tx(port).commands == ("display port state 3",)
    assert HUAWEI.read_onu_state(port, 7).commands == ("display ont info 0 1 3 7",)
    assert HUAWEI.list_onus(port).commands == ("display ont info 0 1 3 all",)
    zport = PonPort(1, 2, 1)
    assert ZTE.read_onu_optics(zport, 5).commands == ("show pon power attenuation gpon-onu_1/2/1:5",)
    assert ZTE.read_port_optics(zport).commands == (
        "show pon power onu-rx gpon-olt_1/2/1",
        "show pon power onu-tx gpon-olt_1/2/1",
        "show pon power olt-rx gpon-olt_1/2/1",
    )
    assert ZTE.read_pon_tx(zport).commands == ("show pon power olt-tx gpon-olt_1/2/1",)
    assert ZTE.read_onu_state(zport, 5).commands == ("show gpon onu state gpon-olt_1/2/1",)
    assert ZTE.list_onus(zport).commands == ("show running-config interface gpon-olt_1/2/1",)
    assert ZTE.read_onu_detail(zport, 5).commands == ("show gpon onu detail-info gpon-onu_1/2/1:5",)
    assert ZTE.read_onu_optics(zport, 5).mode == ()


def test_next_free_service_port_index() -> None:
    assert next_free_service_port_index([0, 1, 2, 4]) == 3
    assert next_free_service_port_index([], low=100) == 100
    assert next_free_service_port_index([5, 6], low=5, high=6) is None


def test_pon_port_parse_tolerates_device_padding() -> None:
    assert PonPort.parse("0/ 1/0") == PonPort(0, 1, 0)
    assert PonPort.parse("0/1 /0").fsp == "0/1/0"
    with pytest.raises(ValueError):
        PonPort.parse("0/1")
