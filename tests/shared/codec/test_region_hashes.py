"""A document scrolling in part of the screen, with its damage regions (issue 16, scrollcpu20):
the frame encoder finds the scroll from the row hashes of the document's rows alone and diffs
them once, and the console's picture is exact wherever no JPEG waits for refinement, and
exact at rest. No X needed: the frames are numpy-made, the console is the real decoder."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from shared.codec import Encoding
from shared.codec import frame as frame_mod
from shared.codec.decode import RectDecoder
from shared.codec.frame import FrameEncoder
from shared.codec.scroll import band_row_hashes
from shared.messages import Rect

H, W = 576, 768  # 9 x 12 tiles
DOC = (24, 200, 704, 352)  # x, y, w, h: 50 % of the screen
WIDGET = (400, 16, 96, 24)
#: A window in the right half (a browser beside a mail list) and a clock beside it in its rows
NARROW_DOC = (330, 120, 420, 400)
SIDE_WIDGET = (40, 300, 120, 30)
_PAGE = text_document(3000, DOC[2], seed=5)
_PAGE[700:900, 40:400] = photo(200, 360, seed=6)


def _screen(offset: int, tick: int, doc: tuple[int, int, int, int] = DOC,
            widget: tuple[int, int, int, int] = WIDGET) -> np.ndarray:
    frame = np.full((H, W, 4), 230, dtype=np.uint8)
    x, y, w, h = doc
    frame[y : y + h, x : x + w] = _PAGE[offset : offset + h, :w]
    wx, wy, ww, wh = widget
    frame[wy : wy + wh, wx : wx + ww] = (tick * 37) % 256
    return frame


def _apply(dec: RectDecoder, fb: np.ndarray, rects: list[Rect]) -> None:
    for r in rects:
        dec.decode_rect(fb, r.x, r.y, r.w, r.h, r.encoding, r.payload)


def _check(enc: FrameEncoder, fb: np.ndarray, frame: np.ndarray) -> None:
    wrong = np.nonzero((fb != frame).any(axis=2))
    t = enc.tile
    assert not any(not enc.tracker.lossy[y // t, x // t] for y, x in zip(*wrong, strict=True))
    # the cached row hashes are the reference's wherever they are not marked stale
    if enc._hashes is not None and enc.ref is not None:
        fresh = ~enc._stale
        truth = band_row_hashes(enc.ref.view(np.uint32)[..., 0])
        assert np.array_equal(enc._hashes[fresh], truth[fresh])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.integers(-90, 90), min_size=1, max_size=8),
       quality=st.sampled_from([75, None]), widget=st.booleans(), narrow=st.booleans())
def test_region_scrolls_decode_exactly(steps: list[int], quality: int | None,
                                       widget: bool, narrow: bool) -> None:
    """Also for a window in part of the screen's width with a change beside it in its rows:
    only the window's columns are hashed and diffed, the change beside is not missed."""
    doc, side = (NARROW_DOC, SIDE_WIDGET) if narrow else (DOC, WIDGET)
    enc = FrameEncoder(quality=quality)
    dec = RectDecoder()
    fb = np.zeros((H, W, 4), dtype=np.uint8)
    offset, tick, now = 1000, 0, 0.0
    frame = _screen(offset, tick, doc, side)
    _apply(dec, fb, enc.encode(frame.copy(), now)[0])
    for dy in steps:
        offset = min(max(0, offset + dy), _PAGE.shape[0] - doc[3])
        regions = [doc]
        if widget:
            tick += 1
            regions.append(side)
        frame = _screen(offset, tick, doc, side)
        now += 1 / 60
        rects, _changed = enc.encode(frame.copy(), now, regions)
        _apply(dec, fb, rects)
        _check(enc, fb, frame)
    for k in range(1, 4):  # at rest: refinement makes it exact
        _apply(dec, fb, enc.encode(frame.copy(), now + k, [])[0])
    assert np.array_equal(fb, frame)


