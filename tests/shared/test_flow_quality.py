"""The JPEG quality on a full line (issue 16, dsl19): a scroll's moving photographs step down
when an update takes more of the line than 25 updates a second allow, and back up at rest;
lines with room keep the technician's quality. Pure (injected times)."""

from __future__ import annotations

from shared.flow import FRAME_BUDGET, QualityGovernor

DSL4, DSL16, LOOPBACK = 500_000.0, 2_000_000.0, 50e6


def follow(g: QualityGovernor, frame: int, rate: float, seconds: float,
           t0: float = 0.0, chosen: int = 75) -> tuple[int | None, float]:
    """Updates of ``frame`` bytes at 25 a second; the last quality and the time."""
    q: int | None = chosen
    t = t0
    while t < t0 + seconds:
        q = g.update(chosen, frame, rate, False, t)
        t += 1 / 25
    return q, t


def test_a_scroll_on_the_4_mbit_line_steps_the_photographs_down_and_back_up() -> None:
    """g2g's scroll on dsl4 sent 22 kB updates (44 ms of the line each: 21 fps at most) at the
    full quality: the budget of 1/15 s never stepped down (fails on the old default)."""
    g = QualityGovernor()
    q, t = follow(g, 22_000, DSL4, 3.0)
    assert q == 30  # the floor
    q, _ = follow(g, 800, DSL4, 3.0, t)  # the scroll rests: small updates
    assert q == 75


def test_lines_with_room_keep_the_chosen_quality() -> None:
    for rate, frame in ((DSL16, 35_000), (LOOPBACK, 80_000), (DSL4, 12_000)):
        g = QualityGovernor()
        q, _ = follow(g, frame, rate, 3.0)
        assert q == 75, (rate, frame)
    assert 12_000 / DSL4 < FRAME_BUDGET < 22_000 / DSL4
