"""Field actions and fault injection of :class:`ponaccept.sim.model.LabModel` (split out for size).

Field actions are what an engineer does on site: plug a test ONU into a splitter port, unplug it, switch an
ONU off. Faults are either *session* faults of an OLT (latency, refused login, dropped session, busy
replies, silent SNMP — see :class:`ponaccept.sim.state.OltFaults`) or *ODN* faults on an element reference
(``"F/S/P"`` feeder, ``"<splitter>"`` its input, ``"<splitter>:<n>"`` an output branch): a dirty
connector adds loss to everything behind it, a cut removes all light behind it.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields, replace
from typing import Any

from ponaccept.sim import errors
from ponaccept.sim.model_core import ModelCore
from ponaccept.sim.state import OltFaults, PhysicalOnu, PonPortState
from ponaccept.sim.topology import fsp_str


def sn_for_password(password: str) -> str:
    """A stable Huawei-looking SN for a test ONU plugged by password only (``HWTC`` + 8 hex)."""
    return "48575443" + hashlib.sha256(password.encode()).hexdigest()[:8].upper()


class FieldActions(ModelCore):
    """Plug/unplug/power and fault methods; all take the model lock and bump the OLT's version."""

    # ----------------------------------------------------------------- field actions
    def plug(
        self,
        olt: str,
        splitter: str,
        splitter_port: int,
        *,
        password: str | None = None,
        sn: str | None = None,
        equipment: str = "HG8546M",
        drop_km: float = 0.05,
    ) -> PhysicalOnu:
        """Plug a test ONU into ``splitter:splitter_port``. It registers iff a matching ONT entry exists on
        that PON port (password for password-auth, SN for sn-auth); otherwise it shows up in autofind.

        At least one of ``password``/``sn`` is required; without an SN one is derived from the password.
        Errors: UnknownOlt, SplitterNotFound, SplitterPortInvalid, SplitterPortOccupied.
        """
        if password is None and sn is None:
            raise ValueError("plug needs a password or an SN")
        with self.lock:
            st = self.olt(olt)
            port = self._splitter_port(olt, splitter, splitter_port)
            onu = PhysicalOnu(
                sn=(sn or sn_for_password(password or "")).upper(),
                password=password,
                splitter=splitter,
                splitter_port=splitter_port,
                drop_km=drop_km,
                equipment=equipment,
                test=True,
            )
            port.plugged[(splitter, splitter_port)] = onu
            self._changed(st, port)
            return onu

    def _splitter_port(self, olt: str, splitter: str, splitter_port: int) -> PonPortState:
        st = self.olt(olt)
        key = st.splitter_pon.get(splitter)
        if key is None:
            raise errors.SplitterNotFound(splitter)
        port = st.pon_ports[key]
        spec = port.spec.odn.splitter(splitter)
        assert spec is not None
        if not 1 <= splitter_port <= spec.ratio:
            raise errors.SplitterPortInvalid(f"{splitter}:{splitter_port} (1:{spec.ratio})")
        taken_by_splitter = any(
            s.parent == splitter and s.parent_port == splitter_port for s in port.spec.odn.splitters
        )
        if taken_by_splitter or (splitter, splitter_port) in port.plugged:
            raise errors.SplitterPortOccupied(f"{splitter}:{splitter_port}")
        return port

    def unplug(self, olt: str, splitter: str, splitter_port: int) -> PhysicalOnu:
        """Remove the ONU on ``splitter:splitter_port`` (test or customer); NothingPlugged if empty."""
        with self.lock:
            st = self.olt(olt)
            key = st.splitter_pon.get(splitter)
            if key is None:
                raise errors.SplitterNotFound(splitter)
            port = st.pon_ports[key]
            onu = port.plugged.pop((splitter, splitter_port), None)
            if onu is None:
                raise errors.NothingPlugged(f"{splitter}:{splitter_port}")
            self._changed(st, port)
            return onu

    def set_onu_power(self, olt: str, sn: str, powered: bool) -> PhysicalOnu:
        """Switch a physical ONU (by SN) on or off; off → offline with last down cause dying-gasp."""
        with self.lock:
            st = self.olt(olt)
            for port in st.pon_ports.values():
                for onu in port.plugged.values():
                    if onu.sn == sn.upper():
                        onu.powered = powered
                        self._changed(st, port)
                        return onu
            raise errors.NothingPlugged(sn)

    def physical_onus(self, olt: str) -> list[PhysicalOnu]:
        """Copies of every ONU physically present behind the OLT's PON ports."""
        with self.lock:
            return [replace(o) for p in self.olt(olt).pon_ports.values() for o in p.plugged.values()]

    # ----------------------------------------------------------------- session faults
    def faults(self, olt: str) -> OltFaults:
        """A copy of the OLT's session faults."""
        with self.lock:
            return replace(self.olt(olt).faults)

    def set_faults(self, olt: str, **changes: Any) -> OltFaults:
        """Change some session faults, e.g. ``set_faults("olt1", latency_s=2.0, busy_remaining=3)``.

        Keys are the fields of :class:`OltFaults`; an unknown key raises ``TypeError``.
        """
        names = {f.name for f in fields(OltFaults)}
        unknown = set(changes) - names
        if unknown:
            raise TypeError(f"unknown fault(s): {sorted(unknown)}")
        with self.lock:
            st = self.olt(olt)
            st.faults = replace(st.faults, **changes)
            st.version += 1
            return replace(st.faults)

    # ----------------------------------------------------------------- ODN faults
    def odn_elements(self, olt: str) -> list[str]:
        """Every valid ODN element reference of the OLT (for validation and for the control surface)."""
        with self.lock:
            out: list[str] = []
            for key, port in sorted(self.olt(olt).pon_ports.items()):
                out.append(fsp_str(key))
                for s in port.spec.odn.splitters:
                    out.append(s.name)
                    out.extend(f"{s.name}:{n}" for n in range(1, s.ratio + 1))
            return out

    def _port_of_element(self, olt: str, element: str) -> PonPortState:
        st = self.olt(olt)
        if element not in self.odn_elements(olt):
            raise errors.SplitterPortInvalid(f"unknown ODN element {element!r}")
        if "/" in element:
            return next(p for p in st.pon_ports.values() if fsp_str(p.key) == element)
        return st.pon_ports[st.splitter_pon[element.split(":", 1)[0]]]

    def dirty_connector(self, olt: str, element: str, extra_db: float) -> None:
        """Set ``extra_db`` of extra loss at ``element`` (both ways; replaces any previous; 0 cleans)."""
        with self.lock:
            st = self.olt(olt)
            port = self._port_of_element(olt, element)
            if extra_db:
                st.dirty[element] = float(extra_db)
            else:
                st.dirty.pop(element, None)
            self._changed(st, port)

    def cut_fibre(self, olt: str, element: str) -> None:
        """Cut the fibre at ``element``: every ONU behind it loses light (LOS)."""
        with self.lock:
            st = self.olt(olt)
            port = self._port_of_element(olt, element)
            st.cuts.add(element)
            self._changed(st, port)

    def repair_fibre(self, olt: str, element: str) -> None:
        """Undo :meth:`cut_fibre` at ``element``."""
        with self.lock:
            st = self.olt(olt)
            port = self._port_of_element(olt, element)
            st.cuts.discard(element)
            self._changed(st, port)

    def clear_faults(self, olt: str | None = None) -> None:
        """Clear session and ODN faults of one OLT, or of all OLTs (state and plugs are kept)."""
        with self.lock:
            names = [olt] if olt is not None else self.olt_names()
            for name in names:
                st = self.olt(name)
                st.faults = OltFaults()
                st.dirty.clear()
                st.cuts.clear()
                self._changed(st, *st.pon_ports.values())
