"""Core of :class:`ponaccept.sim.model.LabModel`: building state from the topology, lookups and the derived
run state. Split from ``model.py`` only for size; use ``LabModel``.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timedelta

from ponaccept.sim import errors, physics
from ponaccept.sim.physics import OnuOptics
from ponaccept.sim.state import OltState, OntEntry, OntStatus, PhysicalOnu, PonPortState, ServicePort
from ponaccept.sim.topology import PonKey, Topology


def local_now() -> datetime:
    """Local wall-clock time, whole seconds, timezone-aware (OLTs print local time with offset)."""
    return datetime.now().astimezone().replace(microsecond=0)


class ModelCore:
    """State construction, lookup and recomputation shared by the model's operation groups."""

    def __init__(self, topology: Topology) -> None:
        self.topology = topology
        self.seed = topology.seed
        self.lock = threading.RLock()
        self._olts: dict[str, OltState] = {}
        self._build(previous_versions={})

    # ----------------------------------------------------------------- construction / reset
    def _build(self, previous_versions: dict[str, int]) -> None:
        started = local_now()
        olts: dict[str, OltState] = {}
        for spec in self.topology.olts:
            st = OltState(
                spec=spec,
                pon_ports={},
                service_ports={},
                vlans=set(spec.vlans) | {p.svlan for p in spec.pon_ports},
                line_profiles=set(spec.line_profiles),
                srv_profiles=set(spec.srv_profiles),
                version=previous_versions.get(spec.name, 0) + 1,
            )
            for pspec in spec.pon_ports:
                port = PonPortState(spec=pspec)
                st.pon_ports[pspec.key] = port
                for s in pspec.odn.splitters:
                    st.splitter_pon[s.name] = pspec.key
                for o in pspec.odn.onus:
                    port.onts[o.ont_id] = OntEntry(
                        ont_id=o.ont_id,
                        auth=o.auth,
                        sn=o.sn if o.auth == "sn" else None,
                        password=o.password if o.auth == "password" else None,
                        desc=o.desc,
                        line_profile=o.line_profile,
                        srv_profile=o.srv_profile,
                        ont_type=o.equipment,
                        origin="topology",
                        created_at=started - timedelta(days=30),
                    )
                    port.plugged[(o.splitter, o.splitter_port)] = PhysicalOnu(
                        sn=o.sn,
                        password=o.password,
                        splitter=o.splitter,
                        splitter_port=o.splitter_port,
                        drop_km=o.drop_km,
                        drop_connectors=o.connectors,
                        drop_splices=o.splices,
                        powered=o.powered,
                        equipment=o.equipment,
                    )
                    for sp in o.service_ports:
                        st.service_ports[sp.index] = ServicePort(
                            index=sp.index,
                            svlan=sp.svlan,
                            pon=pspec.key,
                            ont_id=o.ont_id,
                            gemport=sp.gemport,
                            user_vlan=sp.user_vlan,
                            tag_transform=sp.tag_transform,
                            inner_vlan=sp.inner_vlan,
                            vport=sp.vport,
                            local_index=sp.local_index,
                        )
                self._refresh_port(st, port, initial_time=started)
            olts[spec.name] = st
        self._olts = olts

    def reset(self) -> None:
        """Restore the topology's initial state (ONTs, service ports, plugs, faults). Versions keep rising."""
        with self.lock:
            self._build({name: st.version for name, st in self._olts.items()})

    # ----------------------------------------------------------------- lookup
    def olt_names(self) -> list[str]:
        """Names of all OLTs, topology order."""
        return [o.name for o in self.topology.olts]

    def olt(self, name: str) -> OltState:
        """Live state of an OLT (read-only for callers); :class:`errors.UnknownOlt` if absent."""
        try:
            return self._olts[name]
        except KeyError:
            raise errors.UnknownOlt(name) from None

    def version(self, olt: str) -> int:
        """The OLT's change counter: strictly increases on every change, including ``reset()``."""
        with self.lock:
            return self.olt(olt).version

    def pon_port(self, olt: str, pon: PonKey) -> PonPortState:
        """Live PON port state; :class:`errors.PonPortNotFound` if the OLT has no such port."""
        st = self.olt(olt)
        try:
            return st.pon_ports[pon]
        except KeyError:
            raise errors.PonPortNotFound(pon) from None

    # ----------------------------------------------------------------- derived state
    def _changed(self, st: OltState, *ports: PonPortState) -> None:
        for port in ports:
            self._refresh_port(st, port)
        st.version += 1

    def _refresh_port(self, st: OltState, port: PonPortState, initial_time: datetime | None = None) -> None:
        now = initial_time or local_now()
        readings: dict[tuple[str, int], tuple[OnuOptics | None, bool]] = {}
        for loc, onu in port.plugged.items():
            path = physics.path_to(
                port.spec.odn,
                port.key,
                onu.splitter,
                onu.splitter_port,
                drop_km=onu.drop_km,
                drop_connectors=onu.drop_connectors,
                drop_splices=onu.drop_splices,
                dirty=st.dirty,
                cuts=st.cuts,
            )
            if path.cut or not onu.powered:
                readings[loc] = (None, False)
                continue
            reading = physics.onu_optics(self.seed, st.name, onu.sn, path, port.spec.tx_dbm)
            readings[loc] = (reading, physics.can_range(reading, port.spec.optical_class))
        matched: set[tuple[str, int]] = set()
        for entry in port.onts.values():
            loc_onu = self._match(port, entry)
            prev = entry.status
            if loc_onu is not None:
                matched.add(loc_onu[0])
            optics, ranged = readings[loc_onu[0]] if loc_onu else (None, False)
            if loc_onu is not None and ranged:
                up = prev.last_up if prev.online else now
                if initial_time is not None:
                    up = now - timedelta(hours=3 + entry.ont_id % 48)
                entry.status = OntStatus(True, loc_onu[1].sn, optics, None, up, prev.last_down)
                continue
            if prev.online or initial_time is not None:
                if loc_onu is None:
                    cause = "-" if initial_time is not None else "LOS"
                else:
                    cause = "dying-gasp" if not loc_onu[1].powered else "LOS"
                down = now - timedelta(hours=1) if initial_time is not None and cause != "-" else now
                entry.status = OntStatus(
                    False,
                    loc_onu[1].sn if loc_onu else prev.onu_sn,
                    None,
                    cause,
                    prev.last_up,
                    down if cause != "-" else None,
                )
            elif loc_onu is not None and prev.onu_sn is None:
                entry.status = replace(prev, onu_sn=loc_onu[1].sn)
        seen = {
            onu.sn
            for loc, onu in port.plugged.items()
            if loc not in matched and readings[loc][1] and onu.powered
        }
        port.autofind = {sn: port.autofind.get(sn, now) for sn in seen}

    @staticmethod
    def _match(port: PonPortState, entry: OntEntry) -> tuple[tuple[str, int], PhysicalOnu] | None:
        for loc, onu in port.plugged.items():
            if entry.auth == "sn" and entry.sn is not None and onu.sn == entry.sn:
                return loc, onu
            if entry.auth == "password" and entry.password is not None and onu.password == entry.password:
                return loc, onu
        return None
