"""The chat as a widget both programs show: the lines so far, and a box to write the next one.

One widget for the customer's chat area and the technician's chat panel, so both check and show
text the same way. Everything from the other side is plain text: the lines are list items (Qt
never reads an item's text as markup), the notices are plain-text labels. Each line carries its
sender and the local time (HH:MM) it was sent or received; at most :data:`MAX_HISTORY` lines are
kept (the oldest go first), so a long session or a chatty peer cannot grow the window without end.

Writing: Enter sends, Shift+Enter starts a new line; a counter shows ``n / 4096`` as you type;
text the protocol does not carry (:func:`shared.session.chat_problem`) is refused here with a
clear message in the user's language and never reaches the worker. A sent line appears when the
worker says it went out (:meth:`ChatLog.add_sent`), not when Enter was pressed.

New lines from the other side are announced to screen readers (:func:`announce`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6 import QtGui
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAccessible, QAccessibleEvent, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shared.messages import MAX_CHAT
from shared.session import chat_problem
from shared.text import shown_name

# Lines the history keeps; older ones are dropped from the view (never from a record).
MAX_HISTORY = 500
# Item data roles: who wrote a line ("self", "peer" or "notice") and its text.
SENDER_ROLE = Qt.ItemDataRole.UserRole
TEXT_ROLE = Qt.ItemDataRole.UserRole + 1
# How many characters of a new line a notice (the agent's panel) shows.
PREVIEW_CHARS = 80


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The first words of ``text`` on one line (for a notice), cut at a word where possible."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut) + "…"


def announce(widget: QWidget, text: str) -> None:
    """Ask screen readers to read ``text`` out now, politely (after what they are reading).

    Qt 6.8+ has an announcement event for exactly this; older Qt gets the live-region way: the
    widget's accessible description changes and that change is reported.
    """
    event_class = getattr(QtGui, "QAccessibleAnnouncementEvent", None)
    if event_class is not None:
        QAccessible.updateAccessibility(event_class(widget, text))
        return
    widget.setAccessibleDescription(text)  # pragma: no cover - Qt before 6.8
    QAccessible.updateAccessibility(  # pragma: no cover
        QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged))


class ChatInput(QPlainTextEdit):
    """The box to write in: Enter asks to send (``submitted``), Shift+Enter is a new line."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            event.accept()
            self.submitted.emit()
            return
        if enter:  # Shift+Enter: a plain new line (Qt would insert a line separator)
            self.insertPlainText("\n")
            event.accept()
            return
        super().keyPressEvent(event)


