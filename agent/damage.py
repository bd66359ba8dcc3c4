"""Screen-change notification, so a resting capture wakes the moment something is drawn.

The streamer polls the screen at an adaptive rate (:class:`agent.capture.AdaptiveRate`): fast while
it changes, slow at rest. A slow idle poll costs the first change after a rest up to one idle
interval of latency. A :class:`ChangeWatcher` removes that: it calls ``on_change`` (from its own
thread) as soon as the windowing system reports drawing, and the streamer grabs at once. The idle
poll then only has to be a safety net (see :func:`watcher_for`'s use in ``agent/pipeline.py``).

Interface: ``start(on_change) -> bool`` (False = no notifications on this platform/display; the
caller keeps polling at its usual idle rate) and ``stop()`` (prompt, never blocks shutdown).

Implementations:

* **X11**: :class:`agent.damage_xcb.XcbDamageWatcher` (libxcb through ctypes, where
  libxcb-damage is installed) or else :class:`X11DamageWatcher` (python-xlib), the same cycle:
  the DAMAGE extension on the root window with its own X
  connection (python-xlib is not thread-safe, and mss has its own) and its own daemon thread.
  Report level ``DeltaRectangles``: the server reports each drawn rectangle that is not already
  in the damage region, so after the watcher subtracts (empties) the region the next drawing
  reports at once and repaints of an already-reported area cost no events. Per cycle the watcher
  subtracts, syncs (every event for drawing before the subtract is then queued), reads the events,
  adds their rectangles to the *pending damage* (:meth:`X11DamageWatcher.take_damage`, which the
  capturer takes before each grab to grab only those regions) and then calls ``on_change``; it
  waits ``min_interval`` before the next cycle, so a busy screen costs at most
  ``1 / min_interval`` callbacks a second and a resting one costs nothing (the thread sleeps in
  ``select``). Why nothing drawn can be missed: every drawing happens before some subtract; it is
  in an event read in that cycle or in an earlier event of the same "since the last subtract"
  span — read either before that subtract or after the previous one. Events read after a subtract
  may be from drawing before *or after* it, so their rectangles are added again in the next cycle
  (which runs even without a new event): pending damage is added only after the subtract that
  covers it, and the capturer takes it before it grabs. (The pause is taken before the next
  cycle and only while it is due: after a quiet spell a report costs one wakeup.)
  Damage covers every window's drawing, including the agent's own overlay: its frame and panel are
  static widgets that paint once when shown (and on a text change), so they don't keep waking the
  capture (checked in ``tests/agent/test_damage.py``). The technician's cursor is drawn by the
  console, not on this screen. A software cursor or a blinking caret does cause grabs — at their
  own (low) rate, and they are real changes.
  Under Wayland (Xwayland) the root window only sees X clients; capture doesn't work there either.
* **Windows** (not implemented): DXGI Desktop Duplication's ``AcquireNextFrame`` blocks until the
  desktop changes and returns dirty/move rects — the natural successor of this watcher there.
* Anything else: :class:`NullWatcher` (``start`` returns False).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

__all__ = ["ChangeWatcher", "NullWatcher", "Rect", "X11DamageWatcher", "merge_rects", "watcher_for"]

#: ``(x, y, w, h)`` in root-window (virtual screen) pixels.
Rect = tuple[int, int, int, int]


def merge_rects(rects: Iterable[Rect], max_rects: int = 8, gap: int = 16) -> list[Rect]:
    """Merge rectangles into at most ``max_rects`` covering ones: any two that overlap or lie
    within ``gap`` pixels of each other become their bounding box (repeated until stable); if
    more than ``max_rects`` remain, their bounding box. The result covers every input pixel."""
    out: list[list[int]] = []
    for x, y, w, h in rects:
        if w <= 0 or h <= 0:
            continue
        box = [x, y, x + w, y + h]
        merged = True
        while merged:
            merged = False
            for i, o in enumerate(out):
                if (box[0] <= o[2] + gap and o[0] <= box[2] + gap
                        and box[1] <= o[3] + gap and o[1] <= box[3] + gap):
                    box = [min(box[0], o[0]), min(box[1], o[1]),
                           max(box[2], o[2]), max(box[3], o[3])]
                    del out[i]
                    merged = True
                    break
        out.append(box)
    if len(out) > max_rects:
        out = [[min(b[0] for b in out), min(b[1] for b in out),
                max(b[2] for b in out), max(b[3] for b in out)]]
    return [(b[0], b[1], b[2] - b[0], b[3] - b[1]) for b in out]

log = logging.getLogger(__name__)


class ChangeWatcher(Protocol):
    """Calls ``on_change`` (from any thread) when the screen may have changed."""

    def start(self, on_change: Callable[[], None]) -> bool: ...
    def stop(self) -> None: ...


class NullWatcher:
    """No change notifications (platforms without a watcher): the caller keeps polling."""

    def start(self, on_change: Callable[[], None]) -> bool:
        return False

    def stop(self) -> None:
        pass


class X11DamageWatcher:
    """DAMAGE on the X root window, read in a daemon thread over its own X connection."""

    #: Pause after a report before reading the next one. The first change after a quiet spell is
    #: reported at once; later ones within the pause are merged. Short enough that a source
    #: drawing at 60-120 Hz (scrolling, video) gets each of its frames reported, and the capture,
    #: which follows these reports, runs at the source's rate (issue 16; at 20 ms it was capped
    #: at 50/s); long enough that a burst of small repaints costs one report. A report costs the
    #: X server one round trip (subtract and sync), a few tens of microseconds of this thread.
    #: (The capturer grabs only reported regions, so this pause is also the longest a change
    #: drawn right after a report waits to be grabbed.)
    MIN_INTERVAL = 0.005
    #: While the screen is busy (the last report less than :data:`BUSY_SPAN` ago: an animation,
    #: a scroll), the first drawing of a cycle waits this long before it is reported, so the rest
    #: of the same frame joins it. An application often flushes one frame in pieces (a document,
    #: then a counter or a scrollbar beside it, a millisecond apart); reported at once, the first
    #: piece took a grab and an update of its own and the rest another, 5 ms later (issue 16:
    #: 84 reports and 70 updates a second for a 57 Hz scroll). After a quiet spell the first
    #: drawing (a typed glyph's echo) is still reported at once: no settle.
    SETTLE = 0.002
    #: How recent the last report must be for the screen to count as busy: a source above 40 Hz
    #: (a scroll, 60 Hz). A 30 Hz full-screen video is not settled: in glass_to_glass it then
    #: ran at 24-28 instead of 30 fps (its frames are drawn in a longer burst).
    BUSY_SPAN = 0.025
    #: Pending rectangles kept before they are collapsed into their bounding box.
    MAX_PENDING = 64

    def __init__(self, display: str | None = None, *, min_interval: float = MIN_INTERVAL,
                 settle: float | None = None) -> None:
        self.display = display
        self.min_interval = min_interval
        self.settle = self.SETTLE if settle is None else settle
        self.notifications = 0  # how often on_change was called (tests, diagnostics)
        self._pending: list[Rect] = []
        self._pending_lock = threading.Lock()
        self._alive = False  # the thread reads damage: take_damage() is trustworthy
        self._thread: threading.Thread | None = None
        self._stop_r, self._stop_w = -1, -1
        self._stopping = threading.Event()

    def start(self, on_change: Callable[[], None]) -> bool:
        """Open the connection and create the damage object here (so damage from now on counts);
        then watch in a thread. False (and no thread) if there is no X display or no DAMAGE."""
        if self._thread is not None:
            raise RuntimeError("already started")
        try:
            from Xlib import X
            from Xlib import display as xdisplay
            from Xlib.ext import damage
        except ImportError:
            return False
        try:
            dpy = xdisplay.Display(self.display)
        except Exception as exc:  # no DISPLAY, refused, bad auth
            log.info("no X display for change notifications: %s", exc)
            return False
        try:
            if not dpy.has_extension(damage.extname):
                log.info("X server has no DAMAGE extension: capture keeps polling")
                dpy.close()
                return False
            dpy.damage_query_version()  # required before any other DAMAGE request
            event_type = dpy.extension_event.DamageNotify
            handle = dpy.screen().root.damage_create(damage.DamageReportDeltaRectangles)
            dpy.sync()  # surface errors here, not in the thread
        except Exception as exc:
            log.info("cannot use DAMAGE: %s", exc)
            dpy.close()
            return False
        self._stop_r, self._stop_w = os.pipe()
        self._alive = True
        self._thread = threading.Thread(
            target=self._run, args=(dpy, handle, event_type, on_change, X.NONE),
            name="x11-damage", daemon=True,
        )
        self._thread.start()
        return True

    def take_damage(self) -> list[Rect] | None:
        """The rectangles drawn since the last call (empty: nothing), merged; None when unknown
        (the watcher is not running or has died): then the caller must assume the whole screen.
        Call it *before* grabbing: whatever is drawn after the call shows up in the next one."""
        with self._pending_lock:
            rects, self._pending = self._pending, []
            if not self._alive:
                return None
        return merge_rects(rects)

    def has_damage(self) -> bool:
        """Rectangles are waiting for :meth:`take_damage` (or it would say "unknown")."""
        with self._pending_lock:
            return bool(self._pending) or not self._alive

    def _add_damage(self, rects: list[Rect]) -> None:
        with self._pending_lock:
            self._pending.extend(rects)
            if len(self._pending) > self.MAX_PENDING:
                self._pending = merge_rects(self._pending, max_rects=1, gap=0)

    def stop(self, timeout: float = 1.0) -> None:
        """Wake the thread through its pipe and join it (it closes its own X connection)."""
        self._stopping.set()
        if self._stop_w >= 0:
            with contextlib.suppress(OSError):
                os.write(self._stop_w, b"x")
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout)
        if t is None or not t.is_alive():
            for fd in (self._stop_r, self._stop_w):
                if fd >= 0:
                    os.close(fd)
            self._stop_r = self._stop_w = -1

    @staticmethod
    def _drain(dpy: Any, event_type: int) -> list[Rect]:  # Any: Xlib's DAMAGE extension is untyped
        """Rectangles of the DamageNotify events already received (reads them all)."""
        rects: list[Rect] = []
        while dpy.pending_events():
            ev = dpy.next_event()
            if ev.type == event_type:
                a = ev.area
                rects.append((a.x, a.y, a.width, a.height))
        return rects

    def _spaced(self, last_report: float) -> bool:
        """Coalesce a busy screen's events: at most one report per ``min_interval``.

        The pause comes before a cycle, only when it follows the last one closely, so a change
        after a quiet spell (a typed character) costs one wakeup, not a wakeup for the pause as
        well (issue 16, typing). While the screen is busy, at least :data:`SETTLE` from now:
        the rest of a frame drawn in pieces joins this report. stop() interrupts it: False
        then."""
        now = time.monotonic()
        pause = last_report + self.min_interval - now
        if now - last_report < self.BUSY_SPAN:
            pause = max(pause, self.settle)
        if pause > 0:
            ready, _, _ = select.select([self._stop_r], [], [], pause)
            if ready:
                return False
        return True

    def _run(self, dpy: Any, handle: int, event_type: int,
             on_change: Callable[[], None], none: int) -> None:
        fd = dpy.fileno()
        carry: list[Rect] = []  # read after the last subtract: maybe drawn after it, add again
        last_report = -float("inf")
        try:
            while not self._stopping.is_set():
                # Events already read into python-xlib's queue don't show on the socket.
                if not carry and not dpy.pending_events():
                    ready, _, _ = select.select([fd, self._stop_r], [], [], 5.0)
                    if self._stop_r in ready:
                        break
                    if not ready:
                        continue
                if not self._spaced(last_report):
                    break
                before = self._drain(dpy, event_type)
                if not before and not carry:
                    continue
                dpy.damage_subtract(handle, none, none)  # empty the region: the next draw reports
                dpy.sync()  # events for everything drawn before the subtract are now queued
                after = self._drain(dpy, event_type)
                self._add_damage(before + carry + after)
                carry = after
                self.notifications += 1
                last_report = time.monotonic()
                try:
                    on_change()
                except Exception:
                    log.exception("change callback failed")
        except Exception:  # connection lost (X server gone): capture falls back to polling
            log.warning("screen change watcher stopped", exc_info=True)
        finally:
            with self._pending_lock:
                self._alive = False
            with contextlib.suppress(Exception):
                dpy.close()


def watcher_for(display: str | None = None) -> ChangeWatcher:
    """The change watcher for this platform (X11 DAMAGE on Linux/BSD with a display)."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and (
        display or os.environ.get("DISPLAY")
    ):
        from agent import damage_xcb  # libxcb: a fraction of python-xlib's CPU per report

        if damage_xcb.available():
            return damage_xcb.XcbDamageWatcher(display)
        return X11DamageWatcher(display)
    return NullWatcher()
