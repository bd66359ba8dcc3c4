"""Windows cursor bitmaps → RGBA (agent.platform.windows_cursor.cursor_rgba), tested with
hand-made bitmaps in the layouts GetDIBits returns (the real read runs on the Windows runner:
tests/platform/test_windows_cursor.py)."""

from __future__ import annotations

import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.platform.windows_cursor import (
    CursorImageError,
    check_cursor_size,
    cursor_rgba,
    mask_stride,
)


def mask_rows(rows: list[str]) -> bytes:
    """'1'/'0' strings → a 1-bit DIB, most significant bit first, rows padded to 32 bits."""
    width = len(rows[0])
    out = b""
    for row in rows:
        value = int(row.ljust(mask_stride(width) * 8, "0"), 2)
        out += value.to_bytes(mask_stride(width), "big")
    return out


def pixels(rgba: bytes, width: int) -> list[tuple[int, ...]]:
    arr = np.frombuffer(rgba, dtype=np.uint8).reshape(-1, 4)
    return [tuple(int(v) for v in p) for p in arr]


def bgra(*pix: tuple[int, int, int, int]) -> bytes:
    """(r, g, b, a) pixels → GetDIBits' 32-bit BGRA bytes."""
    return b"".join(struct.pack("BBBB", b, g, r, a) for r, g, b, a in pix)


def test_mask_stride_pads_rows_to_32_bits():
    assert [mask_stride(w) for w in (1, 31, 32, 33, 256)] == [4, 4, 4, 8, 32]


def test_colour_with_alpha_is_taken_as_it_is():
    color = bgra((255, 0, 0, 255), (0, 255, 0, 128), (0, 0, 255, 0), (10, 20, 30, 64))
    mask = mask_rows(["11", "11"])  # ignored when the colour has alpha
    assert pixels(cursor_rgba(2, 2, color, mask), 2) == [
        (255, 0, 0, 255), (0, 255, 0, 128), (0, 0, 255, 0), (10, 20, 30, 64)]


def test_colour_without_alpha_takes_the_and_mask():
    # opaque red, transparent (mask 1, black), inverted (mask 1, colour not black), opaque white
    color = bgra((255, 0, 0, 0), (0, 0, 0, 0), (255, 255, 255, 0), (255, 255, 255, 0))
    mask = mask_rows(["01", "10"])
    assert pixels(cursor_rgba(2, 2, color, mask), 2) == [
        (255, 0, 0, 255), (0, 0, 0, 0), (0, 0, 0, 255), (255, 255, 255, 255)]


def test_monochrome_cursor_and_above_xor():
    # AND/XOR: 0/0 black, 0/1 white, 1/0 transparent, 1/1 inverted (drawn black)
    mask = mask_rows(["00", "11", "01", "01"])
    assert pixels(cursor_rgba(2, 2, None, mask), 2) == [
        (0, 0, 0, 255), (255, 255, 255, 255), (0, 0, 0, 0), (0, 0, 0, 255)]


def test_monochrome_wide_row_uses_its_padding():
    width = 40  # two 32-bit words per row
    and_rows = ["0" * width]
    xor_rows = ["1" + "0" * 38 + "1"]
    out = pixels(cursor_rgba(width, 1, None, mask_rows(and_rows + xor_rows)), width)
    assert out[0] == (255, 255, 255, 255) and out[-1] == (255, 255, 255, 255)
    assert out[1] == (0, 0, 0, 255)


@pytest.mark.parametrize("size", [(257, 32), (32, 257), (0, 32), (300, 300)])
def test_cursors_outside_the_budget_are_refused(size):
    with pytest.raises(CursorImageError):
        check_cursor_size(*size)
    with pytest.raises(CursorImageError):
        cursor_rgba(size[0], size[1], None, b"")


def test_short_bitmaps_are_refused_not_read_past():
    with pytest.raises(CursorImageError):
        cursor_rgba(32, 32, b"\0" * 100, mask_rows(["0" * 32] * 32))
    with pytest.raises(CursorImageError):
        cursor_rgba(32, 32, None, mask_rows(["0" * 32] * 32))  # monochrome needs 64 rows


def test_largest_cursor_passes():
    rgba = cursor_rgba(256, 256, None, b"\0" * (mask_stride(256) * 512))
    assert len(rgba) == 256 * 256 * 4


@settings(max_examples=200, deadline=None)
@given(width=st.integers(-2, 260), height=st.integers(-2, 260), colour=st.booleans(),
       data=st.binary(max_size=4096))
def test_any_bitmap_gives_an_image_or_a_clear_error(width, height, colour, data):
    try:
        rgba = cursor_rgba(width, height, data if colour else None, data)
    except CursorImageError:
        return
    assert len(rgba) == width * height * 4
