"""The customer's global hotkeys: stop control, and end the session, from the keyboard at any time.

**Stop control: Ctrl+Alt+End** (German keyboards: Strg+Alt+Ende), plus **Pause** where the
keyboard has one; pressed again once control is off, it ends the session. **End session:
Ctrl+Alt+Home** (Strg+Alt+Pos1), at once. Why these:

- Every German (and US) keyboard has Ctrl, Alt, End and Home, laptops included; many laptops
  have no Pause key, so Pause is only a convenience on full-size keyboards. End session is not
  Ctrl+Alt+Shift+End: a Shift the technician holds would turn the customer's Stop control into
  End session; Home sits right above End and takes the same modifiers.
- The combinations do nothing in common desktops or programs (Ctrl+Alt+Del, Ctrl+Alt+F-keys and
  Ctrl+Alt+Backspace are taken by the system), so grabbing them for a session costs
  the customer nothing; plain End (grabbed alone it would break End in every program) is never
  taken. AltGr on German layouts is ISO_Level3_Shift (Mod5), not Alt, so AltGr+End does not
  trigger them by accident.
- They work whatever the technician holds: each grab is registered with *every*
  combination of the other modifiers (Shift, Caps/Num Lock, Super, AltGr...), so a modifier the
  technician keeps pressed cannot make the customer's combination miss; a held ordinary key or
  mouse button does not matter to a key grab at all. The grab lives on the root window in the
  agent's own X connection and thread, so a busy or frozen GUI thread does not delay it either.
- They can only *take away*: stop control, end the session. Nothing they do ever grants
  control; a hostile technician who injects them (XTest events pass the same grab) can at most
  end their own access. Holding one down (a held grabbed key keeps
  the keyboard grabbed) does not lock the customer out either: the press stops control at once,
  and ending control releases every key the technician holds.

The same X connection also watches every mouse-button press (XInput 2.1 raw events, which X
delivers whoever holds the pointer): while the technician holds a button, X's implicit pointer
grab sends the customer's press to the technician's window (or drops it, when the same button is
already down), so the panel would never see the customer's first click; ``pointer_pressed``
lets the panel notice it anyway (see :class:`agent.ui.overlay.SessionOverlay`).

Known limit (X11 itself): while another program holds an active keyboard grab (an open menu of
some toolkits, a screen locker), no passive grab fires; Escape closes such menus.

On other platforms, or without an X display, :func:`create_hotkey` returns a :class:`Hotkey`
that does nothing and says so (``start()`` is ``False``); the panel then shows no keys.
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
END_HOTKEY_KEYS = "Ctrl+Alt+Home"

#: XInput 2 event type of a raw button press, and the pointer buttons that are clicks (4-7 are
#: wheel steps, which never start a grab worth noticing).
_RAW_BUTTON_PRESS = 15
_CLICK_BUTTONS = (1, 2, 3)


class Hotkey(QObject):
    """No global hotkey on this platform: ``start()`` says ``False``; no signal ever fires.

    Signals (emitted from the hotkey's own thread, so queued to the GUI): ``triggered()`` for
    the stop-control key, ``end_triggered()`` for the end-session key, ``pointer_pressed()``
    for any mouse-button press on the desktop, whoever's window X delivers it to.
    """

    triggered = Signal()
    end_triggered = Signal()
    pointer_pressed = Signal()

    def start(self) -> bool:
        """Begin listening; ``True`` when the hotkey really works."""
        return False

    def stop(self) -> None:
        """Stop listening (safe to call twice, or without ``start``)."""


class X11Hotkey(Hotkey):
    """Ctrl+Alt+End, Ctrl+Alt+Home (any extra modifiers) and Pause, grabbed on the X root window.

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
        self._end_codes: set[int] = set()
        self._xi_opcode: int | None = None
        self._keys_work = False
        self._down: set[int] = set()
        self._released_at: dict[int, int] = {}

    def start(self) -> bool:
        """Grab the keys and watch the buttons; ``True`` when the keys work.

        The button watch runs even when another program holds a key combination (then
        ``start`` says ``False`` and no key fires): the panel's first click still counts.
        """
        if self._thread is not None:
            return self._keys_work
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
        def codes(*names: str) -> set[int]:
            return {display.keysym_to_keycode(XK.string_to_keysym(n)) for n in names} - {0}

        stop_codes, end_codes = codes("End", "KP_End"), codes("Home", "KP_Home")
        if not stop_codes or not end_codes or not self._grab(display, root, [
                (code, X.ControlMask | X.Mod1Mask | extra)
                for code in stop_codes | end_codes for extra in extras]):
            # Another program holds (part of) a combination: ours would fire only sometimes.
            log.warning("global hotkeys %s / %s are taken by another program; not available",
                        HOTKEY_KEYS, END_HOTKEY_KEYS)
            self._codes, self._end_codes, self._keys_work = set(), set(), False
        else:
            self._codes, self._end_codes, self._keys_work = set(stop_codes), set(end_codes), True
        self._xi_opcode = self._watch_buttons(display, root)
        if not self._keys_work and self._xi_opcode is None:
            display.close()
            return False
        pause = display.keysym_to_keycode(XK.string_to_keysym("Pause"))
        if self._keys_work and pause and self._grab(display, root, [(pause, X.AnyModifier)]):
            self._codes.add(pause)  # a convenience: fine if another program has Pause
        self._display = display
        self._stopping.clear()
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="agent-hotkey", daemon=True)
        self._thread.start()
        log.info("global hotkeys %s / %s: %s (Pause too: %s, buttons watched: %s)",
                 HOTKEY_KEYS, END_HOTKEY_KEYS, "active" if self._keys_work else "unavailable",
                 pause in self._codes, self._xi_opcode is not None)
        return self._keys_work

    @staticmethod
    def _watch_buttons(display: Any, root: Any) -> int | None:
        """Ask for raw button presses of every device; the XInput opcode, None if impossible.

        Announcing XInput 2.1 (or later) is what makes X send raw events during other clients'
        grabs: with 2.0 they would go to the grabbing client only.
        """
        try:
            from Xlib.ext import xinput

            ext = display.query_extension("XInputExtension")
            if not ext.present:
                return None
            # python-xlib's own query_version announces 2.0; ask for 2.2 ourselves.
            version = xinput.XIQueryVersion(display=display.display, opcode=ext.major_opcode,
                                            major_version=2, minor_version=2)
            if (version.major_version, version.minor_version) < (2, 1):
                return None
            root.xinput_select_events([(xinput.AllMasterDevices, xinput.RawButtonPressMask)])
            display.sync()
            return int(ext.major_opcode)
        except Exception as exc:  # no XInput 2: the panel still works whenever nothing is held
            log.warning("cannot watch mouse buttons (XInput 2.1 missing): %s", exc)
            return None

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
        self._keys_work = False
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
            for code in self._codes | self._end_codes:
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
        from Xlib.ext.ge import GenericEventCode as GE_CODE

        display = self._display
        try:
            while not self._stopping.is_set():
                while display.pending_events():
                    event = display.next_event()
                    if event.type == X.KeyPress:
                        self._on_press(event.detail, event.time)
                    elif (event.type == GE_CODE
                          and getattr(event, "extension", None) == self._xi_opcode
                          and getattr(event, "evtype", None) == _RAW_BUTTON_PRESS):
                        self._on_raw_button(event.data)
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
        if code not in self._codes | self._end_codes or code in self._down:
            return
        self._down.add(code)
        if self._released_at.get(code) == time:
            return  # auto-repeat: X sends release+press with the same timestamp
        if code in self._end_codes:
            self.end_triggered.emit()
        else:
            self.triggered.emit()

    def _on_raw_button(self, data: Any) -> None:
        """A raw press: deviceid (2), time (4), then the button number (4), in our byte order."""
        raw = bytes(data) if isinstance(data, (bytes, bytearray, memoryview)) else b""
        if len(raw) >= 10:
            button = int.from_bytes(raw[6:10], sys.byteorder)
            if button in _CLICK_BUTTONS:
                self.pointer_pressed.emit()


def create_hotkey(display_name: str | None = None) -> Hotkey:
    """The hotkey for this platform: X11 when there is a display, otherwise a no-op."""
    if sys.platform.startswith("linux") and (display_name or os.environ.get("DISPLAY")):
        return X11Hotkey(display_name)
    return Hotkey()
