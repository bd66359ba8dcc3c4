"""The link emulator (bench/support/link.py) does what the DSL profiles say: a bulk transfer
runs at the line's rate, a small ping-pong takes the added round trip, the modem queue never
holds more than its bound, and a receiver that stops reading holds the sender up (no queue in
the proxy beyond the modelled one). Real sockets on loopback, the real emulator subprocess."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from bench.support.link import PROFILES, Direction, LinkProfile, LinkProxy

DSL4 = PROFILES["dsl4"]


class Server:
    """A blocking TCP server on a free loopback port running ``handle`` per connection."""

    def __init__(self, handle: Callable[[socket.socket], None]) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = int(self.sock.getsockname()[1])
        self._handle = handle
        self._conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self._conns.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self._handle(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.sock.close()
        for conn in self._conns:
            conn.close()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    made: list[Server] = []
    yield made
    for server in made:
        server.close()


class Sink:
    """Counts what arrives, with the time of each read."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, int]] = []

    def __call__(self, conn: socket.socket) -> None:
        total = 0
        while data := conn.recv(65536):
            total += len(data)
            self.arrivals.append((time.monotonic(), total))

    def rate_bits(self, skip: float) -> float:
        """bits/s between ``skip`` seconds after the first byte and the last read."""
        t0 = self.arrivals[0][0] + skip
        start = next(a for a in self.arrivals if a[0] >= t0)
        end = self.arrivals[-1]
        return (end[1] - start[1]) * 8 / (end[0] - start[0])


def bulk(port: int, seconds: float) -> None:
    """Send for ``seconds`` as fast as TCP lets us (a small send buffer, so little is left
    to drain after), then wait until the far side has it all."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 32768)
        sock.connect(("127.0.0.1", port))
        block = b"x" * 65536
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            sock.sendall(block)
        sock.shutdown(socket.SHUT_WR)
        sock.recv(1)  # wait for the far side to close


def test_bulk_upload_runs_at_the_uplink_rate_and_the_queue_stays_bounded(
        servers: list[Server]) -> None:
    sink = Sink()
    servers.append(Server(sink))
    with LinkProxy(servers[0].port, DSL4, client_is_customer=True) as link:
        bulk(link.port, 3.0)
        stats = link.stats()
    measured = sink.rate_bits(skip=0.5)
    assert measured == pytest.approx(4e6, rel=0.10), measured
    up = stats["up"]
    assert up["utilisation"] > 0.75  # the window includes the slow start and the last RTT
    # the first byte of a read never waited longer than the queue holds (+ one packet's time)
    assert up["queue_ms"]["max"] <= DSL4.queue_ms + 1448 * 8 / 4e6 * 1000 + 1
    assert up["queue_ms"]["p95"] > 0.8 * DSL4.queue_ms  # a bulk sender fills the queue
    assert up["stalls"] > 0
    assert stats["down"]["bytes"] == 0


def test_customer_on_the_server_side_sends_on_the_uplink(servers: list[Server]) -> None:
    """For VNC the customer's x11vnc is the proxy's target: what the client (the viewer)
    sends goes down the customer's downlink (16 Mbit/s here)."""
    sink = Sink()
    servers.append(Server(sink))
    with LinkProxy(servers[0].port, DSL4, client_is_customer=False) as link:
        bulk(link.port, 2.0)
        stats = link.stats()
    assert sink.rate_bits(skip=0.5) == pytest.approx(16e6, rel=0.12)
    assert stats["down"]["bytes"] > 0 and stats["up"]["bytes"] == 0


def echo(conn: socket.socket) -> None:
    while data := conn.recv(4096):
        conn.sendall(data)


def test_ping_pong_takes_the_added_round_trip(servers: list[Server]) -> None:
    servers.append(Server(echo))
    rtts = []
    with LinkProxy(servers[0].port, DSL4) as link, \
            socket.create_connection(("127.0.0.1", link.port)) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(25):
            t0 = time.monotonic()
            sock.sendall(b"ping-0123")
            got = b""
            while len(got) < 9:
                got += sock.recv(64)
            rtts.append((time.monotonic() - t0) * 1000)
    # 40 ms added, plus 9 bytes at 4 and 16 Mbit/s (0.02 ms) and loopback's own
    assert statistics.median(rtts) == pytest.approx(DSL4.rtt_ms, abs=4.0), rtts
    assert min(rtts) >= DSL4.rtt_ms - 0.5


def test_a_receiver_that_stops_reading_holds_the_sender_up(servers: list[Server]) -> None:
    """Back-pressure like a full modem queue: the proxy buffers at most the queue, what is
    in flight and its small socket buffers, not everything the sender offers."""
    stop = threading.Event()

    def stuck(conn: socket.socket) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
        stop.wait(10)

    servers.append(Server(stuck))
    profile = LinkProfile("fast", 50e6, 50e6, 10.0, 100.0)  # queue: 625 000 bytes
    with LinkProxy(servers[0].port, profile) as link, \
            socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
        sock.connect(("127.0.0.1", link.port))
        sock.setblocking(False)
        sent = 0
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            try:
                sent += sock.send(b"y" * 65536)
            except BlockingIOError:
                time.sleep(0.01)
        stop.set()
    bound = 625_000 + 50e6 / 8 * 0.005 + 2 * 16384 + 1_000_000  # + kernel buffers both ends
    assert sent < bound, sent


def test_profiles_match_the_issue() -> None:
    assert (DSL4.up_bits_per_s, DSL4.down_bits_per_s, DSL4.rtt_ms, DSL4.queue_ms) == (
        4e6, 16e6, 40.0, 150.0)
    dsl16 = PROFILES["dsl16"]
    assert (dsl16.up_bits_per_s, dsl16.down_bits_per_s, dsl16.rtt_ms, dsl16.queue_ms) == (
        16e6, 50e6, 20.0, 100.0)


def test_utilisation_counts_what_left_the_shaper_within_the_window() -> None:
    """A window that ends while the line still sends counts the line busy to its end: the
    share of the line is what the shaper let out, not what reached the far side by then (a
    phase ending mid-packet, or within the half round trip, read as an idle line before)."""
    d = Direction("up", 8_000.0, 0.5, 10.0, now=0.0)  # 1000 B/s, half a second each way
    for packet in d.admit(3_000, now=0.0):  # 3 s on the line
        assert packet[0] > 0.5
    first = d.snapshot(1.0)  # nothing delivered yet; a second of it on the line
    assert first["bytes"] == 0 and first["delivered_bits_per_s"] == 0
    assert first["utilisation"] == pytest.approx(1.0)
    second = d.snapshot(4.0)  # the rest left by 3.0: two of these three seconds busy
    assert second["utilisation"] == pytest.approx(2 / 3, abs=1e-3)
