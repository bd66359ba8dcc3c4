"""The measured rate controller (issue 16) against a pure model of a bottleneck link.

The model is a test double on purpose: a modem's FIFO at a fixed rate, a one-way delay each way,
a console that acknowledges a few ms after a frame arrived, and a sender that grabs at most at the
screen's 60 Hz and needs a few ms to encode. Only the pure controller runs here (injected clock);
the real link through the bench's shaping proxy is tests/e2e/test_link_rate.py.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.flow import (
    MAX_FRAMES_IN_FLIGHT,
    MIN_SLICE_BYTES,
    MIN_WINDOW,
    SLICE_TIME,
    FlowControl,
    QualityGovernor,
)


@dataclass
class Result:
    utilisation: float  # share of the link's rate carried after the first 2 s
    queue_p95: float  # seconds a frame waited in the modem's queue (95th percentile)
    latency_p95: float  # grab -> shown at the console
    fps: float
    fc: FlowControl
    lowest_rate: float = 0.0  # the lowest delivery-rate estimate after ``low_after`` seconds


def run_link(rate: float, rtt: float, frame: int | list[int] | Callable[[random.Random], int],
             *, seconds: float = 6.0, encode: float = 0.008, decode: float = 0.004,
             source_hz: float = 60.0, window: int | None = None, dt: float = 0.0005,
             jitter: float = 0.0, seed: int = 0, low_after: float = 3.0,
             slower: tuple[float, float] | None = None, steady_from: float = 2.0) -> Result:
    """Drive a FlowControl through the model; ``frame`` is one size, sizes in turn or drawn.

    ``jitter``: the console takes up to that much longer per frame (uniform, in order: a slow
    paint delays the acks behind it), as a loaded machine's decode and paint do.
    ``slower``: (time, rate) the line changes to then (another user's upload, a resync);
    the figures count from ``steady_from`` seconds, at the rate of the line then."""
    rnd = random.Random(seed)
    lowest = float("inf")
    now = [0.0]
    fc = FlowControl(window=window, clock=lambda: now[0])
    sizes = frame if isinstance(frame, list) else [0] if callable(frame) else [frame]
    depart = 0.0  # when the modem's queue is empty again
    acks: list[tuple[float, int]] = []
    job: tuple[float, float] | None = None  # (encoded at, grabbed at)
    last_grab = -1.0
    seq = carried = 0
    waits: list[float] = []
    latencies: list[float] = []
    t = 0.0
    while t < seconds:
        now[0] = t
        if slower is not None and t >= slower[0]:
            rate = slower[1]
        while acks and acks[0][0] <= t:
            fc.on_ack(acks.pop(0)[1])
        if job is not None and t >= job[0]:
            if fc.send_delay() is not None:
                grabbed, job = job[1], None
                size = frame(rnd) if callable(frame) else sizes[seq % len(sizes)]
                seq += 1
                fc.on_sent(seq, size, grabbed)
                start = max(t, depart)
                depart = start + size / rate
                arrive = depart + rtt / 2 + decode + jitter * rnd.random()
                if acks:
                    arrive = max(arrive, acks[-1][0] - rtt / 2)
                acks.append((arrive + rtt / 2, seq))
                if t > steady_from:
                    carried += size
                    waits.append(start - t)
                    latencies.append(arrive - grabbed)
        elif job is None and fc.send_delay() == 0.0:
            if t - last_grab >= 1 / source_hz:
                last_grab, job = t, (t + encode, t)
            else:
                fc.note_app_limited()  # waiting for the screen, not for the link
        if t > low_after and fc.delivery_rate is not None:
            lowest = min(lowest, fc.delivery_rate)
        t += dt
    waits.sort()
    latencies.sort()
    return Result(carried / (rate * (seconds - steady_from)), waits[int(len(waits) * 0.95)],
                  latencies[int(len(latencies) * 0.95)], seq / seconds, fc, lowest)


# 4 Mbit/s up, 40 ms round trip (the DSL line); 16 Mbit/s, 20 ms
DSL4 = (500_000.0, 0.040)
DSL16 = (2_000_000.0, 0.020)


@pytest.mark.parametrize(("link", "frame"), [
    (DSL4, 10_000), (DSL4, 14_000), (DSL4, 23_000), (DSL4, [5_000, 30_000]),
    (DSL16, 40_000), (DSL16, [40_000, 90_000, 50_000]),
])
def test_a_full_link_is_used_without_a_standing_queue(link: tuple[float, float],
                                                      frame: int | list[int]) -> None:
    """The screen offers more than the line carries: >= 85 % used, the modem's queue short.

    In this model the window before issue 16 (2-4 frames, whatever their size) carries 55 % of
    the 4 Mbit/s line with 10 kB frames (the issue's figure), 70 % with 14 kB, 63 % with mixed
    frames and 76 % of the 16 Mbit/s line with 40 kB frames."""
    rate, rtt = link
    r = run_link(rate, rtt, frame)
    assert r.utilisation >= 0.85, r
    biggest = max(frame) if isinstance(frame, list) else frame
    # about the min RTT plus the frame ahead, never the modem's whole 150 ms
    assert r.queue_p95 <= 1.5 * rtt + biggest / rate, r
    fc = r.fc
    assert fc.delivery_rate == pytest.approx(rate, rel=0.15)
    assert fc.min_rtt is not None and fc.min_rtt == pytest.approx(rtt + 0.004, abs=0.015)
    assert fc.filled_pipe and fc.pacing_rate is not None and fc.cwnd is not None


@pytest.mark.parametrize(("jitter", "worst", "median", "low"), [
    (0.02, 0.85, 0.87, 0.9), (0.03, 0.8, 0.85, 0.7), (0.05, 0.77, 0.8, 0.4),
])
def test_a_jittery_console_does_not_lock_the_estimate_low(jitter: float, worst: float,
                                                          median: float, low: float) -> None:
    """dsl4, frames of 8-45 kB (text with photographs), a console whose paint takes up to
    20-50 ms longer now and then (a loaded machine). Each slow paint delays the acks behind it;
    read as a queue, that drained the sender without end, the delivery-rate maximum expired
    meanwhile, the first sample after the drain measured the drain, and the estimate locked low
    with a min RTT taken apart with it far under the true one (on the emulated line: 230-320
    kB/s, min RTT 17-28 ms). Before the fix, in this model (6 runs each): 0.79-0.86 of the line
    and estimates down to 219 kB/s at 20 ms, 0.67-0.75 and 141 kB/s at 30 ms, 0.64-0.75 and a
    min RTT of 26 ms at 50 ms; now 0.88-0.90, 0.83-0.91 and 0.79-0.88, min RTT >= 38 ms."""
    rate, rtt = DSL4
    runs = [run_link(rate, rtt, lambda r: r.randint(8_000, 45_000), seconds=14.0,
                     jitter=jitter, seed=seed) for seed in range(6)]
    used = sorted(r.utilisation for r in runs)
    assert used[0] >= worst and statistics.median(used) >= median, used
    assert min(r.lowest_rate for r in runs) >= low * rate, [r.lowest_rate for r in runs]
    for r in runs:
        assert r.fc.min_rtt is not None and r.fc.min_rtt >= 0.8 * rtt, r.fc.min_rtt


@pytest.mark.parametrize("seed", range(4))
def test_the_estimate_follows_the_line_down_mid_session(seed: int) -> None:
    """The line drops from 16 to 4 Mbit/s mid-scroll (the roadmap's "rate locks high"): the
    queue grows, the sender drains, and every sample of the drain was a limited one that could
    only raise the estimate, so it stayed at 2 MB/s, the drain paced at 1.4 MB/s over a
    0.5 MB/s line and the modem's queue grew without end (in this model before the fix:
    1.7 s queued, the estimate 2.0 MB/s at the end). A queue that stands far over its bound
    while the sender drains measures the line: the estimate follows
    within ~1 s, the queue built meanwhile (this model's modem has no bound) drains within
    ~4 s more, and from then on the line is used without a standing queue."""
    rate, rtt = DSL4
    r = run_link(DSL16[0], rtt, lambda rnd: rnd.randint(8_000, 45_000), seconds=14.0,
                 seed=seed, slower=(4.0, rate), steady_from=8.5)
    assert r.fc.delivery_rate == pytest.approx(rate, rel=0.15), r.fc.delivery_rate
    assert r.queue_p95 <= 0.1, r
    assert r.utilisation >= 0.8, r


def test_scroll_latency_on_the_dsl_line_stays_low() -> None:
    """The issue's scroll on 4 Mbit/s / 40 ms: grab -> shown within 150 ms (95 %)."""
    r = run_link(*DSL4, 23_000)
    assert r.latency_p95 <= 0.150, r
    assert r.fps >= 17


@pytest.mark.parametrize("frame", [5_000, 23_000])
def test_a_screen_slower_than_the_link_goes_at_its_own_rate(frame: int) -> None:
    """60 Hz on a line that carries more: every frame goes, none is held back (the window
    before issue 16 managed 45 fps of 23 kB frames: 2-4 frames per round trip)."""
    r = run_link(*DSL16, frame)
    assert r.fps >= 57
    assert r.queue_p95 == 0.0
    assert not r.fc.filled_pipe  # no queue ever built: still probing freely


def test_loopback_keeps_the_screen_rate() -> None:
    r = run_link(50e6, 0.001, 80_000)
    assert r.fps >= 58 and r.latency_p95 < 0.02


@settings(max_examples=15, deadline=None)
@given(st.floats(200_000, 5_000_000), st.floats(0.005, 0.1), st.integers(3_000, 120_000))
def test_queue_stays_bounded_on_any_link(rate: float, rtt: float, frame: int) -> None:
    """Whatever the line and frame size, the queue the sender builds stays near the round
    trip plus a couple of frames, never the modem's whole buffer."""
    r = run_link(rate, rtt, frame, seconds=4.0, dt=0.001)
    assert r.queue_p95 <= 2 * rtt + 2 * frame / rate + 0.05, r
    assert r.fc.in_flight <= MAX_FRAMES_IN_FLIGHT


class Clock:
    def __init__(self) -> None:
        self.t = 10.0

    def __call__(self) -> float:
        return self.t


def test_estimates_start_unknown_and_fixed_windows_never_pace() -> None:
    fc = FlowControl(window=None, clock=Clock())
    assert fc.delivery_rate is None and fc.min_rtt is None
    assert fc.pacing_rate is None and fc.cwnd is None and fc.queue_delay == 0.0
    assert fc.target_rate() is None
    fixed = FlowControl(window=3, clock=Clock())
    for seq in range(1, 4):
        fixed.on_sent(seq, 10_000)
    fixed.on_ack(3)
    assert fixed.pacing_rate is None and fixed.cwnd is None


def test_a_lone_frame_measures_the_screen_not_the_link() -> None:
    """A frame sent with nothing in flight: its interval is its own round trip, so its rate
    sample says nothing about the link and is not taken."""
    clock = Clock()
    fc = FlowControl(window=None, clock=clock)
    fc.on_sent(1, 50_000)
    clock.t += 0.1
    fc.on_ack(1)
    assert fc.delivery_rate is None and fc.min_rtt == pytest.approx(0.1)


def test_app_limited_samples_only_raise_the_estimate() -> None:
    clock = Clock()
    fc = FlowControl(window=None, clock=clock)
    # two frames back to back: a real sample of 1 MB/s
    fc.on_sent(1, 10_000)
    fc.on_sent(2, 10_000)
    clock.t += 0.01
    fc.on_ack(1)
    clock.t += 0.01
    fc.on_ack(2)
    assert fc.delivery_rate == pytest.approx(1_000_000)
    fc.note_app_limited()
    fc.on_sent(3, 1_000)
    fc.on_sent(4, 1_000)
    clock.t += 0.02
    fc.on_ack(4)  # 2 kB in 20 ms: the screen rested, not the link slowing
    assert fc.delivery_rate == pytest.approx(1_000_000)


def test_the_estimate_expires_and_follows_a_slower_link() -> None:
    clock = Clock()
    fc = FlowControl(window=None, clock=clock)
    seq = 0
    for per_frame in [0.01] * 10 + [0.1] * 30:  # 1 MB/s, then 100 kB/s
        seq += 1
        fc.on_sent(seq, 5_000)
        if fc.send_delay() is not None:  # not while a ProbeRTT drains (one frame in flight)
            seq += 1
            fc.on_sent(seq, 5_000)
        clock.t += per_frame
        fc.on_ack(seq - (fc.in_flight > 1))
        clock.t += per_frame
        fc.on_ack(seq)
    assert fc.delivery_rate == pytest.approx(50_000, rel=0.1)


def test_credit_is_bytes_beyond_the_frame_floor() -> None:
    clock = Clock()
    fc = FlowControl(window=None, clock=clock)
    assert fc.window == MIN_WINDOW
    fc.on_sent(1, 100)
    fc.on_sent(2, 100)
    assert fc.send_delay() is None  # no rate known: only the floor of frames
    with pytest.raises(RuntimeError):
        fc.on_sent(3, 100)
    clock.t += 0.05
    fc.on_ack(2)
    assert fc.bytes_in_flight == 0 and fc.in_flight == 0
    fc.reset()
    assert fc.send_delay() == 0.0


def test_target_rate_follows_the_link_and_the_cap() -> None:
    clock = Clock()
    fc = FlowControl(window=None, rate=None, clock=clock)
    fc.on_sent(1, 10_000)
    fc.on_sent(2, 10_000)
    clock.t += 0.02
    fc.on_ack(2)
    bw = fc.delivery_rate
    assert bw is not None
    target = fc.target_rate()
    assert target is not None and target > bw  # no queue: a little room to grow
    fc.bucket.set_rate(1000.0)
    assert fc.target_rate() == 1000.0  # the technician's cap wins
    capped = FlowControl(window=None, rate=5000.0, clock=clock)
    assert capped.target_rate() == 5000.0


def test_a_grown_queue_drains() -> None:
    """Round trips growing well past the min RTT: the pacing drops under the rate."""
    clock = Clock()
    fc = FlowControl(window=None, clock=clock)
    seq = 0
    for extra in [0.0] * 10 + [0.2] * 10:
        seq += 2
        fc.on_sent(seq - 1, 1_000)
        fc.on_sent(seq, 1_000)
        clock.t += 0.02 + extra
        fc.on_ack(seq)
        clock.t += 0.001
    assert fc.queue_delay > fc.queue_limit()
    assert fc.filled_pipe and fc.pacing_gain < 1
    rate = fc.pacing_rate
    assert rate is not None and fc.delivery_rate is not None and rate < fc.delivery_rate


# ------------------------------------------------------------------ the quality governor


def test_quality_steps_down_on_a_full_link_and_back_up_to_the_choice() -> None:
    g = QualityGovernor(floor=30, step=10, frame_budget=0.1, spacing=0.25)
    t = 0.0
    assert g.update(80, 100_000, None, False, t) == 80  # link unknown: the choice
    q = 80
    for _ in range(10):  # 100 kB on 500 kB/s = 0.2 s each, over the 0.1 s budget
        t += 0.3
        q_new = g.update(80, 100_000, 500_000.0, False, t)
        assert q_new is not None and q_new <= q
        q = q_new
    assert q == 30
    assert g.update(80, 100_000, 500_000.0, False, t + 0.01) == 30  # the floor
    for _ in range(10):  # small frames: back up, never over the choice
        t += 0.3
        q = g.update(80, 1_000, 500_000.0, False, t) or 0
    assert q == 80
    assert g.update(60, 1_000, 500_000.0, False, t + 1) == 60  # the technician lowered it
    assert g.update(None, 1_000, 500_000.0, False, t + 2) is None  # lossless stays lossless


def test_quality_follows_a_queue_and_waits_between_steps() -> None:
    g = QualityGovernor(floor=30, step=10, frame_budget=0.1, spacing=0.25)
    assert g.update(75, 5_000, 1e6, True, 0.0) == 65  # a queue: down
    assert g.update(75, 5_000, 1e6, True, 0.1) == 65  # too soon for another step
    assert g.update(75, 5_000, 1e6, False, 0.4) == 75  # room: back up
    assert g.update(20, 5_000, 1e6, True, 1.0) == 20  # a choice under the floor is kept


def test_a_big_frame_sent_with_nothing_in_flight_saw_no_queue() -> None:
    """A frame far bigger than the line's bandwidth-delay product, sent alone: its round trip
    is mostly its own transmission, and _waited's floor (a quarter of the round trip) made it
    look queued. Before, such frames drained the line for good (and while it drained the
    screen piled up more to send: the model's scroll fell to 10 fps)."""
    clock = Clock()
    fc = FlowControl(window=None, clock=clock)
    seq = 0
    for _ in range(10):  # measure the line: two 10 kB frames 20 ms apart, 40 ms round trip
        seq += 2
        fc.on_sent(seq - 1, 10_000)
        fc.on_sent(seq, 10_000)
        clock.t += 0.02 + 0.04
        fc.on_ack(seq - 1)
        clock.t += 0.02
        fc.on_ack(seq)
        clock.t += 0.01
    bw = fc.delivery_rate
    assert bw is not None and fc.min_rtt is not None and fc.min_rtt < 0.08
    for _ in range(4):  # ~10 bandwidth-delay products alone: mostly its own transmission
        seq += 1
        size = int(bw * 0.5)  # 0.5 s on the line
        fc.on_sent(seq, size)
        clock.t += size / bw + 0.04
        fc.on_ack(seq)
        clock.t += 0.005
    assert fc.queue_delay < fc.queue_limit() / 2, fc.queue_delay
    assert fc.pacing_gain >= 1


def test_slices_follow_the_line_and_are_never_asked_for_on_a_fixed_window() -> None:
    """An update needing more than SLICE_TIME of the line is cut (issue 16: on the 4 Mbit/s
    line an echo queued behind 50-95 kB updates); never before the line is measured, never
    with a fixed window, and on loopback's rates never in practice."""
    assert FlowControl(window=None, clock=Clock()).slice_bytes() is None
    assert run_link(*DSL4, 14_000, window=3).fc.slice_bytes() is None
    fc = run_link(*DSL4, 14_000).fc
    assert fc.delivery_rate is not None
    assert fc.slice_bytes() == max(MIN_SLICE_BYTES, int(fc.delivery_rate * SLICE_TIME))
    assert 15_000 <= (fc.slice_bytes() or 0) <= 25_000  # 40 ms of 4 Mbit/s
