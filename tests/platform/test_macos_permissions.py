"""The macOS privacy probes on a real Mac (issue 18, items 3 and 4): GitHub's macos runner.

Skipped elsewhere (the reason says so): Screen Recording and Accessibility exist only on macOS;
on Linux and Windows the probes say "allowed", which tests/agent/test_readiness.py checks. The
runner's answers are whatever its image grants the Python that runs the tests, so these tests
check that the probes answer (bools, quickly, no crash, no hang) and that the customer reads the
text that matches the actual answers, not which answer it is. The settings address is checked
everywhere.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

import pytest

from agent.platform import macos

ON_MAC = sys.platform == "darwin"
mac_only = pytest.mark.skipif(not ON_MAC, reason="macOS privacy permissions exist only on macOS")


def test_settings_addresses_open_privacy_and_security() -> None:
    assert macos.privacy_settings_url(macos.SCREEN_RECORDING) == (
        "x-apple.systempreferences:com.apple.preference.security?Privacy_ScreenCapture")
    assert macos.privacy_settings_url(macos.ACCESSIBILITY) == (
        "x-apple.systempreferences:com.apple.preference.security?Privacy_Accessibility")


def answers_within(fn: Callable[[], object], seconds: float = 10.0) -> object:
    """Call ``fn`` on a thread; its answer, or fail if it hangs (a probe must never block)."""
    box: list[object] = []
    thread = threading.Thread(target=lambda: box.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert box, f"{fn} did not answer within {seconds} s"
    return box[0]


@mac_only
def test_probes_answer_with_bools_without_asking() -> None:
    screen = answers_within(macos.screen_recording_allowed)
    trusted = answers_within(lambda: macos.accessibility_allowed(prompt=False))
    assert isinstance(screen, bool) and isinstance(trusted, bool)
    print(f"this runner: screen recording {screen}, accessibility {trusted}")


@mac_only
def test_asking_returns_and_the_answer_is_still_a_bool() -> None:
    """The system's dialogs are asynchronous: asking returns at once, even with nobody there
    to answer (the runner has no person at its screen)."""
    answers_within(macos.request_screen_recording)
    trusted = answers_within(lambda: macos.accessibility_allowed(prompt=True))
    assert isinstance(trusted, bool)


@mac_only
def test_customer_reads_what_the_runner_answers(qtbot) -> None:
    from agent.platform.readiness import assess
    from agent.ui.mac_permissions import MacPermissionNotice, current_probes

    probes = current_probes()
    notice = MacPermissionNotice()
    qtbot.addWidget(notice)
    notice.show_readiness(assess(probes, frozenset({"view", "control"})))
    text = notice.text()
    assert ("System Settings → Privacy & Security → Screen Recording" in text) is (
        not probes.screen_recording)
    assert ("System Settings → Privacy & Security → Accessibility" in text) is (
        not probes.accessibility)
    assert notice.isHidden() is (probes.screen_recording and probes.accessibility)


@mac_only
def test_the_relaunch_command_names_this_python() -> None:
    cmd = macos.relaunch_command(sys.executable, [sys.argv[0]], frozen=False, pid=1)
    assert cmd[5] == sys.executable and cmd[6:8] == ["-m", "agent"]
