"""One session over the relay, run the same way by the agent and the console (no Qt).

Both programs used to carry their own copy of this: the receive loop, the ordered send queue and
its backlog budget, the peer-silence deadline, the audit record and what a failing record means.
A :class:`SessionDriver` is one session from pairing to teardown, on the caller's asyncio loop:

* it feeds what the relay delivers to the session machine (:mod:`shared.session`, used only
  through its public API) and sends what the machine says, in order, through ONE queue (counter
  nonces demand that what is sealed first is sent first); a big message whose counter was
  reserved on the loop (:class:`shared.channel.SealJob`, issue 16) is encrypted on a worker
  thread meanwhile, and what was queued after it waits for it (:meth:`SessionDriver.send_job`),
  so input arriving then is handled at once instead of behind milliseconds of encryption;
* it ends the session when the peer stays silent too long, floods requests without reading
  (:data:`MAX_SEND_BACKLOG`), the relay goes, or this program hits a bug;
* it writes the audit record; a write that fails ends the session (no session without a record);
* every other event of the machine goes to :meth:`on_event`, where the program (agent or
  console) plugs in its own work; programs report to their GUI through a *sink*: a callable that
  receives typed events (dataclasses) on the loop thread and turns them into Qt signals.

The file store of the audit record is reached from here only (the import below), so that where
the store lives is one line to change.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import deque
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from desktop.audit_store import (
    AuditRecord,
    check_writable,
    close_crashed,
    default_audit_dir,
    mark_finished,
    mark_running,
)
from desktop.relay_client import (
    PeerLeft,
    RelayClosed,
    RelayConnection,
    RelayError,
    RelayRejected,
    is_restart,
)
from shared import rendezvous as rv
from shared.audit import AuditWriteError
from shared.channel import SealJob
from shared.link import (
    CONNECTION_LOST,
    DEFAULT_GRACE,
    QUIET_AFTER,
    TICK,
    GraceExpired,
    LinkEvent,
    LinkInterrupted,
    LinkMonitor,
    LinkResumed,
    LinkState,
    ReleaseHeld,
)
from shared.resume import (
    Resumed,
    ResumeHandshake,
    ResumeRefused,
    backoff_delay,
    token,
)
from shared.session import (
    AgentSession,
    ConsoleSession,
    PeerIntroduced,
    Phase,
    SessionEnded,
    Step,
)

log = logging.getLogger(__name__)

#: Messages a program may have waiting to be sent. The flow window bounds frames and everything
#: else is small and rare, so only a peer that floods requests which need an answer (Ping) while
#: it stops reading ever reaches this: the session then ends as ``resource_limit`` instead of
#: growing the queue without bound (issue 9: budgets before allocation, for both programs).
MAX_SEND_BACKLOG = 10_000

#: Bytes from which a message is sealed (reserved first) or opened on the worker thread instead
#: of on the loop. Measured (loaded 2-core box): 64 KiB seals in 0.04 ms, 512 KiB in 0.3 ms,
#: 6 MiB in 4.7 ms (opening alike); a hop to the thread and back costs the loop ~0.05-0.1 ms,
#: so below this it is not worth it.
OFFLOOP_SEAL_MIN = 256 * 1024

#: Seconds what a session said last (End / Error) gets to go out: the teardown waits this long
#: for the send queue to drain, and after ending from this side the driver hangs up itself
#: this long after, if the peer has not closed. A peer that ignores End must not keep this
#: program in a finished session, where the customer's "Get a new code" would wait for the
#: relay to drop the link.
END_GRACE = 2.0

#: Receives the driver's events on the loop thread (the Qt bridge emits signals from them).
Sink = Callable[[object], None]

#: Seconds without any message from the peer after which an active session's link counts as
#: dead and is resumed on a new one (the console pings at least every 5 s, the agent answers):
#: a link frozen somewhere on the way (Wi-Fi gone, NAT forgot it) would otherwise stay "up"
#: until TCP or websocket keepalives give up, 40 s and more. Not shorter: one large frame on a
#: slow uplink (a full screen can be a few MiB) holds the Pong behind it for seconds.
DEAD_LINK_AFTER = 15.0
#: The link watchdog wakes this long after the deadline it sleeps until (seconds): so a timer
#: that fires a hair early finds the event due instead of sleeping again for nothing.
LINK_SLACK = 0.005
#: Seconds between re-checks of the receive loop's waits while nothing arrives.
RECHECK = 1.0
#: Seconds one reconnect attempt may take to reach the relay and open the websocket.
RESUME_OPEN_TIMEOUT = 5.0
#: Seconds the resume HELLO/CONFIRM exchange may take once the relay paired the token.
RESUME_CONFIRM_TIMEOUT = 10.0

S = TypeVar("S", AgentSession, ConsoleSession)

#: The end message when the grace period of a silent link ran out (the peer may still read it
#: if the link comes back at that moment).
CONNECTION_LOST_MESSAGE = "The connection to the other side was lost."


@dataclass(frozen=True)
class LinkChanged:
    """The one link-state event the windows get: the link went quiet (``interrupted``), is
    being re-made on a new connection (``reconnecting``) or works again (``live``).

    ``grace_left``: seconds until the session ends as ``connection_lost`` if it does not come
    back (counted from when this event was made; 0 when ``live``). ``cause``: why it is not
    live: ``quiet`` (nothing arrives), ``lost`` (the connection dropped or was given up as
    dead) or ``restarting`` (the relay said it restarts: not the other side's doing)."""

    state: str
    grace_left: float
    cause: str = ""

    @property
    def shown(self) -> str:
        """What the windows show: ``restarting`` for a reconnect after a relay restart, else
        :attr:`state`."""
        if self.state == "reconnecting" and self.cause == "restarting":
            return "restarting"
        return self.state


__all__ = [
    "CONNECTION_LOST_MESSAGE",
    "MAX_SEND_BACKLOG",
    "AuditRecord",
    "AuditWriteError",
    "LinkChanged",
    "SessionDriver",
    "Sink",
    "check_record_folder",
    "default_audit_dir",
    "open_record",
    "recover_crashed_records",
]


def check_record_folder(directory: Path) -> None:
    """Raise :class:`AuditWriteError` unless a record can be written (before any code is used)."""
    check_writable(directory)


def open_record(directory: Path, role: str) -> AuditRecord:
    """A new session record for ``role``; raises :class:`AuditWriteError`."""
    return AuditRecord.create(directory, role)


def recover_crashed_records(directory: Path) -> list[Path]:
    """Close the records a crashed run left open; the paths closed."""
    return close_crashed(directory)


class SessionDriver(Generic[S]):
    """One session over one relay connection; subclasses plug in the program's own work.

    Not thread-safe: every method runs on the loop thread (the Qt bridge hops there).
    """

    #: How log lines name the other side.
    peer_label = "the peer"
    #: End message when this program hits a bug mid-session (the peer reads it too).
    error_message = "The program hit an error."
    #: End message when the peer floods and does not read (:data:`MAX_SEND_BACKLOG`).
    backlog_message = "The other side's program does not read what it is sent."
    #: End message when this side's record cannot be written.
    audit_failed_message = "This computer cannot save the session record."
    #: False: a failed record write ends the session at once, before the rest of the step is
    #: handled (the agent: nothing is shown or shared unrecorded). True: on the next loop step,
    #: after the events being handled now reached the window (the console).
    end_later_on_audit_failure = False
    #: The one grace period (issue 13): seconds the running session survives a link that is
    #: silent, dropped or being re-made, counted from the last message heard; then it ends as
    #: ``connection_lost``. The programs set it from their settings (shared.link.check_grace).
    link_grace = DEFAULT_GRACE
    #: Seconds of silence after which held input is released (None: nothing held here).
    link_release_after: float | None = None
    #: Silence that counts as a dead link, resumed on a new connection (None: never). Capped
    #: at half the grace, so a short grace still gets its reconnect attempts.
    dead_link_after: float | None = DEAD_LINK_AFTER

    def __init__(self, session: S, record: AuditRecord | None, sink: Sink,
                 loop: asyncio.AbstractEventLoop) -> None:
        self.session: S = session
        self.record = record  # None: it could not even be created; the first write ends it
        self.sink = sink
        self.loop = loop
        self.audit_error = ""  # set once writing the record failed: no more writes
        self.ended_handled = False
        self.closed = False  # torn down: late callbacks from other threads do nothing
        self.bytes_in = 0  # everything received, for the programs' statistics
        self._sendq: asyncio.Queue[bytes | None] = asyncio.Queue()
        #: What waits behind a message being sealed off the loop, in wire order (see send_job);
        #: empty when nothing is being sealed: then send() queues straight to the sender.
        self._pending: deque[asyncio.Future[bytes] | bytes | None] = deque()
        self._sealer: ThreadPoolExecutor | None = None  # made for the first big message
        self._tasks: set[asyncio.Task[Any]] = set()  # running ones only (see spawn)
        self._running_marked = False
        self._torn_down = False
        self._conn: RelayConnection | None = None  # while run() runs: for the hang-up
        #: the link watchdog, from the moment the session runs (ACTIVE) until it ends
        self.link: LinkMonitor | None = None
        self.relay_url = ""  # where to reconnect; empty: the session cannot resume
        self.role = "agent" if isinstance(session, AgentSession) else "console"
        self.resumes = 0  # reconnect number n of the last pairing (shared/resume.py)
        self.link_down = False  # reconnecting: what is sealed meanwhile is dropped
        self._resume_stop = asyncio.Event()  # the session ended while reconnecting
        self._rng = random.SystemRandom()

    # ------------------------------------------------------------------ the loop

    async def run(self, conn: RelayConnection) -> None:
        """Run the session until it ends, then flush what it said last and tear down."""
        self._conn = conn
        sender = asyncio.create_task(conn.send_from(self._sendq))
        try:
            self.send(self.session.start())
            self.started()
            self.spawn(self._watch_link())
            while not self.session.ended:
                if self.reading_paused():
                    await self.room_to_read()
                    # Not reading by our own choice (back-pressure) is not the peer's silence:
                    # the watchdog no longer marks it every TICK (it sleeps until its deadline).
                    if self.link is not None:
                        self.on_link(self.link.reading_paused(self.loop.time()))
                await self.room_to_read()
                if self.session.ended:
                    break
                limit, dead = self.silence_wait(), self._dead_link_in()
                # Waits are re-checked every RECHECK s: a session can become resumable (the
                # customer allowed) while nothing arrives, and then the silence counts too.
                waits: list[float] = [RECHECK]
                waits += [w for w in (limit, dead) if w is not None]
                wait = min(waits)
                try:
                    # asyncio.timeout, not wait_for: on Python 3.11 wait_for wraps every recv in
                    # a task of its own, which made each message several times dearer.
                    async with asyncio.timeout(wait):
                        data = await conn.recv()  # (recv: cancel-safe)
                except TimeoutError:
                    if dead is not None and dead <= wait and (limit is None or dead < limit):
                        # Nothing for too long: a frozen link. Resume on a new one.
                        exc = RelayClosed("Nothing arrived for too long: the link is dead.")
                        resumed = await self._resume_link(conn, sender, exc)
                        if resumed is None:
                            break
                        conn, sender = resumed
                        continue
                    if limit is None or limit > wait:
                        continue  # only the re-check
                    log.warning("%s went silent (%s)", self.peer_label,
                                self.session.phase.value)
                    self.handle(self.session.peer_silent())
                    break
                except RelayError as exc:
                    if self._may_resume(exc):
                        resumed = await self._resume_link(conn, sender, exc)
                        if resumed is None:
                            break
                        conn, sender = resumed
                        continue
                    if isinstance(exc, PeerLeft):
                        self.handle(self.peer_left())
                    else:
                        log.warning("relay connection lost during a session: %s", exc)
                        self.handle(self.relay_lost(exc))
                    break
                self.bytes_in += len(data)
                if self.link is not None:
                    self.on_link(self.link.received(self.loop.time()))
                await self._receive(data)
        except Exception:
            log.exception("the session failed")
            self.handle(self.session.abort("error", self.error_message))
        finally:
            for task in list(self._tasks):
                task.cancel()
            # Flush what the session said last (End / Error) before closing (behind a
            # message still being sealed, if any).
            self._queue_in_order(None)
            if not sender.cancelled():  # (a link that never came back left no sender)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(sender, END_GRACE)
            sender.cancel()
            await self.close()

    async def close(self) -> None:
        """Tear down, once: at the end of :meth:`run`, or at program exit if the exit cancelled
        :meth:`run` before its teardown finished (held input, streams, the record's note)."""
        if self._torn_down:
            return
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        self._pending.clear()
        if self._sealer is not None:
            self._sealer.shutdown(wait=False, cancel_futures=True)
        await self.stopped()
        self._torn_down = True  # only now: a teardown cut short by the exit is done again

    async def _receive(self, data: bytes) -> None:
        """Hand one message to the machine. A big one (the console's frames) is decrypted on
        the worker thread meanwhile: the loop stays free for what the person does (a click
        sent while a frame of several MB opens), and the next message is read only after this
        one was handled, so messages are still opened and handled in order."""
        job = self.session.open_later(data) if len(data) >= OFFLOOP_SEAL_MIN else None
        if job is None:
            self.handle(self.session.receive(data))
            return
        plaintext = await self.loop.run_in_executor(self._worker(), job.open)
        if not self.closed:
            self.handle(self.session.receive_opened(job, plaintext))

    def _worker(self) -> ThreadPoolExecutor:
        """The one thread that seals and opens big messages (made when first needed)."""
        if self._sealer is None:
            self._sealer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fernhilfe-seal")
        return self._sealer

    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        """Run ``coro`` beside the receive loop until the session is torn down (ticks). A
        finished task leaves the set: a long session that spawns often (monitor switches,
        hot-plug follow-ups) does not keep every one it ever ran."""
        task = self.loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def send(self, data: bytes) -> None:
        """Queue one sealed message; a peer that stops reading ends the session (budget).

        While the link is down it is dropped: sealed under the old link's keys, it could never
        be opened after the resume (in-flight input is never replayed; the agent re-sends the
        whole picture instead)."""
        if self.closed or self.link_down:
            return
        self._queue_in_order(data)
        self._check_backlog()

    def send_job(self, job: SealJob) -> None:
        """Queue one reserved message in its place in the order.

        A big one (:data:`OFFLOOP_SEAL_MIN`) is sealed on the worker thread, off the loop:
        input that arrives meanwhile is read and handed on at once; whatever is queued after
        it waits for it (counter order on the wire). Small ones are sealed here and now.
        Dropped like :meth:`send` while the link is down or after close (its counter belongs
        to a channel that is never used again)."""
        if self.closed or self.link_down:
            return
        if job.size < OFFLOOP_SEAL_MIN:
            self.send(job.seal())
            return
        sealed = self.loop.run_in_executor(self._worker(), job.seal)
        self._pending.append(sealed)
        sealed.add_done_callback(self._release_sealed)
        self._check_backlog()

    def _queue_in_order(self, data: bytes | None) -> None:
        """To the sender now, or behind a message still being sealed (``None``: the end)."""
        if self._pending:
            self._pending.append(data)
        else:
            self._sendq.put_nowait(data)

    def _release_sealed(self, _done: object = None) -> None:
        """A seal finished (loop thread): pass on what is ready at the head, in order. A job
        of a link given up meanwhile is no longer in :attr:`_pending`: nothing happens."""
        while self._pending and not self.closed:
            head = self._pending[0]
            if isinstance(head, asyncio.Future):
                if not head.done():
                    return
                self._pending.popleft()
                if head.cancelled():
                    continue  # (only at teardown)
                exc = head.exception()
                if exc is not None:  # a bug: the counter is lost, so is the link's order
                    log.error("sealing a message failed: %r", exc)
                    self._pending.clear()
                    self.abort("error", self.error_message)
                    return
                self._sendq.put_nowait(head.result())
            else:
                self._pending.popleft()
                self._sendq.put_nowait(head)

    def _check_backlog(self) -> None:
        if (self._sendq.qsize() + len(self._pending) > MAX_SEND_BACKLOG
                and not self.session.ended):
            log.error("%s does not read what this computer sends: ending the session",
                      self.peer_label)
            self.handle(self.session.abort("resource_limit", self.backlog_message))

    def handle(self, step: Step) -> None:
        """Send what the machine said, then let the program act on each event in order."""
        for data in step.outgoing:
            self.send(data)
        if self.closed:
            return
        for ev in step.events:
            if self.ended_handled:
                break  # a nested end (e.g. the record failed) already handled the rest
            if isinstance(ev, SessionEnded):
                self.ended_handled = True
                self._resume_stop.set()
                if not ev.by_peer and self._conn is not None:
                    self.spawn(self._hang_up_later(self._conn))
                self.on_ended(ev)
            elif isinstance(ev, PeerIntroduced):
                self.record_versions(ev)
            else:
                self.on_event(ev)

    def record_versions(self, ev: PeerIntroduced) -> None:
        """Say in the record which protocol version the session runs at and both sides' app
        versions (the peer's as it claimed), named by side so the record reads the same
        whoever wrote it; before the consent events, which come after the Hellos."""
        ours, theirs = ev.app_version, ev.peer_app_version
        agent, console = (ours, theirs) if self.role == "agent" else (theirs, ours)
        self.audit("versions", protocol_version=ev.version, agent_app_version=agent,
                   console_app_version=console)

    async def _hang_up_later(self, conn: RelayConnection) -> None:
        """Close the link if the peer has not, :data:`END_GRACE` after our end (the
        receive loop then finishes; a teardown that comes first cancels this)."""
        await asyncio.sleep(END_GRACE)
        log.warning("%s did not close after the session ended: hanging up", self.peer_label)
        await conn.close()

    # ------------------------------------------------------------------ the link watchdog

    async def _watch_link(self) -> None:
        """Tick the link watchdog while the session runs (see :mod:`shared.link`).

        It starts with the running session: before that the phases have their own silence
        limits, and the console pings only in ``ACTIVE``. From then on the websockets
        keepalive no longer decides when a quiet link is dead (it would close it after
        40 s): the watchdog's silence (interrupted, released), :attr:`dead_link_after`
        (resume on a new connection) and the grace period (``connection_lost``) do."""
        delay = TICK
        while not self.session.ended and not self.closed:
            await asyncio.sleep(delay)
            if self.session.ended or self.closed:
                return
            now = self.loop.time()
            link = self._ensure_link(now)
            if link is None:
                continue  # not running yet: look again in TICK
            if self.reading_paused():
                # Not reading by our own choice (back-pressure): not the peer's silence, but
                # no sign of the peer either (a dropped link stays down until resumed).
                self.on_link(link.reading_paused(now))
            link.set_held(self.holds_input())
            self.on_link(link.tick(now))
            due = link.due_in(self.loop.time())
            if due is None:
                return  # lost: the session ends
            # Sleep until the watchdog can next say something, not TICK (issue 16: 10 wakeups
            # a second); a little later than due, so a wakeup a hair early does not spin.
            delay = due + LINK_SLACK

    def _ensure_link(self, now: float) -> LinkMonitor | None:
        """The watchdog, made when the session first runs (None before that)."""
        if self.link is None and self.session.phase is Phase.ACTIVE:
            self.link = LinkMonitor(now, grace=self.link_grace,
                                    quiet_after=min(QUIET_AFTER, self.link_grace),
                                    release_after=self.link_release_after)
            if self._conn is not None:
                self._conn.tolerate_silence(self.link_grace)
        return self.link

    def on_link(self, events: list[LinkEvent], cause: str = "quiet") -> None:
        """Act on what the watchdog says: release, tell the window, record, end.

        The one place that records ``link_interrupted`` / ``link_resumed`` and tells the
        window, whether the link went quiet or dropped and was resumed (``cause``)."""
        for ev in events:
            if self.session.ended:
                return
            if isinstance(ev, ReleaseHeld):
                log.warning("%s silent for %.1f s: releasing held input", self.peer_label,
                            ev.silent_for)
                self.release_held()
            elif isinstance(ev, LinkInterrupted):
                log.warning("%s silent for %.1f s: the link is interrupted (%s)",
                            self.peer_label, ev.silent_for, cause)
                if self.audit("link_interrupted", kind=cause,
                              silent_for=round(ev.silent_for, 1)):
                    self.sink(LinkChanged("reconnecting" if self.link_down else "interrupted",
                                          ev.grace_left, cause))
            elif isinstance(ev, LinkResumed):
                log.warning("%s heard again after %.1f s (link %d)", self.peer_label,
                            ev.interrupted_for, self.resumes)
                if self.audit("link_resumed", n=self.resumes,
                              seconds=round(ev.interrupted_for, 2)):
                    self.sink(LinkChanged("live", 0.0))
            elif isinstance(ev, GraceExpired):
                log.warning("%s silent for %.0f s: ending the session", self.peer_label,
                            ev.silent_for)
                self.abort(CONNECTION_LOST, CONNECTION_LOST_MESSAGE)

    def end(self, reason: str) -> None:
        """End from this side (the person clicked End, the program exits, ...)."""
        self.handle(self.session.end(reason))

    def abort(self, code: str, message: str) -> None:
        """End because something here found the peer's behaviour (or ours) bad."""
        self.handle(self.session.abort(code, message))

    # ------------------------------------------------------------------ resume (issue 13)

    def _dead_link_in(self) -> float | None:
        """Seconds until the link counts as dead if nothing arrives (None: no such rule now).

        Counted by the watchdog from the last message heard: at :attr:`dead_link_after`, or
        half the grace period if that is shorter (a short grace still gets to reconnect)."""
        if self.dead_link_after is None or not self._may_resume(RelayClosed("")):
            return None
        now = self.loop.time()
        link = self._ensure_link(now)
        if link is None:
            return None
        return min(self.dead_link_after, self.link_grace / 2) - link.silent_for(now)

    def _may_resume(self, exc: RelayError) -> bool:
        """A dropped link is resumed when the session is active and this program can reconnect;
        a relay's refusal other than a restart (e.g. its data limit) still ends the session."""
        if not self.relay_url or self.closed:
            return False
        if isinstance(exc, RelayRejected) and not is_restart(exc):
            return False
        return self.session.resumable

    async def _resume_link(self, old: RelayConnection, sender: asyncio.Task[None],
                           exc: RelayError) -> tuple[RelayConnection, asyncio.Task[None]] | None:
        """Reconnect with back-off until the grace period ends; the new link and its sender,
        or None when the session ended meanwhile (grace over, or ended here).

        The grace is the watchdog's: counted from the last message heard, so a link that went
        quiet first and was given up as dead later gets no second period. The watchdog keeps
        ticking meanwhile and ends the session as ``connection_lost`` when it is over."""
        kind = "restarting" if is_restart(exc) else "lost"
        now = self.loop.time()
        link = self._ensure_link(now)
        assert link is not None  # (resumable: the session is active)
        self.link_down = True
        was_live = link.state is LinkState.LIVE
        # Release held input and record the interruption at once (once per interruption).
        self.on_link(link.link_down(now), cause=kind)
        if not was_live:  # already shown as quiet: now it is being re-made
            self.sink(LinkChanged("reconnecting", link.grace_left(now), kind))
        log.warning("link to %s dropped (%s): reconnecting for up to %.0f s", self.peer_label,
                    kind, link.grace_left(now))
        deadline = now + link.grace_left(now)
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender
        self._sendq = asyncio.Queue()  # sealed for the old link: never sent
        self._pending.clear()  # (jobs still sealing for it finish unseen)
        self.link_interrupted(kind)
        # Not awaited: closing a frozen link waits for a close frame that never comes.
        self.spawn(old.close())
        attempt = 0
        while not self.session.ended and not self.closed:
            remaining = deadline - self.loop.time()
            if remaining <= 0:
                break
            try:
                done = await self._until_stopped(self._resume_once(), remaining)
            except (RelayError, ResumeRefused, TimeoutError, OSError) as err:
                if isinstance(err, RelayRejected) and err.code is rv.ErrorCode.RESUME_EXPIRED:
                    log.warning("the other side did not come back in time")
                    break
                log.warning("reconnect attempt %d failed: %r", attempt + 1, err)
                delay = min(backoff_delay(attempt, self._rng.random),
                            max(0.0, deadline - self.loop.time()))
                attempt += 1
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._resume_stop.wait(), delay)
                continue
            if done is None:
                break
            conn, resumed = done
            self.session.resume(resumed)
            self.link_down = False
            self._conn = conn
            conn.tolerate_silence(self.link_grace)
            log.warning("session with %s resumed after %.1f s (reconnect %d)", self.peer_label,
                        self.loop.time() - now, resumed.n)
            # The peer's CONFIRM is a message heard: the watchdog says "live" (recorded with n).
            self.on_link(link.received(self.loop.time()))
            self.link_resumed(resumed.n)
            return conn, asyncio.create_task(conn.send_from(self._sendq))
        if not self.session.ended:
            log.warning("the link to %s did not come back in time: ending", self.peer_label)
            # Ends as "connection_lost" (not "peer_gone": nobody left on purpose); the Error
            # the machine seals for the peer is dropped, there is no link to carry it.
            self.handle(self.session.abort(CONNECTION_LOST, CONNECTION_LOST_MESSAGE))
        return None

    async def _until_stopped(self, attempt: Coroutine[Any, Any, tuple[RelayConnection, Resumed]],
                             timeout: float) -> tuple[RelayConnection, Resumed] | None:
        """Run one reconnect attempt until it succeeds, ``timeout`` passes (TimeoutError), or
        the session ends here meanwhile (None: the attempt is dropped)."""
        task = asyncio.ensure_future(attempt)
        stop = asyncio.ensure_future(self._resume_stop.wait())
        try:
            await asyncio.wait({task, stop}, timeout=timeout,
                               return_when=asyncio.FIRST_COMPLETED)
            if task.done():
                return task.result()
            if stop.done():
                return None
            raise TimeoutError("the grace period ran out during a reconnect attempt")
        finally:
            stop.cancel()
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    async def _resume_once(self) -> tuple[RelayConnection, Resumed]:
        """One reconnect: open a websocket, present token n, authenticate, new channel keys.

        n advances once the relay paired it or refused it as used: both ends then move on to
        the next token together (a pairing, even one that failed later, spends its token)."""
        n = self.resumes + 1
        secret = self.session.resume_secret
        conn = await RelayConnection.open(self.relay_url, timeout=RESUME_OPEN_TIMEOUT)
        try:
            try:
                await conn.resume(token(secret, n).hex(), self.role)
            except RelayRejected as exc:
                if exc.code is rv.ErrorCode.RESUME_REFUSED:
                    self.resumes = n
                raise
            self.resumes = n
            handshake = ResumeHandshake(secret, self.role, n)
            async with asyncio.timeout(RESUME_CONFIRM_TIMEOUT):
                await conn.send(handshake.start())
                while True:
                    step = handshake.receive(await conn.recv())
                    for data in step.outgoing:
                        await conn.send(data)
                    if step.outcome is not None:
                        return conn, step.outcome
        except BaseException:
            await conn.close()
            raise

    # ------------------------------------------------------------------ the record

    def audit(self, event: str, **details: object) -> bool:
        """Write one event; on failure end the session (no session without a record)."""
        if self.audit_error:
            return False
        try:
            if self.record is None:
                raise AuditWriteError("The session record could not be created.")
            self.record.log(event, **details)
            return True
        except AuditWriteError as exc:
            self._record_failed(exc)
            return False

    def mark_running(self) -> None:
        """Leave the note a crash would be found by (see :func:`recover_crashed_records`)."""
        if self.record is None or self._running_marked or self.audit_error:
            return
        try:
            mark_running(self.record)
            self._running_marked = True
        except AuditWriteError as exc:
            self._record_failed(exc)

    def mark_finished(self) -> None:
        """The session ended in order (even if the record could not say so): not a crash."""
        if self.record is not None:
            mark_finished(self.record)

    def _record_failed(self, exc: AuditWriteError) -> None:
        log.error("audit record failed, ending the session: %s", exc)
        self.audit_error = str(exc)
        if self.end_later_on_audit_failure:
            self.loop.call_soon(self.abort, "audit_failed", self.audit_failed_message)
        elif not self.ended_handled:
            self.abort("audit_failed", self.audit_failed_message)

    # ------------------------------------------------------------------ program hooks

    def started(self) -> None:
        """The first message is queued; start ticks here (:meth:`spawn`)."""

    async def room_to_read(self) -> None:
        """Wait before reading the next message (the console's back-pressure)."""

    def silence_wait(self) -> float | None:
        """Seconds the peer may stay silent now (None: no limit)."""
        return None

    def peer_left(self) -> Step:
        """The relay said the peer left."""
        return self.session.peer_lost()

    def holds_input(self) -> bool:
        """Whether input the peer pressed is held down here now (the agent's keys/buttons)."""
        return False

    def release_held(self) -> None:
        """The peer went silent while input was held: release it all now (the agent)."""

    def reading_paused(self) -> bool:
        """True while this program does not read by its own choice (the console's back-pressure)."""
        return False

    def relay_lost(self, exc: RelayError) -> Step:
        """The relay connection failed mid-session."""
        return self.session.peer_lost()

    def on_event(self, ev: object) -> None:
        """One event of the session machine other than its end."""

    def link_interrupted(self, kind: str) -> None:
        """The link dropped; reconnecting (the agent releases held input here)."""

    def link_resumed(self, n: int) -> None:
        """The session continues on a new link (the agent re-sends the whole picture)."""

    def on_ended(self, ev: SessionEnded) -> None:
        """The session ended (once); the receive loop stops after this step."""

    async def stopped(self) -> None:
        """Tear down what the program started (threads, streams)."""
