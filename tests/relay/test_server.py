"""The relay end to end on loopback with real websockets clients."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import struct

import pytest

from bench.support.waiting import settled_async, wait_for_async
from relay.cluster.local import LocalState
from relay.logs import JsonLogFormatter
from relay.server import RelayServer
from relay.settings import RelaySettings
from shared.rendezvous import ErrorCode, Host, Join, Paired, PeerGone, encode
from tests.relay.helpers import (
    client,
    expect_closed,
    expect_error,
    expect_http_refusal,
    gauges,
    host,
    http_get,
    join,
    recv_json,
    relay,
    run_async,
)


async def withdrawn(server: RelayServer) -> bool:
    """No nameplate waits for a console any more."""
    return (await gauges(server))[1] == 0


async def all_gone(server: RelayServer) -> bool:
    """No connection, waiting or paired session is left."""
    return await gauges(server) == (0, 0, 0)


@run_async()
async def test_pairing_forwards_binary_both_ways() -> None:
    async with relay() as server, client(server) as agent, client(server) as console:
        nameplate = await host(agent)
        assert len(nameplate) == 3 and nameplate.isdigit()
        assert await join(console, nameplate) == Paired()
        assert await recv_json(agent) == Paired()
        await agent.send(b"\x46hello console")
        assert await console.recv() == b"\x46hello console"
        await console.send(b"\x00" * 1000)
        assert await agent.recv() == b"\x00" * 1000


@run_async()
async def test_unknown_nameplate() -> None:
    async with relay() as server, client(server) as console:
        await console.send(encode(Join("999")))
        await expect_error(console, ErrorCode.UNKNOWN_NAMEPLATE)


@run_async()
async def test_nameplate_expires_and_agent_is_told() -> None:
    async with relay(nameplate_lifetime=0.3) as server, client(server) as agent:
        nameplate = await host(agent)
        await expect_error(agent, ErrorCode.NAMEPLATE_EXPIRED)
        assert agent.close_code == 1008
        async with client(server) as console:
            assert (await join(console, nameplate)).code is ErrorCode.NAMEPLATE_EXPIRED


@run_async()
async def test_one_join_per_code_then_spent_and_already_joined() -> None:
    async with relay() as server:
        async with client(server) as agent, client(server) as console:
            nameplate = await host(agent)
            assert await join(console, nameplate) == Paired()
            async with client(server) as second:  # pair still up
                assert (await join(second, nameplate)).code is ErrorCode.ALREADY_JOINED
        async with client(server) as third:  # pair over
            assert (await join(third, nameplate)).code is ErrorCode.NAMEPLATE_SPENT


@run_async()
async def test_agent_leaving_before_join_withdraws_nameplate() -> None:
    async with relay() as server:
        async with client(server) as agent:
            nameplate = await host(agent)
        await wait_for_async(lambda: withdrawn(server), what="the nameplate to be withdrawn")
        async with client(server) as console:
            assert (await join(console, nameplate)).code is ErrorCode.UNKNOWN_NAMEPLATE
        assert (await gauges(server))[1] == 0


@run_async()
async def test_open_nameplates_are_unique() -> None:
    async with relay(max_unpaired_per_ip=1000) as server, contextlib.AsyncExitStack() as stack:
        agents = [await stack.enter_async_context(client(server)) for _ in range(30)]
        seen = {await host(agent) for agent in agents}
        assert len(seen) == 30


@run_async()
async def test_too_many_connections_total() -> None:
    async with relay(max_connections=2) as server, client(server) as a, client(server) as b:
        await a.send(encode(Host()))
        await b.send(encode(Host()))
        await recv_json(a)
        await recv_json(b)
        await expect_http_refusal(server, 503)


@run_async()
async def test_unpaired_connections_per_ip_limit_frees_after_pairing() -> None:
    async with (
        relay(max_unpaired_per_ip=2) as server,
        client(server) as agent,
        client(server) as console,
    ):
        nameplate = await host(agent)
        await expect_http_refusal(server, 429)  # before the upgrade: no websocket for it
        assert await join(console, nameplate) == Paired()
        async with client(server) as agent2:  # paired ones no longer count
            await host(agent2)


@run_async()
async def test_join_rate_limit_per_minute() -> None:
    async with relay(join_attempts_per_minute=2, join_free_failures=100) as server:
        for _ in range(2):
            async with client(server) as console:
                assert (await join(console, "555")).code is ErrorCode.UNKNOWN_NAMEPLATE
        async with client(server) as console:
            await console.send(encode(Join("555")))
            await expect_error(console, ErrorCode.RATE_LIMITED)


@run_async()
async def test_failed_joins_lock_out_with_backoff() -> None:
    async with relay(
        join_free_failures=1, join_lockout_base=0.4, join_attempts_per_minute=100
    ) as server:
        for _ in range(2):
            async with client(server) as console:
                assert (await join(console, "556")).code is ErrorCode.UNKNOWN_NAMEPLATE
        async with client(server) as agent:  # even a right nameplate is refused while locked
            nameplate = await host(agent)
            async with client(server) as console:
                assert (await join(console, nameplate)).code is ErrorCode.RATE_LIMITED
        assert 0 < server.limiter.locked_for("127.0.0.0/24") <= 0.4
        await wait_for_async(lambda: server.limiter.locked_for("127.0.0.0/24") == 0, 1.0,
                             "the lockout to end")
        async with client(server) as agent, client(server) as console:
            nameplate = await host(agent)
            assert await join(console, nameplate) == Paired()


@run_async()
async def test_garbage_json_is_bad_request() -> None:
    async with relay() as server:
        for garbage in (
            "{not json",
            '{"op":"host","x":1}',
            '{"op":"fly"}',
            "[]",
            '{"op":"join","nameplate":123}',
            '{"op":"join","nameplate":"012"}',
        ):
            async with client(server) as ws:
                await ws.send(garbage)
                await expect_error(ws, ErrorCode.BAD_REQUEST)


@run_async()
async def test_binary_before_pairing_is_bad_request() -> None:
    async with relay() as server:
        async with client(server) as ws:
            await ws.send(b"\x46early")
            await expect_error(ws, ErrorCode.BAD_REQUEST)
        async with client(server) as agent:  # waiting agent sending early
            nameplate = await host(agent)
            await agent.send(b"\x46early")
            await expect_error(agent, ErrorCode.BAD_REQUEST)
        async with client(server) as console:
            assert (await join(console, nameplate)).code is ErrorCode.UNKNOWN_NAMEPLATE


@run_async()
async def test_oversize_rendezvous_message() -> None:
    async with relay() as server:
        async with client(server) as ws:
            await ws.send('{"op":"host","pad":"' + "x" * 4000 + '"}')
            await expect_error(ws, ErrorCode.MESSAGE_TOO_LARGE)
            assert ws.close_code == 1009
        async with client(server) as ws:  # beyond the pre-pairing wire limit: bare 1009 close
            await ws.send(b"x" * 100_000)
            await expect_closed(ws)
            assert ws.close_code == 1009


@run_async()
async def test_oversize_after_pairing_closes_sender_and_tells_peer() -> None:
    async with (
        relay(max_message_size=8192) as server,
        client(server) as agent,
        client(server) as console,
    ):
        nameplate = await host(agent)
        await join(console, nameplate)
        await recv_json(agent)
        await console.send(b"y" * 8192)  # at the limit: fine
        assert len(await agent.recv()) == 8192
        await console.send(b"y" * 8193)
        await expect_closed(console)
        assert console.close_code == 1009
        assert await recv_json(agent) == PeerGone()
        await expect_closed(agent)


@run_async()
async def test_text_after_pairing_is_protocol_error() -> None:
    async with relay() as server, client(server) as agent, client(server) as console:
        nameplate = await host(agent)
        await join(console, nameplate)
        await recv_json(agent)
        await agent.send('{"op":"host"}')
        await expect_error(agent, ErrorCode.BAD_REQUEST)
        assert await recv_json(console) == PeerGone()
        await expect_closed(console)


@pytest.mark.parametrize("leaver", ["agent", "console"])
@run_async()
async def test_peer_gone_both_ways(leaver: str) -> None:
    async with relay() as server, client(server) as agent, client(server) as console:
        nameplate = await host(agent)
        await join(console, nameplate)
        await recv_json(agent)
        gone, survivor = (agent, console) if leaver == "agent" else (console, agent)
        await gone.send(b"last words")
        await gone.close()
        assert await survivor.recv() == b"last words"  # everything sent before leaving arrives
        assert await recv_json(survivor) == PeerGone()
        await expect_closed(survivor)
        assert survivor.close_code == 1000
        await wait_for_async(lambda: all_gone(server), what="connections and sessions to end")


@run_async()
async def test_abrupt_disconnect_is_peer_gone() -> None:
    async with relay() as server, client(server) as agent, client(server) as console:
        nameplate = await host(agent)
        await join(console, nameplate)
        await recv_json(agent)
        agent.transport.abort()
        assert await recv_json(console) == PeerGone()


@run_async(timeout=60)
async def test_ten_thousand_messages_in_order_and_intact() -> None:
    async with relay() as server, client(server) as agent, client(server) as console:
        nameplate = await host(agent)
        await join(console, nameplate)
        await recv_json(agent)
        count = 10_000

        def payload(i: int) -> bytes:
            size = (i * 7919) % 3000
            return (
                struct.pack(">I", i)
                + hashlib.blake2b(struct.pack(">I", i)).digest()[: size % 64]
                + bytes([i % 256]) * size
            )

        async def sender(ws: object) -> None:
            for i in range(count):
                await ws.send(payload(i))  # type: ignore[attr-defined]

        async def receiver(ws: object) -> None:
            for i in range(count):
                assert await ws.recv() == payload(i)  # type: ignore[attr-defined]

        await asyncio.gather(sender(agent), receiver(console), sender(console), receiver(agent))
        _, _, body = await http_get(server, "/metrics")
        line = b'fernhilfe_relay_forwarded_messages_total{direction="agent_to_console"} 10000.0'
        assert line in body


@run_async()
async def test_backpressure_bounds_what_a_slow_reader_costs() -> None:
    async with (
        relay() as server,
        client(server) as agent,
        client(server, max_queue=1) as console,
    ):
        nameplate = await host(agent)
        await join(console, nameplate)
        await recv_json(agent)
        chunk = os.urandom(256 * 1024)
        sent = 0

        async def flood() -> None:
            nonlocal sent
            while True:
                await agent.send(chunk)
                sent += len(chunk)

        task = asyncio.create_task(flood())
        await settled_async(lambda: sent, 0.5, 10.0, "the sender to be stalled by the slow reader")
        task.cancel()
        assert sent < 64 * 1024 * 1024
        # the reader then gets everything in order
        got = 0
        while got < sent - 2 * len(chunk):
            got += len(await console.recv())


@run_async()
async def test_handshake_timeout_for_silent_clients() -> None:
    async with relay(handshake_timeout=0.3) as server, client(server) as ws:
        await expect_error(ws, ErrorCode.HANDSHAKE_TIMEOUT)


@run_async()
async def test_idle_timeout_closes_quiet_sessions() -> None:
    async with relay(idle_timeout=0.4) as server, client(server) as agent, client(server) as c:
        nameplate = await host(agent)
        await join(c, nameplate)
        await recv_json(agent)
        for _ in range(4):  # traffic keeps it alive
            await asyncio.sleep(0.2)  # the stimulus: traffic paced inside the 0.4 s idle timeout
            await agent.send(b"tick")
            assert await c.recv() == b"tick"
        await expect_error(agent, ErrorCode.IDLE_TIMEOUT)
        await expect_error(c, ErrorCode.IDLE_TIMEOUT)


@run_async()
async def test_stop_tells_everyone_shutting_down() -> None:
    async with (
        relay() as server,
        client(server) as agent,
        client(server) as console,
        client(server) as waiting,
    ):
        nameplate = await host(agent)
        await host(waiting)
        await join(console, nameplate)
        await recv_json(agent)
        await server.stop()
        for ws in (agent, console, waiting):
            await expect_error(ws, ErrorCode.SHUTTING_DOWN)
            assert ws.close_code == 1012


@run_async()
async def test_healthz_and_metrics() -> None:
    async with relay() as server:
        status, headers, body = await http_get(server, "/healthz")
        assert status == 200 and headers["content-type"].startswith("text/plain")
        assert body == b"ok\n"
        async with client(server) as agent, client(server) as console:
            nameplate = await host(agent)
            _, _, body = await http_get(server, "/metrics")
            assert b"fernhilfe_relay_sessions_waiting 1.0" in body
            await join(console, nameplate)
            await recv_json(agent)
            await agent.send(b"12345")
            await console.recv()
            _, _, body = await http_get(server, "/metrics")
            assert b"fernhilfe_relay_sessions_paired 1.0" in body
            assert b'fernhilfe_relay_joins_total{outcome="paired"} 1.0' in body
            line = b'fernhilfe_relay_forwarded_bytes_total{direction="agent_to_console"} 5.0'
            assert line in body
        async with client(server) as late:
            await join(late, nameplate)
        _, _, body = await http_get(server, "/metrics")
        assert b'fernhilfe_relay_joins_total{outcome="spent"} 1.0' in body
        assert b'fernhilfe_relay_rejections_total{reason="nameplate_spent"} 1.0' in body
        status, _, _ = await http_get(server, "/nope")
        assert status == 404


def test_logs_contain_no_nameplate(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="fernhilfe.relay")
    seen: list[str] = []

    @run_async()
    async def scenario() -> None:
        async with relay() as server, client(server) as agent, client(server) as console:
            nameplate = await host(agent)
            seen.append(nameplate)
            await join(console, nameplate)
            await recv_json(agent)
            await agent.send(b"secret-content")
            await console.recv()

    scenario()
    formatter = JsonLogFormatter()
    lines = [formatter.format(r) for r in caplog.records if r.getMessage() != "listening"]
    assert any('"event":"paired"' in line for line in lines)
    for line in lines:
        values = [str(v) for v in json.loads(line).values()]
        assert seen[0] not in values, line
        assert "secret-content" not in line and "127.0.0.1" not in line, line


def xff(address: str) -> dict[str, object]:
    return {"additional_headers": {"X-Forwarded-For": address}}


@run_async()
async def test_trusted_proxy_header_gives_each_client_its_own_limits() -> None:
    async with relay(
        trusted_proxies=("127.0.0.1",), max_unpaired_per_ip=1, join_free_failures=0
    ) as server:
        # Two clients behind the proxy: one unpaired connection each, not one for all.
        async with (
            client(server, **xff("203.0.113.7")) as a,
            client(server, **xff("198.51.100.1, 192.0.2.8")) as b,  # spoofed left entry
        ):
            await host(a)
            await host(b)
            await expect_http_refusal(server, 429, **xff("203.0.113.7"))
            await expect_http_refusal(server, 429, **xff("6.6.6.6, 192.0.2.9"))
        # Join back-off lands on the client, not on the proxy.
        async with client(server, **xff("198.51.100.9")) as guesser:
            assert (await join(guesser, "999")).code is ErrorCode.UNKNOWN_NAMEPLATE
        assert server.limiter.locked_for("198.51.100.0/24") > 0
        assert server.limiter.locked_for("127.0.0.0/24") == 0
        async with client(server, **xff("100.64.0.1")) as agent, client(server) as console:
            nameplate = await host(agent)
            assert await join(console, nameplate) == Paired()


@pytest.mark.parametrize("trusted", [(), ("192.0.2.1", "10.0.0.0/8")])
@run_async()
async def test_forwarded_for_is_ignored_unless_the_peer_is_trusted(
    trusted: tuple[str, ...],
) -> None:
    async with relay(
        trusted_proxies=trusted, max_unpaired_per_ip=1, join_free_failures=0
    ) as server:
        async with client(server, **xff("203.0.113.7")) as a:
            await host(a)
            await expect_http_refusal(server, 429, **xff("198.51.100.8"))  # same TCP peer
        async with client(server, **xff("203.0.113.9")) as guesser:
            assert (await join(guesser, "999")).code is ErrorCode.UNKNOWN_NAMEPLATE
        assert server.limiter.locked_for("127.0.0.0/24") > 0
        assert server.limiter.locked_for("203.0.113.0/24") == 0


@run_async()
async def test_read_size_caps_socket_reads_and_big_messages_still_pass() -> None:
    async with (
        relay(read_size=4096) as server,
        client(server) as agent,
        client(server) as console,
    ):
        nameplate = await host(agent)
        await join(console, nameplate)
        await recv_json(agent)
        assert {peer.conn.transport.max_size for peer in server._peers} == {4096}  # type: ignore[attr-defined]
        big = os.urandom(1024 * 1024)
        await agent.send(big)
        assert await console.recv() == big


@run_async(10)
async def test_stop_returns_even_if_the_report_loop_loses_its_cancellation() -> None:
    """The node's report loop stopped by cancel() alone: on Python 3.11 a cancel can be lost
    inside library code (``asyncio.wait_for`` in redis-py, CPython gh-86296), and stop() then
    awaited the loop for ever (a SIGTERM'd cluster relay that never exits). Here the shared
    state's ``report`` swallows the cancel the way that does; stop() still returns at once."""
    inside = asyncio.Event()
    losing = True

    class LosesTheCancel(LocalState):
        async def report(self, *, draining: bool, connections: int, sessions: int) -> None:
            inside.set()
            if not losing:
                return
            with contextlib.suppress(asyncio.CancelledError):  # lost: returns as if not cancelled
                await asyncio.sleep(0.3)

    settings = RelaySettings(host="127.0.0.1", port=0, handshake_timeout=2.0, ping_interval=0.0,
                             heartbeat_interval=0.001)
    server = RelayServer(settings, LosesTheCancel(settings, node="local"))
    await server.start()
    await asyncio.wait_for(inside.wait(), 5)
    stopping = asyncio.create_task(server.stop())
    done, _ = await asyncio.wait({stopping}, timeout=1.5)
    if not done:  # the old code: let the loop end, so the failure does not hang the run
        losing = False
        assert server._heartbeat is not None
        server._heartbeat.cancel()
        await stopping
    assert done, "stop() waited for a report loop that had lost its cancellation"
    assert server._heartbeat is not None and server._heartbeat.done()
