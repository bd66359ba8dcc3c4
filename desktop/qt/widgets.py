"""Small building blocks the windows of both programs share, so that they look alike.

The session code and the verification number are read aloud between customer and technician:
they are set the same way everywhere (monospace, large, spaced), in the agent and the console.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

#: Monospace families tried in order (Linux, Windows, macOS, then whatever the system maps).
DIGITS_FAMILIES = ["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"]
#: Smallest point size the scaling starts from, so a tiny system font still gives large digits.
MIN_BASE_POINTS = 10.0


def digits_font(base: QFont, scale: float, *, bold: bool = False,
                letter_spacing: float = 0.0) -> QFont:
    """A copy of ``base`` for codes and numbers: monospace, ``scale`` times larger (at least
    ``scale`` x 10 pt), optionally bold and with extra pixels between the digits."""
    font = QFont(base)
    font.setPointSizeF(max(font.pointSizeF(), MIN_BASE_POINTS) * scale)
    if bold:
        font.setBold(True)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setFamilies(DIGITS_FAMILIES)
    if letter_spacing:
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, letter_spacing)
    return font


def centred_label(name: str, text: str = "", *, wrap: bool = True, hidden: bool = False
                  ) -> QLabel:
    """A centred plain-text label with an object name (the style sheets and tests find it by
    that name); wrapped unless ``wrap`` is False, created hidden when ``hidden``."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(wrap)
    if hidden:
        label.setVisible(False)
    return label


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons on the right of a row, in the order given (our dialogs' button bar)."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row
