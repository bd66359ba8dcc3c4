""""Still sharing?": the timer that asks the customer again during a long session (issue 15).

A session can run for hours after one click on Allow. Like Chrome Remote Desktop, the agent
asks again after a while: after ``interval`` seconds of sharing the customer's panel asks
whether to go on; with no answer within ``answer_within`` seconds, screen and control pause
until the customer clicks Resume. This module is only the clock logic, sans-I/O: the caller
passes ``now`` (the agent passes its loop's ``loop.time()``), asks :attr:`ShareCheck.next_deadline`
when to call :meth:`ShareCheck.tick` next, and acts on what ``tick`` says.

States: ``SHARING`` --(interval passed)--> ``ASKING`` --(no answer in time)--> ``PAUSED``;
:meth:`~ShareCheck.confirm` goes ``ASKING`` -> ``SHARING`` and :meth:`~ShareCheck.resume`
``PAUSED`` -> ``SHARING``, each starting a fresh interval. A call that does not fit the state
(a late Continue after the pause, a double click) changes nothing and says so by returning False.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

__all__ = [
    "ANSWER_WITHIN", "DEFAULT_MINUTES", "MAX_MINUTES", "MIN_MINUTES", "Asked", "CheckState",
    "ShareCheck", "TimedOut", "check_minutes",
]

#: Minutes of sharing before the customer is asked again (branding ``still_sharing_minutes``).
DEFAULT_MINUTES = 30
MIN_MINUTES = 10
MAX_MINUTES = 120
#: Seconds the customer has to answer before screen and control pause.
ANSWER_WITHIN = 60.0


def check_minutes(value: object) -> int:
    """``value`` as a whole number of minutes in MIN_MINUTES..MAX_MINUTES, else ValueError
    saying the rule (the agent's settings and the one-file build both use this one rule)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number of minutes ({MIN_MINUTES} to {MAX_MINUTES}, "
                         "no quotes)")
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        raise ValueError(f"must be between {MIN_MINUTES} and {MAX_MINUTES} minutes, "
                         f"not {value}")
    return value


class CheckState(enum.Enum):
    SHARING = "sharing"
    ASKING = "asking"
    PAUSED = "paused"


@dataclass(frozen=True)
class Asked:
    """Ask the customer now; ``seconds`` to answer before sharing pauses."""

    seconds: float


@dataclass(frozen=True)
class TimedOut:
    """Nobody answered in time: pause screen and control (reason ``"timeout"``)."""


class ShareCheck:
    """The "still sharing?" timer of one session; every method takes the caller's ``now``.

    ``interval`` and ``answer_within`` are seconds and must be finite and positive (tests pass
    short ones; the agent derives ``interval`` from the checked branding minutes)."""

    def __init__(self, now: float, interval: float = DEFAULT_MINUTES * 60.0,
                 answer_within: float = ANSWER_WITHIN) -> None:
        for name, value in (("interval", interval), ("answer_within", answer_within)):
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
        self.interval = float(interval)
        self.answer_within = float(answer_within)
        self.state = CheckState.SHARING
        self._deadline: float | None = now + self.interval

    @property
    def next_deadline(self) -> float | None:
        """When :meth:`tick` has something to say next (None while paused: only the
        customer's Resume goes on)."""
        return self._deadline

    def tick(self, now: float) -> Asked | TimedOut | None:
        """What is due at ``now``: at most one step a call, so a late tick (a suspended
        laptop) still asks first and gives the customer the whole answer time."""
        if self._deadline is None or now < self._deadline:
            return None
        if self.state is CheckState.SHARING:
            self.state = CheckState.ASKING
            self._deadline = now + self.answer_within
            return Asked(self.answer_within)
        self.state = CheckState.PAUSED
        self._deadline = None
        return TimedOut()

    def confirm(self, now: float) -> bool:
        """The customer clicked Continue while asked: a fresh interval. False (nothing
        changes) when not asking, e.g. the click came after the pause."""
        if self.state is not CheckState.ASKING:
            return False
        self._restart(now)
        return True

    def resume(self, now: float) -> bool:
        """The customer clicked Resume after the pause: a fresh interval. False when not
        paused."""
        if self.state is not CheckState.PAUSED:
            return False
        self._restart(now)
        return True

    def answer_left(self, now: float) -> float:
        """Seconds left to answer while asking (0 otherwise)."""
        if self.state is not CheckState.ASKING or self._deadline is None:
            return 0.0
        return max(0.0, self._deadline - now)

    def _restart(self, now: float) -> None:
        self.state = CheckState.SHARING
        self._deadline = now + self.interval
