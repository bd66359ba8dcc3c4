"""The relay's rate limits: hosts and joins per address block, the join lockout, the
relay-wide flood budget. Pure, with an injectable clock.

No I/O and no asyncio here, so every rule (back-off, flood budget) is tested with a fake clock
instead of sleeping. Address blocks are relay/addresses.py's, nameplates relay/pairing.py's.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from shared.codes import MAX_NAMEPLATE_DIGITS, MIN_NAMEPLATE_DIGITS

Clock = Callable[[], float]


class SlidingCount:
    """Events in the last ``period`` seconds, counted in whole-second buckets.

    Memory is bounded by the period (at most ``period + 1`` buckets), however many events a
    flood produces, which a deque of time stamps is not.
    """

    __slots__ = ("_buckets", "_total", "period")

    def __init__(self, period: float = 60.0) -> None:
        self.period = period
        self._buckets: deque[list[float]] = deque()  # [second, count], oldest first
        self._total = 0

    def _prune(self, now: float) -> None:
        horizon = now - self.period
        while self._buckets and self._buckets[0][0] + 1 <= horizon:
            self._total -= int(self._buckets.popleft()[1])

    def add(self, now: float) -> None:
        """Record one event at ``now``."""
        self._prune(now)
        second = float(int(now))
        if self._buckets and self._buckets[-1][0] == second:
            self._buckets[-1][1] += 1
        else:
            self._buckets.append([second, 1])
        self._total += 1

    def count(self, now: float) -> int:
        """Events within the last ``period`` seconds (to the second)."""
        self._prune(now)
        return self._total

    def last(self) -> float:
        """Second of the newest event (-inf when none was recorded)."""
        return self._buckets[-1][0] if self._buckets else float("-inf")


class KeyedRate:
    """At most ``limit`` events per key in a sliding ``period``; quiet keys are forgotten."""

    def __init__(self, limit: int, period: float = 60.0, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.period = period
        self._clock = clock
        self._counts: dict[str, SlidingCount] = {}
        self._last_sweep = clock()

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < self.period:
            return
        self._last_sweep = now
        for key in [k for k, c in self._counts.items() if now - c.last() > self.period + 1]:
            del self._counts[key]

    def full(self, key: str) -> bool:
        """True if ``key`` has used up its events for now (records nothing)."""
        count = self._counts.get(key)
        return count is not None and count.count(self._clock()) >= self.limit

    def take(self, key: str) -> bool:
        """Record an event by ``key`` unless it is over its limit; False means refuse it."""
        now = self._clock()
        self._sweep(now)
        count = self._counts.setdefault(key, SlidingCount(self.period))
        if count.count(now) >= self.limit:
            return False
        count.add(now)
        return True


@dataclass
class _JoinState:
    attempts: deque[float] = field(default_factory=deque)
    failures: deque[float] = field(default_factory=deque)
    locked_until: float = 0.0
    last_seen: float = 0.0


class JoinLimiter:
    """Join attempts per client per minute, plus an exponential lockout after repeated failures.

    ``per_minute`` attempts are allowed in any sliding 60-second window. Failures beyond
    ``free_failures`` within ``failure_memory`` seconds lock the client out for
    ``base * 2**(n-1)`` seconds (capped at ``max_lockout``). A successful join does *not*
    forget failures: a guesser's random join that happens to hit a waiting customer must not
    reset its back-off (issue 9); failures only age out.
    """

    def __init__(
        self,
        per_minute: int = 10,
        free_failures: int = 3,
        base_lockout: float = 2.0,
        max_lockout: float = 900.0,
        clock: Clock = time.monotonic,
        failure_memory: float | None = None,
    ) -> None:
        self.per_minute = per_minute
        self.free_failures = free_failures
        self.base_lockout = base_lockout
        self.max_lockout = max_lockout
        self.failure_memory = max(60.0, max_lockout) if failure_memory is None else failure_memory
        self._clock = clock
        self._states: dict[str, _JoinState] = {}
        self._last_sweep = clock()

    def _sweep(self, now: float) -> None:
        """Forget clients quiet for long enough that they have no window, failure or lockout."""
        if now - self._last_sweep < 60.0:
            return
        self._last_sweep = now
        horizon = max(60.0, self.max_lockout, self.failure_memory)
        for key in [k for k, s in self._states.items() if now - s.last_seen > horizon]:
            if self._states[key].locked_until <= now:
                del self._states[key]

    def check(self, key: str) -> bool:
        """Record an attempt by ``key``; False means refuse it (rate limited or locked out)."""
        now = self._clock()
        self._sweep(now)
        state = self._states.setdefault(key, _JoinState())
        state.last_seen = now
        if state.locked_until > now:
            return False
        while state.attempts and state.attempts[0] <= now - 60.0:
            state.attempts.popleft()
        if len(state.attempts) >= self.per_minute:
            return False
        state.attempts.append(now)
        return True

    def blocked(self, key: str) -> bool:
        """True if ``check`` would refuse ``key`` now (records nothing)."""
        state = self._states.get(key)
        if state is None:
            return False
        now = self._clock()
        if state.locked_until > now:
            return True
        return sum(1 for t in state.attempts if t > now - 60.0) >= self.per_minute

    def refund(self, key: str) -> None:
        """Take back ``key``'s last attempt: the relay refused it as busy before it claimed
        anything, so a technician trying again is not rate limited for the relay's sake."""
        state = self._states.get(key)
        if state is not None and state.attempts:
            state.attempts.pop()

    def failed(self, key: str) -> None:
        """The attempt by ``key`` named no waiting nameplate: grow the lockout."""
        now = self._clock()
        state = self._states.setdefault(key, _JoinState())
        state.last_seen = now
        while state.failures and state.failures[0] <= now - self.failure_memory:
            state.failures.popleft()
        state.failures.append(now)
        over = len(state.failures) - self.free_failures
        if over > 0:
            lockout = min(self.max_lockout, self.base_lockout * 2 ** min(over - 1, 64))
            state.locked_until = now + lockout

    def locked_for(self, key: str) -> float:
        """Seconds of lockout left for ``key`` (for tests and logs)."""
        state = self._states.get(key)
        return 0.0 if state is None else max(0.0, state.locked_until - self._clock())


