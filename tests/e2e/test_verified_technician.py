"""Verified technicians end to end (issue 12): real relay, real admin tool, real agent and console.

Everything is the real thing: the support firm's key, the technician's certificate and the
revocation list are made by the real ``fernhilfe-org`` command (subprocesses, passphrases from
files); the technician imports them with the real ``fernhilfe-console --import-identity``; a real
``python -m relay`` on loopback serves the list from its ``--revocations-dir``; the agent is the
real AgentApp with a trust policy read from a branding file by the real ``load_config``; the
agent fetches the list from the relay itself. The console runs in this process (its windows are
read directly, as in test_audit_failures.py); the agent's consent dialog is clicked like a person
would. The console keeps its key sealed with a passphrase here: there is no usable keyring in
this environment (``PYTHON_KEYRING_BACKEND`` pins keyring's own "fail" backend so the run does
not depend on what the machine has), and the test types the passphrase into the console's real
unlock dialog.

(a) verified: the dialog shows the verified mark, Allow, frames flow, both audits name the
    certificate; (b) no certificate against an agent that requires one: refused before any
    consent dialog, both windows say so, both audits record it; (c) a revoked certificate:
    refused, "revoked" named; (d) the relay has no list, or only a stale one: refused, the reason
    named.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

from agent.app import AgentApp
from agent.config import load_config
from agent.ui.identity import VERIFIED_COLOUR
from bench.support.relay import start_relay
from desktop.audit_store import read_record
from shared.identity.revocation import issue_revocation_list
from tests.e2e.conftest import allow, shown_code

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ORGANISATION = "Kanzleisoft GmbH"
TECHNICIAN = "Max Mustermann"
ORG_PASSPHRASE = "organisation key passphrase, long enough"
KEY_PASSPHRASE = "technician hand-over passphrase"
CONSOLE_PASSPHRASE = "console unlock passphrase"
#: keyring's own backend that refuses everything: the console seals the key with a passphrase.
NO_KEYRING = "keyring.backends.fail.Keyring"


@dataclass
class Organisation:
    """The support firm's admin: a key made by the real ``fernhilfe-org`` in ``home``."""

    home: Path
    lists: Path  # the relay's --revocations-dir
    public: str = ""
    key_id: str = ""

    @property
    def key(self) -> Path:
        return self.home / "org.fhkey"

    @property
    def passphrase_file(self) -> Path:
        return self.home / "org-passphrase.txt"

    def run(self, *args: str) -> str:
        """One ``fernhilfe-org`` command; its standard output."""
        done = subprocess.run(
            [sys.executable, "-m", "console.org.cli", *args], cwd=ROOT, capture_output=True,
            text=True, timeout=120, env=env_without_keyring(),
        )
        assert done.returncode == 0, f"fernhilfe-org {args[0]}: {done.stderr}"
        return done.stdout

    def init(self) -> None:
        self.passphrase_file.write_text(ORG_PASSPHRASE + "\n")
        out = self.run("init", "--name", ORGANISATION, "--key", str(self.key),
                       "--passphrase-file", str(self.passphrase_file))
        self.public = field_of(out, "public key:")
        self.key_id = field_of(out, "key id:")

    def issue(self, technician: str) -> tuple[Path, Path]:
        """A certificate and a new sealed key for ``technician``: (certificate, key) files."""
        out_dir = self.home / "issued"
        out_dir.mkdir(exist_ok=True)
        tech_pass = self.home / "tech-passphrase.txt"
        tech_pass.write_text(KEY_PASSPHRASE + "\n")
        self.run("issue", technician, "--email", "max@kanzleisoft.example", "--key",
                 str(self.key), "--passphrase-file", str(self.passphrase_file),
                 "--technician-passphrase-file", str(tech_pass), "--out-dir", str(out_dir))
        certs = sorted(out_dir.glob("*.fhcert"), key=lambda p: p.stat().st_mtime)
        keys = sorted((p for p in out_dir.iterdir() if p.suffix != ".fhcert"),
                      key=lambda p: p.stat().st_mtime)
        return certs[-1], keys[-1]

    def revoke(self, *serials: int) -> Path:
        """Sign a list revoking ``serials`` and publish it to the relay's folder."""
        self.run("revoke", *map(str, serials), "--key", str(self.key), "--passphrase-file",
                 str(self.passphrase_file), "--out-dir", str(self.lists))
        published = self.lists / f"{self.key_id}.fhrl"
        assert published.is_file()
        return published

    def seed(self) -> bytes:
        """The organisation's signing seed, unsealed as the admin tool does (for a stale list,
        which the tool refuses to make)."""
        from console.org.cli import unlock_org_key

        return unlock_org_key(self.key, self.passphrase_file)[0]


