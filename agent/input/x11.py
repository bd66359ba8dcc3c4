"""X11 input injection through the XTEST extension (python-xlib), with its own Display connection.

Why XTEST and not pynput's X11 controller: pynput types characters with XSendEvent, which xterm and
every client with ``allowSendEvents`` off ignore. XTEST events are indistinguishable from real
ones. Characters are typed by looking up the customer's current keyboard mapping (levels 1–4 of
group 1), pressing Shift / ISO_Level3_Shift (AltGr) as that layout needs and restoring the previous
modifier state afterwards; a character the layout lacks is bound to a spare keycode for the rest of
the session (like xdotool does) and unbound on close().

Limits: XKB groups other than the first are not considered (a character only on a second layout
gets a spare keycode instead); Wayland is not supported (an X11 app under XWayland only).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable, Iterable

import Xlib.display
import Xlib.error
import Xlib.XK
from Xlib import X
from Xlib.ext import xtest

from agent.input.base import BaseInjector, InputUnavailable

Xlib.XK.load_keysym_group("xkb")

NO_SYMBOL = 0
ISO_LEVEL3_SHIFT = 0xFE03
SHIFT_L = 0xFFE1
NUM_LOCK = 0xFF7F
UNICODE_KEYSYM_OFFSET = 0x01000000

#: Keysyms that X layouts use for characters outside Latin-1 (legacy names); anything else is
#: looked up and bound as 0x01000000 + code point, which every XKB-aware client understands.
LEGACY_KEYSYMS: dict[str, int] = {
    "€": 0x20AC,  # EuroSign
    "Œ": 0x13BC,  # OE
    "œ": 0x13BD,  # oe
    "Ÿ": 0x13BE,  # Ydiaeresis
    "‚": 0xAFD,  # singlelowquotemark
    "‘": 0xAD0,  # leftsinglequotemark
    "’": 0xAD1,  # rightsinglequotemark
    "“": 0xAD2,  # leftdoublequotemark
    "”": 0xAD3,  # rightdoublequotemark
    "„": 0xAFE,  # doublelowquotemark
    "–": 0xAAA,  # endash
    "—": 0xAA9,  # emdash
    "…": 0xAAE,  # ellipsis
}

#: Fixed evdev keycodes (PC scancode + 8) of the main block: the fallback when a key's keysym is
#: missing from the customer's layout, e.g. Ctrl+C on a Cyrillic-only layout still hits the 'C' key.
EVDEV_KEYCODES: dict[str, int] = {
    "Escape": 9, **{f"Digit{d}": 9 + d for d in range(1, 10)},
    "Digit0": 19, "Minus": 20, "Equal": 21, "Backspace": 22, "Tab": 23,
    **{f"Key{c}": 24 + i for i, c in enumerate("QWERTYUIOP")},
    "BracketLeft": 34, "BracketRight": 35, "Enter": 36, "ControlLeft": 37,
    **{f"Key{c}": 38 + i for i, c in enumerate("ASDFGHJKL")},
    "Semicolon": 47, "Quote": 48, "Backquote": 49, "ShiftLeft": 50, "Backslash": 51,
    **{f"Key{c}": 52 + i for i, c in enumerate("ZXCVBNM")},
    "Comma": 59, "Period": 60, "Slash": 61, "ShiftRight": 62, "NumpadMultiply": 63,
    "AltLeft": 64, "Space": 65, "CapsLock": 66,
    **{f"F{n}": 66 + n for n in range(1, 11)},
    "NumLock": 77, "ScrollLock": 78, "Numpad7": 79, "Numpad8": 80, "Numpad9": 81,
    "NumpadSubtract": 82, "Numpad4": 83, "Numpad5": 84, "Numpad6": 85, "NumpadAdd": 86,
    "Numpad1": 87, "Numpad2": 88, "Numpad3": 89, "Numpad0": 90, "NumpadDecimal": 91,
    "IntlBackslash": 94, "F11": 95, "F12": 96, "NumpadEnter": 104, "ControlRight": 105,
    "NumpadDivide": 106, "PrintScreen": 107, "AltRight": 108, "Home": 110, "ArrowUp": 111,
    "PageUp": 112, "ArrowLeft": 113, "ArrowRight": 114, "End": 115, "ArrowDown": 116,
    "PageDown": 117, "Insert": 118, "Delete": 119, "Pause": 127, "MetaLeft": 133,
    "MetaRight": 134, "ContextMenu": 135,
}


def _names(*names: str) -> tuple[int, ...]:
    return tuple(Xlib.XK.string_to_keysym(n) for n in names)


#: Key identity → keysyms to try in order (meaning first: Ctrl+Z is undo on a German layout too).
CODE_KEYSYMS: dict[str, tuple[int, ...]] = {
    **{f"Key{c}": (ord(c.lower()),) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    **{f"Digit{d}": (ord(str(d)),) for d in range(10)},
    **{f"Numpad{d}": _names(f"KP_{d}") for d in range(10)},
    **{f"F{n}": _names(f"F{n}") for n in range(1, 25)},
    "Enter": _names("Return"), "Backspace": _names("BackSpace"), "Tab": _names("Tab"),
    "Escape": _names("Escape"), "Space": _names("space"), "Delete": _names("Delete"),
    "Insert": _names("Insert"), "Home": _names("Home"), "End": _names("End"),
    "PageUp": _names("Prior"), "PageDown": _names("Next"), "ArrowUp": _names("Up"),
    "ArrowDown": _names("Down"), "ArrowLeft": _names("Left"), "ArrowRight": _names("Right"),
    "CapsLock": _names("Caps_Lock"), "NumLock": _names("Num_Lock"),
    "ScrollLock": _names("Scroll_Lock"), "PrintScreen": _names("Print"),
    "Pause": _names("Pause"), "ContextMenu": _names("Menu"),
    "ShiftLeft": _names("Shift_L"), "ShiftRight": _names("Shift_R"),
    "ControlLeft": _names("Control_L"), "ControlRight": _names("Control_R"),
    "AltLeft": _names("Alt_L"), "AltRight": (ISO_LEVEL3_SHIFT, *_names("Alt_R")),
    "MetaLeft": _names("Super_L"), "MetaRight": _names("Super_R"),
    "OSLeft": _names("Super_L"), "OSRight": _names("Super_R"),
    "Minus": _names("minus"), "Equal": _names("equal"),
    "BracketLeft": _names("bracketleft"), "BracketRight": _names("bracketright"),
    "Backslash": _names("backslash"), "Semicolon": _names("semicolon"),
    "Quote": _names("apostrophe"), "Backquote": _names("grave"), "Comma": _names("comma"),
    "Period": _names("period"), "Slash": _names("slash"), "IntlBackslash": _names("less"),
    "NumpadAdd": _names("KP_Add"), "NumpadSubtract": _names("KP_Subtract"),
    "NumpadMultiply": _names("KP_Multiply"), "NumpadDivide": _names("KP_Divide"),
    "NumpadDecimal": _names("KP_Decimal"), "NumpadEnter": _names("KP_Enter"),
}

#: Wire button name → X button number.
BUTTONS: dict[str, int] = {"left": 1, "middle": 2, "right": 3, "back": 8, "forward": 9}

#: Levels of group 1 in the core keyboard mapping (XKB puts levels 3/4 at indices 4/5).
_LEVEL_INDICES = (0, 1, 4, 5)


def char_keysyms(char: str) -> tuple[int, ...]:
    """Keysyms that produce ``char``, preferred first (Latin-1/legacy, then the Unicode keysym)."""
    cp = ord(char)
    unicode_ks = UNICODE_KEYSYM_OFFSET + cp
    if 0x20 <= cp <= 0x7E or 0xA0 <= cp <= 0xFF:
        return (cp, unicode_ks)
    if char in LEGACY_KEYSYMS:
        return (LEGACY_KEYSYMS[char], unicode_ks)
    return (unicode_ks,)


def keysym_char(keysym: int) -> str | None:
    """The character a keysym types, for the keysyms :func:`char_keysyms` produces."""
    if 0x20 <= keysym <= 0x7E or 0xA0 <= keysym <= 0xFF:
        return chr(keysym)
    if UNICODE_KEYSYM_OFFSET + 0x100 <= keysym <= UNICODE_KEYSYM_OFFSET + 0x10FFFF:
        return chr(keysym - UNICODE_KEYSYM_OFFSET)
    for char, ks in LEGACY_KEYSYMS.items():
        if ks == keysym:
            return char
    return None


class X11Injector(BaseInjector):
    """XTEST injector on one X display (``display_name`` None = $DISPLAY)."""

    def __init__(self, display_name: str | None = None, *, mapping_settle: float = 0.03) -> None:
        super().__init__()
        try:
            self._d = Xlib.display.Display(display_name)
        except (Xlib.error.DisplayError, OSError) as exc:
            raise InputUnavailable(f"cannot open X display {display_name or ''}: {exc}") from exc
        if not self._d.has_extension("XTEST"):
            self._d.close()
            raise InputUnavailable("the X server has no XTEST extension")
        self._root = self._d.screen().root
        self._min_kc = self._d.display.info.min_keycode
        self._max_kc = self._d.display.info.max_keycode
        self._settle = mapping_settle
        self._rows: dict[int, list[int]] | None = None
        self._where: dict[int, tuple[int, int]] = {}
        self._modmap: list[list[int]] = []
        self._borrowed: OrderedDict[int, int] = OrderedDict()  # keysym → keycode, LRU order
        self._original_rows: dict[int, list[int]] = {}  # keycode → row before we borrowed it

    # -- keyboard mapping -------------------------------------------------------------------
    def _mapping(self) -> dict[int, list[int]]:
        """The customer's current mapping; refetched after any MappingNotify (layout switch)."""
        while self._d.pending_events():
            if self._d.next_event().type == X.MappingNotify:
                self._rows = None
        if self._rows is None:
            count = self._max_kc - self._min_kc + 1
            rows = self._d.get_keyboard_mapping(self._min_kc, count)
            self._rows = {self._min_kc + i: list(r) for i, r in enumerate(rows)}
            self._where = {}
            for index in _LEVEL_INDICES:
                for kc, row in self._rows.items():
                    if index < len(row) and row[index] != NO_SYMBOL:
                        self._where.setdefault(row[index], (kc, index))
            self._modmap = [[kc for kc in m if kc] for m in self._d.get_modifier_mapping()]
        return self._rows

    def _locate(self, keysyms: Iterable[int]) -> tuple[int, int] | None:
        """(keycode, level index) of the first keysym the layout has, or None."""
        self._mapping()
        for ks in keysyms:
            if ks in self._where:
                return self._where[ks]
        return None

    def _down_keycodes(self) -> set[int]:
        bits = self._d.query_keymap()
        return {i * 8 + b for i, byte in enumerate(bits) for b in range(8) if byte & (1 << b)}

    def _borrow(self, keysym: int) -> int | None:
        """Bind ``keysym`` to a spare keycode (levels 1 and 2) and return it; None if none free."""
        if keysym in self._borrowed:
            self._borrowed.move_to_end(keysym)
            return self._borrowed[keysym]
        rows = self._mapping()
        down = self._down_keycodes()
        in_use = set(self._borrowed.values())
        keycode = next(
            (kc for kc in sorted(rows, reverse=True)
             if kc not in in_use and kc not in down and not any(rows[kc])),
            None,
        )
        if keycode is None:  # reuse the least recently used borrowed keycode that is not down
            for old_ks, kc in self._borrowed.items():
                if kc not in down:
                    del self._borrowed[old_ks]
                    keycode = kc
                    break
        if keycode is None:
            return None
        width = len(rows[keycode])
        self._original_rows.setdefault(keycode, list(rows[keycode]))
        new_row = [keysym, keysym] + [NO_SYMBOL] * (width - 2)
        self._d.change_keyboard_mapping(keycode, [new_row])
        self._d.sync()
        self._borrowed[keysym] = keycode
        self._rows = None
        # Clients refetch the mapping when they see MappingNotify; give them a moment first.
        time.sleep(self._settle)
        return keycode

    def _unborrow_all(self) -> None:
        for keycode, row in self._original_rows.items():
            self._d.change_keyboard_mapping(keycode, [row])
        self._original_rows.clear()
        self._borrowed.clear()
        self._rows = None

    # -- primitives -------------------------------------------------------------------------
    def _fake(self, event_type: int, detail: int = 0, x: int = 0, y: int = 0) -> None:
        xtest.fake_input(self._d, event_type, detail, x=x, y=y)
        self._d.flush()

    def _move(self, x: int, y: int) -> None:
        self._fake(X.MotionNotify, 0, x=x, y=y)
        self._d.sync()

    def _move_unsettled(self, x: int, y: int) -> None:
        # Flushed, not synced: the press or scroll that follows on this connection reaches the
        # X server after the move anyway (one connection keeps requests in order), and its own
        # sync waits for both. Syncing here cost a click one more X round trip.
        self._fake(X.MotionNotify, 0, x=x, y=y)

    def _button(self, name: str, pressed: bool) -> None:
        self._fake(X.ButtonPress if pressed else X.ButtonRelease, BUTTONS[name])
        self._d.sync()

    def _scroll(self, dx: int, dy: int) -> None:
        for steps, positive, negative in ((dy, 4, 5), (dx, 6, 7)):
            number = positive if steps > 0 else negative
            for _ in range(abs(steps)):
                self._fake(X.ButtonPress, number)
                self._fake(X.ButtonRelease, number)
        self._d.sync()

    def _press_code(self, code: str, text: str) -> Hashable | None:
        keysyms = CODE_KEYSYMS.get(code, ())
        if not keysyms and code == "Unidentified" and len(text) == 1:
            keysyms = char_keysyms(text)
        found = self._locate(keysyms)
        if found is not None:
            keycode = found[0]
        elif code in EVDEV_KEYCODES and any(self._mapping().get(EVDEV_KEYCODES[code], ())):
            keycode = EVDEV_KEYCODES[code]
        elif keysyms:
            borrowed = self._borrow(keysyms[0])
            if borrowed is None:
                return None
            keycode = borrowed
        else:
            return None
        self._fake(X.KeyPress, keycode)
        self._d.sync()
        return keycode

    def _release_token(self, token: Hashable) -> None:
        assert isinstance(token, int)
        self._fake(X.KeyRelease, token)
        self._d.sync()

    def _type_text(self, text: str) -> bool:
        plan: list[tuple[int, int]] = []
        for char in text:
            found = self._locate(char_keysyms(char))
            if found is not None and found[1] in (4, 5) and not self._level3_keycodes():
                found = None  # level 3 unreachable without an AltGr key: borrow instead
            if found is None:
                keycode = self._borrow(char_keysyms(char)[0])
                if keycode is None:
                    return False
                found = (keycode, 0)
            plan.append(found)
        for keycode, index in plan:
            self._tap_with_level(keycode, index)
        self._d.sync()
        return True

    # -- typing one character ---------------------------------------------------------------
    def _level3_keycodes(self) -> set[int]:
        rows = self._mapping()
        return {kc for kc, row in rows.items() if row and row[0] == ISO_LEVEL3_SHIFT}

    def _caps_applies(self, keycode: int) -> bool:
        """True if Caps Lock swaps levels 1/2 of this key (letters with a case pair)."""
        row = self._mapping()[keycode]
        lower, upper = keysym_char(row[0]), keysym_char(row[1]) if len(row) > 1 else None
        return bool(lower and upper and lower != upper and lower.upper() == upper)

    def _tap_with_level(self, keycode: int, index: int) -> None:
        """Press+release ``keycode`` at level ``index`` with exactly Shift/AltGr as needed."""
        self._mapping()
        need_shift = index in (1, 5)
        need_level3 = index in (4, 5)
        state = self._root.query_pointer().mask
        if index in (0, 1) and state & X.LockMask and self._caps_applies(keycode):
            need_shift = not need_shift
        shift_kcs = set(self._modmap[X.ShiftMapIndex]) if self._modmap else set()
        level3_kcs = self._level3_keycodes()
        num_lock = self._where.get(NUM_LOCK, (0, 0))[0]
        modifier_kcs = {
            kc
            for i, kcs in enumerate(self._modmap)
            if i != X.LockMapIndex
            for kc in kcs
            if kc != num_lock
        } | level3_kcs
        down = self._down_keycodes()
        to_release: list[int] = []
        for kc in sorted(down & modifier_kcs):
            if (need_shift and kc in shift_kcs) or (need_level3 and kc in level3_kcs):
                continue
            to_release.append(kc)
        still_down = down - set(to_release)
        to_press: list[int] = []
        if need_shift and not still_down & shift_kcs:
            shift_l = self._where.get(SHIFT_L)
            if shift_l is not None:
                to_press.append(shift_l[0])
            elif shift_kcs:
                to_press.append(min(shift_kcs))
        if need_level3 and not still_down & level3_kcs and level3_kcs:
            to_press.append(min(level3_kcs))
        for kc in to_release:
            self._fake(X.KeyRelease, kc)
        for kc in to_press:
            self._fake(X.KeyPress, kc)
        self._fake(X.KeyPress, keycode)
        self._fake(X.KeyRelease, keycode)
        for kc in reversed(to_press):
            self._fake(X.KeyRelease, kc)
        for kc in to_release:
            self._fake(X.KeyPress, kc)

    def _shutdown(self) -> None:
        try:
            self._unborrow_all()
            self._d.sync()
        except Xlib.error.ConnectionClosedError:
            pass
        finally:
            self._d.close()


