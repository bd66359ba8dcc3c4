"""The consent dialog: the customer decides whether (and how far) the technician may connect.

Safe by default: Escape, closing, Enter on the initial focus, and the 2-minute timeout all deny.
Who connects is shown by :class:`agent.ui.identity.IdentityCard`: a technician verified by a
trusted organisation's certificate with a drawn badge in a green frame, anyone else with a red
warning that says why, their typed name marked as unchecked.
The scam warning is part of the dialog itself (not a tooltip): it is read exactly when it
matters. Keyboard: Deny has the focus; Tab reaches the check boxes and Allow, Space presses.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QColor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agent.platform.readiness import Readiness
from agent.ui.branding import Branding, logo_label
from agent.ui.identity import IdentityCard
from agent.ui.mac_permissions import MacPermissionNotice
from agent.ui.permissions import OPTIONAL, permission_label, permission_note, privacy_text
from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import button_row, digits_font
from shared.identity.verify import Verification
from shared.session import CONSENT_TIMEOUT

VIEW = "view"
CONTROL = "control"
DEFAULT_TIMEOUT_S = CONSENT_TIMEOUT


class ConsentDialog(QDialog):
    """Ask the customer to allow a session; emits ``decided(allowed, permissions)`` exactly once.

    ``permissions`` (a ``frozenset[str]``) is what the customer left ticked — ``{"view"}`` or
    ``{"view", "control"}``, plus any of clipboard, files_in, files_out the technician asked for
    and the customer ticked (shown only when asked for, never ticked by default) — when allowed,
    and ``frozenset()`` when denied. "See your screen" is
    required for any session: unticking it disables Allow (the customer can still Deny).
    Deny is the default button and has the initial focus, so Enter never allows by accident.
    Escape, closing the window, ``reject()``/``close()`` from code and the timeout all deny.
    ``identity`` is the agent's check of the technician (None: nothing was checked, shown as
    not verified); the typed ``technician_name``/``organisation`` are shown only as unchecked.
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
        identity: Verification | None = None,
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
        self.setAccessibleName(self.windowTitle())
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setModal(True)
        # Wider when clipboard or files are asked for (a second column, see the layout).
        self.setMinimumWidth(780 if set(OPTIONAL) & requested_set else 500)

        #: The support company's logo at the top (None: no logo configured or readable).
        self.logo = logo_label(self._branding, self)

        title = QLabel(self.tr("A technician wants to connect to your computer."))
        title.setObjectName("title")
        title.setWordWrap(True)

        # Who connects: verified (badge, green frame) or not (red warning with the reason).
        # The decoder already refused names that break the rule (shared.text); the card falls
        # back on "(no name given)" should a caller ever pass one through.
        self.identity_card = IdentityCard(identity, technician_name, organisation)

        #: The scam warning, always visible in the dialog (callers pretending to be support).
        self.warning = QLabel(self.tr(
            "Only allow this if you called your support company yourself, or they told you "
            "beforehand that they would call. Never allow it for someone who called you "
            "unexpectedly."))
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName(self.warning.text())
        # The box is drawn by a frame around the label: a styled label's padding is left out of
        # its height-for-width, which would clip the last wrapped line.
        self.warning.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        warning_box = QFrame()
        warning_box.setObjectName("warningBox")
        box_layout = QVBoxLayout(warning_box)
        box_layout.setContentsMargins(10, 8, 10, 8)
        box_layout.addWidget(self.warning)

        number_caption = QLabel(
            self.tr("Check number: your technician must read out the same number. Does it "
                    "match?")
        )
        number_caption.setObjectName("numberCaption")
        number_caption.setWordWrap(True)
        self._number = QLabel(verification)
        self._number.setObjectName("number")
        self._number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._number.setFont(digits_font(self.font(), 3.0, bold=True, letter_spacing=6.0))
        self._number.setAccessibleName(
            self.tr("Check number: {number}").format(number=" ".join(verification)))

        perms_caption = QLabel(self.tr("Your technician asks to:"))
        perms_caption.setObjectName("permsCaption")
        self.view_box = QCheckBox(self.tr("See your screen"))
        self.view_box.setObjectName("view")
        self.view_box.setAccessibleName(self.view_box.text())
        self.view_box.setChecked(VIEW in requested_set)
        self.view_box.setEnabled(VIEW in requested_set)
        # What "see" brings with it (issue 15), said before the customer decides.
        self.view_note = QLabel(self.tr(
            "With it you can chat with each other, and your technician can point at things on "
            "your screen. Neither controls your computer."))
        self.view_note.setObjectName("viewNote")
        self.view_note.setWordWrap(True)
        self.view_note.setIndent(24)
        self.view_box.setAccessibleDescription(self.view_note.text())
        self.control_box = QCheckBox(self.tr("Control your mouse and keyboard"))
        self.control_box.setObjectName("control")
        self.control_box.setAccessibleName(self.control_box.text())
        self.control_box.setChecked(CONTROL in requested_set)
        self.control_box.setEnabled(CONTROL in requested_set)
        self.control_box.setVisible(CONTROL in requested_set)
        # Clipboard and files (issue 17): shown only when asked for, never ticked by default;
        # each with one plain line of what it means.
        self._optional_requested = frozenset(n for n in OPTIONAL if n in requested_set)
        #: the optional permissions' boxes and notes, by name (only those asked for exist)
        self.optional_boxes: dict[str, QCheckBox] = {}
        self.optional_notes: dict[str, QLabel] = {}
        for name in OPTIONAL:
            if name not in self._optional_requested:
                continue
            box = QCheckBox(permission_label(name))
            box.setObjectName(name)
            box.setAccessibleName(box.text())
            box.setChecked(False)
            note = QLabel(permission_note(name))
            note.setObjectName("optionalNote")
            note.setWordWrap(True)
            note.setIndent(24)
            box.setAccessibleDescription(note.text())
            self.optional_boxes[name] = box
            self.optional_notes[name] = note
        #: what macOS must allow first (shown by the app from the probes; hidden elsewhere)
        self.mac_notice = MacPermissionNotice(self)
        #: what can travel and when, before the customer decides
        self.privacy = QLabel(privacy_text())
        self.privacy.setObjectName("privacy")
        self.privacy.setWordWrap(True)

        self._countdown = QLabel()
        self._countdown.setObjectName("countdown")
        self._countdown.setWordWrap(True)

        self.deny_button = QPushButton(self.tr("Deny"))
        self.deny_button.setObjectName("deny")
        self.deny_button.setAccessibleName(self.tr("Deny"))
        self.deny_button.setAccessibleDescription(self.tr("Nothing is shared."))
        self.allow_button = QPushButton(self.tr("Allow"))
        self.allow_button.setObjectName("allow")
        self.allow_button.setAccessibleName(self.tr("Allow"))
        self.allow_button.setAccessibleDescription(
            self.tr("Your technician gets what is ticked above."))
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
        layout.addWidget(self.identity_card)
        layout.addWidget(warning_box)
        layout.addSpacing(6)
        layout.addWidget(number_caption)
        layout.addWidget(self._number)
        layout.addWidget(line)
        layout.addWidget(perms_caption)
        if self.optional_boxes:
            # Clipboard and files in a column beside screen and control: the dialog stays
            # within a 768-pixel-high screen with every line shown.
            layout.setSpacing(7)
            columns = QHBoxLayout()
            columns.setSpacing(18)
            left, right = QVBoxLayout(), QVBoxLayout()
            for column in (left, right):
                column.setSpacing(2)
                columns.addLayout(column, 1)
            for widget in (self.view_box, self.view_note, self.control_box):
                left.addWidget(widget)
            for name, box in self.optional_boxes.items():
                right.addWidget(box)
                right.addWidget(self.optional_notes[name])
                right.addSpacing(4)
            left.addStretch(1)
            right.addStretch(1)
            layout.addLayout(columns)
        else:
            layout.addWidget(self.view_box)
            layout.addWidget(self.view_note)
            layout.addWidget(self.control_box)
        layout.addWidget(self.mac_notice)
        layout.addWidget(self.privacy)
        layout.addSpacing(4)
        layout.addWidget(self._countdown)
        layout.addLayout(button_row(self.deny_button, self.allow_button))
        # Tab from Deny (initial focus) goes to Allow, then round to the check boxes.
        self.setTabOrder(self.view_box, self.control_box)
        last: QWidget = self.control_box
        for box in self.optional_boxes.values():
            self.setTabOrder(last, box)
            last = box
        self.setTabOrder(last, self.deny_button)
        self.setTabOrder(self.deny_button, self.allow_button)

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
            chosen.update(name for name, box in self.optional_boxes.items()
                          if box.isChecked())
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
        self._fit_height()
        self._keep_on_screen()
        self.raise_()
        self.activateWindow()
        self.deny_button.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def show_os_readiness(self, readiness: Readiness) -> None:
        """What macOS has not allowed yet for what is asked (hidden when nothing): the dialog
        grows to keep Allow and Deny in view."""
        self.mac_notice.show_readiness(readiness)
        if self.isVisible():
            self._fit_height()
            self._keep_on_screen()

    # ----------------------------------------------------------------- internals

    def _keep_on_screen(self) -> None:
        """Inside the monitor it came up on: placed for its first size, the dialog may have
        grown past the monitor's edge since (wrapped texts, a small monitor), which would hide
        the Allow and Deny buttons."""
        screen = self.screen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry()
        x = max(area.left(), min(frame.left(), area.right() + 1 - frame.width()))
        y = max(area.top(), min(frame.top(), area.bottom() + 1 - frame.height()))
        if (x, y) != (frame.left(), frame.top()):
            self.move(self.pos() + QPoint(x - frame.left(), y - frame.top()))

    def _fit_height(self) -> None:
        """Tall enough for every wrapped line at the current width (Qt sizes a top-level
        window from its width-less size hint, which clips long wrapped texts such as the
        warning in German)."""
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(self.width())
        self.setMinimumHeight(needed)
        if self.height() < needed:
            self.resize(self.width(), needed)

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
        for box in self.optional_boxes.values():  # nothing of a session without its screen
            box.setEnabled(view_on)
        self.allow_button.setToolTip(
            "" if view_on else self.tr("Tick “See your screen” to allow a session.")
        )

    def _tick(self) -> None:
        remaining = max(0.0, self._deadline - self._clock())
        whole = math.ceil(remaining)
        self._countdown.setText(
            self.tr("If you do not answer, the request is declined in {time}.").format(
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
            {IdentityCard.style_sheet()}
            QFrame#warningBox {{ background: #fff4d6; border: 1px solid #e8c15a;
                                 border-radius: 6px; }}
            QLabel#warning {{ font-size: 11pt; font-weight: 600; color: #7a1f00;
                              background: transparent; border: none; }}
            QLabel#numberCaption, QLabel#permsCaption {{ font-size: 11pt; color: #1f2328; }}
            QLabel#number {{ color: #111; border: 2px solid {a}; border-radius: 10px;
                             padding: 8px; background: white; }}
            QLabel#countdown, QLabel#viewNote, QLabel#optionalNote, QLabel#privacy {{
                font-size: 10pt; color: #57606a; }}
            QCheckBox {{ font-size: 12pt; spacing: 10px; }}
            QPushButton {{ font-size: 12pt; padding: 8px 22px; min-width: 90px;
                           background: white; color: #1f2328; border: 2px solid #8c959f;
                           border-radius: 6px; }}
            QPushButton#allow {{ background: {a}; color: white; border: 2px solid {a}; }}
            QPushButton#allow:disabled {{ background: #b8c0c8; border-color: #b8c0c8; }}
            QPushButton:focus {{ border: 3px solid #f0b400; }}
            QCheckBox:focus {{ border: 2px solid #f0b400; border-radius: 4px; }}
            QFrame#line {{ color: #d0d7de; }}
            """
        )
