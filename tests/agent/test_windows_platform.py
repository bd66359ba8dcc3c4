"""The pure decisions of agent.platform.windows: restart arguments, the foreground verdict,
SendSAS's policy, the Ctrl+Alt+Del chord. The Win32 calls themselves run on the Windows
runner (tests/platform/test_windows_*.py); nothing here calls them."""

from __future__ import annotations

import pytest

from agent.platform.windows import (
    ERROR_ACCESS_DENIED,
    ERROR_CANCELLED,
    RestartOutcome,
    SasOutcome,
    is_sas_chord,
    judge_foreground,
    restart_arguments,
    restart_command,
    restart_outcome,
    sas_decision,
)
from agent.platform.windows_input import SasKeys


def test_restart_keeps_only_relay_and_language():
    argv = ["--relay", "wss://relay.example/v1", "--show-audit", "--lang=de", "--records",
            "--unknown", "x"]
    assert restart_arguments(argv) == ["--relay", "wss://relay.example/v1", "--lang=de"]
    assert restart_arguments(["--relay"]) == []  # a dangling option is dropped, not guessed


def test_restart_command_frozen_and_from_source():
    exe = r"C:\Program Files\Fernhilfe\fernhilfe-agent.exe"
    argv = [exe, "--relay", "wss://relay.example/v1", "--lang", "de"]
    assert restart_command(exe, argv, frozen=True) == (
        exe, "--relay wss://relay.example/v1 --lang de")
    py = r"C:\Python 311\python.exe"
    assert restart_command(py, ["agent", "--lang", "de"], frozen=False) == (
        py, "-m agent --lang de")


def test_restart_parameters_are_quoted_for_windows():
    _file, params = restart_command("a.exe", ["a.exe", "--relay", 'wss://h/v1 "x"'], True)
    assert params == '--relay "wss://h/v1 \\"x\\""'


def test_restart_outcome_from_shell_execute():
    assert restart_outcome(True, 0) is RestartOutcome.STARTED
    assert restart_outcome(False, ERROR_CANCELLED) is RestartOutcome.CANCELLED
    assert restart_outcome(False, 2) is RestartOutcome.FAILED


def test_foreground_verdict():
    assert judge_foreground(0, 10, None, None) is None  # no window in front
    assert judge_foreground(10, 10, None, None) is None  # our own window says nothing
    assert judge_foreground(20, 10, ERROR_ACCESS_DENIED, None) is True
    assert judge_foreground(20, 10, 87, None) is None
    assert judge_foreground(20, 10, None, True) is True
    assert judge_foreground(20, 10, None, False) is False


@pytest.mark.parametrize(("policy", "service", "ui_access", "allowed", "as_user"), [
    (None, False, False, False, False),  # the usual agent: not allowed
    (3, False, False, False, False),  # policy allows, but the agent is neither
    (None, True, False, False, False),
    (1, True, False, True, False),
    (3, True, False, True, False),
    (2, True, False, False, False),
    (2, False, True, True, True),
    (3, False, True, True, True),
    (1, False, True, False, False),
    (0, False, True, False, False),
])
def test_sas_policy(policy, service, ui_access, allowed, as_user):
    decision = sas_decision(policy, service, ui_access)
    assert decision.allowed is allowed
    assert decision.as_user is as_user
    assert bool(decision.why) is not allowed


def test_sas_chord():
    assert is_sas_chord("Delete", {"ControlLeft", "AltLeft"})
    assert is_sas_chord("NumpadDecimal", {"ControlRight", "AltRight"})
    assert not is_sas_chord("Delete", {"ControlLeft"})
    assert not is_sas_chord("Delete", {"AltLeft", "ShiftLeft"})
    assert not is_sas_chord("End", {"ControlLeft", "AltLeft"})


def test_sas_keys_answers_the_chord_and_reports():
    heard: list[SasOutcome] = []
    calls: list[int] = []

    def send() -> SasOutcome:
        calls.append(1)
        return SasOutcome.NOT_ALLOWED

    keys = SasKeys(send, heard.append)
    assert not keys.intercept("Delete", {"ControlLeft"})
    assert keys.intercept("Delete", {"ControlLeft", "AltLeft"})
    assert calls == [1] and heard == [SasOutcome.NOT_ALLOWED]


def test_sas_keys_failure_is_reported_not_raised():
    def broken() -> SasOutcome:
        raise OSError("sas.dll missing")

    heard: list[SasOutcome] = []
    assert SasKeys(broken, heard.append).intercept("Delete", {"ControlLeft", "AltLeft"})
    assert heard == [SasOutcome.FAILED]
