"""The console never waits for ever: a silent agent times out, an impossible code fails at once.

Real relay (``python -m relay`` on loopback), the real ``ConsoleApp`` and worker under Xvfb. The
silent "agent" is a bare relay client (``RelayConnection``) that hosts a code, gets paired and
then says nothing, as a broken or hostile agent may.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

import shared.session
from console.app import ConsoleApp
from desktop.relay_client import RelayConnection
from shared import rendezvous as rv


class SilentAgent:
    """Hosts a code on the real relay, is paired, then never says a word."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.nameplate = ""
        self.paired = threading.Event()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    def start(self) -> str:
        self._thread.start()
        assert self._ready.wait(10), "the silent agent got no nameplate"
        return f"{self.nameplate} 123 456"

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        conn = await RelayConnection.open(self.url)
        try:
            self.nameplate = (await conn.host()).nameplate
            self._ready.set()
            await conn.wait_paired()
            self.paired.set()
            await self._stop.wait()  # silence
        finally:
            await conn.close()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(5)


def test_an_agent_that_pairs_and_stays_silent_times_out(
        qtbot, console: ConsoleApp, relay_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shared.session, "PEER_SILENCE_TIMEOUT", 1.0)  # 30 s in the product
    agent = SilentAgent(relay_url)
    try:
        code = agent.start()
        ended: list[tuple[str, str]] = []
        console.worker.ended.connect(lambda reason, msg: ended.append((reason, msg)))
        console.worker.connect_to(relay_url, "Eva Technik", "Acme IT", code)
        assert agent.paired.wait(10)
        qtbot.waitUntil(lambda: bool(ended), timeout=10000)
        assert ended[0][0] == "peer_timeout"
    finally:
        agent.stop()


def test_a_code_no_relay_can_have_fails_at_once_instead_of_hanging(
        qtbot, console: ConsoleApp, relay_url: str) -> None:
    """A nameplate starting with 0 is valid to type but never handed out: say so, plainly."""
    failed: list[str] = []
    console.worker.failed.connect(failed.append)
    console.worker.connect_to(relay_url, "Eva Technik", "Acme IT", "012 345 678")
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert failed == [f"rejected:{rv.ErrorCode.UNKNOWN_NAMEPLATE.value}"]  # a kind, no words


def test_a_console_that_cannot_keep_a_record_says_so_before_joining(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relay_url: str) -> None:
    """No session without a record: the connect window says none was started (not that one
    "was ended"), and the relay is never asked, so the customer's code stays valid."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(blocked))
    app = ConsoleApp(relay_url, str(tmp_path / "console.ini"))  # never the user's settings
    qtbot.addWidget(app.connect_window)
    try:
        app.worker.connect_to(relay_url, "Eva Technik", "Acme IT", "123 456 789")
        qtbot.waitUntil(lambda: bool(app.connect_window.error_text()), timeout=5000)
        text = app.connect_window.error_text()
        assert text.startswith("No session was started")
        assert "code is still valid" in text
        assert app.session_window is None
    finally:
        app.worker.stop()
        app.connect_window.close()
