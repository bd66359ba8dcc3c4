"""Pairing across relay nodes (issue 14): an agent waiting on one node, its console or resume
peer arriving at another. Real relays on loopback, real websockets, one shared LocalState (the
same contract Redis keeps, tests/relay/cluster/test_state_contract.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from relay.cluster import internal
from relay.cluster.local import LocalState
from relay.pairing import Plate
from shared import resume
from shared.rendezvous import (
    ErrorCode,
    Host,
    Join,
    Paired,
    PeerGone,
    RendezvousError,
    Resume,
    encode,
)
from tests.relay.cluster.nodes import SECRET, nodes
from tests.relay.helpers import (
    client,
    expect_closed,
    expect_error,
    host,
    join,
    metrics,
    recv_json,
    run_async,
)

SECRET_OF_SESSION = resume.resume_secret(bytes(range(32)), bytes(range(32, 64)))
TOKEN = resume.token(SECRET_OF_SESSION, 1).hex()
NEXT_TOKEN = resume.token(SECRET_OF_SESSION, 2).hex()


def attaches(kind: str, outcome: str) -> str:
    """The name of one sample of the attach counter."""
    return f'fernhilfe_relay_internal_attaches_total{{kind="{kind}",outcome="{outcome}"}}'


async def both_ways(agent: object, console: object) -> None:
    """Binary reaches the other side unchanged, both ways, big and small."""
    big = bytes(range(256)) * 600
    await agent.send(b"frame")  # type: ignore[attr-defined]
    assert await console.recv() == b"frame"  # type: ignore[attr-defined]
    await console.send(big)  # type: ignore[attr-defined]
    assert await agent.recv() == big  # type: ignore[attr-defined]
    for i in range(50):
        await agent.send(i.to_bytes(2, "big"))  # type: ignore[attr-defined]
    assert [await console.recv() for _ in range(50)] == [  # type: ignore[attr-defined]
        i.to_bytes(2, "big") for i in range(50)]


@run_async()
async def test_agent_on_one_node_console_on_another_are_paired(tmp_path: Path) -> None:
    async with nodes(tmp_path) as (a, b), client(a) as agent, client(b) as console:
        nameplate = await host(agent)
        assert await join(console, nameplate) == Paired()
        assert await recv_json(agent) == Paired()
        await both_ways(agent, console)
        assert (await metrics(b))[attaches("join", "ok")] == 1
        assert (await metrics(a))[attaches("join", "accepted")] == 1
        assert (await metrics(a))["fernhilfe_relay_cluster_nodes_alive"] == 2
        assert (await metrics(b))["fernhilfe_relay_sessions_bridged"] == 1
        assert (await metrics(a))["fernhilfe_relay_sessions_paired"] == 1
        # The nameplate is spent cluster-wide: a second console on either node hears so.
        for node in (a, b):
            async with client(node) as late:
                await late.send(encode(Join(nameplate)))
                await expect_error(late, ErrorCode.ALREADY_JOINED)
        # The console leaves: the agent (on the other node) hears peer_gone, the plate is held.
        await console.close()
        assert await recv_json(agent) == PeerGone()
        await expect_closed(agent)
        state = a.state
        assert isinstance(state, LocalState)
        await asyncio.sleep(0.2)
        assert state.allocator.state(nameplate) is Plate.HELD


@run_async()
async def test_the_agent_leaving_reaches_the_console_on_the_other_node(tmp_path: Path) -> None:
    async with nodes(tmp_path) as (a, b), client(a) as agent, client(b) as console:
        assert await join(console, await host(agent)) == Paired()
        assert await recv_json(agent) == Paired()
        await agent.close()
        assert await recv_json(console) == PeerGone()
        await expect_closed(console)
        assert console.close_code == 1000


@run_async()
async def test_resume_waiter_on_one_node_presenter_on_another(tmp_path: Path) -> None:
    async with nodes(tmp_path) as (a, b), client(a) as agent, client(b) as console:
        await agent.send(encode(Resume(TOKEN, "agent")))
        await asyncio.sleep(0.1)
        await console.send(encode(Resume(TOKEN, "console")))
        assert await recv_json(console) == Paired()
        assert await recv_json(agent) == Paired()
        await both_ways(agent, console)
        # The token is spent on every node: a replay anywhere is refused.
        for node in (a, b):
            async with client(node) as replay:
                await replay.send(encode(Resume(TOKEN, "agent")))
                await expect_error(replay, ErrorCode.RESUME_REFUSED)


@run_async()
async def test_owner_node_unreachable_unknown_nameplate_and_the_plate_held(
        tmp_path: Path) -> None:
    """The agent's node is in the registry but cannot be reached (it just died): the console
    hears unknown_nameplate, the nameplate is spent (held), not handed to someone else."""
    async with nodes(tmp_path) as (a, b), client(a) as agent, client(b) as console:
        nameplate = await host(agent)
        assert a._internal_server is not None
        a._internal_server.close()
        await a._internal_server.wait_closed()
        await console.send(encode(Join(nameplate)))
        await expect_error(console, ErrorCode.UNKNOWN_NAMEPLATE)
        state = b.state
        assert isinstance(state, LocalState)
        assert state.allocator.state(nameplate) is Plate.HELD
        assert state.limiter.locked_for("127.0.0.0/24") == 0  # not the technician's guess
        m = await metrics(b)
        assert m[attaches("join", "unreachable")] == 1


@run_async()
async def test_owner_node_gone_from_the_registry(tmp_path: Path) -> None:
    async with nodes(tmp_path) as (a, b), client(a) as agent, client(b) as console:
        nameplate = await host(agent)
        await a.state.close()  # its heartbeats stopped: not alive any more
        await console.send(encode(Join(nameplate)))
        await expect_error(console, ErrorCode.UNKNOWN_NAMEPLATE)
        m = await metrics(b)
        assert m[attaches("join", "gone")] == 1
        async with client(b) as again:
            await again.send(encode(Join(nameplate)))
            await expect_error(again, ErrorCode.NAMEPLATE_SPENT)


@run_async()
async def test_resume_waiter_on_a_dead_node_burns_the_token_for_both_ends(tmp_path: Path) -> None:
    """The waiter's node cannot be reached: its end will present the token again, so the token
    is spent and the presenter refused; both ends then meet on the next token (the clients
    move on after a refusal, desktop/session_driver.py)."""
    async with nodes(tmp_path) as (a, b), client(a) as old, client(b) as console:
        await old.send(encode(Resume(TOKEN, "agent")))
        await asyncio.sleep(0.1)
        assert a._internal_server is not None
        a._internal_server.close()
        await a._internal_server.wait_closed()
        await console.send(encode(Resume(TOKEN, "console")))
        await expect_error(console, ErrorCode.RESUME_REFUSED)
        async with client(b) as agent:  # the waiter's end, back through another node
            await agent.send(encode(Resume(TOKEN, "agent")))
            await expect_error(agent, ErrorCode.RESUME_REFUSED)
        async with client(b) as agent, client(b) as console2:
            await agent.send(encode(Resume(NEXT_TOKEN, "agent")))
            await asyncio.sleep(0.1)
            await console2.send(encode(Resume(NEXT_TOKEN, "console")))
            assert await recv_json(console2) == Paired()
            assert await recv_json(agent) == Paired()
            await both_ways(agent, console2)


@run_async()
async def test_a_broken_internal_link_ends_the_session_on_both_nodes_as_a_lost_link(
        tmp_path: Path) -> None:
    """The link between the nodes breaks (no close frame): both clients hear peer_gone and
    resume (docs/PROTOCOL.md section 13); neither node keeps half a session."""
    async with nodes(tmp_path) as (a, b), client(a) as agent, client(b) as console:
        assert await join(console, await host(agent)) == Paired()
        assert await recv_json(agent) == Paired()
        for peer in list(a._internal_peers):
            peer.conn.transport.abort()
        assert await recv_json(agent) == PeerGone()
        assert await recv_json(console) == PeerGone()
        await expect_closed(agent)
        await expect_closed(console)
        await asyncio.sleep(0.1)
        assert not a._sessions and not b._bridges


@run_async()
async def test_limits_hold_across_nodes(tmp_path: Path) -> None:
    """Join attempts count cluster-wide: two on one node and the third on another is over."""
    async with nodes(tmp_path, join_attempts_per_minute=2) as (a, b):
        for node in (a, b):
            async with client(node) as console:
                await console.send(encode(Join("999")))
                await expect_error(console, ErrorCode.UNKNOWN_NAMEPLATE)
        async with client(a) as console:
            await console.send(encode(Join("998")))
            await expect_error(console, ErrorCode.RATE_LIMITED)


@run_async()
async def test_nameplates_are_unique_across_nodes(tmp_path: Path) -> None:
    async with nodes(tmp_path, count=3, max_unpaired_per_ip=100,
                     host_attempts_per_minute=100) as servers:
        agents = [client(servers[i % 3]) for i in range(30)]
        opened = [await c.__aenter__() for c in agents]
        try:
            plates = [await host(ws) for ws in opened]
            assert len(set(plates)) == 30
        finally:
            for c in agents:
                await c.__aexit__(None, None, None)


@run_async()
async def test_unpaired_connections_count_across_nodes(tmp_path: Path) -> None:
    """max_unpaired_per_ip counts every node's waiting connections of one address block."""
    async with nodes(tmp_path, count=2, max_unpaired_per_ip=4) as (a, b):
        opened = [client(node) for node in (a, b, a, b)]
        waiting = [await c.__aenter__() for c in opened]
        try:
            for ws in waiting:
                await host(ws)
            await asyncio.sleep(0.1)
            for node in (a, b):
                with pytest.raises(InvalidStatus) as info:
                    async with client(node):
                        pass
                assert info.value.response.status_code == 429
        finally:
            for c in opened:
                await c.__aexit__(None, None, None)


