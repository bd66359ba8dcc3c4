"""The frame encoder's fast path for tiny updates: a typed character, a blinking caret.

Why: a typed character changes one or two 64-px tiles, yet the plain path
(:meth:`shared.codec.frame.FrameEncoder.encode`) runs a few dozen numpy calls over the whole tile
grid for it: the grid of changed tiles, the video stage's share, the merge of dirty tiles, the
scan for tiles due for refinement. Each is cheap; together they were most of the encoder's cost
per typed character (issue 16: typing cost the agent 6.6 % of a core against x11vnc's 0.85 %).

:func:`encode_tiny` does the same work touching only the few tiles the damage regions name, and
gives the same rects and leaves the encoder in the same state as the plain path (a property test
compares the two on random updates, ``tests/shared/codec/test_tiny.py``). It declines (returns
None, and the plain path runs) whenever the plain path would do more than encode small exact
rects: no regions, an unknown or outdated reference, a scroll candidate (4 tiles or more), the
video stage playing, or a tile waiting to be refined.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from shared.codec import Encoding
from shared.codec.encode import _as_u32, encode_solid
from shared.codec.tiles import dirty_tiles
from shared.messages import Rect

if TYPE_CHECKING:  # the frame encoder imports this module
    from shared.codec.frame import FrameEncoder

__all__ = ["MAX_TINY_TILES", "SMALL_BOX_PIXELS", "encode_small", "encode_tiny"]

#: At most this many changed tiles take the fast path (4 would start scroll detection).
MAX_TINY_TILES = 3
#: Boxes of at most this many pixels are encoded by one sort (:func:`encode_small`).
SMALL_BOX_PIXELS = 1024


def _changed(enc: FrameEncoder, frame: np.ndarray, regions: list[tuple[int, int, int, int]],
             rows: int, cols: int) -> list[tuple[int, int]] | None:
    """The changed tiles ``(row, col)`` touching ``regions``, sorted; None over the limit.

    A region may be much bigger than what changed: a text field repaints whole for each key
    (578x168 px, 40 tiles, on the bench's stimulus) though one glyph differs. A region of a few
    tiles (what the capturer hands on once it narrowed the damage to the pixels that differ,
    ``agent.capture.changed_box``) compares only its own pixels in each tile: outside the
    regions ``ref`` equals ``frame``, so a tile changed exactly where its part of a region
    did, and a glyph costs a compare of its ~100 pixels instead of whole 64x64 tiles."""
    assert enc.ref is not None
    t = enc.tile
    h, w = frame.shape[:2]
    changed: set[tuple[int, int]] = set()
    for x, y, rw, rh in regions:
        x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + rw), min(h, y + rh)
        if x1 <= x0 or y1 <= y0:
            continue
        c0, r0, c1, r1 = x0 // t, y0 // t, (x1 - 1) // t + 1, (y1 - 1) // t + 1
        if (c1 - c0) * (r1 - r0) > _OWN_PIXELS_TILES:
            sub = dirty_tiles(enc.ref, frame, t, (c0, r0, c1 - c0, r1 - r0))[r0:r1, c0:c1]
            rs, cs = np.nonzero(sub)
            changed.update(zip((rs + r0).tolist(), (cs + c0).tolist(), strict=True))
        else:
            a = enc.ref.view(np.uint32)
            b = frame.view(np.uint32)
            for r in range(r0, r1):
                ys, ye = max(y0, r * t), min(y1, r * t + t)
                for c in range(c0, c1):
                    if (r, c) in changed:
                        continue
                    xs, xe = max(x0, c * t), min(x1, c * t + t)
                    if (a[ys:ye, xs:xe] != b[ys:ye, xs:xe]).any():
                        changed.add((r, c))
        if len(changed) > MAX_TINY_TILES:
            return None
    return sorted(changed)


#: Regions over at most this many tiles are compared pixel by pixel in :func:`_changed`; a
#: bigger one (a text field reported whole) tile by tile, by :func:`dirty_tiles`.
_OWN_PIXELS_TILES = 4


def _within_regions(rect: tuple[int, int, int, int],
                    regions: list[tuple[int, int, int, int]]) -> tuple[int, int, int, int]:
    """``rect`` cut to the bounding box of its overlaps with ``regions`` (every pixel that can
    differ in it; ``rect`` itself if none overlaps)."""
    x, y, w, h = rect
    bx0, by0, bx1, by1 = x + w, y + h, x, y
    for rx, ry, rw, rh in regions:
        ox0, oy0 = max(x, rx), max(y, ry)
        ox1, oy1 = min(x + w, rx + rw), min(y + h, ry + rh)
        if ox1 > ox0 and oy1 > oy0:
            bx0, by0 = min(bx0, ox0), min(by0, oy0)
            bx1, by1 = max(bx1, ox1), max(by1, oy1)
    if bx1 <= bx0:
        return rect
    return bx0, by0, bx1 - bx0, by1 - by0


def encode_small(enc: FrameEncoder, frame: np.ndarray, x: int, y: int, w: int, h: int) -> Rect:
    """``RectEncoder.encode_rect(..., quality=None)`` for a glyph-sized box: one sort finds
    whether it is solid, a palette (and its indices) or neither, where ``find_palette``'s
    sampling and hash table (made for big rects) cost a dozen numpy calls."""
    region = frame[y : y + h, x : x + w]
    if w * h > SMALL_BOX_PIXELS:
        return enc._rect_encoder.encode_rect(frame, x, y, w, h, quality=None)
    px = _as_u32(region)
    palette, inverse = _unique(px.reshape(-1))
    if palette.size == 1:
        return Rect(x, y, w, h, Encoding.SOLID.value, encode_solid(region[0, 0].tobytes()))
    if palette.size <= 256:
        return Rect(x, y, w, h, Encoding.PALETTE_ZSTD.value,
                    enc._rect_encoder.encode_palette(palette, inverse))
    return Rect(x, y, w, h, Encoding.RAW_ZSTD.value, enc._rect_encoder.encode_raw(px))


#: Boxes of at most this many pixels find their palette in plain Python (:func:`_unique`).
PY_PALETTE_PIXELS = 384


def _unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for a glyph's few hundred pixels, the inverse
    as uint8 (only used when the palette has at most 256 entries).

    Why not np.unique: in the agent a key comes tens of milliseconds after the last one, with
    the caches cold, and each distinct numpy routine then costs its code's cache misses: for
    an 8x14 glyph np.unique took ~210 us cold (23 us warm), a set and a dict over the ~100
    values ~95 us cold. Bigger boxes: one sort and four calls (np.unique makes a dozen)."""
    if values.size <= PY_PALETTE_PIXELS:
        vals = values.tolist()
        palette = sorted(set(vals))
        if len(palette) > 256:
            return np.array(palette, dtype=np.uint32), np.empty(0, dtype=np.uint8)
        index = {v: i for i, v in enumerate(palette)}
        return (np.array(palette, dtype=np.uint32),
                np.frombuffer(bytes([index[v] for v in vals]), dtype=np.uint8))
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.empty(ordered.size, dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(ordered.size, dtype=np.uint8)
    inverse[order] = np.cumsum(first) - 1  # wraps above 256 colours: unused then
    return ordered[first], inverse


def _merge(tiles: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """``shared.codec.tiles.merge_tiles`` for a few tiles given as sorted ``(row, col)``: the same
    rectangles ``(col, row, ncols, nrows)`` in the same order (runs per row, left to right, a run
    stacked on the one right above it when it spans the same columns; at most 3 tiles, so never
    over the 4-row limit)."""
    runs: list[tuple[int, int, int]] = []  # (row, c0, c1)
    for r, c in tiles:
        if runs and runs[-1][0] == r and runs[-1][2] == c:
            runs[-1] = (r, runs[-1][1], c + 1)
        else:
            runs.append((r, c, c + 1))
    rects: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}
    last_row = None
    for r, c0, c1 in runs:
        if last_row is not None and r != last_row:
            if r != last_row + 1:
                open_runs = {}
            else:
                open_runs = {k: i for k, i in open_runs.items() if rects[i][1] + rects[i][3] == r}
        idx = open_runs.get((c0, c1))
        if idx is not None:
            col, row0, ncols, nrows = rects[idx]
            rects[idx] = (col, row0, ncols, nrows + 1)
        else:
            rects.append((c0, r, c1 - c0, 1))
            open_runs[(c0, c1)] = len(rects) - 1
        last_row = r
    return rects


def encode_tiny(
    enc: FrameEncoder,
    frame: np.ndarray,
    now: float,
    regions: list[tuple[int, int, int, int]] | None,
) -> tuple[list[Rect], bool] | None:
    """What ``enc.encode(frame, now, regions)`` returns, for an update of at most
    :data:`MAX_TINY_TILES` changed tiles; None (nothing changed in ``enc``) if the plain path
    must run."""
    from shared.codec.frame import _diff_box  # the frame encoder imports this module

    ref = enc.ref
    video = enc.video
    if (regions is None or ref is None or ref.shape != frame.shape or enc._unknown
            or enc._behind or enc._pending is not None or enc._deferred is not None
            or video.policy.active
            or video.enabled is None):
        return None
    h, w = frame.shape[:2]
    if video._shape != (h, w) and video.enabled and enc.quality is not None:
        return None  # the video stage would reset itself first
    tracker = enc.tracker
    rows, cols = tracker.lossy.shape
    if tracker.lossy.any():
        return None  # a refinement may be due: the plain path scans for it
    changed = _changed(enc, frame, regions, rows, cols)
    if changed is None:
        return None
    t = enc.tile
    merged = _merge(changed)
    pixel_rects = [(c * t, r * t, min(nc * t, w - c * t), min(nr * t, h - r * t))
                   for c, r, nc, nr in merged]
    if any(rw * rh > enc.small_rect_pixels for _x, _y, rw, rh in pixel_rects):
        return None  # a big rect: JPEG and refinement bookkeeping, the plain path's job
    share = len(changed) / (rows * cols)
    if share >= video.policy.enter_share:
        return None  # a tiny screen: the video stage would count it as motion
    for r, c in changed:
        tracker.last_change[r, c] = now
    if video.enabled and enc.quality is not None:
        # the video stage's motion policy sees every frame (its history decides when to start)
        video.policy.update(now, share, False)
    rects: list[Rect] = []
    budget = enc.max_frame_bytes
    complete = True
    for x, y, rw, rh in pixel_rects:
        if budget <= 0:
            complete = False
            break
        # the pixels that differ lie inside the regions: diff only there (same box)
        cx, cy, cw, ch = _within_regions((x, y, rw, rh), regions)
        x, y, rw, rh = _diff_box(ref, frame, cx, cy, cw, ch)
        rect = encode_small(enc, frame, x, y, rw, rh)
        if len(rect.payload) > budget and rects:
            complete = False
            break
        budget -= len(rect.payload)
        rects.append(rect)
        enc._write_ref(frame, x, y, rw, rh)
    enc._behind = not complete
    enc.stats["rects"] += len(rects)
    return rects, bool(changed)
