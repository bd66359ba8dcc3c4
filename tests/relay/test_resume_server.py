"""Resume pairing through a real relay on loopback (relay/server.py), real websockets clients."""

from __future__ import annotations

import asyncio

from shared import resume
from shared.rendezvous import ErrorCode, Paired, Resume, encode
from tests.relay.helpers import (
    client,
    expect_error,
    gauges,
    host,
    join,
    recv_json,
    relay,
    run_async,
)

SECRET = resume.resume_secret(bytes(range(32)), bytes(range(32, 64)))
TOKEN = resume.token(SECRET, 1).hex()


@run_async()
async def test_both_tokens_pair_and_forward_without_any_memory_of_the_old_pair() -> None:
    """A fresh relay (never saw the session) pairs the two ends by their token alone."""
    async with relay() as server, client(server) as agent, client(server) as console:
        await console.send(encode(Resume(TOKEN, "console")))
        await asyncio.sleep(0.1)
        assert (await gauges(server))[2] == 0  # waiting, not paired
        await agent.send(encode(Resume(TOKEN, "agent")))
        assert await recv_json(agent) == Paired()
        assert await recv_json(console) == Paired()
        await agent.send(b"R\x01frame")
        assert await console.recv() == b"R\x01frame"
        await console.send(b"R\x01ack")
        assert await agent.recv() == b"R\x01ack"
        assert (await gauges(server))[2] == 1


@run_async()
async def test_a_replayed_token_is_refused() -> None:
    async with relay() as server, client(server) as agent, client(server) as console:
        await agent.send(encode(Resume(TOKEN, "agent")))
        await console.send(encode(Resume(TOKEN, "console")))
        assert await recv_json(agent) == Paired()
        for role in ("agent", "console"):
            async with client(server) as replay:
                await replay.send(encode(Resume(TOKEN, role)))
                await expect_error(replay, ErrorCode.RESUME_REFUSED)


@run_async()
async def test_a_third_party_with_the_waiting_role_is_refused_and_cannot_take_over() -> None:
    async with relay() as server, client(server) as agent:
        await agent.send(encode(Resume(TOKEN, "agent")))
        async with client(server) as stranger:
            await stranger.send(encode(Resume(TOKEN, "agent")))
            await expect_error(stranger, ErrorCode.RESUME_REFUSED)
        async with client(server) as console:
            await console.send(encode(Resume(TOKEN, "console")))
            assert await recv_json(console) == Paired()
            assert await recv_json(agent) == Paired()


@run_async()
async def test_after_the_grace_period_the_waiter_and_a_late_peer_hear_expired() -> None:
    async with relay(resume_grace=0.5) as server, client(server) as agent:
        await agent.send(encode(Resume(TOKEN, "agent")))
        await expect_error(agent, ErrorCode.RESUME_EXPIRED, timeout=5)
        async with client(server) as console:
            await console.send(encode(Resume(TOKEN, "console")))
            await expect_error(console, ErrorCode.RESUME_EXPIRED)
        assert await gauges(server) == (0, 0, 0)


@run_async()
async def test_resume_does_not_touch_nameplates_and_a_waiter_may_leave() -> None:
    async with relay() as server, client(server) as agent, client(server) as console:
        async with client(server) as waiter:
            await waiter.send(encode(Resume(TOKEN, "agent")))
            await asyncio.sleep(0.1)
        plate = await host(agent)
        assert await join(console, plate) == Paired()
        async with client(server) as again, client(server) as peer:
            await again.send(encode(Resume(TOKEN, "agent")))  # the left waiter freed it
            await peer.send(encode(Resume(TOKEN, "console")))
            assert await recv_json(again) == Paired()


@run_async()
async def test_anything_sent_while_waiting_is_a_bad_request() -> None:
    async with relay() as server, client(server) as agent:
        await agent.send(encode(Resume(TOKEN, "agent")))
        await agent.send(b"too early")
        await expect_error(agent, ErrorCode.BAD_REQUEST)
