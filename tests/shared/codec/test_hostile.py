"""A hostile agent's worst inputs: each is rejected fast and without a big allocation.

Every test here measures what the decoder really allocates (tracemalloc traces numpy, zstd's
Python buffers and bytes objects) and how long it takes, against budgets far below what the
attack used to cost (2 GiB for a 27-byte frame, 1 GiB from a 32 KB zstd rect, minutes of CPU for a
progressive JPEG with thousands of scans).
"""

from __future__ import annotations

import base64
import contextlib
import struct
import time
import tracemalloc
from collections.abc import Callable, Iterator

import numpy as np
import pytest
import simplejpeg
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.screens import photo
from console.framebuffer import Framebuffer
from shared import messages as m
from shared.codec import (
    MAX_DIMENSION,
    MAX_FRAME_PIXELS,
    MAX_RECTS,
    CodecError,
    Encoding,
    ResourceLimit,
)
from shared.codec.decode import RectDecoder
from shared.codec.encode import encode_jpeg
from shared.codec.jpeg import check_baseline
from shared.errors import ProtocolError

DECODER = RectDecoder()

MiB = 1024 * 1024
SOLID, RAW = int(Encoding.SOLID), int(Encoding.RAW_ZSTD)

#: A real 24x16 progressive JPEG (jpegtran -progressive of a simplejpeg baseline image): libjpeg
#: decodes it fine, so before the marker check the console accepted progressive streams.
PROGRESSIVE = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYn"
    "KSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgo"
    "KCgoKCgoKCj/wgARCAAQABgDASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAwAB/8QAFgEBAQEAAAAAAAAAAAAAAAAAAwEC"
    "/9oADAMBAAIQAxAAAAEk1IhyRY//xAAZEAEBAAMBAAAAAAAAAAAAAAACAQADEQT/2gAIAQEAAQUCl5rV5qO3uQE56Ik6qp//xAAe"
    "EQAABQUBAAAAAAAAAAAAAAAAAQIRkQMSMUHB8P/aAAgBAwEBPwE2N59sIU+alsdUQ//EABkRAAMAAwAAAAAAAAAAAAAAAAABAgMh"
    "I//aAAgBAgEBPwFPaMlUnzk//8QAIhAAAgEDBAIDAAAAAAAAAAAAAQIRAAMhEiIxMlHwYXLh/9oACAEBAAY/AnQru67sk1cYKNMc"
    "Yx7mgrHSdIlrfJ+aZpb68Yz5pzbmWHE49/KtuWBnb1ia/8QAHhABAAICAwEBAQAAAAAAAAAAAREhQVEAMXFhgZH/2gAIAQEAAT8h"
    "d8HKLDsqgxeXfFAikgTFU6k8fTBRTfMhanTrH3fHBDwaBH6twfyVqlvVdk6Pb6HJJ/cycxbMYJ5//9oADAMBAAIAAwAAABAMP//E"
    "ABwRAQEAAgIDAAAAAAAAAAAAAAERADEhQWGhsf/aAAgBAwEBPxBnYFBLUvJv2t3NGSMHUlHbr4DzeTP/xAAcEQEBAQACAwEAAAAA"
    "AAAAAAABESExoQBBUWH/2gAIAQIBAT8QRDQOSQuZAP1GgekjdWR+PW7nRDief//EABkQAQEBAQEBAAAAAAAAAAAAAAERIQAxQf/a"
    "AAgBAQABPxC5JGGD8QlqYkcXmX5SQyQGk1HQvE4wEYqFmQkHtgi0dlijGwsl8xOmairxZrgjXEnJDIKgYvuPpS8MXXlZoii3/9k="
)


