"""A TCP proxy on loopback that can freeze a link without closing it (issue 13's frozen link).

Why a proxy of our own: a dropped Wi-Fi or a stalled NAT does not close TCP connections; bytes
just stop moving both ways, and nobody is told. ``FreezingProxy`` forwards every connection to
``target`` and, while frozen, forwards nothing in either direction (it stops reading, so TCP's
own back-pressure holds the senders up, as on a dead link), yet keeps every socket open. Thawed,
it forwards what waited, in order. Runs its own asyncio loop in a daemon thread, so tests and
benchmarks that block (Qt, Xlib) can drive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from urllib.parse import urlsplit, urlunsplit

CHUNK = 64 * 1024


class FreezingProxy:
    """Forward 127.0.0.1:<port> to ``target_host:target_port``; :meth:`freeze`/:meth:`thaw`."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._loop = asyncio.new_event_loop()
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._thread = threading.Thread(target=self._loop.run_forever, name="freezing-proxy",
                                        daemon=True)
        self.port = 0
        self.connections = 0  # accepted so far
        self.bytes_up = 0  # forwarded client -> target (agent -> relay)
        self.bytes_down = 0  # forwarded target -> client

    @classmethod
    def for_url(cls, url: str) -> tuple[FreezingProxy, str]:
        """A started proxy in front of the relay at ``url``, and the URL to give clients."""
        parts = urlsplit(url)
        proxy = cls(parts.hostname or "127.0.0.1", parts.port or 80)
        proxy.start()
        netloc = f"127.0.0.1:{proxy.port}"
        return proxy, urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))

    def start(self) -> None:
        self._thread.start()
        fut = asyncio.run_coroutine_threadsafe(self._listen(), self._loop)
        self.port = fut.result(10)

    def freeze(self) -> None:
        """Stop forwarding both ways, keeping every connection open."""
        self._loop.call_soon_threadsafe(self._flowing.clear)

    def thaw(self) -> None:
        """Forward again (what waited first)."""
        self._loop.call_soon_threadsafe(self._flowing.set)

    @property
    def frozen(self) -> bool:
        return not self._flowing.is_set()

    def close(self) -> None:
        """Close the listener and every connection, stop the thread."""
        async def shut() -> None:
            if self._server is not None:
                self._server.close()
            for writer in list(self._writers):
                writer.close()
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(shut(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        return int(self._server.sockets[0].getsockname()[1])

    async def _accept(self, c_reader: asyncio.StreamReader, c_writer: asyncio.StreamWriter
                      ) -> None:
        self.connections += 1
        try:
            u_reader, u_writer = await asyncio.open_connection(*self._target)
        except OSError:
            c_writer.close()
            return
        self._writers.update((c_writer, u_writer))
        await asyncio.gather(self._pump(c_reader, u_writer, True),
                             self._pump(u_reader, c_writer, False))
        self._writers.difference_update((c_writer, u_writer))

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    up: bool) -> None:
        try:
            while True:
                await self._flowing.wait()
                data = await reader.read(CHUNK)
                if not data:
                    break
                await self._flowing.wait()  # frozen while reading: hold it until thawed
                writer.write(data)
                if up:
                    self.bytes_up += len(data)
                else:
                    self.bytes_down += len(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
