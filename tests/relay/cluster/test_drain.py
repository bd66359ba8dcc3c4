"""A node draining on SIGTERM (issue 14): it takes nobody new, keeps forwarding its sessions
until they end or drain_timeout passes, then tells the rest shutting_down (close 1012, they
resume elsewhere) and leaves the registry. Real relays on loopback, real websockets; the last
test is the real ``python -m relay`` process and its signals."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

from bench.support.relay import ROOT, http_base, start_relay
from relay.server import RelayServer
from shared.rendezvous import Error, ErrorCode, Paired, parse_server
from tests.relay.cluster.nodes import nodes
from tests.relay.helpers import (
    client,
    expect_http_refusal,
    host,
    http_get,
    join,
    recv_json,
    relay,
    run_async,
)


async def paired(server: RelayServer, other: RelayServer | None = None) -> tuple[Any, Any]:
    """An agent on ``server`` and its console on ``other`` (default the same), paired."""
    agent = await client(server).__aenter__()
    console = await client(other or server).__aenter__()
    assert await join(console, await host(agent)) == Paired()
    assert await recv_json(agent) == Paired()
    return agent, console


async def shut(ws: Any) -> None:
    """The node's last word: shutting_down, close 1012 (a restart: the client resumes)."""
    assert await recv_json(ws) == Error.of(ErrorCode.SHUTTING_DOWN)
    async with asyncio.timeout(5):
        await ws.wait_closed()
    assert ws.close_code == 1012


@run_async()
async def test_draining_takes_nobody_new_keeps_forwarding_then_says_shutting_down() -> None:
    async with relay(drain_timeout=1.5) as server:
        agent, console = await paired(server)
        started = time.monotonic()
        drain = asyncio.create_task(server.drain())
        await asyncio.sleep(0.1)
        status, _, body = await http_get(server, "/healthz")
        assert (status, body) == (503, b"draining\n")
        await expect_http_refusal(server, 503)
        for i in range(5):  # the session flows on while the node drains
            await agent.send(b"frame %d" % i)
            assert await console.recv() == b"frame %d" % i
            await console.send(b"ack")
            assert await agent.recv() == b"ack"
            await asyncio.sleep(0.1)
        assert not drain.done()
        await shut(agent)
        await shut(console)
        await drain
        assert 1.4 <= time.monotonic() - started < 5


@run_async()
async def test_a_drain_ends_as_soon_as_the_last_session_does() -> None:
    async with relay(drain_timeout=30) as server:
        agent, console = await paired(server)
        drain = asyncio.create_task(server.drain())
        await asyncio.sleep(0.2)
        assert not drain.done()
        started = time.monotonic()
        await console.close()
        await agent.close()
        async with asyncio.timeout(3):
            await drain
        assert time.monotonic() - started < 2


@run_async()
async def test_a_draining_node_still_takes_attaches_and_says_draining_in_the_registry(
        tmp_path: Path) -> None:
    """A console that joined elsewhere still reaches an agent waiting on the draining node;
    the registry tells the other nodes (and the load balancer's view) it is draining."""
    async with nodes(tmp_path, drain_timeout=30) as (a, b):
        async with client(a) as agent:
            nameplate = await host(agent)
            hurry = asyncio.Event()
            drain = asyncio.create_task(a.drain(hurry))
            await asyncio.sleep(0.1)
            info = await b.state.node_alive("n0")
            assert info is not None and info.draining
            async with client(b) as console:
                assert await join(console, nameplate) == Paired()
                assert await recv_json(agent) == Paired()
                await agent.send(b"still here")
                assert await console.recv() == b"still here"
                hurry.set()  # a second SIGTERM: stop waiting
                await shut(agent)
                await shut(console)  # what the draining node said reaches it through b
            await drain
        assert await b.state.node_alive("n0") is None  # it left the registry


def test_sigterm_drains_then_a_second_sigterm_stops_at_once() -> None:
    proc, url = start_relay("--drain-timeout", "30")
    try:
        async def scenario() -> None:
            kw: dict[str, Any] = {"compression": None, "open_timeout": 5}
            async with connect(url, **kw) as agent, connect(url, **kw) as console:
                assert await join(console, await host(agent)) == Paired()
                assert await recv_json(agent) == Paired()
                proc.send_signal(signal.SIGTERM)
                await asyncio.sleep(0.3)
                health = await asyncio.to_thread(_status, http_base(url) + "/healthz")
                assert health == 503
                await agent.send(b"during the drain")
                assert await console.recv() == b"during the drain"
                proc.send_signal(signal.SIGTERM)
                for ws in (agent, console):
                    assert parse_server(await ws.recv()) == Error.of(ErrorCode.SHUTTING_DOWN)
                    await ws.wait_closed()
                    assert ws.close_code == 1012

        asyncio.run(asyncio.wait_for(scenario(), 20))
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        assert proc.stdout is not None
        proc.stdout.close()


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_the_ready_line_of_a_cluster_node_names_it_and_its_internal_url(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"s" * 32)
    proc = subprocess.Popen(
        [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0",
         "--cluster-secret-file", str(secret), "--node-id", "edge-1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        ready = json.loads(proc.stdout.readline())
        assert ready["event"] == "listening" and ready["node"] == "edge-1"
        assert ready["internal_url"].startswith("ws://127.0.0.1:")
        assert ready["internal_url"].endswith("/internal/v1")
        assert ready["internal_url"] != ready["url"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()


def test_a_short_cluster_secret_is_refused_at_start(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_bytes(b"short")
    done = subprocess.run(
        [sys.executable, "-m", "relay", "--port", "0", "--cluster-secret-file", str(secret)],
        cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "at least 32" in done.stderr
