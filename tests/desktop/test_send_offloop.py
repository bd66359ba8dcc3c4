"""Big messages sealed off the loop (issue 16): wire order is kept behind them, the end is
flushed after them, and a teardown drops them cleanly. Over the FAKE in-memory transport of
tests/desktop/test_session_driver.py (no relay, no Qt); the real path is
tests/e2e/test_input_first.py."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from nacl.bindings import crypto_secretbox_easy

from desktop import session_driver
from desktop.relay_client import RelayClosed
from shared import channel
from shared.channel import SecureChannel
from shared.session import AgentSession
from tests.desktop.test_session_driver import CODE, Recorder, _record, pipe

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
