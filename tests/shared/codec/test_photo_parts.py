"""A photograph in a strip of text: JPEG for the photograph only, the text exact (issue 16,
dsl19). The strip a scroll exposes spans the document's width; before, a photograph in it made
the whole strip one JPEG, text included, which was most of a scroll update's bytes on a
4 Mbit/s line and blurred the text until it was refined."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from bench.scroll_bytes import H, W, photo_doc
from shared.codec import Encoding
from shared.codec.encode import RectEncoder, busy_tiles
from shared.codec.frame import FrameEncoder
from shared.codec.tiles import TILE
from tests.shared.codec.test_frame import Screen

DOC, MASK = photo_doc()


def scroll(enc: FrameEncoder, step: int, frames: int,
           screen: Screen | None = None) -> tuple[int, list[int]]:
    """Scroll the document ``step`` rows an update; bytes in all, and the update offsets."""
    first, _ = enc.encode(DOC[0:H].copy(), 0.0)
    if screen is not None:
        screen.apply(W, H, first)
    total, offsets = 0, []
    for i in range(1, frames + 1):
        o = i * step
        rects, _ = enc.encode(DOC[o : o + H].copy(), i / 20)
        total += sum(len(r.payload) + 16 for r in rects)
        offsets.append(o)
        if screen is not None:
            screen.apply(W, H, rects)
    return total, offsets


def test_text_beside_a_scrolled_photo_stays_exact_and_costs_less() -> None:
    """21 updates a second of g2g's 60 Hz scroll (114 rows each) at the default quality: the
    text the scroll exposes is exact on the console at once, except in the 64x64 tiles that
    hold photograph pixels, and the updates are at least a fifth smaller than one JPEG per
    strip (before: 43.4 kB an update in this picture, now 31.0 kB)."""
    step = 114
    enc, screen = FrameEncoder(quality=75), Screen()
    _total, offsets = scroll(enc, step, 24, screen)
    o = offsets[-1]
    frame = DOC[o : o + H]
    exposed = np.zeros((H, W), bool)
    exposed[H - step :] = True
    tiles = np.logical_or.reduceat(np.logical_or.reduceat(
        MASK[o : o + H], np.arange(0, H, TILE), axis=0), np.arange(0, W, TILE), axis=1)
    near_photo = np.repeat(np.repeat(tiles, TILE, 0), TILE, 1)[:H, :W]
    text = exposed & ~near_photo
    assert text.sum() > 0.5 * exposed.sum()
    assert (screen.array[text] == frame[text]).all()
    split, _ = scroll(FrameEncoder(quality=75), step, 24)
    whole_enc = FrameEncoder(quality=75)
    whole_enc.split_photos = False
    whole, _ = scroll(whole_enc, step, 24)
    assert split <= 0.8 * whole, (split, whole)


def test_the_picture_converges_to_exact_once_the_scroll_rests() -> None:
    enc, screen = FrameEncoder(quality=30, refine_delay=0.3), Screen()
    _total, offsets = scroll(enc, 114, 10, screen)
    frame = DOC[offsets[-1] : offsets[-1] + H].copy()
    assert not np.array_equal(screen.array, frame)  # the photographs went lossy
    now = 10 / 20
    for k in range(1, 40):
        rects, _ = enc.encode(frame, now + 0.35 * k)
        screen.apply(W, H, rects)
        if not enc.tracker.any_lossy:
            break
    assert np.array_equal(screen.array, frame)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 300), st.integers(0, 200),  # the photograph's place
    st.integers(8, 300), st.integers(8, 200),  # its size
    st.integers(0, 100), st.integers(0, 100),  # the rect's origin
    st.integers(64, 400), st.integers(64, 300),  # its size
    st.sampled_from([16, 32, 64]),
)
def test_the_parts_cover_the_rect_once_and_only_the_photo_is_lossy(
        px: int, py: int, pw: int, ph: int, x: int, y: int, w: int, h: int, tile: int) -> None:
    """Against the real decoder: the parts do not overlap and cover the rect exactly, every
    pixel outside the JPEG parts is exact, and a JPEG part holds photograph pixels."""
    fh, fw = 420, 520
    frame = text_document(fh, fw, seed=px + py)
    pw, ph = min(pw, fw - px), min(ph, fh - py)
    frame[py : py + ph, px : px + pw] = photo(ph, pw, seed=pw)
    mask = np.zeros((fh, fw), bool)
    mask[py : py + ph, px : px + pw] = True
    parts = RectEncoder().encode_parts(frame, x, y, w, h, quality=40, tile=tile)
    cover = np.zeros((fh, fw), np.int8)
    for p in parts:
        cover[p.y : p.y + p.h, p.x : p.x + p.w] += 1
    inside = np.zeros((fh, fw), bool)
    inside[y : y + h, x : x + w] = True
    assert (cover[inside] == 1).all() and (cover[~inside] == 0).all()
    screen = Screen()
    screen.apply(fw, fh, parts)
    lossy = np.zeros((fh, fw), bool)
    for p in parts:
        if p.encoding == Encoding.JPEG:
            lossy[p.y : p.y + p.h, p.x : p.x + p.w] = True
            assert mask[p.y : p.y + p.h, p.x : p.x + p.w].any()
    exact = inside & ~lossy
    assert (screen.array[exact] == frame[exact]).all()


@pytest.mark.parametrize("tile", [32, 64])
def test_busy_tiles_sees_a_photograph_edge(tile: int) -> None:
    """A tile crossed by only a few rows of photograph counts as photo-like, so the exact part
    around the photograph's box holds no photograph pixels (they would make it JPEG)."""
    frame = text_document(256, 256)
    frame[tile - 6 : 190, 10:180] = photo(190 - tile + 6, 170)  # 6 rows in the top tiles
    busy = busy_tiles(frame.view(np.uint32)[..., 0], 0, 0, tile)
    assert busy[0, 1] and busy[1, 1]
    assert not busy[:, -1].any() and not busy[-1].any()


def test_lossless_and_many_colours_without_a_photo_keep_one_rect() -> None:
    """Lossless stays one exact rect; many colours spread thin (a gradient, no tile busy)
    stay one JPEG, as before."""
    enc = RectEncoder()
    frame = np.zeros((128, 512, 4), np.uint8)
    frame[..., 0] = np.arange(512) // 2  # 256 blues, 2 columns each, a few per tile
    frame[..., 1] = np.arange(128)[:, None] // 64
    frame[..., 3] = 255
    (lossless,) = enc.encode_parts(frame, 0, 0, 512, 128, quality=None, tile=64)
    assert lossless.encoding == Encoding.RAW_ZSTD
    (jpeg,) = enc.encode_parts(frame, 0, 0, 512, 128, quality=60, tile=64)
    assert jpeg.encoding == Encoding.JPEG and (jpeg.w, jpeg.h) == (512, 128)
