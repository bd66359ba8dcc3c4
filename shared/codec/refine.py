"""Lossy-to-lossless refinement: remember which tiles the console holds only approximately.

JPEG keeps moving content cheap; once an area rests (``delay`` seconds without change) the agent
re-sends it losslessly so the technician ends up with the exact pixels. Time is passed in by the
caller (sans-I/O, deterministic tests).
"""

from __future__ import annotations

import numpy as np

from shared.codec.scroll import Move

__all__ = ["FAST_LINK", "NEAR_RTT", "REFINE_DELAY", "REFINE_DELAY_SLOW", "RefinementTracker",
           "refine_delay_for"]

#: Seconds a lossy tile must rest before it is re-sent exact, on a fast link. 0.3 s made a
#: resting picture exact only ~0.45 s after a scroll stopped on loopback (rest, lossless
#: encode, delivery, paint), close to glass_to_glass's 0.5 s target and over it under load
#: (converge20). While things move nothing changes: a tile that keeps changing never rests, and
#: a grab refines only tiles it did not find changed. Between bursts (a wheel turned notch by
#: notch with pauses over 0.15 s) a rested area is refined sooner, but not in vain: the next
#: scroll moves its exact pixels along (COPY), only the newly exposed strip is lossy.
REFINE_DELAY = 0.15
#: ... and on a link slower than :data:`FAST_LINK`, or one not measured yet: the exact re-send
#: of a screenful of photographs (~0.7 MB) holds such a line for over a second, and fresh
#: changes wait behind it; a pause of 0.15-0.3 s in a scroll must not start one there.
REFINE_DELAY_SLOW = 0.3
#: Bytes per second (the flow control's measured delivery rate, under the technician's cap)
#: from which a link counts as fast: 20 Mbit/s, where that re-send takes under 0.3 s (the 4 and
#: 16 Mbit/s lines are slow). Loopback measures 5-20 MB/s from a scroll's frames on the
#: loaded 2-core box; the estimate only grows with what is sent, so this stays well under it.
FAST_LINK = 2_500_000
#: Seconds of round trip (the flow control's minimum) up to which a link without a measured
#: rate counts as fast: loopback and a LAN answer within a few ms.
NEAR_RTT = 0.012


def refine_delay_for(rate: float | None, min_rtt: float | None = None,
                     cap: float | None = None) -> float:
    """The rest before refinement on a link measured at ``rate`` bytes/s with round trips of at
    least ``min_rtt`` s, under the technician's ``cap`` (bytes/s; None: none).

    A fast link often has no rate: frames that leave from idle measure the screen, not the
    link, and never make the first estimate (shared.flow). Then a round trip of at most
    :data:`NEAR_RTT` says it: a slow line's own delays are longer (the emulated 4 and 16
    Mbit/s lines: 40 and 20 ms). Nothing known: the slow rest, as before."""
    if cap is not None and cap < FAST_LINK:
        return REFINE_DELAY_SLOW
    if rate is not None:
        return REFINE_DELAY if rate >= FAST_LINK else REFINE_DELAY_SLOW
    return REFINE_DELAY if min_rtt is not None and min_rtt <= NEAR_RTT else REFINE_DELAY_SLOW
    return REFINE_DELAY if rate is not None and rate >= FAST_LINK else REFINE_DELAY_SLOW


class RefinementTracker:
    """Per-tile state: was the tile last sent lossy, and when did its content last change."""

    def __init__(self, grid_shape: tuple[int, int], tile: int,
                 delay: float = REFINE_DELAY_SLOW) -> None:
        self.tile = tile
        self.delay = delay
        self.reset(grid_shape)

    def reset(self, grid_shape: tuple[int, int]) -> None:
        """Forget everything (new frame size or full refresh)."""
        self.lossy = np.zeros(grid_shape, dtype=bool)
        self.last_change = np.full(grid_shape, -np.inf)

    @property
    def any_lossy(self) -> bool:
        """True while some tile still needs a lossless re-send."""
        return bool(self.lossy.any())

    def note_changed(self, mask: np.ndarray, now: float) -> None:
        """Tiles whose screen content changed at ``now`` (restarts their rest timer)."""
        self.last_change[mask] = now

    def note_sent(self, x: int, y: int, w: int, h: int, lossy: bool) -> None:
        """A pixel rectangle was sent, lossy (JPEG) or exact; it must be tile-aligned at x, y."""
        t = self.tile
        self.lossy[y // t : (y + h + t - 1) // t, x // t : (x + w + t - 1) // t] = lossy

    def note_sent_box(self, x: int, y: int, w: int, h: int, lossy: bool,
                      frame_w: int, frame_h: int) -> None:
        """A rectangle at any position was sent: lossy makes every tile it touches lossy; exact
        fixes only the tiles it covers whole (a tile's other pixels keep what they had).
        A tile cut short by the frame's edge counts as covered up to that edge."""
        t = self.tile
        if lossy:
            self.lossy[y // t : (y + h + t - 1) // t, x // t : (x + w + t - 1) // t] = True
            return
        r0, c0 = (y + t - 1) // t, (x + t - 1) // t
        r1 = (y + h) // t if y + h < frame_h else (y + h + t - 1) // t
        c1 = (x + w) // t if x + w < frame_w else (x + w + t - 1) // t
        if r1 > r0 and c1 > c0:
            self.lossy[r0:r1, c0:c1] = False

    def note_move(self, move: Move) -> None:
        """A COPY carried pixels along: destination tiles inherit lossiness (conservatively)."""
        t = self.tile
        sy0, sy1 = move.src_y // t, (move.src_y + move.h + t - 1) // t
        sx0, sx1 = move.src_x // t, (move.src_x + move.w + t - 1) // t
        if not self.lossy[sy0:sy1, sx0:sx1].any():
            return
        dy, dx = move.y - move.src_y, move.x - move.src_x
        src = self.lossy[sy0:sy1, sx0:sx1]
        rows, cols = self.lossy.shape
        # a lossy source tile touches at most 2x2 destination tiles
        hit = np.zeros_like(self.lossy)
        ys, xs = np.nonzero(src)
        for oy in (0, t - 1):
            for ox in (0, t - 1):
                ty = ((ys + sy0) * t + dy + oy) // t
                tx = ((xs + sx0) * t + dx + ox) // t
                ok = (ty >= 0) & (ty < rows) & (tx >= 0) & (tx < cols)
                hit[ty[ok], tx[ok]] = True
        dy0, dy1 = move.y // t, (move.y + move.h + t - 1) // t
        dx0, dx1 = move.x // t, (move.x + move.w + t - 1) // t
        self.lossy[dy0:dy1, dx0:dx1] |= hit[dy0:dy1, dx0:dx1]

    def due(self, now: float) -> np.ndarray:
        """Tiles sent lossy that have rested for at least ``delay`` seconds: re-send them exact."""
        return self.lossy & (now - self.last_change >= self.delay)
