"""ZTE ZXA10 C300/C320 CLI dialect (netmiko ``zte_zxros``), registered as topology dialect ``zte_c300``.

Modes and prompts (reference §2): ``ZXAN>`` → ``enable`` → ``ZXAN#`` → ``configure terminal`` →
``ZXAN(config)#`` → ``interface gpon-olt_R/S/P`` or ``interface gpon-onu_R/S/P:N`` → ``ZXAN(config-if)#``
(the same prompt for both, as djing2 expects) and ``pon-onu-mng gpon-onu_…`` → ``ZXAN(gpon-onu-mng)#``.
``exit`` goes up one level and logs out from ``>``/``#``; ``end`` returns to ``#``.

Keywords may be abbreviated to any unique prefix (``conf t``, ``sh gpon onu st``), as on the real CLI and in
djing2's scripts. Replies to errors (choices documented in :mod:`.zte_render`): an unknown, ambiguous or
incomplete command gives ``%Error 20200: Invalid command``; a malformed or out-of-range argument (bad
interface name, ONU id outside 1..128, unknown PON port) gives ``%Error 20202: Invalid parameter``; model
errors map to ``%Code …-GPONSRV`` lines. Successful configuration commands print nothing.

``enable`` asks ``Password:`` only when the topology sets ``enable_password`` (older firmware, usually
``zxr10``); otherwise it enters ``#`` at once. A wrong secret answers ``% Bad password`` [assumption] and
stays at ``>``.

The model keeps one free-text field per ONT (``desc``); ZTE's ``name`` maps to it (it is what the Huawei
dialect shows as the ONT description and what the SNMP agent serves). ``description`` and the
``pon-onu-mng`` lines have no model field, so they live in a side table tied to the ONT entry object's
lifetime (they vanish with ``no onu`` or a model reset, like the entry itself).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ponaccept.sim import errors
from ponaccept.sim.dialects import zte_render as r
from ponaccept.sim.dialects.base import Dialect, Reply, register_dialect
from ponaccept.sim.model_core import local_now
from ponaccept.sim.state import OltState, OntEntry, ServicePort
from ponaccept.sim.topology import PonKey, fsp_str

if TYPE_CHECKING:
    from ponaccept.sim.model import LabModel

USER, ENABLE, CONFIG, IF_OLT, IF_ONU, ONU_MNG = "user", "enable", "config", "if-olt", "if-onu", "onu-mng"
_PROMPT_SUFFIX = {
    USER: ">",
    ENABLE: "#",
    CONFIG: "(config)#",
    IF_OLT: "(config-if)#",
    IF_ONU: "(config-if)#",
    ONU_MNG: "(gpon-onu-mng)#",
}
_CONFIG_MODES = frozenset({CONFIG, IF_OLT, IF_ONU, ONU_MNG})
_PRIV_MODES = _CONFIG_MODES | {ENABLE}
_ALL_MODES = _PRIV_MODES | {USER}
ONU_ID_RANGE = range(1, 129)
"""C300 GPON ONU ids per PON port."""
_TCONT_RANGE = range(1, 9)
_VLAN_RANGE = range(1, 4095)

_ERROR_TEXT: dict[type[errors.LabError], str] = {
    errors.SystemBusy: r.SYSTEM_BUSY,
    errors.OntIdExists: r.ONU_ID_EXISTS,
    errors.SnExists: r.ONU_SN_EXISTS,
    errors.PasswordExists: r.ONU_PW_EXISTS,
    errors.OntNotFound: r.ONU_NOT_EXIST,
    errors.OntHasServicePorts: r.ONU_HAS_SERVICE,
    errors.VlanNotFound: r.SERVICE_PORT_VLAN_MISSING,
    errors.ServicePortExists: r.SERVICE_PORT_EXISTS,
    errors.ServicePortNotFound: r.SERVICE_PORT_NOT_EXIST,
    errors.OntIdOutOfRange: r.INVALID_PARAMETER,
    errors.PonPortNotFound: r.INVALID_PARAMETER,
}


# ------------------------------------------------------------------------------------------ side table
@dataclass
class ZteOnuExtra:
    """ZTE-only per-ONU configuration the vendor-neutral model does not hold."""

    description: str = ""
    mng_lines: list[str] = field(default_factory=list)


_EXTRAS: dict[int, tuple[weakref.ref[OntEntry], ZteOnuExtra]] = {}


def onu_extra(entry: OntEntry) -> ZteOnuExtra:
    """The side-table record of ``entry`` (created on first use, dropped when the entry is garbage)."""
    key = id(entry)
    hit = _EXTRAS.get(key)
    if hit is not None and hit[0]() is entry:
        return hit[1]
    extra = ZteOnuExtra()
    _EXTRAS[key] = (weakref.ref(entry, _forget(key)), extra)
    return extra


def _forget(key: int) -> Callable[[weakref.ref[OntEntry]], None]:
    def drop(_ref: weakref.ref[OntEntry]) -> None:
        _EXTRAS.pop(key, None)

    return drop


# ------------------------------------------------------------------------------------------ dispatch
Handler = Callable[["ZteC300", list[object]], Reply]
Command = r.Command[Handler]


def _lines(lines: Sequence[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


def _err(text: str) -> Reply:
    return Reply(text=f"{text}\n")


# ------------------------------------------------------------------------------------------ dialect
@register_dialect("zte_c300")
class ZteC300(Dialect):
    """One CLI session on a simulated ZTE C300/C320."""

    pager = r.MORE
    pager_erase = r.MORE_ERASE
    login_refused_text = f"\n{r.LOGIN_REFUSED}\n"
    commands: ClassVar[Sequence[Command]] = ()  # set below the class: the handlers are its methods

    def __init__(self, olt: OltState, model: LabModel, username: str) -> None:
        super().__init__(olt, model, username)
        self.mode = USER
        self.pon: PonKey | None = None
        self.onu_id: int | None = None
        self._line = ""

    # ---------------------------------------------------------------- session basics
    def prompt(self) -> str:
        return f"{self.olt.hostname}{_PROMPT_SUFFIX[self.mode]}"

    def handle(self, line: str) -> Reply:
        text = line.strip()
        if not text or text.startswith("!"):
            return Reply()
        self._line = text
        usable = [c for c in self.commands if self.mode in c.modes]
        found = r.match_command(usable, text)
        if isinstance(found, str):
            return _err(found)
        cmd, args = found
        try:
            return cmd.handler(self, args)
        except errors.LabError as exc:
            return _err(_ERROR_TEXT.get(type(exc), r.INVALID_PARAMETER))

    def _enable(self, _: list[object]) -> Reply:
        if self.mode != USER:
            return Reply()
        secret = self.olt.spec.enable_password
        if not secret:
            self.mode = ENABLE
            return Reply()

        def check(answer: str) -> Reply:
            if answer.strip() == secret:
                self.mode = ENABLE
                return Reply()
            return _err(r.ENABLE_REFUSED)

        return self.ask("Password:", check, secret=True)

    def _disable(self, _: list[object]) -> Reply:
        self.mode = USER
        return Reply()

    def _configure(self, _: list[object]) -> Reply:
        self.mode = CONFIG
        return Reply()

    def _exit(self, _: list[object]) -> Reply:
        if self.mode in (USER, ENABLE):
            return Reply(close=True)
        self.mode = ENABLE if self.mode == CONFIG else CONFIG
        return Reply()

    def _end(self, _: list[object]) -> Reply:
        self.mode = ENABLE
        return Reply()

    def _terminal_length(self, args: list[object]) -> Reply:
        length = int(str(args[0]))
        if length > 512:
            return _err(r.INVALID_PARAMETER)
        self.paging = length > 0
        if length:
            self.page_lines = length
        return Reply()

    def _write(self, _: list[object]) -> Reply:
        return Reply(text="Building configuration...\n[OK]\n")

    # ---------------------------------------------------------------- navigation
    def _port_exists(self, pon: PonKey) -> bool:
        return pon in self.olt.pon_ports

    def _interface_olt(self, args: list[object]) -> Reply:
        pon = _pon(args[0])
        if not self._port_exists(pon):
            return _err(r.INVALID_PARAMETER)
        self.mode, self.pon, self.onu_id = IF_OLT, pon, None
        return Reply()

    def _enter_onu(self, args: list[object], mode: str) -> Reply:
        pon, onu_id = _onu(args[0])
        if not self._port_exists(pon) or onu_id not in ONU_ID_RANGE:
            return _err(r.INVALID_PARAMETER)
        self.model.ont(self.olt.name, pon, onu_id)  # OntNotFound → "The ONU does not exist."
        self.mode, self.pon, self.onu_id = mode, pon, onu_id
        return Reply()

    def _interface_onu(self, args: list[object]) -> Reply:
        return self._enter_onu(args, IF_ONU)

    def _onu_mng(self, args: list[object]) -> Reply:
        return self._enter_onu(args, ONU_MNG)

    # ---------------------------------------------------------------- gpon-olt interface
    def _onu_add(self, args: list[object], auth: str) -> Reply:
        onu_id, onu_type, cred = int(str(args[0])), str(args[1]), str(args[2])
        if onu_id not in ONU_ID_RANGE or self.pon is None:
            return _err(r.INVALID_PARAMETER)
        if auth == "sn":
            self.model.add_ont(self.olt.name, self.pon, onu_id, auth="sn", sn=cred, ont_type=onu_type,
                               first_id=1, max_id=128)  # fmt: skip
        else:
            self.model.add_ont(self.olt.name, self.pon, onu_id, auth="password", password=cred,
                               ont_type=onu_type, first_id=1, max_id=128)  # fmt: skip
        return Reply()

    def _onu_add_pw(self, args: list[object]) -> Reply:
        return self._onu_add(args, "password")

    def _onu_add_sn(self, args: list[object]) -> Reply:
        return self._onu_add(args, "sn")

    def _no_onu(self, args: list[object]) -> Reply:
        onu_id = int(str(args[0]))
        if onu_id not in ONU_ID_RANGE or self.pon is None:
            return _err(r.INVALID_PARAMETER)
        self.model.delete_ont(self.olt.name, self.pon, onu_id, cascade=True)
        return Reply()

    # ---------------------------------------------------------------- gpon-onu interface
    def _entry(self) -> OntEntry:
        assert self.pon is not None and self.onu_id is not None
        return self.model.ont(self.olt.name, self.pon, self.onu_id)

    def _busy(self) -> None:
        """Configuration commands that do not go through a model operation still honour the busy fault."""
        if self.model.take_busy(self.olt.name):
            raise errors.SystemBusy(self.olt.name)

    def _name(self, args: list[object]) -> Reply:
        """``name X`` / ``no name`` (no argument clears it, the undo of ``name X`` in a plan)."""
        entry = self._entry()
        self._busy()
        assert self.pon is not None
        self.model.set_ont_desc(self.olt.name, self.pon, entry.ont_id, str(args[0]) if args else "")
        return Reply()

    def _description(self, args: list[object]) -> Reply:
        """``description X`` / ``no description``."""
        entry = self._entry()
        self._busy()
        with self.model.lock:
            onu_extra(entry).description = str(args[0]) if args else ""
        return Reply()

    def _tcont(self, args: list[object]) -> Reply:
        tcont, profile = int(str(args[0])), str(args[1])
        if tcont not in _TCONT_RANGE:
            return _err(r.INVALID_PARAMETER)
        entry = self._entry()
        self._busy()
        assert self.pon is not None
        self.model.set_ont_tcont(self.olt.name, self.pon, entry.ont_id, tcont, profile)
        return Reply()

    def _gemport(self, args: list[object]) -> Reply:
        gemport, tcont = int(str(args[0])), int(str(args[1]))
        entry = self._entry()
        if tcont not in entry.tconts:
            return _err(r.TCONT_NOT_EXIST)
        self._busy()
        assert self.pon is not None
        self.model.set_ont_gemport(self.olt.name, self.pon, entry.ont_id, gemport, tcont)
        return Reply()

    def _service_port(self, args: list[object]) -> Reply:
        local, vport, user_vlan, vlan = (int(str(a)) for a in args[:4])
        svlan = int(str(args[4])) if len(args) > 4 else None
        if any(v not in _VLAN_RANGE for v in (user_vlan, vlan, svlan or 1)) or not local or not vport:
            return _err(r.INVALID_PARAMETER)
        entry = self._entry()
        assert self.pon is not None
        if any(
            _local_no(sp) == local for sp in self.model.service_ports(self.olt.name, self.pon, entry.ont_id)
        ):
            self._busy()
            return _err(r.SERVICE_PORT_EXISTS)
        self.model.add_service_port(
            self.olt.name,
            index=None,
            svlan=svlan if svlan is not None else vlan,
            pon=self.pon,
            ont_id=entry.ont_id,
            gemport=vport,
            user_vlan=user_vlan,
            tag_transform="translate-and-add" if svlan is not None else "translate",
            inner_vlan=vlan if svlan is not None else None,
            vport=vport,
            local_index=local,
        )
        return Reply()

    def _no_service_port(self, args: list[object]) -> Reply:
        local = int(str(args[0]))
        entry = self._entry()
        assert self.pon is not None
        mine = self.model.service_ports(self.olt.name, self.pon, entry.ont_id)
        hit = [sp for sp in mine if _local_no(sp) == local]
        if not hit:
            self._busy()
            return _err(r.SERVICE_PORT_NOT_EXIST)
        self.model.delete_service_ports(self.olt.name, index=hit[0].index)
        return Reply()

    # ---------------------------------------------------------------- pon-onu-mng
    def _mng_line(self, _: list[object]) -> Reply:
        """Keep a ``pon-onu-mng`` (OMCI) command as typed; the real OLT pushes it to the ONU over OMCI,
        which the lab does not model beyond showing it in ``show onu running config``."""
        entry = self._entry()
        self._busy()
        line = " ".join(self._line.split())
        with self.model.lock:
            lines = onu_extra(entry).mng_lines
            if line not in lines:
                lines.append(line)
        return Reply()

    # ---------------------------------------------------------------- shows
    def _show(self, lines: Sequence[str]) -> Reply:
        return self.paginate(_lines(lines))

    def _port_entries(self, pon: PonKey) -> list[OntEntry]:
        return self.model.onts(self.olt.name, pon)

    def _onu_config(self, pon: PonKey, entry: OntEntry) -> r.OnuConfig:
        with self.model.lock:
            extra = onu_extra(entry)
            sps = self.model.service_ports(self.olt.name, pon, entry.ont_id)
            return r.OnuConfig(
                pon=fsp_str(pon),
                onu_id=entry.ont_id,
                onu_type=entry.ont_type or "ZTE-F660",
                sn_hex=entry.sn if entry.auth == "sn" else None,
                password=entry.password if entry.auth == "password" else None,
                name=entry.desc,
                description=extra.description,
                tconts=sorted(entry.tconts.items()),
                gemports=sorted(entry.gemports.items()),
                service_ports=[
                    (
                        _local_no(sp),
                        sp.vport if sp.vport is not None else sp.gemport,
                        sp.user_vlan,
                        sp.inner_vlan if sp.inner_vlan is not None else sp.svlan,
                        sp.svlan if sp.inner_vlan is not None else None,
                    )
                    for sp in sps
                ],
                mng_lines=tuple(extra.mng_lines),
            )

    def _show_attenuation(self, args: list[object]) -> Reply:
        pon, onu_id = _onu(args[0])
        with self.model.lock:
            entry = self.model.ont(self.olt.name, pon, onu_id)
            olt_tx = self.model.port_optics(self.olt.name, pon).tx_dbm
            o = entry.status.optics if entry.status.online else None
        powers = r.LinkPowers(
            olt_rx=o.olt_rx_dbm if o else None,
            onu_tx=o.tx_dbm if o else None,
            olt_tx=olt_tx,
            onu_rx=o.rx_dbm if o else None,
        )
        return self._show(r.render_attenuation(powers))

    def _show_port_power(self, kind: str, args: list[object]) -> Reply:
        pon = _pon(args[0])
        if kind == "olt-tx":
            return self._show(r.render_olt_tx(self.model.port_optics(self.olt.name, pon).tx_dbm))
        rows: list[tuple[str, float | None]] = []
        with self.model.lock:
            for e in self._port_entries(pon):
                o = e.status.optics if e.status.online else None
                value = (
                    None if o is None else {"onu-rx": o.rx_dbm, "onu-tx": o.tx_dbm}.get(kind, o.olt_rx_dbm)
                )
                rows.append((r.onu_if(fsp_str(pon), e.ont_id), value))
        return self._show(r.render_port_powers(kind, rows) if rows else [r.NO_INFO])

    def _show_state(self, args: list[object]) -> Reply:
        pon = _pon(args[0])
        with self.model.lock:
            entries = self._port_entries(pon)
            if len(args) > 1:
                entries = [self.model.ont(self.olt.name, pon, int(str(args[1])))]
            rows = [r.state_row(r.onu_if(fsp_str(pon), e.ont_id), _phase(e)) for e in entries]
        return self._show(r.render_onu_state(rows) if rows else [r.NO_INFO])

    def _show_detail(self, args: list[object]) -> Reply:
        pon, onu_id = _onu(args[0])
        with self.model.lock:
            entry = self.model.ont(self.olt.name, pon, onu_id)
            status = entry.status
            config = self._onu_config(pon, entry)
        distance = status.optics.distance_m if status.optics else None
        online_s = int((local_now() - status.last_up).total_seconds()) if status.last_up else None
        return self._show(r.render_detail_info(config, _phase(entry), distance, online_s))

    def _show_baseinfo(self, args: list[object]) -> Reply:
        pon = _pon(args[0])
        with self.model.lock:
            entries = self._port_entries(pon)
            configs = [self._onu_config(pon, e) for e in entries]
            phases = [_phase(e) for e in entries]
        return self._show(r.render_baseinfo(configs, phases) if configs else [r.NO_INFO])

    def _show_by_sn(self, args: list[object]) -> Reply:
        try:
            pon, entry = self.model.find_ont_by_sn(self.olt.name, str(args[0]))
        except errors.OntNotFound:
            return self._show(r.render_by_sn([]))
        return self._show(r.render_by_sn([r.onu_if(fsp_str(pon), entry.ont_id)]))

    def _show_uncfg(self, args: list[object]) -> Reply:
        pon = _pon(args[0]) if args else None
        if pon is not None and not self._port_exists(pon):
            return _err(r.INVALID_PARAMETER)
        rows: list[tuple[str, str]] = []
        per_port: dict[PonKey, int] = {}
        for key, onu, _first_seen in self.model.autofind(self.olt.name, pon):
            per_port[key] = per_port.get(key, 0) + 1
            rows.append((r.onu_if(fsp_str(key), per_port[key]), onu.sn))
        return self._show(r.render_uncfg(rows))

    def _show_rc_olt(self, args: list[object]) -> Reply:
        pon = _pon(args[0])
        with self.model.lock:
            configs = [self._onu_config(pon, e) for e in self._port_entries(pon)]
        return self._show(r.render_running_config_olt(fsp_str(pon), configs))

    def _onu_config_of(self, arg: object) -> r.OnuConfig:
        pon, onu_id = _onu(arg)
        with self.model.lock:
            return self._onu_config(pon, self.model.ont(self.olt.name, pon, onu_id))

    def _show_rc_onu(self, args: list[object]) -> Reply:
        return self._show(r.render_running_config_onu(self._onu_config_of(args[0])))

    def _show_mng_config(self, args: list[object]) -> Reply:
        return self._show(r.render_onu_mng_config(self._onu_config_of(args[0])))


def _pon(arg: object) -> PonKey:
    assert isinstance(arg, tuple)
    return (int(arg[0]), int(arg[1]), int(arg[2]))


def _onu(arg: object) -> tuple[PonKey, int]:
    assert isinstance(arg, tuple)
    return _pon(arg[0]), int(arg[1])


def _local_no(sp: ServicePort) -> int:
    """The ``service-port N`` number shown under the ONU: ZTE's per-ONU number, else the global index
    (service ports created by another dialect or a topology without ``local_index``)."""
    return sp.local_index if sp.local_index is not None else sp.index


def _phase(entry: OntEntry) -> str:
    """ZTE phase state from the model's derived run state."""
    if entry.status.online:
        return "working"
    return {"LOS": "LOS", "dying-gasp": "DyingGasp"}.get(entry.status.down_cause or "", "OffLine")


