"""The customer's first click on the panel counts, and both hotkeys work, while the technician
holds a key and a mouse button.

Real X throughout: the test process's Xvfb, the real panel, the technician's input through the
agent's real input path (:class:`agent.input.InputThread` over the XTest injector), the real
:class:`agent.hotkey.X11Hotkey` on the root window, and the customer's mouse and keyboard as
``xdotool`` (XTest, another X client). What the worker would do on the overlay's requests
(release the held input; control off) is wired here the same way: :meth:`InputThread.release_all`.

Why the first click used to be lost: the technician's press on some window starts X's implicit
pointer grab for that window, so the customer's press goes there (or, for the same button, is
dropped because the button is already down) and the panel only ever sees the second click.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale, QPoint
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from Xlib import X
from Xlib import display as xdisplay
from Xlib.ext import xinput

from agent.hotkey import X11Hotkey
from agent.input import InputThread
from agent.input.x11 import X11Injector
from agent.ui import SessionOverlay, install_translator
from shared import messages as m

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool not installed")

BUTTONS = X.Button1Mask | X.Button2Mask | X.Button3Mask


def xdo(*args: str) -> None:
    """The customer's own mouse and keyboard (XTest from another X client)."""
    subprocess.run(["xdotool", *args], check=True, capture_output=True, env=dict(os.environ),
                   timeout=10)


def held() -> tuple[set[int], int]:
    """Keys and pointer buttons the X server has down."""
    d = xdisplay.Display()
    try:
        bits = d.query_keymap()
        keys = {i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte & (1 << b)}
        return keys, d.screen().root.query_pointer().mask & BUTTONS
    finally:
        d.close()


class Target(QWidget):
    """A window of some program the technician works in: it gets their held button."""

    def __init__(self) -> None:
        super().__init__()
        self.presses = 0

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.presses += 1


@pytest.fixture
def target(qtbot) -> Iterator[Target]:
    win = Target()
    win.setGeometry(100, 300, 400, 300)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win


@pytest.fixture
def technician() -> Iterator[InputThread]:
    thread = InputThread(X11Injector())
    yield thread
    thread.close()


@pytest.fixture
def overlay(qapp: QApplication, qtbot, technician: InputThread) -> Iterator[SessionOverlay]:
    install_translator(qapp, QLocale("en_US"))
    ov = SessionOverlay("Anna", control=True, hotkey=X11Hotkey(),
                        holds_button=lambda: technician.holds_buttons)
    # What AgentWorker and the session driver do with these requests.
    ov.release_input_requested.connect(technician.release_all)

    def control(on: bool) -> None:
        if not on:
            technician.release_all()

    ov.control_toggle_requested.connect(control)
    ov.end_session_requested.connect(technician.release_all)
    ov.show()
    qtbot.waitExposed(ov.panel)
    assert ov.hotkey_active
    yield ov
    ov.close()


def hold_key_and_button(qtbot, technician: InputThread, target: Target) -> None:
    """The technician holds Shift and the left button on ``target``, through the input path."""
    centre = target.mapToGlobal(target.rect().center())
    technician.apply(m.PointerMove(centre.x(), centre.y()))
    technician.apply(m.Key("ShiftLeft", "", True))
    technician.apply(m.PointerButton("left", True, centre.x(), centre.y()))
    assert technician.wait_idle()
    qtbot.waitUntil(lambda: all(held()) and target.presses == 1, timeout=5000)
    assert technician.holds_buttons


def click(widget: QWidget) -> None:
    """The customer moves their mouse onto ``widget`` and clicks once."""
    where: QPoint = widget.mapToGlobal(widget.rect().center())
    xdo("mousemove", str(where.x()), str(where.y()))
    xdo("click", "1")


def nothing_held() -> bool:
    return held() == (set(), 0)


