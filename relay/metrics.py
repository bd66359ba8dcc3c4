"""The relay's Prometheus metrics, in a registry of each server's own (several per process).

Counters of events (joins, hosts, rejections) are counted where they happen. Everything that
is a *state* (connections waiting or paired, nameplates held or taken, the flood measure) is
read from its owner when ``/metrics`` is scraped, so no gauge is kept in step by hand.
Forwarding is counted in plain ints per source role and moved into the counters at scrape
time too: a counter's ``inc()`` takes a lock, measurable at thousands of messages per second.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from relay.pairing import ClaimResult, Pairing
from relay.revocations import Outcome
from shared.rendezvous import ErrorCode

#: Forwarding directions by the role that sent the message.
DIRECTIONS = (("agent", "agent_to_console"), ("console", "console_to_agent"))


class RelayMetrics:
    """Every metric of one relay server; :meth:`scrape` renders them."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.connections = Gauge(
            "fernhilfe_relay_connections", "Open websocket connections", registry=r
        )
        self.waiting = Gauge(
            "fernhilfe_relay_sessions_waiting", "Agents waiting for a console", registry=r
        )
        self.paired = Gauge("fernhilfe_relay_sessions_paired", "Paired sessions", registry=r)
        self.bridged = Gauge(
            "fernhilfe_relay_sessions_bridged",
            "Clients of this node paired with a peer another node holds (relayed there; that "
            "node counts the session as paired)",
            registry=r,
        )
        self.bytes = Counter(
            "fernhilfe_relay_forwarded_bytes", "Bytes forwarded", ["direction"], registry=r
        )
        self.messages = Counter(
            "fernhilfe_relay_forwarded_messages", "Messages forwarded", ["direction"], registry=r
        )
        self.joins = Counter("fernhilfe_relay_joins", "Join attempts", ["outcome"], registry=r)
        self.hosts = Counter("fernhilfe_relay_hosts", "Host attempts", ["outcome"], registry=r)
        self.failed_joins = Gauge(
            "fernhilfe_relay_failed_joins_last_minute",
            "Failed joins relay-wide in the last minute (the flood budget's measure)",
            registry=r,
        )
        self.nameplates_held = Gauge(
            "fernhilfe_relay_nameplates_held",
            "Joined nameplates held back for a day (never-joined ones are not held)",
            registry=r,
        )
        self.nameplates_taken = Gauge(
            "fernhilfe_relay_nameplates_taken",
            "Nameplates not available now: open, joined or held back",
            registry=r,
        )
        self.nameplate_digits = Gauge(
            "fernhilfe_relay_nameplate_digits",
            "Fewest digits a new nameplate gets now (above 3: failed-join flood)",
            registry=r,
        )
        self.rejections = Counter(
            "fernhilfe_relay_rejections", "Connections refused or closed", ["reason"], registry=r
        )
        self.revocation_requests = Counter(
            "fernhilfe_relay_revocation_requests",
            "Requests for an organisation's revocation list, by outcome",
            ["outcome"],
            registry=r,
        )
        self.nodes_alive = Gauge(
            "fernhilfe_relay_cluster_nodes_alive",
            "Relay nodes alive in the shared registry, this one included (1: one process)",
            registry=r,
        )
        self.state_unavailable = Counter(
            "fernhilfe_relay_state_unavailable",
            "Times the shared state (Redis) could not be reached; the client was refused",
            registry=r,
        )
        self.internal_attaches = Counter(
            "fernhilfe_relay_internal_attaches",
            "Attaches between nodes: kind join/resume, outcome (made here: ok, gone, refused, "
            "unreachable; taken here: accepted, gone, bad_request, forbidden)",
            ["kind", "outcome"],
            registry=r,
        )
        self.draining = Gauge(
            "fernhilfe_relay_draining", "1 while this node drains after SIGTERM", registry=r
        )
        for kind in ("join", "resume"):
            for outcome in ("ok", "gone", "refused", "unreachable", "accepted"):
                self.internal_attaches.labels(kind, outcome)
        for found in Outcome:
            self.revocation_requests.labels(found.value)
        for outcome in (
            "paired",
            *(c.value for c in ClaimResult if c is not ClaimResult.OK),
            "rate_limited",
            "busy",
        ):
            self.joins.labels(outcome)
        for outcome in ("ok", "rate_limited", "full"):
            self.hosts.labels(outcome)
        for code in ErrorCode:
            self.rejections.labels(code.value)
        # Per source role: [bytes, messages] forwarded, and what the counters have of them.
        self.forwarded = {"agent": [0, 0], "console": [0, 0]}
        self._reported = {"agent": [0, 0], "console": [0, 0]}

    def _report_forwarded(self) -> None:
        """Move the forwarding counts gathered since the last scrape into the counters."""
        for role, direction in DIRECTIONS:
            now, before = self.forwarded[role], self._reported[role]
            self.bytes.labels(direction).inc(now[0] - before[0])
            self.messages.labels(direction).inc(now[1] - before[1])
            self._reported[role] = list(now)

    def scrape(self, counts: dict[str, int] | None, pairing: Pairing[Any],
               nodes_alive: int | None, draining: bool, bridged: int = 0) -> bytes:
        """The text exposition, with every state read from its owner now (``counts`` and
        ``nodes_alive`` from the shared state; None: it cannot be reached, the last values
        stay)."""
        self._report_forwarded()
        if counts is not None:
            self.failed_joins.set(counts["failed_joins"])
            self.nameplate_digits.set(counts["nameplate_digits"])
            self.nameplates_held.set(counts["held"])
            self.nameplates_taken.set(counts["taken"])
        if nodes_alive is not None:
            self.nodes_alive.set(nodes_alive)
        self.draining.set(int(draining))
        self.bridged.set(bridged)
        self.waiting.set(pairing.waiting_count)
        self.paired.set(pairing.paired_count)
        return generate_latest(self.registry)
