"""The technician's own notes on a session: who the customer is, and a free-text note.

Issue 17: the session history bills from these (api17.md section 7). They are the technician's
words, never sent to the customer and never derived from the session record; the history's
store saves them by the record's key (``HistoryStore.set_notes``). This panel only holds the
two fields and says when they changed (``notes_changed(customer, note)``, at most every
:data:`SAVE_AFTER_MS` while typing, and at once when a field is left), so typing never waits
for a disk.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDockWidget,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

#: Quiet time after the last key before the notes are handed on.
SAVE_AFTER_MS = 600
#: Longest customer name and note kept (characters).
MAX_CUSTOMER_CHARS = 200
MAX_NOTE_CHARS = 10_000


class NotesPanel(QDockWidget):
    """"Customer" and "Note" for the session history; :attr:`toggle_action` shows it."""

    notes_changed = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.setWindowTitle(self.tr("Session notes"))
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea
                             | Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.customer_edit = QLineEdit()
        self.customer_edit.setObjectName("customer")
        self.customer_edit.setMaxLength(MAX_CUSTOMER_CHARS)
        self.customer_edit.setPlaceholderText(self.tr("Customer name or number, for billing"))
        self.customer_edit.setAccessibleName(self.tr("Customer"))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("note")
        self.note_edit.setPlaceholderText(self.tr("What was done (only you see this)"))
        self.note_edit.setAccessibleName(self.tr("Note"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.installEventFilter(self)
        body = QWidget()
        form = QFormLayout(body)
        form.addRow(self.tr("C&ustomer:"), self.customer_edit)
        form.addRow(self.tr("N&ote:"), self.note_edit)
        self.setWidget(body)
        self._last = ("", "")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.flush)
        self.customer_edit.textEdited.connect(lambda _t: self._timer.start())
        self.customer_edit.editingFinished.connect(self.flush)
        self.note_edit.textChanged.connect(self._on_note)
        self.toggle_action = QAction(self.tr("&Notes"), self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setToolTip(self.tr("Your notes on this session (customer, what "
                                              "was done) for the session history"))
        self.toggle_action.toggled.connect(self._on_toggled)
        self.visibilityChanged.connect(self._sync_toggle)

    def notes(self) -> tuple[str, str]:
        """The customer and the note as they stand (trimmed)."""
        return self.customer_edit.text().strip(), self.note_edit.toPlainText().strip()

    def flush(self) -> None:
        """Hand the notes on now if they changed since the last time."""
        self._timer.stop()
        now = self.notes()
        if now != self._last:
            self._last = now
            self.notes_changed.emit(*now)

    def _on_note(self) -> None:
        text = self.note_edit.toPlainText()
        if len(text) > MAX_NOTE_CHARS:  # a paste of a whole log: keep the start
            self.note_edit.setPlainText(text[:MAX_NOTE_CHARS])
            return
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False

    def _on_toggled(self, on: bool) -> None:
        if on != self.isVisible():
            self.setVisible(on)
        if on:
            self.customer_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _sync_toggle(self, _visible: bool) -> None:
        self.toggle_action.blockSignals(True)
        self.toggle_action.setChecked(self.isVisible())
        self.toggle_action.blockSignals(False)
