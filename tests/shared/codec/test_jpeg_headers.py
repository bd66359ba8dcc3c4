"""The baseline-JPEG header walk (shared/codec/jpeg.py), one rule at a time.

Each case takes a JPEG the agent's own encoder made, changes exactly one header field the way a
hostile agent could, and checks that :func:`check_baseline` names that field's problem. The bytes
after the change are still a plausible JPEG, so the case reaches the rule it is about (a random
mutation mostly fails at the first length check). test_hostile.py covers the marker types, scans
and the fuzzing; this file the fields inside the segments.
"""

from __future__ import annotations

import contextlib
import struct
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.screens import photo
from shared.codec import CodecError, Encoding
from shared.codec.decode import RectDecoder
from shared.codec.encode import encode_jpeg
from shared.codec.jpeg import check_baseline

DECODER = RectDecoder()

W, H = 48, 32
Segment = tuple[int, bytes]


def split(data: bytes) -> tuple[list[Segment], bytes]:
    """(marker, body) of every header segment up to and including SOS, then the scan data."""
    pos, segments = 2, []
    while True:
        marker, length = data[pos + 1], struct.unpack_from(">H", data, pos + 2)[0]
        segments.append((marker, data[pos + 4 : pos + 2 + length]))
        pos += 2 + length
        if marker == 0xDA:
            return segments, data[pos:]


def join(segments: list[Segment], scan: bytes) -> bytes:
    out = [b"\xff\xd8"]
    for marker, body in segments:
        out.append(bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body)
    return b"".join(out) + scan


def jpeg(sub: str = "420") -> tuple[list[Segment], bytes]:
    return split(encode_jpeg(photo(H, W), 80, sub))


def edit(marker: int, change: Callable[[bytes], bytes], sub: str = "420") -> bytes:
    """The agent's JPEG with the first ``marker`` segment's body replaced by ``change(body)``."""
    segments, scan = jpeg(sub)
    i = next(i for i, (mk, _) in enumerate(segments) if mk == marker)
    segments[i] = (marker, change(segments[i][1]))
    return join(segments, scan)


def put(offset: int, value: int) -> Callable[[bytes], bytes]:
    return lambda body: body[:offset] + bytes((value,)) + body[offset + 1 :]


SOF, SOS, DQT, DHT = 0xC0, 0xDA, 0xDB, 0xC4


def test_the_rebuilt_agent_jpeg_is_accepted() -> None:
    """The tools below change nothing by themselves: split + join gives back the same bytes."""
    data = encode_jpeg(photo(H, W), 80)
    assert join(*split(data)) == data
    check_baseline(data, W, H)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        # quantisation tables
        (edit(DQT, put(0, 0x10)), "not an 8-bit baseline table"),  # Pq = 1: 16-bit
        (edit(DQT, put(0, 0x04)), "not an 8-bit baseline table"),  # table id 4
        (edit(DQT, lambda b: b[:-1]), "quantisation table segment has the wrong length"),
        # frame header
        (edit(SOF, lambda b: b[:5]), "frame header is too short"),
        (edit(SOF, put(5, 2)), "wrong number of components"),  # 2 components
        (edit(SOF, lambda b: b[:-3]), "wrong number of components"),  # count says 3, has 2
        (edit(SOF, put(7, 0x51)), "invalid sampling factors"),  # horizontal 5
        (edit(SOF, put(7, 0x10)), "invalid sampling factors"),  # vertical 0
        (edit(SOF, put(8, 4)), "invalid sampling factors or table"),  # quantisation table 4
        (edit(SOF, put(9, 1)), "two components have the same id"),
        (edit(SOF, lambda b: b[:1] + struct.pack(">HH", H, W + 1) + b[5:]),
         f"the image is {W + 1}x{H}, the rectangle {W}x{H}"),
        # scan header
        (edit(SOS, lambda b: b""), "scan header is too short"),
        (edit(SOS, lambda b: b[:1] + b[3:]), "does not carry every component"),  # one missing
        (edit(SOS, put(0, 1)), "does not carry every component"),
        (edit(SOS, put(1, 9)), "names unknown components"),
        (edit(SOS, put(2, 0x20)), "Huffman table a baseline decoder does not have"),  # DC 2
        (edit(SOS, put(4, 0x02)), "Huffman table a baseline decoder does not have"),  # AC 2
        (edit(SOS, put(8, 0x01)), "progressive"),  # Al = 1: successive approximation
    ],
)
def test_each_header_field_rule_is_enforced(data: bytes, why: str) -> None:
    with pytest.raises(CodecError, match="JPEG rejected") as info:
        check_baseline(data, W, H)
    assert why in str(info.value)


