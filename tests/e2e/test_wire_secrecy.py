"""The secret part of the code never crosses the wire, in any encoding (issue 9, DESIGN §1-§2).

Every byte the real agent and the real console exchange with a real relay goes through a TCP tap
on loopback. Afterwards the client->relay streams are parsed as the relay parses them (the
websockets library's own sans-I/O server protocol, so masked frames are unmasked exactly as the
relay sees them) and both directions are searched, raw and decoded, for the six secret digits and
the whole code in every encoding a careless program might use.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import pytest
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.server import ServerProtocol

from agent.app import AgentApp
from tests.e2e.conftest import Console, allow, shown_code, xdo

pytestmark = pytest.mark.e2e


@dataclass
class _Stream:
    """One TCP connection through the tap: what the client sent and what the relay sent."""

    up: bytearray = field(default_factory=bytearray)
    down: bytearray = field(default_factory=bytearray)
    closed: bool = False  # both directions ended: every byte is in up/down


class WireTap:
    """A loopback TCP proxy in front of the relay that keeps every byte, both ways."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.streams: list[_Stream] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="wire-tap",
                                        daemon=True)
        self._server: asyncio.Server | None = None

    def start(self) -> None:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        fut.result(10)

    async def _start(self) -> None:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stream = _Stream()
        self.streams.append(stream)
        try:
            r_reader, r_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter,
                       keep: bytearray) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while data := await src.read(65536):
                    keep += data
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(OSError, ConnectionError):
                dst.close()

        await asyncio.gather(pump(reader, r_writer, stream.up),
                             pump(r_reader, writer, stream.down))
        stream.closed = True

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


_TAPS: list[WireTap] = []


@pytest.fixture
def relay_url(relay_url: str) -> Iterator[str]:
    """The real relay, reachable for agent and console only through a tap."""
    parts = urlsplit(relay_url)
    assert parts.hostname is not None and parts.port is not None
    wire = WireTap(parts.hostname, parts.port)
    wire.start()
    _TAPS.append(wire)
    try:
        yield urlunsplit((parts.scheme, f"127.0.0.1:{wire.port}", parts.path, parts.query, ""))
    finally:
        wire.stop()
        _TAPS.remove(wire)


@pytest.fixture
def tap(relay_url: str) -> WireTap:
    return _TAPS[-1]


@dataclass
class Seen:
    """What crossed one connection, as the relay reads it."""

    text: list[bytes]  # the HTTP upgrade request and every text (JSON) message
    binary: list[bytes]  # every binary message (handshake and ciphertext)


def client_messages(raw: bytes) -> Seen:
    """Parse what a client sent exactly as the relay does, unmasking every frame."""
    proto = ServerProtocol(max_size=None)
    proto.receive_data(raw)
    seen = Seen([], [])
    for event in proto.events_received():
        if isinstance(event, Request):
            seen.text.append(event.path.encode() + b"\n" + str(event.headers).encode())
            proto.send_response(proto.accept(event))
        elif isinstance(event, Frame):
            (seen.text if event.opcode is Opcode.TEXT else seen.binary).append(bytes(event.data))
    return seen


def grouped(digits: str, sep: str) -> str:
    return sep.join(digits[i:i + 3] for i in range(0, len(digits), 3))


def encodings(digits: str) -> tuple[list[bytes], list[bytes]]:
    """``digits`` as a careless program might put it on the wire: (long forms, short forms).

    Long forms (6 bytes and more) are searched everywhere, ciphertext included; short ones (a
    4-byte integer, base64 fragments) would match random ciphertext by chance, so they are
    searched in the clear-text parts only (upgrade request, JSON messages)."""
    long: list[bytes] = []
    short: list[bytes] = []
    for text in {digits, grouped(digits, " "), grouped(digits, "-")}:
        for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            long.append(text.encode(codec))
        long += [text.encode().hex().encode(), text.encode().hex().upper().encode()]
        for shift in range(3):  # base64 at every alignment: only the groups that are its own
            enc = base64.b64encode(b"\0" * shift + text.encode())
            inner = enc[4 if shift else 0:]
            inner = inner[:len(inner) - len(inner) % 4 - (4 if (shift + len(text)) % 3 else 0)]
            if inner:
                short.append(inner)
    value = int(digits)
    width = 4 if value < 2**32 else 8
    short += [value.to_bytes(width, "big"), value.to_bytes(width, "little")]
    return long, short


def test_secret_and_code_never_cross_the_wire(qtbot, agent: AgentApp, console: Console,
                                              tap: WireTap) -> None:
    code = shown_code(qtbot, agent).replace(" ", "")
    nameplate, secret = code[:-6], code[-6:]
    console.enter_code(code)
    allow(qtbot, agent)
    qtbot.waitUntil(lambda: agent.overlay is not None, timeout=15000)
    # Real traffic both ways: screen frames, pointer, keys; then the customer ends.
    win = console.window("Fernhilfe")
    xdo(console.display, "mousemove", "--window", win, "200", "200")
    xdo(console.display, "type", "--delay", "20", "abc")
    qtbot.wait(1500)  # the stimulus: 1.5 s of real traffic both ways for the tap to see
    agent.worker.end_session()
    qtbot.waitUntil(lambda: agent.overlay is None, timeout=15000)
    # the session's two connections (agent, console) closed: the tap holds all they sent
    qtbot.waitUntil(lambda: sum(s.closed for s in tap.streams) >= 2, timeout=15000)

    assert len(tap.streams) >= 2, "agent and console should both have reached the relay"
    long_s, short_s = encodings(secret)
    long_c, short_c = encodings(code)
    total = 0
    joins = []
    for stream in tap.streams:
        up, down = bytes(stream.up), bytes(stream.down)
        total += len(up) + len(down)
        seen = client_messages(up)
        joins += [t for t in seen.text if b'"op":"join"' in t]
        for blob in [up, down, *seen.binary, *seen.text]:
            for needle in long_s + long_c:
                assert needle not in blob, f"the code crossed the wire as {needle!r}"
        for blob in seen.text:
            for needle in short_s + short_c:
                assert needle not in blob, f"the code crossed the wire as {needle!r}"
    # The nameplate does cross (it routes the join): proof that tap and parser see clear text.
    assert joins == [f'{{"op":"join","nameplate":"{nameplate}"}}'.encode()]
    assert total > 50_000, "a real session with frames should have crossed the tap"
