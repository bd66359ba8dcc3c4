"""An agent's and a console's session driver, paired through a real relay, each moving files
with the real :class:`desktop.transfers.TransferPump` (tests/desktop/test_transfers.py and
bench/file_transfer.py).

The drivers are :class:`desktop.session_driver.SessionDriver` with the programs' file wiring
and nothing else (no windows): what the agent's and the console's drivers do with file events
(api17 §5.1), so the transfer path is the product's from the pump to the relay and back. The
customer's consent is the session machine's ``decide`` here, which is what the agent's dialog
calls on Allow; the dialog itself is tested with its real button in tests/agent and tests/e2e.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from desktop.audit_store import AuditRecord
from desktop.relay_client import RelayConnection
from desktop.session_driver import SessionDriver
from desktop.transfers import FileSink, FileSource, TransferPump, TransferUpdate
from shared.codes import SessionCode, new_secret
from shared.session import (
    AgentSession,
    ConsentRequested,
    ConsoleSession,
    FileAccepted,
    Phase,
    SessionEnded,
)

#: What the console asks for and the customer allows, unless a caller says otherwise.
FILES_BOTH_WAYS = frozenset({"view", "files_in", "files_out"})


class PumpSide(SessionDriver):
    """One side's session driver with a transfer pump; ``grant``: the agent allows these."""

    def __init__(self, session: AgentSession | ConsoleSession, record: AuditRecord,
                 loop: asyncio.AbstractEventLoop, folder: Path, *,
                 grant: frozenset[str] | None = None, margin: int = 0) -> None:
        self.seen: list[object] = []
        self.updates: list[TransferUpdate] = []
        self.ended: SessionEnded | None = None
        #: every FileAccepted this side got as sender: (id, offset), first and after resumes
        self.accepted: list[tuple[int, int]] = []
        #: called with every event that is not a file event (the bench's frames)
        self.on_other: Callable[[object], None] | None = None
        super().__init__(session, record, self._sink, loop)
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.grant = grant
        self.pump = TransferPump(session, self.handle, self._sink, loop, folder=folder,
                                 source=FileSource(), file_sink=FileSink(margin=margin),
                                 audit=self.audit)

    def _sink(self, ev: object) -> None:
        if isinstance(ev, TransferUpdate):
            self.updates.append(ev)
        self.seen.append(ev)

    def on_event(self, ev: object) -> None:
        if isinstance(ev, FileAccepted):
            self.accepted.append((ev.id, ev.offset))
        if self.pump.on_event(ev):
            return
        if isinstance(ev, ConsentRequested) and self.grant is not None:
            assert isinstance(self.session, AgentSession)
            self.handle(self.session.decide(True, ev.permissions & self.grant))
        if self.on_other is not None:
            self.on_other(ev)
        else:
            self.seen.append(ev)

    def on_ended(self, ev: SessionEnded) -> None:
        self.ended = ev
        self.seen.append(ev)

    def link_resumed(self, n: int) -> None:
        if isinstance(self.session, AgentSession):
            self.handle(self.session.restate())
        self.pump.resumed()

    async def stopped(self) -> None:
        self.pump.close()

    def final(self, direction: str, id: int) -> TransferUpdate | None:
        """The last update of a transfer once it finished (completed/cancelled), else None."""
        for up in reversed(self.updates):
            if up.direction == direction and up.id == id:
                return up if up.state in ("completed", "cancelled") else None
        return None


@dataclass
class Pair:
    """Both sides of one running session and the task that runs them."""

    agent: PumpSide
    console: PumpSide
    runs: asyncio.Future[tuple[None, None]]
    code: SessionCode
    conns: list[RelayConnection] = field(default_factory=list)

    async def end(self, timeout: float = 10.0) -> None:
        """End from the console's side and wait until both drivers tore down."""
        if not self.console.session.ended:
            self.console.end("technician_ended")
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(self.runs), timeout)
        for conn in (self.agent._conn, self.console._conn, *self.conns):
            if conn is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(conn.close(), 2)


async def until(cond: Callable[[], bool], timeout: float = 10.0, step: float = 0.005) -> None:
    """Wait on the loop until ``cond()``; TimeoutError after ``timeout`` seconds."""
    async with asyncio.timeout(timeout):
        while not cond():
            await asyncio.sleep(step)


async def open_pair(url: str, root: Path, *, requested: frozenset[str] = FILES_BOTH_WAYS,
                    grant: frozenset[str] | None = None, resumable: bool = True,
                    margin: int = 0) -> Pair:
    """Pair an agent and a console through the relay at ``url`` and run both until ACTIVE.

    Files land in ``root/customer`` (agent) and ``root/technician`` (console); the audit
    records in ``root/records``. ``resumable``: a dropped link is resumed on a new one."""
    loop = asyncio.get_running_loop()
    aconn, code = await host_code(url)
    cconn = await RelayConnection.open(url)
    await cconn.join(code.nameplate)
    await aconn.wait_paired()
    agent = agent_side(code, root, loop, grant=requested if grant is None else grant,
                       margin=margin)
    console = console_side(code, root, loop, requested=requested, margin=margin)
    if resumable:
        agent.relay_url = console.relay_url = url
    runs = asyncio.gather(agent.run(aconn), console.run(cconn))
    pair = Pair(agent, console, runs, code, [aconn, cconn])
    try:
        await until(lambda: (agent.session.phase is Phase.ACTIVE
                             and console.session.phase is Phase.ACTIVE)
                    or agent.session.ended or console.session.ended)
    except TimeoutError:
        await pair.end()
        raise
    if agent.session.ended or console.session.ended:
        await pair.end()
        raise RuntimeError(f"the session did not start: {agent.ended or console.ended}")
    return pair


def agent_side(code: SessionCode, root: Path, loop: asyncio.AbstractEventLoop, *,
               grant: frozenset[str] = FILES_BOTH_WAYS, margin: int = 0) -> PumpSide:
    """The customer's side alone (its files in ``root/customer``), for a console elsewhere."""
    return PumpSide(AgentSession(code), AuditRecord.create(root / "records" / "agent", "agent"),
                    loop, root / "customer", grant=grant, margin=margin)


def console_side(code: SessionCode, root: Path, loop: asyncio.AbstractEventLoop, *,
                 requested: frozenset[str] = FILES_BOTH_WAYS, margin: int = 0,
                 cls: type[PumpSide] = PumpSide) -> PumpSide:
    """The technician's side alone (its files in ``root/technician``); ``cls``: a subclass."""
    return cls(ConsoleSession(code, name="Eva Technik", requested=requested),
                    AuditRecord.create(root / "records" / "console", "console"), loop,
                    root / "technician", margin=margin)


async def host_code(url: str) -> tuple[RelayConnection, SessionCode]:
    """The agent's connection with a fresh code on it (the console joins with ``code``)."""
    conn = await RelayConnection.open(url)
    plate = await conn.host()
    return conn, SessionCode(plate.nameplate, new_secret())
