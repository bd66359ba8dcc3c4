""""Still sharing?" on the agent's network loop: the timer of :mod:`shared.share_check` driven
by ``loop.call_at``, and what a pause does to one session (issue 15, item 4).

After the interval the customer's panel asks (:class:`ShareCheckAsked` to the sink, the worker
turns it into ``share_check_asked``); with no answer in time the session pauses with reason
``"timeout"``: the session machine stops sealing frames and cursor and drops input, the streamer
stops grabbing, held input is released, and the technician is told (``SharingPaused``). The
customer's Resume un-pauses (reason ``"customer"``) and the streamer sends the whole screen.
Each step is in the audit record: ``share_check_asked``, ``share_check_confirmed``,
``sharing_paused`` and ``sharing_resumed`` (with the reason).

The clock is the loop's (``loop.time()``); the interval comes from the branding
(``still_sharing_minutes``) through :attr:`agent.driver.AgentHost.share_check`, which a test may
replace with its own :class:`ShareCheck` factory (never an environment variable or a flag).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shared.session import SharingPausedChanged
from shared.share_check import Asked, ShareCheck, TimedOut

if TYPE_CHECKING:
    from agent.driver import AgentSessionDriver

log = logging.getLogger(__name__)

#: A "still sharing?" answer counts only if no technician input was applied here for this many
#: seconds: the technician sees the panel and, with control, could otherwise click Continue.
TECHNICIAN_QUIET = 1.0

#: Makes the check of one session from the loop's time at its start.
ShareCheckFactory = Callable[[float], ShareCheck]


@dataclass(frozen=True)
class ShareCheckAsked:
    """Ask the customer "still sharing?"; ``seconds`` to answer before sharing pauses."""

    seconds: float


class StillSharing:
    """The "still sharing?" check of one agent session, on its network loop."""

    def __init__(self, driver: AgentSessionDriver, make_check: ShareCheckFactory) -> None:
        self._driver = driver
        self._make_check = make_check
        self.check: ShareCheck | None = None
        self._timer: asyncio.TimerHandle | None = None

    @property
    def _loop(self) -> asyncio.AbstractEventLoop:
        return self._driver.loop

    def start(self) -> None:
        """Sharing began (the customer allowed ``view``): the first interval starts now."""
        if self.check is None:
            self.check = self._make_check(self._loop.time())
            self._schedule()

    def stop(self) -> None:
        """The session is over: no more questions."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def confirm(self) -> None:
        """The customer clicked Continue. Too late (already paused): nothing, the panel shows
        the pause and its Resume button instead."""
        if self.check is None or not self._live():
            return
        if self.check.confirm(self._loop.time()):
            self._driver.audit("share_check_confirmed")
            self._schedule()

    def resume(self) -> None:
        """The customer clicked Resume after the pause: share again, a fresh interval."""
        if self.check is None or not self._live():
            return
        if self.check.resume(self._loop.time()):
            self._driver.handle(self._driver.session.set_paused(False, "customer"))
            self._schedule()

    def paused_changed(self, ev: SharingPausedChanged) -> None:
        """The session machine paused or went on (it already told the technician): record
        it, stop or restart the streamer, let go of held input, tell the customer's window."""
        driver = self._driver
        name = "sharing_paused" if ev.paused else "sharing_resumed"
        if not driver.audit(name, reason=ev.reason):
            return  # the record failed: the session ends anyway
        if ev.paused:
            driver.release_input()
        if driver.streamer is not None:
            driver.streamer.set_paused(ev.paused)
        driver.sink(ev)

    # --- internals

    def _live(self) -> bool:
        return not self._driver.closed and not self._driver.session.ended

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        deadline = None if self.check is None else self.check.next_deadline
        if deadline is not None and self._live():
            self._timer = self._loop.call_at(deadline, self._tick)

    def _tick(self) -> None:
        self._timer = None
        if self.check is None or not self._live():
            return
        due = self.check.tick(self._loop.time())
        if isinstance(due, Asked):
            if self._driver.audit("share_check_asked"):
                self._driver.sink(ShareCheckAsked(due.seconds))
        elif isinstance(due, TimedOut):
            log.info("nobody answered 'still sharing?': pausing screen and control")
            self._driver.handle(self._driver.session.set_paused(True, "timeout"))
        self._schedule()
