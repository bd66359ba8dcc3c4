"""The screen streamer: capture, then the core's frame encoder, in one thread, paced.

One worker thread owns the capturer (mss is per thread) and the frame encoder
(:class:`shared.codec.frame.FrameEncoder`: change detection, scroll detection, encoding,
refinement; pure). It only encodes when the flow-control window has credit and the byte budget
allows, and then always from the newest capture, so a slow link never queues stale frames.
Finished updates (:class:`~shared.codec.frame.EncodedFrame`) go to ``on_frame``.
No Qt and no networking here.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from agent.damage import ChangeWatcher
from shared.codec.frame import EncodedFrame, FrameEncoder, wire_bytes
from shared.codec.refine import REFINE_DELAY_SLOW, refine_delay_for
from shared.flow import FlowControl, QualityGovernor
from shared.messages import Rect
from shared.priority import ECHO_MAX_BYTES, boxes, footprints, may_go_ahead, slices, split_echo

__all__ = [
    "AHEAD_REGION_PIXELS", "ECHO_SETTLE", "REFINE_AFTER_CHANGE", "FrameSource", "ScreenStreamer",
]

log = logging.getLogger(__name__)

#: Closest spacing of two grabs when an ack, input or a refresh request asks for one early.
MIN_GRAB_SPACING = 1.0 / 240
#: After input, the grab that catches its echo may come before the pacing allows, this long
#: after the input (the application draws its answer within a few ms), once per input.
ECHO_SETTLE = 0.008
#: While the screen changes, a lossy tile due for refinement waits this long after the last
#: grab that found a change, for the next change's grab to carry it (that grab refines every
#: due tile anyway): a 60 Hz scroll then no longer costs ~16 grabs and updates a second of
#: their own for refinement alone (issue 16). At rest it is refined when due, as before; no
#: refinement waits longer than this beyond its due time.
REFINE_AFTER_CHANGE = 0.05
#: After input, damage regions of at most this many pixels (a text field, a line of a terminal)
#: that came with a big grab are encoded ahead of it (:meth:`ScreenStreamer._echo_ahead`); the
#: pixels of each are compared once more for it (at most ~2 MB read).
AHEAD_REGION_PIXELS = 256 * 1024


class _Wake:
    """``threading.Event`` for one waiter that clears on waking, as a bare lock: held = not
    set. Why: ``Event.wait`` goes through a ``Condition`` (a new lock per wait, a waiter list,
    Python code on both sides); the streamer waits once or twice per typed character and the
    watcher's and network thread's ``set`` each wake it, all with cold caches (issue 16)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lock.acquire()

    def set(self) -> None:
        """Wake the waiter (now, or at its next :meth:`wait`); setting twice is setting once."""
        with contextlib.suppress(RuntimeError):  # already set
            self._lock.release()

    def wait(self, timeout: float | None) -> None:
        """Until set (and then clear it) or ``timeout`` seconds (None: no limit)."""
        self._lock.acquire(timeout=-1 if timeout is None else max(0.0, timeout))


@dataclass(frozen=True, slots=True)
class _Slice:
    """Rects of an encoded update not sent yet (the worker numbers a frame when it sends it).

    ``started``: when its grab began (pacing lead; None for all but the first slice);
    ``update_bytes``: the whole update's size, on its first slice (the rate control follows
    updates, not slices); None on the others."""

    width: int
    height: int
    rects: list[Rect]
    started: float | None
    update_bytes: int | None


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


