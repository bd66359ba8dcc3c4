"""Codec paths the round-trip tests do not reach: caller mistakes that must be loud, hostile
rectangles that must be a CodecError, the palette search's exact fallback, and the small-input
corners of scroll detection and refinement.
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from shared.codec import (
    MAX_JPEG_PIXELS,
    MAX_RECTS,
    CodecError,
    Encoding,
    FrameBudget,
    ResourceLimit,
)
from shared.codec.decode import RectDecoder
from shared.codec.encode import RectEncoder, encode_solid, find_palette
from shared.codec.refine import RefinementTracker
from shared.codec.scroll import Move, apply_moves, detect_moves
from shared.codec.tiles import dirty_tiles

ENCODER = RectEncoder()  # one per thread: it holds the zstd contexts
DECODER = RectDecoder()

# ------------------------------------------------------------------ encoder: caller mistakes


def test_encoder_rejects_what_no_payload_can_hold() -> None:
    with pytest.raises(ValueError, match="4 bytes"):
        encode_solid(b"\x00\x01\x02")
    with pytest.raises(ValueError, match="uint32"):
        find_palette(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match=r"1\.\.256"):
        ENCODER.encode_palette(np.arange(257, dtype=np.uint32), np.zeros(4, np.uint8))
    with pytest.raises(ValueError, match=r"1\.\.256"):
        ENCODER.encode_palette(np.zeros(0, dtype=np.uint32), np.zeros(4, np.uint8))
    assert encode_solid(np.array([1, 2, 3, 4], np.uint8)) == b"\x01\x02\x03\x04"


def _sample_misses_colours(late_colours: int) -> np.ndarray:
    """1024x1024 uint32 pixels whose strided sample (every 256th pixel) sees only colour 0, and
    whose unsampled pixels bring new colours in blocks of > 65536, so each round of the palette
    search finds only the next one; after the rounds ``late_colours`` more appear."""
    flat = np.empty(1024 * 1024, np.uint32)
    flat[:70_000] = 1
    flat[70_000:140_000] = 2
    flat[140_000:210_000] = 3
    flat[210_000:] = 4 + np.arange(flat.size - 210_000, dtype=np.uint32) % late_colours
    flat[::256] = 0
    return flat.reshape(1024, 1024)


def test_palette_search_falls_back_to_the_exact_count() -> None:
    """The sampling rounds miss colours, so the exact count decides: <= 256 colours is still a
    palette (and the indices reproduce every pixel), 257 or more is not."""
    px = _sample_misses_colours(200)
    found = find_palette(px)
    assert found is not None
    palette, idx = found
    assert palette.size == 4 + 200
    assert np.array_equal(palette[idx].reshape(px.shape), px)
    assert find_palette(_sample_misses_colours(252)) is not None  # exactly 256
    assert find_palette(_sample_misses_colours(253)) is None  # 257


def test_lossless_mode_never_uses_jpeg() -> None:
    frame = photo(40, 50)
    rect = ENCODER.encode_rect(frame, 0, 0, 50, 40, quality=None)
    assert rect.encoding == Encoding.RAW_ZSTD
    fb = np.zeros_like(frame)
    DECODER.decode_rect(fb, 0, 0, 50, 40, rect.encoding, rect.payload)
    assert np.array_equal(fb, frame)


# ------------------------------------------------------------------ decoder: hostile rectangles


@pytest.mark.parametrize("coords", [(0.0, 0, 4, 4), (0, 0, 4.5, 4), (0, 0, 4, "4")])
def test_non_integer_coordinates_are_a_codec_error(coords: tuple[Any, Any, Any, Any]) -> None:
    fb = np.zeros((8, 8, 4), np.uint8)
    with pytest.raises(CodecError, match="integers"):
        DECODER.decode_rect(fb, *coords, Encoding.SOLID, b"\x00" * 4)


def test_payload_that_is_not_bytes_is_a_codec_error() -> None:
    fb = np.zeros((8, 8, 4), np.uint8)
    with pytest.raises(CodecError, match="must be bytes"):
        DECODER.decode_rect(fb, 0, 0, 4, 4, Encoding.SOLID, [0, 0, 0, 0])  # type: ignore[arg-type]


def test_empty_or_truncated_palette_is_a_codec_error() -> None:
    fb = np.zeros((8, 8, 4), np.uint8)
    with pytest.raises(CodecError, match="PALETTE_ZSTD payload is empty"):
        DECODER.decode_rect(fb, 0, 0, 4, 4, Encoding.PALETTE_ZSTD, b"")
    with pytest.raises(CodecError, match="palette is truncated"):
        DECODER.decode_rect(fb, 0, 0, 4, 4, Encoding.PALETTE_ZSTD, b"\x03" + b"\x00" * 12)
    assert not fb.any()


def test_palette_index_beyond_the_palette_is_a_codec_error() -> None:
    fb = np.zeros((4, 4, 4), np.uint8)
    indices = zstandard.ZstdCompressor().compress(bytes([0] * 15 + [2]))
    payload = b"\x01" + b"\x11\x22\x33\xff" * 2 + indices  # two colours, index 2 used
    with pytest.raises(CodecError, match="index beyond the palette"):
        DECODER.decode_rect(fb, 0, 0, 4, 4, Encoding.PALETTE_ZSTD, payload)


def test_corrupt_zstd_data_is_a_codec_error() -> None:
    fb = np.zeros((4, 4, 4), np.uint8)
    good = zstandard.ZstdCompressor().compress(bytes(64))
    with pytest.raises(CodecError, match="corrupt zstd data"):
        DECODER.decode_rect(fb, 0, 0, 4, 4, Encoding.RAW_ZSTD, b"\x04" + good[:4] + b"\xff" * 20)


def test_three_channel_raw_rect_is_opaque() -> None:
    fb = np.zeros((2, 3, 4), np.uint8)
    rgb = bytes(range(18))
    DECODER.decode_rect(fb, 0, 0, 3, 2, Encoding.RAW_ZSTD,
                b"\x03" + zstandard.ZstdCompressor().compress(rgb))
    assert fb[..., :3].tobytes() == rgb and (fb[..., 3] == 255).all()


def test_copy_from_a_separate_block_and_onto_itself() -> None:
    """COPY from a block that does not overlap its destination, and one that does (down and
    up): the result is what the agent's screen shows, a moved block."""
    frame = text_document(96, 256)
    for src, dst in (((0, 0), (64, 48)), ((10, 5), (10, 40)), ((3, 40), (3, 2))):
        fb = frame.copy()
        expect = frame.copy()
        expect[dst[1] : dst[1] + 40, dst[0] : dst[0] + 60] = frame[src[1] : src[1] + 40,
                                                                  src[0] : src[0] + 60]
        DECODER.decode_rect(fb, dst[0], dst[1], 60, 40, Encoding.COPY, struct.pack("<II", *src))
        assert np.array_equal(fb, expect)


