"""The audit store's failure paths on a real file system: where the record lives, a probe or a
running-note that cannot be written, unreadable records and damaged or hostile running-notes.

Failures are made real (a directory where a file must go), not injected: we run as root here, so
a read-only folder would not fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.audit_store import (
    RUNNING_PREFIX,
    AuditRecord,
    check_writable,
    close_crashed,
    default_audit_dir,
    mark_running,
    read_record,
    recent_records,
    render_recent,
)
from shared.audit import AuditWriteError


def test_audit_dir_comes_from_the_environment_or_the_user_data_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    assert default_audit_dir() == tmp_path / "data" / "audit"
    monkeypatch.setenv("FERNHILFE_DATA_DIR", "")  # empty counts as unset
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_audit_dir() == tmp_path / "xdg" / "Fernhilfe" / "audit"


def test_probe_that_cannot_be_written_is_a_write_error(tmp_path: Path) -> None:
    """The folder exists but the probe file cannot be created (here: a folder is in its way)."""
    (tmp_path / f".probe-{os.getpid()}").mkdir()
    with pytest.raises(AuditWriteError, match=rf"cannot be written to {tmp_path}"):
        check_writable(tmp_path)
    assert (tmp_path / f".probe-{os.getpid()}").is_dir()  # nothing of ours removed it


def test_running_note_that_cannot_be_written_is_a_write_error(tmp_path: Path) -> None:
    rec = AuditRecord.create(tmp_path, "agent")
    (tmp_path / f"{RUNNING_PREFIX}{os.getpid()}.json").mkdir()
    with pytest.raises(AuditWriteError, match="cannot be written"):
        mark_running(rec)


def test_unreadable_record_is_named_not_fatal(tmp_path: Path) -> None:
    good = AuditRecord.create(tmp_path, "agent", clock="2026-01-01T00:00:00+00:00")
    good.log("session_started")
    (tmp_path / "session-20260102T000000-agent.jsonl").mkdir()  # listed, cannot be read
    text = render_recent(tmp_path, 5)
    assert "session_started" in text
    assert "== session-20260102T000000-agent.jsonl\ncannot read: " in text


def test_recent_records_of_zero_is_empty(tmp_path: Path) -> None:
    AuditRecord.create(tmp_path, "agent").log("x")
    assert recent_records(tmp_path, 0) == []
    assert len(recent_records(tmp_path, 1)) == 1


def test_close_crashed_without_a_folder_closes_nothing(tmp_path: Path) -> None:
    assert close_crashed(tmp_path / "missing") == []


@pytest.mark.parametrize("note", [b"{oops", b'{"pid": "x", "record": 1}', b"[1]", b'{"pid": 0}',
                                  b"\xff\xfe", b'{"pid": -5, "record": "r.jsonl"}'])
def test_damaged_running_note_is_dropped_without_touching_records(tmp_path: Path,
                                                                  note: bytes) -> None:
    rec = AuditRecord.create(tmp_path, "agent")
    rec.log("session_started")
    before = rec.path.read_bytes()
    marker = tmp_path / f"{RUNNING_PREFIX}4242.json"
    marker.write_bytes(note)
    assert close_crashed(tmp_path) == []
    assert not marker.exists() and rec.path.read_bytes() == before


@pytest.fixture
def dead_pid() -> int:
    """The id of a process that has ended (and was reaped)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True, timeout=30)
    return int(proc.stdout)


def test_running_note_cannot_reach_outside_the_audit_folder(tmp_path: Path, dead_pid: int) -> None:
    """A note naming ``../victim.jsonl`` closes only a record of that name inside the folder."""
    folder = tmp_path / "audit"
    folder.mkdir()
    victim = tmp_path / "victim.jsonl"
    victim.write_text('{"event": "x", "time": "t"}\n')
    marker = folder / f"{RUNNING_PREFIX}{dead_pid}.json"
    marker.write_text(json.dumps({"pid": dead_pid, "record": "../victim.jsonl"}))
    assert close_crashed(folder) == []  # no such record inside: nothing to close
    assert victim.read_text() == '{"event": "x", "time": "t"}\n' and not marker.exists()


def test_crashed_record_with_complete_last_line_gets_one_end_line(tmp_path: Path,
                                                                  dead_pid: int) -> None:
    rec = AuditRecord.create(tmp_path, "agent")
    rec.log("session_started")
    (tmp_path / f"{RUNNING_PREFIX}{dead_pid}.json").write_text(
        json.dumps({"pid": dead_pid, "record": rec.path.name}))
    assert close_crashed(tmp_path) == [rec.path]
    assert [e["event"] for e in read_record(rec.path)] == ["session_started", "session_ended"]
    assert rec.path.read_bytes().count(b"\n") == 2  # no blank line: the last one was whole


@pytest.fixture
def other_process() -> Iterator[int]:
    """A process other than this one that keeps running during the test."""
    # it reads stdin until the test is done with it (no sleep that might run out first)
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                            stdin=subprocess.PIPE)
    try:
        yield proc.pid
    finally:
        proc.kill()
        proc.wait()
        assert proc.stdin is not None
        proc.stdin.close()


def test_note_of_another_running_agent_is_left_alone(tmp_path: Path, other_process: int) -> None:
    rec = AuditRecord.create(tmp_path, "agent")
    rec.log("session_started")
    marker = tmp_path / f"{RUNNING_PREFIX}{other_process}.json"
    marker.write_text(json.dumps({"pid": other_process, "record": rec.path.name}))
    assert close_crashed(tmp_path) == []
    assert marker.exists()
    assert [e["event"] for e in read_record(rec.path)] == ["session_started"]
