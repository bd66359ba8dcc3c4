"""The agent's work, off the GUI thread: relay connection, session, screen streaming, input.

``AgentWorker`` is a QObject living in the GUI thread whose *signals* tell the widgets what to
show; the work itself runs on one asyncio loop in a daemon thread. The GUI calls the worker's
public methods (``decide``, ``set_control``, ``end_session``, ``request_new_code``), which only
schedule work on that loop. All session policy is in :class:`shared.session.AgentSession`; this
module moves bytes and calls the platform pieces:

* every message the session seals goes through ONE ordered send queue (counter nonces demand
  that what is sealed first is sent first);
* the screen streamer starts only on ``PermissionsChanged`` with ``view`` (after Allow) and stops
  when the session ends;
* held keys and buttons are released whenever control ends, however it ends (revoke, end,
  disconnect, error, agent exit), through :class:`agent.input.ControlGate`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import mss
from PySide6.QtCore import QObject, Signal, SignalInstance

from agent.capture import streamable_monitor
from agent.config import AgentConfig
from agent.cursor import CursorReporter, create_pointer_source
from agent.input import ControlGate, InputUnavailable, create_injector, release_stuck_input
from agent.pipeline import EncodedFrame, ScreenStreamer
from desktop import relay_client
from desktop.loop_thread import LoopThread
from desktop.relay_client import (
    InsecureRelayURL,
    PeerLeft,
    RelayClosed,
    RelayConnection,
    RelayError,
    RelayRejected,
    RelayUnreachable,
)
from shared import messages as m
from shared import rendezvous as rv
from shared.audit import (
    AuditRecord,
    AuditWriteError,
    check_writable,
    close_crashed,
    default_audit_dir,
    mark_finished,
    mark_running,
)
from shared.codes import SessionCode, new_secret
from shared.errors import FernhilfeError
from shared.guess_budget import GuessBudget
from shared.session import (
    PEER_SILENCE_TIMEOUT,
    AgentSession,
    ConsentRequested,
    FrameAcked,
    InputReceived,
    KeysAgreed,
    PermissionsChanged,
    SessionEnded,
    Step,
    StreamSettingsChanged,
    WrongCodeEntered,
)

log = logging.getLogger(__name__)

RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 15.0)
CURSOR_INTERVAL = 0.03  # pointer poll while it moves
CURSOR_IDLE_INTERVAL = 0.1  # ... and while it rests (shape changes still show within 0.1 s)
CURSOR_LINGER = 1.0  # seconds of the fast poll after the last movement
AUDIT_FAILED_MESSAGE = ("The customer's computer cannot save the session record, so the "
                        "session was ended.")


def relay_error_kind(exc: BaseException) -> str:
    """A stable kind for a relay problem; the GUI turns it into local, translated text.

    The relay's own (English, untrusted) message and Python's exception text go to the log
    only."""
    if isinstance(exc, RelayRejected):
        return f"rejected:{exc.code.value}"
    if isinstance(exc, InsecureRelayURL):
        return "insecure_url"
    if isinstance(exc, RelayUnreachable):
        return "unreachable"
    if isinstance(exc, RelayClosed | PeerLeft):
        return "lost"
    return "unexpected"  # e.g. an error code this version does not know: generic local text


@dataclass
class _Active:
    """Everything that exists only while one session runs."""

    session: AgentSession
    sendq: asyncio.Queue[bytes | None]
    audit: AuditRecord | None  # None: the record could not even be created
    streamer: ScreenStreamer | None = None
    origin: tuple[int, int] = (0, 0)
    audit_error: str = ""  # set once writing the record failed: no more writes, session ends
    running_marked: bool = False
    ended_handled: bool = False


class AgentWorker(QObject):
    """Relay + session + streaming for the customer's agent."""

    connecting = Signal()
    relay_unreachable = Signal(str, float)  # kind (see relay_error_kind), retry in seconds
    code_ready = Signal(str, float)  # "NNN NNN NNN", valid for seconds
    code_used = Signal()  # someone joined the code: it is spent, no longer show it
    #: a join did not become a session: end reason, fresh code comes by itself, warn, failures
    attempt_failed = Signal(str, bool, bool, int)
    code_expired = Signal()
    failed = Signal(str)  # kind: "audit_unavailable" or "error"; the customer may try again
    consent_requested = Signal(str, str, str, object)  # name, organisation, verification, perms
    session_started = Signal(str, object)  # technician name, granted permissions
    permissions_changed = Signal(object)  # frozenset[str]
    session_ended = Signal(str, str)  # reason, human message

    def __init__(self, config: AgentConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._io = LoopThread("agent-net", on_start=self._on_loop_start)
        self._loop = self._io.loop
        self._wake: asyncio.Event | None = None
        self._active: _Active | None = None
        self._gate: ControlGate | None = None
        self._main_task: asyncio.Task[None] | None = None
        self._retries = 0  # relay problems in a row (chooses the back-off)
        self.budget = GuessBudget()

    # ---------------------------------------------------------------- GUI-thread API

    def start(self) -> None:
        self._io.start()

    def stop(self, timeout: float = 5.0) -> None:
        """End any session (releasing held input) and stop the thread. Safe to call twice."""
        self._io.stop(self._shutdown, timeout)

    def request_new_code(self) -> None:
        self._call(self._new_code)

    def decide(self, allowed: bool, permissions: frozenset[str], timed_out: bool = False
               ) -> None:
        self._call(self._decide, allowed, frozenset(permissions), timed_out)

    def set_control(self, enabled: bool) -> None:
        self._call(self._set_control, enabled)

    def end_session(self) -> None:
        self._call(self._end, "customer_ended")

    def _call(self, fn: Callable[..., object], *args: object) -> None:
        self._io.call(fn, *args)

    # ---------------------------------------------------------------- loop thread

    def _on_loop_start(self) -> None:
        self._wake = asyncio.Event()
        try:
            self._gate = ControlGate(create_injector())
        except InputUnavailable as exc:
            log.warning("remote control unavailable: %s", exc)
        self._main_task = self._loop.create_task(self._run())

    async def _shutdown(self) -> None:
        if self._active is not None:
            self._end_locally("customer_ended")
            await asyncio.sleep(0.2)  # let the End message go out
        if self._main_task is not None:
            self._main_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._main_task
        await self._teardown_active()
        if self._gate is not None:
            self._gate.close()

    def _new_code(self) -> None:
        """The customer asked for a (new) code: the only way past a spent guess budget."""
        assert self._wake is not None
        self._wake.set()

    def _offer(self, signal: SignalInstance, *args: object) -> None:
        """Show a state that waits for the customer: forget older clicks, then show it.

        Both happen in one loop step, so a click on the state just shown can never be lost
        and a stale click can never buy a code nobody asked for."""
        assert self._wake is not None
        self._wake.clear()
        signal.emit(*args)

    async def _pause(self, seconds: float) -> None:
        """Wait before an automatic retry; a click ("Try again now") cuts it short."""
        assert self._wake is not None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    def _recover_after_crash(self) -> None:
        """A previous run died mid-session: close its record, release what it left held."""
        try:
            closed = close_crashed(default_audit_dir())
        except Exception:  # never let recovery stop the agent from starting
            log.exception("could not check for an unfinished session record")
            return
        if closed:
            log.warning("closed %d session record(s) left open by a crash", len(closed))
            try:
                released = release_stuck_input()
            except Exception:
                log.exception("could not release input left held by a crash")
            else:
                log.warning("released input left held by a crash: %s", released)

    async def _run(self) -> None:
        assert self._wake is not None
        self._recover_after_crash()
        automatic = True  # the first code of a run: the customer started the program for it
        while True:
            if not automatic:
                await self._wake.wait()
            self._wake.clear()
            automatic = False
            self.connecting.emit()
            try:
                check_writable(default_audit_dir())
            except AuditWriteError as exc:  # no session without a record: no code either
                log.error("audit record unavailable: %s", exc)
                self._offer(self.failed, "audit_unavailable")
                continue
            try:
                conn = await RelayConnection.open(self._config.relay_url)
            except RelayError as exc:
                log.warning("relay unreachable: %s", exc)
                await self._retry_later(exc)
                automatic = True
                continue
            except Exception:
                log.exception("cannot connect to the relay")
                self._offer(self.failed, "error")
                continue
            try:
                automatic = await self._one_code(conn)
            except RelayRejected as exc:
                log.warning("relay refused: %s (%s)", exc.code.value, exc)
                if exc.code == rv.ErrorCode.NAMEPLATE_EXPIRED:
                    self._offer(self.code_expired)
                else:
                    await self._retry_later(exc)
                    automatic = True
            except RelayError as exc:
                # Lost the relay before anyone joined (e.g. relay restart, or a relay that sent
                # something malformed such as an 8-digit nameplate): no guess was made.
                log.warning("relay connection lost: %s", exc)
                await self._retry_later(exc)
                automatic = True
            except asyncio.CancelledError:
                raise
            except Exception:  # e.g. an 8-digit nameplate: never a silent death
                log.exception("hosting a code failed")
                await self._teardown_active()
                self._offer(self.failed, "error")
            finally:
                await conn.close()

    async def _retry_later(self, exc: RelayError) -> None:
        """Say what is wrong with the relay, then wait before trying again: longer while it
        keeps failing, so a relay that is down or misbehaves is not hammered once a second
        ("try again now" cuts the wait short)."""
        delay = RETRY_DELAYS[min(self._retries, len(RETRY_DELAYS) - 1)]
        self._retries += 1
        self._offer(self.relay_unreachable, relay_error_kind(exc), delay)
        await self._pause(delay)

    async def _one_code(self, conn: RelayConnection) -> bool:
        """Host one code and run the session it leads to; True = show a new code at once."""
        plate = await conn.host()
        self._retries = 0  # the relay works: the next problem starts the back-off afresh
        code = SessionCode(plate.nameplate, new_secret())
        self.code_ready.emit(code.display(), float(plate.expires_in))
        if not await self._paired_unless_asked(conn):
            return True  # the customer asked for another code (e.g. theirs ran out on screen)
        self.code_used.emit()  # spent from now on, whatever happens next
        session = AgentSession(code, organisation=self._config.organisation)
        audit: AuditRecord | None
        failure = ""
        try:
            audit = AuditRecord.create(default_audit_dir(), "agent")
        except AuditWriteError as exc:
            audit, failure = None, str(exc)
        active = _Active(session, asyncio.Queue(), audit)
        self._active = active
        if failure:
            log.error("audit record unavailable: %s", failure)
        sender = asyncio.create_task(conn.send_from(active.sendq))
        deadline = self._loop.time() + PEER_SILENCE_TIMEOUT
        try:
            self._enqueue(session.start())
            while not session.ended:
                wait = deadline - self._loop.time() if session.waiting_for_peer else None
                try:
                    data = await asyncio.wait_for(conn.recv(), wait)
                except TimeoutError:
                    log.warning("the peer went silent after pairing")
                    self._handle(session.peer_silent())
                    break
                except PeerLeft:
                    self._handle(session.peer_lost())
                    break
                except RelayError as exc:
                    log.warning("relay connection lost during a session: %s", exc)
                    self._handle(session.peer_lost())
                    break
                self._handle(session.receive(data))
        except Exception:
            log.exception("the session failed")
            self._handle(session.abort("error", "The customer's program hit an error."))
        finally:
            # Flush what the session said last (End / Error) before closing.
            active.sendq.put_nowait(None)
            with contextlib.suppress(asyncio.TimeoutError, Exception):
                await asyncio.wait_for(sender, 2.0)
            sender.cancel()
            await self._teardown_active()
        return self._after_join(session)

    async def _paired_unless_asked(self, conn: RelayConnection) -> bool:
        """Wait until someone joins (True), or the customer clicks for a new code (False).

        The window counts the code down by itself and offers "Get a new code" when it runs
        out, possibly before the relay says so: that click must not be lost."""
        assert self._wake is not None
        paired = asyncio.ensure_future(conn.wait_paired())
        asked = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({paired, asked}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            asked.cancel()
            if not paired.done():
                paired.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await paired
        if paired.done() and not paired.cancelled():
            paired.result()  # joined, or the relay's error (e.g. expiry) propagates
            return True
        return False

    def _after_join(self, session: AgentSession) -> bool:
        """Whether the next code may come by itself (see :class:`GuessBudget`)."""
        if session.verification:
            # The peer knew the code: the customer read it out. The end was already shown.
            self.budget.code_proved()
            return False
        verdict = self.budget.join_failed()
        log.warning("join without a session (%s); failed joins in this run: %d",
                    session.end_reason, verdict.failures)
        if verdict.automatic:
            self.attempt_failed.emit(session.end_reason, True, verdict.warn, verdict.failures)
        else:
            self._offer(self.attempt_failed, session.end_reason, False, verdict.warn,
                        verdict.failures)
        return verdict.automatic

    def _enqueue(self, data: bytes) -> None:
        active = self._active
        if active is None:
            return
        active.sendq.put_nowait(data)
        if active.sendq.qsize() > relay_client.MAX_SEND_BACKLOG and not active.session.ended:
            log.error("the console does not read what this computer sends: ending the session")
            self._handle(active.session.abort(
                "resource_limit", "The technician's program does not read what it is sent."))

    # ---------------------------------------------------------------- session events

    def _handle(self, step: Step) -> None:
        for data in step.outgoing:
            self._enqueue(data)
        active = self._active
        if active is None:
            return
        for ev in step.events:
            if active.ended_handled:
                break  # a nested end (e.g. the record failed) already handled the rest
            if isinstance(ev, InputReceived):
                self._apply_input(ev.message, active)
            elif isinstance(ev, StreamSettingsChanged):
                self._apply_stream_settings(ev, active)
            elif isinstance(ev, FrameAcked):
                if active.streamer is not None:
                    try:
                        active.streamer.ack(ev.seq)
                    except FernhilfeError as exc:
                        self._handle(active.session.abort("protocol_error", str(exc)))
            elif isinstance(ev, KeysAgreed):
                if self._audit(active, "keys_agreed", verification=ev.verification):
                    self._mark_running(active)
            elif isinstance(ev, ConsentRequested):
                if self._audit(active, "consent_requested", technician=ev.name,
                               organisation=ev.organisation, verification=ev.verification,
                               requested=sorted(ev.permissions)):
                        self.consent_requested.emit(ev.name, ev.organisation, ev.verification,
                                                ev.permissions)
            elif isinstance(ev, PermissionsChanged):
                self._on_permissions(ev.permissions, active)
            elif isinstance(ev, WrongCodeEntered):
                self._audit(active, "wrong_code")
            elif isinstance(ev, SessionEnded):
                self._on_ended(ev, active)

    def _on_permissions(self, perms: frozenset[str], active: _Active) -> None:
        first = active.streamer is None
        if not self._audit(active, "session_started" if first else "permissions_changed",
                           permissions=sorted(perms)):
            return  # no session without a record: ended before anything was shared
        if self._gate is not None:
            self._gate.set_control("control" in perms)
        if first and "view" in perms:
            active.streamer = self._start_streaming(active)
            self._loop.create_task(self._cursor_loop(active))
            peer = active.session.peer
            self.session_started.emit(peer.name if peer else "", perms)
        self.permissions_changed.emit(perms)

    def _start_streaming(self, active: _Active) -> ScreenStreamer:
        loop = self._loop
        monitor = 0
        with contextlib.suppress(Exception), mss.MSS() as sct:
            monitors = [dict(mon) for mon in sct.monitors]
            monitor = streamable_monitor(monitors)  # the whole desktop unless it is too big
            shared = monitors[monitor]
            active.origin = (int(shared["left"]), int(shared["top"]))

        def on_frame(frame: EncodedFrame) -> None:  # streamer thread
            with contextlib.suppress(RuntimeError):  # loop already closed: agent exiting
                loop.call_soon_threadsafe(self._send_frame, frame, active)

        def on_error(exc: BaseException) -> None:  # streamer thread
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._streaming_failed, exc, active)

        streamer = ScreenStreamer(on_frame, on_error=on_error, monitor=monitor)
        streamer.start()
        return streamer

    def _send_frame(self, frame: EncodedFrame, active: _Active) -> None:
        if active is not self._active or active.session.ended:
            return
        rects = tuple(m.Rect(r.x, r.y, r.w, r.h, int(r.encoding), r.payload)
                      for r in frame.rects)
        try:
            update = m.FrameUpdate(frame.width, frame.height, rects, frame.seq)
            data = active.session.seal_frame(update)
        except FernhilfeError as exc:  # e.g. a screen over the budget: say so, never go silent
            log.error("cannot send the screen: %s", exc)
            self._end_locally("error")
            return
        self._enqueue(data)

    def _apply_stream_settings(self, ev: StreamSettingsChanged, active: _Active) -> None:
        """The technician chose another quality / bandwidth cap (0 = lossless / unlimited)."""
        if not self._audit(active, "stream_settings", quality=ev.quality,
                           max_bytes_per_s=ev.max_bytes_per_s):
            return
        if active.streamer is not None:
            active.streamer.set_quality(ev.quality or None)
            active.streamer.set_bandwidth_cap(ev.max_bytes_per_s or None)

    def _streaming_failed(self, exc: BaseException, active: _Active) -> None:
        if active is self._active and not active.session.ended:
            log.error("screen capture failed: %s", exc)
            self._end_locally("error")

    async def _cursor_loop(self, active: _Active) -> None:
        """Send the pointer position and shape when they change (the console draws it).

        Polls fast while the pointer moves, slower while it rests; sends nothing while nothing
        changes."""
        source = create_pointer_source()
        reporter = CursorReporter(active.origin)
        last_change = -float("inf")
        try:
            while active is self._active and not active.session.ended:
                update = reporter.poll(source)
                now = self._loop.time()
                if update is not None:
                    last_change = now
                    with contextlib.suppress(FernhilfeError):
                        self._enqueue(active.session.seal_cursor(update))
                fast = now - last_change < CURSOR_LINGER
                await asyncio.sleep(CURSOR_INTERVAL if fast else CURSOR_IDLE_INTERVAL)
        finally:
            with contextlib.suppress(Exception):  # the display may be gone at agent exit
                source.close()

    def _apply_input(self, msg: m.Message, active: _Active) -> None:
        gate = self._gate
        if gate is None:
            return
        ox, oy = active.origin
        try:
            if isinstance(msg, m.PointerMove):
                gate.move(msg.x + ox, msg.y + oy)
            elif isinstance(msg, m.PointerButton):
                gate.button(msg.button, msg.pressed, msg.x + ox, msg.y + oy)
            elif isinstance(msg, m.Wheel):
                # Wire: positive dy scrolls down; the injector uses Qt's signs (positive = up).
                gate.wheel(-msg.dx, -msg.dy, msg.x + ox, msg.y + oy)
            elif isinstance(msg, m.Key):
                gate.key(msg.code, msg.text, msg.pressed)
        except Exception as exc:  # a failing injector ends control
            log.error("input injection failed: %s", exc)
            self._end_locally("error")
            return
        if active.streamer is not None:
            active.streamer.poke()

    def _on_ended(self, ev: SessionEnded, active: _Active) -> None:
        active.ended_handled = True
        if self._gate is not None:
            self._gate.end()
        s = active.session
        logged = self._audit(active, "session_ended", reason=ev.reason, by_peer=ev.by_peer,
                             message=ev.message, inputs_applied=dict(s.applied_inputs),
                             inputs_dropped=dict(s.dropped_inputs))
        if logged and active.audit is not None:
            mark_finished(active.audit)
        if s.verification:
            # A record that could not be written is what the customer must hear about.
            reason = ev.reason if logged else "audit_failed"
            if ev.by_peer and ev.reason == "audit_failed":
                reason = "peer_audit_failed"  # the technician's records folder, not ours
            self._offer(self.session_ended, reason, ev.message)
        # Without keys the join was a failed attempt: _after_join tells the customer.

    def _audit(self, active: _Active, event: str, **details: object) -> bool:
        """Write one event; on failure end the session (no session without a record)."""
        if active.audit_error:
            return False
        try:
            if active.audit is None:
                raise AuditWriteError("The session record could not be created.")
            active.audit.log(event, **details)
            return True
        except AuditWriteError as exc:
            log.error("audit record failed, ending the session: %s", exc)
            active.audit_error = str(exc)
            if not active.ended_handled:
                self._handle(active.session.abort("audit_failed", AUDIT_FAILED_MESSAGE))
            return False

    def _mark_running(self, active: _Active) -> None:
        """Leave a note that a crash would be found by (see shared.audit.close_crashed)."""
        if active.audit is None or active.running_marked:
            return
        try:
            mark_running(active.audit)
            active.running_marked = True
        except AuditWriteError as exc:
            log.error("audit record failed, ending the session: %s", exc)
            active.audit_error = str(exc)
            self._handle(active.session.abort("audit_failed", AUDIT_FAILED_MESSAGE))

    def _end_locally(self, reason: str) -> None:
        if self._active is not None:
            self._handle(self._active.session.end(reason))

    # ---------------------------------------------------------------- GUI intents

    def _decide(self, allowed: bool, permissions: frozenset[str], timed_out: bool) -> None:
        active = self._active
        if active is None:
            return
        if not self._audit(active, "consent_decided", allowed=allowed,
                           permissions=sorted(permissions), timed_out=timed_out):
            return  # the session has ended: nothing is shared
        reason = "timeout" if timed_out else "denied"
        self._handle(active.session.decide(allowed, permissions, reason=reason))

    def _set_control(self, enabled: bool) -> None:
        if self._active is not None:
            self._handle(self._active.session.set_control(enabled))

    def _end(self, reason: str) -> None:
        self._end_locally(reason)

    async def _teardown_active(self) -> None:
        active, self._active = self._active, None
        if self._gate is not None:
            self._gate.end()
        if active is not None and active.streamer is not None:
            await self._loop.run_in_executor(None, active.streamer.stop)
        if active is not None and active.audit is not None:
            # Ended in order (even if the record could not say so): not a crash next start.
            mark_finished(active.audit)
