"""Huawei SmartAX output → result dataclasses, via the TextFSM templates (``parsing.py``).

Every parser raises :class:`UnparsedOutput` when the template yields nothing usable, so a reply that is
neither a known failure nor the expected table can never pass as a reading.
"""

from __future__ import annotations

import re
from typing import Final

from ponaccept.drivers.base import PonPort
from ponaccept.drivers.errors import DoesNotExist, NoInformation, UnparsedOutput, classify
from ponaccept.drivers.parsing import parse_rows, text_or_none, to_float, to_int
from ponaccept.drivers.results import (
    ConfiguredOnu,
    OntAddResult,
    OnuOptics,
    OnuState,
    PonTx,
    RunState,
    ServicePort,
)

PLATFORM: Final = "huawei_smartax"

# Headers that prove a listing was printed even when it has no rows.
_OPTICS_TABLE: Final = re.compile(r"ONT\s+Rx\s*power\s+Tx\s*power", re.IGNORECASE)
_ONT_TABLE: Final = re.compile(r"F/S/P\s+ONT\s+SN\s+Control", re.IGNORECASE)
_SERVICE_TABLE: Final = re.compile(r"INDEX\s+VLAN\s+VLAN\s+PORT", re.IGNORECASE)


def _rows(command: str, output: str) -> list[dict[str, str]]:
    return parse_rows(PLATFORM, command, output)


def _listing(command: str, output: str, header: re.Pattern[str]) -> list[dict[str, str]]:
    """Rows of a listing; [] only for a recognised "nothing to list" (reply or bare header).

    On a PON port without ONTs the MA5800 answers a whole-port listing (``… all``) with ``Failure: The
    ONT does not exist``: for a listing that means "none", not an error.
    """
    error = classify(output, command)
    if isinstance(error, NoInformation) or (
        isinstance(error, DoesNotExist) and command.split()[-1:] == ["all"]
    ):
        return []
    rows = _rows(command, output)
    if not rows and not header.search(output):
        raise UnparsedOutput("listing has neither rows nor its header", command, output)
    return rows


def _one(command: str, output: str, key: str) -> dict[str, str]:
    rows = [r for r in _rows(command, output) if r.get(key)]
    if not rows:
        raise UnparsedOutput(f"no {key} in output", command, output)
    return rows[0]


def run_state(raw: str) -> RunState:
    """Huawei ``Run state`` (``online``/``offline``) and the ``Last down cause`` words seen with it."""
    value = raw.strip().lower()
    if value == "online":
        return RunState.ONLINE
    if value == "offline":
        return RunState.OFFLINE
    if value in {"los", "lofi", "losi"}:
        return RunState.LOS
    if value in {"dying-gasp", "dying_gasp"}:
        return RunState.DYING_GASP
    return RunState.OTHER


def parse_onu_optics(command: str, output: str, ont_id: int) -> OnuOptics:
    """Single-ONT ``display ont optical-info P ID`` (our template; ``-`` values become None)."""
    row = _one(command, output, "rx_power")
    return OnuOptics(
        ont_id=ont_id,
        onu_rx_dbm=to_float(row["rx_power"]),
        onu_tx_dbm=to_float(row["tx_power"]),
        olt_rx_dbm=to_float(row["olt_rx_power"]),
        temperature_c=to_float(row["temperature"]),
        voltage_v=to_float(row["voltage"]),
        bias_ma=to_float(row["bias_current"]),
    )


def parse_port_optics(command: str, output: str) -> tuple[OnuOptics, ...]:
    """``display ont optical-info P all`` (ntc template), one entry per listed ONT."""
    result = []
    for row in _listing(command, output, _OPTICS_TABLE):
        ont_id = to_int(row["ont_id"])
        if ont_id is None:
            raise UnparsedOutput(f"bad ONT-ID {row['ont_id']!r}", command, output)
        result.append(
            OnuOptics(
                ont_id=ont_id,
                onu_rx_dbm=to_float(row["rx_power"]),
                onu_tx_dbm=to_float(row["tx_power"]),
                olt_rx_dbm=to_float(row["olt_rx_ont"]),
                temperature_c=to_float(row["temperature"]),
                voltage_v=to_float(row["voltage"]),
                bias_ma=to_float(row["current"]),
                distance_m=to_int(row["distance"]),
            )
        )
    return tuple(result)


