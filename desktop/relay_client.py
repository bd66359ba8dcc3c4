"""The client side of the relay protocol: what agent and console use to reach each other.

A thin asyncio wrapper over one websocket: ``host``/``join`` the rendezvous, then ``send`` and
``recv`` opaque binary messages (ciphertext) until the peer or the relay goes. Everything the relay
says is parsed by :mod:`shared.rendezvous`; everything that goes wrong surfaces as a
:class:`RelayError` subclass with a message a person can act on.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus, InvalidURI

from shared import rendezvous as rv
from shared.channel import MAX_CIPHERTEXT
from shared.errors import FernhilfeError
from shared.hosts import is_loopback

#: The largest message a peer may send through the relay: one sealed message (8 MiB of plaintext
#: plus the MAC), the same constant the relay enforces. Anything larger closes the connection.
MAX_MESSAGE = MAX_CIPHERTEXT
#: Messages the connection may buffer before it stops reading from the socket (websockets'
#: default is 16: up to 128 MiB of a hostile peer's largest messages). The low-water mark is a
#: quarter of it. 4 costs nothing measurable from Allow to the first full frame
#: (bench.session_figures); 2 looked ~10 ms slower.
RECV_QUEUE = 4


class RelayError(FernhilfeError):
    """The relay connection failed or ended.

    ``kind`` is a stable word for what went wrong; the GUIs show their own translated text for
    it, never the exception's (English, maybe the relay's own) words.
    """

    kind = "unexpected"


class RelayUnreachable(RelayError):
    """The relay cannot be reached right now (network down, wrong address, relay restarting)."""

    kind = "unreachable"


class InsecureRelayURL(RelayError):
    """A plain ``ws://`` URL pointing somewhere other than this computer."""

    kind = "insecure_url"


