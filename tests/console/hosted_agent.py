"""What the console tests' stand-ins for the customer's program share: host a code on the real
relay (loopback) from a loop thread of their own, wait to be paired, run a session, stop.

Subclasses (:class:`tests.console.policy_agent.PolicyAgent`,
:class:`tests.console.scripted_agent.ScriptedAgent`) say what happens in the session
(:meth:`HostedAgent._session`); in the product that side is the customer's agent, whose consent
dialog tests/agent and tests/e2e drive with real clicks.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

from desktop.loop_thread import LoopThread
from desktop.relay_client import RelayConnection, RelayError
from shared.codes import SessionCode, new_secret
from shared.session import AgentSession, ConsentRequested, SessionEnded


class HostedAgent:
    def __init__(self, relay_url: str, thread_name: str) -> None:
        self.relay_url = relay_url
        self.code = ""
        self.consent: ConsentRequested | None = None
        self.ended: SessionEnded | None = None
        self.session: AgentSession | None = None
        self.error: BaseException | None = None
        self.done = threading.Event()  # the connection is closed (or never opened)
        self._conn: RelayConnection | None = None
        self._ready = threading.Event()
        self._task: asyncio.Task[None] | None = None
        self._io = LoopThread(thread_name)
        self._io.start()

    def start(self, timeout: float = 15.0) -> str:
        """Host a code and return it as the customer would read it out."""
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
            conn = self._conn = await RelayConnection.open(self.relay_url)
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
        raise NotImplementedError
