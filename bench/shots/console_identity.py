"""Screenshots of the technician's identity in the console (issue 12): the connect window with a
verified certificate, without one and with an expired one, the import and unlock dialogs (also
with their error), and the refusal by a customer's program that only accepts verified
technicians.

``shoot(out_dir, lang)`` saves ``console-<state>-<lang>.png`` (the console's area of the index).
No network, no keyring: the states are what console/app.py puts into the real widgets.

    python -m bench.shots --only console_identity
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QApplication, QWidget

from bench.shots.console import AREA
from bench.shots.customer import _save
from bench.shots.identity import CERTIFICATE
from console.app import certificate_date, identity_error_text, refusal_text
from console.identity.store import IdentityError, IdentityWrongPassphrase
from console.ui import ConnectWindow, install_translator
from console.ui.identity_dialogs import ImportIdentityDialog, PassphraseDialog

#: What an agent that only accepts verified technicians sends with its refusal (its own words,
#: in the customer's language: English here in both sets of pictures, as it would arrive).
AGENT_REFUSAL = "The technician did not prove who they are."


def shoot(out_dir: Path, lang: str) -> list[Path]:
    """One PNG per identity state of the console in ``lang`` under ``out_dir``."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_translator(app, QLocale("de_DE" if lang == "de" else "en_US"))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []

    def save(widget: QWidget, state: str) -> None:
        saved.append(_save(widget, out_dir, state, lang, prefix=AREA))

    with tempfile.TemporaryDirectory() as tmp:
        ini = Path(tmp) / "console.ini"
        ini.write_text("[technician]\nname=Anna Schmidt\norganisation=Muster IT GmbH\n"
                       "[relay]\nurl=wss://relay.example.com/v1\n")
        connect = ConnectWindow(str(ini))
        try:
            connect.resize(560, connect.sizeHint().height())
            connect.show_verified(CERTIFICATE.technician, CERTIFICATE.organisation,
                                  certificate_date(CERTIFICATE.valid_until))
            save(connect, "connect-verified")
            connect.show_unverified(QCoreApplication.translate(
                "ConsoleApp", "Your certificate expired on {date}.").format(
                    date=certificate_date(CERTIFICATE.valid_until)))
            save(connect, "connect-expired")
            connect.show_unverified()
            save(connect, "connect-not-verified")
            connect.code_edit.setText("123 456 789")
            connect.show_error(refusal_text(AGENT_REFUSAL))
            save(connect, "refused")

            dialogs: list[tuple[ImportIdentityDialog | PassphraseDialog, str, IdentityError]] = [
                (ImportIdentityDialog(True, connect), "import",
                 IdentityError("key_mismatch", "the key does not belong to the certificate")),
                (PassphraseDialog(CERTIFICATE.technician, connect), "unlock",
                 IdentityWrongPassphrase("the key")),
            ]
            for dialog, state, error in dialogs:
                try:
                    if isinstance(dialog, ImportIdentityDialog):
                        dialog.cert_edit.setText("/home/anna/anna-schmidt-1042.fhcert")
                        dialog.key_edit.setText("/home/anna/anna-schmidt-1042.fhkey")
                    save(dialog, state)
                    dialog.show_error(identity_error_text(error))
                    save(dialog, f"{state}-error")
                finally:
                    dialog.reject()
                    dialog.deleteLater()
        finally:
            connect.hide()
            connect.deleteLater()
    return saved
