"""The relay's resume bookkeeping (relay/pairing.py), with a fake clock and no network."""

from __future__ import annotations

from relay.pairing import Conn, NameplateAllocator, Pairing, ResumeResult
from shared.rendezvous import ErrorCode
from tests.relay.test_rate_limits import FakeClock

TOK, OTHER = "a" * 64, "b" * 64


def pairing(clock: FakeClock, grace: float = 120.0) -> Pairing[str]:
    return Pairing(NameplateAllocator(clock=clock), resume_grace=grace)


def test_first_waits_second_of_the_other_role_pairs() -> None:
    p = pairing(FakeClock())
    agent, console = p.connect("a", "agent"), p.connect("c", "console")
    assert p.resume(console, TOK, "console").result is ResumeResult.WAIT
    assert console.state is Conn.RESUMING and p.resuming_count == 1 and p.unpaired("c") == 1
    outcome = p.resume(agent, TOK, "agent")
    assert outcome.result is ResumeResult.PAIRED and outcome.pair is not None
    assert (outcome.pair.agent.owner, outcome.pair.console.owner) == ("agent", "console")
    assert agent.state is console.state is Conn.PAIRED
    assert p.resuming_count == 0 and p.paired_count == 1
    assert (p.unpaired("a"), p.unpaired("c")) == (0, 0)
    assert p.end(outcome.pair) and p.paired_count == 0  # a resumed pair has no nameplate


def test_a_replayed_token_is_refused_until_the_grace_is_over() -> None:
    clock = FakeClock()
    p = pairing(clock, grace=120.0)
    p.resume(p.connect("a", "agent"), TOK, "agent")
    p.resume(p.connect("c", "console"), TOK, "console")
    for role in ("agent", "console"):
        replay = p.connect("x", "replay")
        outcome = p.resume(replay, TOK, role)
        assert outcome.result is ResumeResult.REFUSED and outcome.pair is None
        assert outcome.result.error is ErrorCode.RESUME_REFUSED
        assert replay.state is Conn.CONNECTED
    assert p.spent_token_count == 1
    clock.now += 121  # forgotten: the relay keeps tokens for the grace period only
    assert p.spent_token_count == 0
    assert p.resume(p.connect("x", "late"), TOK, "agent").result is ResumeResult.WAIT


def test_a_stranger_with_the_waiting_role_is_refused_and_the_waiter_stays() -> None:
    p = pairing(FakeClock())
    waiter = p.connect("a", "agent")
    p.resume(waiter, TOK, "agent")
    stranger = p.connect("s", "stranger")
    assert p.resume(stranger, TOK, "agent").result is ResumeResult.REFUSED
    assert waiter.state is Conn.RESUMING and stranger.state is Conn.CONNECTED
    assert p.resume(p.connect("c", "console"), TOK, "console").result is ResumeResult.PAIRED


def test_tokens_do_not_mix() -> None:
    p = pairing(FakeClock())
    p.resume(p.connect("a", "agent"), TOK, "agent")
    assert p.resume(p.connect("c", "console"), OTHER, "console").result is ResumeResult.WAIT
    assert p.resuming_count == 2 and p.paired_count == 0


def test_after_the_grace_period_a_late_peer_hears_expired() -> None:
    clock = FakeClock()
    p = pairing(clock, grace=5.0)
    waiter = p.connect("a", "agent")
    p.resume(waiter, TOK, "agent")
    p.unresume(waiter)  # the relay's timer: nobody came within the grace period
    assert waiter.state is Conn.CONNECTED and p.resuming_count == 0
    late = p.resume(p.connect("c", "console"), TOK, "console")
    assert late.result is ResumeResult.EXPIRED
    assert late.result.error is ErrorCode.RESUME_EXPIRED
    assert ResumeResult.WAIT.error is None


def test_a_waiter_that_leaves_frees_the_token() -> None:
    p = pairing(FakeClock())
    waiter = p.connect("a", "agent")
    p.resume(waiter, TOK, "agent")
    p.leave(waiter)
    assert p.resuming_count == 0 and p.unpaired("a") == 0
    assert p.resume(p.connect("a", "agent"), TOK, "agent").result is ResumeResult.WAIT


def test_spent_memory_is_bounded() -> None:
    p = pairing(FakeClock())
    p.SPENT_TOKEN_MEMORY = 3
    for i in range(5):
        tok = f"{i:064x}"
        p.resume(p.connect("a", "agent"), tok, "agent")
        p.resume(p.connect("c", "console"), tok, "console")
    assert p.spent_token_count == 3
