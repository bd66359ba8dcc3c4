"""A relay node killed (SIGKILL, its machine gone) in a running cluster: three real
``python -m relay`` nodes, a real redis-server, no HAProxy (each client picks its node).

What the other nodes must do about it, at the relay level (tests/e2e/test_cluster_resume.py
does the same with the real programs): a session that crossed to the dead node over the
internal link is dropped at once on the surviving node, so both ends resume elsewhere; a code
whose agent waited on the dead node is answered at once (not left hanging); and a resume
waiter that was on the dead node burns its token once the registry no longer lists it, so
both ends move on to the next token together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.support.cluster import Cluster
from bench.support.waiting import wait_for_async
from shared import resume as resume_tokens
from shared.rendezvous import ErrorCode, Join, Paired, Resume
from tests.relay.cluster.support import (
    LIMIT_FLAGS,
    closed_with,
    expect_paired,
    fresh_source,
    gauge,
    host,
    join,
    refusal,
    resume,
    resume_session,
    running_cluster,
    ws,
)
from tests.relay.helpers import recv_json, run_async

#: The surviving node notices the dead one's internal link within this (a closed TCP socket:
#: at once; with room for a loaded machine).
NOTICED_WITHIN = 5.0


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    with running_cluster(tmp_path, haproxy=False, flags=LIMIT_FLAGS) as running:
        yield running


def test_a_killed_node_costs_only_its_forwarding(cluster: Cluster) -> None:
    dead, owner, third = cluster.nodes
    secret = resume_tokens.resume_secret(b"n" * 32, b"o" * 32)

    @run_async(60)
    async def scenario() -> None:
        async with ws(owner.url) as agent, ws(dead.url) as console, \
                ws(dead.url) as waiting:
            # A session across two nodes: the agent here, the console's link through the node
            # that will die; and a customer waiting on that node for a technician.
            assert await join(console, await host(agent)) == Paired()
            await expect_paired(agent)
            waiting_plate = await host(waiting)

            killed = time.monotonic()
            dead.kill()
            # The surviving node drops its end at once: the agent goes to resume.
            await closed_with(agent, NOTICED_WITHIN)
            assert time.monotonic() - killed < NOTICED_WITHIN
            # The waiting customer's code gets an answer at once on another node (nobody
            # waits with it any more), and from then on it is held back like any used code:
            # it can reach no other customer within the day.
            started = time.monotonic()
            code = await refusal(third.url, fresh_source(), Join(waiting_plate))
            assert code is ErrorCode.UNKNOWN_NAMEPLATE, code
            assert time.monotonic() - started < NOTICED_WITHIN
            code = await refusal(owner.url, fresh_source(), Join(waiting_plate))
            assert code is ErrorCode.NAMEPLATE_SPENT, code

        # Both ends come back through the surviving nodes as the programs do.
        async with ws(owner.url) as agent, ws(third.url) as console:
            await resume_session(agent, console, secret, 1)
        assert owner.alive and third.alive

    scenario()


def test_a_resume_waiter_on_a_killed_node_burns_its_token_once_the_registry_drops_it(
        cluster: Cluster) -> None:
    dead, second, third = cluster.nodes
    secret = resume_tokens.resume_secret(b"w" * 32, b"x" * 32)
    token = resume_tokens.token(secret, 1).hex()
    following = resume_tokens.token(secret, 2).hex()

    @run_async(60)
    async def scenario() -> None:
        async with ws(dead.url) as waiter:
            await resume(waiter, token, "agent")
            await asyncio.sleep(0.2)
            dead.kill()
        # Three missed heartbeats later the node is out of the registry...
        await wait_for_async(lambda: gauge(second, "cluster_nodes_alive") == 2, 10,
                             "the registry to drop the killed node", step=0.2)
        # ...and the token whose waiter died with it is spent for both ends, on every node,
        # so the agent (back with the same token) and the console move on together...
        for node, role in ((second, "agent"), (third, "console")):
            code = await refusal(node.url, fresh_source(), Resume(token, role))
            assert code is ErrorCode.RESUME_REFUSED
        # ...and meet on the next one.
        async with ws(second.url) as agent, ws(third.url) as console:
            await resume(agent, following, "agent")
            await asyncio.sleep(0.2)
            await resume(console, following, "console")
            assert await recv_json(console, 10) == Paired()
            assert await recv_json(agent, 10) == Paired()

    scenario()