@pytest.mark.parametrize("narrow", [False, True])
def test_a_region_scroll_reads_the_document_twice_not_three_times(
        monkeypatch: pytest.MonkeyPatch, narrow: bool) -> None:
    """Pixels of the frame that the change detection reads per scroll update: the row hashes
    of the document's rows and one exact diff of them (with the moves). Before, the regions
    went through a tile diff, then the hashes, then the diff after the moves: three passes.
    A window in part of the width is read in its own tile columns, not the screen's width."""
    read = {"px": 0}

    def counting(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if name == "band_row_hashes":
                read["px"] += args[0].size
            elif name == "dirty_tiles":
                area = args[3] if len(args) > 3 else kwargs.get("area")
                t = args[2] if len(args) > 2 else 64
                if area is None:
                    read["px"] += args[1].shape[0] * args[1].shape[1]
                else:
                    read["px"] += area[2] * t * area[3] * t
            else:  # or_block_diff
                read["px"] += args[4][2] * args[4][3]
            return fn(*args, **kwargs)
        return wrapper

    for name in ("band_row_hashes", "dirty_tiles", "or_block_diff"):
        monkeypatch.setattr(frame_mod, name, counting(name, getattr(frame_mod, name)))
    doc, side = (NARROW_DOC, SIDE_WIDGET) if narrow else (DOC, WIDGET)
    enc = FrameEncoder(quality=75)
    enc.encode(_screen(1000, 0, doc, side), 0.0)
    enc.encode(_screen(1040, 1, doc, side), 0.1, [doc, side])
    read["px"] = 0
    rects, _ = enc.encode(_screen(1080, 2, doc, side), 0.2, [doc, side])
    assert any(r.encoding == Encoding.COPY.value for r in rects)
    x0, x1 = doc[0] // 64 * 64, min(W, (doc[0] + doc[2] + 63) // 64 * 64)
    y0, y1 = doc[1] // 64 * 64, (doc[1] + doc[3] + 63) // 64 * 64
    doc_box = (y1 - y0) * (x1 - x0)  # its tile rows and tile columns
    # and the change beside it: its tiles, and its rows' hashes once more (they are stale)
    sx, sy, sw, sh = side
    tiles = ((sx + sw + 63) // 64 - sx // 64) * ((sy + sh + 63) // 64 - sy // 64)
    beside = tiles * 64 * 64 + (sh * W if narrow else 0)
    assert read["px"] <= 2 * doc_box + beside


def test_a_scroll_at_six_speeds_votes_only_while_it_learns_them(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A wheel scroll of 1-3 lines a tick, grabbed once or twice a tick, moves 1-6 lines an
    update: once each shift was seen, the recent ones explain every update and the vote (a
    sort of every row's hash) is skipped. With three recent shifts kept, a cycle of six voted
    every time."""
    from shared.codec import scroll

    votes = {"n": 0}
    real = scroll._candidates

    def counting(*args: Any, **kwargs: Any) -> Any:
        votes["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(scroll, "_candidates", counting)
    enc = FrameEncoder(quality=75)
    dec = RectDecoder()
    fb = np.zeros((H, W, 4), dtype=np.uint8)
    offset = 200
    frame = _screen(offset, 0)
    _apply(dec, fb, enc.encode(frame.copy(), 0.0)[0])
    for i in range(24):
        offset += 9 * (1 + i % 6)  # 9-row lines
        frame = _screen(offset, 0)
        _apply(dec, fb, enc.encode(frame.copy(), (i + 1) / 60, [DOC])[0])
        _check(enc, fb, frame)
    assert enc.stats["moves"] >= 24
    assert votes["n"] <= 8


@settings(max_examples=200, deadline=None)
@given(regions=st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90), st.integers(1, 40),
                                  st.integers(1, 40)), max_size=4),
       box=st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(1, 60),
                     st.integers(1, 60)))
def test_outside_box_is_each_region_less_the_box(
        regions: list[tuple[int, int, int, int]], box: tuple[int, int, int, int]) -> None:
    """What the hashed box leaves to the tile diff: every pixel of the regions outside the box,
    none inside it, each once."""
    x0, y0, bw, bh = box
    b = (x0, y0, x0 + bw, y0 + bh)
    want = np.zeros((140, 140), dtype=np.int32)
    for x, y, w, h in regions:
        want[y : y + h, x : x + w] = 1
    want[y0 : y0 + bh, x0 : x0 + bw] = 0
    got = np.zeros_like(want)
    for region in regions:
        once = np.zeros_like(want)
        for x, y, w, h in frame_mod._outside_box([region], b):
            assert w > 0 and h > 0
            once[y : y + h, x : x + w] += 1
        assert once.max(initial=0) <= 1  # a region's parts never overlap
        got += once
    assert np.array_equal(got > 0, want > 0)
