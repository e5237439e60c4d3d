"""Device credentials: from the environment or a YAML secrets file outside the repository.

Inventories in ``inventories/`` describe devices, never how to log in to them. Credentials are
resolved per host with the precedence host > group (in inventory order) > defaults, from a secrets
file (``PONACCEPT_SECRETS_FILE``) overlaid by environment variables:

* ``PONACCEPT_DEVICE_USERNAME`` / ``_PASSWORD`` / ``_SECRET`` (enable) / ``_COMMUNITY`` (SNMP) — defaults;
* ``PONACCEPT_DEVICE_<HOST>_USERNAME`` (host name upper-cased, non-alphanumerics as ``_``) — per host.

The secrets file looks like::

    defaults: {username: ops, password: "..."}
    groups:   {zte: {secret: "..."}}
    hosts:    {olt-hz-01: {password: "..."}}
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

_FIELDS = ("username", "password", "secret", "community")


class CredentialsError(Exception):
    """Credentials are missing or malformed; the message names the host and the field."""


@dataclass(frozen=True)
class DeviceCredentials:
    username: str
    password: str
    secret: str = ""
    community: str = ""  # SNMP v2c community: a password in all but name

    def __repr__(self) -> str:  # never print a password, even in a traceback
        return f"DeviceCredentials(username={self.username!r}, password='***', secret='***', community='***')"

    def secrets(self) -> list[str]:
        """Values that must be masked wherever text is recorded."""
        return [value for value in (self.password, self.secret, self.community) if value]


@dataclass(frozen=True)
class CredentialStore:
    defaults: Mapping[str, str]
    groups: Mapping[str, Mapping[str, str]]
    hosts: Mapping[str, Mapping[str, str]]
    environ: Mapping[str, str]

    def resolve(self, host: str, groups: Sequence[str] = ()) -> DeviceCredentials:
        merged: dict[str, str] = dict(self.defaults)
        for group in reversed(list(groups)):  # the first group listed wins, as in Nornir
            merged.update(self.groups.get(group, {}))
        merged.update(self.hosts.get(host, {}))
        for field in _FIELDS:
            default_env = self.environ.get(f"PONACCEPT_DEVICE_{field.upper()}")
            if default_env is not None and field not in self.hosts.get(host, {}):
                merged.setdefault(field, default_env)
            host_env = self.environ.get(f"PONACCEPT_DEVICE_{_env_key(host)}_{field.upper()}")
            if host_env is not None:
                merged[field] = host_env
        missing = [field for field in ("username", "password") if not merged.get(field)]
        if missing:
            raise CredentialsError(
                f"no {' or '.join(missing)} for device {host!r}: set PONACCEPT_DEVICE_{missing[0].upper()} "
                "or add it to the secrets file (PONACCEPT_SECRETS_FILE)"
            )
        return DeviceCredentials(
            merged["username"], merged["password"], merged.get("secret", ""), merged.get("community", "")
        )


def _env_key(host: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", host).upper()


def load_credentials(
    secrets_file: Path | None = None, environ: Mapping[str, str] | None = None
) -> CredentialStore:
    """Build a store from an optional secrets file and the environment."""
    env = dict(os.environ if environ is None else environ)
    data: dict[str, object] = {}
    if secrets_file is not None:
        try:
            loaded = yaml.safe_load(secrets_file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CredentialsError(f"cannot read secrets file {secrets_file}: {exc.strerror}") from exc
        except yaml.YAMLError as exc:
            raise CredentialsError(f"secrets file {secrets_file} is not valid YAML") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise CredentialsError(
                f"secrets file {secrets_file} must be a mapping with defaults/groups/hosts"
            )
        data = loaded or {}
    return CredentialStore(
        defaults=_section(data.get("defaults"), "defaults"),
        groups=_nested(data.get("groups"), "groups"),
        hosts=_nested(data.get("hosts"), "hosts"),
        environ=env,
    )


def _section(raw: object, where: str) -> dict[str, str]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CredentialsError(f"secrets file: {where} must be a mapping")
    unknown = set(raw) - set(_FIELDS)
    if unknown:
        raise CredentialsError(f"secrets file: unknown field(s) {sorted(unknown)} in {where}")
    return {str(k): str(v) for k, v in raw.items() if v is not None}


def _nested(raw: object, where: str) -> dict[str, dict[str, str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CredentialsError(f"secrets file: {where} must be a mapping")
    return {str(name): _section(value, f"{where}.{name}") for name, value in raw.items()}
