"""The codec's fast paths give exactly what the plain computation gives.

Scroll detection with cached hashes, the sort-based shift vote, the hash-table palette mapping and
the area-limited tile diff are optimisations only: these tests pin them to the straightforward
version (or to ground truth) on random input.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from shared.codec import encode as encode_mod
from shared.codec.decode import RectDecoder
from shared.codec.encode import RectEncoder, find_palette
from shared.codec.scroll import (
    BAND,
    _candidates,
    _longest_run,
    _longest_runs,
    apply_moves,
    band_row_hashes,
    detect_moves,
)
from shared.codec.tiles import dirty_tiles, tile_grid_shape

ENCODER = RectEncoder()  # one per thread: it holds the zstd contexts
DECODER = RectDecoder()

_DOC = text_document(1600, 700, seed=5)
_DOC[:, 690:] = (200, 200, 200, 255)  # a scrollbar track that does not move


def _reference_candidates(hp: np.ndarray, hc: np.ndarray, max_shift: int, top: int) -> list[int]:
    """The original np.unique/searchsorted vote, kept as the specification."""
    nb = hp.shape[1]
    band = np.arange(nb, dtype=np.uint64) << np.uint64(32)  # (band, hash) as one exact key
    kp = (hp.astype(np.uint64) | band).ravel()
    kc = (hc.astype(np.uint64) | band).ravel()
    keys, first, counts = np.unique(kp, return_index=True, return_counts=True)
    unique = counts == 1
    keys, rows_p = keys[unique], first[unique] // nb
    if keys.size == 0:
        return []
    pos = np.searchsorted(keys, kc)
    np.minimum(pos, keys.size - 1, out=pos)
    hit = keys[pos] == kc
    dy = np.flatnonzero(hit) // nb - rows_p[pos[hit]]
    dy = dy[(dy != 0) & (np.abs(dy) <= max_shift)]
    if dy.size == 0:
        return []
    shifts, votes = np.unique(dy, return_counts=True)
    order = np.argsort(-votes, kind="stable")[:top]
    return [int(shifts[i]) for i in order if votes[i] >= 2]


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(2, 300),
    nb=st.integers(1, 8),
    distinct=st.integers(1, 60),
    dy=st.integers(-299, 299),
    noise=st.floats(0, 0.5),
    max_shift=st.integers(1, 300),
    seed=st.integers(0, 2**32 - 1),
)
def test_vote_matches_reference(
    n: int, nb: int, distinct: int, dy: int, noise: float, max_shift: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    table = rng.integers(0, 2**32 - 1, size=distinct, dtype=np.uint32, endpoint=True)
    hp = table[rng.integers(0, distinct, size=(n, nb))]
    hc = np.roll(hp, dy, axis=0)
    hc[rng.random(hc.shape) < noise] = rng.integers(0, 2**32 - 1, dtype=np.uint32)
    max_shift = min(max_shift, n)
    assert _candidates(hp, hc, max_shift, 3) == _reference_candidates(hp, hc, max_shift, 3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    top=st.integers(0, 800),
    dy=st.integers(-200, 200),
    rx=st.integers(0, 6),
    ry=st.integers(0, 300),
    rw=st.integers(1, 11),
    rh=st.integers(17, 300),
    edit=st.booleans(),
)
def test_cached_hashes_give_identical_moves(
    top: int, dy: int, rx: int, ry: int, rw: int, rh: int, edit: bool
) -> None:
    """Hashes sliced out of whole-frame hashes (what the encoder caches) == hashing the region."""
    h, w = 500, 700
    prev = _DOC[top : top + h].copy()
    off = min(max(top - dy, 0), _DOC.shape[0] - h)
    cur = _DOC[off : off + h].copy()
    if edit:
        cur[200:230, 100:300] = (0, 0, 255, 255)
    x, y = rx * BAND, min(ry, h - 17)
    region = (x, y, min(rw * BAND, w - x), min(rh, h - y))
    full_p = band_row_hashes(prev.view(np.uint32)[..., 0])
    full_c = band_row_hashes(cur.view(np.uint32)[..., 0])
    b0, b1 = x // BAND, (x + region[2] + BAND - 1) // BAND
    hp = full_p[y : y + region[3], b0:b1]
    hc = full_c[y : y + region[3], b0:b1]
    assert np.array_equal(hc, band_row_hashes(cur[y : y + region[3], x : x + region[2]]
                                              .view(np.uint32)[..., 0]))
    plain = detect_moves(prev, cur, region)
    cached = detect_moves(prev, cur, region, prev_hashes=hp, cur_hashes=hc)
    assert cached == plain


def _reference_longest_run(flags: np.ndarray) -> tuple[int, int]:
    """The plain loop, kept as the specification of the vectorised per-band runs."""
    best, best_start, run, start = 0, 0, 0, 0
    for i, f in enumerate(flags.tolist()):
        if f:
            if run == 0:
                start = i
            run += 1
            if run > best:
                best, best_start = run, start
        else:
            run = 0
    return best_start, best


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 60), nb=st.integers(1, 6), p=st.floats(0, 1),
       seed=st.integers(0, 2**32 - 1))
def test_longest_runs_match_the_plain_loop(n: int, nb: int, p: float, seed: int) -> None:
    eq = np.random.default_rng(seed).random((n, nb)) < p
    starts, lengths = _longest_runs(eq)
    for b in range(nb):
        assert (int(starts[b]), int(lengths[b])) == _reference_longest_run(eq[:, b])
        assert _longest_run(eq[:, b]) == _reference_longest_run(eq[:, b])


@settings(max_examples=150, deadline=None)
@given(h=st.integers(2, 120), w=st.integers(1, 40), dy=st.integers(-119, 119),
       x=st.integers(0, 39), mw=st.integers(1, 40), seed=st.integers(0, 2**32 - 1))
def test_slab_copy_equals_a_plain_copy(
    h: int, w: int, dy: int, x: int, mw: int, seed: int
) -> None:
    """apply_moves's slab-wise memmove == copying the block through a temporary."""
    from shared.codec.scroll import Move

    frame = np.random.default_rng(seed).integers(0, 256, size=(h, w, 4), dtype=np.uint8)
    x, mw = min(x, w - 1), min(mw, w - min(x, w - 1))
    mh = h - abs(dy)
    if mh <= 0:
        return
    src_y, y = (0, dy) if dy >= 0 else (-dy, 0)
    m = Move(x, y, mw, mh, x, src_y)
    want = frame.copy()
    want[y : y + mh, x : x + mw] = frame[src_y : src_y + mh, x : x + mw].copy()
    apply_moves(frame, [m])
    assert np.array_equal(frame, want)


