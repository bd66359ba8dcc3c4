"""Console framebuffer: applies updates in order, reports damage, rejects bad input."""

from __future__ import annotations

import numpy as np
import pytest

from console.framebuffer import Framebuffer
from shared.codec import CodecError, Encoding
from shared.codec.encode import RectEncoder, encode_copy
from shared.messages import Rect

ENCODER = RectEncoder()  # one per thread: it holds the zstd contexts


def test_resize_and_damage() -> None:
    fb = Framebuffer()
    src = np.zeros((20, 30, 4), np.uint8)
    src[:] = (9, 8, 7, 255)
    r = ENCODER.encode_rect(src, 0, 0, 30, 20)
    assert fb.apply(30, 20, [r], seq=1) == [(0, 0, 30, 20)]
    assert np.array_equal(fb.array, src) and fb.last_seq == 1
    r2 = Rect(2, 3, 4, 5, Encoding.SOLID.value, b"\x01\x02\x03\xff")
    r3 = Rect(0, 0, 4, 5, Encoding.COPY.value, encode_copy(2, 3))
    assert fb.apply(30, 20, [r2, r3]) == [(2, 3, 4, 5), (0, 0, 4, 5)]
    assert (fb.array[0:5, 0:4] == (1, 2, 3, 255)).all()
    assert Framebuffer.bounding([(2, 3, 4, 5), (0, 0, 4, 5)]) == (0, 0, 6, 8)


@pytest.mark.parametrize("size", [(0, 10), (10, 0), (100_000, 10), (-1, 5)])
def test_bad_sizes(size: tuple[int, int]) -> None:
    with pytest.raises(CodecError):
        Framebuffer().apply(*size, [])


def test_bad_rect() -> None:
    fb = Framebuffer(10, 10)
    with pytest.raises(CodecError):
        fb.apply(10, 10, [Rect(5, 5, 10, 10, Encoding.SOLID.value, b"\0\0\0\0")])
