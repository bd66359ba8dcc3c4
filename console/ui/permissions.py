"""What the technician may ask the customer for besides the screen, in the console's words.

Issue 17: clipboard and files are separate, optional permissions ("clipboard", "files_in" =
the technician sends files to the customer, "files_out" = the customer sends files to the
technician). The technician ticks them in the connect window (asked with the consent request)
or asks later from the session window (:class:`AskDialog`); the customer decides each in the
agent's own dialog. This module only holds the texts and the small dialog: which permission
is granted is always what the customer's program last said (``PermissionsChanged``), never
what was ticked here.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.qt.plain import force_plain_text

#: Always asked for: the screen, and control (the customer may untick control).
BASE_REQUEST: frozenset[str] = frozenset({"view", "control"})
#: What may be asked for besides (api17.md section 1: OPTIONAL), in the order shown.
ASKABLE: tuple[str, ...] = ("clipboard", "files_in", "files_out")
#: What "Ask for more…" may ask for later: control too (after the customer unticked it).
ASK_LATER: tuple[str, ...] = ("control", *ASKABLE)


def permission_label(name: str) -> str:
    """The tick box's text for permission ``name`` (translated)."""
    texts = {
        "control": QCoreApplication.translate(
            "Permissions", "Control (mouse and keyboard)"),
        "clipboard": QCoreApplication.translate(
            "Permissions", "Clipboard (copy and paste text both ways)"),
        "files_in": QCoreApplication.translate(
            "Permissions", "Send files to the customer"),
        "files_out": QCoreApplication.translate(
            "Permissions", "Receive files the customer sends you"),
    }
    return texts.get(name, name)


def granted_text(permissions: Iterable[str]) -> str:
    """The status bar's "what you may do now": e.g. "View and control · Clipboard · Send
    files · Receive files" (empty when nothing is granted)."""
    granted = frozenset(permissions)
    if "view" not in granted:
        return ""
    parts = [QCoreApplication.translate("Permissions", "View and control")
             if "control" in granted
             else QCoreApplication.translate("Permissions", "View only")]
    short = {"clipboard": QCoreApplication.translate("Permissions", "Clipboard"),
             "files_in": QCoreApplication.translate("Permissions", "Send files"),
             "files_out": QCoreApplication.translate("Permissions", "Receive files")}
    parts += [short[name] for name in ASKABLE if name in granted]
    return " · ".join(parts)


class AskDialog(QDialog):
    """"Ask for more…": tick what to ask the customer for now (only what is not granted).

    Signal ``ask_requested(object)``: a ``frozenset[str]`` of 1..4 permission names, emitted on
    "Ask the customer" when at least one is ticked. The customer answers in the agent (Allow /
    Not now); the session window shows what is granted when the answer comes.
    """

    ask_requested = Signal(object)

    def __init__(self, granted: frozenset[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Ask the customer for more"))
        self.setModal(False)
        intro = QLabel(self.tr("Tick what you want to ask the customer for. The customer "
                               "decides on their screen; nothing changes until they allow "
                               "it."))
        intro.setWordWrap(True)
        self.boxes: dict[str, QCheckBox] = {}
        column = QVBoxLayout(self)
        column.addWidget(intro)
        for name in ASK_LATER:
            if name in granted:
                continue
            box = QCheckBox(permission_label(name))
            box.setObjectName(f"ask_{name}")
            self.boxes[name] = box
            column.addWidget(box)
        self.buttons = QDialogButtonBox()
        self.ask_button = self.buttons.addButton(self.tr("Ask the customer"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ask)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        for box in self.boxes.values():
            box.toggled.connect(self._update)
        self._update()
        force_plain_text(self)

    def chosen(self) -> frozenset[str]:
        return frozenset(name for name, box in self.boxes.items() if box.isChecked())

    def _update(self, _on: bool = False) -> None:
        self.ask_button.setEnabled(bool(self.chosen()))

    def _ask(self) -> None:
        chosen = self.chosen()
        if chosen:
            self.ask_requested.emit(chosen)
            self.accept()


def askable_now(granted: frozenset[str]) -> bool:
    """Is there anything left to ask for (something of :data:`ASK_LATER` not granted)?"""
    return any(name not in granted for name in ASK_LATER)
