"""The pointer layer on the customer's real X display: pixels read back with mss, clicks made
by xdotool (another X client, like the customer's own mouse) land on the window beneath.

Bare Xvfb has no compositor: this is the case where a translucent window would paint black
and where only the window mask keeps the desktop visible around the strokes.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator

import mss
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from agent.annotations import MAX_STROKE_POINTS, MAX_STROKES, ClearStrokes, LaserAt, StrokePoints
from agent.ui.annotation_layer import (
    FRAME_MS,
    LASER_COLOUR,
    MAX_BUSY,
    STROKE_COLOUR,
    AnnotationLayer,
)
from agent.ui.overlay import FRAME_FLAGS
from bench.support.xvfb import XvfbDisplay
from shared import messages as m
from tests.agent.conftest import FakeClock

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool not installed")

GREEN = (0, 160, 0)


def xdo(display: XvfbDisplay, *args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, capture_output=True, env=display.env(),
                   timeout=20)


def pixel(display: XvfbDisplay, x: int, y: int) -> tuple[int, int, int]:
    """(r, g, b) of the customer's screen at global (x, y), as a screen capture sees it."""
    with mss.MSS(display=display.name) as sct:
        shot = sct.grab({"left": x, "top": y, "width": 1, "height": 1})
        b, g, r, _ = np.frombuffer(shot.bgra, np.uint8)[:4]
        return int(r), int(g), int(b)


def near(rgb: tuple[int, int, int], colour: QColor | tuple[int, int, int], tol: int = 30
         ) -> bool:
    want = (colour.red(), colour.green(), colour.blue()) if isinstance(colour, QColor) else colour
    return all(abs(a - b) <= tol for a, b in zip(rgb, want, strict=True))


