"""One contract, two implementations: LocalState (one process) and RedisState (a real Redis).

Every test runs against both through the ``state_pair`` fixture (tests/relay/cluster/conftest.py)
with the events spread over two nodes' views, so a rule that held only inside one node (or only
in memory) fails here. Time-based rules use short settings and real sleeps with margins.
"""

from __future__ import annotations

import asyncio
import itertools

from relay.cluster.state import ClaimResult, Owner, ResumeResult
from tests.relay.cluster.conftest import StatePair
from tests.relay.helpers import run_async

A1 = Owner("a", "conn-1")
B1 = Owner("b", "conn-1")  # the same connection id on another node is another owner
B2 = Owner("b", "conn-2")


@run_async(60)
async def test_thousands_of_allocations_over_two_nodes_never_collide(
        state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        plates: list[str] = []
        nodes = itertools.cycle([a, b])
        for _ in range(40):  # 40 rounds of 50 concurrent allocations, alternating nodes
            batch = [next(nodes).allocate(3, A1) for _ in range(50)]
            plates += await asyncio.gather(*batch)
        assert len(plates) == len(set(plates)) == 2000
        by_length = {n: sum(len(p) == n for p in plates) for n in (3, 4, 5)}
        # Crowding per digit length, cluster-wide: 500 of 900 three-digit plates, then four.
        assert by_length == {3: 500, 4: 1500, 5: 0}
        counts = await b.counts()
        assert counts["taken"] == counts["open"] == 2000


@run_async(60)
async def test_recently_expired_nameplates_are_avoided_while_others_are_free(
        state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        expired = [await a.allocate(3, A1) for _ in range(300)]
        for plate in expired:
            await (a, b)[int(plate) % 2].expire(plate)
        # A technician still typing an old code must hear "expired", so new agents get free
        # ones while those are easy to find: at most 400 of 900 are expired or open here, so
        # 20 such draws in a row (when an expired one would be taken) have odds below 1e-7.
        fresh = [await b.allocate(3, B1) for _ in range(100)]
        assert not set(fresh) & set(expired)
        assert {len(p) for p in fresh} == {3}  # expired ones do not crowd the length


@run_async()
async def test_min_digits_is_respected_and_capped(state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        assert len(await a.allocate(5, A1)) == 5
        assert len(await b.allocate(9, B1)) == 7
        assert len(await b.allocate(1, B1)) == 3


@run_async()
async def test_every_nameplate_transition_and_claim_result(state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        joined = await a.allocate(3, A1)
        assert await b.claim(joined) == (ClaimResult.OK, A1)  # names the owner on node a
        assert await a.claim(joined) == (ClaimResult.ALREADY_JOINED, None)
        await b.release(joined)  # JOINED -> HELD
        assert await a.claim(joined) == (ClaimResult.SPENT, None)
        await a.release(joined)  # HELD: nothing
        await a.expire(joined)  # HELD: nothing
        assert await b.claim(joined) == (ClaimResult.SPENT, None)

        freed = await b.allocate(3, B2)
        await a.release(freed)  # OPEN -> FREE at once (never joined)
        assert await a.claim(freed) == (ClaimResult.UNKNOWN, None)

        expired = await a.allocate(3, A1)
        await b.expire(expired)  # OPEN -> EXPIRED
        assert await a.claim(expired) == (ClaimResult.EXPIRED, None)
        await a.release(expired)  # EXPIRED: nothing
        assert await b.claim(expired) == (ClaimResult.EXPIRED, None)

        assert await a.claim("7654321") == (ClaimResult.UNKNOWN, None)
        counts = await a.counts()
        assert (counts["taken"], counts["held"], counts["open"]) == (1, 1, 0)


@run_async()
async def test_open_nameplate_runs_out_and_is_then_forgotten(state_pair: StatePair) -> None:
    async with state_pair(nameplate_lifetime=0.4, nameplate_hold=5.0) as (a, b):
        plate = await a.allocate(3, A1)
        assert (await b.counts())["open"] == 1
        await asyncio.sleep(0.55)
        assert await b.claim(plate) == (ClaimResult.EXPIRED, None)  # remembered briefly
        assert (await a.counts())["taken"] == 0  # and no longer crowding its length
        await asyncio.sleep(0.7)
        assert await a.claim(plate) == (ClaimResult.UNKNOWN, None)  # then forgotten


@run_async()
async def test_a_spent_nameplate_is_held_and_then_free(state_pair: StatePair) -> None:
    async with state_pair(nameplate_lifetime=5.0, nameplate_hold=0.5) as (a, b):
        plate = await a.allocate(3, A1)
        assert (await b.claim(plate))[0] is ClaimResult.OK
        await a.release(plate)
        assert (await b.counts())["held"] == 1
        assert await b.claim(plate) == (ClaimResult.SPENT, None)
        await asyncio.sleep(0.7)
        assert await b.claim(plate) == (ClaimResult.UNKNOWN, None)
        counts = await a.counts()
        assert (counts["taken"], counts["held"]) == (0, 0)


@run_async()
async def test_resume_wait_paired_refused_and_spent(state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        assert await a.present("tok", "agent", A1) == (ResumeResult.WAIT, None)
        # A stranger presenting the role that already waits (on a live node) is refused.
        assert await b.present("tok", "agent", B1) == (ResumeResult.REFUSED, None)
        assert await b.present("tok", "console", B2) == (ResumeResult.PAIRED, A1)
        await b.spend("tok")
        for role in ("agent", "console"):  # a replay, whoever presents it
            assert await a.present("tok", role, A1) == (ResumeResult.REFUSED, None)
        assert await b.present("other", "console", B1) == (ResumeResult.WAIT, None)
        await b.unresume("other")  # its waiter gave up after the grace
        assert await a.present("other", "agent", A1) == (ResumeResult.EXPIRED, None)


@run_async()
async def test_a_spent_token_is_forgotten_after_the_grace(state_pair: StatePair) -> None:
    async with state_pair(resume_grace=0.3) as (a, b):
        assert (await a.present("tok", "agent", A1))[0] is ResumeResult.WAIT
        assert (await b.present("tok", "console", B1))[0] is ResumeResult.PAIRED
        await b.spend("tok")
        assert (await a.present("tok", "agent", A1))[0] is ResumeResult.REFUSED
        await asyncio.sleep(0.45)
        assert (await a.present("tok", "agent", A1))[0] is ResumeResult.WAIT


@run_async()
async def test_withdraw_forgets_only_its_own_waiter(state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        assert (await a.present("tok", "agent", A1))[0] is ResumeResult.WAIT
        await b.withdraw("tok", B1)  # not the waiter: nothing changes
        assert await b.present("tok", "agent", B1) == (ResumeResult.REFUSED, None)
        await b.withdraw("tok", A1)  # e.g. node a could not be reached
        assert await b.present("tok", "agent", B1) == (ResumeResult.WAIT, None)
        assert await a.present("tok", "console", A1) == (ResumeResult.PAIRED, B1)


@run_async()
async def test_a_waiter_on_a_node_that_left_burns_its_token(state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        assert (await b.present("tok", "agent", B1))[0] is ResumeResult.WAIT
        await b.close()  # node b is gone, and with it its waiter
        # Neither paired with the dead waiter nor left waiting on a token whose other end
        # will be refused: the token is spent for both, and both move on to the next one.
        assert await a.present("tok", "console", A1) == (ResumeResult.REFUSED, None)
        assert await a.present("tok", "agent", A1) == (ResumeResult.REFUSED, None)
        assert await a.present("tok2", "agent", A1) == (ResumeResult.WAIT, None)
        assert await a.present("tok2", "console", A1) == (ResumeResult.PAIRED, A1)


@run_async()
async def test_host_limit_counts_both_nodes(state_pair: StatePair) -> None:
    async with state_pair(host_attempts_per_minute=4) as (a, b):
        assert [await node.host_allowed("k") for node in (a, b, a, b)] == [True] * 4
        assert not await a.host_allowed("k")
        assert not await b.host_allowed("k")
        assert await b.host_allowed("other block")


@run_async()
async def test_join_limit_refund_and_lockout_count_both_nodes(state_pair: StatePair) -> None:
    async with state_pair(join_attempts_per_minute=5, join_free_failures=1,
                          join_lockout_base=0.4, join_lockout_max=0.8,
                          failed_joins_per_minute=0) as (a, b):
        assert [await node.join_allowed("k") for node in (a, b, a, b, a)] == [True] * 5
        assert not await b.join_allowed("k")
        await b.join_refund("k")  # refused as busy: the attempt is given back...
        assert await a.join_allowed("k")  # ...on every node
        assert not await a.join_allowed("k")

        await a.join_failed("j")  # the one free failure
        assert await b.locked_for("j") == 0.0
        await b.join_failed("j")  # over by one: base lockout, seen by both nodes
        assert 0.2 < await a.locked_for("j") <= 0.4
        assert not await a.join_allowed("j")
        await a.join_failed("j")  # over by two: doubled, capped at the max
        assert 0.6 < await b.locked_for("j") <= 0.8
        await b.join_failed("j")
        assert 0.6 < await a.locked_for("j") <= 0.8
        await asyncio.sleep(0.9)
        assert await b.locked_for("j") == 0.0
        assert await b.join_allowed("j")  # failures age out; a success would not reset them


@run_async()
async def test_may_enter_needs_both_host_and_join_limits_used_up(state_pair: StatePair) -> None:
    async with state_pair(host_attempts_per_minute=1, join_attempts_per_minute=1,
                          failed_joins_per_minute=0) as (a, b):
        assert await a.may_enter("k")
        assert await b.host_allowed("k")
        assert await a.may_enter("k")  # may still join
        assert await a.join_allowed("k")
        assert not await b.may_enter("k")  # neither hosting nor joining left
        assert not await a.may_enter("k")
        assert await a.may_enter("other")


@run_async()
async def test_a_flood_of_failed_joins_lengthens_nameplates_and_closes_the_gate(
        state_pair: StatePair) -> None:
    async with state_pair(failed_joins_per_minute=30, flood_short_joins_per_second=1.0,
                          flood_join_wait=1.5, join_free_failures=100) as (a, b):
        assert await a.nameplate_digits() == 3
        for _ in range(10):  # one address block: lengthens nameplates, but opens no gate
            await b.join_failed("guesser")
        # 10 failures in the 5-second burst window: 120 a minute > 30; 120 000 codes wanted.
        assert await a.nameplate_digits() == 6
        assert len(await a.allocate(await b.nameplate_digits(), A1)) == 6
        assert await a.flood_admit("123") == 0.0  # one block's failures are its own
        for i in range(10):  # ten blocks, spread over both nodes: the gate closes
            await (a, b)[i % 2].join_failed(f"block {i}")
        assert (await b.counts())["failed_joins"] == 20
        assert await b.flood_admit("123456") == 0.0  # long codes never wait
        assert await a.flood_admit("123") == 0.0  # the first slot is now
        wait = await b.flood_admit("456")
        assert wait is not None and 0.8 < wait <= 1.0  # the next one a second later
        assert await a.flood_admit("789") is None  # beyond the longest wait: busy


@run_async()
async def test_unpaired_counts_sum_over_live_nodes(state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        await a.add_unpaired("k", 1)
        await a.add_unpaired("k", 1)
        await b.add_unpaired("k", 1)
        assert await a.unpaired("k") == await b.unpaired("k") == 3
        await a.add_unpaired("k", -1)
        assert await b.unpaired("k") == 2
        assert await b.unpaired("other") == 0
        await b.add_unpaired("k", 2)
        await b.close()  # a node that left: its connections are gone with it
        assert await a.unpaired("k") == 1


@run_async()
async def test_registry_shows_live_draining_and_gone_nodes(state_pair: StatePair) -> None:
    async with state_pair() as (a, b):
        assert sorted(n.node for n in await a.nodes()) == ["a", "b"]
        await b.report(draining=True, connections=7, sessions=3)
        info = await a.node_alive("b")
        assert info is not None
        assert (info.draining, info.connections, info.sessions) == (True, 7, 3)
        assert info.internal_url == "ws://b/internal/v1"
        await b.close()
        assert await a.node_alive("b") is None
        assert [n.node for n in await a.nodes()] == ["a"]
        assert await a.node_alive("nobody") is None
