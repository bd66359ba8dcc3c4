"""The console's Qt bridge: driver events become signals, GUI intents become driver calls.

Same shape as the agent's worker: a QObject whose signals feed the widgets, and one asyncio loop
in a daemon thread doing the I/O (the *network loop*: :class:`console.driver.ConsoleJoiner` and
the session driver: relay, session, pings, what the technician sends). Frames are decoded into
a :class:`Framebuffer` on a third thread (:class:`FrameDecoder`), never on the GUI thread nor
on the network loop, so a hostile agent's worst frames cannot delay End or the round-trip
measurement. Back-pressure end to end: the decoder starts a frame only after the GUI took the
last one (``frame_shown``, which is also the agent's flow-control ack), and the network loop
stops reading from the relay while ``console.driver.MAX_FRAMES_PENDING`` frames wait
(TCP back-pressure towards the agent); the technician's End and input still go out at once.

What crosses to the GUI per frame is only the damage: ``QImage`` views of the damaged rectangles
of the decoder's framebuffer (or of their bounding box when that is about as big; no copy), which
the GUI blits into its own persistent image (:meth:`RemoteView.apply_patches`); the decoder does
not touch the framebuffer again before that. The GUI applies all patches of one frame before it
returns to its event loop, so a paint never shows half a frame.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from console.driver import ConsoleJoiner, Ended, JoinFailed, Stats
from console.framebuffer import Framebuffer
from desktop.loop_thread import LoopThread
from shared import messages as m
from shared.errors import FernhilfeError
from shared.session import (
    ConsentAnswered,
    CursorReceived,
    InputMessage,
    KeysAgreed,
    PermissionsChanged,
)

log = logging.getLogger(__name__)
#: Send one bounding-box patch instead of many when the rects cover this much of it.
BOUNDING_FILL = 0.5


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


class ConsoleWorker(QObject):
    """Relay + session + decoding for the technician's console, as Qt signals."""

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
        self._decoder: FrameDecoder | None = None
        self.joiner = ConsoleJoiner(self._on_event, self._io.loop, self._new_decoder)
        self._io.start()

    # ---------------------------------------------------------------- GUI-thread API

    def connect_to(self, relay_url: str, name: str, organisation: str, code_text: str) -> None:
        self._io.call(self.joiner.begin, relay_url, name, organisation, code_text)

    def send_input(self, msg: InputMessage) -> None:
        self._io.call(self.joiner.send_input, msg)

    def frame_shown(self, seq: int) -> None:
        decoder = self._decoder
        if decoder is not None:
            decoder.shown(seq)  # the next frame may be decoded at once, not after a loop hop
        self._io.call(self.joiner.ack, seq)

    def end_session(self) -> None:
        self._io.call(self.joiner.end, "technician_ended")

    def set_stream_settings(self, quality: int, max_bytes_per_s: int) -> None:
        """Picture quality 1..100 or 0 = lossless only; bandwidth cap in bytes/s, 0 = none."""
        self._io.call(self.joiner.set_stream_settings, quality, max_bytes_per_s)

    def stop(self, timeout: float = 5.0) -> None:
        """End any session (telling the customer) and stop the thread. Safe to call twice."""
        self._io.stop(self.joiner.shutdown, timeout)

    # ---------------------------------------------------------------- loop thread

    def _new_decoder(self, failed: Callable[[FernhilfeError], None]) -> FrameDecoder:
        """A decode thread for one session: patches go straight to the GUI as a signal."""
        self._decoder = FrameDecoder(self.frame_ready.emit, failed)
        return self._decoder

    def _on_event(self, ev: object) -> None:
        """One driver event (loop thread) -> one queued signal."""
        if isinstance(ev, CursorReceived):
            self._on_cursor(ev.update)
        elif isinstance(ev, Stats):
            self.stats.emit(ev.fps, ev.rtt_ms, ev.bytes_per_s)
        elif isinstance(ev, KeysAgreed):
            self.verification.emit(ev.verification)
        elif isinstance(ev, ConsentAnswered):
            self.consent_answered.emit(ev.allowed, ev.permissions)
        elif isinstance(ev, PermissionsChanged):
            self.permissions_changed.emit(ev.permissions)
        elif isinstance(ev, Ended):
            self.ended.emit(ev.reason, ev.message)
        elif isinstance(ev, JoinFailed):
            self.failed.emit(ev.message)

    def _on_cursor(self, update: m.CursorUpdate) -> None:
        shape = update.shape
        if shape is None:
            self.cursor_moved.emit(update.x, update.y, update.visible, None, 0, 0)
            return
        image = QImage(shape.rgba, shape.width, shape.height, shape.width * 4,
                       QImage.Format.Format_RGBA8888).copy()
        self.cursor_moved.emit(update.x, update.y, update.visible, image, shape.hot_x,
                               shape.hot_y)
