"""Replaying the technician's mouse and keyboard on the customer's desktop.

``create_injector()`` picks the platform backend (XTEST on X11, pynput on Windows/macOS);
``InputThread`` is what the session talks to: it replays, on a thread of its own, the input the
session machine admitted (the machine alone decides, from the customer's ``control``
permission), and releases every held key and button whenever control ends.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from collections import deque
from collections.abc import Callable

from agent.input.base import (
    BUTTON_NAMES,
    HeldInputTracker,
    InputInjector,
    InputUnavailable,
    UnknownButton,
)
from shared.messages import Key, Message, PointerButton, PointerMove, Wheel

__all__ = [
    "BUTTON_NAMES",
    "HeldInputTracker",
    "InputInjector",
    "InputThread",
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


class InputThread:
    """Replays the technician's input on a thread of its own, in order, and releases it.

    Why a thread: injecting (XTEST round trips, pynput) blocks on the desktop; on the network
    loop it would delay End, frames and the other side's pings. Why no permission check here:
    the session machine (:class:`shared.session.AgentSession`) is the one authority on
    ``control``; it hands on only input admitted while control is granted. What this class
    promises is that nothing stays held: :meth:`release_all` drops what still waits (admitted
    before a revoke, not yet applied) and releases every held key and button, and
    :meth:`close` does the same before it frees the injector.

    Wire convention in, injector convention out, converted here only: a ``Wheel``'s positive
    ``dy`` scrolls down (``shared.messages.Wheel``), the injector takes Qt's signs (positive =
    up, :meth:`InputInjector.wheel`).

    ``on_error(exc)`` and ``on_applied()`` are called from the input thread.
    """

    def __init__(self, injector: InputInjector, *,
                 on_error: Callable[[BaseException], None] | None = None,
                 on_applied: Callable[[], None] | None = None,
                 name: str = "agent-input") -> None:
        self._injector = injector
        self._on_error = on_error
        self._on_applied = on_applied
        self._cv = threading.Condition()
        self._jobs: deque[Callable[[], None]] = deque()
        self._busy = False
        self._closed = False
        self._released = True  # nothing applied since the last release
        self._buttons: set[str] = set()  # pointer buttons held down by applied input
        self._keys: set[str] = set()  # key codes held down by applied input
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def set_callbacks(self, *, on_error: Callable[[BaseException], None] | None,
                      on_applied: Callable[[], None] | None) -> None:
        """Who hears about failures and applied input (the session running now)."""
        with self._cv:
            self._on_error = on_error
            self._on_applied = on_applied

    def apply(self, msg: Message, origin: tuple[int, int] = (0, 0)) -> None:
        """Queue one admitted input message; ``origin`` is the shared screen's top-left."""
        self._put(lambda: self._apply(msg, origin))

    def release_all(self, on_released: Callable[[list[str], list[str]], None] | None = None
                    ) -> None:
        """Drop what waits and release every held key and button (control ended).

        ``on_released(keys, buttons)`` (input thread) hears what was still held, once it is
        released: the input watchdog records it (issue 13)."""
        with self._cv:
            self._jobs.clear()
        self._put(lambda: self._release(on_released))

    def wait_idle(self, timeout: float = 5.0) -> bool:
        """Wait until everything queued so far has run; False on timeout."""
        with self._cv:
            return self._cv.wait_for(lambda: not self._jobs and not self._busy, timeout)

    @property
    def holds_buttons(self) -> bool:
        """True while a technician's mouse button is down on the desktop.

        Why the panel asks: X then holds an implicit pointer grab for the window the technician
        pressed on, so the customer's press never reaches the panel by itself."""
        with self._cv:
            return bool(self._buttons)

    @property
    def holds_input(self) -> bool:
        """True while a key or button the technician pressed is down (or about to be: a
        press waits in the queue). The input watchdog releases it if the console goes silent."""
        with self._cv:
            return bool(self._buttons or self._keys or self._jobs or self._busy)

    @property
    def released(self) -> bool:
        """True when nothing was applied since the last release (or ever)."""
        with self._cv:
            return self._released

    def close(self, timeout: float = 5.0) -> None:
        """Release everything, free the injector and stop the thread (agent exit)."""
        with self._cv:
            if self._closed:
                return
            self._jobs.clear()
            self._jobs.append(self._injector.close)
            self._closed = True
            self._cv.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _put(self, job: Callable[[], None]) -> None:
        with self._cv:
            if self._closed:
                return
            self._jobs.append(job)
            self._cv.notify_all()

    def _apply(self, msg: Message, origin: tuple[int, int]) -> None:
        inj = self._injector
        ox, oy = origin
        if isinstance(msg, PointerMove):
            # More input waits behind it: that input's own sync covers this move (one
            # connection keeps requests in order), so a drag's moves and the click after them
            # cost one X round trip, not one each (issue 16). The last one settles.
            inj.move(msg.x + ox, msg.y + oy, settle=not self._jobs)
        elif isinstance(msg, PointerButton):
            if msg.button not in BUTTON_NAMES:
                raise UnknownButton(f"unknown pointer button {msg.button!r}")
            # The press follows at once: the move does not wait for its own round trip.
            inj.move(msg.x + ox, msg.y + oy, settle=False)
            inj.button(msg.button, msg.pressed)
            with self._cv:
                (self._buttons.add if msg.pressed else self._buttons.discard)(msg.button)
        elif isinstance(msg, Wheel):
            inj.move(msg.x + ox, msg.y + oy, settle=False)
            inj.wheel(-msg.dx, -msg.dy)  # wire (positive dy = down) -> injector (Qt: up)
        elif isinstance(msg, Key):
            inj.key(msg.code, msg.text, msg.pressed)
            with self._cv:
                (self._keys.add if msg.pressed else self._keys.discard)(msg.code)
        else:
            return
        with self._cv:
            self._released = False
            applied = self._on_applied
        if applied is not None:
            applied()

    def _release(self, on_released: Callable[[list[str], list[str]], None] | None = None
                 ) -> None:
        with self._cv:
            keys, buttons = sorted(self._keys), sorted(self._buttons)
        self._injector.release_all()
        with self._cv:
            self._released = True
            self._buttons.clear()
            self._keys.clear()
        if on_released is not None:
            on_released(keys, buttons)

    def _run(self) -> None:
        while True:
            with self._cv:
                self._busy = False
                self._cv.notify_all()
                while not self._jobs and not self._closed:
                    self._cv.wait()
                if not self._jobs:
                    return
                job = self._jobs.popleft()
                self._busy = True
                last = self._closed and not self._jobs
            try:
                job()
            except Exception as exc:  # a failing injector ends control: release what we can
                with contextlib.suppress(Exception):
                    self._injector.release_all()
                with self._cv:
                    self._jobs.clear()
                    self._buttons.clear()
                    self._keys.clear()
                    on_error = self._on_error
                if on_error is not None:
                    on_error(exc)
            if last:
                with self._cv:
                    self._busy = False
                    self._cv.notify_all()
                return
