"""bench/link_rate.py's basis for the uplink figure of tests/e2e/test_link_rate.py: of the line's
idle time only what fell while the rate control held the agent back counts against it."""

from __future__ import annotations

import pytest

from bench.link_rate import controlled_use, overlap


def test_overlap_of_span_lists() -> None:
    assert overlap([(0.0, 1.0), (2.0, 3.0)], [(0.5, 2.5)]) == pytest.approx(1.0)
    assert overlap([(0.0, 1.0)], [(1.0, 2.0)]) == 0.0
    assert overlap([(0.0, 10.0)], [(1.0, 2.0), (3.0, 4.0), (9.5, 12.0)]) == pytest.approx(2.5)
    assert overlap([], [(0.0, 1.0)]) == 0.0


def test_idle_while_held_counts_idle_while_free_does_not() -> None:
    # 10 s window, the line idle 4 s: 1 s of it while the control held the agent back
    up = {"seconds": 10.0, "idle": [[1.0, 2.0], [5.0, 8.0]]}
    held = [(0.5, 1.5), (1.5, 1.6), (9.0, 9.5)]
    r = controlled_use(up, held)
    assert r["idle_s"] == pytest.approx(4.0) and r["idle_held_s"] == pytest.approx(0.6)
    assert r["controlled_utilisation"] == pytest.approx(6.0 / 6.6, abs=1e-3)
    # held all the while: the raw share (6 of 10 s busy)
    assert controlled_use(up, [(0.0, 10.0)])["controlled_utilisation"] == pytest.approx(0.6)
