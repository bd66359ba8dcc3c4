"""Scroll and move detection: find blocks of the previous frame that reappear shifted.

A scrolling document changes almost every pixel, but most of the new frame is the old one moved by
``dy`` rows. We hash each row of each 64-px column band of both frames, let rows whose hash is
unique in the previous frame vote for a shift, then verify the best shifts band by band and keep
the longest run of matching rows. Each hit becomes a COPY rectangle; what is left (the newly
exposed strip, a scrollbar thumb) is found by the ordinary tile diff *after* the copy is applied,
so a hash collision can never corrupt the picture: the residual diff is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BAND", "Move", "apply_moves", "band_row_hashes", "detect_moves"]

BAND = 64
_WEIGHTS = np.random.default_rng(0x5C0117).integers(1, 2**63, size=BAND, dtype=np.uint64) | 1
_SALT = np.random.default_rng(0xBA2D).integers(0, 2**63, size=4096, dtype=np.uint64)


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

    Returns ``(h, ceil(w / band))`` uint64; a wrapping dot product with fixed odd weights (~1 ms for
    1080p). Equal strips always hash equal; different strips collide with negligible probability.
    """
    h, w = px.shape
    nfull = w // band
    out = np.empty((h, nfull + (1 if w % band else 0)), dtype=np.uint64)
    weights = _WEIGHTS[:band] if band <= BAND else np.resize(_WEIGHTS, band) | 1
    if nfull:
        main = px[:, : nfull * band].reshape(h, nfull, band)
        out[:, :nfull] = np.einsum("hbk,k->hb", main, weights)
    if w % band:
        out[:, nfull] = px[:, nfull * band :] @ weights[: w % band]
    return out


def _longest_run(flags: np.ndarray) -> tuple[int, int]:
    """Start and length of the longest run of True in a 1-D bool array (length 0 if none)."""
    if not flags.any():
        return 0, 0
    padded = np.concatenate(([False], flags, [False]))
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[::2], edges[1::2]
    i = int(np.argmax(ends - starts))
    return int(starts[i]), int(ends[i] - starts[i])


_ROW_BITS = 16  # low key bits carry the row (frames have at most MAX_DIMENSION = 8192 rows)
_TAG = 1 << _ROW_BITS


def _candidates(hp: np.ndarray, hc: np.ndarray, max_shift: int, top: int) -> list[int]:
    """Shifts voted for by rows whose (band, hash) is unique in the previous frame.

    One sort instead of ``np.unique`` + ``searchsorted``: each key is the salted hash's top 47 bits,
    a tag bit (0 = previous frame, 1 = current) and the row in the low 16 bits. After sorting, the
    keys of one hash form a group with the previous frame's rows first; a group whose first two
    entries are one previous row and a current row makes every current row in it vote for
    ``row_c - row_p``. (The vote only proposes shifts; each is verified with the full hashes, and
    the residual tile diff is exact anyway.)
    """
    n, nb = hp.shape
    if n == 0 or nb == 0 or n >= _TAG:
        return []
    salt = _SALT[np.arange(nb) % _SALT.size]
    rows = np.arange(n, dtype=np.uint64)[:, None]
    hi = np.uint64(~((1 << (_ROW_BITS + 1)) - 1) & (2**64 - 1))
    kp = ((hp + salt) & hi) | rows
    kc = ((hc + salt) & hi) | (rows | np.uint64(_TAG))
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
    claimed = np.zeros(hp.shape[1], dtype=bool)
    found: list[tuple[int, int, int, int, int]] = []
    for dy in _candidates(hp, hc, limit, top):
        # eq[i, b]: cur row i+max(dy,0) equals prev row i+max(-dy,0) in band b
        c = hc[max(dy, 0) : n + min(dy, 0)]
        p = hp[max(-dy, 0) : n - max(dy, 0)]
        eq = c == p
        runs = [_longest_run(eq[:, b]) for b in range(eq.shape[1])]
        b = 0
        while b < len(runs):
            start, length = runs[b]
            if claimed[b] or length < min_rows:
                b += 1
                continue
            b1 = b + 1
            while b1 < len(runs) and runs[b1] == runs[b] and not claimed[b1]:
                b1 += 1
            y = start + max(dy, 0)
            # worth it only if the block is not already in place
            if not np.array_equal(hc[y : y + length, b:b1], hp[y : y + length, b:b1]):
                x0, x1 = b * band, min(b1 * band, width)
                found.append((x0, y, x1 - x0, length, dy))
                claimed[b:b1] = True
            b = b1
    return found


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
    found = _detect_vertical(a, b, band, min_rows, max_shift, top, prev_hashes, cur_hashes)
    moves = []
    for x, y, w, h, d in found:
        if horizontal:
            moves.append(Move(rx + y, ry + x, h, w, rx + y - d, ry + x))
        else:
            moves.append(Move(rx + x, ry + y, w, h, rx + x, ry + y - d))
    return moves


def apply_moves(frame: np.ndarray, moves: list[Move]) -> None:
    """Apply moves to a BGRA frame in place, exactly as the COPY decoder does."""
    for m in moves:
        frame[m.y : m.y + m.h, m.x : m.x + m.w] = frame[
            m.src_y : m.src_y + m.h, m.src_x : m.src_x + m.w
        ].copy()
