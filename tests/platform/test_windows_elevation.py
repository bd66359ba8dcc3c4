"""Windows only: the elevation lookups and the SendSAS decision against the real OS.

Skipped elsewhere: they call user32/advapi32/kernel32 through ctypes, which exist only on
Windows (the platforms workflow runs them on windows-latest). restart_elevated is NOT called
here: it would show a UAC prompt nobody answers on a runner; its argument building is tested
on every platform (tests/agent/test_windows_platform.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "win32",
                                reason="Win32 token and window calls exist only on Windows")


def test_agent_elevation_is_a_plain_answer():
    from agent.platform.windows import agent_is_elevated

    assert agent_is_elevated() in (True, False)


def test_a_child_process_has_our_elevation():
    """A child inherits our token: the lookup by pid must say what we are."""
    from agent.platform.windows import agent_is_elevated, process_is_elevated

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert process_is_elevated(child.pid) is agent_is_elevated()
    finally:
        child.kill()
        child.wait(10)


def test_own_process_and_no_process_are_unknown():
    import os

    from agent.platform.windows import process_is_elevated

    assert process_is_elevated(os.getpid()) is None
    assert process_is_elevated(0) is None


def test_a_process_we_may_not_open_counts_as_elevated_or_unknown():
    """pid 4 is the System process: never openable by a normal program, elevated for us."""
    from agent.platform.windows import agent_is_elevated, process_is_elevated

    verdict = process_is_elevated(4)
    assert verdict in (True, None) or agent_is_elevated()


def test_foreground_lookup_answers_without_raising():
    from agent.platform.windows import foreground_is_elevated

    window, elevated = foreground_is_elevated()
    assert window is None or window > 0
    assert elevated in (True, False, None)


def test_sas_decision_for_this_process():
    """The runner's agent is not a UIAccess program; whether it counts as a service depends on
    how the runner runs it. Only the decision is taken: SendSAS itself is never called here."""
    from agent.platform.windows import SasDecision, sas_allowed

    decision = sas_allowed()
    assert isinstance(decision, SasDecision)
    assert decision.allowed or decision.why
