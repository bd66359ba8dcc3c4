"""The console's decode thread: frames into the framebuffer, damage out as ``QImage`` views.

Why a thread of its own: a frame costs up to tens of milliseconds of numpy/zstd/libjpeg work
(with the GIL released); on the network loop it would delay End and the round-trip measurement
behind a hostile stream, on the GUI thread it would stall painting. The decoder owns the
:class:`~console.framebuffer.Framebuffer` (and with it the zstd context); the GUI reads the
patches it emits, and the decoder starts the next frame only after the GUI said it drew them.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

import numpy as np
from PySide6.QtGui import QImage

from console.framebuffer import Framebuffer
from shared import messages as m
from shared.errors import FernhilfeError

__all__ = ["BOUNDING_FILL", "FrameDecoder", "damage_patches"]

#: Send one bounding-box patch instead of many when the rects cover this much of it.
BOUNDING_FILL = 0.5


def damage_patches(array: np.ndarray, damage: list[tuple[int, int, int, int]]
                   ) -> list[tuple[int, int, QImage]]:
    """``QImage`` views of the damaged parts of a BGRA framebuffer: ``(x, y, image)``.

    Many small rects that fill most of their bounding box become one patch of that box. No
    pixel is copied: each image reads the framebuffer's memory in place (and holds a reference
    to the array, so it stays valid even after the framebuffer moved on to a new array). Why:
    a whole-screen copy per resize cost 64 MiB and ~20 ms more. The price: nobody may write
    into ``array`` until the GUI has drawn the patches (:class:`FrameDecoder` waits for that).
    """
    if not damage:
        return []
    boxes = damage
    box = Framebuffer.bounding(damage)
    if box is not None and len(damage) > 1:
        area = sum(w * h for _x, _y, w, h in damage)
        if area >= BOUNDING_FILL * box[2] * box[3]:
            boxes = [box]
    arr = np.asarray(array)
    if not arr.flags.c_contiguous:
        arr = np.ascontiguousarray(arr)  # the framebuffer is; only for other callers
    fw = arr.shape[1]
    flat = arr.reshape(-1)
    patches: list[tuple[int, int, QImage]] = []
    for x, y, w, h in boxes:
        start = (y * fw + x) * 4
        end = ((y + h - 1) * fw + x + w) * 4  # the last byte of the patch's last row
        image = QImage(flat[start:end].data, w, h, fw * 4, QImage.Format.Format_RGB32)
        image._pixels = arr  # type: ignore[attr-defined]  # keep the memory alive
        patches.append((x, y, image))
    return patches


class FrameDecoder:
    """The decode thread: applies frames to its :class:`Framebuffer`, one at a time, in order.

    Why a thread of its own: a frame costs up to tens of milliseconds of numpy/zstd/libjpeg
    work (released GIL); on the network loop that would delay End and pings behind a hostile
    stream. ``on_done(width, height, patches, seq)`` and ``on_error(exc)`` are called from this
    thread. A frame is started only after :meth:`shown` reported that the GUI took the last one.
    """

    def __init__(self, on_done: Callable[[int, int, list[tuple[int, int, QImage]], int], None],
                 on_error: Callable[[FernhilfeError], None]) -> None:
        self._on_done = on_done
        self._on_error = on_error
        self._fb = Framebuffer()
        self._cv = threading.Condition()
        self._queue: deque[m.FrameUpdate] = deque()
        self._gui_busy = False
        self._emitted_seq = -1
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="console-decode", daemon=True)
        self._thread.start()

    def put(self, update: m.FrameUpdate) -> None:
        """Queue a frame (the caller bounds how many wait: see MAX_FRAMES_PENDING)."""
        with self._cv:
            self._queue.append(update)
            self._cv.notify()

    def shown(self, seq: int) -> None:
        """The GUI drew frame ``seq``: the next one may be decoded (any thread).

        Only for the frame emitted last: a late ack of an earlier session's frame must not let
        the decoder write while the GUI still reads the current patches."""
        with self._cv:
            if seq == self._emitted_seq:
                self._gui_busy = False
                self._cv.notify()

    def close(self) -> None:
        """Stop after the current frame; waiting frames are dropped (any thread)."""
        with self._cv:
            self._closed = True
            self._queue.clear()
            self._cv.notify()

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._closed and (self._gui_busy or not self._queue):
                    self._cv.wait()
                if self._closed:
                    self._fb = Framebuffer()  # free the screen memory now
                    return
                update = self._queue.popleft()
                self._gui_busy = True
            try:
                damage = self._fb.apply(update.width, update.height, update.rects, update.seq)
                patches = damage_patches(self._fb.array, damage)
            except FernhilfeError as exc:
                self.close()
                self._on_error(exc)
                continue
            seq = update.seq
            del update  # the payloads: free them before the GUI draws
            with self._cv:
                self._emitted_seq = seq
            self._on_done(self._fb.width, self._fb.height, patches, seq)
