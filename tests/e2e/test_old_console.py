"""A version-2 agent and a console of the last release (protocol version 1), end to end.

The real agent (its real windows, the customer's real Allow click), a real relay on loopback,
and a technician that introduces itself as the last release's console does: ``Hello`` with
``protocol_version`` 1 and no version mark (tests/e2e/technician.py; the version comes from
that Hello, never from a flag of the shipped programs). Windows is scripted as in
tests/agent/test_elevation_restart.py: an elevated window in front, Ctrl+Alt+Del refused, the
UAC prompt answered "no".

What must hold (docs/PROTOCOL.md section 11): the agent never seals a ``SystemNotice`` (0x0C,
which a version-1 console cannot decode and would end the session over), the customer still
reads her own notices, the session goes on, and "restart as administrator" reaches the old
console as ``customer_ended`` while the customer's record keeps ``restarting_elevated``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.app import AgentApp
from agent.platform.elevation import RESTART_REASON
from agent.platform.windows import RestartOutcome, SasOutcome
from shared import messages as m
from shared.session import AgentSession, RoundTripMeasured, SessionEnded, Step
from tests.agent.conftest import english  # noqa: F401  (fixture by name)
from tests.agent.test_elevation_restart import (  # noqa: F401  (fixture by name)
    agent_events,
    app,
    restart_by_clicks,
    session,
)
from tests.e2e.test_clipboard import record_sealed

# ruff: noqa: F811  (the imported fixture is taken by name)

pytestmark = pytest.mark.e2e

#: How a console of the last release introduces itself.
V1_HELLO = m.Hello(1, "0.1.0", "console", "Eva Technik", "Acme IT")


def test_a_version_1_console_is_told_nothing_it_cannot_read(
        qtbot, english, app: AgentApp, relay_url: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    sealed = record_sealed(monkeypatch)
    wanted: list[str] = []  # what the agent wanted the technician to hear
    real_notice = AgentSession.send_notice

    def send_notice(self: AgentSession, code: str) -> Step:
        wanted.append(code)
        return real_notice(self, code)

    monkeypatch.setattr(AgentSession, "send_notice", send_notice)
    asked: list[object] = []
    app.restart_elevated = lambda argv: asked.append(argv) or RestartOutcome.CANCELLED  # type: ignore[func-returns-value]
    tech = session(qtbot, app, relay_url, V1_HELLO)
    try:
        assert tech.call(lambda s: s.version) == 1
        active = app.worker.host.active
        assert active is not None and active.session.version == 1
        # The customer's record says so, with the old console's app version (converge20).
        versions = [e for e in agent_events(tmp_path) if e["event"] == "versions"]
        assert [(e["protocol_version"], e["console_app_version"]) for e in versions] == [
            (1, "0.1.0")]

        # The customer reads her notices; the agent would tell a newer console.
        qtbot.waitUntil(lambda: app.window.session_view.elevation.notice_text() != "",
                        timeout=5000)
        app.worker._on_sas(SasOutcome.NOT_ALLOWED)
        qtbot.waitUntil(lambda: "Ctrl+Alt+Del" in
                        app.window.session_view.sas_notice.notice_text(), timeout=5000)
        qtbot.waitUntil(lambda: {"foreground_elevated", "ctrl_alt_del_refused"} <= set(wanted),
                        timeout=5000)

        # ... and the old console keeps its session: round trips go on after both.
        seen = len(tech.seen(RoundTripMeasured))
        qtbot.waitUntil(lambda: len(tech.seen(RoundTripMeasured)) >= seen + 2, timeout=5000)
        assert m.SystemNotice.TYPE not in sealed
        assert not tech.seen(SessionEnded)
        assert not [e for e in agent_events(tmp_path) if e["event"] == "system_notice"]

        # Restart as administrator: the old console reads an end it knows.
        restart_by_clicks(qtbot, app)
        ended = tech.wait_for(SessionEnded)
        assert (ended.reason, ended.by_peer) == ("customer_ended", True)
        qtbot.waitUntil(lambda: bool(asked), timeout=5000)
        logged = [e for e in agent_events(tmp_path) if e["event"] == "session_ended"]
        assert logged and logged[-1]["reason"] == RESTART_REASON
        assert m.SystemNotice.TYPE not in sealed
    finally:
        tech.close()
