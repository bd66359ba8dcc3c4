"""The consent dialog: the customer decides whether (and how far) the technician may connect.

Safe by default: Escape, closing, Enter on the initial focus, and the 2-minute timeout all deny.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent.ui.branding import Branding, logo_label
from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import button_row, digits_font
from shared.session import CONSENT_TIMEOUT
from shared.text import shown_name

VIEW = "view"
CONTROL = "control"
DEFAULT_TIMEOUT_S = CONSENT_TIMEOUT


class ConsentDialog(QDialog):
    """Ask the customer to allow a session; emits ``decided(allowed, permissions)`` exactly once.

    ``permissions`` (a ``frozenset[str]``) is what the customer left ticked — ``{"view"}`` or
    ``{"view", "control"}`` — when allowed, and ``frozenset()`` when denied. "See your screen" is
    required for any session: unticking it disables Allow (the customer can still Deny).
    Deny is the default button and has the initial focus, so Enter never allows by accident.
    Escape, closing the window, ``reject()``/``close()`` from code and the timeout all deny.
    """

    decided = Signal(bool, object)  # (allowed: bool, permissions: frozenset[str])

    def __init__(
        self,
        technician_name: str,
        organisation: str,
        verification: str,
        requested: Iterable[str] = (VIEW, CONTROL),
        timeout_s: float = DEFAULT_TIMEOUT_S,
        branding: Branding | None = None,
        parent: QWidget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._done = False
        #: True once the 2-minute timeout (not the customer) decided: the audit says so.
        self.timed_out = False
        self._branding = branding or Branding()
        requested_set = frozenset(requested)
        self._control_requested = CONTROL in requested_set
        self.setWindowTitle(self.tr("Allow remote support?"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setModal(True)
        self.setMinimumWidth(500)

        #: The support company's logo at the top (None: no logo configured or readable).
        self.logo = logo_label(self._branding, self)

        title = QLabel(self.tr("A support technician wants to connect to this computer."))
        title.setObjectName("title")
        title.setWordWrap(True)

        # The decoder already refused names that break the rule (shared.text); this is the last
        # line of defence should a caller ever pass one through.
        who_name = shown_name(technician_name, self.tr("(no name given)"))
        who = QLabel(who_name)
        who.setObjectName("who")
        who.setTextFormat(Qt.TextFormat.PlainText)
        who.setWordWrap(True)
        org_text = shown_name(organisation, self.tr("(no organisation given)"))
        org = QLabel(self.tr("{organisation} (unverified)").format(organisation=org_text))
        org.setObjectName("organisation")
        org.setTextFormat(Qt.TextFormat.PlainText)
        org.setWordWrap(True)
        org.setToolTip(
            self.tr("The name and organisation are what the technician typed in. "
                    "Only allow if you called them or expect their call.")
        )

        number_caption = QLabel(
            self.tr("The technician must tell you this number. Does it match?")
        )
        number_caption.setObjectName("numberCaption")
        number_caption.setWordWrap(True)
        self._number = QLabel(verification)
        self._number.setObjectName("number")
        self._number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._number.setFont(digits_font(self.font(), 3.0, bold=True, letter_spacing=6.0))

        perms_caption = QLabel(self.tr("The technician asks to:"))
        perms_caption.setObjectName("permsCaption")
        self.view_box = QCheckBox(self.tr("See your screen"))
        self.view_box.setObjectName("view")
        self.view_box.setChecked(VIEW in requested_set)
        self.view_box.setEnabled(VIEW in requested_set)
        self.control_box = QCheckBox(self.tr("Control mouse and keyboard"))
        self.control_box.setObjectName("control")
        self.control_box.setChecked(CONTROL in requested_set)
        self.control_box.setEnabled(CONTROL in requested_set)
        self.control_box.setVisible(CONTROL in requested_set)

        self._countdown = QLabel()
        self._countdown.setObjectName("countdown")
        self._countdown.setWordWrap(True)

        self.deny_button = QPushButton(self.tr("Deny"))
        self.deny_button.setObjectName("deny")
        self.allow_button = QPushButton(self.tr("Allow"))
        self.allow_button.setObjectName("allow")
        # Deny is the only default/auto-default button: Enter can never mean Allow unless the
        # customer deliberately moved the focus onto Allow.
        self.allow_button.setAutoDefault(False)
        self.allow_button.setDefault(False)
        self.deny_button.setAutoDefault(True)
        self.deny_button.setDefault(True)
        self.deny_button.clicked.connect(self.reject)
        self.allow_button.clicked.connect(self._allow)
        self.view_box.toggled.connect(self._update_allow)
        self.control_box.toggled.connect(self._update_allow)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setObjectName("line")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 20)
        layout.setSpacing(10)
        if self.logo is not None:
            layout.addWidget(self.logo)
            layout.addSpacing(4)
        layout.addWidget(title)
        layout.addSpacing(4)
        layout.addWidget(who)
        layout.addWidget(org)
        layout.addSpacing(6)
        layout.addWidget(number_caption)
        layout.addWidget(self._number)
        layout.addWidget(line)
        layout.addWidget(perms_caption)
        layout.addWidget(self.view_box)
        layout.addWidget(self.control_box)
        layout.addSpacing(6)
        layout.addWidget(self._countdown)
        layout.addLayout(button_row(self.deny_button, self.allow_button))

        self._apply_style()
        self._update_allow()
        force_plain_text(self)  # names are from outside: never rendered as rich text

        self._deadline = self._clock() + max(0.0, float(timeout_s))
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._expire)
        self._timeout.start(max(0, round(float(timeout_s) * 1000)))
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self._tick()
        self.deny_button.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----------------------------------------------------------------- public

    @property
    def is_decided(self) -> bool:
        """True once ``decided`` has been emitted."""
        return self._done

    def selected_permissions(self) -> frozenset[str]:
        """The permissions currently ticked (what Allow would grant)."""
        chosen = set()
        if self.view_box.isChecked():
            chosen.add(VIEW)
            if self.control_box.isChecked() and self._control_requested:
                chosen.add(CONTROL)
        return frozenset(chosen)

    def countdown_text(self) -> str:
        """The visible auto-deny countdown line."""
        return self._countdown.text()

    @Slot()
    def present(self) -> None:
        """Show the dialog on top with keyboard focus (also done automatically on show)."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.deny_button.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # ----------------------------------------------------------------- QDialog plumbing

    def done(self, result: int) -> None:
        """Every way out of the dialog ends here; emit ``decided`` exactly once."""
        allowed = result == QDialog.DialogCode.Accepted and VIEW in self.selected_permissions()
        self._finish(allowed)
        super().done(QDialog.DialogCode.Accepted if allowed else QDialog.DialogCode.Rejected)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button denies."""
        self._finish(False)
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        """Come up on top and focused: the customer is waiting for exactly this window."""
        super().showEvent(event)
        self.raise_()
        self.activateWindow()
        self.deny_button.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    # ----------------------------------------------------------------- internals

    def _allow(self) -> None:
        if VIEW in self.selected_permissions():
            self.accept()

    def _expire(self) -> None:
        self.timed_out = True
        self.reject()

    def _finish(self, allowed: bool) -> None:
        if self._done:
            return
        self._done = True
        self._timeout.stop()
        self._ticker.stop()
        self.decided.emit(allowed, self.selected_permissions() if allowed else frozenset())

    def _update_allow(self) -> None:
        view_on = self.view_box.isChecked()
        self.allow_button.setEnabled(view_on)
        # Control without seeing the screen makes no sense: it follows view.
        self.control_box.setEnabled(view_on and self._control_requested)
        self.allow_button.setToolTip(
            "" if view_on else self.tr("Tick “See your screen” to allow a session.")
        )

    def _tick(self) -> None:
        remaining = max(0.0, self._deadline - self._clock())
        whole = math.ceil(remaining)
        self._countdown.setText(
            self.tr("If you do nothing, this request is denied in {time}.").format(
                time=f"{whole // 60}:{whole % 60:02d}"
            )
        )

    def _apply_style(self) -> None:
        accent = QColor(self._branding.accent)
        if not accent.isValid():
            accent = QColor(Branding().accent)
        a = accent.name()
        self.setStyleSheet(
            f"""
            QDialog {{ background: #fafbfc; }}
            QLabel#title {{ font-size: 13pt; font-weight: 600; color: #1f2328; }}
            QLabel#who {{ font-size: 14pt; font-weight: 600; color: #1f2328; }}
            QLabel#organisation {{ font-size: 11pt; color: #57606a; }}
            QLabel#numberCaption, QLabel#permsCaption {{ font-size: 11pt; color: #1f2328; }}
            QLabel#number {{ color: #111; border: 2px solid {a}; border-radius: 10px;
                             padding: 8px; background: white; }}
            QLabel#countdown {{ font-size: 10pt; color: #57606a; }}
            QCheckBox {{ font-size: 12pt; spacing: 10px; }}
            QPushButton {{ font-size: 12pt; padding: 8px 22px; min-width: 90px; }}
            QPushButton#allow {{ background: {a}; color: white; border: none;
                                 border-radius: 6px; }}
            QPushButton#allow:disabled {{ background: #b8c0c8; }}
            QFrame#line {{ color: #d0d7de; }}
            """
        )