@contextlib.contextmanager
def budget(max_bytes: int, max_seconds: float) -> Iterator[None]:
    """Fail unless the block allocates at most ``max_bytes`` (peak) within ``max_seconds``."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - t0
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak <= max_bytes, f"allocated {peak / MiB:.1f} MiB (budget {max_bytes / MiB:.1f})"
    assert elapsed <= max_seconds, f"took {elapsed:.2f} s (budget {max_seconds} s)"


def rejected(fn: Callable[[], object], exc: type[Exception] = ResourceLimit) -> str:
    with pytest.raises(exc) as info:
        fn()
    return str(info.value)


def frame_bytes(width: int, height: int, rects: list[tuple[int, int, int, int, int, bytes]],
                seq: int = 1) -> bytes:
    """A FrameUpdate's wire bytes built by hand (bypassing FrameUpdate's own checks)."""
    parts = [struct.pack(">BHHIH", m.FrameUpdate.TYPE, width, height, seq, len(rects))]
    for x, y, w, h, enc, payload in rects:
        parts.append(struct.pack(">HHHHBI", x, y, w, h, enc, len(payload)) + payload)
    return b"".join(parts)


# ------------------------------------------------------------------ frame area


def test_27_byte_max_area_frame_is_rejected_before_allocation() -> None:
    data = frame_bytes(0xFFFF, 0xFFFF, [(0, 0, 0xFFFF, 0xFFFF, SOLID, b"\0\0\0\xff")])
    assert len(data) <= 28
    with budget(64 * 1024, 0.05):
        text = rejected(lambda: m.decode(data))
    assert "65535x65535" in text
    fb = Framebuffer()
    rect = m.Rect(0, 0, 1, 1, SOLID, b"\0\0\0\xff")
    with budget(64 * 1024, 0.05):
        rejected(lambda: fb.apply(16384, 16384, [rect]))
    assert fb.array.size == 0


@pytest.mark.parametrize("size", [(MAX_DIMENSION + 1, 1), (1, MAX_DIMENSION + 1),
                                  (MAX_DIMENSION, MAX_DIMENSION), (5000, 4000)])
def test_frame_side_and_area_caps(size: tuple[int, int]) -> None:
    w, h = size
    data = frame_bytes(w, h, [(0, 0, 1, 1, SOLID, b"\0\0\0\xff")])
    with budget(64 * 1024, 0.05):
        rejected(lambda: m.decode(data))
    rejected(lambda: m.FrameUpdate(w, h, (), 1))
    rejected(lambda: Framebuffer(w, h))


def test_honest_big_multi_monitor_screens_stay_accepted() -> None:
    """Two 4K monitors side by side or stacked, and 8192x2048, fit the budgets."""
    for w, h in ((7680, 2160), (3840, 4320), (8192, 2048), (5120, 2880)):
        assert w * h <= MAX_FRAME_PIXELS
        update = m.FrameUpdate(w, h, (m.Rect(0, 0, w, h, SOLID, b"\1\2\3\xff"),), 7)
        assert m.decode(m.encode(update)) == update


# ------------------------------------------------------------------ rect count x area


def test_rects_covering_the_screen_many_times_are_rejected_unread() -> None:
    """Before: 8 MiB of 1x1 SOLID rects... or a few full-screen ones, each one a full fill."""
    full = (0, 0, 4096, 4096, SOLID, b"\0\0\0\xff")
    data = frame_bytes(4096, 4096, [full] * 3)
    with budget(64 * 1024, 0.05):
        assert "2 times" in rejected(lambda: m.decode(data))
    rejected(lambda: m.FrameUpdate(4096, 4096, (m.Rect(*full),) * 3, 1))
    fb = Framebuffer(4096, 4096)
    with budget(64 * 1024, 0.05):  # the framebuffer refuses too, before the first fill
        rejected(lambda: fb.apply(4096, 4096, [m.Rect(*full)] * 3))


def test_too_many_rects_are_rejected_from_the_header() -> None:
    tiny = (0, 0, 1, 1, SOLID, b"\0\0\0\xff")
    data = frame_bytes(1000, 1000, [tiny] * (MAX_RECTS + 1))
    with budget(256 * 1024, 0.1):
        assert str(MAX_RECTS) in rejected(lambda: m.decode(data))
    ok = frame_bytes(1000, 1000, [tiny] * 4000)
    update = m.decode(ok)
    assert isinstance(update, m.FrameUpdate)
    assert len(update.rects) == 4000  # an honest busy update: thousands of tiles


def test_decoded_bytes_per_update_are_capped() -> None:
    # two full-screen RAW rects: 2x the area is allowed, 8x the frame's bytes is not
    raw = (0, 0, 4096, 4096, RAW, b"\x04")
    assert "decode to more" in rejected(lambda: m.decode(frame_bytes(4096, 4096, [raw] * 2)))


# ------------------------------------------------------------------ zstd


def test_inflating_zstd_rect_streams_without_a_second_screen() -> None:
    """A 16 Mpx RAW_ZSTD rect of a few KB decodes in 1 MiB steps, not into a 64 MiB buffer."""
    w = h = 4096
    payload = b"\x04" + zstandard.ZstdCompressor(level=19).compress(bytes(w * h * 4))
    assert len(payload) < 32 * 1024
    fb = np.zeros((h, w, 4), np.uint8)
    with budget(4 * MiB, 2.0):
        DECODER.decode_rect(fb, 0, 0, w, h, Encoding.RAW_ZSTD, payload)
    pal = b"\x00" + b"\x10\x20\x30\xff" + zstandard.ZstdCompressor(level=19).compress(
        bytes(w * h))
    with budget(8 * MiB, 2.0):
        DECODER.decode_rect(fb, 0, 0, w, h, Encoding.PALETTE_ZSTD, pal)
    assert fb[h - 1, w - 1].tolist() == [0x10, 0x20, 0x30, 0xFF]


def test_zstd_bomb_beyond_the_rect_stops_at_the_rect() -> None:
    bomb = b"\x04" + zstandard.ZstdCompressor(level=19).compress(bytes(256 * MiB))
    fb = np.zeros((64, 64, 4), np.uint8)
    with budget(2 * MiB, 0.5):
        assert "more than" in rejected(
            lambda: DECODER.decode_rect(fb, 0, 0, 64, 64, Encoding.RAW_ZSTD, bomb), CodecError)


# ------------------------------------------------------------------ JPEG


def test_progressive_jpeg_is_rejected_before_libjpeg() -> None:
    assert simplejpeg.decode_jpeg(PROGRESSIVE).shape[:2] == (16, 24)  # libjpeg would take it
    fb = np.zeros((16, 24, 4), np.uint8)
    text = rejected(lambda: DECODER.decode_rect(fb, 0, 0, 24, 16, Encoding.JPEG, PROGRESSIVE),
                    CodecError)
    assert "0xC2" in text
    assert not fb.any()


def _many_scans(scans: int) -> bytes:
    """A baseline header followed by thousands of extra scans (what made libjpeg spin)."""
    base = encode_jpeg(photo(64, 64), 80)
    sos = base.index(b"\xff\xda")
    head, body = base[:sos], base[sos:-2]
    return head + body * scans + b"\xff\xd9"


def test_thousands_of_scans_are_rejected_fast() -> None:
    data = _many_scans(3000)
    assert len(data) > 1 * MiB
    fb = np.zeros((64, 64, 4), np.uint8)
    with budget(3 * len(data), 0.2):
        assert "second scan" in rejected(
            lambda: DECODER.decode_rect(fb, 0, 0, 64, 64, Encoding.JPEG, data), CodecError)


def _segment_patch(data: bytes, marker: bytes, offset: int, value: int) -> bytes:
    at = data.index(marker) + offset
    return data[:at] + bytes((value,)) + data[at + 1 :]


@pytest.mark.parametrize(
    "mutate, why",
    [
        (lambda d: d.replace(b"\xff\xc0", b"\xff\xc1", 1), "0xC1"),  # extended sequential
        (lambda d: d.replace(b"\xff\xc0", b"\xff\xc9", 1), "0xC9"),  # arithmetic coding
        (lambda d: d.replace(b"\xff\xc0", b"\xff\xc3", 1), "0xC3"),  # lossless
        (lambda d: _segment_patch(d, b"\xff\xc0", 4, 12), "12-bit"),
        (lambda d: d[:-2], "no end marker"),
        (lambda d: d + b"junk", "after the end"),
        (lambda d: d[:2] + d[5:], "JPEG rejected"),
    ],
)
def test_non_baseline_jpeg_variants_are_rejected(mutate: Callable[[bytes], bytes],
                                                 why: str) -> None:
    data = mutate(encode_jpeg(photo(32, 48), 80))
    assert why in rejected(lambda: check_baseline(data, 48, 32), CodecError)


@settings(max_examples=60, deadline=None)
@given(w=st.integers(1, 80), h=st.integers(1, 80), q=st.integers(1, 100),
       sub=st.sampled_from(["444", "422", "420", "Gray"]))
def test_every_jpeg_the_agent_makes_passes(w: int, h: int, q: int, sub: str) -> None:
    data = encode_jpeg(photo(h, w), q, sub)
    check_baseline(data, w, h)
    fb = np.zeros((h, w, 4), np.uint8)
    DECODER.decode_rect(fb, 0, 0, w, h, Encoding.JPEG, data)


_BASE = encode_jpeg(photo(24, 40), 70)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.binary(max_size=400),
    st.tuples(st.integers(0, len(_BASE)), st.binary(min_size=1, max_size=6)).map(
        lambda c: _BASE[: c[0]] + c[1] + _BASE[c[0] + len(c[1]) :]),
    st.tuples(st.integers(0, len(_BASE)), st.integers(0, len(_BASE))).map(
        lambda c: _BASE[: c[0]] + _BASE[c[1] :]),
))
def test_jpeg_marker_walk_raises_only_codec_error(data: bytes) -> None:
    """Any bytes: CodecError or accepted, never another exception; accepted means one scan."""
    try:
        check_baseline(data, 40, 24)
    except CodecError:
        return
    assert data.count(b"\xff\xda") >= 1 and data.endswith(b"\xff\xd9")
    with contextlib.suppress(CodecError):
        DECODER.decode_rect(np.zeros((24, 40, 4), np.uint8), 0, 0, 40, 24, Encoding.JPEG, data)


# ------------------------------------------------------------------ cursor


def test_huge_cursor_is_rejected_before_its_pixels_are_copied() -> None:
    head = struct.pack(">BHHBBHHHH", m.CursorUpdate.TYPE, 5, 5, 1, 1, 0xFFFF, 0xFFFF, 0, 0)
    data = head + bytes(m.MAX_PLAINTEXT - len(head))
    with budget(256 * 1024, 0.05):
        assert "65535x65535" in rejected(lambda: m.decode(data))
    rejected(lambda: m.CursorShape(257, 1, 0, 0, bytes(257 * 4)))
    small = m.CursorUpdate(1, 2, True, m.CursorShape(2, 2, 0, 0, bytes(16)))
    assert m.decode(m.encode(small)) == small


# ------------------------------------------------------------------ any frame header


@settings(max_examples=300, deadline=None)
@given(
    width=st.integers(0, 0xFFFF), height=st.integers(0, 0xFFFF),
    rects=st.lists(st.tuples(st.integers(0, 0xFFFF), st.integers(0, 0xFFFF),
                             st.integers(0, 0xFFFF), st.integers(0, 0xFFFF),
                             st.integers(0, 5)), max_size=6),
)
def test_any_frame_header_is_within_budget_or_rejected(
    width: int, height: int, rects: list[tuple[int, int, int, int, int]]
) -> None:
    data = frame_bytes(width, height, [(*r, b"") for r in rects])
    try:
        update = m.decode(data)
    except ProtocolError:
        return
    assert isinstance(update, m.FrameUpdate)
    assert update.width <= MAX_DIMENSION and update.height <= MAX_DIMENSION
    assert update.width * update.height <= MAX_FRAME_PIXELS
    assert sum(r.w * r.h for r in update.rects) <= 2 * update.width * update.height


def test_full_screen_copy_onto_itself_needs_no_second_screen() -> None:
    """A COPY of the whole screen shifted by a row used to copy the whole screen first."""
    from shared.codec.encode import encode_copy

    rng = np.random.default_rng(3)
    fb = rng.integers(0, 255, (2048, 2048, 4), dtype=np.uint8)
    for sx, sy, x, y in ((0, 0, 0, 1), (0, 1, 0, 0), (1, 0, 0, 0), (0, 0, 1, 0), (0, 0, 0, 0)):
        w, h = 2048 - max(sx, x), 2048 - max(sy, y)
        want = fb.copy()
        want[y : y + h, x : x + w] = want[sy : sy + h, sx : sx + w].copy()
        with budget(2 * MiB, 1.0):
            DECODER.decode_rect(fb, x, y, w, h, Encoding.COPY, encode_copy(sx, sy))
        assert np.array_equal(fb, want), (sx, sy, x, y)


# ------------------------------------------------------------------ both sessions


def test_over_budget_frame_ends_either_session_as_resource_limit() -> None:
    """Console side: a 16384x16384 frame (accepted before, 1 GiB to show). Agent side: the same
    budgets for whatever a console sends. Both end cleanly and tell the peer why."""
    from shared.session import FrameReceived, SessionEnded
    from tests.shared.test_session import active

    hostile = frame_bytes(16384, 16384, [(0, 0, 1, 1, SOLID, b"\0\0\0\xff")])
    for receiver in ("console", "agent"):
        a, c, _ = active()
        sender, target = (a, c) if receiver == "console" else (c, a)
        assert sender._channel is not None
        with budget(64 * 1024, 0.05):
            step = target.receive(sender._channel.seal(hostile))
        assert not any(isinstance(e, FrameReceived) for e in step.events)
        ended = [e for e in step.events if isinstance(e, SessionEnded)]
        assert [e.reason for e in ended] == ["resource_limit"], receiver
        assert "16384x16384" in ended[0].message
        told = sender.receive(step.outgoing[0]).events
        assert [(e.reason, e.by_peer) for e in told if isinstance(e, SessionEnded)] == [
            ("resource_limit", True)]


def test_the_agents_encoder_stays_within_the_budgets_on_a_big_screen() -> None:
    """What the real agent sends for two 4K monitors side by side (full refresh, photo in JPEG,
    a scroll with COPY rects, the lossless refinement) passes every budget."""
    from bench.screens import text_document
    from shared.codec.frame import FrameEncoder

    w, h = 7680, 2160
    encoder = FrameEncoder(quality=75, max_frame_bytes=1 << 40)  # no byte cap: everything at once
    screen = text_document(h, w)
    screen[200:1800, 4000:7600] = photo(1600, 3600)
    scrolled = screen.copy()
    scrolled[100:2000, 100:3900] = screen[140:2040, 100:3900]  # a document scrolls 40 rows
    changed = scrolled.copy()
    changed[200:1800, 4000:7600] = photo(1600, 3600, seed=7)  # the video changes
    fb = Framebuffer()
    for seq, (frame, t) in enumerate(((screen, 0.0), (scrolled, 0.1), (changed, 0.2),
                                      (changed, 5.0)), start=1):
        rects, _ = encoder.encode(frame, t)
        update = m.FrameUpdate(w, h, tuple(rects), seq)  # raises if over a budget
        fb.apply(w, h, update.rects, seq)
        if seq == 2:
            assert any(r.encoding == Encoding.COPY for r in update.rects)
        if seq == 3:
            assert any(r.encoding == Encoding.JPEG for r in update.rects)
    assert np.array_equal(fb.array, changed)  # refined: pixel-exact in the end
