"""The customer's words and switches for the optional permissions (issue 17).

Clipboard and files are off unless the customer says so, for this session only: the consent
dialog offers them (only what the technician asked for, unticked), the session view has one
switch each for the rest of the session, and the always-on-top panel shows while one is on and
asks when the technician asks for more later ("The technician also asks to: …", Allow / Not
now). The texts are here once, so the dialog, the switches and the panel say the same.

Widgets show state and emit intents: :class:`PermissionSwitches` asks with
``permission_requested(name, granted)``; what is true comes back through :meth:`set_state`.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import tab_only, wrapped_label

CLIPBOARD = "clipboard"
FILES_IN = "files_in"  # technician -> customer
FILES_OUT = "files_out"  # customer -> technician
#: The optional permissions in the order every window lists them (api17.md section 1).
OPTIONAL = (CLIPBOARD, FILES_IN, FILES_OUT)
#: Where received files go, as the customer reads it (desktop.transfers.default_download_dir).
FOLDER_TEXT = "Downloads/Fernhilfe"


def permission_label(name: str) -> str:
    """The check box's words for optional permission ``name``."""
    labels = {
        CLIPBOARD: QCoreApplication.translate(
            "Permissions", "Share the clipboard (copied text only)"),
        FILES_IN: QCoreApplication.translate(
            "Permissions", "Receive files from your technician"),
        FILES_OUT: QCoreApplication.translate(
            "Permissions", "Send files to your technician"),
    }
    return labels.get(name, name)


def permission_note(name: str) -> str:
    """One plain line under the check box: what the permission means."""
    notes = {
        CLIPBOARD: QCoreApplication.translate(
            "Permissions", "Copied text goes both ways. Never pictures or files."),
        FILES_IN: QCoreApplication.translate(
            "Permissions",
            "Saved in {folder}. Nothing is opened or started by itself."
        ).format(folder=FOLDER_TEXT),
        FILES_OUT: QCoreApplication.translate(
            "Permissions",
            "Only files you choose yourself. Your technician cannot look at your files."),
    }
    return notes.get(name, "")


def privacy_text() -> str:
    """What can travel and when: said in the consent dialog before the customer decides."""
    return QCoreApplication.translate(
        "Permissions",
        "What is sent, encrypted: your screen and, with control, your technician's mouse and "
        "keyboard. Clipboard text and files only while you allow them; you can stop them at "
        "any time. The session record lists each file and how much clipboard text was sent, "
        "never the text itself.")


def on_text(granted: Iterable[str]) -> str:
    """The panel's marker: which of clipboard and files are on now ("" when none is)."""
    on = set(granted)
    parts = []
    if CLIPBOARD in on:
        parts.append(QCoreApplication.translate("Permissions", "Clipboard shared"))
    if FILES_IN in on and FILES_OUT in on:
        parts.append(QCoreApplication.translate("Permissions", "Files both ways"))
    elif FILES_IN in on:
        parts.append(QCoreApplication.translate("Permissions", "Receiving files"))
    elif FILES_OUT in on:
        parts.append(QCoreApplication.translate("Permissions", "Sending files"))
    return " · ".join(parts)


def _note_label(text: str, indent: int = 24) -> QLabel:
    note = QLabel(text)
    note.setObjectName("permissionNote")
    note.setTextFormat(Qt.TextFormat.PlainText)
    note.setWordWrap(True)
    note.setIndent(indent)
    note.setStyleSheet("color: #57606a;")
    return note


