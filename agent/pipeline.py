"""The screen streamer: capture -> change detection -> scroll detection -> encode, in one thread.

One worker thread owns the capturer (mss is per thread), the reference frame (what the console has,
in true pixels) and the refinement tracker. It only encodes when the flow-control window has credit
and the byte budget allows, and then always from the newest capture, so a slow link never queues
stale frames. Finished updates go to ``on_frame``; the integrator maps :class:`EncodedFrame` and
:class:`~shared.codec.EncodedRect` 1:1 onto ``messages.FrameUpdate`` / ``messages.Rect``.
No Qt and no networking here.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from agent.damage import ChangeWatcher
from shared.codec import EncodedRect, Encoding
from shared.codec.encode import RectEncoder, encode_copy
from shared.codec.refine import RefinementTracker
from shared.codec.scroll import BAND, Move, apply_moves, band_row_hashes, detect_moves
from shared.codec.tiles import TILE, dirty_tiles, tile_grid_shape, tiles_to_rects
from shared.flow import FlowControl

__all__ = ["EncodedFrame", "FrameEncoder", "FrameSource", "ScreenStreamer"]

log = logging.getLogger(__name__)

#: Stay well below the channel's 8 MiB plaintext limit; the rest follows in the next update.
MAX_FRAME_BYTES = 6 * 1024 * 1024
#: Rectangles of at most this many pixels (4 default tiles) go out lossless even in lossy mode:
#: typed text, a blinking caret or a small icon cost little more exact than as JPEG, and a JPEG
#: would have to be sent again losslessly (refinement) a moment later anyway.
SMALL_RECT_PIXELS = 4 * TILE * TILE

#: Closest spacing of two grabs when an ack, input or a refresh request asks for one early.
MIN_GRAB_SPACING = 1.0 / 240


@dataclass(frozen=True, slots=True)
class EncodedFrame:
    """One screen update; maps 1:1 to ``messages.FrameUpdate(width, height, rects, seq)``."""

    width: int
    height: int
    seq: int
    rects: list[EncodedRect] = field(default_factory=list)

    @property
    def nbytes(self) -> int:
        """Payload bytes (what the bandwidth cap counts)."""
        return sum(len(r.payload) for r in self.rects) + 16 * len(self.rects)


def _diff_box(
    ref: np.ndarray, frame: np.ndarray, x: int, y: int, w: int, h: int
) -> tuple[int, int, int, int]:
    """The smallest rectangle inside ``(x, y, w, h)`` holding every pixel where ``ref`` and
    ``frame`` differ (the whole rectangle if none differ)."""
    a = ref[y : y + h, x : x + w].view(np.uint32)[..., 0]
    b = frame[y : y + h, x : x + w].view(np.uint32)[..., 0]
    diff = a != b
    rows = np.flatnonzero(diff.any(axis=1))
    if rows.size == 0:
        return x, y, w, h
    cols = np.flatnonzero(diff.any(axis=0))
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    return x + x0, y + y0, x1 - x0, y1 - y0


class FrameSource(Protocol):
    """What the streamer needs from a capturer (:class:`agent.capture.ScreenCapturer` fits).

    Optional: ``grab_update() -> (frame, regions | None)`` (only ``regions`` can have changed since
    the last call; used instead of ``grab`` when present) and ``attach_damage(take)`` (the change
    watcher's ``take_damage``, handed over when the watcher runs and has one).
    """

    def grab(self) -> np.ndarray: ...
    def interval(self) -> float: ...
    def poke(self) -> None: ...
    def note_frame(self, changed: bool) -> None: ...
    def close(self) -> None: ...


class FrameEncoder:
    """The sans-thread core: turns a new frame into rects against what the console holds.

    Usable directly (bench, tests); :class:`ScreenStreamer` drives it from its worker thread.
    """

    def __init__(
        self,
        *,
        quality: int | None = 75,
        refine_delay: float = 0.3,
        tile: int = TILE,
        scroll: bool = True,
        max_frame_bytes: int = MAX_FRAME_BYTES,
        small_rect_pixels: int = SMALL_RECT_PIXELS,
        hash_cache: bool = True,
    ) -> None:
        self.quality = quality
        self.small_rect_pixels = small_rect_pixels
        self.tile = tile
        self.scroll = scroll
        self.max_frame_bytes = max_frame_bytes
        self.refine_delay = refine_delay
        self.ref: np.ndarray | None = None
        # the zstd contexts, reused frame after frame (the encoder runs on one thread at a time)
        self._rect_encoder = RectEncoder()
        self.tracker = RefinementTracker((0, 0), tile, refine_delay)
        self.stats = {"moves": 0, "rects": 0, "refined": 0}
        # Row hashes of ``ref`` for scroll detection (the previous frame's, so each frame hashes
        # only its own changed region): valid for every row whose ``_stale`` flag is False.
        # Only when tile columns line up with hash bands.
        self._hash_cache = hash_cache and tile % BAND == 0
        self._hashes: np.ndarray | None = None
        self._stale = np.zeros(0, dtype=bool)
        self._pending: tuple[int, int, int, int, np.ndarray] | None = None
        # the last update left changes out (byte budget): ``ref`` differs from the last frame
        # somewhere, so the next one must be diffed whole even if its source names regions
        self._behind = False

    def reset(self) -> None:
        """Forget the console's state: the next update repaints everything."""
        self.ref = None
        self._hashes = None

    def _changed_tiles(
        self, frame: np.ndarray, regions: list[tuple[int, int, int, int]] | None
    ) -> np.ndarray:
        """Tiles that differ from ``ref``, comparing only tiles touching ``regions`` (None: all)."""
        assert self.ref is not None
        t = self.tile
        if regions is None or self._behind:
            return dirty_tiles(self.ref, frame, t)
        h, w = frame.shape[:2]
        changed = np.zeros(tile_grid_shape(h, w, t), dtype=bool)
        for x, y, rw, rh in regions:
            c0, r0 = x // t, y // t
            c1, r1 = (x + rw + t - 1) // t, (y + rh + t - 1) // t
            changed[r0:r1, c0:c1] |= dirty_tiles(
                self.ref, frame, t, (c0, r0, c1 - c0, r1 - r0))[r0:r1, c0:c1]
        return changed

    def _write_ref(self, frame: np.ndarray, x: int, y: int, w: int, h: int) -> None:
        """The console now holds ``frame``'s pixels in this rectangle (true pixels even for JPEG:
        refinement makes them so); their cached row hashes become stale."""
        assert self.ref is not None
        self.ref[y : y + h, x : x + w] = frame[y : y + h, x : x + w]
        self._stale[y : y + h] = True

    def _prev_hashes(self, y0: int, y1: int, b0: int, b1: int) -> np.ndarray:
        """Cached row hashes of ``ref`` rows ``y0:y1``, bands ``b0:b1`` (stale rows rehashed)."""
        assert self.ref is not None
        ref32 = self.ref.view(np.uint32)[..., 0]
        if self._hashes is None or self._hashes.shape[0] != ref32.shape[0]:
            self._hashes = band_row_hashes(ref32)
            self._stale = np.zeros(ref32.shape[0], dtype=bool)
        else:
            rows = y0 + np.flatnonzero(self._stale[y0:y1])
            if rows.size:
                self._hashes[rows] = band_row_hashes(ref32[rows])
                self._stale[rows] = False
        return self._hashes[y0:y1, b0:b1]

    def encode(
        self,
        frame: np.ndarray,
        now: float,
        regions: list[tuple[int, int, int, int]] | None = None,
    ) -> tuple[list[EncodedRect], bool]:
        """Rects bringing the console from its state to ``frame``; and whether the frame changed.

        ``regions`` ``(x, y, w, h)``: the only places where ``frame`` can differ from the previous
        call's frame (a capturer that grabbed just the damaged regions); None = anywhere. Outside
        them ``ref`` already equals ``frame`` (every complete update leaves ``ref`` equal to its
        frame; after an incomplete one the next frame is diffed whole), so only tiles touching
        them are compared. Updates the reference only for what is returned, so rects left out
        for the size limit follow in the next call.
        """
        h, w = frame.shape[:2]
        t = self.tile
        grid = tile_grid_shape(h, w, t)
        if self.ref is None or self.ref.shape != frame.shape:
            self.ref = np.zeros_like(frame)
            self._hashes = None
            self.tracker.reset(grid)
            changed = np.ones(grid, dtype=bool)
            dirty = changed
            moves: list[Move] = []
        else:
            changed = self._changed_tiles(frame, regions)
            dirty = changed
            moves = []
            if self.scroll and int(changed.sum()) >= 4:
                rows, cols = np.nonzero(changed.any(axis=1))[0], np.nonzero(changed.any(axis=0))[0]
                region = (int(cols[0]) * t, int(rows[0]) * t,
                          min(w, (int(cols[-1]) + 1) * t) - int(cols[0]) * t,
                          min(h, (int(rows[-1]) + 1) * t) - int(rows[0]) * t)
                hp = hc = None
                if self._hash_cache:
                    rx, ry, rw, rh = region
                    b0, b1 = rx // BAND, (rx + rw + BAND - 1) // BAND
                    hp = self._prev_hashes(ry, ry + rh, b0, b1)
                    hc = band_row_hashes(frame[ry : ry + rh, rx : rx + rw].view(np.uint32)[..., 0])
                moves = detect_moves(self.ref, frame, region, prev_hashes=hp, cur_hashes=hc)
                if not moves:
                    moves = detect_moves(self.ref, frame, region, horizontal=True)
                if moves:
                    apply_moves(self.ref, moves)
                    for m in moves:
                        self.tracker.note_move(m)
                        self._stale[m.y : m.y + m.h] = True
                    # the copies changed the reference only inside their destinations: re-diff
                    # just those tiles, the rest of the grid is still right
                    c0 = min(m.x for m in moves) // t
                    r0 = min(m.y for m in moves) // t
                    c1 = (max(m.x + m.w for m in moves) + t - 1) // t
                    r1 = (max(m.y + m.h for m in moves) + t - 1) // t
                    dirty = changed.copy()
                    dirty[r0:r1, c0:c1] = dirty_tiles(
                        self.ref, frame, t, (c0, r0, c1 - c0, r1 - r0))[r0:r1, c0:c1]
                if hc is not None:
                    # after this update the console holds ``frame`` in the region (unless the
                    # byte budget cuts it short, checked below): its hashes are ``hc``
                    self._pending = (ry, ry + rh, b0, b1, hc)
        self.tracker.note_changed(changed, now)
        rects = [
            EncodedRect(m.x, m.y, m.w, m.h, Encoding.COPY, encode_copy(m.src_x, m.src_y))
            for m in moves
        ]
        self.stats["moves"] += len(moves)
        budget = self.max_frame_bytes
        complete = True
        first = True  # the first pixel rect always goes (it alone stays far below MAX_PLAINTEXT)
        for x, y, rw, rh in tiles_to_rects(dirty, h, w, t):
            if budget <= 0:
                complete = False
                break
            small = rw * rh <= self.small_rect_pixels
            if small:
                # small: exact at once, and only the box of pixels that differ (a typed glyph,
                # not its 64x64 tiles). The tiles' lossiness is unchanged: exact pixels in part
                # of a tile neither make it lossy nor fix what JPEG left elsewhere in it.
                x, y, rw, rh = _diff_box(self.ref, frame, x, y, rw, rh)
            r = self._rect_encoder.encode_rect(frame, x, y, rw, rh,
                                               quality=None if small else self.quality)
            if len(r.payload) > budget and not first:
                # The budget is a hard cap: a rect that does not fit waits for the next update
                # (noise at 8K lossless once made one update 14 MB, over the 8 MiB a message
                # may carry, and the console never got those pixels).
                complete = False
                break
            first = False
            budget -= len(r.payload)
            if small:
                rects.append(r)
                self._write_ref(frame, x, y, rw, rh)
                continue
            rects.append(r)
            self._write_ref(frame, x, y, rw, rh)
            self.tracker.note_sent(x, y, rw, rh, lossy=r.encoding == Encoding.JPEG)
        self._behind = not complete
        pending, self._pending = self._pending, None
        if pending is not None and complete and self._hashes is not None:
            # every changed pixel lay inside the region and was sent: ref == frame there, and
            # the region's rows were rehashed before detection, so all of them are fresh now
            y0, y1, b0, b1, hc = pending
            self._hashes[y0:y1, b0:b1] = hc
            self._stale[y0:y1] = False
        due = self.tracker.due(now) & ~dirty
        if due.any() and budget > 0:
            for x, y, rw, rh in tiles_to_rects(due, h, w, t):
                if budget <= 0:
                    break
                r = self._rect_encoder.encode_rect(frame, x, y, rw, rh, quality=None)
                if len(r.payload) > budget:
                    break  # still due: refined in a later update
                budget -= len(r.payload)
                rects.append(r)
                self._write_ref(frame, x, y, rw, rh)
                self.tracker.note_sent(x, y, rw, rh, lossy=False)
                self.stats["refined"] += 1
        self.stats["rects"] += len(rects)
        return rects, bool(changed.any())


class ScreenStreamer:
    """Runs the screen pipeline in one worker thread and hands updates to ``on_frame``.

    ``on_frame`` is called from the worker thread and must not block (queue the update to the
    network thread). Every method is thread-safe.

    When it grabs (the flow-control window and byte budget permitting):

    * on the source's timer, ``source.interval()`` after the last grab: the fast rate while the
      screen changes or input arrived, the idle rate at rest (:class:`agent.capture.AdaptiveRate`);
    * when a **change watcher** reports drawing (:meth:`screen_changed`; X11 DAMAGE, see
      :mod:`agent.damage`): the source switches to its fast rate, so a resting screen is grabbed
      at once and a changing one keeps the fast-rate spacing. With no ``source`` and no
      ``source_factory`` the streamer makes its own :class:`~agent.capture.ScreenCapturer` and,
      unless ``change_watcher`` says otherwise, uses the platform's watcher; when that watcher
      runs, the idle poll drops to :data:`agent.capture.WATCHED_IDLE_HZ` (a safety net only);
    * **early**, :data:`MIN_GRAB_SPACING` after the last grab, when an ack returned credit, input
      arrived (:meth:`poke`) or a full refresh was requested. Deliberately, frames then follow the
      acks: a changing screen on a fast link is sent as fast as the console applies it (up to
      240/s), not at the timer's 30/s — lower latency while scrolling. This costs nothing at
      rest: an unchanged grab sends nothing, so no ack comes back to wake the next one.
    """

    def __init__(
        self,
        on_frame: Callable[[EncodedFrame], None],
        *,
        source: FrameSource | None = None,
        source_factory: Callable[[], FrameSource] | None = None,
        window: int | None = None,  # None: adapts to the round trip (shared.flow)
        quality: int | None = 75,
        bandwidth_cap: float | None = None,
        refine_delay: float = 0.3,
        on_error: Callable[[BaseException], None] | None = None,
        change_watcher: ChangeWatcher | None = None,
        clock: Callable[[], float] = time.monotonic,
        monitor: int = 0,  # mss index of the own capturer: 0 = the whole desktop
    ) -> None:
        self._on_frame = on_frame
        self._monitor = monitor
        self._on_error = on_error
        self._source = source
        self._source_factory = source_factory
        self._clock = clock
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._urgent = False  # grab early: set by ack/poke/refresh, cleared by the next grab
        self._watcher = change_watcher
        self.watching = False  # a change watcher is running (the idle poll is only a safety net)
        self.damage_driven = False  # the source grabs only what the watcher reports as damaged
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._flow = FlowControl(window, bandwidth_cap, clock)
        self._encoder = FrameEncoder(quality=quality, refine_delay=refine_delay)
        self._full_refresh = False
        self._seq = 0
        self.error: BaseException | None = None
        self.frames_sent = 0
        self.bytes_sent = 0

    # --- control, from any thread -------------------------------------------------------------
    def start(self) -> None:
        """Start the worker thread (once)."""
        if self._thread is not None:
            raise RuntimeError("already started")
        self._thread = threading.Thread(target=self._run, name="screen-streamer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop and join the worker; False if it did not end within ``timeout`` (stuck callback)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is None:
            return True
        if self._thread is threading.current_thread():
            return False
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def ack(self, seq: int) -> None:
        """The console applied update ``seq`` (cumulative). Raises FlowError for unsent seqs."""
        with self._lock:
            self._flow.on_ack(seq)
        self._urgent = True
        self._wake.set()

    def set_quality(self, quality: int | None) -> None:
        """JPEG quality 1..100 for changing photo-like areas, or None for lossless only."""
        if quality is not None and not 1 <= quality <= 100:
            raise ValueError("quality must be 1..100 or None")
        with self._lock:
            self._encoder.quality = quality

    def set_bandwidth_cap(self, bytes_per_second: float | None) -> None:
        """Average send-rate cap in bytes per second (None = unlimited); applies at once."""
        with self._lock:
            self._flow.bucket.set_rate(bytes_per_second)
        self._wake.set()

    def request_full_refresh(self) -> None:
        """Send the whole screen again in the next update (e.g. the console's view was reset)."""
        with self._lock:
            self._full_refresh = True
        self._urgent = True
        self._wake.set()

    def poke(self) -> None:
        """Input arrived: grab now, and (without damage regions) keep the fast rate a while.

        With damage regions the screen's reaction to the input is reported (and grabbed) the
        moment it is drawn, so input alone no longer holds the capture at the fast rate."""
        src = self._source
        if src is not None and not self.damage_driven:
            src.poke()
        self._urgent = True
        self._wake.set()

    def screen_changed(self) -> None:
        """Something was drawn (change watcher): grab now if resting, else at the fast rate.

        With damage regions the grab costs only the damaged area and the watcher already limits
        its reports to ``1 / min_interval`` a second, so it grabs early (like an ack)."""
        src = self._source
        if src is not None:
            src.poke()
        if self.damage_driven:
            self._urgent = True
        self._wake.set()

    @property
    def in_flight(self) -> int:
        """Updates sent and not yet acknowledged."""
        with self._lock:
            return self._flow.in_flight

    @property
    def rtt(self) -> float | None:
        """Smoothed round-trip time from acks, in seconds."""
        with self._lock:
            return self._flow.srtt

    # --- worker ---------------------------------------------------------------------------------
    def _wait(self, timeout: float | None) -> None:
        self._wake.wait(timeout)
        self._wake.clear()

    def _make_source(self) -> FrameSource:
        """The frame source, after starting the change watcher (so no change is missed)."""
        watcher = self._watcher
        own_capturer = self._source is None and self._source_factory is None
        if watcher is None and own_capturer:
            from agent.damage import watcher_for

            watcher = self._watcher = watcher_for()
        self.watching = watcher is not None and watcher.start(self.screen_changed)
        if self._source is not None:
            src = self._source
        elif self._source_factory is not None:
            src = self._source_factory()
        else:
            from agent.capture import IDLE_HZ, WATCHED_IDLE_HZ, ScreenCapturer

            src = ScreenCapturer(self._monitor,
                                 idle_hz=WATCHED_IDLE_HZ if self.watching else IDLE_HZ)
        take = getattr(watcher, "take_damage", None)
        attach = getattr(src, "attach_damage", None)
        if self.watching and take is not None and attach is not None:
            take()  # drop what was drawn before: the first grab is a full one anyway
            attach(take)
            self.damage_driven = True
        return src

    def _run(self) -> None:
        src: FrameSource | None = None
        try:
            src = self._source = self._make_source()
            grab_update = getattr(src, "grab_update", None)
            last_grab = -float("inf")
            while not self._stopping.is_set():
                with self._lock:
                    delay = self._flow.send_delay()
                if delay is None:  # no credit: don't even capture, wait for an ack
                    self._wait(1.0)
                    continue
                if delay > 0:
                    self._wait(delay)
                    continue
                # Re-evaluated after every wake: a change report pokes the source (its fast
                # interval applies at once), ack/poke/refresh set _urgent (see the class doc).
                due = last_grab + src.interval()
                if self._urgent:
                    due = min(due, last_grab + MIN_GRAB_SPACING)
                wait = due - self._clock()
                if wait > 0:
                    self._wait(wait)
                    continue
                self._urgent = False
                if grab_update is not None:
                    frame, regions = grab_update()
                else:
                    frame, regions = src.grab(), None
                last_grab = self._clock()
                self._step(src, frame, regions)
        except BaseException as exc:  # report, never die silently
            self.error = exc
            log.exception("screen streamer stopped")
            if self._on_error is not None:
                self._on_error(exc)
        finally:
            if self._watcher is not None and self.watching:
                self._watcher.stop()
                self.watching = False
                self.damage_driven = False
            if src is not None:
                src.close()

    def _step(
        self, src: FrameSource, frame: np.ndarray,
        regions: list[tuple[int, int, int, int]] | None = None,
    ) -> None:
        with self._lock:
            if self._full_refresh:
                self._full_refresh = False
                self._encoder.reset()
        rects, changed = self._encoder.encode(frame, self._clock(), regions)
        src.note_frame(changed)
        if not rects:
            return
        self._seq += 1
        update = EncodedFrame(int(frame.shape[1]), int(frame.shape[0]), self._seq, rects)
        with self._lock:
            self._flow.on_sent(update.seq, update.nbytes)
        self.frames_sent += 1
        self.bytes_sent += update.nbytes
        self._on_frame(update)