#: Pointer buttons whose state X reports in the pointer mask (8/9 have no mask bit).
_BUTTON_MASKS = ((1, X.Button1Mask), (2, X.Button2Mask), (3, X.Button3Mask),
                 (4, X.Button4Mask), (5, X.Button5Mask))


def release_pressed(display_name: str | None = None) -> list[str]:
    """Release, through XTEST, every key and pointer button the X server reports as down.

    For the start after a crash: the dead agent's injector could not release what the
    technician held. Only what is really down (XQueryKeymap, the pointer's button mask) is
    touched. Returns what was released, e.g. ``["key 37", "button 1"]``."""
    try:
        d = Xlib.display.Display(display_name)
    except (Xlib.error.DisplayError, OSError) as exc:
        raise InputUnavailable(f"cannot open X display {display_name or ''}: {exc}") from exc
    released: list[str] = []
    try:
        if not d.has_extension("XTEST"):
            return released
        bits = d.query_keymap()
        for keycode in (i * 8 + b for i, byte in enumerate(bits) for b in range(8)
                        if byte & (1 << b)):
            xtest.fake_input(d, X.KeyRelease, keycode)
            released.append(f"key {keycode}")
        mask = d.screen().root.query_pointer().mask
        for number, bit in _BUTTON_MASKS:
            if mask & bit:
                xtest.fake_input(d, X.ButtonRelease, number)
                released.append(f"button {number}")
        d.sync()
    finally:
        d.close()
    return released
