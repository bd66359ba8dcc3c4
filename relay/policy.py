"""Pure relay policy: nameplate allocation and join rate limiting, with an injectable clock.

No I/O and no asyncio here, so every rule (expiry, 24-hour hold, crowding, back-off) is tested
with a fake clock instead of sleeping.
"""

from __future__ import annotations

import ipaddress
import random
import secrets
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from shared.rendezvous import ErrorCode

Clock = Callable[[], float]

#: Open nameplates allowed in a digit space of 900 numbers before we move to more digits (~55 %).
CROWD_FRACTION = 500 / 900


class ClaimResult(Enum):
    """What happened to a join attempt on a nameplate."""

    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    SPENT = "spent"
    ALREADY_JOINED = "already_joined"

    @property
    def error(self) -> ErrorCode | None:
        """The stable error code a console gets for this result (None for OK)."""
        return {
            ClaimResult.OK: None,
            ClaimResult.UNKNOWN: ErrorCode.UNKNOWN_NAMEPLATE,
            ClaimResult.EXPIRED: ErrorCode.NAMEPLATE_EXPIRED,
            ClaimResult.SPENT: ErrorCode.NAMEPLATE_SPENT,
            ClaimResult.ALREADY_JOINED: ErrorCode.ALREADY_JOINED,
        }[self]


class _Held(Enum):
    JOINED = "joined"  # a console joined and the pair is still up
    SPENT = "spent"  # a console joined; the pair is over
    EXPIRED = "expired"  # nobody joined within the lifetime
    WITHDRAWN = "withdrawn"  # the agent left before anybody joined


class NameplateAllocator:
    """Hands out short unique nameplates; any nameplate ever shown is held back for 24 hours.

    Holding back *every* issued nameplate (spent, expired or withdrawn) means a code a customer
    once read out can never route a console to a different customer within a day.
    """

    def __init__(
        self,
        lifetime: float = 600.0,
        hold: float = 86_400.0,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.lifetime = lifetime
        self.hold = hold
        self._clock = clock
        self._rng = rng or secrets.SystemRandom()
        self._open: dict[str, float] = {}  # nameplate -> expiry time
        self._joined: set[str] = set()
        self._held: OrderedDict[str, tuple[float, _Held]] = OrderedDict()  # by release time
        # Open, joined and held are disjoint; count them per digit length for crowding.
        self._taken_by_digits: Counter[int] = Counter()

    @property
    def open_count(self) -> int:
        """Nameplates waiting for a console (after purging expired ones)."""
        self._purge()
        return len(self._open)

    def _purge(self) -> None:
        now = self._clock()
        for nameplate in [n for n, expiry in self._open.items() if expiry <= now]:
            del self._open[nameplate]
            self._hold(nameplate, _Held.EXPIRED)
        while self._held:
            nameplate, (release, _) = next(iter(self._held.items()))
            if release > now:
                break
            del self._held[nameplate]
            self._taken_by_digits[len(nameplate)] -= 1

    def _hold(self, nameplate: str, state: _Held) -> None:
        self._held.pop(nameplate, None)
        self._held[nameplate] = (self._clock() + self.hold, state)

    def _taken(self, nameplate: str) -> bool:
        return nameplate in self._open or nameplate in self._joined or nameplate in self._held

    def allocate(self) -> str:
        """A fresh nameplate: random among free ones of the fewest digits (>= 3) not crowded."""
        self._purge()
        digits = 3
        while True:
            low, high = 10 ** (digits - 1), 10**digits - 1
            capacity = high - low + 1
            taken = self._taken_by_digits[digits]
            if taken < capacity * CROWD_FRACTION:
                break
            digits += 1
        # At most ~56 % of this space is taken, so rejection sampling ends fast.
        while True:
            candidate = str(self._rng.randint(low, high))
            if not self._taken(candidate):
                break
        self._open[candidate] = self._clock() + self.lifetime
        self._taken_by_digits[digits] += 1
        return candidate

    def expires_in(self, nameplate: str) -> float:
        """Seconds until ``nameplate`` expires (0 if it is not open)."""
        expiry = self._open.get(nameplate)
        return 0.0 if expiry is None else max(0.0, expiry - self._clock())

    def claim(self, nameplate: str) -> ClaimResult:
        """A console's one join attempt: OK pairs it; in every case the nameplate is used up."""
        self._purge()
        if nameplate in self._open:
            del self._open[nameplate]
            self._joined.add(nameplate)
            return ClaimResult.OK
        if nameplate in self._joined:
            return ClaimResult.ALREADY_JOINED
        held = self._held.get(nameplate)
        if held is None:
            return ClaimResult.UNKNOWN
        return {
            _Held.JOINED: ClaimResult.ALREADY_JOINED,
            _Held.SPENT: ClaimResult.SPENT,
            _Held.EXPIRED: ClaimResult.EXPIRED,
            _Held.WITHDRAWN: ClaimResult.UNKNOWN,
        }[held[1]]

    def release(self, nameplate: str) -> None:
        """The agent or the pair is gone: hold the nameplate back for ``hold`` seconds."""
        if nameplate in self._joined:
            self._joined.discard(nameplate)
            self._hold(nameplate, _Held.SPENT)
        elif self._open.pop(nameplate, None) is not None:
            self._hold(nameplate, _Held.WITHDRAWN)

    def expire(self, nameplate: str) -> None:
        """Mark an open nameplate expired now (the relay's timer fired)."""
        if self._open.pop(nameplate, None) is not None:
            self._hold(nameplate, _Held.EXPIRED)


def client_key(address: str) -> str:
    """The rate-limit key for a peer address: the address itself, or its /64 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """IPs or CIDRs (``10.0.0.0/8``, ``::1``) as networks; ValueError names a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip().strip("[]"), strict=False))
        except ValueError as exc:
            raise ValueError(f"not an IP address or network: {entry!r}") from exc
    return tuple(networks)


