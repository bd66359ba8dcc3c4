"""The relay's plain-HTTP side: which path is what, and the responses it gives.

Only exactly ``/v1`` may become a websocket; ``/healthz``, ``/metrics`` and the organisations'
revocation lists (``/.well-known/fernhilfe/revocations/<16 hex>.fhrl``, relay/revocations.py)
are plain HTTP, and everything else is 404. Paths are compared exactly, query included, so
``/v1/``, ``//v1``, ``/V1``, ``/v1?x`` and ``/v1%2F`` are all 404 and no proxy rule can be
sidestepped by a spelling. ``/metrics`` is for the operator only (:func:`metrics_allowed`).
Every response closes the connection; only a revocation list may be cached (a minute), every
other response never is.
"""

from __future__ import annotations

import http
import ipaddress
from collections.abc import Sequence
from enum import Enum

from prometheus_client import CONTENT_TYPE_LATEST
from websockets.datastructures import Headers
from websockets.http11 import Response

from relay.addresses import Network
from relay.revocations import key_id_of
from shared.rendezvous import ErrorCode

#: The one websocket path.
PATH = "/v1"


class Route(Enum):
    WEBSOCKET = "websocket"
    HEALTH = "health"
    METRICS = "metrics"
    REVOCATION_LIST = "revocation_list"
    NOT_FOUND = "not_found"


_ROUTES = {PATH: Route.WEBSOCKET, "/healthz": Route.HEALTH, "/metrics": Route.METRICS}


def route(path: str) -> Route:
    """What ``path`` (as sent, query included) is; exact match only."""
    if key_id_of(path) is not None:
        return Route.REVOCATION_LIST
    return _ROUTES.get(path, Route.NOT_FOUND)


def response(
    status: http.HTTPStatus, content_type: str, body: bytes, cache: str = "no-store"
) -> Response:
    headers = Headers(
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", cache),
            ("Connection", "close"),
        ]
    )
    return Response(status.value, status.phrase, headers, body)


def text(status: http.HTTPStatus, body: bytes) -> Response:
    return response(status, "text/plain; charset=utf-8", body)


def health(stopping: bool, draining: bool = False) -> Response:
    """Only "ok": the counts are for the operator's monitoring (/metrics), not the public.
    A draining node (SIGTERM, still forwarding its sessions) says so: the load balancer sends
    it nobody new."""
    if draining and not stopping:
        return text(http.HTTPStatus.SERVICE_UNAVAILABLE, b"draining\n")
    if stopping:
        return text(http.HTTPStatus.SERVICE_UNAVAILABLE, b"stopping\n")
    return text(http.HTTPStatus.OK, b"ok\n")


def metrics(exposition: bytes) -> Response:
    return response(http.HTTPStatus.OK, CONTENT_TYPE_LATEST, exposition)


def revocation_list(body: bytes) -> Response:
    """A revocation list as the admin stored it. A minute of caching lets a proxy or a busy
    agent population spare the relay, and is short next to any list's "next update"."""
    return response(http.HTTPStatus.OK, "application/octet-stream", body, "max-age=60")


def unavailable(body: bytes) -> Response:
    """A file the operator must fix (too large, unreadable): 500, the reason in the log."""
    return text(http.HTTPStatus.INTERNAL_SERVER_ERROR, body)


def metrics_allowed(peer: str | None, allowed: Sequence[Network]) -> bool:
    """Whether the TCP peer ``peer`` may read /metrics: loopback, or inside ``allowed``.

    Judged by the connection's own address, never by ``X-Forwarded-For``: a proxy in front
    filters /metrics itself (installer/relay/), and a relay serving TLS on a public address
    keeps its counts to this computer unless the operator opts in (``metrics_allow``).
    """
    if peer is None:
        return False
    try:
        ip = ipaddress.ip_address(peer.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or any(ip.version == net.version and ip in net for net in allowed)


def forbidden() -> Response:
    return text(http.HTTPStatus.FORBIDDEN, b"forbidden\n")


def not_found() -> Response:
    return text(http.HTTPStatus.NOT_FOUND, b"not found\n")


def refusal(reason: ErrorCode, status: http.HTTPStatus) -> Response:
    """A websocket refused before the upgrade; a 429 says when to try again."""
    refused = text(status, f"{reason.value}\n".encode())
    if status is http.HTTPStatus.TOO_MANY_REQUESTS:
        refused.headers["Retry-After"] = "60"
    return refused
