"""The pure text layer of the simulated ZTE ZXA10 C300/C320 CLI: command-line grammar and output rendering.

:func:`match_command` resolves a typed line against command forms with the real CLI's unique-prefix
keywords. Every renderer returns a list of output lines (no line terminators): the dialect joins them, the
transport pages them and sends ``\\r\\n``. Keeping rendering free of model and session state lets the exact
column layout be unit-tested against the transcripts in ``reference/vendor-cli-snmp.md`` §2, which client
parsers (ours and third-party) rely on to the column.

Layout sources and assumptions
    * ``show pon power attenuation``, ``show pon power onu-rx`` and ``show gpon onu state``: verbatim
      transcripts [T]. Blank separator lines are truly empty; rows carry no trailing spaces.
    * A missing reading prints ``N/A`` in place of ``<value>(dbm)`` / ``<value>(dB)`` (the reference shows
      bare ``N/A`` in ``onu-rx`` tables; we use the same token in the attenuation table) [assumption].
    * ``olt-rx``/``onu-tx`` tables reuse the ``onu-rx`` layout with their column title; ``olt-tx`` uses the
      ``Channel             Tx power`` header [?] with the 36-dash rule of the other power tables.
    * ``show gpon onu detail-info``, ``show running-config interface …``, ``show gpon onu by sn`` and
      ``show gpon onu baseinfo`` are not in the reference; they follow the common C300 V2.x shape (two-space
      indented ``Label:`` fields, ``!``-separated configuration blocks) [assumption]. The reconciler lists
      configured ONUs with ``show running-config interface gpon-olt_R/S/P`` (``onu N type T sn S|pw P``) and
      reads name/description per ONU with ``show gpon onu detail-info gpon-onu_R/S/P:N``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from ponaccept.sim.topology import PonKey, normalize_sn, sn_readable

# Error and status strings. ``ONU_NOT_EXIST`` and ``NO_INFO`` are from the reference; the others are
# assumptions in the same ``%Code <n>-GPONSRV : <text>`` style (no transcript shows them).
NO_INFO = "%Code 32310-GPONSRV : No related information to show."
ONU_NOT_EXIST = "%Code 32310-GPONSRV : The ONU does not exist."
ONU_ID_EXISTS = "%Code 32302-GPONSRV : The ONU ID has been used."
ONU_SN_EXISTS = "%Code 32303-GPONSRV : The SN has been registered."
ONU_PW_EXISTS = "%Code 32304-GPONSRV : The password has been registered."
SERVICE_PORT_EXISTS = "%Code 32320-GPONSRV : The service port has been configured."
SERVICE_PORT_NOT_EXIST = "%Code 32321-GPONSRV : The service port does not exist."
SERVICE_PORT_VLAN_MISSING = "%Code 32322-GPONSRV : The VLAN does not exist."
ONU_HAS_SERVICE = "%Code 32311-GPONSRV : The ONU has service configuration, please delete it first."
TCONT_NOT_EXIST = "%Code 32330-GPONSRV : The T-CONT does not exist."
SYSTEM_BUSY = "%Code 32270-GPONSRV : System is busy, please try later."
ENABLE_REFUSED = "% Bad password"
LOGIN_REFUSED = "%Error 20100: The number of users has reached the upper limit, please try later."
INVALID_COMMAND = "%Error 20200: Invalid command"
INVALID_PARAMETER = "%Error 20202: Invalid parameter"

MORE = "--More--"
MORE_ERASE = "\b" * 8 + " " * 8 + "\b" * 8
"""What the C300 writes after a key press at ``--More--`` so the pager text disappears."""

_POWER_RULE = "-" * 36
_ATTENUATION_HEADER = "           OLT                  ONU              Attenuation"
_ATTENUATION_RULE = "-" * 74
_STATE_HEADER = "OnuIndex               Admin State  OMCC State   O7 State     Phase State"
_STATE_RULE = "-" * 76
_DETAIL_LABEL_WIDTH = 22


def olt_if(pon: str) -> str:
    """``"1/2/1"`` → ``"gpon-olt_1/2/1"``."""
    return f"gpon-olt_{pon}"


def onu_if(pon: str, onu_id: int) -> str:
    """``("1/2/1", 5)`` → ``"gpon-onu_1/2/1:5"``."""
    return f"gpon-onu_{pon}:{onu_id}"


_OLT_IF_RE = re.compile(r"^gpon-olt_(\d+)/(\d+)/(\d+)$", re.IGNORECASE)
_ONU_IF_RE = re.compile(r"^gpon-onu_(\d+)/(\d+)/(\d+):(\d+)$", re.IGNORECASE)


def parse_olt_if(text: str) -> PonKey | None:
    """``"gpon-olt_1/2/1"`` → ``(1, 2, 1)``; ``None`` when it is not a C300 PON interface name."""
    m = _OLT_IF_RE.match(text)
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def parse_onu_if(text: str) -> tuple[PonKey, int] | None:
    """``"gpon-onu_1/2/1:5"`` → ``((1, 2, 1), 5)``; ``None`` when malformed."""
    m = _ONU_IF_RE.match(text)
    return ((int(m[1]), int(m[2]), int(m[3])), int(m[4])) if m else None


# ------------------------------------------------------------------------------------------ command grammar
H = TypeVar("H")


@dataclass(frozen=True)
class Command(Generic[H]):
    """One command form: ``words`` are keywords or placeholders ``<olt> <onu> <n> <word> <sn> <rest>``.

    ``modes`` are the CLI modes it is valid in; ``handler`` is whatever the session calls with the parsed
    placeholder values (PonKey for ``<olt>``, ``(PonKey, id)`` for ``<onu>``, int, SN hex, str).
    """

    modes: frozenset[str]
    words: tuple[str, ...]
    handler: H


def _parse_arg(kind: str, token: str) -> object | None:
    if kind == "<n>":
        return int(token) if token.isdigit() else None
    if kind == "<olt>":
        return parse_olt_if(token)
    if kind == "<onu>":
        return parse_onu_if(token)
    if kind == "<sn>":
        try:
            return normalize_sn(token)
        except ValueError:
            return None
    return token  # <word>


def match_command(commands: Sequence[Command[H]], line: str) -> tuple[Command[H], list[object]] | str:
    """Resolve ``line`` against ``commands`` with unique-prefix keywords; the error line if it fails.

    A keyword beats a placeholder at the same position (``no onu 5`` is never ``no <word>``), and among
    keywords an exact match beats prefixes, so ``onu`` is not ambiguous with ``onu-rx``.
    """
    spans = [(m.start(), m.group()) for m in re.finditer(r"\S+", line)]
    alive: list[tuple[Command[H], list[object], bool]] = [(c, [], False) for c in commands]
    for i, (start, token) in enumerate(spans):
        low = token.lower()
        keywords = {
            c.words[i]
            for c, _, done in alive
            if not done and i < len(c.words) and not c.words[i].startswith("<")
        }
        prefixed = [k for k in keywords if k.startswith(low)]
        chosen = low if low in keywords else (prefixed[0] if len(prefixed) == 1 else None)
        rejected = False
        survivors: list[tuple[Command[H], list[object], bool]] = []
        for cmd, args, done in alive:
            if done:
                survivors.append((cmd, args, done))
            elif i >= len(cmd.words):
                continue
            elif not cmd.words[i].startswith("<"):
                if cmd.words[i] == chosen:
                    survivors.append((cmd, args, False))
            elif cmd.words[i] == "<rest>":
                survivors.append((cmd, [*args, line[start:].strip()], True))
            elif chosen is None:
                value = _parse_arg(cmd.words[i], token)
                if value is None:
                    rejected = True
                else:
                    survivors.append((cmd, [*args, value], False))
        if not survivors:
            return INVALID_PARAMETER if rejected else INVALID_COMMAND
        alive = survivors
    for cmd, args, done in alive:
        if done or len(cmd.words) == len(spans):
            return cmd, args
    return INVALID_COMMAND


# ------------------------------------------------------------------------------------------ output
def _dbm(value: float | None) -> str:
    return "N/A" if value is None else f"{value:.3f}(dbm)"


def _db(a: float | None, b: float | None) -> str:
    """Attenuation ``a − b`` from the values as printed, so a reader can recompute it exactly."""
    if a is None or b is None:
        return "N/A"
    return f"{round(a, 3) - round(b, 3):.3f}(dB)"


@dataclass(frozen=True)
class LinkPowers:
    """One ONU's link as ``show pon power attenuation`` sees it; ``None`` = no reading (offline/LOS)."""

    olt_rx: float | None
    onu_tx: float | None
    olt_tx: float | None
    onu_rx: float | None


