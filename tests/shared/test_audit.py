"""The audit record's format, without a file: events to lines, lines to events, events to text.

The file store (folder, write-through, crash notes) is tested in tests/desktop/test_audit_store*.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.audit import (
    RENDER_MAX_VALUE,
    AuditLog,
    AuditWriteError,
    encode_event,
    iter_record,
    parse_record,
    plain,
    render_text,
    utc_now,
)

HOSTILE = [
    "Eva\u2028Identity checked \u2029Safe to allow",
    "\u202eEva Technik\u202c",
    "a\nb\rc\x00d\x1b[31m",
    "\u2066\u200f\ufeff\u061c",
    "X" * 10_000,
    "Müller & Söhne <b>bold</b>",
    "\U000e0001 plane-14 tag",
]


def test_log_hands_each_line_to_the_writer_and_keeps_the_events() -> None:
    lines: list[str] = []
    log = AuditLog(write=lines.append, clock=lambda: "2026-01-01T00:00:00+00:00")
    line = log.log("session_started", technician="Eva")
    assert lines == [line] and line.endswith("\n")
    assert log.events == [{"time": "2026-01-01T00:00:00+00:00", "event": "session_started",
                           "technician": "Eva"}]
    assert parse_record("".join(lines)) == log.events


def test_log_without_a_writer_keeps_the_record_in_memory() -> None:
    log = AuditLog()
    log.log("x")
    assert [e["event"] for e in log.events] == ["x"]
    assert log.events[0]["time"][:4].isdigit() and utc_now()[:4].isdigit()


def test_write_failure_raises_or_calls_back() -> None:
    def full(line: str) -> None:
        raise AuditWriteError("disk full")

    log = AuditLog(write=full)
    with pytest.raises(AuditWriteError, match="disk full"):
        log.log("next")
    seen: list[AuditWriteError] = []
    log.on_failure = seen.append
    log.log("next")
    assert len(seen) == 1 and len(log.events) == 2


def test_damaged_line_costs_only_that_line() -> None:
    events = parse_record('{"time": "t", "event": "a"}\n{oops\n[1]\n{"time": "t", "event": "b"}\n'
                          + "[" * 100_000 + "\n")
    assert [e["event"] for e in events] == ["a", "damaged_line", "damaged_line", "b",
                                            "damaged_line"]
    assert [e.get("line") for e in events] == [None, 2, 3, None, 5]
    assert "damaged_line" in render_text(events)


def test_hostile_names_round_trip_one_line_each() -> None:
    """Separators, bidi, controls and 10 kB names: stored exactly, one line per event, rendered
    on one visible line each, and the events after them are not hidden."""
    lines: list[str] = []
    log = AuditLog(write=lines.append)
    for name in HOSTILE:
        log.log("consent_requested", technician=name, organisation=name)
    log.log("session_ended", reason="customer_ended")
    raw = "".join(lines)
    assert raw.isascii() and raw.count("\n") == len(HOSTILE) + 1
    events = parse_record(raw)
    assert [e.get("technician") for e in events[:-1]] == HOSTILE  # exact round trip
    text = render_text(events)
    rendered = text.split("\n")
    assert len(rendered) == len(HOSTILE) + 1 and text.splitlines() == rendered
    for bad in "\u2028\u2029\u202e\u202c\u2066\u200f\ufeff\u061c\x00\x1b\r\U000e0001":
        assert bad not in text
    assert "[10000 characters]" in text and max(map(len, rendered)) < 1000
    assert "Müller" in text and "\\U000e0001" in text
    assert "session_ended" in rendered[-1]


def test_plain_bounds_and_serialises_any_value() -> None:
    assert plain(["view", 3]) == '["view", 3]'
    assert plain("x" * (RENDER_MAX_VALUE + 1)).endswith(f"[{RENDER_MAX_VALUE + 1} characters]")
    assert render_text([{"time": "t", "event": "e"}]) == "t  e"
    assert encode_event({"b": 1, "a": "\u2028"}) == '{"a": "\\u2028", "b": 1}\n'


@settings(max_examples=200)
@given(st.binary(max_size=2000), st.text(max_size=300))
def test_any_text_parses_and_renders_one_line_per_event(raw: bytes, name: str) -> None:
    """Whatever a record holds (damage, a hostile writer): parsing never raises, and every event
    (a damaged line too) renders as exactly one line without separators."""
    log = AuditLog()
    line = log.log("consent_requested", technician=name)
    events = parse_record(raw.decode("utf-8", "replace") + "\n" + line)
    assert events[-1]["technician"] == name
    rendered = render_text(events)
    assert len(rendered.split("\n")) == len(events)
    assert len(rendered.splitlines()) == len(events)


def _reference_parse(text: str) -> list[dict[str, object]]:
    """parse_record as it was before it became a generator (split on \\n, then each line)."""
    import json

    events: list[dict[str, object]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            entry = None
        if not isinstance(entry, dict) or "event" not in entry or "time" not in entry:
            events.append({"time": "?", "event": "damaged_line", "line": number})
            continue
        events.append(entry)
    return events


@settings(max_examples=300)
@given(st.lists(st.sampled_from(['{"time": "t", "event": "a"}', "{oops", "", " ", "\r", "[1]",
                                 '{"time": 1, "event": "\\u2028"}', "\u2028", "{}"]),
                max_size=12).map("\n".join) | st.text(max_size=200))
def test_iter_record_reads_one_event_at_a_time_like_parse_record(text: str) -> None:
    """The lazy reader gives exactly what parse_record always gave, line numbers included."""
    assert list(iter_record(text)) == parse_record(text) == _reference_parse(text)


def test_iter_record_is_lazy() -> None:
    events = iter_record('{"time": "t", "event": "first"}\n' + "{x\n" * 100_000)
    assert next(events)["event"] == "first"
    assert next(events) == {"time": "?", "event": "damaged_line", "line": 2}
