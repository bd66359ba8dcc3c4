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
many, and the encoder's scroll detection sees the whole moving area; but a few rects far apart (a
scrolling window and the panel's clock) are read as they are, not as the box spanning the screen
between them. No damage, no grab: a tick
of the fast rate or an ack that finds nothing reported costs nothing (issue 16: grabs follow the
source's own rate, the X server's reports, not a timer).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Literal

import mss
import numpy as np

__all__ = [
    "FAST_HZ", "FULL_GRAB_EVERY", "IDLE_HZ", "WATCHED_IDLE_HZ", "AdaptiveRate", "CaptureError",
    "ScreenCapturer", "changed_box",
]

Rect = tuple[int, int, int, int]  # x, y, w, h

log = logging.getLogger(__name__)

#: With damage regions, the whole screen is still grabbed at least this often (seconds): a safety
#: net for anything the damage report could miss.
FULL_GRAB_EVERY = 2.0
#: Damage covering more than this fraction of the screen is grabbed as its bounding box (one
#: request) instead of rect by rect, unless that box would be much bigger than the damage
#: (:data:`MERGE_SLACK`) and the rects are few (:data:`MAX_SEPARATE`).
REGION_MAX_FRACTION = 1 / 16
#: ... a bounding box this much bigger than the damage in it is not taken ...
MERGE_SLACK = 1.25
#: ... for this many rects at most: a scrolling window and a clock in the panel are read as
#: they are, not as the box from the panel down to the window, which took the whole screen
#: (issue 16: a document scrolling in 59 % of a 1080p screen was read, hashed and diffed
#: whole, 8 MB a frame, when 5 MB of its rows were all that could have changed).
MAX_SEPARATE = 8
#: Damaged regions of at most this many pixels in all are compared with the kept frame as they
#: are read, and only the box that differs goes on to the encoder (a text field reported whole
#: for each typed glyph: 578x168 px on the glass-to-glass stimulus). Bigger ones (a scroll) go on
#: as reported: the encoder diffs them anyway, a compare here would be a second pass.
NARROW_MAX_PIXELS = 1 << 17
#: Damage covering more than this fraction of the screen: grab (and diff) the whole screen.
#: Below it the regions are read into the kept frame and only they are diffed: a region read
#: is one copy of its pixels, as a full grab is of all of them (issue 16; it was 0.5 when a
#: region cost two copies).
FULL_FRACTION = 0.8

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
        #: The damage the last :meth:`grab_update` took (frame pixels, clipped), whatever it
        #: grabbed: a full grab's too (the streamer sends a typed glyph's small region ahead of
        #: a scroll's big one, issue 16); empty when nothing was reported or it was lost.
        self.last_damage: list[Rect] = []
        self.stats = {"full": 0, "region": 0, "empty": 0}
        self.shm_regions = 0  # regions read straight from the XShm segment (one copy each)
        #: A small damaged region is compared with the kept frame as it is read, and
        #: :meth:`grab_update` returns the box of pixels that differ in it, not the region
        #: (:meth:`_ShmReader.read_changes`; issue 16, typing: X reports a 578x168 text field
        #: for each key, one 8x14 glyph of it differs). False: the regions as reported.
        self.narrow_regions = True
        self.narrowed = 0  # regions read that way (tests, diagnostics)
        #: safety-net full grabs done the same way (:meth:`_check_full`)
        self.checked_full = 0

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
        if damage is None or frame is None or geo is None:
            self.last_damage = []
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
        self.last_damage = list(regions)
        if stale:  # the safety net; with little damage (typing, rest) only what changed goes on
            box = (self._check_full(now, frame)
                   if self.narrow_regions and area <= NARROW_MAX_PIXELS else False)
            if box is False:
                return self._grab_full(now), None
            return frame, [] if box is None else [box]
        if not regions:
            self.stats["empty"] += 1
            return frame, []
        if area > REGION_MAX_FRACTION * w * h and len(regions) > 1:
            bx0, by0 = min(r[0] for r in regions), min(r[1] for r in regions)
            bx1 = max(r[0] + r[2] for r in regions)
            by1 = max(r[1] + r[3] for r in regions)
            box_area = (bx1 - bx0) * (by1 - by0)
            if box_area <= MERGE_SLACK * area or len(regions) > MAX_SEPARATE:
                regions = [(bx0, by0, bx1 - bx0, by1 - by0)]
                area = box_area
        if area > FULL_FRACTION * w * h:
            return self._grab_full(now), None
        sct = self._sct()
        narrow = self.narrow_regions and area <= NARROW_MAX_PIXELS
        changed: list[Rect] = []
        try:
            for x, y, rw, rh in regions:
                rect = {"left": left + x, "top": top + y, "width": rw, "height": rh}
                got = self._read_shm(rect, frame[y : y + rh, x : x + rw], narrow)
                if got is True:
                    changed.append((x, y, rw, rh))
                    continue
                if got is None:
                    continue  # read, and not a pixel differs from the kept frame
                if got is not False:
                    bx, by, bw, bh = got
                    changed.append((x + bx, y + by, bw, bh))
                    continue
                shot = sct.grab(rect)
                frame[y : y + rh, x : x + rw] = np.frombuffer(shot.raw, dtype=np.uint8).reshape(
                    rh, rw, 4)
                changed.append((x, y, rw, rh))
        except mss.ScreenShotError as exc:
            raise CaptureError(f"screen capture failed: {exc}") from exc
        self.stats["region"] += 1
        return frame, changed

    def _read_shm(self, rect: dict[str, int], out: np.ndarray,
                  narrow: bool = False) -> bool | Rect | None:
        """Read ``rect`` (root coordinates) straight from mss's shared-memory segment into
        ``out`` (a view into the kept frame): one copy. False where that path is not there
        (the caller then uses mss's public grab).

        Why: mss's region grab copies the segment into a new ``bytearray`` and the frame is
        written from that: two copies of the damaged area per typed character (a 578x168 text
        field is reported whole for each key: 388 KB copied twice, issue 16).

        ``narrow``: compare with ``out`` instead and copy only the box of pixels that differ:
        that box ``(x, y, w, h)`` within ``out``, or None if none differ (:meth:`_ShmReader.
        read_changes`); True: read whole (no box)."""
        reader = self._shm_reader()
        if reader is None:
            return False
        got = reader.read_changes(rect, out) if narrow else reader.read(rect, out)
        if got is not False:
            self.shm_regions += 1
            if narrow:
                self.narrowed += 1
            return got
        self._local.shm = False  # mss's segment went away: its public grab from now on
        return False

    def _shm_reader(self) -> _ShmReader | None:
        """This thread's reader of mss's segment, probed once it is known (None: not there)."""
        reader = getattr(self._local, "shm", None)
        if reader is False:
            return None
        if reader is None:
            reader = _ShmReader.probe(self._sct())
            if reader is None:
                return None  # not yet known (mss decides at its first grab) or not there
            self._local.shm = reader
        return reader

    def _check_full(self, now: float, frame: np.ndarray) -> Rect | Literal[False] | None:
        """The safety net's full grab (every :data:`FULL_GRAB_EVERY` s) with damage known:
        the whole monitor compared with the kept ``frame`` as it is read from the XShm
        segment; only the box that differs is written and returned (None: nothing differs;
        False: not possible here, the caller grabs in full).

        Why: the plain full grab copied the whole screen into the frame and the encoder then
        diffed all of it against its reference, about 9 ms of a core every 2 s at 1080p: at
        rest, 0.44 % of a core; typing at 14 keys a second, 0.2 ms per key (issue 16)."""
        reader = self._shm_reader()
        if reader is None:
            return False
        sct = self._sct()
        try:
            monitors = sct.monitors
            if not 0 <= self.monitor < len(monitors):
                return False
            mon = monitors[self.monitor]
        except mss.ScreenShotError as exc:
            raise CaptureError(f"screen capture failed: {exc}") from exc
        w, h = mon["width"], mon["height"]
        if (frame.shape != (h, w, 4) or not frame.flags.c_contiguous
                or self.geometry != (mon["left"], mon["top"], w, h)):
            return False  # the screen changed its size or place: a plain full grab
        box = reader.read_changes(mon, frame)
        if box is False:
            self._local.shm = False  # mss's segment went away: its public grab from now on
            return False
        self._last_full = now
        self.stats["full"] += 1
        self.checked_full += 1
        return box

    def _grab_full(self, now: float) -> np.ndarray:
        frame = self._grab_reusing(self._frame)
        if frame is None:
            frame = self.grab()
            if not frame.flags.writeable:
                frame = frame.copy()
        self._frame, self._last_full = frame, now
        self.stats["full"] += 1
        return frame

    def _grab_reusing(self, buf: np.ndarray | None) -> np.ndarray | None:
        """The whole monitor read into ``buf`` (or a new buffer if it does not fit) straight
        from mss's shared-memory segment; None where that path is not available (not X11, no
        MIT-SHM, another mss): then :meth:`grab` does it.

        Why: mss copies each grab into a new ``bytearray``: 8 MB at 1080p, allocated and
        copied 60 times a second while a document scrolls, about 0.3 ms of a frame's CPU more
        than one copy into a buffer kept from grab to grab (issue 16)."""
        reader = self._shm_reader()
        if reader is None:
            return None
        sct = self._sct()
        try:
            monitors = sct.monitors
            if not 0 <= self.monitor < len(monitors):
                raise CaptureError(f"there is no monitor {self.monitor} (have {len(monitors) - 1})")
            mon = monitors[self.monitor]
            w, h = mon["width"], mon["height"]
            if buf is None or buf.shape != (h, w, 4) or not buf.flags.c_contiguous:
                buf = np.empty((h, w, 4), dtype=np.uint8)
            if not reader.read(mon, buf):
                self._local.shm = False  # mss's segment went away: its public grab from now on
                return None
        except mss.ScreenShotError as exc:
            raise CaptureError(f"screen capture failed: {exc}") from exc
        self.geometry = (mon["left"], mon["top"], w, h)
        return buf

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
            self._local.shm = None
            sct.close()
            self._local.sct = None