def _cmd(modes: frozenset[str] | set[str], words: str, handler: Handler) -> Command:
    return r.Command(frozenset(modes), tuple(words.split()), handler)


def _power(kind: str) -> Handler:
    return lambda d, a: d._show_port_power(kind, a)


_SHOWS = [
    ("show pon power attenuation <onu>", ZteC300._show_attenuation),
    *((f"show pon power {k} <olt>", _power(k)) for k in ("onu-rx", "onu-tx", "olt-rx", "olt-tx")),
    ("show gpon onu state <olt>", ZteC300._show_state),
    ("show gpon onu state <olt> <n>", ZteC300._show_state),
    ("show gpon onu detail-info <onu>", ZteC300._show_detail),
    ("show gpon onu baseinfo <olt>", ZteC300._show_baseinfo),
    ("show gpon onu by sn <sn>", ZteC300._show_by_sn),
    ("show gpon onu uncfg", ZteC300._show_uncfg),
    ("show gpon onu uncfg <olt>", ZteC300._show_uncfg),
    ("show running-config interface <olt>", ZteC300._show_rc_olt),
    ("show running-config interface <onu>", ZteC300._show_rc_onu),
    ("show onu running config <onu>", ZteC300._show_mng_config),
]
_GEMPORT_FORMS = ("<n> unicast tcont <n> dir both", "<n> unicast tcont <n>", "<n> tcont <n>")

