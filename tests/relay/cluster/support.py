"""What the cluster tests (tests/relay/cluster/test_cluster_*.py) share: clients and probes.

The cluster itself is bench/support/cluster.py's (real redis-server, real HAProxy, relay nodes
as ``python -m relay`` processes on free loopback ports). Here are the thin websocket clients
the tests drive it with, each from a loopback address of its own: loopback is all of
127.0.0.0/8, so with ``--ipv4-prefix 32`` every address is its own block and the per-address
limits of one test never touch another's. Through HAProxy the nodes see the same address,
from ``X-Forwarded-For`` (HAProxy's ``option forwardfor``; 127.0.0.1, where HAProxy connects
from, is a trusted proxy), so a client is the same "address" whichever way it comes in.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.support.cluster import Cluster, NodeProcess
from shared import resume as resume_tokens
from shared.rendezvous import Error, ErrorCode, Host, Join, Nameplate, Paired, Resume, encode
from tests.relay.helpers import recv_json

#: Flags every node of a test cluster gets: single addresses as blocks, HAProxy trusted for
#: X-Forwarded-For, small budgets that a test reaches in a few messages, and a failed-join
#: budget high enough that the lockout tests do not turn on the flood guard for the others.
HOSTS_PER_MINUTE = 12
JOINS_PER_MINUTE = 6
UNPAIRED_PER_ADDRESS = 10
LIMIT_FLAGS = (
    "--ipv4-prefix", "32",
    "--trusted-proxies", "127.0.0.1",
    "--host-attempts-per-minute", str(HOSTS_PER_MINUTE),
    "--join-attempts-per-minute", str(JOINS_PER_MINUTE),
    "--max-unpaired-per-ip", str(UNPAIRED_PER_ADDRESS),
    "--join-lockout-base", "60",
    "--failed-joins-per-minute", "1000",
)

# 127.77.x.y, a fresh one per call; the process id keeps two test processes apart.
_sources = (f"127.{77 + os.getpid() % 100}.{n // 250}.{n % 250 + 2}" for n in itertools.count())


def fresh_source() -> str:
    """A loopback address no other client of this test run has used."""
    return next(_sources)


@contextlib.contextmanager
def running_cluster(tmp: Path, *, nodes: int = 3, haproxy: bool = True,
                    flags: tuple[str, ...] = LIMIT_FLAGS) -> Iterator[Cluster]:
    """A started cluster whose every node HAProxy sees up; everything stopped afterwards."""
    with Cluster(tmp, nodes=nodes, haproxy=haproxy, relay_flags=flags) as cluster:
        if haproxy:
            cluster.wait_healthy(30)
        yield cluster


def cluster_fixture(nodes: int = 3, haproxy: bool = True,
                    flags: tuple[str, ...] = LIMIT_FLAGS) -> Any:
    """A module-wide cluster fixture: starting one costs seconds, so a file shares it (each
    test uses fresh client addresses, so no limit of one test reaches the next)."""

    @pytest.fixture(scope="module")
    def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
        with running_cluster(tmp_path_factory.mktemp("cluster"), nodes=nodes, haproxy=haproxy,
                             flags=flags) as running:
            yield running

    return cluster


# ------------------------------------------------------------------------ websocket clients

async def dial(url: str, source: str | None = None) -> ClientConnection:
    """A websocket to ``url`` from loopback address ``source`` (a fresh one if None); the
    caller closes it (one that must outlive a block: it is replaced when it resumes)."""
    return await connect(url, compression=None, open_timeout=10, close_timeout=2,
                         max_size=None, local_addr=(source or fresh_source(), 0))


@contextlib.asynccontextmanager
async def ws(url: str, source: str | None = None) -> AsyncIterator[ClientConnection]:
    """:func:`dial`, closed when the block ends."""
    conn = await dial(url, source)
    try:
        yield conn
    finally:
        await conn.close()


async def host(conn: ClientConnection) -> str:
    """Agent side: ask for a nameplate; the relay's answer must be one."""
    await conn.send(encode(Host()))
    answer = await recv_json(conn, 10)
    assert isinstance(answer, Nameplate), answer
    return answer.nameplate


async def join(conn: ClientConnection, nameplate: str) -> object:
    """Console side: one join attempt; the relay's answer."""
    await conn.send(encode(Join(nameplate)))
    return await recv_json(conn, 10)


async def resume(conn: ClientConnection, token: str, role: str) -> None:
    """Present a resume token (the answer comes when the other side presents it too)."""
    await conn.send(encode(Resume(token, role)))


