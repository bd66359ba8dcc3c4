"""Helpers for relay tests: an in-process relay on loopback and thin websocket clients."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ParamSpec

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

from relay.server import RelayServer
from relay.settings import RelaySettings
from shared.rendezvous import Error, ErrorCode, Host, Join, Nameplate, encode, parse_server

P = ParamSpec("P")

#: Test settings: fast timeouts, loopback only.
FAST = {
    "host": "127.0.0.1",
    "port": 0,
    "handshake_timeout": 2.0,
    "idle_timeout": 30.0,
    "ping_interval": 0.0,
}


def run_async(timeout: float = 30.0) -> Callable[[Callable[P, Awaitable[None]]], Callable[P, None]]:
    """Run an async test function on a fresh loop, failing (not hanging) after ``timeout``."""

    def wrap(fn: Callable[P, Awaitable[None]]) -> Callable[P, None]:
        @functools.wraps(fn)
        def inner(*args: P.args, **kwargs: P.kwargs) -> None:
            async def guarded() -> None:
                async with asyncio.timeout(timeout):
                    await fn(*args, **kwargs)

            asyncio.run(guarded())

        return inner

    return wrap


@contextlib.asynccontextmanager
async def relay(**overrides: Any) -> AsyncIterator[RelayServer]:
    """A relay on 127.0.0.1 with an ephemeral port, stopped afterwards."""
    server = RelayServer(RelaySettings(**{**FAST, **overrides}))
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def client(server: RelayServer, **kwargs: Any) -> Any:
    """``async with client(server) as ws``: a websocket to the relay, no compression."""
    kwargs.setdefault("open_timeout", 5)
    return connect(server.url, compression=None, close_timeout=2, max_size=None, **kwargs)


async def recv_json(ws: ClientConnection, timeout: float = 5.0) -> Any:
    """The next relay text message, parsed strictly."""
    async with asyncio.timeout(timeout):
        data = await ws.recv()
    return parse_server(data)


async def host(ws: ClientConnection) -> str:
    """Agent side: ask for a nameplate."""
    await ws.send(encode(Host()))
    message = await recv_json(ws)
    assert isinstance(message, Nameplate), message
    return message.nameplate


async def join(ws: ClientConnection, nameplate: str) -> Any:
    """Console side: join; returns the relay's answer."""
    await ws.send(encode(Join(nameplate)))
    return await recv_json(ws)


async def expect_error(ws: ClientConnection, code: ErrorCode, timeout: float = 5.0) -> None:
    """The relay sends ``error`` with ``code`` and then closes."""
    message = await recv_json(ws, timeout)
    assert message == Error.of(code), message
    async with asyncio.timeout(timeout):
        await ws.wait_closed()


async def expect_closed(ws: ClientConnection, timeout: float = 5.0) -> None:
    """The connection closes (whatever the code)."""
    async with asyncio.timeout(timeout):
        await ws.wait_closed()


async def http_get(server: RelayServer, path: str) -> tuple[int, dict[str, str], bytes]:
    """A plain HTTP/1.1 GET against the relay."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        await writer.drain()
        async with asyncio.timeout(5):
            raw = await reader.read()
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


async def metrics(server: RelayServer) -> dict[str, float]:
    """The relay's Prometheus samples, ``{"name{labels}": value}`` (counts left /healthz)."""
    status, _, body = await http_get(server, "/metrics")
    assert status == 200
    samples: dict[str, float] = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


async def gauges(server: RelayServer) -> tuple[float, float, float]:
    """Open connections, waiting and paired sessions, from /metrics."""
    m = await metrics(server)
    return (
        m["fernhilfe_relay_connections"],
        m["fernhilfe_relay_sessions_waiting"],
        m["fernhilfe_relay_sessions_paired"],
    )


async def expect_http_refusal(server: RelayServer, status: int, **kwargs: Any) -> None:
    """The relay refuses the websocket before the upgrade with HTTP ``status``."""
    with pytest.raises(InvalidStatus) as info:
        async with client(server, **kwargs):
            pass
    assert info.value.response.status_code == status
