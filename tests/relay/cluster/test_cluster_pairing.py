"""Pairing and the per-address limits across a real cluster: three relay nodes, a real
redis-server for their shared state, HAProxy in front, all on free loopback ports.

An agent and a console that reach different nodes are still paired; a nameplate is unique
across the nodes and spent on all of them; and every limit (joins per minute, the lockout,
hosts per minute, connections not yet paired) counts a client's attempts on every node
together, so spreading them over the nodes gains a guesser nothing.
"""

from __future__ import annotations

import asyncio
import contextlib

from websockets.exceptions import InvalidStatus

from shared import resume as resume_tokens
from shared.rendezvous import ErrorCode, Host, Join, Nameplate, Paired, Resume, encode
from tests.relay.cluster.support import (
    HOSTS_PER_MINUTE,
    JOINS_PER_MINUTE,
    UNPAIRED_PER_ADDRESS,
    cluster_fixture,
    exchange,
    expect_paired,
    fresh_source,
    host,
    join,
    metrics_async,
    refusal,
    resume,
    ws,
)
from tests.relay.helpers import recv_json, run_async

cluster = cluster_fixture()


@run_async(60)
async def test_agent_on_one_node_and_console_on_another_are_paired(cluster) -> None:
    first, second, third = (n.url for n in cluster.nodes)
    async with ws(first) as agent, ws(second) as console:
        nameplate = await host(agent)
        assert await join(console, nameplate) == Paired()
        await expect_paired(agent)
        await exchange(agent, console, b"cross")
    # The same the other way round, and with a third node.
    async with ws(third) as agent, ws(first) as console:
        nameplate = await host(agent)
        assert await join(console, nameplate) == Paired()
        await expect_paired(agent)
        await exchange(agent, console, b"back", size=256 * 1024)


@run_async(60)
async def test_a_resume_waiter_on_one_node_pairs_with_its_peer_on_another(cluster) -> None:
    secret = resume_tokens.resume_secret(b"a" * 32, b"c" * 32)
    token = resume_tokens.token(secret, 1).hex()
    async with ws(cluster.nodes[2].url) as agent:
        await resume(agent, token, "agent")
        await asyncio.sleep(0.2)  # it waits: nothing to pair with yet
        async with ws(cluster.nodes[0].url) as console:
            await resume(console, token, "console")
            await expect_paired(agent, console)
            await exchange(agent, console, b"resumed")
    # Spent on every node now: a replay is refused whichever node it reaches.
    for node in cluster.nodes:
        code = await refusal(node.url, fresh_source(), Resume(token, "agent"))
        assert code is ErrorCode.RESUME_REFUSED


@run_async(90)
async def test_twenty_agents_and_twenty_consoles_through_haproxy_all_pair(cluster) -> None:
    async with contextlib.AsyncExitStack() as stack:
        agents = [await stack.enter_async_context(ws(cluster.url)) for _ in range(20)]
        nameplates = await asyncio.gather(*(host(a) for a in agents))
        assert len(set(nameplates)) == 20
        consoles = [await stack.enter_async_context(ws(cluster.url)) for _ in range(20)]
        answers = await asyncio.gather(*(join(c, p) for c, p in zip(consoles, nameplates,
                                                                     strict=True)))
        assert answers == [Paired()] * 20
        await asyncio.gather(*(expect_paired(a) for a in agents))
        await asyncio.gather(*(exchange(a, c, str(i).encode())
                               for i, (a, c) in enumerate(zip(agents, consoles, strict=True))))
        # HAProxy spread them: more than one node holds connections of theirs.
        counts = [(await metrics_async(n))["fernhilfe_relay_connections"]
                  for n in cluster.nodes]
        assert sum(1 for c in counts if c > 0) >= 2, counts


