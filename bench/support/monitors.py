"""Several monitors on one Xvfb display, for tests and benchmarks of the monitor choice.

Xvfb has one RandR output (``screen``) and one CRTC, so it cannot be given a second real monitor.
RandR 1.5 *monitors* (``xrandr --setmonitor``) are what mss (10.x reads ``RRGetMonitors``), Qt
(``QScreen`` per monitor, ``screenAdded``/``screenRemoved``) and window managers use, and they can
be set on a running Xvfb: a monitor that takes the output ``screen`` hides the automatic
whole-screen monitor, the others have no output. Adding or deleting one at run time is what a
customer plugging a monitor in or out looks like to the agent.

Two things make this work: the X server must run with ``-noreset`` (``XvfbDisplay`` does; without
it the server resets when the last client leaves and forgets the monitors), and every monitor
must lie inside the root window (Xvfb cannot grow it, so a two-monitor test splits the screen).
"""

from __future__ import annotations

import subprocess

Rect = tuple[int, int, int, int]  # x, y, width, height

#: The names this helper gives its monitors (and the only ones it deletes).
PREFIX = "FH"


def _xrandr(display: str, *args: str) -> str:
    env = {"DISPLAY": display, "PATH": "/usr/bin:/bin"}
    out = subprocess.run(["xrandr", *args], env=env, capture_output=True, text=True, timeout=10,
                         check=False)
    if out.returncode != 0:
        raise RuntimeError(f"xrandr {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def listed(display: str) -> list[str]:
    """The names of the RandR monitors the X server reports now."""
    names = []
    for line in _xrandr(display, "--listmonitors").splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 2:
            names.append(parts[1].lstrip("+*"))
    return names


def set_monitors(display: str, rects: list[Rect], primary: int = 1) -> None:
    """Make ``rects`` the display's monitors (1-based ``primary``; 0 = none is primary).

    The first one takes the output ``screen`` (the automatic whole-screen monitor disappears);
    the monitors this helper set before are deleted first."""
    clear_monitors(display)
    for n, (x, y, w, h) in enumerate(rects, 1):
        add_monitor(display, n, (x, y, w, h), primary=n == primary, output=n == 1)


def add_monitor(display: str, n: int, rect: Rect, *, primary: bool = False,
                output: bool = False) -> None:
    """Plug in monitor ``FH<n>`` at ``rect`` (``output``: it takes the output ``screen``)."""
    x, y, w, h = rect
    name = ("*" if primary else "") + f"{PREFIX}{n}"
    # Millimetres at 96 dpi: only the ratio matters to anyone here.
    geometry = f"{w}/{max(1, w * 254 // 960)}x{h}/{max(1, h * 254 // 960)}+{x}+{y}"
    _xrandr(display, "--setmonitor", name, geometry, "screen" if output else "none")


def remove_monitor(display: str, n: int) -> None:
    """Unplug monitor ``FH<n>``."""
    _xrandr(display, "--delmonitor", f"{PREFIX}{n}")


def qt_screens() -> list[Rect]:
    """The screens this process's Qt knows now, sorted (it follows RandR events a moment after
    a change: wait until this is what was set)."""
    from PySide6.QtGui import QGuiApplication  # only the callers that run Qt pay for it

    QGuiApplication.processEvents()
    geos = [s.geometry() for s in QGuiApplication.screens()]
    return sorted((g.x(), g.y(), g.width(), g.height()) for g in geos)


def clear_monitors(display: str) -> None:
    """Delete every monitor this helper set: the display has its one whole-screen monitor again."""
    for name in listed(display):
        if name.startswith(PREFIX):
            _xrandr(display, "--delmonitor", name)