class _ShmReader:
    """Reads the MIT-SHM segment of mss's default Linux backend (mss >= 10.2, XCB with
    XShmGetImage) into a buffer of ours, instead of mss's copy into a new ``bytearray``.

    It uses mss's internals (its segment, connection and drawable), so :meth:`probe` checks
    each of them and declines (None) for anything else: another platform or backend, a
    segment that failed, an mss whose internals moved. ``tests/agent/test_capture.py`` checks
    that this path is taken here and reads exactly what mss's public grab reads."""

    def __init__(self, impl: object, xcb: object, all_planes: int) -> None:
        self._impl = impl
        self._xcb = xcb
        self._all_planes = all_planes

    @staticmethod
    def probe(sct: mss.MSS) -> _ShmReader | None:
        """A reader for ``sct``'s segment, or None (not there, or not known yet: mss finds out
        whether MIT-SHM works at its first grab)."""
        try:
            from mss.linux import xcb
            from mss.linux.base import ALL_PLANES
            from mss.linux.xshmgetimage import MSSImplXShmGetImage, ShmStatus
        except ImportError:
            return None
        impl = getattr(sct, "_impl", None)
        if not isinstance(impl, MSSImplXShmGetImage):
            return None
        if impl.shm_status is not ShmStatus.AVAILABLE or impl._buf is None:
            return None
        if impl._shmseg is None or impl.conn is None or getattr(impl, "with_cursor", False):
            return None
        return _ShmReader(impl, xcb, ALL_PLANES)

    def read(self, mon: dict[str, int], out: np.ndarray) -> bool:
        """Grab ``mon`` (a monitor or any rectangle of the root window) into ``out``
        (``(h, w, 4)``, may be a view into a larger frame); False if the segment is gone or
        too small (the caller falls back to mss's public grab)."""
        src = self._fetch(mon)
        if src is None:
            return False
        np.copyto(out, src)
        del src  # release the segment's buffer at once (mss closes it on close)
        return True

    def read_changes(self, mon: dict[str, int], out: np.ndarray) -> Rect | Literal[False] | None:
        """Grab ``mon`` like :meth:`read`, but write into ``out`` only the box of pixels that
        differ from what ``out`` holds: that box ``(x, y, w, h)`` within ``out``, None if no
        pixel differs, False as :meth:`read` (nothing written).

        Why: the caller diffed the kept frame against the encoder's reference right after
        copying the region into it; comparing as it reads touches the region once (two passes
        and a write less over a text field's 388 KB per typed character, issue 16), and the
        encoder then diffs only the box."""
        src = self._fetch(mon)
        if src is None:
            return False
        box = changed_box(src, out)
        if box is not None:
            x, y, bw, bh = box
            out[y : y + bh, x : x + bw] = src[y : y + bh, x : x + bw]
        del src
        return box

    def _fetch(self, mon: dict[str, int]) -> np.ndarray | None:
        """``mon`` read into the segment by the X server: a ``(h, w, 4)`` view of it (drop it
        before the segment closes); None if the segment is gone, too small or not ours."""
        from mss.linux.xshmgetimage import MSSImplXShmGetImage

        impl = self._impl
        assert isinstance(impl, MSSImplXShmGetImage)
        xcb = self._xcb
        w, h = mon["width"], mon["height"]
        shm = impl._buf
        if shm is None or impl._shmseg is None or impl.conn is None or w * h * 4 > len(shm):
            return None
        try:
            reply = xcb.shm_get_image(  # type: ignore[attr-defined]
                impl.conn, impl.drawable, mon["left"], mon["top"], w, h, self._all_planes,
                xcb.ImageFormat.ZPixmap, impl._shmseg, 0)  # type: ignore[attr-defined]
        except Exception as exc:  # an X error: mss's own grab reports it properly
            log.debug("XShmGetImage failed, back to mss's grab: %s", exc)
            return None
        if reply.depth != impl.drawable_depth or reply.visual != impl.drawable_visual_id:
            return None
        return np.frombuffer(shm, dtype=np.uint8, count=w * h * 4).reshape(h, w, 4)


