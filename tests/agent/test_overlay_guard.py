"""The control panel cannot be moved away, and the customer's hotkey works whatever is held.

Real X throughout: the test process's Xvfb, the real panel window, moves made by ``xdotool``
(another X client, like anything a technician could start), keys and buttons injected by XTest
(``xdotool``), and the real :class:`agent.hotkey.X11Hotkey` grabbing on the root window. Bare Xvfb
has no window manager; the panel bypasses window managers, so it behaves the same under one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QRect, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from agent.hotkey import Hotkey, X11Hotkey, create_hotkey
from agent.ui import SessionOverlay, install_translator
from agent.ui.overlay import PANEL_FLAGS

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool not installed")


def xdo(*args: str) -> str:
    """Run xdotool on this test's display (a separate X client, like a planted script)."""
    out = subprocess.run(["xdotool", *args], check=True, capture_output=True, text=True,
                         env=dict(os.environ), timeout=10)
    return out.stdout


def x_geometry(window: QWidget) -> QRect:
    """Where the X server (not Qt) says the window is."""
    values = dict(
        line.split("=", 1)
        for line in xdo("getwindowgeometry", "--shell", str(int(window.winId()))).split()
    )
    return QRect(int(values["X"]), int(values["Y"]), int(values["WIDTH"]), int(values["HEIGHT"]))


def on_screen(rect: QRect) -> bool:
    return any(s.geometry().contains(rect) for s in QGuiApplication.screens())


@pytest.fixture
def guarded(qtbot, english) -> Iterator[SessionOverlay]:
    ov = SessionOverlay("Anna Schmidt", control=True, hotkey=X11Hotkey())
    ov.show()
    qtbot.waitExposed(ov.panel)
    yield ov
    ov.close()


# ----------------------------------------------------------------------------- placement


def test_panel_bypasses_the_window_manager_and_stays_on_top(guarded) -> None:
    flags = guarded.panel.windowFlags()
    assert flags & Qt.WindowType.X11BypassWindowManagerHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert PANEL_FLAGS & Qt.WindowType.X11BypassWindowManagerHint


@pytest.mark.parametrize("where", [(-3000, -3000), (5000, 300), (1270, 790), (-200, 10)],
                         ids=["far-top-left", "far-right", "mostly-off-corner", "half-off-left"])
def test_panel_moved_off_screen_by_another_program_comes_back(qtbot, guarded, where) -> None:
    panel = guarded.panel
    before = x_geometry(panel)
    assert on_screen(before)
    xdo("windowmove", str(int(panel.winId())), str(where[0]), str(where[1]))
    qtbot.waitUntil(lambda: on_screen(x_geometry(panel)), timeout=3000)
    assert on_screen(panel.frameGeometry())
    assert x_geometry(panel).size() == before.size()


def test_panel_dragged_off_screen_is_clamped(qtbot, guarded) -> None:
    """Dragging (what injected mouse input can do) cannot push it off its monitor either."""
    panel = guarded.panel
    screen = QGuiApplication.primaryScreen().geometry()
    grip = x_geometry(panel).topLeft() + panel.label.geometry().center()
    xdo("mousemove", str(grip.x()), str(grip.y()))
    qtbot.wait(100)  # the stimulus: a drag paced as a hand moves (Qt merges queued motion)
    xdo("mousedown", "1")
    qtbot.wait(100)  # the stimulus: as above
    try:
        for x, y in ((grip.x() + 300, grip.y() + 300), (screen.right(), screen.bottom())):
            xdo("mousemove", str(x), str(y))
            qtbot.wait(100)  # the stimulus: as above
    finally:
        xdo("mouseup", "1")

    def in_corner() -> bool:
        geo = x_geometry(panel)
        return geo.right() == screen.right() and geo.bottom() == screen.bottom()

    qtbot.waitUntil(in_corner, timeout=3000)


def test_panel_raised_again_over_a_newer_window(qtbot, guarded) -> None:
    """A window opened later over the panel is stacked below it again within the guard tick."""
    cover = QWidget(None, Qt.WindowType.X11BypassWindowManagerHint
                    | Qt.WindowType.FramelessWindowHint)
    cover.setGeometry(guarded.panel.frameGeometry().adjusted(-20, -20, 20, 20))
    qtbot.addWidget(cover)
    cover.show()
    cover.raise_()
    qtbot.waitExposed(cover)
    qtbot.waitUntil(lambda: _stacked_above(guarded.panel, cover), timeout=3000)


def _stacked_above(top: QWidget, below: QWidget) -> bool:
    """True if ``top`` is above ``below`` in the X server's stacking order of root children."""
    from Xlib.display import Display

    display = Display()
    try:
        children = display.screen().root.query_tree().children  # bottom-to-top
        ids = [c.id for c in children]
        return ids.index(int(top.winId())) > ids.index(int(below.winId()))
    finally:
        display.close()


# ----------------------------------------------------------------------------- hotkey