class Beneath(QWidget):
    """A real X window of the customer's under the layer; counts what reaches it."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.FramelessWindowHint)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(*GREEN))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        self.presses: list[tuple[int, int]] = []

    def mousePressEvent(self, event) -> None:
        p = event.globalPosition().toPoint()
        self.presses.append((p.x(), p.y()))


@pytest.fixture
def beneath(qtbot) -> Iterator[Beneath]:
    w = Beneath()
    qtbot.addWidget(w)
    w.setGeometry(50, 50, 600, 400)
    w.show()
    qtbot.waitExposed(w)
    yield w


@pytest.fixture
def layer(qtbot) -> Iterator[tuple[AnnotationLayer, FakeClock]]:
    clock = FakeClock()
    lay = AnnotationLayer(clock=clock)
    yield lay, clock
    lay.close()


def test_windows_are_click_through_and_on_top(qtbot, layer) -> None:
    lay, _ = layer
    lay.show_message(StrokePoints(1, "line", ((10, 10), (40, 10))))
    qtbot.waitUntil(lambda: any(w.isVisible() for w in lay.windows), timeout=3000)
    window = lay.windows[0]
    assert window.windowFlags() & FRAME_FLAGS == FRAME_FLAGS
    assert window.windowFlags() & Qt.WindowType.WindowTransparentForInput
    assert window.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert window.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_stroke_is_drawn_desktop_stays_visible_and_clicks_pass_through(
        qtbot, x_display, beneath, layer) -> None:
    lay, clock = layer
    lay.show_message(StrokePoints(1, "line", ((120, 200), (400, 200))))
    qtbot.waitUntil(lambda: near(pixel(x_display, 260, 200), STROKE_COLOUR), timeout=5000)
    # Around the stroke the customer's window is still seen (the mask, no black box).
    assert near(pixel(x_display, 260, 240), GREEN)
    assert near(pixel(x_display, 500, 300), GREEN)
    # The customer's own click on the stroke reaches the window beneath.
    xdo(x_display, "mousemove", "260", "200", "click", "1")
    qtbot.waitUntil(lambda: (260, 200) in beneath.presses, timeout=5000)
    # Five seconds after its last point the stroke is gone.
    clock.now += 5.0
    lay._frame()
    qtbot.waitUntil(lambda: near(pixel(x_display, 260, 200), GREEN), timeout=5000)
    assert not any(w.isVisible() for w in lay.windows) and not lay.active


def test_arrow_has_a_head_at_its_last_point(qtbot, x_display, beneath, layer) -> None:
    lay, _ = layer
    lay.show_message(StrokePoints(2, "arrow", ((150, 320),)))
    lay.show_message(StrokePoints(2, "arrow", ((200, 330), (450, 320))))
    qtbot.waitUntil(lambda: near(pixel(x_display, 300, 320), STROKE_COLOUR), timeout=5000)
    assert near(pixel(x_display, 440, 320 - 6), STROKE_COLOUR)  # the head is wider than the line
    assert near(pixel(x_display, 300, 320 - 6), GREEN)


def test_laser_trail_shows_then_fades(qtbot, x_display, beneath, layer) -> None:
    lay, clock = layer
    for i in range(10):
        lay.show_message(LaserAt(True, 200 + 20 * i, 150))
        clock.now += 0.02
    qtbot.waitUntil(lambda: near(pixel(x_display, 380, 150), LASER_COLOUR), timeout=5000)
    assert near(pixel(x_display, 300, 150), LASER_COLOUR)  # the trail behind the dot
    assert lay.active  # it fades: frames keep coming
    clock.now += 1.0
    qtbot.waitUntil(lambda: near(pixel(x_display, 380, 150), GREEN), timeout=5000)
    qtbot.waitUntil(lambda: not lay.active, timeout=3000)


def test_real_clock_strokes_vanish_by_themselves(qtbot, x_display, beneath) -> None:
    """No test clock: the expiry timer alone takes the stroke away."""
    lay = AnnotationLayer(stroke_life=0.4)
    try:
        lay.show_message(StrokePoints(3, "line", ((100, 100), (300, 100))))
        qtbot.waitUntil(lambda: near(pixel(x_display, 200, 100), STROKE_COLOUR), timeout=5000)
        qtbot.waitUntil(lambda: near(pixel(x_display, 200, 100), GREEN), timeout=5000)
    finally:
        lay.close()


def test_clear_and_customer_click_remove_strokes(qtbot, x_display, beneath, layer) -> None:
    lay, _ = layer
    lay.show_message(StrokePoints(4, "line", ((100, 380), (300, 380))))
    qtbot.waitUntil(lambda: near(pixel(x_display, 200, 380), STROKE_COLOUR), timeout=5000)
    lay.show_message(ClearStrokes())
    qtbot.waitUntil(lambda: near(pixel(x_display, 200, 380), GREEN), timeout=5000)
    lay.show_message(StrokePoints(5, "line", ((100, 380), (300, 380))))
    qtbot.waitUntil(lambda: near(pixel(x_display, 200, 380), STROKE_COLOUR), timeout=5000)
    lay.clear_strokes()
    qtbot.waitUntil(lambda: near(pixel(x_display, 200, 380), GREEN), timeout=5000)


def test_close_removes_every_window_and_ignores_later_shows(qtbot, layer) -> None:
    lay, _ = layer
    lay.show_message(StrokePoints(6, "line", ((10, 10), (20, 20))))
    qtbot.waitUntil(lambda: bool(lay.windows), timeout=3000)
    lay.close()
    assert lay.windows == []
    lay.show_message(StrokePoints(7, "line", ((10, 10), (20, 20))))
    lay.clear_strokes()  # a customer's click after the end
    lay.clear()
    assert lay.model.empty and lay.windows == [] and not lay.active


def test_points_off_every_monitor_show_no_window(qtbot, layer) -> None:
    lay, _ = layer
    lay.show_message(StrokePoints(8, "line", ((5000, 5000), (5100, 5000))))
    lay._frame()
    assert not any(w.isVisible() for w in lay.windows)


def test_costly_drawing_stretches_the_repaint_period(qtbot, layer) -> None:
    """A hostile technician's biggest drawing cannot keep the customer's GUI thread busy."""
    lay, _ = layer
    assert lay.frame_interval == FRAME_MS
    batch = tuple((100 + (i % 300) * 3, 100 + i // 4) for i in range(m.MAX_ANNOTATION_POINTS))
    for sid in range(MAX_STROKES):
        for k in range(MAX_STROKE_POINTS // m.MAX_ANNOTATION_POINTS):
            lay.show_message(StrokePoints(sid, "line", tuple(
                (x + sid * 7, y + k * 40) for x, y in batch)))
    lay.show_message(LaserAt(True, 600, 400))  # something fades: frames keep coming
    began = time.perf_counter()
    lay._frame()
    spent_ms = (time.perf_counter() - began) * 1000
    assert lay.frame_interval >= min(spent_ms / MAX_BUSY, 10_000) * 0.5
    if spent_ms > FRAME_MS * MAX_BUSY * 2:
        assert lay.frame_interval > FRAME_MS
