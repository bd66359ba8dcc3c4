"""Who the technician is, as the customer sees it: verified by their company, or not.

A verified technician is shown in a card with a thick green frame and a drawn badge (a shield
with a check mark), both painted by this module and never made of text: whatever name a
technician types, it can only ever appear as a label's plain text, so it cannot produce the mark.
The card shows the certificate's name and organisation (never the typed ones), "Verified by
<organisation>" and until when the certificate is valid. Anyone else gets a red card with a drawn
warning sign, the reason in plain words (:func:`reason_text`) and the typed name and company
marked as given by the caller and checked by nobody.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from shared.identity.verify import Verdict, Verification
from shared.text import shown_name

VERIFIED_COLOUR = "#1a7f37"
UNVERIFIED_COLOUR = "#c62828"
MARK_SIZE = 44


def reason_text(verdict: Verdict | str) -> str:
    """Why a technician is not verified, in one plain sentence (translated)."""
    value = verdict.value if isinstance(verdict, Verdict) else str(verdict)
    texts = {
        "no_proof": QCoreApplication.translate(
            "Identity", "The technician did not prove who they are."),
        "no_trust": QCoreApplication.translate(
            "Identity", "This copy of Fernhilfe cannot check who a technician is."),
        "malformed": QCoreApplication.translate(
            "Identity", "The technician's certificate is damaged and cannot be read."),
        "foreign_organisation": QCoreApplication.translate(
            "Identity",
            "The technician's certificate is from a company that this program does not "
            "trust."),
        "bad_signature": QCoreApplication.translate(
            "Identity", "The technician's certificate has been altered or forged."),
        "expired": QCoreApplication.translate(
            "Identity", "The technician's certificate has expired."),
        "not_yet_valid": QCoreApplication.translate(
            "Identity",
            "The technician's certificate is not valid yet. Please check the date and time "
            "of this computer."),
        "revoked": QCoreApplication.translate(
            "Identity", "The technician's certificate has been revoked by their company."),
        "revocation_missing": QCoreApplication.translate(
            "Identity",
            "It could not be checked whether the technician's certificate has been revoked "
            "(the revocation list could not be loaded)."),
        "revocation_stale": QCoreApplication.translate(
            "Identity",
            "It could not be checked whether the technician's certificate has been revoked "
            "(the revocation list is out of date)."),
        "bad_proof": QCoreApplication.translate(
            "Identity", "The technician's proof does not belong to this session."),
    }
    return texts.get(value, QCoreApplication.translate(
        "Identity", "The technician could not be verified."))


def date_text(moment: int, pattern: str = "%Y-%m-%d") -> str:
    """A certificate date (unix seconds) as the customer's local date."""
    try:
        return datetime.fromtimestamp(moment).astimezone().strftime(pattern)
    except (OverflowError, OSError, ValueError):
        return "?"


class IdentityMark(QWidget):
    """The drawn mark: a green shield with a check (verified) or a red warning sign.

    Screen readers get its meaning from the accessible name, not from a picture."""

    def __init__(self, verified: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.verified = verified
        self.setObjectName("identityMark")
        self.setFixedSize(QSize(MARK_SIZE, MARK_SIZE))
        self.setAccessibleName(self.tr("Verified technician") if verified
                               else self.tr("Not verified"))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        s = float(min(self.width(), self.height()))
        if self.verified:
            shield = QPainterPath()
            shield.moveTo(s * 0.5, s * 0.04)
            shield.lineTo(s * 0.92, s * 0.2)
            shield.cubicTo(s * 0.92, s * 0.62, s * 0.72, s * 0.84, s * 0.5, s * 0.97)
            shield.cubicTo(s * 0.28, s * 0.84, s * 0.08, s * 0.62, s * 0.08, s * 0.2)
            shield.closeSubpath()
            p.fillPath(shield, QColor(VERIFIED_COLOUR))
            pen = QPen(QColor("white"), s * 0.1)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            p.drawPolyline([QPointF(s * 0.3, s * 0.5), QPointF(s * 0.45, s * 0.65),
                            QPointF(s * 0.72, s * 0.34)])
        else:
            triangle = QPainterPath()
            triangle.moveTo(s * 0.5, s * 0.06)
            triangle.lineTo(s * 0.96, s * 0.9)
            triangle.lineTo(s * 0.04, s * 0.9)
            triangle.closeSubpath()
            p.fillPath(triangle, QColor(UNVERIFIED_COLOUR))
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor("white"))
            p.drawRoundedRect(QRectF(s * 0.45, s * 0.3, s * 0.1, s * 0.34), s * 0.04, s * 0.04)
            p.drawEllipse(QRectF(s * 0.44, s * 0.7, s * 0.12, s * 0.12))
        p.end()


