"""The Windows pointer's shape (I-beam, hand, busy), so the console draws what the customer sees.

Windows has no "cursor image" call like X11's XFixes: ``GetCursorInfo`` names the cursor shown
now (a handle), ``GetIconInfo`` gives its two bitmaps and hotspot, ``GetDIBits`` their pixels.
A cursor comes in one of three forms, all turned into straight RGBA by the pure
:func:`cursor_rgba` (tested on any platform with hand-made bitmaps):

- a colour bitmap whose alpha bytes are used (modern cursors): taken as is (Windows cursor alpha
  is straight, not premultiplied);
- a colour bitmap without alpha (all alpha bytes 0) plus a 1-bit AND mask: mask bit 1 means
  transparent, unless the colour is not black there, which inverts the screen;
- monochrome: no colour bitmap, the mask is twice as tall, the AND mask above the XOR mask
  (AND 0 / XOR 0 black, AND 0 / XOR 1 white, AND 1 / XOR 0 transparent, AND 1 / XOR 1 the
  screen inverted: the classic I-beam).

An RGBA picture cannot invert what lies below it, so inverted pixels are drawn opaque black:
the I-beam stays visible over the white documents it is mostly seen on.

Budget: a cursor larger than ``messages.MAX_CURSOR`` (256) on a side is refused before any
pixel is read; the console would refuse it anyway.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from ctypes import wintypes

import numpy as np

from agent.cursor import PointerShape
from agent.platform.windows import last_error
from shared import messages
from shared.errors import FernhilfeError

log = logging.getLogger(__name__)


class CursorImageError(FernhilfeError):
    """A cursor's bitmaps do not make an image we send (too large, inconsistent sizes)."""


