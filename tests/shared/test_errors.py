""""Our bug" and "the peer's fault" are different errors with opposite handling (h11's split).

A RemoteProtocolError ends a session cleanly: the peer is told a stable reason and the person
reads a plain message, never a trace. A LocalProtocolError is a bug in this program and must
surface loudly instead of being dressed up as the peer's fault.
"""

from __future__ import annotations

import pytest

from shared import messages as m
from shared import rendezvous as rv
from shared.codec import ResourceLimit
from shared.errors import (
    ChannelExhausted,
    FernhilfeError,
    HandshakeError,
    IntegrityError,
    LocalProtocolError,
    MessageTooLarge,
    ProtocolError,
    RemoteProtocolError,
    UnsupportedHandshakeVersion,
    UnsupportedVersion,
)
from shared.handshake import AgentHandshake
from shared.session import NotPermitted, SessionEnded
from tests.shared.test_session import CODE, active
from tests.shared.test_session_edges import forge


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ProtocolError, "protocol_error"),
        (MessageTooLarge, "protocol_error"),
        (HandshakeError, "protocol_error"),
        (rv.RendezvousError, "protocol_error"),
        (ResourceLimit, "protocol_error"),  # the session names it resource_limit itself
        (UnsupportedVersion, "unsupported_version"),
        (UnsupportedHandshakeVersion, "unsupported_version"),
        (IntegrityError, "integrity_error"),
    ],
)
def test_the_peers_faults_are_remote_errors_with_a_stable_reason(
    error: type[RemoteProtocolError], reason: str
) -> None:
    assert issubclass(error, RemoteProtocolError) and issubclass(error, FernhilfeError)
    assert not issubclass(error, LocalProtocolError)
    assert error.reason == reason
    assert m.Error(error.reason, "text").code == reason  # a valid stable id on the wire


def test_our_bugs_are_local_errors() -> None:
    assert issubclass(NotPermitted, LocalProtocolError)
    assert not issubclass(LocalProtocolError, RemoteProtocolError)
    assert not issubclass(ChannelExhausted, LocalProtocolError | RemoteProtocolError)


def test_misusing_the_handshake_or_the_rendezvous_codec_is_a_local_error() -> None:
    handshake = AgentHandshake(CODE)
    with pytest.raises(LocalProtocolError, match="Call start"):
        handshake.receive(b"anything")
    handshake.start()
    with pytest.raises(LocalProtocolError, match="already started"):
        handshake.start()
    with pytest.raises(LocalProtocolError, match="not a rendezvous message"):
        rv.encode(object())  # type: ignore[arg-type]


def test_a_remote_error_ends_the_session_with_its_reason_and_tells_the_peer() -> None:
    a, c, _ = active()
    step = a.receive(forge(c, m.ConsentRequest(frozenset({"view"}))))  # not in the table now
    end = step.events[-1]
    assert isinstance(end, SessionEnded) and end.reason == "protocol_error"
    assert not end.by_peer and a.ended
    told = [e for data in step.outgoing for e in c.receive(data).events]
    assert told == [SessionEnded("protocol_error", end.message, True)]


def test_a_local_error_inside_receive_is_not_turned_into_a_polite_close(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug of ours while handling a message must surface as a trace, not blame the peer."""
    a, c, _ = active()

    def buggy(msg: m.Message, step: object) -> None:
        raise LocalProtocolError("a bug in the handler")

    monkeypatch.setitem(a._handlers, m.FrameAck, buggy)
    with pytest.raises(LocalProtocolError, match="a bug in the handler"):
        a.receive(forge(c, m.FrameAck(1)))
    assert not a.ended
