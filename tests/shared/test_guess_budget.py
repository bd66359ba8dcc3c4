"""The guess budget: at most one automatic fresh code after failed joins, then clicks only."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.guess_budget import GuessBudget


def test_one_automatic_code_then_clicks_and_a_warning() -> None:
    budget = GuessBudget()
    first = budget.join_failed()
    assert first.automatic and first.failures == 1 and not first.warn
    second = budget.join_failed()
    assert not second.automatic and not second.warn
    third = budget.join_failed()  # after a click: still no automatic code, now a warning
    assert not third.automatic and third.warn and third.failures == 3


def test_a_proved_code_gives_the_automatic_code_back() -> None:
    budget = GuessBudget()
    assert budget.join_failed().automatic
    budget.code_proved()
    assert budget.join_failed().automatic
    assert not budget.join_failed().automatic


# Events the agent's shell can see: a failed join, a customer's click, a join with the right code.
EVENT = st.sampled_from(["fail", "click", "proved"])


@given(st.lists(EVENT, max_size=60))
def test_a_guesser_gets_one_guess_per_code_read_out_or_requested(events: list[str]) -> None:
    """Simulate the agent: a code is on screen or it waits for a click. Whatever happens, the
    guesses made on codes nobody asked for number at most one per start or proved code."""
    budget = GuessBudget()
    showing = True  # the first code of a run is the customer's (they started the program)
    requested_or_first = 1  # codes the customer asked for (start, clicks)
    proved = 0
    automatic_codes = 0
    guesses = 0
    for event in events:
        if event == "click":
            if not showing:
                showing = True
                requested_or_first += 1
            continue
        if not showing:
            continue  # no code on screen: nobody can join
        if event == "proved":
            budget.code_proved()
            proved += 1
            showing = False  # a session ran; afterwards the customer clicks for a new code
            continue
        guesses += 1
        verdict = budget.join_failed()
        assert verdict.failures == guesses
        assert verdict.warn == (guesses >= 3)
        if verdict.automatic:
            automatic_codes += 1
        showing = verdict.automatic
    assert automatic_codes <= 1 + proved
    assert guesses <= requested_or_first + automatic_codes
