"""Screen capture with mss, at an adaptive rate.

mss handles are per thread (X11 connections, XShm segments), so :class:`ScreenCapturer` creates its
``mss.MSS`` instance lazily in whichever thread calls :meth:`ScreenCapturer.grab` and closes it from
that thread. Frames are numpy ``(h, w, 4)`` uint8 BGRA arrays sharing mss's fresh buffer (no copy).

With a change watcher that reports *where* the screen changed (:meth:`ScreenCapturer.attach_damage`,
X11 DAMAGE), :meth:`ScreenCapturer.grab_update` grabs only the damaged regions into the frame it
keeps from the last full grab, and says which regions those were, so the encoder diffs only there.
It grabs the whole screen instead when damage is unknown (no watcher, the watcher died) or covers
most of it, and every :data:`FULL_GRAB_EVERY` seconds as a safety net. A big damage (a scrolling
document, a new window) is grabbed as one rectangle, its bounding box: one X request instead of
many, and the encoder's scroll detection sees the whole moving area. No damage, no grab: a tick
of the fast rate or an ack that finds nothing reported costs nothing (issue 16: grabs follow the
source's own rate, the X server's reports, not a timer).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import mss
import numpy as np

__all__ = [
    "FAST_HZ", "FULL_GRAB_EVERY", "IDLE_HZ", "WATCHED_IDLE_HZ", "AdaptiveRate", "CaptureError",
    "ScreenCapturer",
]

Rect = tuple[int, int, int, int]  # x, y, w, h

#: With damage regions, the whole screen is still grabbed at least this often (seconds): a safety
#: net for anything the damage report could miss.
FULL_GRAB_EVERY = 2.0
#: Damage covering more than this fraction of the screen is grabbed as its bounding box (one
#: request) instead of rect by rect.
REGION_MAX_FRACTION = 1 / 16
#: A bounding box covering more than this fraction of the screen: grab (and diff) the whole screen.
FULL_FRACTION = 0.5

#: Poll rate while the screen changes and no watcher reports where: the common display rate, so
#: a 60 Hz source is not halved (issue 16). With a watcher (X11 DAMAGE) grabs follow its reports
#: and the acks; a tick without reported damage grabs nothing.
FAST_HZ = 60.0

#: Idle poll rate when nothing tells us the screen changed: the first change after a rest shows
#: up to ``1 / IDLE_HZ`` late.
IDLE_HZ = 2.0
#: Idle poll rate while a change watcher (:mod:`agent.damage`, X11 DAMAGE) wakes the capture on
#: every change: the poll is only a safety net then.
WATCHED_IDLE_HZ = 0.5


class CaptureError(RuntimeError):
    """The screen cannot be captured (no display, bad monitor index, depth not supported)."""


class AdaptiveRate:
    """Capture interval: fast (the display's rate) while the screen changes or input arrived, slow
    when idle.

    An idle agent then costs one grab and one tile diff every ``1 / idle_hz`` seconds. With a
    change watcher (:mod:`agent.damage`) the streamer pokes the rate the moment something is drawn,
    so ``idle_hz`` only bounds how late a change the watcher missed can show.
    """

    def __init__(
        self,
        fast_hz: float = FAST_HZ,
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
        fast_hz: float = FAST_HZ,
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
        self._clock = clock
        self._take_damage: Callable[[], list[Rect] | None] | None = None
        self._frame: np.ndarray | None = None  # last full grab, region grabs written into it
        self._last_full = -float("inf")
        #: the attached watcher said "unknown" (it died): poll at the adaptive rate again
        self._damage_lost = False
        self.stats = {"full": 0, "region": 0, "empty": 0}

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

    def attach_damage(self, take: Callable[[], list[Rect] | None]) -> None:
        """Use a change watcher's damage (``take()``: root-window rects drawn since the last
        call, None = unknown) in :meth:`grab_update`."""
        self._take_damage = take

    @property
    def damage_driven(self) -> bool:
        """Damage regions are attached (a fast-rate tick without damage grabs nothing)."""
        return self._take_damage is not None

    def grab_update(self) -> tuple[np.ndarray, list[Rect] | None]:
        """The current frame and the regions ``(x, y, w, h)`` (frame pixels) that may have changed
        since the previous call; None = anywhere (a full grab). The frame is the same array from
        call to call while regions are grabbed into it: use it before the next call."""
        damage = self._take_damage() if self._take_damage is not None else None  # before grabbing
        self._damage_lost = self._take_damage is not None and damage is None
        now = self._clock()
        frame, geo = self._frame, self.geometry
        stale = now - self._last_full >= FULL_GRAB_EVERY
        if damage is None or frame is None or geo is None or stale:
            return self._grab_full(now), None
        left, top, w, h = geo
        regions: list[Rect] = []
        area = 0
        for x, y, rw, rh in damage:
            x0, y0 = max(0, x - left), max(0, y - top)
            x1, y1 = min(w, x - left + rw), min(h, y - top + rh)
            if x1 > x0 and y1 > y0:
                regions.append((x0, y0, x1 - x0, y1 - y0))
                area += (x1 - x0) * (y1 - y0)
        if not regions:
            self.stats["empty"] += 1
            return frame, []
        if area > REGION_MAX_FRACTION * w * h and len(regions) > 1:
            bx0, by0 = min(r[0] for r in regions), min(r[1] for r in regions)
            bx1 = max(r[0] + r[2] for r in regions)
            by1 = max(r[1] + r[3] for r in regions)
            regions = [(bx0, by0, bx1 - bx0, by1 - by0)]
            area = (bx1 - bx0) * (by1 - by0)
        if area > FULL_FRACTION * w * h:
            return self._grab_full(now), None
        sct = self._sct()
        try:
            for x, y, rw, rh in regions:
                shot = sct.grab({"left": left + x, "top": top + y, "width": rw, "height": rh})
                frame[y : y + rh, x : x + rw] = np.frombuffer(shot.raw, dtype=np.uint8).reshape(
                    rh, rw, 4)
        except mss.ScreenShotError as exc:
            raise CaptureError(f"screen capture failed: {exc}") from exc
        self.stats["region"] += 1
        return frame, regions

    def _grab_full(self, now: float) -> np.ndarray:
        frame = self.grab()
        if not frame.flags.writeable:
            frame = frame.copy()
        self._frame, self._last_full = frame, now
        self.stats["full"] += 1
        return frame

    # adaptive rate, so the capturer can be handed to the streamer as its frame source
    def poke(self) -> None:
        """Input arrived, or the screen changed: switch to the fast rate."""
        self.rate.poke()

    def note_frame(self, changed: bool) -> None:
        """Feed back whether the screen changed (keeps the fast rate while it does)."""
        self.rate.note_frame(changed)

    def interval(self) -> float:
        """Seconds until the next grab. Damage-driven, always the idle rate's (a safety net):
        the watcher's reports and the acks ask for every grab that can find something, and a
        tick of the fast rate would only find nothing (issue 16: 60 empty grabs a second for a
        second after each typed character)."""
        if self._take_damage is not None and not self._damage_lost:
            return 1.0 / self.rate.idle_hz
        return self.rate.interval()

    def close(self) -> None:
        """Close the calling thread's mss instance (call from the capture thread)."""
        sct = getattr(self._local, "sct", None)
        if sct is not None:
            sct.close()
            self._local.sct = None
