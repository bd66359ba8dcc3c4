"""The shared store unreachable (Redis down or restarting): the relay refuses what needs it with
``shutting_down`` (clients retry or resume), never crashes, never drops a paired session, and
counts it. The store's outage is injected into the in-process LocalState here (a real Redis
stopped under real nodes is tests/relay/cluster/test_cluster_*.py, the cluster-tests lane):
what is tested is the server's answer to StateUnavailable, from every method."""

from __future__ import annotations

import asyncio
import inspect
from typing import Any

from relay.cluster.local import LocalState
from relay.cluster.state import StateUnavailable
from relay.server import RelayServer
from relay.settings import RelaySettings
from shared import resume
from shared.rendezvous import ErrorCode, Host, Join, Paired, Resume, encode
from tests.relay.helpers import (
    FAST,
    client,
    expect_closed,
    expect_error,
    expect_http_refusal,
    host,
    http_get,
    join,
    metrics,
    recv_json,
    run_async,
)

TOKEN = resume.token(resume.resume_secret(bytes(32), bytes(range(32))), 1).hex()


class Outage(LocalState):
    """LocalState whose every shared-rule method raises StateUnavailable while ``down``."""

    down = False

    def __getattribute__(self, name: str) -> Any:
        value = super().__getattribute__(name)
        if (inspect.iscoroutinefunction(value) and not name.startswith("_")
                and name not in {"close"} and super().__getattribute__("down")):
            async def unavailable(*_args: Any, **_kwargs: Any) -> Any:
                raise StateUnavailable("redis: connection refused")
            return unavailable
        return value


@run_async()
async def test_store_down_refuses_new_work_keeps_sessions_and_comes_back() -> None:
    settings = RelaySettings(**dict[str, Any](FAST))
    state = Outage(settings)
    server = RelayServer(settings, state=state)
    await server.start()
    try:
        async with client(server) as agent, client(server) as console:
            assert await join(console, await host(agent)) == Paired()
            assert await recv_json(agent) == Paired()
            state.down = True
            # Before the upgrade: the limits cannot be asked, so nobody new gets in.
            await expect_http_refusal(server, 503)
            # The paired session does not need the store: it flows on.
            for _ in range(3):
                await agent.send(b"frame")
                assert await console.recv() == b"frame"
                await console.send(b"ack")
                assert await agent.recv() == b"ack"
            m = await metrics(server)
            assert m["fernhilfe_relay_state_unavailable_total"] >= 1
            assert m["fernhilfe_relay_sessions_paired"] == 1
            # /healthz does not depend on the store (the node itself is fine).
            assert (await http_get(server, "/healthz"))[0] == 200
            state.down = False
            async with client(server) as a2, client(server) as c2, client(server) as r2:
                state.down = True
                for ws, message in ((a2, Host()), (c2, Join("123")),
                                    (r2, Resume(TOKEN, "agent"))):
                    await ws.send(encode(message))
                    await expect_error(ws, ErrorCode.SHUTTING_DOWN)
            state.down = False
            await asyncio.sleep(0.1)
            async with client(server) as a3, client(server) as c3:  # back: pairing works
                assert await join(c3, await host(a3)) == Paired()
            await agent.send(b"still")
            assert await console.recv() == b"still"
    finally:
        state.down = False
        await server.stop()


@run_async()
async def test_store_down_when_a_session_ends_or_at_stop_is_no_crash() -> None:
    settings = RelaySettings(**dict[str, Any](FAST))
    state = Outage(settings)
    server = RelayServer(settings, state=state)
    await server.start()
    try:
        async with client(server) as agent, client(server) as console:
            assert await join(console, await host(agent)) == Paired()
            assert await recv_json(agent) == Paired()
            state.down = True
            await console.close()  # the release of its nameplate fails: logged and counted
            await expect_closed(agent)
            await asyncio.sleep(0.1)
            assert not server._sessions
    finally:
        await server.stop()  # leaving the registry fails too: still stops
        state.down = False

