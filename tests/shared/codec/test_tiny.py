"""The tiny-update fast path (shared/codec/tiny.py) gives exactly what the plain path gives.

Two frame encoders see the same random sequence of updates (typed glyphs, a caret, big changes,
scrolls, full grabs without regions, rests long enough for refinement); one may take the fast
path, the other never does. After every update their rects, their answer and every piece of
state the next update depends on must be identical. The row-hash cache is the exception: the
plain path may refresh it where the fast path leaves it stale (a region of the whole screen in
which nothing changed), so both are held to the cache's invariant instead.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bench.screens import photo, text_document
from shared.codec.frame import FrameEncoder
from shared.codec.scroll import band_row_hashes
from shared.codec.tiles import merge_tiles
from shared.codec.tiny import _merge, encode_tiny

H, W = 384, 448  # 6 x 7 tiles


def _screen() -> np.ndarray:
    frame = text_document(H, W, seed=3)
    frame[200:330, 250:420] = photo(130, 170, seed=4)
    return frame


_SCREEN = _screen()

glyph = st.tuples(st.integers(0, W - 1), st.integers(0, H - 1), st.integers(1, 24),
                  st.integers(1, 24), st.integers(0, 2**32 - 1))
field = st.tuples(st.integers(0, W - 1), st.integers(0, H - 1), st.integers(64, 300),
                  st.integers(30, 170))
step = st.one_of(
    st.tuples(st.just("glyphs"), st.lists(glyph, min_size=0, max_size=3)),
    # a text field repainted whole for one glyph (or a few noisy pixels, over 256 colours)
    st.tuples(st.just("field"), st.tuples(field, glyph, st.booleans())),
    st.tuples(st.just("big"), st.lists(glyph.map(lambda g: (g[0], g[1], 8 * g[2], 6 * g[3],
                                                             g[4])), min_size=1, max_size=1)),
    st.tuples(st.just("scroll"), st.integers(-40, 40)),
    st.tuples(st.just("full"), st.just(0)),
)


def _state(enc: FrameEncoder) -> tuple[object, ...]:
    assert enc.ref is not None
    return (enc.ref.tobytes(), enc.tracker.lossy.tobytes(), enc.tracker.last_change.tobytes(),
            enc._behind, enc._unknown, dict(enc.stats),
            list(enc.video.policy._history), enc.video.policy.active)


def _hash_cache_holds(enc: FrameEncoder) -> bool:
    """Fresh rows of the scroll detector's hash cache hold the hashes of what the console has."""
    if enc._hashes is None:
        return True
    assert enc.ref is not None
    fresh = ~enc._stale
    truth = band_row_hashes(enc.ref.view(np.uint32)[..., 0])
    return bool(np.array_equal(enc._hashes[fresh], truth[fresh]))


def _draw(frame: np.ndarray, x: int, y: int, w: int, h: int, seed: int, photo_like: bool
          ) -> tuple[int, int, int, int] | None:
    w, h = min(w, W - x), min(h, H - y)
    if w <= 0 or h <= 0:
        return None
    rng = np.random.default_rng(seed)
    if photo_like:
        frame[y : y + h, x : x + w, :3] = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    else:  # a glyph: two colours
        ink = rng.integers(0, 2, (h, w), dtype=np.uint8)
        frame[y : y + h, x : x + w, :3] = (ink * 200)[..., None]
    return x, y, w, h


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(steps=[(("full", 0), 0.4), (("scroll", 0), 0.0)], quality=75)  # CI, stop 26
@given(steps=st.lists(st.tuples(step, st.sampled_from([0.0, 0.05, 0.2, 0.4])), min_size=1,
                      max_size=14),
       quality=st.sampled_from([75, None]))