def test_a_hinted_scroll_skips_the_vote_and_keeps_the_picture() -> None:
    """The last shift, tried first, explains a steady scroll; a wrong hint still finds it."""
    prev, cur = _DOC[0:500].copy(), _DOC[24:524].copy()
    plain = detect_moves(prev, cur)
    assert plain and all(m.src_y - m.y == 24 for m in plain)
    assert detect_moves(prev, cur, hints=[-24]) == plain  # the right shift: the same moves
    assert detect_moves(prev, cur, hints=[-40, -24]) == plain  # the second recent one fits
    wrong = detect_moves(prev, cur, hints=[-40])  # scrolled faster: voting finds it again
    assert any(m.src_y - m.y == 24 for m in wrong)
    for moves in (plain, wrong):
        got = prev.copy()
        apply_moves(got, moves)
        moved = np.zeros(prev.shape[:2], bool)
        for m in moves:
            moved[m.y : m.y + m.h, m.x : m.x + m.w] = True
        assert np.array_equal(got[moved], cur[moved])


def test_cached_hashes_must_fit_the_region() -> None:
    prev = _DOC[0:300].copy()
    hp = band_row_hashes(prev.view(np.uint32)[..., 0])
    with pytest.raises(ValueError):
        detect_moves(prev, prev, (0, 0, 128, 100), prev_hashes=hp)
    with pytest.raises(ValueError):
        detect_moves(prev, prev, horizontal=True, prev_hashes=hp)


@settings(max_examples=60, deadline=None)
@given(
    h=st.integers(1, 300),
    w=st.integers(1, 300),
    c=st.integers(-2, 6),
    r=st.integers(-2, 6),
    nc=st.integers(0, 7),
    nr=st.integers(0, 7),
    seed=st.integers(0, 2**32 - 1),
)
def test_dirty_tiles_area_is_the_full_diff_restricted(
    h: int, w: int, c: int, r: int, nc: int, nr: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 3, size=(h, w, 4), dtype=np.uint8)
    b = a.copy()
    flips = rng.random((h, w)) < 0.002
    b[flips, 1] ^= 1
    full = dirty_tiles(a, b)
    part = dirty_tiles(a, b, area=(c, r, nc, nr))
    rows, cols = tile_grid_shape(h, w)
    mask = np.zeros((rows, cols), bool)
    mask[max(0, r) : max(0, r + nr), max(0, c) : max(0, c + nc)] = True
    assert np.array_equal(part, full & mask)


