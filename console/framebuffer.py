"""The console's copy of the customer's screen: a numpy BGRA array updated by FrameUpdates.

No Qt here: the view wraps :attr:`Framebuffer.array` in a ``QImage`` (``Format_RGB32`` on
little-endian is B G R X in memory, exactly this layout) and repaints the returned damage.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from shared.codec import CodecError, FrameBudget, check_frame_size
from shared.codec.decode import RectDecoder
from shared.messages import Rect

__all__ = ["Framebuffer"]


class Framebuffer:
    """Applies screen updates in order and reports what changed (one thread at a time)."""

    def __init__(self, width: int = 0, height: int = 0) -> None:
        self._decoder = RectDecoder()  # its zstd context is reused for every rect
        self.array = np.zeros((0, 0, 4), dtype=np.uint8)
        self.last_seq: int | None = None
        if width or height:
            self.resize(width, height)

    @property
    def width(self) -> int:
        return int(self.array.shape[1])

    @property
    def height(self) -> int:
        return int(self.array.shape[0])

    def resize(self, width: int, height: int) -> None:
        """New screen size: a fresh black (alpha 255) buffer; the agent sends everything anew."""
        if not (isinstance(width, int) and isinstance(height, int)):
            raise CodecError("frame size must be integers")
        check_frame_size(width, height)  # ResourceLimit before any allocation
        # Drop the old screen first: never two screens' worth of memory at once.
        self.array = np.zeros((0, 0, 4), dtype=np.uint8)
        self.array = np.zeros((height, width, 4), dtype=np.uint8)
        self.array[:, :, 3] = 255

    def apply(
        self, width: int, height: int, rects: Iterable[Rect], seq: int | None = None
    ) -> list[tuple[int, int, int, int]]:
        """Apply one update; returns damaged rectangles ``(x, y, w, h)`` (all of it on resize).

        Raises :class:`~shared.codec.CodecError` on anything malformed and its subclass
        :class:`~shared.codec.ResourceLimit` on anything over a budget (close the session then).
        """
        budget = FrameBudget(width, height)
        rects = list(rects)
        for r in rects:  # the whole update's budget before the first pixel is touched
            budget.add(r.w, r.h, r.encoding)
        damage: list[tuple[int, int, int, int]] = []
        resized = (width, height) != (self.width, self.height)
        if resized:
            self.resize(width, height)
        for r in rects:
            self._decoder.decode_rect(self.array, r.x, r.y, r.w, r.h, r.encoding, r.payload)
            damage.append((r.x, r.y, r.w, r.h))
        if seq is not None:
            self.last_seq = seq
        return [(0, 0, width, height)] if resized else damage

    @staticmethod
    def bounding(damage: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int] | None:
        """One rectangle covering all damage (what a simple view repaints), or None."""
        if not damage:
            return None
        x0 = min(d[0] for d in damage)
        y0 = min(d[1] for d in damage)
        x1 = max(d[0] + d[2] for d in damage)
        y1 = max(d[1] + d[3] for d in damage)
        return x0, y0, x1 - x0, y1 - y0
