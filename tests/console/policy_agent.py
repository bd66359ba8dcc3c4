"""The customer's side reduced to its session machine, for the console's identity tests.

:class:`PolicyAgent` hosts a code on the real relay (loopback) and runs the real
:class:`shared.session.AgentSession` with a :class:`TrustPolicy` and revocation lists, as a
branded agent does; when it is asked for consent it records the verdict and answers "allow"
(in the product that is the customer's click in the agent's dialog, which tests/agent and
tests/e2e drive; here the console is under test, so the customer's program is a stand-in).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Mapping

from desktop.loop_thread import LoopThread
from desktop.relay_client import RelayConnection, RelayError
from shared.codes import SessionCode, new_secret
from shared.identity import TrustPolicy
from shared.session import AgentSession, ConsentRequested, SessionEnded


class PolicyAgent:
    def __init__(self, relay_url: str, trust: TrustPolicy,
                 revocations: Mapping[str, bytes | None] | None = None) -> None:
        self.relay_url = relay_url
        self.trust = trust
        self.revocations = dict(revocations or {})
        self.code = ""
        self.consent: ConsentRequested | None = None
        self.ended: SessionEnded | None = None
        self.session: AgentSession | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()
        self._ready = threading.Event()
        self._task: asyncio.Task[None] | None = None
        self._io = LoopThread("policy-agent")
        self._io.start()

    def start(self, timeout: float = 15.0) -> str:
        self._io.call(lambda: setattr(self, "_task", self._io.loop.create_task(self._run())))
        if not self._ready.wait(timeout) or not self.code:
            raise RuntimeError(f"the agent got no code: {self.error!r}")
        return self.code

    def stop(self) -> None:
        async def shutdown() -> None:
            if self._task is not None:
                self._task.cancel()
                with contextlib.suppress(BaseException):
                    await self._task
        self._io.stop(shutdown, 5.0)

    async def _run(self) -> None:
        try:
            conn = await RelayConnection.open(self.relay_url)
            try:
                plate = await conn.host()
                code = SessionCode(plate.nameplate, new_secret())
                self.code = code.display()
                self._ready.set()
                await conn.wait_paired()
                await self._session(conn, code)
            finally:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), 1.0)
        except (RelayError, OSError) as exc:
            self.error = exc
        finally:
            self._ready.set()
            self.done.set()

    async def _session(self, conn: RelayConnection, code: SessionCode) -> None:
        session = self.session = AgentSession(code, trust=self.trust)
        session.set_revocation_lists(self.revocations)
        await conn.send(session.start())
        while not session.ended:
            try:
                data = await conn.recv()
            except RelayError:
                return
            step = session.receive(data)
            for ev in step.events:
                if isinstance(ev, ConsentRequested):
                    self.consent = ev
                    step.outgoing.extend(session.decide(True, ev.permissions).outgoing)
                elif isinstance(ev, SessionEnded):
                    self.ended = ev
            for out in step.outgoing:
                await conn.send(out)
