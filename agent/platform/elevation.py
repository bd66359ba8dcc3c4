"""When to tell the customer that Windows keeps the technician out of the window in front.

Windows drops injected input aimed at a window of an elevated process unless the agent is
elevated too (:mod:`agent.platform.windows`). The agent samples, a few times a second, whether
it is elevated, which window is in front and whether that one is elevated, and whether the
technician may control at all; :class:`ElevationWatcher` turns the samples into "show the
notice" / "hide it", without flicker:

- shown only after the blocked state held for ``hold`` seconds (a UAC-elevated window flashing
  past while Alt+Tab runs is no reason to speak up), and at most once per stay of a window in
  front: dismissed, it stays away until another window comes to the front;
- hidden when the state is over (not blocked for ``hold`` seconds; at once when control ends
  or the agent is elevated now);
- a sample whose foreground is unknown (no window in front, or the agent's own window because
  the customer is clicking the notice) changes nothing.

Pure: no clock of its own, no Windows call; ``now`` comes with each sample.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

#: Seconds a state must hold before the notice appears or goes.
HOLD = 0.5
#: The end reason when the customer restarts Fernhilfe with administrator rights (End.reason;
#: docs/PROTOCOL.md section 10.4): the technician connects again with the new code.
RESTART_REASON = "restarting_elevated"


@dataclass(frozen=True)
class Sample:
    """One look at the desktop.

    ``foreground``: an identity of the window in front (its handle), None when there is none
    or it is unknown; ``foreground_elevated``: None when unknown (including our own window)."""

    agent_elevated: bool
    foreground: int | None
    foreground_elevated: bool | None
    control: bool
    now: float


class Change(enum.Enum):
    SHOW = "show"
    HIDE = "hide"


class ElevationWatcher:
    """Samples in, :class:`Change` out (or None: nothing to do)."""

    def __init__(self, hold: float = HOLD) -> None:
        self.hold = hold
        self.reset()

    def reset(self) -> None:
        """Forget everything (a session ended; the notice is hidden by its owner)."""
        self.showing = False
        self._window: int | None = None  # the window in front, as last known
        self._blocked_since: float | None = None
        self._clear_since: float | None = None
        self._spoken_for: int | None = None  # the window the notice was shown (or dismissed) for

    def feed(self, sample: Sample) -> Change | None:
        if sample.agent_elevated or not sample.control:
            self._blocked_since = self._clear_since = None
            return self._hide()
        if sample.foreground is None or sample.foreground_elevated is None:
            return None  # unknown: keep what is shown
        if sample.foreground != self._window:
            self._window = sample.foreground
            self._spoken_for = None
            self._blocked_since = self._clear_since = None
        if sample.foreground_elevated:
            self._clear_since = None
            if self._blocked_since is None:
                self._blocked_since = sample.now
            if (not self.showing and self._spoken_for != sample.foreground
                    and sample.now - self._blocked_since >= self.hold):
                self.showing = True
                self._spoken_for = sample.foreground
                return Change.SHOW
            return None
        self._blocked_since = None
        if self._clear_since is None:
            self._clear_since = sample.now
        if sample.now - self._clear_since >= self.hold:
            return self._hide()
        return None

    def dismiss(self) -> None:
        """The customer closed the notice: not again while this window stays in front."""
        self.showing = False

    def _hide(self) -> Change | None:
        if not self.showing:
            return None
        self.showing = False
        return Change.HIDE
