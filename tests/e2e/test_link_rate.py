"""Rate control end to end on an emulated DSL line (issue 16).

A real relay; the real agent in this process (the real Allow click), whose connection to the
relay goes through the bench's link emulator (bench/support/link.py, profile ``dsl4``: 4 Mbit/s
up, 40 ms round trip, 150 ms modem queue); a real ConsoleWorker straight to the relay, whose
frames are applied to a RemoteView as the console applies them and acknowledged once applied.
The scene and the measuring are bench/link_rate.py's (``python -m bench.link_rate``).

The customer's screen shows a text document scrolling at 60 Hz (more than the line carries)
and a marker block that changes colour now and then. The agent must keep the uplink full
(>= 80 % by the emulator's own count, of the time the line was busy or idle while the rate
control held the agent back; the 2-4 frame window before issue 16 used 65 % here, and the
issue measured 55 %) and still bring each marker change to the console quickly (the newest
picture, no standing queue), and the technician's worker must hear the measured link.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.link_rate import measure
from bench.support.link import PROFILES

pytestmark = pytest.mark.e2e


def test_a_scrolling_screen_fills_the_dsl_uplink_and_stays_fresh(
        qtbot, relay_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "agent-data"))
    result = measure(relay_url, PROFILES["dsl4"], markers=8)
    print(result)  # the figures of the run, for the notes (pytest -s)
    up, marker, estimate = result["uplink"], result["marker_ms"], result["estimate"]
    # The share of the line the rate control achieved: the line's idle time counts against
    # it only while the control held the agent back (credit or pacing); idle while the agent
    # was free to send but still grabbing or encoding is the machine's (bench.link_rate's
    # controlled_use). The raw share fell with the agent's CPU on a loaded machine (this
    # test failed 9 runs in 10 at a load of 8-12 on 2 cores, raw 0.40-0.78).
    assert up["controlled_utilisation"] >= 0.80, result
    # the marker never waits behind a standing queue of stale frames (the modem alone could
    # hold 150 ms; a queue of frames of this scroll would be seconds)
    assert marker["p50"] < 400 and marker["max"] < 1000, result
    assert estimate is not None, "the technician never heard the measured link"
    assert 0.5 * 500_000 <= estimate["rate_bytes_per_s"] <= 1.5 * 500_000, result
    assert 40 <= estimate["min_rtt_ms"] <= estimate["rtt_ms"], result
