"""Screen capture with mss, at an adaptive rate.

mss handles are per thread (X11 connections, XShm segments), so :class:`ScreenCapturer` creates its
``mss.MSS`` instance lazily in whichever thread calls :meth:`ScreenCapturer.grab` and closes it from
that thread. Frames are numpy ``(h, w, 4)`` uint8 BGRA arrays sharing mss's fresh buffer (no copy).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import mss
import numpy as np

__all__ = ["IDLE_HZ", "WATCHED_IDLE_HZ", "AdaptiveRate", "CaptureError", "ScreenCapturer"]

#: Idle poll rate when nothing tells us the screen changed: the first change after a rest shows
#: up to ``1 / IDLE_HZ`` late.
IDLE_HZ = 2.0
#: Idle poll rate while a change watcher (:mod:`agent.damage`, X11 DAMAGE) wakes the capture on
#: every change: the poll is only a safety net then.
WATCHED_IDLE_HZ = 0.5


class CaptureError(RuntimeError):
    """The screen cannot be captured (no display, bad monitor index, depth not supported)."""


class AdaptiveRate:
    """Capture interval: fast while the screen changes or input arrived, slow when idle.

    An idle agent then costs one grab and one tile diff every ``1 / idle_hz`` seconds. With a
    change watcher (:mod:`agent.damage`) the streamer pokes the rate the moment something is drawn,
    so ``idle_hz`` only bounds how late a change the watcher missed can show.
    """

    def __init__(
        self,
        fast_hz: float = 30.0,
        idle_hz: float = IDLE_HZ,
        linger: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.fast_hz = fast_hz
        self.idle_hz = idle_hz
        self.linger = linger
        self._clock = clock
        self._last_activity = -float("inf")

    def poke(self) -> None:
        """Input arrived: expect the screen to change soon."""
        self._last_activity = self._clock()

    def note_frame(self, changed: bool) -> None:
        """Report whether the last grabbed frame differed from the one before."""
        if changed:
            self._last_activity = self._clock()

    @property
    def active(self) -> bool:
        """True while the fast rate applies."""
        return self._clock() - self._last_activity < self.linger

    def interval(self) -> float:
        """Seconds until the next grab should happen."""
        return 1.0 / (self.fast_hz if self.active else self.idle_hz)


class ScreenCapturer:
    """Grabs the whole virtual screen (``monitor=0``) or one monitor (1..n) as BGRA arrays."""

    def __init__(
        self,
        monitor: int = 0,
        *,
        fast_hz: float = 30.0,
        idle_hz: float = IDLE_HZ,
        linger: float = 1.0,
        display: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.monitor = monitor
        self.display = display
        self.rate = AdaptiveRate(fast_hz, idle_hz, linger, clock)
        self._local = threading.local()
        self.geometry: tuple[int, int, int, int] | None = None  # left, top, width, height

    def _sct(self) -> mss.MSS:
        sct = getattr(self._local, "sct", None)
        if sct is None:
            try:
                sct = mss.MSS(display=self.display) if self.display else mss.MSS()
            except mss.ScreenShotError as exc:
                raise CaptureError(f"cannot open the screen for capture: {exc}") from exc
            self._local.sct = sct
        return sct

    def monitors(self) -> list[dict[str, int]]:
        """mss's monitor list: index 0 is the union of all monitors, 1..n each monitor."""
        return [dict(m) for m in self._sct().monitors]

    def grab(self) -> np.ndarray:
        """One frame of the chosen monitor, ``(h, w, 4)`` uint8 BGRA (in this thread's mss)."""
        sct = self._sct()
        try:
            monitors = sct.monitors
            if not 0 <= self.monitor < len(monitors):
                raise CaptureError(f"there is no monitor {self.monitor} (have {len(monitors) - 1})")
            mon = monitors[self.monitor]
            shot = sct.grab(mon)
        except mss.ScreenShotError as exc:
            raise CaptureError(f"screen capture failed: {exc}") from exc
        w, h = shot.size.width, shot.size.height
        self.geometry = (shot.pos.left, shot.pos.top, w, h)
        return np.frombuffer(shot.raw, dtype=np.uint8).reshape(h, w, 4)

    # adaptive rate, so the capturer can be handed to the streamer as its frame source
    def poke(self) -> None:
        """Input arrived: switch to the fast rate."""
        self.rate.poke()

    def note_frame(self, changed: bool) -> None:
        """Feed back whether the screen changed (keeps the fast rate while it does)."""
        self.rate.note_frame(changed)

    def interval(self) -> float:
        """Seconds until the next grab."""
        return self.rate.interval()

    def close(self) -> None:
        """Close the calling thread's mss instance (call from the capture thread)."""
        sct = getattr(self._local, "sct", None)
        if sct is not None:
            sct.close()
            self._local.sct = None
