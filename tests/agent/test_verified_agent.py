"""The whole agent checks who connects (issue 12): real relay, real agent windows, real lists.

The real relay runs on loopback (tests/conftest.py); the real :class:`AgentApp` shows its code
and dialogs on this process's Xvfb; the technician is a real :class:`ConsoleSession` with a real
certificate and proof, joined through the relay from a thread of its own (the console's own
window is another helper's and is exercised by the e2e tests). The organisation's revocation
list is served by a standard-library HTTP server on loopback, as the firm's web server would.
"""

from __future__ import annotations

import asyncio
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pytest
from nacl.signing import SigningKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from agent.app import AgentApp
from agent.config import AgentConfig
from agent.ui.identity import IdentityMark
from desktop.audit_store import read_record
from desktop.relay_client import RelayConnection
from shared.audit_summary import summarise
from shared.codes import parse_code
from shared.identity import (
    CertificateFields,
    TechnicianIdentity,
    format_org_key,
    issue_certificate,
    issue_revocation_list,
    org_key_id,
)
from shared.session import ConsoleSession, SessionEnded

ORG_SEED = b"o" * 32
TECH_SEED = b"t" * 32
ORG_PUBLIC = bytes(SigningKey(ORG_SEED).verify_key)
KEY_ID = org_key_id(ORG_PUBLIC)


def certificate(serial: int = 42, *, valid_for: int = 90 * 86400) -> bytes:
    now = int(time.time())
    fields = CertificateFields(
        organisation="Kanzleisoft GmbH", org_key_id=KEY_ID, technician="Max Mustermann",
        email="max@kanzleisoft.example", phone="", serial=serial,
        technician_key=bytes(SigningKey(TECH_SEED).verify_key),
        valid_from=now - 3600, valid_until=now + valid_for)
    return issue_certificate(fields, ORG_SEED)


class _Lists(http.server.BaseHTTPRequestHandler):
    lists: ClassVar[dict[str, bytes]] = {}
    delay: ClassVar[float] = 0.0  # a slow server: the answer comes after the join

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(self.delay)
        folder, _, name = self.path.rpartition("/")
        body = self.lists.get(name.removesuffix(".fhrl")) if folder == "/lists" else None
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


@pytest.fixture
def list_server() -> Iterator[str]:
    """Serves a fresh list for the organisation (nothing revoked); the URL template."""
    now = int(time.time())
    _Lists.lists = {KEY_ID: issue_revocation_list(ORG_SEED, [7], issued_at=now - 60,
                                                  next_update=now + 86400)}
    _Lists.delay = 0.0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Lists)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/lists/{{key_id}}.fhrl"
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Technician:
    """A console session through the real relay, in its own thread and loop."""

    relay_url: str
    code: str
    identity: TechnicianIdentity | None
    ended: list[SessionEnded] = field(default_factory=list)
    error: list[BaseException] = field(default_factory=list)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        return thread

    def _run(self) -> None:
        try:
            asyncio.run(asyncio.wait_for(self._session(), 30))
        except BaseException as exc:  # reported by the test, never lost in the thread
            self.error.append(exc)

    async def _session(self) -> None:
        code = parse_code(self.code)
        conn = await RelayConnection.open(self.relay_url)
        try:
            await conn.join(code.nameplate)
            session = ConsoleSession(code, name="Typed Name", organisation="Typed GmbH",
                                     identity=self.identity)
            await conn.send(session.start())
            while not session.ended:
                step = session.receive(await conn.recv())
                for data in step.outgoing:
                    await conn.send(data)
                self.ended += [ev for ev in step.events if isinstance(ev, SessionEnded)]
        finally:
            await conn.close()


def _agent(qtbot, config: AgentConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
           ) -> AgentApp:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "agent-data"))
    app = AgentApp(config)
    qtbot.addWidget(app.window)
    app.start()
    return app


def _stop(app: AgentApp) -> None:
    app._close_session_windows()
    app.worker.stop()
    app.window.close()
    QApplication.processEvents()


def _records(tmp_path: Path) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for path in sorted((tmp_path / "agent-data" / "audit").glob("*.jsonl")):
        events += read_record(path)
    return events


def _code(qtbot, app: AgentApp) -> str:
    qtbot.waitUntil(lambda: app.window.state == "code", timeout=15000)
    return app.window.code_text()


def _trusting(relay_url: str, lists: str, require: bool) -> AgentConfig:
    return AgentConfig(relay_url=relay_url, organisation="Kanzleisoft GmbH",
                       trusted_organisations=(format_org_key(ORG_PUBLIC),),
                       require_verified=require, revocation_url=lists)


