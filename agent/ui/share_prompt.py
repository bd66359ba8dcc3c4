""""Still sharing?" in the overlay's control panel (issue 15, item 4).

After a while of sharing the panel, which is always on top and on the customer's screen, asks
"Still sharing your screen with Anna?" with a countdown and two buttons, Continue and End
session. Without an answer sharing pauses; the prompt then says so plainly and offers Resume.
It shows state and emits intents, nothing else: the countdown is only what the customer sees,
the agent's own timer (agent.still_sharing) decides when sharing pauses.

The technician's name comes from outside: plain text only. Every button is reachable with Tab
(the panel accepts the keyboard focus when given, see agent.ui.overlay.PANEL_FLAGS); a new
question is announced to screen readers.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.qt.plain import force_plain_text
from shared.text import shown_name

ASKING = "asking"
PAUSED = "paused"


class SharePrompt(QFrame):
    """The question and the pause note; hidden while neither applies.

    Slots: :meth:`ask` (ask now, ``seconds`` to answer), :meth:`show_paused` (sharing paused
    for ``reason`` ``"timeout"`` or ``"customer"``), :meth:`clear` (answered or resumed).
    Signals: ``continue_requested()``, ``end_requested()``, ``resume_requested()``; the prompt
    stays until the integrator clears it, so an answer that does not count keeps it shown.
    """

    continue_requested = Signal()
    end_requested = Signal()
    resume_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharePrompt")
        self._state = ""
        self._name = ""
        self._reason = ""
        self._answer_by = 0.0  # time.monotonic() when the countdown reaches 0
        self.question = QLabel()
        self.question.setObjectName("shareQuestion")
        self.question.setWordWrap(True)
        self.countdown = QLabel()
        self.countdown.setObjectName("shareCountdown")
        self.continue_button = QPushButton()
        self.continue_button.setObjectName("shareContinue")
        self.end_button = QPushButton()
        self.end_button.setObjectName("shareEnd")
        self.resume_button = QPushButton()
        self.resume_button.setObjectName("shareResume")
        for button in (self.continue_button, self.end_button, self.resume_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.continue_button.clicked.connect(self.continue_requested)
        self.end_button.clicked.connect(self.end_requested)
        self.resume_button.clicked.connect(self.resume_requested)
        buttons = QHBoxLayout()
        buttons.setSpacing(10)
        buttons.addWidget(self.continue_button)
        buttons.addWidget(self.resume_button)
        buttons.addStretch(1)
        buttons.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.question)
        layout.addWidget(self.countdown)
        layout.addLayout(buttons)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._show_countdown)
        force_plain_text(self)  # the technician's name comes from outside
        self.setStyleSheet(
            """
            QFrame#sharePrompt { background: #fff8c5; border: 1px solid #d4a72c;
                                 border-radius: 6px; }
            QLabel#shareQuestion { font-size: 11pt; font-weight: 600; color: #1f2328; }
            QLabel#shareCountdown { font-size: 10pt; color: #1f2328; }
            QPushButton { font-size: 10pt; padding: 4px 12px; border-radius: 5px; }
            QPushButton#shareContinue, QPushButton#shareResume {
                background: #1f883d; color: white; border: none; font-weight: 700; }
            QPushButton#shareEnd { background: #ffffff; color: #1f2328;
                                   border: 1px solid #8c959f; }
            QPushButton:focus { outline: none; border: 3px solid #0969da; }
            """
        )
        self.setVisible(False)
        self._retranslate()

    # ----------------------------------------------------------------- slots

    @Slot(str, float)
    def ask(self, name: str, seconds: float) -> None:
        """Ask whether to go on sharing with ``name`` (as typed); ``seconds`` to answer."""
        self._state = ASKING
        self._name = name
        self._answer_by = time.monotonic() + max(0.0, seconds)
        self._tick.start()
        self._retranslate()
        self.setVisible(True)
        self._announce()

    @Slot(str)
    def show_paused(self, reason: str) -> None:
        """Sharing is paused (``"timeout"``: nobody answered; ``"customer"``)."""
        self._state = PAUSED
        self._reason = reason
        self._tick.stop()
        self._retranslate()
        self.setVisible(True)
        self._announce()

    @Slot()
    def clear(self) -> None:
        """Answered or resumed: nothing to ask or say any more."""
        self._state = ""
        self._tick.stop()
        self._retranslate()
        self.setVisible(False)

    # ----------------------------------------------------------------- read-only views

    @property
    def state(self) -> str:
        """``"asking"``, ``"paused"`` or ``""`` (hidden)."""
        return self._state

    def seconds_left(self) -> int:
        """Whole seconds left to answer as shown (0 unless asking)."""
        if self._state != ASKING:
            return 0
        return max(0, math.ceil(self._answer_by - time.monotonic()))

    def text(self) -> str:
        """The question or the pause note (for tests)."""
        return self.question.text()

    # ----------------------------------------------------------------- internals

    def _show_countdown(self) -> None:
        left = self.seconds_left()
        self.countdown.setText(self.tr(
            "Without an answer, sharing pauses in {seconds} s.").format(seconds=left))
        self.countdown.setAccessibleName(self.countdown.text())
        if left == 0:
            self._tick.stop()

    def _retranslate(self) -> None:
        name = shown_name(self._name, self.tr("your technician"))
        asking, paused = self._state == ASKING, self._state == PAUSED
        if paused:
            self.question.setText(self.tr(
                "Sharing paused: nothing is shown or controlled."))
            if self._reason == "timeout":
                self.countdown.setText(self.tr(
                    "Nobody answered whether to go on. Click Resume to share again."))
            else:
                self.countdown.setText(self.tr("Click Resume to share again."))
        else:
            self.question.setText(self.tr(
                "Still sharing your screen with {name}?").format(name=name))
            self._show_countdown()
        self.continue_button.setText(self.tr("Continue"))
        self.continue_button.setAccessibleDescription(self.tr(
            "Keeps sharing your screen with your technician."))
        self.end_button.setText(self.tr("End session"))
        self.end_button.setAccessibleDescription(self.tr(
            "Ends the session: your technician no longer sees your screen."))
        self.resume_button.setText(self.tr("Resume"))
        self.resume_button.setAccessibleDescription(self.tr(
            "Shares your screen with your technician again."))
        for button in (self.continue_button, self.end_button, self.resume_button):
            button.setAccessibleName(button.text())
        self.continue_button.setVisible(asking)
        self.end_button.setVisible(asking or paused)
        self.resume_button.setVisible(paused)
        self.question.setAccessibleName(self.question.text())
        self.countdown.setAccessibleName(self.countdown.text())
        self.setAccessibleName(self.question.text())

    def _announce(self) -> None:
        """Tell screen readers at once: a question with a deadline must not wait for focus."""
        QAccessible.updateAccessibility(
            QAccessibleEvent(self.question, QAccessible.Event.Alert))