def render_attenuation(p: LinkPowers) -> list[str]:
    """``show pon power attenuation gpon-onu_R/S/P:N`` (up = OLT Rx / ONU Tx, down = OLT Tx / ONU Rx)."""
    up = f" {'up':<8}{'Rx :' + _dbm(p.olt_rx):<22}{'Tx:' + _dbm(p.onu_tx):<21}{_db(p.onu_tx, p.olt_rx)}"
    down = f" {'down':<8}{'Tx :' + _dbm(p.olt_tx):<22}{'Rx:' + _dbm(p.onu_rx):<21}{_db(p.olt_tx, p.onu_rx)}"
    return [_ATTENUATION_HEADER, _ATTENUATION_RULE, up, "", down]


POWER_COLUMN = {"onu-rx": "Rx power", "onu-tx": "Tx power", "olt-rx": "Rx power"}
"""Column title per ``show pon power <kind> gpon-olt_…`` table."""


def render_port_powers(kind: str, rows: Sequence[tuple[str, float | None]]) -> list[str]:
    """``show pon power onu-rx|onu-tx|olt-rx gpon-olt_R/S/P``: one row per configured ONU interface."""
    lines = [f"{'Onu':<20}{POWER_COLUMN[kind]}", _POWER_RULE]
    lines.extend(f"{name:<20}{_dbm(value)}" for name, value in rows)
    return lines


