"""The session machines' less travelled paths: a hostile or confused peer, and calls that come
too early or too late, must each end (or do nothing) with the documented outcome, never a trace.

Kept apart from test_session.py (the main story) so both stay readable; the helpers are reused.
"""

from __future__ import annotations

import pytest

from shared import messages as m
from shared.channel import MAX_MESSAGES, SecureChannel
from shared.codes import SessionCode
from shared.session import (
    APP_VERSION,
    CONSENT_TIMEOUT,
    PEER_SILENCE_TIMEOUT,
    AgentSession,
    ConsentAnswered,
    ConsoleSession,
    CursorReceived,
    NotPermitted,
    PeerIntroduced,
    PermissionsChanged,
    Phase,
    SessionEnded,
    silence_limit,
)
from tests.shared.test_session import CODE, active, connected, pump


def forge(sender: AgentSession | ConsoleSession, msg: m.Message) -> bytes:
    """Seal ``msg`` with ``sender``'s keys, as a peer that ignores the rules would."""
    channel = sender._channel
    assert isinstance(channel, SecureChannel)
    return channel.seal(m.encode(msg))


def introduced() -> tuple[AgentSession, ConsoleSession, SecureChannel]:
    """Keys agreed; the agent waits for the console's Hello. The console's own Hello and
    ConsentRequest are dropped: the returned channel (the console's keys, counter 0) seals what a
    hostile console sends in their place."""
    a, c = AgentSession(CODE), ConsoleSession(CODE, name="Eva")
    a_out, c_out = [a.start()], [c.start()]
    while a_out or c_out:
        to_c, a_out = a_out, []
        to_a, c_out = c_out, []
        for data in to_c:
            c_out += c.receive(data).outgoing
        for data in to_a:
            if a.phase is Phase.HANDSHAKE:
                a_out += a.receive(data).outgoing
    assert a.phase is Phase.INTRODUCING and c.phase is Phase.CONSENT  # the agent's Hello arrived
    channel = c._channel
    assert isinstance(channel, SecureChannel)
    return a, c, SecureChannel(channel._send_key, channel._recv_key)


def seal(channel: SecureChannel, msg: m.Message) -> bytes:
    return channel.seal(m.encode(msg))


def last_end(events: list) -> SessionEnded:
    end = events[-1]
    assert isinstance(end, SessionEnded)
    return end


# ------------------------------------------------------------------ timeouts by phase


def test_silence_limit_by_phase() -> None:
    """The console waits for the peer's moves, longer for the customer's answer, never when
    the session runs or is over."""
    assert silence_limit(Phase.HANDSHAKE) == PEER_SILENCE_TIMEOUT
    assert silence_limit(Phase.INTRODUCING) == PEER_SILENCE_TIMEOUT
    assert silence_limit(Phase.CONSENT) == CONSENT_TIMEOUT + PEER_SILENCE_TIMEOUT
    assert silence_limit(Phase.ACTIVE) is None
    assert silence_limit(Phase.ENDED) is None


# ------------------------------------------------------------------ errors a peer can cause


def test_newer_protocol_in_hello_ends_with_unsupported_version_and_tells_the_peer() -> None:
    a, c, hostile = introduced()
    step = a.receive(seal(hostile, m.Hello(m.PROTOCOL_VERSION + 1, "9.0", "console", "Eva")))
    end = last_end(step.events)
    assert a.ended and end.reason == "unsupported_version" and not end.by_peer
    assert "update Fernhilfe on both computers" in end.message
    # The console learns why (an Error message, sealed while the channel still works).
    c_end = last_end([e for d in step.outgoing for e in c.receive(d).events])
    assert c_end.reason == "unsupported_version" and c_end.by_peer


def test_hello_from_the_wrong_role_is_a_protocol_error() -> None:
    a, _c, hostile = introduced()
    step = a.receive(seal(hostile, m.Hello(m.PROTOCOL_VERSION, "0.1.0", "agent", "Mallory")))
    end = last_end(step.events)
    assert end.reason == "protocol_error" and "claims to be a agent" in end.message
    assert a.peer is None


def test_exhausted_receive_counter_ends_cleanly_with_a_generic_error() -> None:
    """ChannelExhausted is neither a protocol nor an integrity error: still a clean end (2**64
    messages cannot be sent in a test, so the counter is set as if they had been)."""
    a, c, _ = active()
    channel = a._channel
    assert isinstance(channel, SecureChannel)
    channel._recv_counter = MAX_MESSAGES
    step = a.receive(forge(c, m.Ping(1)))
    end = last_end(step.events)
    assert a.ended and end.reason == "error" and "new session" in end.message


def test_consent_request_before_hello_is_unexpected() -> None:
    a, _c, hostile = introduced()
    step = a.receive(seal(hostile, m.ConsentRequest(frozenset({"view"}))))
    end = last_end(step.events)
    assert end.reason == "protocol_error"
    assert "Unexpected ConsentRequest while the session is introducing" in end.message


@pytest.mark.parametrize(
    ("permissions", "text"),
    [
        (frozenset({"control"}), "at least ask to see the screen"),
        (frozenset({"view", "chat"}), "can only grant 'clipboard', 'control'"),
    ],
)
def test_consent_request_the_customer_cannot_be_asked_ends(permissions: frozenset[str],
                                                           text: str) -> None:
    a, _c, hostile = introduced()
    assert a.receive(seal(hostile, m.Hello(m.PROTOCOL_VERSION, "0.1.0", "console", "Eva"))
                     ).events == [PeerIntroduced(m.PROTOCOL_VERSION, APP_VERSION, "0.1.0")]
    step = a.receive(seal(hostile, m.ConsentRequest(permissions)))
    end = last_end(step.events)
    assert a.ended and end.reason == "protocol_error" and text in end.message
    assert a.requested == frozenset()


