"""The "Session records" window (desktop/qt/record_window.py) on real record files: the list in
local time, the details in plain words (English and German), hostile names as plain text, PDF and
HTML export, the keyboard, accessible names, and ``--records`` on both programs' command lines."""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QLocale, QObject, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAccessible, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
)

from agent.app import main as agent_main
from agent.ui import install_translator as agent_translator
from console.app import main as console_main
from console.ui import install_translator as console_translator
from desktop.audit_store import (
    MAX_RECORD_BYTES,
    AuditRecord,
    close_crashed,
    list_summaries,
    read_summary,
)
from desktop.qt.record_window import RecordWindow
from shared.audit import encode_event
from shared.audit_summary import MAX_FILES

BERLIN = ZoneInfo("Europe/Berlin")
T0 = datetime(2026, 11, 30, 9, 0, 0, tzinfo=UTC)  # 10:00 in Berlin
HOSTILE = "<b>Eva</b> \u202eTechnik"


def stamp(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat(timespec="seconds")


def write(directory: Path, name: str, events: list[dict[str, Any]]) -> Path:
    """A record file exactly as desktop.audit_store writes it (one encoded event per line)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("".join(encode_event(e) for e in events), encoding="ascii")
    return path


def agent_session(start: float, technician: str = "Eva Technik", organisation: str = "Müller IT",
                  verification: str = "4821", reason: str = "customer_ended"
                  ) -> list[dict[str, Any]]:
    """What agent/driver.py writes for an allowed session with a change of mind."""
    return [
        {"time": stamp(start), "event": "keys_agreed", "verification": verification},
        {"time": stamp(start + 0.5), "event": "consent_requested", "technician": technician,
         "organisation": organisation, "verification": verification,
         "requested": ["control", "view"]},
        {"time": stamp(start + 1), "event": "consent_decided", "allowed": True,
         "permissions": ["control", "view"], "timed_out": False},
        {"time": stamp(start + 1), "event": "session_started", "permissions": ["control", "view"]},
        {"time": stamp(start + 5), "event": "stream_settings", "quality": 0,
         "max_bytes_per_s": 2_000_000},
        {"time": stamp(start + 10), "event": "permissions_changed", "permissions": ["view"]},
        {"time": stamp(start + 20), "event": "session_ended", "reason": reason, "by_peer": False,
         "message": "", "inputs_applied": {"PointerMove": 40, "KeyEvent": 2},
         "inputs_dropped": {"KeyEvent": 1, "FrameAck": 9}},
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three agent records: yesterday's, a crashed one, and today's (the newest)."""
    directory = tmp_path / "audit"
    write(directory, "session-20261129T090000-agent.jsonl",
          agent_session(-24 * 60, technician="Old Friend", verification="1111"))
    crashed = write(directory, "session-20261130T070000-agent.jsonl", agent_session(-120)[:5])
    (directory / "running-999999.json").write_text(
        json.dumps({"pid": 999999, "record": crashed.name}), encoding="ascii")
    assert close_crashed(directory) == [crashed]  # the real crash bookkeeping closes it
    write(directory, "session-20261130T090000-agent.jsonl", agent_session(0))
    return directory


@pytest.fixture
def english() -> Iterator[None]:
    yield
    agent_translator(qt_app(), QLocale("en"))  # whatever a test installed, the next one is English


def window(qtbot: Any, directory: Path) -> RecordWindow:
    w = RecordWindow(directory, tz=BERLIN)
    qtbot.addWidget(w)
    return w


def rows(w: RecordWindow) -> list[list[str]]:
    items = [w.list.topLevelItem(i) for i in range(w.list.topLevelItemCount())]
    return [[item.text(c) for c in range(3)] for item in items if item is not None]


def qt_app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def test_the_list_shows_sessions_newest_first_in_local_time(qtbot: Any, folder: Path) -> None:
    w = window(qtbot, folder)
    assert rows(w) == [
        ["2026-11-30 10:00", "Eva Technik, Müller IT", "ended by the customer"],
        ["2026-11-30 08:00", "Eva Technik, Müller IT", "ended unexpectedly"],
        ["2026-11-29 10:00", "Old Friend, Müller IT", "ended by the customer"],
    ]
    current = w.current_entry()
    assert current is not None and current.path.name.endswith("T090000-agent.jsonl")
    text = w.details.toPlainText()
    for expected in ("2026-11-30 10:00 to 10:20:00 (local time, UTC+01:00)",
                     "Technician:\tEva Technik\n", "Support company:\tMüller IT\n",
                     "Check number:\t4821\n",
                     "Asked for:\tsee your screen, control (mouse and keyboard)\n",
                     "allowed at 10:01:00 – see your screen, control (mouse and keyboard)",
                     "10:10:00  allowed from then on: see your screen",
                     "10:05:00  best quality (lossless), at most 2000 kB/s",
                     "10:20:00  You ended the session.",
                     "42 action(s) by the technician carried out; 1 refused because control was "
                     "not allowed"):
        assert expected in text, expected


def test_a_crashed_session_says_so_and_ends_at_its_last_own_event(qtbot: Any,
                                                                 folder: Path) -> None:
    w = window(qtbot, folder)
    w.select(1)
    text = w.details.toPlainText()
    assert "Fernhilfe ended unexpectedly (for example, the computer was switched off)." in text
    assert "08:00 to 08:05:00" in text  # not the time the next start closed the record


def test_every_ending_has_a_sentence_for_each_side(qtbot: Any, tmp_path: Path) -> None:
    reasons = ["customer_ended", "technician_ended", "denied", "timeout", "wrong_code",
               "peer_gone", "peer_timeout", "error", "unsupported_version", "audit_failed",
               "agent_crashed", "protocol_error", "resource_limit", "integrity_error"]
    for role in ("agent", "console"):
        for n, reason in enumerate(reasons):
            events = agent_session(n, reason=reason)
            events[-1]["by_peer"] = n % 2 == 0
            write(tmp_path, f"session-20261130T0900{n:02d}-{role}.jsonl", events)
    write(tmp_path, "session-20261130T100000-agent.jsonl",
          [{"time": stamp(90), "event": "session_ended", "reason": "from_a_newer_version"}])
    w = window(qtbot, tmp_path)
    seen = set()
    for i in range(len(w.entries)):
        w.select(i)
        seen.add(w.ending_text(w.entries[i].summary))
    assert len(seen) >= 16  # a sentence of its own for almost every reason and side
    assert "The session ended (reason: from_a_newer_version)." in seen
    assert "The customer ended the session." in seen and "You ended the session." in seen


def test_german_uses_the_glossary_words(qtbot: Any, folder: Path, english: None) -> None:
    agent_translator(qt_app(), QLocale("de"))
    w = window(qtbot, folder)
    assert w.windowTitle() == "Sitzungsprotokolle"
    text = w.details.toPlainText()
    for expected in ("30.11.2026, 10:00", "Techniker:", "Ihr IT-Dienstleister:", "Prüfzahl:",
                     "Ihren Bildschirm sehen, steuern (Maus und Tastatur)",
                     "Sie haben die Sitzung beendet."):
        assert expected in text, expected
    assert rows(w)[0][2] == "vom Kunden beendet"
    assert w.suggested_name("pdf") == "Sitzungsprotokoll-2026-11-30-1000.pdf"
    page = w.html_document(w.export_entries())
    assert '<html lang="de">' in page and "Gespeichert am " in page and "Prüfzahl" in page
    console_translator(qt_app(), QLocale("de"))  # the console has them too
    again = window(qtbot, folder)
    assert again.windowTitle() == "Sitzungsprotokolle" and rows(again) == rows(w)


def test_hostile_names_stay_plain_text_everywhere(qtbot: Any, tmp_path: Path) -> None:
    write(tmp_path, "session-20261130T090000-agent.jsonl",
          agent_session(0, technician=HOSTILE, organisation="<img src=x>"))
    write(tmp_path, "session-\u202eevil\nname-agent.jsonl", agent_session(-60))
    w = window(qtbot, tmp_path)
    assert "File:\tsession-\\u202eevil\\u000aname-agent.jsonl" in w.details_text(w.entries[1])
    assert rows(w)[0][1] == "<b>Eva</b> \\u202eTechnik, <img src=x>"
    assert all(label.textFormat() == Qt.TextFormat.PlainText
               for label in w.findChildren(QLabel))
    page = w.html_document(w.export_entries(all_sessions=True))
    assert "&lt;b&gt;Eva&lt;/b&gt; \\u202eTechnik" in page and "&lt;img src=x&gt;" in page
    assert "<b>Eva" not in page and "<img" not in page and "\u202e" not in page


def _pdf_objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Each object of a PDF: its dictionary and its (inflated) stream.

    A stream is cut by its /Length (direct or ``N 0 R``), never by searching for ``endstream``:
    compressed bytes can end in CR or contain any word, which made a regex parser flaky."""
    heads: dict[int, tuple[bytes, int]] = {}
    pos = 0
    header = re.compile(rb"(\d+) 0 obj(.*?)(stream\r?\n|endobj)", re.S)
    while (match := header.search(data, pos)) is not None:
        heads[int(match.group(1))] = (match.group(2), match.end() if match.group(3) != b"endobj"
                                      else -1)
        pos = match.end()
        if match.group(3) != b"endobj":  # skip the stream's bytes before looking further
            pos = match.end() + _length(match.group(2), data, heads)
    objects = {}
    for number, (head, start) in heads.items():
        stream = b"" if start < 0 else data[start:start + _length(head, data, heads)]
        if b"/FlateDecode" in head:
            stream = zlib.decompress(stream)
        objects[number] = (head, stream)
    return objects


def _length(head: bytes, data: bytes, heads: dict[int, tuple[bytes, int]]) -> int:
    """A stream's /Length; an indirect one is read from its object, which Qt writes after."""
    direct = re.search(rb"/Length (\d+)\b(?! \d+ R)", head)
    if direct:
        return int(direct.group(1))
    ref = re.search(rb"/Length (\d+) 0 R", head)
    assert ref, head
    number = int(ref.group(1))
    if number in heads:
        return int(heads[number][0].strip())
    found = re.search(rb"(?:^|[\r\n])%d 0 obj\s*(\d+)\s*endobj" % number, data)
    assert found, number
    return int(found.group(1))


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A font's glyph -> text map from its ToUnicode CMap (bfchar and both bfrange forms)."""
    glyphs: dict[int, str] = {}

    def text(hexes: bytes) -> str:
        return bytes.fromhex(hexes.decode()).decode("utf-16-be")

    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            glyphs[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])", block):
            codes = range(int(lo, 16), int(hi, 16) + 1)
            if dst.startswith(b"["):
                glyphs.update(zip(codes, map(text, re.findall(rb"<([0-9A-Fa-f]+)>", dst)),
                                  strict=False))
            else:
                first = int(dst[1:-1], 16)
                glyphs.update((code, chr(first + k)) for k, code in enumerate(codes))
    return glyphs


