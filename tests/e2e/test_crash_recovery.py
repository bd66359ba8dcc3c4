"""After the agent dies mid-session (SIGKILL: no cleanup at all), the next start releases the keys
and buttons the technician left held and closes the record as "agent ended unexpectedly".

The first agent is the real one in a process of its own (tests/e2e/crash_agent.py clicks its real
Allow button); the technician is a real ConsoleSession over the real relay that holds Ctrl and
the left button through the agent's real XTEST injection on this process's Xvfb. The second
agent is the real AgentApp started in this process on the same display and data folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from Xlib import X
from Xlib import display as xdisplay
from Xlib.ext import xtest

from agent.app import AgentApp
from agent.config import AgentConfig
from bench.support.waiting import wait_for_async
from bench.support.xvfb import XvfbDisplay
from desktop.audit_store import CRASHED_REASON, read_record
from desktop.relay_client import RelayConnection
from shared import messages as m
from shared.codes import parse_code
from shared.session import ConsoleSession
from tests.e2e.conftest import ROOT

pytestmark = pytest.mark.e2e
CTRL_L = 37  # evdev keycode of ControlLeft


def held(d: xdisplay.Display) -> tuple[list[int], int]:
    bits = d.query_keymap()
    keys = [i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte & (1 << b)]
    mask = d.screen().root.query_pointer().mask
    return keys, mask & (X.Button1Mask | X.Button2Mask | X.Button3Mask)


async def hold_input(url: str, code_text: str, d: xdisplay.Display) -> RelayConnection:
    """Be the technician: join, wait for Allow, then press Ctrl and the left button."""
    code = parse_code(code_text)
    conn = await RelayConnection.open(url)
    await conn.join(code.nameplate)
    session = ConsoleSession(code, name="Eva Technik", organisation="Acme IT")
    await conn.send(session.start())
    while not session.control_granted:
        step = session.receive(await asyncio.wait_for(conn.recv(), 20))
        for out in step.outgoing:
            await conn.send(out)
        assert not session.ended, session.end_reason
    for msg in (m.PointerMove(300, 300), m.Key("ControlLeft", "", True),
                m.PointerButton("left", True, 300, 300)):
        for out in session.send_input(msg).outgoing:
            await conn.send(out)
    await wait_for_async(lambda: held(d) == ([CTRL_L], X.Button1Mask), 10,
                         "the technician's input to be held", 0.05)
    return conn


def test_next_start_releases_held_input_and_closes_the_record(
        qtbot, relay_url: str, x_display: XvfbDisplay, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "agent-data"
    env = {**os.environ, "FERNHILFE_DATA_DIR": str(data), "DISPLAY": x_display.name}
    proc = subprocess.Popen([sys.executable, "-m", "tests.e2e.crash_agent", relay_url],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    d = xdisplay.Display(x_display.name)
    app: AgentApp | None = None
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        assert first["event"] == "code"
        conn = asyncio.run(hold_input(relay_url, first["code"], d))
        assert held(d) == ([CTRL_L], X.Button1Mask), "the technician's input is not held"
        proc.send_signal(signal.SIGKILL)  # the agent dies mid-session, nothing cleans up
        proc.wait(10)
        time.sleep(0.3)  # the stimulus: a moment after the crash, watched
        assert held(d) == ([CTRL_L], X.Button1Mask), "X released the keys by itself"
        del conn
        # Next start of the agent on the same desktop and data folder.
        monkeypatch.setenv("FERNHILFE_DATA_DIR", str(data))
        app = AgentApp(AgentConfig(relay_url=relay_url))
        qtbot.addWidget(app.window)
        app.start()
        qtbot.waitUntil(lambda: held(d) == ([], 0), timeout=10000)
        records = sorted((data / "audit").glob("session-*.jsonl"))
        assert records
        events = read_record(records[0])
        assert events[-1]["event"] == "session_ended"
        assert events[-1]["reason"] == CRASHED_REASON
        assert "session_started" in [e["event"] for e in events]
        assert not list((data / "audit").glob("running-*"))
        qtbot.waitUntil(lambda: app is not None and app.window.state == "code", timeout=15000)
    finally:
        if proc.poll() is None:
            proc.kill()
        keys, buttons = held(d)  # never leave the shared test display with stuck input
        for kc in keys:
            xtest.fake_input(d, X.KeyRelease, kc)
        if buttons:
            xtest.fake_input(d, X.ButtonRelease, 1)
        d.sync()
        d.close()
        if app is not None:
            app.worker.stop()
            app.window.close()
        QApplication.processEvents()
