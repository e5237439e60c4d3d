"""Registry lookup, template directory resolution and the consistency of templates/index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import textfsm
from textfsm import clitable

from ponaccept.drivers import Driver, UnknownPlatform, get_driver, known_platforms
from ponaccept.drivers.huawei_ma5800 import HuaweiMA5800Driver
from ponaccept.drivers.parsing import (
    TEMPLATES_ENV,
    ntc_templates_dir,
    parse_rows,
    template_source,
    templates_dir,
    to_float,
    to_int,
)
from ponaccept.drivers.zte_c300 import ZteC300Driver

REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_registry_platforms_and_alias() -> None:
    assert isinstance(get_driver("huawei_smartax"), HuaweiMA5800Driver)
    assert get_driver("huawei_olt") is get_driver("huawei_smartax")
    assert isinstance(get_driver("zte_zxros"), ZteC300Driver)
    driver: Driver = get_driver(" ZTE_ZXROS ")
    assert driver.platform == "zte_zxros"


def test_unknown_platform_lists_known_ones() -> None:
    with pytest.raises(UnknownPlatform) as excinfo:
        get_driver("zte_olt")
    message = str(excinfo.value)
    assert "zte_olt" in message
    for platform in known_platforms():
        assert platform in message


def test_templates_dir_default_and_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(TEMPLATES_ENV, raising=False)
    assert templates_dir() == REPO_TEMPLATES
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path))
    assert templates_dir() == tmp_path


def test_env_templates_dir_is_used_for_parsing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    copy = tmp_path / "tpl"
    shutil.copytree(REPO_TEMPLATES, copy)
    (copy / "zte_zxros_show_pon_power_olt-tx.textfsm").write_text(
        "Value TX_POWER (\\S+)\n\nStart\n  ^Power=${TX_POWER} -> Record\n"
    )
    monkeypatch.setenv(TEMPLATES_ENV, str(copy))
    rows = parse_rows("zte_zxros", "show pon power olt-tx gpon-olt_1/1/1", "Power=1.5\n")
    assert rows == [{"tx_power": "1.5"}]


def _index_templates() -> list[str]:
    names = []
    for line in (REPO_TEMPLATES / "index").read_text().splitlines():
        if line.strip() and not line.startswith("#") and not line.startswith("Template,"):
            names.extend(line.split(",")[0].strip().split(":"))
    return names


def test_index_and_template_files_agree_and_compile() -> None:
    indexed = _index_templates()
    on_disk = sorted(p.name for p in REPO_TEMPLATES.glob("*.textfsm"))
    assert sorted(indexed) == on_disk
    for name in on_disk:
        with (REPO_TEMPLATES / name).open() as handle:
            textfsm.TextFSM(handle)


@pytest.mark.parametrize(
    ("platform", "command", "ours"),
    [
        ("huawei_smartax", "display ont optical-info 3 7", True),
        ("huawei_smartax", "disp ont optical-info 3 7", True),
        ("huawei_smartax", "display ont optical-info 3 all", False),
        ("huawei_smartax", "display port state 3", True),
        ("huawei_smartax", "display service-port port 0/1/3", True),
        ("huawei_smartax", "display service-port all", False),
        ("huawei_smartax", "display ont info 0 1 3 7", False),
        ("huawei_smartax", "display ont info 0 1 3 all", True),
        ("huawei_smartax", "display ont info 3 all", True),
        ("huawei_smartax", "display ont autofind", False),
        ("huawei_smartax", "ont add", False),
        ("zte_zxros", "show pon power attenuation gpon-onu_1/2/1:5", True),
        ("zte_zxros", "sh pon power att gpon-onu_1/2/1:5", True),
        ("zte_zxros", "show pon power onu-rx gpon-olt_1/2/1", True),
        ("zte_zxros", "show pon power olt-rx gpon-olt_1/2/1", True),
        ("zte_zxros", "show pon power olt-tx gpon-olt_1/2/1", True),
        ("zte_zxros", "show gpon onu state gpon-olt_1/2/1", True),
        ("zte_zxros", "show running-config interface gpon-olt_1/2/1", True),
        ("zte_zxros", "sh run int gpon-olt_1/2/1", True),
        ("zte_zxros", "show gpon onu detail-info gpon-onu_1/2/1:5", True),
    ],
)
def test_index_lookup(platform: str, command: str, ours: bool) -> None:
    expected = templates_dir() if ours else ntc_templates_dir()
    assert template_source(platform, command) == expected


def test_clitable_finds_our_templates_directly() -> None:
    table = clitable.CliTable("index", str(REPO_TEMPLATES))
    table.ParseCmd(
        "gpon-onu_1/1/1:7    -18.5(dbm)\n",
        {"Platform": "zte_zxros", "Command": "show pon power onu-rx gpon-olt_1/1/1"},
    )
    assert [list(row) for row in table] == [["1", "1", "1", "7", "-18.5"]]


def test_no_template_for_unknown_command_is_unparsed() -> None:
    from ponaccept.drivers import UnparsedOutput

    with pytest.raises(UnparsedOutput):
        parse_rows("zte_zxros", "show gpon onu uncfg", "anything")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-15.10", -15.10),
        ("3.488(dbm)", 3.488),
        ("22.0(dB)", 22.0),
        ("0", 0.0),
        ("-", None),
        ("N/A", None),
        ("", None),
        ("--", None),
        (None, None),
        ("abc", None),
    ],
)
def test_to_float_missing_is_none_and_zero_is_zero(text: str | None, value: float | None) -> None:
    assert to_float(text) == value


def test_to_int() -> None:
    assert to_int("171") == 171
    assert to_int("3.5") is None
    assert to_int("-") is None
