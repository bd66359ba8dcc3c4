"""The platform-neutral half of input injection: the interface, held-input bookkeeping, key policy.

Backends (``x11.py``, ``pynput_backend.py``) only know how to press a key identity, type one
character and drive the pointer; *when* to type a character instead of pressing a key, and what
has to be released when control ends, is decided here once for every platform.
"""

from __future__ import annotations

import threading
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Hashable
from typing import Protocol, runtime_checkable

#: Pointer buttons of the wire contract, in the order of X11 buttons 1, 2, 3, 8, 9.
BUTTON_NAMES: tuple[str, ...] = ("left", "middle", "right", "back", "forward")

#: At most this many wheel steps per event and axis: a hostile console must not flood the desktop.
MAX_WHEEL_STEPS = 50

_CONTROL = frozenset({"ControlLeft", "ControlRight"})
_ALT_OR_META = frozenset({"AltLeft", "MetaLeft", "MetaRight", "OSLeft", "OSRight"})


class InputUnavailable(RuntimeError):
    """No way to inject input on this desktop (e.g. Wayland without X11, missing XTEST)."""


class UnknownButton(ValueError):
    """A pointer button name outside the wire contract."""


@runtime_checkable
class InputInjector(Protocol):
    """What the agent needs from a platform to replay the technician's input."""

    def move(self, x: int, y: int, settle: bool = True) -> None:
        """Move the pointer to absolute virtual-screen coordinates.

        ``settle=False``: send the move without waiting until the desktop applied it, because
        a press or scroll follows at once on the same connection (which keeps them in order):
        the click reaches the desktop one round trip sooner."""

    def button(self, name: str, pressed: bool) -> None:
        """Press or release 'left' | 'middle' | 'right' | 'back' | 'forward'."""

    def wheel(self, dx: int, dy: int) -> None:
        """Scroll signed steps; dy > 0 scrolls up, dx > 0 scrolls left (Qt angleDelta signs)."""

    def key(self, code: str, text: str, pressed: bool) -> None:
        """Replay a key event: key identity ``code`` (KeyboardEvent.code) and the text it made."""

    def release_all(self) -> None:
        """Release every key and button this injector still holds down."""

    def close(self) -> None:
        """Release everything and free platform resources; further calls are ignored."""


#: Marker stored for a key whose press was replayed as typed text: its release has nothing to undo.
TYPED: Hashable = ("typed",)


