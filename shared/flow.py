"""Flow control for the screen stream (sans-I/O, injected clock).

Credit window: the agent may have at most ``window`` frame updates unacknowledged; the console
acknowledges each applied update by its ``seq`` (acks are cumulative). With no credit the agent
sends nothing and, when credit returns, encodes the *newest* screen state, so a slow link never
builds a queue of stale frames. A token bucket caps the average byte rate (adjustable live).

With ``window=None`` the window adapts to the round trip: between :data:`MIN_WINDOW` and
:data:`MAX_WINDOW` frames, as many as fit in :data:`LATENCY_BUDGET` at the smoothed frame round
trip. A fast link (a LAN, loopback) then keeps the pipeline full — the next frame is already on its
way while the console paints — and a slow or queued link, whose round trips are long, keeps the
modest minimum, so no queue of stale frames builds up. More frames in flight lengthen the round trip
themselves, which shrinks the window again: it cannot run away.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from shared.errors import ProtocolError

__all__ = [
    "LATENCY_BUDGET",
    "MAX_WINDOW",
    "MIN_WINDOW",
    "FlowControl",
    "FlowError",
    "TokenBucket",
]

Clock = Callable[[], float]

#: Bounds of the adaptive window (``FlowControl(window=None)``), in frames.
MIN_WINDOW = 2
MAX_WINDOW = 4
#: The adaptive window holds ``LATENCY_BUDGET / srtt`` frames (within the bounds above).
LATENCY_BUDGET = 0.08


class FlowError(ProtocolError):
    """An acknowledgement names a frame that was never sent."""


class TokenBucket:
    """Average byte-rate cap with a burst allowance; ``rate=None`` means unlimited.

    Sending may overdraw the bucket (a frame is never split); the sender then waits
    :meth:`delay` seconds until the balance is back to zero.
    """

    def __init__(
        self, rate: float | None = None, burst: float | None = None, clock: Clock = time.monotonic
    ) -> None:
        self._clock = clock
        self._rate: float | None = None
        self._burst = 0.0
        self._tokens = 0.0
        self._stamp = clock()
        self.set_rate(rate, burst)

    @property
    def rate(self) -> float | None:
        """Current cap in bytes per second (None = unlimited)."""
        return self._rate

    def set_rate(self, rate: float | None, burst: float | None = None) -> None:
        """Change the cap during a session; ``burst`` defaults to a quarter second of ``rate``."""
        if rate is not None and rate <= 0:
            raise ValueError("rate must be positive or None")
        self._refill()
        self._rate = rate
        self._burst = 0.0 if rate is None else (burst if burst is not None else rate / 4)
        self._tokens = min(self._tokens, self._burst)

    def _refill(self) -> None:
        now = self._clock()
        if self._rate is not None:
            self._tokens = min(self._burst, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now

    def consume(self, nbytes: int) -> None:
        """Account for ``nbytes`` just sent."""
        self._refill()
        if self._rate is not None:
            self._tokens -= nbytes

    def delay(self) -> float:
        """Seconds until sending is allowed again (0.0 = now)."""
        self._refill()
        if self._rate is None or self._tokens >= 0:
            return 0.0
        return -self._tokens / self._rate


class FlowControl:
    """Credit window over frame sequence numbers plus RTT estimate and byte-rate cap.

    ``window``: a fixed number of frames in flight, or ``None`` to adapt it to the round trip
    (see the module docstring; it never leaves ``MIN_WINDOW..MAX_WINDOW``).
    """

    def __init__(
        self, window: int | None = 2, rate: float | None = None, clock: Clock = time.monotonic
    ) -> None:
        if window is not None and window < 1:
            raise ValueError("window must be at least 1")
        self.adaptive = window is None
        self.window = MIN_WINDOW if window is None else window
        self._clock = clock
        self._in_flight: OrderedDict[int, tuple[float, int]] = OrderedDict()
        self._last_seq: int | None = None
        self.bucket = TokenBucket(rate, clock=clock)
        self.srtt: float | None = None
        self.rttvar: float | None = None
        self.acked_bytes = 0

    @property
    def in_flight(self) -> int:
        """Frames sent and not yet acknowledged."""
        return len(self._in_flight)

    def can_send(self) -> bool:
        """True when a frame may be sent now (credit left and bandwidth budget not overdrawn)."""
        return len(self._in_flight) < self.window and self.bucket.delay() == 0.0

    def send_delay(self) -> float | None:
        """Seconds to wait for the byte budget; None if blocked on credit (wait for an ack)."""
        if len(self._in_flight) >= self.window:
            return None
        return self.bucket.delay()

    def on_sent(self, seq: int, nbytes: int = 0) -> None:
        """Record a frame handed to the network. ``seq`` must increase; needs credit."""
        if len(self._in_flight) >= self.window:
            raise RuntimeError("no credit: check can_send() before sending")
        if self._last_seq is not None and seq <= self._last_seq:
            raise ValueError(f"sequence numbers must increase ({seq} after {self._last_seq})")
        self._last_seq = seq
        self._in_flight[seq] = (self._clock(), nbytes)
        self.bucket.consume(nbytes)

    def on_ack(self, seq: int) -> int:
        """Cumulative ack of every frame up to ``seq``; returns how many frames it freed.

        Old or duplicate acks free nothing; an ack beyond the last sent frame raises
        :class:`FlowError` (the peer is broken or lying).
        """
        if self._last_seq is None or seq > self._last_seq:
            raise FlowError(f"acknowledgement for frame {seq}, which was never sent")
        freed = 0
        now = self._clock()
        while self._in_flight:
            first = next(iter(self._in_flight))
            if first > seq:
                break
            sent_at, nbytes = self._in_flight.popitem(last=False)[1]
            freed += 1
            self.acked_bytes += nbytes
            if first == seq:
                self._sample_rtt(now - sent_at)
        return freed

    def _sample_rtt(self, rtt: float) -> None:
        """RFC 6298 smoothing (alpha 1/8, beta 1/4)."""
        if self.srtt is None or self.rttvar is None:
            self.srtt, self.rttvar = rtt, rtt / 2
        else:
            self.rttvar = 0.75 * self.rttvar + 0.25 * abs(self.srtt - rtt)
            self.srtt = 0.875 * self.srtt + 0.125 * rtt
        if self.adaptive:
            fits = int(LATENCY_BUDGET / max(self.srtt, 1e-6))
            self.window = max(MIN_WINDOW, min(MAX_WINDOW, fits))

    def reset(self) -> None:
        """Forget frames in flight (e.g. after a reconnect or full refresh)."""
        self._in_flight.clear()
