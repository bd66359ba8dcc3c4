"""Input first on a slow uplink (issue 16): a typed glyph's echo while a scroll fills the line.

A pure model of the 4 Mbit/s / 40 ms line (a modem's FIFO at a fixed rate, half the round trip
each way), a document scrolling at 60 Hz whose exposed rows cost more than the line carries, and
a technician typing a key every 120 ms. The streamer's decisions are the ones
``agent.pipeline.ScreenStreamer`` takes, from the pure parts it uses: the controller
(:class:`shared.flow.FlowControl`, injected clock) and :func:`shared.priority.split_echo`'s
rule (the glyph goes in a frame of its own, ahead). The model is a test double on purpose: the
real line through the bench's shaping proxy is tests/e2e/test_link_rate.py and
``python -m bench.glass_to_glass --link dsl4``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shared.flow import ECHO_FRAMES, ECHO_WINDOW, PROBE_RTT_INTERVAL, FlowControl

DSL4 = (500_000.0, 0.040)
DSL16 = (2_000_000.0, 0.020)
GLYPH = 600  # bytes of a glyph's rect


@dataclass
class Frame:
    nbytes: int
    grabbed: float
    keys: list[float] = field(default_factory=list)  # key arrival times whose glyph it shows


@dataclass
class Echo:
    utilisation: float
    echo_p95: float  # key reached the agent -> its glyph shown at the console
    echo_p50: float
    scroll_p95: float  # grab -> shown, of the scroll's frames
    fps: float
    fc: FlowControl


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))]


def run_typing(rate: float, rtt: float, *, input_first: bool = True, seconds: float = 8.0,
               overhead: int = 12_000, step_bytes: int = 3_000, key_every: float = 0.12,
               draw: float = 0.012, encode: float = 0.008, decode: float = 0.004,
               dt: float = 0.0005) -> Echo:
    """Scroll at 60 Hz (``overhead`` + ``step_bytes`` per step since the last grab) and type.

    ``input_first=False`` is the streamer before this change: glyphs ride with the scroll."""
    now = [0.0]
    fc = FlowControl(window=None, clock=lambda: now[0])
    depart = 0.0
    acks: list[tuple[float, int]] = []
    shown: list[tuple[float, Frame]] = []
    pending: list[Frame] = []
    job: tuple[float, Frame] | None = None  # (ready at, frame)
    steps = 0  # scroll steps drawn since the last grab
    next_step = 0.0
    next_key = 1.0
    typed: list[float] = []  # key arrivals whose glyph is drawn, not yet grabbed
    drawing: list[tuple[float, float]] = []  # (drawn at, key arrival)
    last_grab = -1.0
    seq = carried = 0
    echoes: list[float] = []
    scroll_lat: list[float] = []

    def send(frame: Frame, echo: bool = False) -> None:
        nonlocal seq, depart, carried
        seq += 1
        fc.on_sent(seq, frame.nbytes, frame.grabbed, echo=echo)
        start = max(now[0], depart)
        depart = start + frame.nbytes / rate
        arrive = depart + rtt / 2 + decode
        acks.append((arrive + rtt / 2, seq))
        shown.append((arrive, frame))
        if now[0] > 2.0:
            carried += frame.nbytes

    t = 0.0
    while t < seconds:
        now[0] = t
        while acks and acks[0][0] <= t:
            fc.on_ack(acks.pop(0)[1])
        if t >= next_step:
            steps, next_step = steps + 1, next_step + 1 / 60
        if t >= next_key:  # the key is injected; the app draws its glyph a little later
            if input_first:
                fc.note_input()
            drawing.append((t + draw, t))
            next_key += key_every
        while drawing and drawing[0][0] <= t:
            typed.append(drawing.pop(0)[1])
        if job is not None and t >= job[0]:
            frame = job[1]
            job = None
            if input_first and frame.keys and fc.echo_delay() == 0.0:  # split_echo
                send(Frame(GLYPH * len(frame.keys), frame.grabbed, frame.keys), echo=True)
                frame = Frame(frame.nbytes - GLYPH * len(frame.keys), frame.grabbed)
            if not frame.nbytes:
                pass
            elif not pending and fc.send_delay() == 0.0:
                send(frame)
            else:
                pending.append(frame)
        if job is None:
            damage = steps > 0 or bool(typed)
            if pending and fc.send_delay() == 0.0:
                send(pending.pop(0))
            elif damage and t - last_grab >= 1 / 240 and not pending and fc.send_delay() == 0.0:
                size = overhead + step_bytes * steps if steps else 0
                frame = Frame(size + GLYPH * len(typed), t, typed)
                job = (t + encode, frame)
                typed, steps, last_grab = [], 0, t
            elif not damage:
                fc.note_app_limited()
        t += dt
    for arrive, frame in shown:
        if frame.grabbed > 2.0:
            echoes.extend(arrive - k for k in frame.keys)
            if not frame.keys:
                scroll_lat.append(arrive - frame.grabbed)
    scroll_frames = sum(1 for a, f in shown if not f.keys or f.nbytes > GLYPH * len(f.keys))
    return Echo(carried / (rate * (seconds - 2.0)), pct(echoes, 0.95), pct(echoes, 0.5),
                pct(scroll_lat, 0.95), scroll_frames / seconds, fc)


# (per-update bytes, bytes per 60 Hz step since the last grab): a photo-and-text scroll offers
# more than the 4 Mbit/s line carries; the middle one is the run (22 fps, 92 % used)
SCROLLS = [(9_000, 4_500), (12_000, 3_000), (15_000, 2_000)]


def test_before_input_first_the_echo_waits_behind_the_scroll() -> None:
    """The model reproduces the issue's figure: a glyph that rides with a scroll update waits
    for the pacing, the frames ahead and its own big update (p95 > 140 ms at the agent)."""
    r = run_typing(*DSL4, input_first=False, overhead=12_000, step_bytes=3_000)
    assert r.echo_p95 > 0.140, r
    assert r.utilisation >= 0.85, r


@pytest.mark.parametrize(("overhead", "step_bytes"), SCROLLS)
def test_the_echo_goes_first_and_the_line_stays_full(overhead: int, step_bytes: int) -> None:
    """dsl4, a scroll that offers more than the line: the echo's p95 (key at the agent ->
    glyph shown) leaves room in the 150 ms budget for the key's way in (~25 ms) and the
    console's paint, while the scroll keeps >= 85 % of the uplink and its own latency."""
    r = run_typing(*DSL4, overhead=overhead, step_bytes=step_bytes)
    assert r.utilisation >= 0.85, r
    assert r.echo_p95 <= 0.115, r
    assert r.scroll_p95 <= 0.120, r
    assert r.fps >= 19, r


