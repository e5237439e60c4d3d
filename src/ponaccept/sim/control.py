"""The lab's control surface: field actions, faults and state, as a Python API and as HTTP on loopback.

:class:`ControlSurface` is the Python API (``Lab`` inherits it); every method delegates to the model and
is safe to call from any thread. :func:`create_control_app` exposes the same operations over HTTP so that a
demo, a shell script or another process can drive the lab::

    POST /olts/{olt}/plug     {"splitter": "HW1-A-1x32", "port": 12, "password": "TEST0001"}
    POST /olts/{olt}/unplug   {"splitter": "HW1-A-1x32", "port": 12}
    POST /olts/{olt}/power    {"sn": "48575443A1000001", "powered": false}
    PATCH /olts/{olt}/faults  {"latency_s": 2, "refuse_logins": true, "drop_after_commands": 3,
                               "busy_remaining": 2, "snmp_silent": true}
    POST /olts/{olt}/odn/dirty  {"element": "HW1-A-1x32:12", "extra_db": 3.0}
    POST /olts/{olt}/odn/cut    {"element": "0/1/0"}       POST /olts/{olt}/odn/repair {"element": "0/1/0"}
    POST /faults/clear [?olt=…]   POST /reset   GET /state   GET /olts/{olt}/onts   GET /endpoints

Model errors map to 404 (unknown OLT) or 409 (any other refused action) with ``{"detail": message}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from ponaccept.sim import errors
from ponaccept.sim.model import LabModel, OntView
from ponaccept.sim.state import OltFaults, PhysicalOnu
from ponaccept.sim.topology import fsp_str


class ControlSurface:
    """Field actions, faults and state of a lab; subclasses provide ``self.model``."""

    model: LabModel

    def plug(
        self, olt: str, splitter: str, port: int, *, password: str | None = None, sn: str | None = None,
        equipment: str = "HG8546M", drop_km: float = 0.05,
    ) -> PhysicalOnu:  # fmt: skip
        """Plug a test ONU into ``splitter`` output ``port`` (see ``LabModel.plug``)."""
        return self.model.plug(
            olt, splitter, port, password=password, sn=sn, equipment=equipment, drop_km=drop_km
        )

    def unplug(self, olt: str, splitter: str, port: int) -> PhysicalOnu:
        """Unplug whatever ONU is on ``splitter`` output ``port``."""
        return self.model.unplug(olt, splitter, port)

    def set_onu_power(self, olt: str, sn: str, powered: bool) -> PhysicalOnu:
        """Switch an ONU on or off (off → offline, dying-gasp)."""
        return self.model.set_onu_power(olt, sn, powered)

    def set_faults(self, olt: str, **changes: Any) -> OltFaults:
        """Set session faults: latency_s, refuse_logins, drop_after_commands, busy_remaining, snmp_silent."""
        return self.model.set_faults(olt, **changes)

    def dirty_connector(self, olt: str, element: str, extra_db: float) -> None:
        """Extra loss at an ODN element (``"F/S/P"``, ``"<splitter>"``, ``"<splitter>:<n>"``)."""
        self.model.dirty_connector(olt, element, extra_db)

    def cut_fibre(self, olt: str, element: str) -> None:
        """Cut the fibre at an ODN element: LOS behind it."""
        self.model.cut_fibre(olt, element)

    def repair_fibre(self, olt: str, element: str) -> None:
        """Splice a cut fibre back."""
        self.model.repair_fibre(olt, element)

    def clear_faults(self, olt: str | None = None) -> None:
        """Clear session and ODN faults of one OLT or all."""
        self.model.clear_faults(olt)

    def reset(self) -> None:
        """Back to the topology's initial state (ONTs, service ports, plugs, faults)."""
        self.model.reset()

    def state(self) -> dict[str, Any]:
        """JSON-able summary: per OLT its version, faults, ODN faults and every ONT with run state/optics."""
        out: dict[str, Any] = {}
        for name in self.model.olt_names():
            st = self.model.olt(name)
            with self.model.lock:
                dirty, cuts = dict(st.dirty), sorted(st.cuts)
            out[name] = {
                "dialect": st.dialect,
                "version": self.model.version(name),
                "faults": asdict(self.model.faults(name)),
                "dirty": dirty,
                "cuts": cuts,
                "onts": [self._ont_json(v) for v in self.model.ont_views(name)],
                "service_ports": [asdict(sp) for sp in self.model.service_ports(name)],
            }
        return out

    @staticmethod
    def _ont_json(v: OntView) -> dict[str, Any]:
        return {
            "pon": fsp_str(v.pon),
            "ont_id": v.ont_id,
            "sn": v.sn,
            "desc": v.desc,
            "online": v.online,
            "down_cause": v.down_cause,
            "optics": asdict(v.optics) if v.optics else None,
        }


