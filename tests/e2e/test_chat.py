"""The chat end to end (issue 15 item 1): a real relay, the real agent, the real console.

Both programs run in this process (as in test_verified_technician.py), so the test reads their
real windows and types into their real chat boxes; the customer's consent is the real Allow
button. The session is view-only on purpose: the chat rides on "see", nothing more.

Checked: lines both ways with umlauts and a line break arrive exactly; a 10 kB line is refused by
the sender's own window (a clear message, nothing sent, the session goes on); the chat is in
neither record by default; after the customer's opt-in both records keep it (and the change).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from agent.app import AgentApp
from desktop.audit_store import read_record
from desktop.qt.chat_log import ChatLog
from tests.e2e.conftest import allow, shown_code

pytestmark = pytest.mark.e2e

UMLAUTS = "Grüße aus Köln\nÄrger? Nö."
REPLY = "Schöne Grüße zurück!\nDas klären wir gleich – ßäöü ÄÖÜ"
TEN_KB = "x" * 10_240


@pytest.fixture
def console_app(qtbot, relay_url: str, tmp_path: Path) -> Iterator[object]:
    """The technician's console in this process (data folder: the agent's, see ``agent``;
    the records are told apart by their file names)."""
    from console.app import ConsoleApp

    ini = tmp_path / "console.ini"
    ini.write_text("[technician]\nname=Eva Technik\norganisation=Acme IT\n"
                   f"[relay]\nurl={relay_url}\n")
    con = ConsoleApp(relay_url, str(ini))
    qtbot.addWidget(con.connect_window)
    con.start()
    yield con
    con.worker.stop()
    if con.session_window is not None:
        con.session_window.close()
    con.connect_window.close()


def records(tmp_path: Path, side: str) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for path in sorted((tmp_path / "agent-data" / "audit").glob(f"*-{side}.jsonl")):
        events += read_record(path)
    return events


def named(events: list[dict[str, object]], name: str) -> list[dict[str, object]]:
    return [e for e in events if e["event"] == name]


def send(qtbot, log: ChatLog, text: str) -> None:
    """Write ``text`` into a chat box and press Enter, as a person would."""
    log.input.setFocus()
    log.input.setPlainText(text)
    qtbot.keyClick(log.input, Qt.Key.Key_Return)


def texts(log: ChatLog, kind: str) -> list[str]:
    return [text for who, text in log.lines() if who == kind]


def test_chat_both_ways_view_only_refused_when_too_long_recorded_only_after_opt_in(
        qtbot, agent: AgentApp, console_app, tmp_path: Path) -> None:
    con = console_app
    con.connect_window.code_edit.setText(shown_code(qtbot, agent))
    qtbot.mouseClick(con.connect_window.connect_button, Qt.MouseButton.LeftButton)
    allow(qtbot, agent, control=False)
    qtbot.waitUntil(lambda: con.session_window is not None
                    and con.session_window.state == "streaming", timeout=20000)
    win = con.session_window
    assert win is not None
    panel = win.chat
    customer = agent.window.session_view.chat
    assert agent.window.state == "session" and customer.isVisibleTo(agent.window)
    assert not panel.isVisible()  # the panel opens when the chat begins, not before

    # Technician -> customer, view-only session: arrives exactly, on the panel notice too.
    send(qtbot, panel.log, UMLAUTS)
    qtbot.waitUntil(lambda: texts(customer.log, "peer") == [UMLAUTS], timeout=10000)
    qtbot.waitUntil(lambda: texts(panel.log, "self") == [UMLAUTS], timeout=5000)
    assert panel.log.input.toPlainText() == ""
    assert agent.overlay is not None
    assert agent.overlay.chat_notice_text() == \
        "New message from Eva Technik: Grüße aus Köln Ärger? Nö."

    # Customer -> technician: arrives exactly; the panel (closed meanwhile) opens by itself.
    panel.hide()
    send(qtbot, customer.log, REPLY)
    qtbot.waitUntil(lambda: texts(panel.log, "peer") == [REPLY], timeout=10000)
    assert panel.isVisible() and panel.unread == 1
    assert "(1)" in panel.toggle_action.text()
    assert texts(customer.log, "self") == [REPLY]

    # 10 kB from the customer: refused by the customer's own window, nothing sent.
    send(qtbot, customer.log, TEN_KB)
    assert "too long" in customer.log.problem_shown()
    assert "4096" in customer.log.problem_shown()
    assert customer.log.input.toPlainText() == TEN_KB  # kept, to be shortened
    # ... and from the technician the same.
    send(qtbot, panel.log, TEN_KB)
    assert "too long" in panel.log.problem_shown()

    # Not recorded by default, on either side.
    assert not named(records(tmp_path, "agent"), "chat")
    assert not named(records(tmp_path, "console"), "chat")

    # The session went on: the next line arrives, after the refused ones, and nothing else did.
    customer.log.input.clear()
    # "Show chat" on the session panel brings the customer's window up, keyboard in the chat.
    notice = agent.overlay.panel.chat_notice
    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not agent.window.isMinimized() and agent.window.isVisible(),
                    timeout=5000)
    qtbot.waitExposed(agent.window)
    assert agent.overlay.chat_notice_text() == ""
    qtbot.waitUntil(customer.log.input.hasFocus, timeout=5000)
    box = customer.record_box  # the opt-in, clicked on its tick box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: customer.recording, timeout=10000)
    qtbot.waitUntil(lambda: panel.recorded, timeout=10000)
    assert panel.recorded_text() == "The customer keeps this chat in the session record."
    assert customer.recording and customer.record_box.isChecked()
    send(qtbot, customer.log, "Jetzt mit Protokoll.")
    send(qtbot, panel.log, "Gut, ich sehe es.")
    qtbot.waitUntil(lambda: texts(panel.log, "peer") == [REPLY, "Jetzt mit Protokoll."],
                    timeout=10000)
    qtbot.waitUntil(lambda: texts(customer.log, "peer") == [UMLAUTS, "Gut, ich sehe es."],
                    timeout=10000)
    assert not any(len(t) > 4096 for _, t in panel.log.lines() + customer.log.lines())

    def chat_lines(side: str) -> list[tuple[object, object]]:
        return [(e["sender"], e["text"]) for e in named(records(tmp_path, side), "chat")]

    expected = [("customer", "Jetzt mit Protokoll."), ("technician", "Gut, ich sehe es.")]
    qtbot.waitUntil(lambda: sorted(chat_lines("agent")) == sorted(expected)
                    and sorted(chat_lines("console")) == sorted(expected), timeout=10000)
    for side in ("agent", "console"):
        assert [e["recorded"] for e in named(records(tmp_path, side), "chat_recording")] == \
            [True]
    # Still the view-only session it was: nothing of this granted control.
    assert agent.worker.active is not None
    assert agent.worker.active.session.permissions == frozenset({"view"})
