"""The session history window (issue 17), real widgets under Xvfb over real records: live
search, a note edited in the table and kept, the CSV export, "Open record", the connect
window's "History…" button, and German."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit

from bench.history_bench import write_console_record
from console.app import ConsoleApp
from console.history import HistoryStore
from console.ui.history_window import CUSTOMER, DURATION, ENDED, FILES, NOTE, HistoryWindow
from desktop.audit_store import AuditRecord, default_audit_dir

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
BERLIN = timezone(timedelta(hours=1))


@pytest.fixture
def records(tmp_path: Path) -> list[AuditRecord]:
    audit = tmp_path / "audit"
    return [
        write_console_record(audit, START, minutes=30.5,
                             files=[("to_customer", "update.msi", 2_000_000)],
                             later=["files_in"]),
        write_console_record(audit, START + timedelta(days=1), minutes=12,
                             reason="customer_ended"),
        write_console_record(audit, START + timedelta(days=2), minutes=3, reason=None),
    ]


@pytest.fixture
def store(tmp_path: Path, records: list[AuditRecord]) -> Iterator[HistoryStore]:
    s = HistoryStore(tmp_path / "history.sqlite3")
    s.set_notes(records[0].path.name, "Kanzlei Müller", "Jahresupdate")
    s.set_notes(records[1].path.name, "<b>Bäckerei</b> Schulz", "")
    yield s
    s.close()


def open_window(qtbot: Any, store: HistoryStore, tmp_path: Path) -> HistoryWindow:
    win = HistoryWindow(store, tmp_path / "audit", tz=BERLIN)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.model.rowCount() == 3, timeout=5000)  # indexed off the GUI
    return win


def texts(win: HistoryWindow, column: int) -> list[str]:
    return [win.model.index(r, column).data() for r in range(win.model.rowCount())]


def test_the_table_shows_every_session_newest_first_in_words(
        qtbot: Any, english: None, store: HistoryStore, tmp_path: Path) -> None:
    win = open_window(qtbot, store, tmp_path)
    assert texts(win, CUSTOMER) == ["", "<b>Bäckerei</b> Schulz", "Kanzlei Müller"]  # literal
    assert texts(win, DURATION) == ["–", "12 min", "31 min"]
    assert texts(win, ENDED) == ["no end recorded", "ended by the customer", "ended by you"]
    assert texts(win, FILES)[2].startswith("1 (") and texts(win, FILES)[2].endswith(
        "update.msi")
    assert win.model.index(2, 0).data() == "2026-11-30 10:00"  # local time
    assert "files to the customer" in win.model.index(2, 3).data()
    win.wait_synced()


def test_search_filters_live_and_the_dates_limit_the_time(
        qtbot: Any, english: None, store: HistoryStore, tmp_path: Path) -> None:
    win = open_window(qtbot, store, tmp_path)
    qtbot.keyClicks(win.search, "MÜLL")
    assert texts(win, CUSTOMER) == ["Kanzlei Müller"]  # at each key, no button
    win.search.clear()
    qtbot.keyClicks(win.search, "update.msi jahres")
    assert texts(win, NOTE) == ["Jahresupdate"]
    qtbot.keyClicks(win.search, "x")
    assert win.model.rowCount() == 0 and win.empty.isVisible()
    assert not win.export_button.isEnabled()
    win.search.clear()
    win.since.setDate(QDate(2026, 12, 1))
    assert win.model.rowCount() == 2
    win.until.setDate(QDate(2026, 12, 1))  # the whole day, local time
    assert texts(win, CUSTOMER) == ["<b>Bäckerei</b> Schulz"]
    win.wait_synced()


def test_a_note_typed_in_the_table_is_kept(qtbot: Any, english: None, store: HistoryStore,
                                           tmp_path: Path, records: list[AuditRecord]) -> None:
    win = open_window(qtbot, store, tmp_path)
    index = win.model.index(0, NOTE)  # the running session, no note yet
    win.table.scrollTo(index)
    rect = win.table.visualRect(index)
    qtbot.mouseClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(win.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: win.table.viewport().findChild(QLineEdit) is not None)
    editor = win.table.viewport().findChild(QLineEdit)  # no window manager: no focus to ask
    qtbot.keyClicks(editor, "Drucker eingerichtet")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.notes(records[2].path.name)[1] == "Drucker eingerichtet")
    assert win.model.index(0, NOTE).data() == "Drucker eingerichtet"
    win.wait_synced()
    again = HistoryStore(store.path)  # another run of the console reads it
    assert again.notes(records[2].path.name) == ("", "Drucker eingerichtet")
    again.close()
    assert not win.model.setData(win.model.index(0, DURATION), "x")  # the record's own


def test_export_csv_asks_where_and_writes_the_rows_shown(
        qtbot: Any, english: None, store: HistoryStore, tmp_path: Path) -> None:
    win = open_window(qtbot, store, tmp_path)
    qtbot.keyClicks(win.search, "MÜLLER")  # QTest types only what a keyboard has: Ü
    qtbot.mouseClick(win.export_button, Qt.MouseButton.LeftButton)
    dialog = win.findChild(QFileDialog, "csvDialog")
    assert dialog is not None and dialog.isVisible()
    target = tmp_path / "billing.csv"
    dialog.setDirectory(str(tmp_path))
    dialog.selectFile(target.name)
    dialog.accept()
    qtbot.waitUntil(target.is_file)
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh, delimiter=","))  # English: the comma
    assert table[0][:4] == ["Date", "Start", "End", "Duration (minutes)"]
    assert table[1][:6] == ["2026-11-30", "10:00", "10:30", "31", "Kanzlei Müller",
                            "Jahresupdate"]
    assert table[1][6:] == ["screen, control, files to the customer", "update.msi",
                            "ended by you"]
    assert len(table) == 2
    assert win.status.text() == f"1 sessions saved: {target}"
    assert not win.save_csv(tmp_path / "missing" / "x.csv")
    win.wait_synced()


def test_open_record_shows_the_session_in_the_record_window(
        qtbot: Any, english: None, store: HistoryStore, tmp_path: Path,
        records: list[AuditRecord]) -> None:
    win = open_window(qtbot, store, tmp_path)
    win.table.selectRow(1)
    qtbot.mouseClick(win.open_button, Qt.MouseButton.LeftButton)
    record_window = win.record_window
    assert record_window is not None
    qtbot.addWidget(record_window)
    qtbot.waitUntil(record_window.isVisible)
    entry = record_window.current_entry()
    assert entry is not None and entry.path.name == records[1].path.name
    win.wait_synced()


def test_a_new_record_shows_after_refresh(qtbot: Any, english: None, store: HistoryStore,
                                          tmp_path: Path) -> None:
    win = open_window(qtbot, store, tmp_path)
    write_console_record(tmp_path / "audit", START + timedelta(days=5))
    with qtbot.waitSignal(win.synced, timeout=5000):
        qtbot.mouseClick(win.refresh_button, Qt.MouseButton.LeftButton)
    assert win.model.rowCount() == 4
    win.wait_synced()
    assert len(store._connections) == 1  # the GUI thread's; each worker closed its own


def test_the_connect_windows_history_button_opens_it(qtbot: Any, english: None,
                                                     console: ConsoleApp) -> None:
    write_console_record(default_audit_dir(), START)  # FERNHILFE_DATA_DIR is tmp_path's
    console.connect_window.show()
    button = console.connect_window.history_button
    qtbot.waitUntil(button.isVisible)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    win: HistoryWindow = console.history_window  # type: ignore[attr-defined]
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: win.isVisible() and win.model.rowCount() == 1, timeout=5000)
    assert win.store.path == default_audit_dir().parent / "history.sqlite3"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert console.history_window is win  # type: ignore[attr-defined]
    win.wait_synced()
    win.store.close()


@pytest.fixture
def german_locale() -> Iterator[None]:
    """A German computer: its spreadsheet separates cells with ``;``."""
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(QLocale.system())


def test_german(qtbot: Any, german: None, german_locale: None, store: HistoryStore,
                tmp_path: Path) -> None:
    win = open_window(qtbot, store, tmp_path)
    assert win.windowTitle() == "Sitzungsverlauf"
    assert win.export_button.text() == "CSV exportieren…"
    assert texts(win, ENDED) == ["kein Ende aufgezeichnet", "vom Kunden beendet",
                                 "von Ihnen beendet"]
    assert win.model.index(2, 0).data() == "30.11.2026 10:00"
    target = tmp_path / "abrechnung.csv"
    assert win.save_csv(target)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Datum;Beginn;Ende;Dauer (Minuten);Kunde;Notiz")
    assert "30.11.2026" not in lines[-1] and lines[-1].startswith("2026-11-30;10:00;10:30;31;")
    assert win.model.index(2, 4).data() == "1 (2,0 MB): update.msi"
    win.wait_synced()