def field_of(output: str, label: str) -> str:
    line = next(line for line in output.splitlines() if line.strip().startswith(label))
    return line.split(label, 1)[1].strip()


def env_without_keyring() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHON_KEYRING_BACKEND": NO_KEYRING}


@pytest.fixture
def org(tmp_path: Path) -> Organisation:
    lists = tmp_path / "revocations"
    lists.mkdir()
    home = tmp_path / "admin"
    home.mkdir()
    organisation = Organisation(home, lists)
    organisation.init()
    return organisation


@pytest.fixture
def relay_url(org: Organisation) -> Iterator[str]:
    """The real relay, serving the organisation's folder (replaces tests/conftest.py's)."""
    proc, url = start_relay("--revocations-dir", str(org.lists))
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(10)


def branded_agent(qtbot, tmp_path: Path, relay_url: str, org: Organisation,
                  monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp]) -> AgentApp:
    """The agent as a support firm brands it: trusts the firm's key and requires verification."""
    branding = tmp_path / "branding.toml"
    branding.write_text(
        "[agent]\n"
        f'relay_url = "{relay_url}"\n'
        f'organisation = "{ORGANISATION}"\n'
        f'trusted_organisations = ["{org.public}"]\n'
        "require_verified = true\n"
    )
    config = load_config(None, env={}, beside=tmp_path / "no-side-file", branding=branding,
                         frozen=False)
    assert config.require_verified and config.trusted_organisations == (org.public,)
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    app = AgentApp(config)
    qtbot.addWidget(app.window)
    app.window.move(0, 0)
    app.start()
    agents.append(app)
    return app


def audit(tmp_path: Path, side: str) -> list[dict[str, object]]:
    events: list[dict[str, object]] = []
    for path in sorted((tmp_path / "data" / "audit").glob(f"*-{side}.jsonl")):
        events += read_record(path)
    return events


def first(events: list[dict[str, object]], name: str) -> dict[str, object]:
    return next(e for e in events if e["event"] == name)


def serial_of(certificate: Path) -> int:
    from shared.identity.certificate import dearmour, parse_certificate

    return parse_certificate(dearmour("CERTIFICATE", certificate.read_text())).fields.serial