def _hop_address(hop: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """One ``X-Forwarded-For`` entry as an address: ``1.2.3.4``, ``1.2.3.4:5``, ``[::1]:5``."""
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1 : hop.find("]")] if "]" in hop else ""
    elif hop.count(":") == 1:  # IPv4 with a port
        hop = hop.partition(":")[0]
    try:
        ip = ipaddress.ip_address(hop)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _trusted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(ip.version == net.version and ip in net for net in trusted)


def forwarded_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """The client address behind trusted proxies; ``peer`` itself unless it is one of them.

    Only when the TCP peer is a trusted proxy is ``X-Forwarded-For`` (all header lines, in
    order) read, from the right: each trusted proxy appended the address it was connected from,
    so the first entry that is not a trusted proxy is the client. Everything left of it is
    whatever the client chose to send and is ignored. An entry that is not an address ends the
    walk at the hop to its right (a proxy's address), so header text never becomes a key.
    """
    peer_ip = _hop_address(peer)
    if not trusted or peer_ip is None or not _trusted(peer_ip, trusted):
        return peer
    current = peer_ip
    hops = [hop for value in forwarded_for for hop in value.split(",")]
    for hop in reversed(hops):
        ip = _hop_address(hop)
        if ip is None:
            break
        current = ip
        if not _trusted(ip, trusted):
            break
    return str(current)


@dataclass
class _JoinState:
    attempts: deque[float] = field(default_factory=deque)
    failures: int = 0
    locked_until: float = 0.0
    last_seen: float = 0.0


class JoinLimiter:
    """Join attempts per client per minute, plus an exponential lockout after repeated failures.

    ``per_minute`` attempts are allowed in any sliding 60-second window. Failures beyond
    ``free_failures`` in a row lock the client out for ``base * 2**(n-1)`` seconds (capped at
    ``max_lockout``); a successful join resets the count.
    """

    def __init__(
        self,
        per_minute: int = 10,
        free_failures: int = 3,
        base_lockout: float = 2.0,
        max_lockout: float = 900.0,
        clock: Clock = time.monotonic,
    ) -> None:
        self.per_minute = per_minute
        self.free_failures = free_failures
        self.base_lockout = base_lockout
        self.max_lockout = max_lockout
        self._clock = clock
        self._states: dict[str, _JoinState] = {}
        self._last_sweep = clock()

    def _sweep(self, now: float) -> None:
        """Forget clients quiet for long enough that they have no window or lockout left."""
        if now - self._last_sweep < 60.0:
            return
        self._last_sweep = now
        horizon = max(60.0, self.max_lockout)
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

    def failed(self, key: str) -> None:
        """The attempt by ``key`` named no waiting nameplate: grow the lockout."""
        now = self._clock()
        state = self._states.setdefault(key, _JoinState())
        state.last_seen = now
        state.failures += 1
        over = state.failures - self.free_failures
        if over > 0:
            lockout = min(self.max_lockout, self.base_lockout * 2 ** (over - 1))
            state.locked_until = now + lockout

    def succeeded(self, key: str) -> None:
        """The attempt by ``key`` paired: forget its failures."""
        state = self._states.get(key)
        if state is not None:
            state.failures = 0
            state.locked_until = 0.0

    def locked_for(self, key: str) -> float:
        """Seconds of lockout left for ``key`` (for tests and logs)."""
        state = self._states.get(key)
        return 0.0 if state is None else max(0.0, state.locked_until - self._clock())
