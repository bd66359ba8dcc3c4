"""Issue 17 on the technician's side, through a real relay on loopback: what the connect window
ticks is what the customer is asked for, the clipboard crosses only while the customer allows
it (both ways, no echo, never the text in the record), "Ask for more…" reaches the customer,
and a hostile agent's clipboard flood is budgeted.

Real parts: the relay (subprocess on 127.0.0.1), the console's ``ConsoleApp`` with its real
windows, worker and system clipboard under this process's Xvfb. The customer's side is
:class:`tests.console.scripted_agent.ScriptedAgent` (the real ``AgentSession`` whose consent is
answered by the test: tests/agent and tests/e2e click the agent's real dialog) or, for the
flood, :class:`bench.hostile_agent.HostileAgent`.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from bench.hostile_agent import HostileAgent
from console.app import ConsoleApp
from console.driver import ConsoleSessionDriver
from desktop.audit_store import read_record
from shared import messages as m
from shared.session import ClipboardReceived, PermissionsRequested
from tests.console.scripted_agent import ScriptedAgent

#: The console's receive budget for clipboard text (api17.md section 2): 5, then 1 a second.
CLIP_BURST, CLIP_PER_SECOND = 5, 1


def _audit(tmp_path: Path) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for path in sorted((tmp_path / "console-data" / "audit").glob("*.jsonl")):
        events += read_record(path)
    return events


def connect_by_window(qtbot, console: ConsoleApp, relay_url: str, code: str,
                      ticks: tuple[str, ...]) -> None:
    """The technician's way: tick, type, click Connect."""
    win = console.connect_window
    win.show()
    for name, box in win.ask_boxes.items():
        box.setChecked(name in ticks)
    win.name_edit.setText("Eva Technik")
    win.relay_edit.setText(relay_url)
    win.code_edit.setText(code)
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)


def running_window(qtbot, console: ConsoleApp):
    qtbot.waitUntil(lambda: console.session_window is not None
                    and console.session_window.state == "streaming", timeout=20000)
    assert console.session_window is not None
    return console.session_window


def test_the_ticks_are_what_the_customer_is_asked_for(qtbot, console: ConsoleApp,
                                                      relay_url: str, english) -> None:
    agent = ScriptedAgent(relay_url, grant={"view"})
    try:
        connect_by_window(qtbot, console, relay_url, agent.start(), ("clipboard", "files_in"))
        qtbot.waitUntil(lambda: agent.consent is not None, timeout=20000)
        assert agent.consent is not None
        assert agent.consent.permissions == {"view", "control", "clipboard", "files_in"}
        win = running_window(qtbot, console)
        assert win.status_texts()[1] == "View only"  # what was granted, not what was asked
    finally:
        agent.stop()


def copy_here(qtbot, text: str) -> None:
    """The technician copies ``text`` (the console's own X clipboard)."""
    QGuiApplication.clipboard().setText(text)
    qtbot.wait(50)


def test_clipboard_crosses_only_while_allowed_both_ways_without_echo(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path, english) -> None:
    agent = ScriptedAgent(relay_url, grant={"view", "control"})  # clipboard asked, not ticked
    try:
        connect_by_window(qtbot, console, relay_url, agent.start(), ("clipboard",))
        win = running_window(qtbot, console)
        bridge = console.clipboard
        assert bridge is not None and not bridge.enabled
        copy_here(qtbot, "secret before the customer allowed")
        qtbot.wait(300)
        assert agent.session is not None and agent.session.clipboard_received == 0
        assert not agent.session.dropped_inputs["ClipboardText"]  # never even sent
        # the customer allows the clipboard in the panel
        agent.do(lambda s: s.set_permission("clipboard", True))
        qtbot.waitUntil(lambda: bridge.enabled, timeout=5000)
        assert "Clipboard" in win.status_texts()[1]
        copy_here(qtbot, "Lizenz ABC-123")
        qtbot.waitUntil(lambda: bool(agent.of(ClipboardReceived)), timeout=5000)
        assert agent.of(ClipboardReceived) == [ClipboardReceived("Lizenz ABC-123")]
        qtbot.waitUntil(lambda: win.clipboard_text() == "Clipboard sent (14 characters)",
                        timeout=5000)
        # the customer copies: it lands on the technician's clipboard, and is not sent back
        agent.do(lambda s: s.send_clipboard("Hallo vom Kunden"))
        qtbot.waitUntil(lambda: QGuiApplication.clipboard().text() == "Hallo vom Kunden",
                        timeout=5000)
        assert win.clipboard_text() == "Clipboard received (16 characters)"
        qtbot.wait(300)
        assert len(agent.of(ClipboardReceived)) == 1  # no echo
        # the customer stops it: the bridge is off at once, a copy goes nowhere
        agent.do(lambda s: s.set_permission("clipboard", False))
        qtbot.waitUntil(lambda: not bridge.enabled, timeout=5000)
        copy_here(qtbot, "after the revoke")
        qtbot.wait(300)
        assert len(agent.of(ClipboardReceived)) == 1
        assert agent.session.clipboard_received == 1
        records = _audit(tmp_path)
        clips = [e for e in records if e["event"] == "clipboard"]
        assert [(e["direction"], e["chars"]) for e in clips] == [
            ("to_customer", 14), ("to_technician", 16)]
        text = json.dumps(records, ensure_ascii=False)
        assert "Lizenz" not in text and "Hallo vom" not in text  # never the text itself
    finally:
        agent.stop()


