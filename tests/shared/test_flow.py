"""Credit window, RTT estimate and token bucket with an injected clock."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.flow import FlowControl, FlowError, TokenBucket


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_window_limits_in_flight() -> None:
    fc = FlowControl(window=2, clock=Clock())
    fc.on_sent(1)
    assert fc.can_send()
    fc.on_sent(2)
    assert not fc.can_send() and fc.send_delay() is None
    with pytest.raises(RuntimeError):
        fc.on_sent(3)
    assert fc.on_ack(1) == 1 and fc.can_send()


def test_cumulative_old_and_bogus_acks() -> None:
    fc = FlowControl(window=3, clock=Clock())
    for s in (1, 2, 3):
        fc.on_sent(s)
    assert fc.on_ack(2) == 2 and fc.in_flight == 1
    assert fc.on_ack(1) == 0
    with pytest.raises(FlowError):
        fc.on_ack(9)
    with pytest.raises(ValueError):
        fc.on_sent(3)


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 5)), max_size=200), st.integers(1, 4))
def test_never_more_than_window_in_flight(ops: list[tuple[bool, int]], window: int) -> None:
    fc = FlowControl(window=window, clock=Clock())
    seq = 0
    for send, back in ops:
        if send and fc.can_send():
            seq += 1
            fc.on_sent(seq)
        elif seq:
            fc.on_ack(max(1, seq - back))
        assert fc.in_flight <= window


def test_rtt_estimate() -> None:
    clock = Clock()
    fc = FlowControl(window=4, clock=clock)
    fc.on_sent(1)
    clock.t += 0.1
    fc.on_ack(1)
    assert fc.srtt == pytest.approx(0.1)
    for seq in range(2, 30):
        fc.on_sent(seq)
        clock.t += 0.02
        fc.on_ack(seq)
    assert fc.srtt is not None and 0.02 <= fc.srtt < 0.03


def test_token_bucket_paces_and_adjusts() -> None:
    clock = Clock()
    tb = TokenBucket(1000.0, burst=0, clock=clock)
    assert tb.delay() == 0.0
    tb.consume(500)
    assert tb.delay() == pytest.approx(0.5)
    clock.t += 0.25
    assert tb.delay() == pytest.approx(0.25)
    tb.set_rate(250.0, burst=0)
    assert tb.delay() == pytest.approx(1.0)
    tb.set_rate(None)
    assert tb.delay() == 0.0


def test_flow_with_bandwidth_cap() -> None:
    clock = Clock()
    fc = FlowControl(window=8, rate=10_000, clock=clock)
    fc.on_sent(1, 10_000)
    assert not fc.can_send()
    assert fc.send_delay() == pytest.approx(1.0)
    clock.t += 1.0
    assert fc.can_send()


def test_adaptive_window_follows_round_trip_within_bounds() -> None:
    from shared.flow import LATENCY_BUDGET, MAX_WINDOW, MIN_WINDOW

    clock = Clock()
    fc = FlowControl(window=None, clock=clock)
    assert fc.adaptive and fc.window == MIN_WINDOW  # modest until a round trip is known
    seq = 0

    def round_trip(rtt: float) -> None:
        nonlocal seq
        seq += 1
        fc.on_sent(seq)
        clock.t += rtt
        fc.on_ack(seq)

    for _ in range(40):  # loopback / LAN: more frames in flight, but never past the bound
        round_trip(0.002)
    assert fc.window == MAX_WINDOW
    for _ in range(40):  # a slow link: back to the minimum
        round_trip(0.2)
    assert fc.window == MIN_WINDOW
    for _ in range(60):  # in between: what fits in the latency budget
        round_trip(LATENCY_BUDGET / 3.5)
    assert fc.window == 3


@given(st.lists(st.tuples(st.booleans(), st.floats(0.0, 0.5)), max_size=200))
def test_adaptive_window_never_exceeds_its_bound(ops: list[tuple[bool, float]]) -> None:
    from shared.flow import MAX_WINDOW, MIN_WINDOW

    clock = Clock()
    fc = FlowControl(window=None, clock=clock)
    sent = 0
    for send, dt in ops:
        clock.t += dt
        if send:
            if fc.can_send():
                sent += 1
                fc.on_sent(sent)
        elif sent:
            fc.on_ack(sent)
        assert MIN_WINDOW <= fc.window <= MAX_WINDOW
        assert fc.in_flight <= MAX_WINDOW


def test_fixed_window_does_not_adapt() -> None:
    clock = Clock()
    fc = FlowControl(window=2, clock=clock)
    for seq in range(1, 20):
        fc.on_sent(seq)
        clock.t += 0.001
        fc.on_ack(seq)
    assert not fc.adaptive and fc.window == 2
