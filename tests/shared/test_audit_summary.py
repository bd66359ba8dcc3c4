"""A session record summarised for people (shared/audit_summary.py): the facts, from real records
written by :class:`shared.audit.AuditLog`, and robustness against damaged or hostile records."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.audit import RENDER_MAX_VALUE, AuditLog, parse_record
from shared.audit_summary import (
    CRASHED_REASON,
    MAX_CHANGES,
    MAX_CHAT_LINES,
    MAX_CHAT_TEXT_LINES,
    MAX_INPUT_KINDS,
    MAX_LINK_EVENTS,
    MAX_PERMISSIONS,
    MAX_PROTOCOL_VERSION,
    MAX_SHARING_EVENTS,
    Identity,
    LinkEvent,
    SessionSummary,
    parse_time,
    role_from_name,
    summarise,
)

T0 = datetime(2026, 11, 30, 9, 0, 0, tzinfo=UTC)


class Clock:
    """Event times one minute apart, from T0 (what AuditLog's injectable clock is for)."""

    def __init__(self) -> None:
        self.minute = 0

    def __call__(self) -> str:
        moment = T0 + timedelta(minutes=self.minute)
        self.minute += 1
        return moment.isoformat(timespec="seconds")


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


def agent_record() -> AuditLog:
    """What agent/driver.py writes for a session the customer allowed, changed and ended."""
    log = AuditLog(clock=Clock())
    log.log("keys_agreed", verification="4821")
    log.log("consent_requested", technician="Eva Technik", organisation="Müller IT",
            verification="4821", requested=["control", "view"])
    log.log("consent_decided", allowed=True, permissions=["control", "view"], timed_out=False)
    log.log("session_started", permissions=["control", "view"])
    log.log("stream_settings", quality=60, max_bytes_per_s=1_000_000)
    log.log("permissions_changed", permissions=["view"])
    log.log("session_ended", reason="customer_ended", by_peer=False, message="",
            inputs_applied={"PointerMove": 40, "KeyEvent": 12},
            inputs_dropped={"PointerMove": 3, "FrameAck": 7})
    return log


def test_an_agent_record_gives_who_when_what_and_how_it_ended() -> None:
    s = summarise(agent_record().events, role="agent")
    assert (s.role, s.started, s.ended) == ("agent", at(0), at(6))
    assert (s.technician, s.organisation, s.verification) == ("Eva Technik", "Müller IT", "4821")
    assert s.requested == {"view", "control"}
    assert s.consent is not None and s.consent.allowed and not s.consent.timed_out
    assert s.consent.time == at(2) and s.consent.permissions == {"view", "control"}
    assert [(c.time, c.permissions) for c in s.changes] == [
        (at(3), {"view", "control"}), (at(5), {"view"})]
    assert [(c.time, c.quality, c.max_bytes_per_s) for c in s.stream_changes] == [
        (at(4), 60, 1_000_000)]
    assert s.ending is not None and s.ending.reason == "customer_ended"
    assert s.ending.by_peer is False and s.ending.time == at(6)
    assert s.ending.person == "customer"
    assert s.input_count == 52 and s.dropped_count == 3  # acknowledged frames are not input
    assert s.permissions == {"view"}
    assert not s.crashed and not s.unfinished
    assert (s.damaged_lines, s.wrong_codes, s.events, s.omitted_changes) == (0, 0, 7, 0)


def test_the_role_comes_from_the_file_name_or_else_the_events() -> None:
    assert role_from_name("session-20261130T090000-agent.jsonl") == "agent"
    assert role_from_name("session-20261130T090000-console-3.jsonl") == "console"
    assert role_from_name("session-x-admin.jsonl") == role_from_name("notes.txt") == ""
    assert summarise(agent_record().events).role == "agent"
    console = AuditLog(clock=Clock())
    console.log("keys_agreed", verification="4821")
    console.log("consent_answered", allowed=True, permissions=["view"])
    console.log("permissions_changed", permissions=["view"])
    console.log("session_ended", reason="technician_ended", by_peer=False, message="",
                inputs_sent={"KeyEvent": 5})
    s = summarise(console.events)
    assert s.role == "console" and s.verification == "4821" and s.input_count == 5
    assert s.ending is not None and s.ending.person == "technician"
    assert s.consent is not None and s.consent.permissions == {"view"}
    assert summarise([], role="relay").role == ""  # not a role a record can have
    assert summarise([{"time": "?", "event": "x"}]).role == ""


def test_a_denied_or_unanswered_request_is_kept_as_such() -> None:
    log = AuditLog(clock=Clock())
    log.log("consent_requested", technician="Eva", organisation="", verification="1",
            requested=["view"])
    log.log("consent_decided", allowed=False, permissions=[], timed_out=True)
    log.log("session_ended", reason="timeout", by_peer=False, message="")
    s = summarise(log.events)
    assert s.consent is not None and not s.consent.allowed and s.consent.timed_out
    assert s.permissions == frozenset() and s.changes == ()
    assert s.organisation == ""


def test_a_crashed_session_ends_at_its_last_own_event_not_at_the_next_start() -> None:
    events = agent_record().events[:4]  # died while the session ran
    events.append({"time": (T0 + timedelta(days=2)).isoformat(), "event": "session_ended",
                   "reason": CRASHED_REASON, "message": "The agent ended unexpectedly."})
    s = summarise(events)
    assert s.crashed and not s.unfinished
    assert s.ended == at(3) and s.ending is not None and s.ending.time == at(0) + timedelta(2)
    assert s.ending.by_peer is None and s.ending.person == ""
    only_note = summarise([events[-1]])
    assert only_note.crashed and only_note.ended == only_note.ending.time  # type: ignore[union-attr]


def test_a_crash_note_after_a_real_end_does_not_replace_it() -> None:
    """The agent died after writing its end but before removing its running note."""
    events = agent_record().events
    events.append({"time": "2026-12-01T00:00:00+00:00", "event": "session_ended",
                   "reason": CRASHED_REASON})
    s = summarise(events)
    assert not s.crashed and s.ending is not None and s.ending.reason == "customer_ended"


def test_a_record_without_an_end_is_unfinished() -> None:
    s = summarise(agent_record().events[:3])
    assert s.unfinished and not s.crashed and s.ended is None and s.started == at(0)
    assert summarise([]) == SessionSummary(events=0)


def test_an_end_without_a_readable_time_takes_the_last_time_seen() -> None:
    events = [*agent_record().events[:2], {"time": "late", "event": "session_ended",
                                           "reason": "peer_gone", "by_peer": True}]
    s = summarise(events)
    assert s.ended == at(1) and s.ending is not None and s.ending.by_peer is True
    assert summarise([{"time": "?", "event": "session_ended"}]).ended is None


def test_times_must_be_iso_with_a_zone() -> None:
    assert parse_time("2026-11-30T10:00:00+01:00") == at(0)
    assert parse_time("2026-11-30T09:00:00Z") == at(0)
    assert parse_time("2026-11-30T10:00:00") is None  # naive: any zone, so none
    for bad in ("?", "", "2026-13-01T00:00:00+00:00", 1764493200, None, ["t"], "9" * 100):
        assert parse_time(bad) is None
    assert parse_time("0001-01-01T00:00:00+01:00") is None  # before year 1 in UTC


def test_damaged_lines_and_foreign_events_are_counted_not_fatal() -> None:
    text = "".join([
        '{"time": "2026-11-30T09:00:00+00:00", "event": "keys_agreed", "verification": "77"}\n',
        "{oops\n", "[1, 2]\n", '{"time": "t", "event": "wrong_code"}\n',
        '{"time": "t", "event": "from_the_future", "x": 1}\n'])
    events: list[Any] = [*parse_record(text), "not a mapping", 42]
    s = summarise(events)
    assert s.verification == "77" and s.wrong_codes == 1
    assert s.damaged_lines == 4 and s.events == 7 and s.unfinished


def test_wrong_types_in_every_field_are_left_out() -> None:
    junk: list[object] = [None, 3, True, 1.5, [], {}, ["view", 3], {"a": "b"}]
    events = [{"time": "2026-11-30T09:00:00+00:00", "event": kind, key: value}
              for kind, key in [("keys_agreed", "verification"),
                                ("consent_requested", "technician"),
                                ("consent_requested", "organisation"),
                                ("consent_requested", "requested"),
                                ("consent_decided", "allowed"),
                                ("consent_decided", "permissions"),
                                ("permissions_changed", "permissions"),
                                ("stream_settings", "quality"),
                                ("session_ended", "reason"),
                                ("session_ended", "by_peer"),
                                ("session_ended", "inputs_applied")]
              for value in junk]
    events.append({"time": "t", "event": 7})
    events.append({"time": "t", "event": "session_ended", "inputs_applied": {"KeyEvent": -4,
                   "PointerMove": True, "Wheel": 2, "7": "x"}})
    s = summarise(events)
    assert (s.technician, s.organisation, s.verification) == ("", "", "")
    assert s.requested <= {"view"} and all(isinstance(p, str) for p in s.requested)
    assert s.consent is not None and s.consent.allowed is True  # only the real bool counted
    assert {c.quality for c in s.stream_changes} <= {None, 3}
    assert s.ending is not None and s.ending.reason == "unknown" and s.ending.by_peer is None
    assert s.inputs == {"Wheel": 2}


def test_hostile_names_are_one_bounded_visible_line() -> None:
    name = "\u202eEva\u2028Identity checked\u2029 Safe\x1b[31m" + "X" * 10_000
    s = summarise([{"time": "t", "event": "consent_requested", "technician": name,
                    "organisation": "<b>Org</b>", "verification": "12\n34"}])
    assert s.organisation == "<b>Org</b>"  # still text from outside: the window escapes it
    for text in (s.technician, s.verification):
        assert not any(unicodedata.category(ch)[0] == "C" or ch in "\u2028\u2029" for ch in text)
    assert len(s.technician) < RENDER_MAX_VALUE + 80 and "\\u202e" in s.technician


def test_a_huge_record_gives_a_bounded_summary() -> None:
    events: list[dict[str, Any]] = [
        {"time": "t", "event": "permissions_changed", "permissions": ["view"] * 100 + ["x"]}
        for _ in range(MAX_CHANGES + 5)]
    events += [{"time": "t", "event": "stream_settings", "quality": 1}] * (MAX_CHANGES + 2)
    events.append({"time": "t", "event": "session_ended", "reason": "error",
                   "inputs_applied": {f"K{i}": 1 for i in range(100)}})
    s = summarise(events)
    assert len(s.changes) == MAX_CHANGES and len(s.stream_changes) == MAX_CHANGES
    assert s.omitted_changes == 7 and len(s.inputs) == MAX_INPUT_KINDS
    assert all(len(c.permissions) <= MAX_PERMISSIONS for c in s.changes)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=4),
    max_leaves=12)