def test_fast_path_equals_plain_path(steps: list[tuple[tuple[str, object], float]],
                                     quality: int | None) -> None:
    fast = FrameEncoder(quality=quality, tiny=True)
    plain = FrameEncoder(quality=quality, tiny=False)
    frame = _SCREEN.copy()
    now = 0.0
    for enc in (fast, plain):
        enc.encode(frame.copy(), now)
    for (kind, arg), dt in steps:
        now += dt
        regions: list[tuple[int, int, int, int]] | None = []
        if kind == "glyphs" or kind == "big":
            assert isinstance(arg, list)
            for x, y, w, h, seed in arg:
                box = _draw(frame, x, y, w, h, seed, photo_like=kind == "big")
                if box is not None and regions is not None:
                    regions.append(box)
        elif kind == "field":
            assert isinstance(arg, tuple)
            (fx, fy, fw, fh), (gx, gy, gw, gh, seed), noisy = arg
            box = _draw(frame, min(fx + gx % fw, W - 1), min(fy + gy % fh, H - 1), gw, gh, seed,
                        photo_like=noisy)
            regions = [(fx, fy, min(fw, W - fx), min(fh, H - fy))]
            if box is not None:  # the glyph lies inside the field (clipped to the screen)
                bx, by, bw, bh = box
                x0, y0 = min(bx, fx), min(by, fy)
                x1 = max(bx + bw, fx + regions[0][2])
                y1 = max(by + bh, fy + regions[0][3])
                regions = [(x0, y0, x1 - x0, y1 - y0)]
        elif kind == "scroll":
            assert isinstance(arg, int)
            frame[:] = np.roll(frame, arg, axis=0)
            regions = [(0, 0, W, H)]
        else:
            regions = None
        got = fast.encode(frame.copy(), now, None if regions is None else list(regions))
        want = plain.encode(frame.copy(), now, None if regions is None else list(regions))
        assert [(r.x, r.y, r.w, r.h, r.encoding, r.payload) for r in got[0]] == [
            (r.x, r.y, r.w, r.h, r.encoding, r.payload) for r in want[0]]
        assert got[1] == want[1]
        assert _state(fast) == _state(plain)
        assert _hash_cache_holds(fast) and _hash_cache_holds(plain)


@settings(max_examples=300, deadline=None)
@given(tiles=st.sets(st.tuples(st.integers(0, 5), st.integers(0, 6)), max_size=3))
def test_merge_equals_merge_tiles(tiles: set[tuple[int, int]]) -> None:
    mask = np.zeros((6, 7), dtype=bool)
    for r, c in tiles:
        mask[r, c] = True
    assert _merge(sorted(tiles)) == merge_tiles(mask)


def test_a_typed_glyph_takes_the_fast_path() -> None:
    """The path is really taken for a glyph on a resting screen, and declined where it must be."""
    enc = FrameEncoder(quality=75)
    frame = _SCREEN.copy()
    enc.encode(frame.copy(), 0.0)
    enc.encode(frame.copy(), 1.0)  # the photo's JPEG tiles rested: refined exact
    assert not enc.tracker.lossy.any()
    frame[20:34, 70:78, :3] = 0
    out = encode_tiny(enc, frame, 1.1, [(70, 20, 8, 14)])
    assert out is not None
    rects, changed = out
    assert changed and [(r.x, r.y, r.w, r.h) for r in rects] == [(70, 20, 8, 14)]
    assert enc.ref is not None and np.array_equal(enc.ref, frame)
    assert encode_tiny(enc, frame, 1.2, None) is None  # no regions: the whole screen
    frame[0:200, 0:300, :3] = 7
    assert encode_tiny(enc, frame, 1.3, [(0, 0, 300, 200)]) is None  # 20 tiles


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=1024), st.integers(1, 300))
@example(list(range(300)), 300)  # over 256 colours in the plain-Python size
@example(list(range(1000)), 300)
def test_small_unique_is_numpys(values: list[int], colours: int) -> None:
    """The glyph path's palette finder gives np.unique's palette and inverse exactly."""
    from shared.codec.tiny import _unique

    px = np.array([(v % colours) * 0x010101 for v in values], dtype=np.uint32)
    palette, inverse = _unique(px)
    want_palette, want_inverse = np.unique(px, return_inverse=True)
    assert np.array_equal(palette, want_palette)
    if want_palette.size <= 256:
        assert inverse.dtype == np.uint8
        assert np.array_equal(inverse, want_inverse.astype(np.uint8))
