"""Huawei MA5800 display commands: ``display ont info|optical-info|autofind``, ``display port state``,
``display service-port``. Texts come from :mod:`ponaccept.sim.dialects.huawei_render`.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ponaccept.sim import errors
from ponaccept.sim.dialects import huawei_render as render
from ponaccept.sim.dialects.base import Reply
from ponaccept.sim.dialects.huawei_parse import (
    FAIL_NO_AUTOFIND,
    FAIL_SN_UNKNOWN,
    FAIL_SP_MISSING,
    Tokens,
    fsp,
    incomplete,
    kw,
    num,
    page,
    param_error,
    say,
    too_many,
    unknown,
)
from ponaccept.sim.topology import PonKey, normalize_sn

if TYPE_CHECKING:
    from ponaccept.sim.dialects.huawei import HuaweiMa5800


def display(d: HuaweiMa5800, t: Tokens) -> Reply:
    w = t.words
    if len(w) < 2:
        return incomplete()
    if kw(w[1], "ont", 3) and len(w) >= 3:
        if kw(w[2], "info", 1):
            return _ont_info(d, t)
        if kw(w[2], "optical-info", 2) and d.mode == "gpon":
            return _optical(d, t)
        if kw(w[2], "autofind", 2):
            return _autofind(d, t)
        return unknown(t, 2)
    if kw(w[1], "service-port", 4):
        return _service_ports(d, t)
    if kw(w[1], "port", 4) and len(w) >= 3 and kw(w[2], "state", 2) and d.mode == "gpon":
        return _port_state(d, t)
    return unknown(t, 1)


def _ont_info(d: HuaweiMa5800, t: Tokens) -> Reply:
    args = t.words[3:]
    model, olt = d.model, d.olt.name
    if len(args) == 2 and kw(args[0], "by-sn", 4):
        try:
            sn = normalize_sn(t.unquoted(4))
        except ValueError:
            return param_error(t, 4)
        try:
            found, entry = model.find_ont_by_sn(olt, sn)
        except errors.OntNotFound:
            return say(FAIL_SN_UNKNOWN)
        return _detail(d, found, entry.ont_id)
    if d.mode == "gpon" and len(args) == 2:
        key: PonKey = (d.board[0], d.board[1], int(args[0])) if args[0].isdigit() else (-1, -1, -1)
        target, first = args[1], 3
    elif len(args) == 4 and all(a.isdigit() for a in args[:3]):
        key, target, first = (int(args[0]), int(args[1]), int(args[2])), args[3], 3
    elif len(args) < 2:
        return incomplete()
    else:
        return param_error(t, 3)
    if key not in d.olt.pon_ports:
        return param_error(t, first)
    if target.lower() == "all":
        views = [v for v in model.ont_views(olt) if v.pon == key]
        if not views:
            return say(render.FAIL_ONT_MISSING)
        return page(d, render.ont_info_table(key, views))
    if not target.isdigit():
        return param_error(t, len(t.words) - 1)
    return _detail(d, key, int(target))


def _detail(d: HuaweiMa5800, key: PonKey, ont_id: int) -> Reply:
    view = next((v for v in d.model.ont_views(d.olt.name) if v.pon == key and v.ont_id == ont_id), None)
    if view is None:
        return say(render.FAIL_ONT_MISSING)
    text = render.ont_info_detail(
        view, datetime.now().astimezone(), f"ftth_line_{view.line_profile}", f"ftth_srv_{view.srv_profile}"
    )
    return page(d, text)


def _optical(d: HuaweiMa5800, t: Tokens) -> Reply:
    if len(t.words) < 5:
        return incomplete()
    if len(t.words) > 5:
        return too_many(t, 5)
    port = num(t, 3, 0, 15)
    key = (d.board[0], d.board[1], port if port is not None else -1)
    if key not in d.olt.pon_ports:
        return param_error(t, 3)
    if t.words[4].lower() == "all":
        rows = [(v.ont_id, v.optics) for v in d.model.ont_views(d.olt.name) if v.pon == key and v.optics]
        if not rows:
            return say(render.FAIL_NOT_ONLINE)
        return page(d, render.optical_table([(i, o) for i, o in rows if o is not None]))
    ont_id = num(t, 4, 0, 127)
    if ont_id is None:
        return param_error(t, 4)
    try:
        optics = d.model.optics(d.olt.name, key, ont_id)
    except errors.OntNotFound:
        return say(render.FAIL_ONT_MISSING)
    except errors.OntNotOnline:
        return say(render.FAIL_NOT_ONLINE)
    sn = d.model.ont(d.olt.name, key, ont_id).status.onu_sn or "0" * 16
    return page(d, render.optical_detail(optics, sn))


def _port_state(d: HuaweiMa5800, t: Tokens) -> Reply:
    if len(t.words) != 4:
        return incomplete() if len(t.words) < 4 else too_many(t, 4)
    ports = sorted(k for k in d.olt.pon_ports if (k[0], k[1]) == d.board)
    if t.words[3].lower() != "all":
        port = num(t, 3, 0, 15)
        ports = [k for k in ports if k[2] == port]
        if not ports:
            return param_error(t, 3)
    text = "".join(render.port_state(k, d.model.port_optics(d.olt.name, k)) for k in ports)
    return page(d, text)


def _service_ports(d: HuaweiMa5800, t: Tokens) -> Reply:
    w = t.words
    pon: PonKey | None = None
    if len(w) == 3 and kw(w[2], "all", 1):
        pass
    elif len(w) == 4 and kw(w[2], "port", 4):
        pon = fsp(w[3])
        if pon is None or pon not in d.olt.pon_ports:
            return param_error(t, 3)
    elif len(w) < 3:
        return incomplete()
    else:
        return param_error(t, 2)
    online = {(v.pon, v.ont_id) for v in d.model.ont_views(d.olt.name) if v.online}
    sps = [(sp, (sp.pon, sp.ont_id) in online) for sp in d.model.service_ports(d.olt.name, pon)]
    if not sps:
        return say(FAIL_SP_MISSING)
    return page(d, render.service_port_table(sps))


def _autofind(d: HuaweiMa5800, t: Tokens) -> Reply:
    w = t.words
    pon: PonKey | None = None
    if len(w) == 4 and w[3].lower() != "all":
        port = num(t, 3, 0, 15)
        if d.mode != "gpon" or port is None or (d.board[0], d.board[1], port) not in d.olt.pon_ports:
            return param_error(t, 3)
        pon = (d.board[0], d.board[1], port)
    elif len(w) != 4:
        return incomplete() if len(w) < 4 else too_many(t, 4)
    found = d.model.autofind(d.olt.name, pon)
    if not found:
        return say(FAIL_NO_AUTOFIND)
    return page(d, render.autofind(found))
