"""The chat widget both programs show (desktop/qt/chat_log.py), as a real window under Xvfb.

Enter sends and Shift+Enter starts a new line (real key events); the live counter; every text the
protocol does not carry is refused with its own message and never emitted; lines from outside
stay plain text; time stamps; the history is bounded; new lines are announced; German.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from desktop.qt.chat_log import MAX_HISTORY, ChatLog, preview
from desktop.qt.i18n import load_translators

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def log(qtbot) -> ChatLog:
    widget = ChatLog("Eva Technik", now=lambda: datetime(2026, 11, 30, 14, 5))
    qtbot.addWidget(widget)
    widget.resize(360, 420)
    widget.set_active(True)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def sent(qtbot, log: ChatLog) -> list[str]:
    got: list[str] = []
    log.send_requested.connect(got.append)
    return got


def test_enter_sends_shift_enter_starts_a_new_line(qtbot, log: ChatLog) -> None:
    got = sent(qtbot, log)
    log.input.setFocus()
    qtbot.keyClicks(log.input, "Hallo")
    qtbot.keyClick(log.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(log.input, "Welt")
    assert got == [] and log.input.toPlainText() == "Hallo\nWelt"
    assert log.counter.text() == "10 / 4096"
    qtbot.keyClick(log.input, Qt.Key.Key_Return)
    assert got == ["Hallo\nWelt"]
    assert log.input.toPlainText() == "" and log.counter.text() == "0 / 4096"
    # The Send button does the same.
    log.input.setPlainText("  Noch etwas  ")
    qtbot.mouseClick(log.send_button, Qt.MouseButton.LeftButton)
    assert got == ["Hallo\nWelt", "Noch etwas"]
    # The line shows when the worker says it went out, not before.
    assert log.lines() == []
    log.add_sent("Hallo\nWelt")
    assert log.lines() == [("self", "Hallo\nWelt")]
    assert log.history.item(0).text() == "14:05  You:\nHallo\nWelt"


@pytest.mark.parametrize(("text", "words"), [
    ("", "write a message first"),
    ("   \n ", "write a message first"),
    ("x" * 10_240, "too long: at most 4096 characters, it has 10240"),
    ("a\x07b", "control or invisible characters"),
    ("zero\u200bwidth", "control or invisible characters"),
])
def test_text_the_protocol_does_not_carry_is_refused_with_its_reason(
        qtbot, log: ChatLog, text: str, words: str) -> None:
    got = sent(qtbot, log)
    log.input.setPlainText(text)
    log.input.setFocus()
    qtbot.keyClick(log.input, Qt.Key.Key_Return)
    assert got == []
    assert words in log.problem_shown().lower()
    assert log.input.toPlainText() == text  # kept, so it can be mended
    assert log.lines() == []


def test_the_counter_warns_while_typing_past_the_limit(qtbot, log: ChatLog) -> None:
    log.input.setPlainText("y" * 4096)
    assert log.counter.text() == "4096 / 4096" and log.problem_shown() == ""
    log.input.setPlainText("y" * 4097)
    assert log.counter.text() == "4097 / 4096"
    assert "too long" in log.problem_shown()
    log.input.setPlainText("y" * 10)
    assert log.problem_shown() == ""


def test_lines_from_outside_stay_plain_text_with_sender_and_time(qtbot, log: ChatLog) -> None:
    hostile = "<b>x</b> <img src=file:///etc/passwd> &amp;"
    log.add_received(hostile)
    item = log.history.item(0)
    assert item.text() == f"14:05  Eva Technik:\n{hostile}"
    assert log.lines() == [("peer", hostile)]
    assert log.last_announcement == f"New message from Eva Technik: {hostile}"
    log.set_peer_name("<i>Mallory</i>")
    log.add_received("hi")
    assert log.history.item(1).text().startswith("14:05  <i>Mallory</i>:")


def test_lines_dropped_by_the_flood_budget_are_said(qtbot, log: ChatLog) -> None:
    log.add_received("after the flood", dropped_before=7)
    assert log.lines() == [("notice", "Messages not shown because they came too fast: 7"),
                           ("peer", "after the flood")]


def test_the_history_keeps_the_newest_lines_only(qtbot, log: ChatLog) -> None:
    for n in range(MAX_HISTORY + 25):
        log.add_received(f"line {n}")
    assert log.history.count() == MAX_HISTORY
    assert log.lines()[0] == ("peer", "line 25")
    assert log.lines()[-1] == ("peer", f"line {MAX_HISTORY + 24}")


def test_nothing_is_sent_once_the_session_is_over(qtbot, log: ChatLog) -> None:
    got = sent(qtbot, log)
    log.add_received("still readable")
    log.set_active(False)
    log.input.setPlainText("too late")
    qtbot.keyClick(log.input, Qt.Key.Key_Return)
    qtbot.mouseClick(log.send_button, Qt.MouseButton.LeftButton)
    assert got == [] and not log.send_button.isEnabled()
    assert log.lines() == [("peer", "still readable")]


def test_preview_is_one_line_cut_at_a_word() -> None:
    assert preview("Grüße aus Köln\nÄrger? Nö.") == "Grüße aus Köln Ärger? Nö."
    long = "Bitte klicken Sie oben rechts auf das Zahnrad und dann auf Einstellungen " * 3
    short = preview(long)
    assert short.endswith("…") and len(short) <= 81 and "  " not in short


@pytest.mark.parametrize("program", ["agent", "console"])
def test_german_in_both_programs(qtbot, qapp: QApplication, program: str) -> None:
    i18n = ROOT / program / "i18n"
    load_translators(qapp, i18n, f"fernhilfe_{program}", QLocale("de_DE"))
    try:
        log = ChatLog("Eva", now=lambda: datetime(2026, 11, 30, 9, 7))
        qtbot.addWidget(log)
        log.set_active(True)
        assert log.send_button.text() == "Senden"
        assert log.input.accessibleName() == "Chat-Nachricht"
        log.add_sent("Hallo")
        assert log.history.item(0).text() == "09:07  Sie:\nHallo"
        log.input.setPlainText("z" * 5000)
        assert "zu lang" in log.problem_shown()
        log.add_received("x", dropped_before=2)
        assert "zu schnell" in log.lines()[1][1]
    finally:
        load_translators(qapp, i18n, f"fernhilfe_{program}", QLocale("en_US"))


def test_a_line_that_could_not_go_out_is_said_and_offered_again(qtbot, log: ChatLog) -> None:
    log.not_sent("noch da?")
    assert log.lines() == [("notice", "Your message was not sent because the connection is "
                                      "being re-made. Please send it again.")]
    assert log.input.toPlainText() == "noch da?"
    log.input.setPlainText("schon Neues")
    log.not_sent("alt")
    assert log.input.toPlainText() == "schon Neues"  # never overwrites what is being written
