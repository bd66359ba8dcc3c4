"""Input first (issue 16): the technician's input is never stuck behind a big frame's encryption.

A real agent (real relay, the customer clicks the real Allow, the real input thread with XTest)
and a technician that is the real ConsoleSession on its own websocket. While the agent encrypts
a frame of several MB, the technician moves the pointer: that input must reach the agent's input
thread BEFORE the frame's ciphertext is written to the relay. Checked by ORDER, not by times.

The one probe: libsodium's encryption of that frame (``shared.channel.crypto_secretbox_easy``)
waits (at most a few seconds) for the input to arrive, so "the input came during the seal" is
certain on a loaded machine too. When the seal runs on the agent's network loop (before issue
16), the loop cannot read the input while it waits: the frame is written first and this fails.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import pytest
from nacl.bindings import crypto_secretbox_easy
from websockets.asyncio.client import connect

from agent.app import AgentApp
from desktop import relay_client
from shared import channel
from shared import messages as m
from shared import rendezvous as rv
from shared.codec.frame import EncodedFrame
from shared.codes import parse_code
from shared.session import ConsoleSession, PermissionsChanged
from tests.e2e.conftest import allow, shown_code

pytestmark = pytest.mark.e2e

BIG = 3_000_000  # payload bytes of the big frame: several MB, far above any real frame here


class Technician:
    """The technician's side on its own thread: keys, consent request, then reads everything
    (as a console does) and moves the pointer once :attr:`go` is set."""

    def __init__(self, url: str, code: str) -> None:
        self.url, self.code = url, code
        self.active = threading.Event()
        self.go = threading.Event()
        self.sent_input = threading.Event()
        self.errors: list[BaseException] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            asyncio.run(self._session())
        except BaseException as exc:  # reported by the test
            self.errors.append(exc)

    async def _session(self) -> None:
        code = parse_code(self.code)
        async with connect(self.url, compression=None, max_size=None) as ws:
            await ws.send(rv.encode(rv.Join(code.nameplate)))
            assert isinstance(rv.parse_server(await ws.recv()), rv.Paired)
            session = ConsoleSession(code, name="Eva Technik", organisation="Acme IT")
            await ws.send(session.start())

            async def read() -> None:
                while not self.done.is_set():
                    data = await ws.recv()
                    assert isinstance(data, bytes)
                    step = session.receive(data)
                    for out in step.outgoing:
                        await ws.send(out)
                    if any(isinstance(ev, PermissionsChanged) for ev in step.events) or (
                            session.control_granted):
                        self.active.set()

            reader = asyncio.create_task(read())
            await asyncio.to_thread(self.go.wait, 60)
            for out in session.send_input(m.PointerMove(7, 9)).outgoing:
                await ws.send(out)
            self.sent_input.set()
            await asyncio.to_thread(self.done.wait, 30)
            reader.cancel()


def test_input_arriving_during_a_big_seal_reaches_the_input_thread_first(
        qtbot, agent: AgentApp, relay_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    lock = threading.Lock()
    input_seen = threading.Event()

    def note(what: str) -> None:
        with lock:
            order.append(what)

    real_seal = crypto_secretbox_easy  # (what shared.channel calls)

    def probed_seal(message: bytes, nonce: bytes, key: bytes) -> bytes:
        if len(message) > BIG:
            note("seal started")
            tech.go.set()
            input_seen.wait(5)  # on the network loop (old code) the input cannot come
        return real_seal(message, nonce, key)

    real_send = relay_client.RelayConnection.send

    async def probed_send(self: relay_client.RelayConnection, data: bytes) -> None:
        if len(data) > BIG:
            note("frame written")
        await real_send(self, data)

    monkeypatch.setattr(channel, "crypto_secretbox_easy", probed_seal)
    monkeypatch.setattr(relay_client.RelayConnection, "send", probed_send)

    code = shown_code(qtbot, agent)
    tech = Technician(relay_url, code)
    tech.thread.start()
    try:
        allow(qtbot, agent, control=True)
        qtbot.waitUntil(lambda: tech.active.is_set() or bool(tech.errors), timeout=20000)
        assert not tech.errors, tech.errors
        inp = agent.worker.input
        driver = agent.worker.active
        assert inp is not None and driver is not None
        real_apply: Callable[..., Any] = inp.apply

        def probed_apply(msg: m.Message, *args: Any, **kwargs: Any) -> None:
            if isinstance(msg, m.PointerMove) and (msg.x, msg.y) == (7, 9):
                note("input handed to the input thread")
                input_seen.set()
            real_apply(msg, *args, **kwargs)

        monkeypatch.setattr(inp, "apply", probed_apply)
        payload = bytes(range(256)) * (BIG // 256 + 1)
        big = EncodedFrame(1000, 1000, 10**6,
                           [m.Rect(0, 0, 1000, 1000, 1, payload)])  # RAW_ZSTD-sized bytes
        driver.loop.call_soon_threadsafe(driver._send_frame, big)
        qtbot.waitUntil(lambda: len(order) == 3 or bool(tech.errors), timeout=30000)
        assert not tech.errors, tech.errors
        assert order == ["seal started", "input handed to the input thread", "frame written"]
    finally:
        tech.go.set()
        tech.done.set()
        tech.thread.join(15)
    assert not tech.thread.is_alive()
