"""The real agent in a process of its own, for the crash test: ``python -m tests.e2e.crash_agent
<relay url>`` prints the code it shows and clicks its real Allow button, like the e2e fixtures do
in-process; the test then kills it with SIGKILL mid-session."""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from agent.app import AgentApp
from agent.config import AgentConfig


def main() -> int:
    qt = QApplication(sys.argv[:1])
    agent = AgentApp(AgentConfig(relay_url=sys.argv[1]))
    agent.window.move(0, 0)
    agent.start()
    said: set[str] = set()

    def say(event: str, **data: object) -> None:
        if event not in said:
            said.add(event)
            print(json.dumps({"event": event, **data}), flush=True)

    def poll() -> None:
        if agent.window.state == "code":
            say("code", code=agent.window.code_text())
        dialog = agent.consent
        if dialog is not None and "allow" not in said and dialog.isVisible():
            QTest.qWaitForWindowExposed(dialog)
            say("allow")
            QTest.mouseClick(dialog.allow_button, Qt.MouseButton.LeftButton)
        if agent.overlay is not None:
            say("session")

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(50)
    return qt.exec()


if __name__ == "__main__":
    sys.exit(main())
