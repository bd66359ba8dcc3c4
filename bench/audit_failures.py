"""What the customer and the technician see when a records folder cannot be written:
``python -m bench.audit_failures`` prints one JSON object (a figure for issue 9, not a timing).

Scenarios (real failures, no mocks; mounting needs root):

* ``agent_<kind>_at_start``: the agent's records folder is read-only (a tmpfs remounted ``ro``),
  missing (a file is in its way) or full (a 64 KiB tmpfs filled up) when the agent starts;
* ``agent_read_only_mid_session``: it becomes read-only during a session, then the customer
  revokes control (the next write) or clicks End; ``agent_full_mid_session``: its disk fills up
  during a session, then the technician changes the picture quality until a write fails;
* ``console_<kind>``: the technician's records folder is read-only, missing or full when they
  connect; ``console_read_only_mid_session``: it becomes read-only during a session, then the
  technician changes the picture quality (the next write).

Per scenario: the texts each person's window shows at the end, the state, the time from the
trigger to that state, and ``hung`` (true if it was not reached within 20 s). The agent and the
console are the real programs' windows in this one process on one Xvfb (the console's records
folder is pointed elsewhere by replacing ``console.driver.default_audit_dir``), with the real
relay as a subprocess; buttons are clicked with QTest.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TIMEOUT = 20.0


@contextlib.contextmanager
def tmpfs(path: Path, state: str) -> Iterator[Path]:
    """A 64 KiB tmpfs at ``path``: ``read_only`` or ``full`` (an ``audit`` folder, filled)."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(path)], check=True)
    try:
        if state == "full":
            (path / "audit").mkdir()
            with contextlib.suppress(OSError), (path / "filler").open("wb") as fh:
                while True:
                    fh.write(b"\0" * 4096)
                    fh.flush()
        elif state == "read_only":
            remount(path, "ro")
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True)


@contextlib.contextmanager
def broken_dir(base: Path, kind: str) -> Iterator[Path]:
    """A data folder whose ``audit`` subfolder cannot be written, of the given kind."""
    if kind == "missing":
        blocker = base / "data-is-a-file"
        blocker.write_text("a file where the data folder should be")
        yield blocker
    else:
        with tmpfs(base / f"fs-{kind}", kind) as path:
            yield path