#: Nameplate space per failed join per minute under a flood: a waiting code then has at most
#: about a 0.1 % chance per minute of being hit by a random join.
SPACE_PER_FAILURE = 1000


def _space(digits: int) -> int:
    return 9 * 10 ** (digits - 1)


class FloodGuard:
    """A relay-wide budget of failed joins per minute, against guessing from many addresses.

    Per-address limits cannot stop 2 000 addresses with a few joins each: together they burn
    most 3-digit codes customers are reading out. Failed joins that passed the per-address
    limits are counted here too (one event, both budgets). The budget is also checked over the
    last ``BURST`` seconds (pro rata), so a sudden flood is noticed after a handful of failures,
    not after a minute's worth. Over the budget the relay

    - lengthens new nameplates so their space is ``SPACE_PER_FAILURE`` times the failure rate
      (up to :data:`MAX_NAMEPLATE_DIGITS`), and keeps them long for ``cooldown`` seconds after the
      flood, so a pulsing attacker meets long codes; and
    - slows joins that name a nameplate shorter than that while failures keep coming (any in
      the last ``BURST`` seconds): they pass a relay-wide gate of ``short_joins_per_second``,
      waiting up to ``max_wait`` for their turn, or are refused as busy (the code is not spent,
      so the technician can simply try again). Once the flood stops, the gate opens again and
      the technicians of the older short codes get through at once.

    Joins naming long nameplates are never slowed: guessing those is hopeless.
    """

    #: Seconds of the short window that catches a flood early.
    BURST = 5.0
    #: Failed joins one address block adds, per minute, to the count that closes the gate for
    #: short codes. Every failure still lengthens new nameplates (that costs honest people
    #: nothing), but one address alone must never slow everybody's joins: its further failures
    #: are the per-address limits' business (measured: a single flooding address tripped the
    #: burst window and sent 17 % of honest technicians to "busy", p99 2 s).
    PER_KEY_SHARE = 2
    #: Address blocks remembered for that share before the quiet ones are forgotten.
    MAX_KEYS = 65_536

    def __init__(
        self,
        failed_joins_per_minute: int = 60,
        short_joins_per_second: float = 0.5,
        max_wait: float = 2.0,
        cooldown: float = 600.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.budget = failed_joins_per_minute
        self.short_joins_per_second = short_joins_per_second
        self.max_wait = max_wait
        self.cooldown = cooldown
        self._clock = clock
        self._failures = SlidingCount(60.0)  # every failed join: lengthens new nameplates
        self._burst = SlidingCount(self.BURST)
        self._wide = SlidingCount(60.0)  # at most PER_KEY_SHARE a block: closes the gate
        self._wide_burst = SlidingCount(self.BURST)
        self._per_key: dict[str, SlidingCount] = {}
        self._digits = MIN_NAMEPLATE_DIGITS
        self._digits_until = float("-inf")
        self._next_slot = float("-inf")

    def failed(self, key: str = "") -> None:
        """A join from address block ``key`` that passed the per-address limits named no
        waiting nameplate. Towards the gate each block counts at most :attr:`PER_KEY_SHARE`
        times a minute."""
        now = self._clock()
        self._failures.add(now)
        self._burst.add(now)
        if key:
            mine = self._per_key.get(key)
            if mine is None:
                if len(self._per_key) >= self.MAX_KEYS:
                    self._per_key = {k: c for k, c in self._per_key.items() if c.count(now)}
                mine = self._per_key[key] = SlidingCount(60.0)
            if mine.count(now) >= self.PER_KEY_SHARE:
                return
            mine.add(now)
        self._wide.add(now)
        self._wide_burst.add(now)

    def _rate(self, minute: SlidingCount, burst: SlidingCount, now: float) -> float:
        """Failures per minute: over the last minute, or the last BURST seconds scaled up."""
        return max(minute.count(now), burst.count(now) * 60 / self.BURST)

    def failures(self) -> int:
        """Failed joins relay-wide in the last minute."""
        return self._failures.count(self._clock())

    def nameplate_digits(self) -> int:
        """The fewest digits a new nameplate may have now."""
        now = self._clock()
        failures = self._rate(self._failures, self._burst, now)
        wanted = MIN_NAMEPLATE_DIGITS
        if self.budget and failures > self.budget:
            wanted = MIN_NAMEPLATE_DIGITS + 1
            while wanted < MAX_NAMEPLATE_DIGITS and _space(wanted) < failures * SPACE_PER_FAILURE:
                wanted += 1
        if wanted > MIN_NAMEPLATE_DIGITS and (wanted >= self._digits or now >= self._digits_until):
            self._digits, self._digits_until = wanted, now + self.cooldown
        if now < self._digits_until:
            return max(wanted, self._digits)
        return wanted

    def under_pressure(self) -> bool:
        """True while new nameplates are lengthened."""
        return self.nameplate_digits() > MIN_NAMEPLATE_DIGITS

    def admit(self, nameplate: str) -> float | None:
        """Seconds a join naming ``nameplate`` must wait before it may claim, or None: refuse.

        Reserves the join's slot in the gate, so call it once per join.
        """
        if len(nameplate) >= self.nameplate_digits():
            return 0.0
        now = self._clock()
        if self._wide_burst.count(now) == 0:  # the flood has stopped
            return 0.0
        if not self.budget or self._rate(self._wide, self._wide_burst, now) <= self.budget:
            return 0.0  # failures from few address blocks: theirs to pay, not everybody's
        slot = max(now, self._next_slot)
        if slot - now > self.max_wait:
            return None
        self._next_slot = slot + 1.0 / self.short_joins_per_second
        return slot - now
