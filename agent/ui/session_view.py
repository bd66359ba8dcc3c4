"""The session view in the customer's window: who is connected, since when, what they may do.

While a session runs, the customer's main window shows this instead of the (spent) code: one
sentence that is true right now ("Anna can see and control your screen"), the local time the
session began, and the two things the customer can do, clearly apart: stop (or allow again)
control, and end the whole session. It shows state and emits intents, nothing else.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from agent.ui.chat_area import ChatArea
from agent.ui.elevation_notice import ElevationNotice, SasNotice
from agent.ui.files_panel import FilesPanel
from agent.ui.permissions import PermissionSwitches
from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import centred_label
from shared.text import shown_name

CONTROL = "control"


class SessionView(QWidget):
    """Who, since when, may they control; "Stop control" and "End session".

    Slots: :meth:`show_session` (a session began), :meth:`set_control` (the permissions changed),
    :meth:`set_permissions` (clipboard and files: what was asked for, what is granted now).
    Signals: ``control_toggle_requested(bool)`` (``False``: stop control, ``True``: allow it
    again; only offered when the technician asked for control), ``end_session_requested()``.
    The switches for clipboard and files (:attr:`permissions`) ask with their own
    ``permission_requested(name, granted)``; the transfers are :attr:`files`.
    The control button only asks: its text follows :meth:`set_control`, i.e. what is true.
    """

    control_toggle_requested = Signal(bool)
    end_session_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionView")
        self._name = ""
        self._control = False
        self._control_offered = False
        self._started: datetime | None = None

        #: "Anna can see and control your screen": what is true right now.
        self.status = centred_label("sessionStatus")
        #: "The session began at 14:05."
        self.since = centred_label("sessionSince")
        #: What the buttons do, in one plain sentence.
        self.hint = centred_label("sessionHint")
        #: "The connection ... is interrupted": only while the link is quiet.
        self.link = centred_label("sessionLink")
        self.link.setVisible(False)
        #: Windows: the window in front runs as administrator (shown by ElevationMonitor), and
        #: Ctrl+Alt+Del Windows would not take from Fernhilfe
        self.elevation = ElevationNotice(self)
        self.sas_notice = SasNotice(self)

        self.control_button = QPushButton()
        self.control_button.setObjectName("controlButton")
        self.control_button.setAutoDefault(False)
        self.control_button.clicked.connect(self._toggle_control)
        self.end_button = QPushButton(self.tr("End session"))
        self.end_button.setObjectName("endButton")
        self.end_button.setAutoDefault(False)
        self.end_button.setAccessibleName(self.tr("End session"))
        self.end_button.setAccessibleDescription(
            self.tr("Ends the session: your technician no longer sees your screen."))
        self.end_button.clicked.connect(self.end_session_requested)

        #: clipboard and files, one switch each for what the technician asked for (issue 17)
        self.permissions = PermissionSwitches(self)
        #: the file transfers, "Send a file to your technician…" (issue 17)
        self.files = FilesPanel(self)
        # The chat with the technician (issue 15), below the session's buttons.
        self.chat = ChatArea(self)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.control_button)
        buttons.addSpacing(32)  # apart, so "Stop control" and "End session" are not confused
        buttons.addWidget(self.end_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.status)
        layout.addWidget(self.since)
        layout.addWidget(self.hint)
        layout.addWidget(self.link)
        layout.addWidget(self.elevation)
        layout.addWidget(self.sas_notice)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addSpacing(6)
        layout.addWidget(self.permissions)
        layout.addWidget(self.files)
        layout.addWidget(self.chat, 1)
        self.setTabOrder(self.control_button, self.end_button)
        force_plain_text(self)  # the technician's name comes from outside

    # ----------------------------------------------------------------- slots

    def show_session(self, name: str, permissions: frozenset[str], started: datetime,
                     control_offered: bool) -> None:
        """A session began at ``started`` (local time) with ``name``; ``control_offered``:
        the technician asked for control, so the customer can allow it again after stopping."""
        self._name = shown_name(name, self.tr("Your technician"))
        self._started = started
        self._control_offered = control_offered or CONTROL in permissions
        self.since.setText(self.tr("The session began at {time}.").format(
            time=started.strftime("%H:%M")))
        self.set_control(CONTROL in permissions)
        self.files.start()
        self.chat.start(name)

    @Slot(bool)
    def set_control(self, enabled: bool) -> None:
        """Say what is true now: the technician sees, or sees and controls, the screen."""
        self._control = enabled
        if enabled:
            self.status.setText(self.tr("{name} can see and control your screen").format(
                name=self._name))
            self.hint.setText(self.tr(
                "You can stop control at any time; your technician then only sees your "
                "screen. \"End session\" ends everything."))
            self.control_button.setText(self.tr("Stop control"))
            self.control_button.setAccessibleDescription(
                self.tr("Your technician can no longer use your mouse and keyboard."))
        else:
            self.status.setText(self.tr("{name} can see your screen").format(name=self._name))
            self.hint.setText(self.tr(
                "Your technician cannot use your mouse or keyboard. \"End session\" ends "
                "everything."))
            self.control_button.setText(self.tr("Allow control"))
            self.control_button.setAccessibleDescription(
                self.tr("Lets your technician use your mouse and keyboard again."))
        self.control_button.setAccessibleName(self.control_button.text())
        self.status.setAccessibleName(self.status.text())
        self.control_button.setVisible(self._control_offered)

    def set_permissions(self, requested: frozenset[str], granted: frozenset[str]) -> None:
        """Clipboard and files: a switch for each one asked for, ticked while granted."""
        self.permissions.set_state(requested, granted)
        self.files.set_permissions(granted)

    @Slot(str)
    def set_link(self, state: str) -> None:
        """The link to the technician went quiet (``interrupted``), is being re-made
        (``reconnecting``; ``restarting`` when the relay restarts) or works again (``live``)."""
        if state == "interrupted":
            self.link.setText(self.tr("The connection to your technician is interrupted. "
                                      "Waiting for it to come back…"))
        elif state == "reconnecting":
            self.link.setText(self.tr("The connection to your technician was lost. "
                                      "Reconnecting…"))
        elif state == "restarting":
            self.link.setText(self.tr("The connection service is restarting. Reconnecting…"))
        else:
            self.link.setText("")
        self.link.setAccessibleName(self.link.text())
        self.link.setVisible(bool(self.link.text()))

    # ----------------------------------------------------------------- read-only views

    @property
    def name(self) -> str:
        """The technician's name as shown (a fallback when they gave none)."""
        return self._name

    @property
    def control(self) -> bool:
        """Whether the technician may control the screen now (as last told)."""
        return self._control

    def status_text(self) -> str:
        return self.status.text()

    def since_text(self) -> str:
        return self.since.text()

    def link_text(self) -> str:
        """The link note as shown (empty while the link works)."""
        return self.link.text() if self.link.isVisibleTo(self) else ""

    # ----------------------------------------------------------------- internals

    def _toggle_control(self) -> None:
        self.control_toggle_requested.emit(not self._control)

    def focus_first(self) -> None:
        """Put the keyboard focus on the first button (when the view appears)."""
        target = self.control_button if self._control_offered else self.end_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)
