"""Nornir inventories: SimpleInventory YAML from ``inventories/<name>/``, credentials applied at load.

A fresh Nornir object is built for every job, because Nornir remembers failed hosts between runs.
The YAML files must not carry credentials (they live in the repository); loading refuses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.filter import F

from ponaccept.netops.credentials import CredentialStore

_FILES = ("hosts.yaml", "groups.yaml", "defaults.yaml")
_CREDENTIAL_KEYS = {"username", "password", "secret"}


class InventoryError(Exception):
    """The inventory is missing, malformed, or selects nothing; the message says which."""


@dataclass(frozen=True)
class Timeouts:
    """Explicit device timeouts (seconds), passed to netmiko for every connection."""

    connect: float = 10.0
    auth: float = 10.0
    banner: float = 10.0
    read: float = 20.0


def _check_no_credentials(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = {"defaults": data} if path.name == "defaults.yaml" else data
    if not isinstance(entries, dict):
        raise InventoryError(f"{path} must be a mapping")
    for name, entry in entries.items():
        if isinstance(entry, dict):
            found = _CREDENTIAL_KEYS & set(entry)
            if found:
                raise InventoryError(
                    f"{path}: {name} has {sorted(found)}; credentials belong in the environment or "
                    "the secrets file, not in the inventory"
                )


def load_nornir(
    inventory_dir: Path,
    credentials: CredentialStore,
    *,
    olts: Sequence[str] = (),
    groups: Sequence[str] = (),
    num_workers: int = 20,
    timeouts: Timeouts = Timeouts(),
) -> Nornir:
    """Build a fresh Nornir for ``inventory_dir``, filtered by OLT names and/or groups."""
    if not (inventory_dir / "hosts.yaml").is_file():
        raise InventoryError(f"no hosts.yaml in inventory {inventory_dir}")
    for name in _FILES:
        if (inventory_dir / name).is_file():
            _check_no_credentials(inventory_dir / name)
    options: dict[str, Any] = {"host_file": str(inventory_dir / "hosts.yaml")}
    for key, name in (("group_file", "groups.yaml"), ("defaults_file", "defaults.yaml")):
        if (inventory_dir / name).is_file():
            options[key] = str(inventory_dir / name)
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": num_workers}},
        inventory={"plugin": "SimpleInventory", "options": options},
        logging={"enabled": False},
    )
    unknown = [name for name in olts if name not in nr.inventory.hosts]
    if unknown:
        raise InventoryError(f"unknown OLT(s) {unknown}; known: {sorted(nr.inventory.hosts)}")
    unknown_groups = [name for name in groups if name not in nr.inventory.groups]
    if unknown_groups:
        raise InventoryError(f"unknown group(s) {unknown_groups}; known: {sorted(nr.inventory.groups)}")
    if olts:
        nr = nr.filter(F(name__any=list(olts)))
    if groups:
        nr = nr.filter(F(groups__any=list(groups)))
    if not nr.inventory.hosts:
        raise InventoryError("the filters select no OLT")
    for host in nr.inventory.hosts.values():
        creds = credentials.resolve(host.name, [g.name for g in host.groups])
        host.username = creds.username
        host.password = creds.password
        extras = {
            "secret": creds.secret,
            "conn_timeout": timeouts.connect,
            "auth_timeout": timeouts.auth,
            "banner_timeout": timeouts.banner,
            "read_timeout_override": timeouts.read,
            "fast_cli": False,
        }
        netmiko_opts = host.connection_options.get("netmiko")
        if netmiko_opts is None:
            from nornir.core.inventory import ConnectionOptions

            host.connection_options["netmiko"] = ConnectionOptions(extras=extras)
        else:
            netmiko_opts.extras = {**extras, **(netmiko_opts.extras or {})}
    return nr
