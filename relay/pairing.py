"""The relay's pairing bookkeeping as two explicit machines (sans-I/O, injected clock).

* A **nameplate** is FREE, OPEN (an agent waits on it), JOINED (a console claimed it: spent),
  HELD (its pair is gone; held back a day so a used code never reaches another customer) or
  EXPIRED (nobody came in time; remembered briefly so a late technician hears "expired").
  :data:`NAMEPLATE_TRANSITIONS` lists every change; :class:`NameplateAllocator` follows it.
* A **connection** is CONNECTED (role not yet known), HOSTING (an agent holding a nameplate),
  RESUMING (an agent or console waiting for its peer to present the same resume token),
  PAIRED, or CLOSED. :data:`CONNECTION_TRANSITIONS` lists every change; :class:`Pairing` follows
  it for one node's own connections and owns the counts derived from it (unpaired connections
  per address block, waiting agents, live pairs), each changed in exactly one place.

The nameplate machine and the resume-token rules are kept, for every node at once, by the shared
state (relay/cluster/: :class:`~relay.cluster.local.LocalState` wraps the allocator here,
Redis runs the same table in a script); :class:`Pairing` is only what this node holds.

No sockets and no asyncio: relay/server.py does the I/O and asks this module what happens, so
every rule (expiry, the 24-hour hold, crowding, pairing, the counters) is tested with a fake
clock and no network (tests/relay/test_pairing.py). A transition the table does not list is
a bug in the relay, raised as :class:`~shared.errors.LocalProtocolError`.
"""

from __future__ import annotations

import random
import secrets
import time
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Generic, TypeVar

from shared.codes import MAX_NAMEPLATE_DIGITS, MIN_NAMEPLATE_DIGITS
from shared.errors import LocalProtocolError
from shared.rendezvous import ErrorCode

Clock = Callable[[], float]

#: Open nameplates allowed in a digit space of 900 numbers before we move to more digits (~55 %).
CROWD_FRACTION = 500 / 900


# ------------------------------------------------------------------------------------------
# Nameplates


class Plate(Enum):
    """Where a nameplate is in its life."""

    FREE = "free"
    OPEN = "open"
    JOINED = "joined"
    HELD = "held"
    EXPIRED = "expired"


class PlateEvent(Enum):
    ALLOCATE = "allocate"  # an agent hosts on it
    CLAIM = "claim"  # a console's one join attempt found it open
    RELEASE = "release"  # the agent or the pair is gone
    EXPIRE = "expire"  # nobody joined within the lifetime
    HOLD_OVER = "hold_over"  # a spent nameplate's day is over
    FORGET = "forget"  # the short "expired" memory is over (or full)


#: plate state -> {event -> next state}. Anything else does not happen to a nameplate.
NAMEPLATE_TRANSITIONS: dict[Plate, dict[PlateEvent, Plate]] = {
    Plate.FREE: {PlateEvent.ALLOCATE: Plate.OPEN},
    Plate.OPEN: {
        PlateEvent.CLAIM: Plate.JOINED,
        PlateEvent.RELEASE: Plate.FREE,  # never joined: free at once (issue 9)
        PlateEvent.EXPIRE: Plate.EXPIRED,
    },
    Plate.JOINED: {PlateEvent.RELEASE: Plate.HELD},
    Plate.HELD: {PlateEvent.HOLD_OVER: Plate.FREE},
    # Avoided while others are easy to find, but not withheld (that would let a flood of
    # hosts burn the short space).
    Plate.EXPIRED: {PlateEvent.ALLOCATE: Plate.OPEN, PlateEvent.FORGET: Plate.FREE},
}

#: Nameplates nobody else can get: they count against their digit length's crowding.
TAKEN = frozenset({Plate.OPEN, Plate.JOINED, Plate.HELD})


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


#: A join attempt's answer, by the state the nameplate is in (only OPEN pairs).
CLAIM_RESULTS: dict[Plate, ClaimResult] = {
    Plate.FREE: ClaimResult.UNKNOWN,
    Plate.OPEN: ClaimResult.OK,
    Plate.JOINED: ClaimResult.ALREADY_JOINED,
    Plate.HELD: ClaimResult.SPENT,
    Plate.EXPIRED: ClaimResult.EXPIRED,
}


class NameplatesExhausted(RuntimeError):
    """Every digit length up to the cap is crowded: the relay is full."""


