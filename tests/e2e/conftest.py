"""End-to-end fixtures: a real relay, the real agent, the real console, two real X displays.

The customer's display is this test process's own Xvfb (tests/conftest.py): the agent runs here,
in-process, so pytest-qt can click the *real* Allow button of its consent dialog. The technician's
console runs as a separate process on a second Xvfb display and is driven with xdotool, as a
person would: type the code, press Enter, click, type.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from agent.app import AgentApp
from agent.config import AgentConfig
from bench.support.relay import stop_process
from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay
from desktop.audit_store import read_record

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


@pytest.fixture
def tech_display() -> Iterator[XvfbDisplay]:
    """The technician's screen, with a German QWERTZ keyboard (the customer's is US)."""
    with XvfbDisplay(width=1280, height=800) as display:
        subprocess.run(["setxkbmap", "-layout", "de"], env=display.env(), check=True,
                       timeout=10)
        yield display


def xdo(display: XvfbDisplay, *args: str, check: bool = True) -> str:
    """Run xdotool on ``display``."""
    out = subprocess.run(["xdotool", *args], env=display.env(), capture_output=True, text=True,
                         timeout=20)
    if check and out.returncode != 0:
        raise AssertionError(f"xdotool {' '.join(args)} failed: {out.stderr}")
    return out.stdout.strip()


@dataclass
class Console:
    """The technician's console process on its own display."""

    proc: subprocess.Popen[bytes]
    display: XvfbDisplay
    data_dir: Path

    def window(self, title: str, timeout: float = 15.0) -> str:
        ids = wait_for(lambda: xdo(self.display, "search", "--onlyvisible", "--name", title,
                                   check=False), timeout, f"the console window {title!r}", 0.1)
        return ids.splitlines()[-1]

    def enter_code(self, code: str) -> None:
        win = self.window("Connect to a customer")
        xdo(self.display, "windowfocus", "--sync", win)
        xdo(self.display, "type", "--delay", "15", code)
        xdo(self.display, "key", "Return")

    def audit_events(self) -> list[dict[str, object]]:
        events: list[dict[str, object]] = []
        for path in sorted((self.data_dir / "audit").glob("*.jsonl")):
            events += read_record(path)
        return events

    def wait_audit(self, event: str, timeout: float = 15.0) -> dict[str, object]:
        def recorded() -> dict[str, object] | None:
            return next((e for e in self.audit_events() if e["event"] == event), None)

        return wait_for(recorded, timeout, f"the console audit to record {event!r}", 0.1)


@pytest.fixture
def console(tech_display: XvfbDisplay, relay_url: str, tmp_path: Path) -> Iterator[Console]:
    settings = tmp_path / "console.ini"
    settings.write_text(
        "[technician]\nname=Eva Technik\norganisation=Acme IT\n"
        f"[relay]\nurl={relay_url}\n"
    )
    data = tmp_path / "console-data"
    env = tech_display.env(FERNHILFE_DATA_DIR=str(data), LANG="C.UTF-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "console", "--relay", relay_url, "--settings", str(settings),
         "--lang", "en"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield Console(proc, tech_display, data)
    finally:
        stop_process(proc)


@pytest.fixture
def agent(qtbot, relay_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
          ) -> Iterator[AgentApp]:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "agent-data"))
    app = AgentApp(AgentConfig(relay_url=relay_url, organisation="Acme IT"))
    qtbot.addWidget(app.window)
    app.window.move(0, 0)
    app.start()
    try:
        yield app
    finally:
        app._close_session_windows()
        app.worker.stop()
        app.window.close()
        QApplication.processEvents()


@pytest.fixture
def agents() -> Iterator[list[AgentApp]]:
    """Agents a test starts itself (its own relay or data folder); all stopped afterwards."""
    started: list[AgentApp] = []
    yield started
    for app in started:
        app._close_session_windows()
        app.worker.stop()
        app.window.close()
    QApplication.processEvents()


def shown_code(qtbot, agent: AgentApp, timeout: int = 15000, previous: str = "") -> str:
    qtbot.waitUntil(lambda: agent.window.state == "code"
                    and agent.window.code_text() != previous, timeout=timeout)
    return agent.window.code_text()


def allow(qtbot, agent: AgentApp, *, control: bool = True) -> None:
    """Click the real Allow button of the real consent dialog."""
    qtbot.waitUntil(lambda: agent.consent is not None, timeout=15000)
    dialog = agent.consent
    assert dialog is not None
    qtbot.waitExposed(dialog)
    if not control and dialog.control_box.isChecked():
        qtbot.mouseClick(dialog.control_box, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.allow_button, Qt.MouseButton.LeftButton)


def connected_session(qtbot, agent: AgentApp, console: Console, *, control: bool = True) -> None:
    code = shown_code(qtbot, agent)
    console.enter_code(code)
    allow(qtbot, agent, control=control)
    qtbot.waitUntil(lambda: agent.overlay is not None, timeout=15000)


def data_dir_events(path: Path) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for p in sorted(path.glob("*.jsonl")):
        events += read_record(p)
    return events


