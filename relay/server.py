"""The relay server: pairs an agent and a console by nameplate, then forwards binary blindly.

The relay is untrusted by design (DESIGN.md §1): it never looks inside forwarded messages, never
sees the secret part of a code, and logs neither content nor nameplates. What it does own is
fairness and survival: limits on sizes, connections, join attempts and time, and backpressure so
that one slow reader stalls only its own peer, never the relay's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import importlib
import logging
import math
import socket
import ssl
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.http11 import Request, Response
from websockets.protocol import State

from relay import endpoints
from relay.addresses import client_key, forwarded_client, parse_networks
from relay.cluster import internal
from relay.cluster.local import LocalState
from relay.cluster.state import (
    NodeInfo,
    Owner,
    RegistryRebuilding,
    SharedState,
    StateUnavailable,
)
from relay.endpoints import PATH, Route
from relay.logs import LogIds, log_event
from relay.metrics import RelayMetrics
from relay.pairing import (
    ClaimResult,
    Conn,
    Connection,
    NameplatesExhausted,
    Pair,
    Pairing,
    ResumeResult,
)
from relay.revocations import Outcome, key_id_of, read_list
from relay.settings import (
    RelaySettings,
    check_revocations_dir,
    check_transport_security,
    read_cluster_secret,
)
from relay.tasks import cancel_and_wait
from shared.rendezvous import (
    Error,
    ErrorCode,
    Host,
    Join,
    Nameplate,
    Paired,
    PeerGone,
    RendezvousError,
    RendezvousMessage,
    Resume,
    encode,
    parse_client,
    parse_server,
)

#: Wire limit before pairing: a bit above the rendezvous limit so that an oversize JSON message
#: still gets a readable ``message_too_large`` answer instead of a bare close.
PRE_PAIRING_WIRE_LIMIT = 64 * 1024
#: A join or resume waits for the node registry to refill after a store outage for at most
#: this many heartbeats (a node is dead after three missed) plus half a second.
REGISTRY_REFILL_BEATS = 3

#: Websocket close codes sent after an error message. ``shutting_down`` is 1012 "service
#: restart": the clients resume on another node or on this one once it is back.
_CLOSE_CODES = {
    ErrorCode.PEER_GONE: 1000,
    ErrorCode.IDLE_TIMEOUT: 1000,
    ErrorCode.SHUTTING_DOWN: 1012,
    ErrorCode.MESSAGE_TOO_LARGE: 1009,
    ErrorCode.TOO_MANY_CONNECTIONS: 1013,
    ErrorCode.SESSION_LIMIT: 1009,
    ErrorCode.RESUME_EXPIRED: 1000,
}

#: The address key of an attach from another node: it is not a client and counts against no
#: client's per-address limits (a node must prove the cluster secret to attach at all).
INTERNAL_KEY = ""


@dataclass(eq=False)
class _Peer:
    """One websocket connection: its I/O side (the pairing state is in ``link``)."""

    conn: ServerConnection
    key: str  # rate-limit key: the client's address block (IPv4 /24, IPv6 /56 by default)
    log_id: str  # salted hash of the key: correlates log lines without naming the client
    role: str = "unknown"
    link: Connection[_Peer] | None = None  # set once admitted
    #: A hosting agent's wake-up: resolved with the session when a console joins.
    partner: asyncio.Future[_Session] | None = None
    #: This connection's id in the shared state (an Owner's ``conn``).
    cid: str = field(default_factory=internal.new_conn_id)


@dataclass(eq=False)
class _Session:
    """A paired agent and console: the forwarding side of a :class:`~relay.pairing.Pair`.
    One of the two may be another node's attach (its console or agent is there)."""

    agent: _Peer
    console: _Peer
    pair: Pair[_Peer]
    session_id: str = field(default_factory=internal.new_conn_id)
    started: float = field(default_factory=time.monotonic)
    last_activity: float = field(default_factory=time.monotonic)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    bytes_forwarded: int = 0

    def other(self, peer: _Peer) -> _Peer:
        return self.console if peer is self.agent else self.agent


@dataclass(eq=False)
class _Bridge:
    """A client of this node paired with a peer on another node: relayed blindly to the
    owning node's attach (that node runs the session's rules)."""

    client: _Peer
    link: ClientConnection
    nameplate: str  # released here too if the link fails (the owner may be dead)
    session_id: str = field(default_factory=internal.new_conn_id)
    started: float = field(default_factory=time.monotonic)
    bytes_forwarded: int = 0


