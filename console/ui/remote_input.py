"""The technician's keys and buttons as the view forwards them, and what is still held down.

Whatever was pressed on the remote side must be released there (rule: held keys and buttons are
always released), also when the view loses focus or control is switched off mid-press. The view
asks :class:`HeldInput` what to forward and what to let go; that bookkeeping needs no Qt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

#: Mouse buttons the remote side knows, by the name they have on the wire.
BUTTON_NAMES = {
    Qt.MouseButton.LeftButton: "left",
    Qt.MouseButton.RightButton: "right",
    Qt.MouseButton.MiddleButton: "middle",
    Qt.MouseButton.BackButton: "back",
    Qt.MouseButton.ForwardButton: "forward",
}

#: (qt_key, text, modifiers, native_scan_code, native_virtual_key), as ``key_changed`` sends it.
KeyInfo = tuple[int, str, int, int, int]


def key_info(event: QKeyEvent) -> KeyInfo:
    """What the view forwards about a key event (the key map turns it into a wire key)."""
    return (
        int(event.key()),
        event.text(),
        int(event.modifiers().value),
        int(event.nativeScanCode()),
        int(event.nativeVirtualKey()),
    )


class HeldInput:
    """Keys and buttons pressed on the remote side and not yet released, and the last position.

    A key is known by its scan code (its Qt key when there is none), so that a release matches
    its press even when modifiers changed the key's text in between.
    """

    def __init__(self) -> None:
        self._keys: dict[int, KeyInfo] = {}
        self._buttons: set[str] = set()
        self.last_pos: tuple[int, int] = (0, 0)

    @staticmethod
    def _ident(info: KeyInfo) -> int:
        return info[3] or info[0]

    def press_key(self, info: KeyInfo) -> None:
        self._keys[self._ident(info)] = info

    def release_key(self, info: KeyInfo) -> bool:
        """Forget a held key; False for one pressed before the view had focus or control."""
        return self._keys.pop(self._ident(info), None) is not None

    def press_button(self, name: str) -> None:
        self._buttons.add(name)

    def release_button(self, name: str) -> bool:
        """Forget a held button; False when it was not pressed here (nothing to forward)."""
        if name not in self._buttons:
            return False
        self._buttons.discard(name)
        return True

    @property
    def any_button(self) -> bool:
        """A button is down: a drag, during which the pointer stays on the image."""
        return bool(self._buttons)

    @property
    def any_held(self) -> bool:
        """A key or a button is down (the console then pings more often: shared.link)."""
        return bool(self._keys or self._buttons)

    def take_all(self) -> tuple[list[KeyInfo], list[str]]:
        """Everything held (keys in press order, buttons by name), forgotten from now on."""
        keys, buttons = list(self._keys.values()), sorted(self._buttons)
        self._keys.clear()
        self._buttons.clear()
        return keys, buttons
