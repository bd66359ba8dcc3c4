"""The shared state of a relay that runs as one process: the default, and nothing to install.

It keeps relay/pairing.py's :class:`NameplateAllocator` and relay/limits.py's limiters exactly
as a single relay always did, behind the async :class:`~relay.cluster.state.SharedState`
interface. Several :class:`~relay.server.RelayServer` objects in one process may share one
instance: each registers its own node id, which is how the cross-node paths are tested without
Redis (tests/relay/cluster/); production clusters use :mod:`relay.cluster.redis_state`.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from dataclasses import replace

from relay.cluster.state import ClaimResult, NodeInfo, Owner, ResumeResult
from relay.limits import FloodGuard, JoinLimiter, KeyedRate
from relay.pairing import Clock, NameplateAllocator, Plate
from relay.settings import RelaySettings


class LocalState:
    """:class:`~relay.cluster.state.SharedState` in this process's memory."""

    #: Spent resume tokens remembered (bounded: a flood of pairs cannot grow it).
    SPENT_TOKEN_MEMORY = 100_000

    def __init__(self, settings: RelaySettings, node: str = "local",
                 clock: Clock = time.monotonic) -> None:
        self.node = node
        #: Where other nodes attach to this node (the server fills it in once it listens).
        self.internal_url = ""
        self.settings = settings
        self._clock = clock
        self.allocator = NameplateAllocator(settings.nameplate_lifetime, settings.nameplate_hold,
                                            clock=clock)
        self.limiter = JoinLimiter(
            per_minute=settings.join_attempts_per_minute,
            free_failures=settings.join_free_failures,
            base_lockout=settings.join_lockout_base,
            max_lockout=settings.join_lockout_max,
            clock=clock,
        )
        self.hosts = KeyedRate(settings.host_attempts_per_minute, clock=clock)
        self.flood = FloodGuard(
            failed_joins_per_minute=settings.failed_joins_per_minute,
            short_joins_per_second=settings.flood_short_joins_per_second,
            max_wait=settings.flood_join_wait,
            cooldown=settings.flood_cooldown,
            clock=clock,
        )
        self.resume_grace = settings.resume_grace
        self._owners: dict[str, Owner] = {}  # OPEN nameplate -> the agent's connection
        self._waiters: dict[str, tuple[str, Owner]] = {}  # token -> (role, waiter)
        #: token -> (forget time, what a later presenter hears), in forget order
        self._spent: OrderedDict[str, tuple[float, ResumeResult]] = OrderedDict()
        self._unpaired: Counter[tuple[str, str]] = Counter()  # (node, key) -> count
        self._nodes: dict[str, NodeInfo] = {}

    def for_node(self, node: str, internal_url: str = "") -> LocalState:
        """Another node's view of this same state (in-process clusters in tests)."""
        other = object.__new__(LocalState)
        other.__dict__.update(self.__dict__)
        other.node = node
        other.internal_url = internal_url
        return other

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self._nodes[self.node] = NodeInfo(self.node, self.internal_url)

    async def close(self) -> None:
        self._nodes.pop(self.node, None)
        for key in [k for k in self._unpaired if k[0] == self.node]:
            del self._unpaired[key]

    # --- nameplates ---------------------------------------------------------------------

    async def allocate(self, min_digits: int, owner: Owner) -> str:
        nameplate = self.allocator.allocate(min_digits)
        self._owners[nameplate] = owner
        return nameplate

    async def claim(self, nameplate: str) -> tuple[ClaimResult, Owner | None]:
        result = self.allocator.claim(nameplate)
        if result is not ClaimResult.OK:
            return result, None
        return result, self._owners.pop(nameplate, None)

    async def release(self, nameplate: str) -> None:
        self.allocator.release(nameplate)
        if self.allocator.state(nameplate) is not Plate.OPEN:
            self._owners.pop(nameplate, None)

    async def expire(self, nameplate: str) -> None:
        self.allocator.expire(nameplate)
        if self.allocator.state(nameplate) is not Plate.OPEN:
            self._owners.pop(nameplate, None)

    async def counts(self) -> dict[str, int]:
        return {
            "taken": self.allocator.taken_count,
            "held": self.allocator.held_count,
            "open": self.allocator.open_count,
            "failed_joins": self.flood.failures(),
            "nameplate_digits": self.flood.nameplate_digits(),
        }

    # --- resume tokens ------------------------------------------------------------------

    def _forget_spent(self) -> None:
        now = self._clock()
        while self._spent and next(iter(self._spent.values()))[0] <= now:
            self._spent.popitem(last=False)

    def _spend(self, token: str, later: ResumeResult) -> None:
        self._waiters.pop(token, None)
        self._spent[token] = (self._clock() + self.resume_grace, later)
        self._spent.move_to_end(token)
        while len(self._spent) > self.SPENT_TOKEN_MEMORY:
            self._spent.popitem(last=False)

    async def present(self, token: str, role: str,
                      owner: Owner) -> tuple[ResumeResult, Owner | None]:
        self._forget_spent()
        spent = self._spent.get(token)
        if spent is not None:
            return spent[1], None
        waiting = self._waiters.get(token)
        if waiting is not None and waiting[1].node not in self._nodes:
            # Its node is gone, and the waiter with it; its end will present the token again.
            # Burnt for both, so both move on to the next token together (state.py).
            self._spend(token, ResumeResult.REFUSED)
            return ResumeResult.REFUSED, None
        if waiting is None:
            self._waiters[token] = (role, owner)
            return ResumeResult.WAIT, None
        if waiting[0] == role:
            return ResumeResult.REFUSED, None
        return ResumeResult.PAIRED, waiting[1]

    async def spend(self, token: str) -> None:
        self._spend(token, ResumeResult.REFUSED)

    async def unresume(self, token: str) -> None:
        self._spend(token, ResumeResult.EXPIRED)

    async def withdraw(self, token: str, owner: Owner) -> None:
        waiting = self._waiters.get(token)
        if waiting is not None and waiting[1] == owner:
            del self._waiters[token]

    @property
    def spent_token_count(self) -> int:
        self._forget_spent()
        return len(self._spent)

    # --- limits -------------------------------------------------------------------------

    async def may_enter(self, key: str) -> bool:
        return not (self.hosts.full(key) and self.limiter.blocked(key))

    async def host_allowed(self, key: str) -> bool:
        return self.hosts.take(key)

    async def join_allowed(self, key: str) -> bool:
        return self.limiter.check(key)

    async def join_refund(self, key: str) -> None:
        self.limiter.refund(key)

    async def join_failed(self, key: str) -> None:
        self.limiter.failed(key)
        self.flood.failed(key)

    async def locked_for(self, key: str) -> float:
        return self.limiter.locked_for(key)

    async def nameplate_digits(self) -> int:
        return self.flood.nameplate_digits()

    async def flood_admit(self, nameplate: str) -> float | None:
        return self.flood.admit(nameplate)

    # --- unpaired connections -----------------------------------------------------------

    async def unpaired(self, key: str) -> int:
        # Asked before every websocket upgrade: look up each node's count for this key, never
        # walk every address block's (thousands of clients would make that quadratic).
        return sum(self._unpaired.get((node, key), 0) for node in {*self._nodes, self.node})

    async def add_unpaired(self, key: str, delta: int) -> None:
        slot = (self.node, key)
        self._unpaired[slot] += delta
        if self._unpaired[slot] <= 0:
            del self._unpaired[slot]

    # --- registry -----------------------------------------------------------------------

    async def report(self, *, draining: bool, connections: int, sessions: int) -> None:
        info = self._nodes.get(self.node)
        if info is not None:
            self._nodes[self.node] = replace(info, draining=draining, connections=connections,
                                             sessions=sessions)

    async def nodes(self) -> list[NodeInfo]:
        return list(self._nodes.values())

    async def node_alive(self, node: str) -> NodeInfo | None:
        return self._nodes.get(node)
