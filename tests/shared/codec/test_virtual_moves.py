"""Scroll moves diffed without being applied (issue 16) give exactly what applying them gives.

The encoder used to write a scroll's moves into its reference frame (a memmove of the whole
scrolled area) and diff the frame against it a second time. It now compares the frame with the
moves' sources in the old reference and, once the update went out complete, copies the frame
into the reference. These tests pin that fast path to the plain one: the same rects, byte for
byte, the same reference and the same lossy tiles after every frame, on random scrolls with
edits, byte budgets that cut updates short (the path that applies the moves after all), and
odd tile sizes.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from shared.codec import frame as frame_mod
from shared.codec.frame import FrameEncoder, _diff_box, _diff_box_moved, _moved_pieces
from shared.codec.scroll import Move, apply_moves, detect_moves
from shared.codec.tiles import dirty_tiles, or_block_diff, tile_grid_shape

_DOC = text_document(1400, 520, seed=11)
_DOC[300:420, 40:280] = photo(120, 240)
_DOC[900:1000, 200:480] = photo(100, 280)
_DOC[:, 508:] = (200, 200, 200, 255)  # a scrollbar track that does not move


def _pair(tile: int, budget: int, quality: int | None,
          hash_cache: bool) -> tuple[FrameEncoder, FrameEncoder]:
    encs = []
    for virtual in (False, True):
        enc = FrameEncoder(quality=quality, tile=tile, max_frame_bytes=budget,
                           hash_cache=hash_cache)
        enc.virtual_moves = virtual
        encs.append(enc)
    return encs[0], encs[1]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(st.integers(-90, 90), min_size=2, max_size=7),
    edits=st.lists(st.tuples(st.integers(0, 399), st.integers(0, 519), st.integers(1, 90),
                             st.integers(1, 90)), max_size=3),
    tile=st.sampled_from([64, 64, 32, 48, 128]),
    budget=st.sampled_from([6 * 1024 * 1024, 6 * 1024 * 1024, 3000, 20000]),
    quality=st.sampled_from([75, None]),
    hash_cache=st.booleans(),
    dt=st.sampled_from([1 / 60, 0.2, 0.5]),
    damage=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
)
def test_virtual_moves_equal_applied_moves(
    steps: list[int], edits: list[tuple[int, int, int, int]], tile: int, budget: int,
    quality: int | None, hash_cache: bool, dt: float, damage: bool, seed: int,
) -> None:
    """Whole frames (the hashed path) or, with ``damage``, the regions a capturer reports
    (the box of what changed since the last frame, as X DAMAGE would: the region path)."""
    plain, fast = _pair(tile, budget, quality, hash_cache)
    rng = np.random.default_rng(seed)
    h = 400
    off = 500
    now = 0.0
    last: np.ndarray | None = None
    for i, step in enumerate([0, *steps]):
        off = min(max(off + step, 0), _DOC.shape[0] - h)
        frame = _DOC[off : off + h].copy()
        if i and i - 1 < len(edits):  # something else changes too (a caret, a photo refresh)
            ex, ey, ew, eh = edits[i - 1]
            frame[ey : ey + eh, ex : ex + ew] = rng.integers(0, 256, size=4, dtype=np.uint8)
        regions = None
        if damage and last is not None:
            ys, xs = np.nonzero((frame != last).any(axis=2))
            regions = [] if ys.size == 0 else [(int(xs.min()), int(ys.min()),
                                                int(xs.max() - xs.min()) + 1,
                                                int(ys.max() - ys.min()) + 1)]
        last = frame
        a = plain.encode(frame, now, regions)
        b = fast.encode(frame, now, regions)
        assert a == b
        assert plain.ref is not None and fast.ref is not None
        assert np.array_equal(plain.ref, fast.ref)
        assert np.array_equal(plain.tracker.lossy, fast.tracker.lossy)
        now += dt


def test_a_complete_scroll_update_never_applies_its_moves(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of the fast path: no memmove of the scrolled area, one copy at the end."""
    enc = FrameEncoder(quality=75)
    big = text_document(1080 + 400, 1920, seed=3)
    enc.encode(big[0:1080].copy(), 0.0)

    def refuse(*_a: object) -> None:
        raise AssertionError("moves applied to the reference")

    monkeypatch.setattr(frame_mod, "apply_moves", refuse)
    for i in range(1, 6):
        frame = big[7 * i : 7 * i + 1080].copy()
        rects, _ = enc.encode(frame, i / 60)
        assert rects[0].encoding == 4  # COPY first
        assert enc.ref is not None and np.array_equal(enc.ref, frame)
    assert enc.stats["moves"] == 5