def render_olt_tx(tx_dbm: float | None) -> list[str]:
    """``show pon power olt-tx gpon-olt_R/S/P``: the PON port's own launch power (one GPON channel)."""
    return [f"{'Channel':<20}Tx power", _POWER_RULE, f"{'1(GPON)':<20}{_dbm(tx_dbm)}"]


@dataclass(frozen=True)
class OnuStateRow:
    """One ``show gpon onu state`` row. ``phase`` is ``working``, ``LOS``, ``DyingGasp`` or ``OffLine``."""

    name: str
    admin: str
    omcc: str
    o7: str
    phase: str


def state_row(name: str, phase: str, admin_enabled: bool = True) -> OnuStateRow:
    """The OMCC/O7 columns follow from the phase: only a ``working`` ONU has an OMCI channel and is in O5."""
    online = phase == "working"
    return OnuStateRow(
        name=name,
        admin="enable" if admin_enabled else "disable",
        omcc="enable" if online else "disable",
        o7="operation" if online else "unknown",
        phase=phase,
    )


def render_onu_state(rows: Sequence[OnuStateRow]) -> list[str]:
    """``show gpon onu state gpon-olt_R/S/P [N]``."""
    lines = [_STATE_HEADER, _STATE_RULE]
    lines.extend(f"{r.name:<23}{r.admin:<13}{r.omcc:<13}{r.o7:<13}{r.phase}" for r in rows)
    return lines


@dataclass(frozen=True)
class OnuConfig:
    """What the OLT holds for one configured ONU: the ``onu`` line and its ``interface gpon-onu`` block."""

    pon: str
    onu_id: int
    onu_type: str
    sn_hex: str | None = None
    password: str | None = None
    name: str = ""
    description: str = ""
    tconts: Sequence[tuple[int, str]] = ()
    gemports: Sequence[tuple[int, int]] = ()
    service_ports: Sequence[tuple[int, int, int, int, int | None]] = ()
    """``(index, vport, user_vlan, vlan, svlan)``."""
    mng_lines: Sequence[str] = field(default_factory=tuple)
    """``pon-onu-mng`` commands as typed (shown by ``show onu running config``)."""

    @property
    def auth_words(self) -> str:
        """``sn ZTEGC0000001`` or ``pw <password>`` as in the ``onu`` command that created it."""
        if self.sn_hex is not None:
            return f"sn {sn_readable(self.sn_hex)}"
        return f"pw {self.password or ''}"


def render_running_config_olt(pon: str, onus: Sequence[OnuConfig]) -> list[str]:
    """``show running-config interface gpon-olt_R/S/P``: the ONU registrations on that PON port."""
    lines = ["Building configuration...", f"interface {olt_if(pon)}", "  no shutdown", "  linktrap disable"]
    lines.extend(f"  onu {o.onu_id} type {o.onu_type} {o.auth_words}" for o in sorted(onus, key=_by_id))
    lines.extend(["!", "end"])
    return lines


