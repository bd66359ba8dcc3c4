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
import logging
import math
import secrets
import ssl
import time
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.protocol import State

from relay import endpoints
from relay.addresses import client_key, forwarded_client, parse_networks
from relay.endpoints import PATH, Route
from relay.limits import FloodGuard, JoinLimiter, KeyedRate
from relay.logs import LogIds, log_event
from relay.metrics import RelayMetrics
from relay.pairing import (
    Conn,
    Connection,
    NameplateAllocator,
    NameplatesExhausted,
    Pair,
    Pairing,
)
from relay.revocations import Outcome, key_id_of, read_list
from relay.settings import RelaySettings, check_revocations_dir, check_transport_security
from shared.rendezvous import (
    Error,
    ErrorCode,
    Host,
    Nameplate,
    Paired,
    PeerGone,
    RendezvousError,
    RendezvousMessage,
    Resume,
    encode,
    parse_client,
)

#: Wire limit before pairing: a bit above the rendezvous limit so that an oversize JSON message
#: still gets a readable ``message_too_large`` answer instead of a bare close.
PRE_PAIRING_WIRE_LIMIT = 64 * 1024

#: Websocket close codes sent after an error message.
_CLOSE_CODES = {
    ErrorCode.PEER_GONE: 1000,
    ErrorCode.IDLE_TIMEOUT: 1000,
    ErrorCode.SHUTTING_DOWN: 1001,
    ErrorCode.MESSAGE_TOO_LARGE: 1009,
    ErrorCode.TOO_MANY_CONNECTIONS: 1013,
    ErrorCode.SESSION_LIMIT: 1009,
    ErrorCode.RESUME_EXPIRED: 1000,
}


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


@dataclass(eq=False)
class _Session:
    """A paired agent and console: the forwarding side of a :class:`~relay.pairing.Pair`."""

    agent: _Peer
    console: _Peer
    pair: Pair[_Peer]
    session_id: str = field(default_factory=lambda: secrets.token_hex(6))
    started: float = field(default_factory=time.monotonic)
    last_activity: float = field(default_factory=time.monotonic)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    bytes_forwarded: int = 0

    def other(self, peer: _Peer) -> _Peer:
        return self.console if peer is self.agent else self.agent