def parse_pon_tx(command: str, output: str) -> PonTx:
    """``display port state P`` (our template): the PON port's ``TX power(dBm)``."""
    row = _one(command, output, "tx_power")
    return PonTx(tx_dbm=to_float(row["tx_power"]), laser_state=text_or_none(row["laser_state"]))


def _detail(command: str, output: str, ont_id: int) -> dict[str, str]:
    row = _one(command, output, "ont_id")
    if to_int(row["ont_id"]) != ont_id:
        raise UnparsedOutput(f"output is about ONT {row['ont_id']}, asked {ont_id}", command, output)
    if not row.get("run_state"):
        raise UnparsedOutput("no Run state in ONT info", command, output)
    return row


def parse_onu_state(command: str, output: str, ont_id: int) -> OnuState:
    """``display ont info F S P ID`` (ntc detail template)."""
    row = _detail(command, output, ont_id)
    return OnuState(
        ont_id=ont_id,
        run_state=run_state(row["run_state"]),
        run_state_raw=row["run_state"],
        config_state=text_or_none(row.get("config_state")),
        match_state=text_or_none(row.get("match_state")),
        description=text_or_none(row.get("description")),
        auth=text_or_none(row.get("authentic_type")),
        serial=_serial(row.get("serial_number")),
    )


def parse_configured_onu(command: str, output: str, ont_id: int) -> ConfiguredOnu:
    """The same detail output, as a reconciliation entry."""
    row = _detail(command, output, ont_id)
    return ConfiguredOnu(
        ont_id=ont_id,
        description=text_or_none(row.get("description")),
        auth=text_or_none(row.get("authentic_type")),
        serial=_serial(row.get("serial_number")),
        run_state=text_or_none(row.get("run_state")),
    )


def _serial(text: str | None) -> str | None:
    # Newer firmware prints ``48575443655C13A0 (HWTC-655C13A0)`` (§1.5): keep the hex SN only.
    # A password-auth ONT that never came online shows sixteen zeros: no SN known.
    value = text_or_none(text)
    if value is None or set(value.split()[0]) == {"0"}:
        return None
    return value.split()[0]


def parse_onu_list(command: str, output: str) -> tuple[ConfiguredOnu, ...]:
    """``display ont info F S P all`` (ntc table + description templates, merged on F/S/P + ONT-ID)."""
    result = []
    for row in _listing(command, output, _ONT_TABLE):
        ont_id = to_int(row["ont_id"])
        if ont_id is None:
            raise UnparsedOutput(f"bad ONT-ID {row['ont_id']!r}", command, output)
        result.append(
            ConfiguredOnu(
                ont_id=ont_id,
                description=text_or_none(row.get("description")),
                serial=_serial(row.get("serial_number")),
                run_state=text_or_none(row.get("run_state")),
            )
        )
    return tuple(result)


def parse_service_ports(command: str, output: str) -> tuple[ServicePort, ...]:
    """``display service-port port F/S/P`` (our template)."""
    result = []
    for row in _listing(command, output, _SERVICE_TABLE):
        values = [to_int(row[k]) for k in ("index", "vlan_id", "ont_id", "gem_index")]
        index, svlan, ont_id, gemport = values
        if index is None or svlan is None or ont_id is None or gemport is None:
            raise UnparsedOutput(f"incomplete service-port row {row!r}", command, output)
        result.append(
            ServicePort(
                index=index,
                svlan=svlan,
                fsp=PonPort.parse(row["fsp"]).fsp,
                ont_id=ont_id,
                gemport=gemport,
                user_vlan=to_int(row["flow_para"]),
                state=text_or_none(row["state"]),
            )
        )
    return tuple(result)


def parse_ont_add(command: str, output: str) -> OntAddResult:
    """``ont add`` reply (ntc template); PortID/ONTID are None when the firmware omits that line."""
    row = _one(command, output, "success")
    addable, success = to_int(row["onts"]), to_int(row["success"])
    if addable is None or success is None:
        raise UnparsedOutput("ont add reply without counts", command, output)
    return OntAddResult(addable, success, to_int(row["port_id"]), to_int(row["ont_id"]))