@pytest.mark.parametrize("slow_list", [False, True])
def test_verified_technician_gets_the_mark(qtbot, english, relay_url: str, list_server: str,
                                           tmp_path: Path, monkeypatch, slow_list: bool
                                           ) -> None:
    """Also when the technician joins before the list has arrived: the agent lets the fetch
    (bounded by its 5 s) finish rather than refuse for a list that was on its way."""
    _Lists.delay = 1.5 if slow_list else 0.0
    app = _agent(qtbot, _trusting(relay_url, list_server, True), tmp_path, monkeypatch)
    try:
        tech = Technician(relay_url, _code(qtbot, app),
                          TechnicianIdentity(certificate(), TECH_SEED))
        tech.start()
        qtbot.waitUntil(lambda: app.consent is not None, timeout=15000)
        dialog = app.consent
        assert dialog is not None
        card = dialog.identity_card
        assert card.verified, card.text()
        assert card.labels["who"].text() == "Max Mustermann"
        assert card.labels["verifiedBy"].text() == "Verified by Kanzleisoft GmbH"
        assert [m.verified for m in dialog.findChildren(IdentityMark)] == [True]
        assert "Typed Name" not in card.text()
        qtbot.mouseClick(dialog.deny_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: app.window.state == "ended", timeout=15000)
        asked = next(e for e in _records(tmp_path) if e["event"] == "consent_requested")
        assert asked["identity"] == {"verdict": "verified", "serial": 42,
                                     "organisation": "Kanzleisoft GmbH",
                                     "org_key_id": KEY_ID, "technician": "Max Mustermann"}
        shown = summarise(_records(tmp_path), "agent").identity  # what the record window shows
        assert shown is not None and shown.verified and shown.technician == "Max Mustermann"
    finally:
        _stop(app)
    assert tech.error == []


@pytest.mark.parametrize("case", ["no_certificate", "revoked", "list_missing"])
def test_unverified_technician_is_refused_before_any_dialog(
        qtbot, english, relay_url: str, list_server: str, tmp_path: Path, monkeypatch,
        case: str) -> None:
    lists = list_server
    identity: TechnicianIdentity | None = TechnicianIdentity(certificate(), TECH_SEED)
    if case == "no_certificate":
        identity = None
    elif case == "revoked":
        identity = TechnicianIdentity(certificate(serial=7), TECH_SEED)  # 7 is on the list
    else:
        lists = lists.replace("/lists/", "/nothing-here/")
    app = _agent(qtbot, _trusting(relay_url, lists, True), tmp_path, monkeypatch)
    dialogs: list[object] = []
    app.worker.consent_requested.connect(lambda *args: dialogs.append(args))
    try:
        tech = Technician(relay_url, _code(qtbot, app), identity)
        tech.start()
        qtbot.waitUntil(lambda: app.window.state == "refused", timeout=15000)
        assert app.consent is None and dialogs == []  # the customer was never asked
        assert app.window.message_text().startswith(
            "A technician who could not be verified tried to connect. Nothing was shared.")
        expected = {
            "no_certificate": "The technician did not prove who they are.",
            "revoked": "The technician's certificate has been revoked by their company.",
            "list_missing": "It could not be checked whether the technician's certificate "
                            "has been revoked (the revocation list could not be loaded).",
        }[case]
        assert app.window.notice_text() == expected
        qtbot.waitUntil(lambda: bool(tech.ended), timeout=10000)
        assert tech.ended[0].reason == "unverified_technician" and tech.ended[0].by_peer
        ended = next(e for e in _records(tmp_path) if e["event"] == "session_ended")
        assert ended["reason"] == "unverified_technician"
        verdict = {"no_certificate": "no_proof", "revoked": "revoked",
                   "list_missing": "revocation_missing"}[case]
        assert isinstance(ended["identity"], dict) and ended["identity"]["verdict"] == verdict
        assert ended["identity"]["refused"] is True  # as the console's record says it
        if case != "no_certificate":
            assert ended["identity"]["serial"] == (7 if case == "revoked" else 42)
            assert ended["identity"]["org_key_id"] == KEY_ID
        shown = summarise(_records(tmp_path), "agent").identity  # what the record window shows
        assert shown is not None and shown.verdict == verdict and shown.refused
        assert not shown.verified
        # A fresh code only on the customer's click (DESIGN.md §2).
        qtbot.wait(500)
        assert app.window.state == "refused"
        qtbot.mouseClick(app.window._action, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: app.window.state == "code", timeout=15000)
    finally:
        _stop(app)
    assert tech.error == []


def test_without_the_policy_the_customer_sees_why(qtbot, english, relay_url: str,
                                                  list_server: str, tmp_path: Path,
                                                  monkeypatch) -> None:
    app = _agent(qtbot, _trusting(relay_url, list_server, False), tmp_path, monkeypatch)
    try:
        tech = Technician(relay_url, _code(qtbot, app), None)
        tech.start()
        qtbot.waitUntil(lambda: app.consent is not None, timeout=15000)
        dialog = app.consent
        assert dialog is not None
        card = dialog.identity_card
        assert not card.verified
        assert card.labels["reason"].text() == "The technician did not prove who they are."
        assert card.labels["claimedName"].text() == "Name given by the caller: Typed Name"
        qtbot.mouseClick(dialog.deny_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: app.window.state == "ended", timeout=15000)
        asked = next(e for e in _records(tmp_path) if e["event"] == "consent_requested")
        assert asked["identity"] == {"verdict": "no_proof", "serial": None,
                                     "organisation": None, "org_key_id": None,
                                     "technician": None}
    finally:
        _stop(app)
    assert tech.error == []
