"""The customer's global hotkey: stop control, and end the session, from the keyboard at any time.

**The key: Ctrl+Alt+End** (German keyboards: Strg+Alt+Ende), plus **Pause** where the keyboard
has one. Why these:

- Every German (and US) keyboard has Ctrl, Alt and End, laptops included; many laptops have no
  Pause key, so Pause is only a convenience on full-size keyboards.
- The combination does nothing in common desktops or programs (Ctrl+Alt+Del, Ctrl+Alt+F-keys and
  Ctrl+Alt+Backspace are taken by the system), so grabbing it for the length of a session costs
  the customer nothing; plain End (grabbed alone it would break End in every program) is never
  taken. AltGr on German layouts is ISO_Level3_Shift (Mod5), not Alt, so AltGr+End does not
  trigger it by accident.
- It works whatever the technician holds: the grab is registered for Ctrl+Alt+End with *every*
  combination of the other modifiers (Shift, Caps/Num Lock, Super, AltGr...), so a modifier the
  technician keeps pressed cannot make the customer's combination miss; a held ordinary key or
  mouse button does not matter to a key grab at all. The grab lives on the root window in the
  agent's own X connection and thread, so a busy or frozen GUI thread does not delay it either.
- It can only *take away*: the first press stops control, a further press ends the session.
  Nothing it does ever grants control; a hostile technician who injects it (XTest events pass
  the same grab) can at most end their own access. Holding it down (a held grabbed key keeps
  the keyboard grabbed) does not lock the customer out either: the press stops control at once,
  and ending control releases every key the technician holds.

Known limit (X11 itself): while another program holds an active keyboard grab (an open menu of
some toolkits, a screen locker), no passive grab fires; Escape closes such menus.

On other platforms, or without an X display, :func:`create_hotkey` returns a :class:`Hotkey`
that does nothing and says so (``start()`` is ``False``); the panel then shows no hint.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import select
import sys
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

#: What the panel shows (translated there); kept in sync with the grabs below.
HOTKEY_KEYS = "Ctrl+Alt+End"


class Hotkey(QObject):
    """No global hotkey on this platform: ``start()`` says ``False``; ``triggered`` never fires."""

    triggered = Signal()

    def start(self) -> bool:
        """Begin listening; ``True`` when the hotkey really works."""
        return False

    def stop(self) -> None:
        """Stop listening (safe to call twice, or without ``start``)."""


class X11Hotkey(Hotkey):
    """Ctrl+Alt+End (any extra modifiers) and Pause, grabbed on the X root window.

    A background thread owns its own python-xlib connection and only emits ``triggered`` (Qt
    queues it to the GUI thread). Auto-repeat of a held key fires once, not again and again.
    """

    def __init__(self, display_name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._display_name = display_name
        self._display: Any = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._wake_r, self._wake_w = -1, -1
        self._codes: set[int] = set()
        self._down: set[int] = set()
        self._released_at: dict[int, int] = {}

    def start(self) -> bool:
        if self._thread is not None:
            return True
        try:
            from Xlib import XK, X
            from Xlib.display import Display

            display = Display(self._display_name)
        except Exception as exc:  # no X server, no python-xlib: the panel still has buttons
            log.warning("global hotkey unavailable: %s", exc)
            return False
        root = display.screen().root
        extra_masks = (X.ShiftMask, X.LockMask, X.Mod2Mask, X.Mod3Mask, X.Mod4Mask, X.Mod5Mask)
        extras = [sum(combo) for n in range(len(extra_masks) + 1)
                  for combo in itertools.combinations(extra_masks, n)]
        end_codes = {display.keysym_to_keycode(XK.string_to_keysym(name))
                     for name in ("End", "KP_End")} - {0}
        if not end_codes or not self._grab(display, root, [
                (code, X.ControlMask | X.Mod1Mask | extra)
                for code in end_codes for extra in extras]):
            # Another program holds (part of) the combination: ours would fire only sometimes.
            log.warning("global hotkey %s is taken by another program; not available",
                        HOTKEY_KEYS)
            display.close()
            return False
        self._codes = set(end_codes)
        pause = display.keysym_to_keycode(XK.string_to_keysym("Pause"))
        if pause and self._grab(display, root, [(pause, X.AnyModifier)]):
            self._codes.add(pause)  # a convenience: fine if another program has Pause
        self._display = display
        self._stopping.clear()
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="agent-hotkey", daemon=True)
        self._thread.start()
        log.info("global hotkey %s active (Pause too: %s)", HOTKEY_KEYS, pause in self._codes)
        return True

    @staticmethod
    def _grab(display: Any, root: Any, grabs: list[tuple[int, int]]) -> bool:
        """Grab every (keycode, modifiers) or none: all-or-nothing, so a key never half-works."""
        from Xlib import X, error

        catch = error.CatchError(error.BadAccess)
        for code, modifiers in grabs:
            root.grab_key(code, modifiers, False, X.GrabModeAsync, X.GrabModeAsync,
                          onerror=catch)
        display.sync()
        if catch.get_error() is None:
            return True
        for code in {c for c, _ in grabs}:
            root.ungrab_key(code, X.AnyModifier)
        display.sync()
        return False

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stopping.set()
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")
        thread.join(2.0)
        display, self._display = self._display, None
        with contextlib.suppress(Exception):
            from Xlib import X

            root = display.screen().root
            for code in self._codes:
                root.ungrab_key(code, X.AnyModifier)
            display.sync()
        with contextlib.suppress(Exception):
            display.close()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1

    # ----------------------------------------------------------------- hotkey thread

    def _run(self) -> None:
        from Xlib import X

        display = self._display
        try:
            while not self._stopping.is_set():
                while display.pending_events():
                    event = display.next_event()
                    if event.type == X.KeyPress:
                        self._on_press(event.detail, event.time)
                    elif event.type == X.KeyRelease:
                        self._down.discard(event.detail)
                        self._released_at[event.detail] = event.time
                readable, _, _ = select.select([display.fileno(), self._wake_r], [], [], 1.0)
                if self._wake_r in readable:
                    return
        except Exception as exc:  # the X server went away: the buttons still work
            if not self._stopping.is_set():
                log.warning("global hotkey stopped: %s", exc)

    def _on_press(self, code: int, time: int) -> None:
        if code not in self._codes or code in self._down:
            return
        self._down.add(code)
        if self._released_at.get(code) == time:
            return  # auto-repeat: X sends release+press with the same timestamp
        self.triggered.emit()


def create_hotkey(display_name: str | None = None) -> Hotkey:
    """The hotkey for this platform: X11 when there is a display, otherwise a no-op."""
    if sys.platform.startswith("linux") and (display_name or os.environ.get("DISPLAY")):
        return X11Hotkey(display_name)
    return Hotkey()
