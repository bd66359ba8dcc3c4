"""The technician's file transfers: a panel beside the customer's screen (issue 17).

One row per transfer, both directions: the name (plain text: a received file's name is the
customer's, sanitised by the console's own file store), its size, a progress bar, the state in
words and Cancel while it runs. A received file also shows where it was saved, its SHA-256 and
"Show in folder" (the folder opens; the file itself is never opened or run by the console).
"Send file…" asks for files to send; it works only while the customer allows sending files
(``files_in``); dropping files onto the remote screen does the same (console.ui.remote_view).

The rows are fed with the transfer pump's updates (``desktop.transfers.TransferUpdate``, the
type the customer's list reads too).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.qt.plain import force_plain_text
from desktop.qt.sizes import size_text
from desktop.transfers import TransferUpdate

#: Wire names of the two directions (api17.md section 3).
TO_CUSTOMER = "to_customer"
TO_TECHNICIAN = "to_technician"
#: Finished rows kept in the list (the oldest finished ones go first; running ones stay).
MAX_ROWS = 50


class TransferRow(QFrame):
    """One transfer: name, size, progress, state, Cancel; received: hash, Show in folder."""

    cancel_requested = Signal(str, int)
    show_in_folder_requested = Signal(str)

    def __init__(self, direction: str, ident: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.direction, self.ident = direction, ident
        self.state = "waiting"
        self.path = ""
        self.setObjectName("transferRow")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name_label = QLabel()
        self.name_label.setObjectName("transferName")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.size_label = QLabel()
        self.state_label = QLabel()
        self.state_label.setObjectName("transferState")
        self.state_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(
            lambda: self.cancel_requested.emit(self.direction, self.ident))
        self.hash_label = QLabel()
        self.hash_label.setObjectName("transferHash")
        self.hash_label.setWordWrap(True)
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hash_label.setVisible(False)
        self.folder_button = QPushButton(self.tr("Show in folder"))
        self.folder_button.setVisible(False)
        self.folder_button.clicked.connect(
            lambda: self.show_in_folder_requested.emit(self.path))
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.addWidget(self.name_label, 0, 0, 1, 2)
        grid.addWidget(self.size_label, 0, 2)
        grid.addWidget(self.progress, 1, 0, 1, 2)
        grid.addWidget(self.cancel_button, 1, 2)
        grid.addWidget(self.state_label, 2, 0, 1, 3)
        grid.addWidget(self.hash_label, 3, 0, 1, 3)
        grid.addWidget(self.folder_button, 4, 0, 1, 3, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(0, 1)
        force_plain_text(self)

    @property
    def finished(self) -> bool:
        return self.state in ("completed", "cancelled")

    def apply(self, u: TransferUpdate) -> None:
        """Show the pump's latest word on this transfer."""
        self.state = u.state
        arrow = "→" if u.direction == TO_CUSTOMER else "←"
        self.name_label.setText(f"{arrow} {u.name}")
        self.size_label.setText(size_text(u.size))
        self.progress.setValue(1000 if u.size == 0 and u.state == "completed"
                               else int(1000 * min(u.done, u.size) / u.size) if u.size else 0)
        self.progress.setFormat(f"{size_text(u.done)} / {size_text(u.size)}")
        self.state_label.setText(self._state_text(u))
        self.cancel_button.setVisible(not self.finished)
        self.cancel_button.setEnabled(not self.finished)
        received = u.direction == TO_TECHNICIAN and u.state == "completed"
        if received:
            self.path = u.path
            self.hash_label.setText(self.tr("Check sum (SHA-256): {hash}").format(hash=u.sha256))
        self.hash_label.setVisible(received and bool(u.sha256))
        self.folder_button.setVisible(received and bool(u.path))
        self.setAccessibleName(f"{self.name_label.text()} {self.state_label.text()}")

    def _state_text(self, u: TransferUpdate) -> str:
        to_customer = u.direction == TO_CUSTOMER
        if u.state == "waiting":
            return (self.tr("Waiting for the customer's computer…") if to_customer
                    else self.tr("Preparing…"))
        if u.state == "running":
            return self.tr("Sending…") if to_customer else self.tr("Receiving…")
        if u.state == "completed":
            if to_customer:
                return self.tr("Sent. The customer's computer checked the file.")
            return self.tr("Received and checked. Saved as {path}").format(path=u.path)
        return self._cancel_text(u.reason)

    def _cancel_text(self, reason: str) -> str:
        texts = {
            "cancelled": self.tr("Cancelled."),
            "refused": self.tr("Not allowed: the customer does not allow this now."),
            "revoked": self.tr("Stopped: the customer no longer allows files."),
            "too_large": self.tr("Refused: the file is larger than the other side accepts."),
            "no_space": self.tr("Refused: there is not enough free space for the file."),
            "hash_mismatch": self.tr("The file arrived damaged and was deleted. Please send "
                                     "it again."),
            "ended": self.tr("Stopped: the session ended."),
            "not_permitted": self.tr("Not sent: the customer does not allow you to send "
                                     "files now."),
            "too_many": self.tr("Not sent: at most 4 files go at once. Please send it when "
                                "one has finished."),
            "unreadable": self.tr("Not sent: the file cannot be read (moved, deleted or not "
                                  "yours to read)."),
        }
        return texts.get(reason, self.tr("Stopped because of an error (details are in the "
                                         "log)."))