class RelayServer:
    """The relay as an object: ``port = await RelayServer(settings).start()``, then ``stop()``."""

    def __init__(self, settings: RelaySettings) -> None:
        self.settings = settings
        self.metrics = RelayMetrics()
        self.allocator = NameplateAllocator(settings.nameplate_lifetime, settings.nameplate_hold)
        self.pairing: Pairing[_Peer] = Pairing(self.allocator, settings.resume_grace)
        self.limiter = JoinLimiter(
            per_minute=settings.join_attempts_per_minute,
            free_failures=settings.join_free_failures,
            base_lockout=settings.join_lockout_base,
            max_lockout=settings.join_lockout_max,
        )
        self.hosts = KeyedRate(settings.host_attempts_per_minute)
        self.flood = FloodGuard(
            failed_joins_per_minute=settings.failed_joins_per_minute,
            short_joins_per_second=settings.flood_short_joins_per_second,
            max_wait=settings.flood_join_wait,
            cooldown=settings.flood_cooldown,
        )
        self._trusted_proxies = parse_networks(settings.trusted_proxies)
        self._metrics_from = self._trusted_proxies + parse_networks(settings.metrics_allow)
        self._revocations = Path(settings.revocations_dir) if settings.revocations_dir else None
        self._peers: set[_Peer] = set()
        self._sessions: set[_Session] = set()  # to sweep for idleness and to stop
        self._server: Server | None = None
        self._sweeper: asyncio.Task[None] | None = None
        self._stopping = False
        self._background: set[asyncio.Task[None]] = set()
        self._hash = LogIds()
        self._close_grace = min(5.0, max(0.5, settings.handshake_timeout))
        self.port = 0

    # ---------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """The websocket URL clients use."""
        scheme = "wss" if self.settings.tls_cert else "ws"
        host = self.settings.host
        if ":" in host:
            host = f"[{host}]"
        return f"{scheme}://{host}:{self.port}{PATH}"

    async def start(self) -> int:
        """Bind and start serving; returns the bound port (useful with port 0)."""
        s = self.settings
        check_transport_security(s)
        check_revocations_dir(s)
        tls: ssl.SSLContext | None = None
        if s.tls_cert and s.tls_key:
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.minimum_version = ssl.TLSVersion.TLSv1_2
            tls.load_cert_chain(s.tls_cert, s.tls_key)
        self._server = await serve(
            self._handle,
            s.host,
            s.port,
            compression=None,
            process_request=self._process_request,
            server_header=None,
            open_timeout=s.handshake_timeout or None,
            ping_interval=s.ping_interval or None,
            ping_timeout=s.ping_timeout or None,
            close_timeout=self._close_grace,
            max_size=s.max_message_size,
            max_queue=s.max_queue or 1,
            write_limit=s.write_limit,
            ssl=tls,
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._sweeper = asyncio.create_task(self._sweep_idle())
        log_event(logging.INFO, "listening", url=self.url)
        return self.port

    async def stop(self) -> None:
        """Tell every client ``shutting_down``, close all connections, stop listening."""
        if self._server is None:
            return
        self._stopping = True
        self._server.close(close_connections=False)
        for session in self._sessions:
            self.pairing.end(session.pair)
        self._sessions.clear()
        await asyncio.gather(
            *(self._refuse(p, ErrorCode.SHUTTING_DOWN) for p in list(self._peers)),
            return_exceptions=True,
        )
        try:
            async with asyncio.timeout(self._close_grace + 1):
                await self._server.wait_closed()
        except TimeoutError:
            for peer in list(self._peers):
                peer.conn.transport.abort()
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        self._server = None
        log_event(logging.INFO, "stopped")

    # ---------------------------------------------------------------- HTTP side

    def _process_request(
        self, conn: ServerConnection, request: Request
    ) -> Response | Awaitable[Response] | None:
        """Serve /healthz, /metrics and revocation lists; only exactly /v1 may become a
        websocket, and only for a client under its limits: refusing here costs no upgrade and
        no websocket state."""
        where = endpoints.route(request.path)
        if where is Route.WEBSOCKET:
            return self._admission(conn, request)
        if where is Route.REVOCATION_LIST:
            return self._revocation_list(request.path)
        if where is Route.HEALTH:
            return endpoints.health(self._stopping)
        if where is Route.METRICS:
            peer = str(conn.remote_address[0]) if conn.remote_address else None
            if not endpoints.metrics_allowed(peer, self._metrics_from):
                return endpoints.forbidden()
            return endpoints.metrics(self.metrics.scrape(self.flood, self.allocator, self.pairing))
        return endpoints.not_found()

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

    def _admission(self, conn: ServerConnection, request: Request) -> Response | None:
        """Refuse a websocket before the upgrade when the relay or the client's block is full."""
        if self._stopping:
            reason, status = ErrorCode.SHUTTING_DOWN, http.HTTPStatus.SERVICE_UNAVAILABLE
        elif len(self._peers) >= self.settings.max_connections:
            reason, status = ErrorCode.TOO_MANY_CONNECTIONS, http.HTTPStatus.SERVICE_UNAVAILABLE
        else:
            key = self._client_key(conn, request)
            if self.pairing.unpaired(key) >= self.settings.max_unpaired_per_ip:
                reason, status = ErrorCode.TOO_MANY_CONNECTIONS, http.HTTPStatus.TOO_MANY_REQUESTS
            elif self.hosts.full(key) and self.limiter.blocked(key):
                # It may neither host nor join now: whatever it came for would be refused.
                reason, status = ErrorCode.RATE_LIMITED, http.HTTPStatus.TOO_MANY_REQUESTS
            else:
                return None
        self.metrics.rejections.labels(reason.value).inc()
        return endpoints.refusal(reason, status)

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
        if self._stopping:
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

    async def _host(self, agent: _Peer) -> None:
        """Give the agent a nameplate and wait for a console, expiry, or the agent leaving."""
        lifetime = self.settings.nameplate_lifetime
        if not self.hosts.take(agent.key):
            self.metrics.hosts.labels("rate_limited").inc()
            await self._refuse(agent, self._reject(agent, ErrorCode.RATE_LIMITED))
            return
        link = agent.link
        assert link is not None
        partner = agent.partner = asyncio.get_running_loop().create_future()
        try:
            nameplate = self.pairing.host(link, self.flood.nameplate_digits())
        except NameplatesExhausted:
            self.metrics.hosts.labels("full").inc()
            await self._refuse(agent, self._reject(agent, ErrorCode.TOO_MANY_CONNECTIONS))
            return
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
            # Not paired: stop the nameplate before any further await so no console can claim it.
            if not receive.done():
                receive.cancel()
                self.pairing.expire(link)
                log_event(logging.INFO, "nameplate_expired", client=agent.log_id)
                await self._refuse(agent, ErrorCode.NAMEPLATE_EXPIRED)
                return
            self.pairing.unhost(link)
            if receive.exception() is None:  # anything an agent sends before pairing is wrong
                await self._refuse(agent, self._reject(agent, ErrorCode.BAD_REQUEST))
            else:
                log_event(logging.INFO, "agent_left", client=agent.log_id)
        finally:
            if link.state is Conn.HOSTING:  # e.g. the Nameplate send failed
                self.pairing.unhost(link)
            if receive is not None and not receive.done():
                receive.cancel()
            if receive is not None:
                with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                    await receive

    async def _resume(self, peer: _Peer, message: Resume) -> None:
        """A reconnect of a running session: wait for the peer to present the same token
        (at most the grace period), or pair with it; a used token is refused (a replay).

        No memory of the old pair is needed: both ends derive the token, so a relay that was
        restarted in between pairs them just the same (shared/resume.py)."""
        link = peer.link
        assert link is not None
        outcome = self.pairing.resume(link, message.token, message.role)
        if outcome.result.error is not None:
            await self._refuse(peer, self._reject(peer, outcome.result.error))
            return
        if outcome.pair is None:  # the first of the two: wait for the other
            partner = peer.partner = asyncio.get_running_loop().create_future()
            receive: asyncio.Task[str | bytes] | None = asyncio.create_task(peer.conn.recv())
            assert receive is not None
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
                    await self._refuse(peer, self._reject(peer, ErrorCode.RESUME_EXPIRED))
                elif receive.exception() is None:  # anything sent before pairing is wrong
                    await self._refuse(peer, self._reject(peer, ErrorCode.BAD_REQUEST))
            finally:
                if receive is not None and not receive.done():
                    receive.cancel()
                if receive is not None:
                    with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                        await receive
            return
        log_event(logging.INFO, "resumed", client=peer.log_id, role=peer.role)
        await self._start_pair(outcome.pair, peer)

    async def _join(self, console: _Peer, nameplate: str) -> None:
        """One join attempt: pair with the waiting agent, or a stable error; the code is spent."""
        if not self.limiter.check(console.key):
            self.metrics.joins.labels("rate_limited").inc()
            await self._refuse(console, self._reject(console, ErrorCode.RATE_LIMITED))
            return
        wait = self.flood.admit(nameplate)
        if wait is None:  # a flood of failed joins: short codes are claimed only so fast
            self.limiter.refund(console.key)
            self.metrics.joins.labels("busy").inc()
            await self._refuse(console, self._reject(console, ErrorCode.TOO_MANY_CONNECTIONS))
            return
        if wait > 0:
            await asyncio.sleep(wait)
            if console.conn.state is not State.OPEN:
                return  # gone while waiting: do not spend a code for nobody
        assert console.link is not None
        outcome = self.pairing.join(console.link, nameplate)
        if outcome.pair is None:
            self.limiter.failed(console.key)
            self.flood.failed(console.key)
            self.metrics.joins.labels(outcome.result.value).inc()
            code = outcome.result.error or ErrorCode.UNKNOWN_NAMEPLATE
            await self._refuse(console, self._reject(console, code))
            return
        self.metrics.joins.labels("paired").inc()
        await self._start_pair(outcome.pair, console)

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
        while True:
            await asyncio.sleep(period)
            now = time.monotonic()
            for session in [s for s in self._sessions if now - s.last_activity > idle]:
                self._reject(session.agent, ErrorCode.IDLE_TIMEOUT)
                task = asyncio.create_task(self._end(session, None, ErrorCode.IDLE_TIMEOUT))
                self._background.add(task)
                task.add_done_callback(self._background.discard)


def _limit_reads(conn: ServerConnection, read_size: int) -> None:
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