class Harness:
    def __init__(self, tmp: Path) -> None:
        from PySide6.QtWidgets import QApplication

        self.tmp = tmp
        self.qt = QApplication.instance() or QApplication([sys.argv[0]])
        self.relay = subprocess.Popen(
            [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert self.relay.stdout is not None
        self.url = json.loads(self.relay.stdout.readline())["url"]

    def close(self) -> None:
        self.relay.terminate()
        self.relay.wait(5)

    def wait(self, pred: Callable[[], bool], timeout: float = TIMEOUT) -> float | None:
        """Seconds until ``pred()`` held (processing Qt events), or None (it hung)."""
        from PySide6.QtCore import QCoreApplication

        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            QCoreApplication.processEvents()
            if pred():
                return time.monotonic() - t0
            time.sleep(0.01)
        return None

    def click(self, button: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def agent(self, data: Path) -> Any:
        from agent.app import AgentApp
        from agent.config import AgentConfig

        os.environ["FERNHILFE_DATA_DIR"] = str(data)
        app = AgentApp(AgentConfig(relay_url=self.url, organisation="Acme IT"))
        app.window.move(0, 0)
        app.start()
        return app

    def console(self, data: Path) -> Any:
        import console.driver
        from console.app import ConsoleApp

        console.driver.default_audit_dir = lambda: data / "audit"
        ini = self.tmp / f"console-{time.monotonic_ns()}.ini"
        ini.write_text("[technician]\nname=Eva Technik\norganisation=Acme IT\n"
                       f"[relay]\nurl={self.url}\n")
        app = ConsoleApp(self.url, str(ini))
        app.start()
        return app

    def connect(self, con: Any, code: str) -> None:
        con.connect_window.code_edit.setText(code)
        self.click(con.connect_window.connect_button)

    def streaming_session(self, app: Any, con: Any) -> None:
        """The technician types the shown code, the customer clicks the real Allow: streaming."""
        self.wait(lambda: app.window.state == "code")
        self.connect(con, app.window.code_text())
        self.wait(lambda: app.consent is not None and app.consent.isVisible())
        self.click(app.consent.allow_button)
        self.wait(lambda: app.overlay is not None and con.session_window is not None
                  and con.session_window.state == "streaming")

    def stop(self, *apps: Any) -> None:
        for app in apps:
            if app is None:
                continue
            if hasattr(app, "_close_session_windows"):
                app._close_session_windows()
                app.worker.stop()
                app.window.close()
            else:
                app.worker.stop()
                app.connect_window.close()
                if app.session_window is not None:
                    app.session_window.close()
        self.wait(lambda: False, 0.3)


def agent_view(app: Any) -> dict[str, Any]:
    w = app.window
    return {"state": w.state, "message": w.message_text(), "notice": w.notice_text(),
            "code_shown": w.code_text(), "button": w.action_text(),
            "overlay_open": app.overlay is not None}


def console_view(con: Any) -> dict[str, Any]:
    win = con.session_window
    if win is not None and win.isVisible():
        title, _number, text = win.info_texts()
        return {"window": "session", "state": win.state, "title": title, "text": text}
    cw = con.connect_window
    return {"window": "connect", "error": cw.error_text(), "status": cw.status_label.text(),
            "connect_enabled": cw.connect_button.isEnabled()}


def agent_at_start(h: Harness, kind: str) -> dict[str, Any]:
    with broken_dir(h.tmp, kind) as data:
        app = h.agent(data)
        try:
            took = h.wait(lambda: app.window.state == "error")
            return {"trigger": "agent started", "seconds": _r(took), "hung": took is None,
                    "customer": agent_view(app),
                    "technician": "no code is shown, so there is nothing to type"}
        finally:
            h.stop(app)


def agent_mid_session(h: Harness, trigger: str) -> dict[str, Any]:
    with tmpfs(h.tmp / f"fs-mid-{trigger}", "ok") as data:
        app = h.agent(data)
        con = h.console(h.tmp / f"console-ok-{trigger}")
        try:
            h.streaming_session(app, con)
            remount(data, "ro")
            button = (app.overlay.panel.control_button if trigger == "revoke_control"
                      else app.overlay.panel.end_button)
            h.click(button)
            took = h.wait(lambda: app.window.state == "ended" and con.session_window is not None
                          and con.session_window.state == "ended")
            return {"trigger": f"records folder read-only mid-session, customer: {trigger}",
                    "seconds": _r(took), "hung": took is None,
                    "customer": agent_view(app), "technician": console_view(con),
                    "input_released": app.worker.input is None or (
                        app.worker.input.wait_idle() and app.worker.input.released)}
        finally:
            h.stop(app, con)


def agent_full_mid_session(h: Harness) -> dict[str, Any]:
    """The agent's disk fills up mid-session. A file's last block still takes a few lines, so
    the failure comes with the first write that needs a new block: the technician changes the
    picture quality (each change is one line in both records) until it does."""
    with tmpfs(h.tmp / "fs-mid-full", "ok") as data:
        app = h.agent(data)
        con = h.console(h.tmp / "console-ok-full")
        try:
            h.streaming_session(app, con)
            with contextlib.suppress(OSError), (data / "filler").open("wb") as fh:
                while True:
                    fh.write(b"\0" * 4096)
                    fh.flush()
            changes = 0
            last = time.monotonic()
            while changes < 200 and app.window.state != "ended":
                changes += 1
                last = time.monotonic()
                con.worker.set_stream_settings(40 + changes % 50, 0)
                h.wait(lambda: app.window.state == "ended", 0.05)
            ok = h.wait(lambda: app.window.state == "ended" and con.session_window is not None
                        and con.session_window.state == "ended")
            took = None if ok is None else time.monotonic() - last  # since the failing change
            return {"trigger": "agent's disk full mid-session, then quality changes",
                    "quality_changes_until_it_failed": changes, "seconds": _r(took),
                    "hung": took is None, "customer": agent_view(app),
                    "technician": console_view(con)}
        finally:
            h.stop(app, con)


def console_mid_session(h: Harness) -> dict[str, Any]:
    with tmpfs(h.tmp / "fs-console-mid", "ok") as data:
        app = h.agent(h.tmp / "agent-ok-mid")
        con = h.console(data)
        try:
            h.streaming_session(app, con)
            remount(data, "ro")
            con.worker.set_stream_settings(40, 0)  # the technician changes the quality
            took = h.wait(lambda: app.window.state == "ended" and con.session_window is not None
                          and con.session_window.state == "ended")
            return {"trigger": "technician's records folder read-only mid-session, then a "
                               "quality change", "seconds": _r(took), "hung": took is None,
                    "customer": agent_view(app), "technician": console_view(con)}
        finally:
            h.stop(app, con)


def console_broken(h: Harness, kind: str) -> dict[str, Any]:
    base = h.tmp / f"console-{kind}"
    base.mkdir()
    with broken_dir(base, kind) as data:
        app = h.agent(h.tmp / f"agent-ok-{kind}")
        con = h.console(data)
        try:
            h.wait(lambda: app.window.state == "code")
            code = app.window.code_text()
            h.connect(con, code)
            took = h.wait(lambda: bool(con.connect_window.error_text()))
            h.wait(lambda: app.window.state == "code" and app.window.code_text() != code, 10)
            return {"trigger": "technician connects", "seconds": _r(took), "hung": took is None,
                    "technician": console_view(con), "customer": agent_view(app)}
        finally:
            h.stop(app, con)


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 2)


def main() -> int:
    from bench.support.xvfb import XvfbDisplay

    display = XvfbDisplay(1280, 800).start()
    os.environ["DISPLAY"] = display.name
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    tmp_dir = tempfile.TemporaryDirectory(prefix="fh-audit-")
    tmp = Path(tmp_dir.name)
    h = Harness(tmp)
    result: dict[str, Any] = {"bench": "audit_failures"}
    try:
        for kind in ("read_only", "missing", "full"):
            result[f"agent_{kind}_at_start"] = agent_at_start(h, kind)
        for trigger in ("revoke_control", "end"):
            result[f"agent_read_only_mid_session_{trigger}"] = agent_mid_session(h, trigger)
        result["agent_full_mid_session"] = agent_full_mid_session(h)
        for kind in ("read_only", "missing", "full"):
            result[f"console_{kind}"] = console_broken(h, kind)
        result["console_read_only_mid_session"] = console_mid_session(h)
        result["nothing_hung"] = not any(v.get("hung") for v in result.values()
                                         if isinstance(v, dict))
    finally:
        h.close()
        display.stop()
        with contextlib.suppress(OSError):
            tmp_dir.cleanup()
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
