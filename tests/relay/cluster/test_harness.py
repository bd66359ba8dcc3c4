"""bench/support/cluster.py: Redis, three relay nodes and HAProxy, all real, on loopback.

What the other cluster tests and benchmarks rely on: every part starts from the shipped files,
a websocket reaches a node through HAProxy, HAProxy notices a node that dies or drains and sends
new connections elsewhere, a killed node starts again where HAProxy expects it, and nothing is
left running afterwards, also when a part fails to start.
"""

from __future__ import annotations

import asyncio
import http.client
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from websockets.asyncio.client import ClientConnection, connect

from bench.support.cluster import Cluster, ClusterError, NodeProcess, cluster_settings_supported
from bench.support.waiting import wait_for, wait_for_async
from shared.rendezvous import (
    Error,
    ErrorCode,
    Host,
    Join,
    Nameplate,
    Paired,
    encode,
    parse_server,
)


async def host_through(url: str) -> Nameplate:
    """A nameplate asked for over ``url`` (the relay's real answer)."""
    async with connect(url, compression=None, open_timeout=10) as ws:
        await ws.send(encode(Host()))
        async with asyncio.timeout(10):
            answer = parse_server(await ws.recv())
    assert isinstance(answer, Nameplate), answer
    return answer


async def hosts_through(url: str, count: int) -> list[Nameplate]:
    """``count`` nameplates asked for over ``url`` at once, all held until every one has come.

    A code that was never joined is free again the moment its agent leaves, so distinct codes
    can only be expected from agents that are all still waiting.
    """
    sockets = await asyncio.gather(
        *(connect(url, compression=None, open_timeout=10) for _ in range(count)))
    try:
        await asyncio.gather(*(ws.send(encode(Host())) for ws in sockets))
        async with asyncio.timeout(10):
            answers = [parse_server(await ws.recv()) for ws in sockets]
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets))
    plates = [a for a in answers if isinstance(a, Nameplate)]
    assert plates == answers, answers
    return plates


