"""The session frame and the control panel stay above the customer's other windows.

The real :class:`agent.ui.SessionOverlay` is shown, then an ordinary window is opened and raised
after it (what the customer or the technician does next). What "on top" means is asked of each
platform's window system, not of Qt:

- Windows: the extended style ``WS_EX_TOPMOST`` of each window (GetWindowLongW), which no ordinary
  window can get above;
- macOS: the window level (NSWindow ``level``, the window server's kCGWindowLayer) above the
  ordinary window's;
- Linux (X11): the X server's stacking order (XQueryTree lists bottom to top): the panel above the
  window raised after it (its guard raises it again within a second). The frames bypass the window
  manager like the panel and carry Qt's stays-on-top flag.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from agent.ui import SessionOverlay
from agent.ui.overlay import GUARD_INTERVAL_MS


@pytest.fixture
def overlay(qtbot) -> Iterator[SessionOverlay]:
    ov = SessionOverlay("Anna Schmidt", control=True)
    ov.show()
    qtbot.waitExposed(ov.panel)
    yield ov
    ov.close()


@pytest.fixture
def ordinary(qtbot, overlay: SessionOverlay) -> QWidget:
    """An ordinary window opened and raised after the overlay, over the panel's place."""
    window = QWidget()
    qtbot.addWidget(window)
    window.setWindowTitle("an ordinary window")
    window.setGeometry(overlay.panel.geometry().adjusted(-40, -40, 40, 40))
    window.show()
    window.raise_()
    window.activateWindow()
    qtbot.waitExposed(window)
    return window


def frames(overlay: SessionOverlay) -> list[QWidget]:
    shown: list[QWidget] = [f for f in overlay._frames.values() if f.isVisible()]
    assert shown, "the overlay shows no frame"
    return shown


def topmost(window: QWidget) -> bool:
    """Windows: whether the window has WS_EX_TOPMOST."""
    if sys.platform != "win32":
        raise AssertionError("WS_EX_TOPMOST exists on Windows only")
    gwl_exstyle, ws_ex_topmost = -20, 0x00000008
    user32 = ctypes.windll.user32
    user32.GetWindowLongW.restype = ctypes.c_long
    user32.GetWindowLongW.argtypes = [ctypes.c_void_p, ctypes.c_int]
    return bool(user32.GetWindowLongW(int(window.winId()), gwl_exstyle) & ws_ex_topmost)


def level(window: QWidget) -> int:
    """macOS: the window's level (winId() is its NSView; [[view window] level])."""
    objc = ctypes.cdll.LoadLibrary(ctypes.util.find_library("objc") or "libobjc.dylib")
    objc.sel_registerName.restype = ctypes.c_void_p
    objc.sel_registerName.argtypes = [ctypes.c_char_p]
    send = objc.objc_msgSend
    send.restype = ctypes.c_void_p
    send.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    ns_window = send(int(window.winId()), objc.sel_registerName(b"window"))
    assert ns_window, "no NSWindow behind the view"
    send.restype = ctypes.c_long
    return int(send(ns_window, objc.sel_registerName(b"level")))


def x_stack() -> list[int]:
    """X11: the root's children, bottom to top (each Qt window is one of them)."""
    from Xlib import display as xdisplay

    d = xdisplay.Display()
    try:
        return [w.id for w in d.screen().root.query_tree().children]
    finally:
        d.close()


@pytest.mark.skipif(sys.platform != "win32", reason="WS_EX_TOPMOST is a Windows style")
def test_windows_frame_and_panel_are_topmost(overlay: SessionOverlay, ordinary: QWidget) -> None:
    assert topmost(overlay.panel), "the panel is not WS_EX_TOPMOST"
    for frame in frames(overlay):
        assert topmost(frame), "a frame is not WS_EX_TOPMOST"
    assert not topmost(ordinary)


@pytest.mark.skipif(sys.platform != "darwin", reason="window levels are macOS's")
def test_macos_frame_and_panel_are_above_ordinary_windows(overlay: SessionOverlay,
                                                          ordinary: QWidget) -> None:
    normal = level(ordinary)
    assert level(overlay.panel) > normal
    for frame in frames(overlay):
        assert level(frame) > normal


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 stacking order")
def test_x11_panel_comes_back_above_a_window_raised_after_it(
        qtbot, overlay: SessionOverlay, ordinary: QWidget) -> None:
    panel, other = int(overlay.panel.winId()), int(ordinary.winId())

    def panel_above() -> bool:
        stack = x_stack()
        return panel in stack and other in stack and stack.index(panel) > stack.index(other)

    qtbot.waitUntil(panel_above, timeout=GUARD_INTERVAL_MS * 3)
    for frame in frames(overlay):
        flags = frame.windowFlags()
        assert flags & Qt.WindowType.WindowStaysOnTopHint
        assert flags & Qt.WindowType.X11BypassWindowManagerHint


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 stacking order")
def test_x11_frame_comes_back_above_a_window_raised_after_it(
        qtbot, overlay: SessionOverlay, ordinary: QWidget) -> None:
    other = int(ordinary.winId())

    def frames_above() -> bool:
        stack = x_stack()
        return other in stack and all(
            int(f.winId()) in stack and stack.index(int(f.winId())) > stack.index(other)
            for f in frames(overlay))

    qtbot.waitUntil(frames_above, timeout=GUARD_INTERVAL_MS * 3)
