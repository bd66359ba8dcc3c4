"""Technician's Qt key and mouse events → the wire's key identity and text.

A key travels as ``(code, text)``: ``code`` is a KeyboardEvent.code-style identity ('KeyA',
'ShiftLeft', 'Enter') used for shortcuts and non-character keys, ``text`` what the key typed here
(control characters removed), which the agent types as characters so '@' or 'ß' arrive whatever
the two keyboard layouts are. Plain ints in, so it is testable without real events.

Letters and digits are identified by *meaning* (Qt.Key_Z on a German keyboard is 'KeyZ'), so
Ctrl+Z is undo on both sides. Other character keys are identified by position from the native scan
code when the platform's numbering is known, else 'Unidentified' and ``text`` carries the meaning.
On macOS Qt reports Command as Key_Control, so Cmd+C arrives as Ctrl+C, which is what the
technician means on a Windows or Linux customer PC.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt

K = Qt.Key
_KEYPAD = int(Qt.KeyboardModifier.KeypadModifier.value)

#: Qt key → code for keys whose side does not matter or that have no side.
NAMED_KEYS: dict[int, str] = {
    int(k.value): code
    for k, code in {
        K.Key_Return: "Enter", K.Key_Enter: "NumpadEnter", K.Key_Backspace: "Backspace",
        K.Key_Tab: "Tab", K.Key_Backtab: "Tab", K.Key_Escape: "Escape", K.Key_Space: "Space",
        K.Key_Delete: "Delete", K.Key_Insert: "Insert", K.Key_Home: "Home", K.Key_End: "End",
        K.Key_PageUp: "PageUp", K.Key_PageDown: "PageDown", K.Key_Up: "ArrowUp",
        K.Key_Down: "ArrowDown", K.Key_Left: "ArrowLeft", K.Key_Right: "ArrowRight",
        K.Key_CapsLock: "CapsLock", K.Key_NumLock: "NumLock", K.Key_ScrollLock: "ScrollLock",
        K.Key_Print: "PrintScreen", K.Key_SysReq: "PrintScreen", K.Key_Pause: "Pause",
        K.Key_Menu: "ContextMenu", K.Key_AltGr: "AltRight",
        K.Key_Super_L: "MetaLeft", K.Key_Super_R: "MetaRight",
        **{getattr(K, f"Key_F{n}"): f"F{n}" for n in range(1, 25)},
    }.items()
}

#: Keypad keys (KeypadModifier set) by Qt key.
KEYPAD_KEYS: dict[int, str] = {
    **{int(getattr(K, f"Key_{d}").value): f"Numpad{d}" for d in range(10)},
    int(K.Key_Plus.value): "NumpadAdd", int(K.Key_Minus.value): "NumpadSubtract",
    int(K.Key_Asterisk.value): "NumpadMultiply", int(K.Key_Slash.value): "NumpadDivide",
    int(K.Key_Period.value): "NumpadDecimal", int(K.Key_Comma.value): "NumpadDecimal",
    int(K.Key_Enter.value): "NumpadEnter",
}

#: Modifier Qt keys → (left code, right code).
MODIFIER_KEYS: dict[int, tuple[str, str]] = {
    int(K.Key_Shift.value): ("ShiftLeft", "ShiftRight"),
    int(K.Key_Control.value): ("ControlLeft", "ControlRight"),
    int(K.Key_Alt.value): ("AltLeft", "AltRight"),
    int(K.Key_Meta.value): ("MetaLeft", "MetaRight"),
}

#: evdev key numbers (= PC set-1 scan codes for these keys) of the main block → code.
EVDEV_CODES: dict[int, str] = {
    1: "Escape", **{n: f"Digit{n - 1}" for n in range(2, 11)}, 11: "Digit0",
    12: "Minus", 13: "Equal", 14: "Backspace", 15: "Tab",
    **{16 + i: f"Key{c}" for i, c in enumerate("QWERTYUIOP")},
    26: "BracketLeft", 27: "BracketRight", 28: "Enter", 29: "ControlLeft",
    **{30 + i: f"Key{c}" for i, c in enumerate("ASDFGHJKL")},
    39: "Semicolon", 40: "Quote", 41: "Backquote", 42: "ShiftLeft", 43: "Backslash",
    **{44 + i: f"Key{c}" for i, c in enumerate("ZXCVBNM")},
    51: "Comma", 52: "Period", 53: "Slash", 54: "ShiftRight", 56: "AltLeft", 57: "Space",
    58: "CapsLock", 86: "IntlBackslash",
}

#: X11 keycodes (evdev + 8) of right-hand modifiers.
_X11_RIGHT = {62, 105, 108, 134}
#: Windows scan codes of right-hand modifiers (0x100 marks an E0-extended key).
_WINDOWS_RIGHT = {0x36, 0x11D, 0x138, 0x15C}
#: macOS virtual key codes of right-hand modifiers (Shift, Command, Option, Control).
_MAC_RIGHT = {0x3C, 0x36, 0x3D, 0x3E}

#: macOS virtual key codes (kVK_ANSI_*) → code.
MAC_CODES: dict[int, str] = {
    0x00: "KeyA", 0x01: "KeyS", 0x02: "KeyD", 0x03: "KeyF", 0x04: "KeyH", 0x05: "KeyG",
    0x06: "KeyZ", 0x07: "KeyX", 0x08: "KeyC", 0x09: "KeyV", 0x0A: "IntlBackslash",
    0x0B: "KeyB", 0x0C: "KeyQ", 0x0D: "KeyW", 0x0E: "KeyE", 0x0F: "KeyR", 0x10: "KeyY",
    0x11: "KeyT", 0x12: "Digit1", 0x13: "Digit2", 0x14: "Digit3", 0x15: "Digit4",
    0x16: "Digit6", 0x17: "Digit5", 0x18: "Equal", 0x19: "Digit9", 0x1A: "Digit7",
    0x1B: "Minus", 0x1C: "Digit8", 0x1D: "Digit0", 0x1E: "BracketRight", 0x1F: "KeyO",
    0x20: "KeyU", 0x21: "BracketLeft", 0x22: "KeyI", 0x23: "KeyP", 0x25: "KeyL",
    0x26: "KeyJ", 0x27: "Quote", 0x28: "KeyK", 0x29: "Semicolon", 0x2A: "Backslash",
    0x2B: "Comma", 0x2C: "Slash", 0x2D: "KeyN", 0x2E: "KeyM", 0x2F: "Period",
    0x32: "Backquote",
}

#: Qt mouse button value → wire name.
MOUSE_BUTTONS: dict[int, str] = {
    int(Qt.MouseButton.LeftButton.value): "left",
    int(Qt.MouseButton.RightButton.value): "right",
    int(Qt.MouseButton.MiddleButton.value): "middle",
    int(Qt.MouseButton.BackButton.value): "back",
    int(Qt.MouseButton.ForwardButton.value): "forward",
}


def clean_text(text: str) -> str:
    """``text`` without control characters: Ctrl+C's '\\x03', Enter's '\\r', Tab's '\\t'."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def _platform_name() -> str:
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        return ""
    return QGuiApplication.platformName()