class XvfbMouse:
    """The customer's own mouse as X sees a physical one: a slave device of the core pointer
    that is not the XTest device the agent injects through ("Xvfb mouse", driven with
    XTestFakeDeviceButtonEvent). X keeps button state per device and per master, so this is
    the faithful stand-in for a USB mouse; plain ``xdotool click`` shares the agent's device.
    """

    def __init__(self) -> None:
        x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        xi = ctypes.CDLL(ctypes.util.find_library("Xi") or "libXi.so.6")
        self._xtst = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        xi.XOpenDevice.restype = ctypes.c_void_p
        xi.XOpenDevice.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self._xtst.XTestFakeDeviceButtonEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
            ctypes.POINTER(ctypes.c_int), ctypes.c_int, ctypes.c_ulong]
        self._x11 = x11
        d = xdisplay.Display()
        try:
            ids = {str(dev.name): dev.deviceid
                   for dev in d.xinput_query_device(xinput.AllDevices).devices}
        finally:
            d.close()
        if "Xvfb mouse" not in ids:
            pytest.skip("this X server has no 'Xvfb mouse' device")
        self._dpy = x11.XOpenDisplay(None)
        self._dev = xi.XOpenDevice(self._dpy, ids["Xvfb mouse"])
        assert self._dpy and self._dev

    def click(self, widget: QWidget) -> None:
        where: QPoint = widget.mapToGlobal(widget.rect().center())
        xdo("mousemove", str(where.x()), str(where.y()))  # motion is not what gets lost
        for pressed in (1, 0):
            self._xtst.XTestFakeDeviceButtonEvent(self._dpy, self._dev, 1, pressed, None, 0, 0)
            self._x11.XSync(self._dpy, 0)

    def close(self) -> None:
        self._x11.XCloseDisplay(self._dpy)


@pytest.fixture
def mouse() -> Iterator[XvfbMouse]:
    m = XvfbMouse()
    yield m
    m.close()


def test_first_click_with_the_customers_own_mouse(qtbot, overlay, technician, target,
                                                  mouse) -> None:
    """As on a real PC: the customer's mouse is another device than the agent's XTest one."""
    ends: list[bool] = []
    overlay.end_session_requested.connect(lambda: ends.append(True))
    hold_key_and_button(qtbot, technician, target)
    mouse.click(overlay.panel.end_button)
    qtbot.waitUntil(lambda: ends == [True], timeout=3000)
    qtbot.waitUntil(nothing_held, timeout=5000)


def test_first_click_on_end_ends_while_technician_holds(qtbot, overlay, technician,
                                                        target) -> None:
    ends: list[bool] = []
    overlay.end_session_requested.connect(lambda: ends.append(True))
    hold_key_and_button(qtbot, technician, target)
    click(overlay.panel.end_button)
    qtbot.waitUntil(lambda: ends == [True], timeout=3000)
    qtbot.waitUntil(nothing_held, timeout=5000)
    assert not technician.holds_buttons
    qtbot.wait(300)  # the stimulus: watched; the click must not count twice
    assert ends == [True]


def test_first_click_on_stop_control_stops_it(qtbot, overlay, technician, target) -> None:
    asked: list[bool] = []
    overlay.control_toggle_requested.connect(asked.append)
    hold_key_and_button(qtbot, technician, target)
    click(overlay.panel.control_button)
    qtbot.waitUntil(lambda: asked == [False], timeout=3000)
    qtbot.waitUntil(nothing_held, timeout=5000)
    overlay.set_control(False)
    qtbot.wait(300)  # the stimulus: watched; no second request (which would grant again)
    assert asked == [False]
    assert overlay.panel_text() == "Anna can see your screen"


def test_first_click_elsewhere_on_panel_frees_the_mouse(qtbot, overlay, technician,
                                                        target) -> None:
    """A press on the panel (not on a button) gives the customer their mouse back, nothing
    more: the technician's button and key are released, control stays."""
    asked: list[bool] = []
    overlay.control_toggle_requested.connect(asked.append)
    hold_key_and_button(qtbot, technician, target)
    click(overlay.panel.label)
    qtbot.waitUntil(nothing_held, timeout=5000)
    assert not technician.holds_buttons and asked == [] and overlay.control