FIELDS = st.sampled_from(["time", "event", "technician", "organisation", "verification",
                          "requested", "permissions", "allowed", "timed_out", "quality",
                          "max_bytes_per_s", "reason", "by_peer", "message", "inputs_applied",
                          "inputs_sent", "inputs_dropped", "identity", "kind", "silent_for",
                          "seconds", "n", "keys", "buttons", "sender", "text", "recorded",
                          "index", "count", "width", "height", "shown"])
EVENTS = st.sampled_from(["keys_agreed", "consent_requested", "consent_decided",
                          "consent_answered", "session_started", "permissions_changed",
                          "stream_settings", "wrong_code", "session_ended", "damaged_line",
                          "identity", "link_interrupted", "link_resumed", "input_released",
                          "chat", "chat_recording", "monitor_shared", "monitors_changed",
                          "share_check_asked", "share_check_confirmed", "sharing_paused",
                          "sharing_resumed"])
TIMES = st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()) | st.text(max_size=30)
EVENT = st.fixed_dictionaries({"time": TIMES, "event": EVENTS | JSON},
                              optional={"x": JSON}).flatmap(
    lambda base: st.dictionaries(FIELDS, JSON, max_size=6).map(lambda extra: {**extra, **base}))


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENT | JSON, max_size=25), st.sampled_from(["", "agent", "console", "x"]))
def test_any_record_summarises_without_raising(events: list[Any], role: str) -> None:
    """The decoder of a file anyone can edit: any events give a summary of safe texts."""
    s = summarise(events, role)
    assert s.role in ("", "agent", "console") and s.events == len(events)
    who = s.identity
    texts = [s.technician, s.organisation, s.verification, *s.requested, *s.inputs,
             *((who.verdict, who.organisation, who.technician, who.org_key_id, who.refused)
               if who else ()),
             *((s.ending.reason, s.ending.message) if s.ending else ())]
    for text in texts:
        assert isinstance(text, str) and "\n" not in text and "\u2028" not in text
    for moment in (s.started, s.ended):
        assert moment is None or moment.utcoffset() == timedelta(0)
    assert s.input_count >= 0 and s.dropped_count >= 0
    assert isinstance(s.permissions, frozenset)
    for link in s.link_events:
        assert link.kind in ("interrupted", "resumed", "released")
        assert link.seconds is None or 0 <= link.seconds <= 86_400
        assert link.released >= 0 and link.cause in ("", "quiet", "lost", "restarting")
    for line in s.chat:
        assert line.sender in ("", "technician", "customer") and line.lines
        assert all(isinstance(t, str) and "\n" not in t and "\u202e" not in t
                   for t in line.lines)
    for ev in s.sharing_events:
        assert ev.reason in ("", "timeout", "customer")
        for number in (ev.index, ev.count, ev.width, ev.height):
            assert number is None or 0 <= number <= 8192
    assert set(s.shown) <= {"LaserPointer", "Annotation", "AnnotationClear"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_any_file_content_summarises_without_raising(text: str) -> None:
    s = summarise(parse_record(text))
    assert s.events >= s.damaged_lines >= 0


# ------------------------------------------------------------------ the technician's identity

IDENTITY = {"verdict": "verified", "serial": 1001, "organisation": "Kanzleisoft GmbH",
            "org_key_id": "ff71b694bb2e56e7", "technician": "Max Mustermann"}
NOTHING = {"verdict": "no_proof", "serial": None, "organisation": None, "org_key_id": None,
           "technician": None}
REFUSAL = ("This computer accepts only verified technicians; this one was refused (no_proof): "
           "The technician presented no certificate.")


def test_the_agent_records_the_verdict_with_the_consent_request() -> None:
    """What agent/driver.py writes: ``identity`` on consent_requested."""
    log = AuditLog(clock=Clock())
    log.log("keys_agreed", verification="4821")
    log.log("consent_requested", technician="Max", organisation="Kanzleisoft GmbH",
            verification="4821", requested=["control", "view"], identity=IDENTITY)
    log.log("session_ended", reason="customer_ended", by_peer=False, message="")
    s = summarise(log.events, role="agent")
    assert s.identity == Identity("verified", 1001, "Kanzleisoft GmbH", "ff71b694bb2e56e7",
                                  "Max Mustermann")
    assert s.identity.verified and not s.identity.refused
    assert summarise(agent_record().events).identity is None  # records of older versions


def test_the_agent_records_a_refusal_with_the_end() -> None:
    log = AuditLog(clock=Clock())
    log.log("keys_agreed", verification="4821")
    log.log("session_ended", reason="unverified_technician", by_peer=False, message=REFUSAL,
            identity=NOTHING)
    s = summarise(log.events, role="agent")
    assert s.identity == Identity("no_proof", refused=REFUSAL)
    assert not s.identity.verified


def test_the_console_records_what_it_presented_and_the_refusal() -> None:
    """What console/driver.py writes: ``identity`` on keys_agreed, and on the end when refused
    (``refused: true``; the agent's text is the end's message)."""
    presented = {**IDENTITY, "verdict": "presented"}
    log = AuditLog(clock=Clock())
    log.log("keys_agreed", verification="4821", identity=presented)
    s = summarise(log.events, role="console")
    assert s.identity == Identity("presented", 1001, "Kanzleisoft GmbH", "ff71b694bb2e56e7",
                                  "Max Mustermann")
    log.log("session_ended", reason="unverified_technician", by_peer=True, message=REFUSAL,
            identity={**presented, "refused": True})
    s = summarise(log.events, role="console")
    assert s.identity is not None and s.identity.verdict == "presented"
    assert not s.identity.verified and s.identity.refused == REFUSAL
    assert s.ending is not None and s.ending.reason == "unverified_technician"


def test_an_identity_event_of_its_own_is_read_too() -> None:
    s = summarise([{"time": "t", "event": "identity",
                    "identity": {**IDENTITY, "refused": "no"}}])
    assert s.identity is not None and s.identity.refused == "no"


def test_a_forged_or_damaged_identity_is_never_verified() -> None:
    s = summarise([{"time": "t", "event": "consent_requested", "identity": {
        "verdict": "verified!", "serial": -4, "organisation": "A\nB", "org_key_id": "../x",
        "technician": ["x"]}}])
    assert s.identity is not None and not s.identity.verified
    assert (s.identity.verdict, s.identity.serial, s.identity.org_key_id,
            s.identity.technician) == ("unknown", None, "", "")
    assert s.identity.organisation == "A\\u000aB"  # one visible line
    assert summarise([{"time": "t", "event": "consent_requested",
                       "identity": "verified"}]).identity is None
    # Only the events that carry it: a forged event elsewhere is counted, not read.
    assert summarise([{"time": "t", "event": "chat", "identity": IDENTITY}]).identity is None


# ------------------------------------------------------------------ the connection (issue 13)


def test_interruptions_resumes_and_releases_are_kept_in_order() -> None:
    """What desktop/session_driver.py and agent/driver.py write when the link falters."""
    log = agent_record()
    log.log("link_interrupted", kind="quiet", silent_for=5.0)
    log.log("input_released", reason="link_silent", keys=["shift", "a"], buttons=["left"])
    log.log("link_resumed", n=1, seconds=7.25)
    log.log("link_interrupted", kind="restarting", silent_for=0.0)
    log.log("link_resumed", n=2, seconds=0.4)
    s = summarise(log.events)
    assert s.link_events == (
        LinkEvent(at(7), "interrupted", "quiet", 5.0),
        LinkEvent(at(8), "released", released=3),
        LinkEvent(at(9), "resumed", seconds=7.25),
        LinkEvent(at(10), "interrupted", "restarting", 0.0),
        LinkEvent(at(11), "resumed", seconds=0.4),
    )
    assert summarise(agent_record().events).link_events == ()  # older records


def test_absurd_link_figures_are_left_out_and_many_events_counted() -> None:
    s = summarise([
        {"event": "link_interrupted", "kind": "<script>", "silent_for": float("inf")},
        {"event": "link_resumed", "seconds": -1},
        {"event": "link_resumed", "seconds": True},
        {"event": "input_released", "keys": "shift", "buttons": None},
    ])
    assert s.link_events == (LinkEvent(None, "interrupted"), LinkEvent(None, "resumed"),
                             LinkEvent(None, "resumed"), LinkEvent(None, "released"))
    flapping = summarise([{"event": "link_resumed", "seconds": 1}] * (MAX_LINK_EVENTS + 5))
    assert len(flapping.link_events) == MAX_LINK_EVENTS and flapping.omitted_changes == 5


# ------------------------------------------------------------------ issue 15: talk and show


def talk_record() -> AuditLog:
    """What the agent writes when the customer records the chat, switches are made, the
    customer is asked "still sharing?" and does not answer, then goes on."""
    log = AuditLog(clock=Clock())
    log.log("consent_decided", allowed=True, permissions=["view"], timed_out=False)  # 09:00
    log.log("monitor_shared", index=0, count=2, width=3200, height=1080)  # 09:01
    log.log("chat", sender="technician", text="Guten Tag!")  # not opted in: never written,
    log.log("chat_recording", recorded=True)  # 09:03               but shown if it is there
    log.log("chat", sender="customer", text="Grüß Gott\nZeile\tzwei")  # 09:04
    log.log("monitor_shared", index=2, count=2, width=1280, height=1024)  # 09:05
    log.log("monitors_changed", count=3)  # 09:06
    log.log("share_check_asked")  # 09:07
    log.log("sharing_paused", reason="timeout")  # 09:08
    log.log("sharing_resumed", reason="customer")  # 09:09
    log.log("share_check_asked")  # 09:10
    log.log("share_check_confirmed")  # 09:11
    log.log("chat_recording", recorded=False)  # 09:12
    log.log("session_ended", reason="customer_ended", by_peer=False, message="",
            inputs_applied={}, inputs_dropped={"LaserPointer": 4, "ChooseMonitor": 1},
            shown={"LaserPointer": 120, "Annotation": 9, "AnnotationClear": 2, "Bogus": 5})
    return log


def test_chat_monitors_pauses_and_pointer_are_summarised() -> None:
    s = summarise(talk_record().events, "agent")
    assert [(c.time, c.sender, c.lines) for c in s.chat] == [
        (at(2), "technician", ("Guten Tag!",)),
        (at(4), "customer", ("Grüß Gott", "Zeile    zwei")),
    ]
    assert [(e.time, e.kind) for e in s.sharing_events] == [
        (at(1), "monitor_shared"), (at(3), "chat_recording"), (at(5), "monitor_shared"),
        (at(6), "monitors_changed"), (at(7), "share_check_asked"), (at(8), "sharing_paused"),
        (at(9), "sharing_resumed"), (at(10), "share_check_asked"),
        (at(11), "share_check_confirmed"), (at(12), "chat_recording")]
    first, recorded, second, plugged, _, paused, resumed, *_, unrecorded = s.sharing_events
    assert (first.index, first.count, first.width, first.height) == (0, 2, 3200, 1080)
    assert (second.index, second.count) == (2, 2) and plugged.count == 3
    assert recorded.on is True and unrecorded.on is False
    assert paused.reason == "timeout" and resumed.reason == "customer"
    assert s.shown == {"LaserPointer": 120, "Annotation": 9, "AnnotationClear": 2}
    # a pointer or a monitor choice dropped while paused is not mouse or keyboard input
    assert s.dropped_count == 0 and s.input_count == 0


def test_hostile_chat_and_sharing_fields_are_bounded_and_plain() -> None:
    events: list[dict[str, Any]] = [
        {"time": "2026-11-30T09:00:00+00:00", "event": "chat", "sender": "<b>root</b>",
         "text": "a\u202eb\u2028c\x1b[31m" + "x" * 9000},
        {"time": "x", "event": "chat", "sender": "customer", "text": "\n" * 5000},
        {"time": "x", "event": "chat", "sender": "customer", "text": 42},
        {"time": "x", "event": "chat", "sender": "customer", "text": ""},
        {"time": "x", "event": "monitor_shared", "index": 99, "count": -1, "width": True,
         "height": 10**9},
        {"time": "x", "event": "sharing_paused", "reason": "<script>"},
        {"time": "x", "event": "chat_recording", "recorded": "yes"},
        {"time": "x", "event": "session_ended", "reason": "customer_ended", "shown": [1, 2]},
    ]
    s = summarise(events, "agent")
    first, many = s.chat  # the number and the empty text are left out
    assert first.sender == "" and len(first.lines) == 1
    assert "\\u202e" in first.lines[0] and "\\u2028" in first.lines[0]
    assert "\\u001b" in first.lines[0] and "[9010 characters]" in first.lines[0]
    assert len(many.lines) == MAX_CHAT_TEXT_LINES
    (shared, paused) = s.sharing_events  # the recording flag that is no flag is left out
    assert (shared.index, shared.count, shared.width, shared.height) == (None, None, None, None)
    assert paused.reason == "" and s.shown == {}


def test_a_chat_flood_in_a_record_is_cut_and_counted() -> None:
    line = {"time": "2026-11-30T09:00:00+00:00", "event": "chat", "sender": "technician",
            "text": "hallo"}
    switch = {"time": "2026-11-30T09:00:00+00:00", "event": "monitor_shared", "index": 1}
    s = summarise([line] * (MAX_CHAT_LINES + 30) + [switch] * (MAX_SHARING_EVENTS + 7))
    assert len(s.chat) == MAX_CHAT_LINES and s.omitted_chat == 30
    assert len(s.sharing_events) == MAX_SHARING_EVENTS and s.omitted_changes == 7


def test_what_the_operating_system_blocked_is_summarised() -> None:
    """Issue 18: the SystemNotice codes both records keep, and a Ctrl+Alt+Del Windows took;
    a refused one is told by its notice, unknown or forged codes are left out."""
    t = "2026-11-30T09:00:00+00:00"
    events: list[dict[str, Any]] = [
        {"time": t, "event": "system_notice", "code": "screen_recording_missing"},
        {"time": t, "event": "system_notice", "code": "screen_recording_ok"},
        {"time": t, "event": "system_notice", "code": "<b>newer</b>"},
        {"time": t, "event": "system_notice", "code": 7},
        {"time": t, "event": "ctrl_alt_del", "outcome": "not_allowed"},
        {"time": t, "event": "system_notice", "code": "ctrl_alt_del_refused"},
        {"time": t, "event": "ctrl_alt_del", "outcome": "sent"},
        {"time": t, "event": "ctrl_alt_del", "outcome": ["sent"]},
    ]
    s = summarise(events, "agent")
    assert [(e.kind, e.reason) for e in s.sharing_events] == [
        ("system_notice", "screen_recording_missing"), ("system_notice", "screen_recording_ok"),
        ("system_notice", "ctrl_alt_del_refused"), ("ctrl_alt_del", "sent")]


# ------------------------------------------------------------------ versions (converge20)


def test_the_protocol_version_and_both_app_versions_are_summarised() -> None:
    log = agent_record()
    log.log("versions", protocol_version=2, agent_app_version="0.1.0",
            console_app_version="0.9.1 beta")
    s = summarise(log.events, "agent")
    assert (s.protocol_version, s.agent_app_version, s.console_app_version) == (
        2, "0.1.0", "0.9.1 beta")


def test_a_record_written_before_versions_were_recorded_still_loads() -> None:
    s = summarise(agent_record().events, "agent")
    assert s.technician == "Eva Technik" and s.ending is not None
    assert (s.protocol_version, s.agent_app_version, s.console_app_version) == (None, "", "")


@pytest.mark.parametrize("entry", [
    {"protocol_version": 0}, {"protocol_version": -1}, {"protocol_version": True},
    {"protocol_version": 100_000}, {"protocol_version": "2"}, {"protocol_version": 2.0},
    {"agent_app_version": 7}, {"console_app_version": ["x"]}, {"agent_app_version": ""},
])
def test_absurd_versions_are_left_out(entry: dict[str, Any]) -> None:
    s = summarise([{"time": T0.isoformat(), "event": "versions", **entry}])
    assert (s.protocol_version, s.agent_app_version, s.console_app_version) == (None, "", "")


def test_a_hostile_app_version_is_one_bounded_visible_line() -> None:
    s = summarise([{"time": T0.isoformat(), "event": "versions", "protocol_version": 2,
                    "console_app_version": "1.0\n\u202eevil" + "x" * 10_000}])
    assert "\n" not in s.console_app_version and "\u202e" not in s.console_app_version
    assert len(s.console_app_version) < 1000 and s.protocol_version == 2


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["protocol_version", "agent_app_version",
                                        "console_app_version", "time"]), JSON, max_size=4))
def test_any_versions_event_summarises_to_sane_values(extra: dict[str, Any]) -> None:
    """The decoder of a file anyone can edit: whatever a ``versions`` line holds."""
    s = summarise([{"time": T0.isoformat(), **extra, "event": "versions"}])
    assert s.protocol_version is None or (
        type(s.protocol_version) is int and 1 <= s.protocol_version <= MAX_PROTOCOL_VERSION)
    for text in (s.agent_app_version, s.console_app_version):
        assert isinstance(text, str) and "\n" not in text and "\u2028" not in text
