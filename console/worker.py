"""The console's work, off the GUI thread: relay connection, session, frame decoding.

Same shape as the agent's worker: a QObject whose signals feed the widgets, and one asyncio loop
in a daemon thread doing the I/O (the *network loop*: relay, session, pings, what the technician
sends). Frames are decoded into a :class:`Framebuffer` on a third thread (:class:`FrameDecoder`),
never on the GUI thread nor on the network loop, so a hostile agent's worst frames cannot delay
End or the round-trip measurement. Back-pressure end to end: the decoder starts a frame only
after the GUI took the last one (``frame_shown``, which is also the agent's flow-control ack),
and the network loop stops reading from the relay while :data:`MAX_FRAMES_PENDING` frames wait
(TCP back-pressure towards the agent); the technician's End and input still go out at once.

What crosses to the GUI per frame is only the damage: ``QImage`` views of the damaged rectangles
of the decoder's framebuffer (or of their bounding box when that is about as big; no copy), which
the GUI blits into its own persistent image (:meth:`RemoteView.apply_patches`); the decoder does
not touch the framebuffer again before that. The GUI applies all patches of one frame before it
returns to its event loop, so a paint never shows half a frame.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from console.framebuffer import Framebuffer
from desktop import relay_client
from desktop.loop_thread import LoopThread
from desktop.relay_client import PeerLeft, RelayConnection, RelayError, RelayRejected
from shared import messages as m
from shared import rendezvous as rv
from shared.audit import AuditRecord, AuditWriteError, check_writable, default_audit_dir
from shared.codec import ResourceLimit
from shared.codes import parse_code
from shared.errors import FernhilfeError
from shared.session import (
    ConsentAnswered,
    ConsoleSession,
    CursorReceived,
    FrameReceived,
    InputMessage,
    KeysAgreed,
    PermissionsChanged,
    RoundTripMeasured,
    SessionEnded,
    Step,
    WrongCodeEntered,
    resource_limit_message,
    silence_limit,
)

log = logging.getLogger(__name__)
STATS_INTERVAL = 1.0
PING_INTERVAL = 1.0  # while frames arrive (the status bar shows a live round trip)
IDLE_PING_INTERVAL = 5.0  # while the customer's screen rests
#: Send one bounding-box patch instead of many when the rects cover this much of it.
BOUNDING_FILL = 0.5
#: Frames received but not yet shown by the GUI (one at the GUI or decoding, one waiting);
#: at this many the network loop stops reading from the relay.
MAX_FRAMES_PENDING = 2


def damage_patches(array: np.ndarray, damage: list[tuple[int, int, int, int]]
                   ) -> list[tuple[int, int, QImage]]:
    """``QImage`` views of the damaged parts of a BGRA framebuffer: ``(x, y, image)``.

    Many small rects that fill most of their bounding box become one patch of that box. No
    pixel is copied: each image reads the framebuffer's memory in place (and holds a reference
    to the array, so it stays valid even after the framebuffer moved on to a new array). Why:
    a whole-screen copy per resize cost 64 MiB and ~20 ms more. The price: nobody may write
    into ``array`` until the GUI has drawn the patches (:class:`FrameDecoder` waits for that).
    """
    if not damage:
        return []
    boxes = damage
    box = Framebuffer.bounding(damage)
    if box is not None and len(damage) > 1:
        area = sum(w * h for _x, _y, w, h in damage)
        if area >= BOUNDING_FILL * box[2] * box[3]:
            boxes = [box]
    arr = np.asarray(array)
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)  # the framebuffer is; only for other callers
    fw = arr.shape[1]
    flat = arr.reshape(-1)
    patches: list[tuple[int, int, QImage]] = []
    for x, y, w, h in boxes:
        start = (y * fw + x) * 4
        end = ((y + h - 1) * fw + x + w) * 4  # the last byte of the patch's last row
        image = QImage(flat[start:end].data, w, h, fw * 4, QImage.Format.Format_RGB32)
        image._pixels = arr  # type: ignore[attr-defined]  # keep the memory alive
        patches.append((x, y, image))
    return patches


class FrameDecoder:
    """The decode thread: applies frames to its :class:`Framebuffer`, one at a time, in order.

    Why a thread of its own: a frame costs up to tens of milliseconds of numpy/zstd/libjpeg
    work (released GIL); on the network loop that would delay End and pings behind a hostile
    stream. ``on_done(width, height, patches, seq)`` and ``on_error(exc)`` are called from this
    thread. A frame is started only after :meth:`shown` reported that the GUI took the last one.
    """

    def __init__(self, on_done: Callable[[int, int, list[tuple[int, int, QImage]], int], None],
                 on_error: Callable[[FernhilfeError], None]) -> None:
        self._on_done = on_done
        self._on_error = on_error
        self._fb = Framebuffer()
        self._cv = threading.Condition()
        self._queue: deque[m.FrameUpdate] = deque()
        self._gui_busy = False
        self._emitted_seq = -1
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="console-decode", daemon=True)
        self._thread.start()

    def put(self, update: m.FrameUpdate) -> None:
        """Queue a frame (the caller bounds how many wait: see MAX_FRAMES_PENDING)."""
        with self._cv:
            self._queue.append(update)
            self._cv.notify()

    def shown(self, seq: int) -> None:
        """The GUI drew frame ``seq``: the next one may be decoded (any thread).

        Only for the frame emitted last: a late ack of an earlier session's frame must not let
        the decoder write while the GUI still reads the current patches."""
        with self._cv:
            if seq == self._emitted_seq:
                self._gui_busy = False
                self._cv.notify()

    def close(self) -> None:
        """Stop after the current frame; waiting frames are dropped (any thread)."""
        with self._cv:
            self._closed = True
            self._queue.clear()
            self._cv.notify()

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._closed and (self._gui_busy or not self._queue):
                    self._cv.wait()
                if self._closed:
                    self._fb = Framebuffer()  # free the screen memory now
                    return
                update = self._queue.popleft()
                self._gui_busy = True
            try:
                damage = self._fb.apply(update.width, update.height, update.rects, update.seq)
                patches = damage_patches(self._fb.array, damage)
            except FernhilfeError as exc:
                self.close()
                self._on_error(exc)
                continue
            seq = update.seq
            del update  # the payloads: free them before the GUI draws
            with self._cv:
                self._emitted_seq = seq
            self._on_done(self._fb.width, self._fb.height, patches, seq)


def _failure(exc: RelayError) -> str:
    """What ``failed`` carries for a relay problem: for a rejection, the standard sentence of
    its stable code (the window maps it to our translated text), never the relay's own words,
    which go to the log only."""
    if isinstance(exc, RelayRejected):
        log.warning("the relay refused: %s (it said %r)", exc.code.value, str(exc))
        return rv.ERROR_MESSAGES[exc.code]
    return str(exc)


@dataclass
class _Stats:
    frames: int = 0
    nbytes: int = 0
    rtt_ms: float = 0.0


class ConsoleWorker(QObject):
    """Relay + session + decoding for the technician's console."""

    failed = Signal(str)  # could not start a session (bad code, relay said no, unreachable)
    verification = Signal(str)
    consent_answered = Signal(bool, object)
    permissions_changed = Signal(object)
    #: width, height, [(x, y, QImage patch)], seq: blit the patches (see RemoteView.apply_patches)
    frame_ready = Signal(int, int, list, int)
    #: x, y, visible, new shape (QImage with straight alpha) or None = keep the last, hot x, y
    cursor_moved = Signal(int, int, bool, object, int, int)
    stats = Signal(float, float, float)  # fps, rtt ms, bytes/s
    ended = Signal(str, str)  # reason, human message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._io = LoopThread("console-net")
        self._loop = self._io.loop
        self._io.start()
        self._session: ConsoleSession | None = None
        self._sendq: asyncio.Queue[bytes | None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._began = False  # the current attempt reached its session loop
        self._decoder: FrameDecoder | None = None
        self._pending = 0  # frames handed to the decoder and not yet shown by the GUI
        self._room = asyncio.Event()  # set whenever _pending drops or the session ends

    # ---------------------------------------------------------------- GUI-thread API

    def connect_to(self, relay_url: str, name: str, organisation: str, code_text: str) -> None:
        self._io.call(self._begin, relay_url, name, organisation, code_text)

    def send_input(self, msg: InputMessage) -> None:
        self._io.call(self._send_input, msg)

    def frame_shown(self, seq: int) -> None:
        decoder = self._decoder
        if decoder is not None:
            decoder.shown(seq)  # the next frame may be decoded at once, not after a loop hop
        self._io.call(self._ack, seq)

    def end_session(self) -> None:
        self._io.call(self._end, "technician_ended")

    def set_stream_settings(self, quality: int, max_bytes_per_s: int) -> None:
        """Picture quality 1..100 or 0 = lossless only; bandwidth cap in bytes/s, 0 = none."""
        self._io.call(self._set_stream_settings, quality, max_bytes_per_s)

    def stop(self, timeout: float = 5.0) -> None:
        """End any session (telling the customer) and stop the thread. Safe to call twice."""
        self._io.stop(self._shutdown, timeout)

    # ---------------------------------------------------------------- loop thread

    async def _shutdown(self) -> None:
        self._end("technician_ended")
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 2.0)

    def _begin(self, relay_url: str, name: str, organisation: str, code_text: str) -> None:
        if self._task is not None and not self._task.done():
            return
        self._task = self._loop.create_task(self._run(relay_url, name, organisation, code_text))

    async def _run(self, relay_url: str, name: str, organisation: str, code_text: str) -> None:
        self._began = False  # a session loop started: its end is "ended", not "failed"
        try:
            await self._connect(relay_url, name, organisation, code_text)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # never a silent death: the window must not stay "Connecting…"
            log.exception("connecting to the customer failed")
            if self._began:
                self.ended.emit("error", "")
            else:
                self.failed.emit(str(exc))

    async def _connect(self, relay_url: str, name: str, organisation: str,
                       code_text: str) -> None:
        try:
            code = parse_code(code_text)
        except FernhilfeError as exc:
            self.failed.emit(str(exc))
            return
        try:
            rv.Join(code.nameplate)
        except rv.RendezvousError:  # e.g. "012 ...": no relay hands out such a nameplate
            self.failed.emit(rv.ERROR_MESSAGES[rv.ErrorCode.UNKNOWN_NAMEPLATE])
            return
        try:  # before joining: a broken records folder must not burn the customer's code
            check_writable(default_audit_dir())
        except AuditWriteError as exc:
            log.error("audit record unavailable: %s", exc)
            self.ended.emit("audit_unavailable", "")
            return
        try:
            conn = await RelayConnection.open(relay_url)
        except RelayError as exc:
            self.failed.emit(_failure(exc))
            return
        try:
            try:
                await conn.join(code.nameplate)
            except RelayError as exc:
                self.failed.emit(_failure(exc))
                return
            await self._session_loop(conn, ConsoleSession(code, name=name,
                                                          organisation=organisation))
        finally:
            await conn.close()

    async def _session_loop(self, conn: RelayConnection, session: ConsoleSession) -> None:
        self._began = True
        try:  # no session without a record: say so instead of hanging in "Connecting…"
            audit = AuditRecord.create(default_audit_dir(), "console")
        except AuditWriteError as exc:
            log.error("audit record unavailable: %s", exc)
            self.ended.emit("audit_failed", "")
            return
        audit.on_failure = self._audit_failed
        self._audit = audit
        self._session = session
        self._stats = _Stats()
        self._sendq = asyncio.Queue()
        self._pending = 0
        self._room = asyncio.Event()
        self._decoder = self._new_decoder(session)
        sender = asyncio.create_task(conn.send_from(self._sendq))
        ticker = asyncio.create_task(self._tick())
        phase, phase_since = session.phase, self._loop.time()
        try:
            self._enqueue(session.start())
            while not session.ended:
                while self._pending >= MAX_FRAMES_PENDING and not session.ended:
                    self._room.clear()  # back-pressure: stop reading until the GUI caught up
                    await self._room.wait()
                if session.ended:
                    break
                if session.phase is not phase:
                    phase, phase_since = session.phase, self._loop.time()
                limit = silence_limit(phase)
                wait = None if limit is None else phase_since + limit - self._loop.time()
                try:
                    data = await asyncio.wait_for(conn.recv(), wait)
                except TimeoutError:
                    log.warning("the customer's side went silent (%s)", phase.value)
                    self._handle(session.peer_silent())
                    break
                except PeerLeft:
                    self._handle(session.peer_lost("The customer's computer left the session."))
                    break
                except RelayError as exc:
                    self._handle(session.peer_lost(str(exc)))
                    break
                self._stats.nbytes += len(data)
                self._handle(session.receive(data))
            self._sendq.put_nowait(None)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(sender, 2.0)
        finally:
            sender.cancel()
            ticker.cancel()
            self._session = None
            decoder, self._decoder = self._decoder, None
            if decoder is not None:
                decoder.close()

    def _new_decoder(self, session: ConsoleSession) -> FrameDecoder:
        """A decode thread for this session; its results hop to the network loop."""
        loop = self._loop

        def done(width: int, height: int, patches: list[tuple[int, int, QImage]],
                 seq: int) -> None:  # decode thread
            self.frame_ready.emit(width, height, patches, seq)

        def failed(exc: FernhilfeError) -> None:  # decode thread
            with contextlib.suppress(RuntimeError):  # loop closed: the console is exiting
                loop.call_soon_threadsafe(self._decode_failed, session, exc)

        return FrameDecoder(done, failed)

    def _decode_failed(self, session: ConsoleSession, exc: FernhilfeError) -> None:
        """A frame broke a rule or a budget: end the session, telling the agent why."""
        if isinstance(exc, ResourceLimit):
            self._handle(session.abort("resource_limit", resource_limit_message(exc)))
        else:
            self._handle(session.abort("protocol_error", str(exc)))

    def _audit_failed(self, exc: AuditWriteError) -> None:
        """A record write failed mid-session: end it for both people (no unrecorded session).

        Ends on the next loop step, after the events being handled now reached the GUI."""
        log.error("audit record failed, ending the session: %s", exc)
        session = self._session
        if session is not None and not session.ended:
            self._loop.call_soon(lambda: self._handle(session.abort(
                "audit_failed", "The technician's computer cannot save the session record.")))

    async def _tick(self) -> None:
        last = time.monotonic()
        last_ping = -float("inf")
        while True:
            await asyncio.sleep(STATS_INTERVAL)
            if self._session is None:
                return
            now = time.monotonic()
            # A resting screen costs the customer's link only a ping every few seconds.
            interval = PING_INTERVAL if self._stats.frames else IDLE_PING_INTERVAL
            if now - last_ping >= interval - 0.05:
                self._handle(self._session.ping())
                last_ping = now
            span = max(1e-3, now - last)
            s = self._stats
            self.stats.emit(s.frames / span, s.rtt_ms, s.nbytes / span)
            s.frames = s.nbytes = 0
            last = now

    def _enqueue(self, data: bytes) -> None:
        if self._sendq is None:
            return
        self._sendq.put_nowait(data)
        session = self._session
        if (self._sendq.qsize() > relay_client.MAX_SEND_BACKLOG and session is not None
                and not session.ended):
            log.error("the agent does not read what this computer sends: ending the session")
            self._handle(session.abort(
                "resource_limit", "The customer's program does not read what it is sent."))

    def _handle(self, step: Step) -> None:
        for data in step.outgoing:
            self._enqueue(data)
        for ev in step.events:
            if isinstance(ev, FrameReceived):
                self._on_frame(ev.update)
            elif isinstance(ev, CursorReceived):
                self._on_cursor(ev.update)
            elif isinstance(ev, RoundTripMeasured):
                self._stats.rtt_ms = ev.ms
            elif isinstance(ev, KeysAgreed):
                self._audit.log("keys_agreed", verification=ev.verification)
                self.verification.emit(ev.verification)
            elif isinstance(ev, ConsentAnswered):
                self._audit.log("consent_answered", allowed=ev.allowed,
                                permissions=sorted(ev.permissions))
                self.consent_answered.emit(ev.allowed, ev.permissions)
            elif isinstance(ev, PermissionsChanged):
                self._audit.log("permissions_changed", permissions=sorted(ev.permissions))
                self.permissions_changed.emit(ev.permissions)
            elif isinstance(ev, WrongCodeEntered):
                self._audit.log("wrong_code")
            elif isinstance(ev, SessionEnded):
                self._room.set()  # a network loop waiting for the GUI stops waiting
                sent = dict(self._session.sent_inputs) if self._session else {}
                self._audit.log("session_ended", reason=ev.reason, by_peer=ev.by_peer,
                                message=ev.message, inputs_sent=sent)
                self.ended.emit(ev.reason, ev.message)

    def _on_frame(self, update: m.FrameUpdate) -> None:
        if self._decoder is not None:
            self._pending += 1
            self._decoder.put(update)

    def _on_cursor(self, update: m.CursorUpdate) -> None:
        shape = update.shape
        if shape is None:
            self.cursor_moved.emit(update.x, update.y, update.visible, None, 0, 0)
            return
        image = QImage(shape.rgba, shape.width, shape.height, shape.width * 4,
                       QImage.Format.Format_RGBA8888).copy()
        self.cursor_moved.emit(update.x, update.y, update.visible, image, shape.hot_x,
                               shape.hot_y)

    def _set_stream_settings(self, quality: int, max_bytes_per_s: int) -> None:
        if self._session is None:
            return
        try:
            step = self._session.set_stream_settings(quality, max_bytes_per_s)
        except FernhilfeError as exc:  # a caller bug: say so, keep the session
            log.error("bad stream settings: %s", exc)
            return
        if step.outgoing:
            self._audit.log("stream_settings", quality=quality, max_bytes_per_s=max_bytes_per_s)
        self._handle(step)

    def _send_input(self, msg: InputMessage) -> None:
        if self._session is not None:
            self._handle(self._session.send_input(msg))

    def _ack(self, seq: int) -> None:
        if self._pending > 0:
            self._pending -= 1
            self._stats.frames += 1
            self._room.set()
        if self._session is not None:
            self._handle(self._session.ack(seq))

    def _end(self, reason: str) -> None:
        if self._session is not None:
            self._handle(self._session.end(reason))
