"""The X DAMAGE watcher over libxcb (ctypes): python-xlib's cycle, a fraction of its CPU.

Why: every report of :class:`agent.damage.X11DamageWatcher` costs python-xlib a subtract, a sync
round trip and the parsing of each event in pure Python (``send_and_recv``, ``parse_binary``,
about five socket passes): 1 % of a core while the customer types, a sixth of the agent's typing
cost (issue 16). Here the same requests go through libxcb and libxcb-damage by ctypes; the
thread blocks in ``select`` on xcb's socket and decodes a DamageNotify with one
``struct.unpack_from`` of its 32 bytes.

The cycle (subtract, sync, read, report; the pause between reports; the carried rectangles)
and everything the streamer calls (``take_damage``, ``has_damage``, ``stop``) are
:class:`~agent.damage.X11DamageWatcher`'s: see that module's docstring for why nothing drawn
can be missed. :func:`available` says whether both libraries load; if not,
:func:`agent.damage.watcher_for` keeps the python-xlib watcher.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import os
import select
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

from agent.damage import Rect, X11DamageWatcher

__all__ = ["XcbDamageWatcher", "available", "decode_damage_notify"]

log = logging.getLogger(__name__)

#: DAMAGE's report level: each drawn rectangle not already in the damage region.
REPORT_DELTA_RECTANGLES = 0
#: DamageNotify is the extension's first (and only) event.
DAMAGE_NOTIFY = 0
#: ``xcb_query_extension_reply_t``: present at byte 8, first_event at byte 10.
_EXT_PRESENT, _EXT_FIRST_EVENT = 8, 10
_EVENT_SIZE = 32
_AREA = struct.Struct("<hhHH")  # DamageNotify's area at byte 16: x, y, width, height


class _Cookie(ctypes.Structure):
    _fields_ = [("sequence", ctypes.c_uint)]


class _ScreenIterator(ctypes.Structure):
    _fields_ = [("data", ctypes.c_void_p), ("rem", ctypes.c_int), ("index", ctypes.c_int)]


class _Libs:
    """libxcb, libxcb-damage and libc's ``free``, with the prototypes this module calls."""

    def __init__(self) -> None:
        xcb_name = ctypes.util.find_library("xcb") or "libxcb.so.1"
        damage_name = ctypes.util.find_library("xcb-damage") or "libxcb-damage.so.0"
        self.xcb = xcb = ctypes.CDLL(xcb_name)
        self.damage = damage = ctypes.CDLL(damage_name)
        self.libc = ctypes.CDLL(None)
        vp, u32, c_int = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int
        protos: list[tuple[Any, str, Any, list[Any]]] = [
            (xcb, "xcb_connect", vp, [ctypes.c_char_p, ctypes.POINTER(c_int)]),
            (xcb, "xcb_connection_has_error", c_int, [vp]),
            (xcb, "xcb_disconnect", None, [vp]),
            (xcb, "xcb_get_setup", vp, [vp]),
            (xcb, "xcb_setup_roots_iterator", _ScreenIterator, [vp]),
            (xcb, "xcb_screen_next", None, [ctypes.POINTER(_ScreenIterator)]),
            (xcb, "xcb_get_extension_data", vp, [vp, vp]),
            (xcb, "xcb_generate_id", u32, [vp]),
            (xcb, "xcb_flush", c_int, [vp]),
            (xcb, "xcb_get_file_descriptor", c_int, [vp]),
            (xcb, "xcb_poll_for_event", vp, [vp]),
            (xcb, "xcb_request_check", vp, [vp, _Cookie]),
            (xcb, "xcb_get_input_focus", _Cookie, [vp]),
            (xcb, "xcb_get_input_focus_reply", vp, [vp, _Cookie, vp]),
            (damage, "xcb_damage_query_version", _Cookie, [vp, u32, u32]),
            (damage, "xcb_damage_query_version_reply", vp, [vp, _Cookie, vp]),
            (damage, "xcb_damage_create_checked", _Cookie, [vp, u32, u32, ctypes.c_uint8]),
            (damage, "xcb_damage_subtract", _Cookie, [vp, u32, u32, u32]),
            (self.libc, "free", None, [vp]),
        ]
        for lib, name, restype, argtypes in protos:
            fn = getattr(lib, name)
            fn.restype, fn.argtypes = restype, argtypes
        self.damage_id = ctypes.addressof(ctypes.c_char.in_dll(damage, "xcb_damage_id"))


_LIBS: _Libs | None = None
_LIBS_LOCK = threading.Lock()


def _libs() -> _Libs | None:
    """The libraries, loaded once; None where they are missing (no libxcb-damage0 installed)."""
    global _LIBS
    with _LIBS_LOCK:
        if _LIBS is None:
            try:
                _LIBS = _Libs()
            except (OSError, AttributeError, ValueError) as exc:
                log.info("libxcb-damage not usable, keeping python-xlib for DAMAGE: %s", exc)
                return None
        return _LIBS


def available() -> bool:
    """libxcb and libxcb-damage load (the XCB watcher can be tried)."""
    return _libs() is not None


def decode_damage_notify(event: bytes, damage_event: int) -> Rect | None:
    """The drawn rectangle of one 32-byte X event if it is a DamageNotify (``damage_event``: the
    extension's first event code), else None (another event, or an error: ``response_type`` 0).
    The X server is trusted as far as the screen goes, yet a short buffer is no crash."""
    if len(event) < _EVENT_SIZE or (event[0] & 0x7F) != damage_event:
        return None
    x, y, w, h = _AREA.unpack_from(event, 16)
    return x, y, w, h


