"""What macOS must allow, as a pure model (issue 18, item 3), tested on Linux.

The probes' answers here are scripted: they stand in for macOS, which cannot run here. The real
probes are tested on a Mac by tests/platform/test_macos_permissions.py (GitHub's macos runner);
on this machine the real probes must say "allowed", since Linux asks nothing of the kind.
"""

from __future__ import annotations

import sys

import pytest

from agent.platform import macos
from agent.platform.readiness import (
    ALLOWED,
    GateStep,
    Missing,
    Probes,
    SessionGate,
    assess,
)

NO_SCREEN = Probes(screen_recording=False, accessibility=True)
NO_INPUT = Probes(screen_recording=True, accessibility=False)
NOTHING = Probes(screen_recording=False, accessibility=False)
VIEW = frozenset({"view"})
BOTH = frozenset({"view", "control"})


# ------------------------------------------------------------------ assess


def test_all_allowed_is_ready() -> None:
    r = assess(ALLOWED, BOTH | {"clipboard"})
    assert r.ready and r.may_view and r.may_control and not r.restart_may_help


def test_missing_screen_recording_stops_viewing_and_says_where() -> None:
    r = assess(NO_SCREEN, BOTH)
    assert r.missing == (Missing(macos.SCREEN_RECORDING, "view"),)
    assert not r.may_view and r.may_control
    assert r.missing[0].settings_url == (
        "x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture")


def test_missing_accessibility_matters_only_when_control_is_wanted() -> None:
    assert assess(NO_INPUT, VIEW).ready
    r = assess(NO_INPUT, BOTH)
    assert r.missing == (Missing(macos.ACCESSIBILITY, "control"),)
    assert r.may_view and not r.may_control
    assert r.missing[0].settings_url.endswith("?Privacy_Accessibility")


def test_both_missing_are_listed_screen_first() -> None:
    r = assess(NOTHING, BOTH)
    assert [m.pane for m in r.missing] == [macos.SCREEN_RECORDING, macos.ACCESSIBILITY]


def test_restart_may_help_only_after_asking_for_screen_recording() -> None:
    assert not assess(NO_SCREEN, VIEW).restart_may_help
    assert assess(NO_SCREEN, VIEW, asked_screen=True).restart_may_help
    assert not assess(ALLOWED, VIEW, asked_screen=True).restart_may_help
    assert not assess(NO_INPUT, BOTH, asked_screen=True).restart_may_help


# ------------------------------------------------------------------ the session's gate


def test_gate_pauses_the_picture_and_lets_go_when_macos_allows() -> None:
    gate = SessionGate()
    assert gate.update(VIEW, NO_SCREEN, paused=False) == GateStep(pause=True)
    assert gate.holding_view
    assert gate.update(VIEW, NO_SCREEN, paused=True).empty  # asked again: nothing new
    assert gate.update(VIEW, ALLOWED, paused=True) == GateStep(pause=False)
    assert not gate.holding


def test_gate_never_takes_over_someone_elses_pause() -> None:
    gate = SessionGate()
    assert gate.update(VIEW, NO_SCREEN, paused=True).empty  # "still sharing?" paused it
    assert not gate.holding_view
    assert gate.update(VIEW, ALLOWED, paused=True).empty  # so it never resumes it either


def test_gate_holds_control_back_and_grants_it_again() -> None:
    gate = SessionGate()
    assert gate.update(BOTH, NO_INPUT, paused=False) == GateStep(control=False)
    # control is off now (the gate's own doing): nothing more until macOS allows it
    assert gate.update(VIEW, NO_INPUT, paused=False).empty
    assert gate.update(VIEW, ALLOWED, paused=False) == GateStep(control=True)
    assert not gate.holding_control


def test_customer_stopping_control_ends_the_hold() -> None:
    gate = SessionGate()
    gate.update(BOTH, NO_INPUT, paused=False)
    assert gate.customer_control(False)
    assert not gate.holding_control
    assert gate.update(VIEW, ALLOWED, paused=False).empty  # never granted behind her back


