"""The customer's monitors, which one is shared, and noticing when one is plugged in or out.

Why one monitor at a time: two monitors sent as one picture shrink to nothing readable in the
technician's window. The agent shares one monitor (the primary one at first) or, only when the
technician asks for it and it fits the frame budget, all of them as one picture.

Where the list comes from: mss (10.x reads XRandR 1.5 monitors, the same list Qt and window
managers use, with the primary flag; older servers: the CRTCs). mss numbers them 1..n after the
whole desktop (0) in the X server's order (the primary first); the wire numbers them 1..n from
left to right (``Monitors.shared``, ``ChooseMonitor``), and :attr:`Screens.capture` maps one to
the other. A desktop without RandR has no per-monitor entries: then
the whole desktop is monitor 1. Every call here talks to the display server: call it on the
``agent-desktop`` thread, never on the network loop.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import mss

from agent.capture import CaptureError
from shared import messages as m
from shared.codec import MAX_DIMENSION, ResourceLimit, check_frame_size

__all__ = ["POLL_INTERVAL", "MonitorsShared", "Screens", "read_screens", "read_screens_or_none"]

#: Seconds between two looks at the monitor list (hot-plug): a plugged monitor shows up in the
#: technician's picker within this, and one look costs one short X round trip.
POLL_INTERVAL = 2.0

Geometry = tuple[int, int, int, int]  # left, top, width, height (virtual desktop pixels)


def _fits(width: int, height: int) -> bool:
    try:
        check_frame_size(width, height)
    except ResourceLimit:
        return False
    return True


def _wire(geo: Geometry, primary: bool) -> m.Monitor:
    """A monitor as the wire describes it (sizes capped to the wire's range: a monitor too big
    to describe is also too big to share, see :meth:`Screens.fits`)."""
    left, top, width, height = geo
    def coord(v: int) -> int:
        return max(-0x8000, min(0x7FFF, v))
    return m.Monitor(coord(left), coord(top), max(1, min(MAX_DIMENSION, width)),
                     max(1, min(MAX_DIMENSION, height)), primary)


@dataclass(frozen=True)
class MonitorsShared:
    """For the customer's panel and frame: the monitors (virtual-desktop pixels) and the one
    shared now (0 = all), after sharing started, each switch and each hot-plug."""

    monitors: tuple[m.Monitor, ...]
    shared: int


@dataclass(frozen=True)
class Screens:
    """The desktop's monitors at one moment: ``desktop`` (all of them as one picture, mss 0)
    and ``geometries[i - 1]`` for monitor i; ``capture`` maps a wire index to mss's."""

    desktop: Geometry
    geometries: tuple[Geometry, ...]
    primary: tuple[bool, ...]
    #: mss index to grab for wire index 0..n (the whole desktop is monitor 1 without RandR)
    capture: tuple[int, ...]

    @classmethod
    def from_mss(cls, monitors: list[dict[str, object]]) -> Screens:
        """From ``mss.MSS().monitors`` (index 0 = the whole desktop, then each monitor)."""
        def geo(mon: dict[str, object]) -> Geometry:
            return (int(mon["left"]), int(mon["top"]),  # type: ignore[call-overload]
                    int(mon["width"]), int(mon["height"]))  # type: ignore[call-overload]

        if not monitors:
            raise CaptureError("the display reports no screen")
        desktop = geo(monitors[0])
        # Numbered from left to right (then top to bottom), as a person counts them; X lists
        # the primary monitor first. The wire carries at most 16.
        order = sorted(range(1, len(monitors)), key=lambda i: geo(monitors[i])[:2])
        each = order[:m.MAX_MONITORS]
        if not each:  # no RandR: the whole desktop is the one monitor
            return cls(desktop, (desktop,), (True,), (0, 0))
        return cls(desktop, tuple(geo(monitors[i]) for i in each),
                   tuple(bool(monitors[i].get("is_primary", False)) for i in each),
                   (0, *each))

    @property
    def count(self) -> int:
        return len(self.geometries)

    @property
    def monitors(self) -> tuple[m.Monitor, ...]:
        """The list for :class:`shared.messages.Monitors`."""
        return tuple(_wire(g, p) for g, p in zip(self.geometries, self.primary, strict=True))

    def geometry(self, index: int) -> Geometry:
        """Where monitor ``index`` (0 = all) lies on the virtual desktop."""
        return self.desktop if index == 0 else self.geometries[index - 1]

    def origin(self, index: int) -> tuple[int, int]:
        """The top-left of what is shared: every wire x/y is relative to it."""
        left, top, _w, _h = self.geometry(index)
        return left, top

    def fits(self, index: int) -> bool:
        """Whether ``index`` exists and its picture fits the frame budget the console accepts."""
        if not 0 <= index <= self.count:
            return False
        _l, _t, width, height = self.geometry(index)
        return _fits(width, height)

    def default(self) -> int:
        """What is shared when sharing starts: the primary monitor when there are several (the
        first monitor when none says so), else the one; never "all" by itself. A monitor too big
        to share is passed over for the first that fits, then the whole desktop if that fits."""
        first = next((i for i, p in enumerate(self.primary, 1) if p), 1)
        for index in (first, *range(1, self.count + 1), 0):
            if self.fits(index):
                return index
        raise CaptureError("no monitor is small enough to share (at most "
                           f"{MAX_DIMENSION}x{MAX_DIMENSION} pixels)")

    def choose(self, wanted: int) -> int | None:
        """The technician asked for ``wanted`` (0 = all): it, or None when this desktop cannot
        share it (no such monitor now, or too big for the frame budget)."""
        return wanted if self.fits(wanted) else None

    def follow(self, shared: int, before: Screens | None) -> int:
        """After a change of the list: the index of the monitor shared before (the same place
        on the desktop), else "all" if that was shared and still fits, else :meth:`default`."""
        if before is not None and shared != 0 and 1 <= shared <= before.count:
            was = before.geometry(shared)
            for index, geo in enumerate(self.geometries, 1):
                if geo == was and self.fits(index):
                    return index
        elif shared == 0 and self.fits(0):
            return 0
        return self.default()


def read_screens(display: str | None = None) -> Screens:
    """Ask the display server for its monitors now (a fresh mss: its list is cached per
    instance, and a plugged monitor must show up)."""
    try:
        with (mss.MSS(display=display) if display else mss.MSS()) as sct:
            return Screens.from_mss([dict(mon) for mon in sct.monitors])
    except mss.ScreenShotError as exc:
        raise CaptureError(f"cannot read the monitors: {exc}") from exc


def read_screens_or_none(display: str | None = None) -> Screens | None:
    """:func:`read_screens`, or None when the display cannot say (the watcher tries again)."""
    with contextlib.suppress(CaptureError):
        return read_screens(display)
    return None
