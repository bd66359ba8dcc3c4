"""The technician's session history: every session, searchable, with a note, exported for billing.

A table (start, duration, customer, permissions, files, how it ended, note) over
:class:`console.history.HistoryStore`. Opening the window re-indexes the records that are new
or changed since last time on a worker thread (the list stays usable meanwhile); typing in the
search field filters at once; the date fields limit the time. Customer and note are the
technician's own words (double-click, or F2, on the cell); everything else comes from the
session records, which anyone with access to the folder can edit: shown only as plain text
(a table model's display text is never rich text, and no tooltip carries it). "Export CSV…"
writes the rows shown for the billing; "Open record" shows the session in the record window.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console.history import (
    MAX_CUSTOMER_CHARS,
    MAX_NOTE_CHARS,
    HistoryError,
    HistoryRow,
    HistoryStore,
    export_csv,
)
from desktop.audit_store import default_audit_dir
from desktop.qt.plain import force_plain_text
from desktop.qt.record_window import RecordWindow
from desktop.qt.sizes import size_text
from desktop.qt.widgets import named_button

log = logging.getLogger(__name__)

#: The table's columns; customer and note are the technician's and can be edited.
START, DURATION, CUSTOMER, PERMISSIONS, FILES, ENDED, NOTE = range(7)
EDITABLE = (CUSTOMER, NOTE)
#: The first day the date fields offer; showing it means "no limit".
NO_LIMIT = QDate(2000, 1, 1)
#: Where the view keeps each row's record key.
KEY_ROLE = Qt.ItemDataRole.UserRole


class HistoryModel(QAbstractTableModel):
    """The rows of the table; edits of customer and note go to the store at once."""

    note_failed = Signal(str)  # the store said no (the window shows why)

    def __init__(self, window: HistoryWindow) -> None:
        super().__init__(window)
        self.window = window
        self.rows: list[HistoryRow] = []

    def set_rows(self, rows: list[HistoryRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.window.headings()[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in EDITABLE:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == KEY_ROLE:
            return row.key
        if role == Qt.ItemDataRole.EditRole and index.column() in EDITABLE:
            return row.customer if index.column() == CUSTOMER else row.note
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.window.cell(row, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == DURATION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or index.column() not in EDITABLE or not 0 <= index.row() < len(self.rows)):
            return False
        row = self.rows[index.row()]
        text = str(value).strip()
        if index.column() == CUSTOMER:
            new = dataclasses.replace(row, customer=text[:MAX_CUSTOMER_CHARS])
        else:
            new = dataclasses.replace(row, note=text[:MAX_NOTE_CHARS])
        try:
            self.window.store.set_notes(new.key, new.customer, new.note)
        except HistoryError as exc:
            log.error("note not saved: %s", exc)
            self.note_failed.emit(str(exc))
            return False
        self.rows[index.row()] = new
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True


class HistoryWindow(QWidget):
    """The session history. ``store`` (default: the console's data folder) and ``audit_dir``
    (default: the console's records) for tests; ``tz``: the zone times are shown and exported
    in (``None``: this computer's). ``synced`` is emitted after each re-index (how many
    records were read again; -1 when it failed)."""

    synced = Signal(int)
    _sync_done = Signal(int, str)  # from the worker thread (queued to the GUI thread)

    def __init__(self, store: HistoryStore | None = None, audit_dir: Path | None = None,
                 parent: QWidget | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("historyWindow")
        self.setWindowTitle(self.tr("Session history"))
        self.resize(1000, 560)
        self._tz = tz
        self.audit_dir = audit_dir if audit_dir is not None else default_audit_dir()
        self._store = store
        self._syncing: threading.Thread | None = None
        self._dialog: QFileDialog | None = None
        self.record_window: RecordWindow | None = None

        intro = QLabel(self.tr(
            "Every session you ran, from the session records on this computer. Customer and "
            "note are yours: double-click to write them. They are kept only in this list."))
        intro.setObjectName("intro")
        intro.setWordWrap(True)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search customer, note, file or how it ended"))
        self.search.setAccessibleName(self.tr("Search"))
        self.search.textChanged.connect(self.reload)
        self.since = self._date_edit("since", self.tr("From"))
        self.until = self._date_edit("until", self.tr("To"))
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        for label, edit in ((self.tr("&From:"), self.since), (self.tr("&To:"), self.until)):
            text = QLabel(label)
            text.setBuddy(edit)
            filters.addWidget(text)
            filters.addWidget(edit)

        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setObjectName("sessions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Sessions"))
        self.table.setAccessibleDescription(self.tr(
            "Newest session first. Press F2 to write the customer or the note."))
        self.table.doubleClicked.connect(self._double_clicked)

        self.empty = QLabel(self.tr("No sessions found."))
        self.empty.setObjectName("empty")
        self.empty.setVisible(False)
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.model.note_failed.connect(self._note_failed)

        self.refresh_button = named_button("refresh", self.tr("Refresh"), self.refresh)
        self.open_button = named_button("openRecord", self.tr("Open record"), self.open_record)
        self.export_button = named_button("exportCsv", self.tr("Export CSV…"), self._ask_csv)
        self.close_button = named_button("close", self.tr("Close"), self.close)
        actions = QHBoxLayout()
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        actions.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)
        force_plain_text(self)
        self._sync_done.connect(self._on_synced)
        self.since.dateChanged.connect(self.reload)
        self.until.dateChanged.connect(self.reload)
        self.reload()
        self.refresh()

    def _date_edit(self, name: str, accessible: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setMinimumDate(NO_LIMIT)
        edit.setSpecialValueText(self.tr("any"))  # shown at the minimum: no limit
        edit.setDate(NO_LIMIT)
        edit.setDisplayFormat("dd.MM.yyyy" if QLocale().decimalPoint() == "," else "yyyy-MM-dd")
        edit.setAccessibleName(accessible)
        return edit

    # ------------------------------------------------------------------ data

    @property
    def store(self) -> HistoryStore:
        """The history store, opened on first use (a broken one raises HistoryError)."""
        if self._store is None:
            self._store = HistoryStore()
        return self._store

    @Slot()
    def refresh(self) -> None:
        """Re-index new and changed records on a worker thread; the list follows when done."""
        if self._syncing is not None and self._syncing.is_alive():
            return
        self.status.setText(self.tr("Reading the session records…"))
        self.refresh_button.setEnabled(False)
        thread = threading.Thread(target=self._sync_worker, name="console-history",
                                  daemon=True)
        self._syncing = thread
        thread.start()

    def _sync_worker(self) -> None:
        """Worker thread: the store opens its own connection here."""
        count, error = -1, ""
        try:
            count = self.store.sync(self.audit_dir)
        except HistoryError as exc:
            log.error("session history not updated: %s", exc)
            error = str(exc)
        except Exception:  # never leave the window "reading" forever
            log.exception("session history not updated")
        finally:
            if self._store is not None:
                self._store.close_thread()  # each refresh is a new thread: no connection left
        with contextlib.suppress(RuntimeError):  # the window was deleted meanwhile
            self._sync_done.emit(count, error)

    @Slot(int, str)
    def _on_synced(self, count: int, _error: str) -> None:
        self.refresh_button.setEnabled(True)
        if count < 0:
            self.status.setText(self.tr("The session history could not be updated (details "
                                        "are in the log)."))
        else:
            self.status.setText("")
            self.reload()
        self.synced.emit(count)

    def wait_synced(self, timeout: float = 30.0) -> None:
        """Block until a running re-index finished (closing, tests)."""
        if self._syncing is not None:
            self._syncing.join(timeout)

    def _range(self) -> tuple[datetime | None, datetime | None]:
        """The date fields as aware times in the window's zone (``until``: the day after)."""
        def moment(day: QDate) -> datetime:
            local = datetime.combine(date(day.year(), day.month(), day.day()), time())
            return local.replace(tzinfo=self._tz) if self._tz else local.astimezone()

        since = None if self.since.date() == NO_LIMIT else moment(self.since.date())
        until = (None if self.until.date() == NO_LIMIT
                 else moment(self.until.date()) + timedelta(days=1))
        return since, until

    @Slot()
    def reload(self) -> None:
        """Show the sessions the search and the dates let through (from the index)."""
        keep = self.current_key()
        since, until = self._range()
        try:
            rows = self.store.sessions(self.search.text(), since, until)
        except HistoryError as exc:
            log.error("session history not read: %s", exc)
            self.status.setText(self.tr("The session history cannot be opened (details are "
                                        "in the log)."))
            rows = []
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.export_button.setEnabled(bool(rows))
        self.open_button.setEnabled(bool(rows))
        if rows:
            keys = [r.key for r in rows]
            self.table.selectRow(keys.index(keep) if keep in keys else 0)
            self.table.resizeColumnsToContents()

    def current_key(self) -> str | None:
        """The record key of the selected session."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        key = self.model.data(index, KEY_ROLE)
        return str(key) if key is not None else None

    # ------------------------------------------------------------------ words

    def headings(self) -> list[str]:
        return [self.tr("Started"), self.tr("Duration"), self.tr("Customer"),
                self.tr("Permissions"), self.tr("Files"), self.tr("How it ended"),
                self.tr("Note")]

    def csv_headings(self) -> list[str]:
        return [self.tr("Date"), self.tr("Start"), self.tr("End"),
                self.tr("Duration (minutes)"), self.tr("Customer"), self.tr("Note"),
                self.tr("Permissions"), self.tr("Files"), self.tr("How it ended")]

    def when(self, moment: datetime | None) -> str:
        if moment is None:
            return self.tr("unknown time")
        return moment.astimezone(self._tz).strftime(self.tr("%Y-%m-%d %H:%M"))

    def duration(self, row: HistoryRow) -> str:
        minutes = row.billed_minutes
        if minutes is None:
            return "–"
        return self.tr("{0} min").format(minutes)

    def permission_words(self, row: HistoryRow) -> str:
        """The permissions used, in words, in the order people think of them."""
        names = {
            "view": self.tr("screen"),
            "control": self.tr("control"),
            "clipboard": self.tr("clipboard"),
            "files_in": self.tr("files to the customer"),
            "files_out": self.tr("files from the customer"),
        }
        order = list(names)
        perms = sorted(row.permissions, key=lambda p: (order.index(p) if p in order else 99, p))
        return ", ".join(names.get(p, p) for p in perms) or self.tr("nothing")

    def files_text(self, row: HistoryRow) -> str:
        if not row.files_count:
            return ""
        return self.tr("{0} ({1}): {2}").format(row.files_count, size_text(row.files_bytes),
                                                ", ".join(row.file_names))

    def ended_words(self, row: HistoryRow) -> str:
        """How the session ended, in a few words."""
        if row.problem == "unreadable":
            return self.tr("record cannot be read")
        if not row.end_reason:
            return self.tr("no end recorded")
        if row.ended_by == "customer":
            return (self.tr("denied by the customer") if row.end_reason == "denied"
                    else self.tr("ended by the customer"))
        if row.ended_by == "technician":
            return self.tr("ended by you")
        lost = ("peer_gone", "peer_timeout", "connection_lost")
        if row.end_reason in lost:
            return self.tr("connection lost")
        if row.end_reason == "timeout":
            return self.tr("not answered in time")
        return self.tr("ended by an error")

    def cell(self, row: HistoryRow, column: int) -> str:
        texts: dict[int, Callable[[HistoryRow], str]] = {
            START: lambda r: self.when(r.start or r.sort_time),
            DURATION: self.duration,
            CUSTOMER: lambda r: r.customer,
            PERMISSIONS: self.permission_words,
            FILES: self.files_text,
            ENDED: self.ended_words,
            NOTE: lambda r: " ".join(r.note.split()),  # one line in the table
        }
        return texts[column](row)

    # ------------------------------------------------------------------ actions

    @Slot(str)
    def _note_failed(self, _error: str) -> None:
        self.status.setText(self.tr("The note could not be saved (details are in the log)."))

    def _double_clicked(self, index: QModelIndex) -> None:
        """A double-click on a column of the record opens the record (the notes are edited)."""
        if index.column() not in EDITABLE:
            self.open_record()

    @Slot()
    def open_record(self) -> None:
        """The selected session in the record window (everything its record says)."""
        key = self.current_key()
        if key is None:
            return
        if self.record_window is None:
            self.record_window = RecordWindow(self.audit_dir, role="console", tz=self._tz)
        window = self.record_window
        window.refresh()
        paths = [entry.path.name for entry in window.entries]
        if key in paths:
            window.select(paths.index(key))
            self.status.setText("")
        else:
            self.status.setText(self.tr("The record window lists only the newest records; "
                                        "this one is in the folder as {0}.").format(key))
        window.show()
        window.raise_()
        window.activateWindow()

    def _ask_csv(self) -> None:
        """Ask where to save the CSV (window-modal, not blocking), then save there."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        base = self.tr("sessions")  # the file's name, e.g. sessions-2026-12-01.csv
        name = f"{base}-{datetime.now().strftime('%Y-%m-%d')}.csv"
        dialog = QFileDialog(self, self.tr("Export CSV"), str(Path(folder) / name),
                             self.tr("CSV files (*.csv)"))
        dialog.setObjectName("csvDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(lambda chosen: self.save_csv(Path(chosen)))
        self._dialog = dialog
        dialog.open()

    def save_csv(self, path: Path) -> bool:
        """The sessions shown now as a billing CSV at ``path``; says in the window how it went.

        Cells are separated the way this language's spreadsheet expects (``;`` where the
        decimal point is a comma, as in German Excel)."""
        delimiter = ";" if QLocale().decimalPoint() == "," else ","
        try:
            count = export_csv(self.model.rows, path, headers=self.csv_headings(), tz=self._tz,
                               delimiter=delimiter, permissions_text=self.permission_words,
                               ended_text=self.ended_words)
        except OSError as exc:
            log.error("cannot save the CSV to %s: %s", path, exc)
            self.status.setText(self.tr("The file could not be saved. Please choose another "
                                        "folder."))
            return False
        self.status.setText(self.tr("{0} sessions saved: {1}").format(count, str(path)))
        return True

    def show_now(self) -> None:
        """Open (or bring up) the window and re-read what changed."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.refresh()
        self.search.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._dialog is not None:
            self._dialog.close()
        super().closeEvent(event)


def show_history(owner: Any) -> HistoryWindow:
    """The console's one history window per run (kept as ``owner.history_window``), brought
    up to date each time it is asked for: what the connect window's "History…" button does."""
    window: HistoryWindow | None = getattr(owner, "history_window", None)
    if window is None:
        window = HistoryWindow()
        owner.history_window = window
    window.show_now()
    return window

