"""Screen-change notification, so a resting capture wakes the moment something is drawn.

The streamer polls the screen at an adaptive rate (:class:`agent.capture.AdaptiveRate`): fast while
it changes, slow at rest. A slow idle poll costs the first change after a rest up to one idle
interval of latency. A :class:`ChangeWatcher` removes that: it calls ``on_change`` (from its own
thread) as soon as the windowing system reports drawing, and the streamer grabs at once. The idle
poll then only has to be a safety net (see :func:`watcher_for`'s use in ``agent/pipeline.py``).

Interface: ``start(on_change) -> bool`` (False = no notifications on this platform/display; the
caller keeps polling at its usual idle rate) and ``stop()`` (prompt, never blocks shutdown).

Implementations:

* **X11**: :class:`X11DamageWatcher`, the DAMAGE extension on the root window with its own X
  connection (python-xlib is not thread-safe, and mss has its own) and its own daemon thread.
  Report level ``NonEmpty``: the server sends one event when the damage region goes from empty to
  non-empty; the watcher subtracts (empties) it, calls ``on_change`` and waits ``min_interval``
  before reading the next event, so a busy screen costs at most ``1 / min_interval`` callbacks a
  second and a resting one costs nothing (the thread sleeps in ``select``). Subtracting *before*
  notifying means nothing drawn after the grab can go unreported.
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
from collections.abc import Callable
from typing import Protocol

__all__ = ["ChangeWatcher", "NullWatcher", "X11DamageWatcher", "watcher_for"]

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
    #: reported at once; later ones within the pause are merged. While the screen keeps changing
    #: the capture runs at its fast rate anyway (for ``linger`` ≫ this pause), so the pause costs
    #: no latency and keeps a busy screen (scrolling, video) from costing a callback per repaint.
    MIN_INTERVAL = 0.05

    def __init__(self, display: str | None = None, *, min_interval: float = MIN_INTERVAL) -> None:
        self.display = display
        self.min_interval = min_interval
        self.notifications = 0  # how often on_change was called (tests, diagnostics)
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
            handle = dpy.screen().root.damage_create(damage.DamageReportNonEmpty)
            dpy.sync()  # surface errors here, not in the thread
        except Exception as exc:
            log.info("cannot use DAMAGE: %s", exc)
            dpy.close()
            return False
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(
            target=self._run, args=(dpy, handle, event_type, on_change, X.NONE),
            name="x11-damage", daemon=True,
        )
        self._thread.start()
        return True

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

    def _run(self, dpy, handle: int, event_type: int,  # type: ignore[no-untyped-def]
             on_change: Callable[[], None], none: int) -> None:
        fd = dpy.fileno()
        try:
            while not self._stopping.is_set():
                # Events already read into python-xlib's queue don't show on the socket.
                if not dpy.pending_events():
                    ready, _, _ = select.select([fd, self._stop_r], [], [], 5.0)
                    if self._stop_r in ready:
                        break
                    if not ready:
                        continue
                damaged = False
                while dpy.pending_events():
                    ev = dpy.next_event()
                    if ev.type == event_type:
                        damaged = True
                if not damaged:
                    continue
                dpy.damage_subtract(handle, none, none)  # empty the region: the next draw reports
                dpy.flush()
                self.notifications += 1
                try:
                    on_change()
                except Exception:
                    log.exception("change callback failed")
                # coalesce a busy screen's events; stop() still interrupts the pause
                ready, _, _ = select.select([self._stop_r], [], [], self.min_interval)
                if ready:
                    break
        except Exception:  # connection lost (X server gone): capture falls back to polling
            log.warning("screen change watcher stopped", exc_info=True)
        finally:
            with contextlib.suppress(Exception):
                dpy.close()


def watcher_for(display: str | None = None) -> ChangeWatcher:
    """The change watcher for this platform (X11 DAMAGE on Linux/BSD with a display)."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and (
        display or os.environ.get("DISPLAY")
    ):
        return X11DamageWatcher(display)
    return NullWatcher()
