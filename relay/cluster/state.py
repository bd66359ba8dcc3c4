"""What relay nodes share, as one async interface (issue 14).

The relay's rules (nameplates, their 24-hour hold, resume tokens, per-address limits, the join
back-off and the relay-wide flood budget) must hold across every node behind one public name.
:class:`SharedState` is everything a node asks about them; the node keeps only what is its own:
its sockets, which of *its* connections waits on which nameplate or token, and its pairs.

Two implementations keep the same contract (tests/relay/cluster/test_state_contract.py runs one
suite against both): :class:`relay.cluster.local.LocalState` (one process, the pure classes of
relay/pairing.py and relay/limits.py, no new dependency; the default) and
:class:`relay.cluster.redis_state.RedisState` (Redis, one clock: the server's ``TIME``).

Who owns a waiting agent or resume waiter is an :class:`Owner` (node id + connection id): a node
that receives a console's join for a nameplate owned elsewhere reaches that node over the
internal connection (relay/cluster/internal.py). Every method may raise
:class:`StateUnavailable` when the store cannot be reached; the node then refuses what needs the
store (``shutting_down``: clients retry) and keeps forwarding what is already paired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from relay.pairing import ClaimResult, ResumeResult
from shared.errors import FernhilfeError

__all__ = ["ClaimResult", "NodeInfo", "Owner", "ResumeResult", "SharedState", "StateUnavailable"]


class StateUnavailable(FernhilfeError):
    """The shared store (Redis) cannot be reached now; what needs it is refused until it is back."""


class RegistryRebuilding(StateUnavailable):
    """The store is back after an outage, but the nodes have not all beaten since: a node
    missing from the registry now may be alive. Ask again within a heartbeat or three; do not
    judge it dead yet."""


@dataclass(frozen=True)
class Owner:
    """The connection that owns a nameplate or waits on a resume token: node and connection."""

    node: str
    conn: str


@dataclass(frozen=True)
class NodeInfo:
    """One live node as the registry knows it (heartbeats keep it; a dead node drops out)."""

    node: str
    internal_url: str  # where other nodes attach (ws://host:port/internal/v1)
    draining: bool = False
    connections: int = 0
    sessions: int = 0


class SharedState(Protocol):
    """The relay's shared state. All times are the store's; all methods are coroutines."""

    node: str  # this node's id

    async def start(self) -> None:
        """Connect, register this node and start its heartbeats."""

    async def close(self) -> None:
        """Stop heartbeats and take this node out of the registry at once (a drained node)."""

    # --- nameplates (relay/pairing.py's NAMEPLATE_TRANSITIONS, cluster-wide) --------------

    async def allocate(self, min_digits: int, owner: Owner) -> str:
        """A fresh OPEN nameplate owned by ``owner`` (NameplatesExhausted: every length up to
        the cap is crowded), unique across all nodes."""
        ...

    async def claim(self, nameplate: str) -> tuple[ClaimResult, Owner | None]:
        """A console's one join attempt: OK moves OPEN -> JOINED and names the owner (whose node
        pairs it); anything else changes nothing and names no owner."""
        ...

    async def release(self, nameplate: str) -> None:
        """The agent or the pair is gone: JOINED -> HELD for ``nameplate_hold`` seconds, OPEN ->
        FREE at once; nothing in any other state."""

    async def expire(self, nameplate: str) -> None:
        """An OPEN nameplate ran out: EXPIRED (remembered briefly for the "expired" answer)."""

    async def counts(self) -> dict[str, int]:
        """For /metrics: ``taken``, ``held``, ``open``, ``failed_joins`` (last minute),
        ``nameplate_digits``."""
        ...

    # --- resume tokens ----------------------------------------------------------------------

    async def present(self, token: str, role: str,
                      owner: Owner) -> tuple[ResumeResult, Owner | None]:
        """``owner`` presents ``token`` as ``role``.

        WAIT: nobody waits; ``owner`` is now the waiter. PAIRED: the other role waits at the
        returned owner; the caller pairs with it (locally or by attaching to its node) and then
        calls :meth:`spend`. REFUSED: spent (a replay), or the same role already waits at a live
        node, or the waiter's node is no longer alive: then the token is spent on the spot,
        because that waiter's end will present it again and both ends must move on to the next
        token together (a client refused a token moves on; one left waiting alone on a token
        the other has passed would wait out the grace). EXPIRED: its peer waited the whole
        grace and gave up."""
        ...

    async def spend(self, token: str) -> None:
        """The token paired: from now on (``resume_grace`` seconds) presenting it is REFUSED and
        no waiter is kept for it."""

    async def unresume(self, token: str) -> None:
        """Its waiter gave up after the grace period: presenting it is EXPIRED from now on."""

    async def withdraw(self, token: str, owner: Owner) -> None:
        """``owner`` no longer waits on ``token`` (it left, or its node could not be reached):
        forget the waiter if it is still ``owner``; nothing else changes."""

    # --- limits (relay/limits.py's rules, cluster-wide) -------------------------------------

    async def may_enter(self, key: str) -> bool:
        """False when address block ``key`` may neither host nor join now (refused before the
        websocket upgrade); records nothing."""
        ...

    async def host_allowed(self, key: str) -> bool:
        """Take one of ``key``'s hosts this minute; False: rate limited."""
        ...

    async def join_allowed(self, key: str) -> bool:
        """Record a join attempt by ``key``; False: rate limited or locked out."""
        ...

    async def join_refund(self, key: str) -> None:
        """Take back ``key``'s last join attempt (refused as busy before it claimed anything)."""

    async def join_failed(self, key: str) -> None:
        """The attempt named no waiting nameplate: grow ``key``'s lockout and count it towards
        the relay-wide flood budget."""

    async def locked_for(self, key: str) -> float:
        """Seconds of join lockout left for ``key``."""
        ...

    async def nameplate_digits(self) -> int:
        """The fewest digits a new nameplate may have now (more under a failed-join flood)."""
        ...

    async def flood_admit(self, nameplate: str) -> float | None:
        """Seconds a join naming ``nameplate`` waits before it may claim, or None: refuse as
        busy (reserves the slot: call once per join)."""
        ...

    # --- connections not yet paired, per address block ------------------------------------

    async def unpaired(self, key: str) -> int:
        """Connections from ``key`` not yet paired, on all live nodes."""
        ...

    async def add_unpaired(self, key: str, delta: int) -> None:
        """This node's count for ``key`` changed by ``delta`` (+1 admitted, -1 paired or gone)."""

    # --- the node registry ------------------------------------------------------------------

    async def report(self, *, draining: bool, connections: int, sessions: int) -> None:
        """What this node's next heartbeat says about it (draining nodes take no new clients)."""

    async def nodes(self) -> list[NodeInfo]:
        """The live nodes (heartbeat within the last three intervals), this one included."""
        ...

    async def node_alive(self, node: str) -> NodeInfo | None:
        """``node``'s registry entry if it is alive; :class:`RegistryRebuilding` instead of
        None while the registry may still be refilling after a store outage."""
        ...