class NameplateAllocator:
    """Hands out short unique nameplates; a nameplate that was *joined* is held back 24 hours.

    A joined nameplate is spent (one join per code): holding it for a day means a code a
    technician once used can never route a console to a different customer within a day. A
    nameplate nobody joined is free again at its expiry (or when its agent leaves): holding those
    too let one client burn the whole 3-digit space by hosting and leaving (issue 9). Only a short
    bounded memory of expired ones remains, so a late technician still hears "expired".

    Each state but FREE has its own container (the timed ones in time order, so purging stops
    at the first entry still due); :meth:`_move` is the only code that changes them.
    """

    #: Expired nameplates remembered for the "expired" answer (bounded: a flood cannot grow it).
    EXPIRED_MEMORY = 50_000

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
        self._held: OrderedDict[str, float] = OrderedDict()  # spent -> release time, in order
        self._expired: OrderedDict[str, float] = OrderedDict()  # nameplate -> forget time
        self._taken_by_digits: Counter[int] = Counter()  # TAKEN nameplates per digit length

    # --- the machine ---------------------------------------------------------------------

    def state(self, nameplate: str) -> Plate:
        """Where ``nameplate`` is now (without purging)."""
        if nameplate in self._open:
            return Plate.OPEN
        if nameplate in self._joined:
            return Plate.JOINED
        if nameplate in self._held:
            return Plate.HELD
        if nameplate in self._expired:
            return Plate.EXPIRED
        return Plate.FREE

    def _move(self, nameplate: str, event: PlateEvent) -> Plate:
        """Apply ``event`` as the table says; the only writer of the containers and counts."""
        old = self.state(nameplate)
        new = NAMEPLATE_TRANSITIONS[old].get(event)
        if new is None:
            raise LocalProtocolError(f"nameplate {old.value}: {event.value} is not a transition")
        if old is Plate.OPEN:
            del self._open[nameplate]
        elif old is Plate.JOINED:
            self._joined.discard(nameplate)
        elif old is Plate.HELD:
            del self._held[nameplate]
        elif old is Plate.EXPIRED:
            del self._expired[nameplate]
        now = self._clock()
        if new is Plate.OPEN:
            self._open[nameplate] = now + self.lifetime
        elif new is Plate.JOINED:
            self._joined.add(nameplate)
        elif new is Plate.HELD:
            self._held[nameplate] = now + self.hold
        elif new is Plate.EXPIRED:
            self._expired[nameplate] = now + min(self.hold, self.lifetime)
            while len(self._expired) > self.EXPIRED_MEMORY:
                self._move(next(iter(self._expired)), PlateEvent.FORGET)
        self._taken_by_digits[len(nameplate)] += (new in TAKEN) - (old in TAKEN)
        return new

    def _may(self, nameplate: str, event: PlateEvent) -> bool:
        return event in NAMEPLATE_TRANSITIONS[self.state(nameplate)]

    def _purge(self) -> None:
        """Apply the clock's events: expiries, holds that are over, expired ones forgotten."""
        now = self._clock()
        for nameplate in [n for n, expiry in self._open.items() if expiry <= now]:
            self._move(nameplate, PlateEvent.EXPIRE)
        while self._held and next(iter(self._held.values())) <= now:
            self._move(next(iter(self._held)), PlateEvent.HOLD_OVER)
        while self._expired and next(iter(self._expired.values())) <= now:
            self._move(next(iter(self._expired)), PlateEvent.FORGET)

    # --- counts --------------------------------------------------------------------------

    @property
    def open_count(self) -> int:
        """Nameplates waiting for a console (after purging expired ones)."""
        self._purge()
        return len(self._open)

    @property
    def held_count(self) -> int:
        """Spent nameplates held back (after purging those whose day is over)."""
        self._purge()
        return len(self._held)

    @property
    def taken_count(self) -> int:
        """Nameplates nobody else can get now: open, joined, or held back."""
        self._purge()
        return sum(self._taken_by_digits.values())

    # --- what the relay asks -------------------------------------------------------------

    def allocate(self, min_digits: int = MIN_NAMEPLATE_DIGITS) -> str:
        """A fresh nameplate: random among free ones of the fewest digits (>= ``min_digits``,
        at most :data:`MAX_NAMEPLATE_DIGITS`) whose space is not crowded.

        Raises :class:`NameplatesExhausted` when every length up to the cap is crowded.
        """
        self._purge()
        digits = max(MIN_NAMEPLATE_DIGITS, min(min_digits, MAX_NAMEPLATE_DIGITS))
        while True:
            low, high = 10 ** (digits - 1), 10**digits - 1
            capacity = high - low + 1
            if self._taken_by_digits[digits] < capacity * CROWD_FRACTION:
                break
            if digits >= MAX_NAMEPLATE_DIGITS:
                raise NameplatesExhausted("every nameplate length up to the cap is crowded")
            digits += 1
        # At most ~56 % of this space is taken, so rejection sampling ends fast. A nameplate
        # that expired minutes ago is avoided while others are easy to find: a technician still
        # typing that old code should hear "expired", not burn a new customer's code.
        tries = 0
        while True:
            candidate = str(self._rng.randint(low, high))
            tries += 1
            state = self.state(candidate)
            if state is Plate.FREE or (state is Plate.EXPIRED and tries > 20):
                break
        self._move(candidate, PlateEvent.ALLOCATE)
        return candidate

    def expires_in(self, nameplate: str) -> float:
        """Seconds until ``nameplate`` expires (0 if it is not open)."""
        expiry = self._open.get(nameplate)
        return 0.0 if expiry is None else max(0.0, expiry - self._clock())

    def claim(self, nameplate: str) -> ClaimResult:
        """A console's one join attempt: OK pairs it; a joined nameplate is used up."""
        self._purge()
        result = CLAIM_RESULTS[self.state(nameplate)]
        if result is ClaimResult.OK:
            self._move(nameplate, PlateEvent.CLAIM)
        return result

    def release(self, nameplate: str) -> None:
        """The agent or the pair is gone: hold a joined nameplate for ``hold`` seconds; free
        one that was never joined at once. Nothing to do in any other state."""
        if self._may(nameplate, PlateEvent.RELEASE):
            self._move(nameplate, PlateEvent.RELEASE)

    def expire(self, nameplate: str) -> None:
        """An open nameplate ran out (the relay's timer fired): free it, remember it briefly.
        Nothing to do unless it is open."""
        if self._may(nameplate, PlateEvent.EXPIRE):
            self._move(nameplate, PlateEvent.EXPIRE)


