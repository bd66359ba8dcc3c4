"""Where the customer's mouse pointer is and what it looks like, so the console can draw it.

Screen capture does not include the pointer; the agent sends its position separately (small
messages, only when it changed) and its shape when that changed (an I-beam over text, a busy
cursor), and the console paints the pointer on top of the picture. One small class per platform
family, picked at run time, no X11 assumption outside ``_X11Pointer``.

Shapes: X11 reads them with XFixes ``GetCursorImage`` (python-xlib's ``Xlib.ext.xfixes``),
Windows with ``GetCursorInfo``/``GetIconInfo``/``GetDIBits``
(:mod:`agent.platform.windows_cursor`). macOS reports ``shape() is None`` for now (the console
then draws a plain arrow); reading it needs ``NSCursor.currentSystemCursor``.
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from shared import messages


@dataclass(frozen=True)
class PointerShape:
    """A pointer image: ``width*height*4`` bytes of straight (not premultiplied) RGBA.

    ``serial`` changes whenever the shape does (compare it, not the pixels)."""

    serial: int
    width: int
    height: int
    hot_x: int
    hot_y: int
    rgba: bytes


class PointerSource(Protocol):
    def position(self) -> tuple[int, int] | None: ...
    def shape(self) -> PointerShape | None: ...
    def close(self) -> None: ...


def argb_premultiplied_to_rgba(pixels: object, width: int, height: int) -> bytes:
    """XFixes cursor pixels (one 32-bit premultiplied ARGB value each) → straight RGBA bytes."""
    argb = np.asarray(pixels, dtype=np.uint32).reshape(height, width)
    a = (argb >> 24).astype(np.uint32)
    out = np.empty((height, width, 4), dtype=np.uint8)
    safe = np.maximum(a, 1)
    for i, shift in enumerate((16, 8, 0)):
        c = (argb >> shift) & 0xFF
        out[:, :, i] = np.where(a > 0, np.minimum(255, (c * 255 + safe // 2) // safe), 0)
    out[:, :, 3] = a
    return out.tobytes()


class _X11Pointer:
    """XQueryPointer for the position, XFixes for the shape, on its own display connection.

    The shape is read (``GetCursorImage``: the whole image, parsed by python-xlib into a list
    of ints) only when XFixes said it changed (``DisplayCursorNotify``, selected on the root):
    reading it on every poll was most of the pointer watcher's cost, ten times a second at
    rest and 33 while the pointer moves (issue 16: typing and idle CPU)."""

    def __init__(self, display_name: str | None = None) -> None:
        from Xlib import display

        self._display = display.Display(display_name)
        self._root = self._display.screen().root
        self._xfixes = False
        #: a shape change was announced (or nothing is known yet): read the image
        self._changed = True
        #: XFixes reports shape changes: read the image only after one (else on every poll)
        self._notified = False
        self.image_reads = 0  # GetCursorImage requests (tests, diagnostics)
        try:
            if self._display.has_extension("XFIXES"):
                self._display.xfixes_query_version()
                self._xfixes = True
                from Xlib.ext import xfixes

                self._display.xfixes_select_cursor_input(
                    self._root, xfixes.XFixesDisplayCursorNotifyMask)
                self._display.sync()  # from here on every change is announced
                self._notified = True
        except Exception:  # an old server without XFixes: position only
            self._notified = False
        #: XInput 2 raw motion selected: :meth:`wait_for_change` can block until the pointer moves
        self._motion = False
        try:
            if self._display.has_extension("XInputExtension"):
                from Xlib.ext import xinput

                self._display.xinput_query_version()
                self._root.xinput_select_events([(xinput.AllMasterDevices,
                                                  xinput.RawMotionMask)])
                self._display.sync()
                self._motion = True
        except Exception:  # no XInput 2: the watcher keeps polling
            self._motion = False
        self._serial: int | None = None
        self._shape: PointerShape | None = None

    def position(self) -> tuple[int, int] | None:
        reply = self._root.query_pointer()
        return int(reply.root_x), int(reply.root_y)

    def wait_for_change(self, timeout: float, wake_fd: int) -> bool:
        """Block until the pointer may have moved (a raw motion event: a mouse or XTest, not a
        warp) or its shape changed, ``wake_fd`` is readable, or ``timeout`` passed. False at
        once when this server can't say (no XInput 2): the caller polls instead. The events
        are left queued; :meth:`shape` reads them."""
        if not self._motion:
            return False
        if not self._display.pending_events():
            select.select([self._display.fileno(), wake_fd], [], [], timeout)
        return True

    def _shape_changed(self) -> bool:
        """Read the events already received (the position's round trip brought them in):
        True if the shape changed since the last image read."""
        while self._display.pending_events():
            ev = self._display.next_event()
            serial = getattr(ev, "cursor_serial", None)
            if serial is not None and serial != self._serial:
                self._changed = True
        changed, self._changed = self._changed, not self._notified
        return changed

    def shape(self) -> PointerShape | None:
        if not self._xfixes:
            return None
        if not self._shape_changed():
            return self._shape
        self.image_reads += 1
        # python-xlib 0.33 registers this on the display with an unused ``window`` argument.
        reply = self._display.xfixes_get_cursor_image(None)
        serial = int(reply.cursor_serial)
        if serial != self._serial:
            self._serial = serial
            w, h = int(reply.width), int(reply.height)
            # what the console accepts (messages.MAX_CURSOR); bigger ones are left out
            top = messages.MAX_CURSOR
            if 1 <= w <= top and 1 <= h <= top and len(reply.cursor_image) == w * h:
                self._shape = PointerShape(
                    serial, w, h, min(int(reply.xhot), w - 1), min(int(reply.yhot), h - 1),
                    argb_premultiplied_to_rgba(reply.cursor_image, w, h))
            else:
                self._shape = None
        return self._shape

    def close(self) -> None:
        self._display.close()


class _PynputPointer:
    """Windows and macOS: pynput's native pointer query (not testable on this Linux CI); on
    Windows the shape comes from :class:`agent.platform.windows_cursor.WindowsCursor`."""

    def __init__(self) -> None:
        from pynput.mouse import Controller

        self._mouse = Controller()
        self._shapes: PointerSource | None = None
        if sys.platform == "win32":
            from agent.platform.windows_cursor import WindowsCursor

            with contextlib.suppress(OSError):  # no shapes is a plain arrow, not a failure
                self._shapes = WindowsCursor()

    def position(self) -> tuple[int, int] | None:
        x, y = self._mouse.position
        return int(x), int(y)

    def shape(self) -> PointerShape | None:
        # macOS: not implemented yet, the console draws an arrow
        return self._shapes.shape() if self._shapes is not None else None

    def close(self) -> None:
        if self._shapes is not None:
            self._shapes.close()


class _NoPointer:
    def position(self) -> tuple[int, int] | None:
        return None

    def shape(self) -> PointerShape | None:
        return None

    def close(self) -> None:
        pass


def create_pointer_source() -> PointerSource:
    """The best pointer source here; a source that reports nothing if none works."""
    try:
        if sys.platform in ("win32", "darwin"):
            return _PynputPointer()
        if os.environ.get("DISPLAY"):
            return _X11Pointer()
    except Exception:  # a missing pointer must never stop a session
        pass
    return _NoPointer()


class CursorReporter:
    """Decides which :class:`~shared.messages.CursorUpdate` to send after each poll (sans-I/O).

    Sends nothing while the pointer rests with the same shape; the position when it moved; the
    shape along with the position only when its serial changed. Coordinates are made relative to
    the captured screen's ``origin`` and clamped to the wire range. With the shared picture's
    ``size`` (one monitor of several), a pointer on another monitor is sent as not visible: the
    technician would otherwise see it stuck at the picture's edge.
    """

    def __init__(self, origin: tuple[int, int] = (0, 0),
                 size: tuple[int, int] | None = None) -> None:
        self.origin = origin
        self.size = size
        self._last_pos: tuple[int, int] | None = None
        self._last_serial: int | None = None

    def poll(self, source: PointerSource) -> messages.CursorUpdate | None:
        pos = source.position()
        if pos is None:
            return None
        shape = source.shape()
        serial = shape.serial if shape is not None else None
        new_shape = shape is not None and serial != self._last_serial
        if pos == self._last_pos and not new_shape:
            return None
        self._last_pos = pos
        self._last_serial = serial
        top = messages.MAX_COORDINATE
        rx, ry = pos[0] - self.origin[0], pos[1] - self.origin[1]
        visible = self.size is None or (0 <= rx < self.size[0] and 0 <= ry < self.size[1])
        x = max(0, min(top, rx))
        y = max(0, min(top, ry))
        wire_shape = None
        if new_shape and shape is not None:
            wire_shape = messages.CursorShape(shape.width, shape.height, shape.hot_x,
                                              shape.hot_y, shape.rgba)
        return messages.CursorUpdate(x, y, visible, wire_shape)


#: Pointer poll while it moves, and while it rests (shape changes still show within 0.1 s).
CURSOR_INTERVAL = 0.03
CURSOR_IDLE_INTERVAL = 0.1
#: While it rests, with a source that wakes the watcher when the pointer moves or changes shape
#: (X11 with XInput 2 and XFixes): the safety-net poll, for moves no event reports (a program
#: warping the pointer). Polling ten times a second cost the resting agent 0.4 % of a core.
CURSOR_WATCHED_IDLE_INTERVAL = 0.5
#: Seconds of the fast poll after the last movement.
CURSOR_LINGER = 1.0


class CursorWatcher:
    """Polls the pointer on a thread of its own and reports each update worth sending.

    Why a thread: every poll is a round trip to the display server; on the network loop it
    would delay End and frames, and hopping there and back ten times a second costs more than
    the poll. Fast while the pointer moves, slower while it rests; where the source can say
    when the pointer moves or changes shape (``wait_for_change``: X11 with XInput 2), at rest
    it blocks until then, with a slow safety-net poll. ``on_update(update)`` is called from
    the watcher's thread, only when something changed.
    """

    def __init__(self, origin: tuple[int, int],
                 on_update: Callable[[messages.CursorUpdate], None],
                 source: Callable[[], PointerSource] = create_pointer_source,
                 name: str = "agent-cursor", size: tuple[int, int] | None = None) -> None:
        self._origin = origin
        self._size = size  # of the shared picture: see CursorReporter
        self._on_update = on_update
        self._source = source
        self._stop = threading.Event()
        self._wake_r = self._wake_w = -1  # wakes a watcher blocked on the source's events
        self._fd_lock = threading.Lock()  # the thread closes them; stop() must not write after
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._wake_r, self._wake_w = os.pipe()
        self._thread.start()

    def stop(self) -> None:
        """Stop polling soon (any thread); the source is closed on the watcher's thread."""
        self._stop.set()
        with self._fd_lock, contextlib.suppress(OSError):
            if self._wake_w >= 0:
                os.write(self._wake_w, b"x")

    def _rest(self, source: PointerSource) -> None:
        """Wait while the pointer rests: until the source reports a change (with a safety-net
        timeout) where it can, else one idle poll interval."""
        wait = getattr(source, "wait_for_change", None)
        if wait is None or not wait(CURSOR_WATCHED_IDLE_INTERVAL, self._wake_r):
            self._stop.wait(CURSOR_IDLE_INTERVAL)

    def _run(self) -> None:
        reporter = CursorReporter(self._origin, self._size)
        last_change = -float("inf")
        source: PointerSource | None = None
        try:
            source = self._source()
            while not self._stop.is_set():
                update = reporter.poll(source)
                now = time.monotonic()
                if update is not None:
                    last_change = now
                    self._on_update(update)
                if now - last_change < CURSOR_LINGER:
                    self._stop.wait(CURSOR_INTERVAL)
                else:
                    self._rest(source)
        except Exception:  # the display went away (agent exiting): no pointer, no crash
            return
        finally:
            if source is not None:
                with contextlib.suppress(Exception):
                    source.close()
            with self._fd_lock:
                for fd in (self._wake_r, self._wake_w):
                    with contextlib.suppress(OSError):
                        os.close(fd)
                self._wake_r = self._wake_w = -1