class HeldInputTracker:
    """Which keys and buttons are down *because we injected them*, and how to undo each.

    A key is stored with the token its backend returned for the press (an X keycode, a pynput
    key), so the release undoes exactly what the press did even if the layout or the modifier
    state changed in between. Thread-safe: revoke may come from the UI thread while the network
    thread injects.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, Hashable] = {}
        self._buttons: list[str] = []

    def key_down(self, code: str, token: Hashable) -> None:
        with self._lock:
            self._keys.pop(code, None)
            self._keys[code] = token

    def key_up(self, code: str) -> Hashable | None:
        """Forget ``code``; returns what its press injected, or None if it was not held."""
        with self._lock:
            return self._keys.pop(code, None)

    def key_token(self, code: str) -> Hashable | None:
        with self._lock:
            return self._keys.get(code)

    def button_down(self, name: str) -> None:
        with self._lock:
            if name not in self._buttons:
                self._buttons.append(name)

    def button_up(self, name: str) -> bool:
        """Forget ``name``; True if it was held."""
        with self._lock:
            if name in self._buttons:
                self._buttons.remove(name)
                return True
            return False

    def held_keys(self) -> dict[str, Hashable]:
        with self._lock:
            return dict(self._keys)

    def held_buttons(self) -> list[str]:
        with self._lock:
            return list(self._buttons)

    def drain(self) -> tuple[list[tuple[str, Hashable]], list[str]]:
        """Take everything held, newest first, and forget it (for release_all)."""
        with self._lock:
            keys = list(reversed(self._keys.items()))
            buttons = list(reversed(self._buttons))
            self._keys.clear()
            self._buttons.clear()
            return keys, buttons

    def shortcut_modifier_held(self) -> bool:
        """True if a held modifier turns a key into a shortcut (Ctrl, left Alt, Meta).

        Ctrl together with AltRight is Windows' spelling of AltGr, which selects characters and
        so does not make a shortcut.
        """
        with self._lock:
            held = self._keys.keys()
            if any(code in _ALT_OR_META for code in held):
                return True
            return any(code in _CONTROL for code in held) and "AltRight" not in held


def is_typable(text: str) -> bool:
    """Text worth typing as characters: non-empty and free of control characters."""
    return bool(text) and all(unicodedata.category(ch) != "Cc" for ch in text)


class BaseInjector(ABC):
    """The key policy and bookkeeping shared by all backends; subclasses supply primitives.

    Policy: a key with printable text while no shortcut modifier is held is *typed* as its
    character (the customer's layout is adjusted around it), so '@' or 'ß' arrive whatever the two
    layouts are; it is typed completely on press and its release has nothing to undo. Any other
    key is pressed by identity and stays down until its release or release_all().
    """

    def __init__(self) -> None:
        self.held = HeldInputTracker()
        self._lock = threading.RLock()
        self._closed = False

    # -- primitives -------------------------------------------------------------------------
    @abstractmethod
    def _move(self, x: int, y: int) -> None: ...

    def _move_unsettled(self, x: int, y: int) -> None:
        """A move that something on the same connection follows at once (see ``move``);
        backends whose moves cost a round trip send it without one."""
        self._move(x, y)

    @abstractmethod
    def _button(self, name: str, pressed: bool) -> None: ...

    @abstractmethod
    def _scroll(self, dx: int, dy: int) -> None: ...

    @abstractmethod
    def _press_code(self, code: str, text: str) -> Hashable | None:
        """Press the key identity ``code``; return the token to release it, None if unknown.

        ``text`` helps only when ``code`` is 'Unidentified' (e.g. Ctrl + a key the console could
        not name): the backend may then press the customer's key for that character.
        """

    @abstractmethod
    def _release_token(self, token: Hashable) -> None: ...

    @abstractmethod
    def _type_text(self, text: str) -> bool:
        """Type ``text`` (press+release, modifiers adjusted and restored); False if impossible."""

    @abstractmethod
    def _shutdown(self) -> None:
        """Free platform resources (called once, after release_all)."""

    # -- InputInjector ----------------------------------------------------------------------
    def move(self, x: int, y: int, settle: bool = True) -> None:
        with self._lock:
            if not self._closed:
                (self._move if settle else self._move_unsettled)(int(x), int(y))

    def button(self, name: str, pressed: bool) -> None:
        if name not in BUTTON_NAMES:
            raise UnknownButton(f"unknown pointer button {name!r}")
        with self._lock:
            if self._closed:
                return
            if pressed:
                self._button(name, True)
                self.held.button_down(name)
            elif self.held.button_up(name):
                self._button(name, False)

    def wheel(self, dx: int, dy: int) -> None:
        dx = max(-MAX_WHEEL_STEPS, min(MAX_WHEEL_STEPS, int(dx)))
        dy = max(-MAX_WHEEL_STEPS, min(MAX_WHEEL_STEPS, int(dy)))
        with self._lock:
            if not self._closed and (dx or dy):
                self._scroll(dx, dy)

    def key(self, code: str, text: str, pressed: bool) -> None:
        with self._lock:
            if self._closed:
                return
            if not pressed:
                token = self.held.key_up(code)
                if token is not None and token != TYPED:
                    self._release_token(token)
                return
            previous = self.held.key_token(code)
            if previous is not None and previous != TYPED:
                # Auto-repeat from the technician: press again, keep the same token held.
                self._release_token(previous)
                self.held.key_up(code)
            if (
                is_typable(text)
                and not self.held.shortcut_modifier_held()
                and self._type_text(text)
            ):
                self.held.key_down(code, TYPED)
                return
            token = self._press_code(code, text)
            if token is not None:
                self.held.key_down(code, token)

    def release_all(self) -> None:
        with self._lock:
            keys, buttons = self.held.drain()
            if self._closed:
                return
            for name in buttons:
                self._button(name, False)
            for _code, token in keys:
                if token != TYPED:
                    self._release_token(token)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            try:
                self.release_all()
            finally:
                self._closed = True
                self._shutdown()