# --------------------------------------------------------------------------- palette


def _rect_with_colours(rng: np.random.Generator, h: int, w: int, k: int, rare: int) -> np.ndarray:
    """``h x w`` uint32 pixels with exactly ``min(k, h*w)`` colours; ``rare`` of them occupy one
    pixel each, placed off the strided sample where possible (what a sampler can miss)."""
    n = h * w
    k = min(k, n)
    colours = rng.choice(2**32, size=k, replace=False).astype(np.uint32)
    flat = colours[rng.integers(0, max(1, k - rare), size=n)].copy()
    step = max(1, n // 4096)
    off_sample = np.flatnonzero(np.arange(n) % step != 0) if step > 1 else np.arange(n)
    rare = min(rare, k - 1)
    if rare > 0:
        spots = rng.choice(off_sample, size=min(rare, off_sample.size), replace=False)
        flat[spots] = colours[k - rare : k - rare + spots.size]
    flat[: k - rare] = colours[: k - rare]  # every common colour appears at least once
    return flat.reshape(h, w)


@settings(max_examples=80, deadline=None)
@given(
    h=st.integers(1, 400),
    w=st.integers(1, 400),
    k=st.integers(1, 258),
    rare=st.integers(0, 200),
    seed=st.integers(0, 2**32 - 1),
)
def test_find_palette_is_exact(h: int, w: int, k: int, rare: int, seed: int) -> None:
    """<= 256 colours: always a palette, and it maps back to the exact pixels; > 256: None."""
    rng = np.random.default_rng(seed)
    px = _rect_with_colours(rng, h, w, k, rare)
    truth = np.unique(px)
    got = find_palette(px)
    if truth.size > 256:
        assert got is None
        return
    assert got is not None
    palette, idx = got
    assert np.array_equal(palette, truth)  # sorted, exactly the colours present
    assert idx.dtype == np.uint8 and idx.size == px.size  # row-major, one index per pixel
    assert np.array_equal(palette[idx].reshape(px.shape), px)


def test_find_palette_without_a_collision_free_multiplier(monkeypatch: pytest.MonkeyPatch) -> None:
    """The binary-search fallback gives the same answer as the hash table."""
    px = _rect_with_colours(np.random.default_rng(9), 200, 300, 200, 50)
    fast = find_palette(px)
    monkeypatch.setattr(encode_mod, "_LUT_MULTS", ())
    slow = find_palette(px)
    assert fast is not None and slow is not None
    assert np.array_equal(fast[0], slow[0]) and np.array_equal(fast[1], slow[1])


def test_palette_choice_round_trips_on_screens() -> None:
    """encode_rect on text (<= 256 colours) stays PALETTE_ZSTD and decodes to the exact pixels;
    a photo is not mistaken for a palette."""
    frame = text_document(300, 1920, seed=3)
    frame[10:40, 10:40] = photo(30, 30) & 0xC0  # up to 64 more colours
    r = ENCODER.encode_rect(frame, 0, 0, 1920, 300, quality=75)
    assert r.encoding == 2  # PALETTE_ZSTD
    fb = np.zeros_like(frame)
    DECODER.decode_rect(fb, r.x, r.y, r.w, r.h, r.encoding, r.payload)
    assert np.array_equal(fb, frame)
    assert find_palette(photo(300, 400).view(np.uint32)[..., 0]) is None


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(0, 2**32 - 1), max_size=300),
       repeat=st.integers(1, 4))
def test_sort_unique_equals_numpy_unique(values: list[int], repeat: int) -> None:
    arr = np.array(values * repeat, dtype=np.uint32)
    got = encode_mod._unique(arr)
    assert got.dtype == np.uint32
    assert np.array_equal(got, np.unique(arr))


def test_palette_search_sorts_instead_of_numpys_hash_unique(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """numpy >= 2.3 answers np.unique from a hash table, 6-11x slower than a sort on a strip's
    pixels; the palette search (every scroll strip) must not use it (issue 16, scrollcpu20)."""
    rng = np.random.default_rng(7)
    colours = rng.integers(0, 2**32, size=250, dtype=np.uint32)
    px = colours[rng.integers(0, 250, size=(60, 1100))]

    def forbidden(*_a: object, **_k: object) -> None:
        raise AssertionError("np.unique called")

    monkeypatch.setattr(np, "unique", forbidden)
    monkeypatch.setattr(np, "union1d", forbidden)
    found = find_palette(px)
    assert found is not None
    palette, idx = found
    assert np.array_equal(palette[idx].reshape(px.shape), px)
