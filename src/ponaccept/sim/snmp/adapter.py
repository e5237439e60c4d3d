"""Serve the lab model over SNMP: OLT state → :class:`OltSnmpView`, plus the lab's start/stop entry point.

The model (``ponaccept.sim.model.LabModel``) is the single source of truth for SSH and SNMP alike: the agent
re-reads an OLT only when ``model.version(olt)`` moves, so an ONT added over SSH, a plugged test ONU or a
dirty connector is visible at the next SNMP request, and the SNMP powers are the very numbers the CLI
prints (the model rounds them to 0.01 dB once).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ponaccept.sim.model import LabModel, OntView
from ponaccept.sim.snmp.agent import SnmpAgent
from ponaccept.sim.snmp.view import OltSnmpView, OnuSnmpView, PonSnmpView, Vendor
from ponaccept.sim.state import OltState

UNKNOWN_SN = b"\x00" * 8
"""SN shown for a password-auth ONT that no ONU has registered against yet."""

_HUAWEI_DESCR = "Huawei Integrated Access Software"
_ZTE_DESCR = "{model} Version V2.1.0 Software, Copyright (c) by ZTE Corporation Compiled"


def _vendor(state: OltState) -> Vendor:
    vendor = state.spec.vendor
    if vendor == "huawei":
        return "huawei"
    if vendor == "zte":
        return "zte"
    raise ValueError(f"OLT {state.name}: no SNMP encoding for vendor {vendor!r}")


def _onu(ont: OntView) -> OnuSnmpView:
    frame, slot, port = ont.pon
    optics = ont.optics if ont.online else None
    return OnuSnmpView(
        frame=frame,
        slot=slot,
        port=port,
        ont_id=ont.ont_id,
        online=ont.online,
        sn=bytes.fromhex(ont.sn) if ont.sn else UNKNOWN_SN,
        description=ont.desc,
        rx_dbm=optics.rx_dbm if optics else None,
        tx_dbm=optics.tx_dbm if optics else None,
        olt_rx_dbm=optics.olt_rx_dbm if optics else None,
        temperature_c=optics.temperature_c if optics else None,
        voltage_v=optics.voltage_v if optics else None,
        bias_ma=optics.bias_ma if optics else None,
        distance_m=optics.distance_m if optics else None,
    )


def olt_view(model: LabModel, olt: str) -> OltSnmpView:
    """Snapshot of one OLT as its SNMP agent serves it (taken under the model lock, so it is consistent)."""
    with model.lock:
        state = model.olt(olt)
        vendor = _vendor(state)
        pons = []
        for key in sorted(state.pon_ports):
            optics = model.port_optics(olt, key)
            pons.append(
                PonSnmpView(
                    frame=key[0],
                    slot=key[1],
                    port=key[2],
                    tx_dbm=optics.tx_dbm,
                    temperature_c=optics.temperature_c,
                    voltage_v=optics.voltage_v,
                    bias_ma=optics.bias_ma,
                )
            )
        onus = tuple(_onu(ont) for ont in model.ont_views(olt))
        model_name = state.spec.model_name or ("MA5800" if vendor == "huawei" else "C320")
    return OltSnmpView(
        name=olt,
        vendor=vendor,
        sys_descr=_HUAWEI_DESCR if vendor == "huawei" else _ZTE_DESCR.format(model=model_name),
        sys_name=state.hostname,
        pons=tuple(pons),
        onus=onus,
    )


class ModelSnmpSource:
    """:class:`~ponaccept.sim.snmp.mib.SnmpSource` for one OLT of the lab model."""

    def __init__(self, model: LabModel, olt: str) -> None:
        self._model = model
        self._olt = olt
        self._community = model.olt(olt).spec.community

    @property
    def name(self) -> str:
        return self._olt

    @property
    def community(self) -> str:
        return self._community

    def version(self) -> int:
        return self._model.version(self._olt)

    def view(self) -> OltSnmpView:
        return olt_view(self._model, self._olt)

    def silent(self) -> bool:
        return self._model.faults(self._olt).snmp_silent


@dataclass
class LabSnmpHandle:
    """What :func:`start_agent` returns: the agent and the UDP port of every OLT."""

    agent: SnmpAgent
    ports: dict[str, int] = field(default_factory=dict)

    def close(self) -> None:
        """Close every OLT's socket and the engine's dispatcher (call on the loop's thread)."""
        self.agent.stop()
        self.ports.clear()

    async def stop(self) -> None:
        self.close()


async def start_agent(model: LabModel, host: str = "127.0.0.1") -> LabSnmpHandle:
    """Serve every OLT of ``model`` on ``host``, each on ``spec.snmp_port`` (0 = a free port) with its own
    community. Must be awaited inside the lab's running event loop. If a fixed port is taken, the OLTs
    already started are closed again and the ``OSError`` propagates."""
    agent = SnmpAgent(host)
    await agent.start()
    handle = LabSnmpHandle(agent)
    try:
        for name in model.olt_names():
            port = model.olt(name).spec.snmp_port
            handle.ports[name] = agent.add_olt(ModelSnmpSource(model, name), port=port)
    except BaseException:
        handle.close()
        raise
    return handle
