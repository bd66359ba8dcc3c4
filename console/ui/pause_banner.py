"""The technician's side of "still sharing?" (issue 15, item 4): a bar above the remote screen
while the customer's sharing is paused, and the greyed, frozen picture under it.

The customer's agent asks its customer again after a while; without an answer (or by the
customer's own choice) screen and control pause. The technician must see at once why the
picture stopped and why their mouse does nothing, and that only the customer can go on: the bar
says so, the picture is greyed (it is as old as the pause), and the session window turns input
off meanwhile. Shows state only; it has nothing to click.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from desktop.qt.plain import force_plain_text


class PauseBanner(QFrame):
    """"Paused by timeout: ..." / "Paused by the customer"; hidden while sharing goes on.

    :meth:`show_paused` greys ``view`` (the remote screen) until :meth:`clear`."""

    def __init__(self, view: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pauseBanner")
        self._view = view
        self._reason = ""
        #: a grey veil over the remote screen while paused (a child widget, so it is drawn
        #: over every part of the picture whatever the view repaints; clicks pass through)
        self.veil = QWidget(view)
        self.veil.setObjectName("pauseVeil")
        self.veil.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.veil.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.veil.setStyleSheet("QWidget#pauseVeil { background: rgba(128, 128, 128, 215); }")
        self.veil.setVisible(False)
        view.installEventFilter(self)
        self.label = QLabel()
        self.label.setObjectName("pauseText")
        self.label.setWordWrap(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 8, 6)
        row.addWidget(self.label, 1)
        self.setStyleSheet(
            "QFrame#pauseBanner { background: #eaeef2; border-bottom: 2px solid #6e7781; }"
            " QLabel#pauseText { font-size: 11pt; font-weight: 600; color: #1f2328; }")
        force_plain_text(self)
        self.setVisible(False)

    @Slot(str)
    def show_paused(self, reason: str, because: str = "") -> None:
        """Sharing paused: ``reason`` ``"timeout"`` (nobody answered) or ``"customer"``;
        ``because``: the session window's own words when it knows better (issue 18: macOS
        holds the picture back, the customer did not pause)."""
        self._reason = reason
        if because:
            text = because
        elif reason == "timeout":
            text = self.tr("Paused by timeout: the customer was asked whether to go on and did "
                           "not answer. The picture and your input resume when the customer "
                           "clicks Resume.")
        else:
            text = self.tr("Paused by the customer. The picture and your input resume when the "
                           "customer clicks Resume.")
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.setAccessibleName(text)
        self.setVisible(True)
        self.veil.setGeometry(self._view.rect())
        self.veil.setVisible(True)
        self.veil.raise_()
        QAccessible.updateAccessibility(QAccessibleEvent(self.label, QAccessible.Event.Alert))

    @Slot()
    def clear(self) -> None:
        """Sharing goes on: no bar, the picture in its own colours again."""
        self._reason = ""
        self.setVisible(False)
        self.veil.setVisible(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The veil follows the view's size."""
        if watched is self._view and event.type() == QEvent.Type.Resize:
            self.veil.setGeometry(self._view.rect())
        return False

    @property
    def reason(self) -> str:
        """Why sharing is paused (empty while it is not)."""
        return self._reason

    def text(self) -> str:
        """The bar's text, empty while hidden (for tests)."""
        return self.label.text() if self.isVisibleTo(self.parentWidget() or self) else ""
