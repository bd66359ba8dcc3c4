"""Replaying the technician's mouse and keyboard on the customer's desktop.

``create_injector()`` picks the platform backend (XTEST on X11, pynput on Windows/macOS);
``ControlGate`` is what the session talks to: it applies input only while the customer grants
``control``, counts what it drops for the audit record, and releases every held key and button
whenever control ends.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from dataclasses import dataclass

from agent.input.base import (
    BUTTON_NAMES,
    HeldInputTracker,
    InputInjector,
    InputUnavailable,
    UnknownButton,
)

__all__ = [
    "BUTTON_NAMES",
    "ControlGate",
    "HeldInputTracker",
    "InputCounts",
    "InputInjector",
    "InputUnavailable",
    "UnknownButton",
    "create_injector",
    "release_stuck_input",
]


def create_injector(*, register_atexit: bool = True) -> InputInjector:
    """The injector for this desktop; raises InputUnavailable with a reason a person can act on.

    With ``register_atexit`` the injector is closed (everything released) when the agent exits,
    even if the session shell never got to do it.
    """
    injector: InputInjector
    if sys.platform in ("win32", "darwin"):
        from agent.input.pynput_backend import PynputInjector

        injector = PynputInjector()
    elif os.environ.get("DISPLAY"):
        try:
            from agent.input.x11 import X11Injector
        except ImportError as exc:  # python-xlib missing from the build
            raise InputUnavailable(f"X11 input needs python-xlib: {exc}") from exc
        injector = X11Injector()
    elif os.environ.get("WAYLAND_DISPLAY"):
        raise InputUnavailable(
            "remote control is not supported on Wayland; choose an X11 ('Xorg') session at login"
        )
    else:
        raise InputUnavailable("no graphical session found (DISPLAY is not set)")
    if register_atexit:
        atexit.register(injector.close)
    return injector


def release_stuck_input() -> list[str]:
    """After a crash: release keys and buttons that are still down on this desktop.

    X11 only (XQueryKeymap + pointer mask, released via XTEST); elsewhere nothing is released
    and an empty list comes back."""
    if sys.platform in ("win32", "darwin") or not os.environ.get("DISPLAY"):
        return []
    from agent.input.x11 import release_pressed

    return release_pressed()


@dataclass(frozen=True)
class InputCounts:
    """Input events applied and dropped (no ``control`` permission), for the audit record."""

    applied: int = 0
    dropped: int = 0


class ControlGate:
    """The customer's ``control`` permission in front of an injector.

    Every event while control is not granted is dropped and counted; revoking control (or
    ``end()``) releases everything still held, so no key stays stuck on the customer's PC.
    Exceptions from the injector propagate: the caller ends the session and calls ``end()``.
    Thread-safe.
    """

    def __init__(self, injector: InputInjector, *, granted: bool = False) -> None:
        self._injector = injector
        self._granted = granted
        self._applied = 0
        self._dropped = 0
        self._lock = threading.RLock()

    @property
    def granted(self) -> bool:
        return self._granted

    @property
    def counts(self) -> InputCounts:
        with self._lock:
            return InputCounts(self._applied, self._dropped)

    def set_control(self, granted: bool) -> None:
        """Grant or revoke control; revoking releases all held keys and buttons first."""
        with self._lock:
            if not granted:
                self._granted = False
                self._injector.release_all()
            else:
                self._granted = True

    def end(self) -> None:
        """Control ends for good (session end, disconnect, error): revoke and release."""
        self.set_control(False)

    def close(self) -> None:
        """End and free the injector (agent shutting down)."""
        with self._lock:
            self._granted = False
            self._injector.close()

    def _admit(self) -> bool:
        if self._granted:
            self._applied += 1
            return True
        self._dropped += 1
        return False

    def move(self, x: int, y: int) -> bool:
        """Apply a PointerMove; returns False if dropped."""
        with self._lock:
            if not self._admit():
                return False
            self._injector.move(x, y)
            return True

    def button(self, name: str, pressed: bool, x: int | None = None, y: int | None = None) -> bool:
        """Apply a PointerButton (moving to x, y first when given); False if dropped."""
        if name not in BUTTON_NAMES:
            raise UnknownButton(f"unknown pointer button {name!r}")
        with self._lock:
            if not self._admit():
                return False
            if x is not None and y is not None:
                self._injector.move(x, y)
            self._injector.button(name, pressed)
            return True

    def wheel(self, dx: int, dy: int, x: int | None = None, y: int | None = None) -> bool:
        """Apply a Wheel (moving to x, y first when given); False if dropped."""
        with self._lock:
            if not self._admit():
                return False
            if x is not None and y is not None:
                self._injector.move(x, y)
            self._injector.wheel(dx, dy)
            return True

    def key(self, code: str, text: str, pressed: bool) -> bool:
        """Apply a Key; False if dropped."""
        with self._lock:
            if not self._admit():
                return False
            self._injector.key(code, text, pressed)
            return True
