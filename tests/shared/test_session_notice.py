"""SystemNotice (issue 18): the agent tells the technician what the customer's OS blocks.

Both machines are real (``AgentSession``/``ConsoleSession``, real handshake and channel); a
hostile peer is the other machine's channel sealing what it likes (``forge``). The decoder is
driven by hypothesis with random and mutated bodies: only ProtocolError ever comes out.
"""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import messages as m
from shared.errors import ProtocolError
from shared.session import (
    NOTICE_BURST,
    NOTICE_PER_SECOND,
    NoticeReceived,
    Phase,
    SessionEnded,
)
from tests.shared.test_session_talk import Clock, deliver, forge, pair, resume

CODES = sorted(m.NOTICE_CODES)


# ------------------------------------------------------------------ the message


@pytest.mark.parametrize("code", CODES)
def test_every_code_round_trips_as_json(code: str) -> None:
    data = m.encode(m.SystemNotice(code))
    assert data == bytes([0x0C]) + json.dumps({"code": code}, separators=(",", ":")).encode()
    assert m.decode(data) == m.SystemNotice(code)


def test_a_newer_agents_code_decodes() -> None:
    """Agents may add codes: a well-formed unknown code is not a protocol error here."""
    assert m.decode(b'\x0c{"code":"firewall_blocks"}') == m.SystemNotice("firewall_blocks")


@pytest.mark.parametrize("body", [
    b"", b"{}", b'{"code":""}', b'{"code":"Foreground"}', b'{"code":"a b"}', b'{"code":1}',
    b'{"code":"foreground_ok","text":"hi"}', b'{"code":"x","code":"y"}', b"[]", b"\xff",
    b'{"code":"' + b"a" * 200 + b'"}', b'{"code":null}',
], ids=repr)
def test_malformed_notices_are_protocol_errors(body: bytes) -> None:
    with pytest.raises(ProtocolError):
        m.decode(b"\x0c" + body)


@settings(max_examples=300)
@given(st.binary(max_size=200))
def test_random_bodies_raise_only_protocol_errors(body: bytes) -> None:
    try:
        msg = m.decode(b"\x0c" + body)
    except ProtocolError:
        return
    assert isinstance(msg, m.SystemNotice)
    assert m.decode(m.encode(msg)) == msg


@settings(max_examples=300)
@given(st.sampled_from(CODES), st.data())
def test_mutated_notices_raise_only_protocol_errors(code: str, data: st.DataObject) -> None:
    raw = bytearray(m.encode(m.SystemNotice(code)))
    at = data.draw(st.integers(1, len(raw) - 1))
    raw[at] = data.draw(st.integers(0, 255))
    with contextlib.suppress(ProtocolError):
        m.decode(bytes(raw))


@settings(max_examples=200)
@given(st.text(max_size=80))
def test_any_json_string_code_is_a_notice_or_a_protocol_error(code: str) -> None:
    body = json.dumps({"code": code}).encode("utf-8", "surrogatepass")
    try:
        msg = m.decode(b"\x0c" + body)
    except ProtocolError:
        return
    assert msg == m.SystemNotice(code)


# ------------------------------------------------------------------ the session rules


@pytest.mark.parametrize("code", CODES)
def test_the_agent_sends_and_the_console_hears_each_code(code: str) -> None:
    a, c = pair()
    assert deliver(c, a.send_notice(code)) == [NoticeReceived(code)]
    assert c.phase is Phase.ACTIVE


def test_the_agent_refuses_an_unknown_code_of_its_own() -> None:
    a, _ = pair()
    with pytest.raises(ValueError, match="unknown notice code"):
        a.send_notice("firewall_blocks")


def test_nothing_is_sent_before_consent() -> None:
    a, _ = pair(grant=None)
    assert a.send_notice("foreground_elevated").outgoing == []


def test_an_unknown_code_from_a_newer_agent_is_ignored_and_counted() -> None:
    a, c = pair()
    assert c.receive(forge(a, m.SystemNotice("firewall_blocks"))).events == []
    assert c.dropped["SystemNotice:unknown"] == 1
    assert c.phase is Phase.ACTIVE


def test_a_console_may_not_send_a_notice() -> None:
    """Only the agent knows the customer's OS: from a console it ends the session."""
    a, c = pair()
    events = a.receive(forge(c, m.SystemNotice("foreground_ok"))).events
    end = events[-1]
    assert isinstance(end, SessionEnded) and end.reason == "protocol_error"
    assert a.phase is Phase.ENDED


def test_a_notice_before_consent_is_refused_by_the_console() -> None:
    a, c = pair(grant=None)
    end = c.receive(forge(a, m.SystemNotice("foreground_elevated"))).events[-1]
    assert isinstance(end, SessionEnded) and end.reason == "protocol_error"


def test_a_flood_is_dropped_and_counted_then_the_budget_refills() -> None:
    clock = Clock()
    a, c = pair(clock=clock)
    heard = [ev for _ in range(50) for ev in deliver(c, a.send_notice("ctrl_alt_del_refused"))]
    assert len(heard) == NOTICE_BURST
    assert c.dropped["SystemNotice"] == 50 - NOTICE_BURST
    assert c.phase is Phase.ACTIVE
    clock.t += 1.0
    heard = [ev for _ in range(10) for ev in deliver(c, a.send_notice("foreground_ok"))]
    assert len(heard) == int(NOTICE_PER_SECOND)


def test_what_still_holds_is_said_again_after_a_resume() -> None:
    clock = Clock()
    a, c = pair(clock=clock)
    for code in ("foreground_elevated", "screen_recording_missing", "accessibility_missing",
                 "ctrl_alt_del_refused", "accessibility_ok"):
        deliver(c, a.send_notice(code))
    assert a.notices == {"foreground_elevated", "screen_recording_missing"}
    resume(a, c)
    clock.t += 5.0  # the five above used the console's burst
    heard = [ev for ev in deliver(c, a.restate()) if isinstance(ev, NoticeReceived)]
    assert heard == [NoticeReceived("foreground_elevated"),
                     NoticeReceived("screen_recording_missing")]


def test_every_ok_code_clears_a_known_notice() -> None:
    assert set(m.NOTICE_CLEARS) | set(m.NOTICE_CLEARS.values()) <= m.NOTICE_CODES
    assert all(code.endswith("_ok") for code in m.NOTICE_CLEARS)