def _is_right(platform: str, scan: int, vk: int) -> bool:
    if platform == "xcb":
        return scan in _X11_RIGHT
    if platform == "windows":
        return scan in _WINDOWS_RIGHT
    if platform == "cocoa":
        return vk in _MAC_RIGHT
    return False


def _positional_code(platform: str, scan: int, vk: int) -> str:
    if platform == "xcb" and scan >= 8:
        return EVDEV_CODES.get(scan - 8, "Unidentified")
    if platform == "windows" and scan:
        return EVDEV_CODES.get(scan, "Unidentified")
    if platform == "cocoa":
        return MAC_CODES.get(vk, "Unidentified")
    return "Unidentified"


def key_to_wire(
    key: int,
    text: str,
    modifiers: int = 0,
    native_scan_code: int = 0,
    native_virtual_key: int = 0,
    *,
    platform: str | None = None,
) -> tuple[str, str]:
    """(code, text) for one Qt key event.

    ``platform`` is ``QGuiApplication.platformName()`` ('xcb', 'windows', 'cocoa', ...); None
    asks the running QGuiApplication. It only decides how native codes are read.
    """
    platform = _platform_name() if platform is None else platform
    key, modifiers = int(key), int(modifiers)
    text = clean_text(text)
    if key in MODIFIER_KEYS:
        left, right = MODIFIER_KEYS[key]
        return (right if _is_right(platform, native_scan_code, native_virtual_key) else left), ""
    if modifiers & _KEYPAD and key in KEYPAD_KEYS:
        return KEYPAD_KEYS[key], text
    if key in NAMED_KEYS:
        return NAMED_KEYS[key], text
    if int(K.Key_A.value) <= key <= int(K.Key_Z.value):
        return f"Key{chr(key)}", text
    if int(K.Key_0.value) <= key <= int(K.Key_9.value):
        return f"Digit{chr(key)}", text
    return _positional_code(platform, native_scan_code, native_virtual_key), text


def mouse_button_name(button: int) -> str | None:
    """Wire name of a Qt mouse button ('left', 'right', 'middle', 'back', 'forward') or None."""
    return MOUSE_BUTTONS.get(int(button))
