"""The session state machines: policy of a whole session without any I/O."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.support.sessions import pump
from shared import messages as m
from shared.codes import SessionCode
from shared.errors import ProtocolError
from shared.identity import Verdict
from shared.session import (
    AgentSession,
    ConsentAnswered,
    ConsentRequested,
    ConsoleSession,
    FrameAcked,
    FrameReceived,
    InputReceived,
    KeysAgreed,
    NotPermitted,
    PermissionsChanged,
    Phase,
    RoundTripMeasured,
    SessionEnded,
    SharingPausedChanged,
    Step,
    StreamSettingsChanged,
    WrongCodeEntered,
)

CODE = SessionCode("123", "456789")


def connected(
    requested: frozenset[str] = frozenset({"view", "control"}),
) -> tuple[AgentSession, ConsoleSession, list, list]:
    a = AgentSession(CODE, name="", organisation="")
    c = ConsoleSession(CODE, name="Eva Technik", organisation="Acme IT", requested=requested,
                       clock=lambda: 10.0)
    a_ev, c_ev = pump(a, c, [a.start()], [c.start()])
    return a, c, a_ev, c_ev


def active(
    grant: frozenset[str] = frozenset({"view", "control"}),
) -> tuple[AgentSession, ConsoleSession, list]:
    a, c, _, _ = connected()
    step = a.decide(True, grant)
    _, c_ev = pump(a, c, step.outgoing, [])
    return a, c, c_ev


def test_handshake_then_consent_request_reaches_agent() -> None:
    a, c, a_ev, c_ev = connected()
    assert a.verification == c.verification and len(a.verification) == 4
    assert KeysAgreed(a.verification) in a_ev and KeysAgreed(c.verification) in c_ev
    req = [e for e in a_ev if isinstance(e, ConsentRequested)]
    # An unbranded agent trusts no organisation: the name is a claim, and says so.
    assert a.identity is not None and a.identity.verdict is Verdict.NO_TRUST
    assert req == [ConsentRequested("Eva Technik", "Acme IT", a.verification,
                                    frozenset({"view", "control"}), a.identity)]
    assert not a.identity.verified and a.identity.certificate is None
    assert a.phase is Phase.CONSENT and c.phase is Phase.CONSENT


def test_wrong_code_on_both_sides() -> None:
    a = AgentSession(CODE)
    c = ConsoleSession(SessionCode("123", "456780"), name="Eva")
    a_ev, c_ev = pump(a, c, [a.start()], [c.start()])
    assert WrongCodeEntered() in a_ev and WrongCodeEntered() in c_ev
    assert a.ended and c.ended and a.end_reason == "wrong_code"


def test_no_frame_before_allow() -> None:
    a, _c, _, _ = connected()
    frame = m.FrameUpdate(10, 10, (), 0)
    with pytest.raises(NotPermitted):
        a.seal_frame(frame)
    with pytest.raises(NotPermitted):
        a.reserve_frame(frame)  # the two-step seal has the same rule, checked at reservation


def test_reserved_frame_keeps_its_place_before_later_messages() -> None:
    """Issue 16: a frame reserved on the loop and sealed later (off the loop) opens in the
    order it was reserved, before what the agent sealed after it."""
    a, c, _ = active()
    frame = m.FrameUpdate(4, 4, (m.Rect(0, 0, 4, 4, 1, b"\0\0\0\0"),), 3)
    job = a.reserve_frame(frame)
    paused = a.set_paused(True, "customer")  # said after the reservation
    assert c.receive(job.seal()).events == [FrameReceived(frame)]
    assert [ev for data in paused.outgoing for ev in c.receive(data).events] == [
        SharingPausedChanged(True, "customer")]
    with pytest.raises(NotPermitted, match="paused"):
        a.reserve_frame(frame)


def test_a_big_message_can_be_opened_by_a_job_in_order() -> None:
    """Issue 16: the console opens a big frame off its loop (open_later's job), then the
    session handles it exactly as receive() would, errors and end included."""
    a, c, _ = active()
    assert AgentSession(CODE).open_later(b"x") is None  # handshake: receive() only
    frame = m.FrameUpdate(4, 4, (m.Rect(0, 0, 4, 4, 1, b"\0\0\0\0"),), 5)
    job = c.open_later(a.seal_frame(frame))
    assert job is not None
    assert c.receive_opened(job, job.open()).events == [FrameReceived(frame)]
    bad = bytearray(a.seal_frame(frame))
    bad[-1] ^= 1
    job = c.open_later(bytes(bad))
    assert job is not None and job.open() is None
    ended = c.receive_opened(job, None).events
    assert [type(ev) for ev in ended] == [SessionEnded] and c.ended
    assert c.open_later(b"late") is None
    assert c.receive_opened(job, None).events == []


def test_allow_view_only_drops_and_counts_input() -> None:
    a, c, c_ev = active(frozenset({"view"}))
    assert ConsentAnswered(True, frozenset({"view"})) in c_ev
    assert not c.control_granted
    assert c.send_input(m.PointerMove(1, 1)).outgoing == []
    # A hostile console sends input anyway: the agent drops and counts it.
    forged = c._channel.seal(m.encode(m.PointerMove(5, 5)))  # type: ignore[union-attr]
    step = a.receive(forged)
    assert step.events == [] and a.dropped_inputs["PointerMove"] == 1 and not a.ended


def test_input_flows_when_control_granted_and_stops_on_revoke() -> None:
    a, c, _ = active()
    key = m.Key("KeyA", "a", True)
    out = c.send_input(key).outgoing
    assert a.receive(out[0]).events == [InputReceived(key)]
    revoke = a.set_control(False)
    assert PermissionsChanged(frozenset({"view"})) in revoke.events
    _, c_ev = pump(a, c, revoke.outgoing, [])
    assert PermissionsChanged(frozenset({"view"})) in c_ev and not c.control_granted
    regrant = a.set_control(True)
    pump(a, c, regrant.outgoing, [])
    assert c.control_granted


def test_frames_acks_and_ping() -> None:
    a, c, _ = active()
    frame = m.FrameUpdate(4, 4, (m.Rect(0, 0, 4, 4, 1, b"\0\0\0\0"),), 7)
    ev = c.receive(a.seal_frame(frame)).events
    assert ev == [FrameReceived(frame)]
    assert a.receive(c.ack(7).outgoing[0]).events == [FrameAcked(7)]
    ping = c.ping().outgoing[0]
    pong = a.receive(ping).outgoing
    assert isinstance(c.receive(pong[0]).events[0], RoundTripMeasured)


def test_stream_settings_reach_the_agent_only_while_active() -> None:
    a, c, _, _ = connected()
    assert c.set_stream_settings(40, 250_000).outgoing == []  # not active yet: nothing sent
    step = a.decide(True, frozenset({"view", "control"}))
    pump(a, c, step.outgoing, [])
    out = c.set_stream_settings(40, 250_000).outgoing
    assert len(out) == 1
    assert a.receive(out[0]).events == [StreamSettingsChanged(40, 250_000)]
    assert a.receive(c.set_stream_settings(0, 0).outgoing[0]).events == [
        StreamSettingsChanged(0, 0)]
    assert not a.ended
    with pytest.raises(ProtocolError):
        c.set_stream_settings(101, 0)


def test_stream_settings_from_the_agent_end_the_console_session() -> None:
    a, c, _ = active()
    forged = a._channel.seal(m.encode(m.StreamSettings(75, 0)))  # type: ignore[union-attr]
    c.receive(forged)
    assert c.ended and c.end_reason == "protocol_error"


def test_stream_settings_before_consent_are_a_protocol_error() -> None:
    a, c, _, _ = connected()
    forged = c._channel.seal(m.encode(m.StreamSettings(75, 0)))  # type: ignore[union-attr]
    a.receive(forged)
    assert a.ended and a.end_reason == "protocol_error"


def test_deny_ends_both() -> None:
    a, c, _, _ = connected()
    step = a.decide(False, frozenset({"view"}))
    _, c_ev = pump(a, c, step.outgoing, [])
    assert ConsentAnswered(False, frozenset()) in c_ev
    assert c.ended and c.end_reason == "denied" and a.ended


def test_end_from_console() -> None:
    a, c, _ = active()
    a_ev, _ = pump(a, c, [], c.end("technician_ended").outgoing)
    assert SessionEnded("technician_ended", "The technician ended the session.", True) in a_ev


def test_tampered_message_ends_with_integrity_error() -> None:
    a, c, _ = active()
    data = bytearray(c.send_input(m.PointerMove(1, 1)).outgoing[0])
    data[-1] ^= 1
    step = a.receive(bytes(data))
    assert a.ended and a.end_reason == "integrity_error"
    assert isinstance(step.events[-1], SessionEnded)


def test_replay_ends_session() -> None:
    a, c, _ = active()
    data = c.send_input(m.PointerMove(1, 1)).outgoing[0]
    a.receive(data)
    a.receive(data)
    assert a.end_reason == "integrity_error"


def test_input_before_consent_is_dropped_not_applied() -> None:
    a, c, _, _ = connected()
    forged = c._channel.seal(m.encode(m.Key("KeyA", "a", True)))  # type: ignore[union-attr]
    assert a.receive(forged).events == []
    assert a.dropped_inputs["Key"] == 1


def test_console_rejects_frames_before_consent() -> None:
    a, c, _, _ = connected()
    frame = a._channel.seal(m.encode(m.FrameUpdate(4, 4, (), 0)))  # type: ignore[union-attr]
    c.receive(frame)
    assert c.ended and c.end_reason == "protocol_error"


def test_console_rejects_ungranted_permissions() -> None:
    a, c, _, _ = connected(frozenset({"view"}))
    forged = a._channel.seal(  # type: ignore[union-attr]
        m.encode(m.ConsentDecision(True, frozenset({"view", "control"}))))
    c.receive(forged)
    assert c.ended and c.end_reason == "protocol_error"


def test_peer_lost() -> None:
    a, _c, _ = active()
    step = a.peer_lost()
    assert step.events == [SessionEnded("peer_gone", "The connection to the other side was lost.",
                                        True)]


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    a, c, _ = active()
    for side in (a, c):
        step = side.receive(data)
        assert isinstance(step, Step)
        assert side.ended


def test_consent_timeout_ends_with_timeout_reason() -> None:
    a, c, _, _ = connected()
    step = a.decide(False, frozenset(), reason="timeout")
    _, c_ev = pump(a, c, step.outgoing, [])
    assert c.end_reason == "timeout" and a.end_reason == "timeout"
    assert SessionEnded("timeout", "Nobody answered in time.", True) in c_ev


def test_silent_peer_is_timed_out_while_only_it_can_move_on() -> None:
    """Pairing then silence (or keys, then no Hello / consent request): the agent may end the
    session as ``peer_timeout``; once the customer is asked, only the dialog's timeout counts."""
    a = AgentSession(CODE)
    a.start()
    assert a.waiting_for_peer
    step = a.peer_silent()
    [ended] = step.events
    assert isinstance(ended, SessionEnded)
    assert ended.reason == "peer_timeout" and a.ended
    assert step.outgoing == []  # no keys yet: nothing can be said to the peer
    # Keys agreed, but the console never asks: still the peer's turn; the console hears why.
    a = AgentSession(CODE)
    c = ConsoleSession(CODE, name="Eva")
    a_out = [a.start()]
    c_out = [c.start()]
    while a_out or c_out:  # handshake only: drop the console's Hello and consent request
        to_c, a_out = a_out, []
        to_a, c_out = c_out, []
        for data in to_c:
            c_out += [d for d in c.receive(data).outgoing]
        for data in to_a:
            if a.phase is Phase.HANDSHAKE:
                a_out += a.receive(data).outgoing
    assert a.phase is Phase.INTRODUCING and a.waiting_for_peer
    step = a.peer_silent()
    ended = step.events[-1]
    assert isinstance(ended, SessionEnded) and ended.reason == "peer_timeout"
    c_events = [e for d in step.outgoing for e in c.receive(d).events]
    assert any(isinstance(e, SessionEnded) and e.reason == "peer_timeout" for e in c_events)
    # In the consent phase the customer decides; the peer's silence is not a reason to end.
    a, c = AgentSession(CODE), ConsoleSession(CODE, name="Eva")
    pump(a, c, [a.start()], [c.start()])
    assert a.phase is Phase.CONSENT and not a.waiting_for_peer
