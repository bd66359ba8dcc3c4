"""Scroll and move detection: find blocks of the previous frame that reappear shifted.

A scrolling document changes almost every pixel, but most of the new frame is the old one moved by
``dy`` rows. We hash each row of each 64-px column band of both frames, let rows whose hash is
unique in the previous frame vote for a shift, then verify the best shifts band by band and keep
the longest run of matching rows. Each hit becomes a COPY rectangle; what is left (the newly
exposed strip, a scrollbar thumb) is found by the ordinary tile diff *after* the copy is applied,
so a hash collision can never corrupt the picture: the residual diff is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["BAND", "Move", "apply_moves", "band_row_hashes", "detect_moves"]

BAND = 64
#: Odd 32-bit weights of the row hash. 32 bits and not 64: numpy's uint32 products run in SIMD
#: lanes, five times faster than uint64 on a 1080p frame (issue 16); a hash only proposes and
#: verifies shifts, the exact residual diff decides what is sent, so a rare collision costs
#: bytes, never a wrong picture. One pixel changed never collides (odd weight, delta < 2**32).
_WEIGHTS = (np.random.default_rng(0x5C0117).integers(1, 2**31, size=BAND, dtype=np.uint32)
            * np.uint32(2) + np.uint32(1))


@dataclass(frozen=True, slots=True)
class Move:
    """Copy the ``w x h`` block at ``(src_x, src_y)`` to ``(x, y)`` (a COPY rectangle)."""

    x: int
    y: int
    w: int
    h: int
    src_x: int
    src_y: int


def band_row_hashes(px: np.ndarray, band: int = BAND) -> np.ndarray:
    """Hash of every row of every ``band``-wide column strip of a uint32 ``(h, w)`` array.

    Returns ``(h, ceil(w / band))`` uint32; a wrapping dot product with fixed odd weights (~0.4 ms
    for 1080p). Equal strips always hash equal; different strips rarely collide (1 in 2**32).
    """
    h, w = px.shape
    nfull = w // band
    out = np.empty((h, nfull + (1 if w % band else 0)), dtype=np.uint32)
    weights = _WEIGHTS[:band] if band <= BAND else np.resize(_WEIGHTS, band) | np.uint32(1)
    if nfull:
        main = px[:, : nfull * band].reshape(h, nfull, band)
        np.einsum("hbk,k->hb", main, weights, out=out[:, :nfull])
    if w % band:
        out[:, nfull] = px[:, nfull * band :] @ weights[: w % band]
    return out


def _longest_run(flags: np.ndarray) -> tuple[int, int]:
    """Start and length of the longest run of True in a 1-D bool array (length 0 if none)."""
    starts, lengths = _longest_runs(flags[:, None])
    return int(starts[0]), int(lengths[0])


def _longest_runs(eq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column of a 2-D bool array: start and length of its first longest run of True
    (0, 0 for a column without one). One pass for all columns instead of a loop per band."""
    n, nb = eq.shape
    starts = np.zeros(nb, dtype=np.int64)
    lengths = np.zeros(nb, dtype=np.int64)
    if n == 0 or nb == 0:
        return starts, lengths
    # A clean scroll matches every row of most bands: those need no run search (issue 16)
    whole = eq.all(axis=0)
    if whole.any():
        lengths[whole] = n
        if whole.all():
            return starts, lengths
        rest = np.flatnonzero(~whole)
        s, ln = _longest_runs(eq[:, rest])
        starts[rest], lengths[rest] = s, ln
        return starts, lengths
    padded = np.zeros((nb, n + 2), dtype=np.int8)
    padded[:, 1:-1] = eq.T
    d = np.diff(padded, axis=1)
    sc, sr = np.nonzero(d == 1)  # column-major: runs of one column in order, starts and ends
    _ec, er = np.nonzero(d == -1)  # pair up one to one
    if sc.size == 0:
        return starts, lengths
    run = er - sr
    order = np.lexsort((sr, -run, sc))  # per column: longest first, then the earliest
    first = np.ones(order.size, dtype=bool)
    sco = sc[order]
    first[1:] = sco[1:] != sco[:-1]
    pick = order[first]
    starts[sc[pick]] = sr[pick]
    lengths[sc[pick]] = run[pick]
    return starts, lengths


_ROW_BITS = 16  # low key bits carry the row (frames have at most MAX_DIMENSION = 8192 rows)
_TAG = 1 << _ROW_BITS


