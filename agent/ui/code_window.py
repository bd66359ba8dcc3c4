"""The customer's main window: it follows the session from the code to its end.

code -> code entered -> waiting for the customer's answer -> the session view (who, since when,
what they may do) -> ended (what happened, "Show session record"). A spent or expired code is
never left on screen, and every button shown does something. It only shows state and emits
intents; the integrator drives it from the relay/network worker.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agent.ui.branding import Branding, logo_label
from agent.ui.mac_permissions import MacPermissionNotice
from agent.ui.session_view import SessionView
from desktop.qt.plain import force_plain_text
from desktop.qt.widgets import button_row, centred_label, digits_font


def group_code(display_code: str) -> str:
    """Return the code as ``NNN NNN NNN`` (a longer nameplate keeps its digits in the first group).

    Already grouped text is normalised too, so the window never shows an odd spacing.
    """
    digits = "".join(ch for ch in display_code if ch.isdigit())
    if len(digits) < 7:
        return display_code.strip()
    nameplate, secret = digits[:-6], digits[-6:]
    return f"{nameplate} {secret[:3]} {secret[3:]}"


def format_mm_ss(seconds: float) -> str:
    """``125.2`` → ``"2:06"``: rounded up, so it never shows 0:00 while still valid."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


class CodeWindow(QWidget):
    """Shows the session code and the states around it (connecting, relay down, expired, ended).

    Slots: :meth:`show_connecting`, :meth:`show_relay_unreachable`, :meth:`show_code`,
    :meth:`show_code_used`, :meth:`show_waiting_for_consent`, :meth:`show_session`,
    :meth:`set_control`, :meth:`show_wrong_code_attempt`, :meth:`show_failed_attempt`,
    :meth:`show_code_expired`, :meth:`show_session_ended`, :meth:`show_error`,
    :meth:`show_scam_warning`, :meth:`show_settings_source`, :meth:`show_refused`.
    Signals: ``quit_requested()`` (Quit button, or the window closed; during a session only
    after the customer confirmed), ``new_code_requested()`` ("Get a new code" after
    expiry/end/a failed attempt/a refused technician, "Try again" after an error, or "Try
    again now" while the relay is unreachable), ``control_toggle_requested(bool)`` and
    ``end_session_requested()`` (the session view's buttons), ``show_record_requested()``
    ("Show session record" after a session or a refusal).
    """

    quit_requested = Signal()
    new_code_requested = Signal()
    control_toggle_requested = Signal(bool)
    end_session_requested = Signal()
    show_record_requested = Signal()

    #: Internal state names, readable by tests and the integrator (``window.state``).
    STATES = ("connecting", "relay_unreachable", "code", "used", "consent", "session",
              "attempt_failed", "expired", "ended", "error", "refused")

    def __init__(
        self,
        branding: Branding | None = None,
        parent: QWidget | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._branding = branding or Branding()
        self._clock = clock
        self._deadline: float | None = None
        self._deadline_kind = ""  # "code" or "retry"
        self._pending_notice = ""  # shown next to the next code (after a failed attempt)
        self._quit_emitted = False
        #: The "End the session?" question while it is open (closing during a session).
        self.close_question: QMessageBox | None = None
        self._ask_before_close = False  # a session runs: closing ends it, so ask first
        self.state = "connecting"

        self.setWindowTitle(self._title_text())
        self.setMinimumWidth(580)
        accent = QColor(self._branding.accent)
        if not accent.isValid():
            accent = QColor(Branding().accent)
        self._accent = accent

        #: The support company's logo at the top (None: no logo configured or readable).
        self.logo = logo_label(self._branding, self)

        self._header = centred_label("header", self._title_text(), wrap=False)
        self._notice = centred_label("notice")
        #: The scam-call warning after several failed attempts; stays for the rest of the run.
        self._warning = centred_label("warning", hidden=True)
        #: "Settings from <file>": only in an unbranded build that honoured a side file.
        self._settings_source = centred_label("settings_source", hidden=True)
        self._message = centred_label("message")

        self._code = centred_label("code", wrap=False)
        self._code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._code.setFont(digits_font(self.font(), 3.2, bold=True, letter_spacing=2.0))

        self._copy = QPushButton(self.tr("Copy"))
        self._copy.setObjectName("copy")
        self._copy.setToolTip(self.tr("Copy the code to the clipboard"))
        self._copy.setAccessibleName(self.tr("Copy code"))
        self._copy.setAccessibleDescription(self.tr("Copy the code to the clipboard"))
        self._copy.clicked.connect(self._copy_code)

        self._countdown = centred_label("countdown", wrap=False)

        #: What macOS must allow first (Screen Recording, Accessibility); hidden elsewhere.
        self.mac_notice = MacPermissionNotice(self, restart_offered=True)

        #: Who is connected, since when, what they may do (state "session" only).
        self.session_view = SessionView(self)
        self.session_view.setVisible(False)
        self.session_view.control_toggle_requested.connect(self.control_toggle_requested)
        self.session_view.end_session_requested.connect(self.end_session_requested)

        self._action = QPushButton()
        self._action.setObjectName("action")
        self._action.clicked.connect(self.new_code_requested)

        self._record = QPushButton(self.tr("Show session record"))
        self._record.setObjectName("record")
        self._record.setAccessibleName(self.tr("Show session record"))
        self._record.setAccessibleDescription(
            self.tr("Shows what happened in the session: who, when, what was allowed."))
        self._record.clicked.connect(self.show_record_requested)

        self._quit = QPushButton(self.tr("Quit"))
        self._quit.setObjectName("quit")
        self._quit.setAccessibleName(self.tr("Quit Fernhilfe"))
        self._quit.clicked.connect(self._request_quit)

        self._footer = centred_label("footer", self._footer_text())
        self._footer.setVisible(bool(self._footer.text()))

        code_row = QHBoxLayout()
        code_row.addStretch(1)
        code_row.addWidget(self._code)
        code_row.addSpacing(12)
        code_row.addWidget(self._copy, 0, Qt.AlignmentFlag.AlignVCenter)
        code_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.setSpacing(14)
        if self.logo is not None:
            layout.addWidget(self.logo)
        layout.addWidget(self._header)
        layout.addWidget(self._warning)
        layout.addWidget(self._notice)
        layout.addWidget(self._message)
        layout.addLayout(code_row)
        layout.addWidget(self._countdown)
        layout.addWidget(self.mac_notice)
        layout.addWidget(self.session_view)
        layout.addStretch(1)
        layout.addWidget(self._footer)
        layout.addWidget(self._settings_source)
        layout.addLayout(button_row(self._record, self._action, self._quit))
        # Keyboard order follows the eye: code and Copy, the session's buttons, then the row.
        self.setTabOrder(self._copy, self.session_view.control_button)
        self.setTabOrder(self.session_view.control_button, self.session_view.end_button)
        self.setTabOrder(self.session_view.end_button, self._record)
        self.setTabOrder(self._record, self._action)
        self.setTabOrder(self._action, self._quit)
        for label in (self._message, self._notice, self._footer, self._warning,
                      self._settings_source):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self._apply_style()
        force_plain_text(self)  # relay messages and ended texts show literally, never as HTML

        # A child timer (not a bare singleShot lambda) so it dies with the window.
        self._copy_reset = QTimer(self)
        self._copy_reset.setSingleShot(True)
        self._copy_reset.setInterval(1500)
        self._copy_reset.timeout.connect(lambda: self._copy.setText(self.tr("Copy")))

        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)

        self.show_connecting()

    # ----------------------------------------------------------------- slots (state)

    @Slot()
    def show_connecting(self) -> None:
        """Waiting for the relay to hand out a code."""
        self._enter("connecting")
        self._message.setText(self.tr("Getting your code…"))
        # Fetching the replacement code after a failed attempt: keep the notice for that code.
        self._show_parts(keep_notice=bool(self._pending_notice))

    @Slot(str, float)
    def show_relay_unreachable(self, message: str, retry_in_s: float) -> None:
        """The relay cannot be reached; ``message`` says why, a countdown shows the next try.

        The window keeps counting down on its own; when it reaches zero it says it is trying
        again (the integrator does the retry and then calls :meth:`show_connecting` or
        :meth:`show_code`). "Try again now" emits ``new_code_requested``.
        """
        self._enter("relay_unreachable")
        self._relay_message = message.strip() or self.tr(
            "Fernhilfe cannot reach the connection service.")
        self._deadline = self._clock() + max(0.0, float(retry_in_s))
        self._deadline_kind = "retry"
        self._action.setText(self.tr("Try again now"))
        self._show_parts(countdown=True, action=True)
        self._tick()
        self._ticker.start()

    @Slot(str, float)
    def show_code(self, display_code: str, valid_for_s: float) -> None:
        """Show ``display_code`` (``"123 456 789"`` or digits), valid ``valid_for_s`` seconds."""
        self._enter("code")
        self._code.setText(group_code(display_code))
        self._message.setText(self.tr("Read this code out to your technician on the phone."))
        notice = self._pending_notice
        self._deadline = self._clock() + max(0.0, float(valid_for_s))
        self._deadline_kind = "code"
        self._show_parts(code=True, countdown=True, keep_notice=bool(notice))
        self._code.setAccessibleName(self.tr("Your code: {code}").format(
            code=self._code.text()))
        if notice:
            # Shown next to this code only; the following code comes without it.
            self._notice.setText(notice)
            self._notice.setVisible(True)
            self._pending_notice = ""
        self._tick()
        self._ticker.start()

    @Slot()
    def show_code_used(self) -> None:
        """Someone entered the code: it is spent, so it disappears (never shown as valid)."""
        self._enter("used")
        self._message.setText(self.tr("Your code was entered. Connecting to your technician…"))
        self._show_parts()

    @Slot()
    def show_waiting_for_consent(self) -> None:
        """The technician is connected and the consent dialog asks the customer."""
        self._enter("consent")
        self._message.setText(self.tr(
            "Your technician is connected. Please answer the question in the window "
            "\"Allow remote support?\"."))
        self._show_parts()

    def show_session(self, name: str, permissions: frozenset[str], started: datetime,
                     control_offered: bool = True) -> None:
        """The customer allowed: show who is connected since ``started`` (local time) and
        what they may do, with "Stop control" and "End session" (never the spent code)."""
        self._enter("session")
        self._ask_before_close = True
        self.session_view.show_session(name, frozenset(permissions), started,
                                       control_offered)
        self._message.setText("")
        self._show_parts(session=True)
        self.setWindowTitle(self.tr("Session with {name}").format(
            name=self.session_view.name))
        self.session_view.focus_first()

    @Slot(bool)
    def set_control(self, enabled: bool) -> None:
        """The permissions changed during the session (the view says what is true now)."""
        self.session_view.set_control(enabled)

    def session_closing(self) -> None:
        """The program itself ends the session (Quit, a signal, shutdown): closing the window
        from now on does not ask (there is nothing left to keep)."""
        self._ask_before_close = False
        if self.close_question is not None:
            box, self.close_question = self.close_question, None
            box.done(0)

    @Slot()
    def show_wrong_code_attempt(self) -> None:
        """Someone tried a wrong code; the notice stays up next to the *next* code shown."""
        self.show_failed_attempt(
            self.tr("The code that was entered did not match. Here is a new code."),
            automatic=True)

    def show_failed_attempt(self, notice: str, automatic: bool) -> None:
        """A join did not become a session. ``automatic``: a fresh code is on its way and
        ``notice`` stays next to it; otherwise the customer must ask for the next code."""
        if automatic:
            self._pending_notice = notice
            self._enter("connecting")
            self._notice.setText(notice)
            self._message.setText(self.tr("Getting a new code…"))
            self._show_parts(keep_notice=True)
            self._notice.setVisible(True)
            return
        self._enter("attempt_failed")
        self._notice.setText(notice)
        self._message.setText(self.tr(
            "For your safety, a new code is only shown when you ask for it. Click \"Get a new "
            "code\" when your technician is ready."))
        self._action.setText(self.tr("Get a new code"))
        self._show_parts(action=True, keep_notice=True)
        self._notice.setVisible(True)
        self._pending_notice = ""

    def show_scam_warning(self, text: str) -> None:
        """Show ``text`` (already translated) as a warning for the rest of this run."""
        self._warning.setText(text)
        self._warning.setVisible(bool(text))

    def show_settings_source(self, path: str) -> None:
        """Say that settings came from a file beside the program (unbranded builds only)."""
        self._settings_source.setText(self.tr("Settings from {path}").format(path=path))
        self._settings_source.setVisible(bool(path))

    @Slot(str)
    def show_error(self, text: str) -> None:
        """Something went wrong (``text`` is translated); no code is valid; offer a retry."""
        self._enter("error")
        self._message.setText(text)
        self._action.setText(self.tr("Try again"))
        self._show_parts(action=True)

    @Slot()
    def show_code_expired(self) -> None:
        """The shown code is no longer valid; offer a new one."""
        self._enter("expired")
        self._message.setText(self.tr(
            "This code is no longer valid. Click \"Get a new code\" when your technician is "
            "ready."))
        self._action.setText(self.tr("Get a new code"))
        self._show_parts(action=True)

    @Slot(str)
    def show_session_ended(self, reason_text: str, began: bool = True) -> None:
        """The session is over; ``reason_text`` (already translated) says why. ``began``:
        the customer allowed and something was shared (else: no session took place). Both
        offer the session record (what was asked, what was answered) and a new code."""
        self._enter("ended")
        ended, never_began = self.tr("The session has ended."), self.tr("No session took place.")
        text = ended if began else never_began
        if reason_text.strip():
            text = f"{text}\n{reason_text.strip()}"
        self._message.setText(text)
        self._action.setText(self.tr("Get a new code"))
        self._show_parts(action=True, record=True)
        self._action.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_refused(self, reason_text: str) -> None:
        """The branding requires verified technicians and this one was not: refused before
        any question to the customer. ``reason_text`` (translated) says why; the next code
        comes only when the customer asks for it (DESIGN.md §2), with the session record."""
        self._enter("refused")
        self._message.setText(
            self.tr("A technician who could not be verified tried to connect. Nothing was "
                    "shared.") + "\n" +
            self.tr("If someone called you unexpectedly and asked for your code, please hang "
                    "up."))
        self._notice.setText(reason_text.strip())
        self._action.setText(self.tr("Get a new code"))
        self._show_parts(action=True, record=True, keep_notice=True)
        self._notice.setVisible(bool(reason_text.strip()))
        self._action.setFocus(Qt.FocusReason.OtherFocusReason)

    # ----------------------------------------------------------------- read-only views for tests

    def code_text(self) -> str:
        """The code as currently displayed (empty when no code is shown)."""
        return self._code.text() if self._code.isVisibleTo(self) else ""

    def message_text(self) -> str:
        """The main sentence currently shown."""
        return self._message.text()

    def notice_text(self) -> str:
        """The failed-attempt notice, or empty when hidden."""
        return self._notice.text() if self._notice.isVisibleTo(self) else ""

    def warning_text(self) -> str:
        """The scam-call warning, or empty when hidden."""
        return self._warning.text() if self._warning.isVisibleTo(self) else ""

    def settings_source_text(self) -> str:
        """The "Settings from <file>" line, or empty when hidden."""
        return self._settings_source.text() if self._settings_source.isVisibleTo(self) else ""

    def action_text(self) -> str:
        """The action button's text, or empty when it is hidden."""
        return self._action.text() if self._action.isVisibleTo(self) else ""

    def countdown_text(self) -> str:
        """The countdown line, or empty when hidden."""
        return self._countdown.text() if self._countdown.isVisibleTo(self) else ""

    # ----------------------------------------------------------------- internals

    def _enter(self, state: str) -> None:
        if self.state == "session" and state != "session":
            self.setWindowTitle(self._title_text())
        self.state = state
        self._ask_before_close = False
        if self.close_question is not None:  # the session ended meanwhile: nothing to ask
            box, self.close_question = self.close_question, None
            box.done(0)
        self._ticker.stop()
        self._deadline = None
        if state != "code":
            self._code.setText("")  # a code that is not valid now is never left anywhere
            self._code.setAccessibleName("")

    def _show_parts(
        self,
        code: bool = False,
        countdown: bool = False,
        action: bool = False,
        keep_notice: bool = False,
        session: bool = False,
        record: bool = False,
    ) -> None:
        self._code.setVisible(code)
        self._copy.setVisible(code)
        self._countdown.setVisible(countdown)
        self._action.setVisible(action)
        self._record.setVisible(record)
        self.session_view.setVisible(session)
        self._message.setVisible(not session)
        self._quit.setVisible(not session)  # in a session: "End session", then Quit
        if action:
            self._action.setAccessibleName(self._action.text())
            self._action.setAutoDefault(True)  # Enter on the focused button clicks it too
        if not keep_notice:
            self._notice.setVisible(False)
            self._pending_notice = ""
        elif not self._notice.text():
            self._notice.setVisible(False)

    def _tick(self) -> None:
        if self._deadline is None:
            return
        remaining = self._deadline - self._clock()
        if self._deadline_kind == "code":
            if remaining <= 0:
                self.show_code_expired()
                return
            self._countdown.setText(
                self.tr("This code is valid for {time} minutes.").format(
                    time=format_mm_ss(remaining)
                )
            )
        else:
            if remaining > 0:
                wait = self.tr("Trying again in {seconds} s.").format(
                    seconds=math.ceil(remaining)
                )
            else:
                wait = self.tr("Trying again now…")
                self._ticker.stop()
            self._message.setText(self._relay_message)
            self._countdown.setText(wait)

    def _copy_code(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None and self._code.text():
            clipboard.setText(self._code.text())
            self._copy.setText(self.tr("Copied"))
            self._copy_reset.start()

    def _request_quit(self) -> None:
        if not self._quit_emitted:
            self._quit_emitted = True
            self.quit_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window is the same as Quit (emitted once); during a session it asks
        first, because closing ends the session."""
        if self._ask_before_close and not self._quit_emitted:
            event.ignore()
            self._ask_to_end()
            return
        self._ticker.stop()
        self._request_quit()
        event.accept()

    def _ask_to_end(self) -> None:
        """Ask "End the session?" without blocking (the session keeps running meanwhile):
        "End session and close" closes for real, "Keep the session" (also Enter, Escape)
        leaves everything as it is."""
        if self.close_question is not None:
            self.close_question.raise_()
            self.close_question.activateWindow()
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("End the session?"),
                          self.tr("Closing Fernhilfe ends the session: your technician then "
                                  "no longer sees your screen."), parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        end = box.addButton(self.tr("End session and close"),
                            QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep the session"), QMessageBox.ButtonRole.RejectRole)
        end.setAccessibleName(end.text())
        keep.setAccessibleName(keep.text())
        box.setDefaultButton(keep)  # Enter or Escape never end a session by accident
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.close_question = None
            if box.clickedButton() is end:
                self._ask_before_close = False
                self.close()

        box.finished.connect(answered)
        self.close_question = box
        box.open()

    def _title_text(self) -> str:
        if self._branding.organisation:
            return self.tr("Remote support by {organisation}").format(
                organisation=self._branding.organisation
            )
        return self.tr("Remote support")

    def _footer_text(self) -> str:
        if self._branding.support_phone:
            return self.tr("Your support company's phone: {phone}").format(
                phone=self._branding.support_phone)
        return ""

    def _apply_style(self) -> None:
        accent = self._accent.name()
        soft = QColor(self._accent)
        soft.setAlpha(28)
        self.setStyleSheet(
            f"""
            CodeWindow {{ background: #fafbfc; }}
            QLabel#header {{ font-size: 13pt; font-weight: 600; color: {accent};
                             padding-bottom: 4px; border-bottom: 2px solid {accent}; }}
            QLabel#message {{ font-size: 13pt; color: #1f2328; }}
            QLabel#notice {{ font-size: 12pt; color: #7a4b00; background: #fff4d6;
                             border: 1px solid #e8c15a; border-radius: 6px; padding: 8px; }}
            QLabel#code {{ color: #111; background: rgba({soft.red()},{soft.green()},
                           {soft.blue()},{soft.alpha()}); border: 2px solid {accent};
                           border-radius: 10px; padding: 10px 22px; }}
            QLabel#warning {{ font-size: 12pt; font-weight: 600; color: #8b0000;
                              background: #ffe5e5; border: 2px solid #c62828;
                              border-radius: 6px; padding: 8px; }}
            QLabel#settings_source {{ font-size: 9pt; color: #57606a; }}
            QLabel#countdown {{ font-size: 11pt; color: #57606a; }}
            QLabel#sessionStatus {{ font-size: 14pt; font-weight: 600; color: #1f2328; }}
            QLabel#sessionSince, QLabel#sessionHint {{ font-size: 11pt; color: #57606a; }}
            QLabel#footer {{ font-size: 11pt; color: #57606a; }}
            QPushButton {{ font-size: 11pt; padding: 6px 16px; background: white;
                           color: #1f2328; border: 2px solid #8c959f; border-radius: 6px; }}
            QPushButton#copy, QPushButton#action {{ background: {accent}; color: white;
                           border: 2px solid {accent}; padding: 8px 18px; }}
            QPushButton#copy:hover, QPushButton#action:hover {{ background: {accent}; }}
            QPushButton#endButton {{ background: #c62828; color: white;
                                     border: 2px solid #c62828; padding: 8px 18px; }}
            QPushButton:focus {{ border: 3px solid #f0b400; }}
            """
        )