class RelayRejected(RelayError):
    """The relay answered with an error code (see ``shared.rendezvous.ErrorCode``)."""

    def __init__(self, code: rv.ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.kind = f"rejected:{code.value}"


class PeerLeft(RelayError):
    """The other side left the session (the relay said ``peer_gone``)."""

    kind = "lost"


class RelayClosed(RelayError):
    """The relay connection closed without a reason."""

    kind = "lost"


class RelayRestarting(RelayClosed):
    """The relay closed the connection saying it goes away or restarts (websocket close code
    1001 "going away" or 1012 "service restart"): not the other side's doing."""

    kind = "restarting"


#: Websocket close codes by which a relay says it is going away or restarting (RFC 6455 7.4.1,
#: IANA registry).
RESTART_CLOSE_CODES = frozenset({1001, 1012})


def is_restart(exc: BaseException) -> bool:
    """True when ``exc`` says the relay itself is restarting (not a lost peer or network)."""
    if isinstance(exc, RelayRestarting):
        return True
    return isinstance(exc, RelayRejected) and exc.code is rv.ErrorCode.SHUTTING_DOWN


def _closed(exc: ConnectionClosed, message: str) -> RelayClosed:
    """The error for a closed websocket: a restart when the relay said so in its close frame."""
    if exc.rcvd is not None and exc.rcvd.code in RESTART_CLOSE_CODES:
        return RelayRestarting("The relay server is restarting.")
    return RelayClosed(message)


def check_url(url: str) -> None:
    """Allow ``wss://`` anywhere, plain ``ws://`` only to loopback (DESIGN.md §6)."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise InsecureRelayURL(f"The relay address {url!r} is not a valid URL.") from exc
    if parts.scheme == "wss":
        return
    if parts.scheme == "ws" and parts.hostname and is_loopback(parts.hostname):
        return
    if parts.scheme == "ws":
        raise InsecureRelayURL(
            f"The relay address {url!r} is not encrypted (ws://). Use wss:// for a relay on "
            "another computer."
        )
    raise InsecureRelayURL(f"The relay address {url!r} must start with wss:// (or ws:// for "
                           "a relay on this computer).")


#: websockets' keepalive: a ping this often, and the link closed when its answer takes longer
#: than the timeout (before a session; see :meth:`RelayConnection.tolerate_silence`).
KEEPALIVE_INTERVAL = 20.0
KEEPALIVE_TIMEOUT = 20.0


class RelayConnection:
    """One open websocket to the relay."""

    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws

    @classmethod
    async def open(cls, url: str, *, timeout: float = 10.0) -> RelayConnection:
        check_url(url)
        try:
            ws = await connect(
                url,
                compression=None,  # ciphertext does not compress; deflate only costs time
                max_size=MAX_MESSAGE,
                max_queue=RECV_QUEUE,  # budget before allocation: TCP back-pressure beyond it
                open_timeout=timeout,
                # Until a session runs, websockets' keepalive finds a dead relay within
                # 40 s; a running session raises the timeout to its grace period
                # (tolerate_silence): there the session's own pings decide (shared.link).
                ping_interval=KEEPALIVE_INTERVAL,
                ping_timeout=KEEPALIVE_TIMEOUT,
                close_timeout=2,
            )
        except InvalidStatus as exc:
            refusal = _refusal(exc)
            if refusal is None:
                raise RelayUnreachable(
                    f"The relay server at {url} cannot be reached ({exc.__class__.__name__}: "
                    f"{exc})."
                ) from exc
            raise RelayRejected(refusal, rv.ERROR_MESSAGES[refusal]) from exc
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError, socket.gaierror) as exc:
            raise RelayUnreachable(
                f"The relay server at {url} cannot be reached ({exc.__class__.__name__}: {exc})."
            ) from exc
        return cls(ws)

    async def _recv_text(self) -> rv.ServerMessage:
        try:
            data = await self._ws.recv()
        except ConnectionClosed as exc:
            raise RelayClosed("The relay server closed the connection.") from exc
        try:
            msg = rv.parse_server(data)
        except rv.RendezvousError as exc:
            raise RelayError(f"The relay server sent something unexpected: {exc}") from exc
        if isinstance(msg, rv.Error):
            raise RelayRejected(msg.code, msg.message)
        if isinstance(msg, rv.PeerGone):
            raise PeerLeft("The other side has left the session.")
        return msg

    async def _send_text(self, msg: rv.ClientMessage) -> None:
        try:
            await self._ws.send(rv.encode(msg))
        except ConnectionClosed as exc:
            raise RelayClosed("The relay server closed the connection.") from exc

    async def host(self) -> rv.Nameplate:
        """Agent: ask for a nameplate."""
        await self._send_text(rv.Host())
        msg = await self._recv_text()
        if not isinstance(msg, rv.Nameplate):
            raise RelayError("The relay server did not hand out a code.")
        return msg

    async def wait_paired(self) -> None:
        """Agent: wait until a console joins (or the relay reports an error such as expiry)."""
        msg = await self._recv_text()
        if not isinstance(msg, rv.Paired):
            raise RelayError("The relay server sent something unexpected while waiting.")

    async def join(self, nameplate: str) -> None:
        """Console: join the agent waiting on ``nameplate`` and wait until paired."""
        await self._send_text(rv.Join(nameplate))
        msg = await self._recv_text()
        if not isinstance(msg, rv.Paired):
            raise RelayError("The relay server did not pair this connection.")

    async def resume(self, token: str, role: str) -> None:
        """Agent or console: present the resume token of the next reconnect and wait until the
        other side presents it too (``paired``). The relay answers a used token with
        ``resume_refused`` and a peer that did not come back in time with ``resume_expired``
        (both :class:`RelayRejected`)."""
        await self._send_text(rv.Resume(token, role))
        msg = await self._recv_text()
        if not isinstance(msg, rv.Paired):
            raise RelayError("The relay server did not pair this connection again.")

    async def send(self, data: bytes) -> None:
        """Send one binary message to the peer (waits while the relay applies backpressure)."""
        try:
            await self._ws.send(data)
        except ConnectionClosed as exc:
            raise _closed(exc, "The connection to the relay server was lost.") from exc

    async def recv(self) -> bytes:
        """The peer's next binary message; relay notices become :class:`RelayError`."""
        try:
            data: Any = await self._ws.recv()
        except ConnectionClosed as exc:
            raise _closed(exc, "The connection to the relay server was lost.") from exc
        if isinstance(data, str):
            try:
                msg = rv.parse_server(data)
            except rv.RendezvousError as exc:
                raise RelayError(f"The relay server sent something unexpected: {exc}") from exc
            if isinstance(msg, rv.PeerGone):
                raise PeerLeft("The other side has left the session.")
            if isinstance(msg, rv.Error):
                raise RelayRejected(msg.code, msg.message)
            raise RelayError("The relay server sent an unexpected message during a session.")
        return bytes(data)

    async def send_from(self, queue: asyncio.Queue[bytes | None]) -> None:
        """Send queued messages in order until ``None`` or the connection goes.

        Sealing assigns counter nonces, so each side seals in one thread and sends through one
        such queue: what was sealed first is sent first.
        """
        while True:
            data = await queue.get()
            if data is None:
                return
            try:
                await self.send(data)
            except RelayError:
                return

    def tolerate_silence(self, seconds: float) -> None:
        """Let websockets' keepalive wait ``seconds`` for an answer before it closes the link.

        Why: a running session watches its link itself (``shared.link``: interrupted after a
        few seconds, ended as ``connection_lost`` after the grace period); the keepalive's
        own 20 s would end a session after a 40 s freeze that the grace period should
        survive. It still closes a link the grace has long given up on."""
        self._ws.ping_timeout = max(KEEPALIVE_TIMEOUT, seconds)

    async def close(self) -> None:
        with contextlib.suppress(ConnectionClosed, OSError):
            await self._ws.close()


def _refusal(exc: InvalidStatus) -> rv.ErrorCode | None:
    """The relay's stable code when it refused the connection before the websocket upgrade
    (HTTP 429/503 with the code as the body: busy, rate limited, shutting down)."""
    response = exc.response
    if response.status_code not in (429, 503):
        return None
    text = bytes(response.body or b"")[:64].decode("ascii", "replace").strip()
    try:
        return rv.ErrorCode(text)
    except ValueError:
        return rv.ErrorCode.TOO_MANY_CONNECTIONS


__all__ = [
    "MAX_MESSAGE",
    "InsecureRelayURL",
    "PeerLeft",
    "RelayClosed",
    "RelayConnection",
    "RelayError",
    "RelayRejected",
    "RelayRestarting",
    "RelayUnreachable",
    "check_url",
    "is_restart",
]