def render_running_config_onu(onu: OnuConfig) -> list[str]:
    """``show running-config interface gpon-onu_R/S/P:N``: the ONU's line configuration."""
    lines = ["Building configuration...", f"interface {onu_if(onu.pon, onu.onu_id)}"]
    if onu.name:
        lines.append(f"  name {onu.name}")
    if onu.description:
        lines.append(f"  description {onu.description}")
    lines.extend(f"  tcont {t} profile {profile}" for t, profile in onu.tconts)
    lines.extend(f"  gemport {g} unicast tcont {t} dir both" for g, t in onu.gemports)
    for index, vport, user_vlan, vlan, svlan in onu.service_ports:
        qinq = f" svlan {svlan}" if svlan is not None else ""
        lines.append(f"  service-port {index} vport {vport} user-vlan {user_vlan} vlan {vlan}{qinq}")
    lines.extend(["!", "end"])
    return lines


def render_onu_mng_config(onu: OnuConfig) -> list[str]:
    """``show onu running config gpon-onu_R/S/P:N``: the ``pon-onu-mng`` (OMCI) side."""
    lines = [f"pon-onu-mng {onu_if(onu.pon, onu.onu_id)}"]
    lines.extend(f"  {line}" for line in onu.mng_lines)
    lines.append("!")
    return lines


def _field(label: str, value: str) -> str:
    return f"  {label + ':':<{_DETAIL_LABEL_WIDTH}}{value}".rstrip()


def render_detail_info(onu: OnuConfig, phase: str, distance_m: int | None, online_s: int | None) -> list[str]:
    """``show gpon onu detail-info gpon-onu_R/S/P:N``: identity, state and ranging of one ONU."""
    online = phase == "working"
    if online_s is None or not online:
        duration = "0h 0m 0s"
    else:
        duration = f"{online_s // 3600}h {online_s % 3600 // 60}m {online_s % 60}s"
    return [
        _field("ONU interface", onu_if(onu.pon, onu.onu_id)),
        _field("Name", onu.name),
        _field("Type", onu.onu_type),
        _field("State", "ready"),
        _field("Configured channel", "1(GPON)"),
        _field("Current channel", "1(GPON)"),
        _field("Admin state", "enable"),
        _field("Phase state", phase),
        _field("Config state", "success"),
        _field("Authentication mode", "sn" if onu.sn_hex is not None else "pw"),
        _field("Serial number", sn_readable(onu.sn_hex) if onu.sn_hex else ""),
        _field("Password", onu.password or ""),
        _field("Description", onu.description),
        _field("Vport mode", "gemport"),
        _field("ONU Status", "enable"),
        _field("ONU Distance", f"{distance_m}m" if online and distance_m is not None else "N/A"),
        _field("Online Duration", duration),
    ]


def render_by_sn(matches: Sequence[str]) -> list[str]:
    """``show gpon onu by sn <SN>``: the ONU interfaces registered with that SN (empty → ``NO_INFO``)."""
    if not matches:
        return [NO_INFO]
    return ["SearchResult", "-----------------", *matches]


def render_baseinfo(onus: Sequence[OnuConfig], phases: Sequence[str]) -> list[str]:
    """``show gpon onu baseinfo gpon-olt_R/S/P``: one row per configured ONU with its authentication."""
    lines = [f"{'OnuIndex':<18}{'Type':<14}{'Mode':<6}{'AuthInfo':<24}State", "-" * 70]
    for onu, phase in zip(onus, phases, strict=True):
        auth = f"SN:{sn_readable(onu.sn_hex)}" if onu.sn_hex else f"PW:{onu.password or ''}"
        mode = "sn" if onu.sn_hex else "pw"
        state = "ready" if phase == "working" else "offline"
        lines.append(f"{onu_if(onu.pon, onu.onu_id):<18}{onu.onu_type:<14}{mode:<6}{auth:<24}{state}")
    return lines


def render_uncfg(rows: Sequence[tuple[str, str]]) -> list[str]:
    """``show gpon onu uncfg [gpon-olt_…]``: ``(interface, sn_hex)`` of ONUs seen but not configured."""
    if not rows:
        return [NO_INFO]
    lines = [f"{'OnuIndex':<25}{'Sn':<20}State", "-" * 69]
    lines.extend(f"{name:<25}{sn_readable(sn):<20}unknown" for name, sn in rows)
    return lines


def _by_id(onu: OnuConfig) -> int:
    return onu.onu_id
