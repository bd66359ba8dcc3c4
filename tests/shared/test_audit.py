from pathlib import Path

import pytest

from shared.audit import AuditError, AuditRecord, read_record, render_text


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


def test_damaged_line_is_a_clear_error(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text('{"time": "t", "event": "a"}\n{oops\n')
    with pytest.raises(AuditError, match=":2:"):
        read_record(p)


def test_render_recent_shows_latest_sessions(tmp_path: Path) -> None:
    from shared.audit import render_recent

    assert "No sessions recorded yet" in render_recent(tmp_path / "none")
    for n in range(3):
        rec = AuditRecord.create(tmp_path, "agent", clock=f"2026-01-0{n + 1}T00:00:00+00:00")
        rec.log("session_started", n=n)
    text = render_recent(tmp_path, 2)
    assert "n=1" in text and "n=2" in text and "n=0" not in text
