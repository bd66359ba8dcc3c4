"""Windows and macOS input injection through pynput's native controllers.

UNTESTED HERE: this machine has neither Windows nor macOS, so only the code → key table below is
unit-tested; the real injection must be checked on those platforms before a release.

Why it still types characters right: pynput's ``Controller.type`` uses SendInput with
KEYEVENTF_UNICODE on Windows for characters the layout cannot reach directly, and
CGEventKeyboardSetUnicodeString on macOS, so the customer's layout does not matter. Held Shift and
AltGr (AltRight) are lifted around typing and pressed again, so a German technician's Shift+7 '/'
does not arrive as '?'. pynput is imported only when an injector is created: importing this module
is safe everywhere (pynput picks its platform backend at import and fails without a desktop).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from agent.input.base import BaseInjector, InputUnavailable

#: Key identity → pynput ``Key`` member name (non-character keys and modifiers).
SPECIAL_KEYS: dict[str, str] = {
    "Enter": "enter", "NumpadEnter": "enter", "Backspace": "backspace", "Tab": "tab",
    "Escape": "esc", "Space": "space", "Delete": "delete", "Insert": "insert",
    "Home": "home", "End": "end", "PageUp": "page_up", "PageDown": "page_down",
    "ArrowUp": "up", "ArrowDown": "down", "ArrowLeft": "left", "ArrowRight": "right",
    "CapsLock": "caps_lock", "NumLock": "num_lock", "ScrollLock": "scroll_lock",
    "PrintScreen": "print_screen", "Pause": "pause", "ContextMenu": "menu",
    "ShiftLeft": "shift_l", "ShiftRight": "shift_r",
    "ControlLeft": "ctrl_l", "ControlRight": "ctrl_r",
    "AltLeft": "alt_l", "AltRight": "alt_gr",
    "MetaLeft": "cmd_l", "MetaRight": "cmd_r", "OSLeft": "cmd_l", "OSRight": "cmd_r",
    **{f"F{n}": f"f{n}" for n in range(1, 21)},
}

#: Key identity → the character pressed for it in shortcuts (pynput finds the key in the layout).
CHAR_KEYS: dict[str, str] = {
    **{f"Key{c}": c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
    **{f"Digit{d}": str(d) for d in range(10)},
    **{f"Numpad{d}": str(d) for d in range(10)},
    "Minus": "-", "Equal": "=", "BracketLeft": "[", "BracketRight": "]", "Backslash": "\\",
    "Semicolon": ";", "Quote": "'", "Backquote": "`", "Comma": ",", "Period": ".",
    "Slash": "/", "IntlBackslash": "<", "NumpadAdd": "+", "NumpadSubtract": "-",
    "NumpadMultiply": "*", "NumpadDivide": "/", "NumpadDecimal": ".",
}

#: Wire button name → pynput ``Button`` member name (x1/x2 exist on Windows only).
BUTTONS: dict[str, str] = {
    "left": "left", "middle": "middle", "right": "right", "back": "x1", "forward": "x2",
}

#: Keys lifted while typing a character, because they would change what it types.
_LEVEL_CODES = ("ShiftLeft", "ShiftRight", "AltRight")


class PynputInjector(BaseInjector):
    """pynput keyboard and mouse controllers (Windows SendInput, macOS Quartz events)."""

    def __init__(self) -> None:
        super().__init__()
        try:
            from pynput import keyboard, mouse
        except Exception as exc:  # pynput raises assorted errors when no backend fits
            raise InputUnavailable(f"no input backend available: {exc}") from exc
        self._kb_mod: Any = keyboard
        self._mouse_mod: Any = mouse
        # Any: the held tokens come back as base's opaque Hashable (they are what _key_for made).
        self._keyboard: Any = keyboard.Controller()
        self._mouse = mouse.Controller()

    def _key_for(self, code: str, text: str) -> Any | None:
        if code in SPECIAL_KEYS:
            return getattr(self._kb_mod.Key, SPECIAL_KEYS[code], None)
        if code in CHAR_KEYS:
            return self._kb_mod.KeyCode.from_char(CHAR_KEYS[code])
        if code == "Unidentified" and len(text) == 1:
            return self._kb_mod.KeyCode.from_char(text.lower())
        return None

    def _move(self, x: int, y: int) -> None:
        self._mouse.position = (x, y)

    def _button(self, name: str, pressed: bool) -> None:
        button = getattr(self._mouse_mod.Button, BUTTONS[name], None)
        if button is None:  # back/forward do not exist on macOS
            return
        if pressed:
            self._mouse.press(button)
        else:
            self._mouse.release(button)

    def _scroll(self, dx: int, dy: int) -> None:
        # pynput: dy > 0 scrolls up, dx > 0 scrolls right; the wire's dx > 0 means left.
        self._mouse.scroll(-dx, dy)

    def _press_code(self, code: str, text: str) -> Hashable | None:
        key = self._key_for(code, text)
        if key is None:
            return None
        self._keyboard.press(key)
        return key

    def _release_token(self, token: Hashable) -> None:
        self._keyboard.release(token)

    def _type_text(self, text: str) -> bool:
        lifted = [
            (code, token)
            for code, token in self.held.held_keys().items()
            if code in _LEVEL_CODES
        ]
        for _code, token in lifted:
            self._keyboard.release(token)
        try:
            self._keyboard.type(text)
        except self._keyboard.InvalidCharacterException:
            return False
        finally:
            for _code, token in lifted:
                self._keyboard.press(token)
        return True

    def _shutdown(self) -> None:
        """pynput controllers hold no resources that need closing."""
