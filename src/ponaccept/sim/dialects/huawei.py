"""Huawei SmartAX MA5800 CLI dialect (what netmiko's ``huawei_smartax`` driver talks to).

Modes and prompts (reference §1.1): ``host>`` (user) → ``enable`` → ``host#`` → ``config`` →
``host(config)#`` → ``interface gpon F/S`` → ``host(config-if-gpon-F/S)#``; ``quit`` goes up one level and
asks for logout confirmation at ``>``/``#``; ``return`` goes back to ``#``. ``config`` is rejected at ``>``
as on the device, so clients must ``enable()`` first. Smart mode (on at login, off after ``undo smart``)
adds the ``{ <cr>|… }:`` hints; paging is on until ``scroll``.

Commands are parsed with Huawei-style keyword abbreviations (``disp``, ``serv``); outputs come from
:mod:`ponaccept.sim.dialects.huawei_render`; handlers live in ``huawei_display`` and ``huawei_cmds``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ponaccept.sim.dialects import huawei_cmds as cmds
from ponaccept.sim.dialects import huawei_display
from ponaccept.sim.dialects.base import Dialect, Reply, register_dialect
from ponaccept.sim.dialects.huawei_parse import Tokens, incomplete, kw, param_error, too_many, unknown
from ponaccept.sim.state import OltState

if TYPE_CHECKING:
    from ponaccept.sim.model import LabModel

LOGOUT_QUESTION = (
    "  Check whether system data has been changed. Please save data before logout.\n"
    "  Are you sure to log out? (y/n)[n]:"
)
LOGOUT_DONE = "  Configuration console exit, please retry to log on\n"


@register_dialect("huawei_ma5800")
class HuaweiMa5800(Dialect):
    """Per-session state: mode, current GPON board, smart mode, paging."""

    pager = "---- More ( Press 'Q' to break ) ----"
    pager_erase = "\x1b[37D" + " " * 37 + "\x1b[37D"

    def __init__(self, olt: OltState, model: LabModel, username: str) -> None:
        super().__init__(olt, model, username)
        self.mode = "user"
        self.board: tuple[int, int] = (0, 0)
        self.smart = True

    def banner(self) -> str:
        model = self.olt.spec.model_name or "MA5800"
        return f"\n  Huawei Integrated Access Software ({model}).\n\n"

    def prompt(self) -> str:
        host = self.olt.hostname
        return {
            "user": f"{host}>",
            "enable": f"{host}#",
            "config": f"{host}(config)#",
            "gpon": f"{host}(config-if-gpon-{self.board[0]}/{self.board[1]})#",
        }[self.mode]

    # ----------------------------------------------------------------- dispatch
    def handle(self, line: str) -> Reply:
        t = Tokens(line, len(self.prompt()))
        if not t.words:
            return Reply()
        w0 = t.words[0]
        if kw(w0, "undo", 4) and len(t.words) >= 2 and kw(t.words[1], "smart", 2) and len(t.words) == 2:
            self.smart = False
            return Reply()
        if kw(w0, "smart", 2) and len(t.words) == 1:
            self.smart = True
            return Reply()
        if kw(w0, "scroll", 3):
            return self._scroll(t)
        if kw(w0, "quit", 1) and len(t.words) == 1:
            return self._quit()
        if self.mode == "user":
            if kw(w0, "enable", 2) and len(t.words) == 1:
                self.mode = "enable"
                return Reply()
            return unknown(t, 0)
        return self._privileged(t)

    def _privileged(self, t: Tokens) -> Reply:
        w0 = t.words[0]
        if kw(w0, "return", 3) and len(t.words) == 1 and self.mode in ("config", "gpon"):
            self.mode = "enable"
            return Reply()
        if kw(w0, "display", 2):
            return self._maybe_hint(lambda: huawei_display.display(self, t), "{ <cr>||<K> }:")
        if self.mode == "enable":
            if kw(w0, "config", 3) and len(t.words) == 1:
                self.mode = "config"
                return Reply()
            if kw(w0, "disable", 4) and len(t.words) == 1:
                self.mode = "user"
                return Reply()
            if kw(w0, "infoswitch", 5):
                return Reply()
            if kw(w0, "enable", 2) and len(t.words) == 1:
                return Reply()
            return unknown(t, 0)
        if self.mode == "config":
            if kw(w0, "interface", 3) and len(t.words) >= 2 and kw(t.words[1], "gpon", 2):
                return self._interface(t)
            if kw(w0, "service-port", 4):
                return cmds.service_port(self, t)
            if kw(w0, "undo", 2) and len(t.words) >= 2 and kw(t.words[1], "service-port", 4):
                return cmds.undo_service_port(self, t)
            return unknown(t, 0)
        if kw(w0, "ont", 3) and len(t.words) >= 2:
            w1 = t.words[1]
            if kw(w1, "add", 1):
                return cmds.ont_add(self, t)
            if kw(w1, "delete", 3):
                return cmds.ont_delete(self, t)
            if kw(w1, "modify", 3):
                return cmds.ont_modify(self, t)
            return unknown(t, 1)
        return unknown(t, 0)

    # ----------------------------------------------------------------- mode changes
    def _quit(self) -> Reply:
        if self.mode == "gpon":
            self.mode = "config"
            return Reply()
        if self.mode == "config":
            self.mode = "enable"
            return Reply()

        def answer(line: str) -> Reply:
            if line.strip().lower() in ("y", "yes"):
                return Reply(text=LOGOUT_DONE, close=True)
            return Reply()

        return self.ask(LOGOUT_QUESTION, answer)

    def _interface(self, t: Tokens) -> Reply:
        if len(t.words) != 3:
            return incomplete() if len(t.words) < 3 else too_many(t, 3)
        parts = t.words[2].split("/")
        boards = {(k[0], k[1]) for k in self.olt.pon_ports}
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            return param_error(t, 2)
        board = (int(parts[0]), int(parts[1]))
        if board not in boards:
            return param_error(t, 2)
        self.board = board
        self.mode = "gpon"
        return Reply()

    def _scroll(self, t: Tokens) -> Reply:
        def apply(arg: str) -> Reply:
            if not arg:
                self.paging = False
                return Reply()
            if arg.isdigit() and 10 <= int(arg) <= 512:
                self.paging = True
                self.page_lines = int(arg)
                return Reply()
            return param_error(t, 1)

        if len(t.words) == 1 and self.smart:
            return self.ask("{ <cr>|number<U><10,512> }:", lambda line: apply(line.strip()))
        return apply(t.words[1] if len(t.words) > 1 else "")

    def _maybe_hint(self, run: Callable[[], Reply], hint: str) -> Reply:
        """In smart mode the device first shows the completion hint and runs the command on Enter."""
        if not self.smart:
            return run()
        return self.ask(hint, lambda _line: run())
