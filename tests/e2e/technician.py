"""A scripted technician for the agent's issue-17 end-to-end tests: a real ``ConsoleSession``
over the real relay, on its own asyncio loop in a thread, that the test drives step by step.

Why not the console program: the console's clipboard and file UI is the console lane's (tested
there); these tests prove the *customer's* side — the real agent, its real windows, its real
X clipboard and its real Downloads folder — against a technician that does exactly what the
protocol lets a console do (and, where a test says so, what a hostile one might try).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any, TypeVar

from PySide6.QtTest import QTest
from websockets.asyncio.client import connect

from shared import messages as m
from shared import rendezvous as rv
from shared.codes import parse_code
from shared.session import ConsoleSession, FrameReceived, Step

#: How often the technician pings, as the console does (the agent's link watchdog hears it).
PING_EVERY = 0.5

T = TypeVar("T")


class ScriptedTechnician:
    """Joins ``code`` through ``url`` asking for ``requested``; answers everything the agent
    sends (pings, frames acked as a console does) and keeps every event it saw."""

    def __init__(self, url: str, code: str, requested: frozenset[str],
                 hello: m.Hello | None = None) -> None:
        self.url = url
        self.code = parse_code(code)
        self.session = ConsoleSession(self.code, name="Eva Technik", organisation="Acme IT",
                                      requested=requested)
        if hello is not None:  # an older console's introduction (tests/e2e/test_old_console)
            self.session._hello = hello
        self.events: list[object] = []
        self._lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self._ws: Any = None
        self._closed = asyncio.Event()
        self._out: asyncio.Queue[bytes] = asyncio.Queue()
        self.error: BaseException | None = None
        #: called on the loop with each event before it is kept (e.g. a TransferPump)
        self.on_event: Callable[[object], object] | None = None
        self.thread = threading.Thread(target=self.loop.run_forever, name="technician",
                                       daemon=True)
        self.thread.start()
        self._main: Future[None] = asyncio.run_coroutine_threadsafe(self._run(), self.loop)

    # ---------------------------------------------------------------- test side

    def call(self, fn: Callable[[ConsoleSession], T], timeout: float = 10.0) -> T:
        """Run ``fn(session)`` on the technician's loop; a returned Step is sent at once."""
        async def run() -> T:
            result = fn(self.session)
            step = result[1] if isinstance(result, tuple) and len(result) == 2 and \
                isinstance(result[1], Step) else result
            if isinstance(step, Step):
                await self.send_step(step)
            return result
        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout)

    def seen(self, kind: type, pred: Callable[[Any], bool] = lambda _e: True) -> list[Any]:
        with self._lock:
            return [e for e in self.events if isinstance(e, kind) and pred(e)]

    def wait_for(self, kind: type, pred: Callable[[Any], bool] = lambda _e: True,
                 timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.seen(kind, pred)
            if found:
                return found[0]
            if self.error is not None:
                raise AssertionError(f"the technician failed: {self.error!r}")
            QTest.qWait(20)  # the agent's windows and clipboard live on this (GUI) thread
        raise AssertionError(f"the technician never saw {kind.__name__}; saw "
                             f"{[type(e).__name__ for e in self.events][-20:]}")

    def close(self) -> None:
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self._closed.set)
            with contextlib.suppress(BaseException):  # a failed run is in self.error
                self._main.result(10)
            self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        if not self.loop.is_running():
            self.loop.close()

    # ---------------------------------------------------------------- loop side

    async def send_step(self, step: Step) -> None:
        self.handle(step)

    def handle(self, step: Step) -> None:
        """Send ``step`` (loop thread). Messages are sealed with counters when the step is
        made, so they go out through ONE queue in that order (as the session driver does):
        two writers could swap them and the agent would rightly end with an integrity error."""
        for data in step.outgoing:
            self._out.put_nowait(data)
        self._keep(step.events)

    async def _write(self, ws: Any) -> None:
        while True:
            await ws.send(await self._out.get())

    def _keep(self, events: Sequence[object]) -> None:
        for ev in events:
            if self.on_event is not None:
                self.on_event(ev)
            with self._lock:
                self.events.append(ev)

    async def _run(self) -> None:
        try:
            async with connect(self.url, compression=None, max_size=None) as ws:
                self._ws = ws
                await ws.send(rv.encode(rv.Join(self.code.nameplate)))
                assert isinstance(rv.parse_server(await ws.recv()), rv.Paired)
                await ws.send(self.session.start())
                writer = asyncio.create_task(self._write(ws))
                reader = asyncio.create_task(self._read(ws))
                pinger = asyncio.create_task(self._ping())
                closed = asyncio.create_task(self._closed.wait())
                await asyncio.wait({reader, closed}, return_when=asyncio.FIRST_COMPLETED)
                reader.cancel()
                pinger.cancel()
                if not self.session.ended:
                    self.handle(self.session.end("technician_ended"))
                for _ in range(200):  # the End goes out (at most 2 s)
                    if self._out.empty() or writer.done():
                        break
                    await asyncio.sleep(0.01)
                writer.cancel()
        except BaseException as exc:
            self.error = exc
            raise

    async def _ping(self) -> None:
        while not self.session.ended:
            await asyncio.sleep(PING_EVERY)
            await self.send_step(self.session.ping())

    async def _read(self, ws: Any) -> None:
        async for data in ws:
            if not isinstance(data, bytes):
                continue
            step = self.session.receive(data)
            await self.send_step(step)
            for ev in step.events:  # shown at once, as far as this technician cares
                if isinstance(ev, FrameReceived):
                    await self.send_step(self.session.ack(ev.update.seq))
            if self.session.ended:
                return