def get(base: str, path: str) -> int:
    try:
        with urllib.request.urlopen(base + path, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def gone(pid: int | None) -> bool:
    """The process no longer exists (or is a zombie nobody waits for: it never is here)."""
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_three_nodes_behind_haproxy(tmp_path: Path) -> None:
    with Cluster(tmp_path) as cluster:
        assert len(cluster.nodes) == 3 and all(n.alive for n in cluster.nodes)
        assert cluster.redis.ping()
        assert cluster.haproxy_status() == {"node1": "UP", "node2": "UP", "node3": "UP"}
        assert cluster.url == f"ws://127.0.0.1:{cluster.front_port}/v1"
        # Through HAProxy: a websocket reaches a node, and several spread over the nodes.
        plates = asyncio.run(hosts_through(cluster.url, 3))
        assert len({p.nameplate for p in plates}) == 3
        # Each node directly, too (the tests that pin a client to a node use this).
        for node in cluster.nodes:
            asyncio.run(host_through(node.url))
            assert get(node.http_base, "/healthz") == 200
            assert node.node_id in {"node1", "node2", "node3"}
        # The front serves the relay's public paths only; per-node metrics stay private.
        assert get(cluster.front_http, "/healthz") == 200
        for path in ("/metrics", "/", "/internal/v1", "/stats"):
            assert get(cluster.front_http, path) == 404, path
        pids = [n.pid for n in cluster.nodes] + [cluster.haproxy.pid if cluster.haproxy else None,
                                                 cluster.redis.proc.pid if cluster.redis.proc
                                                 else None]
    assert all(gone(pid) for pid in pids)
    assert not cluster.redis.ping()


def test_killed_node_is_taken_out_and_comes_back(tmp_path: Path) -> None:
    with Cluster(tmp_path) as cluster:
        victim = cluster.nodes[1]
        victim.kill()
        assert not victim.alive
        # New connections go elsewhere at once (a refused connect is retried on another
        # node), before HAProxy's checks have even marked it down.
        for _ in range(4):
            asyncio.run(host_through(cluster.url))
        wait_for(lambda: cluster.haproxy_status()["node2"].startswith("DOWN"), 10,
                 "haproxy marks the killed node down")
        cluster.wait_healthy(5)  # the running nodes only
        victim.start()
        assert victim.alive and victim.url.endswith(f":{victim.port}/v1")
        cluster.wait_healthy(15)
        assert cluster.haproxy_status()["node2"] == "UP"
        asyncio.run(host_through(victim.url))


def test_terminated_node_leaves_the_front_and_exits_0(tmp_path: Path) -> None:
    with Cluster(tmp_path) as cluster:
        leaving = cluster.nodes[0]
        leaving.terminate()
        assert leaving.wait(40) == 0
        wait_for(lambda: not cluster.haproxy_status()["node1"].startswith("UP "), 10,
                 "haproxy stops sending to the drained node")
        wait_for(lambda: cluster.haproxy_status()["node1"].startswith("DOWN"), 10,
                 "haproxy marks the drained node down")
        for _ in range(4):
            asyncio.run(host_through(cluster.url))


def test_without_haproxy_the_url_is_node_0(tmp_path: Path) -> None:
    with Cluster(tmp_path, nodes=2, haproxy=False) as cluster:
        assert cluster.haproxy is None
        assert cluster.url == cluster.nodes[0].url
        asyncio.run(host_through(cluster.url))


def test_a_node_that_cannot_start_leaves_nothing_running(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path, nodes=2, relay_flags=["--max-connections", "-1"])
    with pytest.raises(ClusterError, match="exited with 2"), cluster:
        pass
    assert not cluster.redis.ping()
    assert all(not n.alive for n in cluster.nodes)


def test_a_node_is_a_real_relay_process(tmp_path: Path) -> None:
    """NodeProcess on its own: terminate() returns at once, wait() gives the exit code."""
    node = NodeProcess("solo", 0, [], tmp_path / "solo.log")
    node.start()
    try:
        conn = http.client.HTTPConnection(node.http_base.removeprefix("http://"), timeout=5)
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
        conn.close()
        node.terminate()
        assert node.wait(40) == 0 and not node.alive
    finally:
        node.kill()


@pytest.mark.skipif(not cluster_settings_supported(), reason="needs the server lane's settings")
def test_the_nodes_form_one_cluster(tmp_path: Path) -> None:
    """The harness passes the cluster settings: every node prints its id and internal URL."""
    with Cluster(tmp_path) as cluster:
        for node in cluster.nodes:
            assert node.ready["node"] == node.node_id
            assert node.internal_url.startswith("ws://127.0.0.1:")


@pytest.mark.skipif(not cluster_settings_supported(), reason="needs the server lane's settings")
def test_pairing_across_nodes_with_the_shipped_redis_user(tmp_path: Path) -> None:
    """The nodes share Redis as the shipped ACL's relay user (no admin commands): an agent on
    node 1 and a console on node 2 are paired, and the bytes pass between them."""

    async def scenario(cluster: Cluster) -> None:
        async with connect(cluster.nodes[0].url, compression=None) as agent, \
                connect(cluster.nodes[1].url, compression=None) as console:
            await agent.send(encode(Host()))
            async with asyncio.timeout(10):
                plate = parse_server(await agent.recv())
                assert isinstance(plate, Nameplate), plate
                await console.send(encode(Join(plate.nameplate)))
                assert isinstance(parse_server(await console.recv()), Paired)
                assert isinstance(parse_server(await agent.recv()), Paired)
                await agent.send(b"\x01sealed by the agent")
                assert await console.recv() == b"\x01sealed by the agent"

    with Cluster(tmp_path) as cluster:
        asyncio.run(scenario(cluster))
        for node in cluster.nodes:
            assert "NOPERM" not in node.log.read_text()


async def paired(url: str) -> tuple[ClientConnection, ClientConnection]:
    """An agent and a console paired on ``url`` (raw websockets: the relay only forwards)."""
    agent = await connect(url, compression=None)
    console = await connect(url, compression=None)
    await agent.send(encode(Host()))
    plate = parse_server(await agent.recv())
    assert isinstance(plate, Nameplate), plate
    await console.send(encode(Join(plate.nameplate)))
    assert isinstance(parse_server(await console.recv()), Paired)
    assert isinstance(parse_server(await agent.recv()), Paired)
    return agent, console


def test_a_draining_node_gets_no_new_clients_and_nobody_notices(tmp_path: Path) -> None:
    """SIGTERM on a node with a running session: its session keeps flowing; connections that
    HAProxy still sends it before its check notices (503 before the upgrade) are retried on
    another node (retry-on 503, redispatch), so every new client gets a nameplate; the node
    exits 0 as soon as its session ends."""

    async def scenario(cluster: Cluster) -> None:
        leaving = cluster.nodes[0]
        agent, console = await paired(leaving.url)
        async with asyncio.timeout(30):
            leaving.terminate()
            await wait_for_async(lambda: get(leaving.http_base, "/healthz") == 503, 5,
                                 "the node says it drains")
            # HAProxy still counts it UP for up to two checks: the front must hide that.
            plates = await hosts_through(cluster.url, 12)
            assert len({p.nameplate for p in plates}) == 12
            # Some were sent to the draining node and went on to another one.
            assert int(cluster.haproxy_stats()[leaving.server]["wredis"]) > 0
            await agent.send(b"\x01still flowing")
            assert await console.recv() == b"\x01still flowing"
            assert leaving.alive
            await agent.close()
            await console.close()
            await wait_for_async(lambda: not leaving.alive, 10, "the drained node exits")
        assert leaving.wait(1) == 0

    with Cluster(tmp_path, relay_flags=["--drain-timeout", "25"]) as cluster:
        asyncio.run(scenario(cluster))


async def host_from(url: str, source: str, forwarded: str | None = None) -> object:
    """The relay's answer to a host request from loopback address ``source``."""
    headers = {"X-Forwarded-For": forwarded} if forwarded else None
    async with connect(url, compression=None, local_addr=(source, 0),
                       additional_headers=headers) as ws:
        await ws.send(encode(Host()))
        async with asyncio.timeout(10):
            return parse_server(await ws.recv())


@pytest.mark.skipif(not cluster_settings_supported(), reason="needs the server lane's settings")
def test_limits_count_the_real_client_across_the_nodes(tmp_path: Path) -> None:
    """Through HAProxy (leastconn spreads one client's connections over the nodes), a
    client's host budget is one budget for the whole cluster, counted on its own address:
    not on HAProxy's, and not on one it writes into X-Forwarded-For."""

    async def scenario(url: str) -> None:
        for _ in range(3):
            assert isinstance(await host_from(url, "127.0.0.3"), Nameplate)
        limited = Error.of(ErrorCode.RATE_LIMITED)
        assert await host_from(url, "127.0.0.3") == limited
        assert await host_from(url, "127.0.0.3", forwarded="127.0.0.7") == limited
        assert isinstance(await host_from(url, "127.0.0.4"), Nameplate)

    flags = ["--ipv4-prefix", "32", "--host-attempts-per-minute", "3"]
    with Cluster(tmp_path, relay_flags=flags) as cluster:
        asyncio.run(scenario(cluster.url))


def test_revocation_lists_pass_the_front_unchanged(tmp_path: Path) -> None:
    """haproxy.cfg routes /.well-known/fernhilfe/revocations/ to the nodes with the path as
    the client sent it; only the exact shape reaches a file (the relay's own rule)."""
    lists = tmp_path / "revocations"
    lists.mkdir()
    listed = b"\x00signed by the organisation, checked by the agent\xff"
    (lists / "0123456789abcdef.fhrl").write_bytes(listed)
    (tmp_path / "secret.fhrl").write_bytes(b"not for you")
    prefix = "/.well-known/fernhilfe/revocations/"
    with Cluster(tmp_path / "cluster", relay_flags=["--revocations-dir", str(lists)]) as cluster:
        with urllib.request.urlopen(cluster.front_http + prefix + "0123456789abcdef.fhrl",
                                    timeout=5) as response:
            assert response.read() == listed
            assert response.headers["Content-Type"] == "application/octet-stream"
        for trick in (prefix + "../secret.fhrl", prefix + "%2e%2e/secret.fhrl",
                      prefix + "..%2Fsecret.fhrl", prefix + "../../../metrics",
                      prefix + "0123456789ABCDEF.fhrl", "/.well-known/fernhilfe/x"):
            assert get(cluster.front_http, trick) in (400, 403, 404), trick