async def expect_paired(*conns: ClientConnection, timeout: float = 10.0) -> None:
    for conn in conns:
        assert await recv_json(conn, timeout) == Paired()


async def exchange(agent: ClientConnection, console: ClientConnection, tag: bytes = b"",
                   size: int = 4096) -> None:
    """Opaque binary both ways (the relay forwards ciphertext blindly): it must arrive
    unchanged, in order, at the other end."""
    for n in range(3):
        to_console = os.urandom(size) + tag + bytes([n])
        to_agent = os.urandom(size // 2) + tag + bytes([n])
        await agent.send(to_console)
        await console.send(to_agent)
        async with asyncio.timeout(10):
            assert await console.recv() == to_console
            assert await agent.recv() == to_agent


async def refusal(url: str, source: str, first: Host | Join | Resume | None = None
                  ) -> ErrorCode:
    """Connect from ``source`` (and send ``first``): the code the relay refused it with,
    before the upgrade (HTTP status, the code as body) or after it (``error``); fails if the
    relay accepted it."""
    try:
        async with ws(url, source) as conn:
            if first is None:
                raise AssertionError(f"{url} accepted a websocket from {source}")
            await conn.send(encode(first))
            answer = await recv_json(conn, 10)
            assert isinstance(answer, Error), f"{url} answered {answer} to {first}"
            return answer.code
    except InvalidStatus as exc:
        assert exc.response.status_code in (429, 503), exc.response.status_code
        return ErrorCode(exc.response.body.decode().strip())


async def closed_with(conn: ClientConnection, timeout: float) -> tuple[int | None, str]:
    """Wait until the relay closes ``conn`` (reading and dropping whatever comes); the close
    code and the last ``error`` code sent before it ('' if none)."""
    last = ""
    try:
        async with asyncio.timeout(timeout):
            while True:
                message = await conn.recv()
                if isinstance(message, str) and '"error"' in message:
                    last = message
    except ConnectionClosed as exc:
        code = exc.rcvd.code if exc.rcvd is not None else None
        return code, last
    raise AssertionError("unreachable")


# ------------------------------------------------------------------------ HTTP probes

def http_status(base: str, path: str) -> tuple[int, str]:
    """GET ``base + path`` (blocking, short timeout): status and body."""
    request = urllib.request.Request(base + path)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def metrics_of(node: NodeProcess) -> dict[str, float]:
    """A node's Prometheus samples, ``{"name{labels}": value}`` (read from loopback, which
    may read them)."""
    status, body = http_status(node.http_base, "/metrics")
    assert status == 200, status
    samples: dict[str, float] = {}
    for line in body.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


async def metrics_async(node: NodeProcess) -> dict[str, float]:
    return await asyncio.to_thread(metrics_of, node)


def gauge(node: NodeProcess, name: str) -> float:
    return metrics_of(node).get(f"fernhilfe_relay_{name}", 0.0)


async def resume_session(agent: ClientConnection, console: ClientConnection, secret: bytes,
                         n: int) -> None:
    """Both ends of a session come back as the programs do (shared/resume.py): each presents
    reconnect ``n``'s token, the relay pairs them, HELLO and CONFIRM go both ways, and the new
    epoch's channel carries sealed messages both ways."""
    token = resume_tokens.token(secret, n).hex()
    await resume(agent, token, "agent")
    await resume(console, token, "console")
    await expect_paired(agent, console)
    sides = [(conn, resume_tokens.ResumeHandshake(secret, role, n))
             for conn, role in ((agent, "agent"), (console, "console"))]
    for conn, handshake in sides:
        await conn.send(handshake.start())
    channels = []
    for conn, handshake in sides:
        async with asyncio.timeout(10):
            step = handshake.receive(await conn.recv())  # the peer's HELLO
            for message in step.outgoing:
                await conn.send(message)
    for conn, handshake in sides:
        async with asyncio.timeout(10):
            step = handshake.receive(await conn.recv())  # the peer's CONFIRM
        assert step.outcome is not None and step.outcome.n == n
        channels.append(step.outcome.channel)
    agent_channel, console_channel = channels
    await agent.send(agent_channel.seal(b"agent after resume %d" % n))
    await console.send(console_channel.seal(b"console after resume %d" % n))
    async with asyncio.timeout(10):
        to_console, to_agent = await console.recv(), await agent.recv()
    assert isinstance(to_console, bytes) and isinstance(to_agent, bytes)
    assert console_channel.open(to_console) == b"agent after resume %d" % n
    assert agent_channel.open(to_agent) == b"console after resume %d" % n
