"""What the customer changes while the link is down reaches the technician after the resume.

What was sealed for a dead link is never sent (docs/PROTOCOL.md sections 13 and 16.5), so the
agent says its state again once the session is resumed (``AgentSession.restate``). Real parts
only: a relay process the test kills with SIGKILL and starts again on the same port, the real
agent in this process (its real consent and Stop control buttons clicked), the real console
process on its own display.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from agent.app import AgentApp
from bench.support.relay import RelayProcess
from bench.support.waiting import wait_for
from tests.e2e.conftest import Console, connected_session, data_dir_events
from tests.e2e.test_resume import relay_url, restartable  # noqa: F401  (fixtures used by name)
from tests.e2e.test_session import agent_audit_dir

pytestmark = pytest.mark.e2e


def _agent_recorded(agent: AgentApp, event: str) -> bool:
    return any(e["event"] == event for e in data_dir_events(Path(agent_audit_dir(agent))))


def test_control_stopped_while_the_link_was_down_reaches_the_console(
        qtbot, agent: AgentApp, console: Console, restartable: RelayProcess) -> None:  # noqa: F811
    connected_session(qtbot, agent, console)
    assert agent.overlay is not None
    console.wait_audit("consent_answered")
    restartable.kill()
    wait_for(lambda: _agent_recorded(agent, "link_interrupted"), 15,
             "the agent to notice the link is down", 0.1)
    # The customer stops control while nothing can reach the technician.
    qtbot.mouseClick(agent.overlay.panel.control_button, Qt.MouseButton.LeftButton)
    wait_for(lambda: _agent_recorded(agent, "permissions_changed"), 5,
             "the agent to record the change", 0.1)
    restartable.start()
    console.wait_audit("link_resumed", timeout=25)

    def told() -> bool:
        return any(e["event"] == "permissions_changed" and e.get("permissions") == ["view"]
                   for e in console.audit_events())

    wait_for(told, 10, "the console to learn that control was stopped", 0.1)
    assert agent.worker.active is not None and not agent.worker.active.session.ended
