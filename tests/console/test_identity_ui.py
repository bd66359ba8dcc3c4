"""Who the technician connects as: the connect window's line, "Import certificate…", the
passphrase asked once per run, and the refusal by a customer's program that requires verified
technicians.

Real parts: the console's windows and worker under Xvfb, the relay (``python -m relay`` on
loopback), the identity store on real files (passphrase-sealed: the keyring path is
test_identity_store.py's). The customer's side is :class:`PolicyAgent`, the real
``AgentSession`` with a trust policy (the product agent's dialog is tests/agent's and e2e's).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from console.app import ConsoleApp
from console.identity import IdentityStore
from console.ui import ConnectWindow
from desktop.audit_store import read_record
from shared.audit_summary import summarise
from shared.identity import TrustPolicy, Verdict
from tests.console.identity_helpers import DAY, KEY_PASSPHRASE, new_org, write_pair
from tests.console.policy_agent import PolicyAgent

CONSOLE_WORDS = "console words 42"


@pytest.fixture
def make_console(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                 relay_url: str) -> Iterator:
    """Real consoles (one per "run") sharing one data folder, key sealed with a passphrase."""
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "console-data"))
    apps: list[ConsoleApp] = []

    def make() -> ConsoleApp:
        store = IdentityStore(tmp_path / "console-data" / "identity", use_keyring=False)
        app = ConsoleApp(relay_url, str(tmp_path / "console.ini"), identity_store=store)
        qtbot.addWidget(app.connect_window)
        app.connect_window.show()
        qtbot.waitExposed(app.connect_window)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.worker.stop()
        if app.session_window is not None:
            app.session_window.close()
        app.connect_window.close()
    QApplication.processEvents()


def _audit(tmp_path: Path) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for path in sorted((tmp_path / "console-data" / "audit").glob("*.jsonl")):
        events += read_record(path)
    return events


def _import(qtbot, app: ConsoleApp, cert: Path, key: Path) -> None:
    """The technician's way: "Import certificate…", the two files, the passphrases, Import."""
    qtbot.mouseClick(app.connect_window.import_button, Qt.MouseButton.LeftButton)
    dialog = app.import_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.needs_passphrase  # this store has no keyring: a passphrase protects the key
    dialog.cert_edit.setText(str(cert))
    dialog.key_edit.setText(str(key))
    dialog.key_passphrase_edit.setText(KEY_PASSPHRASE)
    dialog.new_passphrase_edit.setText(CONSOLE_WORDS)
    dialog.repeat_passphrase_edit.setText(CONSOLE_WORDS)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def test_connect_window_says_verified_or_not(qtbot, tmp_path: Path, english) -> None:
    win = ConnectWindow(settings=str(tmp_path / "c.ini"))
    qtbot.addWidget(win)
    win.show()
    win.name_edit.setText("Typed Name")
    assert win.identity_text() == "Not verified — the customer sees a warning."
    assert win.import_button.isVisible()
    win.show_verified("Max Mustermann", "<b>Kanzleisoft</b> GmbH", "28.02.2027")
    assert win.identity_text() == ("Verified: Max Mustermann, <b>Kanzleisoft</b> GmbH "
                                   "(certificate valid until 28.02.2027)")
    assert win.identity_label.textFormat() == Qt.TextFormat.PlainText  # outside text
    assert win.name_edit.text() == "Max Mustermann" and win.name_edit.isReadOnly()
    win.set_busy(True)
    win.set_busy(False)
    assert win.name_edit.isReadOnly()  # still the certificate's name after connecting
    win.show_unverified("Your certificate expired on 01.01.2026.")
    assert win.identity_text().startswith("Your certificate expired on 01.01.2026. Not verified")
    assert not win.name_edit.isReadOnly()


