"""Is this computer ready to be shown and controlled? A pure model of the OS's answers.

The probes (:mod:`agent.platform.macos`; elsewhere they say "allowed") answer two questions:
may Fernhilfe record the screen, may it post input. From those answers and what the technician
asks for (or the customer allowed), :func:`assess` says what is missing, whether viewing and
control may start, and whether a restart of Fernhilfe may be what is left to do.
:class:`SessionGate` keeps one running session honest: while Screen Recording is missing no
picture goes out (the session pauses instead of sending the wallpaper or black), while
Accessibility is missing control is held back (never input posted into nothing), and both go
on by themselves when macOS allows them.

No Qt, no OS calls, no clock: every answer is passed in, so all of it is tested on Linux.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.platform.macos import ACCESSIBILITY, SCREEN_RECORDING, privacy_settings_url

__all__ = ["ALLOWED", "GateStep", "Missing", "Probes", "Readiness", "SessionGate", "assess"]

#: Seconds between two probes while something is missing (off the GUI thread).
POLL_INTERVAL = 2.0


@dataclass(frozen=True)
class Probes:
    """What the OS answered just now: may we record the screen, may we post input."""

    screen_recording: bool
    accessibility: bool


#: What every system but macOS answers.
ALLOWED = Probes(screen_recording=True, accessibility=True)


@dataclass(frozen=True)
class Missing:
    """One permission the OS has not given: ``pane`` (:data:`~agent.platform.macos.PANES`),
    what it is ``for_`` (``"view"``/``"control"``), the settings address that fixes it."""

    pane: str
    for_: str

    @property
    def settings_url(self) -> str:
        return privacy_settings_url(self.pane)


@dataclass(frozen=True)
class Readiness:
    """The verdict for one set of wanted permissions."""

    missing: tuple[Missing, ...] = ()
    may_view: bool = True
    may_control: bool = True
    #: Screen Recording is missing although the customer already asked macOS for it: macOS
    #: often tells a program about that grant only after it is started again
    restart_may_help: bool = False

    @property
    def ready(self) -> bool:
        return not self.missing


def assess(probes: Probes, wanted: frozenset[str], asked_screen: bool = False) -> Readiness:
    """What ``wanted`` (the session's permission names: ``view``, ``control``, …) needs from
    the OS that ``probes`` says is missing. Control without a picture is no use, so it is
    listed on its own but never makes viewing possible; ``asked_screen``: the customer already
    asked macOS (or opened its settings) for Screen Recording in this run."""
    missing: list[Missing] = []
    may_view = "view" not in wanted or probes.screen_recording
    may_control = "control" not in wanted or probes.accessibility
    if not may_view:
        missing.append(Missing(SCREEN_RECORDING, "view"))
    if not may_control:
        missing.append(Missing(ACCESSIBILITY, "control"))
    return Readiness(tuple(missing), may_view, may_control,
                     restart_may_help=asked_screen and not may_view)


@dataclass(frozen=True)
class GateStep:
    """What the session must do now: ``pause`` True/False (hold / go on with the picture),
    ``control`` True/False (grant back / hold back control); None: leave it as it is."""

    pause: bool | None = None
    control: bool | None = None

    @property
    def empty(self) -> bool:
        return self.pause is None and self.control is None


@dataclass
class SessionGate:
    """Holds the picture and control of one session back while the OS does not allow them.

    Fed the customer's grant and the probes' latest answers (:meth:`update`) and the
    customer's own clicks (:meth:`customer_resume`, :meth:`customer_control`); it answers
    with the one :class:`GateStep` to take. It only ever lets go of what it held itself: a
    pause the customer or "still sharing?" made stays theirs.
    """

    holding_view: bool = False
    holding_control: bool = False
    probes: Probes = field(default=ALLOWED)

    def update(self, granted: frozenset[str], probes: Probes, paused: bool) -> GateStep:
        """The session's grant or the OS's answers changed; ``paused``: sharing is paused
        now for another reason (the gate then does not pause it again)."""
        self.probes = probes
        pause: bool | None = None
        control: bool | None = None
        view = "view" in granted
        if self.holding_view and (probes.screen_recording or not view):
            self.holding_view = False
            pause = False if view else None
        elif view and not probes.screen_recording and not self.holding_view and not paused:
            self.holding_view = True
            pause = True
        if self.holding_control and probes.accessibility:
            self.holding_control = False
            control = True
        elif "control" in granted and not probes.accessibility and not self.holding_control:
            self.holding_control = True
            control = False
        return GateStep(pause, control)

    def customer_resume(self) -> bool:
        """The customer clicked Resume: True if it may go through; False while Screen
        Recording is missing (the gate holds the picture from now on and lets it go when
        macOS allows it)."""
        if self.probes.screen_recording:
            return True
        self.holding_view = True
        return False

    def customer_control(self, enabled: bool) -> bool:
        """The customer switched control on or off: True if the switch goes through now.
        Off always does (and nothing is held back any more); on waits for Accessibility."""
        if not enabled:
            self.holding_control = False
            return True
        if self.probes.accessibility:
            return True
        self.holding_control = True
        return False

    @property
    def holding(self) -> bool:
        return self.holding_view or self.holding_control

    def readiness(self, asked_screen: bool = False) -> Readiness:
        """What the session waits for, for the customer's panel (empty while nothing is
        held)."""
        missing: list[Missing] = []
        if self.holding_view:
            missing.append(Missing(SCREEN_RECORDING, "view"))
        if self.holding_control:
            missing.append(Missing(ACCESSIBILITY, "control"))
        return Readiness(tuple(missing), may_view=not self.holding_view,
                         may_control=not self.holding_control,
                         restart_may_help=asked_screen and self.holding_view)
