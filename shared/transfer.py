"""The pure state of one file transfer (issue 17): the receiver's order/size/hash checks and the
sender's background window. No files, no threads, no clock of its own (``now`` is passed in).

:class:`IncomingFile` takes the peer's chunks only in order and never past the announced size,
hashing as they pass (the session hands each chunk on at once: it never holds file data).

:class:`OutgoingFile` decides how much may be unacknowledged, LEDBAT-like (RFC 6817): a file is
a *background* flow, it must never build a queue in front of the screen and the input that share
its link. It keeps the lowest acknowledgement round trip it has seen (``min_rtt``, the link
without a queue); while the round trip (the lowest of the last :data:`RTT_FILTER`) stays within
``min_rtt + TARGET_QUEUE`` the window grows in proportion to how far below the target the queue
is: up to doubling per round trip until a queue was first seen (slow start: an empty link is
filled in a few round trips), then at most a chunk per round trip. Once beyond, the window
shrinks by :data:`DECREASE` (at most once per round trip). Bounds: :data:`MIN_WINDOW` ..
:data:`MAX_WINDOW` (16 MiB in flight, whatever happens).
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass

from shared.errors import LocalProtocolError, ProtocolError
from shared.messages.limits import FILE_DIRECTIONS, MAX_FILE_CHUNK

#: The queue a file may add in front of frames and input, in seconds (LEDBAT's target). 25 ms
#: (measured, bench.file_transfer) let the screen's latency triple during a transfer on
#: loopback, because the frame acks wait behind the chunks; 5 ms keeps it near 2x at ~145 MB/s.
TARGET_QUEUE = 0.005
#: The window a transfer starts with, and its bounds, in bytes.
START_WINDOW = 1024 * 1024
#: The floor is small for slow uplinks: 256 KiB in flight would be half a second of queue in
#: front of the screen on a 4 Mbit/s DSL line (files_out goes up the customer's uplink).
MIN_WINDOW = 32 * 1024
MAX_WINDOW = 16 * 1024 * 1024
#: Smallest chunk: a small window sends small chunks (a quarter of the window each), so one
#: chunk never holds a frame back longer than the window allows.
MIN_CHUNK = 8 * 1024
#: The most a file sends per second, paced (bytes/s): more than a gigabit LAN carries, and on
#: loopback (relay, agent and console on one 2-core machine, bench.file_transfer) what leaves the
#: CPU to the screen: unpaced, a transfer ran at ~185 MB/s and the screen's latency was 1.9-2.3x
#: its idle value during it. The window still decides on any slower link.
MAX_RATE = 100e6
#: How far behind its pace a sender may catch up at once (s): a short burst, not a backlog.
PACING_BURST = 0.004
#: What the window is multiplied by when the queue grew beyond the target.
DECREASE = 0.7
#: Acks the delivery rate is measured over (the cut on a queue, see OutgoingFile.acked).
RATE_SAMPLES = 16
#: Round trips the current queue is judged by (the lowest of them).
RTT_FILTER = 4


@dataclass(frozen=True)
class FileInfo:
    """One transfer as both sides know it: the sender's id (per direction), the name as the
    sender called it (the receiver sanitises it before use), size, sha256 (64 lowercase hex)
    and the direction (``to_customer`` or ``to_technician``)."""

    id: int
    name: str
    size: int
    sha256: str
    direction: str

    def __post_init__(self) -> None:
        if self.direction not in FILE_DIRECTIONS:
            raise ValueError(f"unknown direction {self.direction!r}")
        if self.size < 0:
            raise ValueError("a file size cannot be negative")


class IncomingFile:
    """The receiver's view of one file: which byte comes next, and the hash so far.

    The peer's chunk at the wrong offset or past the size is a :class:`ProtocolError` (the
    session ends): nothing out of order is ever handed on to be written.
    """

    def __init__(self, info: FileInfo, offset: int = 0) -> None:
        if offset:
            raise ValueError("an incoming file starts at 0: feed a held prefix to absorb_prefix")
        self.info = info
        self.received = 0
        self._hash = hashlib.sha256()
        self._chunked = False

    def absorb_prefix(self, data: bytes) -> None:
        """Bytes of this file the receiver already holds (a partial file from before a drop),
        fed in order before the transfer is accepted at ``received``: they count for the hash."""
        if self._chunked:
            raise LocalProtocolError("A held prefix comes before the first chunk.")
        if self.received + len(data) > self.info.size:
            raise LocalProtocolError("The held prefix is longer than the offered file.")
        self._hash.update(data)
        self.received += len(data)

    def chunk(self, offset: int, data: bytes) -> None:
        """The peer's next bytes: exactly at ``received``, 1..MAX_FILE_CHUNK, within the size."""
        if offset != self.received:
            raise ProtocolError(f"A file chunk arrived for byte {offset}; byte {self.received} "
                                "was next.")
        if not 1 <= len(data) <= MAX_FILE_CHUNK:
            raise ProtocolError("A file chunk has the wrong size.")
        if offset + len(data) > self.info.size:
            raise ProtocolError(f"A file chunk runs past the announced size of "
                                f"{self.info.size} bytes.")
        self._chunked = True
        self._hash.update(data)
        self.received += len(data)

    @property
    def complete(self) -> bool:
        return self.received == self.info.size

    def verify(self) -> bool:
        """Everything arrived and its sha256 is the announced one."""
        return self.complete and self._hash.hexdigest() == self.info.sha256


