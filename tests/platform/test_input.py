"""Input through the platform's backend reaches a real window: German characters, shortcuts,
clicks, the wheel and a drag.

The injector is the agent's own (``agent.input.create_injector()``: XTest on Linux, pynput on
Windows and macOS); the target is a Qt window of this process that records what the operating
system delivers to it (tests/platform/conftest.py). Linux: the test process's Xvfb; Windows and
macOS: the runner's desktop (.github/workflows/platforms.yml; macOS needs Accessibility for
posting events, which the job grants).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPoint, Qt

from agent.input import InputInjector
from tests.platform.conftest import Probe, click, focus, injector_point

GERMAN = "äöüßÄÖÜ€@"


def type_text(injector: InputInjector, text: str) -> None:
    """What the console sends for typed characters: the key's text, press then release."""
    for ch in text:
        injector.key("Unidentified", ch, True)
        injector.key("Unidentified", ch, False)


def tap(injector: InputInjector, code: str) -> None:
    injector.key(code, "", True)
    injector.key(code, "", False)


def test_german_characters_arrive_as_typed(qtbot, injector: InputInjector, probe: Probe) -> None:
    focus(qtbot, injector, probe)
    type_text(injector, "Grüße " + GERMAN)
    qtbot.waitUntil(lambda: probe.field.text() == "Grüße " + GERMAN, timeout=5000)


def test_ctrl_a_selects_all_and_typing_replaces_it(qtbot, injector: InputInjector,
                                                  probe: Probe) -> None:
    focus(qtbot, injector, probe)
    type_text(injector, "alt")
    qtbot.waitUntil(lambda: probe.field.text() == "alt", timeout=5000)
    # On macOS "select all" is Cmd+A (MetaLeft on the wire is the Command key there).
    modifier = "MetaLeft" if sys.platform == "darwin" else "ControlLeft"
    injector.key(modifier, "", True)
    injector.key("KeyA", "a", True)
    injector.key("KeyA", "a", False)
    injector.key(modifier, "", False)
    qtbot.waitUntil(lambda: probe.field.selectedText() == "alt", timeout=5000)
    type_text(injector, "neu")
    qtbot.waitUntil(lambda: probe.field.text() == "neu", timeout=5000)


def test_shift_held_by_its_key_extends_the_selection(qtbot, injector: InputInjector,
                                                     probe: Probe) -> None:
    focus(qtbot, injector, probe)
    type_text(injector, "abcd")
    qtbot.waitUntil(lambda: probe.field.text() == "abcd", timeout=5000)
    injector.key("ShiftLeft", "", True)
    tap(injector, "ArrowLeft")
    tap(injector, "ArrowLeft")
    injector.key("ShiftLeft", "", False)
    qtbot.waitUntil(lambda: probe.field.selectedText() == "cd", timeout=5000)
    type_text(injector, "X")
    qtbot.waitUntil(lambda: probe.field.text() == "abX", timeout=5000)
    assert any(e.key == Qt.Key.Key_Shift for e in probe.seen("key_up", "field"))


def test_left_and_right_clicks_land_where_they_were_aimed(qtbot, injector: InputInjector,
                                                          probe: Probe) -> None:
    focus(qtbot, injector, probe)
    for button, where in (("left", QPoint(40, 50)), ("right", QPoint(200, 120))):
        click(qtbot, injector, probe.pad, where, button)
        qtbot.waitUntil(lambda b=button: any(e.button == b for e in probe.seen("release")),
                        timeout=5000)
        press = next(e for e in probe.seen("press") if e.button == button)
        assert abs(press.x - where.x()) <= 1 and abs(press.y - where.y()) <= 1, press


def test_the_wheel_turns_both_ways(qtbot, injector: InputInjector, probe: Probe) -> None:
    focus(qtbot, injector, probe)
    injector.move(*injector_point(probe.pad, QPoint(100, 100)))
    qtbot.wait(100)
    injector.wheel(0, 2)  # Qt's sign: positive is up (away from the user)
    qtbot.waitUntil(lambda: any(e.delta > 0 for e in probe.seen("wheel")), timeout=5000)
    injector.wheel(0, -2)
    qtbot.waitUntil(lambda: any(e.delta < 0 for e in probe.seen("wheel")), timeout=5000)


def test_a_drag_moves_with_the_button_down_and_ends_where_it_was_let_go(
        qtbot, injector: InputInjector, probe: Probe) -> None:
    focus(qtbot, injector, probe)
    start, end = QPoint(30, 30), QPoint(250, 150)
    injector.move(*injector_point(probe.pad, start))
    qtbot.wait(50)
    injector.button("left", True)
    for step in range(1, 11):
        x = start.x() + (end.x() - start.x()) * step // 10
        y = start.y() + (end.y() - start.y()) * step // 10
        injector.move(*injector_point(probe.pad, QPoint(x, y)))
        qtbot.wait(15)
    injector.button("left", False)
    qtbot.waitUntil(lambda: bool(probe.seen("release")), timeout=5000)
    press, release = probe.seen("press")[0], probe.seen("release")[-1]
    assert abs(press.x - start.x()) <= 1 and abs(press.y - start.y()) <= 1, press
    assert abs(release.x - end.x()) <= 1 and abs(release.y - end.y()) <= 1, release
    dragged = [e for e in probe.seen("move") if e.button == "left"]
    assert len(dragged) >= 3, "the moves between press and release came without the button"