def test_import_dialog_then_a_verified_session_through_the_relay(
        qtbot, tmp_path: Path, make_console, relay_url: str, english) -> None:
    org, seed = new_org(), os.urandom(32)
    cert, key = write_pair(tmp_path, org.certificate(seed, serial=7), seed)
    first = make_console()
    _import(qtbot, first, cert, key)
    qtbot.waitUntil(lambda: first.import_dialog is None, timeout=20000)
    text = first.connect_window.identity_text()
    assert text.startswith("Verified: Max Mustermann, Kanzleisoft GmbH (certificate valid until")
    first.worker.stop()

    # the next run of the console: the key is locked until the technician's passphrase
    app = make_console()
    assert app.connect_window.is_verified()
    agent = PolicyAgent(relay_url, TrustPolicy((org.trusted(),), require_verified=True),
                        {org.key_id: org.revocations()})
    try:
        code = agent.start()
        win = app.connect_window
        win.relay_edit.setText(relay_url)
        win.code_edit.setText(code)
        answers = iter(["wrong words 123", CONSOLE_WORDS])
        tries: list[str] = []

        def answer() -> None:
            dialog = app.passphrase_dialog
            if dialog is None:
                QTimer.singleShot(50, answer)
                return
            tries.append(dialog.error_label.text())
            dialog.passphrase_edit.setText(next(answers))
            dialog.ok_button.click()
            if len(tries) < 2:
                QTimer.singleShot(50, answer)

        QTimer.singleShot(50, answer)
        qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
        assert tries == ["", "The passphrase is wrong. Please try again."]
        qtbot.waitUntil(lambda: agent.consent is not None, timeout=20000)
        assert agent.consent is not None
        identity = agent.consent.identity
        assert identity.verdict is Verdict.VERIFIED, identity.message
        assert identity.certificate is not None and identity.certificate.serial == 7
        assert agent.consent.name == "Max Mustermann"  # the certificate's, not a typed one
        qtbot.waitUntil(lambda: any(e["event"] == "keys_agreed" for e in _audit(tmp_path)),
                        timeout=5000)
        agreed = next(e for e in _audit(tmp_path) if e["event"] == "keys_agreed")
        presented = summarise(_audit(tmp_path), "console").identity
        assert presented is not None and (presented.verdict, presented.serial) == ("presented", 7)
        assert agreed["identity"] == {
            "verdict": "presented", "serial": 7, "organisation": "Kanzleisoft GmbH",
            "org_key_id": org.key_id, "technician": "Max Mustermann"}
    finally:
        agent.stop()


def test_an_unverified_technician_is_refused_with_a_clear_message(
        qtbot, tmp_path: Path, make_console, relay_url: str, english) -> None:
    org = new_org()
    app = make_console()
    assert not app.connect_window.is_verified()
    agent = PolicyAgent(relay_url, TrustPolicy((org.trusted(),), require_verified=True))
    try:
        win = app.connect_window
        win.name_edit.setText("Eva Technik")
        win.relay_edit.setText(relay_url)
        win.code_edit.setText(agent.start())
        qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: agent.done.is_set(), timeout=20000)
        assert agent.consent is None  # refused before any consent dialog
        assert agent.ended is not None and agent.ended.reason == "unverified_technician"

        def shown() -> str:
            if app.session_window is not None:
                return app.session_window._info_text.text()
            return win.error_text()

        qtbot.waitUntil(lambda: "only accepts verified technicians" in shown(), timeout=10000)
        assert shown().startswith(
            "The customer's program only accepts verified technicians of its support company. "
            "Import your certificate or ask your administrator.")
        assert "The customer's program said:" in shown() and "no_proof" in shown()
        qtbot.waitUntil(lambda: any(e["event"] == "session_ended" for e in _audit(tmp_path)),
                        timeout=5000)
        ended = next(e for e in _audit(tmp_path) if e["event"] == "session_ended")
        assert ended["reason"] == "unverified_technician"
        assert ended["identity"] == {"verdict": "no_proof", "serial": None,
                                     "organisation": None, "org_key_id": None,
                                     "technician": None, "refused": True}
        # the record window's summary reads it: refused, with the agent's words
        summary = summarise(_audit(tmp_path), "console")
        assert summary.identity is not None and summary.identity.verdict == "no_proof"
        assert "no_proof" in summary.identity.refused
    finally:
        agent.stop()


def test_an_expired_stored_certificate_is_not_presented(qtbot, tmp_path: Path, make_console,
                                                        english) -> None:
    org, seed = new_org(), os.urandom(32)
    store = IdentityStore(tmp_path / "console-data" / "identity", use_keyring=False)
    store.save(org.certificate(seed, valid_from=int(time.time()) - 40 * DAY, days=30), seed,
               passphrase=CONSOLE_WORDS)
    app = make_console()
    assert not app.connect_window.is_verified()
    assert app.connect_window.identity_text().startswith("Your certificate expired on ")


def test_refusal_text_in_german(qtbot, german) -> None:
    from console.app import refusal_text

    text = refusal_text("The technician presented no certificate (no_proof).")
    assert text.startswith("Das Programm des Kunden akzeptiert nur verifizierte Techniker")
    assert "no_proof" in text


def test_connect_window_identity_line_in_german(qtbot, tmp_path: Path, german) -> None:
    win = ConnectWindow(settings=str(tmp_path / "c.ini"))
    qtbot.addWidget(win)
    assert win.identity_text() == "Nicht verifiziert – der Kunde sieht eine Warnung."
    assert win.import_button.text() == "Zertifikat importieren…"
    win.show_verified("Max Mustermann", "Kanzleisoft GmbH", "28.02.2027")
    assert win.identity_text() == ("Verifiziert: Max Mustermann, Kanzleisoft GmbH (Zertifikat "
                                   "gültig bis 28.02.2027)")
