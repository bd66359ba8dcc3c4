"""The session rules of issue 15: chat, the chat opt-in, pause, monitors, pointer and drawings.

Both machines are real (``AgentSession``/``ConsoleSession``, real handshake and channel); a
hostile peer is the other machine's channel sealing what it likes (``forge``). Time is an
injected clock, so the chat budget is tested without sleeping.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import messages as m
from shared.errors import ProtocolError
from shared.resume import ResumeHandshake
from shared.session import (
    CHAT_BURST,
    CHAT_PER_SECOND,
    CHAT_PROBLEMS,
    SHOW_BURST,
    SHOW_PER_SECOND,
    AgentSession,
    ChatReceived,
    ChatRecordingChanged,
    ChatRefused,
    ConsoleSession,
    Event,
    InputReceived,
    MonitorChosen,
    MonitorsChanged,
    NotPermitted,
    PermissionsChanged,
    Phase,
    SessionEnded,
    SharingPausedChanged,
    ShowReceived,
    Step,
    chat_problem,
)
from tests.shared.test_session import CODE, pump

BOTH = frozenset({"view", "control"})
VIEW = frozenset({"view"})
TWO = (m.Monitor(0, 0, 1920, 1080, True), m.Monitor(1920, 0, 1280, 1024))
SHOWS = (m.LaserPointer(True, 10, 20), m.Annotation(3, "line", ((1, 1), (5, 5))),
         m.AnnotationClear())


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, t: float = 1_700_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def pair(grant: frozenset[str] | None = BOTH, clock: Clock | None = None
         ) -> tuple[AgentSession, ConsoleSession]:
    """Both sides after the consent request (``grant`` None), or active with ``grant``."""
    clock = clock or Clock()
    a = AgentSession(CODE, clock=clock)
    c = ConsoleSession(CODE, name="Eva Technik", requested=BOTH, clock=clock)
    pump(a, c, [a.start()], [c.start()])
    assert a.phase is Phase.CONSENT
    if grant is not None:
        pump(a, c, a.decide(True, grant).outgoing, [])
        assert a.phase is c.phase is Phase.ACTIVE
    return a, c


def forge(sender: AgentSession | ConsoleSession, msg: m.Message) -> bytes:
    """What ``sender`` would seal for ``msg``, whatever its own rules say (a hostile peer)."""
    assert sender._channel is not None
    return sender._channel.seal(m.encode(msg))


def deliver(receiver: AgentSession | ConsoleSession, step: Step) -> list[Event]:
    events: list[Event] = []
    for data in step.outgoing:
        events += receiver.receive(data).events
    return events


def resume(a: AgentSession, c: ConsoleSession) -> None:
    """Both sides on a resumed link (new keys; what was sealed for the old one is lost)."""
    hs_a = ResumeHandshake(a.resume_secret, "agent", 1)
    hs_c = ResumeHandshake(c.resume_secret, "console", 1)
    hello_a, hello_c = hs_a.start(), hs_c.start()
    conf_a, conf_c = hs_a.receive(hello_c).outgoing, hs_c.receive(hello_a).outgoing
    done_a, done_c = hs_a.receive(conf_c[0]).outcome, hs_c.receive(conf_a[0]).outcome
    assert done_a is not None and done_c is not None
    a.resume(done_a)
    c.resume(done_c)


def ended(events: Sequence[object]) -> SessionEnded:
    end = events[-1]
    assert isinstance(end, SessionEnded)
    return end


# ------------------------------------------------------------------ chat


@pytest.mark.parametrize("grant", [BOTH, VIEW], ids=["control", "view-only"])
def test_chat_goes_both_ways_in_an_active_session(grant: frozenset[str]) -> None:
    a, c = pair(grant)
    text = "Grüß Gott!\nKönnen Sie das Fenster öffnen?\t👍"
    assert deliver(a, c.send_chat(text)) == [ChatReceived(text, 0)]
    assert deliver(c, a.send_chat("Ja, gerne – äöüß")) == [ChatReceived("Ja, gerne – äöüß", 0)]


def test_chat_is_not_sent_before_the_customer_allowed_and_is_refused_if_forged() -> None:
    a, c = pair(None)
    assert a.send_chat("hallo").outgoing == [] and c.send_chat("hallo").outgoing == []
    end = ended(a.receive(forge(c, m.ChatText("let me in"))).events)
    assert end.reason == "protocol_error"
    assert end.message == "Unexpected ChatText while the session is consent."


def test_chat_goes_on_while_sharing_is_paused() -> None:
    a, c = pair()
    deliver(c, a.set_paused(True, "timeout"))
    assert c.paused and a.paused
    assert deliver(a, c.send_chat("Sind Sie noch da?")) == [ChatReceived("Sind Sie noch da?", 0)]
    assert deliver(c, a.send_chat("Ja")) == [ChatReceived("Ja", 0)]


@pytest.mark.parametrize(("text", "problem"), [
    ("", "empty"),
    ("x" * (m.MAX_CHAT + 1), "too_long"),
    ("a\x1b[31mb", "characters"),
    ("a\rb", "characters"),
    ("rechts\u202elinks", "characters"),
    ("a\u200bb", "characters"),
])
def test_a_line_the_protocol_cannot_carry_is_refused_before_sealing(text: str,
                                                                     problem: str) -> None:
    a, c = pair()
    assert chat_problem(text) == problem
    for side in (a, c):
        with pytest.raises(ChatRefused) as info:
            side.send_chat(text)
        assert info.value.problem == problem and str(info.value) == CHAT_PROBLEMS[problem]
    assert chat_problem("ä" * m.MAX_CHAT) is None  # code points, not bytes
    assert a.phase is c.phase is Phase.ACTIVE  # nothing was sealed, nothing broke


def test_a_10_kb_chat_line_from_a_hostile_peer_ends_the_session_clearly() -> None:
    a, c = pair()
    raw = b"\x05" + ('{"text":"' + "ü" * 10_000 + '"}').encode()
    assert c._channel is not None
    end = ended(a.receive(c._channel.seal(raw)).events)
    assert end.reason == "protocol_error" and "1 to 4096 characters" in end.message


@pytest.mark.parametrize("receiver", ["agent", "console"])
def test_the_chat_budget_is_a_burst_then_two_per_second(receiver: str) -> None:
    clock = Clock()
    a, c = pair(clock=clock)
    to, sender = (a, c) if receiver == "agent" else (c, a)
    got: list[Event] = []
    for i in range(CHAT_BURST + 5):  # all at once: the burst, then five dropped
        got += to.receive(forge(sender, m.ChatText(f"line {i}"))).events
    assert got == [ChatReceived(f"line {i}", 0) for i in range(CHAT_BURST)]
    clock.t += 1 / CHAT_PER_SECOND  # one token back
    got = to.receive(forge(sender, m.ChatText("next"))).events
    assert got == [ChatReceived("next", 5)]  # says how many were left out before it
    assert to.receive(forge(sender, m.ChatText("too soon"))).events == []
    clock.t += 3600  # a long quiet time refills the burst, no more
    got = []
    for i in range(CHAT_BURST + 1):
        got += to.receive(forge(sender, m.ChatText(f"again {i}"))).events
    assert [e.dropped_before for e in got if isinstance(e, ChatReceived)] == [1] + [0] * 19
    assert to.phase is Phase.ACTIVE  # a flood is dropped and counted, never an error


def test_a_clock_that_goes_back_refills_nothing() -> None:
    clock = Clock()
    a, c = pair(clock=clock)
    for i in range(CHAT_BURST):
        c.receive(forge(a, m.ChatText(f"{i}")))
    clock.t -= 1000
    assert c.receive(forge(a, m.ChatText("x"))).events == []


# ------------------------------------------------------------------ the chat opt-in


def test_the_chat_opt_in_reaches_the_console_once_per_change() -> None:
    a, c = pair()
    assert not a.chat_recorded and not c.chat_recorded
    assert a.set_chat_recording(False).outgoing == []  # off is the start: nothing to say
    assert deliver(c, a.set_chat_recording(True)) == [ChatRecordingChanged(True)]
    assert c.chat_recorded and a.set_chat_recording(True).outgoing == []
    assert deliver(c, a.set_chat_recording(False)) == [ChatRecordingChanged(False)]
    assert not c.chat_recorded


def test_the_chat_opt_in_waits_for_an_active_session() -> None:
    a, _ = pair(None)
    assert a.set_chat_recording(True).outgoing == [] and not a.chat_recorded


# ------------------------------------------------------------------ pause


def test_pause_stops_screen_input_and_pointer_and_resume_brings_them_back() -> None:
    a, c = pair()
    frame = m.FrameUpdate(4, 4, (), 0)
    assert a.sharing
    step = a.set_paused(True, "timeout")
    assert step.events == [SharingPausedChanged(True, "timeout")]
    assert deliver(c, step) == [SharingPausedChanged(True, "timeout")]
    assert c.paused and c.pause_reason == "timeout" and a.pause_reason == "timeout"
    # the agent cannot seal a frame or cursor update
    assert not a.sharing
    with pytest.raises(NotPermitted, match="paused"):
        a.seal_frame(frame)
    with pytest.raises(NotPermitted, match="paused"):
        a.seal_cursor(m.CursorUpdate(1, 1, True))
    # the console sends no input and no pointer; control is shown as off
    assert not c.control_granted
    assert c.send_input(m.PointerMove(1, 1)).outgoing == []
    for show in SHOWS:
        assert c.send_show(show).outgoing == []
    # input, pointer and monitor choices a hostile (or racing) console sends: dropped, counted
    for msg in (m.PointerMove(2, 2), m.Key("KeyA", "a", True), *SHOWS, m.ChooseMonitor(1)):
        assert a.receive(forge(c, msg)).events == []
    assert a.dropped_inputs["PointerMove"] == 1 and a.dropped_inputs["Key"] == 1
    assert a.dropped_inputs["LaserPointer"] == 1 and a.dropped_inputs["ChooseMonitor"] == 1
    assert not a.applied_inputs and not a.shown
    # pausing again changes nothing; resuming brings it all back
    assert a.set_paused(True, "customer").outgoing == []
    step = a.set_paused(False, "customer")
    assert deliver(c, step) == [SharingPausedChanged(False, "customer")]
    assert a.sharing and c.control_granted and not c.paused and c.pause_reason == ""
    a.seal_frame(frame)
    move = m.PointerMove(3, 3)
    assert deliver(a, c.send_input(move)) == [InputReceived(move)]
    assert deliver(a, c.send_show(SHOWS[0])) == [ShowReceived(SHOWS[0])]


def test_pause_needs_an_active_session_and_a_known_reason() -> None:
    a, _ = pair(None)
    assert a.set_paused(True, "timeout").outgoing == [] and not a.paused
    with pytest.raises(ValueError, match="pause reason"):
        a.set_paused(True, "bored")
    a, _ = pair()
    with pytest.raises(ValueError, match="pause reason"):
        a.set_paused(True, "")
    assert not a.paused


def test_a_paused_session_still_ends_and_keeps_its_permissions_changeable() -> None:
    a, c = pair()
    deliver(c, a.set_paused(True, "customer"))
    assert deliver(c, a.set_control(False)) == [PermissionsChanged(VIEW)]
    assert deliver(a, c.end("technician_ended"))[-1] == SessionEnded(
        "technician_ended", "The technician ended the session.", True)


# ------------------------------------------------------------------ monitors


def test_monitors_need_view_and_reach_the_console() -> None:
    a, c = pair(None)
    assert a.set_monitors(TWO, 1).outgoing == []  # before the customer allowed: nothing
    a, c = pair()
    assert deliver(c, a.set_monitors(TWO, 2)) == [MonitorsChanged(TWO, 2)]
    assert c.monitors == TWO and c.shared_monitor == 2
    assert a.monitors == TWO and a.shared_monitor == 2
    with pytest.raises(ProtocolError):  # a caller's bug: no such monitor
        a.set_monitors(TWO, 3)


def test_the_technician_chooses_a_monitor() -> None:
    a, c = pair(VIEW)  # view alone is enough
    assert deliver(a, c.choose_monitor(2)) == [MonitorChosen(2)]
    assert deliver(a, c.choose_monitor(0)) == [MonitorChosen(0)]
    # an index the agent may not have (unplugged meanwhile) is the shell's to answer
    assert deliver(a, c.choose_monitor(16)) == [MonitorChosen(16)]
    with pytest.raises(ProtocolError):
        c.choose_monitor(17)


def test_a_storm_of_monitor_choices_is_handed_on_in_order_for_the_shell_to_coalesce() -> None:
    """The machine keeps nothing per choice and drops none (the shell follows the last one, so
    dropping here could drop exactly the technician's final choice)."""
    a, c = pair()
    chosen: list[Event] = []
    for i in range(1000):
        chosen += a.receive(forge(c, m.ChooseMonitor(i % 3))).events
    assert chosen == [MonitorChosen(i % 3) for i in range(1000)]
    assert not a.dropped_inputs and a.phase is Phase.ACTIVE


def test_choose_monitor_needs_an_active_session() -> None:
    _, c = pair(None)
    assert c.choose_monitor(1).outgoing == []


# ------------------------------------------------------------------ pointer and drawings


def test_pointer_and_drawings_ride_on_view_and_are_never_input() -> None:
    a, c = pair(VIEW)
    for show in SHOWS:
        assert deliver(a, c.send_show(show)) == [ShowReceived(show)]
    assert dict(a.shown) == {"LaserPointer": 1, "Annotation": 1, "AnnotationClear": 1}
    assert not a.applied_inputs and not a.dropped_inputs


def test_send_show_takes_show_messages_only_and_only_when_active() -> None:
    a, c = pair(None)
    assert c.send_show(SHOWS[0]).outgoing == []
    with pytest.raises(TypeError):
        c.send_show(m.PointerMove(1, 1))  # type: ignore[arg-type]
    end = ended(a.receive(forge(c, SHOWS[1])).events)  # before consent: unexpected
    assert end.message == "Unexpected Annotation while the session is consent."


# ------------------------------------------------------------------ wrong direction


@pytest.mark.parametrize("msg", [m.ChatRecording(True), m.SharingPaused(True, "timeout"),
                                 m.Monitors(TWO, 1)], ids=lambda x: type(x).__name__)
def test_what_only_an_agent_says_ends_an_agent_session(msg: m.Message) -> None:
    a, c = pair()
    end = ended(a.receive(forge(c, msg)).events)
    assert end.reason == "protocol_error"
    assert end.message == f"Unexpected {type(msg).__name__} while the session is active."


@pytest.mark.parametrize("msg", [*SHOWS, m.ChooseMonitor(1)], ids=lambda x: type(x).__name__)
def test_what_only_a_console_says_ends_a_console_session(msg: m.Message) -> None:
    a, c = pair()
    end = ended(c.receive(forge(a, msg)).events)
    assert end.reason == "protocol_error"
    assert end.message == f"Unexpected {type(msg).__name__} while the session is active."


# ------------------------------------------------------------------ after a resume


def test_restate_repeats_the_state_the_console_may_have_missed() -> None:
    """What was sealed for a dropped link is never sent (docs/PROTOCOL.md section 13): after a
    resume the agent says again what is granted, recorded, paused and shared."""
    a, c = pair()
    deliver(c, a.set_monitors(TWO, 1))
    # meanwhile the link drops: these never reach the console
    a.set_control(False)
    a.set_chat_recording(True)
    a.set_paused(True, "timeout")
    a.set_monitors(TWO, 2)
    resume(a, c)
    events = deliver(c, a.restate())
    assert events == [PermissionsChanged(VIEW), ChatRecordingChanged(True),
                      SharingPausedChanged(True, "timeout"), MonitorsChanged(TWO, 2)]
    assert c.permissions == VIEW and c.chat_recorded and c.paused and c.shared_monitor == 2
    # said again with nothing missed: only the monitor list comes back as an event
    assert deliver(c, a.restate()) == [MonitorsChanged(TWO, 2)]


def test_restate_says_nothing_outside_an_active_session() -> None:
    a, _ = pair(None)
    assert a.restate().outgoing == []
    a, _ = pair()
    a.end("customer_ended")
    assert a.restate().outgoing == []


def test_restate_without_monitors_skips_them() -> None:
    a, c = pair(VIEW)
    assert deliver(c, a.restate()) == []  # nothing changed, no monitors told yet


# ------------------------------------------------------------------ a hostile console


def test_a_hostile_console_flooding_chat_gets_a_bounded_agent() -> None:
    """1000 long chat lines in one go, between monitor choices: the agent hands on a bounded
    number of lines and its session goes on."""
    a, c = pair(clock=Clock())
    events: list[Event] = []
    for i in range(1000):
        events += a.receive(forge(c, m.ChatText(f"{i} " + "ß" * 4000))).events
        events += a.receive(forge(c, m.ChooseMonitor(i % 17))).events
    assert sum(isinstance(e, ChatReceived) for e in events) == CHAT_BURST
    assert sum(isinstance(e, MonitorChosen) for e in events) == 1000
    assert a.phase is Phase.ACTIVE and not a.applied_inputs


def test_a_hostile_console_flooding_the_pointer_gets_a_bounded_agent() -> None:
    """10 000 laser positions and strokes in one go: the agent hands on SHOW_BURST, drops and
    counts the rest, and takes SHOW_PER_SECOND again after a quiet second (the v1 console
    sends at most 50 a second, well under it)."""
    clock = Clock()
    a, c = pair(grant=VIEW, clock=clock)
    events: list[Event] = []
    for i in range(10_000):
        msg = SHOWS[i % 2] if i % 2 else m.LaserPointer(True, i % 8000, 1)
        events += a.receive(forge(c, msg)).events
    shown = sum(isinstance(e, ShowReceived) for e in events)
    assert shown == SHOW_BURST == sum(a.shown.values())
    assert sum(a.dropped_inputs.values()) == 10_000 - SHOW_BURST
    clock.t += 1.0
    again = [e for _ in range(500) for e in a.receive(forge(c, SHOWS[0])).events]
    assert len(again) == int(SHOW_PER_SECOND)
    assert a.phase is Phase.ACTIVE and not a.applied_inputs


def test_the_v1_consoles_pointer_rate_is_never_dropped() -> None:
    """One laser position every 20 ms (the console's send interval) for a minute: all shown."""
    clock = Clock()
    a, c = pair(grant=VIEW, clock=clock)
    for i in range(3000):
        clock.t += 0.02
        assert a.receive(forge(c, m.LaserPointer(True, i % 100, 5))).events
    assert not a.dropped_inputs


HOSTILE_BODIES = {
    "chat 10 kB": b'\x05{"text":"' + "ü".encode() * 10_000 + b'"}',
    "chat html key": b'\x05{"text":"hi","html":"<b>hi</b>"}',
    "choose 200": b"\x25\xc8",
    "laser visible 7": b"\x40\x07\x00\x01\x00\x01",
    "annotation 60000 points claimed": b"\x41\x00\x01\x00\xea\x60" + b"\x00" * 8,
    "annotation kind 9": b"\x41\x00\x01\x09\x00\x01\x00\x01\x00\x01",
    "clear with a body": b"\x42\x00\x00",
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=list(HOSTILE_BODIES))
def test_malformed_talk_from_a_console_ends_the_agent_session_clearly(body: bytes) -> None:
    a, c = pair()
    assert c._channel is not None
    step = a.receive(c._channel.seal(body))
    end = ended(step.events)
    assert end.reason == "protocol_error" and not end.by_peer
    assert end.message.startswith("Malformed message from the other side:")
    told = m.decode(c._channel.open(step.outgoing[-1]))  # the console is told why
    assert told == m.Error("protocol_error", end.message)
    assert not a.shown and not a.applied_inputs


TALK_TYPE_BYTES = (0x05, 0x09, 0x0A, 0x24, 0x25, 0x40, 0x41, 0x42)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.sampled_from(TALK_TYPE_BYTES), st.binary(max_size=120),
       st.sampled_from(["agent", "console"]))
def test_any_talk_plaintext_from_the_peer_never_raises(type_byte: int, body: bytes,
                                                      receiver: str) -> None:
    """Whatever the peer seals under a talk type byte: an event, a drop, or a clean end with
    an Error to the peer; never an exception out of ``receive``."""
    a, c = pair()
    to, sender = (a, c) if receiver == "agent" else (c, a)
    assert sender._channel is not None
    step = to.receive(sender._channel.seal(bytes((type_byte,)) + body))
    if to.ended:
        end = ended(step.events)
        assert end.reason in ("protocol_error", "resource_limit") and not end.by_peer
        told = m.decode(sender._channel.open(step.outgoing[-1]))
        assert isinstance(told, m.Error) and told.code == end.reason