def mask_stride(width: int) -> int:
    """Bytes per row of a 1-bit DIB: rows are padded to whole 32-bit words."""
    return ((width + 31) // 32) * 4


def check_cursor_size(width: int, height: int) -> None:
    """Refuse a cursor outside 1..MAX_CURSOR on either side (before reading its pixels)."""
    top = messages.MAX_CURSOR
    if not (1 <= width <= top and 1 <= height <= top):
        raise CursorImageError(
            f"a {width}x{height} cursor is not sent (at most {top}x{top} pixels)")


def _mask_bits(mask: bytes, width: int, rows: int) -> np.ndarray:
    """A packed 1-bit top-down DIB (most significant bit first) → a (rows, width) bool array."""
    stride = mask_stride(width)
    if len(mask) < stride * rows:
        raise CursorImageError(
            f"the cursor mask has {len(mask)} bytes, {stride * rows} are needed")
    packed = np.frombuffer(mask, dtype=np.uint8, count=stride * rows).reshape(rows, stride)
    return np.unpackbits(packed, axis=1)[:, :width].astype(bool)


def cursor_rgba(width: int, height: int, color: bytes | None, mask: bytes) -> bytes:
    """A Windows cursor's bitmaps → ``width*height*4`` bytes of straight RGBA.

    ``color``: 32-bit top-down BGRA rows (``GetDIBits`` with a negative height), or None for a
    monochrome cursor, whose ``mask`` then holds ``2*height`` rows (AND above XOR). ``mask``:
    1-bit top-down rows padded to 32 bits (:func:`mask_stride`). Raises
    :class:`CursorImageError` for a size over the budget or bitmaps too short for it."""
    check_cursor_size(width, height)
    out = np.zeros((height, width, 4), dtype=np.uint8)
    if color is None:
        bits = _mask_bits(mask, width, 2 * height)
        and_mask, xor_mask = bits[:height], bits[height:]
        white = ~and_mask & xor_mask
        out[white, :3] = 255
        # opaque: black, white, and inverted (drawn black, see the module docstring)
        out[:, :, 3] = np.where(~and_mask | xor_mask, 255, 0).astype(np.uint8)
        return out.tobytes()
    need = width * height * 4
    if len(color) < need:
        raise CursorImageError(f"the cursor image has {len(color)} bytes, {need} are needed")
    bgra = np.frombuffer(color, dtype=np.uint8, count=need).reshape(height, width, 4)
    out[:, :, 0] = bgra[:, :, 2]
    out[:, :, 1] = bgra[:, :, 1]
    out[:, :, 2] = bgra[:, :, 0]
    if bgra[:, :, 3].any():  # a cursor with its own alpha: the mask adds nothing
        out[:, :, 3] = bgra[:, :, 3]
        return out.tobytes()
    and_mask = _mask_bits(mask, width, height)
    inverted = and_mask & bgra[:, :, :3].any(axis=2)
    out[and_mask] = 0  # transparent, and inverted made black below
    out[:, :, 3] = np.where(~and_mask | inverted, 255, 0).astype(np.uint8)
    return out.tobytes()


# --------------------------------------------------------------------------- Win32 (ctypes)

CURSOR_SHOWING = 0x00000001
DIB_RGB_COLORS = 0
BI_RGB = 0


class CURSORINFO(ctypes.Structure):
    _fields_ = [("cbSize", wintypes.DWORD), ("flags", wintypes.DWORD),
                ("hCursor", wintypes.HANDLE), ("ptScreenPos", wintypes.POINT)]


class ICONINFO(ctypes.Structure):
    _fields_ = [("fIcon", wintypes.BOOL), ("xHotspot", wintypes.DWORD),
                ("yHotspot", wintypes.DWORD), ("hbmMask", wintypes.HBITMAP),
                ("hbmColor", wintypes.HBITMAP)]


class BITMAP(ctypes.Structure):
    _fields_ = [("bmType", wintypes.LONG), ("bmWidth", wintypes.LONG),
                ("bmHeight", wintypes.LONG), ("bmWidthBytes", wintypes.LONG),
                ("bmPlanes", wintypes.WORD), ("bmBitsPixel", wintypes.WORD),
                ("bmBits", wintypes.LPVOID)]


class BITMAPINFOHEADER(ctypes.Structure):
    _fields_ = [("biSize", wintypes.DWORD), ("biWidth", wintypes.LONG),
                ("biHeight", wintypes.LONG), ("biPlanes", wintypes.WORD),
                ("biBitCount", wintypes.WORD), ("biCompression", wintypes.DWORD),
                ("biSizeImage", wintypes.DWORD), ("biXPelsPerMeter", wintypes.LONG),
                ("biYPelsPerMeter", wintypes.LONG), ("biClrUsed", wintypes.DWORD),
                ("biClrImportant", wintypes.DWORD)]


class BITMAPINFO(ctypes.Structure):
    """The header plus room for the two colours of a 1-bit bitmap."""

    _fields_ = [("bmiHeader", BITMAPINFOHEADER), ("bmiColors", wintypes.DWORD * 2)]


def _libraries() -> tuple[ctypes.CDLL, ctypes.CDLL]:
    """user32 and gdi32 with every function's argtypes and restype declared."""
    if sys.platform != "win32":
        raise OSError("Windows cursor shapes need Windows")
    user32 = ctypes.WinDLL("user32", use_last_error=True)
    gdi32 = ctypes.WinDLL("gdi32", use_last_error=True)
    user32.GetCursorInfo.argtypes = [ctypes.POINTER(CURSORINFO)]
    user32.GetCursorInfo.restype = wintypes.BOOL
    user32.GetIconInfo.argtypes = [wintypes.HANDLE, ctypes.POINTER(ICONINFO)]
    user32.GetIconInfo.restype = wintypes.BOOL
    user32.GetDC.argtypes = [wintypes.HWND]
    user32.GetDC.restype = wintypes.HDC
    user32.ReleaseDC.argtypes = [wintypes.HWND, wintypes.HDC]
    user32.ReleaseDC.restype = ctypes.c_int
    gdi32.GetObjectW.argtypes = [wintypes.HANDLE, ctypes.c_int, wintypes.LPVOID]
    gdi32.GetObjectW.restype = ctypes.c_int
    gdi32.GetDIBits.argtypes = [wintypes.HDC, wintypes.HBITMAP, wintypes.UINT, wintypes.UINT,
                                wintypes.LPVOID, ctypes.POINTER(BITMAPINFO), wintypes.UINT]
    gdi32.GetDIBits.restype = ctypes.c_int
    gdi32.DeleteObject.argtypes = [wintypes.HGDIOBJ]
    gdi32.DeleteObject.restype = wintypes.BOOL
    return user32, gdi32


class WindowsCursor:
    """Reads the shown cursor's shape, only when its handle changed (a poll is one call).

    Never raises from :meth:`shape`: the pointer watcher stops on an exception, and a shape
    we cannot read is only a plain arrow on the technician's side."""

    def __init__(self) -> None:
        self._user32, self._gdi32 = _libraries()
        self._handle: int | None = None
        self._shape: PointerShape | None = None
        self._serial = 0
        self.image_reads = 0  # bitmap reads (tests, diagnostics)

    def _info(self) -> CURSORINFO | None:
        info = CURSORINFO()
        info.cbSize = ctypes.sizeof(CURSORINFO)
        return info if self._user32.GetCursorInfo(ctypes.byref(info)) else None

    def position(self) -> tuple[int, int] | None:
        """Where the pointer is, in virtual-screen pixels (None when Windows does not say)."""
        info = self._info()
        return None if info is None else (int(info.ptScreenPos.x), int(info.ptScreenPos.y))

    def shape(self) -> PointerShape | None:
        info = self._info()
        if info is None:
            return self._shape  # e.g. the secure desktop is up: keep what was last shown
        if not info.flags & CURSOR_SHOWING or not info.hCursor:
            self._handle = None
            return None
        handle = int(info.hCursor)
        if handle != self._handle:
            self._handle = handle
            try:
                self._shape = self.read(handle)
            except (OSError, CursorImageError) as exc:
                log.debug("cursor shape not read: %s", exc)
                self._shape = None
        return self._shape

    def read(self, handle: int) -> PointerShape:
        """The shape of cursor ``handle`` (a new serial each time); raises OSError or
        :class:`CursorImageError` when it cannot be read or is over the budget."""
        self.image_reads += 1
        icon = ICONINFO()
        if not self._user32.GetIconInfo(handle, ctypes.byref(icon)):
            raise OSError(last_error(), "GetIconInfo failed for the shown cursor")
        try:
            mask_bmp = self._bitmap(icon.hbmMask)
            if icon.hbmColor:
                width, height = mask_bmp.bmWidth, mask_bmp.bmHeight
                check_cursor_size(width, height)
                color: bytes | None = self._bits(icon.hbmColor, width, height, 32)
            else:
                width, height = mask_bmp.bmWidth, mask_bmp.bmHeight // 2
                check_cursor_size(width, height)
                color = None
            mask = self._bits(icon.hbmMask, width, height if color is not None else 2 * height,
                              1)
            rgba = cursor_rgba(width, height, color, mask)
        finally:
            for bitmap in (icon.hbmMask, icon.hbmColor):
                if bitmap:
                    self._gdi32.DeleteObject(bitmap)
        self._serial += 1
        return PointerShape(self._serial, width, height, min(int(icon.xHotspot), width - 1),
                            min(int(icon.yHotspot), height - 1), rgba)

    def _bitmap(self, bitmap: int) -> BITMAP:
        info = BITMAP()
        if not bitmap or not self._gdi32.GetObjectW(bitmap, ctypes.sizeof(BITMAP),
                                                     ctypes.byref(info)):
            raise CursorImageError("the cursor has no readable mask bitmap")
        return info

    def _bits(self, bitmap: int, width: int, rows: int, bits_per_pixel: int) -> bytes:
        """The bitmap's pixels as a top-down DIB of ``bits_per_pixel`` (32 or 1)."""
        header = BITMAPINFO()
        h = header.bmiHeader
        h.biSize = ctypes.sizeof(BITMAPINFOHEADER)
        h.biWidth = width
        h.biHeight = -rows  # negative: top-down rows
        h.biPlanes = 1
        h.biBitCount = bits_per_pixel
        h.biCompression = BI_RGB
        stride = width * 4 if bits_per_pixel == 32 else mask_stride(width)
        buffer = ctypes.create_string_buffer(stride * rows)
        dc = self._user32.GetDC(None)
        if not dc:
            raise CursorImageError("no screen device context for the cursor")
        try:
            got = self._gdi32.GetDIBits(dc, bitmap, 0, rows, buffer, ctypes.byref(header),
                                        DIB_RGB_COLORS)
        finally:
            self._user32.ReleaseDC(None, dc)
        if got != rows:
            raise CursorImageError(f"GetDIBits read {got} of {rows} cursor rows")
        return buffer.raw

    def close(self) -> None:
        """Nothing to free: the bitmaps are deleted after each read."""