@settings(max_examples=150, deadline=None)
@given(h=st.integers(1, 150), w=st.integers(1, 150), tile=st.sampled_from([64, 32, 7, 16]),
       bx=st.integers(0, 149), by=st.integers(0, 149), bw=st.integers(1, 150),
       bh=st.integers(1, 150), sx=st.integers(0, 149), sy=st.integers(0, 149),
       p=st.floats(0, 0.02), seed=st.integers(0, 2**32 - 1))
def test_or_block_diff_is_the_plain_comparison(
    h: int, w: int, tile: int, bx: int, by: int, bw: int, bh: int, sx: int, sy: int, p: float,
    seed: int,
) -> None:
    bx, by = min(bx, w - 1), min(by, h - 1)
    bw, bh = min(bw, w - bx), min(bh, h - by)
    sx, sy = min(sx, w - bw), min(sy, h - bh)
    rng = np.random.default_rng(seed)
    ref = rng.integers(0, 2, size=(h, w, 4), dtype=np.uint8)
    frame = ref.copy()
    frame[by : by + bh, bx : bx + bw] = ref[sy : sy + bh, sx : sx + bw]  # the block matches...
    flips = rng.random((h, w)) < p
    frame[flips, 3] ^= 1  # ...but for a few pixels
    grid = tile_grid_shape(h, w, tile)
    seeded = rng.random(grid) < 0.1
    out = seeded.copy()
    or_block_diff(out, ref, frame, tile, (bx, by, bw, bh), (sx, sy))
    want = seeded.copy()
    diff = (frame[by : by + bh, bx : bx + bw] != ref[sy : sy + bh, sx : sx + bw]).any(axis=2)
    for yy, xx in zip(*np.nonzero(diff), strict=True):
        want[(by + yy) // tile, (bx + xx) // tile] = True
    assert np.array_equal(out, want)


def _random_moves(rng: np.random.Generator, h: int, w: int, n: int) -> list[Move]:
    moves = []
    for _ in range(n):
        mw, mh = int(rng.integers(1, w + 1)), int(rng.integers(1, h + 1))
        x, y = int(rng.integers(0, w - mw + 1)), int(rng.integers(0, h - mh + 1))
        sx, sy = int(rng.integers(0, w - mw + 1)), int(rng.integers(0, h - mh + 1))
        moves.append(Move(x, y, mw, mh, sx, sy))
    return moves


@settings(max_examples=200, deadline=None)
@given(h=st.integers(1, 60), w=st.integers(1, 60), n=st.integers(1, 4),
       seed=st.integers(0, 2**32 - 1))
def test_moved_pieces_describe_the_applied_moves(h: int, w: int, n: int, seed: int) -> None:
    """Every pixel of the area lies in one piece, and reading each piece's source in the old
    frame gives the frame with the moves applied in order; dependent moves are refused."""
    rng = np.random.default_rng(seed)
    old = rng.integers(0, 256, size=(h, w, 4), dtype=np.uint8)
    moves = _random_moves(rng, h, w, n)
    pieces = _moved_pieces(moves, (0, 0, w, h))
    applied = old.copy()
    apply_moves(applied, moves)
    if pieces is None:  # allowed only where the order of the moves matters
        def meets(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
            return (a[0] < b[0] + b[2] and b[0] < a[0] + a[2]
                    and a[1] < b[1] + b[3] and b[1] < a[1] + a[3])

        dst = [(m.x, m.y, m.w, m.h) for m in moves]
        src = [(m.src_x, m.src_y, m.w, m.h) for m in moves]
        assert any(meets(dst[k], dst[j]) or meets(src[k], dst[j])
                   for k in range(n) for j in range(k))
        return
    cover = np.zeros((h, w), int)
    virtual = np.zeros_like(old)
    for x, y, pw, ph, sx, sy in pieces:
        cover[y : y + ph, x : x + pw] += 1
        virtual[y : y + ph, x : x + pw] = old[sy : sy + ph, sx : sx + pw]
    assert (cover == 1).all()
    assert np.array_equal(virtual, applied)
    # the diff box against the virtual reference is the one against the applied moves
    cur = applied.copy()
    cur[rng.random((h, w)) < 0.05, 0] ^= 0x80
    for bx, by, bw, bh in ((0, 0, w, h), (w // 3, h // 4, max(1, w // 2), max(1, h // 2))):
        assert _diff_box_moved(old, cur, bx, by, bw, bh, pieces) == _diff_box(
            applied, cur, bx, by, bw, bh)


def test_scroll_detection_moves_are_independent() -> None:
    """What detect_moves finds (bands of their own) takes the fast path, not the fallback."""
    prev, cur = _DOC[100:500].copy(), _DOC[137:537].copy()
    moves = detect_moves(prev, cur)
    assert moves
    assert _moved_pieces(moves, (0, 0, 520, 400)) is not None
    side = np.ascontiguousarray(np.roll(prev, -24, axis=1))
    sideways = detect_moves(prev, side, horizontal=True)
    assert sideways and _moved_pieces(sideways, (0, 0, 520, 400)) is not None
    assert dirty_tiles(prev, prev).sum() == 0


# --------------------------------------------------------------------------- hinted shifts


def _reference_hinted(hp: np.ndarray, hc: np.ndarray, hints: list[int], min_rows: int = 16,
                      width: int = 520) -> list[tuple[int, int, int, int, int]]:
    """The hint loop before the pre-check, kept as the specification: _claim every hint."""
    from shared.codec.scroll import BAND, _candidates, _claim

    n = hc.shape[0]
    limit = n - min_rows
    claimed = np.zeros(hp.shape[1], dtype=bool)
    found: list[tuple[int, int, int, int, int]] = []
    changed = None
    for dy in hints:
        if dy == 0 or abs(dy) > limit:
            continue
        _claim(hp, hc, dy, BAND, min_rows, width, claimed, found)
        if found:
            if changed is None:
                changed = hc != hp
            left = changed.copy()
            for x, y, w, h, _d in found:
                left[y : y + h, x // BAND : (x + w + BAND - 1) // BAND] = False
            if int(left.sum()) * 4 <= int(changed.sum()):
                return found
        claimed[:] = False
        found.clear()
    for dy in _candidates(hp, hc, limit, 3):
        _claim(hp, hc, dy, BAND, min_rows, width, claimed, found)
    return found


@settings(max_examples=120, deadline=None)
@given(off=st.integers(0, 900), dy=st.integers(-120, 120),
       hints=st.lists(st.integers(-130, 130), max_size=4), edit=st.booleans())
def test_skipping_hints_that_cannot_explain_the_picture_changes_nothing(
    off: int, dy: int, hints: list[int], edit: bool
) -> None:
    """A hint is skipped only where its _claim could not pass the 3/4 check."""
    from shared.codec.scroll import BAND, _detect_vertical, band_row_hashes

    prev = _DOC[off : off + 400].copy()
    o2 = min(max(off + dy, 0), _DOC.shape[0] - 400)
    cur = _DOC[o2 : o2 + 400].copy()
    if edit:
        cur[50:120, 100:300] = 0
    a, b = prev.view(np.uint32)[..., 0], cur.view(np.uint32)[..., 0]
    hp, hc = band_row_hashes(a), band_row_hashes(b)
    hints = [*hints, off - o2] if o2 != off else hints  # the true shift, last
    got = _detect_vertical(a, b, BAND, 16, None, 3, hp, hc, hints)
    assert got == _reference_hinted(hp, hc, hints)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(1, 80), nb=st.integers(1, 8), p=st.floats(0.5, 1),
       whole=st.lists(st.booleans(), min_size=8, max_size=8), seed=st.integers(0, 2**32 - 1))
def test_longest_runs_with_bands_matching_every_row(
    n: int, nb: int, p: float, whole: list[bool], seed: int
) -> None:
    """Bands that match in every row (most of a clean scroll) skip the run search."""
    from shared.codec.scroll import _longest_runs

    eq = np.random.default_rng(seed).random((n, nb)) < p
    eq[:, np.array(whole[:nb])] = True
    starts, lengths = _longest_runs(eq)
    for b in range(nb):
        col = eq[:, b].tolist()
        best, best_start, run, start = 0, 0, 0, 0
        for i, f in enumerate(col):
            start = i if f and run == 0 else start
            run = run + 1 if f else 0
            if run > best:
                best, best_start = run, start
        assert (int(starts[b]), int(lengths[b])) == (best_start, best)


def test_moves_whose_order_matters_are_applied_for_real(monkeypatch: pytest.MonkeyPatch) -> None:
    """A move reading another's destination (never from detect_moves, but the encoder must
    not depend on that): the hashed path applies them in order, as the plain path does."""
    frame0 = _DOC[200:600].copy()
    frame1 = frame0.copy()
    a = Move(0, 0, 128, 64, 0, 64)  # rows 64..127 up to 0..63
    b = Move(0, 128, 128, 64, 0, 32)  # reads rows 32..95: half of them a's destination
    apply_moves(frame1, [a, b])
    assert _moved_pieces([a, b], (0, 0, 520, 400)) is None
    monkeypatch.setattr(FrameEncoder, "_find_moves", lambda *_a: [a, b])
    plain, fast = _pair(64, 6 * 1024 * 1024, 75, True)
    for enc in (plain, fast):
        enc.encode(frame0, 0.0)
    out = [enc.encode(frame1, 0.1) for enc in (plain, fast)]
    assert out[0] == out[1]
    assert out[1][0][0].encoding == 4 and out[1][0][1].encoding == 4  # both COPYs went
    assert plain.ref is not None and fast.ref is not None
    assert np.array_equal(plain.ref, frame1) and np.array_equal(fast.ref, frame1)


def test_an_update_that_raised_midway_is_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    """A scroll update that raised with its moves not yet in the reference: the next update
    repaints everything instead of trusting a reference in between."""
    from shared.codec.encode import RectEncoder

    enc = FrameEncoder(quality=75)
    enc.encode(_DOC[100:500].copy(), 0.0)
    failing = [True]

    def flaky(name: str) -> object:
        real = getattr(RectEncoder, name)

        def call(self: RectEncoder, *a: object, **k: object) -> object:
            if failing[0]:
                raise RuntimeError("encoder failed")
            return real(self, *a, **k)

        return call

    for name in ("encode_rect", "encode_parts"):  # big rects go through encode_parts
        monkeypatch.setattr(RectEncoder, name, flaky(name))
    with pytest.raises(RuntimeError):
        enc.encode(_DOC[123:523].copy(), 0.1)
    assert enc._deferred is not None
    failing[0] = False
    frame = _DOC[150:550].copy()
    rects, _ = enc.encode(frame, 0.2)
    assert enc._deferred is None
    assert sum(r.w * r.h for r in rects) == 400 * 520  # all of it, whole
    assert enc.ref is not None and np.array_equal(enc.ref, frame)


def test_degenerate_blocks_and_moves_outside_the_area() -> None:
    out = np.zeros((2, 2), bool)
    frame = np.zeros((100, 100, 4), np.uint8)
    or_block_diff(out, frame, frame + 1, 64, (0, 0, 0, 10), (0, 0))
    assert not out.any()
    assert _moved_pieces([Move(50, 50, 60, 10, 0, 0)], (0, 0, 100, 100)) is None
