"""CI check on Windows and macOS: the built agent starts and shows a session code.

Run by .github/workflows/platforms.yml after the one-file build, with the project's venv Python:

    python installer/ci/agent_shows_code.py --agent dist/fernhilfe-agent-example-it-service.exe \
        --shot ci-artifacts/agent-code.png

It starts a real relay on a free loopback port (``python -m relay``), starts the built agent
pointed at it (``--relay``; the example branding's own relay URL is not reachable from CI), and
reads the texts the agent's windows offer to assistive technology until one of them holds a code:
on Windows through UI Automation (``uia_texts.ps1``: PowerShell's own UIAutomationClient
assembly), on macOS through System Events (``ax_texts.applescript``, osascript; the hosted runner
must let osascript use accessibility, which the workflow grants first). A screenshot is saved
either way, found or not, so a failed run shows what the agent showed.

Why accessible texts and not pixels: the code label's accessible name is "Your code: 123 456 789"
(agent/ui/code_window.py), so the check also proves a screen reader user hears the code.

The logic (which text is a code, how the tools' output is read, waiting with a deadline, always
stopping what was started) is pure or takes its I/O as arguments, and is unit-tested on Linux in
tests/installer/test_agent_shows_code.py. The calls into UI Automation and System Events run only
on the CI runners.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))  # shared/ (the code's format) when run as a script

from shared.codes import SessionCode  # noqa: E402
from shared.errors import CodeError  # noqa: E402

#: A code as the agent shows it: nameplate (3..7 digits), then the secret in two groups of three.
#: Blanks of any kind between the groups (Qt may hand a non-breaking space to the OS).
_CODE = re.compile(r"(?<!\d)(\d{3,7})[\s\u00a0\u202f](\d{3})[\s\u00a0\u202f](\d{3})(?!\d)")

#: What one run of the text reader may print before it is cut (a runaway tree is not a code).
MAX_TEXT_BYTES = 1_000_000


class CheckFailed(Exception):
    """The agent did not show a code in time; the message says what was seen instead."""


def find_code(texts: Iterable[str]) -> str | None:
    """The first session code in ``texts``, as ``"NNN NNN NNN"``; None if there is none.

    A run of digits only counts when it is a valid :class:`shared.codes.SessionCode` (the same
    rule the console applies), so a phone number or a clock on the screen is not taken for one.
    """
    for text in texts:
        for match in _CODE.finditer(text):
            nameplate, first, second = match.groups()
            try:
                code = SessionCode(nameplate, first + second)
            except CodeError:
                continue
            return code.display()
    return None


def split_texts(output: str) -> list[str]:
    """The tools print one accessible text per line; blank lines and padding mean nothing."""
    return [line.strip() for line in output.splitlines() if line.strip()]


def process_name(agent: Path) -> str:
    """What the OS calls the agent's process: the .exe's stem, or the .app's name."""
    name = agent.name
    for suffix in (".exe", ".app"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def agent_command(agent: Path, relay_url: str) -> list[str]:
    """How to start the built agent: the .exe or file itself, or the program inside a .app."""
    if agent.suffix == ".app":
        program = agent / "Contents" / "MacOS" / process_name(agent)
        return [str(program), "--relay", relay_url]
    return [str(agent), "--relay", relay_url]


def texts_command(platform: str, name: str) -> list[str]:
    """The command that prints the accessible texts of ``name``'s windows, one per line."""
    if platform == "win32":
        return ["powershell", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass",
                "-File", str(HERE / "uia_texts.ps1"), "-ProcessName", name]
    if platform == "darwin":
        return ["osascript", str(HERE / "ax_texts.applescript"), name]
    raise CheckFailed(
        f"no accessibility reader for {platform!r}: on Linux the built agent is checked by "
        "tests/installer/test_onefile_agent.py")


def screenshot_command(platform: str, path: Path) -> list[str] | None:
    """A command that saves the screen to ``path``; None where Python's mss does it."""
    if platform == "darwin":
        return ["screencapture", "-x", str(path)]  # -x: no sound
    return None


def read_texts(command: Sequence[str], timeout: float = 30.0) -> tuple[list[str], str]:
    """Run the reader once: its texts, and what it said on stderr (a permission error)."""
    try:
        done = subprocess.run(list(command), capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [], f"{command[0]}: {exc}"
    out = done.stdout[:MAX_TEXT_BYTES].decode("utf-8", "replace")
    return split_texts(out), done.stderr.decode("utf-8", "replace").strip()


def wait_for_code(read: Callable[[], tuple[list[str], str]], *, timeout: float,
                  alive: Callable[[], bool] = lambda: True, interval: float = 1.0,
                  clock: Callable[[], float] = time.monotonic,
                  sleep: Callable[[float], None] = time.sleep) -> tuple[str, list[str]]:
    """Poll ``read`` until a code shows up; the code and the texts it was found in.

    Raises CheckFailed when ``timeout`` passes or the agent is gone, saying the last texts seen
    and the reader's last complaint (on macOS, "not allowed assistive access" names the fix).
    """
    deadline = clock() + timeout
    texts: list[str] = []
    complaint = ""
    while True:
        texts, complaint = read()
        code = find_code(texts)
        if code is not None:
            return code, texts
        if not alive():
            raise CheckFailed(f"the agent exited before it showed a code; last texts: {texts!r}"
                              + (f"; reader: {complaint}" if complaint else ""))
        if clock() >= deadline:
            raise CheckFailed(f"no code within {timeout:g} s; last texts: {texts!r}"
                              + (f"; reader: {complaint}" if complaint else ""))
        sleep(interval)


def start_relay() -> tuple[subprocess.Popen[str], str]:
    """A real relay on a free loopback port (the port is the kernel's choice: never fixed)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0",
         "--drain-timeout", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    try:
        return proc, str(json.loads(line)["url"])
    except (ValueError, KeyError) as exc:
        stop(proc)
        raise CheckFailed(f"the relay did not start (said {line!r})") from exc


def stop(proc: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """Terminate, then kill; always reaped."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def save_screenshot(path: Path, platform: str = sys.platform) -> str:
    """Save the whole screen to ``path``; an empty string, or why it could not be saved."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = screenshot_command(platform, path)
    try:
        if command is not None:
            subprocess.run(command, check=True, timeout=30, capture_output=True)
        else:
            import mss
            import mss.tools

            with mss.MSS() as sct:
                shot = sct.grab(sct.monitors[0])
                mss.tools.to_png(shot.rgb, shot.size, output=str(path))
    except Exception as exc:  # a screenshot is evidence, never the verdict
        return f"screenshot not saved: {exc}"
    return ""


def run_check(agent: Path, shot: Path, timeout: float, platform: str = sys.platform) -> str:
    """Relay up, agent up, code found (or CheckFailed), screenshot saved, everything stopped."""
    if not agent.exists():
        raise CheckFailed(f"no built agent at {agent}")
    reader = texts_command(platform, process_name(agent))
    relay, url = start_relay()
    try:
        with tempfile.TemporaryDirectory(prefix="fernhilfe-ci-") as data:
            env = dict(os.environ, FERNHILFE_DATA_DIR=data)
            proc = subprocess.Popen(agent_command(agent, url), env=env)
            try:
                try:
                    code, _texts = wait_for_code(lambda: read_texts(reader), timeout=timeout,
                                                 alive=lambda: proc.poll() is None)
                finally:
                    problem = save_screenshot(shot, platform)
                    if problem:
                        print(problem, file=sys.stderr)
            finally:
                stop(proc)
    finally:
        stop(relay)
    return code


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--agent", type=Path, required=True, help="the built .exe, .app or file")
    p.add_argument("--shot", type=Path, required=True, help="where the screenshot goes (.png)")
    p.add_argument("--timeout", type=float, default=90.0, help="seconds to wait for the code")
    args = p.parse_args(argv)
    try:
        code = run_check(args.agent, args.shot, args.timeout)
    except CheckFailed as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    # The digits are a throwaway code of a loopback relay that is gone now: fine in a CI log.
    print(f"OK: the agent shows the code {code} (screenshot: {args.shot})")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
