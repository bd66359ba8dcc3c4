"""The customer's chat: a small area in the session view, and a notice on the session panel.

The chat lives in the customer's own window (the code window shows the session), not in a window
of its own that would vanish behind the technician's work. Because that window steps aside while
the technician works, a new line is also announced on the always-on-top session panel
(:class:`ChatNotice`: who wrote, the first words, "Show chat") and to screen readers.

The chat is in neither side's session record unless the customer ticks "Keep the chat in the
session record" (off by default); the box says that both sides then keep it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.qt.chat_log import ChatLog, announce, preview
from desktop.qt.widgets import NoticeBar
from shared.text import shown_name


class ChatArea(QWidget):
    """The chat lines, the writing box and the record opt-in, for one session at a time.

    Slots: :meth:`start` (a session began: empty chat, opt-in off), :meth:`stop` (it ended),
    :meth:`add_received`, :meth:`add_sent`, :meth:`set_recording` (what is true now).
    Signals: ``send_requested(str)`` (a checked line to send), ``recording_requested(bool)``
    (the customer ticked or unticked the opt-in; :meth:`set_recording` confirms it).
    """

    send_requested = Signal(str)
    recording_requested = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatArea")
        self._recording = False
        self.title = QLabel(self.tr("Chat with your technician"))
        self.title.setObjectName("chatTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.log = ChatLog(parent=self)
        self.log.history.setMinimumHeight(110)
        self.log.send_requested.connect(self.send_requested)
        self.record_box = QCheckBox(self.tr("Keep the chat in the session record"))
        self.record_box.setObjectName("chatRecord")
        self.record_box.setAccessibleName(self.record_box.text())
        self.record_box.setAccessibleDescription(self.tr(
            "Off: the chat is in neither your nor your technician's session record. On: both "
            "of you keep it there."))
        self.record_box.toggled.connect(self._on_box)
        self.record_hint = QLabel(self.tr(
            "Off: the chat is not recorded. On: you and your technician both keep it in the "
            "session record."))
        self.record_hint.setObjectName("chatRecordHint")
        self.record_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.record_hint.setWordWrap(True)
        self.record_hint.setStyleSheet("color: #57606a;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.log, 1)
        layout.addWidget(self.record_box)
        layout.addWidget(self.record_hint)
        self.setTabOrder(self.log.send_button, self.record_box)

    # ----------------------------------------------------------------- slots

    def start(self, technician: str) -> None:
        """A new session with ``technician`` (as they gave their name): an empty chat."""
        self.log.history.clear()
        self.log.input.clear()
        self.log.set_peer_name(shown_name(technician, self.tr("Your technician")))
        self.log.set_active(True)
        self._recording = False
        self._show_box(False)

    def stop(self) -> None:
        """The session ended: nothing more can be sent."""
        self.log.set_active(False)

    @Slot(str, int)
    def add_received(self, text: str, dropped_before: int = 0) -> None:
        self.log.add_received(text, dropped_before)

    @Slot(str)
    def add_sent(self, text: str) -> None:
        self.log.add_sent(text)

    @Slot(bool)
    def set_recording(self, recorded: bool) -> None:
        """The opt-in took effect (or ended): the box and a line in the chat say so."""
        if recorded == self._recording:
            return
        self._recording = recorded
        self._show_box(recorded)
        self.log.add_notice(
            self.tr("From now on the chat is kept in the session record, on both sides.")
            if recorded else self.tr("From now on the chat is no longer recorded."))

    @property
    def recording(self) -> bool:
        return self._recording

    def focus_input(self) -> None:
        self.log.focus_input()

    # ----------------------------------------------------------------- internals

    def _show_box(self, checked: bool) -> None:
        self.record_box.blockSignals(True)
        self.record_box.setChecked(checked)
        self.record_box.blockSignals(False)

    def _on_box(self, checked: bool) -> None:
        """Only ask: the box shows what is true, and :meth:`set_recording` ticks it once the
        session took the change (a moment later; never when there is no session to take it)."""
        self._show_box(self._recording)
        self.recording_requested.emit(checked)


class ChatNotice(NoticeBar):
    """A line on the session panel: "New message from Anna: first words…" and "Show chat".

    Slots: :meth:`show_message`, :meth:`clear`. Signal: ``show_chat_requested()``.
    """

    show_chat_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("chatNotice", self.tr("Show chat"), self.tr(
            "Brings the Fernhilfe window with the chat to the front."), parent)
        self.button.clicked.connect(self.show_chat_requested)

    def show_message(self, sender: str, text: str) -> None:
        """A new line from ``sender`` (plain text, first words only)."""
        shown = self.tr("New message from {name}: {text}").format(name=sender,
                                                                    text=preview(text))
        self.show_text(shown)
        announce(self.text, shown)  # from the panel on screen, not the window stepped aside