def pdf_text(data: bytes) -> str:
    """The text a PDF written by Qt shows: each glyph run mapped through its font's ToUnicode
    CMap (enough for a check; no PDF library is a dependency of the project)."""
    objects = _pdf_objects(data)
    fonts: dict[bytes, dict[int, str]] = {}
    for head, _ in objects.values():
        for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", head):
            font_head = objects[int(number)][0]
            cmap = re.search(rb"/ToUnicode (\d+) 0 R", font_head)
            if cmap:
                fonts[name] = _to_unicode(objects[int(cmap.group(1))][1])
    out: list[str] = []
    for _, stream in objects.values():
        if b"BT" not in stream or b"Tj" not in stream:
            continue
        font: dict[int, str] = {}
        for name, run in re.findall(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj", stream):
            if name:
                font = fonts.get(name, {})
                continue
            hexes = run.decode()
            out.extend(font.get(int(hexes[i:i + 4], 16), "?") for i in range(0, len(hexes), 4))
    return "".join(out)


def test_pdf_export_is_a_real_pdf_with_the_session(qtbot: Any, folder: Path,
                                                   tmp_path: Path) -> None:
    w = window(qtbot, folder)
    one = w.export_pdf(tmp_path / "one.pdf")
    data = one.read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    text = re.sub(r"\s", "", pdf_text(data))  # Qt maps the spaces it does not draw to tabs
    assert "EvaTechnik,MüllerIT" in text and "Checknumber4821" in text
    assert "Old" not in text  # only the selected session
    every = re.sub(r"\s", "", pdf_text(w.export_pdf(tmp_path / "all.pdf", True).read_bytes()))
    assert "OldFriend" in every and "1111" in every and "Fernhilfeendedunexpectedly" in every


def test_html_export_is_a_printable_page_of_one_or_all(qtbot: Any, folder: Path,
                                                      tmp_path: Path) -> None:
    w = window(qtbot, folder)
    page = w.export_html(tmp_path / "one.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "Eva Technik" in page and "Old Friend" not in page
    w.all_sessions.setChecked(True)
    page = w.export_html(tmp_path / "all.html").read_text(encoding="utf-8")
    assert page.count("<section>") == 3 and "Old Friend" in page


def test_the_save_buttons_ask_where_and_say_what_happened(qtbot: Any, folder: Path,
                                                         tmp_path: Path) -> None:
    w = window(qtbot, folder)
    w.show()
    qtbot.mouseClick(w.pdf_button, Qt.MouseButton.LeftButton)
    dialog = w.findChild(QFileDialog, "saveDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.selectedFiles()[0].endswith("session-record-2026-11-30-1000.pdf")
    target = tmp_path / "chosen.pdf"
    dialog.setDirectory(str(tmp_path))
    dialog.selectFile(target.name)
    dialog.accept()
    qtbot.waitUntil(lambda: target.is_file())
    assert target.read_bytes().startswith(b"%PDF")
    assert w.status.text() == f"Saved: {target}"
    assert not w.save(tmp_path / "no-such-folder" / "x.html", "html")
    assert w.status.text() == "The file could not be saved. Please choose another folder."


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def show_url(self, url: QUrl) -> None:
        self.urls.append(url)


def test_open_folder_hands_the_folder_to_the_desktop(qtbot: Any, folder: Path) -> None:
    catcher = _UrlCatcher()
    # The stub says bytes; PySide6 accepts only the name as str.
    QDesktopServices.setUrlHandler("file", catcher, "show_url")  # type: ignore[arg-type]
    try:
        w = window(qtbot, folder)
        qtbot.mouseClick(w.folder_button, Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in catcher.urls] == [str(folder)]


def test_keyboard_alone_moves_through_sessions_and_closes(qtbot: Any, folder: Path) -> None:
    w = window(qtbot, folder)
    w.show_latest()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.list.hasFocus())
    qtbot.keyClick(w.list, Qt.Key.Key_Down)
    assert "Fernhilfe ended unexpectedly" in w.details.toPlainText()
    qtbot.keyClick(w.list, Qt.Key.Key_Tab)
    assert w.details.hasFocus()  # the details are read with the keyboard too
    order = []
    for _ in range(6):  # Tab leaves the text (it is not typed into it) and walks the row
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [w.refresh_button, w.folder_button, w.all_sessions, w.pdf_button,
                     w.html_button, w.close_button]  # the order they stand in
    qtbot.keyClick(w, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not w.isVisible())


def test_every_control_has_an_accessible_name(qtbot: Any, folder: Path) -> None:
    w = window(qtbot, folder)
    w.show()
    controls = [*w.findChildren(QAbstractButton), *w.findChildren(QAbstractItemView),
                *w.findChildren(QPlainTextEdit)]
    assert len(controls) >= 8
    for control in controls:
        iface = QAccessible.queryAccessibleInterface(control)
        assert iface is not None and iface.text(QAccessible.Text.Name).strip(), control
        assert "…" not in iface.text(QAccessible.Text.Name)


def test_an_empty_or_missing_folder_says_so(qtbot: Any, tmp_path: Path) -> None:
    w = window(qtbot, tmp_path / "never-created")
    assert w.list.topLevelItemCount() == 0 and not w.empty.isHidden()
    assert not w.pdf_button.isEnabled() and not w.html_button.isEnabled()
    assert w.details.toPlainText() == "No sessions recorded yet."
    assert w.export_entries() == []
    write(tmp_path / "never-created", "session-20261130T090000-agent.jsonl", agent_session(0))
    w.refresh()
    assert w.list.topLevelItemCount() == 1 and w.empty.isHidden() and w.pdf_button.isEnabled()


def test_planted_and_damaged_files_cost_only_themselves(qtbot: Any, tmp_path: Path) -> None:
    """A FIFO would block a plain read, a folder cannot be read, a huge file is cut: none may
    hang or crash the window."""
    write(tmp_path, "session-20261130T090000-agent.jsonl", agent_session(0))
    os.mkfifo(tmp_path / "session-20261130T080000-agent.jsonl")
    (tmp_path / "session-20261130T070000-agent.jsonl").mkdir()
    big = write(tmp_path, "session-20261130T060000-console.jsonl", agent_session(-180))
    with big.open("a", encoding="ascii") as fh:
        fh.write("x" * (MAX_RECORD_BYTES + 10))
    write(tmp_path, "session-20261130T050000-agent.jsonl",
          [{"time": "t", "event": "x"}] * 2 + agent_session(-240)[:2])
    with (tmp_path / "session-20261130T050000-agent.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("{torn\n\x00\xff")
    entries = {e.path.name: e for e in list_summaries(tmp_path)}
    assert len(entries) == 5
    assert entries["session-20261130T080000-agent.jsonl"].error
    assert entries["session-20261130T070000-agent.jsonl"].error
    assert entries["session-20261130T060000-console.jsonl"].truncated
    assert entries["session-20261130T050000-agent.jsonl"].summary.damaged_lines == 2
    w = window(qtbot, tmp_path)
    assert [r[2] for r in rows(w)].count("cannot be read") == 2
    for i in range(len(w.entries)):
        w.select(i)
        assert w.details.toPlainText()
    texts = [w.details_text(e) for e in w.entries]
    assert any("This record cannot be read." in t for t in texts)
    assert any("Only the beginning and the end of this record were read" in t for t in texts)
    assert any("2 line(s) of this record are damaged" in t for t in texts)
    assert len(list_summaries(tmp_path, limit=2)) == 2 and list_summaries(tmp_path, limit=0) == []


def test_a_listing_reads_a_bounded_number_of_bytes(tmp_path: Path) -> None:
    """A folder of many (or huge) records must not stall the window: past the listing's budget
    a record is listed unread, and says so."""
    for n in range(3):
        path = write(tmp_path, f"session-2026113{n}T090000-agent.jsonl", agent_session(n))
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    size = path.stat().st_size
    entries = {e.path.name[8:16]: e for e in list_summaries(tmp_path, budget=size + 10)}
    newest, middle, oldest = entries["20261132"], entries["20261131"], entries["20261130"]
    assert not newest.truncated and newest.bytes_read == size
    assert middle.truncated and middle.bytes_read == 10
    assert oldest.truncated and oldest.bytes_read == 0 and oldest.summary.events == 0
    assert sum(e.bytes_read for e in entries.values()) <= size + 10


def test_read_summary_takes_the_role_from_the_name(tmp_path: Path) -> None:
    record = AuditRecord.create(tmp_path, "console")
    record.log("keys_agreed", verification="1234")
    entry = read_summary(record.path)
    assert entry.summary.role == "console" and entry.summary.verification == "1234"
    assert entry.sort_key == entry.summary.started and not entry.error


@pytest.fixture
def restore_signals() -> Iterator[None]:
    import signal

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.usefixtures("restore_signals", "english")
@pytest.mark.parametrize(("main", "role", "shown"), [(agent_main, "agent", "Eva Technik"),
                                                    (console_main, "console", "4821")])
def test_records_option_opens_the_window_on_the_programs_folder(
        qapp: Any, main: Any, role: str, shown: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each program's own records (the other program's, in the same folder, are not listed)."""
    title = "Sitzungsprotokolle"
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path))
    write(tmp_path / "audit", f"session-20261130T090000-{role}.jsonl", agent_session(0))
    other = "console" if role == "agent" else "agent"
    write(tmp_path / "audit", f"session-20261130T100000-{other}.jsonl", agent_session(60))
    seen: list[tuple[str, int, str]] = []

    def look() -> None:
        shown = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, RecordWindow) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, look)
            return
        w = shown[0]
        seen.append((w.windowTitle(), w.list.topLevelItemCount(), w.details.toPlainText()))
        w.close()

    QTimer.singleShot(0, look)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.exit(99))  # the loop must not hang
    guard.start(10_000)
    assert main(["--records", "--lang", "de"]) == 0
    assert seen and seen[0][0] == title and seen[0][1] == 1 and shown in seen[0][2]


@pytest.mark.parametrize("main", [agent_main, console_main])
def test_records_is_an_option_of_both_programs_beside_show_audit(
        main: Any, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.index("--show-audit") < text.index("--records")


def test_each_program_lists_only_its_own_records(qtbot: Any, folder: Path, english: None
                                                 ) -> None:
    """Agent and console on one PC (the demo, a technician who also gets help) share the folder:
    the customer's window must not open on the technician's newest record, nor the other way."""
    write(folder, "session-20261130T100000-console.jsonl",
          [{"time": stamp(60), "event": "keys_agreed", "verification": "9999"}])
    agent_side = RecordWindow(folder, tz=BERLIN, role="agent")
    qtbot.addWidget(agent_side)
    agent_side.show_latest()
    assert len(agent_side.entries) == 3
    newest = agent_side.current_entry()
    assert newest is not None and newest.path.name == "session-20261130T090000-agent.jsonl"
    console_side = RecordWindow(folder, tz=BERLIN, role="console")
    qtbot.addWidget(console_side)
    console_side.refresh()
    assert [e.path.name for e in console_side.entries] == ["session-20261130T100000-console.jsonl"]
    assert len(list_summaries(folder)) == 4  # without a role: every record in the folder


def test_the_certificate_and_the_connection_are_told_in_words(qtbot: Any, tmp_path: Path,
                                                             english: None) -> None:
    """Issues 12 and 13 in the record: who was verified (or refused) and each interruption."""
    events = agent_session(0, reason="connection_lost")
    events[1]["identity"] = {"verdict": "verified", "serial": 1001, "technician": "Eva Technik",
                             "organisation": "Kanzleisoft GmbH", "org_key_id": "ff71b694bb2e56e7"}
    events[-1:-1] = [
        {"time": stamp(12), "event": "link_interrupted", "kind": "restarting", "silent_for": 0.0},
        {"time": stamp(12.05), "event": "link_resumed", "n": 1, "seconds": 0.4},
        {"time": stamp(15), "event": "link_interrupted", "kind": "quiet", "silent_for": 5.0},
        {"time": stamp(15.1), "event": "input_released", "reason": "link_silent",
         "keys": ["shift"], "buttons": ["left"]},
    ]
    write(tmp_path, "session-20261130T090000-agent.jsonl", events)
    refused: list[dict[str, Any]] = [
        {"time": stamp(30), "event": "keys_agreed", "verification": "4821"},
        {"time": stamp(30.1), "event": "session_ended", "reason": "unverified_technician",
         "by_peer": False, "message": "The technician's certificate has expired.",
         "identity": {"verdict": "expired", "serial": 7, "refused": True}}]
    write(tmp_path, "session-20261130T093000-agent.jsonl", refused)
    w = window(qtbot, tmp_path)
    assert [row[2] for row in rows(w)] == ["not verified, refused", "connection lost"]
    text = w.details.toPlainText()
    assert ("Certificate:\tnot verified (the certificate has expired), certificate no. 7\n"
            "\trefused: The technician's certificate has expired.") in text
    assert "The technician was not verified, so the session was refused." in text
    w.select(1)
    text = w.details.toPlainText()
    for expected in ("Certificate:\tverified – Eva Technik, Kanzleisoft GmbH, certificate no. 1001",
                     "Connection:\t10:12:00  Connection interrupted (connection service "
                     "restarting); back after 0.4 s\n",
                     "\t10:15:00  Connection interrupted (nothing arrived)\n",
                     "\t10:15:06  2 held key(s) and mouse button(s) released\n",
                     "The connection was interrupted and did not come back in time."):
        assert expected in text, expected
    agent_translator(qt_app(), QLocale("de"))
    german = window(qtbot, tmp_path)
    german.select(1)
    text = german.details.toPlainText()
    for expected in ("Zertifikat:\tverifiziert – Eva Technik, Kanzleisoft GmbH",
                     "Verbindung unterbrochen (Verbindungsdienst startet neu); nach 0,4 s "
                     "wieder da"):
        assert expected in text, expected


def talk_session(role: str) -> list[dict[str, Any]]:
    """Issue 15 in a record: a monitor switch and a hot-plug, the chat recorded by the
    customer's choice, "still sharing?" unanswered (paused), then resumed; what was shown."""
    events = agent_session(0)
    events[-1:-1] = [
        {"time": stamp(2), "event": "monitor_shared", "index": 0, "count": 2, "width": 3200,
         "height": 1080},
        {"time": stamp(3), "event": "chat_recording", "recorded": True},
        {"time": stamp(3.5), "event": "chat", "sender": "technician",
         "text": "Grüß Gott!\nBitte öffnen Sie <b>Einstellungen</b> \u202eevil"},
        {"time": stamp(4), "event": "chat", "sender": "customer", "text": "Mach ich."},
        {"time": stamp(6), "event": "monitor_shared", "index": 2, "count": 2, "width": 1280,
         "height": 1024},
        {"time": stamp(7), "event": "monitors_changed", "count": 3},
        {"time": stamp(8), "event": "chat_recording", "recorded": False},
        {"time": stamp(11), "event": "share_check_asked"},
        {"time": stamp(12), "event": "sharing_paused", "reason": "timeout"},
        {"time": stamp(13), "event": "sharing_resumed", "reason": "customer"},
        {"time": stamp(14), "event": "share_check_asked"},
        {"time": stamp(14.5), "event": "share_check_confirmed"},
    ]
    events[-1]["shown"] = {"LaserPointer": 120, "Annotation": 9, "AnnotationClear": 2}
    if role == "console":
        events[-1].pop("shown")
    return events


def test_chat_monitors_pauses_and_pointer_are_told_in_words(qtbot: Any, tmp_path: Path,
                                                           english: None) -> None:
    """Issue 15 in the record window and its exports: the chat only where it was recorded,
    with who and when; the opt-in; monitor switches; "still sharing?" and the pause; what the
    technician showed. Texts from the record are plain, everywhere."""
    write(tmp_path, "session-20261130T090000-agent.jsonl", talk_session("agent"))
    write(tmp_path, "session-20261130T100000-agent.jsonl", agent_session(60))  # no opt-in
    write(tmp_path, "session-20261130T110000-console.jsonl", talk_session("console"))
    w = RecordWindow(tmp_path, tz=BERLIN, role=None)
    qtbot.addWidget(w)
    by_name = {e.path.name: i for i, e in enumerate(w.entries)}
    w.select(by_name["session-20261130T090000-agent.jsonl"])
    text = w.details.toPlainText()
    for expected in (
            "Screen sharing:\t10:02:00  all monitors shared (3200 × 1080)\n",
            "\t10:06:00  monitor 2 of 2 shared (1280 × 1024)\n",
            "\t10:07:00  monitors plugged in or out: now 3\n",
            "\t10:11:00  asked: “Still sharing?”\n",
            "\t10:12:00  sharing paused: no answer in time\n",
            "\t10:13:00  sharing continued\n",
            "\t10:14:30  answered: Continue\n",
            "Chat:\t10:03:00  You chose to record the chat.\n",
            "\t10:03:30  Technician: Grüß Gott!\n",
            "\t                      Bitte öffnen Sie <b>Einstellungen</b> \\u202eevil\n",
            "\t10:04:00  You: Mach ich.\n",
            "\t10:08:00  You stopped recording the chat.\n",
            "Laser pointer and drawings:\t120 laser pointer position(s), 9 drawing part(s), "
            "cleared 2 time(s)\n"):
        assert expected in text, expected
    assert "\u202e" not in text
    w.select(by_name["session-20261130T100000-agent.jsonl"])
    text = w.details.toPlainText()
    assert "Chat:\tnot recorded (you did not choose to record it)" in text
    assert "Screen sharing" not in text and "Laser pointer" not in text
    w.select(by_name["session-20261130T110000-console.jsonl"])
    text = w.details.toPlainText()
    for expected in ("Chat:\t10:03:00  The customer chose to record the chat.",
                     "10:04:00  Customer: Mach ich.", "The customer stopped recording the chat."):
        assert expected in text, expected
    assert "Laser pointer" not in text
    # the exports carry the same, escaped
    page = w.html_document(w.export_entries(all_sessions=True))
    assert "Bitte öffnen Sie &lt;b&gt;Einstellungen&lt;/b&gt;" in page and "<b>Einst" not in page
    assert "sharing paused: no answer in time" in page and "\u202e" not in page
    w.select(by_name["session-20261130T090000-agent.jsonl"])
    pdf = re.sub(r"\s", "", pdf_text(w.export_pdf(tmp_path / "talk.pdf").read_bytes()))
    assert "Technician:GrüßGott!" in pdf and "sharingpaused:noanswerintime" in pdf
    # and in German, with the glossary's words
    agent_translator(qt_app(), QLocale("de"))
    german = RecordWindow(tmp_path, tz=BERLIN, role=None)
    qtbot.addWidget(german)
    german.select(by_name["session-20261130T090000-agent.jsonl"])
    text = german.details.toPlainText()
    for expected in ("Bildschirmfreigabe:\t10:02:00  alle Monitore freigegeben",
                     "Monitor 2 von 2 freigegeben", "gefragt: „Weiterhin freigeben?“",
                     "Freigabe angehalten: nicht rechtzeitig beantwortet",
                     "Freigabe fortgesetzt", "beantwortet: Fortsetzen",
                     "Chat:\t10:03:00  Sie haben gewählt, den Chat zu protokollieren.",
                     "Techniker: Grüß Gott!", "Sie: Mach ich.",
                     "Laserpointer und Markierungen:\t120 Laserpointer-Position(en), "
                     "9 Markierungsteil(e), 2-mal gelöscht"):
        assert expected in text, expected


def test_a_long_recorded_chat_does_not_hide_how_the_session_ended(qtbot: Any, tmp_path: Path,
                                                                  english: None) -> None:
    """A recorded chat can make a record far larger than the window reads (a technician may
    send 2 long lines a second): the window reads its beginning and its end, so who it was and
    how it ended are still there, with the chat lines of both parts."""
    events = agent_session(0)
    flood = [{"time": stamp(2 + i / 100), "event": "chat", "sender": "technician",
              "text": f"{i:03d} " + "ä" * 4000} for i in range(250)]
    events[-1:-1] = [{"time": stamp(1.5), "event": "chat_recording", "recorded": True},
                     *flood]
    path = write(tmp_path, "session-20261130T090000-agent.jsonl", events)
    assert path.stat().st_size > MAX_RECORD_BYTES * 2
    entry = read_summary(path)
    assert entry.truncated and entry.bytes_read == MAX_RECORD_BYTES
    s = entry.summary
    assert s.technician == "Eva Technik" and s.verification == "4821"
    assert s.ending is not None and s.ending.reason == "customer_ended"
    assert s.damaged_lines == 0  # cut at whole lines
    numbers = [int(line.lines[0][:3]) for line in s.chat]
    assert numbers[0] == 0 and numbers[-1] == 249 and len(numbers) < 250
    w = window(qtbot, tmp_path)
    text = w.details.toPlainText()
    assert "10:20:00  You ended the session." in text
    assert "Only the beginning and the end of this record were read" in text


SHA_A = "ab" * 32
SHA_B = "0f" * 32
#: A file name a hostile peer (or whoever edited the record) might put there: a right-to-left
#: override that makes "exe.png" read as a picture, a line break, markup, a path.
HOSTILE_FILE = "../../a\u202egnp.exe\n<b>x</b>"


def files_session(role: str) -> list[dict[str, Any]]:
    """Issue 17 in a record: clipboard and receiving files allowed at the start, sending files
    asked for later and granted; text copied both ways; three files: one received and checked
    (hostile name), one stopped when the customer turned files off, one never finished."""
    allowed = ["clipboard", "control", "files_in", "view"]
    events = agent_session(0)
    events[1]["requested"] = allowed
    events[2]["permissions"] = allowed
    events[3]["permissions"] = allowed
    events[4:6] = [
        {"time": stamp(2), "event": "clipboard", "direction": "to_customer", "chars": 12},
        {"time": stamp(2.5), "event": "clipboard", "direction": "to_customer", "chars": 900},
        {"time": stamp(2.7), "event": "clipboard", "direction": "to_technician", "chars": 3},
        {"time": stamp(3), "event": "permissions_requested", "permissions": ["files_out"]},
        {"time": stamp(3.5), "event": "permissions_changed",
         "permissions": [*allowed, "files_out"]},
        {"time": stamp(4), "event": "file_offered", "direction": "to_customer", "id": 1,
         "name": HOSTILE_FILE, "size": 1_536_000, "sha256": SHA_A},
        {"time": stamp(4.2), "event": "clipboard", "direction": "to_customer", "chars": 1},
        {"time": stamp(5), "event": "file_completed", "direction": "to_customer", "id": 1,
         "name": HOSTILE_FILE, "size": 1_536_000, "sha256": SHA_A,
         **({"path": "/home/kunde/Downloads/Fernhilfe/agnp.exe"} if role == "agent" else {})},
        {"time": stamp(6), "event": "file_offered", "direction": "to_technician", "id": 1,
         "name": "Bericht.pdf", "size": 512, "sha256": SHA_B},
        {"time": stamp(7), "event": "file_cancelled", "direction": "to_technician", "id": 1,
         "reason": "revoked", "by": "customer"},
        {"time": stamp(8), "event": "file_offered", "direction": "to_customer", "id": 2,
         "name": "CON", "size": 7_000_000_000, "sha256": SHA_B},
    ]
    return events


def test_clipboard_files_and_later_requests_are_told_in_words(qtbot: Any, tmp_path: Path,
                                                               english: None) -> None:
    """Issue 17 in the record window: what was asked for later, how often copied text crossed
    each way (never the text: the record has none), each file with its direction, name, size,
    check sum, how it ended, by whom and where it was saved; from each program's side."""
    write(tmp_path, "session-20261130T090000-agent.jsonl", files_session("agent"))
    write(tmp_path, "session-20261130T100000-console.jsonl", files_session("console"))
    write(tmp_path, "session-20261130T110000-agent.jsonl", agent_session(120))  # before 17
    w = RecordWindow(tmp_path, tz=BERLIN, role=None)
    qtbot.addWidget(w)
    by_name = {e.path.name: i for i, e in enumerate(w.entries)}
    w.select(by_name["session-20261130T090000-agent.jsonl"])
    text = w.details.toPlainText()
    hostile = "../../a\\u202egnp.exe\\u000a<b>x</b>"
    for expected in (
            "Asked for:\tsee your screen, control (mouse and keyboard), clipboard, receive "
            "files from your technician\n",
            "allowed from then on: see your screen, control (mouse and keyboard), clipboard, "
            "receive files from your technician, send files to your technician\n",
            "Asked for later:\tsend files to your technician\n",
            "Clipboard:\ttext from your technician: 3 time(s)\n"
            "\ttext to your technician: 1 time(s)\n"
            "\tThe copied text itself is not recorded.\n",
            f"Files:\t10:04:00  From your technician: {hostile}, 1.5 MB (1536000 bytes)\n"
            "\t          arrived complete, check sum matched\n"
            f"\t          Check sum (SHA-256): {SHA_A}\n"
            "\t          saved as /home/kunde/Downloads/Fernhilfe/agnp.exe\n"
            "\t10:06:00  To your technician: Bericht.pdf, 512 bytes\n"
            "\t          stopped: the permission for files was turned off (by you)\n"
            f"\t          Check sum (SHA-256): {SHA_B}\n"
            "\t10:08:00  From your technician: CON, 7.0 GB (7000000000 bytes)\n"
            "\t          not finished: the session ended first (sending the same file again "
            "continues where it stopped)\n"):
        assert expected in text, expected
    assert "\u202e" not in text  # shown as \u202e, not obeyed; and on one line:
    assert [line for line in text.splitlines() if "gnp.exe" in line] == [
        f"Files:\t10:04:00  From your technician: {hostile}, 1.5 MB (1536000 bytes)",
        "\t          saved as /home/kunde/Downloads/Fernhilfe/agnp.exe"]
    w.select(by_name["session-20261130T100000-console.jsonl"])
    text = w.details.toPlainText()
    for expected in (
            "Asked for later:\treceive files from the customer\n",
            "Clipboard:\ttext to the customer: 3 time(s)\n\ttext from the customer: 1 time(s)\n",
            f"Files:\t10:04:00  To the customer: {hostile}, 1.5 MB (1536000 bytes)\n",
            "\t10:06:00  From the customer: Bericht.pdf, 512 bytes\n"
            "\t          stopped: the permission for files was turned off (by the customer)\n"):
        assert expected in text, expected
    assert "saved as" not in text  # only the customer's computer says where it saved a file
    w.select(by_name["session-20261130T110000-agent.jsonl"])
    text = w.details.toPlainText()
    assert "Clipboard" not in text and "Files:" not in text and "later" not in text
    # the exports carry the same, escaped
    page = w.html_document(w.export_entries(all_sessions=True))
    assert "../../a\\u202egnp.exe\\u000a&lt;b&gt;x&lt;/b&gt;" in page
    assert "<b>x" not in page and "\u202e" not in page
    assert "The copied text itself is not recorded." in page
    # and in German, with the words of each program's own permission boxes
    agent_translator(qt_app(), QLocale("de"))
    german = RecordWindow(tmp_path, tz=BERLIN, role=None)
    qtbot.addWidget(german)
    german.select(by_name["session-20261130T090000-agent.jsonl"])
    text = german.details.toPlainText()
    for expected in (
            "Angefragt:\tIhren Bildschirm sehen, steuern (Maus und Tastatur), Zwischenablage, "
            "Dateien von Ihrem Techniker empfangen\n",
            "Später angefragt:\tDateien an Ihren Techniker senden\n",
            "Zwischenablage:\tText von Ihrem Techniker: 3-mal\n\tText an Ihren Techniker: 1-mal\n"
            "\tDer kopierte Text selbst wird nicht protokolliert.\n",
            f"Dateien:\t10:04:00  Von Ihrem Techniker: {hostile}, 1,5 MB (1536000 Byte)\n"
            "\t          vollständig angekommen, Prüfsumme stimmte\n"
            f"\t          Prüfsumme (SHA-256): {SHA_A}\n"
            "\t          gespeichert als /home/kunde/Downloads/Fernhilfe/agnp.exe\n",
            "beendet: Dateien wurden ausgeschaltet (von Ihnen)\n"):
        assert expected in text, expected
    console_translator(qt_app(), QLocale("de"))
    german = RecordWindow(tmp_path, tz=BERLIN, role=None)
    qtbot.addWidget(german)
    german.select(by_name["session-20261130T100000-console.jsonl"])
    text = german.details.toPlainText()
    for expected in ("Später angefragt:\tDateien vom Kunden empfangen\n",
                     "Zwischenablage:\tText an den Kunden: 3-mal\n\tText vom Kunden: 1-mal\n",
                     "10:04:00  An den Kunden: ", "10:06:00  Vom Kunden: Bericht.pdf, 512 Byte",
                     "(vom Kunden)\n"):
        assert expected in text, expected


def test_files_beyond_the_bound_are_counted_not_hidden(qtbot: Any, tmp_path: Path,
                                                       english: None) -> None:
    """A record with more transfers than the summary keeps says how many more there were, and
    a session with the clipboard allowed but unused says that nothing was copied."""
    events = files_session("agent")
    events[-1:-1] = [{"time": stamp(9), "event": "file_offered", "direction": "to_customer",
                      "id": 100 + n, "name": f"f{n}.txt", "size": 1, "sha256": SHA_B}
                     for n in range(MAX_FILES + 5)]
    events = [e for e in events if e["event"] != "clipboard"]
    write(tmp_path, "session-20261130T090000-agent.jsonl", events)
    w = window(qtbot, tmp_path)
    text = w.details.toPlainText()
    assert "Not shown:\t8 further files\n" in text  # 3 of the session's own + 205 = 208
    assert "Clipboard:\tno text copied\n\tThe copied text itself is not recorded.\n" in text
    odd = agent_session(60)  # an edited record: a cancel without id, name, size or a known word
    odd[-1:-1] = [{"time": stamp(70), "event": "file_cancelled", "direction": "sideways",
                   "reason": "bored", "by": "nobody"}]
    write(tmp_path, "session-20261130T100000-agent.jsonl", odd)
    w.refresh()
    w.select(0)
    assert ("Files:\t11:10:00  Direction unknown: (no name), size unknown\n"
            "\t          stopped\n") in w.details.toPlainText()


def test_a_file_still_open_in_a_record_without_an_end_says_so(qtbot: Any, tmp_path: Path,
                                                              english: None) -> None:
    """Only a record that was cut short (a crash, a full disk) lacks the session's end; a file
    still open there is "no end recorded", not "the session ended first"."""
    events = [e for e in files_session("agent") if e["event"] != "session_ended"]
    write(tmp_path, "session-20261130T090000-agent.jsonl", events)
    w = RecordWindow(tmp_path, tz=BERLIN, role=None)
    qtbot.addWidget(w)
    w.select(0)
    text = w.details.toPlainText()
    assert "\t          not finished (no end recorded)\n" in text
    assert "the session ended first" not in text


def test_what_the_operating_system_blocked_is_told_from_each_side(
        qtbot: Any, tmp_path: Path, english: None) -> None:
    """Issue 18 in the record window: the customer's OS holding the picture or input back (the
    SystemNotice codes) and Ctrl+Alt+Del, in words from the reader's side."""
    def session(role: str) -> list[dict[str, Any]]:
        events = agent_session(0)
        events[-1:-1] = [
            {"time": stamp(2), "event": "system_notice", "code": "foreground_elevated"},
            {"time": stamp(3), "event": "system_notice", "code": "foreground_ok"},
            {"time": stamp(4), "event": "system_notice", "code": "ctrl_alt_del_refused"},
            {"time": stamp(5), "event": "ctrl_alt_del", "outcome": "sent"},
            {"time": stamp(6), "event": "system_notice", "code": "screen_recording_missing"},
            {"time": stamp(7), "event": "system_notice", "code": "accessibility_ok"},
        ]
        return events
    write(tmp_path, "session-20261130T090000-agent.jsonl", session("agent"))
    write(tmp_path, "session-20261130T100000-console.jsonl", session("console"))
    w = RecordWindow(tmp_path, tz=BERLIN, role=None)
    qtbot.addWidget(w)
    by_name = {e.path.name: i for i, e in enumerate(w.entries)}
    w.select(by_name["session-20261130T090000-agent.jsonl"])
    text = w.details.toPlainText()
    for expected in (
            "Screen sharing:\t10:02:00  a window running as administrator was in front: your "
            "technician's input could not reach it\n",
            "\t10:03:00  the window in front could be controlled again\n",
            "\t10:04:00  Windows did not allow Ctrl+Alt+Del\n",
            "\t10:05:00  Ctrl+Alt+Del sent by your technician\n",
            "\t10:06:00  macOS did not allow Screen Recording: the picture was held back\n",
            "\t10:07:00  macOS allowed control (Accessibility)\n"):
        assert expected in text, expected
    w.select(by_name["session-20261130T100000-console.jsonl"])
    text = w.details.toPlainText()
    assert ("\t10:02:00  a window running as administrator was in front on the customer's "
            "computer: input could not reach it\n") in text
    assert "\t10:05:00  Ctrl+Alt+Del sent\n" in text
