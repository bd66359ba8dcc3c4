"""LinkEstimate (0x26, issue 16): the agent's measured link for the technician's status bar.

Its decoder takes untrusted bytes: fuzzed (hypothesis) with random and mutated bodies; only
ProtocolError ever comes out. In a session it goes agent -> console only and rides on ``view``.
"""

from __future__ import annotations

import contextlib
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared import messages as m
from shared.errors import ProtocolError
from shared.session import LinkEstimated, NotPermitted, SessionEnded
from tests.shared.test_session import active

u16 = st.integers(0, 0xFFFF)
estimate = st.builds(m.LinkEstimate, st.integers(0, 0xFFFFFFFF), u16, u16, u16)


def test_wire_layout() -> None:
    assert m.encode(m.LinkEstimate(500_000, 45, 40, 5)) == (
        b"\x26" + struct.pack(">IHHH", 500_000, 45, 40, 5))


@settings(max_examples=200, derandomize=True)
@given(estimate)
def test_round_trip(msg: m.LinkEstimate) -> None:
    data = m.encode(msg)
    assert m.decode(data) == msg and m.encode(m.decode(data)) == data


@settings(max_examples=300, derandomize=True)
@given(st.binary(max_size=40))
def test_random_bodies_raise_only_protocol_errors(body: bytes) -> None:
    with contextlib.suppress(ProtocolError):
        assert type(m.decode(b"\x26" + body)) is m.LinkEstimate
    if len(body) != 10:
        with pytest.raises(ProtocolError, match="LinkEstimate must be 10 bytes"):
            m.decode(b"\x26" + body)


@settings(max_examples=300, derandomize=True)
@given(estimate, st.data())
def test_mutated_bodies_raise_only_protocol_errors(msg: m.LinkEstimate,
                                                   data: st.DataObject) -> None:
    raw = bytearray(m.encode(msg))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(1, len(raw)))
        if data.draw(st.booleans()) and len(raw) > 1:
            del raw[min(pos, len(raw) - 1)]
        else:
            raw.insert(pos, data.draw(st.integers(0, 255)))
    with contextlib.suppress(ProtocolError):
        m.decode(bytes(raw))


@pytest.mark.parametrize("fields", [(-1, 0, 0, 0), (2**32, 0, 0, 0), (0, 0x10000, 0, 0),
                                    (0, 0, -1, 0), (0, 0, 0, 1.5), (True, 0, 0, 0)])
def test_out_of_range_cannot_be_built(fields: tuple[int, int, int, int]) -> None:
    with pytest.raises(ProtocolError):
        m.LinkEstimate(*fields)


def test_the_console_hears_the_agents_estimate() -> None:
    a, c, _ = active()
    data = a.link_estimate(487_500.4, 0.0456, 0.0404, 0.0052)
    step = c.receive(data)
    assert step.events == [LinkEstimated(487_500, 46, 40, 5)]
    # out-of-range figures are clamped into the wire's range, never refused
    step = c.receive(a.link_estimate(1e12, 100.0, -1.0, 0.0))
    assert step.events == [LinkEstimated(0xFFFFFFFF, 0xFFFF, 0, 0)]


def test_it_rides_on_view_and_stops_while_paused() -> None:
    a, _, _ = active()
    a.set_paused(True, "customer")
    with pytest.raises(NotPermitted):
        a.link_estimate(1000, 0.01, 0.01, 0)
    a.set_paused(False, "customer")
    assert a.link_estimate(1000, 0.01, 0.01, 0)
    a.end("customer_ended")
    with pytest.raises(NotPermitted):
        a.link_estimate(1000, 0.01, 0.01, 0)


def test_the_agent_never_takes_one() -> None:
    """Wrong direction: a console that sends a LinkEstimate is broken or hostile."""
    a, c, _ = active()
    forged = c._channel.seal(m.encode(m.LinkEstimate(1, 1, 1, 1)))  # type: ignore[union-attr]
    step = a.receive(forged)
    end = step.events[-1]
    assert isinstance(end, SessionEnded) and end.reason == "protocol_error"