@pytest.fixture
def technician_target(qtbot) -> Iterator[QWidget]:
    """A window of some program the technician is working in (receives their held input)."""

    class Target(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.keys: list[int] = []

        def keyPressEvent(self, event: QKeyEvent) -> None:
            self.keys.append(event.key())

    win = Target()
    win.setGeometry(100, 200, 400, 300)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.setFocus()
    yield win


def _held(*keys: str, button: bool = True) -> tuple[list[list[str]], list[list[str]]]:
    downs = [["keydown", k] for k in keys] + ([["mousedown", "1"]] if button else [])
    ups = ([["mouseup", "1"]] if button else []) + [["keyup", k] for k in reversed(keys)]
    return downs, ups


@pytest.mark.parametrize("held", [("a",), ("shift", "a"), ("super", "a"), ("ctrl",)],
                         ids=["letter", "shift+letter", "super+letter", "ctrl"])
def test_hotkey_stops_control_then_ends_while_technician_holds_keys_and_button(
    qtbot, guarded, technician_target, held
) -> None:
    assert guarded.hotkey_active
    assert guarded.panel.control_keys.isVisible() and guarded.panel.end_keys.isVisible()
    assert guarded.panel.control_keys.text() == "or Ctrl+Alt+End"
    assert guarded.panel.end_keys.text() == "or Ctrl+Alt+Home"
    xdo("mousemove", "300", "350")
    downs, ups = _held(*held)
    for cmd in downs:
        xdo(*cmd)
    try:
        with qtbot.waitSignal(guarded.control_toggle_requested, timeout=3000) as blocker:
            xdo("key", "ctrl+alt+End")
        assert blocker.args == [False]
        with qtbot.waitSignal(guarded.end_session_requested, timeout=3000):
            xdo("key", "ctrl+alt+End")
    finally:
        for cmd in ups:
            xdo(*cmd)


def test_hotkey_never_grants_control(qtbot, english, technician_target) -> None:
    ov = SessionOverlay("Anna", control=False, hotkey=X11Hotkey())
    ov.show()
    try:
        qtbot.waitExposed(ov.panel)
        granted: list[bool] = []
        ov.control_toggle_requested.connect(granted.append)
        for _ in range(2):
            with qtbot.waitSignal(ov.end_session_requested, timeout=3000):
                xdo("key", "ctrl+alt+End")
        assert granted == []
    finally:
        ov.close()


def test_pause_key_also_works(qtbot, guarded, technician_target) -> None:
    with qtbot.waitSignal(guarded.control_toggle_requested, timeout=3000) as blocker:
        xdo("key", "Pause")
    assert blocker.args == [False]


def test_held_hotkey_fires_once(qtbot, guarded, technician_target) -> None:
    stops: list[bool] = []
    ends: list[bool] = []
    guarded.control_toggle_requested.connect(stops.append)
    guarded.end_session_requested.connect(lambda: ends.append(True))
    for key in ("ctrl", "alt", "End"):
        xdo("keydown", key)
    qtbot.wait(1200)  # the stimulus: hold the keys longer than the auto-repeat delay
    for key in ("End", "alt", "ctrl"):
        xdo("keyup", key)
    qtbot.wait(300)  # the stimulus: the key-ups arrive, watched (they must trigger nothing)
    assert stops == [False]
    assert ends == []


def test_plain_end_still_reaches_programs(qtbot, guarded, technician_target) -> None:
    """Only Ctrl+Alt+End is taken: End alone keeps working in the customer's programs."""
    xdo("mousemove", "300", "350")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is technician_target or True)
    technician_target.activateWindow()
    technician_target.setFocus()
    xdo("key", "End")
    qtbot.waitUntil(lambda: Qt.Key.Key_End in technician_target.keys, timeout=3000)


def test_hotkey_released_after_close(qtbot, english) -> None:
    """Closing the overlay ungrabs: the next session (or program) can grab it again."""
    first = X11Hotkey()
    assert first.start()
    first.stop()
    second = X11Hotkey()
    try:
        assert second.start()
    finally:
        second.stop()


def test_no_display_gives_a_harmless_no_op(qtbot, english, monkeypatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    hotkey = create_hotkey()
    assert type(hotkey) is Hotkey
    assert hotkey.start() is False
    hotkey.stop()
    ov = SessionOverlay("Anna", control=True, hotkey=hotkey)
    ov.show()
    try:
        assert not ov.hotkey_active
        assert not ov.panel.control_keys.isVisibleTo(ov.panel)
        assert not ov.panel.end_keys.isVisibleTo(ov.panel)
    finally:
        ov.close()


def test_hotkey_hint_in_german(qtbot, qapp) -> None:
    install_translator(qapp, QLocale("de_DE"))
    ov = SessionOverlay("Anna", control=True, hotkey=X11Hotkey())
    try:
        ov.show()
        qtbot.waitExposed(ov.panel)
        assert ov.panel.control_keys.text() == "oder Strg+Alt+Ende"
        assert ov.panel.end_keys.text() == "oder Strg+Alt+Pos1"
        assert ov.panel.end_button.accessibleDescription() == "Tastenkürzel: Strg+Alt+Pos1"
    finally:
        ov.close()
        install_translator(qapp, QLocale("en_US"))


def test_combination_taken_by_another_program_is_reported(qtbot, english) -> None:
    """If another program already grabbed Ctrl+Alt+End, we say so instead of half-working."""
    other = X11Hotkey()
    assert other.start()
    try:
        ours = X11Hotkey()
        assert ours.start() is False
        ov = SessionOverlay("Anna", control=True, hotkey=ours)
        ov.show()
        try:
            assert not ov.hotkey_active
            assert not ov.panel.end_keys.isVisibleTo(ov.panel)
        finally:
            ov.close()
    finally:
        other.stop()


def test_pause_taken_elsewhere_keeps_ctrl_alt_end(qtbot, english, technician_target) -> None:
    from Xlib import XK, X
    from Xlib.display import Display

    other = Display()
    root = other.screen().root
    pause = other.keysym_to_keycode(XK.string_to_keysym("Pause"))
    root.grab_key(pause, X.ShiftMask, False, X.GrabModeAsync, X.GrabModeAsync)
    other.sync()
    ov = SessionOverlay("Anna", control=True, hotkey=X11Hotkey())
    try:
        ov.show()
        qtbot.waitExposed(ov.panel)
        assert ov.hotkey_active
        with qtbot.waitSignal(ov.control_toggle_requested, timeout=3000):
            xdo("key", "ctrl+alt+End")
    finally:
        ov.close()
        other.close()