def _label(name: str, text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names come from outside: never rich text
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


class IdentityCard(QFrame):
    """The technician's identity in a coloured frame (object name ``identityCard``, property
    ``verified``); ``labels`` maps each line's object name to its label (tests read them)."""

    def __init__(self, identity: Verification | None, typed_name: str, typed_organisation: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("identityCard")
        self.verified = identity is not None and identity.verified
        self.setProperty("verified", self.verified)
        self.mark = IdentityMark(self.verified, self)
        self.labels: dict[str, QLabel] = {}
        lines = QVBoxLayout()
        lines.setSpacing(2)
        cert = identity.certificate if identity is not None else None
        if self.verified and cert is not None:
            technician = shown_name(cert.technician, "?")
            company = shown_name(cert.organisation, "?")
            valid_until = date_text(cert.valid_until, self.tr("%Y-%m-%d"))
            rows = [
                ("who", technician),
                ("organisation", company),
                ("verifiedBy", self.tr("Verified by {organisation}").format(
                    organisation=company)),
                ("validity", self.tr("Certificate valid until {date}").format(
                    date=valid_until)),
            ]
            summary = self.tr("Verified technician: {name}, {organisation}").format(
                name=technician, organisation=company)
        else:
            verdict = identity.verdict if identity is not None else Verdict.NO_PROOF
            reason = reason_text(verdict)
            name = shown_name(typed_name, self.tr("(no name given)"))
            company = shown_name(typed_organisation, self.tr("(no company given)"))
            rows = [
                ("status", self.tr("Not verified")),
                ("reason", reason),
                ("claimedName", self.tr("Name given by the caller: {name}").format(name=name)),
                ("claimedOrganisation", self.tr(
                    "Company given by the caller: {organisation}").format(organisation=company)),
                ("unchecked", self.tr("Nobody has checked this name or company.")),
            ]
            summary = self.tr("Not verified: {reason}").format(reason=reason)
        for name, text in rows:
            label = _label(name, text)
            self.labels[name] = label
            lines.addWidget(label)
        self.setAccessibleName(summary)
        self.setAccessibleDescription(" ".join(text for _, text in rows))
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 10, 12, 10)
        grid.setHorizontalSpacing(12)
        grid.addWidget(self.mark, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(lines, 0, 1)
        grid.setColumnStretch(1, 1)

    def text(self) -> str:
        """Every line of the card, one per line (tests and screenshots read it)."""
        return "\n".join(label.text() for label in self.labels.values())

    @staticmethod
    def style_sheet() -> str:
        """The frame and line styles (the dialog adds them to its own sheet)."""
        return f"""
            QFrame#identityCard[verified="true"] {{ background: #eef8f0;
                border: 3px solid {VERIFIED_COLOUR}; border-radius: 8px; }}
            QFrame#identityCard[verified="false"] {{ background: #fdecec;
                border: 3px solid {UNVERIFIED_COLOUR}; border-radius: 8px; }}
            QFrame#identityCard QLabel {{ background: transparent; border: none; }}
            QFrame#identityCard QLabel#who {{ font-size: 14pt; font-weight: 600;
                color: #1f2328; }}
            QFrame#identityCard QLabel#organisation {{ font-size: 12pt; color: #1f2328; }}
            QFrame#identityCard QLabel#verifiedBy {{ font-size: 11pt; font-weight: 600;
                color: {VERIFIED_COLOUR}; }}
            QFrame#identityCard QLabel#status {{ font-size: 13pt; font-weight: 700;
                color: {UNVERIFIED_COLOUR}; }}
            QFrame#identityCard QLabel#reason {{ font-size: 11pt; font-weight: 600;
                color: #7a1f00; }}
            QFrame#identityCard QLabel#claimedName,
            QFrame#identityCard QLabel#claimedOrganisation {{ font-size: 11pt; color: #1f2328; }}
            QFrame#identityCard QLabel#validity, QFrame#identityCard QLabel#unchecked {{
                font-size: 10pt; color: #57606a; }}
        """
