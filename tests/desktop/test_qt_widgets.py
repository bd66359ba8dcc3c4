"""The building blocks both programs' windows share (desktop/qt/widgets.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPushButton

from desktop.qt.widgets import DIGITS_FAMILIES, button_row, centred_label, digits_font


def test_digits_font_is_a_large_monospace_copy(qapp) -> None:
    base = QFont("Sans")
    base.setPointSizeF(12.0)
    font = digits_font(base, 3.0, bold=True, letter_spacing=6.0)
    assert font.pointSizeF() == pytest.approx(36.0)
    assert font.bold()
    assert font.families() == DIGITS_FAMILIES
    assert font.letterSpacing() == pytest.approx(6.0)
    assert base.pointSizeF() == pytest.approx(12.0)  # the window's own font is left alone


def test_digits_font_starts_from_ten_points_at_least(qapp) -> None:
    tiny = QFont("Sans")
    tiny.setPointSizeF(6.0)
    font = digits_font(tiny, 1.6)
    assert font.pointSizeF() == pytest.approx(16.0)
    assert not font.bold()


def test_centred_label_is_plain_text_and_named(qtbot) -> None:
    label = centred_label("warning", "<b>not bold</b>", hidden=True)
    qtbot.addWidget(label)
    assert label.objectName() == "warning"
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.alignment() == Qt.AlignmentFlag.AlignCenter
    assert label.wordWrap()
    assert label.isHidden()
    assert not centred_label("code", wrap=False).wordWrap()


def test_button_row_puts_the_buttons_right_in_order(qapp) -> None:
    deny, allow = QPushButton("Deny"), QPushButton("Allow")
    row = button_row(deny, allow)
    items = [row.itemAt(i) for i in range(row.count())]
    assert len(items) == 3
    assert items[0] is not None and items[0].spacerItem() is not None
    assert [item.widget() for item in items[1:] if item is not None] == [deny, allow]
