"""The real console against a hostile agent, through a real relay on loopback.

Real parts: the relay (``python -m relay`` subprocess on 127.0.0.1), the console's ``ConsoleApp``
with its real windows and ``ConsoleWorker`` under this process's Xvfb, the real session code typed
into the worker. The agent is hostile, so it cannot be the product's agent: it is
:class:`bench.hostile_agent.HostileAgent`, made from ``shared.session.AgentSession``, which
completes the real handshake and consent exchange and then seals whatever it likes (consent is
the console's side here; no customer dialog is involved).
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from bench.hostile_agent import OVER_BUDGET, HostileAgent, worst_frames
from console.app import ConsoleApp
from console.driver import ConsoleSessionDriver
from desktop.audit_store import read_record
from shared import messages as m
from shared.session import CHAT_BURST, CHAT_PER_SECOND

#: What issue 9 asks: End reaches the agent within 200 ms even while it floods.
END_BUDGET_S = 0.2
#: The network loop (End, input, pings and their round-trip times) is never held up longer
#: than this; decoding one of the flood's JPEG updates alone takes about 110 ms here.
LOOP_BUDGET_S = 0.15


@functools.cache
def _frames() -> list[bytes]:
    return worst_frames()


def network_loop_lateness(qtbot, console: ConsoleApp, seconds: float) -> list[float]:
    """How long a call scheduled on the console's network loop waits to run, sampled."""
    late: list[float] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ran = threading.Event()
        t = time.monotonic()

        def probe(t: float = t, ran: threading.Event = ran) -> None:
            late.append(time.monotonic() - t)
            ran.set()

        console.worker._io.call(probe)
        ran.wait(5)
        qtbot.wait(10)  # the GUI keeps taking frames meanwhile
    return late


def _audit(tmp_path: Path) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for path in sorted((tmp_path / "console-data" / "audit").glob("*.jsonl")):
        events += read_record(path)
    return events


def test_end_reaches_a_flooding_agent_within_200_ms(qtbot, console: ConsoleApp,
                                                    relay_url: str, tmp_path: Path) -> None:
    agent = HostileAgent(relay_url, _frames())
    try:
        shown: list[int] = []
        console.worker.frame_ready.connect(lambda *a: shown.append(a[3]))
        console.worker.connect_to(relay_url, "Eva Technik", "Acme IT", agent.start())
        qtbot.waitUntil(lambda: agent.allowed_at is not None, timeout=20000)
        # let it flood: the console keeps showing frames (each one costs the most allowed)
        qtbot.waitUntil(lambda: len(shown) >= 6, timeout=20000)
        late = network_loop_lateness(qtbot, console, 2.0)
        assert max(late) <= LOOP_BUDGET_S, (
            f"the network loop was held up {max(late) * 1000:.0f} ms (decoding on it?)")
        assert agent.end_at is None and agent.frames_sent > len(shown)
        win = console.session_window
        assert win is not None
        t0 = time.monotonic()
        win.end_action.trigger()  # the technician's real End action
        qtbot.waitUntil(lambda: agent.end_at is not None, timeout=5000)
        assert agent.end_at is not None
        took = agent.end_at - t0
        assert took <= END_BUDGET_S, f"End took {took * 1000:.0f} ms to reach the agent"
        assert agent.end_message == m.End("technician_ended")
        qtbot.waitUntil(lambda: any(e["event"] == "session_ended" for e in _audit(tmp_path)),
                        timeout=5000)
        ended = [e for e in _audit(tmp_path) if e["event"] == "session_ended"]
        assert ended[0]["reason"] == "technician_ended"
    finally:
        agent.stop()


def test_over_budget_frame_ends_the_session_clearly_on_both_sides(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path) -> None:
    """A 27-byte frame of 65535x65535 pixels: no 2 GiB allocation, a clear end everywhere."""
    agent = HostileAgent(relay_url, [OVER_BUDGET])
    try:
        ended: list[tuple[str, str]] = []
        console.worker.ended.connect(lambda reason, msg: ended.append((reason, msg)))
        console.worker.connect_to(relay_url, "Eva Technik", "Acme IT", agent.start())
        qtbot.waitUntil(lambda: agent.end_at is not None, timeout=20000)
        # the agent is told why, in the protocol's Error message
        assert isinstance(agent.end_message, m.Error)
        assert agent.end_message.code == "resource_limit"
        assert "65535x65535" in agent.end_message.message
        qtbot.waitUntil(lambda: bool(ended), timeout=5000)
        assert ended[0][0] == "resource_limit"
        # the technician reads a plain translated sentence in the session window
        win = console.session_window
        assert win is not None
        qtbot.waitUntil(lambda: "more than the console accepts" in win._info_text.text(),
                        timeout=5000)
        # and the audit record says the same
        qtbot.waitUntil(lambda: any(e["event"] == "session_ended" for e in _audit(tmp_path)),
                        timeout=5000)
        record = next(e for e in _audit(tmp_path) if e["event"] == "session_ended")
        assert record["reason"] == "resource_limit"
        assert "65535x65535" in str(record["message"])
    finally:
        agent.stop()


