"""Flow and rate control for the screen stream (sans-I/O, injected clock).

Credit window: the agent may have only so much unacknowledged; the console acknowledges each
applied update by its ``seq`` (acks are cumulative). With no credit the agent sends nothing and,
when credit returns, encodes the *newest* screen state, so a slow link never builds a queue of
stale frames. A token bucket caps the average byte rate (the technician's cap, adjustable live).

With ``window=None`` (what the streamer uses) the controller measures the link from the acks,
the way BBR does for TCP (issue 16), because a fixed window of a few frames times the round trip
is what limited a DSL uplink, not the line:

* **delivery rate**: bytes acknowledged over the interval they took (the later of "since the
  frame was sent" and "since the ack before it"), a windowed maximum over ~10 round trips (at
  least :data:`BW_WINDOW` seconds). Samples taken while the agent had nothing to send
  (:meth:`FlowControl.note_app_limited`, e.g. a resting screen) and those of a frame sent
  with nothing in flight only ever raise it;
* **min RTT**: the windowed minimum over :data:`MIN_RTT_WINDOW` of frame round trips less the
  frame's own transmission time (its size over the delivery rate): a frame is not a packet, a
  big one takes a while to cross even an empty link;
* **queue delay**: the standing wait (the least over the last round trip of each ack's round
  trip minus the frame's own transmission time, its size over the delivery rate) minus the
  min RTT, smoothed: the queue this sender has built in front of the bottleneck (a modem's
  buffer); a console slow now and then (a loaded machine) delays some acks, not all, so its
  jitter is no queue. A drain neither ends the delivery rate's window as fast
  (:data:`LIMITED_AGING`) nor lets the frames after it measure the drain (its bubble counts as
  limited, as BBR's app-limited one): the estimate no longer locks low after one;
* **credit**: bytes in flight up to :data:`CWND_GAIN` x delivery rate x min RTT (the
  bandwidth-delay product), plus the one frame that crosses it; and, whatever the bytes say, as
  many frames as the window before issue 16 allowed (:data:`MIN_WINDOW` frames, up to
  :data:`MAX_WINDOW` as fit in :data:`LATENCY_BUDGET` at the smoothed round trip: a fast link
  keeps its pipeline full), never more than :data:`MAX_FRAMES_IN_FLIGHT`;
* **pacing**: after a frame of ``n`` bytes the next one waits ``n / pacing_rate``, so frames
  are encoded when the link can carry them (the newest picture, no queue); with nothing in
  flight there is no pacing (the link holds none of the sender's bytes). The pacing gain
  starts high (:data:`STARTUP_GAIN`, no byte credit bound) until a queue builds, then cycles
  (:data:`GAIN_CYCLE`: one round trip of probing up, one of draining, then cruising), and drops to
  :data:`DRAIN_GAIN` while the queue delay is over its bound (:meth:`FlowControl.queue_limit`).

* **echo credit** (issue 16, input first): for :data:`ECHO_WINDOW` after input
  (:meth:`FlowControl.note_input`), a small frame that answers it (a typed glyph,
  :func:`shared.priority.split_echo`) may be sent at once, ahead of the pacing and outside the
  credit window (:meth:`FlowControl.echo_delay`): at most :data:`ECHO_FRAMES` such frames of at
  most :data:`ECHO_BYTES` in flight. (A smaller byte credit meanwhile was tried: in the model
  it gained little over the split alone, and on the emulated line an underestimated rate made
  it stop-and-wait, which doubled the echo);
* **ProbeRTT** (as BBR): a queue held so long that no round trip near the min RTT was seen for
  :data:`PROBE_RTT_INTERVAL` would let the min RTT drift up with it (the window forgets the
  true one). Then the sender drains to one frame in flight for at least
  :data:`PROBE_RTT_TIME` and one round trip, which measures the link without a queue.

With a fixed ``window`` (tests, old callers) only the frame count limits, as before; the
estimates are measured all the same.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from shared.errors import ProtocolError

__all__ = [
    "BW_WINDOW",
    "CWND_GAIN",
    "DRAIN_FAILS",
    "DRAIN_GAIN",
    "ECHO_BYTES",
    "ECHO_FRAMES",
    "ECHO_WINDOW",
    "FRAME_BUDGET",
    "GAIN_CYCLE",
    "HELD_SPANS",
    "LATENCY_BUDGET",
    "LIMITED_AGING",
    "MAX_FRAMES_IN_FLIGHT",
    "MAX_WINDOW",
    "MIN_RTT_WINDOW",
    "MIN_SLICE_BYTES",
    "MIN_WINDOW",
    "PROBE_RTT_INTERVAL",
    "PROBE_RTT_TIME",
    "RTT_SAMPLES",
    "SLICE_TIME",
    "STARTUP_GAIN",
    "FlowControl",
    "FlowError",
    "QualityGovernor",
    "TokenBucket",
]

Clock = Callable[[], float]

#: Frames always allowed in flight: ``LATENCY_BUDGET / srtt`` within these bounds (the window
#: before issue 16; the byte credit may allow more).
MIN_WINDOW = 2
MAX_WINDOW = 4
LATENCY_BUDGET = 0.08
#: A min RTT sample is never shorter than this (seconds), nor than this share of its round
#: trip: a frame bigger than the line's bandwidth-delay product, measured with a rate a little
#: low, would otherwise seem to take all its round trip to transmit, leaving no round trip (and
#: an imagined queue that drains the link for nothing).
MIN_RTT_FLOOR = 0.001
BASE_SHARE = 0.25
#: A bound on frames in flight whatever the bytes say (keeps the bookkeeping small).
MAX_FRAMES_IN_FLIGHT = 32
#: Shortest window (seconds) of the delivery rate's maximum; else 10 round trips.
BW_WINDOW = 1.0
#: While the sender drains, the delivery rate's window is this many times longer for its
#: (limited) samples: they say nothing about the link, so they do not age its estimate as fast.
LIMITED_AGING = 4
#: Window (seconds) of the min RTT's minimum; it keeps one round trip per slot (seconds).
MIN_RTT_WINDOW = 5.0
RTT_SLOT = 0.025
RTT_SAMPLES = int(MIN_RTT_WINDOW / RTT_SLOT) + 1
#: Pacing and credit gain while the rate is still found (BBR's startup doubles each round).
STARTUP_GAIN = 2.0
#: Pacing gains of the steady state, one min RTT each: probe up, drain what it queued, cruise.
GAIN_CYCLE = (1.25, 0.8, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1)
#: Pacing gain while the queue is over its bound.
DRAIN_GAIN = 0.7
#: A queue over this many queue bounds during a drain: the line is slower than the drain.
DRAIN_FAILS = 6.0
#: Longest grab-to-send time the pacing lets the next grab start early by (seconds).
MAX_LEAD = 0.05
#: Credit in bytes: this many bandwidth-delay products (plus the frame that crosses it).
CWND_GAIN = 1.6
#: The queue bound is this share of the min RTT, but at least :data:`MIN_QUEUE_LIMIT` seconds.
QUEUE_SHARE = 0.5
MIN_QUEUE_LIMIT = 0.015
#: After input, for this long (seconds), a small frame that answers it may go ahead.
ECHO_WINDOW = 0.3
#: Echo frames in flight outside the credit window at most, and the bytes of one at most.
ECHO_FRAMES = 2
ECHO_BYTES = 16_384
#: An update bigger than this much of the line's time (seconds at the delivery rate) is sent
#: in slices, so an echo waits behind one slice, not a whole update; never slices smaller
#: than :data:`MIN_SLICE_BYTES`.
SLICE_TIME = 0.04
MIN_SLICE_BYTES = 8_192
#: No round trip near the min RTT for this long (seconds) under load: drain to measure it
#: (shorter than :data:`MIN_RTT_WINDOW`, so the true value is measured before it is forgotten).
PROBE_RTT_INTERVAL = 4.0
#: A round trip within this share of the min RTT (plus :data:`MIN_QUEUE_LIMIT`) counts as one.
PROBE_RTT_NEAR = 1.25
#: Shortest drain of a ProbeRTT (seconds).
PROBE_RTT_TIME = 0.2
#: Spans the sender was held back, kept for :meth:`FlowControl.held_spans`.
HELD_SPANS = 4096


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


class _WindowedMax:
    """Running maximum of samples within a time window (a monotonic deque)."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, float]] = deque()

    def add(self, now: float, value: float, window: float) -> None:
        while self._samples and self._samples[-1][1] <= value:
            self._samples.pop()
        self._samples.append((now, value))
        self.expire(now, window)

    def expire(self, now: float, window: float) -> None:
        # The newest sample always stays: an estimate never vanishes for lack of traffic.
        while len(self._samples) > 1 and self._samples[0][0] < now - window:
            self._samples.popleft()

    @property
    def value(self) -> float | None:
        return self._samples[0][1] if self._samples else None


