"""How long a lossy tile rests before its exact re-send, by the link (converge20)."""

from __future__ import annotations

import pytest

from shared.codec.refine import (
    FAST_LINK,
    NEAR_RTT,
    REFINE_DELAY,
    REFINE_DELAY_SLOW,
    RefinementTracker,
    refine_delay_for,
)


@pytest.mark.parametrize(("rate", "min_rtt", "cap", "delay"), [
    (None, None, None, REFINE_DELAY_SLOW),  # nothing known yet: as before
    (4e6 / 8, 0.045, None, REFINE_DELAY_SLOW),  # the 4 Mbit/s line
    (16e6 / 8, 0.025, None, REFINE_DELAY_SLOW),  # the 16 Mbit/s line
    (16e6 / 8, 0.002, None, REFINE_DELAY_SLOW),  # a slow rate wins over a short round trip
    (FAST_LINK - 1, None, None, REFINE_DELAY_SLOW),
    (FAST_LINK, None, None, REFINE_DELAY),
    (1e9, 0.003, None, REFINE_DELAY),  # loopback, measured
    (None, 0.003, None, REFINE_DELAY),  # loopback, every frame from idle: no rate
    (None, NEAR_RTT + 0.001, None, REFINE_DELAY_SLOW),
    (1e9, 0.003, 500_000, REFINE_DELAY_SLOW),  # the technician capped it to a slow line
    (None, 0.003, FAST_LINK, REFINE_DELAY),
])
def test_only_a_fast_link_refines_after_the_short_rest(
        rate: float | None, min_rtt: float | None, cap: float | None, delay: float) -> None:
    assert refine_delay_for(rate, min_rtt, cap) == delay


def test_the_short_rest_is_what_makes_the_target_reachable() -> None:
    """glass_to_glass's 0.5 s: the rest, the exact re-send's encoding (~0.05-0.1 s on the
    loaded 2-core box), delivery and paint, and the stop itself arriving after the last step."""
    assert REFINE_DELAY <= 0.15 < REFINE_DELAY_SLOW == 0.3


def test_a_tile_is_due_after_the_delay_it_has_now() -> None:
    import numpy as np

    tracker = RefinementTracker((1, 1), 64, REFINE_DELAY_SLOW)
    tracker.note_sent(0, 0, 64, 64, lossy=True)
    tracker.note_changed(np.ones((1, 1), bool), 10.0)
    assert not tracker.due(10.2).any()
    tracker.delay = refine_delay_for(1e9, 0.003)  # the link was measured fast meanwhile
    assert tracker.due(10.2).all()
