"""``LabModel``: the one stateful world behind every simulated OLT (CLI dialects, SNMP agent, control).

Concurrency: every public method is synchronous, short and takes ``self.lock`` (a ``threading.RLock``), so
it may be called from the lab's asyncio loop *and* directly from other threads (a test thread, the HTTP
control endpoint). Nothing blocks while holding the lock. Methods that return state return either copies
(``*_view``/snapshot methods, frozen dataclasses) or live objects that callers must treat as read-only
(read them under ``with model.lock:`` if consistency across several fields matters).

Run state is *derived*: an ONT entry is online iff a physical ONU that matches it (same password for
password-auth, same SN for sn-auth) is plugged behind the same PON port, is powered, has light (no cut on
its path) and can range (enough power both ways). The model recomputes the affected PON port after every
change and bumps that OLT's ``version``; the SNMP agent caches per ``version``.

Configuration operations raise the typed errors of :mod:`ponaccept.sim.errors`; each dialect renders them
in its vendor's words. The "system is busy" fault is applied here, to every configuration operation, so
every dialect gets it without extra code. Field actions and faults live in
:class:`ponaccept.sim.model_field.FieldActions`; construction, lookups and the derived state in
:class:`ponaccept.sim.model_core.ModelCore` (all inherited by ``LabModel``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ponaccept.sim import errors, physics
from ponaccept.sim.model_core import local_now
from ponaccept.sim.model_field import FieldActions
from ponaccept.sim.physics import OnuOptics, PortOptics
from ponaccept.sim.state import AuthKind, OntEntry, PhysicalOnu, ServicePort
from ponaccept.sim.topology import PonKey


@dataclass(frozen=True)
class OntView:
    """A read-only copy of one ONT entry and its derived state (what the SNMP agent serves).

    ``sn`` is what the OLT displays: the configured SN (sn-auth) or the SN learned from the ONU that
    registered with the password (``None`` if none ever did).
    """

    pon: PonKey
    ont_id: int
    auth: AuthKind
    sn: str | None
    password: str | None
    desc: str
    ont_type: str
    line_profile: int
    srv_profile: int
    online: bool
    optics: OnuOptics | None
    down_cause: str | None
    last_up: datetime | None
    last_down: datetime | None


class LabModel(FieldActions):
    """All OLTs of one lab. Build with ``LabModel(Topology.load(path))``."""

    # ----------------------------------------------------------------- configuration operations
    def take_busy(self, olt: str) -> bool:
        """Consume one "system is busy" fault if armed; True means: answer this command with busy."""
        with self.lock:
            f = self.olt(olt).faults
            if f.busy_remaining > 0:
                f.busy_remaining -= 1
                return True
            return False

    def _busy(self, olt: str) -> None:
        if self.take_busy(olt):
            raise errors.SystemBusy(olt)

    def next_free_ont_id(self, olt: str, pon: PonKey, first_id: int = 0, max_id: int = 127) -> int:
        """Smallest unused ONT-ID in ``first_id..max_id`` (what an OLT picks when none is given)."""
        with self.lock:
            used = self.pon_port(olt, pon).onts
            for i in range(first_id, max_id + 1):
                if i not in used:
                    return i
            raise errors.OntIdOutOfRange(pon)

    def add_ont(
        self,
        olt: str,
        pon: PonKey,
        ont_id: int | None,
        *,
        auth: AuthKind,
        sn: str | None = None,
        password: str | None = None,
        desc: str = "",
        line_profile: int | None = None,
        srv_profile: int | None = None,
        ont_type: str = "",
        first_id: int = 0,
        max_id: int = 127,
    ) -> OntEntry:
        """Configure an ONT entry. Profiles given as ``None`` are not checked (ZTE has none).

        Errors, in the order an OLT checks them: SystemBusy, PonPortNotFound, OntIdOutOfRange,
        LineProfileNotFound, SrvProfileNotFound, OntIdExists, SnExists (OLT-wide), PasswordExists (port).
        """
        with self.lock:
            self._busy(olt)
            st = self.olt(olt)
            port = self.pon_port(olt, pon)
            if ont_id is None:
                ont_id = self.next_free_ont_id(olt, pon, first_id, max_id)
            if not first_id <= ont_id <= max_id:
                raise errors.OntIdOutOfRange(ont_id)
            if line_profile is not None and line_profile not in st.line_profiles:
                raise errors.LineProfileNotFound(line_profile)
            if srv_profile is not None and srv_profile not in st.srv_profiles:
                raise errors.SrvProfileNotFound(srv_profile)
            if ont_id in port.onts:
                raise errors.OntIdExists(ont_id)
            if auth == "sn":
                sn = (sn or "").upper()
                if any(e.sn == sn for p in st.pon_ports.values() for e in p.onts.values()):
                    raise errors.SnExists(sn)
            elif any(e.password == password for e in port.onts.values()):
                raise errors.PasswordExists(pon)
            entry = OntEntry(
                ont_id=ont_id,
                auth=auth,
                sn=sn if auth == "sn" else None,
                password=password if auth == "password" else None,
                desc=desc,
                line_profile=line_profile if line_profile is not None else 0,
                srv_profile=srv_profile if srv_profile is not None else 0,
                ont_type=ont_type,
                origin="cli",
                created_at=local_now(),
            )
            port.onts[ont_id] = entry
            self._changed(st, port)
            return entry

    def delete_ont(self, olt: str, pon: PonKey, ont_id: int, *, cascade: bool = False) -> int:
        """Remove an ONT entry; returns how many service ports went with it.

        Huawei refuses while service ports reference it (``cascade=False`` → OntHasServicePorts); ZTE's
        ``no onu N`` removes them (``cascade=True``).
        """
        with self.lock:
            self._busy(olt)
            st = self.olt(olt)
            port = self.pon_port(olt, pon)
            if ont_id not in port.onts:
                raise errors.OntNotFound(ont_id)
            sps = [i for i, sp in st.service_ports.items() if sp.pon == pon and sp.ont_id == ont_id]
            if sps and not cascade:
                raise errors.OntHasServicePorts(ont_id)
            for i in sps:
                del st.service_ports[i]
            del port.onts[ont_id]
            self._changed(st, port)
            return len(sps)

    def set_ont_tcont(self, olt: str, pon: PonKey, ont_id: int, tcont: int, profile: str) -> None:
        """ZTE ``tcont N profile P`` on an ONU interface."""
        with self.lock:
            st = self.olt(olt)
            self.ont(olt, pon, ont_id).tconts[tcont] = profile
            self._changed(st)

    def set_ont_gemport(self, olt: str, pon: PonKey, ont_id: int, gemport: int, tcont: int) -> None:
        """ZTE ``gemport N … tcont T`` on an ONU interface."""
        with self.lock:
            st = self.olt(olt)
            self.ont(olt, pon, ont_id).gemports[gemport] = tcont
            self._changed(st)

    def set_ont_desc(self, olt: str, pon: PonKey, ont_id: int, desc: str) -> None:
        """Change an ONT's description (Huawei ``ont modify … desc``, ZTE ``name``/``description``)."""
        with self.lock:
            st = self.olt(olt)
            self.ont(olt, pon, ont_id).desc = desc
            self._changed(st)

    def add_service_port(
        self,
        olt: str,
        *,
        index: int | None,
        svlan: int,
        pon: PonKey,
        ont_id: int,
        gemport: int,
        user_vlan: int,
        tag_transform: str = "translate",
        inner_vlan: int | None = None,
        vport: int | None = None,
        local_index: int | None = None,
    ) -> ServicePort:
        """Create a service port; ``index=None`` picks the smallest free index.

        Errors: SystemBusy, VlanNotFound, PonPortNotFound, OntNotFound, ServicePortExists (same index, or
        the same ONT/GEM/user-VLAN already has one — ``.index`` is the conflicting index).
        """
        with self.lock:
            self._busy(olt)
            st = self.olt(olt)
            if svlan not in st.vlans:
                raise errors.VlanNotFound(svlan)
            self.ont(olt, pon, ont_id)
            for sp in st.service_ports.values():
                same = (sp.pon, sp.ont_id, sp.gemport, sp.user_vlan) == (pon, ont_id, gemport, user_vlan)
                if sp.index == index or same:
                    raise errors.ServicePortExists(sp.index)
            if index is None:
                index = next(i for i in range(len(st.service_ports) + 1) if i not in st.service_ports)
            sp = ServicePort(index, svlan, pon, ont_id, gemport, user_vlan, tag_transform, inner_vlan, vport)
            sp.local_index = local_index
            st.service_ports[index] = sp
            self._changed(st)
            return sp

    def delete_service_ports(
        self,
        olt: str,
        *,
        index: int | None = None,
        svlan: int | None = None,
        pon: PonKey | None = None,
        ont_id: int | None = None,
        gemport: int | None = None,
    ) -> list[ServicePort]:
        """Delete every service port matching all given filters; ServicePortNotFound if none matches."""
        with self.lock:
            self._busy(olt)
            st = self.olt(olt)
            hit = [
                sp
                for sp in st.service_ports.values()
                if (index is None or sp.index == index)
                and (svlan is None or sp.svlan == svlan)
                and (pon is None or sp.pon == pon)
                and (ont_id is None or sp.ont_id == ont_id)
                and (gemport is None or sp.gemport == gemport)
            ]
            if not hit:
                raise errors.ServicePortNotFound(index)
            for sp in hit:
                del st.service_ports[sp.index]
            self._changed(st)
            return hit

    # ----------------------------------------------------------------- reads
    def ont(self, olt: str, pon: PonKey, ont_id: int) -> OntEntry:
        """Live ONT entry; PonPortNotFound / OntNotFound."""
        with self.lock:
            try:
                return self.pon_port(olt, pon).onts[ont_id]
            except KeyError:
                raise errors.OntNotFound(ont_id) from None

    def onts(self, olt: str, pon: PonKey) -> list[OntEntry]:
        """Live ONT entries of a PON port, by ONT-ID."""
        with self.lock:
            port = self.pon_port(olt, pon)
            return [port.onts[i] for i in sorted(port.onts)]

    def find_ont_by_sn(self, olt: str, sn: str) -> tuple[PonKey, OntEntry]:
        """The ONT entry showing ``sn`` (configured or learned); OntNotFound."""
        sn = sn.upper()
        with self.lock:
            for key, port in self.olt(olt).pon_ports.items():
                for entry in port.onts.values():
                    if sn in (entry.sn, entry.status.onu_sn):
                        return key, entry
        raise errors.OntNotFound(sn)

    def optics(self, olt: str, pon: PonKey, ont_id: int) -> OnuOptics:
        """Readings of an online ONT; OntNotFound / OntNotOnline."""
        with self.lock:
            entry = self.ont(olt, pon, ont_id)
            if not entry.status.online or entry.status.optics is None:
                raise errors.OntNotOnline(ont_id)
            return entry.status.optics

    def port_optics(self, olt: str, pon: PonKey) -> PortOptics:
        """The PON port transceiver's readings (OLT Tx power etc.)."""
        with self.lock:
            port = self.pon_port(olt, pon)
            return physics.port_optics(self.seed, olt, port.key, port.spec.tx_dbm)

    def service_ports(
        self, olt: str, pon: PonKey | None = None, ont_id: int | None = None
    ) -> list[ServicePort]:
        """Service ports (copies' order by index), optionally only one PON port / ONT."""
        with self.lock:
            sps = self.olt(olt).service_ports
            return [
                sps[i]
                for i in sorted(sps)
                if (pon is None or sps[i].pon == pon) and (ont_id is None or sps[i].ont_id == ont_id)
            ]

    def autofind(self, olt: str, pon: PonKey | None = None) -> list[tuple[PonKey, PhysicalOnu, datetime]]:
        """ONUs with light that match no ONT entry (``display ont autofind`` / ``show gpon onu uncfg``)."""
        with self.lock:
            out: list[tuple[PonKey, PhysicalOnu, datetime]] = []
            for key, port in sorted(self.olt(olt).pon_ports.items()):
                if pon is not None and key != pon:
                    continue
                by_sn = {onu.sn: onu for onu in port.plugged.values()}
                out.extend((key, by_sn[sn], t) for sn, t in port.autofind.items() if sn in by_sn)
            return out

    def ont_views(self, olt: str) -> list[OntView]:
        """Snapshot of every ONT entry of the OLT, ordered by PON port then ONT-ID."""
        with self.lock:
            out = []
            for key, port in sorted(self.olt(olt).pon_ports.items()):
                for i in sorted(port.onts):
                    e = port.onts[i]
                    s = e.status
                    out.append(
                        OntView(
                            key, e.ont_id, e.auth, e.sn or s.onu_sn, e.password, e.desc, e.ont_type,
                            e.line_profile, e.srv_profile, s.online, s.optics, s.down_cause, s.last_up,
                            s.last_down,
                        )
                    )  # fmt: skip
            return out
