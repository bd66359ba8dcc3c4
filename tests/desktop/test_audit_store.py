"""The audit file store on a real file system: write-through, names, crash notes, --show-audit."""

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.audit_store import (
    CRASHED_REASON,
    AuditRecord,
    check_writable,
    close_crashed,
    mark_finished,
    mark_running,
    read_record,
    render_recent,
)
from shared.audit import AuditWriteError, render_text

HOSTILE = [
    "Eva\u2028Identity checked \u2029Safe to allow",
    "\u202eEva Technik\u202c",
    "a\nb\rc\x00d\x1b[31m",
    "\u2066\u200f\ufeff\u061c",
    "X" * 10_000,
    "Müller & Söhne <b>bold</b>",
]


def test_record_is_written_through_and_readable(tmp_path: Path) -> None:
    rec = AuditRecord.create(tmp_path, "agent")
    rec.log("session_started", technician="Eva", verification="1234")
    rec.log("permissions_changed", permissions=["view"])
    events = read_record(rec.path)
    assert [e["event"] for e in events] == ["session_started", "permissions_changed"]
    text = render_text(events)
    assert "technician=Eva" in text and "permissions_changed" in text


def test_two_records_in_same_second_do_not_collide(tmp_path: Path) -> None:
    a = AuditRecord.create(tmp_path, "agent", clock="2026-01-01T00:00:00+00:00")
    a.log("x")
    b = AuditRecord.create(tmp_path, "agent", clock="2026-01-01T00:00:00+00:00")
    assert a.path != b.path


def test_damaged_line_costs_only_that_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"time": "t", "event": "a"}\n{oops\n[1]\n{"time": "t", "event": "b"}\n')
    events = read_record(p)
    assert [e["event"] for e in events] == ["a", "damaged_line", "damaged_line", "b"]
    assert [e.get("line") for e in events] == [None, 2, 3, None]
    assert "damaged_line" in render_text(events)


def test_render_recent_shows_latest_sessions(tmp_path: Path) -> None:
    assert "No sessions recorded yet" in render_recent(tmp_path / "none")
    for n in range(3):
        rec = AuditRecord.create(tmp_path, "agent", clock=f"2026-01-0{n + 1}T00:00:00+00:00")
        rec.log("session_started", n=n)
    text = render_recent(tmp_path, 2)
    assert "n=1" in text and "n=2" in text and "n=0" not in text


def test_hostile_names_round_trip_one_line_each(tmp_path: Path) -> None:
    """Separators, bidi, controls and 10 kB names: stored exactly, one file line per event,
    rendered on one visible line each, and the events after them are not hidden."""
    rec = AuditRecord.create(tmp_path, "agent")
    for name in HOSTILE:
        rec.log("consent_requested", technician=name, organisation=name)
    rec.log("session_ended", reason="customer_ended")
    raw = rec.path.read_bytes()
    assert raw.isascii()
    assert raw.count(b"\n") == len(HOSTILE) + 1
    events = read_record(rec.path)
    assert [e.get("technician") for e in events[:-1]] == HOSTILE  # exact round trip
    assert events[-1]["event"] == "session_ended"
    text = render_recent(tmp_path, 1)
    lines = text.split("\n")
    assert len(lines) == 1 + len(HOSTILE) + 1  # header, one per event
    assert text.splitlines() == lines  # no U+2028/2029/\r etc. that other splitters see
    for bad in "\u2028\u2029\u202e\u202c\u2066\u200f\ufeff\u061c\x00\x1b\r":
        assert bad not in text
    assert "[10000 characters]" in text and max(map(len, lines)) < 1000
    assert "Müller" in text  # ordinary letters stay readable
    assert "session_ended" in lines[-1]


def test_check_writable_reports_missing_and_unwritable(tmp_path: Path) -> None:
    check_writable(tmp_path / "new" / "audit")
    assert list((tmp_path / "new" / "audit").iterdir()) == []
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(AuditWriteError, match="cannot be written"):
        check_writable(blocker / "audit")


def test_write_failure_raises_or_calls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    rec = AuditRecord.create(tmp_path, "console")
    rec.log("ok")
    real_open = Path.open

    def full(self: Path, *a: Any, **k: Any) -> Any:  # injected ENOSPC at the file layer
        if self == rec.path:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", full)
    with pytest.raises(AuditWriteError, match="No space left"):
        rec.log("next")
    seen: list[AuditWriteError] = []
    rec.on_failure = seen.append
    rec.log("next")
    assert len(seen) == 1


def test_crashed_session_record_is_closed_on_next_start(tmp_path: Path) -> None:
    """A process that dies mid-session (SIGKILL: no cleanup) leaves a note; the next start closes
    its record as ended unexpectedly, and leaves the notes of living agents alone."""
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from desktop.audit_store import AuditRecord, mark_running\n"
        "rec = AuditRecord.create(Path(sys.argv[1]), 'agent')\n"
        "rec.log('session_started', permissions=['view'])\n"
        "mark_running(rec)\n"
        "with rec.path.open('a') as fh: fh.write('{\"time\": \"t\", \"ev')\n"  # torn last line
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=root, timeout=30)
    living = AuditRecord.create(tmp_path, "agent", clock="2030-01-01T00:00:00+00:00")
    living.log("session_started")
    mark_running(living)  # this process: alive, must stay open
    closed = close_crashed(tmp_path)
    assert len(closed) == 1
    events = read_record(closed[0])
    assert [e["event"] for e in events] == ["session_started", "damaged_line", "session_ended"]
    assert events[-1]["reason"] == CRASHED_REASON
    assert close_crashed(tmp_path) == []  # once only
    assert [e["event"] for e in read_record(living.path)] == ["session_started"]
    mark_finished(living)
    assert not list(tmp_path.glob("running-*"))