@dataclass(slots=True)
class _Sent:
    """One frame in flight and what the rate sample of its ack needs (BBR's per-packet state)."""

    sent_at: float
    nbytes: int
    delivered: int  # bytes acknowledged when it was sent
    delivered_at: float  # when the last of those was acknowledged
    first_sent_at: float  # send time of the frame acknowledged last when it was sent
    app_limited: bool
    from_idle: bool  # nothing else was in flight
    echo: bool = False  # sent on the echo credit, outside the window


class FlowControl:
    """Credit window over frame sequence numbers, link estimate, pacing and byte-rate cap.

    ``window``: a fixed number of frames in flight, or ``None`` for the measured controller
    described in the module docstring (then ``window`` is the number of frames always allowed,
    :attr:`cwnd` the byte credit beyond it).
    """

    def __init__(
        self, window: int | None = 2, rate: float | None = None, clock: Clock = time.monotonic
    ) -> None:
        if window is not None and window < 1:
            raise ValueError("window must be at least 1")
        self.adaptive = window is None
        self.window = MIN_WINDOW if window is None else window
        self._clock = clock
        self._in_flight: OrderedDict[int, _Sent] = OrderedDict()
        self._last_seq: int | None = None
        self.bucket = TokenBucket(rate, clock=clock)
        self.srtt: float | None = None
        self.rttvar: float | None = None
        self.acked_bytes = 0
        #: bytes sent and not yet acknowledged
        self.bytes_in_flight = 0
        self._delivered_at = clock()
        self._first_sent_at = self._delivered_at
        self._app_limited_until = 0  # BBR's C.app_limited: samples before this mark only raise
        self._bw = _WindowedMax()
        #: (ack time, round trip, frame bytes) of the last :data:`MIN_RTT_WINDOW` seconds
        self._rtts: deque[tuple[float, float, int]] = deque(maxlen=RTT_SAMPLES)
        self._min_rtt: float | None = None
        self._min_from = 0.0  # slot time of the sample the min RTT comes from
        self._min_bw: float | None = None  # the rate it was taken apart with
        #: smoothed queue delay in seconds (see the module docstring)
        self.queue_delay = 0.0
        #: (ack time, wait) of the last round trip: the standing wait is their minimum
        self._recent: deque[tuple[float, float]] = deque()
        self._draining = False
        # Startup and the gain cycle
        self.filled_pipe = False
        self._cycle_index = 0
        self._cycle_at = self._delivered_at
        self._last_sent: tuple[float, int] | None = None  # (time, bytes) of the newest frame
        #: smoothed size of the frames sent (bytes)
        self.frame_bytes = 0.0
        self._lead = 0.0  # smoothed time from grab to send (seconds)
        self._echo_until = -float("inf")  # the echo window (note_input) ends then
        self._echo_in_flight = 0  # echo frames not yet acknowledged
        self._near_min_at = self._delivered_at  # last round trip near the min RTT
        self._probe_until: float | None = None  # ProbeRTT: drain until then (and a round trip)
        self._probe_sent = False  # ProbeRTT: a frame left with nothing in flight
        #: ProbeRTT drains done (diagnostics, tests)
        self.probes = 0
        self._held_since: float | None = None  # send_delay() said wait since then
        self._held: deque[tuple[float, float]] = deque(maxlen=HELD_SPANS)

    # --- the estimate --------------------------------------------------------------------------
    @property
    def delivery_rate(self) -> float | None:
        """Bytes per second the link delivered: the windowed maximum (None until measured)."""
        return self._bw.value

    @property
    def min_rtt(self) -> float | None:
        """The shortest frame round trip lately (seconds), the link without a queue."""
        return self._min_rtt

    def queue_limit(self) -> float:
        """Queue delay (seconds) over which the pacing drains: half the min RTT, at least
        :data:`MIN_QUEUE_LIMIT`."""
        return max(MIN_QUEUE_LIMIT, QUEUE_SHARE * (self.min_rtt or 0.0))

    @property
    def pacing_gain(self) -> float:
        """What the delivery rate is multiplied by for :attr:`pacing_rate` now."""
        if self._draining:
            return DRAIN_GAIN
        if not self.filled_pipe:
            return STARTUP_GAIN
        return GAIN_CYCLE[self._cycle_index]

    @property
    def pacing_rate(self) -> float | None:
        """Bytes per second the streamer may send now (None: not measured or fixed window)."""
        bw = self.delivery_rate
        if bw is None or not self.adaptive:
            return None
        return bw * self.pacing_gain

    @property
    def cwnd(self) -> float | None:
        """Byte bound of what may be in flight (None: nothing beyond ``window`` yet, or a fixed
        window; infinite during startup)."""
        bw, rtt = self.delivery_rate, self.min_rtt
        if not self.adaptive or bw is None or rtt is None:
            return None
        if not self.filled_pipe:  # startup: the pacing alone limits, so the rate can grow
            return float("inf")
        # A frame is not a packet: the pipe holds the product *and* the frame being sent. Half
        # the smoothed round trip bounds the min RTT from below: an underestimated rate takes
        # too much of each round trip for transmission, and a too small credit would keep the
        # rate from ever being measured higher.
        rtt = max(rtt, (self.srtt or 0.0) / 2)
        return CWND_GAIN * bw * rtt + self.frame_bytes

    def target_rate(self) -> float | None:
        """What steerable encoders should produce (bytes/s): a little over the delivery rate
        while there is no queue (so the estimate can grow), under it while there is one; never
        over the technician's cap. None while nothing is known and nothing capped."""
        bw, cap = self.delivery_rate, self.bucket.rate
        if bw is not None:
            bw *= 0.85 if self.queue_delay > self.queue_limit() / 2 else 1.15
        if bw is None or cap is None:
            return bw if cap is None else cap
        return min(bw, cap)

    def slice_bytes(self) -> int | None:
        """The largest frame worth sending whole (bytes), or None: no limit (a fixed window,
        or the link not measured yet). Issue 16, dsl4: a 50-95 kB scroll update held the line
        100-190 ms, and a typed glyph's echo frame queued behind it (echo p95 150-190 ms, its
        tail keys all during runs of such updates); cut at :data:`SLICE_TIME` of the line, the
        echo waits behind one slice. On a fast link (loopback) nothing is ever cut."""
        bw = self.delivery_rate
        if not self.adaptive or bw is None or not self.filled_pipe:
            return None
        return max(MIN_SLICE_BYTES, int(bw * SLICE_TIME))

    # --- credit ---------------------------------------------------------------------------------
    @property
    def in_flight(self) -> int:
        """Frames sent and not yet acknowledged."""
        return len(self._in_flight)

    @property
    def probing_rtt(self) -> bool:
        """True while a ProbeRTT drain runs (one frame in flight at most)."""
        return self._probe_until is not None

    def _has_credit(self) -> bool:
        n = len(self._in_flight) - self._echo_in_flight
        if self._probe_until is not None:
            return n == 0
        if n < self.window:
            return True
        cwnd = self.cwnd
        return cwnd is not None and n < MAX_FRAMES_IN_FLIGHT and self.bytes_in_flight < cwnd

    def _pacing_delay(self) -> float:
        rate = self.pacing_rate
        # Nothing in flight: every byte sent was acknowledged, so the link holds none of ours
        # and a frame sent now queues behind nothing. Pacing it would only hold a fresh frame
        # back, and (as it then always leaves from idle, whose samples never lowered nor
        # raised the rate) could keep a too low estimate for good: on loopback, after a few
        # small frames at rest, a 60 Hz scroll was paced to 5 frames/s (issue 16, lane fps).
        if rate is None or self._last_sent is None or not self._in_flight:
            return 0.0
        sent_at, nbytes = self._last_sent
        return max(0.0, sent_at + nbytes / rate - self._lead - self._clock())

    def can_send(self) -> bool:
        """True when a frame may be sent now (credit left, pacing and byte cap allow)."""
        return self.send_delay() == 0.0

    def send_delay(self) -> float | None:
        """Seconds to wait for pacing or the byte cap; None if blocked on credit (wait for an
        ack)."""
        delay = max(self.bucket.delay(), self._pacing_delay()) if self._has_credit() else None
        if delay is None or delay > 0:
            if self._held_since is None:
                self._held_since = self._clock()
        else:
            self._end_held()
        return delay

    def _end_held(self) -> None:
        if self._held_since is not None:
            self._held.append((self._held_since, self._clock()))
            self._held_since = None

    def held_spans(self) -> list[tuple[float, float]]:
        """(start, end) on the clock of the last :data:`HELD_SPANS` spans the control held
        the sender back (from a :meth:`send_delay` that said wait to the next that did not,
        or the next frame sent); an open one ends now. An idle line during these is the
        control's doing, not a busy machine's (tests/e2e/test_link_rate.py)."""
        spans = list(self._held)
        if self._held_since is not None:
            spans.append((self._held_since, self._clock()))
        return spans

    # --- input first ----------------------------------------------------------------------------
    def note_input(self) -> None:
        """Input reached the desktop: for :data:`ECHO_WINDOW` what answers it may go ahead."""
        self._echo_until = self._clock() + ECHO_WINDOW

    @property
    def echo_open(self) -> bool:
        """True within :data:`ECHO_WINDOW` after input (adaptive controller only)."""
        return self.adaptive and self._clock() < self._echo_until

    def echo_delay(self) -> float | None:
        """Seconds until a small echo frame may go (0.0: now); None when there is no echo
        credit (no input lately, :data:`ECHO_FRAMES` in flight, or a fixed window). The
        technician's byte cap still holds; the pacing and the credit window do not."""
        if not self.echo_open or self._echo_in_flight >= ECHO_FRAMES:
            return None
        return self.bucket.delay()

    def note_app_limited(self) -> None:
        """The sender had credit and nothing to send (the screen rests): rate samples of what
        is in flight now measure the screen, not the link, and may only raise the estimate."""
        self._app_limited_until = max(1, self.acked_bytes + self.bytes_in_flight)

    def on_sent(self, seq: int, nbytes: int = 0, started: float | None = None, *,
                echo: bool = False) -> None:
        """Record a frame handed to the network. ``seq`` must increase; needs credit.

        ``started``: when the sender began making it (the grab). The pacing then lets the next
        one start that much earlier, so grabbing and encoding do not add to the spacing (else a
        sender slower than its pacing could never measure the link faster than it sends).
        ``echo``: sent on the echo credit (:meth:`echo_delay`), at most :data:`ECHO_BYTES`; it
        leaves the pacing of the other frames as it was. The sender checked
        :meth:`echo_delay` before it split the update; the window after input may close while
        it does (the clock moves on), so only what time cannot change is checked again here:
        input came, an echo frame is free, the frame is small."""
        if echo:
            if (not self.adaptive or self._echo_until == -float("inf")
                    or self._echo_in_flight >= ECHO_FRAMES or nbytes > ECHO_BYTES):
                raise RuntimeError("no echo credit: check echo_delay() and the frame's size")
        elif not self._has_credit():
            raise RuntimeError("no credit: check send_delay() before sending")
        if self._last_seq is not None and seq <= self._last_seq:
            raise ValueError(f"sequence numbers must increase ({seq} after {self._last_seq})")
        now = self._clock()
        if self._probe_until is not None and not self._in_flight:
            self._probe_sent = True  # its round trip crosses an empty link
        # Its rate sample only raises the estimate when it measures the sender, not the link:
        # the screen rested or the pacing held back on purpose (draining).
        limited = (self._app_limited_until > 0 or self.pacing_gain < 1
                   or self._probe_until is not None)
        idle = not self._in_flight
        if idle:  # starting from idle: the interval starts now (BBR)
            self._delivered_at = self._first_sent_at = now
        self._last_seq = seq
        self._in_flight[seq] = _Sent(now, nbytes, self.acked_bytes, self._delivered_at,
                                     self._first_sent_at, limited, idle, echo)
        self.bytes_in_flight += nbytes
        self.bucket.consume(nbytes)
        if limited and not echo and self._app_limited_until == 0 and (
                self.pacing_gain < 1 or self._probe_until is not None):
            # Held back on purpose: until this frame is acknowledged, every sample's interval
            # holds some of the slow sending (BBR's app-limited bubble), not only this frame's.
            # Else the first frame sent after a long drain measured the drain, not the link.
            self._app_limited_until = self.acked_bytes + self.bytes_in_flight
        if echo:
            self._echo_in_flight += 1
            return
        self._end_held()
        self._last_sent = (now, nbytes)
        self.frame_bytes += (nbytes - self.frame_bytes) / 8
        if started is not None:
            self._lead += (min(max(0.0, now - started), MAX_LEAD) - self._lead) / 4

    def on_ack(self, seq: int) -> int:
        """Cumulative ack of every frame up to ``seq``; returns how many frames it freed.

        Old or duplicate acks free nothing; an ack beyond the last sent frame raises
        :class:`FlowError` (the peer is broken or lying).
        """
        if self._last_seq is None or seq > self._last_seq:
            raise FlowError(f"acknowledgement for frame {seq}, which was never sent")
        freed = 0
        now = self._clock()
        newest: _Sent | None = None
        while self._in_flight:
            first = next(iter(self._in_flight))
            if first > seq:
                break
            sent = self._in_flight.popitem(last=False)[1]
            freed += 1
            self.acked_bytes += sent.nbytes
            self.bytes_in_flight -= sent.nbytes
            self._echo_in_flight -= int(sent.echo)
            if first == seq:
                newest = sent
        if newest is not None:
            self._delivered_at = now
            self._first_sent_at = newest.sent_at
            self._sample(now, newest)
        return freed

    # --- the model ------------------------------------------------------------------------------
    def _sample(self, now: float, p: _Sent) -> None:
        rtt = now - p.sent_at
        self._sample_rtt(rtt)
        if self._app_limited_until and self.acked_bytes > self._app_limited_until:
            self._app_limited_until = 0
        interval = max(p.sent_at - p.first_sent_at, now - p.delivered_at)
        delivered = self.acked_bytes - p.delivered
        # A queue that stands far over its bound while the sender drains (paces under the
        # estimate) says the line is slower than that pacing: the sender is not the limit,
        # the bottleneck never idled, and the samples measure the line; the window is then
        # the shortest (ten round trips of our own queue are no measure of the path). Else,
        # after the line slowed (16 -> 4 Mbit/s), every sample was one of the drain, none
        # could lower the old rate, the round trips of the growing queue stretched the
        # window to 15 s, the drain paced over the new line and estimate and queue locked
        # high (in the model: the estimate 4x the line, 1.7 s queued).
        failing = self._drain_fails()
        limited = p.app_limited and not failing
        window = BW_WINDOW if failing else max(BW_WINDOW, 10 * (self.srtt or 0.0))
        # A frame sent from idle measures the screen, not the link: its interval is its own
        # round trip, so its sample is its size over that, however fast the link. That is
        # still a true lower bound (its bytes did cross within it), so it may raise an
        # estimate, never lower it nor make the first: else a screen whose frames all leave
        # from idle (a fast link) never corrects an estimate made too low at rest.
        if interval > 0 and delivered > 0:
            rate = delivered / interval
            bw = self.delivery_rate
            if p.from_idle:
                if bw is not None and rate > bw:
                    self._bw.add(now, rate, window)
            elif not limited or bw is None or rate >= bw:
                self._bw.add(now, rate, window)
        # A limited sample while draining does not age the estimate as fast: a long drain
        # would otherwise let the measured maximum expire and leave the estimate at whatever
        # the slow sending measured last (issue 16, dsl19: the rate locked at half the line,
        # the min RTT taken apart with it far under the true one).
        slow = p.app_limited and self._draining
        self._bw.expire(now, window * (LIMITED_AGING if slow else 1))
        # The round trip without the frame's own transmission time (its size over the rate).
        # Kept raw and taken apart with the newest rate: samples from before the rate was
        # known would otherwise hold a min RTT far too short for the whole window.
        bw = self.delivery_rate
        waited = self._waited(rtt, p.nbytes, bw)
        rtts = self._rtts
        if rtts and now - rtts[-1][0] < RTT_SLOT:  # one sample per slot: the shortest wait
            if waited < self._waited(rtts[-1][1], rtts[-1][2], bw):
                rtts[-1] = (rtts[-1][0], rtt, p.nbytes)
        else:
            rtts.append((now, rtt, p.nbytes))
        expired = False
        while rtts[0][0] < now - MIN_RTT_WINDOW:
            expired = rtts.popleft()[0] == self._min_from or expired
        if expired or bw != self._min_bw or self._min_rtt is None:  # all again (cheap enough)
            best = min(rtts, key=lambda s: self._waited(s[1], s[2], bw))
            self._min_rtt, self._min_from = self._waited(best[1], best[2], bw), best[0]
            self._min_bw = bw
        elif waited <= self._min_rtt:
            self._min_rtt, self._min_from = waited, rtts[-1][0]
        # A frame that left with nothing in flight queued behind none of our bytes: whatever
        # its round trip says (a frame far bigger than the bandwidth-delay product meets the
        # floor of _waited), it saw no queue of ours. Else big frames on a slow line drained
        # for good, the frames grew while they waited, and the scroll slowed to a crawl.
        self._sample_queue(now, self._min_rtt if p.from_idle else waited)
        if self.adaptive:
            self._probe_rtt(now, waited)
            self._steer(now)

    def _drain_fails(self) -> bool:
        """True while a drain runs and the queue stands over :data:`DRAIN_FAILS` x its bound
        (a console's jitter, 20-50 ms in the model, moves the standing queue by less)."""
        return self._draining and self.queue_delay > DRAIN_FAILS * self.queue_limit()

    @staticmethod
    def _waited(rtt: float, nbytes: int, bw: float | None) -> float:
        return max(MIN_RTT_FLOOR, rtt * BASE_SHARE, rtt - nbytes / bw if bw else rtt)

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

    def _sample_queue(self, now: float, waited: float) -> None:
        """``waited``: the round trip without the frame's own transmission time.

        The queue is the *standing* wait over the last round trip (its minimum, as Copa takes
        it) less the min RTT: a queue in front of the bottleneck delays every frame of a round
        trip, while the console's own jitter (a slow decode or paint, a busy machine) delays
        only some. Taken from each wait alone, that jitter read as a queue: the sender drained
        without end, the estimate decayed and the line was half used (issue 16, dsl19)."""
        floor = self.min_rtt
        assert floor is not None  # set just before
        recent = self._recent
        recent.append((now, waited))
        span = self.srtt or 0.0
        while len(recent) > 1 and recent[0][0] < now - span:
            recent.popleft()
        standing = min(w for _t, w in recent)
        self.queue_delay = 0.75 * self.queue_delay + 0.25 * max(0.0, standing - floor)

    def _probe_rtt(self, now: float, waited: float) -> None:
        """ProbeRTT (see the module docstring): start it when no round trip came near the min
        RTT for :data:`PROBE_RTT_INTERVAL` while the link was full, end it after
        :data:`PROBE_RTT_TIME` and the round trip of a frame sent with nothing in flight."""
        floor = self._min_rtt
        assert floor is not None  # set just before
        if waited <= PROBE_RTT_NEAR * floor + MIN_QUEUE_LIMIT:
            self._near_min_at = now
        if self._probe_until is not None:
            if now >= self._probe_until and self._probe_sent and not self._in_flight:
                self._probe_until, self._probe_sent = None, False
                self._near_min_at = now
            return
        if self.filled_pipe and now - self._near_min_at >= PROBE_RTT_INTERVAL:
            self._probe_until, self._probe_sent = now + max(PROBE_RTT_TIME, floor), False
            self.probes += 1

    def _steer(self, now: float) -> None:
        """Startup until a queue builds, then the gain cycle; drain a grown queue.

        Startup does not end when the rate stops growing (as in BBR): a screen changing at
        60 Hz stops it growing long before the link is full, and would leave the credit sized
        for the screen's rate, not the link's. A queue is the one sign the link is full."""
        if self.filled_pipe and now - self._cycle_at >= (self.min_rtt or 0.0):
            self._cycle_index = (self._cycle_index + 1) % len(GAIN_CYCLE)
            self._cycle_at = now
        limit = self.queue_limit()
        if self.queue_delay > limit:
            self._draining = True
            if not self.filled_pipe:  # a queue builds: the rate is found (startup ends)
                self.filled_pipe = True
                self._cycle_index, self._cycle_at = 1, now
        elif self.queue_delay < limit / 2:
            self._draining = False

    def reset(self) -> None:
        """Forget frames in flight (e.g. after a reconnect or full refresh); the link estimate
        stays until newer samples replace it."""
        self._in_flight.clear()
        self.bytes_in_flight = 0
        self._echo_in_flight = 0
        self._last_sent = None
        self._recent.clear()
        self._probe_until, self._probe_sent = None, False