# ------------------------------------------------------------------------------------------
# Connections and pairs


class Conn(Enum):
    """Where a websocket connection is in the pairing."""

    CONNECTED = "connected"  # admitted; its first message decides the role
    HOSTING = "hosting"  # an agent waiting on a nameplate
    RESUMING = "resuming"  # waiting for the peer to present the same resume token
    PAIRED = "paired"
    CLOSED = "closed"


class ConnEvent(Enum):
    HOST = "host"  # agent: got a nameplate
    JOIN = "join"  # console: claimed a waiting agent's nameplate
    JOINED = "joined"  # agent: a console claimed its nameplate
    EXPIRE = "expire"  # agent: nobody joined in time
    UNHOST = "unhost"  # agent: stopped waiting (it left or sent something before pairing)
    RESUME = "resume"  # first to present a resume token: waits for its peer
    REJOIN = "rejoin"  # second to present it: pairs with the one waiting
    RESUMED = "resumed"  # the one waiting: its peer presented the token
    UNRESUME = "unresume"  # stopped waiting for the peer (the grace period ran out)
    ATTACHED = "attached"  # paired with a connection another node holds (relayed there)
    LEAVE = "leave"  # the connection is over, in whatever state


#: connection state -> {event -> next state}.
CONNECTION_TRANSITIONS: dict[Conn, dict[ConnEvent, Conn]] = {
    Conn.CONNECTED: {
        ConnEvent.HOST: Conn.HOSTING,
        ConnEvent.JOIN: Conn.PAIRED,
        ConnEvent.RESUME: Conn.RESUMING,
        ConnEvent.REJOIN: Conn.PAIRED,
        ConnEvent.ATTACHED: Conn.PAIRED,
        ConnEvent.LEAVE: Conn.CLOSED,
    },
    Conn.RESUMING: {
        ConnEvent.RESUMED: Conn.PAIRED,
        ConnEvent.UNRESUME: Conn.CONNECTED,
        ConnEvent.LEAVE: Conn.CLOSED,
    },
    Conn.HOSTING: {
        ConnEvent.JOINED: Conn.PAIRED,
        ConnEvent.EXPIRE: Conn.CONNECTED,
        ConnEvent.UNHOST: Conn.CONNECTED,
        ConnEvent.LEAVE: Conn.CLOSED,
    },
    Conn.PAIRED: {ConnEvent.LEAVE: Conn.CLOSED},
    Conn.CLOSED: {},
}

#: States in which a connection counts against its address block's unpaired limit.
UNPAIRED = frozenset({Conn.CONNECTED, Conn.HOSTING, Conn.RESUMING})

