"""ZTE ZXA10 C300/C320 output → result dataclasses, via our templates (ntc-templates has no ZTE ONU
commands, reference §5)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from ponaccept.drivers.errors import DoesNotExist, NoInformation, UnparsedOutput, classify
from ponaccept.drivers.parsing import parse_rows, text_or_none, to_float, to_int
from ponaccept.drivers.results import ConfiguredOnu, OnuOptics, OnuState, PonTx, RunState

PLATFORM: Final = "zte_zxros"

_PHASES: Final = {
    "working": RunState.ONLINE,
    "los": RunState.LOS,
    "dyinggasp": RunState.DYING_GASP,
    "dying-gasp": RunState.DYING_GASP,
    "offline": RunState.OFFLINE,
}


def run_state(phase: str) -> RunState:
    """ZTE ``Phase State`` (``working``, ``LOS``, ``DyingGasp``, ``OffLine``, ``syncMib``…)."""
    return _PHASES.get(phase.strip().lower(), RunState.OTHER)


def _rows(command: str, output: str) -> list[dict[str, str]]:
    return parse_rows(PLATFORM, command, output)


# Headers (or the interface line of a running-config) that prove a listing was printed without rows.
_EMPTY_MARKERS: Final = re.compile(
    r"^\s*(Onu\s+\S+\s+power|OnuIndex\s+Admin|interface\s+gpon-olt_)", re.I | re.M
)


def _listing(command: str, output: str) -> list[dict[str, str]]:
    """Rows of a per-port listing; ``%Code … No related information to show`` or a bare header is an
    empty listing, anything else without rows is unparsed."""
    if isinstance(classify(output, command), NoInformation):
        return []
    rows = _rows(command, output)
    if not rows and not _EMPTY_MARKERS.search(output):
        raise UnparsedOutput("listing has no rows, no header and no 'nothing to show' reply", command, output)
    return rows


def _onu_id(row: dict[str, str], command: str, output: str) -> int:
    value = to_int(row.get("onu_id"))
    if value is None:
        raise UnparsedOutput(f"bad ONU id in {row!r}", command, output)
    return value


def parse_attenuation(command: str, output: str, ont_id: int) -> OnuOptics:
    """``show pon power attenuation gpon-onu_R/S/P:N``: the four powers of one ONU (N/A → None)."""
    rows = _rows(command, output)
    up = next((r for r in rows if r["olt_rx"] or r["onu_tx"]), None)
    down = next((r for r in rows if r["olt_tx"] or r["onu_rx"]), None)
    if up is None and down is None:
        raise UnparsedOutput("no up/down rows in attenuation output", command, output)
    return OnuOptics(
        ont_id=ont_id,
        onu_rx_dbm=to_float(down["onu_rx"]) if down else None,
        onu_tx_dbm=to_float(up["onu_tx"]) if up else None,
        olt_rx_dbm=to_float(up["olt_rx"]) if up else None,
        olt_tx_dbm=to_float(down["olt_tx"]) if down else None,
    )


def parse_power_table(command: str, output: str) -> dict[int, float | None]:
    """``show pon power onu-rx|onu-tx|olt-rx gpon-olt_R/S/P``: ONU id → dBm (None for N/A)."""
    return {_onu_id(r, command, output): to_float(r["power"]) for r in _listing(command, output)}


def parse_port_optics(commands: Sequence[str], outputs: Sequence[str]) -> tuple[OnuOptics, ...]:
    """Merge the onu-rx, onu-tx and olt-rx tables (in that order) into one entry per ONU."""
    onu_rx, onu_tx, olt_rx = (parse_power_table(c, o) for c, o in zip(commands, outputs, strict=True))
    ids = sorted(set(onu_rx) | set(onu_tx) | set(olt_rx))
    return tuple(OnuOptics(i, onu_rx.get(i), onu_tx.get(i), olt_rx.get(i)) for i in ids)


def parse_olt_tx(command: str, output: str) -> PonTx:
    """``show pon power olt-tx gpon-olt_R/S/P`` [?]: the first channel's Tx power."""
    rows = _rows(command, output)
    if not rows:
        raise UnparsedOutput("no Tx power row", command, output)
    return PonTx(tx_dbm=to_float(rows[0]["tx_power"]))


def parse_onu_state(command: str, output: str, ont_id: int) -> OnuState:
    """The ONU's row of ``show gpon onu state gpon-olt_R/S/P``; no row → DoesNotExist."""
    for row in _listing(command, output):
        if _onu_id(row, command, output) == ont_id:
            return OnuState(
                ont_id=ont_id,
                run_state=run_state(row["phase_state"]),
                run_state_raw=row["phase_state"],
                config_state=text_or_none(row["admin_state"]),
                match_state=text_or_none(row["omcc_state"]),
            )
    raise DoesNotExist(f"ONU {ont_id} not in the state listing", command, output)


def parse_onu_list(command: str, output: str) -> tuple[ConfiguredOnu, ...]:
    """``onu N type T sn|pw X`` lines of the gpon-olt running-config. Names are not in this output
    (``description=None``); passwords are dropped, SNs kept."""
    result = []
    for row in _listing(command, output):
        mode = row["auth_mode"]
        result.append(
            ConfiguredOnu(
                ont_id=_onu_id(row, command, output),
                description=None,
                auth=mode,
                serial=row["auth_value"] if mode == "sn" else None,
                onu_type=text_or_none(row["onu_type"]),
            )
        )
    return tuple(result)


def parse_onu_detail(command: str, output: str, ont_id: int) -> ConfiguredOnu:
    """``show gpon onu detail-info gpon-onu_R/S/P:N``: Name (falling back to Description), type, SN."""
    rows = [r for r in _rows(command, output) if r["name"] or r["description"] or r["type"]]
    if not rows:
        raise UnparsedOutput("no Name/Description/Type in detail-info", command, output)
    row = rows[0]
    if row["onu_id"] and _onu_id(row, command, output) != ont_id:
        raise UnparsedOutput(f"detail-info is about ONU {row['onu_id']}, asked {ont_id}", command, output)
    return ConfiguredOnu(
        ont_id=ont_id,
        description=text_or_none(row["name"]) or text_or_none(row["description"]),
        auth=text_or_none(row["auth_mode"]),
        serial=text_or_none(row["serial"]),
        onu_type=text_or_none(row["type"]),
        run_state=text_or_none(row["phase_state"]),
    )
