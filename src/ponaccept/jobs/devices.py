"""Device access for jobs: a fresh Nornir per job, built from the database's OLT rows.

The database is the source of truth for which OLTs exist and how to reach them (management IP, SSH
port, platform), so the Nornir inventory is generated from ``Olt`` rows into a temporary directory for
each job rather than read from a hand-maintained file; credentials still come only from the
environment or the secrets file (``netops.credentials``). Per-OLT locks are shared by every job of the
process (``LocalOltLocks``) or of the cluster (``RedisOltLocks``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from nornir.core import Nornir
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from ponaccept.db.engine import session_scope
from ponaccept.db.models import Olt
from ponaccept.netops.credentials import CredentialsError, CredentialStore, load_credentials
from ponaccept.netops.inventory import Timeouts, load_nornir
from ponaccept.netops.locks import LocalOltLocks, OltLocks


def inventory_hosts(olts: Sequence[Olt]) -> dict[str, dict[str, object]]:
    """SimpleInventory ``hosts.yaml`` content for ``olts`` (no credentials)."""
    return {
        olt.name: {
            "hostname": olt.management_ip,
            "port": olt.ssh_port,
            "platform": olt.platform,
            "data": {"vendor": str(olt.vendor), "snmp_port": olt.snmp_port},
        }
        for olt in olts
    }


@dataclass
class DeviceAccess:
    """How jobs reach OLTs. ``environ`` (None = the process environment) feeds the credential store."""

    secrets_file: Path | None = None
    environ: Mapping[str, str] | None = None
    locks: OltLocks = field(default_factory=LocalOltLocks)
    timeouts: Timeouts = field(default_factory=lambda: Timeouts(connect=10, auth=10, banner=10, read=30))

    def credentials(self) -> CredentialStore:
        return load_credentials(self.secrets_file, self.environ)

    @contextmanager
    def nornir(self, engine: Engine, olt_names: Sequence[str]) -> Iterator[Nornir]:
        """A fresh Nornir for ``olt_names`` (Nornir remembers failed hosts, so never reuse one).

        The OLT rows are read in a short session that is closed before the caller's device work: a job
        waiting for an OLT lock must not hold a database connection meanwhile.
        """
        with session_scope(engine) as session:
            olts = list(session.exec(select(Olt).where(col(Olt.name).in_(sorted(set(olt_names))))).all())
        with tempfile.TemporaryDirectory(prefix="ponaccept-inv-") as directory:
            path = Path(directory)
            (path / "hosts.yaml").write_text(yaml.safe_dump(inventory_hosts(olts)), encoding="utf-8")
            yield load_nornir(path, self.credentials(), timeouts=self.timeouts)

    def snmp_community(self, olt: Olt) -> str:
        """The OLT's SNMP community from the credential store ('' when none is configured)."""
        try:
            return self.credentials().resolve(olt.name, [str(olt.vendor)]).community
        except CredentialsError:  # no login credentials either: SNMP is not configured for it
            return ""
