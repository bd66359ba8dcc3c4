"""The technician's chat: a panel beside the customer's screen that can be shown and hidden.

It works in every running session, view-only too (the chat rides on "see", nothing more). A line
from the customer opens the panel by itself, without taking the keyboard from the remote screen
(the technician may be typing there); the toggle and the panel's title count the lines that came
since the technician last wrote or looked into the chat ("Chat (2)"). When the customer keeps the
chat in the session record, the panel says so.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from desktop.qt.chat_log import ChatLog


class ChatPanel(QDockWidget):
    """A dock with the chat; :attr:`toggle_action` shows/hides it and counts unread lines.

    Slots: :meth:`start` (a session runs: writing works), :meth:`stop` (it ended),
    :meth:`add_received`, :meth:`add_sent`, :meth:`set_recorded`.
    Signal: ``send_requested(str)`` (a checked line to send).
    """

    send_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatPanel")
        self.setWindowTitle(self.tr("Chat"))
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self._unread = 0
        self._recorded = False

        self.log = ChatLog(self.tr("Customer"))
        self.log.send_requested.connect(self.send_requested)
        self.log.set_active(False)
        self.log.input.installEventFilter(self)  # focus in the box: the lines are seen
        self.recorded_label = QLabel(self.tr(
            "The customer keeps this chat in the session record."))
        self.recorded_label.setObjectName("chatRecorded")
        self.recorded_label.setTextFormat(Qt.TextFormat.PlainText)
        self.recorded_label.setWordWrap(True)
        self.recorded_label.setStyleSheet(
            "background: #fff4ce; border: 1px solid #c99a06; padding: 4px; color: #1f2328;")
        self.recorded_label.setVisible(False)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 4, 6, 6)
        column.addWidget(self.recorded_label)
        column.addWidget(self.log, 1)
        self.setWidget(body)
        self.setMinimumWidth(280)

        self.toggle_action = QAction(self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setToolTip(self.tr("Show or hide the chat with the customer"))
        self.toggle_action.toggled.connect(self._on_toggled)
        self.visibilityChanged.connect(self._on_visibility)
        self._show_toggle()

    # ----------------------------------------------------------------- slots

    def start(self) -> None:
        """The customer allowed: chat from now on (view-only sessions too)."""
        self.log.set_active(True)

    def stop(self) -> None:
        """The session ended: the lines stay readable, nothing more can be sent."""
        self.log.set_active(False)

    @Slot(str, int)
    def add_received(self, text: str, dropped_before: int = 0) -> None:
        """A line from the customer: shown, counted as unread, and the panel opens (the
        keyboard stays where it is)."""
        self.log.add_received(text, dropped_before)
        if not self.log.input.hasFocus():
            self._unread += 1
        if not self.isVisible():
            self.show()
        self._show_toggle()

    @Slot(str)
    def add_sent(self, text: str) -> None:
        self.log.add_sent(text)

    @Slot(bool)
    def set_recorded(self, recorded: bool) -> None:
        """The customer keeps (or no longer keeps) the chat in the session record."""
        if recorded == self._recorded:
            return
        self._recorded = recorded
        self.recorded_label.setVisible(recorded)
        self.recorded_label.setAccessibleName(self.recorded_label.text() if recorded else "")
        self.log.add_notice(
            self.tr("The customer keeps this chat in the session record from now on.")
            if recorded else self.tr("The customer no longer keeps this chat in the session "
                                     "record."))

    # ----------------------------------------------------------------- views (tests)

    @property
    def unread(self) -> int:
        return self._unread

    @property
    def recorded(self) -> bool:
        return self._recorded

    def recorded_text(self) -> str:
        return "" if self.recorded_label.isHidden() else self.recorded_label.text()

    # ----------------------------------------------------------------- internals

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.log.input and event.type() == QEvent.Type.FocusIn and self._unread:
            self._unread = 0
            self._show_toggle()
        return False

    def _on_toggled(self, on: bool) -> None:
        if on != self.isVisible():
            self.setVisible(on)
        if on:
            self.log.focus_input()  # the technician asked for the chat: write at once

    def _on_visibility(self, _visible: bool) -> None:
        self._show_toggle()

    def _show_toggle(self) -> None:
        """"Chat", or "Chat (2)" with lines not yet seen; the panel's title the same."""
        text = (self.tr("C&hat ({count})").format(count=self._unread) if self._unread
                else self.tr("C&hat"))
        self.toggle_action.setText(text)
        self.setWindowTitle(text.replace("&", ""))
        self.toggle_action.blockSignals(True)
        self.toggle_action.setChecked(self.isVisible())
        self.toggle_action.blockSignals(False)