class TransfersPanel(QDockWidget):
    """A dock with "Send file…" and the list of transfers; :attr:`toggle_action` shows it.

    Slots: :meth:`set_sending_allowed` (``files_in`` granted now), :meth:`update_transfer`.
    Signals: ``files_chosen(list)`` (paths to send), ``cancel_requested(str, int)``
    (direction, id).
    """

    files_chosen = Signal(list)
    cancel_requested = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transfersPanel")
        self.setWindowTitle(self.tr("Files"))
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea
                             | Qt.DockWidgetArea.RightDockWidgetArea
                             | Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.rows: dict[tuple[str, int], TransferRow] = {}
        self._ended = False
        self._unnumbered = 0  # keys of rows for files that never got an id: -1, -2, ...
        self.send_button = QPushButton(self.tr("Send file…"))
        self.send_button.clicked.connect(self.choose_files)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("filesHint")
        self.hint_label.setWordWrap(True)
        self.empty_label = QLabel(self.tr("No files sent or received in this session."))
        self.empty_label.setWordWrap(True)
        self._list = QWidget()
        self._list_layout = QVBoxLayout(self._list)
        self._list_layout.setContentsMargins(0, 0, 0, 0)
        self._list_layout.addWidget(self.empty_label)
        self._list_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._list)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 4, 6, 6)
        top = QHBoxLayout()
        top.addWidget(self.send_button)
        top.addStretch(1)
        column.addLayout(top)
        column.addWidget(self.hint_label)
        column.addWidget(scroll, 1)
        self.setWidget(body)
        self.setMinimumWidth(300)
        self.toggle_action = QAction(self.tr("&Files"), self)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setToolTip(self.tr("Show or hide the files sent and received"))
        self.toggle_action.toggled.connect(self._on_toggled)
        self.visibilityChanged.connect(self._sync_toggle)
        force_plain_text(self)
        self.set_sending_allowed(False)

    # ----------------------------------------------------------------- slots

    def set_sending_allowed(self, allowed: bool) -> None:
        """``files_in`` is granted (and the session runs): "Send file…" works."""
        if self._ended:
            return
        self.send_button.setEnabled(allowed)
        self.hint_label.setText(
            self.tr("You can send files to the customer: use Send file… or drop files onto "
                    "the customer's screen.") if allowed
            else self.tr("The customer does not allow you to send files now."))

    @property
    def sending_allowed(self) -> bool:
        return self.send_button.isEnabled()

    def update_transfer(self, u: TransferUpdate) -> None:
        """The pump's latest word on one transfer: a new row, or the existing one updated;
        the panel opens for a new one."""
        key = (u.direction, u.id)
        if u.id == 0:  # a file that never got an id (unreadable, not allowed): its own row
            self._unnumbered -= 1
            key = (u.direction, self._unnumbered)
        row = self.rows.get(key)
        if row is None:
            row = TransferRow(u.direction, u.id)
            row.cancel_requested.connect(self.cancel_requested)
            row.show_in_folder_requested.connect(self.show_in_folder)
            self.rows[key] = row
            self._list_layout.insertWidget(0, row)  # newest on top
            self.empty_label.setVisible(False)
            self._trim()
            if not self.isVisible():
                self.show()
        row.apply(u)

    def choose_files(self) -> None:
        """"Send file…": pick one or more files (nothing if sending is not allowed now)."""
        if not self.sending_allowed:
            return
        paths, _filter = QFileDialog.getOpenFileNames(self, self.tr("Send files to the "
                                                                    "customer"))
        if paths:
            self.files_chosen.emit(list(paths))

    def show_in_folder(self, path: str) -> None:
        """Open the folder a received file was saved in (never the file itself)."""
        if path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))

    def stop(self) -> None:
        """The session ended: nothing more can be sent; running rows say so."""
        self.set_sending_allowed(False)
        self._ended = True
        self.hint_label.setText(self.tr("The session has ended."))
        for row in self.rows.values():
            if not row.finished:
                row.state = "cancelled"
                row.state_label.setText(row._cancel_text("ended"))
                row.cancel_button.setVisible(False)

    # ----------------------------------------------------------------- internals

    def _trim(self) -> None:
        finished = [key for key, row in self.rows.items() if row.finished]
        while len(self.rows) > MAX_ROWS and finished:
            row = self.rows.pop(finished.pop(0))
            row.setParent(None)
            row.deleteLater()

    def _on_toggled(self, on: bool) -> None:
        if on != self.isVisible():
            self.setVisible(on)

    def _sync_toggle(self, _visible: bool) -> None:
        self.toggle_action.blockSignals(True)
        self.toggle_action.setChecked(self.isVisible())
        self.toggle_action.blockSignals(False)
