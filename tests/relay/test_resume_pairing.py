"""Resume tokens without a network: the rules in the shared state (relay/cluster/local.py), the
waiting and pairing in this node's table (relay/pairing.py), both with a fake clock."""

from __future__ import annotations

import asyncio

from relay.cluster.local import LocalState
from relay.cluster.state import Owner
from relay.pairing import Conn, Pairing, ResumeResult
from relay.settings import RelaySettings
from shared.rendezvous import ErrorCode
from tests.relay.test_rate_limits import FakeClock

TOK, OTHER = "a" * 64, "b" * 64


class Node:
    """What relay/server.py does with a presented token, without sockets."""

    def __init__(self, clock: FakeClock, grace: float = 120.0) -> None:
        self.state = LocalState(RelaySettings(resume_grace=grace), node="n", clock=clock)
        asyncio.run(self.state.start())
        self.pairing: Pairing[str] = Pairing()

    def present(self, name: str, token: str, role: str) -> tuple[ResumeResult, object]:
        conn = self.pairing.connect(name, name)

        async def go() -> tuple[ResumeResult, object]:
            result, owner = await self.state.present(token, role, Owner("n", name))
            if result is ResumeResult.WAIT:
                self.pairing.wait_resume(conn, token, role)
            elif result is ResumeResult.PAIRED:
                assert owner is not None and owner.conn == self.pairing.resumer(token).owner  # type: ignore[union-attr]
                pair = self.pairing.rejoin(conn, token, role)
                await self.state.spend(token)
                return result, pair
            return result, conn

        return asyncio.run(go())


def test_first_waits_second_of_the_other_role_pairs() -> None:
    node = Node(FakeClock())
    p = node.pairing
    result, console = node.present("console", TOK, "console")
    assert result is ResumeResult.WAIT
    assert console.state is Conn.RESUMING and p.resuming_count == 1  # type: ignore[attr-defined]
    assert p.unpaired("console") == 1
    result, pair = node.present("agent", TOK, "agent")
    assert result is ResumeResult.PAIRED and pair is not None
    assert (pair.agent.owner, pair.console.owner) == ("agent", "console")  # type: ignore[attr-defined]
    assert p.resuming_count == 0 and p.paired_count == 1
    assert (p.unpaired("agent"), p.unpaired("console")) == (0, 0)
    assert p.end(pair) and p.paired_count == 0  # type: ignore[arg-type]


def test_a_replayed_token_is_refused_until_the_grace_is_over() -> None:
    clock = FakeClock()
    node = Node(clock, grace=120.0)
    node.present("a", TOK, "agent")
    node.present("c", TOK, "console")
    for role in ("agent", "console"):
        result, replay = node.present("x", TOK, role)
        assert result is ResumeResult.REFUSED and result.error is ErrorCode.RESUME_REFUSED
        assert replay.state is Conn.CONNECTED  # type: ignore[attr-defined]
    assert node.state.spent_token_count == 1
    clock.now += 121  # forgotten: the relay keeps tokens for the grace period only
    assert node.state.spent_token_count == 0
    assert node.present("late", TOK, "agent")[0] is ResumeResult.WAIT


def test_a_stranger_with_the_waiting_role_is_refused_and_the_waiter_stays() -> None:
    node = Node(FakeClock())
    _, waiter = node.present("a", TOK, "agent")
    result, stranger = node.present("s", TOK, "agent")
    assert result is ResumeResult.REFUSED
    assert waiter.state is Conn.RESUMING and stranger.state is Conn.CONNECTED  # type: ignore[attr-defined]
    assert node.present("c", TOK, "console")[0] is ResumeResult.PAIRED


def test_tokens_do_not_mix() -> None:
    node = Node(FakeClock())
    node.present("a", TOK, "agent")
    assert node.present("c", OTHER, "console")[0] is ResumeResult.WAIT
    assert node.pairing.resuming_count == 2 and node.pairing.paired_count == 0


def test_after_the_grace_period_a_late_peer_hears_expired() -> None:
    node = Node(FakeClock(), grace=5.0)
    _, waiter = node.present("a", TOK, "agent")
    node.pairing.unresume(waiter)  # type: ignore[arg-type]  # the relay's timer
    asyncio.run(node.state.unresume(TOK))
    assert waiter.state is Conn.CONNECTED and node.pairing.resuming_count == 0  # type: ignore[attr-defined]
    late = node.present("c", TOK, "console")[0]
    assert late is ResumeResult.EXPIRED and late.error is ErrorCode.RESUME_EXPIRED
    assert ResumeResult.WAIT.error is None


def test_a_waiter_that_leaves_frees_the_token() -> None:
    node = Node(FakeClock())
    _, waiter = node.present("a", TOK, "agent")
    node.pairing.leave(waiter)  # type: ignore[arg-type]
    asyncio.run(node.state.withdraw(TOK, Owner("n", "a")))
    assert node.pairing.resuming_count == 0 and node.pairing.unpaired("a") == 0
    assert node.present("a2", TOK, "agent")[0] is ResumeResult.WAIT


def test_a_rejoin_finds_no_waiter_that_left_meanwhile() -> None:
    """The state said PAIRED but the waiter left here in between: not pairable (the server
    withdraws it and presents again)."""
    p: Pairing[str] = Pairing()
    waiter = p.connect("a", "agent")
    p.wait_resume(waiter, TOK, "agent")
    p.leave(waiter)
    assert p.rejoin(p.connect("c", "console"), TOK, "console") is None
    same_role = p.connect("b", "agent2")
    p.wait_resume(same_role, OTHER, "agent")
    assert p.rejoin(p.connect("d", "agent3"), OTHER, "agent") is None


def test_spent_memory_is_bounded() -> None:
    node = Node(FakeClock())
    node.state.SPENT_TOKEN_MEMORY = 3
    for i in range(5):
        tok = f"{i:064x}"
        node.present(f"a{i}", tok, "agent")
        node.present(f"c{i}", tok, "console")
    assert node.state.spent_token_count == 3
