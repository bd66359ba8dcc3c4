"""A technician's program that floods requests and never reads cannot grow the agent's memory.

The hostile console is real code on a real relay: it joins, runs the real ConsoleHandshake, then
sends Pings as fast as it can and never reads the Pongs. With a 4 KiB receive buffer on its own
socket the relay soon stops reading from the agent, and every Pong the agent owes waits in its
send queue. The agent must end the session as ``resource_limit`` (recorded, and said to the
customer) once the backlog passes its budget, instead of growing without bound.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from websockets.asyncio.client import connect

from agent.app import AgentApp
from desktop import session_driver
from shared import messages as m
from shared import rendezvous as rv
from shared.codes import parse_code
from shared.session import ConsoleSession, Step
from tests.e2e.conftest import data_dir_events, shown_code

pytestmark = pytest.mark.e2e


async def flood_pings(url: str, code_text: str, stop: threading.Event,
                      sent: list[int]) -> None:
    """Be a hostile technician: agree keys, then send Pings without ever reading."""
    code = parse_code(code_text)
    parts = urlsplit(url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # read nothing, hold little
    sock.connect((parts.hostname, parts.port))
    sock.setblocking(False)
    async with connect(url, sock=sock, compression=None, max_size=None) as ws:
        await ws.send(rv.encode(rv.Join(code.nameplate)))
        assert isinstance(rv.parse_server(await ws.recv()), rv.Paired)
        session = ConsoleSession(code, name="Eva Technik", organisation="Acme IT")
        await ws.send(session.start())
        while session.verification == "":
            data = await asyncio.wait_for(ws.recv(), 20)
            assert isinstance(data, bytes), "after pairing the relay forwards binary only"
            step = session.receive(data)
            for out in step.outgoing:
                await ws.send(out)
        deadline = time.monotonic() + 60
        while not stop.is_set() and time.monotonic() < deadline:
            for _ in range(200):
                # Hostile: a Ping while the customer still reads the consent dialog (our own
                # ConsoleSession.ping() would wait for an active session; the agent answers
                # Pings in every phase after the handshake).
                step = Step()
                session._send(step, m.Ping(sent[0]))
                for out in step.outgoing:
                    await ws.send(out)
                sent[0] += 1
            await asyncio.sleep(0)  # not a wait: let the loop run between pings


def test_console_that_floods_and_never_reads_ends_the_session(
        qtbot, agent: AgentApp, tmp_path: Path, relay_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_driver, "MAX_SEND_BACKLOG", 500)  # really 10 000: same path
    code = shown_code(qtbot, agent)
    stop = threading.Event()
    sent = [0]
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(flood_pings(relay_url, code, stop, sent))
        except Exception as exc:  # the agent hanging up on us is the expected end
            errors.append(exc)

    flooder = threading.Thread(target=run, daemon=True)
    flooder.start()
    try:
        audit = tmp_path / "agent-data" / "audit"
        qtbot.waitUntil(lambda: any(e.get("event") == "session_ended"
                                    for e in data_dir_events(audit)), timeout=60000)
        ended = [e for e in data_dir_events(audit) if e.get("event") == "session_ended"][-1]
        assert ended["reason"] == "resource_limit", ended
        assert sent[0] > 500, "the flood never started"
        # The customer is told, and the agent stays usable (a fresh code can be had).
        qtbot.waitUntil(lambda: agent.window.state != "code", timeout=10000)
        assert agent.worker.active is None or agent.worker.active.session.ended
    finally:
        stop.set()
        flooder.join(15)
    assert not flooder.is_alive()
