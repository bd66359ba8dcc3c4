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
from shared.messages import Rect

H, W = 576, 768  # 9 x 12 tiles
DOC = (24, 200, 704, 352)  # x, y, w, h: 50 % of the screen
WIDGET = (400, 16, 96, 24)
_PAGE = text_document(3000, DOC[2], seed=5)
_PAGE[700:900, 40:400] = photo(200, 360, seed=6)


def _screen(offset: int, tick: int) -> np.ndarray:
    frame = np.full((H, W, 4), 230, dtype=np.uint8)
    x, y, w, h = DOC
    frame[y : y + h, x : x + w] = _PAGE[offset : offset + h]
    wx, wy, ww, wh = WIDGET
    frame[wy : wy + wh, wx : wx + ww] = (tick * 37) % 256
    return frame


def _apply(dec: RectDecoder, fb: np.ndarray, rects: list[Rect]) -> None:
    for r in rects:
        dec.decode_rect(fb, r.x, r.y, r.w, r.h, r.encoding, r.payload)


def _check(enc: FrameEncoder, fb: np.ndarray, frame: np.ndarray) -> None:
    wrong = np.nonzero((fb != frame).any(axis=2))
    t = enc.tile
    assert not any(not enc.tracker.lossy[y // t, x // t] for y, x in zip(*wrong, strict=True))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.integers(-90, 90), min_size=1, max_size=8),
       quality=st.sampled_from([75, None]), widget=st.booleans())
def test_region_scrolls_decode_exactly(steps: list[int], quality: int | None,
                                       widget: bool) -> None:
    enc = FrameEncoder(quality=quality)
    dec = RectDecoder()
    fb = np.zeros((H, W, 4), dtype=np.uint8)
    offset, tick, now = 1000, 0, 0.0
    frame = _screen(offset, tick)
    _apply(dec, fb, enc.encode(frame.copy(), now)[0])
    for dy in steps:
        offset = min(max(0, offset + dy), _PAGE.shape[0] - DOC[3])
        regions = [DOC]
        if widget:
            tick += 1
            regions.append(WIDGET)
        frame = _screen(offset, tick)
        now += 1 / 60
        rects, _changed = enc.encode(frame.copy(), now, regions)
        _apply(dec, fb, rects)
        _check(enc, fb, frame)
    for k in range(1, 4):  # at rest: refinement makes it exact
        _apply(dec, fb, enc.encode(frame.copy(), now + k, [])[0])
    assert np.array_equal(fb, frame)


def test_a_region_scroll_reads_the_document_twice_not_three_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Pixels of the frame that the change detection reads per scroll update: the row hashes
    of the document's rows and one exact diff of them (with the moves). Before, the regions
    went through a tile diff, then the hashes, then the diff after the moves: three passes."""
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
    enc = FrameEncoder(quality=75)
    enc.encode(_screen(1000, 0), 0.0)
    enc.encode(_screen(1040, 1), 0.1, [DOC, WIDGET])
    read["px"] = 0
    rects, _ = enc.encode(_screen(1080, 2), 0.2, [DOC, WIDGET])
    assert any(r.encoding == Encoding.COPY.value for r in rects)
    doc_rows = (DOC[3] + 64) * W  # its tile rows, the whole width
    assert read["px"] <= 2 * doc_rows + 4 * 64 * 64


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