ZteC300.commands = (
    _cmd({USER, ENABLE}, "enable", ZteC300._enable),
    _cmd({ENABLE}, "disable", ZteC300._disable),
    _cmd({ENABLE}, "configure terminal", ZteC300._configure),
    _cmd(_ALL_MODES, "exit", ZteC300._exit),
    _cmd(_CONFIG_MODES, "end", ZteC300._end),
    _cmd({USER, ENABLE}, "terminal length <n>", ZteC300._terminal_length),
    _cmd(_PRIV_MODES, "write", ZteC300._write),
    _cmd(_CONFIG_MODES, "interface <olt>", ZteC300._interface_olt),
    _cmd(_CONFIG_MODES, "interface <onu>", ZteC300._interface_onu),
    _cmd(_CONFIG_MODES, "pon-onu-mng <onu>", ZteC300._onu_mng),
    _cmd({IF_OLT}, "onu <n> type <word> pw <word>", ZteC300._onu_add_pw),
    _cmd({IF_OLT}, "onu <n> type <word> sn <sn>", ZteC300._onu_add_sn),
    _cmd({IF_OLT}, "no onu <n>", ZteC300._no_onu),
    _cmd({IF_ONU}, "name <word>", ZteC300._name),
    _cmd({IF_ONU}, "description <rest>", ZteC300._description),
    _cmd({IF_ONU}, "no name", ZteC300._name),
    _cmd({IF_ONU}, "no description", ZteC300._description),
    _cmd({IF_ONU}, "tcont <n> profile <word>", ZteC300._tcont),
    *(_cmd({IF_ONU}, f"gemport {form}", ZteC300._gemport) for form in _GEMPORT_FORMS),
    _cmd({IF_ONU}, "service-port <n> vport <n> user-vlan <n> vlan <n>", ZteC300._service_port),
    _cmd({IF_ONU}, "service-port <n> vport <n> user-vlan <n> vlan <n> svlan <n>", ZteC300._service_port),
    _cmd({IF_ONU}, "no service-port <n>", ZteC300._no_service_port),
    _cmd({ONU_MNG}, "service <word> type <word> gemport <n> vlan <n>", ZteC300._mng_line),
    _cmd({ONU_MNG}, "vlan port <word> mode tag vlan <n>", ZteC300._mng_line),
    *(_cmd(_ALL_MODES, words, handler) for words, handler in _SHOWS),
)
