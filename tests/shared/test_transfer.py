"""The pure transfer machines (issue 17): the receiver's order/size/hash checks, and the
sender's background window on a simulated link.

The link is simulated because its figures are the point: a bottleneck of ``rate`` bytes per
second with a FIFO queue in front and ``delay`` seconds each way, the acks coming back
unqueued. Real links are measured by bench/file_transfer.py (files lane).
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.errors import LocalProtocolError, ProtocolError
from shared.messages import MAX_FILE_CHUNK
from shared.transfer import (
    MAX_WINDOW,
    MIN_WINDOW,
    RTT_FILTER,
    START_WINDOW,
    TARGET_QUEUE,
    FileInfo,
    IncomingFile,
    OutgoingFile,
)

MiB = 1024 * 1024


def info(size: int, data: bytes = b"") -> FileInfo:
    return FileInfo(1, "a.bin", size, hashlib.sha256(data).hexdigest(), "to_customer")


# ------------------------------------------------------------------ receiver


def test_incoming_takes_bytes_in_order_and_checks_the_hash() -> None:
    data = bytes(range(256)) * 10
    inc = IncomingFile(info(len(data), data))
    inc.chunk(0, data[:1000])
    assert not inc.complete and not inc.verify()
    inc.chunk(1000, data[1000:])
    assert inc.complete and inc.verify() and inc.received == len(data)


@pytest.mark.parametrize(("offset", "size", "text"), [
    (5, 10, "byte 5; byte 0 was next"), (0, 101, "past the announced size")])
def test_incoming_refuses_out_of_order_and_past_the_size(offset: int, size: int,
                                                         text: str) -> None:
    inc = IncomingFile(info(100))
    with pytest.raises(ProtocolError, match=text):
        inc.chunk(offset, bytes(size))
    with pytest.raises(ProtocolError):
        inc.chunk(0, b"")
    assert inc.received == 0


def test_a_held_prefix_counts_for_the_hash_and_comes_first() -> None:
    data = b"0123456789"
    inc = IncomingFile(info(10, data))
    inc.absorb_prefix(data[:4])
    inc.chunk(4, data[4:])
    assert inc.verify()
    with pytest.raises(LocalProtocolError):
        inc.absorb_prefix(b"x")  # after a chunk
    with pytest.raises(LocalProtocolError):
        IncomingFile(info(3)).absorb_prefix(b"abcd")  # longer than the file
    with pytest.raises(ValueError):
        IncomingFile(info(3), offset=1)
    wrong = IncomingFile(info(10, data))
    wrong.absorb_prefix(b"XXXX")
    wrong.chunk(4, data[4:])
    assert wrong.complete and not wrong.verify()


def test_file_info_checks_itself() -> None:
    with pytest.raises(ValueError):
        FileInfo(1, "a", 1, "0" * 64, "sideways")
    with pytest.raises(ValueError):
        FileInfo(1, "a", -1, "0" * 64, "to_customer")


@settings(max_examples=200, derandomize=True)
@given(st.binary(max_size=3000), st.lists(st.integers(1, 700), max_size=20), st.data())
def test_any_split_verifies_and_any_wrong_offset_is_refused(
        data: bytes, cuts: list[int], draw: st.DataObject) -> None:
    inc = IncomingFile(info(len(data), data))
    pos = 0
    for cut in cuts:
        if pos >= len(data):
            break
        piece = data[pos:pos + cut]
        bad = draw.draw(st.integers(0, len(data) + 10))
        if bad != pos:
            with pytest.raises(ProtocolError):
                inc.chunk(bad, piece)
        inc.chunk(pos, piece)
        pos += len(piece)
    if pos < len(data):
        inc.chunk(pos, data[pos:])
    assert inc.verify() == (len(data) > 0 or inc.complete)


# ------------------------------------------------------------------ sender: the basics


def test_nothing_before_the_accept_and_nothing_past_the_window() -> None:
    out = OutgoingFile(info(10 * MiB))
    assert out.next_chunk(0.0) is None and not out.done
    out.accepted(0, 0.0)
    asks = []
    while (ask := out.next_chunk(0.0)) is not None:
        asks.append(ask)
    assert asks == [(i * MAX_FILE_CHUNK, MAX_FILE_CHUNK) for i in range(4)]
    assert out.in_flight == START_WINDOW
    out.held = True
    out.acked(MAX_FILE_CHUNK, 0.01)
    assert out.next_chunk(0.01) is None  # held: nothing, whatever the window says


def test_rewind_starts_again_where_the_receiver_stands() -> None:
    out = OutgoingFile(info(5 * MiB))
    out.accepted(0, 0.0)
    while out.next_chunk(0.0):
        pass
    out.acked(MAX_FILE_CHUNK, 0.005)
    out.rewind(3 * MAX_FILE_CHUNK)  # the receiver said it holds three chunks
    assert (out.sent, out.acked_bytes, out.in_flight) == (3 * MAX_FILE_CHUNK,) * 2 + (0,)
    assert out.window == START_WINDOW and out.min_rtt is None
    assert out.next_chunk(1.0) == (3 * MAX_FILE_CHUNK, MAX_FILE_CHUNK)
    with pytest.raises(LocalProtocolError):
        out.rewind(5 * MiB + 1)


def test_retreat_hands_out_again_what_was_not_sent() -> None:
    out = OutgoingFile(info(5 * MiB))
    out.accepted(0, 0.0)
    out.next_chunk(0.0)
    out.next_chunk(0.0)
    out.retreat(MAX_FILE_CHUNK)
    assert out.next_chunk(0.0) == (MAX_FILE_CHUNK, MAX_FILE_CHUNK)
    with pytest.raises(LocalProtocolError):
        out.retreat(3 * MAX_FILE_CHUNK)  # beyond what was handed out
    out.mark_sent(3 * MAX_FILE_CHUNK, 0.0)  # sealed anyway (a read from before a retreat)
    assert out.sent == 3 * MAX_FILE_CHUNK
    with pytest.raises(LocalProtocolError):
        out.acked(4 * MAX_FILE_CHUNK, 0.1)


def test_the_last_chunk_is_short_and_an_empty_file_is_done_at_once() -> None:
    out = OutgoingFile(info(MAX_FILE_CHUNK + 5))
    out.accepted(0, 0.0)
    assert [out.next_chunk(0.0), out.next_chunk(0.0), out.next_chunk(0.0)] == [
        (0, MAX_FILE_CHUNK), (MAX_FILE_CHUNK, 5), None]
    out.acked(MAX_FILE_CHUNK + 5, 0.01)
    assert out.done
    empty = OutgoingFile(info(0))
    empty.accepted(0, 0.0)
    assert empty.done and empty.next_chunk(0.0) is None


def test_a_clock_that_goes_back_measures_nothing() -> None:
    out = OutgoingFile(info(5 * MiB))
    out.accepted(0, 10.0)
    out.next_chunk(10.0)
    out.acked(MAX_FILE_CHUNK, 9.0)
    assert out.rtt is None and out.window == START_WINDOW


# ------------------------------------------------------------------ sender: a simulated link


@dataclass
class Link:
    """A bottleneck of ``rate`` bytes/s with a FIFO queue, ``delay`` s each way."""

    rate: float
    delay: float
    free_at: float = 0.0  # when the bottleneck has sent what is queued
    acks: list[tuple[float, int]] = field(default_factory=list)  # (time, offset) heap
    queue_delays: list[tuple[float, float]] = field(default_factory=list)  # (time, seconds)
    most_in_flight: int = 0

    def send(self, now: float, offset: int, length: int) -> None:
        start = max(now, self.free_at)
        self.queue_delays.append((now, start - now))
        self.free_at = start + length / self.rate
        heapq.heappush(self.acks, (self.free_at + 2 * self.delay, offset + length))


def run(out: OutgoingFile, link: Link, seconds: float) -> list[tuple[float, int]]:
    """Drive ``out`` over ``link`` for ``seconds``; (time, bytes acked) after every ack."""
    out.accepted(0, 0.0)
    return run_on(out, link, 0.0, seconds)


def run_on(out: OutgoingFile, link: Link, now: float, until: float,
           rate: float | None = None) -> list[tuple[float, int]]:
    """Go on from ``now`` to ``until`` (the line's rate changes to ``rate`` at ``now``)."""
    acked = []
    if rate is not None:
        link.rate = rate
    while now < until and not out.done:
        while (ask := out.next_chunk(now)) is not None:
            link.send(now, *ask)
            link.most_in_flight = max(link.most_in_flight, out.in_flight)
        if not link.acks:
            break
        now, offset = heapq.heappop(link.acks)
        out.acked(offset, now)
        acked.append((now, offset))
    return acked


def rate_between(acked: list[tuple[float, int]], start: float, end: float) -> float:
    inside = [(t, b) for t, b in acked if start <= t <= end]
    return (inside[-1][1] - inside[0][1]) / (inside[-1][0] - inside[0][0])


def test_it_fills_an_empty_link() -> None:
    """200 MB/s with a 40 ms round trip holds 8 MB: the window grows from 1 MiB to fill it."""
    link = Link(rate=200e6, delay=0.020)
    out = OutgoingFile(info(10**10))
    acked = run(out, link, 4.0)
    assert rate_between(acked, 2.0, 4.0) >= 0.9 * link.rate
    assert out.window > 8e6


@pytest.mark.parametrize(("rate", "delay"), [(5e6, 0.010), (12.5e6, 0.020), (50e6, 0.010),
                                           (100e6, 0.0005)])
def test_it_keeps_the_queue_near_the_target(rate: float, delay: float) -> None:
    """On a link it fills, the queue it builds stays near TARGET_QUEUE (what frames and input wait
    behind a file), plus at most what a chunk takes to cross the line (its round trip is
    measured with it); never the seconds a plain window of 16 MiB would make."""
    link = Link(rate=rate, delay=delay)  # 40 Mbit/s to 800 Mbit/s
    out = OutgoingFile(info(10**11))
    acked = run(out, link, 20.0)
    later = [q for t, q in link.queue_delays if t > 10.0]
    chunk_time = MAX_FILE_CHUNK / rate
    assert sum(later) / len(later) < TARGET_QUEUE + chunk_time / 2
    assert max(later) < TARGET_QUEUE + 2 * chunk_time
    assert rate_between(acked, 10.0, 20.0) >= 0.85 * link.rate  # and still fills it
    assert 16 * MiB / 5e6 > 3.0  # what a fixed 16 MiB window would queue on 40 Mbit/s


def test_it_backs_off_when_the_link_gets_slower() -> None:
    """The line drops from 40 to 8 Mbit/s (someone else took it): the queue grows, the
    window shrinks, and within a few seconds the queue is back near the target."""
    link = Link(rate=5e6, delay=0.010)
    out = OutgoingFile(info(10**10))
    run(out, link, 10.0)
    fast = out.window
    run_on(out, link, 10.0, 30.0, rate=1e6)
    assert out.window < fast / 2
    settled = [q for t, q in link.queue_delays if t > 20.0]
    assert max(settled) < TARGET_QUEUE + 2 * MAX_FILE_CHUNK / 1e6


def test_on_a_dsl_uplink_it_queues_little_in_front_of_the_screen() -> None:
    """files_out goes up the customer's uplink: at 4 Mbit/s with 40 ms round trip the file
    still uses most of the line, but what a frame waits behind it stays near 70 ms and below
    250 ms (a 256 KiB window floor alone would be half a second, the 1 MiB start window two
    seconds): a small window sends small chunks, and a queue cuts the window to what the line
    delivers in one step. Not 5 ms: one chunk alone takes 16-60 ms to cross this line."""
    link = Link(rate=0.5e6, delay=0.020)
    out = OutgoingFile(info(10**9))
    acked = run(out, link, 60.0)
    later = [q for t, q in link.queue_delays if t > 30.0]
    assert sum(later) / len(later) < 0.100
    assert max(later) < 0.250
    assert rate_between(acked, 30.0, 60.0) >= 0.8 * link.rate


def test_it_never_has_more_than_16_mib_in_flight() -> None:
    """1 GB/s with a 200 ms round trip would hold 200 MB: the window stops at 16 MiB."""
    link = Link(rate=1e9, delay=0.100)
    out = OutgoingFile(info(10**11))
    run(out, link, 5.0)
    assert out.window == MAX_WINDOW and link.most_in_flight <= MAX_WINDOW


@settings(max_examples=200, derandomize=True)
@given(st.lists(st.tuples(st.floats(0, 0.5), st.integers(0, 6)), max_size=60))
def test_the_window_stays_in_its_bounds_whatever_the_acks(
        steps: list[tuple[float, int]]) -> None:
    out = OutgoingFile(info(50 * MiB))
    now = 0.0
    out.accepted(0, now)
    for wait, chunks in steps:
        now += wait
        while out.next_chunk(now):
            pass
        out.acked(min(out.sent, out.acked_bytes + chunks * MAX_FILE_CHUNK), now)
        assert MIN_WINDOW <= out.window <= MAX_WINDOW
        assert 0 <= out.acked_bytes <= out.sent <= out.info.size
        assert out.in_flight <= MAX_WINDOW


def test_one_late_ack_is_no_queue() -> None:
    """A receiver busy for a moment (a scheduler hiccup) makes one round trip long: the window
    keeps its size; a queue that stays makes it shrink."""
    out = OutgoingFile(info(10**9))
    out.accepted(0, 0.0)
    now = 0.0
    for _ in range(20):  # a clean 1 ms link
        ask = out.next_chunk(now)
        assert ask is not None
        now += 0.001
        out.acked(ask[0] + ask[1], now)
    before = out.window
    ask = out.next_chunk(now)
    assert ask is not None
    now += 0.1  # one ack 100 ms late
    out.acked(ask[0] + ask[1], now)
    assert out.window >= before
    for _ in range(RTT_FILTER):  # late again and again: a queue
        ask = out.next_chunk(now)
        assert ask is not None
        now += 0.1
        out.acked(ask[0] + ask[1], now)
    assert out.window < before


def test_a_paced_file_stays_at_its_rate_on_a_faster_link() -> None:
    """The shells pace a file at MAX_RATE (100 MB/s): on a 1 GB/s link with room in the window
    it still sends no faster, and says how long until the next chunk may go."""
    from shared.transfer import MAX_RATE, PACING_BURST

    link = Link(rate=1e9, delay=0.0005)
    out = OutgoingFile(info(10**10))
    out.max_rate = MAX_RATE
    out.accepted(0, 0.0)
    now, sent = 0.0, 0
    while now < 2.0:
        while (ask := out.next_chunk(now)) is not None:
            link.send(now, *ask)
            sent += ask[1]
        assert out.paced_for(now) > 0 or out.in_flight + MAX_FILE_CHUNK > out.window
        while link.acks and link.acks[0][0] <= now:
            t, offset = heapq.heappop(link.acks)
            out.acked(offset, t)
        now += 0.001
    assert sent <= MAX_RATE * (2.0 + PACING_BURST) + MAX_FILE_CHUNK
    assert sent >= 0.9 * MAX_RATE * 2.0  # and it does keep its pace
    assert OutgoingFile(info(1)).max_rate is None  # unpaced unless a shell sets it
