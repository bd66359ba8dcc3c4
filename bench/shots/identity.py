"""Screenshots of who connects (issue 12): the consent dialog with a verified technician, with
an unverified one for each reason, and the code window after a policy refusal.

``shoot(out_dir, lang)`` saves ``identity-<state>-<lang>.png``. No network: the states are what
the worker's signals would cause, with a certificate's fields as the agent's check returns them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from agent.ui import CodeWindow, ConsentDialog, install_translator
from agent.ui.identity import reason_text
from bench.shots.customer import BRANDING, _FixedClock, _save
from shared.identity.certificate import CertificateFields
from shared.identity.verify import Verdict, Verification

#: 2026-11-01 to 2027-01-30 (90 days), fixed so the pictures do not change.
CERTIFICATE = CertificateFields(
    organisation="Muster IT GmbH", org_key_id="3f2a9c1b7d4e5f60", technician="Anna Schmidt",
    email="anna.schmidt@muster-it.example", phone="", technician_key=bytes(range(32)),
    serial=1042, valid_from=1793491200, valid_until=1793491200 + 90 * 86400)
UNVERIFIED = (Verdict.NO_PROOF, Verdict.FOREIGN_ORGANISATION, Verdict.EXPIRED, Verdict.REVOKED,
              Verdict.REVOCATION_MISSING)


def shoot(out_dir: Path, lang: str) -> list[Path]:
    """One PNG per identity state in ``lang`` under ``out_dir``."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    install_translator(app, QLocale(lang))
    out_dir.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    cases = [("consent-verified", Verification(Verdict.VERIFIED, CERTIFICATE, ""))]
    cases += [(f"consent-unverified-{v.value.replace('_', '-')}", Verification(v, None, ""))
              for v in UNVERIFIED]
    try:
        for state, identity in cases:
            dialog = ConsentDialog("Anna Schmidt", "Muster IT GmbH", "4821", branding=BRANDING,
                                   clock=_FixedClock(), identity=identity)
            try:
                saved.append(_save(dialog, out_dir, state, lang, prefix="identity"))
            finally:
                dialog.reject()
                dialog.deleteLater()
        win = CodeWindow(BRANDING, clock=_FixedClock())
        try:
            win.show_refused(reason_text(Verdict.NO_PROOF))
            saved.append(_save(win, out_dir, "refused", lang, prefix="identity"))
        finally:
            win.hide()
            win.deleteLater()
    finally:
        install_translator(app, QLocale("en_US"))
    return saved