class PlugBody(BaseModel):
    splitter: str
    port: int = Field(ge=1)
    password: str | None = None
    sn: str | None = None
    equipment: str = "HG8546M"
    drop_km: float = Field(default=0.05, ge=0)


class UnplugBody(BaseModel):
    splitter: str
    port: int = Field(ge=1)


class PowerBody(BaseModel):
    sn: str
    powered: bool


class FaultsBody(BaseModel):
    latency_s: float | None = Field(default=None, ge=0)
    refuse_logins: bool | None = None
    drop_after_commands: int | None = Field(default=None, ge=0)
    clear_drop_after: bool = False
    busy_remaining: int | None = Field(default=None, ge=0)
    snmp_silent: bool | None = None


class ElementBody(BaseModel):
    element: str
    extra_db: float = Field(default=0.0, ge=0)


def _guard(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except errors.UnknownOlt as e:
        raise HTTPException(404, f"unknown OLT {e}") from e
    except (errors.LabError, ValueError, TypeError) as e:
        raise HTTPException(409, str(e) or type(e).__name__) from e


def create_control_app(control: ControlSurface, endpoints: Callable[[], dict[str, Any]]) -> FastAPI:
    """The HTTP control endpoint (serve on loopback only: it has no authentication, like the lab itself)."""
    app = FastAPI(title="ponaccept simulated PON lab — control", version="1")

    @app.get("/state")
    def state() -> dict[str, Any]:
        return control.state()

    @app.get("/endpoints")
    def get_endpoints() -> dict[str, Any]:
        return endpoints()

    @app.get("/olts/{olt}/onts")
    def onts(olt: str) -> list[dict[str, Any]]:
        if olt not in control.model.olt_names():
            raise HTTPException(404, f"unknown OLT {olt}")
        return list(control.state()[olt]["onts"])

    @app.post("/olts/{olt}/plug")
    def plug(olt: str, body: PlugBody) -> dict[str, Any]:
        onu = _guard(
            lambda: control.plug(
                olt, body.splitter, body.port, password=body.password, sn=body.sn,
                equipment=body.equipment, drop_km=body.drop_km,
            )
        )  # fmt: skip
        return asdict(onu)

    @app.post("/olts/{olt}/unplug")
    def unplug(olt: str, body: UnplugBody) -> dict[str, Any]:
        return asdict(_guard(lambda: control.unplug(olt, body.splitter, body.port)))

    @app.post("/olts/{olt}/power")
    def power(olt: str, body: PowerBody) -> dict[str, Any]:
        return asdict(_guard(lambda: control.set_onu_power(olt, body.sn, body.powered)))

    @app.patch("/olts/{olt}/faults")
    def faults(olt: str, body: FaultsBody) -> dict[str, Any]:
        changes = body.model_dump(exclude_none=True, exclude={"clear_drop_after"})
        if body.clear_drop_after:
            changes["drop_after_commands"] = None
        return asdict(_guard(lambda: control.set_faults(olt, **changes)))

    @app.post("/olts/{olt}/odn/dirty")
    def dirty(olt: str, body: ElementBody) -> dict[str, str]:
        _guard(lambda: control.dirty_connector(olt, body.element, body.extra_db))
        return {"status": "ok"}

    @app.post("/olts/{olt}/odn/cut")
    def cut(olt: str, body: ElementBody) -> dict[str, str]:
        _guard(lambda: control.cut_fibre(olt, body.element))
        return {"status": "ok"}

    @app.post("/olts/{olt}/odn/repair")
    def repair(olt: str, body: ElementBody) -> dict[str, str]:
        _guard(lambda: control.repair_fibre(olt, body.element))
        return {"status": "ok"}

    @app.post("/faults/clear")
    def clear(olt: str | None = None) -> dict[str, str]:
        _guard(lambda: control.clear_faults(olt))
        return {"status": "ok"}

    @app.post("/reset")
    def reset() -> dict[str, str]:
        control.reset()
        return {"status": "ok"}

    return app