def test_console_ends_when_allowed_without_the_screen() -> None:
    a, c, _, _ = connected(frozenset({"view", "control"}))
    step = c.receive(forge(a, m.ConsentDecision(True, frozenset({"control"}))))
    assert ConsentAnswered(True, frozenset({"control"})) in step.events
    end = last_end(step.events)
    assert end.reason == "protocol_error" and "without the screen" in end.message
    assert c.permissions == frozenset()


def test_console_shows_cursor_updates_while_active() -> None:
    a, c, _ = active()
    shape = m.CursorShape(2, 2, 0, 1, bytes(range(16)))
    update = m.CursorUpdate(10, 20, True, shape)
    assert c.receive(a.seal_cursor(update)).events == [CursorReceived(update)]
    assert not c.ended


def test_agent_ignores_a_pong_while_active() -> None:
    a, c, _ = active()
    step = a.receive(forge(c, m.Pong(123)))
    assert step.events == [] and step.outgoing == [] and not a.ended


def test_error_from_the_peer_ends_with_its_code_and_text() -> None:
    a, c, _ = active()
    step = c.receive(forge(a, m.Error("resource_limit", "Too much.")))
    assert step.events == [SessionEnded("resource_limit", "Too much.", True)]
    assert c.end_reason == "resource_limit"


def test_unknown_end_reason_ends_with_empty_text() -> None:
    a, c, _ = active()
    step = a.receive(forge(c, m.End("some_future_reason")))
    assert step.events == [SessionEnded("some_future_reason", "", True)]


# ------------------------------------------------------------------ calls at the wrong time


def test_end_before_keys_sends_nothing_and_ends_once() -> None:
    a = AgentSession(CODE)
    a.start()
    step = a.end("customer_ended")
    assert step.outgoing == [] and step.events == [SessionEnded("customer_ended", "", False)]
    assert a.end("customer_ended").events == []  # already over: nothing more


def test_nothing_happens_after_the_end() -> None:
    a, c, _ = active()
    a.end("customer_ended")
    for step in (a.peer_lost(), a.abort("protocol_error", "late"), a.peer_silent(),
                 a.receive(forge(c, m.Ping(1))), a.set_control(False),
                 a.decide(True, frozenset({"view"}))):
        assert step.outgoing == [] and step.events == []
    assert a.end_reason == "customer_ended"
    with pytest.raises(NotPermitted):
        a.seal_cursor(m.CursorUpdate(0, 0, True))
    c.end("technician_ended")
    for step in (c.ack(1), c.ping(), c.set_stream_settings(50, 0),
                 c.send_input(m.PointerMove(1, 1))):
        assert step.outgoing == []


def test_console_ack_and_ping_before_consent_send_nothing() -> None:
    _a, c, _, _ = connected()
    assert c.phase is Phase.CONSENT
    assert c.ack(0).outgoing == [] and c.ping().outgoing == []


def test_decide_outside_the_consent_phase_does_nothing() -> None:
    a, _c, _ = active()
    assert a.decide(False, frozenset()).outgoing == []
    assert a.phase is Phase.ACTIVE


def test_allow_without_view_counts_as_deny() -> None:
    """Granting only control (or nothing that was asked for) cannot start a session."""
    a, c, _, _ = connected()
    step = a.decide(True, frozenset({"control"}))
    assert last_end(step.events).reason == "denied" and a.permissions == frozenset()
    _, c_ev = pump(a, c, step.outgoing, [])
    assert ConsentAnswered(False, frozenset()) in c_ev and c.end_reason == "denied"


def test_set_control_changes_only_what_was_asked_and_differs() -> None:
    a, _c, _ = active(frozenset({"view"}))
    # control was requested but not granted: re-granting is the customer's right
    step = a.set_control(True)
    assert step.events == [PermissionsChanged(frozenset({"view", "control"}))]
    assert a.set_control(True).outgoing == []  # no change: nothing sent
    # a console that never asked for control cannot be given it from the overlay
    a2, c2, _, _ = connected(frozenset({"view"}))
    pump(a2, c2, a2.decide(True, frozenset({"view"})).outgoing, [])
    assert a2.set_control(True).outgoing == [] and a2.permissions == frozenset({"view"})


def test_set_control_before_consent_does_nothing() -> None:
    a, _c, _, _ = connected()
    assert a.set_control(True).outgoing == [] and a.phase is Phase.CONSENT


def test_wrong_code_ends_once_even_when_the_relay_drops_next() -> None:
    a = AgentSession(CODE)
    c = ConsoleSession(SessionCode("123", "000000"), name="Eva")
    pump(a, c, [a.start()], [c.start()])
    assert a.end_reason == "wrong_code"
    assert a.peer_lost().events == []  # the relay then drops: no second end


def test_agent_ends_when_the_console_sends_it_a_screen_update() -> None:
    """Frames flow one way only: a console that sends one is broken or hostile."""
    a, c, _ = active()
    step = a.receive(forge(c, m.FrameUpdate(4, 4, (), 0)))
    end = last_end(step.events)
    assert end.reason == "protocol_error" and "Unexpected FrameUpdate" in end.message