T = TypeVar("T")


@dataclass(eq=False)
class Connection(Generic[T]):
    """One connection's pairing state; ``owner`` is whatever the I/O shell keeps for it."""

    key: str  # the address block every per-address limit counts
    owner: T
    state: Conn = Conn.CONNECTED
    nameplate: str = ""
    token: str = ""  # the resume token it presented (RESUMING, or a pair made by a resume)
    role: str = ""  # "agent" or "console" once it presented a resume token


@dataclass(eq=False)
class Pair(Generic[T]):
    """A paired agent and console. ``ended`` once :meth:`Pairing.end` released its nameplate."""

    agent: Connection[T]
    console: Connection[T]
    nameplate: str
    ended: bool = False

    def other(self, conn: Connection[T]) -> Connection[T]:
        return self.console if conn is self.agent else self.agent


class ResumeResult(Enum):
    """What happened to a presented resume token."""

    WAIT = "wait"  # first of the two: wait for the peer
    PAIRED = "paired"  # the peer was waiting: paired
    REFUSED = "refused"  # used before (a replay), or its role is already waiting (a stranger)
    EXPIRED = "expired"  # its peer waited for it the whole grace period and gave up

    @property
    def error(self) -> ErrorCode | None:
        """The stable error code the presenter gets (None: it waits or is paired)."""
        return {ResumeResult.REFUSED: ErrorCode.RESUME_REFUSED,
                ResumeResult.EXPIRED: ErrorCode.RESUME_EXPIRED}.get(self)


