"""Windows only: reading real cursors through GetIconInfo/GetDIBits.

Skipped elsewhere (user32/gdi32 exist only on Windows; the conversion itself is tested on every
platform in tests/agent/test_windows_cursor.py). A hosted runner may have no mouse, and Windows
then hides the pointer; so the system's own arrow and I-beam are loaded by handle and read."""

from __future__ import annotations

import sys

import numpy as np
import pytest

pytestmark = pytest.mark.skipif(sys.platform != "win32",
                                reason="GetCursorInfo/GetIconInfo/GetDIBits exist only on Windows")

IDC_ARROW = 32512  # colour with alpha on current Windows
IDC_IBEAM = 32513  # classically monochrome with inverted pixels


def system_cursor(ident: int) -> int:
    import ctypes
    from ctypes import wintypes

    user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    user32.LoadCursorW.argtypes = [wintypes.HINSTANCE, ctypes.c_void_p]
    user32.LoadCursorW.restype = wintypes.HANDLE
    handle = user32.LoadCursorW(None, ident)
    assert handle, "LoadCursorW failed"
    return int(handle)


@pytest.mark.parametrize("ident", [IDC_ARROW, IDC_IBEAM])
def test_a_system_cursor_reads_as_a_sane_shape(ident):
    from agent.platform.windows_cursor import WindowsCursor

    shape = WindowsCursor().read(system_cursor(ident))
    assert 1 <= shape.width <= 256 and 1 <= shape.height <= 256
    assert 0 <= shape.hot_x < shape.width and 0 <= shape.hot_y < shape.height
    rgba = np.frombuffer(shape.rgba, dtype=np.uint8).reshape(shape.height, shape.width, 4)
    alpha = rgba[:, :, 3]
    assert (alpha > 0).any(), "a cursor with no visible pixel"
    assert (alpha == 0).any(), "a cursor with no transparent pixel"


def test_the_shown_cursor_reads_without_raising():
    from agent.platform.windows_cursor import WindowsCursor

    source = WindowsCursor()
    first = source.shape()
    assert first is None or 1 <= first.width <= 256
    assert source.shape() is first  # same handle: not read again
    assert source.position() is None or len(source.position() or ()) == 2


def test_the_agent_pointer_source_has_shapes_on_windows():
    from agent.cursor import create_pointer_source

    source = create_pointer_source()
    try:
        assert getattr(source, "_shapes", None) is not None
    finally:
        source.close()
