"""Small building blocks the windows of both programs share, so that they look alike.

The session code and the verification number are read aloud between customer and technician:
they are set the same way everywhere (monospace, large, spaced), in the agent and the console.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

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


def wrapped_label(name: str, max_width: int) -> QLabel:
    """An empty wrapped plain-text label with an object name, at most ``max_width`` pixels wide
    (the panel's lines: what they show comes from the peer, so never rich text)."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setMaximumWidth(max_width)
    return label


def tab_only(button: QPushButton) -> QPushButton:
    """A button reachable by Tab but never focused by a click, with a pointing hand: on the
    always-on-top panel, so that the technician's typing never lands on it."""
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button


def named_button(name: str, text: str, slot: Callable[[], object]) -> QPushButton:
    """A button with an object name, its text (without a trailing "…") as accessible name,
    calling ``slot`` when clicked (the record and history windows' action bar)."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text.rstrip("…"))
    button.clicked.connect(slot)
    return button


class NoticeBar(QFrame):
    """A hidden line of plain text with one button beside it ("New message …  [Show chat]"):
    :meth:`show_text` shows it until the button is clicked (it hides again first, then the
    button's ``clicked`` reaches what the subclass connected) or :meth:`clear`.

    ``name`` is the object name; the label is ``<name>Text``, the button ``<name>Button``.
    """

    def __init__(self, name: str, button_text: str, description: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.text = wrapped_label(f"{name}Text", 360)
        self.button = tab_only(QPushButton(button_text))
        self.button.setObjectName(f"{name}Button")
        self.button.setAccessibleName(button_text)
        self.button.setAccessibleDescription(description)
        self.button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 0)
        row.setSpacing(8)
        row.addWidget(self.text, 1)
        row.addWidget(self.button)
        self.setStyleSheet(
            f"QLabel#{name}Text {{ font-size: 10pt; color: #1f2328; }}"
            f" QPushButton#{name}Button {{ font-size: 10pt; padding: 3px 10px; }}")
        self.setVisible(False)

    def show_text(self, shown: str) -> None:
        self.text.setText(shown)
        self.text.setAccessibleName(shown)
        self.setVisible(True)

    def clear(self) -> None:
        self.text.setText("")
        self.setVisible(False)

    def notice_text(self) -> str:
        return "" if self.isHidden() else self.text.text()
