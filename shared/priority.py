"""Input first: the part of an update that answers the technician's input goes ahead (issue 16).

Why: on a slow uplink (4 Mbit/s) a typed glyph rode in the same update as the scroll beside it,
so it waited for that whole update to cross the line (a 20 kB scroll update is 40 ms there) and
for the pacing that spaces such updates. :func:`split_echo` takes the small rectangles that can
be applied on their own out of an update, so the streamer sends them as a frame of their own
first (with the echo credit of :class:`shared.flow.FlowControl`), and the rest right after.

Applying the echo part and then the rest gives the same framebuffer as the whole update, pixel
for pixel: a rectangle is only taken out when no other rectangle of the update writes where it
lies, and no COPY reads from there (a COPY reads the framebuffer as it is when it is applied).
Pure: no clock, no I/O.
"""

from __future__ import annotations

import struct

from shared.codec import Encoding
from shared.codec.frame import wire_bytes
from shared.messages import Rect

__all__ = [
    "ECHO_MAX_AREA", "ECHO_MAX_BYTES", "ECHO_MAX_SIDE", "SCROLL_MARGIN", "boxes", "footprints",
    "may_go_ahead", "slices", "split_echo",
]

#: A rectangle bigger than this (pixels, or per side) is not an echo (a glyph, a caret, a small
#: field is; a scroll's exposed strip spans the document).
ECHO_MAX_AREA = 256 * 128
ECHO_MAX_SIDE = 512
#: A rect within this many pixels of a COPY's destination belongs to that scroll (its exposed
#: strip, a photo piece in it), not to an echo.
SCROLL_MARGIN = 16
#: The echo part's payload bytes at most; more and it is no longer small enough to go ahead.
ECHO_MAX_BYTES = 16_384

_COPY = struct.Struct("<II")

Box = tuple[int, int, int, int]  # x0, y0, x1, y1


def _box(x: int, y: int, w: int, h: int) -> Box:
    return x, y, x + w, y + h


def _meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _footprint(rect: Rect) -> list[Box]:
    """Where applying ``rect`` writes, and (COPY) where it reads."""
    boxes = [_box(rect.x, rect.y, rect.w, rect.h)]
    if rect.encoding == Encoding.COPY.value and len(rect.payload) == _COPY.size:
        sx, sy = _COPY.unpack(rect.payload)
        boxes.append(_box(sx, sy, rect.w, rect.h))
    return boxes


def boxes(rects: list[Rect]) -> list[Box]:
    """Where the rects write, ``(x0, y0, x1, y1)`` each: what :func:`split_echo` is told of the
    update before (``busy``)."""
    return [_box(r.x, r.y, r.w, r.h) for r in rects]


def footprints(rects: list[Rect]) -> list[Box]:
    """Where the rects write and (COPY) read: an echo that meets none of them may be applied
    before them (slices of an older update still to be sent) and the picture stays the same."""
    return [b for r in rects for b in _footprint(r)]


def slices(rects: list[Rect], max_bytes: int) -> list[list[Rect]]:
    """``rects`` cut, in order, into runs of about ``max_bytes`` (as ``EncodedFrame.nbytes``
    counts them): a run ends before the rect that would take it over ``max_bytes``, unless the
    run is still under half of it (then that rect joins it: a scroll's COPY is not sent alone
    ahead of the strip it exposes), so a run holds at most 1.5x ``max_bytes``, or less than half
    of it and then one big rect. Applied one after the other they give the same picture as the
    whole: only the moment between them is new (a torn picture for one slice's time on a slow
    link, as VNC shows it)."""
    out: list[list[Rect]] = []
    run: list[Rect] = []
    size = 0
    for rect in rects:
        cost = wire_bytes([rect])
        if run and size + cost > max_bytes and 2 * size >= max_bytes:
            out.append(run)
            run, size = [], 0
        run.append(rect)
        size += cost
    if run:
        out.append(run)
    return out


def _candidate(rect: Rect, scrolls: list[Box]) -> bool:
    if rect.encoding in (Encoding.COPY.value, Encoding.VIDEO.value):
        return False
    if rect.w > ECHO_MAX_SIDE or rect.h > ECHO_MAX_SIDE or rect.w * rect.h > ECHO_MAX_AREA:
        return False
    return not any(_meets(_footprint(rect)[0], s) for s in scrolls)


def may_go_ahead(rect: Rect, busy: list[Box], behind: list[Box]) -> bool:
    """Whether ``rect``, found before the rest of its update was encoded
    (:meth:`shared.codec.frame.FrameEncoder.encode_ahead`), may go ahead of it as an echo: by
    :func:`split_echo`'s rules for one rect: small, not where the update before wrote
    (``busy``: an animation), and meeting nothing still to be sent of the updates before
    (``behind``, their :func:`footprints`: applied after it, they would paint over it). The
    rest of its update is encoded after it, so it cannot meet that."""
    if not _candidate(rect, busy):
        return False
    mine = _box(rect.x, rect.y, rect.w, rect.h)  # where it writes (a candidate is no COPY)
    return not any(_meets(mine, b) for b in behind)


def split_echo(rects: list[Rect], busy: list[Box] | None = None,
               max_bytes: int = ECHO_MAX_BYTES, *,
               behind: list[Box] | None = None) -> tuple[list[Rect], list[Rect]]:
    """``(echo, rest)``: small rects that may go ahead of the others, and the others in order.

    ``echo`` is empty when nothing is small, or when everything is and nothing waits to be
    sent before this update (then there is nothing to go ahead of: the update goes whole).
    ``behind``: the :func:`footprints` of what is still to be sent of the updates before it
    (slices of a big one); the echo goes ahead of that too, so a rect meeting it is no echo,
    and a small update may go ahead whole. A rect next to a COPY's destination is part of that
    scroll, not an echo; so is one where the update before wrote too (``busy``, from
    :func:`boxes`): what changes in update after update is an animation (a clock, a spinner,
    a frame counter), not the answer to a key. A small rect stays in ``rest`` when it meets
    another rect's footprint (written or, for COPY, read) or when the echo part's bytes would pass
    ``max_bytes``."""
    m = SCROLL_MARGIN
    scrolls = [(r.x - m, r.y - m, r.x + r.w + m, r.y + r.h + m)
               for r in rects if r.encoding == Encoding.COPY.value] + list(busy or ())
    prints = [_footprint(r) for r in rects]
    small = [i for i, r in enumerate(rects) if may_go_ahead(r, scrolls, behind or [])]
    whole_ok = bool(behind)  # there is something to go ahead of even if all of it goes
    if not small or (len(small) == len(rects) and not whole_ok):
        return [], list(rects)
    taken: set[int] = set()
    budget = max_bytes
    for i in small:
        mine = prints[i][0]
        if any(_meets(mine, b) for j, bs in enumerate(prints) if j != i for b in bs):
            continue
        cost = wire_bytes([rects[i]])
        if cost > budget:
            continue
        budget -= cost
        taken.add(i)
    if not taken or (len(taken) == len(rects) and not whole_ok):
        return [], list(rects)
    return ([r for i, r in enumerate(rects) if i in taken],
            [r for i, r in enumerate(rects) if i not in taken])
