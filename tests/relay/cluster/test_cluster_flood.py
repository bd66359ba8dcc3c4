"""The relay-wide failed-join budget (relay/limits.py's FloodGuard) across a real cluster:
three relay nodes, a real redis-server, no HAProxy (each node is reached directly).

Guesses spread over the nodes add up: a handful on each node is a flood of the whole relay,
so every node lengthens new nameplates, and joins naming the short codes already out pass one
gate for all nodes (some wait, some are refused as busy without spending the code).
"""

from __future__ import annotations

import asyncio
import contextlib
import time

from shared.rendezvous import ErrorCode, Join, Paired
from tests.relay.cluster.support import (
    LIMIT_FLAGS,
    cluster_fixture,
    expect_paired,
    fresh_source,
    gauge,
    host,
    join,
    refusal,
    ws,
)
from tests.relay.helpers import run_async

#: Failed joins per minute the whole relay allows; the burst window (5 s) sees a flood after
#: three failures: 3 * 60 / 5 = 36 a minute.
BUDGET = 30
cluster = cluster_fixture(haproxy=False, flags=(*LIMIT_FLAGS, "--failed-joins-per-minute",
                                                 str(BUDGET)))


@run_async(60)
async def test_failed_joins_on_different_nodes_add_up_to_one_flood(cluster) -> None:
    urls = [n.url for n in cluster.nodes]
    async with contextlib.AsyncExitStack() as stack:
        agents = [await stack.enter_async_context(ws(urls[i])) for i in range(3)]
        short = [await host(a) for a in agents]
        assert all(len(p) == 3 for p in short), short
        # Two wrong guesses on each node, each from an address of its own: no node alone sees
        # a flood (2 in 5 s is 24 a minute), the relay does (6 in 5 s).
        for i in range(6):
            code = await refusal(urls[i % 3], fresh_source(), Join(f"99999{i}"))
            assert code is ErrorCode.UNKNOWN_NAMEPLATE
        # Every node hands out longer nameplates now.
        for node in cluster.nodes:
            assert gauge(node, "nameplate_digits") > 3, node.url
            async with ws(node.url) as agent:
                assert len(await host(agent)) > 3, node.url

        # The short codes out before the flood pass one gate for the whole relay: a join
        # now, the next one later, the third is refused as busy (and its code is not spent).
        consoles = [await stack.enter_async_context(ws(urls[i])) for i in range(3)]
        started = time.monotonic()
        answers = await asyncio.gather(*(join(c, p) for c, p in zip(consoles, short,
                                                                     strict=True)))
        took = time.monotonic() - started
        busy = [i for i, a in enumerate(answers) if a != Paired()]
        assert len(busy) == 1, answers
        assert answers[busy[0]].code is ErrorCode.TOO_MANY_CONNECTIONS  # type: ignore[attr-defined]
        assert took >= 1.0, f"the gate let every short join through at once ({took:.2f} s)"
        for i, agent in enumerate(agents):
            if i not in busy:
                await expect_paired(agent)
        # Once the guessing stops, the refused technician simply tries again.
        left = short[busy[0]]
        for _ in range(100):
            async with ws(urls[(busy[0] + 1) % 3]) as again:
                answer = await join(again, left)
                if answer == Paired():
                    await expect_paired(agents[busy[0]])
                    break
            assert answer.code is ErrorCode.TOO_MANY_CONNECTIONS  # type: ignore[attr-defined]
            await asyncio.sleep(0.2)
        else:
            raise AssertionError("the busy code never got through after the flood")
