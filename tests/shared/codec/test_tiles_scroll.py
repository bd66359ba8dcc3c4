"""Tile change detection, rectangle merging, scroll detection and refinement tracking."""

from __future__ import annotations

import numpy as np
import pytest

from bench.screens import photo, text_document
from shared.codec.refine import RefinementTracker
from shared.codec.scroll import Move, apply_moves, detect_moves
from shared.codec.tiles import dirty_tiles, merge_tiles, tiles_to_rects


@pytest.mark.parametrize("w", [1920, 1281, 63])
def test_dirty_tiles_finds_single_pixel(w: int) -> None:
    a = np.zeros((130, w, 4), np.uint8)
    b = a.copy()
    assert not dirty_tiles(a, b).any()
    b[129, w - 1, 3] = 1
    d = dirty_tiles(a, b)
    assert d.shape == (3, (w + 63) // 64)
    assert d.sum() == 1 and d[2, -1]


def test_merge_covers_exactly_the_dirty_tiles() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        mask = rng.random((9, 13)) < 0.3
        cover = np.zeros_like(mask, dtype=int)
        for c, r, nc, nr in merge_tiles(mask, max_tile_rows=3):
            assert nr <= 3
            cover[r : r + nr, c : c + nc] += 1
        assert np.array_equal(cover, mask.astype(int))


def test_tiles_to_rects_clips_to_frame() -> None:
    mask = np.ones((2, 2), bool)
    assert tiles_to_rects(mask, 100, 70) == [(0, 0, 70, 100)]


@pytest.mark.parametrize("dy", [1, 5, 37, 200, -3, -64, -250])
def test_vertical_scroll_synthetic(dy: int) -> None:
    doc = text_document(1400, 800)
    prev = doc[300:900].copy()
    cur = doc[300 - dy : 900 - dy].copy()
    moves = detect_moves(prev, cur)
    assert moves, "scroll not found"
    assert all(m.y - m.src_y == dy and m.x == m.src_x for m in moves)
    fixed = prev.copy()
    apply_moves(fixed, moves)
    residual_rows = np.flatnonzero((fixed != cur).any(axis=(1, 2)))
    assert residual_rows.size <= abs(dy)  # only the newly exposed strip is left


def test_scroll_inside_window_with_static_frame_and_scrollbar() -> None:
    screen = photo(700, 1000)
    doc = text_document(2000, 700)
    prev, cur = screen.copy(), screen.copy()
    prev[100:600, 150:850] = doc[0:500]
    cur[100:600, 150:850] = doc[45:545]
    cur[300:340, 836:850] = (0, 0, 0, 255)  # scrollbar thumb moved
    moves = detect_moves(prev, cur, (128, 64, 768, 576))
    assert moves and all(m.src_y - m.y == 45 for m in moves)
    fixed = prev.copy()
    apply_moves(fixed, moves)
    before = int((prev != cur).any(axis=2).sum())
    after = int((fixed != cur).any(axis=2).sum())
    assert after < before / 5


def test_a_window_edge_inside_a_band_is_moved_to_the_pixel() -> None:
    """Blocks are found in whole 64-px bands; the band holding the window's edge (22 px of
    photo, 42 of document here) matches at no shift. The move is widened into it column by
    column: only the newly exposed rows and the scrollbar are left to send, not the edge
    band's 42 columns with every frame (issue 16)."""
    screen = photo(700, 1000)
    doc = text_document(2000, 700)
    doc[:, :12] = (40, 90, 160, 255)  # the window's own coloured border, part of what scrolls
    doc[::50, :12] = (255, 255, 255, 255)
    prev, cur = screen.copy(), screen.copy()
    prev[100:600, 150:850] = doc[0:500]
    cur[100:600, 150:850] = doc[45:545]
    cur[300:340, 836:850] = (0, 0, 0, 255)  # scrollbar thumb moved
    moves = detect_moves(prev, cur, (128, 64, 768, 576))
    assert moves and min(m.x for m in moves) == 150
    fixed = prev.copy()
    apply_moves(fixed, moves)
    rows, cols = np.nonzero((fixed != cur).any(axis=2))
    left = cols < 192
    assert rows[left].size == 0 or rows[left].min() >= 600 - 45  # the exposed strip only


def test_horizontal_shift() -> None:
    img = photo(300, 900)
    prev = img[:, 0:600].copy()
    cur = img[:, 40:640].copy()
    moves = detect_moves(prev, cur, horizontal=True)
    assert moves and all(m.src_x - m.x == 40 and m.y == m.src_y for m in moves)
    fixed = prev.copy()
    apply_moves(fixed, moves)
    assert int((fixed != cur).any(axis=(0, 2)).sum()) <= 40


def test_no_moves_for_unrelated_change() -> None:
    a = photo(300, 400, seed=1)
    b = photo(300, 400, seed=2)
    for m in detect_moves(a, b):  # any reported move must at least be correct
        assert np.array_equal(
            a[m.src_y : m.src_y + m.h, m.src_x : m.src_x + m.w], b[m.y : m.y + m.h, m.x : m.x + m.w]
        )


def test_refinement_tracker() -> None:
    tr = RefinementTracker((4, 4), 64, delay=0.3)
    mask = np.zeros((4, 4), bool)
    mask[1, 1] = True
    tr.note_changed(mask, 1.0)
    tr.note_sent(64, 64, 64, 64, lossy=True)
    assert not tr.due(1.2).any()
    assert tr.due(1.3)[1, 1] and tr.due(1.3).sum() == 1
    tr.note_move(Move(x=64, y=64 + 70, w=64, h=64, src_x=64, src_y=64))
    assert tr.lossy[2, 1] and tr.lossy[3, 1]
    tr.note_sent(64, 64, 64, 192, lossy=False)
    assert not tr.any_lossy


def test_split_panes_scrolling_apart_share_the_band_between_them() -> None:
    """Two panes scrolling at different speeds, their border inside one band: each pane's
    move is widened up to the border and no further (the other pane's columns are its own),
    and the moves put the picture right."""
    left = photo(600, 300, seed=3)  # photographs: unlike lines of text, alike at no shift
    right = photo(600, 340, seed=4)
    prev = np.zeros((400, 640, 4), dtype=np.uint8)
    cur = prev.copy()
    prev[:, :300], prev[:, 300:] = left[100:500], right[100:500]
    cur[:, :300], cur[:, 300:] = left[120:520], right[140:540]
    moves = detect_moves(prev, cur)
    assert {m.src_y - m.y for m in moves} == {20, 40}
    for a in moves:
        for b in moves:
            assert a is b or a.x + a.w <= b.x or b.x + b.w <= a.x
    fixed = prev.copy()
    apply_moves(fixed, moves)
    rows = np.flatnonzero((fixed != cur).any(axis=(1, 2)))
    assert rows.size == 0 or rows.min() >= 400 - 40  # the exposed strips only


def test_widening_takes_over_a_small_match_of_the_same_shift_in_the_edge_band() -> None:
    """A few rows of the edge band happened to match on their own (a block of the same shift
    within the big block's rows): the big block widens over them, the small one keeps only
    what lies beside it, or goes."""
    from shared.codec.scroll import _widen

    rng = np.random.default_rng(7)
    prev = rng.integers(0, 2**32, size=(120, 256), dtype=np.uint32)
    cur = rng.integers(0, 2**32, size=(120, 256), dtype=np.uint32)
    cur[10:100, 20:] = prev[5:95, 20:]  # moved down 5 rows from column 20 on
    cur[10:20, :20] = prev[5:15, :20]  # ... and a few rows of the band's first columns too
    big, small = (64, 10, 192, 90, 5), (0, 10, 64, 10, 5)
    assert _widen(prev, cur, [big, small], 64) == [(20, 10, 236, 90, 5), (0, 10, 20, 10, 5)]
    cur[10:20, :20] = rng.integers(0, 2**32, size=(10, 20), dtype=np.uint32)
    cur[10:100, :20] = prev[5:95, :20]  # the whole band moved: the small block is covered
    assert _widen(prev, cur, [big, (0, 10, 64, 10, 5)], 64) == [(0, 10, 256, 90, 5)]
    other = (0, 50, 64, 10, 9)  # another shift in those rows: a limit, not taken over
    assert _widen(prev, cur, [big, other], 64)[0] == big
