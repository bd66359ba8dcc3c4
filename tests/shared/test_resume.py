"""The resume key schedule and exchange (shared/resume.py): both ends agree, nobody else can."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import resume as r
from shared.errors import IntegrityError, LocalProtocolError

A2C, C2A = bytes(range(32)), bytes(range(32, 64))
SECRET = r.resume_secret(A2C, C2A)


def _pair(n: int = 1, secret_c: bytes = SECRET, n_c: int | None = None
          ) -> tuple[r.ResumeHandshake, r.ResumeHandshake]:
    counter = itertools.count()
    agent = r.ResumeHandshake(SECRET, "agent", n,
                              entropy=lambda k: bytes([next(counter)]) * k)
    console = r.ResumeHandshake(secret_c, "console", n if n_c is None else n_c,
                                entropy=lambda k: bytes([100 + next(counter)]) * k)
    return agent, console


def _run(agent: r.ResumeHandshake, console: r.ResumeHandshake) -> tuple[r.Resumed, r.Resumed]:
    hello_a, hello_c = agent.start(), console.start()
    conf_a = agent.receive(hello_c).outgoing
    conf_c = console.receive(hello_a).outgoing
    done_a = agent.receive(conf_c[0]).outcome
    done_c = console.receive(conf_a[0]).outcome
    assert done_a is not None and done_c is not None
    return done_a, done_c


def test_secret_and_token_known_answer() -> None:
    """Pins the wire contract (docs/PROTOCOL.md "Resume")."""
    expected = hashlib.blake2b(C2A, key=A2C, person=b"fh1 resume key", digest_size=32).digest()
    assert expected == SECRET
    tok = hashlib.blake2b((1).to_bytes(8, "big"), key=SECRET, person=b"fh1 resume tok",
                          digest_size=32).digest()
    assert r.token(SECRET, 1) == tok


def test_tokens_are_unlinkable_per_reconnect_and_session() -> None:
    assert len({r.token(SECRET, n) for n in range(1, 50)}) == 49
    other = r.resume_secret(C2A, A2C)
    assert r.token(other, 1) != r.token(SECRET, 1)
    assert A2C not in r.token(SECRET, 1) and r.token(SECRET, 1) != SECRET


def test_both_ends_get_new_matching_keys() -> None:
    done_a, done_c = _run(*_pair(3))
    assert done_a.n == done_c.n == 3
    sealed = done_a.channel.seal(b"frame")
    assert done_c.channel.open(sealed) == b"frame"
    assert done_a.channel.open(done_c.channel.seal(b"ack")) == b"ack"
    # New keys, not the session's: a message sealed with the old key does not open.
    from shared.channel import SecureChannel
    old = SecureChannel(A2C, C2A)
    with pytest.raises(IntegrityError):
        done_c.channel.open(old.seal(b"frame"))


def test_fresh_nonces_give_fresh_keys_for_the_same_n() -> None:
    first, _ = _run(*_pair(1))
    again = r.ResumeHandshake(SECRET, "agent", 1)
    peer = r.ResumeHandshake(SECRET, "console", 1)
    second, _ = _run(again, peer)
    assert first.channel.seal(b"x") != second.channel.seal(b"x")


def test_third_party_without_the_secret_is_refused() -> None:
    agent, stranger = _pair(1, secret_c=bytes(32))
    hello_a, hello_s = agent.start(), stranger.start()
    agent.receive(hello_s)
    forged = stranger.receive(hello_a).outgoing[0]
    with pytest.raises(r.ResumeRefused):
        agent.receive(forged)


def test_replayed_confirmation_is_refused() -> None:
    """A recorded CONFIRM of an earlier resume does not fit new nonces."""
    agent, console = _pair(1)
    hello_a, hello_c = agent.start(), console.start()
    agent.receive(hello_c)
    old_confirm = console.receive(hello_a).outgoing[0]
    agent2 = r.ResumeHandshake(SECRET, "agent", 1)
    agent2.start()
    agent2.receive(hello_c)  # the attacker replays the console's old hello ...
    with pytest.raises(r.ResumeRefused):
        agent2.receive(old_confirm)  # ... and its old confirmation: the agent's nonce is new


def test_wrong_reconnect_number_is_refused() -> None:
    agent, console = _pair(1, n_c=2)
    console_hello = console.start()
    agent.start()
    with pytest.raises(r.ResumeRefused):
        agent.receive(console_hello)
    with pytest.raises(LocalProtocolError):
        agent.receive(console_hello)  # done: no second try on this attempt


def test_order_and_use_errors() -> None:
    agent, _ = _pair()
    with pytest.raises(LocalProtocolError):
        agent.receive(b"")
    agent.start()
    with pytest.raises(LocalProtocolError):
        agent.start()
    with pytest.raises(r.ResumeRefused):
        agent.receive(r.frame(r.KIND_CONFIRM, bytes(32)))
    with pytest.raises(LocalProtocolError):
        r.ResumeHandshake(SECRET, "relay", 1)
    with pytest.raises(LocalProtocolError):
        r.ResumeHandshake(b"short", "agent", 1)
    with pytest.raises(LocalProtocolError):
        r.ResumeHandshake(SECRET, "agent", 0)
    with pytest.raises(LocalProtocolError):
        r.ResumeHandshake(SECRET, "agent", 1, entropy=lambda k: b"x")
    with pytest.raises(LocalProtocolError):
        r.resume_secret(b"x", C2A)
    with pytest.raises(LocalProtocolError):
        r.token(SECRET, True)


def test_hello_twice_is_refused() -> None:
    agent, console = _pair()
    hello_c = console.start()
    agent.start()
    agent.receive(hello_c)
    with pytest.raises(r.ResumeRefused):
        agent.receive(hello_c)


@pytest.mark.parametrize("data", [
    "text", b"", b"R", b"F\x01\x01" + bytes(40), b"R\x02\x01" + bytes(40),
    b"R\x01\x07" + bytes(40), b"R\x01\x01" + bytes(39), b"R\x01\x02" + bytes(33),
])
def test_parse_frame_refuses_garbage(data: object) -> None:
    with pytest.raises(r.ResumeRefused):
        r.parse_frame(data)


@settings(max_examples=300)
@given(st.binary(max_size=80))
def test_parse_frame_never_crashes(data: bytes) -> None:
    try:
        kind, _body = r.parse_frame(data)
    except r.ResumeRefused:
        return
    assert kind in (r.KIND_HELLO, r.KIND_CONFIRM)


@settings(max_examples=200)
@given(st.binary(max_size=80))
def test_receive_of_untrusted_bytes_only_refuses(data: bytes) -> None:
    agent = r.ResumeHandshake(SECRET, "agent", 1)
    agent.start()
    try:
        step = agent.receive(data)
    except r.ResumeRefused:
        return
    assert step.outcome is None and len(step.outgoing) == 1


def test_backoff_grows_is_capped_and_jittered() -> None:
    assert r.backoff_delay(0, lambda: 0.5) == pytest.approx(0.1)
    assert r.backoff_delay(-1, lambda: 0.5) == pytest.approx(0.1)
    assert r.backoff_delay(99, lambda: 0.5) == pytest.approx(2.0)
    assert r.backoff_delay(3, lambda: 0.0) == pytest.approx(0.8)
    assert r.backoff_delay(3, lambda: 1.0) == pytest.approx(1.2)
    delays = [r.backoff_delay(i, lambda: 0.5) for i in range(6)]
    assert delays == sorted(delays)


# --- the relay's resume op (shared/rendezvous.py)

from shared import rendezvous as rv  # noqa: E402

TOK = "ab" * 32


def test_resume_op_round_trip() -> None:
    msg = rv.Resume(TOK, "agent")
    assert rv.encode(msg) == '{"op":"resume","token":"' + TOK + '","role":"agent"}'
    assert rv.parse_client(rv.encode(msg)) == msg
    parsed = rv.parse_client(rv.encode(rv.Resume(r.token(SECRET, 1).hex(), "console")))
    assert isinstance(parsed, rv.Resume) and parsed.role == "console"


@pytest.mark.parametrize("text", [
    '{"op":"resume","token":"' + TOK + '"}',
    '{"op":"resume","token":"' + TOK + '","role":"agent","n":1}',
    '{"op":"resume","token":"' + TOK.upper() + '","role":"agent"}',
    '{"op":"resume","token":"' + TOK[:-2] + '","role":"agent"}',
    '{"op":"resume","token":1,"role":"agent"}',
    '{"op":"resume","token":"' + TOK + '","role":"relay"}',
    '{"op":"resume","token":"' + TOK + '","role":["agent"]}',
])
def test_resume_op_is_strict(text: str) -> None:
    with pytest.raises(rv.RendezvousError):
        rv.parse_client(text)


def test_resume_error_codes_have_texts() -> None:
    for code in (rv.ErrorCode.RESUME_REFUSED, rv.ErrorCode.RESUME_EXPIRED):
        assert rv.parse_server(rv.encode(rv.Error.of(code))) == rv.Error.of(code)


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["op", "token", "role", "x"]),
                       st.one_of(st.just("resume"), st.just(TOK), st.just("agent"),
                                 st.text(max_size=70), st.integers(), st.none())))
def test_parse_client_resume_only_raises_rendezvous_error(body: dict[str, object]) -> None:
    import json
    try:
        msg = rv.parse_client(json.dumps(body))
    except rv.RendezvousError:
        return
    assert isinstance(msg, rv.Host | rv.Join | rv.Resume)


# --- the session machine's resume hook (shared/session.py)

from shared import messages as m  # noqa: E402
from shared.session import InputReceived, Phase, SessionEnded  # noqa: E402
from tests.shared.test_session import active, connected  # noqa: E402


def test_an_active_session_continues_on_the_resumed_channel() -> None:
    a, c, _ = active()
    assert a.resume_secret == c.resume_secret and len(a.resume_secret) == 32
    assert a.resumable and c.resumable
    lost = c.send_input(m.PointerMove(1, 2)).outgoing  # in flight when the link dropped
    done_a, done_c = _run(r.ResumeHandshake(a.resume_secret, "agent", 1),
                          r.ResumeHandshake(c.resume_secret, "console", 1))
    a.resume(done_a)
    c.resume(done_c)
    step = a.receive(c.send_input(m.PointerMove(3, 4)).outgoing[0])
    assert step.events == [InputReceived(m.PointerMove(3, 4))]
    # What was sealed for the dead link is never accepted on the new one (never replayed).
    ended = a.receive(lost[0]).events[0]
    assert isinstance(ended, SessionEnded) and ended.reason == "integrity_error"
    assert a.phase is Phase.ENDED and not a.resumable


def test_only_an_active_session_can_be_resumed() -> None:
    a, c, _, _ = connected()
    assert a.resume_secret and not a.resumable and not c.resumable
    done_a, _ = _run(r.ResumeHandshake(a.resume_secret, "agent", 1),
                     r.ResumeHandshake(c.resume_secret, "console", 1))
    with pytest.raises(LocalProtocolError):
        a.resume(done_a)