def _candidates(hp: np.ndarray, hc: np.ndarray, max_shift: int, top: int) -> list[int]:
    """Shifts voted for by rows whose (band, hash) is unique in the previous frame.

    One sort instead of ``np.unique`` + ``searchsorted``: each key is the band, the 32-bit hash,
    a tag bit (0 = previous frame, 1 = current) and the row in the low 16 bits. After sorting, the
    keys of one (band, hash) form a group with the previous frame's rows first; a group whose
    first two entries are one previous row and a current row makes every current row in it vote
    for ``row_c - row_p``. (The vote only proposes shifts; each is verified with the full hashes,
    and the residual tile diff is exact anyway.)
    """
    n, nb = hp.shape
    if n == 0 or nb == 0 or n >= _TAG or nb >= 1 << (63 - 32 - _ROW_BITS):
        return []
    rows = np.arange(n, dtype=np.uint64)[:, None]
    bands = np.arange(nb, dtype=np.uint64) << np.uint64(32 + _ROW_BITS + 1)
    kp = ((hp.astype(np.uint64) << np.uint64(_ROW_BITS + 1)) | bands) | rows
    kc = ((hc.astype(np.uint64) << np.uint64(_ROW_BITS + 1)) | bands) | (rows | np.uint64(_TAG))
    keys = np.sort(np.concatenate((kp.ravel(), kc.ravel())))
    grp = keys >> np.uint64(_ROW_BITS + 1)
    start = np.empty(keys.size, dtype=bool)
    start[0] = True
    np.not_equal(grp[1:], grp[:-1], out=start[1:])
    starts = np.flatnonzero(start)
    cur = (keys & np.uint64(_TAG)) != 0
    # a usable group: first entry from prev, second (if any in the group) from cur
    first_prev = ~cur[starts]
    nxt = starts + 1
    has_next = nxt < keys.size
    nxt = np.minimum(nxt, keys.size - 1)
    second_ok = has_next & cur[nxt] & (grp[nxt] == grp[starts])
    good = first_prev & second_ok
    if not good.any():
        return []
    row_mask = np.uint64(_TAG - 1)
    row_p = (keys[starts] & row_mask).astype(np.int64)
    gid = np.repeat(np.arange(starts.size), np.diff(starts, append=keys.size))
    vote = cur & good[gid]
    dy = (keys[vote] & row_mask).astype(np.int64) - row_p[gid[vote]]
    dy = dy[(dy != 0) & (np.abs(dy) <= max_shift)]
    if dy.size == 0:
        return []
    votes = np.bincount(dy + max_shift, minlength=2 * max_shift + 1)
    order = np.argsort(-votes, kind="stable")[:top]
    return [int(i) - max_shift for i in order if votes[i] >= 2]


