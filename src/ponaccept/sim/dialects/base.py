"""The dialect interface: a pure, per-session CLI state machine, with no I/O.

The SSH transport (``ponaccept.sim.ssh_server``) owns the terminal: it echoes typed characters (unless the
last reply said the next line is ``secret``), turns CR/LF/CRLF into one Enter, handles backspace, applies
latency and session faults, converts ``"\\n"`` to ``"\\r\\n"`` and runs the pager. A dialect only turns one
input line into a :class:`Reply`. That keeps vendor behaviour testable without sockets::

    d = dialect_class("huawei_ma5800")(model.olt("olt-hw-1"), model, "admin")
    out = d.banner() + d.prompt()
    r = d.feed("enable")           # r.text is the output, then the transport writes d.prompt()

Session loop contract (what the transport does with a Reply): write ``text``; if ``pages`` is non-empty,
write ``pager`` and wait for one key per page (``q``/``Q`` stops, anything else shows the next page), writing
``pager_erase`` after each key; then, unless ``close`` is set or ``prompt`` is False, write ``prompt()``.
If ``close`` is set the channel is closed after ``text``. If ``secret`` is set the next line is not echoed.

A dialect registers itself with ``@register_dialect("name")``; the name is the topology's ``dialect`` value.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from ponaccept.sim.state import OltState

if TYPE_CHECKING:
    from ponaccept.sim.model import LabModel


@dataclass
class Reply:
    """What a dialect answers to one input line (text uses ``"\\n"``; the transport sends ``"\\r\\n"``)."""

    text: str = ""
    pages: list[str] = field(default_factory=list)
    close: bool = False
    secret: bool = False
    prompt: bool = True


PendingHandler = Callable[[str], Reply]
"""Handles the next line instead of the command parser (a y/n question or a password prompt)."""


class Dialect(ABC):
    """Base of every vendor dialect. One instance per SSH session.

    Subclasses implement :meth:`prompt` and :meth:`handle`, set ``pager``/``pager_erase`` and usually
    override :meth:`banner`. They reach the OLT's state through ``self.model`` with ``self.olt.name`` and
    must not mutate ``self.olt`` directly.
    """

    name: ClassVar[str] = ""
    pager: ClassVar[str] = ""
    pager_erase: ClassVar[str] = ""
    # Written (then the shell closes) when the "refuse logins" fault is on: all VTYs are busy.
    login_refused_text: ClassVar[str] = "\n  Too many users are logged in, please try again later.\n"

    def __init__(self, olt: OltState, model: LabModel, username: str) -> None:
        self.olt = olt
        self.model = model
        self.username = username
        self.pending: PendingHandler | None = None
        self.paging = True
        self.page_lines = 24

    def banner(self) -> str:
        """Text written once when the shell starts, before the first prompt."""
        return ""

    @abstractmethod
    def prompt(self) -> str:
        """The current prompt, e.g. ``MA5800-X7(config)#`` (no trailing newline)."""

    @abstractmethod
    def handle(self, line: str) -> Reply:
        """Parse and execute one command line (never called while a question is pending)."""

    def feed(self, line: str) -> Reply:
        """Entry point of the transport: route the line to a pending question, else to :meth:`handle`."""
        if self.pending is not None:
            handler, self.pending = self.pending, None
            return handler(line)
        return self.handle(line)

    def ask(self, question: str, handler: PendingHandler, *, secret: bool = False) -> Reply:
        """Write ``question`` (no newline, no prompt) and let ``handler`` take the next line."""
        self.pending = handler
        return Reply(text=question, prompt=False, secret=secret)

    def paginate(self, text: str) -> Reply:
        """Split long output into pager pages when paging is on (``page_lines`` lines per page)."""
        if not self.paging:
            return Reply(text=text)
        lines = text.splitlines(keepends=True)
        if len(lines) <= self.page_lines:
            return Reply(text=text)
        chunks = ["".join(lines[i : i + self.page_lines]) for i in range(0, len(lines), self.page_lines)]
        return Reply(text=chunks[0], pages=chunks[1:])


DIALECTS: dict[str, type[Dialect]] = {}
"""Registry: topology dialect name → Dialect subclass (filled by ``@register_dialect``)."""


def register_dialect(name: str) -> Callable[[type[Dialect]], type[Dialect]]:
    """Class decorator registering a dialect under ``name`` (and setting its ``name``)."""

    def deco(cls: type[Dialect]) -> type[Dialect]:
        cls.name = name
        DIALECTS[name] = cls
        return cls

    return deco
