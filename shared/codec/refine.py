"""Lossy-to-lossless refinement: remember which tiles the console holds only approximately.

JPEG keeps moving content cheap; once an area rests (``delay`` seconds without change) the agent
re-sends it losslessly so the technician ends up with the exact pixels. Time is passed in by the
caller (sans-I/O, deterministic tests).
"""

from __future__ import annotations

import numpy as np

from shared.codec.scroll import Move

__all__ = ["RefinementTracker"]


class RefinementTracker:
    """Per-tile state: was the tile last sent lossy, and when did its content last change."""

    def __init__(self, grid_shape: tuple[int, int], tile: int, delay: float = 0.3) -> None:
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