def test_ask_for_more_reaches_the_customer_and_the_answer_shows(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path, english) -> None:
    agent = ScriptedAgent(relay_url, grant={"view"})
    try:
        connect_by_window(qtbot, console, relay_url, agent.start(), ())
        win = running_window(qtbot, console)
        assert win.ask_action.isEnabled()
        win.ask_action.trigger()
        dialog = win.ask_dialog
        assert dialog is not None
        dialog.boxes["files_out"].setChecked(True)
        dialog.boxes["clipboard"].setChecked(True)
        qtbot.mouseClick(dialog.ask_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(agent.of(PermissionsRequested)), timeout=5000)
        asked = agent.of(PermissionsRequested)[0]
        assert isinstance(asked, PermissionsRequested)
        assert asked.permissions == {"clipboard", "files_out"}
        agent.do(lambda s: s.set_permission("files_out", True))  # the customer allows one
        qtbot.waitUntil(lambda: "files_out" in win.permissions, timeout=5000)
        assert win.status_texts()[1] == "View only · Receive files"
        assert "Receive files" in win.notice_text()
        requested = [e for e in _audit(tmp_path) if e["event"] == "permissions_requested"]
        assert requested and requested[0]["permissions"] == ["clipboard", "files_out"]
    finally:
        agent.stop()


def test_a_clipboard_flood_is_budgeted(qtbot, console: ConsoleApp, relay_url: str,
                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """300 clipboard texts of 60 kB as fast as the relay carries them: the console takes 5,
    then 1 a second (the rest dropped and counted), the session goes on, and the technician's
    clipboard holds one whole text from the customer, never a mix."""
    seen: Counter[str] = Counter()
    on_event = ConsoleSessionDriver.on_event

    def counting(self: ConsoleSessionDriver, ev: object) -> None:
        seen[type(ev).__name__] += 1
        on_event(self, ev)

    monkeypatch.setattr(ConsoleSessionDriver, "on_event", counting)
    flood = [m.encode(m.ClipboardText(f"{i:04d} " + "x" * 60_000)) for i in range(300)]
    agent = HostileAgent(relay_url, flood, repeat=False)
    try:
        ended: list[str] = []
        console.worker.ended.connect(lambda reason, msg: ended.append(reason))
        console.worker.connect_to(relay_url, "Eva Technik", "Acme IT", agent.start(), None,
                                  frozenset({"view", "control", "clipboard"}))
        qtbot.waitUntil(lambda: agent.allowed_at is not None, timeout=20000)
        started = time.monotonic()
        qtbot.waitUntil(lambda: agent.frames_sent >= len(flood), timeout=30000)
        driver = console.worker.joiner.active
        assert driver is not None
        qtbot.waitUntil(lambda: seen["ClipboardReceived"]
                        + driver.session.dropped["ClipboardText"] >= len(flood),
                        timeout=30000)
        took = time.monotonic() - started
        assert seen["ClipboardReceived"] <= CLIP_BURST + CLIP_PER_SECOND * (took + 1), seen
        assert driver.session.dropped["ClipboardText"] >= len(flood) - seen["ClipboardReceived"]
        assert not ended and agent.end_at is None  # a flood is dropped, never an error
        qtbot.waitUntil(lambda: QGuiApplication.clipboard().text().endswith("x" * 60_000),
                        timeout=5000)
        assert len(QGuiApplication.clipboard().text()) == 60_005
    finally:
        agent.stop()