def test_customer_control_on_waits_for_accessibility() -> None:
    gate = SessionGate()
    gate.update(VIEW, NO_INPUT, paused=False)
    assert not gate.customer_control(True)
    assert gate.holding_control
    assert gate.update(VIEW, ALLOWED, paused=False) == GateStep(control=True)
    assert gate.customer_control(True)  # allowed now: at once


def test_resume_waits_for_screen_recording() -> None:
    gate = SessionGate()
    gate.update(VIEW, NO_SCREEN, paused=True)  # paused by "still sharing?" first
    assert not gate.customer_resume()
    assert gate.holding_view
    assert gate.update(VIEW, ALLOWED, paused=True) == GateStep(pause=False)
    assert SessionGate().customer_resume()


def test_view_taken_away_while_held_lets_go_without_resuming() -> None:
    gate = SessionGate()
    gate.update(VIEW, NO_SCREEN, paused=False)
    assert gate.update(frozenset(), NO_SCREEN, paused=True).empty
    assert not gate.holding_view


def test_gate_readiness_is_what_it_holds() -> None:
    gate = SessionGate()
    assert gate.readiness().ready
    gate.update(BOTH, NOTHING, paused=False)
    r = gate.readiness(asked_screen=True)
    assert [m.pane for m in r.missing] == [macos.SCREEN_RECORDING, macos.ACCESSIBILITY]
    assert not r.may_view and not r.may_control and r.restart_may_help


# ------------------------------------------------------------------ settings and restart


def test_settings_url_only_for_known_panes() -> None:
    assert macos.privacy_settings_url(macos.ACCESSIBILITY) == (
        "x-apple.systempreferences:com.apple.preference.security?Privacy_Accessibility")
    with pytest.raises(ValueError, match="unknown privacy pane"):
        macos.privacy_settings_url("Privacy_Camera&evil")


def test_app_bundle_is_found_only_inside_one() -> None:
    exe = "/Applications/Fernhilfe Acme.app/Contents/MacOS/fernhilfe-agent-acme"
    assert str(macos.app_bundle(exe)) == "/Applications/Fernhilfe Acme.app"
    assert macos.app_bundle("/usr/local/bin/python3") is None
    assert macos.app_bundle("/x/Contents/MacOS/agent") is None  # no .app around it


def test_relaunch_waits_for_this_process_and_passes_arguments_as_arguments() -> None:
    exe = "/Applications/Fernhilfe Acme.app/Contents/MacOS/fernhilfe-agent-acme"
    cmd = macos.relaunch_command(exe, [exe, "--lang", "de; rm -rf ~"], frozen=True, pid=4242)
    assert cmd[:2] == ["/bin/sh", "-c"]
    assert "kill -0" in cmd[2] and 'exec "$@"' in cmd[2]
    assert "rm -rf" not in cmd[2]  # never pasted into the shell's text
    assert cmd[4] == "4242"
    assert cmd[5:] == ["/usr/bin/open", "-n", "/Applications/Fernhilfe Acme.app", "--args",
                       "--lang", "de; rm -rf ~"]


def test_relaunch_from_source_runs_the_agent_module() -> None:
    cmd = macos.relaunch_command("/venv/bin/python", ["/repo/agent/__main__.py", "--lang", "de"],
                                 frozen=False, pid=7)
    assert cmd[5:] == ["/venv/bin/python", "-m", "agent", "--lang", "de"]
    frozen = macos.relaunch_command("/opt/fernhilfe-agent", ["/opt/fernhilfe-agent"],
                                    frozen=True, pid=7)
    assert frozen[5:] == ["/opt/fernhilfe-agent"]


@pytest.mark.skipif(sys.platform == "darwin", reason="on macOS the probes ask the system")
def test_elsewhere_the_probes_say_allowed_and_ask_nothing() -> None:
    assert macos.screen_recording_allowed() is True
    assert macos.accessibility_allowed(prompt=True) is True
    macos.request_screen_recording()  # nothing to ask: returns
    macos.open_privacy_settings(macos.SCREEN_RECORDING)  # nothing opened
    with pytest.raises(ValueError):
        macos.open_privacy_settings("nonsense")
