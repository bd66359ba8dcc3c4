"""Encoders round-trip, decoders reject malformed payloads with CodecError only."""

from __future__ import annotations

import contextlib
import struct

import numpy as np
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from shared.codec import CodecError, Encoding
from shared.codec.decode import RectDecoder
from shared.codec.encode import RectEncoder, encode_copy, encode_jpeg, find_palette
from shared.errors import ProtocolError
from shared.messages import Rect

ENCODER = RectEncoder()  # one per thread: it holds the zstd contexts
DECODER = RectDecoder()


def _apply(fb: np.ndarray, r: Rect) -> None:
    DECODER.decode_rect(fb, r.x, r.y, r.w, r.h, r.encoding, r.payload)


def test_codec_error_is_protocol_error() -> None:
    assert issubclass(CodecError, ProtocolError)


def test_solid_round_trip() -> None:
    frame = np.zeros((50, 70, 4), np.uint8)
    frame[:] = (1, 2, 3, 4)
    r = ENCODER.encode_rect(frame, 5, 6, 40, 30)
    assert r.encoding == Encoding.SOLID and r.payload == b"\x01\x02\x03\x04"
    fb = np.full_like(frame, 9)
    _apply(fb, r)
    assert np.array_equal(fb[6:36, 5:45], frame[6:36, 5:45])
    assert (fb[0] == 9).all()


@pytest.mark.parametrize("w,h", [(64, 64), (1, 1), (97, 13), (1920, 40)])
def test_palette_round_trip_exact(w: int, h: int) -> None:
    frame = text_document(max(h, 40), max(w, 200))[:h, :w].copy()
    frame[0, 0] = (7, 7, 7, 7)  # never solid
    r = ENCODER.encode_rect(frame, 0, 0, w, h)
    assert r.encoding in (Encoding.PALETTE_ZSTD, Encoding.SOLID)
    fb = np.zeros_like(frame)
    _apply(fb, r)
    assert np.array_equal(fb, frame)


def test_palette_256_colours_and_257() -> None:
    px = np.arange(256, dtype=np.uint32).repeat(4).reshape(32, 32)
    pal = find_palette(px)
    assert pal is not None and pal[0].size == 256
    px2 = px.copy()
    px2[0, 0] = 999_999
    assert find_palette(px2) is None


def test_raw_round_trip_exact_lossless_mode() -> None:
    frame = photo(120, 150)
    frame[:, :, 3] = np.arange(150, dtype=np.uint8)  # alpha is carried exactly
    r = ENCODER.encode_rect(frame, 10, 20, 130, 100, quality=None)
    assert r.encoding == Encoding.RAW_ZSTD
    fb = np.zeros_like(frame)
    _apply(fb, r)
    assert np.array_equal(fb[20:120, 10:140], frame[20:120, 10:140])


def test_raw_three_channels_sets_alpha() -> None:
    pixels = np.arange(5 * 4 * 3, dtype=np.uint8).reshape(5, 4, 3)
    payload = b"\x03" + zstandard.ZstdCompressor().compress(pixels.tobytes())
    fb = np.zeros((5, 4, 4), np.uint8)
    DECODER.decode_rect(fb, 0, 0, 4, 5, Encoding.RAW_ZSTD, payload)
    assert np.array_equal(fb[:, :, :3], pixels) and (fb[:, :, 3] == 255).all()


@pytest.mark.parametrize("quality,bound", [(90, 4.0), (60, 8.0)])
def test_jpeg_within_error_bound(quality: int, bound: float) -> None:
    frame = photo(200, 300)
    r = ENCODER.encode_rect(frame, 0, 0, 300, 200, quality=quality)
    assert r.encoding == Encoding.JPEG
    fb = np.zeros_like(frame)
    _apply(fb, r)
    err = np.abs(fb[:, :, :3].astype(int) - frame[:, :, :3]).mean()
    assert err < bound
    assert (fb[:, :, 3] == 255).all()
    assert len(r.payload) < frame.nbytes / 5