def test_segment_order_and_count_rules() -> None:
    segments, scan = jpeg()
    sof = next(s for s in segments if s[0] == SOF)
    twice = [*segments[:-1], sof, *segments[-1:]]
    with pytest.raises(CodecError, match="more than one frame header"):
        check_baseline(join(twice, scan), W, H)
    scan_first = [s for s in segments if s[0] != SOF]
    with pytest.raises(CodecError, match="the scan comes before the frame header"):
        check_baseline(join(scan_first, scan), W, H)


def test_cut_header_and_garbage_between_segments() -> None:
    data = encode_jpeg(photo(H, W), 80)
    sos = data.index(b"\xff\xda")
    with pytest.raises(CodecError, match="the header is cut short"):
        check_baseline(data[: sos + 2], W, H)
    with pytest.raises(CodecError, match="garbage between header segments"):
        check_baseline(data[:sos] + b"\x00" + data[sos:], W, H)
    with pytest.raises(CodecError, match="impossible length"):
        check_baseline(data[:sos] + b"\xff\xfe\x00\x01" + data[sos:], W, H)  # COM, length 1


def test_fill_bytes_metadata_and_restart_markers_are_what_an_encoder_may_emit() -> None:
    """Allowed by the baseline rules, so accepted: 0xFF fill before a marker, a comment, a
    restart interval and (in the scan) byte-stuffing and RSTn markers; the image still decodes."""
    segments, scan = jpeg("Gray")
    extra = [(0xFE, b"made by a test"), (0xDD, struct.pack(">H", 0))]
    data = join(extra + segments, scan)
    sos = data.index(b"\xff\xda")
    data = data[:sos] + b"\xff" + data[sos:]  # a fill byte before the SOS marker
    check_baseline(data, W, H)
    fb = np.zeros((H, W, 4), np.uint8)
    DECODER.decode_rect(fb, 0, 0, W, H, Encoding.JPEG, data)
    assert fb[..., 3].min() == 255 and fb[..., :3].any()
    check_baseline(data[:-2] + b"\xff\xd0\xff\x00\xff\xd9", W, H)


@settings(max_examples=300, deadline=None)
@given(which=st.integers(0, 8), offset=st.integers(0, 200), value=st.integers(0, 255))
def test_any_single_header_byte_change_is_accepted_or_a_codec_error(
        which: int, offset: int, value: int) -> None:
    """One byte of one header segment changed (inside a well-formed segment structure): the walk
    either accepts (then libjpeg gets a baseline header) or raises CodecError, nothing else."""
    segments, scan = jpeg()
    marker, body = segments[which % len(segments)]
    if body:
        at = offset % len(body)
        body = body[:at] + bytes((value,)) + body[at + 1 :]
    segments[which % len(segments)] = (marker, body)
    data = join(segments, scan)
    try:
        check_baseline(data, W, H)
    except CodecError:
        return
    fb = np.zeros((H, W, 4), np.uint8)
    # A table libjpeg refuses is still a CodecError: the one error type a session ends on.
    with contextlib.suppress(CodecError):
        DECODER.decode_rect(fb, 0, 0, W, H, Encoding.JPEG, data)