def test_on_the_faster_line_too() -> None:
    r = run_typing(*DSL16, overhead=30_000, step_bytes=12_000)
    assert r.utilisation >= 0.85, r
    assert r.echo_p95 <= 0.080, r


def test_echo_credit_is_bounded() -> None:
    """The echo credit is for small frames answering input, a few at a time, and only then."""
    clock = [0.0]
    fc = FlowControl(window=None, clock=lambda: clock[0])
    assert fc.echo_delay() is None  # no input: no echo credit
    with pytest.raises(RuntimeError):
        fc.on_sent(1, 500, echo=True)
    fc.note_input()
    assert fc.echo_delay() == 0.0
    for seq in range(1, ECHO_FRAMES + 1):
        fc.on_sent(seq, 500, echo=True)
    assert fc.echo_delay() is None  # ECHO_FRAMES in flight
    assert fc.send_delay() == 0.0  # they take nothing of the window's credit
    clock[0] += 0.05
    fc.on_ack(1)
    assert fc.echo_delay() == 0.0
    with pytest.raises(RuntimeError):
        fc.on_sent(ECHO_FRAMES + 1, 100_000, echo=True)  # too big to go ahead
    clock[0] += 1.0
    assert fc.echo_delay() is None  # the window after input closed
    fixed = FlowControl(window=2, clock=lambda: clock[0])
    fixed.note_input()
    assert fixed.echo_delay() is None  # a fixed window has no echo credit


def test_an_echo_checked_just_before_its_window_closed_still_goes() -> None:
    """The streamer checks echo_delay(), splits the update, then sends: the window after input
    may close in between (CI saw the streamer thread die with "no echo credit" and the held
    keys released). The credit is what was checked; only time moved on."""
    clock = [0.0]
    fc = FlowControl(window=None, clock=lambda: clock[0])
    fc.note_input()
    clock[0] = ECHO_WINDOW - 0.001
    assert fc.echo_delay() == 0.0
    clock[0] = ECHO_WINDOW + 0.001  # the split took 2 ms
    fc.on_sent(1, 500, echo=True)
    assert fc.echo_delay() is None  # the window is closed for the next one


def test_a_standing_queue_is_drained_to_measure_the_min_rtt() -> None:
    """ProbeRTT: round trips held far above the min RTT for PROBE_RTT_INTERVAL (a queue the
    drain did not clear, or a path that got longer) make the sender drain to one frame in
    flight, and the round trip it then measures replaces the stale min RTT."""
    clock = [0.0]
    fc = FlowControl(window=None, clock=lambda: clock[0])
    seq = 0
    base = 0.02

    def round_trip(extra: float) -> None:
        nonlocal seq
        for _ in range(2 if fc.send_delay() is not None else 0):
            seq += 1
            fc.on_sent(seq, 1_000)
            if fc.send_delay() is None:
                break
        clock[0] += base + extra
        fc.on_ack(seq)

    for _ in range(20):  # fill the pipe: a queue builds, startup ends
        round_trip(0.0 if fc.min_rtt is None else 0.1)
    assert fc.filled_pipe
    start = clock[0]
    while not fc.probing_rtt and clock[0] - start < 2 * PROBE_RTT_INTERVAL:
        round_trip(0.1)  # the queue never drains
    assert fc.probing_rtt and fc.probes == 1
    assert clock[0] - start <= PROBE_RTT_INTERVAL + 0.5
    seq += 1
    fc.on_sent(seq, 1_000)
    assert fc.send_delay() is None  # one frame in flight while probing
    clock[0] += base
    fc.on_ack(seq)
    while fc.probing_rtt:  # a couple of round trips over an empty queue
        seq += 1
        fc.on_sent(seq, 1_000)
        clock[0] += base
        fc.on_ack(seq)
    assert fc.probes == 1 and fc.send_delay() is not None


def test_no_probe_while_round_trips_stay_near_the_min() -> None:
    r = run_typing(*DSL4, seconds=12.0, overhead=12_000, step_bytes=3_000)
    assert r.fc.probes == 0, r
