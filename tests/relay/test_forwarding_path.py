"""Issue 16 (input first): the path a technician's click takes through the relay.

Small messages must not wait for Nagle's algorithm on any hop (TCP_NODELAY on the relay's
sockets and on the programs' own), and the relay hands on exactly the bytes object it read:
no re-framing copy of its own (what websockets itself copies is measured in bench.relay_load).
These guard what asyncio and the forwarding pump do today, so a later change cannot quietly
add 40 ms of delayed-ACK stalls or a copy per message."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from websockets.asyncio.server import ServerConnection

from desktop.relay_client import RelayConnection
from tests.relay.helpers import relay, run_async


def _nodelay(conn: Any) -> bool:
    sock = conn.transport.get_extra_info("socket")
    return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


async def _pair(server: Any) -> tuple[RelayConnection, RelayConnection]:
    agent = await RelayConnection.open(server.url)
    plate = await agent.host()
    console = await RelayConnection.open(server.url)
    paired = asyncio.ensure_future(agent.wait_paired())
    await console.join(plate.nameplate)
    await paired
    return agent, console


@run_async()
async def test_every_hop_sends_small_messages_at_once_and_the_relay_forwards_unchanged(
) -> None:
    read: list[object] = []
    sent: list[object] = []
    recv, send = ServerConnection.recv, ServerConnection.send

    async def spy_recv(self: ServerConnection, *a: Any, **k: Any) -> Any:
        data = await recv(self, *a, **k)
        read.append(data)
        return data

    async def spy_send(self: ServerConnection, data: Any, *a: Any, **k: Any) -> None:
        sent.append(data)
        await send(self, data, *a, **k)

    ServerConnection.recv, ServerConnection.send = spy_recv, spy_send  # type: ignore[method-assign,assignment]
    try:
        async with relay() as server:
            agent, console = await _pair(server)
            try:
                # the programs' sockets, and every socket the relay accepted
                assert _nodelay(agent._ws) and _nodelay(console._ws)
                assert server._server is not None
                accepted = list(server._server.connections)
                assert len(accepted) == 2 and all(_nodelay(c) for c in accepted)
                click = b"\x01" * 40  # the size of a sealed PointerButton
                await console.send(click)
                assert await asyncio.wait_for(agent.recv(), 5) == click
                frame = b"\x02" * 1_000_000  # and a big frame the other way
                await agent.send(frame)
                assert await asyncio.wait_for(console.recv(), 5) == frame
            finally:
                await agent.close()
                await console.close()
    finally:
        ServerConnection.recv, ServerConnection.send = recv, send  # type: ignore[method-assign]
    binary = [data for data in sent if isinstance(data, bytes)]
    assert len(binary) == 2
    for data in binary:
        assert any(data is r for r in read), "the relay sent a copy, not what it read"