#: Seconds of the link one frame may take before the JPEG quality steps down: a 60 Hz scroll
#: should reach the console at >= 25 frames a second (issue 16: >= 8x VNC on a 4 Mbit/s line).
#: 1/15 s let a 4 Mbit/s line carry 22 kB updates at full quality and 21 fps; the photographs a
#: scroll exposes are refined to exact pixels once it rests, and text stays exact meanwhile
#: (``RectEncoder.encode_parts``), so only moving photographs pay for the speed.
FRAME_BUDGET = 1 / 25


class QualityGovernor:
    """JPEG quality that follows the link (pure): lower while the link is full and the frames
    are big, back up towards the technician's choice (never over it) when there is room.

    ``update(chosen, frame_bytes, rate, queued, now)`` after each sent frame: ``rate`` is the
    link's bytes per second (None: unknown, keep the choice), ``queued`` whether the sender has
    built a queue. A frame that needs more than :attr:`frame_budget` seconds of the link, or a
    queue, steps down by :attr:`step`; frames under a third of it step up; at most one step per
    :attr:`spacing` seconds, never under :attr:`floor`.
    """

    def __init__(self, *, floor: int = 30, step: int = 10, frame_budget: float = FRAME_BUDGET,
                 spacing: float = 0.25) -> None:
        self.floor, self.step, self.frame_budget, self.spacing = floor, step, frame_budget, spacing
        self.quality: int | None = None
        self._changed_at = -float("inf")

    def update(self, chosen: int | None, frame_bytes: int, rate: float | None,
               queued: bool, now: float) -> int | None:
        """The quality to use from now on (``None`` when the technician chose lossless)."""
        if chosen is None or rate is None or rate <= 0:
            self.quality = chosen
            return chosen
        current = chosen if self.quality is None else min(self.quality, chosen)
        if now - self._changed_at >= self.spacing:
            seconds = frame_bytes / rate
            wanted = current
            if queued or seconds > self.frame_budget:
                wanted = max(min(self.floor, chosen), current - self.step)
            elif seconds < self.frame_budget / 3:
                wanted = min(chosen, current + self.step)
            if wanted != current:
                self._changed_at = now
            current = wanted
        self.quality = current
        return current