def test_copy_overlapping_uses_pre_update_content() -> None:
    fb = np.arange(40 * 30 * 4, dtype=np.uint32).astype(np.uint8).reshape(40, 30, 4)
    before = fb.copy()
    DECODER.decode_rect(fb, 0, 0, 30, 30, Encoding.COPY, encode_copy(0, 5))  # scroll up by 5
    assert np.array_equal(fb[0:30], before[5:35])
    fb = before.copy()
    DECODER.decode_rect(fb, 0, 5, 30, 30, Encoding.COPY, encode_copy(0, 0))  # scroll down by 5
    assert np.array_equal(fb[5:35], before[0:30])
    fb = before.copy()
    DECODER.decode_rect(fb, 3, 0, 20, 40, Encoding.COPY, encode_copy(0, 0))  # sideways overlap
    assert np.array_equal(fb[:, 3:23], before[:, 0:20])


BAD = [
    (0, 0, 10, 10, Encoding.SOLID, b"\x00\x00\x00"),
    (0, 0, 10, 10, Encoding.COPY, struct.pack("<II", 15, 0)),
    (0, 0, 10, 10, Encoding.COPY, b"\x00" * 7),
    (0, 0, 0, 10, Encoding.SOLID, b"\x00" * 4),
    (-1, 0, 10, 10, Encoding.SOLID, b"\x00" * 4),
    (15, 0, 10, 10, Encoding.SOLID, b"\x00" * 4),
    (0, 0, 10, 10, 99, b""),
    (0, 0, 10, 10, Encoding.RAW_ZSTD, b"\x05"),
    (0, 0, 10, 10, Encoding.RAW_ZSTD, b"\x04" + zstandard.ZstdCompressor().compress(b"x" * 399)),
    (0, 0, 10, 10, Encoding.PALETTE_ZSTD, b"\x03" + b"\x00" * 8),
    (0, 0, 10, 10, Encoding.JPEG, b"\xff\xd8garbage"),
    (0, 0, 10, 10, Encoding.JPEG, encode_jpeg(np.zeros((11, 10, 4), np.uint8), 80)),
]


@pytest.mark.parametrize("rect", BAD)
def test_malformed_rects_raise_codec_error(rect: tuple) -> None:
    fb = np.zeros((20, 20, 4), np.uint8)
    with pytest.raises(CodecError):
        DECODER.decode_rect(fb, *rect)


def test_zstd_bomb_is_capped() -> None:
    bomb = zstandard.ZstdCompressor().compress(b"\x00" * (64 * 1024 * 1024))
    fb = np.zeros((16, 16, 4), np.uint8)
    with pytest.raises(CodecError):
        DECODER.decode_rect(fb, 0, 0, 16, 16, Encoding.RAW_ZSTD, b"\x04" + bomb)
    with pytest.raises(CodecError):
        DECODER.decode_rect(fb, 0, 0, 16, 16, Encoding.PALETTE_ZSTD, b"\x00abcd" + bomb)


def test_palette_index_beyond_palette() -> None:
    idx = np.full(16, 2, np.uint8)
    payload = b"\x01" + b"\x00" * 8 + zstandard.ZstdCompressor().compress(idx.tobytes())
    with pytest.raises(CodecError):
        DECODER.decode_rect(np.zeros((4, 4, 4), np.uint8), 0, 0, 4, 4, Encoding.PALETTE_ZSTD,
                            payload)


def _valid_payloads() -> list[bytes]:
    frame = photo(16, 16)
    pal = find_palette(text_document(40, 200)[:16, 60:76].view(np.uint32)[..., 0])
    assert pal is not None
    return [ENCODER.encode_raw(frame), ENCODER.encode_palette(*pal), encode_jpeg(frame, 70),
            encode_copy(1, 2)]


@settings(max_examples=300, deadline=None)
@given(
    enc=st.integers(min_value=-2, max_value=8),
    payload=st.one_of(
        st.binary(max_size=300),
        st.sampled_from(_valid_payloads()).flatmap(
            lambda p: st.tuples(st.integers(0, len(p)), st.binary(max_size=8)).map(
                lambda cut: p[: cut[0]] + cut[1] + p[cut[0] + len(cut[1]) :]
            )
        ),
    ),
    x=st.integers(-2, 20),
    y=st.integers(-2, 20),
    w=st.integers(-1, 20),
    h=st.integers(-1, 20),
)
def test_arbitrary_bytes_raise_only_codec_error(
    enc: int, payload: bytes, x: int, y: int, w: int, h: int
) -> None:
    fb = np.zeros((16, 16, 4), np.uint8)
    with contextlib.suppress(CodecError):  # anything else propagates and fails the test
        DECODER.decode_rect(fb, x, y, w, h, enc, payload)
