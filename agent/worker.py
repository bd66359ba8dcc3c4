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
from PySide6.QtCore import QObject, Signal

from agent.config import AgentConfig
from agent.cursor import CursorReporter, create_pointer_source
from agent.input import ControlGate, InputUnavailable, create_injector
from agent.pipeline import EncodedFrame, ScreenStreamer
from relay.connector import (
    LoopThread,
    PeerLeft,
    RelayConnection,
    RelayError,
    RelayRejected,
)
from shared import messages as m
from shared import rendezvous as rv
from shared.audit import AuditRecord, default_audit_dir
from shared.codes import SessionCode, new_secret
from shared.errors import FernhilfeError
from shared.session import (
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


@dataclass
class _Active:
    """Everything that exists only while one session runs."""

    session: AgentSession
    sendq: asyncio.Queue[bytes | None]
    audit: AuditRecord
    streamer: ScreenStreamer | None = None
    origin: tuple[int, int] = (0, 0)


class AgentWorker(QObject):
    """Relay + session + streaming for the customer's agent."""

    connecting = Signal()
    relay_unreachable = Signal(str, float)  # message, retry in seconds
    code_ready = Signal(str, float)  # "NNN NNN NNN", valid for seconds
    wrong_code = Signal()
    code_expired = Signal()
    consent_requested = Signal(str, str, str, object)  # name, organisation, verification, perms
    session_started = Signal(str, object)  # technician name, granted permissions
    permissions_changed = Signal(object)  # frozenset[str]
    session_ended = Signal(str, str)  # reason, human message

    def __init__(self, config: AgentConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._config = config
        self._io = LoopThread("agent-net", on_start=self._on_loop_start)
        self._loop = self._io.loop
        self._go: asyncio.Event | None = None
        self._active: _Active | None = None
        self._gate: ControlGate | None = None
        self._main_task: asyncio.Task[None] | None = None

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
        self._go = asyncio.Event()
        self._go.set()
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
        assert self._go is not None
        self._go.set()

    async def _run(self) -> None:
        assert self._go is not None
        attempt = 0
        while True:
            await self._go.wait()
            self.connecting.emit()
            try:
                conn = await RelayConnection.open(self._config.relay_url)
            except RelayError as exc:
                delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)]
                attempt += 1
                self.relay_unreachable.emit(str(exc), delay)
                with contextlib.suppress(TimeoutError):
                    self._go.clear()
                    await asyncio.wait_for(self._go.wait(), delay)  # "try again now" skips
                self._go.set()
                continue
            attempt = 0
            try:
                again = await self._one_code(conn)
            except RelayRejected as exc:
                if exc.code == rv.ErrorCode.NAMEPLATE_EXPIRED:
                    self.code_expired.emit()
                    again = False
                else:
                    self.relay_unreachable.emit(str(exc), RETRY_DELAYS[0])
                    await asyncio.sleep(RETRY_DELAYS[0])
                    again = True
            except RelayError as exc:
                # Lost the relay while waiting (e.g. relay restart): get a fresh code.
                self.relay_unreachable.emit(str(exc), RETRY_DELAYS[0])
                await asyncio.sleep(RETRY_DELAYS[0])
                again = True
            finally:
                await conn.close()
            if not again:
                self._go.clear()

    async def _one_code(self, conn: RelayConnection) -> bool:
        """Host one code and run the session it leads to; True = show a new code at once."""
        plate = await conn.host()
        code = SessionCode(plate.nameplate, new_secret())
        self.code_ready.emit(code.display(), float(plate.expires_in))
        await conn.wait_paired()
        session = AgentSession(code, organisation=self._config.organisation)
        audit = AuditRecord.create(default_audit_dir(), "agent")
        active = _Active(session, asyncio.Queue(), audit)
        self._active = active
        sender = asyncio.create_task(conn.send_from(active.sendq))
        try:
            self._enqueue(session.start())
            while not session.ended:
                try:
                    data = await conn.recv()
                except PeerLeft:
                    self._handle(session.peer_lost())
                    break
                except RelayError as exc:
                    self._handle(session.peer_lost(str(exc)))
                    break
                self._handle(session.receive(data))
            # Flush what the session said last (End / Error) before closing.
            active.sendq.put_nowait(None)
            with contextlib.suppress(asyncio.TimeoutError, Exception):
                await asyncio.wait_for(sender, 2.0)
        finally:
            sender.cancel()
            await self._teardown_active()
        # Any join spends the nameplate: if no session came of it, show a fresh code at once.
        return not session.verification

    def _enqueue(self, data: bytes) -> None:
        if self._active is not None:
            self._active.sendq.put_nowait(data)

    # ---------------------------------------------------------------- session events

    def _handle(self, step: Step) -> None:
        for data in step.outgoing:
            self._enqueue(data)
        active = self._active
        if active is None:
            return
        for ev in step.events:
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
                active.audit.log("keys_agreed", verification=ev.verification)
            elif isinstance(ev, ConsentRequested):
                active.audit.log("consent_requested", technician=ev.name,
                                 organisation=ev.organisation, verification=ev.verification,
                                 requested=sorted(ev.permissions))
                self.consent_requested.emit(ev.name, ev.organisation, ev.verification,
                                            ev.permissions)
            elif isinstance(ev, PermissionsChanged):
                self._on_permissions(ev.permissions, active)
            elif isinstance(ev, WrongCodeEntered):
                active.audit.log("wrong_code")
            elif isinstance(ev, SessionEnded):
                self._on_ended(ev, active)

    def _on_permissions(self, perms: frozenset[str], active: _Active) -> None:
        first = active.streamer is None
        active.audit.log("session_started" if first else "permissions_changed",
                         permissions=sorted(perms))
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
        with contextlib.suppress(Exception), mss.MSS() as sct:
            whole = sct.monitors[0]
            active.origin = (int(whole["left"]), int(whole["top"]))

        def on_frame(frame: EncodedFrame) -> None:  # streamer thread
            with contextlib.suppress(RuntimeError):  # loop already closed: agent exiting
                loop.call_soon_threadsafe(self._send_frame, frame, active)

        def on_error(exc: BaseException) -> None:  # streamer thread
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._streaming_failed, exc, active)

        streamer = ScreenStreamer(on_frame, on_error=on_error)
        streamer.start()
        return streamer

    def _send_frame(self, frame: EncodedFrame, active: _Active) -> None:
        if active is not self._active or active.session.ended:
            return
        rects = tuple(m.Rect(r.x, r.y, r.w, r.h, int(r.encoding), r.payload)
                      for r in frame.rects)
        update = m.FrameUpdate(frame.width, frame.height, rects, frame.seq)
        self._enqueue(active.session.seal_frame(update))

    def _apply_stream_settings(self, ev: StreamSettingsChanged, active: _Active) -> None:
        """The technician chose another quality / bandwidth cap (0 = lossless / unlimited)."""
        active.audit.log("stream_settings", quality=ev.quality,
                         max_bytes_per_s=ev.max_bytes_per_s)
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
        if self._gate is not None:
            self._gate.end()
        s = active.session
        active.audit.log("session_ended", reason=ev.reason, by_peer=ev.by_peer,
                         message=ev.message, inputs_applied=dict(s.applied_inputs),
                         inputs_dropped=dict(s.dropped_inputs))
        if s.verification:
            self.session_ended.emit(ev.reason, ev.message)
        elif ev.reason in ("wrong_code", "protocol_error", "integrity_error"):
            # Someone joined with a wrong code (or garbage): say so next to the fresh code.
            self.wrong_code.emit()

    def _end_locally(self, reason: str) -> None:
        if self._active is not None:
            self._handle(self._active.session.end(reason))

    # ---------------------------------------------------------------- GUI intents

    def _decide(self, allowed: bool, permissions: frozenset[str], timed_out: bool) -> None:
        active = self._active
        if active is None:
            return
        active.audit.log("consent_decided", allowed=allowed, permissions=sorted(permissions),
                         timed_out=timed_out)
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
