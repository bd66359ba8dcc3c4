""""Still sharing?" timer (shared/share_check.py): asked after the interval, paused without an
answer within the answer time, Continue and Resume start a fresh interval; any sequence of calls
keeps the rules (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.share_check import (
    ANSWER_WITHIN,
    DEFAULT_MINUTES,
    Asked,
    CheckState,
    ShareCheck,
    TimedOut,
    check_minutes,
)


def test_asks_after_the_interval_then_pauses_without_an_answer() -> None:
    check = ShareCheck(now=100.0)
    assert check.next_deadline == 100.0 + DEFAULT_MINUTES * 60
    assert check.tick(100.0 + DEFAULT_MINUTES * 60 - 0.1) is None
    assert check.tick(1900.0) == Asked(ANSWER_WITHIN)
    assert check.state is CheckState.ASKING
    assert check.next_deadline == 1900.0 + ANSWER_WITHIN
    assert check.answer_left(1930.0) == pytest.approx(30.0)
    assert check.tick(1959.9) is None
    assert check.tick(1960.0) == TimedOut()
    assert check.state is CheckState.PAUSED
    assert check.next_deadline is None
    assert check.tick(10**9) is None  # paused stays paused: only Resume goes on
    assert check.answer_left(2000.0) == 0.0


def test_continue_in_time_starts_a_fresh_interval() -> None:
    check = ShareCheck(now=0.0, interval=600.0, answer_within=60.0)
    assert check.tick(600.0) == Asked(60.0)
    assert check.confirm(630.0)
    assert check.state is CheckState.SHARING
    assert check.next_deadline == 1230.0
    assert check.tick(660.0) is None  # the old answer deadline is forgotten


def test_resume_after_the_pause_starts_a_fresh_interval() -> None:
    check = ShareCheck(now=0.0, interval=10.0, answer_within=5.0)
    check.tick(10.0)
    check.tick(15.0)
    assert not check.confirm(16.0)  # a late Continue does not un-pause
    assert check.state is CheckState.PAUSED
    assert check.resume(20.0)
    assert check.next_deadline == 30.0
    assert not check.resume(21.0)  # a double click does nothing


def test_a_late_tick_still_asks_first_with_the_whole_answer_time() -> None:
    check = ShareCheck(now=0.0, interval=10.0, answer_within=5.0)
    assert check.tick(1000.0) == Asked(5.0)  # e.g. the laptop slept through both deadlines
    assert check.next_deadline == 1005.0


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_times_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="interval"):
        ShareCheck(now=0.0, interval=bad)
    with pytest.raises(ValueError, match="answer_within"):
        ShareCheck(now=0.0, answer_within=bad)


@pytest.mark.parametrize("value", [10, 30, 120])
def test_minutes_in_range(value: int) -> None:
    assert check_minutes(value) == value


@pytest.mark.parametrize(("value", "says"), [
    (9, "between"), (121, "between"), (0, "between"), ("30", "whole number"),
    (30.0, "whole number"), (True, "whole number"), (None, "whole number"),
])
def test_minutes_out_of_range_are_refused(value: object, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        check_minutes(value)


_ACTIONS = st.lists(st.tuples(st.sampled_from(["tick", "confirm", "resume"]),
                              st.floats(min_value=0.0, max_value=50.0)), max_size=60)


@given(_ACTIONS, st.floats(min_value=0.5, max_value=30.0), st.floats(min_value=0.5,
                                                                      max_value=10.0))
def test_any_sequence_keeps_the_rules(actions: list[tuple[str, float]], interval: float,
                                      answer: float) -> None:
    """Time only moves forward; whatever the order of ticks and clicks: never paused without
    having asked and waited the whole answer time, a deadline exactly while not paused, and
    Continue/Resume only count in their own state."""
    now = 0.0
    check = ShareCheck(now, interval, answer)
    asked_at: float | None = None
    for action, step in actions:
        now += step
        before = check.state
        if action == "tick":
            due = check.next_deadline
            result = check.tick(now)
            if result is None:
                assert check.state is before
                assert due is None or now < due
            elif isinstance(result, Asked):
                assert before is CheckState.SHARING and check.state is CheckState.ASKING
                assert result.seconds == answer
                asked_at = now
            else:
                assert isinstance(result, TimedOut)
                assert before is CheckState.ASKING and check.state is CheckState.PAUSED
                assert asked_at is not None and now >= asked_at + answer  # as the deadline is kept
        elif action == "confirm":
            assert check.confirm(now) == (before is CheckState.ASKING)
        else:
            assert check.resume(now) == (before is CheckState.PAUSED)
        if before is not check.state and check.state is CheckState.SHARING:
            assert check.next_deadline == now + interval
        assert (check.next_deadline is None) == (check.state is CheckState.PAUSED)