@settings(max_examples=150, deadline=None)
@given(x=st.integers(-2, 20), y=st.integers(-2, 20), w=st.integers(-1, 20),
       h=st.integers(-1, 20), encoding=st.integers(-1, 8), payload=st.binary(max_size=40))
def test_any_rect_header_and_payload_is_applied_or_a_codec_error(
        x: int, y: int, w: int, h: int, encoding: int, payload: bytes) -> None:
    """Whatever a hostile agent puts in a rect: CodecError, or it lay inside the frame."""
    fb = np.zeros((16, 16, 4), np.uint8)
    try:
        DECODER.decode_rect(fb, x, y, w, h, encoding, payload)
    except CodecError:
        return
    assert x >= 0 and y >= 0 and x + w <= 16 and y + h <= 16 and w >= 1 and h >= 1


# ------------------------------------------------------------------ budgets


def test_a_jpeg_rect_larger_than_the_jpeg_budget_is_refused_from_its_header() -> None:
    budget = FrameBudget(8192, 2048)
    budget.add(8192, 2048, Encoding.SOLID)  # a solid rect that size is cheap: fine
    side = int(MAX_JPEG_PIXELS ** 0.5)
    FrameBudget(8192, 2048).add(side, side, Encoding.JPEG)  # the largest allowed
    with pytest.raises(ResourceLimit, match="JPEG rectangle"):
        FrameBudget(8192, 2048).add(side, side + 1, Encoding.JPEG)


