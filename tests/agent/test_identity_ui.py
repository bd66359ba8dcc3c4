"""Who connects, as the customer sees it (issue 12): the verified mark, the unverified warning
with its reason, and the code window after a policy refusal. Real widgets under Xvfb."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from agent.ui import CodeWindow, ConsentDialog
from agent.ui.identity import VERIFIED_COLOUR, IdentityMark, reason_text
from shared.identity.certificate import CertificateFields
from shared.identity.verify import Verdict, Verification

CERT = CertificateFields(
    organisation="Kanzleisoft GmbH", org_key_id="0123456789abcdef", technician="Max Mustermann",
    email="", phone="", technician_key=bytes(32), serial=7, valid_from=1_790_000_000,
    valid_until=1_790_000_000 + 90 * 86400)
#: What a scammer would type to look verified: it must never produce the mark.
FAKE_NAME = "Max Mustermann \u2714 Verified by Kanzleisoft GmbH"


def _dialog(qtbot, identity: Verification | None, name: str = FAKE_NAME,
            organisation: str = "Kanzleisoft GmbH") -> ConsentDialog:
    dialog = ConsentDialog(name, organisation, "4821", identity=identity)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _texts(dialog: ConsentDialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel)]


def _has_colour(image, colour: str) -> bool:
    want = QColor(colour)
    return any(QColor(image.pixel(x, y)) == want
               for x in range(0, image.width(), 2) for y in range(0, image.height(), 2))


def test_verified_shows_the_certificate_not_the_typed_name(qtbot, english) -> None:
    dialog = _dialog(qtbot, Verification(Verdict.VERIFIED, CERT, "ok"),
                     name="Someone Else", organisation="Typed Company")
    card = dialog.identity_card
    assert card.verified and card.property("verified") is True
    assert card.labels["who"].text() == "Max Mustermann"
    assert card.labels["organisation"].text() == "Kanzleisoft GmbH"
    assert card.labels["verifiedBy"].text() == "Verified by Kanzleisoft GmbH"
    assert card.labels["validity"].text().startswith("Certificate valid until 2026-")
    assert not any("Someone Else" in t or "Typed Company" in t for t in _texts(dialog))
    # The mark is drawn (a green shield), and screen readers are told what it means.
    marks = dialog.findChildren(IdentityMark)
    assert [m.verified for m in marks] == [True]
    assert marks[0].accessibleName() == "Verified technician"
    assert _has_colour(marks[0].grab().toImage(), VERIFIED_COLOUR)
    assert card.accessibleName() == "Verified technician: Max Mustermann, Kanzleisoft GmbH"
    # The frame around the card is the verified colour too (drawn by the style, not a label).
    frame = card.grab().toImage()
    assert QColor(frame.pixel(1, frame.height() // 2)) == QColor(VERIFIED_COLOUR)
    dialog.reject()


def test_a_typed_claim_never_produces_the_mark(qtbot, english) -> None:
    for identity in (None, Verification(Verdict.NO_PROOF, None, "no proof")):
        dialog = _dialog(qtbot, identity)
        card = dialog.identity_card
        assert not card.verified
        assert [m.verified for m in dialog.findChildren(IdentityMark)] == [False]
        assert not _has_colour(card.grab().toImage(), VERIFIED_COLOUR)
        assert card.labels["status"].text() == "Not verified"
        assert card.labels["claimedName"].text() == f"Name given by the caller: {FAKE_NAME}"
        assert card.labels["reason"].text() == "The technician did not prove who they are."
        assert "who" not in card.labels and "verifiedBy" not in card.labels
        assert card.accessibleName().startswith("Not verified: ")
        dialog.reject()


def test_a_foreign_certificate_shows_no_name_from_it(qtbot, english) -> None:
    """A certificate of an organisation nobody trusts proves nothing: its fields stay out."""
    dialog = _dialog(qtbot, Verification(Verdict.FOREIGN_ORGANISATION, CERT, "foreign"),
                     name="Eva", organisation="Acme")
    texts = "\n".join(_texts(dialog))
    assert "Verified by" not in texts and "Kanzleisoft" not in texts
    assert "from a company that this program does not trust" in texts
    dialog.reject()


def test_every_verdict_has_its_own_plain_reason(english) -> None:
    reasons = {v: reason_text(v) for v in Verdict if v is not Verdict.VERIFIED}
    assert len(set(reasons.values())) == len(reasons)
    assert reason_text("something new") == "The technician could not be verified."
    assert all(text not in ("", reason_text("something new")) for text in reasons.values())


def test_reasons_and_marks_in_german(qtbot, german) -> None:
    dialog = _dialog(qtbot, Verification(Verdict.VERIFIED, CERT, "ok"))
    card = dialog.identity_card
    assert card.labels["verifiedBy"].text() == "Verifiziert von Kanzleisoft GmbH"
    assert dialog.findChildren(IdentityMark)[0].accessibleName() == "Verifizierter Techniker"
    dialog.reject()
    for verdict in Verdict:  # every reason translated (none left in English)
        assert "technician" not in reason_text(verdict).lower()
        assert " the " not in reason_text(verdict)
    assert reason_text(Verdict.REVOKED) == (
        "Das Zertifikat des Technikers wurde von seiner Firma gesperrt.")


def test_refused_window_offers_a_new_code_only_on_click(qtbot, english) -> None:
    win = CodeWindow()
    qtbot.addWidget(win)
    win.show()
    asked: list[bool] = []
    win.new_code_requested.connect(lambda: asked.append(True))
    win.show_refused(reason_text(Verdict.EXPIRED))
    assert win.state == "refused"
    assert win.message_text().startswith(
        "A technician who could not be verified tried to connect. Nothing was shared.")
    assert win.notice_text() == "The technician's certificate has expired."
    assert win.code_text() == ""
    assert win.action_text() == "Get a new code"
    assert win._record.isVisibleTo(win)
    qtbot.wait(300)
    assert asked == []  # nothing comes by itself
    qtbot.mouseClick(win._action, Qt.MouseButton.LeftButton)
    assert asked == [True]
