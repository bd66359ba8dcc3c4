"""The frame encoder: a new screen frame in, the rectangles that bring the console to it out.

Pure and single-threaded (the caller owns it; the agent's streamer drives it from its capture
thread): change detection against the reference frame (what the console holds, in true pixels),
scroll detection (COPY rects), the choice of encoding per rectangle, the byte budget of one
update and the lossless refinement of JPEG areas once they rest. :class:`EncodedFrame` maps 1:1 onto
``messages.FrameUpdate``; its rectangles are ``messages.Rect`` already (one type end to end).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from shared.codec import Encoding
from shared.codec.encode import RectEncoder, encode_copy
from shared.codec.refine import RefinementTracker
from shared.codec.scroll import BAND, Move, apply_moves, band_row_hashes, detect_moves
from shared.codec.tiles import TILE, dirty_tiles, or_block_diff, tile_grid_shape, tiles_to_rects
from shared.codec.tiny import encode_small, encode_tiny
from shared.codec.video import VideoStage
from shared.messages import Rect

__all__ = [
    "MAX_FRAME_BYTES", "RECT_HEADER_BYTES", "SMALL_RECT_PIXELS", "EncodedFrame", "FrameEncoder",
    "wire_bytes",
]

#: Stay well below the channel's 8 MiB plaintext limit; the rest follows in the next update.
MAX_FRAME_BYTES = 6 * 1024 * 1024
#: Rectangles of at most this many pixels (4 default tiles) go out lossless even in lossy mode:
#: typed text, a blinking caret or a small icon cost little more exact than as JPEG, and a JPEG
#: would have to be sent again losslessly (refinement) a moment later anyway.
SMALL_RECT_PIXELS = 4 * TILE * TILE
#: A damage region of at least 1/this of the frame and :data:`HASHED_REGION_TILES` tiles takes
#: the row-hash path (:meth:`FrameEncoder._hashed_changes` over its rows): a scrolling
#: document's, not a typed glyph's or a text field's (those stay on the tiny path).
HASHED_REGION_FRACTION = 8
HASHED_REGION_TILES = 32
#: Recent scroll shifts tried before the vote (the costliest step of scroll detection). A wheel
#: scroll moves 1-3 lines a tick and a grab may span two ticks: 1-6 (or 7) lines. With three
#: kept, a recorded g2g scroll voted on 46 of 119 frames, with eight on 7 (same moves, same
#: bytes); a shift that fails is dismissed from the hash arrays alone (issue 16, scrollcpu20).
RECENT_SHIFTS = 8


#: What the bandwidth cap counts for a rect besides its payload (its header on the wire).
RECT_HEADER_BYTES = 16


def wire_bytes(rects: list[Rect]) -> int:
    """What ``rects`` count against the bandwidth cap and the credit (:attr:`EncodedFrame.nbytes`):
    the streamer sizes slices and echo frames by it before it makes them frames."""
    return sum(len(r.payload) for r in rects) + RECT_HEADER_BYTES * len(rects)


@dataclass(frozen=True, slots=True)
class EncodedFrame:
    """One screen update; maps 1:1 to ``messages.FrameUpdate(width, height, rects, seq)``."""

    width: int
    height: int
    seq: int
    rects: list[Rect] = field(default_factory=list)

    @property
    def nbytes(self) -> int:
        """Payload bytes (what the bandwidth cap counts)."""
        return wire_bytes(self.rects)


def _diff_box(
    ref: np.ndarray, frame: np.ndarray, x: int, y: int, w: int, h: int
) -> tuple[int, int, int, int]:
    """The smallest rectangle inside ``(x, y, w, h)`` holding every pixel where ``ref`` and
    ``frame`` differ (the whole rectangle if none differ)."""
    a = ref[y : y + h, x : x + w].view(np.uint32)[..., 0]
    b = frame[y : y + h, x : x + w].view(np.uint32)[..., 0]
    return _box_of(a != b, x, y, w, h)


#: A block of the frame and where its pixels are in the reference before the moves:
#: ``(x, y, w, h, src_x, src_y)``.
Piece = tuple[int, int, int, int, int, int]


def _moved_pieces(moves: list[Move], area: tuple[int, int, int, int]) -> list[Piece] | None:
    """``area`` ``(x, y, w, h)`` cut into blocks, each with the place its reference pixels come
    from once ``moves`` are applied in order (a move's destination: its source; elsewhere:
    itself). None if the moves are not independent (a destination overlapping another, or a
    source overlapping an earlier move's destination: then the order matters, and the caller
    applies them for real) or a destination leaves ``area``. Scroll detection's moves are
    independent: each claims its own column bands (or row bands, sideways).

    Why: the diff against the reference with the moves applied can then read the old
    reference at the source, and the moves need never be written into it (issue 16)."""
    ax, ay, aw, ah = area

    def meets(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
        return (a[0] < b[0] + b[2] and b[0] < a[0] + a[2]
                and a[1] < b[1] + b[3] and b[1] < a[1] + a[3])

    dsts = [(m.x, m.y, m.w, m.h) for m in moves]
    for k, m in enumerate(moves):
        x, y, w, h = dsts[k]
        if w <= 0 or h <= 0 or x < ax or y < ay or x + w > ax + aw or y + h > ay + ah:
            return None
        src = (m.src_x, m.src_y, m.w, m.h)
        if any(meets(dsts[k], d) or meets(src, d) for d in dsts[:k]):
            return None
    ys = sorted({ay, ay + ah, *(m.y for m in moves), *(m.y + m.h for m in moves)})
    pieces: list[Piece] = []
    for ya, yb in pairwise(ys):
        cur = ax
        for m in sorted((m for m in moves if m.y <= ya and m.y + m.h >= yb), key=lambda m: m.x):
            if m.x > cur:
                pieces.append((cur, ya, m.x - cur, yb - ya, cur, ya))
            pieces.append((m.x, ya, m.w, yb - ya, m.src_x, m.src_y + ya - m.y))
            cur = m.x + m.w
        if cur < ax + aw:
            pieces.append((cur, ya, ax + aw - cur, yb - ya, cur, ya))
    return pieces


def _diff_box_moved(
    ref: np.ndarray, frame: np.ndarray, x: int, y: int, w: int, h: int, pieces: list[Piece]
) -> tuple[int, int, int, int]:
    """:func:`_diff_box` against ``ref`` as it would be with the moves of ``pieces`` applied
    (:func:`_moved_pieces`), without applying them."""
    a = ref.view(np.uint32)[..., 0]
    b = frame.view(np.uint32)[..., 0]
    diff = a[y : y + h, x : x + w] != b[y : y + h, x : x + w]
    for px, py, pw, ph, sx, sy in pieces:
        if sx == px and sy == py:
            continue  # the reference stays in place there: compared above
        x0, y0 = max(x, px), max(y, py)
        x1, y1 = min(x + w, px + pw), min(y + h, py + ph)
        if x1 > x0 and y1 > y0:
            diff[y0 - y : y1 - y, x0 - x : x1 - x] = (
                b[y0:y1, x0:x1] != a[y0 + sy - py : y1 + sy - py, x0 + sx - px : x1 + sx - px])
    return _box_of(diff, x, y, w, h)


def _box_of(diff: np.ndarray, x: int, y: int, w: int, h: int) -> tuple[int, int, int, int]:
    """The smallest rectangle holding every True of ``diff`` (the ``(x, y, w, h)`` rectangle's
    pixels), or the whole rectangle if there is none."""
    rows = np.flatnonzero(diff.any(axis=1))
    if rows.size == 0:
        return x, y, w, h
    cols = np.flatnonzero(diff.any(axis=0))
    y0, y1, x0, x1 = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    return x + x0, y + y0, x1 - x0, y1 - y0


def _outside_box(regions: list[tuple[int, int, int, int]],
                 box: tuple[int, int, int, int]) -> list[tuple[int, int, int, int]]:
    """The parts of ``regions`` ``(x, y, w, h)`` outside ``box`` ``(x0, y0, x1, y1)``: above
    it, below it, and beside it in its rows."""
    x0, y0, x1, y1 = box
    out = []
    for x, y, w, h in regions:
        if y < y0:
            out.append((x, y, w, min(y + h, y0) - y))
        if y + h > y1:
            top = max(y, y1)
            out.append((x, top, w, y + h - top))
        ya, yb = max(y, y0), min(y + h, y1)
        if yb > ya:
            if x < x0:
                out.append((x, ya, min(x + w, x0) - x, yb - ya))
            if x + w > x1:
                left = max(x, x1)
                out.append((left, ya, x + w - left, yb - ya))
    return [r for r in out if r[2] > 0 and r[3] > 0]


def _tile_box(tiles: np.ndarray, h: int, w: int, t: int) -> tuple[int, int, int, int]:
    """The pixel rectangle ``(x, y, w, h)`` of the bounding box of the True tiles (some are)."""
    rows, cols = np.nonzero(tiles.any(axis=1))[0], np.nonzero(tiles.any(axis=0))[0]
    x0, y0 = int(cols[0]) * t, int(rows[0]) * t
    return x0, y0, min(w, (int(cols[-1]) + 1) * t) - x0, min(h, (int(rows[-1]) + 1) * t) - y0


class FrameEncoder:
    """The sans-thread core: turns a new frame into rects against what the console holds.

    Usable directly (bench, tests); ``agent.pipeline.ScreenStreamer`` drives it from its
    capture thread. One thread at a time: it owns its reference frame and its zstd contexts.
    """

    #: Scroll moves are not written into the reference before the diff (the diff reads their
    #: sources instead, :func:`_moved_pieces`); the reference takes the frame's pixels once
    #: the update is complete. False: apply, then diff (the plain path, kept for the tests
    #: that compare both).
    virtual_moves = True
    #: A rect that would go JPEG whole is cut into its photo's box (JPEG) and the exact text
    #: around it (:meth:`RectEncoder.encode_parts`). False: one JPEG, as before (A/B, tests).
    split_photos = True
    # (moves, area, pieces) while an update's moves are not applied (what was written
    # meanwhile: ``_written``)
    _deferred: tuple[list[Move], tuple[int, int, int, int], list[Piece]] | None = None

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
        tiny: bool = True,
    ) -> None:
        self.quality = quality
        #: a typed character's update takes the fast path (shared/codec/tiny.py; same output)
        self.tiny = tiny
        #: What the link carries now, in bytes per second, as the agent's rate control measures
        #: it from the acks (``shared.flow``); None while unknown or unlimited. Encoders whose
        #: output size can be steered (the video codec's bitrate, JPEG quality) follow it, so a
        #: narrow uplink gets smaller frames instead of a queue (issue 16).
        self.target_rate: float | None = None
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
        #: rects written into ``ref`` during this :meth:`encode` (while its moves are deferred,
        #: they are written when the moves settle; and their rows' cached hashes stay stale
        #: where the pending hashes do not cover them)
        self._written: list[tuple[int, int, int, int]] = []
        # ``ref`` is zeros where no update went yet (see encode): no boxes of differing pixels
        self._unknown = True
        # the vertical shifts of the last scrolls found, newest first: verified before the vote
        self._recent_dy: list[int] = []
        # the last update left changes out (byte budget): ``ref`` differs from the last frame
        # somewhere, so the next one must be diffed whole even if its source names regions
        self._behind = False
        self.video = VideoStage(tile)  # video lane: full-screen motion as H.264 (issue 16)

    def reset(self) -> None:
        """Forget the console's state: the next update repaints everything."""
        self.ref = None
        self._hashes = None
        self._deferred = None
        self.video.reset()  # video lane: the next stream starts with a keyframe

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
        self._stale[y : y + h] = True
        self._written.append((x, y, w, h))
        if self._deferred is not None:  # this update's moves are not in ``ref`` yet
            return
        self.ref[y : y + h, x : x + w] = frame[y : y + h, x : x + w]

    def _box(self, frame: np.ndarray, x: int, y: int, w: int, h: int) -> tuple[int, int, int, int]:
        """:func:`_diff_box` against the reference as the console holds it at this point of
        the update (with this update's moves, applied or not yet)."""
        assert self.ref is not None
        if self._deferred is not None:
            return _diff_box_moved(self.ref, frame, x, y, w, h, self._deferred[2])
        return _diff_box(self.ref, frame, x, y, w, h)

    def _settle_moves(self, frame: np.ndarray, complete: bool) -> None:
        """Bring ``ref`` to what the console holds after this update, whose moves were diffed
        without being applied: with every change sent, that is the frame itself over the
        deferred area (one plain copy instead of a memmove of the scrolled area); else the
        moves, then what was sent, exactly as the plain path writes them."""
        assert self.ref is not None and self._deferred is not None
        moves, (ax, ay, aw, ah), _pieces = self._deferred
        self._deferred = None
        written = self._written
        if complete:
            self.ref[ay : ay + ah, ax : ax + aw] = frame[ay : ay + ah, ax : ax + aw]
            for x, y, w, h in written:
                if not (ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah):
                    self.ref[y : y + h, x : x + w] = frame[y : y + h, x : x + w]
            return
        apply_moves(self.ref, moves)
        for x, y, w, h in written:
            self.ref[y : y + h, x : x + w] = frame[y : y + h, x : x + w]

    def _find_moves(self, frame: np.ndarray, region: tuple[int, int, int, int],
                    hp: np.ndarray | None, hc: np.ndarray | None) -> list[Move]:
        """Scroll detection in ``region``: vertical (the recent shifts first), else sideways."""
        assert self.ref is not None
        moves = detect_moves(self.ref, frame, region, prev_hashes=hp, cur_hashes=hc,
                             hints=self._recent_dy)
        if moves:
            dy = moves[0].y - moves[0].src_y
            if dy:
                self._recent_dy = [dy, *(d for d in self._recent_dy if d != dy)][:RECENT_SHIFTS]
        else:
            moves = detect_moves(self.ref, frame, region, horizontal=True)
        return moves

    def _hashes_first(self) -> bool:
        """Whether a whole frame's changes are found from its row hashes (:meth:`_hashed_changes`)
        rather than by a tile diff before scroll detection."""
        return (self.scroll and self.virtual_moves and self._hash_cache
                and not self.video.policy.active)

    def _hashed_changes(
        self, frame: np.ndarray, box: tuple[int, int, int, int] | None = None,
    ) -> tuple[np.ndarray, np.ndarray, list[Move]]:
        """``changed``, ``dirty`` and the moves of a new frame in ``box`` ``(x0, y0, x1, y1)``
        (None: the whole frame; tile-aligned, x0 also band-aligned, x1 a multiple of both or
        the frame's width), reading it twice instead of three times (issue 16: a
        1080p scroll frame was diffed whole, hashed, then diffed again after its moves).
        Outside ``box`` the grids are False: the caller knows the frame equals ``ref`` there
        or compares it there itself.

        The row hashes scroll detection needs anyway say where the frame changed: a (row,
        band) whose hash differs from the cached hash of the reference changed for sure, so
        those tiles are ``changed`` and bound the region searched for moves. That is all they
        decide: ``dirty``, what is sent, comes from one exact diff of the rows against
        the reference with the moves in it (:func:`_moved_pieces`, :func:`or_block_diff`), so
        a hash collision (1 in 2**32 per row and band) can only cost a scroll's COPY or restart
        a tile's refinement timer later, never leave a pixel wrong."""
        assert self.ref is not None
        h, w = frame.shape[:2]
        t = self.tile
        x0, y0, x1, y1 = box if box is not None else (0, 0, w, h)
        grid = tile_grid_shape(h, w, t)
        b0, b1 = x0 // BAND, (x1 + BAND - 1) // BAND
        hc = band_row_hashes(frame[y0:y1, x0:x1].view(np.uint32)[..., 0])
        hp = self._prev_hashes(y0, y1, b0, b1)
        cells = np.logical_or.reduceat(hc != hp, np.arange(0, y1 - y0, t), axis=0)
        changed = np.zeros(grid, dtype=bool)
        changed[y0 // t : (y1 + t - 1) // t, x0 // t : (x1 + t - 1) // t] = (
            np.logical_or.reduceat(cells, np.arange(0, b1 - b0, t // BAND), axis=1))
        moves: list[Move] = []
        if int(changed.sum()) >= 4:
            rx, ry, rw, rh = region = _tile_box(changed, h, w, t)
            c0, c1 = rx // BAND - b0, (rx + rw + BAND - 1) // BAND - b0
            moves = self._find_moves(frame, region, hp[ry - y0 : ry - y0 + rh, c0:c1],
                                     hc[ry - y0 : ry - y0 + rh, c0:c1])
        area = (x0, y0, x1 - x0, y1 - y0)
        pieces = _moved_pieces(moves, area)
        if pieces is None:  # moves whose order matters: apply them, then diff
            apply_moves(self.ref, moves)
            r0, r1 = y0 // t, (y1 + t - 1) // t
            tc0, tc1 = x0 // t, (x1 + t - 1) // t
            dirty = dirty_tiles(self.ref, frame, t, (tc0, r0, tc1 - tc0, r1 - r0))
        else:
            dirty = np.zeros(grid, dtype=bool)
            for px, py, pw, ph, sx, sy in pieces:
                or_block_diff(dirty, self.ref, frame, t, (px, py, pw, ph), (sx, sy))
            if moves:
                # the box was diffed whole: once complete, ``ref`` is ``frame`` there, so the
                # moves' rows of it are copied whole (one run for numpy where it is the width)
                my0, my1 = min(m.y for m in moves), max(m.y + m.h for m in moves)
                self._deferred = (moves, (x0, my0, x1 - x0, my1 - my0), pieces)
        for m in moves:
            self.tracker.note_move(m)
            self._stale[m.y : m.y + m.h] = True
        # once this update is complete, ``ref`` is ``frame``: its hashes are ``hc``
        self._pending = (y0, y1, b0, b1, hc)
        return changed | dirty, dirty, moves

    def _hashed_box(self, frame: np.ndarray, regions: list[tuple[int, int, int, int]]
                    ) -> tuple[int, int, int, int] | None:
        """The tile-aligned box ``(x0, y0, x1, y1)`` spanned by the big regions (a scrolling
        document's) for :meth:`_hashed_changes`, or None when no region is big (the tile diff
        then).

        Why: a window that scrolls in part of the screen is grabbed as its damage region
        (``agent.capture``); the tile diff, then the row hashes, then the diff after the moves
        read it three times, this reads it twice (issue 16, scrollcpu20), and only its
        columns: a browser beside a sidebar or a mail list is not read the screen's width."""
        if not self._hashes_first() or self._behind:
            return None
        h, w = frame.shape[:2]
        t = self.tile
        least = max(w * h / HASHED_REGION_FRACTION, HASHED_REGION_TILES * t * t)
        big = [r for r in regions if r[2] * r[3] >= least]
        if not big:
            return None
        # (tiles are whole hash bands here: _hashes_first needs the hash cache, which needs it)
        y0 = min(r[1] for r in big) // t * t
        y1 = min(h, (max(r[1] + r[3] for r in big) + t - 1) // t * t)
        x0 = min(r[0] for r in big) // t * t
        x1 = min(w, (max(r[0] + r[2] for r in big) + t - 1) // t * t)
        return x0, y0, x1, y1

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

    def encode_ahead(
        self,
        frame: np.ndarray,
        now: float,
        regions: list[tuple[int, int, int, int]],
        accept: Callable[[Rect], bool],
    ) -> list[Rect]:
        """Exact rects of the pixels that differ in the small ``regions`` ``(x, y, w, h)`` of
        ``frame``, taken into the reference at once: call it before :meth:`encode` of the same
        frame, which then finds them sent. ``accept`` says whether a rect may go ahead (the
        caller's echo rules); one it refuses stays for :meth:`encode`. A box of more than
        :attr:`small_rect_pixels` stays too.

        Why (issue 16, input first): the part of an update that answers a key (its glyph) was
        split off only after the whole update was encoded; while a document scrolls, that is a
        full-screen scroll frame, and on the 4 Mbit/s line the echo waited 15-25 ms for it.

        Empty while the reference is not what the console holds (a fresh one), an update was
        cut short, its moves or hashes are pending, or a region plays as video: then
        :meth:`encode` alone knows the console's picture."""
        ref = self.ref
        if (ref is None or ref.shape != frame.shape or self._unknown or self._behind
                or self._pending is not None or self._deferred is not None
                or self.video.policy.active):
            return []
        h, w = frame.shape[:2]
        t = self.tile
        last_change = self.tracker.last_change
        out: list[Rect] = []
        for x, y, rw, rh in regions:
            x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + rw), min(h, y + rh)
            if x1 <= x0 or y1 <= y0:
                continue
            diff = (ref[y0:y1, x0:x1].view(np.uint32)[..., 0]
                    != frame[y0:y1, x0:x1].view(np.uint32)[..., 0])
            if not diff.any():
                continue
            bx, by, bw, bh = _box_of(diff, x0, y0, x1 - x0, y1 - y0)
            if bw * bh > self.small_rect_pixels:
                continue
            rect = encode_small(self, frame, bx, by, bw, bh)
            if not accept(rect):
                continue
            if last_change.shape == tile_grid_shape(h, w, t):
                last_change[by // t : (by + bh - 1) // t + 1,
                            bx // t : (bx + bw - 1) // t + 1] = now
            self._write_ref(frame, bx, by, bw, bh)
            self.stats["rects"] += 1
            out.append(rect)
        return out

    def encode(
        self,
        frame: np.ndarray,
        now: float,
        regions: list[tuple[int, int, int, int]] | None = None,
    ) -> tuple[list[Rect], bool]:
        """Rects bringing the console from its state to ``frame``; and whether the frame changed.

        ``regions`` ``(x, y, w, h)``: the only places where ``frame`` can differ from the previous
        call's frame (a capturer that grabbed just the damaged regions); None = anywhere. Outside
        them ``ref`` already equals ``frame`` (every complete update leaves ``ref`` equal to its
        frame; after an incomplete one the next frame is diffed whole), so only tiles touching
        them are compared. Updates the reference only for what is returned, so rects left out
        for the size limit follow in the next call.
        """
        self._written.clear()
        if self.tiny and regions is not None:  # one or two tiles: shared/codec/tiny.py
            fast = encode_tiny(self, frame, now, regions)
            if fast is not None:
                return fast
        h, w = frame.shape[:2]
        t = self.tile
        grid = tile_grid_shape(h, w, t)
        if self._deferred is not None:  # the last call raised midway: its state is unknown
            self.reset()
        # A fresh reference (first frame, reset) is zeros, not what the console holds (an older
        # picture, another monitor's): until one update went out complete, every dirty rect
        # goes whole, never as the box of pixels that differ from zeros (a black pixel with a
        # zero padding byte equals zero, and the console would keep what it had there).
        if self.ref is None or self.ref.shape != frame.shape:
            self._unknown = True
            self.ref = np.zeros_like(frame)
            self._hashes = None
            self.tracker.reset(grid)
            changed = np.ones(grid, dtype=bool)
            dirty = changed
            moves: list[Move] = []
        elif regions is None and self._hashes_first():
            changed, dirty, moves = self._hashed_changes(frame)
        elif regions and (box := self._hashed_box(frame, regions)) is not None:
            # the big regions' box by its hashes, the other regions by the tile diff
            changed, dirty, moves = self._hashed_changes(frame, box)
            rest = _outside_box(regions, box)
            if rest:
                others = self._changed_tiles(frame, rest)
                changed |= others
                dirty = dirty | others
        else:
            changed = self._changed_tiles(frame, regions)
            dirty = changed
            moves = []
            # (video lane: no scroll detection while the region plays as video: ~6 ms a 1080p
            # frame of row hashing that the H.264 stream's motion search does anyway)
            if self.scroll and int(changed.sum()) >= 4 and not self.video.policy.active:
                region = _tile_box(changed, h, w, t)
                hp = hc = None
                if self._hash_cache:
                    rx, ry, rw, rh = region
                    b0, b1 = rx // BAND, (rx + rw + BAND - 1) // BAND
                    hp = self._prev_hashes(ry, ry + rh, b0, b1)
                    hc = band_row_hashes(frame[ry : ry + rh, rx : rx + rw].view(np.uint32)[..., 0])
                moves = self._find_moves(frame, region, hp, hc)
                if moves:
                    # the copies change the reference only inside their destinations: re-diff
                    # just those tiles, the rest of the grid is still right
                    c0 = min(m.x for m in moves) // t
                    r0 = min(m.y for m in moves) // t
                    c1 = (max(m.x + m.w for m in moves) + t - 1) // t
                    r1 = (max(m.y + m.h for m in moves) + t - 1) // t
                    area = (c0 * t, r0 * t, min(w, c1 * t) - c0 * t, min(h, r1 * t) - r0 * t)
                    pieces = _moved_pieces(moves, area) if self.virtual_moves else None
                    if pieces is None:
                        apply_moves(self.ref, moves)
                    for m in moves:
                        self.tracker.note_move(m)
                        self._stale[m.y : m.y + m.h] = True
                    dirty = changed.copy()
                    if pieces is None:
                        dirty[r0:r1, c0:c1] = dirty_tiles(
                            self.ref, frame, t, (c0, r0, c1 - c0, r1 - r0))[r0:r1, c0:c1]
                    else:
                        # one pass reading the moves' sources in the old reference (issue 16)
                        moved = np.zeros(grid, dtype=bool)
                        for px, py, pw, ph, sx, sy in pieces:
                            or_block_diff(moved, self.ref, frame, t, (px, py, pw, ph), (sx, sy))
                        dirty[r0:r1, c0:c1] = moved[r0:r1, c0:c1]
                        self._deferred = (moves, area, pieces)
                if hc is not None:
                    # after this update the console holds ``frame`` in the region (unless the
                    # byte budget cuts it short, checked below): its hashes are ``hc``
                    self._pending = (ry, ry + rh, b0, b1, hc)
        self.tracker.note_changed(changed, now)
        rects = [
            Rect(m.x, m.y, m.w, m.h, Encoding.COPY.value, encode_copy(m.src_x, m.src_y))
            for m in moves
        ]
        self.stats["moves"] += len(moves)
        budget = self.max_frame_bytes
        # --- video block (issue 16, video lane: shared/codec/motion.py, video.py) ------------
        # Most of the screen kept changing (not a scroll): the moving region goes out as one
        # VIDEO rect, its tiles leave ``dirty`` and are refined exactly once they rest.
        dirty, budget = self.video.step(self, frame, now, dirty, bool(moves), rects, budget)
        # --- end of the video block ------------------------------------------------------------
        complete = True
        first = True  # the first pixel rect always goes (it alone stays far below MAX_PLAINTEXT)
        for x, y, rw, rh in tiles_to_rects(dirty, h, w, t):
            if budget <= 0:
                complete = False
                break
            small = rw * rh <= self.small_rect_pixels
            boxed = False
            if self._unknown:
                pass
            elif small:
                # small: exact at once, and only the box of pixels that differ (a typed glyph,
                # not its 64x64 tiles). The tiles' lossiness is unchanged: exact pixels in part
                # of a tile neither make it lossy nor fix what JPEG left elsewhere in it.
                x, y, rw, rh = self._box(frame, x, y, rw, rh)
            else:
                # big: only the box of pixels that differ, when that is much smaller (the strip
                # a scroll exposes is a few rows of its tile row: 1/8 of the pixels to encode
                # and send at 7 px a frame, issue 16)
                bx, by, bw, bh = self._box(frame, x, y, rw, rh)
                if bw * bh * 2 <= rw * rh:
                    x, y, rw, rh = bx, by, bw, bh
                    boxed = True
            if small or not self.split_photos:
                parts = [self._rect_encoder.encode_rect(frame, x, y, rw, rh,
                                                        quality=None if small else self.quality)]
            else:  # a photo in a strip of text: JPEG for the photo only (issue 16, dsl19)
                parts = self._rect_encoder.encode_parts(frame, x, y, rw, rh,
                                                        quality=self.quality, tile=t)
            r = parts[0]
            size = sum(len(p.payload) for p in parts)
            if size > budget and not first:
                # The budget is a hard cap: a rect that does not fit waits for the next update
                # (noise at 8K lossless once made one update 14 MB, over the 8 MiB a message
                # may carry, and the console never got those pixels).
                complete = False
                break
            first = False
            budget -= size
            if small:
                rects.append(r)
                self._write_ref(frame, x, y, rw, rh)
                continue
            rects.extend(parts)
            self._write_ref(frame, x, y, rw, rh)
            if len(parts) > 1:  # exact parts first: a JPEG part's tiles stay lossy
                for p in sorted(parts, key=lambda p: p.encoding == Encoding.JPEG):
                    self.tracker.note_sent_box(p.x, p.y, p.w, p.h,
                                               p.encoding == Encoding.JPEG, w, h)
            elif boxed:
                self.tracker.note_sent_box(x, y, rw, rh, r.encoding == Encoding.JPEG, w, h)
            else:
                self.tracker.note_sent(x, y, rw, rh, lossy=r.encoding == Encoding.JPEG)
        self._behind = not complete
        self._unknown = self._unknown and not complete
        pending, self._pending = self._pending, None
        if pending is not None and complete and self._hashes is not None:
            # every changed pixel lay inside the region and was sent: ref == frame there, and
            # the region's rows were rehashed before detection, so all of them are fresh now
            y0, y1, b0, b1, hc = pending
            self._hashes[y0:y1, b0:b1] = hc
            self._stale[y0:y1] = False
            # ... in those bands: a rect written beside them leaves its rows' other bands stale
            for wx, wy, ww, wh in self._written:
                if wx < b0 * BAND or wx + ww > b1 * BAND:
                    self._stale[wy : wy + wh] = True
        due = self.tracker.due(now) & ~dirty
        if due.any() and budget > 0:
            for x, y, rw, rh in tiles_to_rects(due, h, w, t):
                if budget <= 0:
                    break
                r = self._rect_encoder.encode_rect(frame, x, y, rw, rh, quality=None)
                if len(r.payload) > budget and rects:
                    break  # still due: refined in a later update (alone, it always goes)
                budget -= len(r.payload)
                rects.append(r)
                self._write_ref(frame, x, y, rw, rh)
                self.tracker.note_sent(x, y, rw, rh, lossy=False)
                self.stats["refined"] += 1
        if self._deferred is not None:
            self._settle_moves(frame, complete)
        self.stats["rects"] += len(rects)
        return rects, bool(changed.any())