class ChatLog(QWidget):
    """The chat lines and the writing box.

    Slots: :meth:`add_received` (a line from the other side), :meth:`add_sent` (our line went
    out), :meth:`add_notice` (a line from the program itself), :meth:`set_peer_name`,
    :meth:`set_active` (writing only while a session runs), :meth:`focus_input`.
    Signal: ``send_requested(str)``: the user sent a line the protocol carries (already checked).
    """

    send_requested = Signal(str)

    def __init__(self, peer_name: str = "", parent: QWidget | None = None, *,
                 now: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatLog")
        self._now = now or (lambda: datetime.now().astimezone())
        self._peer = peer_name
        # The last text handed to screen readers (tests read it; screen readers got it).
        self.last_announcement = ""

        self.history = QListWidget()
        self.history.setObjectName("chatHistory")
        self.history.setWordWrap(True)
        self.history.setUniformItemSizes(False)
        self.history.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.history.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.history.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setSpacing(3)  # lines apart: whose words end where
        self.history.setAccessibleName(self.tr("Chat messages"))

        self.input = ChatInput()
        self.input.setObjectName("chatInput")
        self.input.setTabChangesFocus(True)
        self.input.setPlaceholderText(self.tr("Write a message (Enter sends, Shift+Enter "
                                              "starts a new line)"))
        self.input.setAccessibleName(self.tr("Chat message"))
        self.input.setAccessibleDescription(self.tr(
            "Enter sends the message, Shift+Enter starts a new line."))
        self.input.setFixedHeight(self.input.fontMetrics().lineSpacing() * 3 + 14)
        self.input.submitted.connect(self.submit)
        self.input.textChanged.connect(self._on_text_changed)

        self.counter = QLabel()
        self.counter.setObjectName("chatCounter")
        self.counter.setTextFormat(Qt.TextFormat.PlainText)
        self.problem = QLabel()
        self.problem.setObjectName("chatProblem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #a40e26;")
        self.problem.setVisible(False)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("chatSend")
        self.send_button.setAutoDefault(False)
        self.send_button.setAccessibleName(self.tr("Send message"))
        self.send_button.clicked.connect(self.submit)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.counter)
        row.addStretch(1)
        row.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.input)
        layout.addWidget(self.problem)
        layout.addLayout(row)
        self.setTabOrder(self.input, self.send_button)
        self._on_text_changed()

    # ----------------------------------------------------------------- slots

    @Slot(str)
    def set_peer_name(self, name: str) -> None:
        """The other side's name as it labels their lines (as the peer gave it: plain text)."""
        self._peer = name

    @Slot(str, int)
    def add_received(self, text: str, dropped_before: int = 0) -> None:
        """A line from the other side; ``dropped_before`` lines before it were not shown
        because they came too fast (said first, so nothing goes missing silently)."""
        if dropped_before > 0:
            self.add_notice(self.tr("Messages not shown because they came too fast: "
                                    "{count}").format(count=dropped_before))
        name = self.peer_label()
        self._add("peer", name, text)
        self.last_announcement = self.tr("New message from {name}: {text}").format(
            name=name, text=text)
        announce(self.history, self.last_announcement)

    @Slot(str)
    def add_sent(self, text: str) -> None:
        """Our own line went out."""
        self._add("self", self.tr("You"), text)

    @Slot(str)
    def not_sent(self, text: str) -> None:
        """Our line could not go out (the link is being re-made): say so and put it back in
        the writing box, unless something new is being written there."""
        self.add_notice(self.tr("Your message was not sent because the connection is being "
                                "re-made. Please send it again."))
        if not self.input.toPlainText().strip():
            self.input.setPlainText(text)

    @Slot(str)
    def add_notice(self, text: str) -> None:
        """A line from the program itself (e.g. "the chat is now recorded"), in grey."""
        item = QListWidgetItem(f"{self._now():%H:%M}  {text}")
        item.setData(SENDER_ROLE, "notice")
        item.setData(TEXT_ROLE, text)
        item.setForeground(Qt.GlobalColor.darkGray)
        self._append(item)

    @Slot(bool)
    def set_active(self, active: bool) -> None:
        """Writing works only while a session runs; the lines stay readable after it."""
        self.input.setReadOnly(not active)
        self.send_button.setEnabled(active)
        if not active:
            self._show_problem("")

    def focus_input(self) -> None:
        """Put the keyboard into the writing box (e.g. after "Show chat")."""
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def submit(self) -> None:
        """Send what is written if the protocol carries it; otherwise say why, send nothing."""
        if self.input.isReadOnly():
            return
        text = self.input.toPlainText().strip()
        problem = chat_problem(text)
        if problem is not None:
            self._show_problem(self.problem_text(problem, len(text)))
            return
        self.input.clear()
        self.send_requested.emit(text)

    # ----------------------------------------------------------------- views (tests, wiring)

    def peer_label(self) -> str:
        return shown_name(self._peer, self.tr("Other side"))

    def lines(self) -> list[tuple[str, str]]:
        """(sender kind, text) of every line shown, oldest first."""
        out = []
        for row in range(self.history.count()):
            item = self.history.item(row)
            out.append((str(item.data(SENDER_ROLE)), str(item.data(TEXT_ROLE))))
        return out

    def problem_text(self, problem: str, count: int = 0) -> str:
        """What the writer reads for a :func:`chat_problem` key, in their language."""
        if problem == "too_long":
            return self.tr("This message is too long: at most {max} characters, it has "
                           "{count}. Please shorten it or send it in parts.").format(
                max=MAX_CHAT, count=count)
        if problem == "characters":
            return self.tr("This message contains control or invisible characters, which "
                           "cannot be sent. Please remove them.")
        return self.tr("Please write a message first.")

    def problem_shown(self) -> str:
        return self.problem.text() if self.problem.isVisibleTo(self) else ""

    # ----------------------------------------------------------------- internals

    def _add(self, kind: str, sender: str, text: str) -> None:
        item = QListWidgetItem(f"{self._now():%H:%M}  {sender}:\n{text}")
        item.setData(SENDER_ROLE, kind)
        item.setData(TEXT_ROLE, text)
        if kind == "self":
            item.setForeground(QColor("#0b4f9c"))  # our own lines: blue, the other side's black
        self._append(item)

    def _append(self, item: QListWidgetItem) -> None:
        self.history.addItem(item)
        while self.history.count() > MAX_HISTORY:
            self.history.takeItem(0)
        self.history.scrollToBottom()

    def _on_text_changed(self) -> None:
        count = len(self.input.toPlainText().strip())
        self.counter.setText(self.tr("{count} / {max}").format(count=count, max=MAX_CHAT))
        self.counter.setAccessibleName(self.tr("Characters: {count} of {max}").format(
            count=count, max=MAX_CHAT))
        over = count > MAX_CHAT
        self.counter.setStyleSheet("color: #a40e26; font-weight: 600;" if over else "")
        if over:
            self._show_problem(self.problem_text("too_long", count))
        elif self.problem.isVisibleTo(self) or self.problem.text():
            self._show_problem("")

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setAccessibleName(text)
        self.problem.setVisible(bool(text))
        if text:
            announce(self.problem, text)
