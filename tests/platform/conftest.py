"""What the platform tests share: a Qt test window that records what reaches it, the platform's
input backend, coordinates for it, and what the operating system itself says is held down.

The same tests run on Linux (the test process's Xvfb, XTest), on Windows and on macOS (the real
desktop of a GitHub runner, pynput): .github/workflows/platforms.yml runs them there. Nothing here
is faked: where a platform lacks something, the test is skipped with the reason.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from agent.input import InputInjector, InputUnavailable, create_injector

#: What the pad must be able to tell apart: presses, releases, moves with a button, wheel turns.
PAD_SIZE = (320, 200)


@dataclass
class Seen:
    """One event as the test window saw it (local coordinates in Qt's logical pixels)."""

    kind: str
    widget: str = ""
    x: int = 0
    y: int = 0
    button: str = ""
    key: int = 0
    delta: int = 0
    extra: dict[str, object] = field(default_factory=dict)


#: Qt's buttons by the wire's names.
BUTTONS = {Qt.MouseButton.LeftButton: "left", Qt.MouseButton.RightButton: "right",
           Qt.MouseButton.MiddleButton: "middle"}


class Recorder(QObject):
    """An event filter that writes down what reaches the window's widgets."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Seen] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                    QEvent.Type.MouseMove) and isinstance(event, QMouseEvent):
            pos = event.position().toPoint()
            name = {QEvent.Type.MouseButtonPress: "press",
                    QEvent.Type.MouseButtonRelease: "release"}.get(kind, "move")
            button = BUTTONS.get(event.button(), "")
            if name == "move":
                button = "left" if event.buttons() & Qt.MouseButton.LeftButton else ""
            self.events.append(Seen(name, watched.objectName(), pos.x(), pos.y(), button))
        elif kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            pos = event.position().toPoint()
            self.events.append(Seen("wheel", watched.objectName(), pos.x(), pos.y(),
                                    delta=event.angleDelta().y(),
                                    extra={"dx": event.angleDelta().x()}))
        elif kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease) and isinstance(
                event, QKeyEvent):
            name = "key_down" if kind == QEvent.Type.KeyPress else "key_up"
            self.events.append(Seen(name, watched.objectName(), key=event.key(),
                                    extra={"auto": event.isAutoRepeat()}))
        return False


class Pad(QWidget):
    """Takes every mouse event itself, so none travels on to the window (recorded once)."""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.accept()


class Probe(QWidget):
    """A test window: a text field on top, a pad below; both report to ``recorder``."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Fernhilfe platform test")
        self.field = QLineEdit(self)
        self.field.setObjectName("field")
        self.pad = Pad(self)
        self.pad.setObjectName("pad")
        self.pad.setFixedSize(*PAD_SIZE)
        self.pad.setMouseTracking(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.pad)
        self.recorder = Recorder()
        for widget in (self.field, self.pad):
            widget.installEventFilter(self.recorder)

    def seen(self, kind: str, widget: str = "pad") -> list[Seen]:
        """What reached ``widget`` ("pad" or "field"; "" for both) of one kind, in order."""
        return [e for e in self.recorder.events
                if e.kind == kind and (not widget or e.widget == widget)]


def injector_point(widget: QWidget, local: QPoint) -> tuple[int, int]:
    """Where the platform backend must put the pointer to hit ``local`` in ``widget``.

    Qt speaks logical pixels. X11 (XTest) and macOS (Quartz points) take those; Windows takes
    physical pixels (Qt makes the process per-monitor DPI aware, and so SendInput's absolute
    coordinates and SetCursorPos are physical): there the screen's scale is applied.
    """
    glob = widget.mapToGlobal(local)
    if sys.platform != "win32":
        return glob.x(), glob.y()
    screen = widget.screen()
    geo, ratio = screen.geometry(), screen.devicePixelRatio()
    # Qt's logical desktop keeps each screen's top-left at its native position.
    return (round(geo.x() + (glob.x() - geo.x()) * ratio),
            round(geo.y() + (glob.y() - geo.y()) * ratio))


@pytest.fixture
def injector(qapp: QApplication) -> Iterator[InputInjector]:
    """The platform's real backend, as the agent makes it (agent.input.create_injector)."""
    try:
        inj = create_injector(register_atexit=False)
    except InputUnavailable as exc:
        pytest.fail(f"the platform input backend is unavailable: {exc}")
    yield inj
    inj.close()


@pytest.fixture
def probe(qtbot, qapp: QApplication) -> Iterator[Probe]:
    """The test window, shown on top and exposed; input goes to it after :func:`focus`."""
    window = Probe()
    qtbot.addWidget(window)
    window.move(120, 120)
    window.show()
    window.raise_()
    window.activateWindow()
    qtbot.waitExposed(window)
    yield window
    window.close()


def click(qtbot, injector: InputInjector, widget: QWidget, local: QPoint,
          button: str = "left") -> None:
    """An injected click (the way a person's click brings a window to the front on every
    platform, where a program's own request to be in front may be refused)."""
    x, y = injector_point(widget, local)
    injector.move(x, y)
    qtbot.wait(50)
    injector.button(button, True)
    injector.button(button, False)


def focus(qtbot, injector: InputInjector, probe: Probe) -> None:
    """Put the keyboard focus into the probe's text field with an injected click."""
    click(qtbot, injector, probe.field, probe.field.rect().center())
    qtbot.waitUntil(lambda: probe.field.hasFocus() and QGuiApplication.focusWindow() is not None
                    and bool(probe.seen("release", "field")), timeout=5000)
    probe.recorder.events.clear()


# ------------------------------------------------------------------ what the OS says is held


def os_held() -> tuple[bool, bool]:
    """(Shift down, left button down) as the operating system's own input state says."""
    if sys.platform == "win32":
        user32 = ctypes.windll.user32
        vk_shift, vk_lbutton = 0x10, 0x01
        return (bool(user32.GetAsyncKeyState(vk_shift) & 0x8000),
                bool(user32.GetAsyncKeyState(vk_lbutton) & 0x8000))
    if sys.platform == "darwin":
        path = ctypes.util.find_library("ApplicationServices")
        if path is None:
            pytest.skip("ApplicationServices not found")
        quartz = ctypes.cdll.LoadLibrary(path)
        quartz.CGEventSourceKeyState.restype = ctypes.c_bool
        quartz.CGEventSourceKeyState.argtypes = [ctypes.c_int32, ctypes.c_uint16]
        quartz.CGEventSourceButtonState.restype = ctypes.c_bool
        quartz.CGEventSourceButtonState.argtypes = [ctypes.c_int32, ctypes.c_uint32]
        combined, left_shift, right_shift, left = 0, 56, 60, 0
        shift = (quartz.CGEventSourceKeyState(combined, left_shift)
                 or quartz.CGEventSourceKeyState(combined, right_shift))
        return bool(shift), bool(quartz.CGEventSourceButtonState(combined, left))
    from Xlib import XK, X
    from Xlib import display as xdisplay

    d = xdisplay.Display()
    try:
        bits = d.query_keymap()
        down = {i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte & (1 << b)}
        shifts = {d.keysym_to_keycode(XK.XK_Shift_L), d.keysym_to_keycode(XK.XK_Shift_R)}
        mask = d.screen().root.query_pointer().mask
        return bool(down & shifts), bool(mask & X.Button1Mask)
    finally:
        d.close()
