"""Where the customer's mouse pointer is, so the console can draw it locally.

Screen capture does not include the pointer; the agent sends its position separately (small,
frequent messages) and the console paints a pointer on top of the picture. One small class per
platform family, picked at run time, no X11 assumption outside ``_X11Pointer``.
"""

from __future__ import annotations

import os
import sys
from typing import Protocol


class PointerSource(Protocol):
    def position(self) -> tuple[int, int] | None: ...
    def close(self) -> None: ...


class _X11Pointer:
    """Reads the pointer with XQueryPointer on its own display connection (not thread-shared)."""

    def __init__(self) -> None:
        from Xlib import display

        self._display = display.Display()
        self._root = self._display.screen().root

    def position(self) -> tuple[int, int] | None:
        reply = self._root.query_pointer()
        return int(reply.root_x), int(reply.root_y)

    def close(self) -> None:
        self._display.close()


class _PynputPointer:
    """Windows and macOS: pynput's native pointer query (not testable on this Linux CI)."""

    def __init__(self) -> None:
        from pynput.mouse import Controller

        self._mouse = Controller()

    def position(self) -> tuple[int, int] | None:
        x, y = self._mouse.position
        return int(x), int(y)

    def close(self) -> None:
        pass


class _NoPointer:
    def position(self) -> tuple[int, int] | None:
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
