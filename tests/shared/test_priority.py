"""Input first: taking the echo out of an update never changes the picture (issue 16).

The echo part applied first and the rest after must give the console the framebuffer the whole
update gives, pixel for pixel (hypothesis, the real rect decoder), whatever the rects: COPY
moves reading and writing anywhere, small and big rects, overlaps.
"""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.codec import Encoding
from shared.codec.decode import RectDecoder
from shared.codec.encode import encode_copy, encode_solid
from shared.messages import Rect
from shared.priority import ECHO_MAX_BYTES, boxes, footprints, may_go_ahead, slices, split_echo

W, H = 640, 480


def apply(fb: np.ndarray, rects: list[Rect]) -> None:
    dec = RectDecoder()
    for r in rects:
        dec.decode_rect(fb, r.x, r.y, r.w, r.h, r.encoding, r.payload)


@st.composite
def rect(draw: st.DrawFn) -> Rect:
    big = draw(st.booleans())
    w = draw(st.integers(1, W if big else 80))
    h = draw(st.integers(1, H if big else 40))
    x, y = draw(st.integers(0, W - w)), draw(st.integers(0, H - h))
    if draw(st.integers(0, 3)) == 0:
        sx, sy = draw(st.integers(0, W - w)), draw(st.integers(0, H - h))
        return Rect(x, y, w, h, Encoding.COPY.value, encode_copy(sx, sy))
    colour = bytes(draw(st.lists(st.integers(0, 255), min_size=4, max_size=4)))
    return Rect(x, y, w, h, Encoding.SOLID.value, encode_solid(colour))


@settings(max_examples=300, deadline=None)
@given(st.lists(rect(), min_size=1, max_size=8), st.lists(rect(), max_size=3),
       st.integers(0, 2**32 - 1))
def test_echo_then_rest_equals_the_whole_update(rects: list[Rect], before: list[Rect],
                                                seed: int) -> None:
    base = np.random.default_rng(seed).integers(0, 256, (H, W, 4), dtype=np.uint8)
    whole, split = base.copy(), base.copy()
    apply(whole, rects)
    echo, rest = split_echo(rects, boxes(before))
    assert len(echo) + len(rest) == len(rects)
    apply(split, echo)
    apply(split, rest)
    assert np.array_equal(whole, split)
    assert sum(len(r.payload) + 16 for r in echo) <= ECHO_MAX_BYTES


def solid(x: int, y: int, w: int, h: int) -> Rect:
    return Rect(x, y, w, h, Encoding.SOLID.value, encode_solid(b"\x01\x02\x03\xff"))


def test_the_glyph_goes_ahead_of_the_scroll() -> None:
    """The issue's screen: a document scrolls (a COPY and its exposed strip), a glyph appears
    in the text field above it."""
    move = Rect(60, 340, 1800, 673, Encoding.COPY.value, encode_copy(60, 347))
    strip = solid(60, 1013, 1800, 7)
    photo_piece = solid(400, 1013, 300, 7)  # beside the COPY: part of the scroll
    glyph = solid(1290, 140, 12, 18)
    counter = solid(360, 60, 384, 32)  # a frame counter, drawn in every update
    before = [move, strip, counter]
    echo, rest = split_echo([move, strip, photo_piece, counter, glyph], boxes(before))
    assert echo == [glyph]  # the counter changes in update after update: not an echo
    assert rest == [move, strip, photo_piece, counter]
    assert split_echo([move, counter], boxes([move]))[0] == [counter]


def test_nothing_goes_ahead_when_it_would_change_the_result_or_is_alone() -> None:
    glyph = solid(10, 10, 12, 18)
    assert split_echo([glyph]) == ([], [glyph])  # nothing to go ahead of
    reads_it = Rect(300, 300, 20, 20, Encoding.COPY.value, encode_copy(5, 5))
    assert split_echo([reads_it, glyph]) == ([], [reads_it, glyph])
    over_it = solid(0, 0, 600, 300)
    assert split_echo([over_it, glyph]) == ([], [over_it, glyph])
    big = Rect(300, 300, 40, 40, Encoding.RAW_ZSTD.value, b"x" * (ECHO_MAX_BYTES + 1))
    far = solid(1000, 600, 900, 300)
    assert split_echo([far, big]) == ([], [far, big])  # too many bytes to go ahead


