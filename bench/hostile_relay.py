"""A hostile relay on loopback that speaks the real rendezvous protocol (used by tests and bench).

It is what an attacker who runs (or sits in front of) the relay can do to an unattended agent:

* ``guess``: hand out a nameplate, pair at once and play the console with the real
  :class:`~shared.handshake.ConsoleHandshake` and a wrong secret. Each agent CONFIRM it receives
  is one password guess tested (``guesses``);
* ``silent``: hand out a nameplate, pair at once, then say nothing;
* ``drop``: hand out a nameplate, pair at once, take the agent's first message and hang up;
* ``plate8``: hand out an 8-digit nameplate (over the 7-digit cap: the agent must refuse it);
* ``reject``: answer ``host`` with a relay error whose English text is hostile (``error_code``
  and ``error_message`` choose it, unknown codes included).

No real relay is involved: this is a test double for the *relay*, which DESIGN.md treats as
untrusted; the agent under test is the real one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import threading
import time

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from shared import rendezvous as rv
from shared.codes import SessionCode
from shared.handshake import ConsoleHandshake


class HostileRelay:
    """A websocket server on 127.0.0.1 in its own thread; counters are read by the test."""

    def __init__(self, mode: str = "guess", *, error_code: str = "rate_limited",
                 error_message: str = "<b>Call +49 900 666 666 now</b>") -> None:
        self.mode = mode
        self.error_code = error_code
        self.error_message = error_message
        self.hosts = 0  # nameplates handed out
        self.paired = 0
        self.guess_times: list[float] = []  # time.monotonic() of each guess tested
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="hostile-relay", daemon=True)
        self._next_plate = 100

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/v1"

    @property
    def guesses(self) -> int:
        return len(self.guess_times)

    def start(self) -> HostileRelay:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the hostile relay did not start")
        return self

    def stop(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(5)

    def __enter__(self) -> HostileRelay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ server thread

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._serve())
        self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        async with serve(self._handle, "127.0.0.1", 0, compression=None) as server:
            self.port = next(iter(server.sockets)).getsockname()[1]
            self._ready.set()
            await self._stop.wait()

    async def _handle(self, ws: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed, rv.RendezvousError):
            msg = rv.parse_client(await ws.recv())
            if not isinstance(msg, rv.Host):
                return
            if self.mode == "reject":
                await ws.send(json.dumps({"op": "error", "code": self.error_code,
                                          "message": self.error_message}))
                return
            plate = "12345678" if self.mode == "plate8" else str(self._next_plate)
            self._next_plate += 1
            self.hosts += 1
            await ws.send(json.dumps({"op": "nameplate", "nameplate": plate,
                                      "expires_in": 600}))
            if self.mode == "plate8":
                await ws.wait_closed()
                return
            await ws.send(rv.encode(rv.Paired()))
            self.paired += 1
            if self.mode == "silent":
                await ws.wait_closed()
                return
            if self.mode == "drop":
                await ws.recv()
                return  # the server closes the connection
            await self._guess(ws, plate)

    async def _guess(self, ws: ServerConnection, plate: str) -> None:
        """Play the console with a random secret: one online guess at the agent's code."""
        guess = SessionCode(plate, f"{secrets.randbelow(10**6):06d}")
        hs = ConsoleHandshake(guess)
        await ws.send(hs.start())
        agent_pake = await ws.recv()
        step = hs.receive(bytes(agent_pake))  # type: ignore[arg-type]
        for out in step.outgoing:
            await ws.send(out)
        await asyncio.wait_for(ws.recv(), 10)  # the agent's CONFIRM: the guess can be checked
        self.guess_times.append(time.monotonic())
        await asyncio.sleep(0.05)
