"""Capture of a known window with mss gives exactly its pixels, on every platform.

A Qt window paints a pattern of solid blocks in pure colours; mss (the agent's capture library,
agent/capture.py) grabs the window's rectangle from the real screen; every pixel must be the
pattern's. HiDPI: Qt speaks logical pixels, the grab comes in device pixels; the pattern is
compared at the grab's own scale (on a 2x Retina screen each block is twice as large), so a
scaled screen is handled, not skipped. Linux: the test process's Xvfb; Windows and macOS: the
runner's desktop (.github/workflows/platforms.yml; on macOS the job grants Screen Recording, and
without it macOS hands out only the desktop picture: the test then says so).
"""

from __future__ import annotations

import sys

import mss
import numpy as np
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

#: Block colours (BGR as mss gives them, and the RGB Qt paints). Pure values survive any sRGB
#: handling untouched.
COLOURS = [(0, 0, 255), (0, 255, 0), (255, 0, 0), (255, 255, 255), (0, 0, 0), (0, 255, 255),
           (255, 0, 255), (255, 255, 0)]
BLOCK = 24  # logical pixels
COLUMNS, ROWS = 8, 4


def colour_at(col: int, row: int) -> tuple[int, int, int]:
    return COLOURS[(col + 3 * row) % len(COLOURS)]


class Pattern(QWidget):
    """A frameless, always-on-top window of solid blocks (nothing of the desktop inside it)."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.setFixedSize(COLUMNS * BLOCK, ROWS * BLOCK)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        for row in range(ROWS):
            for col in range(COLUMNS):
                b, g, r = colour_at(col, row)
                painter.fillRect(QRect(col * BLOCK, row * BLOCK, BLOCK, BLOCK), QColor(r, g, b))
        painter.end()


def grab_region(widget: QWidget) -> dict[str, int]:
    """The window's rectangle in mss's coordinates: device pixels on Windows (mss and Qt are
    both DPI aware there), logical on macOS (mss takes points and returns device pixels) and
    on X11 (no scaling)."""
    top_left = widget.mapToGlobal(widget.rect().topLeft())
    width, height = widget.width(), widget.height()
    if sys.platform == "win32":
        screen = widget.screen()
        geo, ratio = screen.geometry(), screen.devicePixelRatio()
        return {"left": round(geo.x() + (top_left.x() - geo.x()) * ratio),
                "top": round(geo.y() + (top_left.y() - geo.y()) * ratio),
                "width": round(width * ratio), "height": round(height * ratio)}
    return {"left": top_left.x(), "top": top_left.y(), "width": width, "height": height}


def expected(height: int, width: int) -> np.ndarray:
    """The pattern at a grab's size: block (col, row) covers its share of the pixels."""
    ys = (np.arange(height) * ROWS) // height
    xs = (np.arange(width) * COLUMNS) // width
    table = np.array([[colour_at(c, r) for c in range(COLUMNS)] for r in range(ROWS)],
                     dtype=np.uint8)
    return table[ys[:, None], xs[None, :]]


def grab(region: dict[str, int]) -> np.ndarray:
    with mss.MSS() as sct:
        shot = sct.grab(region)
        return np.frombuffer(shot.bgra, dtype=np.uint8).reshape(shot.height, shot.width, 4)


def mismatch(img: np.ndarray) -> int:
    """How many pixels differ from the pattern, at the grab's scale. Where the scale is not a
    whole number a block edge may fall inside a device pixel: only those pixels are left out."""
    height, width = img.shape[:2]
    want = expected(height, width)
    differs = np.any(img[:, :, :3] != want, axis=2)
    scale = width / (COLUMNS * BLOCK)
    if scale != int(scale):
        edge_x = np.zeros(width, dtype=bool)
        edge_y = np.zeros(height, dtype=bool)
        for col in range(1, COLUMNS):
            at = col * BLOCK * scale
            edge_x[max(0, int(at) - 1): int(at) + 2] = True
        for row in range(1, ROWS):
            at = row * BLOCK * scale
            edge_y[max(0, int(at) - 1): int(at) + 2] = True
        differs &= ~(edge_x[None, :] | edge_y[:, None])
    return int(differs.sum())


def test_mss_grabs_exactly_the_pixels_of_a_known_window(qtbot) -> None:
    window = Pattern()
    qtbot.addWidget(window)
    window.move(80, 80)
    window.show()
    window.raise_()
    qtbot.waitExposed(window)
    region = grab_region(window)
    seen: list[int] = []

    def same() -> bool:
        img = grab(region)
        seen.append(mismatch(img))
        return seen[-1] == 0

    try:
        qtbot.waitUntil(same, timeout=5000)
    except AssertionError:
        img = grab(region)
        colours = {tuple(int(v) for v in px) for px in img[::8, ::8, :3].reshape(-1, 3)}
        raise AssertionError(
            f"the grab of {region} differs from the window in {seen[-1]} of "
            f"{img.shape[0] * img.shape[1]} pixels; colours seen (BGR): {sorted(colours)[:12]}"
            + (" (macOS: is Screen Recording granted?)" if sys.platform == "darwin" else "")
        ) from None
    img = grab(region)
    ratio = window.screen().devicePixelRatio()
    assert img.shape[1] >= window.width() and img.shape[0] >= window.height()
    if sys.platform != "linux":
        # the grab is in device pixels: a scaled screen gives a larger picture, not a cut one
        assert abs(img.shape[1] - window.width() * ratio) <= 1