class Pairing(Generic[T]):
    """This node's own connections: who waits here on which nameplate or token, who is paired
    with whom, and the counts of both.

    The shared rules (which nameplate, whether a claim or a resume token pairs, the limits) are
    the :class:`~relay.cluster.state.SharedState`'s: the I/O shell asks it first and then tells
    this table what happened. The shell calls :meth:`connect` when a websocket is admitted and
    :meth:`leave` when it is over; in between :meth:`host` / :meth:`join` / :meth:`expire` /
    :meth:`unhost` / :meth:`wait_resume` / :meth:`rejoin` / :meth:`unresume` / :meth:`end`.
    Every connection change goes through :meth:`_move`, which also keeps the unpaired count
    per address block (one owner) and tells ``on_unpaired`` so the shell can mirror it into
    the shared state.
    """

    def __init__(self, on_unpaired: Callable[[str, int], None] | None = None) -> None:
        self._on_unpaired = on_unpaired
        self._waiting: dict[str, Connection[T]] = {}  # nameplate -> the agent waiting on it
        self._resuming: dict[str, Connection[T]] = {}  # token -> the connection waiting on it
        self._pairs: set[Pair[T]] = set()
        self._unpaired: Counter[str] = Counter()

    # --- counts --------------------------------------------------------------------------

    def unpaired(self, key: str) -> int:
        """Connections from address block ``key`` not (yet) paired, on this node."""
        return self._unpaired.get(key, 0)

    @property
    def waiting_count(self) -> int:
        """Agents waiting here for a console."""
        return len(self._waiting)

    @property
    def resuming_count(self) -> int:
        """Connections waiting here for their peer's resume."""
        return len(self._resuming)

    @property
    def paired_count(self) -> int:
        """Pairs not yet ended."""
        return len(self._pairs)

    @property
    def pairs(self) -> frozenset[Pair[T]]:
        """The pairs not yet ended."""
        return frozenset(self._pairs)

    def waiter(self, nameplate: str) -> Connection[T] | None:
        """The agent waiting here on ``nameplate``, if any."""
        return self._waiting.get(nameplate)

    def resumer(self, token: str) -> Connection[T] | None:
        """The connection waiting here on resume token ``token``, if any."""
        return self._resuming.get(token)

    # --- the machine ---------------------------------------------------------------------

    def _count(self, key: str, delta: int) -> None:
        self._unpaired[key] += delta
        if self._unpaired[key] <= 0:
            del self._unpaired[key]
        if self._on_unpaired is not None:
            self._on_unpaired(key, delta)

    def _move(self, conn: Connection[T], event: ConnEvent) -> None:
        new = CONNECTION_TRANSITIONS[conn.state].get(event)
        if new is None:
            raise LocalProtocolError(f"connection {conn.state.value}: {event.value} is not a "
                                     "transition")
        if conn.state is Conn.HOSTING:
            if self._waiting.get(conn.nameplate) is conn:
                del self._waiting[conn.nameplate]
        elif new is Conn.HOSTING:
            self._waiting[conn.nameplate] = conn
        if conn.state is Conn.RESUMING:
            if self._resuming.get(conn.token) is conn:
                del self._resuming[conn.token]
        elif new is Conn.RESUMING:
            self._resuming[conn.token] = conn
        if conn.state in UNPAIRED and new not in UNPAIRED:
            self._count(conn.key, -1)
        conn.state = new

    def _check(self, conn: Connection[T], event: ConnEvent) -> None:
        if event not in CONNECTION_TRANSITIONS[conn.state]:
            raise LocalProtocolError(f"connection {conn.state.value}: cannot {event.value}")

    def connect(self, key: str, owner: T) -> Connection[T]:
        """A websocket was admitted: it counts as unpaired until it pairs or leaves."""
        self._count(key, +1)
        return Connection(key, owner)

    def host(self, conn: Connection[T], nameplate: str) -> str:
        """An agent waits here on ``nameplate`` (the shared state allocated it)."""
        self._check(conn, ConnEvent.HOST)
        conn.nameplate = nameplate
        self._move(conn, ConnEvent.HOST)
        return nameplate

    def join(self, conn: Connection[T], nameplate: str) -> Pair[T] | None:
        """The shared state let ``conn`` claim ``nameplate``: pair it with the agent waiting
        here on it. None: nobody waits here on it (gone, or its timer is late), not pairable."""
        self._check(conn, ConnEvent.JOIN)
        agent = self._waiting.get(nameplate)
        if agent is None:
            return None
        conn.nameplate = nameplate
        self._move(agent, ConnEvent.JOINED)
        self._move(conn, ConnEvent.JOIN)
        pair = Pair(agent, conn, nameplate)
        self._pairs.add(pair)
        return pair

    def wait_resume(self, conn: Connection[T], token: str, role: str) -> None:
        """The shared state made ``conn`` the waiter on ``token``: it waits here for its peer."""
        self._check(conn, ConnEvent.RESUME)
        conn.token, conn.role = token, role
        self._move(conn, ConnEvent.RESUME)

    def rejoin(self, conn: Connection[T], token: str, role: str) -> Pair[T] | None:
        """The shared state said ``conn``'s peer waits on ``token`` here: pair the two. None:
        nobody of the other role waits here on it (it left meanwhile)."""
        self._check(conn, ConnEvent.REJOIN)
        waiting = self._resuming.get(token)
        if waiting is None or waiting.role == role:
            return None
        conn.token, conn.role = token, role
        self._move(waiting, ConnEvent.RESUMED)
        self._move(conn, ConnEvent.REJOIN)
        agent, console = (waiting, conn) if waiting.role == "agent" else (conn, waiting)
        pair = Pair(agent, console, "")
        self._pairs.add(pair)
        return pair

    def attached(self, conn: Connection[T], nameplate: str = "") -> None:
        """``conn`` was paired with a connection on another node (the join or resume went
        there): it is paired, not counted as unpaired, and forwarded by the bridge."""
        self._check(conn, ConnEvent.ATTACHED)
        conn.nameplate = nameplate
        self._move(conn, ConnEvent.ATTACHED)

    def unresume(self, conn: Connection[T]) -> None:
        """The peer did not come back within the grace period: stop waiting (the shell tells
        the shared state that the token is over)."""
        self._move(conn, ConnEvent.UNRESUME)

    def expire(self, conn: Connection[T]) -> bool:
        """Nobody joined the agent's nameplate in time. True: it still waited on it here (the
        shell expires it in the shared state)."""
        mine = self._waiting.get(conn.nameplate) is conn
        self._move(conn, ConnEvent.EXPIRE)
        return mine

    def unhost(self, conn: Connection[T]) -> bool:
        """The agent stopped waiting before anyone joined. True: it still waited on its
        nameplate here (the shell releases it in the shared state: free at once)."""
        mine = self._waiting.get(conn.nameplate) is conn
        self._move(conn, ConnEvent.UNHOST)
        return mine

    def end(self, pair: Pair[T]) -> bool:
        """The pair is over. False if it had already ended (both sides' pumps see the end;
        only the first one reports it, and releases its nameplate in the shared state)."""
        if pair.ended:
            return False
        pair.ended = True
        self._pairs.discard(pair)
        return True

    def leave(self, conn: Connection[T]) -> None:
        """The websocket is over (a hosting agent is :meth:`unhost`-ed first by the shell)."""
        if conn.state is not Conn.CLOSED:
            self._move(conn, ConnEvent.LEAVE)