class XcbDamageWatcher(X11DamageWatcher):
    """:class:`~agent.damage.X11DamageWatcher` with libxcb instead of python-xlib."""

    def start(self, on_change: Callable[[], None]) -> bool:
        """Connect and create the damage object here (damage from now on counts), then watch in
        a thread. False (no thread) without the libraries, an X display or DAMAGE."""
        if self._thread is not None:
            raise RuntimeError("already started")
        libs = _libs()
        if libs is None:
            return False
        xcb = libs.xcb
        screen_no = ctypes.c_int(0)
        name = self.display.encode() if self.display else None
        conn = xcb.xcb_connect(name, ctypes.byref(screen_no))
        if not conn or xcb.xcb_connection_has_error(conn):
            log.info("no X display for change notifications (xcb)")
            if conn:
                xcb.xcb_disconnect(conn)
            return False
        try:
            damage_event, handle = self._create(libs, conn, screen_no.value)
        except (OSError, RuntimeError) as exc:
            log.info("cannot use DAMAGE over xcb: %s", exc)
            xcb.xcb_disconnect(conn)
            return False
        self._stop_r, self._stop_w = os.pipe()
        self._alive = True
        self._thread = threading.Thread(
            target=self._run, args=(libs, conn, handle, damage_event, on_change),
            name="x11-damage", daemon=True,
        )
        self._thread.start()
        return True

    @staticmethod
    def _create(libs: _Libs, conn: int, screen_no: int) -> tuple[int, int]:
        """The damage object on the root window of ``screen_no``: (DamageNotify code, id)."""
        xcb, dmg = libs.xcb, libs.damage
        ext = xcb.xcb_get_extension_data(conn, libs.damage_id)
        if not ext:
            raise RuntimeError("no extension data")
        info = ctypes.string_at(ext, 12)
        if not info[_EXT_PRESENT]:
            raise RuntimeError("the X server has no DAMAGE extension")
        reply = dmg.xcb_damage_query_version_reply(
            conn, dmg.xcb_damage_query_version(conn, 1, 1), None)  # required before any other
        if not reply:
            raise RuntimeError("DAMAGE version query failed")
        libs.libc.free(reply)
        it = xcb.xcb_setup_roots_iterator(xcb.xcb_get_setup(conn))
        for _ in range(screen_no):
            xcb.xcb_screen_next(ctypes.byref(it))
        if not it.data:
            raise RuntimeError("no such X screen")
        root = ctypes.c_uint32.from_address(it.data).value  # xcb_screen_t starts with root
        handle = int(xcb.xcb_generate_id(conn))
        err = xcb.xcb_request_check(conn, dmg.xcb_damage_create_checked(
            conn, handle, root, REPORT_DELTA_RECTANGLES))
        if err:
            libs.libc.free(err)
            raise RuntimeError("DamageCreate failed")
        return info[_EXT_FIRST_EVENT] + DAMAGE_NOTIFY, handle

    @staticmethod
    def _drain_xcb(libs: _Libs, conn: int, damage_event: int) -> list[Rect]:
        """Rectangles of every DamageNotify xcb holds or the socket has (reads them all)."""
        poll, free, string_at = libs.xcb.xcb_poll_for_event, libs.libc.free, ctypes.string_at
        rects: list[Rect] = []
        while True:
            ev = poll(conn)
            if not ev:
                return rects
            rect = decode_damage_notify(string_at(ev, _EVENT_SIZE), damage_event)
            free(ev)
            if rect is not None:
                rects.append(rect)

    def _run(self, libs: _Libs, conn: int, handle: int, damage_event: int,  # type: ignore[override]
             on_change: Callable[[], None]) -> None:
        xcb = libs.xcb
        fd = xcb.xcb_get_file_descriptor(conn)
        carry: list[Rect] = []  # read after the last subtract: maybe drawn after it, add again
        before: list[Rect] = []
        last_report = -float("inf")
        try:
            while not self._stopping.is_set():
                if not carry and not before:
                    before = self._drain_xcb(libs, conn, damage_event)
                    if not before:
                        if xcb.xcb_connection_has_error(conn):
                            raise OSError("X connection lost")
                        ready, _, _ = select.select([fd, self._stop_r], [], [], 5.0)
                        if self._stop_r in ready:
                            break
                        continue
                if not self._spaced(last_report):  # at most one report per min_interval
                    break
                before += self._drain_xcb(libs, conn, damage_event)
                if not before and not carry:
                    continue
                xcb_sync = xcb.xcb_get_input_focus_reply
                libs.damage.xcb_damage_subtract(conn, handle, 0, 0)  # the next draw reports
                reply = xcb_sync(conn, xcb.xcb_get_input_focus(conn), None)  # round trip
                if not reply:
                    raise OSError("X connection lost")
                libs.libc.free(reply)
                after = self._drain_xcb(libs, conn, damage_event)
                self._add_damage(before + carry + after)
                before, carry = [], after
                self.notifications += 1
                last_report = time.monotonic()
                try:
                    on_change()
                except Exception:
                    log.exception("change callback failed")
        except Exception:  # connection lost (X server gone): capture falls back to full grabs
            log.warning("screen change watcher stopped", exc_info=True)
        finally:
            with self._pending_lock:
                self._alive = False
            with contextlib.suppress(Exception):
                xcb.xcb_disconnect(conn)