class OutgoingFile:
    """The sender's window of one file (a background flow, see the module's text).

    The shell asks :meth:`next_chunk` what to read and send; the session tells it what the
    receiver accepted (:meth:`accepted`, again after a resume: :meth:`rewind`) and acknowledged
    (:meth:`acked`). ``now`` is in seconds of one monotonic clock for all calls.
    """

    def __init__(self, info: FileInfo) -> None:
        self.info = info
        self.window = START_WINDOW
        #: The lowest acknowledgement round trip seen (the link without a queue), or None.
        self.min_rtt: float | None = None
        #: The last round trip measured (for tests and the status view).
        self.rtt: float | None = None
        self.sent = 0  # bytes handed out by next_chunk
        self.acked_bytes = 0
        self.started = False  # the receiver accepted
        #: Set by the session while nothing may be sent (paused, waiting for a re-accept).
        self.held = False
        self._stamps: deque[tuple[int, float]] = deque()  # (end offset, time handed out)
        self._decreased_at: float | None = None
        self._recent: deque[float] = deque(maxlen=RTT_FILTER)
        self._slow_start = True
        #: (time, bytes acknowledged) of recent acks, for the delivery rate (see _delivery).
        self._acks: deque[tuple[float, int]] = deque(maxlen=RATE_SAMPLES)
        #: The pace in bytes/s (None: unpaced, the window alone; the shells set MAX_RATE).
        self.max_rate: float | None = None
        self._free_at = float("-inf")  # when the pace lets the next chunk go

    def paced_for(self, now: float) -> float:
        """Seconds until the pace lets the next chunk go (0: now, or not paced)."""
        return max(0.0, self._free_at - now)

    @property
    def in_flight(self) -> int:
        return self.sent - self.acked_bytes

    @property
    def done(self) -> bool:
        """Every byte acknowledged."""
        return self.started and self.acked_bytes == self.info.size

    def accepted(self, offset: int, now: float) -> None:
        """The receiver takes the file from ``offset`` on (0, or a prefix it holds)."""
        self.rewind(offset)
        self.started = True

    def rewind(self, offset: int) -> None:
        """Start again at ``offset`` (a resume: what was in flight on the dropped link is
        gone). The link may be another one: the window and the round trips start afresh."""
        if not 0 <= offset <= self.info.size:
            raise LocalProtocolError("A transfer cannot be rewound outside the file.")
        self.sent = self.acked_bytes = offset
        self.window = START_WINDOW
        self.min_rtt = self.rtt = None
        self._stamps.clear()
        self._decreased_at = None
        self._recent.clear()
        self._slow_start = True
        self._acks.clear()

    def retreat(self, offset: int) -> None:
        """The bytes from ``offset`` on were handed out but not sent (read before a pause, or
        out of order): hand them out again. The window and round trips stay."""
        if not self.acked_bytes <= offset <= self.sent:
            raise LocalProtocolError("A transfer can only retreat within what is unacknowledged.")
        self.sent = offset
        while self._stamps and self._stamps[-1][0] > offset:
            self._stamps.pop()

    def mark_sent(self, end: int, now: float) -> None:
        """The bytes before ``end`` are on the wire (the session sealed them): count them as
        sent if a retreat had taken them back meanwhile."""
        if end > self.sent:
            self.sent = end
            self._stamps.append((end, now))

    def next_chunk(self, now: float) -> tuple[int, int] | None:
        """(offset, length) to read and send now, or None: not accepted, held, all sent, or
        the window is full. Never more than the window unacknowledged."""
        if not self.started or self.held or self.sent >= self.info.size:
            return None
        length = min(MAX_FILE_CHUNK, max(MIN_CHUNK, self.window // 4),
                     self.info.size - self.sent)
        if self.in_flight + length > self.window or now < self._free_at:
            return None
        if self.max_rate is not None:
            self._free_at = max(self._free_at, now - PACING_BURST) + length / self.max_rate
        offset = self.sent
        self.sent += length
        self._stamps.append((self.sent, now))
        return offset, length

    def _delivery(self) -> float | None:
        """Bytes per second acknowledged over the recent acks (None: too few to tell)."""
        if len(self._acks) < 2:
            return None
        (t0, b0), (t1, b1) = self._acks[0], self._acks[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else None

    def acked(self, offset: int, now: float) -> None:
        """The receiver wrote everything before ``offset``: measure, adapt the window.

        ``offset`` must lie between what was acknowledged and what was sent (the session
        checks the peer's acks before they come here)."""
        if not self.acked_bytes <= offset <= self.sent:
            raise LocalProtocolError("An acknowledgement outside what was sent.")
        newly = offset - self.acked_bytes
        self.acked_bytes = offset
        stamp: float | None = None
        while self._stamps and self._stamps[0][0] <= offset:
            stamp = self._stamps.popleft()[1]
        if stamp is None or newly == 0:
            return
        rtt = now - stamp
        if rtt < 0:  # a clock that went back: no measurement
            return
        self.rtt = rtt
        self.min_rtt = rtt if self.min_rtt is None else min(self.min_rtt, rtt)
        self._recent.append(rtt)
        # The lowest of the last few round trips: one late ack (a busy receiver, a scheduler
        # hiccup) is no queue (LEDBAT's current-delay filter).
        queue = min(self._recent) - self.min_rtt
        self._acks.append((now, offset))
        if queue <= TARGET_QUEUE:
            if self._slow_start:  # no queue seen yet: up to doubling per round trip
                grow = newly * (TARGET_QUEUE - queue) / TARGET_QUEUE
            else:  # then LEDBAT's gentle climb: at most a chunk per round trip
                grow = MAX_FILE_CHUNK * newly * (TARGET_QUEUE - queue) / (
                    TARGET_QUEUE * self.window)
            self.window = min(MAX_WINDOW, self.window + int(grow))
        elif self._decreased_at is None or now - self._decreased_at >= rtt:
            # At most what the line delivers in a queue-free round trip plus the target (the
            # cut lands in one step even from a start window that was seconds of queue on a
            # slow uplink), and at least LEDBAT's multiplicative decrease.
            cut = self.window * DECREASE
            rate = self._delivery()
            if rate is not None:
                cut = min(cut, rate * (self.min_rtt + TARGET_QUEUE) * 1.25)
            self.window = max(MIN_WINDOW, int(cut))
            self._decreased_at = now
            self._slow_start = False
