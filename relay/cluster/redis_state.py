"""The shared state of a relay cluster, kept in Redis (issue 14).

Several relay nodes behind one public name must follow the rules a single relay keeps in memory
(relay/pairing.py's nameplates, relay/limits.py's limits) as if they were one process. Each rule
is one call of one Lua script (relay/cluster/lua/state.lua), which Redis runs atomically, and
every time in it is the Redis server's ``TIME``: no two nodes can both take a nameplate, and the
limits count the same whether the events hit one node or three. Nameplate candidates are drawn
here with :mod:`secrets` and handed to the script (Lua has no good randomness).

Redis down: every method raises :class:`~relay.cluster.state.StateUnavailable` within about a
second (short socket timeouts, one immediate reconnect, an overall deadline), never hangs; the
heartbeat task keeps trying and registers the node again once Redis is back, logging once per
outage. A single Redis primary is assumed (not Redis Cluster: a rule's keys live on one server).

Where it knowingly differs from :class:`~relay.cluster.local.LocalState` (bounds, not rules):
a JOINED nameplate's key lives ``nameplate_hold`` from its join even if no release ever comes
(its node died), so a code is still never reused within a day of its use; the short memory of
expired nameplates and of spent tokens, and every per-address record, is bounded by TTLs
instead of by a count; a rule whose answer did not arrive in time may or may not have run
(it is never sent twice, so it never counts twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from importlib import resources
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import MasterDownError, MaxConnectionsError, OutOfMemoryError, ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

from relay.cluster.state import (
    ClaimResult,
    NodeInfo,
    Owner,
    RegistryRebuilding,
    ResumeResult,
    StateUnavailable,
)
from relay.pairing import CROWD_FRACTION, NameplatesExhausted
from relay.settings import RelaySettings
from relay.tasks import cancel_and_wait
from shared.codes import MAX_NAMEPLATE_DIGITS, MIN_NAMEPLATE_DIGITS

log = logging.getLogger("fernhilfe.relay.cluster")

#: The script every rule runs in (one file, one SHA; loaded again after a Redis restart).
SCRIPT = (resources.files("relay.cluster") / "lua" / "state.lua").read_text(encoding="utf-8")

#: Random candidates for one allocation (the script maps them onto the length it picks). A
#: length is used only while at most ~56 % of it is taken, so all of them being taken has odds
#: below 1e-6; then we draw again.
CANDIDATES = 24
#: The size of the longest nameplate space; every shorter one's size divides it.
_LARGEST_SPACE = 9 * 10 ** (MAX_NAMEPLATE_DIGITS - 1)
#: Rounds of fresh candidates before an allocation gives up (a bug, not a crowded relay).
ALLOCATE_ROUNDS = 20
#: Heartbeats a node may miss before it counts as dead (the entry lives this many intervals).
MISSED_BEATS = 3
#: Connections one node keeps to Redis at most.
POOL_SIZE = 32
#: What Redis answers when it cannot serve now (down, hung, loading, a read-only replica, full).
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OutOfMemoryError,
               MasterDownError, MaxConnectionsError, TimeoutError, OSError)


class RedisState:
    """:class:`~relay.cluster.state.SharedState` in Redis, shared by every node of a cluster."""

    def __init__(self, settings: RelaySettings, *, url: str, node: str, internal_url: str,
                 heartbeat: float = 1.0, prefix: str = "fh:", timeout: float = 1.0) -> None:
        self.node = node
        self.settings = settings
        self.url = url
        self.internal_url = internal_url
        self.heartbeat = heartbeat
        self.prefix = prefix
        self.timeout = timeout
        # One immediate retry on a fresh connection when a pooled one turns out dead (a Redis
        # restart kills them all), but never after a timeout: the script may have run, and a
        # rule such as a join attempt must not count twice (it did under load: a join answered
        # True, timed out in the client, ran again and answered False). All under self.timeout.
        # A bounded pool: a burst of clients on one node waits for a connection (and fails
        # after the timeout) instead of opening thousands and using up Redis's maxclients,
        # which every node shares. A script call takes ~0.1 ms: 32 carry ~10^5 calls/s.
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=POOL_SIZE, timeout=timeout, decode_responses=True,
            socket_timeout=timeout, socket_connect_timeout=timeout / 2,
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
            health_check_interval=0,
        )
        self._redis = aioredis.Redis(connection_pool=pool)
        where = pool.connection_kwargs  # for messages: host and port, never the password
        self._where = f"{where.get('host', '?')}:{where.get('port', '?')}"
        self._script = self._redis.register_script(SCRIPT)
        self._report: tuple[bool, int, int] = (False, 0, 0)
        self._task: asyncio.Task[None] | None = None
        self._outage = False
        self._trusted_from = 0.0  # monotonic: the registry is complete again from then
        self._closed = False
        s = settings
        self._plate_args = (s.nameplate_lifetime, s.nameplate_hold)
        self._flood_args = (s.failed_joins_per_minute, s.flood_cooldown)
        # relay/limits.py's JoinLimiter default: failures are remembered for the longest lockout.
        self._failure_memory = max(60.0, s.join_lockout_max)

    @property
    def _ttl(self) -> float:
        return self.heartbeat * MISSED_BEATS

    async def _call(self, op: str, *args: Any) -> Any:
        """Run one rule; StateUnavailable when Redis cannot answer within ``timeout``."""
        try:
            async with asyncio.timeout(self.timeout):
                return await self._script(args=[self.prefix, op, *args])
        except UNAVAILABLE as exc:
            raise StateUnavailable(
                f"The relay's shared store (Redis at {self._where}) cannot serve now "
                f"({type(exc).__name__}: {exc or 'no answer in time'}); pairing is refused "
                "until it is back."
            ) from exc

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Register this node (StateUnavailable if Redis cannot be reached) and keep beating."""
        await self._beat()
        if self._task is None:
            self._task = asyncio.create_task(self._heartbeats(), name=f"heartbeat {self.node}")

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        task, self._task = self._task, None
        if task is not None:
            # The loop also ends on _closed: a cancel lost inside redis-py must not hold us.
            await cancel_and_wait(task, self.timeout + self.heartbeat)
        try:
            await self._call("leave", self.node)
        except StateUnavailable:
            log.warning("cluster_leave_failed", extra={"fields": {"node": self.node}})
        finally:
            await self._redis.aclose(close_connection_pool=True)

    async def _beat(self) -> None:
        draining, connections, sessions = self._report
        await self._call("beat", self.node, self.internal_url, int(draining), connections,
                         sessions, self._ttl)

    async def _heartbeats(self) -> None:
        """Beat every ``heartbeat`` seconds; survive any outage and re-register after it."""
        while not self._closed:  # not only cancel(): see relay.tasks.cancel_and_wait
            await asyncio.sleep(self.heartbeat)
            if self._closed:
                return
            try:
                await self._beat()
            except StateUnavailable:
                if not self._outage:
                    self._outage = True
                    log.warning("cluster_store_unavailable", extra={"fields": {"node": self.node}})
                continue
            except Exception:  # a bug must not stop the beats that keep this node alive
                log.exception("cluster_heartbeat_failed")
                continue
            if self._outage:
                self._outage = False
                # Every node beats again within a heartbeat of this; until all had the time
                # to, a node missing from the registry is not known to be dead.
                self._trusted_from = time.monotonic() + self._ttl
                log.info("cluster_store_back", extra={"fields": {"node": self.node}})

    # --- nameplates ---------------------------------------------------------------------

    async def allocate(self, min_digits: int, owner: Owner) -> str:
        first = max(MIN_NAMEPLATE_DIGITS, min(min_digits, MAX_NAMEPLATE_DIGITS))
        for _ in range(ALLOCATE_ROUNDS):
            draws = [secrets.randbelow(_LARGEST_SPACE) for _ in range(CANDIDATES)]
            reply = await self._call("allocate", first, *self._plate_args, repr(CROWD_FRACTION),
                                     CANDIDATES, owner.node, owner.conn, *draws)
            if reply[0] == "ok":
                return str(reply[1])
            if reply[0] == "exhausted":
                raise NameplatesExhausted("every nameplate length up to the cap is crowded")
        raise NameplatesExhausted("no free nameplate found among fresh candidates")

    async def claim(self, nameplate: str) -> tuple[ClaimResult, Owner | None]:
        reply = await self._call("claim", nameplate, *self._plate_args)
        result = ClaimResult(reply[0])
        if result is not ClaimResult.OK:
            return result, None
        return result, Owner(reply[1], reply[2])

    async def release(self, nameplate: str) -> None:
        await self._call("release", nameplate, *self._plate_args)

    async def expire(self, nameplate: str) -> None:
        await self._call("expire", nameplate, *self._plate_args)

    async def counts(self) -> dict[str, int]:
        reply = await self._call("counts", *self._plate_args, *self._flood_args)
        names = ("taken", "held", "open", "failed_joins", "nameplate_digits")
        return {name: int(value) for name, value in zip(names, reply, strict=True)}

    # --- resume tokens ------------------------------------------------------------------

    async def present(self, token: str, role: str,
                      owner: Owner) -> tuple[ResumeResult, Owner | None]:
        reply = await self._call("present", token, role, owner.node, owner.conn,
                                 self.settings.resume_grace)
        result = ResumeResult(reply[0])
        if result is ResumeResult.PAIRED:
            return result, Owner(reply[1], reply[2])
        return result, None

    async def spend(self, token: str) -> None:
        await self._call("spend", token, ResumeResult.REFUSED.value, self.settings.resume_grace)

    async def unresume(self, token: str) -> None:
        await self._call("spend", token, ResumeResult.EXPIRED.value, self.settings.resume_grace)

    async def withdraw(self, token: str, owner: Owner) -> None:
        await self._call("withdraw", token, owner.node, owner.conn)

    # --- limits -------------------------------------------------------------------------

    async def may_enter(self, key: str) -> bool:
        s = self.settings
        reply = await self._call("may_enter", key, s.host_attempts_per_minute,
                                 s.join_attempts_per_minute)
        return bool(reply[0] == "1")

    async def host_allowed(self, key: str) -> bool:
        reply = await self._call("host", key, self.settings.host_attempts_per_minute)
        return bool(reply[0] == "1")

    async def join_allowed(self, key: str) -> bool:
        reply = await self._call("join", key, self.settings.join_attempts_per_minute)
        return bool(reply[0] == "1")

    async def join_refund(self, key: str) -> None:
        await self._call("refund", key)

    async def join_failed(self, key: str) -> None:
        s = self.settings
        await self._call("failed", key, s.join_free_failures, s.join_lockout_base,
                         s.join_lockout_max, self._failure_memory)

    async def locked_for(self, key: str) -> float:
        reply = await self._call("locked_for", key)
        return float(reply[0])

    async def nameplate_digits(self) -> int:
        reply = await self._call("digits", *self._flood_args)
        return int(reply[0])

    async def flood_admit(self, nameplate: str) -> float | None:
        s = self.settings
        reply = await self._call("admit", nameplate, *self._flood_args, s.flood_join_wait,
                                 s.flood_short_joins_per_second)
        return float(reply[0]) if reply else None

    # --- unpaired connections -----------------------------------------------------------

    async def unpaired(self, key: str) -> int:
        reply = await self._call("unpaired", key)
        return int(reply[0])

    async def add_unpaired(self, key: str, delta: int) -> None:
        await self._call("add_unpaired", self.node, key, delta, self._ttl)

    # --- registry -----------------------------------------------------------------------

    async def report(self, *, draining: bool, connections: int, sessions: int) -> None:
        """Feed the next heartbeat; a change of ``draining`` is beaten at once (other nodes
        and the front must stop sending new clients now). Never raises: the beats retry."""
        changed = draining != self._report[0]
        self._report = (draining, connections, sessions)
        if changed and not self._closed:
            with contextlib.suppress(StateUnavailable):
                await self._beat()

    async def nodes(self) -> list[NodeInfo]:
        return [_node_info(entry) for entry in await self._call("nodes")]

    async def node_alive(self, node: str) -> NodeInfo | None:
        reply = await self._call("node_alive", node)
        if reply:
            return _node_info(reply[0])
        if self._outage or time.monotonic() < self._trusted_from:
            raise RegistryRebuilding(
                f"The relay's shared store is back after an outage; node {node!r} has not "
                "registered again yet.")
        return None


def _node_info(entry: list[str]) -> NodeInfo:
    node, url, draining, connections, sessions = entry
    return NodeInfo(node, url, draining == "1", int(connections), int(sessions))
