"""macOS privacy permissions: Screen Recording (to show the screen) and Accessibility (to
control it), asked of the system itself.

Without Screen Recording, macOS hands a capturing program the desktop wallpaper and the menu bar
instead of the windows (on some versions plain black), so the agent must *know* before it
streams; without Accessibility, the input it posts is dropped silently. Both are privacy
permissions (TCC) the customer grants in System Settings → Privacy & Security; there is no
entitlement or Info.plist key that grants them.

What macOS does (13 Ventura, 14 Sonoma, 15 Sequoia):

* ``CGPreflightScreenCaptureAccess`` answers without asking. ``CGRequestScreenCaptureAccess``
  shows the system's own dialog only the first time a program asks; after that it just answers.
  A grant made while the program runs is often only seen by a program *started after* it: the
  agent says "restart Fernhilfe" and offers a button for it (:func:`relaunch_command`).
* ``AXIsProcessTrustedWithOptions`` with ``kAXTrustedCheckOptionPrompt`` shows the system's
  Accessibility dialog ("… would like to control this computer") when not trusted; a grant is
  seen by the running program within a second or two, no restart needed.

Every call goes through ctypes with ``argtypes``/``restype`` set; the one CoreFoundation object
made here (the options dictionary) is released. On any other system every probe says "allowed"
(Windows and Linux ask nothing of the kind), so callers need no platform test of their own.
Decisions on the answers are :mod:`agent.platform.readiness`'s, pure and tested anywhere.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = [
    "ACCESSIBILITY",
    "PANES",
    "SCREEN_RECORDING",
    "accessibility_allowed",
    "app_bundle",
    "open_privacy_settings",
    "privacy_settings_url",
    "relaunch_command",
    "request_screen_recording",
    "restart_fernhilfe",
    "screen_recording_allowed",
]

SCREEN_RECORDING = "screen_recording"
ACCESSIBILITY = "accessibility"
#: System Settings' privacy panes by our name → the anchor macOS opens (13+ still honours the
#: old ``com.apple.preference.security`` address and forwards it to Privacy & Security).
PANES: dict[str, str] = {
    SCREEN_RECORDING: "Privacy_ScreenCapture",
    ACCESSIBILITY: "Privacy_Accessibility",
}
_SETTINGS = "x-apple.systempreferences:com.apple.preference.security"

_CORE_GRAPHICS = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
_APP_SERVICES = "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices"
_CORE_FOUNDATION = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
_OPEN = "/usr/bin/open"


def privacy_settings_url(pane: str) -> str:
    """The address that opens System Settings on ``pane`` (:data:`PANES`); ValueError for
    another name (a caller's bug: never an address built from outside input)."""
    try:
        anchor = PANES[pane]
    except KeyError:
        raise ValueError(f"unknown privacy pane {pane!r}; expected one of {sorted(PANES)}"
                         ) from None
    return f"{_SETTINGS}?{anchor}"


def app_bundle(executable: str) -> Path | None:
    """The ``.app`` folder a frozen agent runs from (``X.app/Contents/MacOS/agent``), else
    None: only a bundle is what macOS lists (and grants) under its own name."""
    path = Path(executable)
    parents = path.parents
    if (len(parents) >= 3 and parents[0].name == "MacOS" and parents[1].name == "Contents"
            and parents[2].suffix == ".app"):
        return parents[2]
    return None


def relaunch_command(executable: str, argv: list[str], frozen: bool, pid: int) -> list[str]:
    """The command that starts Fernhilfe again once this process (``pid``) has gone.

    macOS caches the Screen Recording answer per process, and a new copy started while the old
    one still runs may inherit the old "no": so a small shell waits for ``pid`` to end, then
    starts a fresh copy (``open -n`` for the bundle; the same interpreter and arguments for a
    run from source). Arguments are passed as ``$@``, never pasted into the shell's text.
    """
    bundle = app_bundle(executable) if frozen else None
    if bundle is not None:
        start = [_OPEN, "-n", str(bundle), "--args", *argv[1:]]
    elif frozen:
        start = [executable, *argv[1:]]
    else:
        start = [executable, "-m", "agent", *argv[1:]]
    wait = ('pid=$1; shift; i=0; while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 100 ]; '
            'do sleep 0.1; i=$((i+1)); done; exec "$@"')
    return ["/bin/sh", "-c", wait, "fernhilfe-restart", str(pid), *start]


def restart_fernhilfe() -> None:
    """Start the waiting relauncher (:func:`relaunch_command`); the caller quits right after.
    Detached (its own session), so it outlives this process."""
    frozen = bool(getattr(sys, "frozen", False))
    command = relaunch_command(sys.executable, list(sys.argv), frozen, os.getpid())
    subprocess.Popen(command, start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)


if sys.platform == "darwin":
    import ctypes
    from ctypes import c_bool, c_long, c_void_p

    def _load(path: str) -> ctypes.CDLL | None:
        try:
            return ctypes.CDLL(path)
        except OSError as exc:  # a stripped-down system: say so, never crash the agent
            log.warning("cannot load %s: %s", path, exc)
            return None

    _cg = _load(_CORE_GRAPHICS)
    _ax = _load(_APP_SERVICES)
    _cf = _load(_CORE_FOUNDATION)

    def screen_recording_allowed() -> bool:
        """True if macOS lets this process record the screen (asks nothing)."""
        if _cg is None:
            return False
        fn = getattr(_cg, "CGPreflightScreenCaptureAccess", None)
        if fn is None:  # before 10.15 there was no such permission
            return True
        fn.argtypes = []
        fn.restype = c_bool
        return bool(fn())

    def request_screen_recording() -> None:
        """Show the system's own Screen Recording dialog (macOS shows it once per program;
        later calls only answer). The answer is read with :func:`screen_recording_allowed`."""
        if _cg is None:
            return
        fn = getattr(_cg, "CGRequestScreenCaptureAccess", None)
        if fn is None:
            return
        fn.argtypes = []
        fn.restype = c_bool
        fn()

    def accessibility_allowed(prompt: bool) -> bool:
        """True if this process may post input (Accessibility). With ``prompt``, macOS shows
        its own dialog when it may not (the answer does not wait for the customer)."""
        if _ax is None or _cf is None:
            return False
        trusted = _ax.AXIsProcessTrustedWithOptions
        trusted.argtypes = [c_void_p]
        trusted.restype = c_bool
        if not prompt:
            return bool(trusted(None))
        create = _cf.CFDictionaryCreate
        create.argtypes = [c_void_p, c_void_p, c_void_p, c_long, c_void_p, c_void_p]
        create.restype = c_void_p
        release = _cf.CFRelease
        release.argtypes = [c_void_p]
        release.restype = None
        key = c_void_p.in_dll(_ax, "kAXTrustedCheckOptionPrompt")  # a CFStringRef
        value = c_void_p.in_dll(_cf, "kCFBooleanTrue")  # a CFBooleanRef
        keys = (c_void_p * 1)(key.value)
        values = (c_void_p * 1)(value.value)
        key_callbacks = ctypes.addressof(
            ctypes.c_char.in_dll(_cf, "kCFTypeDictionaryKeyCallBacks"))
        value_callbacks = ctypes.addressof(
            ctypes.c_char.in_dll(_cf, "kCFTypeDictionaryValueCallBacks"))
        options = create(None, keys, values, 1, key_callbacks, value_callbacks)
        if not options:
            return bool(trusted(None))
        try:
            return bool(trusted(options))
        finally:
            release(options)

    def open_privacy_settings(pane: str) -> None:
        """Open System Settings → Privacy & Security on ``pane`` (the customer switches
        Fernhilfe on there; nothing is changed for them)."""
        subprocess.Popen([_OPEN, privacy_settings_url(pane)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)

else:

    def screen_recording_allowed() -> bool:
        """Not macOS: nothing to allow."""
        return True

    def request_screen_recording() -> None:
        """Not macOS: nothing to ask."""

    def accessibility_allowed(prompt: bool) -> bool:
        """Not macOS: nothing to allow."""
        return True

    def open_privacy_settings(pane: str) -> None:
        """Not macOS: there are no such settings (the name is still checked)."""
        privacy_settings_url(pane)
