"""Plain text only: no label or message box of ours ever interprets text as HTML.

Qt's default ``Qt.AutoText`` renders anything that *looks* like markup ("<b>…", "<img src=…>")
as rich text. Text from the relay or the peer (names, error messages) must show literally, and
guessing which label might one day show outside text is how bugs come back; so every window
forces *all* its labels to plain text once its widgets exist. Shared by agent and console.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def force_plain_text(root: QWidget) -> None:
    """Set ``Qt.PlainText`` on ``root`` and every QLabel/QMessageBox below it."""
    widgets: list[QWidget] = [root, *root.findChildren(QLabel), *root.findChildren(QMessageBox)]
    for widget in widgets:
        if isinstance(widget, (QLabel, QMessageBox)):
            widget.setTextFormat(Qt.TextFormat.PlainText)

