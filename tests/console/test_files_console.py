"""Issue 17, files on the technician's side, through a real relay on loopback: a file dropped
onto the remote screen goes to the customer only with files_in, the transfers list follows it
and Cancel stops it on both sides; a file the customer sends lands in the console's folder
with its check sum shown; hostile names from a hostile agent land sanitised, an offer over
the cap is refused, and nothing lands outside the folder.

Real parts: the relay, the console's ``ConsoleApp`` (windows, worker, transfer pump, file
store on disk) under Xvfb. The customer's side is :class:`tests.console.scripted_agent.
ScriptedAgent` (the real ``AgentSession``, consent answered by the test; it goes "raw" to send
what no real agent sends). The console's download folder is the test's temporary folder, never
the user's Downloads.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from console.app import ConsoleApp
from desktop.audit_store import read_record
from shared import messages as m
from shared.session import (
    AgentSession,
    FileAccepted,
    FileCancelled,
    FileChunkReceived,
    FileCompleted,
    FileOffered,
    Step,
)
from tests.console.scripted_agent import ScriptedAgent
from tests.console.test_clipboard_console import connect_by_window, running_window
from tests.console.test_permissions_ui import drop


@pytest.fixture
def downloads(console: ConsoleApp, tmp_path: Path) -> Path:
    folder = tmp_path / "Downloads" / "Fernhilfe"

    def made() -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    console.worker.joiner.download_dir = made
    return folder


def _audit(tmp_path: Path) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for path in sorted((tmp_path / "console-data" / "audit").glob("*.jsonl")):
        events += read_record(path)
    return events


def drop_on_view(console: ConsoleApp, paths: list[Path]) -> bool:
    win = console.session_window
    assert win is not None
    return drop(win, paths)


def test_a_dropped_file_goes_only_with_files_in_and_cancel_stops_it(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path, downloads: Path,
        english) -> None:
    big = tmp_path / "setup.exe"
    big.write_bytes(os.urandom(6 * 1024 * 1024))  # more than the first window: it waits
    agent = ScriptedAgent(relay_url, grant={"view", "control"})  # files asked, not ticked
    try:
        connect_by_window(qtbot, console, relay_url, agent.start(), ("files_in",))
        win = running_window(qtbot, console)
        assert not drop_on_view(console, [big])  # not allowed: the view refuses the drag
        qtbot.wait(300)
        assert not agent.of(FileOffered)
        agent.do(lambda s: s.set_permission("files_in", True))
        qtbot.waitUntil(lambda: win.files_allowed, timeout=5000)
        assert drop_on_view(console, [big])
        qtbot.waitUntil(lambda: bool(agent.of(FileOffered)), timeout=10000)
        offer = agent.of(FileOffered)[0]
        assert isinstance(offer, FileOffered)
        assert offer.info.name == "setup.exe" and offer.info.size == big.stat().st_size
        assert offer.info.sha256 == hashlib.sha256(big.read_bytes()).hexdigest()
        agent.do(lambda s: s.accept_file(offer.info.id))  # the agent never acks: it stalls
        qtbot.waitUntil(lambda: bool(agent.of(FileChunkReceived)), timeout=10000)
        row = win.transfers.rows[("to_customer", offer.info.id)]
        qtbot.waitUntil(lambda: row.state == "running", timeout=5000)
        assert win.transfers.isVisible() and row.cancel_button.isVisible()
        qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(agent.of(FileCancelled)), timeout=5000)
        cancel = agent.of(FileCancelled)[0]
        assert isinstance(cancel, FileCancelled)
        assert (cancel.reason, cancel.by_peer) == ("cancelled", True)
        qtbot.waitUntil(lambda: row.state == "cancelled", timeout=5000)
        assert row.state_label.text() == "Cancelled."
        events = [e["event"] for e in _audit(tmp_path)]
        assert "file_offered" in events and "file_cancelled" in events
    finally:
        agent.stop()


def test_a_file_from_the_customer_lands_in_the_folder_with_its_check_sum(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path, downloads: Path,
        english) -> None:
    data = os.urandom(300_000)
    digest = hashlib.sha256(data).hexdigest()
    agent = ScriptedAgent(relay_url)  # grants what is asked: files_out too
    try:
        connect_by_window(qtbot, console, relay_url, agent.start(), ("files_out",))
        win = running_window(qtbot, console)
        ids: list[int] = []

        def offer(s: AgentSession) -> Step:
            file_id, step = s.offer_file("Bericht.pdf", len(data), digest)
            ids.append(file_id)
            return step

        agent.do(offer)
        qtbot.waitUntil(lambda: bool(agent.of(FileAccepted)), timeout=10000)

        def pump(s: AgentSession) -> Step:
            """What the agent's transfer pump does: fill the window with the file's bytes."""
            step = Step()
            out = s.outgoing(ids[0])
            while out is not None and (piece := out.next_chunk(s.transfer_clock())):
                offset, length = piece
                more = s.send_file_chunk(ids[0], offset, data[offset:offset + length])
                step.outgoing.extend(more.outgoing)
                step.events.extend(more.events)
            return step

        def pumped() -> bool:
            agent.do(pump)
            return bool(agent.of(FileCompleted))

        qtbot.waitUntil(pumped, timeout=10000)
        saved = downloads / "Bericht.pdf"
        qtbot.waitUntil(lambda: saved.exists(), timeout=10000)
        assert saved.read_bytes() == data
        assert not stat.S_IMODE(saved.stat().st_mode) & 0o111  # never executable
        row = win.transfers.rows[("to_technician", ids[0])]
        qtbot.waitUntil(lambda: row.state == "completed", timeout=5000)
        assert row.hash_label.text() == f"Check sum (SHA-256): {digest}"
        assert row.folder_button.isVisible() and str(saved) in row.state_label.text()
        done = [e for e in _audit(tmp_path) if e["event"] == "file_completed"]
        assert done and done[0]["sha256"] == digest and done[0]["direction"] == "to_technician"
    finally:
        agent.stop()


HOSTILE_NAMES = {
    "../../x": "x",
    "CON": "_CON",
    "a\u202egnp.exe": "agnp.exe",
}


def test_hostile_names_land_sanitised_and_an_offer_over_the_cap_is_refused(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path, downloads: Path) -> None:
    long_name = "ä" * 251 + ".txt"  # the wire's longest name: 255 characters, 506 bytes
    agent = ScriptedAgent(relay_url)
    try:
        connect_by_window(qtbot, console, relay_url, agent.start(), ("files_out",))
        running_window(qtbot, console)
        agent.go_raw()
        names = [*HOSTILE_NAMES, long_name]
        for i, name in enumerate(names, start=1):
            body = name.encode()
            agent.send_raw(m.encode(m.FileOffer(i, name, len(body),
                                                hashlib.sha256(body).hexdigest())))
        qtbot.waitUntil(lambda: len(agent.raw_of(m.FileAccept)) == len(names), timeout=10000)
        for i, name in enumerate(names, start=1):
            agent.send_raw(m.encode(m.FileChunk(i, 0, name.encode())))
        qtbot.waitUntil(lambda: len(agent.raw_of(m.FileComplete)) == len(names),
                        timeout=10000)
        expected = [*HOSTILE_NAMES.values()]

        def files() -> list[str]:
            return sorted(p.name for p in downloads.iterdir() if p.is_file())

        # FileComplete says the bytes arrived and match; the file lands from the writer
        # thread a moment later (on a loaded CI machine after the last FileComplete was read).
        qtbot.waitUntil(lambda: set(expected) <= set(files())
                        and any(n.endswith(".txt") for n in files()), timeout=10000)
        landed = files()
        assert set(expected) <= set(landed)
        long_landed = [n for n in landed if n.endswith(".txt")]
        assert len(long_landed) == 1 and len(long_landed[0].encode()) <= 200
        assert not (tmp_path / "x").exists() and not (tmp_path / "Downloads" / "x").exists()
        # an offer over the console's cap: refused before a byte is written
        agent.send_raw(m.encode(m.FileOffer(len(names) + 1, "huge.iso", 2**40, "0" * 64)))
        qtbot.waitUntil(lambda: any(isinstance(c, m.FileCancel) and c.reason == "too_large"
                                    for c in agent.raw_of(m.FileCancel)), timeout=10000)
        assert not any("huge" in p.name for p in downloads.rglob("*"))
        assert console.session_window is not None and console.session_window.state == "streaming"
    finally:
        agent.stop()


def test_a_name_longer_than_the_wire_allows_ends_the_session_clearly(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path, downloads: Path) -> None:
    """A 300-character name is more than a FileOffer may carry (255): not a file with a cut
    name, but the session's clear end as protocol_error on both sides."""
    agent = ScriptedAgent(relay_url)
    try:
        ended: list[str] = []
        console.worker.ended.connect(lambda reason, msg: ended.append(reason))
        connect_by_window(qtbot, console, relay_url, agent.start(), ("files_out",))
        running_window(qtbot, console)
        agent.go_raw()
        body = json.dumps({"id": 1, "name": "a" * 300, "sha256": "0" * 64, "size": 1})
        agent.send_raw(bytes([m.FileOffer.TYPE]) + body.encode())
        qtbot.waitUntil(lambda: bool(agent.raw_of(m.Error)), timeout=10000)
        error = agent.raw_of(m.Error)[0]
        assert isinstance(error, m.Error) and error.code == "protocol_error"
        qtbot.waitUntil(lambda: ended == ["protocol_error"], timeout=5000)
        assert not downloads.exists() or not any(downloads.iterdir())
    finally:
        agent.stop()