@settings(max_examples=300, deadline=None)
@given(st.lists(rect(), min_size=1, max_size=8), st.lists(rect(), min_size=1, max_size=6),
       st.integers(0, 2**32 - 1))
def test_an_echo_ahead_of_older_slices_gives_the_same_picture(
        rects: list[Rect], backlog: list[Rect], seed: int) -> None:
    """Slices of an update before are still to be sent when the next update is split: its
    echo goes ahead of them, the rest after them; the console's picture is the same as if
    everything had gone in order (no older slice paints over the echo, no COPY reads it)."""
    base = np.random.default_rng(seed).integers(0, 256, (H, W, 4), dtype=np.uint8)
    in_order, ahead = base.copy(), base.copy()
    apply(in_order, backlog)
    apply(in_order, rects)
    echo, rest = split_echo(rects, behind=footprints(backlog))
    assert len(echo) + len(rest) == len(rects)
    for part in (echo, backlog, rest):
        apply(ahead, part)
    assert np.array_equal(in_order, ahead)


def test_a_small_update_goes_ahead_whole_of_what_waits_unless_it_meets_it() -> None:
    glyph = solid(10, 10, 12, 18)
    band = solid(0, 64, 640, 256)
    assert split_echo([glyph], behind=footprints([band])) == ([glyph], [])
    over = solid(0, 0, 640, 100)
    assert split_echo([glyph], behind=footprints([over])) == ([], [glyph])
    reads_it = Rect(300, 300, 20, 20, Encoding.COPY.value, encode_copy(5, 5))
    assert split_echo([glyph], behind=footprints([reads_it])) == ([], [glyph])


@given(st.lists(st.integers(0, 40_000), max_size=30), st.integers(1, 30_000))
def test_slices_keep_the_order_and_stay_near_the_limit(sizes: list[int], limit: int) -> None:
    rects = [Rect(i, 0, 1, 1, Encoding.RAW_ZSTD.value, b"x" * n) for i, n in enumerate(sizes)]
    runs = slices(rects, limit)
    assert [r for run in runs for r in run] == rects
    for run in runs:
        size = sum(len(r.payload) + 16 for r in run)
        head = size - len(run[-1].payload) - 16  # what the run held before its last rect
        assert run and (size <= 1.5 * limit or 2 * head < limit), (size, limit)
    # a run ends only where the next rect would take it over the limit
    for run, after in itertools.pairwise(runs):
        size = sum(len(r.payload) + 16 for r in run)
        assert size + len(after[0].payload) + 16 > limit


def test_a_copy_is_not_sent_alone_ahead_of_the_strip_it_exposes() -> None:
    move = Rect(0, 0, 640, 400, Encoding.COPY.value, encode_copy(0, 14))
    strip = Rect(0, 400, 640, 14, Encoding.RAW_ZSTD.value, b"x" * 30_000)
    rest = Rect(0, 420, 640, 14, Encoding.RAW_ZSTD.value, b"x" * 15_000)
    assert slices([move, strip, rest], 20_000) == [[move, strip], [rest]]


@settings(max_examples=300, deadline=None)
@given(rect(), st.lists(rect(), max_size=3), st.lists(rect(), min_size=1, max_size=4),
       st.integers(0, 2**32 - 1))
def test_what_goes_ahead_of_its_encoding_is_what_the_split_would_send_ahead(
        glyph: Rect, before: list[Rect], older: list[Rect], seed: int) -> None:
    """A rect found before its update was encoded (the streamer's ``_echo_ahead``) goes ahead
    by split_echo's own rules, and then, applied before the older slices still to be sent,
    leaves the picture those slices and it give in order."""
    ok = may_go_ahead(glyph, boxes(before), footprints(older))
    assert ok == (split_echo([glyph], boxes(before), behind=footprints(older))[0] == [glyph])
    if ok:
        base = np.random.default_rng(seed).integers(0, 256, (H, W, 4), dtype=np.uint8)
        in_order, ahead = base.copy(), base.copy()
        apply(in_order, [*older, glyph])
        apply(ahead, [glyph, *older])
        assert np.array_equal(in_order, ahead)