@run_async(120)
async def test_nameplates_are_unique_across_the_nodes(cluster) -> None:
    """300 agents waiting at once, a hundred on each node, from 30 addresses: no nameplate is
    given out twice (three-digit plates, so the nodes' random picks do collide and must be
    settled by the shared store)."""
    per_node, per_address = 100, UNPAIRED_PER_ADDRESS
    sources = [fresh_source() for _ in range(3 * per_node // per_address)]
    async with contextlib.AsyncExitStack() as stack:
        agents = []
        for i in range(3 * per_node):
            node = cluster.nodes[i % 3]
            agents.append(await stack.enter_async_context(ws(node.url, sources[i // per_address])))
        nameplates = []
        for start in range(0, len(agents), 50):
            nameplates += await asyncio.gather(*(host(a) for a in agents[start:start + 50]))
        assert len(nameplates) == 300
        duplicates = sorted({p for p in nameplates if nameplates.count(p) > 1})
        assert not duplicates, f"nameplates given out twice: {duplicates}"


@run_async(60)
async def test_a_used_code_is_refused_on_every_node(cluster) -> None:
    first, second, _ = (n.url for n in cluster.nodes)
    async with ws(first) as agent, ws(second) as console:
        nameplate = await host(agent)
        assert await join(console, nameplate) == Paired()
        await expect_paired(agent)
        for node in cluster.nodes:  # while the session runs
            code = await refusal(node.url, fresh_source(), Join(nameplate))
            assert code is ErrorCode.ALREADY_JOINED, node.url
    # Session over: the code is held back (a day), spent on every node.
    for node in cluster.nodes:
        code = ErrorCode.ALREADY_JOINED
        for _ in range(50):  # the pair's end reaches the store as its sockets close
            code = await refusal(node.url, fresh_source(), Join(nameplate))
            if code is not ErrorCode.ALREADY_JOINED:
                break
            await asyncio.sleep(0.1)
        assert code is ErrorCode.NAMEPLATE_SPENT, node.url


@run_async(60)
async def test_join_attempts_from_one_address_count_on_all_nodes(cluster) -> None:
    urls = [n.url for n in cluster.nodes]
    agent_source, console_source = fresh_source(), fresh_source()
    async with contextlib.AsyncExitStack() as stack:
        agents = [await stack.enter_async_context(ws(urls[i % 3], agent_source))
                  for i in range(JOINS_PER_MINUTE + 1)]
        nameplates = [await host(a) for a in agents]
        # One address joins round the nodes: its attempts add up, whichever node gets them.
        for i in range(JOINS_PER_MINUTE):
            async with ws(urls[i % 3], console_source) as console:
                assert await join(console, nameplates[i]) == Paired()
        # Directly or through HAProxy (which passes the address on): refused everywhere.
        for url in (*urls, cluster.url):
            code = await refusal(url, console_source, Join(nameplates[-1]))
            assert code is ErrorCode.RATE_LIMITED, url
        # The refused attempts spent nothing: the last customer is still reachable.
        async with ws(urls[1]) as console:
            assert await join(console, nameplates[-1]) == Paired()


@run_async(60)
async def test_a_lockout_earned_on_one_node_refuses_on_the_others(cluster) -> None:
    guesser = fresh_source()
    first, second, third = (n.url for n in cluster.nodes)
    # Four wrong codes on node 1: the lockout starts (the first three are free).
    for wrong in ("9999990", "9999991", "9999992", "9999993"):
        code = await refusal(first, guesser, Join(wrong))
        assert code is ErrorCode.UNKNOWN_NAMEPLATE
    async with ws(third) as agent:
        nameplate = await host(agent)
        # A real code on node 3 is refused too: locked out, though it made fewer attempts
        # than the per-minute budget allows.
        assert JOINS_PER_MINUTE > 4
        for url in (third, second, cluster.url):
            assert await refusal(url, guesser, Join(nameplate)) is ErrorCode.RATE_LIMITED
        # ...and refusing the guesser did not spend the customer's code.
        async with ws(second) as console:
            assert await join(console, nameplate) == Paired()


@run_async(60)
async def test_hosts_from_one_address_count_on_all_nodes(cluster) -> None:
    source = fresh_source()
    urls = [n.url for n in cluster.nodes]
    for i in range(HOSTS_PER_MINUTE):
        async with ws(urls[i % 3], source) as agent:
            await host(agent)
    for url in (*urls, cluster.url):
        assert await refusal(url, source, Host()) is ErrorCode.RATE_LIMITED, url
    async with ws(urls[0]) as agent:  # another address is not affected
        await host(agent)


@run_async(60)
async def test_connections_not_yet_paired_count_on_all_nodes(cluster) -> None:
    source = fresh_source()
    urls = [n.url for n in cluster.nodes]
    async with contextlib.AsyncExitStack() as stack:
        waiting = [await stack.enter_async_context(ws(urls[i % 3], source))
                   for i in range(UNPAIRED_PER_ADDRESS)]
        for agent in waiting:  # answered: each is counted by now
            await host(agent)
        for url in urls:
            assert await refusal(url, source) is ErrorCode.TOO_MANY_CONNECTIONS, url
        # Through HAProxy too: every node refuses the address (HAProxy's 503 retries on
        # another node end in the same answer), so a full address gains nothing there.
        assert await refusal(cluster.url, source) is ErrorCode.TOO_MANY_CONNECTIONS
        # One of them leaves: its address may connect again (on another node).
        await waiting[0].close()
        for _ in range(50):
            try:
                async with ws(urls[1], source) as again:
                    await again.send(encode(Host()))
                    assert isinstance(await recv_json(again), Nameplate)
                    break
            except InvalidStatus:  # still counted: the close is on its way to the store
                await asyncio.sleep(0.1)
        else:
            raise AssertionError("a freed slot was never given back")
