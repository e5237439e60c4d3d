"""Huawei MA5800 configuration commands: ``ont add|delete|modify``, ``service-port``, ``undo service-port``
(with its y/n confirmation), the smart-mode hint + ``Command:`` echo, and the busy fault.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ponaccept.sim import errors
from ponaccept.sim.dialects import huawei_render as render
from ponaccept.sim.dialects.base import Reply
from ponaccept.sim.dialects.huawei_parse import (
    FAIL_HAS_SP,
    FAIL_ID_EXISTS,
    FAIL_LINEPROFILE,
    FAIL_PASSWORD_EXISTS,
    FAIL_SN_EXISTS,
    FAIL_SP_EXISTS,
    FAIL_SP_MISSING,
    FAIL_SRVPROFILE,
    FAIL_VLAN,
    ONT_ADD_HINT,
    SP_CONFIRM,
    SP_HINT,
    Tokens,
    fsp,
    incomplete,
    num,
    param_error,
    say,
    too_many,
)
from ponaccept.sim.topology import normalize_sn

if TYPE_CHECKING:
    from ponaccept.sim.dialects.huawei import HuaweiMa5800


def _run_config(d: HuaweiMa5800, t: Tokens, action: Callable[[], Reply], hint: str | None) -> Reply:
    """Run a configuration command, with the smart-mode hint + ``Command:`` echo when smart mode is on."""

    def run(prefix: str = "") -> Reply:
        try:
            reply = action()
        except errors.SystemBusy:
            reply = say(render.FAIL_BUSY)
        if prefix:
            reply.text = prefix + reply.text
        return reply

    if hint is None or not d.smart:
        return run()
    return d.ask(hint, lambda _line: run(f"  Command:\n          {t.line.strip()}\n"))


def ont_add(d: HuaweiMa5800, t: Tokens) -> Reply:
    w = t.words
    port = num(t, 2, 0, 15)
    if port is None:
        return incomplete() if len(w) < 3 else param_error(t, 2)
    i = 3
    ont_id = num(t, i, 0, 127)
    if ont_id is not None:
        i += 1
    elif i < len(w) and w[i].isdigit():
        return param_error(t, i)
    auth, secret, line_p, srv_p, desc = "", "", None, None, ""
    while i < len(w):
        word = w[i].lower()
        if word in ("sn-auth", "password-auth") and i + 1 < len(w):
            auth, secret, i = word, t.unquoted(i + 1), i + 2
        elif word in ("always-on", "once-on", "no-aging", "omci", "snmp"):
            i += 1
        elif word in ("ont-lineprofile-id", "ont-srvprofile-id") and num(t, i + 1) is not None:
            value = int(w[i + 1])
            line_p, srv_p = (value, srv_p) if word == "ont-lineprofile-id" else (line_p, value)
            i += 2
        elif word == "desc" and i + 1 < len(w):
            desc, i = t.unquoted(i + 1), i + 2
            if len(desc) > 64 or '"' in desc:
                return param_error(t, i - 1)
        else:
            return param_error(t, i)
    if not auth or line_p is None or srv_p is None:
        return incomplete()
    key = (d.board[0], d.board[1], port)
    if key not in d.olt.pon_ports:
        return param_error(t, 2)
    sn: str | None = None
    if auth == "sn-auth":
        try:
            sn = normalize_sn(secret)
        except ValueError:
            return param_error(t, w.index(next(x for x in w if x.lower() == "sn-auth")) + 1)
    elif not 1 <= len(secret) <= 10:
        return param_error(t, [x.lower() for x in w].index("password-auth") + 1)

    def action() -> Reply:
        try:
            entry = d.model.add_ont(
                d.olt.name, key, ont_id, auth="sn" if sn else "password", sn=sn,
                password=None if sn else secret, desc=desc, line_profile=line_p, srv_profile=srv_p,
            )  # fmt: skip
        except errors.OntIdExists:
            return say(FAIL_ID_EXISTS)
        except errors.SnExists:
            return say(FAIL_SN_EXISTS)
        except errors.PasswordExists:
            return say(FAIL_PASSWORD_EXISTS)
        except errors.LineProfileNotFound:
            return say(FAIL_LINEPROFILE)
        except errors.SrvProfileNotFound:
            return say(FAIL_SRVPROFILE)
        except errors.OntIdOutOfRange:
            return say("  Number of ONTs that can be added: 0, success: 0")
        return Reply(text=render.ont_add_ok(port, entry.ont_id) + "\n")

    return _run_config(d, t, action, ONT_ADD_HINT)


def ont_delete(d: HuaweiMa5800, t: Tokens) -> Reply:
    if len(t.words) != 4:
        return incomplete() if len(t.words) < 4 else too_many(t, 4)
    port, ont_id = num(t, 2, 0, 15), num(t, 3, 0, 127)
    if port is None or (d.board[0], d.board[1], port) not in d.olt.pon_ports:
        return param_error(t, 2)
    if ont_id is None:
        return param_error(t, 3)
    key = (d.board[0], d.board[1], port)

    def action() -> Reply:
        try:
            d.model.delete_ont(d.olt.name, key, ont_id)
        except errors.OntNotFound:
            return say(render.FAIL_ONT_MISSING)
        except errors.OntHasServicePorts:
            return say(FAIL_HAS_SP)
        return say("  Number of ONTs that can be deleted: 1, success: 1")

    return _run_config(d, t, action, None)


def ont_modify(d: HuaweiMa5800, t: Tokens) -> Reply:
    w = t.words
    port, ont_id = num(t, 2, 0, 15), num(t, 3, 0, 127)
    if len(w) != 6 or w[4].lower() != "desc":
        return incomplete() if len(w) < 6 else param_error(t, 4)
    if port is None or (d.board[0], d.board[1], port) not in d.olt.pon_ports or ont_id is None:
        return param_error(t, 2 if port is None else 3)
    key = (d.board[0], d.board[1], port)
    try:
        d.model.set_ont_desc(d.olt.name, key, ont_id, t.unquoted(5))
    except errors.OntNotFound:
        return say(render.FAIL_ONT_MISSING)
    return Reply()


def service_port(d: HuaweiMa5800, t: Tokens) -> Reply:
    w = [x.lower() for x in t.words]
    i = 1
    index = num(t, 1, 0, 65535)
    if index is not None:
        i = 2
    values: dict[str, str] = {}
    transform, inner = "translate", None
    while i < len(w):
        word = w[i]
        if word in ("vlan", "gpon", "ont", "gemport", "user-vlan") and i + 1 < len(w):
            values[word], i = w[i + 1], i + 2
        elif word == "multi-service":
            i += 1
        elif word == "tag-transform" and i + 1 < len(w):
            transform, i = w[i + 1], i + 2
            if transform not in ("translate", "translate-and-add", "transparent", "default"):
                return param_error(t, i - 1)
        elif word == "inner-vlan" and num(t, i + 1, 1, 4094) is not None:
            inner, i = int(w[i + 1]), i + 2
        elif word in ("inbound", "outbound") and i + 3 < len(w):
            i += 4
        else:
            return param_error(t, i)
    if set(values) != {"vlan", "gpon", "ont", "gemport", "user-vlan"}:
        return incomplete()
    pon = fsp(values["gpon"])
    nums = [values[k] for k in ("vlan", "ont", "gemport", "user-vlan")]
    if pon is None or not all(n.isdigit() for n in nums):
        return param_error(t, 1)
    svlan, ont_id, gem, cvlan = (int(n) for n in nums)
    if pon not in d.olt.pon_ports:
        return param_error(t, w.index("gpon") + 1)
    if transform == "translate-and-add" and inner is None:
        return incomplete()

    def action() -> Reply:
        try:
            d.model.add_service_port(
                d.olt.name, index=index, svlan=svlan, pon=pon, ont_id=ont_id, gemport=gem,
                user_vlan=cvlan, tag_transform=transform, inner_vlan=inner,
            )  # fmt: skip
        except errors.VlanNotFound:
            return say(FAIL_VLAN)
        except errors.OntNotFound:
            return say(render.FAIL_ONT_MISSING)
        except errors.ServicePortExists as e:
            return say(FAIL_SP_EXISTS.format(e.index))
        return Reply()

    return _run_config(d, t, action, SP_HINT if inner is not None else None)


def undo_service_port(d: HuaweiMa5800, t: Tokens) -> Reply:
    w = [x.lower() for x in t.words]
    if len(w) == 3 and w[2].isdigit():
        index = int(w[2])

        def single() -> Reply:
            try:
                d.model.delete_service_ports(d.olt.name, index=index)
            except errors.ServicePortNotFound:
                return say(FAIL_SP_MISSING)
            return Reply()

        return _run_config(d, t, single, None)
    filters: dict[str, str] = {}
    i = 2
    while i < len(w):
        if w[i] in ("vlan", "gpon", "port", "ont", "gemport") and i + 1 < len(w):
            filters[w[i]], i = w[i + 1], i + 2
        elif w[i] == "all" and i == 2 and len(w) == 3:
            i += 1
        else:
            return param_error(t, i)
    if len(w) < 3:
        return incomplete()
    where = filters.get("gpon") or filters.get("port")
    pon = fsp(where) if where else None
    if where and pon is None:
        return param_error(t, 3)
    numbers = {k: int(v) for k, v in filters.items() if k in ("vlan", "ont", "gemport") and v.isdigit()}

    def confirmed(line: str) -> Reply:
        if line.strip().lower() not in ("y", "yes"):
            return Reply(text="\n")

        def action() -> Reply:
            try:
                gone = d.model.delete_service_ports(
                    d.olt.name, svlan=numbers.get("vlan"), pon=pon, ont_id=numbers.get("ont"),
                    gemport=numbers.get("gemport"),
                )  # fmt: skip
            except errors.ServicePortNotFound:
                return say(FAIL_SP_MISSING)
            return say(
                "  ...",
                "  The number of total service virtual port which have been",
                f"  deleted: {len(gone)}",
            )

        return _run_config(d, t, action, None)

    return d.ask(SP_CONFIRM, confirmed)
