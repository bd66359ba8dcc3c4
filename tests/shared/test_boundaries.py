"""The core's entry points given the wrong kind of value: each refuses with the project's own
error type (or ValueError/TypeError for a caller bug), so a shell that catches FernhilfeError
turns a peer's nonsense into a clean end and a programming mistake still shows as a trace.
"""

from __future__ import annotations

from typing import Any

import pytest

from shared import messages as m
from shared import rendezvous as rv
from shared.codes import SessionCode, parse_code
from shared.errors import CodeCharacterError, HandshakeError, LocalProtocolError, ProtocolError
from shared.flow import FlowControl, TokenBucket
from shared.guess_budget import GuessBudget
from shared.handshake import AgentHandshake, ConsoleHandshake, parse_frame


class Clock:
    def __init__(self) -> None:
        self.t = 50.0

    def __call__(self) -> float:
        return self.t


# ------------------------------------------------------------------ messages


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda: m.Error("protocol_error", 5), "message must be text"),  # type: ignore[arg-type]
        (lambda: m.Key("KeyA", b"a", True), "key text must be text"),  # type: ignore[arg-type]
        (lambda: m.FrameUpdate(8, 8, ((0, 0, 1, 1, 0, b"\0" * 4),), 1),  # type: ignore[arg-type]
         "must contain Rect"),
        (lambda: m.CursorShape(2, 2, 0, 0, b"\0" * 15), "does not match its width and height"),
    ],
)
def test_message_fields_of_the_wrong_kind_are_protocol_errors(make: Any, why: str) -> None:
    with pytest.raises(ProtocolError, match=why):
        make()


def test_error_text_may_span_lines_but_holds_no_other_control_character() -> None:
    assert m.Error("protocol_error", "line one\n\tline two").message.count("\n") == 1
    for bad in ("bell\x07", "esc\x1b[31m", "c1\x85", "cr\r"):
        with pytest.raises(ProtocolError, match="control character"):
            m.Error("protocol_error", bad)


def test_key_body_shorter_than_its_header_is_refused() -> None:
    with pytest.raises(ProtocolError, match="Key is too short"):
        m.decode(bytes((m.Key.TYPE, 1, 4)))


def test_decode_copies_other_bytes_like_input_first() -> None:
    """Typed ``bytes``, but a bytearray or memoryview (a shell reusing a buffer) is copied once
    and decodes the same, rather than failing deep inside a decoder."""
    data = m.encode(m.PointerMove(3, 4))
    assert m.decode(bytearray(data)) == m.PointerMove(3, 4)  # type: ignore[arg-type]
    assert m.decode(memoryview(data)) == m.PointerMove(3, 4)  # type: ignore[arg-type]


# ------------------------------------------------------------------ codes, handshake, rendezvous


def test_codes_must_be_text() -> None:
    with pytest.raises(CodeCharacterError, match="as text"):
        SessionCode(123, "456789")  # type: ignore[arg-type]
    with pytest.raises(CodeCharacterError, match="as text"):
        parse_code(123456789)  # type: ignore[arg-type]


def test_handshake_frames_must_be_bytes_and_codes_session_codes() -> None:
    with pytest.raises(HandshakeError, match="must be bytes"):
        parse_frame("F\x01\x01")  # type: ignore[arg-type]
    for side in (AgentHandshake, ConsoleHandshake):
        with pytest.raises(TypeError, match="SessionCode"):
            side("123-456789")  # type: ignore[arg-type]


def test_rendezvous_error_needs_a_known_code_and_only_messages_encode() -> None:
    with pytest.raises(rv.RendezvousError, match="ErrorCode"):
        rv.Error("rate_limited", "slow down")  # type: ignore[arg-type]
    with pytest.raises(LocalProtocolError, match="not a rendezvous message: dict"):
        rv.encode({"op": "host"})  # type: ignore[arg-type]
    assert rv.parse_server(rv.encode(rv.Error.of(rv.ErrorCode.RATE_LIMITED))) == rv.Error.of(
        rv.ErrorCode.RATE_LIMITED)


# ------------------------------------------------------------------ flow control, guess budget


def test_flow_control_refuses_impossible_settings() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        FlowControl(window=0)
    bucket = TokenBucket(1000.0, clock=Clock())
    assert bucket.rate == 1000.0
    with pytest.raises(ValueError, match="positive or None"):
        bucket.set_rate(0)
    assert bucket.rate == 1000.0  # unchanged after the refusal
    bucket.set_rate(None)
    assert bucket.rate is None and bucket.delay() == 0.0


def test_reset_forgets_frames_in_flight_and_frees_the_window() -> None:
    fc = FlowControl(window=2, clock=Clock())
    fc.on_sent(1)
    fc.on_sent(2)
    assert not fc.can_send()
    fc.reset()
    assert fc.in_flight == 0 and fc.can_send()
    fc.on_sent(3)  # sequence numbers keep increasing after a reset
    assert fc.on_ack(3) == 1


@pytest.mark.parametrize(("automatic", "warn_after"), [(-1, 3), (1, 0)])
def test_guess_budget_refuses_impossible_limits(automatic: int, warn_after: int) -> None:
    with pytest.raises(ValueError, match="automatic must be >= 0"):
        GuessBudget(automatic, warn_after)