class ScreenStreamer:
    """Runs the screen pipeline in one worker thread and hands updates to ``on_frame``.

    ``on_frame`` is called from the worker thread and must not block (queue the update to the
    network thread). Every method is thread-safe.

    When it grabs (the flow-control window and byte budget permitting):

    * on the source's timer, ``source.interval()`` after the last grab: the fast rate while the
      screen changes or input arrived, the idle rate at rest (:class:`agent.capture.AdaptiveRate`);
    * when a **change watcher** reports drawing (:meth:`screen_changed`; X11 DAMAGE, see
      :mod:`agent.damage`): with damage regions at once (like an ack), so grabs follow the
      source's own rate (a 60 Hz scroll is grabbed 60 times a second, issue 16) and a grab
      with nothing reported costs nothing; without regions the source switches to its fast
      rate (:data:`agent.capture.FAST_HZ`). With no ``source`` and no
      ``source_factory`` the streamer makes its own :class:`~agent.capture.ScreenCapturer` and,
      unless ``change_watcher`` says otherwise, uses the platform's watcher; when that watcher
      runs, the idle poll drops to :data:`agent.capture.WATCHED_IDLE_HZ` (a safety net only);
    * **early**, :data:`MIN_GRAB_SPACING` after the last grab, when an ack returned credit, input
      arrived (:meth:`poke`) or a full refresh was requested. Deliberately, frames then follow the
      acks: a changing screen on a fast link is sent as fast as the console applies it (up to
      240/s), not at the timer's rate — lower latency while scrolling. This costs nothing at
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
        refine_delay: float | None = None,  # None: follows the link (refine_delay_for)
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
        # Guards what other threads touch: the flow control, the encoder's settings, and the
        # fields below that both the worker and ack/poke/refresh/screen_changed read or write.
        self._lock = threading.Lock()
        self._wake = _Wake()
        self._urgent = False  # grab early: set by ack/poke/refresh, cleared by the next grab
        self._watcher = change_watcher
        self.watching = False  # a change watcher is running (the idle poll is only a safety net)
        #: the source grabs only what the watcher reports as damaged (written by the worker only,
        #: together with ``_source``, under the lock: a poke sees both or neither)
        self.damage_driven = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._flow = FlowControl(window, bandwidth_cap, clock)
        self._encoder = FrameEncoder(quality=quality, refine_delay=(
            REFINE_DELAY_SLOW if refine_delay is None else refine_delay))
        self._refine_follows_link = refine_delay is None
        #: the technician's quality; the encoder's follows the link under it (rate control)
        self._chosen_quality = quality
        self._governor = QualityGovernor()
        self._full_refresh = False
        #: "still sharing?" ran out (or the customer paused): no grab, no send until resumed
        self._paused = False
        self._seq = 0
        #: encoded and not sent yet, in order (under the lock): an update that lost its credit
        #: while it was being encoded (an ack's round trip shrank the adaptive window), and the
        #: slices of an update too big for the line to send whole (FlowControl.slice_bytes).
        #: Sent first as credit returns, never dropped (the encoder already counts it as sent)
        self._backlog: deque[_Slice] = deque()
        #: the grab due now is the one that catches an input's echo (worker only): it comes
        #: even with a backlog, and its echo may pass the backlog (:meth:`_send_echo`)
        self._echo_now = False
        self.error: BaseException | None = None
        self.frames_sent = 0
        self.bytes_sent = 0
        self.echo_frames = 0  # small frames sent ahead after input (issue 16; diagnostics)
        self.ahead_frames = 0  # of those, sent before their update was encoded (_echo_ahead)
        self._busy: list[tuple[int, int, int, int]] = []  # where the update before wrote
        self._echo_grab_at: float | None = None  # after input: when its echo's grab may come
        self.wakeups = 0  # times the worker waited (diagnostics: bench/typing_cost.py)
        #: the worker sleeps on its timer with nothing to do (an ack need not wake it)
        self._parked = False
        #: when the last grab found the screen changed (worker only; :data:`REFINE_AFTER_CHANGE`)
        self._changed_at = -float("inf")
        #: :meth:`_refine_at` as of the last update (worker only): what it reads changes only
        #: in :meth:`_step` and :meth:`_make_source`, and the loop asks once or twice a key
        self._refine_due: float | None = None

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
            if self._idle_ack():
                return
            self._urgent = True
        self._wake.set()

    def _idle_ack(self) -> bool:
        """(Under the lock.) An ack the parked worker has nothing to do for: damage-driven,
        credit at once, nothing reported, pending, owed or asked for. The worker is left asleep
        (issue 16: each typed character's ack woke it once, for nothing); what it would have
        done awake is noting the rate sample as the screen's, not the link's."""
        if not (self._parked and self.damage_driven and not self._backlog
                and not self._full_refresh and not self._encoder._behind
                and self._flow.send_delay() == 0):
            return False
        has_damage = getattr(self._watcher, "has_damage", None)
        if has_damage is None or has_damage():
            return False
        self._flow.note_app_limited()
        return True

    def set_quality(self, quality: int | None) -> None:
        """JPEG quality 1..100 for changing photo-like areas, or None for lossless only."""
        if quality is not None and not 1 <= quality <= 100:
            raise ValueError("quality must be 1..100 or None")
        with self._lock:
            self._chosen_quality = quality
            self._encoder.quality = quality

    def set_bandwidth_cap(self, bytes_per_second: float | None) -> None:
        """Average send-rate cap in bytes per second (None = unlimited); applies at once."""
        with self._lock:
            self._flow.bucket.set_rate(bytes_per_second)
        self._wake.set()

    def resync(self) -> None:
        """The link was resumed: frames in flight are lost, so forget their credits and send
        the whole screen again (the console's picture is only as new as what arrived)."""
        with self._lock:
            self._flow.reset()
            self._full_refresh = True
            self._urgent = True
        self._wake.set()

    def set_paused(self, paused: bool) -> None:
        """Pause (no grab and no send at all: nothing of the screen leaves while paused) or
        go on; going on forgets the credits of frames sent before and sends the whole screen
        (like :meth:`resync`), since the console's picture is as old as the pause."""
        with self._lock:
            if paused == self._paused:
                return
            self._paused = paused
            self._backlog.clear()  # encoded before the pause: never sent after it
            if not paused:
                self._flow.reset()
                self._full_refresh = True
                self._urgent = True
        self._wake.set()

    @property
    def paused(self) -> bool:
        with self._lock:
            return self._paused

    def request_full_refresh(self) -> None:
        """Send the whole screen again in the next update (e.g. the console's view was reset)."""
        with self._lock:
            self._full_refresh = True
            self._urgent = True
        self._wake.set()

    def poke(self) -> None:
        """Input arrived: grab now, and (without damage regions) keep the fast rate a while.

        With damage regions the screen's reaction to the input is reported (and grabbed) the
        moment it is drawn, so input alone no longer holds the capture at the fast rate.
        For a while the small part of an update that answers it goes first, on its own credit
        (:meth:`shared.flow.FlowControl.note_input`, issue 16: a typed glyph's echo)."""
        with self._lock:
            src = None if self.damage_driven else self._source
            self._urgent = True
            self._flow.note_input()
            self._echo_grab_at = self._clock() + ECHO_SETTLE
        if src is not None:
            src.poke()
        self._wake.set()

    def screen_changed(self) -> None:
        """Something was drawn (change watcher): grab now if resting, else at the fast rate.

        With damage regions the grab costs only the damaged area and the watcher already limits
        its reports to ``1 / min_interval`` a second, so it grabs early (like an ack)."""
        with self._lock:
            src = self._source
            if self.damage_driven:
                self._urgent = True
        if src is not None:
            src.poke()
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

    def held_spans(self) -> list[tuple[float, float]]:
        """When the rate control held this streamer back (monotonic clock; see
        :meth:`shared.flow.FlowControl.held_spans`): bench/link_rate.py's basis."""
        with self._lock:
            return self._flow.held_spans()

    def link_estimate(self) -> tuple[float, float, float, float] | None:
        """The measured link: (delivery rate bytes/s, smoothed RTT s, min RTT s, queue delay s),
        or None until the acks have measured it (issue 16: shown to the technician)."""
        with self._lock:
            flow = self._flow
            rate, srtt, floor = flow.delivery_rate, flow.srtt, flow.min_rtt
            if rate is None or srtt is None or floor is None:
                return None
            return rate, srtt, floor, flow.queue_delay

    def _follow_link(self, nbytes: int) -> None:
        """Rate control (under the lock): the encoders' target rate and the JPEG quality follow
        the measured link; the quality never goes over the technician's choice, and the
        technician's bandwidth cap bounds the target rate (shared.flow)."""
        flow = self._flow
        self._encoder.target_rate = flow.target_rate()
        if self._refine_follows_link:
            self._encoder.tracker.delay = refine_delay_for(
                flow.delivery_rate, flow.min_rtt, flow.bucket.rate)
        queued = flow.queue_delay > flow.queue_limit()
        self._encoder.quality = self._governor.update(
            self._chosen_quality, nbytes, flow.delivery_rate, queued, self._clock())

    # --- worker ---------------------------------------------------------------------------------
    def _echo_early(self, delay: float | None) -> float | None:
        """Input first (issue 16), under the lock: the pacing ``delay`` (``None``: no credit),
        cut short once per input so the grab that catches its echo comes :data:`ECHO_SETTLE`
        after it, not a whole paced update later (on a 4 Mbit/s line a 50 kB scroll update
        paces the next grab 100 ms on). The update grabbed early goes right after its echo,
        and the pacing goes on from it.

        With no credit at all (the window full, as on a full line) the grab comes early too:
        the echo has credit of its own, and the rest of that update waits for an ack as the
        pending update. Waiting for the ack first held a key's glyph up to 200 ms on the
        4 Mbit/s line (``bench.glass_to_glass --link dsl4``: echo p95 157-185 ms, now
        125-154 ms). So it does with slices of an older update still to send: the echo may
        pass them where it does not meet them (:meth:`_send_echo`)."""
        at = self._echo_grab_at
        if at is None or (delay is not None and delay <= 0 and not self._backlog):
            return delay
        if self._flow.echo_delay() != 0.0:
            self._echo_grab_at = None  # the window closed or its credit is taken
            return delay
        wait = at - self._clock()
        if wait > 0:
            return wait if delay is None else min(delay, wait)
        self._echo_grab_at = None
        self._echo_now = True
        return 0.0

    def _wait(self, timeout: float | None) -> None:
        self.wakeups += 1
        self._wake.wait(timeout)

    def _work_waiting(self) -> bool:
        """Damage-driven: is there anything for an early grab (ack, input) to do? Clears the
        early-grab flag first, so a report arriving during the check sets it again (and wakes
        the worker): none is lost. Reported damage, a requested refresh, or an update the byte
        budget cut short; anything else and the grab would find nothing (issue 16: typing
        cost three grabs per character, two of them empty)."""
        with self._lock:
            self._urgent = False
            if self._full_refresh:
                return True
        if self._encoder._behind:  # the rest of a cut-short update
            return True
        has_damage = getattr(self._watcher, "has_damage", None)
        return has_damage is None or bool(has_damage())

    def _refine_at(self) -> float | None:
        """When the first tile sent lossy (JPEG, video) will have rested long enough to be sent
        exact (the encoder's refinement): damage-driven, no tick of a fast rate would call the
        encoder then, so the worker wakes for it. None: nothing to refine."""
        tracker = self._encoder.tracker
        if not self.damage_driven or not tracker.lossy.any():
            return None
        due = float(tracker.last_change[tracker.lossy].min()) + tracker.delay
        if self._encoder.video.policy.active:
            return due  # a video's frames are paced by its encoder: no refinement rides on them
        return max(due, self._changed_at + REFINE_AFTER_CHANGE)

    def _make_source(self) -> FrameSource:
        """The frame source, after starting the change watcher (so no change is missed).

        Publishes it (and whether it is damage-driven) under the lock: the watcher's thread and
        ``poke`` read both from then on."""
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
        damage_driven = False
        if self.watching and take is not None and attach is not None:
            take()  # drop what was drawn before: the first grab is a full one anyway
            attach(take)
            damage_driven = True
        with self._lock:
            self._source = src
            self.damage_driven = damage_driven
        self._refine_due = self._refine_at()
        return src

    def _run(self) -> None:
        src: FrameSource | None = None
        try:
            src = self._make_source()
            grab_update = getattr(src, "grab_update", None)
            last_grab = -float("inf")
            while not self._stopping.is_set():
                with self._lock:
                    self._parked = False
                    self._echo_now = False
                    delay = self._echo_early(self._flow.send_delay())
                    echo_now = self._echo_now
                    urgent = self._urgent
                    paused = self._paused
                if paused:  # not even a capture: set_paused(False) wakes us
                    self._wait(1.0)
                    continue
                if delay is None:  # no credit: don't even capture, wait for an ack
                    self._wait(1.0)
                    continue
                if delay > 0:
                    self._wait(delay)
                    continue
                if not echo_now and self._send_backlog():
                    continue
                if urgent and self.damage_driven and not self._work_waiting():
                    urgent = False  # an ack or input with nothing reported: no grab (typing)
                # Re-evaluated after every wake: a change report pokes the source (its fast
                # interval applies at once), ack/poke/refresh set _urgent (see the class doc).
                due = last_grab + src.interval()
                refine_at = self._refine_due
                if refine_at is not None:
                    due = min(due, max(refine_at, last_grab + MIN_GRAB_SPACING))
                if urgent:
                    due = min(due, last_grab + MIN_GRAB_SPACING)
                wait = due - self._clock()
                if wait > 0:
                    if not urgent:
                        with self._lock:  # rate control: the screen, not the link, waits
                            self._flow.note_app_limited()
                            self._parked = True
                    self._wait(wait)
                    continue
                with self._lock:
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
                with self._lock:
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
        started = self._clock()
        width, height = int(frame.shape[1]), int(frame.shape[0])
        ahead = self._echo_ahead(src, frame, width, height, regions, started)
        rects, changed = self._encoder.encode(frame, started, regions)
        changed = changed or bool(ahead)
        src.note_frame(changed)
        if changed:
            self._changed_at = started
        self._refine_due = self._refine_at()
        if not rects:
            if ahead:
                self._busy = boxes(ahead)
            with self._lock:  # rate control: credit and nothing to send, the screen rests
                self._flow.note_app_limited()
            return
        rects = self._send_echo(width, height, rects, started, ahead)
        if not rects:  # all of it went ahead of the slices still to send
            return
        with self._lock:
            if self._paused:
                return  # paused while this was encoded: dropped (resuming sends everything)
            limit = self._flow.slice_bytes()
            runs = [rects] if limit is None else slices(rects, limit)
            nbytes = wire_bytes(rects)
            self._backlog.extend(
                _Slice(width, height, run, started if i == 0 else None, nbytes if i == 0 else None)
                for i, run in enumerate(runs))
        self._send_backlog()

    def _echo_ahead(self, src: FrameSource, frame: np.ndarray, width: int, height: int,
                    regions: list[tuple[int, int, int, int]] | None,
                    started: float) -> list[Rect]:
        """Input first (issue 16): after input, when this grab is big (a full grab, or a big
        region: a scrolling document) and small damage regions came with it (a typed glyph),
        encode and send what changed in those first, as an echo frame, and only then the rest
        (:meth:`shared.codec.frame.FrameEncoder.encode_ahead`). Splitting the echo off the
        encoded update (:meth:`_send_echo`) made it wait for the whole scroll frame's encoding:
        15-25 ms on the 4 Mbit/s line. The rects sent are returned."""
        damage: list[tuple[int, int, int, int]] = getattr(src, "last_damage", None) or []
        small = [r for r in damage if r[2] * r[3] <= AHEAD_REGION_PIXELS]
        if not small or (regions is not None and len(small) == len(damage)):
            return []  # nothing big to go ahead of: _send_echo splits the update as before
        with self._lock:
            if self._paused or self._flow.echo_delay() != 0.0:
                return []
            behind = footprints([r for part in self._backlog for r in part.rects])
        busy = self._busy
        budget = ECHO_MAX_BYTES

        def accept(rect: Rect) -> bool:
            nonlocal budget
            cost = wire_bytes([rect])
            if cost > budget or not may_go_ahead(rect, busy, behind):
                return False
            budget -= cost
            return True

        ahead = self._encoder.encode_ahead(frame, started, small, accept)
        if not ahead:
            return []
        with self._lock:
            # (paused meanwhile: sent all the same, it is one glyph; resuming re-sends the
            # whole picture anyway)
            first = self._echo_frame(width, height, ahead, started)
        self.ahead_frames += 1
        self._hand_on_echo(first)
        return ahead

    def _echo_frame(self, width: int, height: int, rects: list[Rect],
                    started: float) -> EncodedFrame:
        """Number ``rects`` as the next frame, sent on the echo credit (under the lock)."""
        self._seq += 1
        frame = EncodedFrame(width, height, self._seq, rects)
        self._flow.on_sent(frame.seq, frame.nbytes, started, echo=True)
        return frame

    def _hand_on_echo(self, frame: EncodedFrame) -> None:
        """Count an echo frame numbered by :meth:`_echo_frame` and hand it on (not under the
        lock: ``on_frame`` queues it to the network thread)."""
        self.frames_sent += 1
        self.echo_frames += 1
        self.bytes_sent += frame.nbytes
        self._on_frame(frame)

    def _send_echo(self, width: int, height: int, rects: list[Rect], started: float,
                   ahead: list[Rect] | None = None) -> list[Rect]:
        """Input first (issue 16): after input, send the small rects that answer it (a typed
        glyph) as a frame of their own on the echo credit, ahead of the rest of the update (a
        scroll beside it), which is returned. Same picture once both are applied
        (:func:`shared.priority.split_echo`); the rest goes on the ordinary credit after it.
        ``ahead``: this update's rects sent ahead of its encoding (:meth:`_echo_ahead`), where
        it wrote too."""
        busy, self._busy = self._busy, boxes([*(ahead or ()), *rects])
        with self._lock:
            if self._paused or self._flow.echo_delay() != 0.0:
                return rects
            # what is still to be sent of the updates before is applied after this echo: the
            # echo must not meet it (an older slice would paint over the glyph)
            behind = footprints([r for part in self._backlog for r in part.rects])
            echo, rest = split_echo(rects, busy, behind=behind)
            if not echo:
                return rects
            first = self._echo_frame(width, height, echo, started)
        self._hand_on_echo(first)
        return rest

    def _send_backlog(self) -> bool:
        """Send the oldest slice not sent yet if it has credit (the pacing was waited for
        before); False when there is none, or no credit (then it waits for an ack)."""
        with self._lock:
            if self._paused or not self._backlog:
                return False
            if self._flow.send_delay() is None:
                # The credit checked before the grab is gone (an ack that arrived meanwhile
                # shrank the adaptive window: a long round trip, e.g. after a frozen link), or
                # a slice waits for the one before it to cross the line.
                return False
            part = self._backlog.popleft()
            self._seq += 1
            update = EncodedFrame(part.width, part.height, self._seq, part.rects)
            self._flow.on_sent(update.seq, update.nbytes, part.started)
            if part.update_bytes is not None:
                self._follow_link(part.update_bytes)
        self.frames_sent += 1
        self.bytes_sent += update.nbytes
        self._on_frame(update)
        return True