def import_identity(tmp_path: Path, certificate: Path, key: Path) -> None:
    """``fernhilfe-console --import-identity CERT KEY`` as the technician runs it: the hand-over
    passphrase, then a new one (twice) for this console, on standard input."""
    env = {**env_without_keyring(), "FERNHILFE_DATA_DIR": str(tmp_path / "data")}
    answers = f"{KEY_PASSPHRASE}\n{CONSOLE_PASSPHRASE}\n{CONSOLE_PASSPHRASE}\n"
    done = subprocess.run(
        [sys.executable, "-m", "console", "--import-identity", str(certificate), str(key)],
        cwd=ROOT, input=answers, capture_output=True, text=True, timeout=120, env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "Imported: Max Mustermann, Kanzleisoft GmbH" in done.stdout


@pytest.fixture
def consoles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    """Consoles a test starts in this process (after importing an identity or not). Agent and
    console share this process's data folder: records are told apart by their file names."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", NO_KEYRING)
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    started: list = []
    yield started
    for con in started:
        con.worker.stop()
        if con.session_window is not None:
            con.session_window.close()
        con.connect_window.close()


def start_console(qtbot, relay_url: str, tmp_path: Path, consoles: list):
    from console.app import ConsoleApp

    ini = tmp_path / "console.ini"
    ini.write_text("[technician]\nname=Eva Technik\norganisation=Acme IT\n"
                   f"[relay]\nurl={relay_url}\n")
    con = ConsoleApp(relay_url, str(ini))
    consoles.append(con)
    qtbot.addWidget(con.connect_window)
    con.start()
    return con


def connect(qtbot, con, code: str, passphrase: str | None) -> None:
    """Type the code and click Connect; with ``passphrase``, answer the real unlock dialog the
    console opens (modal: a timer in its loop types and clicks, as a person would)."""
    timer = QTimer()
    if passphrase is not None:
        def unlock() -> None:
            dialog = con.passphrase_dialog
            if dialog is not None and dialog.isVisible():
                timer.stop()
                dialog.passphrase_edit.setText(passphrase)
                qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

        timer.timeout.connect(unlock)
        timer.start(50)
    con.connect_window.code_edit.setText(code)
    qtbot.mouseClick(con.connect_window.connect_button, Qt.MouseButton.LeftButton)
    timer.stop()


# ----------------------------------------------------------------------------------------------


def test_verified_technician_is_shown_verified_and_the_session_runs(
        qtbot, tmp_path: Path, org: Organisation, relay_url: str,
        monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp], consoles: list) -> None:
    org.revoke()  # a fresh list that revokes nobody, on the relay
    certificate, key = org.issue(TECHNICIAN)
    import_identity(tmp_path, certificate, key)
    con = start_console(qtbot, relay_url, tmp_path, consoles)
    agent = branded_agent(qtbot, tmp_path, relay_url, org, monkeypatch, agents)
    connect(qtbot, con, shown_code(qtbot, agent), CONSOLE_PASSPHRASE)
    qtbot.waitUntil(lambda: agent.consent is not None, timeout=15000)
    dialog = agent.consent
    assert dialog is not None
    card = dialog.identity_card
    # The verified mark: the drawn badge in the green frame, which no typed name can produce;
    # the names are the certificate's, the typed ones ("Eva Technik", "Acme IT") are not shown.
    assert card.verified and card.property("verified") is True
    assert card.mark.verified and card.mark.isVisible()
    assert card.mark.accessibleName() == "Verified technician"
    badge = card.mark.grab().toImage()
    green = sum(badge.pixelColor(x, y).name() == VERIFIED_COLOUR
                for x in range(badge.width()) for y in range(badge.height()))
    assert green > badge.width() * badge.height() // 4  # the shield is painted
    assert card.labels["who"].text() == TECHNICIAN
    assert card.labels["verifiedBy"].text() == f"Verified by {ORGANISATION}"
    assert "Eva Technik" not in card.text() and "Acme IT" not in card.text()
    allow(qtbot, agent)
    # Frames flow: the customer's whole screen arrives in the technician's view.
    qtbot.waitUntil(lambda: con.session_window is not None
                    and con.session_window.view.image().width() == agent.window.screen()
                    .geometry().width(), timeout=20000)
    serial = serial_of(certificate)
    agent_side = first(audit(tmp_path, "agent"), "consent_requested")["identity"]
    assert agent_side == {"verdict": "verified", "serial": serial, "organisation": ORGANISATION,
                          "org_key_id": org.key_id, "technician": TECHNICIAN}
    console_side = first(audit(tmp_path, "console"), "keys_agreed")["identity"]
    assert console_side == {"verdict": "presented", "serial": serial,
                            "organisation": ORGANISATION, "org_key_id": org.key_id,
                            "technician": TECHNICIAN}
    assert agent.overlay is not None
    qtbot.mouseClick(agent.overlay.panel.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agent.window.state == "ended", timeout=15000)


def refused(qtbot, tmp_path: Path, agent: AgentApp, con, verdict: str) -> None:
    """Both sides refused before any consent dialog, said so (the agent naming the reason in
    plain words), and recorded it."""
    from agent.ui.identity import reason_text
    from shared.identity.verify import Verdict

    qtbot.waitUntil(lambda: agent.window.state == "refused", timeout=20000)
    assert "could not be verified" in agent.window.message_text()
    assert agent.window.notice_text() == reason_text(Verdict(verdict))
    assert agent.consent is None
    qtbot.waitUntil(lambda: "only accepts verified technicians" in console_text(con),
                    timeout=15000)
    agent_events = audit(tmp_path, "agent")
    assert "consent_requested" not in [e["event"] for e in agent_events]
    refusal = [e for e in agent_events if e.get("identity")]
    assert refusal and refusal[-1]["identity"]["verdict"] == verdict  # type: ignore[index]
    ended = first(audit(tmp_path, "console"), "session_ended")
    assert ended["reason"] == "unverified_technician"
    assert ended["identity"]["refused"] is True  # type: ignore[index]


def console_text(con) -> str:
    texts = [con.connect_window.error_text()]
    if con.session_window is not None:
        texts += con.session_window.info_texts()
    return "\n".join(texts)


def test_unverified_technician_is_refused_before_consent(
        qtbot, tmp_path: Path, org: Organisation, relay_url: str,
        monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp], consoles: list) -> None:
    org.revoke()
    con = start_console(qtbot, relay_url, tmp_path, consoles)  # no certificate imported
    agent = branded_agent(qtbot, tmp_path, relay_url, org, monkeypatch, agents)
    connect(qtbot, con, shown_code(qtbot, agent), None)
    refused(qtbot, tmp_path, agent, con, "no_proof")


def test_revoked_technician_is_refused(
        qtbot, tmp_path: Path, org: Organisation, relay_url: str,
        monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp], consoles: list) -> None:
    certificate, key = org.issue(TECHNICIAN)
    org.revoke(serial_of(certificate))  # the laptop was lost
    import_identity(tmp_path, certificate, key)
    con = start_console(qtbot, relay_url, tmp_path, consoles)
    agent = branded_agent(qtbot, tmp_path, relay_url, org, monkeypatch, agents)
    connect(qtbot, con, shown_code(qtbot, agent), CONSOLE_PASSPHRASE)
    refused(qtbot, tmp_path, agent, con, "revoked")


@pytest.mark.parametrize("withheld", ["missing", "stale"])
def test_list_withheld_by_the_relay_is_named(
        qtbot, tmp_path: Path, org: Organisation, relay_url: str, withheld: str,
        monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp], consoles: list) -> None:
    """The relay serves no list, or only an old one: the agent cannot rule out a revocation,
    so a verified-only agent refuses, and says that this is why."""
    certificate, key = org.issue(TECHNICIAN)
    if withheld == "stale":
        now = int(time.time())
        old = issue_revocation_list(org.seed(), [], issued_at=now - 10 * 86_400,
                                    next_update=now - 3 * 86_400)
        (org.lists / f"{org.key_id}.fhrl").write_bytes(old)
    import_identity(tmp_path, certificate, key)
    con = start_console(qtbot, relay_url, tmp_path, consoles)
    agent = branded_agent(qtbot, tmp_path, relay_url, org, monkeypatch, agents)
    connect(qtbot, con, shown_code(qtbot, agent), CONSOLE_PASSPHRASE)
    verdict = {"missing": "revocation_missing", "stale": "revocation_stale"}[withheld]
    refused(qtbot, tmp_path, agent, con, verdict)