def test_the_notes_typed_in_the_session_window_land_in_the_history(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path, english) -> None:
    """The technician's "Customer" and "Note" of a running session are kept in the session
    history's own table under this session's record (what the billing export reads), and a
    re-index from the records does not lose them."""
    from console.history import HistoryStore
    from console.ui.notes_panel import SAVE_AFTER_MS

    agent = ScriptedAgent(relay_url)
    try:
        connect_by_window(qtbot, console, relay_url, agent.start(), ())
        win = running_window(qtbot, console)
        qtbot.waitUntil(lambda: bool(console.record_key), timeout=5000)
        win.notes.toggle_action.trigger()
        qtbot.keyClicks(win.notes.customer_edit, "Kanzlei ")  # (QTest types ASCII only)
        win.notes.customer_edit.insert("Müller")
        win.notes.note_edit.setPlainText("Update installiert, 1 Lizenz")
        store = HistoryStore()
        expected = ("Kanzlei Müller", "Update installiert, 1 Lizenz")
        qtbot.waitUntil(lambda: store.notes(console.record_key) == expected,
                        timeout=SAVE_AFTER_MS * 10)
        store.sync(tmp_path / "console-data" / "audit")
        assert store.notes(console.record_key) == expected
        store.close()
    finally:
        agent.stop()
