"""Big messages sealed off the loop (issue 16): wire order is kept behind them, the end is
flushed after them, and a teardown drops them cleanly. Over the FAKE in-memory transport of
tests/desktop/test_session_driver.py (no relay, no Qt); the real path is
tests/e2e/test_input_first.py."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from nacl.bindings import crypto_secretbox_easy, crypto_secretbox_open_easy

from desktop import session_driver
from desktop.relay_client import RelayClosed
from shared import channel
from shared import messages as m
from shared.channel import SecureChannel
from shared.session import (
    AgentSession,
    ConsentRequested,
    ConsoleSession,
    FrameReceived,
    InputReceived,
    PermissionsChanged,
)
from tests.desktop.test_session_driver import CODE, Recorder, _record, pipe, run_then_leave

BIG = session_driver.OFFLOOP_SEAL_MIN


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Big seals wait for this (on whatever thread they run), so the test sees them pending."""
    opened = threading.Event()
    real = crypto_secretbox_easy  # (what shared.channel calls)

    def gated(message: bytes, nonce: bytes, key: bytes) -> bytes:
        if len(message) >= BIG:
            assert threading.current_thread() is not threading.main_thread(), "sealed on loop"
            assert opened.wait(10)
        return real(message, nonce, key)

    monkeypatch.setattr(channel, "crypto_secretbox_easy", gated)
    return opened


def pair() -> tuple[SecureChannel, SecureChannel]:
    return SecureChannel(bytes(32), bytes(range(32))), SecureChannel(bytes(range(32)), bytes(32))


def test_what_follows_a_big_seal_waits_for_it(tmp_path: Path, gate: threading.Event) -> None:
    async def main() -> list[bytes]:
        loop = asyncio.get_running_loop()
        driver = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), lambda ev: None, loop)
        agent, console = pair()
        driver.send_job(agent.reserve(b"F" * BIG))  # sealed on the worker, waits at the gate
        driver.send(agent.seal(b"after"))
        driver.send_job(agent.reserve(b"small"))  # small: sealed here, still behind the frame
        await asyncio.sleep(0.05)
        assert driver._sendq.empty(), "nothing may overtake the frame being sealed"
        gate.set()
        await asyncio.wait_for(_filled(driver, 3), 5)
        out = [console.open(driver._sendq.get_nowait() or b"") for _ in range(3)]
        driver.send(agent.seal(b"straight"))  # nothing pending: straight to the sender
        assert console.open(driver._sendq.get_nowait() or b"") == b"straight"
        await driver.close()
        return out

    assert asyncio.run(main()) == [b"F" * BIG, b"after", b"small"]


async def _filled(driver: Recorder, n: int) -> None:
    while driver._sendq.qsize() < n:
        await asyncio.sleep(0.005)


def test_the_end_is_flushed_after_a_pending_seal(tmp_path: Path, gate: threading.Event) -> None:
    async def main() -> list[bytes]:
        loop = asyncio.get_running_loop()
        conn, _ = pipe()
        driver = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), lambda ev: None, loop)
        run = asyncio.ensure_future(driver.run(conn))  # type: ignore[arg-type]
        await asyncio.sleep(0.01)
        agent, console = pair()
        driver.send_job(agent.reserve(b"F" * BIG))
        driver.send(agent.seal(b"last words"))
        conn.inbox.put_nowait(RelayClosed("lost"))  # the run ends with the seal pending
        loop.call_later(0.1, gate.set)
        await asyncio.wait_for(run, 5)
        return [console.open(data) for data in conn.sent[1:]]  # (after the handshake start)

    assert asyncio.run(main()) == [b"F" * BIG, b"last words"]


def test_teardown_and_a_dropped_link_drop_pending_seals(tmp_path: Path,
                                                        gate: threading.Event) -> None:
    async def main() -> Recorder:
        loop = asyncio.get_running_loop()
        driver = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), lambda ev: None, loop)
        agent, _ = pair()
        driver.link_down = True  # reconnecting: sealed for the old link, never sent
        driver.send_job(agent.reserve(b"F" * BIG))
        assert not driver._pending and driver._sendq.empty()
        driver.link_down = False
        driver.send_job(agent.reserve(b"F" * BIG))
        driver.send(agent.seal(b"behind"))
        await driver.close()  # torn down mid-seal
        gate.set()
        await asyncio.sleep(0.1)
        driver.send_job(agent.reserve(b"F" * BIG))  # after close: nothing, never a crash
        return driver

    driver = asyncio.run(main())
    assert driver._sendq.empty() and not driver._pending


def test_a_click_is_not_stuck_behind_a_big_frame_being_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The console's mirror of tests/e2e/test_input_first.py: while a frame of several MB is
    decrypted, the technician's click goes out and reaches the agent BEFORE the frame is
    handled. The probe holds that decryption (at most 3 s) until the click arrived; opened on
    the loop (before issue 16), the click cannot even be sent meanwhile, and this fails."""
    order: list[str] = []
    arrived = threading.Event()
    started = threading.Event()
    real_open = crypto_secretbox_open_easy  # (what shared.channel calls)

    def probed_open(ciphertext: bytes, nonce: bytes, key: bytes) -> bytes:
        if len(ciphertext) >= 1_000_000:
            order.append("frame opening")
            started.set()
            arrived.wait(3)
        return real_open(ciphertext, nonce, key)

    monkeypatch.setattr(channel, "crypto_secretbox_open_easy", probed_open)
    click = m.PointerButton("left", True, 5, 5)

    def agent_saw(ev: object) -> None:
        if isinstance(ev, ConsentRequested):
            asked.set()
        elif isinstance(ev, InputReceived) and ev.message == click:
            order.append("click reached the agent")
            arrived.set()

    def console_saw(ev: object) -> None:
        if isinstance(ev, PermissionsChanged):
            allowed.set()
        elif isinstance(ev, FrameReceived):
            order.append("frame handled")

    asked, allowed = asyncio.Event(), asyncio.Event()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        ca, cc = pipe()
        agent = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), agent_saw, loop)
        console = Recorder(ConsoleSession(CODE, name="Eva"),
                           _record(tmp_path, "console"), console_saw, loop)
        runs = asyncio.gather(run_then_leave(agent, ca), run_then_leave(console, cc))
        await asyncio.wait_for(asked.wait(), 5)
        agent.handle(agent.session.decide(True, frozenset({"view", "control"})))
        await asyncio.wait_for(allowed.wait(), 5)
        assert isinstance(console.session, ConsoleSession) and console.session.control_granted

        def technician_clicks() -> None:  # the GUI thread: its click hops to the loop
            assert started.wait(10)
            loop.call_soon_threadsafe(
                lambda: console.handle(console.session.send_input(click)))

        clicker = threading.Thread(target=technician_clicks, daemon=True)
        clicker.start()
        payload = bytes(range(256)) * 12_000  # ~3 MB
        frame = m.FrameUpdate(1000, 1000, (m.Rect(0, 0, 1000, 1000, 1, payload),), 1)
        agent.send(agent.session.seal_frame(frame))
        await _until_async(lambda: len(order) == 3, 10)
        agent.end("customer_ended")
        await asyncio.wait_for(runs, 5)
        clicker.join(5)

    asyncio.run(main())
    assert order == ["frame opening", "click reached the agent", "frame handled"]


async def _until_async(cond: Callable[[], bool], timeout: float) -> None:
    async def wait() -> None:
        while not cond():
            await asyncio.sleep(0.005)
    await asyncio.wait_for(wait(), timeout)