async def attach_status(url: str, headers: dict[str, str] | list[tuple[str, str]]) -> int:
    with pytest.raises(InvalidStatus) as info:
        async with connect(url, additional_headers=headers, open_timeout=5):
            pass
    return info.value.response.status_code


@run_async()
async def test_an_attach_without_the_cluster_secret_is_refused_before_the_upgrade(
        tmp_path: Path) -> None:
    async with nodes(tmp_path) as (a, _b), client(a) as agent:
        nameplate = await host(agent)
        conn = next(iter(a._peers)).cid
        url = a.internal_url
        assert url.startswith("ws://127.0.0.1:") and url.endswith(internal.PATH)
        assert await attach_status(url, {internal.CONN_HEADER: conn}) == 403
        wrong = internal.proof(b"w" * 40)
        assert await attach_status(url, {internal.PROOF_HEADER: wrong,
                                         internal.CONN_HEADER: conn}) == 403
        twice = [(internal.PROOF_HEADER, internal.proof(SECRET)),
                 (internal.PROOF_HEADER, internal.proof(SECRET))]
        assert await attach_status(url, twice) == 403
        assert await attach_status(url.replace(internal.PATH, "/v1"),
                                   {internal.PROOF_HEADER: internal.proof(SECRET)}) == 404
        m = await metrics(a)
        assert m[attaches("unknown", "forbidden")] == 3
        # The clients' port never attaches: /internal/v1 there is a plain 404.
        assert await attach_status(a.url.replace("/v1", internal.PATH),
                                   {internal.PROOF_HEADER: internal.proof(SECRET)}) == 404
        # With the secret but naming another connection: no pairing, the agent still waits.
        async with connect(url, additional_headers={internal.PROOF_HEADER: internal.proof(SECRET),
                                                     internal.CONN_HEADER: "0" * 16}) as ws:
            await ws.send(encode(Join(nameplate)))
            await expect_error(ws, ErrorCode.UNKNOWN_NAMEPLATE)
        async with connect(url, additional_headers={internal.PROOF_HEADER: internal.proof(SECRET),
                                                     internal.CONN_HEADER: conn}) as ws:
            await ws.send(encode(Host()))
            await expect_error(ws, ErrorCode.BAD_REQUEST)
        async with connect(url, additional_headers=[
                (internal.PROOF_HEADER, internal.proof(SECRET)), (internal.CONN_HEADER, conn),
                (internal.CONN_HEADER, conn)]) as ws:
            await ws.send(encode(Join(nameplate)))
            await expect_error(ws, ErrorCode.BAD_REQUEST)
        assert a.pairing.waiting_count == 1


