"""The relay-internal attach: how a node reaches the agent or resume waiter another node holds.

An agent hosts on node A; the console's join lands on node B (HAProxy spreads connections). The
shared state says who owns the nameplate (:class:`~relay.cluster.state.Owner`: node A,
connection X). B opens one websocket to A's internal listener (``/internal/v1``), proves the
cluster secret, names connection X and repeats the console's own rendezvous message (``join``
or ``resume``, parsed by the same strict :func:`shared.rendezvous.parse_client`). A treats that
websocket as the console's connection: it pairs it with X, says ``paired`` to both, and forwards
as always. B then relays both ways blindly between the console and that websocket; what A says
after pairing (``peer_gone``, ``error``, the close code) reaches the console unchanged.

Nothing here sees more than a relay already does: the payload stays end-to-end encrypted. The
listener must be reachable only by the other nodes; the secret check happens before the
websocket upgrade, in constant time, so a stranger gets a plain 403 and no websocket state.
docs/PROTOCOL.md, section 15, is the wire description.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from shared.rendezvous import ClientMessage, Join, RendezvousError, Resume, parse_client

#: The one path of the internal listener.
PATH = "/internal/v1"

#: Request headers of an attach: the cluster proof, and the owner's connection id.
PROOF_HEADER = "X-Fernhilfe-Cluster"
CONN_HEADER = "X-Fernhilfe-Conn"

#: A connection id: what :func:`new_conn_id` makes (so an owner id is easy to check).
_CONN_RE = re.compile(r"[0-9a-f]{16}")

#: What the proof is a MAC over (a versioned label: a later scheme cannot be confused with it).
_PROOF_LABEL = b"fernhilfe relay internal attach v1"


def new_conn_id() -> str:
    """A fresh connection id: names one websocket of this node in the shared state."""
    return secrets.token_hex(8)


def proof(secret: bytes) -> str:
    """What a node sends to show it holds the cluster secret (the secret itself never travels:
    a listener that logs headers does not leak it)."""
    return hmac.new(secret, _PROOF_LABEL, hashlib.sha256).hexdigest()


def proof_ok(secret: bytes, offered: str | None) -> bool:
    """Whether ``offered`` is this cluster's proof (constant time; None or junk: False)."""
    if offered is None:
        return False
    return hmac.compare_digest(proof(secret).encode(), offered.encode("utf-8", "replace"))


def single(values: list[str]) -> str | None:
    """A header's one value, or None if it is missing or repeated (a repeated proof or
    connection id is refused, never one of them picked)."""
    return values[0] if len(values) == 1 else None


def conn_id_ok(value: str | None) -> bool:
    """Whether ``value`` is a well-formed connection id (16 lowercase hex digits)."""
    return value is not None and _CONN_RE.fullmatch(value) is not None


@dataclass(frozen=True)
class Attach:
    """One attach request as the owning node reads it."""

    conn: str  # the owner's connection id on this node
    message: Join | Resume  # the console's join, or the presenter's resume


class AttachError(RendezvousError):
    """An attach that is not one: a bad connection id, or a first message other than join or
    resume (the other node is answered ``bad_request`` and closed)."""


def parse_attach(conn: str | None, first: object) -> Attach:
    """Read an attach: the connection id header and the first websocket message.

    The message is a client's rendezvous message, read by the same strict parser a client's is;
    only ``join`` and ``resume`` are attachable (a ``host`` is refused: nodes never host for
    each other). Anything else raises :class:`AttachError`.
    """
    if not conn_id_ok(conn):
        raise AttachError("attach without a well-formed connection id")
    assert conn is not None
    try:
        message: ClientMessage = parse_client(first)
    except RendezvousError as exc:
        raise AttachError(str(exc), exc.code) from exc
    if not isinstance(message, Join | Resume):
        raise AttachError("only join and resume can be attached")
    return Attach(conn, message)