# ------------------------------------------------------------------ issue 15: talk and show

#: The console may grow by at most this much while 1000 long chat lines and 1000 monitor
#: lists arrive (it keeps a budgeted number of lines and the last list, never all of them).
TALK_RSS_BUDGET_MB = 60


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _chat(text: str) -> bytes:
    return m.encode(m.ChatText(text))


def _monitor_storm(count: int) -> list[bytes]:
    sixteen = tuple(m.Monitor(i * 1920 - 0x7000, i % 3, 1920, 1080, i == 0) for i in range(16))
    return [m.encode(m.Monitors(sixteen, i % 17)) for i in range(count)]


def test_a_chat_flood_and_a_monitor_storm_stay_bounded(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """1000 chat lines of 4096 characters and 1000 lists of 16 monitors, as fast as the
    relay carries them: the console takes 20 lines and then 2 a second (the rest dropped and
    counted), keeps only the last monitor list, its network loop stays on time, its memory
    does not follow the flood, and the technician's End still gets through at once."""
    seen: Counter[str] = Counter()
    on_event = ConsoleSessionDriver.on_event

    def counting(self: ConsoleSessionDriver, ev: object) -> None:
        seen[type(ev).__name__] += 1
        on_event(self, ev)

    monkeypatch.setattr(ConsoleSessionDriver, "on_event", counting)  # counts, then the real one
    flood = [_chat(f"{i:04d} " + "Ä" * 4090) for i in range(1000)] + _monitor_storm(1000)
    agent = HostileAgent(relay_url, flood, repeat=False)
    try:
        ended: list[str] = []
        console.worker.ended.connect(lambda reason, msg: ended.append(reason))
        before = _rss_mb()
        console.worker.connect_to(relay_url, "Eva Technik", "Acme IT", agent.start())
        qtbot.waitUntil(lambda: agent.allowed_at is not None, timeout=20000)
        started = time.monotonic()
        qtbot.waitUntil(lambda: seen["MonitorsChanged"] >= 1000, timeout=30000)
        took = time.monotonic() - started
        late = network_loop_lateness(qtbot, console, 1.0)
        assert max(late) <= LOOP_BUDGET_S, f"the network loop was held up {max(late):.3f} s"
        # the budget: a burst of 20, then 2 lines a second while the flood lasted
        assert seen["ChatReceived"] <= CHAT_BURST + CHAT_PER_SECOND * (took + 1), seen
        assert _rss_mb() - before <= TALK_RSS_BUDGET_MB
        assert not ended and agent.end_at is None  # a flood is dropped, never an error
        win = console.session_window
        assert win is not None
        t0 = time.monotonic()
        win.end_action.trigger()
        qtbot.waitUntil(lambda: agent.end_at is not None, timeout=5000)
        assert agent.end_at is not None and agent.end_at - t0 <= END_BUDGET_S
        assert agent.end_message == m.End("technician_ended")
        # nobody opted in: not one chat line is in the technician's record
        qtbot.waitUntil(lambda: any(e["event"] == "session_ended" for e in _audit(tmp_path)),
                        timeout=5000)
        assert not any(e["event"] == "chat" for e in _audit(tmp_path))
        assert "ÄÄÄ" not in json.dumps(_audit(tmp_path), ensure_ascii=False)
    finally:
        agent.stop()


MALFORMED_TALK = {
    "a monitor list of 200": bytes((0x24, 0, 200)) + bytes(9 * 200),
    "a chat line of 10 kB": b'\x05{"text":"' + "ü".encode() * 10_000 + b'"}',
    "a pause for no reason": b'\x0a{"paused":true,"reason":"bored"}',
    "a laser pointer to the console": m.encode(m.LaserPointer(True, 1, 1)),
}


@pytest.mark.parametrize("body", MALFORMED_TALK.values(), ids=list(MALFORMED_TALK))
def test_malformed_talk_ends_the_session_with_a_clear_error(
        qtbot, console: ConsoleApp, relay_url: str, tmp_path: Path, body: bytes) -> None:
    agent = HostileAgent(relay_url, [body], repeat=False)
    try:
        ended: list[str] = []
        console.worker.ended.connect(lambda reason, msg: ended.append(reason))
        console.worker.connect_to(relay_url, "Eva Technik", "Acme IT", agent.start())
        qtbot.waitUntil(lambda: agent.end_at is not None, timeout=20000)
        assert isinstance(agent.end_message, m.Error)
        assert agent.end_message.code == "protocol_error"  # the agent is told why
        qtbot.waitUntil(lambda: bool(ended), timeout=5000)
        assert ended == ["protocol_error"]
        qtbot.waitUntil(lambda: any(e["event"] == "session_ended" for e in _audit(tmp_path)),
                        timeout=5000)
        record = next(e for e in _audit(tmp_path) if e["event"] == "session_ended")
        assert record["reason"] == "protocol_error" and record["message"]
    finally:
        agent.stop()