class RelayServer:
    """The relay as an object: ``port = await RelayServer(settings).start()``, then ``stop()``.

    Every shared rule (nameplates, resume tokens, limits, the registry) is asked of ``state``
    (:class:`~relay.cluster.state.SharedState`); this object keeps only its own connections.
    Without ``state`` it is :class:`~relay.cluster.local.LocalState` (one process), or
    :class:`relay.cluster.redis_state.RedisState` when ``redis_url`` is set.
    """

    def __init__(self, settings: RelaySettings, state: SharedState | None = None) -> None:
        self.settings = settings
        self.metrics = RelayMetrics()
        self._state: SharedState | None = state
        if state is None and not settings.redis_url:
            self._state = LocalState(settings, node=settings.node_id or "local")
        self.pairing: Pairing[_Peer] = Pairing(self._mirror_unpaired)
        self._trusted_proxies = parse_networks(settings.trusted_proxies)
        self._metrics_from = self._trusted_proxies + parse_networks(settings.metrics_allow)
        self._revocations = Path(settings.revocations_dir) if settings.revocations_dir else None
        self._peers: set[_Peer] = set()
        self._internal_peers: set[_Peer] = set()
        self._sessions: set[_Session] = set()  # to sweep for idleness and to stop
        self._bridges: set[_Bridge] = set()
        self._server: Server | None = None
        self._internal_server: Server | None = None
        self._secret: bytes | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None
        self._stopping = False
        self._draining = False
        self._background: set[asyncio.Task[Any]] = set()
        self._hash = LogIds()
        self._close_grace = min(5.0, max(0.5, settings.handshake_timeout))
        self.port = 0
        self.internal_port = 0

    @property
    def state(self) -> SharedState:
        """The shared state (a cluster's Redis is made in :meth:`start`)."""
        if self._state is None:
            raise RuntimeError("the relay's shared state is made when it starts")
        return self._state

    @property
    def node(self) -> str:
        return self.state.node

    @property
    def limiter(self) -> Any:
        """The join limiter of a one-process relay (tests read its lockouts)."""
        return self.state.limiter  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """The websocket URL clients use."""
        scheme = "wss" if self.settings.tls_cert else "ws"
        return _ws_url(scheme, self.settings.host, self.port, PATH)

    @property
    def internal_url(self) -> str:
        """Where other nodes attach ("" without a cluster secret: no internal listener)."""
        if self._internal_server is None:
            return ""
        if self.settings.internal_url:
            return self.settings.internal_url
        return _ws_url("ws", self.settings.internal_host, self.internal_port, internal.PATH)

    @property
    def draining(self) -> bool:
        return self._draining

    def _serve_options(self) -> dict[str, Any]:
        s = self.settings
        return {
            "compression": None,
            "server_header": None,
            "open_timeout": s.handshake_timeout or None,
            "ping_interval": s.ping_interval or None,
            "ping_timeout": s.ping_timeout or None,
            "close_timeout": self._close_grace,
            "max_size": s.max_message_size,
            "max_queue": s.max_queue or 1,
            "write_limit": s.write_limit,
        }

    async def start(self) -> int:
        """Bind and start serving; returns the bound port (useful with port 0)."""
        s = self.settings
        check_transport_security(s)
        check_revocations_dir(s)
        self._secret = read_cluster_secret(s)
        tls: ssl.SSLContext | None = None
        if s.tls_cert and s.tls_key:
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.minimum_version = ssl.TLSVersion.TLSv1_2
            tls.load_cert_chain(s.tls_cert, s.tls_key)
        self._server = await serve(self._handle, s.host, s.port,
                                   process_request=self._process_request, ssl=tls,
                                   **self._serve_options())
        self.port = self._server.sockets[0].getsockname()[1]
        if self._secret is not None:
            self._internal_server = await serve(
                self._handle_internal, s.internal_host, s.internal_port,
                process_request=self._internal_request, **self._serve_options())
            self.internal_port = self._internal_server.sockets[0].getsockname()[1]
        if self._state is None:  # a cluster node: made once its addresses are known
            # Imported here: a one-process relay never imports redis.
            redis_state = importlib.import_module("relay.cluster.redis_state")
            node = s.node_id or f"{socket.gethostname()}-{self.port}"
            self._state = redis_state.RedisState(s, url=s.redis_url, node=node,
                                     internal_url=self.internal_url,
                                     heartbeat=s.heartbeat_interval)
        elif isinstance(self._state, LocalState) and not self._state.internal_url:
            self._state.internal_url = self.internal_url
        await self.state.start()
        self._sweeper = asyncio.create_task(self._sweep_idle())
        self._heartbeat = asyncio.create_task(self._report_loop())
        log_event(logging.INFO, "listening", url=self.url, node=self.node,
                  internal_url=self.internal_url)
        return self.port

    async def drain(self, hurry: asyncio.Event | None = None) -> None:
        """SIGTERM: take no new clients (``/healthz`` 503 ``draining``), keep forwarding until
        every connection of this node is over, ``drain_timeout`` passes or ``hurry`` is set,
        then :meth:`stop` (the rest hear ``shutting_down`` and resume elsewhere)."""
        if self._server is None:
            return
        self._draining = True
        log_event(logging.INFO, "draining", sessions=len(self._sessions) + len(self._bridges),
                  connections=len(self._peers))
        await self._report()
        deadline = time.monotonic() + self.settings.drain_timeout
        while self._peers and time.monotonic() < deadline and not (hurry and hurry.is_set()):
            await asyncio.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
        await self.stop()

    async def stop(self) -> None:
        """Tell every client ``shutting_down``, close all connections, stop listening, leave
        the registry."""
        if self._server is None:
            return
        self._stopping = True
        self._server.close(close_connections=False)
        if self._internal_server is not None:
            self._internal_server.close(close_connections=False)
        nameplates = [s.pair.nameplate for s in self._sessions if self.pairing.end(s.pair)]
        self._sessions.clear()
        await asyncio.gather(
            *(self._refuse(p, ErrorCode.SHUTTING_DOWN)
              for p in [*self._peers, *self._internal_peers]),
            *(self._release(n) for n in nameplates if n),
            return_exceptions=True,
        )
        for server in (self._server, self._internal_server):
            if server is None:
                continue
            try:
                async with asyncio.timeout(self._close_grace + 1):
                    await server.wait_closed()
            except TimeoutError:
                for peer in [*self._peers, *self._internal_peers]:
                    peer.conn.transport.abort()
        for task in (self._sweeper, self._heartbeat):
            if task is not None:  # both loops also end on _stopping (relay.tasks)
                await cancel_and_wait(task, 2.0)
        try:
            await self.state.close()
        except StateUnavailable:
            self.metrics.state_unavailable.inc()
        self._server = self._internal_server = None
        log_event(logging.INFO, "stopped")

    async def _report_loop(self) -> None:
        """What the registry's heartbeats say about this node, kept current."""
        while not self._stopping:  # not only cancel(): see relay.tasks.cancel_and_wait
            await self._report()
            await asyncio.sleep(self.settings.heartbeat_interval)

    async def _report(self) -> None:
        try:
            await self.state.report(draining=self._draining or self._stopping,
                                    connections=len(self._peers),
                                    sessions=len(self._sessions) + len(self._bridges))
        except StateUnavailable:
            self.metrics.state_unavailable.inc()

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _mirror_unpaired(self, key: str, delta: int) -> None:
        """Pairing's unpaired count changed: the shared state counts every node's."""
        if key != INTERNAL_KEY and self._state is not None:
            self._spawn(self._add_unpaired(key, delta))

    async def _add_unpaired(self, key: str, delta: int) -> None:
        try:
            await self.state.add_unpaired(key, delta)
        except StateUnavailable:
            self.metrics.state_unavailable.inc()

    async def _release(self, nameplate: str) -> None:
        """The pair or the agent is gone: the shared state holds or frees the nameplate."""
        try:
            await self.state.release(nameplate)
        except StateUnavailable:
            self.metrics.state_unavailable.inc()
            log_event(logging.WARNING, "state_unavailable", during="release")

    async def _unavailable(self, peer: _Peer, during: str) -> None:
        """The shared store cannot be reached: refuse this client (it retries or resumes)."""
        self.metrics.state_unavailable.inc()
        log_event(logging.WARNING, "state_unavailable", client=peer.log_id, during=during)
        await self._refuse(peer, self._reject(peer, ErrorCode.SHUTTING_DOWN))

    # ---------------------------------------------------------------- HTTP side

    def _process_request(
        self, conn: ServerConnection, request: Request
    ) -> Response | Awaitable[Response | None] | None:
        """Serve /healthz, /metrics and revocation lists; only exactly /v1 may become a
        websocket, and only for a client under its limits: refusing here costs no upgrade and
        no websocket state."""
        where = endpoints.route(request.path)
        if where is Route.WEBSOCKET:
            return self._admission(conn, request)
        if where is Route.REVOCATION_LIST:
            return self._revocation_list(request.path)
        if where is Route.HEALTH:
            return endpoints.health(self._stopping, self._draining)
        if where is Route.METRICS:
            peer = str(conn.remote_address[0]) if conn.remote_address else None
            if not endpoints.metrics_allowed(peer, self._metrics_from):
                return endpoints.forbidden()
            return self._metrics()
        return endpoints.not_found()

    async def _metrics(self) -> Response:
        try:
            counts = await self.state.counts()
            alive = len(await self.state.nodes())
        except StateUnavailable:
            self.metrics.state_unavailable.inc()
            counts, alive = None, None
        return endpoints.metrics(self.metrics.scrape(counts, self.pairing, alive,
                                                     self._draining, len(self._bridges)))

    async def _revocation_list(self, path: str) -> Response:
        """The organisation's list, read anew from disk on every request (the admin replaces
        the file; no restart), off the loop so a slow disk stalls no session."""
        key_id = key_id_of(path)
        assert key_id is not None  # routed here only for a well-formed path
        found = await asyncio.to_thread(read_list, self._revocations, key_id)
        self.metrics.revocation_requests.labels(found.outcome.value).inc()
        if found.outcome is Outcome.SERVED:
            return endpoints.revocation_list(found.body)
        if found.outcome is Outcome.NOT_FOUND:
            return endpoints.not_found()
        log_event(logging.WARNING, "revocation_list_unavailable", key_id=key_id,
                  problem=found.outcome.value, detail=found.detail)
        return endpoints.unavailable(f"revocation list {found.outcome.value}\n".encode())

    async def _admission(self, conn: ServerConnection, request: Request) -> Response | None:
        """Refuse a websocket before the upgrade when the relay or the client's block is full
        (counted on every node), or when this node drains."""
        if self._stopping or self._draining:
            reason, status = ErrorCode.SHUTTING_DOWN, http.HTTPStatus.SERVICE_UNAVAILABLE
        elif len(self._peers) >= self.settings.max_connections:
            reason, status = ErrorCode.TOO_MANY_CONNECTIONS, http.HTTPStatus.SERVICE_UNAVAILABLE
        else:
            key = self._client_key(conn, request)
            limit = self.settings.max_unpaired_per_ip
            try:
                if self.pairing.unpaired(key) >= limit or await self.state.unpaired(key) >= limit:
                    reason = ErrorCode.TOO_MANY_CONNECTIONS
                    status = http.HTTPStatus.TOO_MANY_REQUESTS
                elif not await self.state.may_enter(key):
                    # It may neither host nor join now: whatever it came for would be refused.
                    reason, status = ErrorCode.RATE_LIMITED, http.HTTPStatus.TOO_MANY_REQUESTS
                else:
                    return None
            except StateUnavailable:
                self.metrics.state_unavailable.inc()
                reason, status = ErrorCode.SHUTTING_DOWN, http.HTTPStatus.SERVICE_UNAVAILABLE
        self.metrics.rejections.labels(reason.value).inc()
        return endpoints.refusal(reason, status)

    def _internal_request(self, conn: ServerConnection, request: Request) -> Response | None:
        """Only another node of this cluster may attach: the exact path and the secret's proof,
        checked before the upgrade (a stranger gets 403 and no websocket)."""
        if request.path != internal.PATH:
            return endpoints.not_found()
        assert self._secret is not None
        offered = internal.single(request.headers.get_all(internal.PROOF_HEADER))
        if not internal.proof_ok(self._secret, offered):
            self.metrics.internal_attaches.labels("unknown", "forbidden").inc()
            log_event(logging.WARNING, "internal_attach_forbidden")
            return endpoints.forbidden()
        return None

    # ---------------------------------------------------------------- websocket side

    async def _refuse(self, peer: _Peer, code: ErrorCode) -> None:
        """Send ``error`` with ``code`` and close (errors here mean the client is gone anyway)."""
        await self._send_and_close(peer, Error.of(code), _CLOSE_CODES.get(code, 1008), code.value)

    async def _send_and_close(
        self, peer: _Peer, message: RendezvousMessage, close_code: int, reason: str
    ) -> None:
        try:
            async with asyncio.timeout(self._close_grace):
                await peer.conn.send(encode(message))
                await peer.conn.close(close_code, reason)
        except (ConnectionClosed, TimeoutError, OSError):
            peer.conn.transport.abort()

    def _reject(self, peer: _Peer, code: ErrorCode) -> ErrorCode:
        self.metrics.rejections.labels(code.value).inc()
        log_event(logging.INFO, "rejected", client=peer.log_id, role=peer.role, reason=code.value)
        return code

    def _client_key(self, conn: ServerConnection, request: Request | None) -> str:
        """The rate-limit key: the address block of the TCP peer, or of the client behind it
        when the peer is a trusted proxy."""
        address = str(conn.remote_address[0]) if conn.remote_address else "unknown"
        if self._trusted_proxies and request is not None:
            hops = request.headers.get_all("X-Forwarded-For")
            address = forwarded_client(address, hops, self._trusted_proxies)
        return client_key(address, self.settings.ipv4_prefix, self.settings.ipv6_prefix)

    async def _handle(self, conn: ServerConnection) -> None:
        key = self._client_key(conn, conn.request)
        peer = _Peer(conn, key, self._hash(key))
        s = self.settings
        _limit_reads(conn, s.read_size)
        if self._stopping or self._draining:
            await self._refuse(peer, self._reject(peer, ErrorCode.SHUTTING_DOWN))
            return
        # Checked before the upgrade too; this catches connections that passed it together.
        if (len(self._peers) >= s.max_connections
                or self.pairing.unpaired(key) >= s.max_unpaired_per_ip):
            await self._refuse(peer, self._reject(peer, ErrorCode.TOO_MANY_CONNECTIONS))
            return
        self._peers.add(peer)
        link = peer.link = self.pairing.connect(key, peer)
        self.metrics.connections.inc()
        conn.protocol.max_message_size = min(PRE_PAIRING_WIRE_LIMIT, s.max_message_size)
        try:
            await self._converse(peer)
        except ConnectionClosed:
            pass
        finally:
            self._peers.discard(peer)
            if link.state is Conn.HOSTING and self.pairing.unhost(link):
                self._spawn(self._release(link.nameplate))
            self.pairing.leave(link)
            self.metrics.connections.dec()

    async def _converse(self, peer: _Peer) -> None:
        """First message decides the role; then host, join, and forwarding."""
        try:
            async with asyncio.timeout(self.settings.handshake_timeout or None):
                first = await peer.conn.recv()
        except TimeoutError:
            await self._refuse(peer, self._reject(peer, ErrorCode.HANDSHAKE_TIMEOUT))
            return
        except ConnectionClosed as exc:
            if exc.rcvd is None and exc.sent is not None and exc.sent.code == 1009:
                self._reject(peer, ErrorCode.MESSAGE_TOO_LARGE)
            return
        try:
            message = parse_client(first)
        except RendezvousError as exc:
            await self._refuse(peer, self._reject(peer, exc.code))
            return
        if isinstance(message, Host):
            peer.role = "agent"
            await self._host(peer)
        elif isinstance(message, Resume):
            peer.role = message.role
            await self._resume(peer, message)
        else:
            peer.role = "console"
            await self._join(peer, message.nameplate)

    def _owner(self, peer: _Peer) -> Owner:
        return Owner(self.node, peer.cid)

    async def _host(self, agent: _Peer) -> None:
        """Give the agent a nameplate and wait for a console, expiry, or the agent leaving."""
        lifetime = self.settings.nameplate_lifetime
        link = agent.link
        assert link is not None
        try:
            if not await self.state.host_allowed(agent.key):
                self.metrics.hosts.labels("rate_limited").inc()
                await self._refuse(agent, self._reject(agent, ErrorCode.RATE_LIMITED))
                return
            digits = await self.state.nameplate_digits()
            nameplate = await self.state.allocate(digits, self._owner(agent))
        except NameplatesExhausted:
            self.metrics.hosts.labels("full").inc()
            await self._refuse(agent, self._reject(agent, ErrorCode.TOO_MANY_CONNECTIONS))
            return
        except StateUnavailable:
            await self._unavailable(agent, "host")
            return
        if agent.conn.state is not State.OPEN:  # gone while the state answered
            await self._release(nameplate)
            return
        partner = agent.partner = asyncio.get_running_loop().create_future()
        self.pairing.host(link, nameplate)
        self.metrics.hosts.labels("ok").inc()
        log_event(logging.INFO, "hosting", client=agent.log_id)
        receive: asyncio.Task[str | bytes] | None = None
        try:
            await agent.conn.send(encode(Nameplate(nameplate, max(1, math.ceil(lifetime)))))
            receive = asyncio.create_task(agent.conn.recv())
            either: set[asyncio.Future[Any]] = {partner, receive}
            await asyncio.wait(either, timeout=lifetime, return_when=asyncio.FIRST_COMPLETED)
            if partner.done():
                session = partner.result()
                pending, receive = receive, None
                await self._forward(session, agent, pending)
                return
            # Not paired: stop the nameplate before any further await so no console can pair.
            if not receive.done():
                receive.cancel()
                if self.pairing.expire(link):
                    self._spawn(self._expire(nameplate))
                log_event(logging.INFO, "nameplate_expired", client=agent.log_id)
                await self._refuse(agent, ErrorCode.NAMEPLATE_EXPIRED)
                return
            if self.pairing.unhost(link):
                self._spawn(self._release(nameplate))
            if receive.exception() is None:  # anything an agent sends before pairing is wrong
                await self._refuse(agent, self._reject(agent, ErrorCode.BAD_REQUEST))
            else:
                log_event(logging.INFO, "agent_left", client=agent.log_id)
        finally:
            if link.state is Conn.HOSTING and self.pairing.unhost(link):
                self._spawn(self._release(nameplate))  # e.g. the Nameplate send failed
            if receive is not None and not receive.done():
                receive.cancel()
            if receive is not None:
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await receive

    async def _expire(self, nameplate: str) -> None:
        try:
            await self.state.expire(nameplate)
        except StateUnavailable:
            self.metrics.state_unavailable.inc()

    async def _resume(self, peer: _Peer, message: Resume) -> None:
        """A reconnect of a running session: wait for the peer to present the same token
        (at most the grace period), or pair with it, here or on the node where it waits; a
        used token is refused (a replay).

        No memory of the old pair is needed: both ends derive the token, so a relay that was
        restarted in between (or another node) pairs them just the same (shared/resume.py)."""
        link = peer.link
        assert link is not None
        token, role = message.token, message.role
        try:
            result, owner = await self.state.present(token, role, self._owner(peer))
        except StateUnavailable:
            await self._unavailable(peer, "resume")
            return
        if result.error is not None:
            await self._refuse(peer, self._reject(peer, result.error))
            return
        if result is ResumeResult.WAIT or owner is None:
            await self._wait_resume(peer, token, role)
            return
        if owner.node == self.node:
            waiting = self.pairing.resumer(token)
            pair = None
            if waiting is not None and waiting.owner.cid == owner.conn:
                pair = self.pairing.rejoin(link, token, role)
            if pair is not None:
                await self._spend(token)
                log_event(logging.INFO, "resumed", client=peer.log_id, role=peer.role)
                await self._start_pair(pair, peer)
                return
        else:
            remote = await self._attach(owner, message, "resume")
            if remote is not None:
                await self._spend(token)
                log_event(logging.INFO, "resumed", client=peer.log_id, role=peer.role,
                          via=owner.node)
                await self._bridge(peer, remote, "")
                return
        # The waiter is gone (its node died, or it left a moment ago). Its end will present
        # this token again: burn it for both, so both move on to the next token together; a
        # presenter told to wait here would wait on a token its peer has already passed.
        if await self._spend(token):
            await self._refuse(peer, self._reject(peer, ErrorCode.RESUME_REFUSED))
        else:
            await self._refuse(peer, self._reject(peer, ErrorCode.SHUTTING_DOWN))  # try again

    async def _spend(self, token: str) -> bool:
        """Spend ``token``; False if the store is away (a pair made stands all the same: a
        replay meets the spent keys' MACs)."""
        try:
            await self.state.spend(token)
        except StateUnavailable:
            self.metrics.state_unavailable.inc()
            return False
        return True

    async def _wait_resume(self, peer: _Peer, token: str, role: str) -> None:
        """The first of the two: wait here for the other (paired locally or by an attach)."""
        link = peer.link
        assert link is not None
        self.pairing.wait_resume(link, token, role)
        partner = peer.partner = asyncio.get_running_loop().create_future()
        receive: asyncio.Task[str | bytes] | None = asyncio.create_task(peer.conn.recv())
        assert receive is not None
        gave_up = False
        try:
            await asyncio.wait({partner, receive}, timeout=self.settings.resume_grace,
                               return_when=asyncio.FIRST_COMPLETED)
            if partner.done():
                pending, receive = receive, None
                await self._forward(partner.result(), peer, pending)
                return
            if not receive.done():  # nobody came within the grace period
                receive.cancel()
                self.pairing.unresume(link)
                gave_up = True
                try:
                    await self.state.unresume(token)
                except StateUnavailable:
                    self.metrics.state_unavailable.inc()
                await self._refuse(peer, self._reject(peer, ErrorCode.RESUME_EXPIRED))
            elif receive.exception() is None:  # anything sent before pairing is wrong
                await self._refuse(peer, self._reject(peer, ErrorCode.BAD_REQUEST))
        finally:
            if not partner.done() and not gave_up:
                self._spawn(self._withdraw(token, self._owner(peer)))
            if receive is not None and not receive.done():
                receive.cancel()
            if receive is not None:
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await receive

    async def _withdraw(self, token: str, owner: Owner) -> None:
        try:
            await self.state.withdraw(token, owner)
        except StateUnavailable:
            self.metrics.state_unavailable.inc()

    async def _join(self, console: _Peer, nameplate: str) -> None:
        """One join attempt: pair with the waiting agent (here, or on its node through an
        attach), or a stable error; the code is spent."""
        key = console.key
        try:
            if not await self.state.join_allowed(key):
                self.metrics.joins.labels("rate_limited").inc()
                await self._refuse(console, self._reject(console, ErrorCode.RATE_LIMITED))
                return
            wait = await self.state.flood_admit(nameplate)
            if wait is None:  # a flood of failed joins: short codes are claimed only so fast
                await self.state.join_refund(key)
                self.metrics.joins.labels("busy").inc()
                await self._refuse(console, self._reject(console, ErrorCode.TOO_MANY_CONNECTIONS))
                return
            if wait > 0:
                await asyncio.sleep(wait)
                if console.conn.state is not State.OPEN:
                    return  # gone while waiting: do not spend a code for nobody
            result, owner = await self.state.claim(nameplate)
            if result is not ClaimResult.OK:
                await self.state.join_failed(key)
        except StateUnavailable:
            await self._unavailable(console, "join")
            return
        if result is not ClaimResult.OK:
            self.metrics.joins.labels(result.value).inc()
            code = result.error or ErrorCode.UNKNOWN_NAMEPLATE
            await self._refuse(console, self._reject(console, code))
            return
        assert console.link is not None
        if owner is not None and owner.node == self.node:
            waiting = self.pairing.waiter(nameplate)
            pair = None
            if waiting is not None and waiting.owner.cid == owner.conn:
                pair = self.pairing.join(console.link, nameplate)
            if pair is not None:
                self.metrics.joins.labels("paired").inc()
                await self._start_pair(pair, console)
                return
        elif owner is not None:
            remote = await self._attach(owner, Join(nameplate), "join")
            if remote is not None:
                self.metrics.joins.labels("paired").inc()
                await self._bridge(console, remote, nameplate)
                return
        # Claimed, but its agent is gone (its node died, or its timer is late): spent all the
        # same (held), and not the technician's wrong guess.
        await self._release(nameplate)
        self.metrics.joins.labels(ClaimResult.UNKNOWN.value).inc()
        await self._refuse(console, self._reject(console, ErrorCode.UNKNOWN_NAMEPLATE))

    async def _start_pair(self, pair: Pair[_Peer], second: _Peer) -> None:
        """Two connections were just paired (join or resume): wake the one waiting, tell both
        ``paired``, then forward what ``second`` (the one that arrived last) sends."""
        agent, console = pair.agent.owner, pair.console.owner
        first = agent if second is console else console
        session = _Session(agent, console, pair)
        for peer in (agent, console):
            peer.conn.protocol.max_message_size = self.settings.max_message_size
        self._sessions.add(session)
        assert first.partner is not None
        first.partner.set_result(session)
        log_event(
            logging.INFO,
            "paired",
            session=session.session_id,
            agent=agent.log_id,
            console=console.log_id,
        )
        try:
            paired = encode(Paired())
            await asyncio.gather(agent.conn.send(paired), console.conn.send(paired))
        except ConnectionClosed:
            pass
        finally:
            session.ready.set()
        await self._forward(session, second, None)

    async def _forward(
        self, session: _Session, source: _Peer, pending: asyncio.Task[str | bytes] | None
    ) -> None:
        """Pump ``source`` → its peer: read only as fast as the peer drains (await send)."""
        target = session.other(source)
        totals = self.metrics.forwarded[source.role]
        recv, send, clock = source.conn.recv, target.conn.send, time.monotonic
        gone = ErrorCode.PEER_GONE
        cap = self.settings.max_session_bytes
        try:
            await session.ready.wait()
            while True:  # until this side closes; an ended pair only silences _end
                if pending is not None:
                    message = await pending
                    pending = None
                else:
                    message = await recv()
                if isinstance(message, str):  # text after pairing
                    await self._end(session, source, ErrorCode.BAD_REQUEST)
                    return
                session.last_activity = clock()
                size = len(message)
                if cap and session.bytes_forwarded + size > cap:
                    await self._end(session, None, ErrorCode.SESSION_LIMIT)
                    return
                try:
                    await send(message)
                except ConnectionClosed:
                    return  # the target's own pump sees the close and ends the session
                session.last_activity = clock()  # a stalled send is not idleness
                session.bytes_forwarded += size
                totals[0] += size
                totals[1] += 1
        except ConnectionClosed as exc:
            if exc.sent is not None and exc.sent.code == 1009:
                self._reject(source, ErrorCode.MESSAGE_TOO_LARGE)
            await self._end(session, source, gone)
        finally:
            if pending is not None:
                pending.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await pending

    async def _end(self, session: _Session, culprit: _Peer | None, code: ErrorCode) -> None:
        """End a session once: the survivor hears ``peer_gone`` (or ``code``), both close."""
        if not self.pairing.end(session.pair):
            return
        self._sessions.discard(session)
        log_event(
            logging.INFO,
            "session_end",
            session=session.session_id,
            reason=code.value,
            seconds=round(time.monotonic() - session.started, 1),
            bytes=session.bytes_forwarded,
        )
        tasks = []
        if session.pair.nameplate:
            tasks.append(self._release(session.pair.nameplate))
        for peer in (session.agent, session.console):
            if peer is culprit and code is ErrorCode.PEER_GONE:
                continue  # it left; nothing to tell
            if peer is culprit:
                tasks.append(self._refuse(peer, self._reject(peer, code)))
            elif code in (ErrorCode.PEER_GONE, ErrorCode.BAD_REQUEST):
                tasks.append(self._send_and_close(peer, PeerGone(), 1000, "peer_gone"))
            else:
                tasks.append(self._refuse(peer, code))
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _sweep_idle(self) -> None:
        """Close paired sessions with no message either way for ``idle_timeout`` seconds."""
        idle = self.settings.idle_timeout
        if not idle:
            return
        period = max(0.05, min(idle / 4, 5.0))
        while not self._stopping:
            await asyncio.sleep(period)
            now = time.monotonic()
            for session in [s for s in self._sessions if now - s.last_activity > idle]:
                self._reject(session.agent, ErrorCode.IDLE_TIMEOUT)
                self._spawn(self._end(session, None, ErrorCode.IDLE_TIMEOUT))

    # ---------------------------------------------------------------- across nodes

    async def _live_node(self, node: str) -> NodeInfo | None:
        """``node``'s registry entry, None if it is dead or the store is away. Right after a
        store outage the registry refills within a heartbeat: wait for that (at most
        :data:`REGISTRY_REFILL_BEATS` heartbeats) rather than take a live node for dead and burn
        its client's code or resume token."""
        wait = REGISTRY_REFILL_BEATS * self.settings.heartbeat_interval + 0.5
        deadline = time.monotonic() + wait
        while True:
            try:
                return await self.state.node_alive(node)
            except RegistryRebuilding:
                if time.monotonic() >= deadline:
                    self.metrics.state_unavailable.inc()
                    return None
                await asyncio.sleep(0.1)
            except StateUnavailable:
                self.metrics.state_unavailable.inc()
                return None

    async def _attach(self, owner: Owner, message: Join | Resume,
                      kind: str) -> ClientConnection | None:
        """Reach ``owner`` on its node and pair with it there: the websocket, once the owning
        node said ``paired``; None if the node is gone, unreachable, or no longer has it."""
        outcome = "ok"
        remote: ClientConnection | None = None
        info = await self._live_node(owner.node)
        if info is None or not info.internal_url:
            self.metrics.internal_attaches.labels(kind, "gone").inc()
            return None
        if self._secret is None:  # no cluster secret: this node cannot attach anywhere
            self.metrics.internal_attaches.labels(kind, "unreachable").inc()
            return None
        s = self.settings
        headers = {internal.PROOF_HEADER: internal.proof(self._secret),
                   internal.CONN_HEADER: owner.conn}
        try:
            async with asyncio.timeout(max(1.0, min(5.0, s.handshake_timeout or 5.0))):
                remote = await connect(
                    info.internal_url, additional_headers=headers, compression=None,
                    open_timeout=None, ping_interval=s.ping_interval or None,
                    ping_timeout=s.ping_timeout or None, close_timeout=self._close_grace,
                    max_size=s.max_message_size, max_queue=s.max_queue or 1,
                    write_limit=s.write_limit)
                _limit_reads(remote, s.read_size)
                await remote.send(encode(message))
                answer = parse_server(await remote.recv())
            if not isinstance(answer, Paired):
                outcome = "refused"
        except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed, RendezvousError):
            outcome = "unreachable"
        self.metrics.internal_attaches.labels(kind, outcome).inc()
        if outcome == "ok":
            return remote
        log_event(logging.WARNING, "attach_failed", node=owner.node, kind=kind, outcome=outcome)
        if remote is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self._close_grace):
                    await remote.close()
        return None

    async def _bridge(self, peer: _Peer, remote: ClientConnection, nameplate: str) -> None:
        """Relay ``peer`` and its pair on another node both ways, blindly, until either ends.

        The owning node runs the session's rules (idle time, size caps, who hears what); what
        it says and how it closes reaches ``peer`` unchanged. A link that breaks (the other
        node died) ends this side as ``peer_gone``: the client resumes (section 13)."""
        bridge = _Bridge(peer, remote, nameplate)
        peer.conn.protocol.max_message_size = self.settings.max_message_size
        self._bridges.add(bridge)
        assert peer.link is not None
        self.pairing.attached(peer.link, nameplate)
        other = "agent" if peer.role == "console" else "console"
        log_event(logging.INFO, "paired", session=bridge.session_id, client=peer.log_id,
                  via="attach")
        up = asyncio.create_task(self._pump(peer.conn, remote, bridge, peer.role))
        down = asyncio.create_task(self._pump(remote, peer.conn, bridge, other))
        try:
            with contextlib.suppress(ConnectionClosed):
                await peer.conn.send(encode(Paired()))
            done, _ = await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
            remote_closed = remote.state is not State.OPEN and (
                peer.conn.state is State.OPEN or down in done)
            if remote_closed:
                rcvd = remote.protocol.close_rcvd
                if rcvd is not None and rcvd.code != 1006:
                    with contextlib.suppress(ConnectionClosed, TimeoutError, OSError):
                        async with asyncio.timeout(self._close_grace):
                            await peer.conn.close(rcvd.code, rcvd.reason)
                else:  # the link broke: the session resumes, as after any lost link
                    await self._send_and_close(peer, PeerGone(), 1000, "peer_gone")
            else:
                with contextlib.suppress(ConnectionClosed, TimeoutError, OSError):
                    async with asyncio.timeout(self._close_grace):
                        await remote.close(1000, "peer_gone")
        finally:
            for task in (up, down):
                task.cancel()
            await asyncio.gather(up, down, return_exceptions=True)
            if remote.state is not State.CLOSED:
                remote.transport.abort()
            self._bridges.discard(bridge)
            log_event(logging.INFO, "session_end", session=bridge.session_id, via="attach",
                      seconds=round(time.monotonic() - bridge.started, 1),
                      bytes=bridge.bytes_forwarded)
            if nameplate:
                await self._release(nameplate)

    async def _pump(self, source: ServerConnection | ClientConnection,
                    target: ServerConnection | ClientConnection, bridge: _Bridge,
                    role: str) -> None:
        """One direction of a bridge: everything, text or binary, in order, with
        backpressure (read only as fast as the target drains)."""
        totals = self.metrics.forwarded[role]
        with contextlib.suppress(ConnectionClosed):
            while True:
                message = await source.recv()
                await target.send(message)
                bridge.bytes_forwarded += len(message)
                totals[0] += len(message)
                totals[1] += 1

    async def _handle_internal(self, conn: ServerConnection) -> None:
        """Another node attaches: it brings a console's join or a resume presenter for a
        connection of this node; it is treated as that client's connection."""
        peer = _Peer(conn, INTERNAL_KEY, "internal")
        _limit_reads(conn, self.settings.read_size)
        conn.protocol.max_message_size = PRE_PAIRING_WIRE_LIMIT
        self._internal_peers.add(peer)
        link = peer.link = self.pairing.connect(INTERNAL_KEY, peer)
        try:
            async with asyncio.timeout(self.settings.handshake_timeout or None):
                first = await conn.recv()
            headers = conn.request.headers if conn.request else None
            owner = internal.single(headers.get_all(internal.CONN_HEADER)) if headers else None
            attach = internal.parse_attach(owner, first)
        except (TimeoutError, ConnectionClosed):
            self._internal_peers.discard(peer)
            self.pairing.leave(link)
            return
        except RendezvousError as exc:
            self.metrics.internal_attaches.labels("unknown", "bad_request").inc()
            await self._refuse(peer, exc.code)
            self._internal_peers.discard(peer)
            self.pairing.leave(link)
            return
        try:
            if isinstance(attach.message, Join):
                await self._attached_join(peer, attach.conn, attach.message.nameplate)
            else:
                await self._attached_resume(peer, attach.conn, attach.message)
        except ConnectionClosed:
            pass
        finally:
            self._internal_peers.discard(peer)
            self.pairing.leave(link)

    async def _attached_join(self, peer: _Peer, conn_id: str, nameplate: str) -> None:
        peer.role = "console"
        assert peer.link is not None
        waiting = self.pairing.waiter(nameplate)
        if waiting is None or waiting.owner.cid != conn_id:
            self.metrics.internal_attaches.labels("join", "gone").inc()
            await self._refuse(peer, ErrorCode.UNKNOWN_NAMEPLATE)
            return
        pair = self.pairing.join(peer.link, nameplate)
        assert pair is not None
        self.metrics.internal_attaches.labels("join", "accepted").inc()
        await self._start_pair(pair, peer)

    async def _attached_resume(self, peer: _Peer, conn_id: str, message: Resume) -> None:
        peer.role = message.role
        assert peer.link is not None
        waiting = self.pairing.resumer(message.token)
        pair = None
        if waiting is not None and waiting.owner.cid == conn_id:
            pair = self.pairing.rejoin(peer.link, message.token, message.role)
        if pair is None:
            self.metrics.internal_attaches.labels("resume", "gone").inc()
            await self._refuse(peer, ErrorCode.RESUME_REFUSED)
            return
        self.metrics.internal_attaches.labels("resume", "accepted").inc()
        await self._start_pair(pair, peer)


def _ws_url(scheme: str, host: str, port: int, path: str) -> str:
    """A websocket URL for a listening address (an IPv6 literal in brackets)."""
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}{path}"


def _limit_reads(conn: ServerConnection | ClientConnection, read_size: int) -> None:
    """Read at most ``read_size`` bytes per socket read (asyncio's default is 256 KiB).

    Everything one read returns is parsed into frames at once, before flow control can pause
    reading, so the read size bounds what a fast sender parks in the relay per connection: with
    1000 sessions streaming 16 KiB messages, 256 KiB reads peaked near 300 MB RSS, 64 KiB ones
    below 200 MB (bench/relay_load.py). Only asyncio's plain socket transport has this knob;
    others (TLS served directly, other event loops) keep their own read size.
    """
    transport = conn.transport
    if isinstance(getattr(transport, "max_size", None), int):
        transport.max_size = read_size  # type: ignore[attr-defined]
