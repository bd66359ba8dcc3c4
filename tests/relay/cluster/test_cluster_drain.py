"""A node told to stop (SIGTERM) in a running cluster: HAProxy, three nodes, real Redis.

What an operator's rolling upgrade relies on: the node at once says 503 ``draining`` on
/healthz and takes no new websocket, so HAProxy sends new clients to the others; its live
session keeps flowing until ``drain_timeout``, and then both ends hear ``shutting_down`` and
resume through another node (the relay's half of issue 13's resume: both ends present the
same token); an agent still waiting there can be reached from another node until then; and
the node leaves the registry and exits 0.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.protocol import State

from bench.support.cluster import Cluster, NodeProcess
from bench.support.waiting import wait_for_async
from shared import resume as resume_tokens
from shared.rendezvous import ErrorCode, Host, Paired
from tests.relay.cluster.support import (
    LIMIT_FLAGS,
    closed_with,
    dial,
    exchange,
    expect_paired,
    fresh_source,
    gauge,
    host,
    http_status,
    join,
    refusal,
    resume_session,
    running_cluster,
    ws,
)
from tests.relay.helpers import run_async

DRAIN_TIMEOUT = 6.0
#: HAProxy's health checks see a draining node down within this (the shipped check interval
#: and fall count, with room for a loaded machine).
HAPROXY_NOTICES_WITHIN = 10.0


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    with running_cluster(tmp_path, flags=(*LIMIT_FLAGS, "--drain-timeout",
                                          str(DRAIN_TIMEOUT))) as running:
        yield running


def unhealthy(node: NodeProcess) -> str | None:
    """The body of the node's /healthz when it answers 503 (None while it says healthy)."""
    status, body = http_status(node.http_base, "/healthz")
    return body if status == 503 else None


async def hosts_through_front(cluster: Cluster, n: int) -> bool:
    """``n`` new agents through HAProxy in a row all get a nameplate (none is refused)."""
    try:
        for _ in range(n):
            async with ws(cluster.url) as agent:
                await host(agent)
    except (AssertionError, InvalidStatus, ConnectionClosed, OSError):
        return False
    return True


def test_a_draining_node_finishes_its_sessions_then_hands_them_over(cluster: Cluster) -> None:
    draining, other, third = cluster.nodes
    secret = resume_tokens.resume_secret(b"d" * 32, b"e" * 32)

    @run_async(90)
    async def scenario() -> None:
        async with ws(draining.url) as agent, ws(draining.url) as console, \
                ws(draining.url) as waiting:
            nameplate = await host(agent)
            assert await join(console, nameplate) == Paired()
            await expect_paired(agent)
            waiting_plate = await host(waiting)
            assert gauge(draining, "sessions_paired") == 1

            draining.terminate()
            stopped = time.monotonic()
            # At once: unhealthy for HAProxy, no new websocket.
            health = await wait_for_async(
                lambda: asyncio.to_thread(unhealthy, draining), 1.0, "/healthz to say 503")
            assert "draining" in health, health
            assert await refusal(draining.url, fresh_source(), Host()) \
                is ErrorCode.SHUTTING_DOWN
            # The live session flows on.
            await exchange(agent, console, b"draining")
            # A console that reaches another node still finds the agent waiting here.
            async with ws(other.url) as late:
                assert await join(late, waiting_plate) == Paired()
                await expect_paired(waiting)
                await exchange(waiting, late, b"late")
            # HAProxy sends new clients elsewhere.
            await wait_for_async(lambda: hosts_through_front(cluster, 6),
                                 HAPROXY_NOTICES_WITHIN, "HAProxy to leave the draining node out",
                                 step=0.5)
            assert gauge(draining, "sessions_waiting") == 0
            await wait_for_async(
                lambda: cluster.haproxy_status()[draining.server].startswith("DOWN"),
                HAPROXY_NOTICES_WITHIN, "HAProxy's health check to mark the node down")
            # A whole new pair through the front lands on the other nodes.
            await wait_for_async(lambda: gauge(draining, "sessions_paired") == 1, 5,
                                 "the late pair's end to reach the draining node")
            async with ws(cluster.url) as new_agent, ws(cluster.url) as new_console:
                assert await join(new_console, await host(new_agent)) == Paired()
                await expect_paired(new_agent)
                await exchange(new_agent, new_console, b"new")
                assert gauge(draining, "sessions_paired") == 1  # only its own live one
            await exchange(agent, console, b"still")

            # drain_timeout over: both ends told shutting_down (close 1012).
            for end in (agent, console):
                code, last = await closed_with(end, DRAIN_TIMEOUT + 10)
                assert code == 1012 and ErrorCode.SHUTTING_DOWN.value in last, (code, last)
            took = time.monotonic() - stopped
            assert DRAIN_TIMEOUT - 0.5 <= took <= DRAIN_TIMEOUT + 5, took

        # Both ends resume through the front as the programs do: another node pairs them by
        # the token alone, and their resume handshake and new channel pass through it.
        async with ws(cluster.url) as agent, ws(cluster.url) as console:
            await resume_session(agent, console, secret, 1)

        # The node is gone for good: exit 0, and out of the registry at once (not after
        # three missed heartbeats).
        assert await asyncio.to_thread(draining.wait, 10) == 0
        left = time.monotonic()
        await wait_for_async(lambda: gauge(other, "cluster_nodes_alive") == 2, 5,
                             "the drained node to leave the registry")
        assert time.monotonic() - left < 2.5
        assert gauge(third, "cluster_nodes_alive") == 2

    scenario()


