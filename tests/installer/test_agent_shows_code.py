"""The Windows/macOS CI check "the built agent shows a code" (installer/ci/agent_shows_code.py).

Its calls into UI Automation and System Events run only on the CI runners; everything it decides
runs here: which accessible text holds a code (the format is shared.codes'), how the readers'
output is read, how the agent is started, waiting with a deadline and giving up when the agent
dies, and the real relay it starts and stops.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer" / "ci"))
import agent_shows_code as check

from shared.codes import new_secret


@pytest.mark.parametrize("texts, code", [
    (["Remote support by Fernhilfe", "Your code: 123 456 789"], "123 456 789"),
    (["Ihr Code: 4711 000 123"], "4711 000 123"),  # a longer nameplate (a busy relay)
    (["Code:\u00a0123\u00a0456\u00a0789"], "123 456 789"),  # non-breaking spaces from the OS
    (["123 456 789"], "123 456 789"),
])
def test_a_code_in_the_accessible_texts_is_found(texts: list[str], code: str) -> None:
    assert check.find_code(texts) == code


@pytest.mark.parametrize("texts", [
    [],
    ["Remote support by Fernhilfe", "Connecting…"],
    ["Call us: +49 30 1234567"],  # the branding's phone number is not a code
    ["12 456 789"],  # nameplate too short
    ["12345678 456 789"],  # nameplate too long: 8 digits
    ["123 456 7890"],  # a digit too many in the last group
    ["Valid for 09:59"],
])
def test_other_texts_are_not_taken_for_a_code(texts: list[str]) -> None:
    assert check.find_code(texts) is None


def test_every_code_the_agent_can_draw_is_found() -> None:
    from shared.codes import SessionCode

    for nameplate in ("100", "999", "1234567"):
        code = SessionCode(nameplate, new_secret())
        assert check.find_code([f"Your code: {code.display()}"]) == code.display()


def test_reader_output_is_one_text_per_line() -> None:
    assert check.split_texts("Fernhilfe\r\n\r\n  Your code: 123 456 789  \n\n") == [
        "Fernhilfe", "Your code: 123 456 789"]


def test_how_the_agent_is_named_and_started(tmp_path: Path) -> None:
    exe = Path("dist/fernhilfe-agent-acme.exe")
    app = Path("dist/fernhilfe-agent-acme.app")
    assert check.process_name(exe) == check.process_name(app) == "fernhilfe-agent-acme"
    assert check.agent_command(exe, "ws://127.0.0.1:9/v1") == [
        str(exe), "--relay", "ws://127.0.0.1:9/v1"]
    assert check.agent_command(app, "ws://x/v1")[0] == str(
        app / "Contents" / "MacOS" / "fernhilfe-agent-acme")


def test_each_platform_has_its_reader_and_linux_is_told_where_its_check_is() -> None:
    win = check.texts_command("win32", "fernhilfe-agent-acme")
    assert win[0] == "powershell" and win[-2:] == ["-ProcessName", "fernhilfe-agent-acme"]
    assert Path(win[win.index("-File") + 1]).is_file()
    mac = check.texts_command("darwin", "fernhilfe-agent-acme")
    assert mac[0] == "osascript" and Path(mac[1]).is_file() and mac[2] == "fernhilfe-agent-acme"
    with pytest.raises(check.CheckFailed, match="test_onefile_agent"):
        check.texts_command("linux", "x")
    assert check.screenshot_command("darwin", Path("s.png")) == ["screencapture", "-x", "s.png"]
    assert check.screenshot_command("win32", Path("s.png")) is None  # mss


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_waits_until_the_code_shows() -> None:
    clock = Clock()
    answers = iter([([], "not yet"), (["Connecting…"], ""), (["Your code: 555 123 456"], "")])
    code, texts = check.wait_for_code(lambda: next(answers), timeout=30, clock=clock,
                                      sleep=clock.sleep)
    assert code == "555 123 456" and texts == ["Your code: 555 123 456"]
    assert clock.now == 2.0


def test_gives_up_at_the_deadline_saying_what_it_saw() -> None:
    clock = Clock()
    with pytest.raises(check.CheckFailed) as failed:
        check.wait_for_code(lambda: (["Connecting…"], "osascript is not allowed assistive access"),
                            timeout=5, clock=clock, sleep=clock.sleep)
    assert "no code within 5 s" in str(failed.value)
    assert "Connecting…" in str(failed.value) and "assistive access" in str(failed.value)
    assert clock.now == 5.0


def test_gives_up_at_once_when_the_agent_is_gone() -> None:
    clock = Clock()
    with pytest.raises(check.CheckFailed, match="exited before"):
        check.wait_for_code(lambda: ([], ""), timeout=60, alive=lambda: False, clock=clock,
                            sleep=clock.sleep)
    assert clock.now == 0.0


def test_a_reader_that_fails_or_hangs_is_a_complaint_not_a_crash(tmp_path: Path) -> None:
    texts, complaint = check.read_texts(["/nonexistent/reader"])
    assert texts == [] and "/nonexistent/reader" in complaint
    texts, complaint = check.read_texts(
        [sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert texts == [] and "timed out" in complaint
    texts, _ = check.read_texts(
        [sys.executable, "-c", "print('A'); print('Your code: 321 654 987')"])
    assert check.find_code(texts) == "321 654 987"


def test_the_relay_it_starts_is_real_on_loopback_and_stopped() -> None:
    relay, url = check.start_relay()
    try:
        assert url.startswith("ws://127.0.0.1:") and relay.poll() is None
    finally:
        check.stop(relay)
    assert relay.poll() is not None


def test_a_missing_build_fails_with_the_path(tmp_path: Path) -> None:
    with pytest.raises(check.CheckFailed, match="no built agent"):
        check.run_check(tmp_path / "fernhilfe-agent-x.exe", tmp_path / "shot.png", 1, "win32")


def test_command_line_says_failed_and_exits_1(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(Path(check.__file__)), "--agent", str(tmp_path / "none.exe"),
         "--shot", str(tmp_path / "s.png"), "--timeout", "1"],
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and done.stderr.startswith("FAILED: no built agent")
