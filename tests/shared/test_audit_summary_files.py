"""Issue 17 in the session summary: clipboard counts, files moved, permissions used and asked
for later. What the technician bills from (console/history.py) and the customer reads; the
record is a file anyone can edit, so hostile content gives a bounded summary, never an error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.audit import AuditLog
from shared.audit_summary import MAX_FILES, FileMoved, summarise
from tests.shared.test_audit_summary import JSON, TIMES, Clock

HASH = "ab" * 32


def record() -> AuditLog:
    """What the drivers write for a session with the clipboard and files (api17.md §6)."""
    log = AuditLog(clock=Clock())
    log.log("consent_requested", technician="Eva", organisation="", verification="1234",
            requested=["clipboard", "control", "view"])
    log.log("consent_decided", allowed=True, permissions=["view"], timed_out=False)
    log.log("session_started", permissions=["view"])
    log.log("permissions_requested", permissions=["files_in"])
    log.log("permissions_changed", permissions=["files_in", "view"])
    log.log("clipboard", direction="to_customer", chars=19)
    log.log("clipboard", direction="to_customer", chars=4)
    log.log("clipboard", direction="to_technician", chars=7)
    log.log("file_offered", direction="to_customer", id=1, name="setup.exe", size=1000,
            sha256=HASH)
    log.log("file_completed", direction="to_customer", id=1, name="setup.exe", size=1000,
            sha256=HASH, path="/home/k/Downloads/Fernhilfe/setup.exe")
    log.log("file_offered", direction="to_customer", id=2, name="big.iso", size=10**9,
            sha256=HASH)
    log.log("file_cancelled", direction="to_customer", id=2, reason="cancelled", by="customer")
    log.log("file_offered", direction="to_customer", id=3, name="x.bin", size=5, sha256=HASH)
    log.log("permissions_changed", permissions=["view"])
    log.log("session_ended", reason="technician_ended", by_peer=True, message="")
    return log


def test_clipboard_files_and_permissions_are_summarised() -> None:
    s = summarise(record().events)
    assert s.clipboard == {"to_customer": 2, "to_technician": 1}
    assert [(f.name, f.size, f.outcome, f.by) for f in s.files] == [
        ("setup.exe", 1000, "completed", ""), ("big.iso", 10**9, "cancelled:cancelled",
                                               "customer"),
        ("x.bin", 5, "open", "")]
    assert s.files[0].path.endswith("setup.exe") and s.files[0].sha256 == HASH
    assert all(f.direction == "to_customer" for f in s.files)
    assert s.permissions_used == {"view", "files_in"}  # clipboard was asked for, never granted
    assert s.permissions_requested == {"files_in"}
    assert s.permissions == {"view"} and s.omitted_files == 0


def test_an_old_record_has_empty_fields() -> None:
    s = summarise([{"time": "2026-01-01T00:00:00+00:00", "event": "session_started",
                    "permissions": ["view", "control"]}])
    assert s.clipboard == {} and s.files == () and s.permissions_requested == frozenset()
    assert s.permissions_used == {"view", "control"}


def test_hostile_file_fields_are_left_out_or_made_plain() -> None:
    events: list[Any] = [
        {"event": "file_offered", "direction": "sideways", "id": 1,
         "name": "a\u202egnp.exe\n../../x", "size": 2**41, "sha256": "XYZ"},
        {"event": "file_completed", "direction": "to_customer", "id": "1", "name": 5},
        {"event": "file_cancelled", "direction": "to_customer", "id": True, "reason": "bored",
         "by": "the cat"},
        {"event": "clipboard", "direction": "up", "chars": 10},
        {"event": "clipboard", "direction": ["to_customer"]},
        {"event": "permissions_requested", "permissions": ["root", "files_out"] * 50},
        {"event": "permissions_changed", "permissions": ["sudo", "view"]},
    ]
    s = summarise(events)
    assert s.clipboard == {}
    assert s.permissions_requested == {"files_out"} and s.permissions_used == {"view"}
    first = s.files[0]
    assert first.direction == "" and first.size is None and first.sha256 == ""
    assert "\n" not in first.name and "\u202e" not in first.name
    assert [f.outcome for f in s.files] == ["open", "completed", "cancelled:unknown"]
    assert s.files[2].by == ""


def test_a_flood_of_files_is_bounded_and_counted() -> None:
    events = [{"event": "file_offered", "direction": "to_technician", "id": i, "name": "f",
               "size": 1, "sha256": HASH} for i in range(1, MAX_FILES + 51)]
    s = summarise(events)
    assert len(s.files) == MAX_FILES and s.omitted_files == 50


FILE_FIELDS = st.sampled_from(["direction", "id", "name", "size", "sha256", "reason", "by",
                               "path", "chars", "permissions"])
FILE_EVENT = st.fixed_dictionaries(
    {"time": TIMES, "event": st.sampled_from(["file_offered", "file_completed",
                                              "file_cancelled", "clipboard",
                                              "permissions_requested", "permissions_changed",
                                              "consent_decided"])}).flatmap(
    lambda base: st.dictionaries(FILE_FIELDS, JSON | st.sampled_from(
        ["to_customer", "to_technician", HASH, "cancelled", "customer", "files_in"]),
        max_size=7).map(lambda extra: {**extra, **base}))


@settings(max_examples=300, deadline=None)
@given(st.lists(FILE_EVENT | JSON, max_size=30))
def test_any_record_gives_a_bounded_safe_file_summary(events: list[Any]) -> None:
    s = summarise(events)
    assert set(s.clipboard) <= {"to_customer", "to_technician"}
    assert all(n > 0 for n in s.clipboard.values())
    assert len(s.files) <= MAX_FILES
    for f in s.files:
        assert isinstance(f, FileMoved)
        assert f.direction in ("", "to_customer", "to_technician")
        assert f.size is None or 0 <= f.size <= 2**40
        assert f.sha256 == "" or len(f.sha256) == 64
        assert f.outcome == "open" or f.outcome == "completed" or f.outcome.startswith(
            "cancelled:")
        assert f.by in ("", "customer", "technician")
        for text in (f.name, f.path):
            assert "\n" not in text and "\u202e" not in text
        assert f.time is None or f.time.tzinfo is not None
    known = {"view", "control", "clipboard", "files_in", "files_out", "chat"}
    assert s.permissions_used <= known and s.permissions_requested <= known


def test_times_of_transfers_are_kept() -> None:
    s = summarise(record().events)
    assert all(f.time is not None and f.time > datetime(2026, 1, 1, tzinfo=UTC) for f in s.files)
