"""Every device failure text maps to its typed error; success is only ever recognised, never assumed."""

from __future__ import annotations

from pathlib import Path

import pytest

from ponaccept.drivers import (
    ActivationSpec,
    AlreadyExists,
    CommandRejected,
    DeviceBusy,
    DoesNotExist,
    DriverError,
    Expect,
    HasDependents,
    NoInformation,
    NotOnline,
    PonPort,
    Rejected,
    ServicePortExists,
    Step,
    UnparsedOutput,
    check_mode_entry,
    check_read,
    check_step,
    classify,
    get_driver,
)

FIXTURES = Path(__file__).parent / "fixtures"

CASES: list[tuple[str, type[DriverError]]] = [
    ("  Failure: The ONT ID has already existed", AlreadyExists),
    ("  Failure: SN already exists", AlreadyExists),
    ("  Failure: The password already exists", AlreadyExists),
    ("  Failure: The ONT does not exist", DoesNotExist),
    ("  The required ONT does not exist", DoesNotExist),
    ("  Failure: The ONT is not online", NotOnline),
    ("  Failure: System is busy, please retry after a while", DeviceBusy),
    ("  Failure: This configured object has some service virtual\n  ports", HasDependents),
    ("  Failure: VLAN does not exist", Rejected),
    ("  Failure: The ont-lineprofile does not exist", Rejected),
    ("  Failure: The ont-srvprofile does not exist", Rejected),
    (
        "  Failure: Service virtual port has existed already\n  Conflicted service virtual port index: 5827",
        ServicePortExists,
    ),
    ("  % Unknown command, the error locates at '^'", CommandRejected),
    ("% Parameter error", CommandRejected),
    ("% Too many parameters, the error locates at ^", CommandRejected),
    ("  % Incomplete command", CommandRejected),
    ("  Failure: Something nobody has seen before", Rejected),
    ("  Number of ONTs that can be added: 1, success: 0", Rejected),
    ("  The number of total service virtual port which have been\n  deleted: 0", DoesNotExist),
    ("%Code 32310-GPONSRV : No related information to show.", NoInformation),
    ("%Code 32310-GPONSRV : The ONU does not exist.", DoesNotExist),
    ("%Code 32311-GPONSRV : The ONU has already existed.", AlreadyExists),
    ("%Code 32312-GPONSRV : The system is busy.", DeviceBusy),
    ("%Code 32399-GPONSRV : Profile mismatch.", Rejected),
    ("%Error 20200: Invalid command", CommandRejected),
    ("%Error 20202: Invalid parameter", CommandRejected),
    ("%Error 140303: Invalid input detected at '^' marker.", CommandRejected),
    ("% Invalid input detected at '^' marker.", CommandRejected),
    ("%Code 32302-GPONSRV : The ONU ID has been used.", AlreadyExists),
    ("%Code 32303-GPONSRV : The SN has been registered.", AlreadyExists),
    ("%Code 32304-GPONSRV : The password has been registered.", AlreadyExists),
    ("%Code 32320-GPONSRV : The service port has been configured.", ServicePortExists),
    ("%Code 32321-GPONSRV : The service port does not exist.", DoesNotExist),
    ("%Code 32322-GPONSRV : The VLAN does not exist.", Rejected),
    ("%Code 32311-GPONSRV : The ONU has service configuration, please delete it first.", HasDependents),
    ("%Code 32270-GPONSRV : System is busy, please try later.", DeviceBusy),
    ("  Failure: No service virtual port can be operated", NoInformation),
    ("  Failure: The automatically found ONTs do not exist", NoInformation),
    ("% Bad password", Rejected),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_classify(text: str, expected: type[DriverError]) -> None:
    error = classify(text, "some command")
    assert type(error) is expected
    assert error.command == "some command"
    assert error.device_text == text


def test_only_busy_is_retryable() -> None:
    retryable = {type(classify(text)) for text, _ in CASES if classify(text).retryable}  # type: ignore[union-attr]
    assert retryable == {DeviceBusy}


def test_service_port_conflict_carries_index() -> None:
    error = classify(
        "  Failure: Service virtual port has existed already\n  Conflicted service virtual port index: 42"
    )
    assert isinstance(error, ServicePortExists)
    assert error.conflicting_index == 42


@pytest.mark.parametrize(
    "text", ["", "  Number of ONTs that can be added: 1, success: 1", "ZXAN(config-if)#"]
)
def test_success_texts_are_not_errors(text: str) -> None:
    assert classify(text) is None


def _delete_transcript_segments() -> list[str]:
    """Split the §1.4 transcript into the output of each command (prompt lines start a segment)."""
    segments: list[list[str]] = []
    for line in (FIXTURES / "huawei_delete_transcript.txt").read_text().splitlines():
        if "#" in line and not line.startswith(" "):
            segments.append([])
        else:
            segments[-1].append(line)
    return ["\n".join(s) for s in segments]


def test_delete_transcript_steps() -> None:
    huawei = get_driver("huawei_smartax")
    spec = ActivationSpec(PonPort(0, 1, 0), 0, "abc", "T-x", svlan=13, cvlan=100, gemport=11)
    service_port_delete, ont_delete = huawei.deprovision_plan(spec).steps
    refused, released, deleted = _delete_transcript_segments()
    with pytest.raises(HasDependents):
        check_step(ont_delete, refused)
    assert check_step(service_port_delete, released).changed
    assert check_step(ont_delete, deleted).changed


def test_tolerated_error_means_already_done() -> None:
    huawei = get_driver("huawei_smartax")
    spec = ActivationSpec(PonPort(0, 1, 0), 0, "abc", "T-x", svlan=13, cvlan=100)
    _, ont_delete = huawei.deprovision_plan(spec).steps
    outcome = check_step(ont_delete, "  Failure: The ONT does not exist")
    assert not outcome.changed and isinstance(outcome.tolerated, DoesNotExist)
    service_port_add = huawei.provision_plan(spec).steps[1]
    retried = check_step(
        service_port_add,
        "  Failure: Service virtual port has existed already\n  Conflicted service virtual port index: 7",
    )
    assert isinstance(retried.tolerated, ServicePortExists) and retried.tolerated.conflicting_index == 7
    # Not tolerated on the add: the ONT-ID is someone else's.
    with pytest.raises(AlreadyExists):
        check_step(huawei.provision_plan(spec).steps[0], "  Failure: The ONT ID has already existed")


def test_silent_step_rejects_unexpected_text() -> None:
    step = Step("s", ("configure terminal",), ("name T-x",))
    assert check_step(step, "").changed
    assert check_step(step, "ZXAN(config-if)#\n\nname T-x\n").changed
    with pytest.raises(UnparsedOutput):
        check_step(step, "Welcome to the maintenance banner")


def test_pattern_step_requires_its_pattern() -> None:
    step = Step("d", (), ("ont delete 0 1",), expect=Expect.PATTERN, success_pattern=r"success\s*:\s*[1-9]")
    with pytest.raises(UnparsedOutput):
        check_step(step, "  Number of ONTs that can be deleted: 1")
    with pytest.raises(Rejected):
        check_step(step, "  Number of ONTs that can be deleted: 1, success: 0")


def test_ont_add_parse_step() -> None:
    huawei = get_driver("huawei_smartax")
    spec = ActivationSpec(PonPort(0, 6, 9), 17, "Secret1234", "T-x", svlan=13, cvlan=100)
    ont_add = huawei.provision_plan(spec).steps[0]
    outcome = check_step(ont_add, (FIXTURES / "huawei_ont_add_success.txt").read_text())
    assert outcome.value is not None and outcome.value.ont_id == 17  # type: ignore[attr-defined]
    # Firmware without the PortID line still parses; the count is what proves success.
    assert check_step(ont_add, "  Number of ONTs that can be added: 1, success: 1\n").changed
    with pytest.raises(Rejected):
        check_step(ont_add, "  Number of ONTs that can be added: 1, success: 0\n")
    with pytest.raises(UnparsedOutput):
        check_step(ont_add, "  Number of ONTs that can be added: 1, success: 1\n  PortID :9, ONTID :3\n")
    with pytest.raises(UnparsedOutput):
        check_step(ont_add, "garbage")


def test_errors_never_echo_the_password() -> None:
    huawei = get_driver("huawei_smartax")
    spec = ActivationSpec(PonPort(0, 6, 9), 17, "Secret1234", "T-x", svlan=13, cvlan=100)
    ont_add = huawei.provision_plan(spec).steps[0]
    echoed = f"  Command:\n          {ont_add.commands[0]}\n  Failure: SN already exists"
    with pytest.raises(AlreadyExists) as excinfo:
        check_step(ont_add, echoed)
    assert "Secret1234" not in str(excinfo.value)
    assert "Secret1234" not in excinfo.value.device_text
    assert "Secret1234" not in excinfo.value.command


def test_read_with_wrong_output_count_is_unparsed() -> None:
    read = get_driver("zte_zxros").read_port_optics(PonPort(1, 1, 1))
    with pytest.raises(UnparsedOutput):
        check_read(read, ["only one"])


@pytest.mark.parametrize(
    "text", ["", "Welcome", "  Number of ONTs that can be added: 1, success: 1", "  ----------"]
)
def test_unparsed_reads_never_succeed(text: str) -> None:
    huawei, zte = get_driver("huawei_smartax"), get_driver("zte_zxros")
    port, zport = PonPort(0, 1, 0), PonPort(1, 1, 1)
    reads = [
        huawei.read_onu_optics(port, 1),
        huawei.read_pon_tx(port),
        huawei.read_onu_state(port, 1),
        huawei.list_onus(port),
        huawei.read_port_optics(port),
        zte.read_onu_optics(zport, 1),
        zte.read_pon_tx(zport),
        zte.read_onu_state(zport, 1),
        zte.list_onus(zport),
        zte.read_onu_detail(zport, 1),
    ]
    for read in reads:
        with pytest.raises(UnparsedOutput):
            check_read(read, [text] * len(read.commands))


def test_read_errors_are_typed() -> None:
    huawei = get_driver("huawei_smartax")
    with pytest.raises(NotOnline):
        check_read(huawei.read_onu_optics(PonPort(0, 1, 0), 1), ["  Failure: The ONT is not online"])
    with pytest.raises(DoesNotExist):
        check_read(huawei.read_onu_state(PonPort(0, 1, 0), 1), ["  The required ONT does not exist"])
    with pytest.raises(DeviceBusy):
        check_read(
            huawei.list_onus(PonPort(0, 1, 0)), ["  Failure: System is busy, please retry after a while"]
        )


def test_error_message_quotes_the_whole_device_line() -> None:
    error = classify("%Code 32302-GPONSRV : The ONU ID has been used.")
    assert error is not None and "%Code 32302-GPONSRV : The ONU ID has been used." in str(error)


def test_mode_entry() -> None:
    zte = get_driver("zte_zxros")
    step = zte.deprovision_plan(ActivationSpec(PonPort(1, 2, 1), 5, "abc", "T-x", svlan=13, cvlan=100)).steps[
        0
    ]
    assert check_mode_entry(step, "interface gpon-onu_1/2/1:5", "") is None
    gone = check_mode_entry(
        step, "interface gpon-onu_1/2/1:5", "%Code 32310-GPONSRV : The ONU does not exist."
    )
    assert gone is not None and not gone.changed
    with pytest.raises(CommandRejected):
        check_mode_entry(step, "interface gpon-onu_1/2/1:5", "%Error 20200: Invalid command")
    with pytest.raises(UnparsedOutput):
        check_mode_entry(step, "interface gpon-onu_1/2/1:5", "Some banner")