class PermissionSwitches(QWidget):
    """One switch per optional permission the technician asked for, for the whole session.

    Slots: :meth:`set_state` (what was asked for, what is granted now). Signal:
    ``permission_requested(name, granted)``; a click only asks (the box goes back to what is
    true until :meth:`set_state` says otherwise). Hidden while nothing optional was asked for.
    """

    permission_requested = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("permissionSwitches")
        self._granted: frozenset[str] = frozenset()
        self.boxes: dict[str, QCheckBox] = {}
        self.notes: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.title = QLabel(self.tr("You allow your technician to:"))
        self.title.setObjectName("permissionTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.title)
        for name in OPTIONAL:
            box = QCheckBox(permission_label(name))
            box.setObjectName(name)
            box.setAccessibleName(box.text())
            box.setAccessibleDescription(permission_note(name))
            box.toggled.connect(lambda on, n=name: self._clicked(n, on))
            note = _note_label(permission_note(name))
            layout.addWidget(box)
            layout.addWidget(note)
            self.boxes[name] = box
            self.notes[name] = note
        self.set_state(frozenset(), frozenset())

    def set_state(self, requested: Iterable[str], granted: Iterable[str]) -> None:
        """Show a switch for each optional permission in ``requested``, ticked if granted."""
        asked = set(requested)
        self._granted = frozenset(granted)
        for name, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(name in self._granted)
            box.blockSignals(False)
            box.setVisible(name in asked)
            self.notes[name].setVisible(name in asked)
        self.setVisible(bool(asked & set(OPTIONAL)))

    @property
    def granted(self) -> frozenset[str]:
        return self._granted

    def _clicked(self, name: str, on: bool) -> None:
        box = self.boxes[name]
        box.blockSignals(True)
        box.setChecked(name in self._granted)  # what is true, until the session says so
        box.blockSignals(False)
        self.permission_requested.emit(name, on)


class PermissionRequest(QFrame):
    """The technician asks for more during the session: "also asks to: …", Allow / Not now.

    On the always-on-top panel (the customer's window steps aside during a session). The
    asked permissions are listed as ticked boxes: Allow grants what stays ticked, "Not now"
    grants nothing; either way the question goes away. Signals: ``allowed(frozenset[str])``,
    ``dismissed()``.
    """

    allowed = Signal(object)  # frozenset[str]
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("permissionRequest")
        self.text = wrapped_label("permissionRequestText", 420)
        self.boxes: dict[str, QCheckBox] = {}
        self.allow_button = QPushButton(self.tr("Allow"))
        self.allow_button.setObjectName("permissionAllow")
        self.not_now_button = QPushButton(self.tr("Not now"))
        self.not_now_button.setObjectName("permissionNotNow")
        for button in (self.allow_button, self.not_now_button):
            # Like the panel's other buttons: reachable by Tab, never focused by a click, so
            # the technician's typing never lands on them.
            tab_only(button).setAutoDefault(False)
        self.allow_button.setAccessibleName(self.tr("Allow"))
        self.allow_button.setAccessibleDescription(
            self.tr("Your technician also gets what is ticked."))
        self.not_now_button.setAccessibleName(self.tr("Not now"))
        self.not_now_button.setAccessibleDescription(self.tr("Nothing more is allowed."))
        self.allow_button.clicked.connect(self._allow)
        self.not_now_button.clicked.connect(self._dismiss)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 0)
        self._layout.setSpacing(3)
        self._layout.addWidget(self.text)
        for name in OPTIONAL:
            box = QCheckBox(permission_label(name))
            box.setObjectName("ask_" + name)
            box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            box.setAccessibleName(box.text())
            box.setAccessibleDescription(permission_note(name))
            box.setToolTip(permission_note(name))
            box.setVisible(False)
            self._layout.addWidget(box)
            self.boxes[name] = box
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.not_now_button)
        row.addWidget(self.allow_button)
        self._layout.addLayout(row)
        self.setStyleSheet(
            "QLabel#permissionRequestText { font-size: 10pt; font-weight: 600; color: #1f2328; }"
            " QCheckBox { font-size: 10pt; }"
            " QPushButton { font-size: 10pt; padding: 3px 10px; }")
        force_plain_text(self)
        self.setVisible(False)

    def ask(self, technician: str, permissions: Iterable[str]) -> None:
        """Ask the customer about ``permissions`` (names from :data:`OPTIONAL`; others are
        left out), each ticked; a second request adds to one still open."""
        asked = [n for n in OPTIONAL if n in set(permissions)]
        if not asked:
            return
        for name in asked:
            self.boxes[name].setChecked(True)
            self.boxes[name].setVisible(True)
        self.text.setText(self.tr("{name} also asks to:").format(name=technician))
        self.text.setAccessibleName(self.text.text())
        self.setVisible(True)

    def asked(self) -> frozenset[str]:
        """The permissions the open question lists (empty when none is open)."""
        return frozenset(n for n, b in self.boxes.items() if not b.isHidden())

    def clear(self) -> None:
        for box in self.boxes.values():
            box.setChecked(False)
            box.setVisible(False)
        self.setVisible(False)

    def _allow(self) -> None:
        chosen = frozenset(n for n, b in self.boxes.items()
                           if not b.isHidden() and b.isChecked())
        self.clear()
        self.allowed.emit(chosen)

    def _dismiss(self) -> None:
        self.clear()
        self.dismissed.emit()
