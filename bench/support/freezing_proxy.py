"""A TCP proxy that can freeze a link: what a dead Wi-Fi looks like to both of its ends.

Used by ``bench/resume.py`` and the resume tests: the agent talks to the relay through it, and
``freeze(True)`` holds every byte both ways (connections stay open, new ones are accepted and
wait too) until ``freeze(False)``, when the held bytes flow on.
"""

from __future__ import annotations

import asyncio
import threading


class FreezingProxy:
    """A TCP forwarder on its own asyncio thread that can hold every byte for a while.

    A freeze is what a dead Wi-Fi looks like to both ends: nothing arrives and nothing fails;
    when it ends, the held bytes flow on."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._open: asyncio.Event | None = None
        self._server: asyncio.Server | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="freezing-proxy", daemon=True)

    def start(self) -> int:
        self._thread.start()
        self._ready.wait(10)
        return self.port

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._open = asyncio.Event()
        self._open.set()
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_r, up_w = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pump(reader, up_w), self._pump(up_r, writer),
                             return_exceptions=True)

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        assert self._open is not None
        try:
            while data := await src.read(65536):
                await self._open.wait()
                dst.write(data)
                await dst.drain()
        finally:
            dst.close()

    def stop(self) -> None:
        """Close every link and the listening socket, then end the proxy's thread."""
        async def shut() -> None:
            assert self._server is not None
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._loop.stop()

        asyncio.run_coroutine_threadsafe(shut(), self._loop)
        self._thread.join(10)

    def freeze(self, frozen: bool) -> None:
        assert self._open is not None
        self._loop.call_soon_threadsafe(self._open.clear if frozen else self._open.set)
