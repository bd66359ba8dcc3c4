"""No session without a record: an audit folder that is read-only, missing or full never makes the
agent or the console hang or die silently (issue 9, item 6).

Real failures, not mocks: a real read-only filesystem (a tmpfs remounted ``ro``), a folder that is
a file, and a real full filesystem (a 64 KiB tmpfs filled up). Mounting needs root; without it
these tests are skipped (``tests/shared/test_audit.py`` covers the write layer with an injected
ENOSPC). The agent is the real AgentApp under Xvfb, the console the real program on its own
display, the relay the real one.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from agent.app import AgentApp
from agent.config import AgentConfig
from bench.support.xvfb import XvfbDisplay
from tests.e2e.conftest import ROOT, Console, allow, shown_code

pytestmark = pytest.mark.e2e


class Tmpfs:
    """A tiny real filesystem this test can make read-only or fill up."""

    def __init__(self, path: Path, size: str = "64k") -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {out.stderr.strip()}")

    def read_only(self, ro: bool = True) -> None:
        mode = "ro" if ro else "rw"
        subprocess.run(["mount", "-o", f"remount,{mode}", str(self.path)], check=True)

    def fill(self) -> None:
        """Write until the filesystem is full (ENOSPC)."""
        with contextlib.suppress(OSError), (self.path / "filler").open("wb") as fh:
            while True:
                fh.write(b"\0" * 4096)
                fh.flush()

    def unfill(self) -> None:
        (self.path / "filler").unlink(missing_ok=True)

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=False)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Tmpfs]:
    fs = Tmpfs(tmp_path / "fs")
    yield fs
    fs.unmount()


def start_agent(qtbot, relay_url: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                agents: list[AgentApp]) -> AgentApp:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(data_dir))
    app = AgentApp(AgentConfig(relay_url=relay_url, organisation="Acme IT"))
    qtbot.addWidget(app.window)
    app.window.move(0, 0)
    app.start()
    agents.append(app)
    return app


def click_action(qtbot, app: AgentApp) -> None:
    qtbot.waitUntil(lambda: app.window.action_text() != "", timeout=5000)
    qtbot.mouseClick(app.window._action, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("kind", ["read_only", "missing", "full"])
def test_agent_shows_no_code_without_a_record_and_recovers(
        qtbot, relay_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        agents: list[AgentApp], kind: str) -> None:
    if kind == "missing":
        data = tmp_path / "data"
        data.write_text("a file where the data folder should be")
        fs = None
    else:
        fs = Tmpfs(tmp_path / "fs")
        data = fs.path
        if kind == "full":
            (data / "audit").mkdir()
            fs.fill()
        else:
            fs.read_only()
    try:
        app = start_agent(qtbot, relay_url, data, monkeypatch, agents)
        win = app.window
        qtbot.waitUntil(lambda: win.state == "error", timeout=15000)
        assert "cannot save the record" in win.message_text()
        assert win.code_text() == "" and win.action_text() == "Try again"
        click_action(qtbot, app)  # still responsive: tries again, still no code
        qtbot.wait(1500)  # the stimulus: 1.5 s after the retry, watched
        assert win.state == "error" and win.code_text() == ""
        # The customer frees space / the folder comes back: "Try again" gives a code.
        if kind == "missing":
            data.unlink()
        elif kind == "full":
            assert fs is not None
            fs.unfill()
        else:
            assert fs is not None
            fs.read_only(False)
        click_action(qtbot, app)
        assert shown_code(qtbot, app)
    finally:
        if fs is not None:
            fs.unmount()  # lazy: the agent may still hold the folder


@pytest.mark.parametrize("trigger", ["revoke_control", "end"])
def test_record_failing_mid_session_ends_it_for_both(
        qtbot, relay_url: str, console: Console, tmpfs: Tmpfs, monkeypatch: pytest.MonkeyPatch,
        agents: list[AgentApp], trigger: str) -> None:
    app = start_agent(qtbot, relay_url, tmpfs.path, monkeypatch, agents)
    code = shown_code(qtbot, app)
    console.enter_code(code)
    allow(qtbot, app, control=True)
    qtbot.waitUntil(lambda: app.overlay is not None, timeout=15000)
    console.wait_audit("permissions_changed")
    tmpfs.read_only()  # the customer's records folder stops being writable mid-session
    overlay = app.overlay
    assert overlay is not None
    button = (overlay.panel.control_button if trigger == "revoke_control"
              else overlay.panel.end_button)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    # The overlay closes, the customer reads why, input is released, the agent stays usable.
    qtbot.waitUntil(lambda: app.overlay is None and app.window.state == "ended", timeout=10000)
    assert "cannot save the record" in app.window.message_text()
    inp = app.worker.input
    assert inp is None or (inp.wait_idle() and inp.released)
    ended = console.wait_audit("session_ended")
    # The technician hears it too: the audit failure itself, or the customer's End.
    assert ended["reason"] == ("audit_failed" if trigger == "revoke_control"
                               else "customer_ended")
    tmpfs.read_only(False)
    click_action(qtbot, app)
    assert shown_code(qtbot, app, previous=code) != code


def test_console_without_a_record_reports_it_and_agent_goes_on(
        qtbot, relay_url: str, tech_display: XvfbDisplay, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp]) -> None:
    """The technician's records folder is missing (a file is in the way): the console says so
    (its log and its connect window) instead of hanging in "Connecting…", and it finds out
    before it joins, so the customer's code stays valid."""
    settings = tmp_path / "console.ini"
    settings.write_text("[technician]\nname=Eva Technik\norganisation=Acme IT\n"
                        f"[relay]\nurl={relay_url}\n")
    blocked = tmp_path / "console-data"
    blocked.write_text("a file where the data folder should be")
    log = tmp_path / "console.log"
    env = tech_display.env(FERNHILFE_DATA_DIR=str(blocked), LANG="C.UTF-8")
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "--relay", relay_url, "--settings", str(settings),
             "--lang", "en"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        app = start_agent(qtbot, relay_url, tmp_path / "agent-data", monkeypatch, agents)
        code = shown_code(qtbot, app)
        Console(proc, tech_display, blocked).enter_code(code)
        qtbot.waitUntil(lambda: "audit record unavailable" in log.read_text(), timeout=15000)
        # The console checked before joining: the customer's code is not spent, no guess used.
        qtbot.wait(1000)  # the stimulus: a second for a join to arrive, were one sent
        assert app.window.state == "code" and app.window.code_text() == code
        assert app.worker.budget.failures == 0
        assert proc.poll() is None  # the console is still running
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
        if proc.poll() is None:
            os.kill(proc.pid, 9)


