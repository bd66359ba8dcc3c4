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


def test_a_convergence_timeline_runs_from_the_stop_and_folds_repeats() -> None:
    from bench import frame_path

    frame_path.RATES[:] = [(1.10, None, None, 0.0, None, False, 600_000)]
    frame_path.SENT_SEQS[:] = [7]
    events = [("a_grab", 0.90, -1),  # before the stop's window: left out
              ("a_damage", 1.001, -1), ("a_damage", 1.002, -1), ("a_grab", 1.05, -1),
              ("a_sent", 1.10, 7), ("c_recv", 1.11, 7), ("c_painted", 1.12, -1),
              ("a_paced", 1.13, 5), ("a_ack", 1.13, 7), ("a_grab", 2.0, -1)]
    try:
        out = frame_path.timeline(events, 1.0, 1.125)
    finally:
        frame_path.RATES.clear()
        frame_path.SENT_SEQS.clear()
    assert out["seen_ms"] == 125.0
    assert [row.split(None, 1)[1] for row in out["events"]] == [
        "a_damage x2", "a_grab", "a_sent #7 600000 B", "c_recv #7", "c_painted", "a_ack #7"]


def test_the_sampler_finds_the_shift_and_sees_exact_pixels() -> None:
    import numpy as np

    from bench.g2g.sampler import _best_shift, _mismatch, _pixels

    rng = np.random.default_rng(5)
    screen = rng.integers(0, 256, (120, 160, 4), dtype=np.uint8)
    m = 2
    want = _pixels(screen[20 + m : 100 - m, 30 + m : 130 - m])
    seen = screen.copy()
    seen[:, :, 3] = 0  # alpha is not compared
    whole = _pixels(seen[20 + 1 : 100 + 1, 30 - 2 : 130 - 2])  # the console 1 down, 2 left
    mask = np.ones(want.shape, bool)
    assert _best_shift(whole, want, mask, m) == (2, -1)
    assert _mismatch(whole, want, mask, m, 2, -1) == 0
    assert _mismatch(whole, want, mask, m, 0, 0) > 0
