"""The relay's pre-pairing messages: round trips, strictness, and fuzzing (only RendezvousError)."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.codes import MAX_NAMEPLATE_DIGITS, MIN_NAMEPLATE_DIGITS, SessionCode
from shared.errors import ProtocolError
from shared.rendezvous import (
    ERROR_MESSAGES,
    MAX_RENDEZVOUS_MESSAGE,
    Error,
    ErrorCode,
    Host,
    Join,
    Nameplate,
    Paired,
    PeerGone,
    RendezvousError,
    encode,
    parse_client,
    parse_server,
)


def test_exact_wire_format() -> None:
    assert encode(Host()) == '{"op":"host"}'
    assert encode(Join("123")) == '{"op":"join","nameplate":"123"}'
    assert encode(Nameplate("123", 600)) == '{"op":"nameplate","nameplate":"123","expires_in":600}'
    assert encode(Paired()) == '{"op":"paired"}'
    assert encode(PeerGone()) == '{"op":"peer_gone"}'
    assert json.loads(encode(Error.of(ErrorCode.RATE_LIMITED))) == {
        "op": "error",
        "code": "rate_limited",
        "message": ERROR_MESSAGES[ErrorCode.RATE_LIMITED],
    }


def test_stable_codes_all_have_messages() -> None:
    assert {c.value for c in ErrorCode} == {
        "unknown_nameplate", "nameplate_expired", "nameplate_spent", "already_joined",
        "too_many_connections", "rate_limited", "message_too_large", "bad_request",
        "idle_timeout", "handshake_timeout", "shutting_down", "peer_gone", "session_limit",
        "resume_refused", "resume_expired",
    }  # fmt: skip
    assert set(ERROR_MESSAGES) == set(ErrorCode)


@pytest.mark.parametrize("msg", [Host(), Join("123"), Join("1234567")])
def test_client_round_trip(msg: Host | Join) -> None:
    assert parse_client(encode(msg)) == msg


@pytest.mark.parametrize(
    "msg",
    [Nameplate("999", 1), Paired(), PeerGone(), *(Error.of(c) for c in ErrorCode)],
)
def test_server_round_trip(msg: object) -> None:
    assert parse_server(encode(msg)) == msg  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "null",
        "[]",
        '"host"',
        "{}",
        '{"op":1}',
        '{"op":"host","extra":true}',
        '{"op":"host","op":"host"}',
        '{"op":"join"}',
        '{"op":"join","nameplate":123}',
        '{"op":"join","nameplate":"12"}',
        '{"op":"join","nameplate":"0123"}',
        '{"op":"join","nameplate":"12345678"}',
        '{"op":"join","nameplate":"123456789"}',
        '{"op":"join","nameplate":"١٢٣"}',
        '{"op":"join","nameplate":" 123"}',
        '{"op":"paired"}',
        '{"op":"host","x":NaN}',
        "[" * 1000,
    ],
)
def test_client_rejects(text: str) -> None:
    with pytest.raises(RendezvousError) as info:
        parse_client(text)
    assert info.value.code is ErrorCode.BAD_REQUEST


def test_bytes_and_oversize_rejected() -> None:
    with pytest.raises(RendezvousError):
        parse_client(b'{"op":"host"}')
    with pytest.raises(RendezvousError) as info:
        parse_client('{"op":"host","pad":"' + "x" * MAX_RENDEZVOUS_MESSAGE + '"}')
    assert info.value.code is ErrorCode.MESSAGE_TOO_LARGE
    assert issubclass(RendezvousError, ProtocolError)


@pytest.mark.parametrize(
    "text",
    [
        '{"op":"nameplate","nameplate":"123","expires_in":"600"}',
        '{"op":"nameplate","nameplate":"123","expires_in":true}',
        '{"op":"nameplate","nameplate":"123","expires_in":0}',
        '{"op":"nameplate","nameplate":"123","expires_in":6.5}',
        '{"op":"error","code":"nope","message":"x"}',
        '{"op":"error","code":1,"message":"x"}',
        '{"op":"error","code":"bad_request","message":null}',
        '{"op":"host"}',
    ],
)
def test_server_rejects(text: str) -> None:
    with pytest.raises(RendezvousError):
        parse_server(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@given(st.one_of(st.text(max_size=2000), st.binary(max_size=2000), st.integers(), st.none()))
def test_fuzz_arbitrary_input_only_rendezvous_error(data: object) -> None:
    for parse in (parse_client, parse_server):
        with contextlib.suppress(RendezvousError):
            parse(data)


@given(
    st.dictionaries(
        st.sampled_from(["op", "nameplate", "expires_in", "code", "message", "x"]),
        json_values | st.sampled_from(["host", "join", "nameplate", "error", "paired", "123"]),
        max_size=5,
    )
)
def test_fuzz_json_objects_parse_or_reject(body: dict[str, object]) -> None:
    text = json.dumps(body)
    for parse in (parse_client, parse_server):
        try:
            message = parse(text)
        except RendezvousError:
            continue
        assert parse(encode(message)) == message  # anything accepted round-trips


@given(st.integers(min_value=0, max_value=10**12))
def test_nameplate_digits_are_the_codes_digits(number: int) -> None:
    """One constant for the relay's parser and the code parser: a nameplate the rendezvous
    accepts is always one a session code can carry, and 8 digits are refused (issue 9: an
    8-digit nameplate used to kill the agent's main task)."""
    nameplate = str(number)
    fits = MIN_NAMEPLATE_DIGITS <= len(nameplate) <= MAX_NAMEPLATE_DIGITS and number > 0
    for wire in (
        f'{{"op":"join","nameplate":"{nameplate}"}}',
        f'{{"op":"nameplate","nameplate":"{nameplate}","expires_in":600}}',
    ):
        parse = parse_client if "join" in wire else parse_server
        if fits and not nameplate.startswith("0"):
            message = parse(wire)
            assert SessionCode(message.nameplate, "123456").nameplate == nameplate  # type: ignore[union-attr]
        else:
            with pytest.raises(RendezvousError) as info:
                parse(wire)
            assert info.value.code is ErrorCode.BAD_REQUEST


def test_eight_digit_nameplate_from_a_relay_is_refused() -> None:
    assert MAX_NAMEPLATE_DIGITS == 7
    with pytest.raises(RendezvousError):
        parse_server('{"op":"nameplate","nameplate":"12345678","expires_in":600}')
    with pytest.raises(RendezvousError):
        Join("1" * (MAX_NAMEPLATE_DIGITS + 1))
