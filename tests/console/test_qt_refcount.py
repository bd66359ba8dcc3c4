"""Guard against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 drops one reference to ``None`` on every call of a Qt method that returns void
(``QWidget.update``, ``QPainter.drawImage``, ...). On CPython 3.11, where ``None`` is not immortal,
a session of a few minutes' repaints aborts the console with "none_dealloc". pyproject.toml
excludes that release; this test fails on any binding with the same bug.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget


def test_void_qt_calls_keep_none_refcount(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    before = sys.getrefcount(None)
    for _ in range(5000):
        widget.update()
        widget.update(0, 0, 2, 2)
    painter = QPainter(image)
    for _ in range(5000):
        painter.drawImage(0, 0, image)
        painter.fillRect(0, 0, 1, 1, QColor(1, 2, 3))
    painter.end()
    assert sys.getrefcount(None) >= before - 100