# ------------------------------------------------------------------ scroll detection, tiles


def test_scroll_detection_finds_nothing_where_nothing_can_be_found() -> None:
    doc = text_document(400, 200)
    prev, cur = doc[0:300].copy(), doc[20:320].copy()
    assert detect_moves(prev, cur)  # the real scroll is found ...
    assert detect_moves(prev[:16], cur[:16]) == []  # ... not in fewer rows than min_rows
    assert detect_moves(prev, cur, max_shift=0) == []  # ... nor with no shift allowed
    assert detect_moves(prev, cur, region=(0, 0, 0, 300)) == []  # ... nor in an empty region
    with pytest.raises(ValueError, match="shapes differ"):
        detect_moves(prev, cur[:-1])
    with pytest.raises(ValueError, match="shapes differ"):
        dirty_tiles(prev, cur[:-1])


@pytest.mark.parametrize("band", [16, 100])
def test_scroll_in_a_window_narrower_or_wider_than_a_band(band: int) -> None:
    """Narrow strips (a single partial band) and bands wider than the default hash width."""
    doc = photo(600, 48) if band == 100 else text_document(600, 200)
    prev, cur = doc[100:400].copy(), doc[130:430].copy()
    moves = detect_moves(prev, cur, band=band)
    assert moves and all(m.y - m.src_y == -30 for m in moves)


def test_refinement_ignores_moves_of_exact_tiles_and_carries_lossy_ones() -> None:
    tr = RefinementTracker((4, 4), 64)
    tr.note_move(Move(0, 64, 128, 64, 0, 0))  # nothing lossy anywhere: nothing changes
    assert not tr.any_lossy
    tr.note_sent(0, 0, 64, 64, lossy=True)
    tr.note_move(Move(0, 64, 64, 64, 0, 0))
    assert tr.lossy[1, 0] and tr.lossy[0, 0]


def test_rect_count_budget_counts_every_rect_even_tiny_ones() -> None:
    """The agent may build an update from rects (FrameUpdate checks the same budget): the
    MAX_RECTS + 1st one is refused however small."""
    budget = FrameBudget(4096, 4096)
    for _ in range(MAX_RECTS):
        budget.add(1, 1, Encoding.SOLID)
    with pytest.raises(ResourceLimit, match=f"more than {MAX_RECTS} rectangles"):
        budget.add(1, 1, Encoding.SOLID)


def test_a_static_striped_area_is_not_moved_onto_itself() -> None:
    """Beside a scrolling document, a background striped with the scroll's period matches the
    shift too, but it has not changed: no COPY is made for it (it would only cost bytes)."""
    photo_rows = photo(340, 64)
    stripes = np.repeat((np.arange(300) % 20 * 12).astype(np.uint8), 64 * 4).reshape(300, 64, 4)
    stripes[290:] = 255  # a footer: the stripes' match is shorter than the document's
    prev = np.concatenate((photo_rows[0:300], stripes), axis=1)
    cur = np.concatenate((photo_rows[20:320], stripes), axis=1)
    moves = detect_moves(prev, cur)
    assert moves and all(m.x == 0 and m.w == 64 and m.y - m.src_y == -20 for m in moves)
    fixed = prev.copy()
    apply_moves(fixed, moves)
    assert np.array_equal(fixed[:280], cur[:280])
