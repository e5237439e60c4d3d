"""The SSH transport seen by a raw terminal client: echo, line endings, NUL, backspace, pager, logout."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncssh
import pytest

from ponaccept.sim.lab import Lab

OLT = "olt-hw-1"


async def _read_until(proc: Any, marker: str, timeout: float = 5) -> str:
    buf = ""
    while marker not in buf:
        buf += await asyncio.wait_for(proc.stdout.read(4096), timeout)
    return buf


async def _shell(lab: Lab, script: list[tuple[str, str]]) -> list[str]:
    ep = lab.endpoints()[OLT]
    async with asyncssh.connect(
        ep["host"], ep["ssh_port"], username=ep["username"], password=ep["password"], known_hosts=None
    ) as conn:
        proc = await conn.create_process(term_type="vt100")
        outputs = [await _read_until(proc, "MA5800-X7>")]
        for send, until in script:
            proc.stdin.write(send)
            outputs.append(await _read_until(proc, until))
        return outputs


def run(lab: Lab, script: list[tuple[str, str]]) -> list[str]:
    return asyncio.run(_shell(lab, script))


def test_banner_prompt_echo_and_line_endings(fresh_lab: Lab) -> None:
    out = run(
        fresh_lab,
        [
            ("enable\r", "MA5800-X7#"),
            ("\x00\r\n", "MA5800-X7#"),  # NUL ignored, CRLF is one Enter: exactly one new prompt
            ("confx\x7fig\n", "(config)#"),  # backspace erases on screen and in the line
        ],
    )
    assert "Huawei Integrated Access Software" in out[0] and out[0].endswith("MA5800-X7>")
    assert out[1] == "enable\r\nMA5800-X7#"
    assert out[2] == "\r\nMA5800-X7#"
    assert out[3] == "confx\b \big\r\nMA5800-X7(config)#"


def test_pager_over_the_wire(fresh_lab: Lab) -> None:
    out = run(
        fresh_lab,
        [
            ("undo smart\r", "MA5800-X7>"),
            ("enable\r", "MA5800-X7#"),
            ("display ont info 0 1 0 0\r", "---- More ( Press 'Q' to break ) ----"),
            (" ", "---- More ( Press 'Q' to break ) ----"),
            ("q", "MA5800-X7#"),
        ],
    )
    assert "F/S/P                   : 0/ 1/0" in out[3]
    assert "\r\n" in out[3] and "\n" not in out[3].replace("\r\n", "")
    assert out[5].startswith("\x1b[37D" + " " * 37 + "\x1b[37D")
    assert "Alarm policy profile name" not in out[5]  # 'q' stopped the listing


def test_logout_closes_the_channel(fresh_lab: Lab) -> None:
    async def go() -> str:
        ep = fresh_lab.endpoints()[OLT]
        async with asyncssh.connect(
            ep["host"], ep["ssh_port"], username=ep["username"], password=ep["password"], known_hosts=None
        ) as conn:
            proc = await conn.create_process(term_type="vt100")
            await _read_until(proc, ">")
            proc.stdin.write("quit\r")
            await _read_until(proc, "(y/n)[n]:")
            proc.stdin.write("y\r")
            rest = await asyncio.wait_for(proc.stdout.read(), 5)
            await asyncio.wait_for(proc.wait(), 5)
            return str(rest)

    assert "Configuration console exit, please retry to log on" in asyncio.run(go())


def test_wrong_password_is_an_authentication_failure(lab: Lab) -> None:
    ep = lab.endpoints()[OLT]

    async def go() -> None:
        async with asyncssh.connect(
            ep["host"], ep["ssh_port"], username=ep["username"], password="wrong", known_hosts=None
        ):
            pass

    with pytest.raises(asyncssh.PermissionDenied):
        asyncio.run(go())


def test_a_dialect_bug_is_reported_not_hung(fresh_lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    from ponaccept.sim.dialects.huawei import HuaweiMa5800

    original = HuaweiMa5800.handle

    def flaky(self: HuaweiMa5800, line: str) -> Any:
        if line == "boom":
            raise RuntimeError("bug")
        return original(self, line)

    monkeypatch.setattr(HuaweiMa5800, "handle", flaky)
    out = run(fresh_lab, [("boom\r", "MA5800-X7>"), ("enable\r", "MA5800-X7#")])
    assert "Failure: internal simulator error" in out[1]
    assert out[2] == "enable\r\nMA5800-X7#"


def test_a_vanished_peer_does_not_flood_the_log(lab: Lab, caplog: pytest.LogCaptureFixture) -> None:
    # asyncio warns on every write after a client disconnected; a running lab drops only that warning.
    with caplog.at_level(logging.WARNING, logger="asyncio"):
        logging.getLogger("asyncio").warning("socket.send() raised exception.")
        logging.getLogger("asyncio").warning("Executing <Task> took 0.2 seconds")
    assert [r.getMessage() for r in caplog.records] == ["Executing <Task> took 0.2 seconds"]