def test_a_draining_node_whose_sessions_end_leaves_before_its_drain_timeout(
        cluster: Cluster) -> None:
    """The drain waits for the sessions, not for the clock: once the last one ends by itself
    the node leaves the registry and exits 0 without waiting out ``drain_timeout``."""
    draining, other, _ = cluster.nodes

    @run_async(60)
    async def scenario() -> None:
        async with ws(draining.url) as agent, ws(other.url) as console:
            assert await join(console, await host(agent)) == Paired()
            await expect_paired(agent)
            draining.terminate()
            stopped = time.monotonic()
            await exchange(agent, console, b"last words")
        # Both ends hang up: nothing is left to forward.
        assert await asyncio.to_thread(draining.wait, DRAIN_TIMEOUT + 5) == 0
        assert time.monotonic() - stopped < DRAIN_TIMEOUT - 1, "it waited out the drain"
        await wait_for_async(lambda: gauge(other, "cluster_nodes_alive") == 2, 2.5,
                             "the drained node to leave the registry")

    scenario()


@pytest.fixture
def quick_drain(tmp_path: Path) -> Iterator[Cluster]:
    with running_cluster(tmp_path, flags=(*LIMIT_FLAGS, "--drain-timeout", "1")) as running:
        yield running


def test_a_rolling_restart_of_every_node_loses_no_session(quick_drain: Cluster) -> None:
    """The operator's rolling upgrade: each node in turn gets SIGTERM, drains, exits and is
    started again, HAProxy waits for it to be UP before the next. A session through the front
    lives through all of it: whenever a drain hands it over, its ends resume (the real
    handshake) through the front, never with a new code."""
    cluster = quick_drain
    secret = resume_tokens.resume_secret(b"r" * 32, b"s" * 32)

    @run_async(120)
    async def scenario() -> None:
        agent, console = await dial(cluster.url), await dial(cluster.url)
        assert await join(console, await host(agent)) == Paired()
        await expect_paired(agent)
        resumes = 0
        try:
            for node in cluster.nodes:
                node.terminate()
                assert await asyncio.to_thread(node.wait, 15) == 0, node.node_id
                await asyncio.sleep(0.3)  # a handed-over end has heard it by now
                if agent.state is not State.OPEN or console.state is not State.OPEN:
                    await asyncio.gather(agent.close(), console.close())
                    resumes += 1
                    agent, console = await dial(cluster.url), await dial(cluster.url)
                    await resume_session(agent, console, secret, resumes)
                await exchange(agent, console, node.node_id.encode())
                await asyncio.to_thread(node.start)
                await asyncio.to_thread(cluster.wait_healthy, 30)
            await exchange(agent, console, b"after the upgrade")
        finally:
            await asyncio.gather(agent.close(), console.close())
        # Its ends sat on two of the nodes: at least those drains handed it over.
        assert resumes >= 1
        print(f"the session resumed {resumes} times in the rolling restart")

    scenario()