def test_click_without_held_button_counts_once(qtbot, overlay) -> None:
    ends: list[bool] = []
    overlay.end_session_requested.connect(lambda: ends.append(True))
    click(overlay.panel.end_button)
    qtbot.waitUntil(lambda: ends == [True], timeout=3000)
    qtbot.wait(300)  # the stimulus: watched; the raw press must not add a second request
    assert ends == [True]


def test_stop_hotkey_while_technician_holds(qtbot, overlay, technician, target) -> None:
    hold_key_and_button(qtbot, technician, target)
    with qtbot.waitSignal(overlay.control_toggle_requested, timeout=3000) as blocker:
        xdo("key", "ctrl+alt+End")
    assert blocker.args == [False]
    qtbot.waitUntil(nothing_held, timeout=5000)


def test_end_hotkey_while_technician_holds(qtbot, overlay, technician, target) -> None:
    hold_key_and_button(qtbot, technician, target)
    stops: list[bool] = []
    overlay.control_toggle_requested.connect(stops.append)
    with qtbot.waitSignal(overlay.end_session_requested, timeout=3000):
        xdo("key", "ctrl+alt+Home")
    qtbot.waitUntil(nothing_held, timeout=5000)
    assert stops == []  # End at once, without stopping control first


def test_raw_press_is_seen_during_another_clients_grab(qtbot, technician, target) -> None:
    """The mechanism itself: X11Hotkey reports a press X delivers to another window."""
    hotkey = X11Hotkey()
    assert hotkey.start()
    try:
        hold_key_and_button(qtbot, technician, target)
        with qtbot.waitSignal(hotkey.pointer_pressed, timeout=3000):
            xdo("click", "3")
    finally:
        hotkey.stop()
        technician.release_all()
        technician.wait_idle()


def test_first_click_counts_even_when_the_keys_are_taken(qtbot, qapp, technician,
                                                         target) -> None:
    """Another program holds Ctrl+Alt+End: no keys for us, but the button watch still runs."""
    install_translator(qapp, QLocale("en_US"))
    other = X11Hotkey()
    assert other.start()
    ov = SessionOverlay("Anna", control=True, hotkey=X11Hotkey(),
                        holds_button=lambda: technician.holds_buttons)
    ov.release_input_requested.connect(technician.release_all)
    ends: list[bool] = []
    ov.end_session_requested.connect(lambda: ends.append(True))
    try:
        ov.show()
        qtbot.waitExposed(ov.panel)
        assert not ov.hotkey_active and not ov.panel.end_keys.isVisibleTo(ov.panel)
        hold_key_and_button(qtbot, technician, target)
        click(ov.panel.end_button)
        qtbot.waitUntil(lambda: ends == [True], timeout=3000)
        qtbot.waitUntil(nothing_held, timeout=5000)
    finally:
        ov.close()
        other.stop()


def test_technicians_click_on_stop_control_never_grants_it_back(qtbot, overlay, technician,
                                                                target) -> None:
    """The technician clicks Stop control on the panel: the raw path acts on the press, and
    Qt's click from the same press is not acted on again (it would say "Allow control" by
    then). A later, deliberate click by the customer grants as usual."""
    asked: list[bool] = []
    overlay.control_toggle_requested.connect(asked.append)
    overlay.control_toggle_requested.connect(overlay.set_control)  # a quick integrator
    button = overlay.panel.control_button
    where = button.mapToGlobal(button.rect().center())
    technician.apply(m.PointerMove(where.x(), where.y()))
    technician.apply(m.PointerButton("left", True, where.x(), where.y()))
    assert technician.wait_idle()
    qtbot.waitUntil(lambda: asked == [False], timeout=3000)  # acted on the press
    technician.apply(m.PointerButton("left", False, where.x(), where.y()))  # Qt's click now
    assert technician.wait_idle()
    qtbot.wait(600)  # the stimulus: watched; no second request from the same press
    assert asked == [False] and not overlay.control
    click(button)
    qtbot.waitUntil(lambda: asked == [False, True], timeout=3000)
