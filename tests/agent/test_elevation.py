"""The elevation notice's timing (agent.platform.elevation.ElevationWatcher): pure samples with
a hand-made clock, standing in for Windows' answers, which only a Windows desktop gives."""

from __future__ import annotations

from agent.platform.elevation import HOLD, Change, ElevationWatcher, Sample

ADMIN_WINDOW = 111
PLAIN_WINDOW = 222


def sample(now: float, window: int | None = ADMIN_WINDOW, elevated: bool | None = True,
           control: bool = True, agent_elevated: bool = False) -> Sample:
    return Sample(agent_elevated, window, elevated, control, now)


def feed_all(watcher: ElevationWatcher, samples: list[Sample]) -> list[Change | None]:
    return [watcher.feed(s) for s in samples]


def test_shown_only_after_the_state_held():
    w = ElevationWatcher()
    assert feed_all(w, [sample(0.0), sample(0.2), sample(0.4)]) == [None, None, None]
    assert w.feed(sample(HOLD)) is Change.SHOW
    assert w.showing
    assert w.feed(sample(HOLD + 0.2)) is None  # once


def test_an_elevated_window_flashing_past_is_not_worth_a_notice():
    w = ElevationWatcher()
    changes = feed_all(w, [sample(0.0), sample(0.3),
                           sample(0.4, PLAIN_WINDOW, False), sample(1.0, PLAIN_WINDOW, False)])
    assert changes == [None] * 4


def test_hidden_after_the_window_left_for_long_enough():
    w = ElevationWatcher()
    feed_all(w, [sample(0.0), sample(0.5)])
    assert w.feed(sample(0.6, PLAIN_WINDOW, False)) is None  # no flicker
    assert w.feed(sample(1.2, PLAIN_WINDOW, False)) is Change.HIDE


def test_hidden_at_once_when_control_ends_or_the_agent_is_elevated():
    w = ElevationWatcher()
    feed_all(w, [sample(0.0), sample(0.5)])
    assert w.feed(sample(0.6, control=False)) is Change.HIDE
    w = ElevationWatcher()
    feed_all(w, [sample(0.0), sample(0.5)])
    assert w.feed(sample(0.6, agent_elevated=True)) is Change.HIDE


def test_nothing_to_say_without_control_or_when_elevated_ourselves():
    for kwargs in ({"control": False}, {"agent_elevated": True}):
        w = ElevationWatcher()
        assert feed_all(w, [sample(t, **kwargs) for t in (0.0, 1.0, 2.0)]) == [None] * 3


def test_our_own_window_in_front_keeps_the_notice():
    """The customer clicks the notice: our window comes to the front (foreground unknown)."""
    w = ElevationWatcher()
    feed_all(w, [sample(0.0), sample(0.5)])
    assert feed_all(w, [sample(t, 333, None) for t in (0.6, 2.0, 5.0)]) == [None] * 3
    assert w.showing


def test_dismissed_stays_away_until_another_window_comes_to_the_front():
    w = ElevationWatcher()
    feed_all(w, [sample(0.0), sample(0.5)])
    w.dismiss()
    assert feed_all(w, [sample(t) for t in (1.0, 2.0, 3.0)]) == [None] * 3
    w.feed(sample(3.1, PLAIN_WINDOW, False))
    assert w.feed(sample(3.2)) is None
    assert w.feed(sample(3.7)) is Change.SHOW  # the admin window came back: once more


def test_reset_forgets_the_window():
    w = ElevationWatcher()
    feed_all(w, [sample(0.0), sample(0.5)])
    w.reset()
    assert not w.showing
    assert w.feed(sample(1.0)) is None
    assert w.feed(sample(1.5)) is Change.SHOW
