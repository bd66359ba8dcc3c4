"""Is the link to the other side alive? The watchdog of a running session, sans-I/O.

Why: a frozen link (Wi-Fi gone, a NAT that dropped the mapping, a relay that stalls) does not
close a TCP connection; for tens of seconds nothing arrives and nothing fails. Without a watchdog
the console keeps showing "Session running" with a stale round trip, and a key or button the
technician held stays pressed on the customer's computer until websockets gives up (issue 13).

How: during a session the console pings the agent every :data:`PING_INTERVAL` seconds (every
:data:`HELD_PING_INTERVAL` while the technician holds a key or button) and the agent answers
each ping, so each side hears from the other at least that often, whatever the screen does.
A :class:`LinkMonitor` on each side is told when a message arrived and ticked regularly; it says
what to do:

* :class:`ReleaseHeld`: (agent) something is held and the console has been silent for
  :data:`RELEASE_AFTER` seconds: release every key and button now (issue 13: within 2 s);
* :class:`LinkInterrupted`: silent for :data:`QUIET_AFTER` seconds (or the connection is known
  to be down): show "interrupted" (issue 13: within 5 s), no stale round trip;
* :class:`LinkResumed`: traffic came back: show the session as running again;
* :class:`GraceExpired`: silent for the grace period (:data:`DEFAULT_GRACE`, a setting): end
  the session cleanly as ``connection_lost``.

Pure: no clock is read here; every call takes ``now`` (seconds, monotonic, any origin).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

#: Console -> agent ping while nothing is held. Each ping is answered, so both sides hear from
#: each other this often: a resting session costs about 60 pings and 60 pongs a minute (about
#: 2.5 KiB of WebSocket payload each way, see bench/frozen_link.py).
PING_INTERVAL = 1.0
#: Console -> agent ping while the technician holds a key or button: a held key is released
#: after :data:`RELEASE_AFTER` of silence, so two lost or late pings in a row are tolerated.
HELD_PING_INTERVAL = 0.5
#: Silence from the console after which the agent releases what is held (target: 2 s, minus a
#: tick and the injection itself).
RELEASE_AFTER = 1.5
#: Silence after which a side shows the link as interrupted (target: 5 s, minus a tick and the
#: trip to the window). Three idle pings must be missing.
QUIET_AFTER = 3.0
#: Silence after which the session ends as ``connection_lost`` (agent: branding/config file,
#: console: settings). Long enough for a Wi-Fi hiccup or a relay restart.
DEFAULT_GRACE = 120.0
#: The shortest grace a setting may choose (a quiet link must be seen as interrupted first).
MIN_GRACE = QUIET_AFTER + 1.0
#: The longest grace a setting may choose (a frozen session must not linger for hours).
MAX_GRACE = 3600.0
#: How often the programs tick their monitor (seconds).
TICK = 0.1

#: The stable end reason when the grace period ran out (audit, window texts).
CONNECTION_LOST = "connection_lost"


class LinkState(Enum):
    LIVE = "live"
    INTERRUPTED = "interrupted"
    LOST = "lost"  # the grace ran out: the session ends; nothing revives it


@dataclass(frozen=True)
class ReleaseHeld:
    """Release every held key and button now (the console went silent)."""

    silent_for: float


@dataclass(frozen=True)
class LinkInterrupted:
    """The link went quiet: show "interrupted"; the session ends in ``grace_left`` seconds."""

    silent_for: float
    grace_left: float


@dataclass(frozen=True)
class LinkResumed:
    """Traffic came back after ``interrupted_for`` seconds of showing "interrupted"."""

    interrupted_for: float


@dataclass(frozen=True)
class GraceExpired:
    """Silent for the whole grace period: end the session as :data:`CONNECTION_LOST`."""

    silent_for: float


LinkEvent = ReleaseHeld | LinkInterrupted | LinkResumed | GraceExpired


def ping_interval(held: bool) -> float:
    """How often the console pings: more often while the technician holds something."""
    return HELD_PING_INTERVAL if held else PING_INTERVAL


def check_grace(seconds: float) -> float:
    """``seconds`` as a grace period, or ValueError with the allowed range (settings)."""
    if not MIN_GRACE <= seconds <= MAX_GRACE:
        raise ValueError(f"the grace period must be between {MIN_GRACE:g} and "
                         f"{MAX_GRACE:g} seconds, not {seconds:g}")
    return float(seconds)


class LinkMonitor:
    """Watches one side's incoming traffic during a session and says what silence means.

    ``release_after`` None: this side holds nothing for the peer (the console). The grace is
    counted from the last message received, so the session ends ``grace`` seconds after the
    link went silent however long it took to notice.
    """

    def __init__(self, now: float, *, grace: float = DEFAULT_GRACE,
                 quiet_after: float = QUIET_AFTER,
                 release_after: float | None = RELEASE_AFTER) -> None:
        if quiet_after <= 0 or grace < quiet_after:
            raise ValueError("need 0 < quiet_after <= grace")
        if release_after is not None and release_after <= 0:
            raise ValueError("release_after must be positive")
        self.grace = grace
        self.quiet_after = quiet_after
        self.release_after = release_after
        self.state = LinkState.LIVE
        self.interruptions = 0
        self._last = now
        self._quiet_since = now
        self._held = False
        self._down = False  # the connection is known to be gone (not just quiet)

    def received(self, now: float) -> list[LinkEvent]:
        """A message from the peer arrived at ``now``."""
        if self.state is LinkState.LOST:
            return []
        self._last = max(self._last, now)
        self._down = False
        if self.state is LinkState.INTERRUPTED:
            self.state = LinkState.LIVE
            return [LinkResumed(max(0.0, now - self._quiet_since))]
        return []

    def reading_paused(self, now: float) -> list[LinkEvent]:
        """This side is not reading by its own choice (the console's back-pressure) at ``now``:
        the silence up to now is ours, not the peer's, so it does not count towards "quiet".

        Why not :meth:`received`: nothing arrived, so this proves nothing about the peer. It
        never ends an interruption nor a connection known to be down: a console that was
        behind with frames when its link dropped recorded ``link_resumed`` while reconnecting,
        showed "live", went quiet again and recorded a second interruption and resume for one
        drop (converge20)."""
        if self.state is LinkState.LIVE and not self._down:
            self._last = max(self._last, now)
        return []

    def set_held(self, held: bool) -> None:
        """Whether something the peer pressed is held down here now (agent)."""
        self._held = held

    def link_down(self, now: float) -> list[LinkEvent]:
        """The connection is known to be gone (closed, reconnecting): release and show
        "interrupted" at once instead of waiting for the silence to tell."""
        self._down = True
        return self.tick(now)

    def tick(self, now: float) -> list[LinkEvent]:
        """Time passed: what the silence up to ``now`` calls for (each event once)."""
        if self.state is LinkState.LOST:
            return []
        silent = max(0.0, now - self._last)
        events: list[LinkEvent] = []
        if (self._held and self.release_after is not None
                and (self._down or silent >= self.release_after)):
            self._held = False  # the program releases now; a new press needs a new message
            events.append(ReleaseHeld(silent))
        if self.state is LinkState.LIVE and (self._down or silent >= self.quiet_after):
            self.state = LinkState.INTERRUPTED
            self.interruptions += 1
            self._quiet_since = now
            events.append(LinkInterrupted(silent, max(0.0, self.grace - silent)))
        if self.state is LinkState.INTERRUPTED and silent >= self.grace:
            self.state = LinkState.LOST
            events.append(GraceExpired(silent))
        return events

    def due_in(self, now: float) -> float | None:
        """Seconds until :meth:`tick` can next say something if nothing arrives (None: never
        again, the link is lost). Ticking earlier is harmless; ticking at this time (and after
        every message, whose time only moves the answer later) loses no event.

        Why: ticking every :data:`TICK` woke the network loop 10 times a second in every
        session, most of an idle agent's network CPU (issue 16); a watchdog that sleeps until
        this deadline wakes about once per ping. While live, a message only moves the marks
        later; the release counts even when nothing is held now, as a key pressed later comes
        in a message after this was asked. Outside that (a silence the pings never reach in a
        healthy session: past the release mark, interrupted) it is :data:`TICK` as before:
        input applied late may become held at any moment, and a message that ends an
        interruption moves the marks earlier."""
        if self.state is LinkState.LOST:
            return None
        silent = self.silent_for(now)
        if self.state is LinkState.INTERRUPTED:
            return max(0.0, min(TICK, self.grace - silent))
        due = self.quiet_after - silent
        if self.release_after is not None:
            release = self.release_after - silent
            due = min(due, release if release > 0 else TICK)
        return max(0.0, due)

    def silent_for(self, now: float) -> float:
        """Seconds since the last message from the peer."""
        return max(0.0, now - self._last)

    def grace_left(self, now: float) -> float:
        """Seconds until the session ends if nothing arrives (0 once lost)."""
        if self.state is LinkState.LOST:
            return 0.0
        return max(0.0, self.grace - self.silent_for(now))