def changed_box(new: np.ndarray, old: np.ndarray) -> Rect | None:
    """The smallest box ``(x, y, w, h)`` holding every pixel where two ``(h, w, 4)`` images
    differ (rounded out to even columns where two pixels are compared as one word), or None
    if they are equal. ``old`` may be a view into a larger frame (rows strided). Compared in
    bands of :data:`_BAND` rows, so the temporaries stay in the cache (a whole screen too)."""
    h, w = new.shape[:2]
    per = 2 if w % 2 == 0 else 1
    dtype = np.uint64 if per == 2 else np.uint32
    a = new.reshape(h, w * 4).view(dtype)
    b = old.reshape(h, w * 4).view(dtype)
    y0 = y1 = -1
    x0, x1 = a.shape[1], 0
    for r in range(0, h, _BAND):
        diff = a[r : r + _BAND] != b[r : r + _BAND]
        rows = np.flatnonzero(diff.any(axis=1))
        if rows.size == 0:
            continue
        if y0 < 0:
            y0 = r + int(rows[0])
        y1 = r + int(rows[-1]) + 1
        cols = np.flatnonzero(diff[int(rows[0]) : int(rows[-1]) + 1].any(axis=0))
        x0, x1 = min(x0, int(cols[0])), max(x1, int(cols[-1]) + 1)
    if y0 < 0:
        return None
    return x0 * per, y0, (x1 - x0) * per, y1 - y0


#: Rows compared at a time by :func:`changed_box`.
_BAND = 64
