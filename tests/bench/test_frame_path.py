"""bench/frame_path.py's analysis on made-up stamps (the bench itself needs the whole rig)."""

from __future__ import annotations

from bench.frame_path import analyse


def test_ticks_caught_rates_and_display_times() -> None:
    ticks = [i / 60 for i in range(60)]
    events: list[tuple[str, float, int]] = []
    seq = 0
    for i, t in enumerate(ticks):
        if i % 10 == 9:
            continue  # every tenth tick is overtaken by the next before any grab
        seq += 1
        events += [("a_grab", t + 0.002, -1), ("a_sent", t + 0.004, seq),
                   ("c_recv", t + 0.005, seq), ("c_decoded", t + 0.006, seq),
                   ("c_paint_start", t + 0.0065, -1), ("c_painted", t + 0.008, -1),
                   ("c_shown", t + 0.008, seq), ("a_ack", t + 0.009, seq)]
    events.sort(key=lambda e: e[1])
    seen = [[t + 0.01, i] for i, t in enumerate(ticks) if i % 10 != 9]
    out = analyse(events, ticks, seen, 0.0, 1.0, 200.0)
    assert out["ticks_caught_by_a_grab"] == 0.9
    assert out["per_s"]["a_sent"] == 54.0 and out["per_s"]["stimulus_tick"] == 60.0
    assert out["ms"]["sent_to_ack"]["p50_ms"] == 5.0
    assert out["ms"]["apply_patches"]["p50_ms"] == 1.5
    shown = out["painted_frames_shown_ms"]
    assert shown["n"] == 53 and shown["under_8ms"] == 0 and shown["p50"] == 16.7
    assert out["longest_send_gaps"][0]["ms"] == 33.3
