"""The customer's side reduced to its session machine, driven step by step by a console test.

:class:`ScriptedAgent` hosts a code on the real relay (loopback) and runs the real
:class:`shared.session.AgentSession`. When the console asks for consent it answers with the
permissions the test chose (in the product that is the customer's click in the agent's own
dialog, which tests/agent and tests/e2e drive; here the console is under test, so the
customer's program is a stand-in). :meth:`do` runs a session method on the agent's loop (e.g.
``lambda s: s.set_permission("clipboard", False)``) and sends what it says; every event the
agent's session reports is kept in :attr:`events`.

:meth:`go_raw` turns it hostile after consent: from then on it seals whatever plaintext the
test gives (:meth:`send_raw`, e.g. a FileOffer with a hostile name, which the real session
would never send) and keeps what the console says, decrypted and decoded, in :attr:`raw`,
without its session machine judging it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterable

from desktop.relay_client import RelayConnection, RelayError
from shared import messages as m
from shared.codes import SessionCode
from shared.session import AgentSession, ConsentRequested, SessionEnded, Step
from tests.console.hosted_agent import HostedAgent


class ScriptedAgent(HostedAgent):
    def __init__(self, relay_url: str, grant: Iterable[str] | None = None) -> None:
        """``grant``: what the customer ticks (None: everything asked for)."""
        super().__init__(relay_url, "scripted-agent")
        self.grant = None if grant is None else frozenset(grant)
        self.events: list[object] = []
        self.allowed = threading.Event()
        self.raw: list[object] = []  # what the console sent since go_raw (decoded)
        self._raw = False
        self._out: asyncio.Queue[bytes] = asyncio.Queue()

    def do(self, action: Callable[[AgentSession], Step], timeout: float = 5.0) -> None:
        """Run ``action(session)`` on the agent's loop and send its messages, in order."""
        done = threading.Event()

        def run() -> None:
            assert self.session is not None and self._conn is not None
            step = action(self.session)
            self.events.extend(step.events)
            for data in step.outgoing:  # queued at once: the wire order is the seal order
                self._out.put_nowait(data)
            done.set()

        self._io.call(run)
        if not done.wait(timeout):
            raise RuntimeError("the agent's loop did not run the action")

    def go_raw(self) -> None:
        """From now on: seal what :meth:`send_raw` gets, and only record what arrives."""
        done = threading.Event()

        def run() -> None:
            self._raw = True
            done.set()

        self._io.call(run)
        done.wait(5)

    def send_raw(self, plaintext: bytes) -> None:
        """Seal ``plaintext`` as the next message (any type and content)."""
        done = threading.Event()

        def run() -> None:
            assert self.session is not None and self.session._channel is not None
            self._out.put_nowait(self.session._channel.seal(plaintext))
            done.set()

        self._io.call(run)
        done.wait(5)

    def raw_of(self, kind: type) -> list[object]:
        return [msg for msg in list(self.raw) if isinstance(msg, kind)]

    def of(self, kind: type) -> list[object]:
        return [ev for ev in list(self.events) if isinstance(ev, kind)]

    async def _session(self, conn: RelayConnection, code: SessionCode) -> None:
        session = self.session = AgentSession(code)
        self._out.put_nowait(session.start())
        sender = asyncio.create_task(self._send_all(conn))
        try:
            await self._receive(conn, session)
        finally:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(0.2)  # the last words (an End) go out
            sender.cancel()
            with contextlib.suppress(BaseException):
                await sender  # done before the loop closes

    async def _send_all(self, conn: RelayConnection) -> None:
        while True:
            data = await self._out.get()
            with contextlib.suppress(RelayError):
                await conn.send(data)

    async def _receive(self, conn: RelayConnection, session: AgentSession) -> None:
        while not session.ended:
            try:
                data = await conn.recv()
            except RelayError:
                return
            if self._raw:
                assert session._channel is not None
                msg = m.decode(session._channel.open(data))
                self.raw.append(msg)
                if isinstance(msg, m.End | m.Error):
                    return
                continue
            step = session.receive(data)
            for ev in step.events:
                self.events.append(ev)
                if isinstance(ev, ConsentRequested):
                    self.consent = ev
                    grant = ev.permissions if self.grant is None else self.grant
                    step.outgoing.extend(session.decide(True, grant).outgoing)
                    self.allowed.set()
                elif isinstance(ev, SessionEnded):
                    self.ended = ev
            for out in step.outgoing:
                self._out.put_nowait(out)
