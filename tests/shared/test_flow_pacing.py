"""Pacing on a fast link (issue 16, lane fps): a too low rate estimate must not hold frames back.

What went wrong on loopback: small frames at rest (a colour change, a click) measured the
console's per-frame time, not the link, and left a delivery rate of ~100-400 kB/s. A scroll's
frames were then paced at that rate (a 20 kB frame waited ~200 ms), so each left with nothing
in flight, and such samples were never taken: the estimate stayed low for good and the
technician saw 5 frames/s instead of 58 (``python -m bench.frame_path --warm``).
Pure controller, injected clock.
"""

from __future__ import annotations

from shared.flow import FlowControl


class Clock:
    def __init__(self) -> None:
        self.t = 10.0

    def __call__(self) -> float:
        return self.t


def low_estimate(clock: Clock) -> FlowControl:
    """A controller whose estimate came from two small frames the console took 20 ms for."""
    fc = FlowControl(window=None, clock=clock)
    fc.on_sent(1, 1_000)
    fc.on_sent(2, 1_000)
    clock.t += 0.01
    fc.on_ack(1)
    clock.t += 0.01
    fc.on_ack(2)
    rate = fc.delivery_rate
    assert rate is not None and rate < 150_000
    return fc


def test_a_frame_with_nothing_in_flight_is_not_paced() -> None:
    """Every byte sent was acknowledged: the link holds none, a new frame queues behind nothing."""
    clock = Clock()
    fc = low_estimate(clock)
    fc.on_sent(3, 50_000)
    assert (fc.send_delay() or 0.0) > 0.1  # in flight: paced at the (low) rate
    clock.t += 0.005
    fc.on_ack(3)
    assert fc.send_delay() == 0.0


def test_frames_from_idle_raise_a_too_low_estimate_and_never_lower_it() -> None:
    clock = Clock()
    fc = low_estimate(clock)
    fc.on_sent(3, 50_000)
    clock.t += 0.005
    fc.on_ack(3)  # 50 kB crossed within 5 ms: the link carries at least 10 MB/s
    rate = fc.delivery_rate
    assert rate is not None and rate >= 9_000_000
    fc.on_sent(4, 500)
    clock.t += 0.05
    fc.on_ack(4)  # a small frame the console was slow with: says nothing about the link
    assert fc.delivery_rate == rate


def test_a_60_hz_scroll_on_a_fast_link_keeps_its_rate_after_a_low_estimate() -> None:
    """Frames of 20 kB at 60 Hz, each acknowledged 6 ms after it left: all are sent on time."""
    clock = Clock()
    fc = low_estimate(clock)
    seq, sent, ack_at = 2, 0, None
    start = clock.t
    next_frame = clock.t
    while clock.t < start + 2.0:
        if ack_at is not None and clock.t >= ack_at:
            fc.on_ack(seq)
            ack_at = None
        if clock.t >= next_frame and fc.send_delay() == 0.0:
            seq += 1
            fc.on_sent(seq, 20_000, clock.t)
            sent += 1
            ack_at = clock.t + 0.006
            next_frame += 1 / 60
        clock.t += 0.0005
    assert sent >= 115  # 120 offered


def test_held_spans_are_the_waits_the_control_imposed() -> None:
    """What tests/e2e/test_link_rate.py takes as the control's part of an idle line: from a
    send_delay() that said wait (pacing or no credit) to the next that did not or the next
    frame; an open one ends now. A sender that comes by itself, never told to wait, is never
    held, however slowly it comes."""
    now = [0.0]
    fc = FlowControl(window=1, clock=lambda: now[0])
    assert fc.send_delay() == 0.0
    fc.on_sent(1, 1_000)
    now[0] = 1.0
    assert fc.send_delay() is None  # no credit: held from here
    now[0] = 1.5
    assert fc.send_delay() is None  # still the same span
    now[0] = 2.0
    fc.on_ack(1)
    assert fc.send_delay() == 0.0
    assert fc.held_spans() == [(1.0, 2.0)]
    now[0] = 5.0  # three seconds later the sender comes again: not held meanwhile
    fc.on_sent(2, 1_000)
    now[0] = 5.5
    assert fc.send_delay() is None
    now[0] = 6.0
    assert fc.held_spans() == [(1.0, 2.0), (5.5, 6.0)]  # open: ends now
    fc.on_ack(2)
    now[0] = 6.5
    fc.on_sent(3, 1_000)  # sent without asking again: the frame ends the span
    assert fc.held_spans() == [(1.0, 2.0), (5.5, 6.5)]
