"""SSH transport of the simulated OLTs (asyncssh), one listener per OLT, one dialect instance per session.

Terminal behaviour follows reference/simulator-notes.md: the asyncssh line editor is off (it double-echoes
and rewrites line endings), so this module does the terminal work in raw mode: echo printable characters,
treat CR, LF and CRLF as one Enter, ignore NUL (netmiko's ``is_alive()`` probe), answer backspace with
``\\b \\b``, never echo a secret line, send ``\\r\\n`` line endings, and write the prompt as soon as the shell
starts. Lines are queued and processed one at a time by a task per session; while that task is busy (or a
latency fault is set) echo is deferred to processing time, as on a slow real device.

Session faults (read from the model at every step, so they apply to open sessions too):
- ``latency_s``: sleep before processing each line.
- ``refuse_logins``: the password is accepted, then the shell prints the dialect's ``login_refused_text``
  and closes — how a real OLT with all VTYs busy behaves; a wrong password stays an authentication failure,
  so clients can tell "busy" from "bad credentials".
- ``drop_after_commands`` = N: the session answers N non-empty lines, then aborts the TCP connection when the
  next one arrives (a session dropped mid-command).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncssh

from ponaccept.sim.dialects import Dialect, Reply, dialect_class
from ponaccept.sim.model import LabModel

log = logging.getLogger(__name__)


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


class CliSession(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One interactive shell: line discipline, echo, pager and faults around a :class:`Dialect`."""

    def __init__(self, model: LabModel, olt: str, username: str, conn: asyncssh.SSHServerConnection) -> None:
        self._model = model
        self._olt = olt
        self._username = username
        self._conn = conn
        self._chan: Any = None
        self._dialect: Dialect | None = None
        self._lines: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        self._buf = ""
        self._echoed = 0
        self._last_cr = False
        self._working = False
        self._secret = False
        self._key_waiter: asyncio.Future[str] | None = None
        self._task: asyncio.Task[None] | None = None
        self._commands = 0

    # ----------------------------------------------------------------- asyncssh callbacks
    def connection_made(self, chan: Any) -> None:
        self._chan = chan

    def pty_requested(self, term_type: str, term_size: Any, term_modes: Any) -> bool:
        return True

    def shell_requested(self) -> bool:
        return True

    def session_started(self) -> None:
        st = self._model.olt(self._olt)
        self._dialect = dialect_class(st.dialect)(st, self._model, self._username)
        if self._model.faults(self._olt).refuse_logins:
            self._write(self._dialect.login_refused_text)
            self._chan.exit(1)
            return
        self._write(self._dialect.banner() + self._dialect.prompt())
        self._task = asyncio.get_running_loop().create_task(self._run())

    def data_received(self, data: str, datatype: Any) -> None:
        for ch in data:
            if self._key_waiter is not None and not self._key_waiter.done():
                self._key_waiter.set_result(ch)
                continue
            self._char(ch)

    def eof_received(self) -> bool:
        self._stop()
        return False

    def connection_lost(self, exc: BaseException | None) -> None:
        self._stop()

    # ----------------------------------------------------------------- line discipline
    def _idle(self) -> bool:
        return not self._working and self._lines.empty() and self._model.faults(self._olt).latency_s <= 0

    def _char(self, ch: str) -> None:
        if ch == "\x00":
            return
        if ch == "\n" and self._last_cr:
            self._last_cr = False
            return
        self._last_cr = ch == "\r"
        if ch in "\r\n":
            line, echoed = self._buf, self._echoed
            self._buf, self._echoed = "", 0
            self._lines.put_nowait((line, echoed))
            return
        if ch in "\x7f\b":
            if self._buf:
                if self._echoed == len(self._buf):
                    self._write("\b \b")
                    self._echoed -= 1
                self._buf = self._buf[:-1]
            return
        if not ch.isprintable():
            return
        self._buf += ch
        if self._idle() and not self._secret and self._echoed == len(self._buf) - 1:
            self._write(ch)
            self._echoed += 1

    def _write(self, text: str) -> None:
        if self._chan is not None:
            with contextlib.suppress(Exception):
                self._chan.write(_crlf(text))

    def _stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
        if self._key_waiter is not None and not self._key_waiter.done():
            self._key_waiter.cancel()

    # ----------------------------------------------------------------- processing
    async def _run(self) -> None:
        assert self._dialect is not None
        while True:
            text, echoed = await self._lines.get()
            self._working = True
            faults = self._model.faults(self._olt)
            if faults.latency_s > 0:
                await asyncio.sleep(faults.latency_s)
            if not self._secret:
                self._write(text[echoed:])
            self._write("\n")
            if text.strip():
                self._commands += 1
                limit = self._model.faults(self._olt).drop_after_commands
                if limit is not None and self._commands > limit:
                    self._conn.abort()
                    return
            try:
                reply = self._dialect.feed(text)
            except Exception:
                # A dialect bug must not hang the client: log it and answer like a failed command.
                log.exception("dialect %s failed on %r", self._dialect.name, text)
                reply = Reply(text="  Failure: internal simulator error\n\n")
            self._secret = reply.secret
            if not await self._emit(reply):
                return
            self._working = False

    async def _emit(self, reply: Reply) -> bool:
        assert self._dialect is not None
        self._write(reply.text)
        for page in reply.pages:
            self._write(self._dialect.pager)
            loop = asyncio.get_running_loop()
            self._key_waiter = loop.create_future()
            try:
                key = await self._key_waiter
            finally:
                self._key_waiter = None
            self._write(self._dialect.pager_erase)
            if key in "qQ":
                break
            self._write(page)
        if reply.close:
            self._chan.exit(0)
            return False
        if reply.prompt:
            self._write(self._dialect.prompt())
        return True


class OltSshServer(asyncssh.SSHServer):
    """Password authentication against the OLT's lab credentials; one :class:`CliSession` per shell."""

    def __init__(self, model: LabModel, olt: str, live: set[asyncssh.SSHServerConnection]) -> None:
        self._model = model
        self._olt = olt
        self._live = live
        self._conn: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self._live.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._conn is not None:
            self._live.discard(self._conn)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        spec = self._model.olt(self._olt).spec
        return username == spec.username and password == spec.password

    def session_requested(self) -> CliSession:
        assert self._conn is not None
        username = self._conn.get_extra_info("username") or ""
        return CliSession(self._model, self._olt, username, self._conn)


def generate_host_key() -> asyncssh.SSHKey:
    """A fresh ed25519 host key, shared by every listener of a lab (made at start, never stored)."""
    return asyncssh.generate_private_key("ssh-ed25519")


async def start_listener(
    model: LabModel,
    olt: str,
    host_key: asyncssh.SSHKey,
    host: str = "127.0.0.1",
    port: int = 0,
    live: set[asyncssh.SSHServerConnection] | None = None,
) -> asyncssh.SSHAcceptor:
    """Listen for SSH on ``host:port`` for OLT ``olt`` (port 0 → a free port: ``acceptor.get_port()``).

    Open connections are tracked in ``live`` so the lab can close them on stop (closing the acceptor
    only stops listening)."""
    tracked: set[asyncssh.SSHServerConnection] = live if live is not None else set()
    return await asyncssh.create_server(
        lambda: OltSshServer(model, olt, tracked),
        host,
        port,
        server_host_keys=[host_key],
        line_editor=False,
        keepalive_interval=0,
    )