def _detect_vertical(
    prev: np.ndarray,
    cur: np.ndarray,
    band: int,
    min_rows: int,
    max_shift: int | None,
    top: int,
    hp: np.ndarray | None = None,
    hc: np.ndarray | None = None,
    hints: Sequence[int] = (),
) -> list[tuple[int, int, int, int, int]]:
    """Vertical moves in uint32 ``(h, w)`` arrays as ``(x, y, w, h, dy)``; ``src_y = y - dy``."""
    n, width = cur.shape
    if n <= min_rows:
        return []
    if hp is None:
        hp = band_row_hashes(prev, band)
    if hc is None:
        hc = band_row_hashes(cur, band)
    limit = n - min_rows if max_shift is None else min(max_shift, n - min_rows)
    if limit < 1:
        return []
    nb = hp.shape[1]
    claimed = np.zeros(nb, dtype=bool)
    found: list[tuple[int, int, int, int, int]] = []
    # A scroll goes on at the speeds it had (a wheel moves whole lines: 1-3 of them a tick):
    # verify the recent shifts first, and skip the vote (a sort of every row's hash, the
    # costliest step) when one explains the picture: its moved blocks cover 3/4 of the (row,
    # band) cells whose hash changed (the rest: the exposed strip, a scrollbar thumb).
    # Otherwise forget what it claimed (blank areas match at any shift) and vote.
    changed = None
    for dy in hints:
        if dy == 0 or abs(dy) > limit:
            continue
        if changed is None:
            changed = hc != hp
            nchanged = int(changed.sum())
        # Its blocks can cover only changed cells whose row matches ``dy`` rows away: if those
        # are too few to reach 3/4, the check below fails whatever _claim finds, so skip it
        # (a wrong shift's matches are scattered: their runs were the costliest part, issue 16).
        d0, d1 = max(dy, 0), n + min(dy, 0)
        possible = int(np.count_nonzero(
            (hc[d0:d1] == hp[max(-dy, 0) : n - max(dy, 0)]) & changed[d0:d1]))
        if (nchanged - possible) * 4 > nchanged:
            continue
        _claim(hp, hc, dy, band, min_rows, width, claimed, found)
        if found:
            left = changed.copy()
            for x, y, _w, h, _d in found:
                left[y : y + h, x // band : (x + _w + band - 1) // band] = False
            if int(left.sum()) * 4 <= nchanged:
                return found
        claimed[:] = False
        found.clear()
    for dy in _candidates(hp, hc, limit, top):
        _claim(hp, hc, dy, band, min_rows, width, claimed, found)
    return found


def _claim(
    hp: np.ndarray, hc: np.ndarray, dy: int, band: int, min_rows: int, width: int,
    claimed: np.ndarray, found: list[tuple[int, int, int, int, int]],
) -> None:
    """Verify shift ``dy`` band by band: each unclaimed band's longest run of rows equal to the
    previous frame's rows ``dy`` above (neighbouring bands with the same run join one block)
    becomes a move, if it is long enough and not already in place."""
    n = hc.shape[0]
    # eq[i, b]: cur row i+max(dy,0) equals prev row i+max(-dy,0) in band b
    eq = hc[max(dy, 0) : n + min(dy, 0)] == hp[max(-dy, 0) : n - max(dy, 0)]
    starts_a, lengths_a = _longest_runs(eq)
    starts, lengths = starts_a.tolist(), lengths_a.tolist()
    nb = len(starts)
    b = 0
    while b < nb:
        start, length = starts[b], lengths[b]
        if claimed[b] or length < min_rows:
            b += 1
            continue
        b1 = b + 1
        while (b1 < nb and starts[b1] == start and lengths[b1] == length
               and not claimed[b1]):
            b1 += 1
        y = start + max(dy, 0)
        # worth it only if the block is not already in place
        if not np.array_equal(hc[y : y + length, b:b1], hp[y : y + length, b:b1]):
            x0, x1 = b * band, min(b1 * band, width)
            found.append((x0, y, x1 - x0, length, dy))
            claimed[b:b1] = True
        b = b1


def detect_moves(
    prev: np.ndarray,
    cur: np.ndarray,
    region: tuple[int, int, int, int] | None = None,
    *,
    horizontal: bool = False,
    band: int = BAND,
    min_rows: int = 16,
    max_shift: int | None = None,
    top: int = 3,
    prev_hashes: np.ndarray | None = None,
    cur_hashes: np.ndarray | None = None,
    hints: Sequence[int] = (),
) -> list[Move]:
    """Blocks of ``prev`` that reappear in ``cur`` shifted vertically (or horizontally).

    ``prev`` and ``cur`` are BGRA ``(h, w, 4)`` frames of equal shape; ``region`` ``(x, y, w, h)``
    limits the search (e.g. the bounding box of changed tiles). ``horizontal=True`` looks for
    sideways shifts instead (columns play the role of rows). Returned moves never overlap each
    other's destination and lie inside ``region``; apply them in order with :func:`apply_moves`.

    ``prev_hashes`` / ``cur_hashes``: :func:`band_row_hashes` of the region of ``prev`` / ``cur``
    (vertical search only) if the caller has them already, e.g. cached from the previous frame.
    They must be exactly what :func:`band_row_hashes` returns for the region; the result is then
    identical to computing them here.

    ``hints``: shifts found recently, newest first (a scroll goes on at its speeds). Each is
    verified in turn, and when one explains most of the picture the vote is skipped, else the
    search runs as without them. (Where skipped, the moves could differ from an unhinted
    search's; the picture never does: the residual diff is exact.)
    """
    if prev.shape != cur.shape:
        raise ValueError("frame shapes differ")
    fh, fw = cur.shape[:2]
    rx, ry, rw, rh = region if region is not None else (0, 0, fw, fh)
    a = prev[ry : ry + rh, rx : rx + rw].view(np.uint32)[..., 0]
    b = cur[ry : ry + rh, rx : rx + rw].view(np.uint32)[..., 0]
    if horizontal:
        if prev_hashes is not None or cur_hashes is not None:
            raise ValueError("cached hashes are for the vertical search only")
        a, b = a.T, b.T
    for hashes in (prev_hashes, cur_hashes):
        if hashes is not None and hashes.shape != (rh, (rw + band - 1) // band):
            raise ValueError("cached hashes do not fit the region")
    found = _detect_vertical(a, b, band, min_rows, max_shift, top, prev_hashes, cur_hashes,
                             hints)
    found = _widen(a, b, found, band)
    moves = []
    for x, y, w, h, d in found:
        if horizontal:
            moves.append(Move(rx + y, ry + x, h, w, rx + y - d, ry + x))
        else:
            moves.append(Move(rx + x, ry + y, w, h, rx + x, ry + y - d))
    return moves


def _widen(prev: np.ndarray, cur: np.ndarray, found: list[tuple[int, int, int, int, int]],
           band: int) -> list[tuple[int, int, int, int, int]]:
    """Each block ``(x, y, w, h, dy)`` widened sideways, column by column into the bands beside
    it, as far as its rows still match the previous frame's ``dy`` rows above, exactly.

    Why: blocks are found in whole bands, but a window's edges rarely fall on a band's: the
    band holding a scrolling window's edge (part border, part document) matches at no shift
    and was sent again, exact, with every frame of a scroll (issue 16). A block never grows
    into columns of another block whose rows (destination or source) meet its own, so the
    blocks stay independent; except a smaller block of the same shift within its rows (a few
    rows of that edge band that happened to match): that one gives up what it covers."""
    width = cur.shape[1]
    out: list[tuple[int, int, int, int, int] | None] = list(found)
    for i in range(len(out)):
        block = out[i]
        if block is None:
            continue
        x, y, w, h, dy = block
        sy = y - dy
        top, bottom = min(y, sy), max(y, sy) + h
        lo, hi = max(0, x - band), min(width, x + w + band)
        inside: list[int] = []  # same shift, within these rows: may be covered
        for j, other in enumerate(out):
            if j == i or other is None:
                continue
            ox, oy, ow, oh, od = other
            if min(oy, oy - od) >= bottom or max(oy, oy - od) + oh <= top:
                continue
            if od == dy and y <= oy and oy + oh <= y + h:
                inside.append(j)
            elif ox + ow <= x:
                lo = max(lo, ox + ow)
            elif ox >= x + w:
                hi = min(hi, ox)
            else:  # (blocks share no columns; should one ever, this one stays as it is)
                lo, hi = x, x + w
        x0, x1 = x, x + w
        if lo < x:
            bad = np.flatnonzero((cur[y : y + h, lo:x] != prev[sy : sy + h, lo:x]).any(axis=0))
            x0 = lo if bad.size == 0 else lo + int(bad[-1]) + 1
        if hi > x + w:
            bad = np.flatnonzero(
                (cur[y : y + h, x + w : hi] != prev[sy : sy + h, x + w : hi]).any(axis=0))
            x1 = hi if bad.size == 0 else x + w + int(bad[0])
        out[i] = (x0, y, x1 - x0, h, dy)
        for j in inside:  # what is left of each beside the widened block (a part of a match)
            ox, oy, ow, oh, od = out[j]  # type: ignore[misc]
            a, b = (ox, min(ox + ow, x0)) if ox < x0 else (max(ox, x1), ox + ow)
            out[j] = (a, oy, b - a, oh, od) if b > a else None
    return [b for b in out if b is not None]


def apply_moves(frame: np.ndarray, moves: list[Move]) -> None:
    """Apply moves to a BGRA frame in place, exactly as the COPY decoder does (a memmove).

    A vertical move is copied in slabs of ``|dy|`` rows, starting at the end it moves towards,
    so no slab overlaps its source and numpy copies each once, straight (a plain assignment of
    overlapping blocks goes through a temporary: twice the memory traffic, 3x slower at 1080p).
    """
    for m in moves:
        dy = m.y - m.src_y
        if m.x == m.src_x and dy and m.h // abs(dy) <= _MAX_SLABS:
            step = abs(dy)
            offsets = range(m.h - step, -step, -step) if dy > 0 else range(0, m.h, step)
            for o in offsets:
                o0 = max(o, 0)
                o1 = min(o + step, m.h)
                frame[m.y + o0 : m.y + o1, m.x : m.x + m.w] = frame[
                    m.src_y + o0 : m.src_y + o1, m.src_x : m.src_x + m.w]
            continue
        frame[m.y : m.y + m.h, m.x : m.x + m.w] = frame[
            m.src_y : m.src_y + m.h, m.src_x : m.src_x + m.w
        ].copy()


#: A vertical move needing more slabs than this (a shift of a few rows) is copied through a
#: temporary instead: the per-slab overhead would exceed the copy saved.
_MAX_SLABS = 64
