from pathlib import Path

import pytest

from ponaccept.netops.credentials import CredentialsError, load_credentials
from ponaccept.netops.inventory import InventoryError, load_nornir


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    _write(
        tmp_path / "hosts.yaml",
        "olt-a:\n  hostname: 127.0.0.1\n  port: 2201\n  groups: [huawei]\n"
        "olt-b:\n  hostname: 127.0.0.1\n  port: 2202\n  groups: [zte]\n",
    )
    _write(tmp_path / "groups.yaml", "huawei:\n  platform: huawei_smartax\nzte:\n  platform: zte_zxros\n")
    _write(tmp_path / "defaults.yaml", "data: {}\n")
    return tmp_path


def test_precedence_host_over_group_over_defaults_and_env(tmp_path: Path) -> None:
    secrets = _write(
        tmp_path / "s.yaml",
        "defaults: {username: ops, password: d}\n"
        "groups: {zte: {secret: zsec}}\n"
        "hosts: {olt-b: {password: hb}}\n",
    )
    store = load_credentials(secrets, environ={"PONACCEPT_DEVICE_OLT_A_PASSWORD": "envpw"})
    a = store.resolve("olt-a", ["huawei"])
    b = store.resolve("olt-b", ["zte"])
    assert (a.username, a.password, a.secret) == ("ops", "envpw", "")
    assert (b.username, b.password, b.secret) == ("ops", "hb", "zsec")


def test_missing_password_names_host_and_variable() -> None:
    store = load_credentials(None, environ={"PONACCEPT_DEVICE_USERNAME": "ops"})
    with pytest.raises(CredentialsError, match=r"no password for device 'olt-a'.*PONACCEPT_DEVICE_PASSWORD"):
        store.resolve("olt-a")


def test_repr_never_shows_password() -> None:
    creds = load_credentials(None, {"PONACCEPT_DEVICE_USERNAME": "u", "PONACCEPT_DEVICE_PASSWORD": "hunter2"})
    assert "hunter2" not in repr(creds.resolve("x"))


def test_unknown_field_in_secrets_file_is_rejected(tmp_path: Path) -> None:
    secrets = _write(tmp_path / "s.yaml", "defaults: {user: ops}\n")
    with pytest.raises(CredentialsError, match="unknown field"):
        load_credentials(secrets, environ={})


def test_inventory_applies_credentials_timeouts_and_filters(inventory: Path) -> None:
    store = load_credentials(None, {"PONACCEPT_DEVICE_USERNAME": "u", "PONACCEPT_DEVICE_PASSWORD": "p"})
    nr = load_nornir(inventory, store, groups=["zte"])
    assert list(nr.inventory.hosts) == ["olt-b"]
    host = nr.inventory.hosts["olt-b"]
    assert (host.username, host.password, host.platform) == ("u", "p", "zte_zxros")
    extras = host.connection_options["netmiko"].extras
    assert extras is not None and extras["conn_timeout"] == 10.0 and extras["read_timeout_override"] == 20.0


def test_inventory_rejects_credentials_in_yaml(inventory: Path) -> None:
    _write(inventory / "defaults.yaml", "username: admin\npassword: admin\n")
    store = load_credentials(None, {"PONACCEPT_DEVICE_USERNAME": "u", "PONACCEPT_DEVICE_PASSWORD": "p"})
    with pytest.raises(InventoryError, match="credentials belong"):
        load_nornir(inventory, store)


def test_unknown_olt_is_named(inventory: Path) -> None:
    store = load_credentials(None, {"PONACCEPT_DEVICE_USERNAME": "u", "PONACCEPT_DEVICE_PASSWORD": "p"})
    with pytest.raises(InventoryError, match="olt-zz"):
        load_nornir(inventory, store, olts=["olt-zz"])


def test_each_load_is_a_fresh_nornir(inventory: Path) -> None:
    store = load_credentials(None, {"PONACCEPT_DEVICE_USERNAME": "u", "PONACCEPT_DEVICE_PASSWORD": "p"})
    first = load_nornir(inventory, store)
    first.data.failed_hosts.add("olt-a")
    assert load_nornir(inventory, store).data.failed_hosts == set()
