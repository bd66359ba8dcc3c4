"""How many password guesses a relay (or anyone answering the agent's relay connection) gets.

Each code the agent shows is one SPAKE2 password; whoever joins it gets exactly one online guess.
If every join that does not become a session led straight to a fresh code, a hostile relay that
pairs at once and plays the console with a wrong secret would get a new guess every ~0.1 s
(DESIGN.md §2). So the agent asks this budget what to do after such a join:

* the first failed join of a run may be followed by ONE automatic fresh code (the technician
  mistyped; the customer should not have to click for that);
* after that, a fresh code needs the customer's click ("Get a new code"), and a click buys one code
  only: a failure after it needs another click;
* a join that proved the code (keys agreed: only someone who heard the code can do that) gives the
  one automatic fresh code back;
* from the third failed join in one run on, the customer gets a plain warning about scam calls.

Pure policy: no clock, no I/O. The agent's worker is the thin shell that follows the verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Automatic fresh codes after failed joins, until the customer acts or a join proves the code.
AUTOMATIC_FRESH_CODES = 1
#: From this many failed joins in one run of the agent on, warn the customer about scam calls.
WARN_AFTER_FAILURES = 3


@dataclass(frozen=True)
class Verdict:
    """What follows a failed join: a fresh code at once, or only after the customer's click."""

    automatic: bool
    failures: int  # failed joins in this run of the agent, this one included
    warn: bool  # show the scam-call warning


class GuessBudget:
    """Counts failed joins and decides whether the next code may appear without a click."""

    def __init__(self, automatic: int = AUTOMATIC_FRESH_CODES,
                 warn_after: int = WARN_AFTER_FAILURES) -> None:
        if automatic < 0 or warn_after < 1:
            raise ValueError("automatic must be >= 0 and warn_after >= 1")
        self._allowance = automatic
        self._automatic_left = automatic
        self._warn_after = warn_after
        self.failures = 0

    @property
    def warn(self) -> bool:
        """True once enough joins failed in this run that the customer should be warned."""
        return self.failures >= self._warn_after

    def join_failed(self) -> Verdict:
        """A join did not prove the code (wrong code, silence, abort, relay drop after pairing)."""
        self.failures += 1
        automatic = self._automatic_left > 0
        if automatic:
            self._automatic_left -= 1
        return Verdict(automatic, self.failures, self.warn)

    def code_proved(self) -> None:
        """A join agreed keys: the peer heard the code from the customer, not a guess."""
        self._automatic_left = self._allowance