def test_console_record_failing_mid_session_ends_it_for_both(
        qtbot, relay_url: str, tmpfs: Tmpfs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        agents: list[AgentApp]) -> None:
    """The technician's records folder turns read-only mid-session; their next recorded action
    (a quality change) ends the session: both windows say why. The console runs in this process
    here (its windows are read directly); its folder is a real read-only tmpfs."""
    import console.driver
    from console.app import ConsoleApp

    monkeypatch.setattr(console.driver, "default_audit_dir", lambda: tmpfs.path / "audit")
    ini = tmp_path / "console.ini"
    ini.write_text("[technician]\nname=Eva Technik\norganisation=Acme IT\n"
                   f"[relay]\nurl={relay_url}\n")
    con = ConsoleApp(relay_url, str(ini))
    qtbot.addWidget(con.connect_window)
    con.start()
    try:
        app = start_agent(qtbot, relay_url, tmp_path / "agent-data", monkeypatch, agents)
        code = shown_code(qtbot, app)
        con.connect_window.code_edit.setText(code)
        qtbot.mouseClick(con.connect_window.connect_button, Qt.MouseButton.LeftButton)
        allow(qtbot, app, control=False)
        qtbot.waitUntil(lambda: con.session_window is not None
                        and con.session_window.state == "streaming", timeout=15000)
        tmpfs.read_only()
        con.worker.set_stream_settings(40, 0)  # what the quality box emits
        qtbot.waitUntil(lambda: app.window.state == "ended" and con.session_window is not None
                        and con.session_window.state == "ended", timeout=10000)
        assert app.overlay is None
        assert "technician's computer cannot save" in app.window.message_text()
        assert con.session_window is not None
        assert "could not be saved" in con.session_window.info_texts()[2]
    finally:
        con.worker.stop()
        if con.session_window is not None:
            con.session_window.close()