def test_proof_is_constant_time_and_strict() -> None:
    assert internal.proof_ok(SECRET, internal.proof(SECRET))
    assert not internal.proof_ok(SECRET, None)
    assert not internal.proof_ok(SECRET, internal.proof(SECRET).upper())
    assert not internal.proof_ok(SECRET, "\udcff")


@given(conn=st.one_of(st.none(), st.text(max_size=40)),
       first=st.one_of(st.text(max_size=200), st.binary(max_size=200), st.none(),
                       st.integers()))
def test_parse_attach_never_crashes_on_anything(conn: str | None, first: object) -> None:
    """Whatever another node (or a bug) sends: an Attach or an AttachError, nothing else."""
    try:
        attach = internal.parse_attach(conn, first)
    except RendezvousError as exc:
        assert isinstance(exc, internal.AttachError)
        return
    assert internal.conn_id_ok(attach.conn)
    assert isinstance(attach.message, Join | Resume)


@given(nameplate=st.from_regex(r"[1-9][0-9]{2,6}", fullmatch=True),
       conn=st.from_regex(r"[0-9a-f]{16}", fullmatch=True))
def test_parse_attach_reads_what_a_node_sends(nameplate: str, conn: str) -> None:
    assert internal.parse_attach(conn, encode(Join(nameplate))).message == Join(nameplate)
    assert internal.parse_attach(conn, encode(Resume(TOKEN, "agent"))).conn == conn
