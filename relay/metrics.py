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

from relay.limits import FloodGuard
from relay.pairing import ClaimResult, NameplateAllocator, Pairing
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

    def scrape(
        self, flood: FloodGuard, allocator: NameplateAllocator, pairing: Pairing[Any]
    ) -> bytes:
        """The text exposition, with every state read from its owner now."""
        self._report_forwarded()
        self.failed_joins.set(flood.failures())
        self.nameplate_digits.set(flood.nameplate_digits())
        self.nameplates_held.set(allocator.held_count)
        self.nameplates_taken.set(allocator.taken_count)
        self.waiting.set(pairing.waiting_count)
        self.paired.set(pairing.paired_count)
        return generate_latest(self.registry)
