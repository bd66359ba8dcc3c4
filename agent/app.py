"""The customer's agent: wires the widgets (show state, emit intents) to the worker (does work).

Nothing here touches a socket, the screen or the input devices; it only connects Qt signals.
Consent has exactly one path: the real :class:`~agent.ui.ConsentDialog`'s Allow button.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QGridLayout

from agent.annotations import Show
from agent.config import AgentConfig, load_config
from agent.driver import TO_CUSTOMER
from agent.hotkey import create_hotkey
from agent.platform import macos
from agent.platform.elevation import RESTART_REASON
from agent.platform.readiness import ALLOWED, GateStep, Probes, SessionGate, assess
from agent.platform.windows import RestartOutcome, restart_elevated
from agent.ui import Branding, CodeWindow, ConsentDialog, SessionOverlay, install_translator
from agent.ui.annotation_layer import AnnotationLayer
from agent.ui.elevation_notice import (
    ConfirmRestart,
    ElevationMonitor,
    ElevationNotice,
    windows_monitor,
)
from agent.ui.identity import reason_text
from agent.ui.mac_permissions import MacPermissionNotice, PermissionWatch, current_probes
from agent.worker import AgentWorker
from desktop.audit_store import default_audit_dir
from desktop.clipboard import ClipboardBridge
from desktop.qt.app import Launch, ProgramInfo, run_program
from desktop.qt.record_window import RecordWindow
from desktop.transfers import TransferUpdate
from shared.identity import Verification

log = logging.getLogger(__name__)

#: What the code window says macOS must allow before any session: seeing and controlling.
BEFORE_SESSION = frozenset({"view", "control"})

PROGRAM = ProgramInfo("fernhilfe-agent", "Fernhilfe customer agent: get remote support.",
                      app_name="Fernhilfe", install_translator=install_translator,
                      record_role="agent")


def support_contact(branding: Branding | None = None) -> str:
    """Whom to call, as the end of "please call ...": the branded company and phone number
    where there are some, else "your support company"."""
    org = branding.organisation.strip() if branding else ""
    if branding and org == branding.product_name:
        org = ""  # an unbranded build: "call Fernhilfe" would name the program, not a company
    phone = branding.support_phone.strip() if branding else ""
    if org and phone:
        return QCoreApplication.translate(
            "AgentApp", "{organisation} at {phone}").format(organisation=org, phone=phone)
    if phone:
        return QCoreApplication.translate(
            "AgentApp", "your support company at {phone}").format(phone=phone)
    if org:
        return org
    return QCoreApplication.translate("AgentApp", "your support company")


def ended_text(reason: str, message: str) -> str:
    """What the customer reads when a session ends, in their language."""
    texts = {
        "customer_ended": QCoreApplication.translate("AgentApp", "You ended the session."),
        "technician_ended": QCoreApplication.translate(
            "AgentApp", "Your technician ended the session."),
        "denied": QCoreApplication.translate(
            "AgentApp", "You declined the session. Nothing was shared."),
        "timeout": QCoreApplication.translate(
            "AgentApp",
            "You did not answer within 2 minutes, so the request was declined. Nothing was "
            "shared."
        ),
        "peer_gone": QCoreApplication.translate(
            "AgentApp", "The connection to your technician was lost."),
        "connection_lost": QCoreApplication.translate(
            "AgentApp",
            "The connection to your technician was lost and did not come back in time. "
            "Nothing more is shared."),
        "integrity_error": QCoreApplication.translate(
            "AgentApp",
            "The session was ended for your safety: a message arrived damaged."
        ),
        "protocol_error": QCoreApplication.translate(
            "AgentApp",
            "The session was ended because your technician's program sent something "
            "unexpected."
        ),
        "unsupported_version": QCoreApplication.translate(
            "AgentApp",
            "Your technician uses a different version of Fernhilfe. One of the two programs "
            "needs an update: please tell your technician."
        ),
        "error": QCoreApplication.translate(
            "AgentApp",
            "The session was ended because of a problem in Fernhilfe. You can get a new code "
            "and try again."
        ),
        "audit_failed": QCoreApplication.translate(
            "AgentApp",
            "The session was ended because this computer cannot save the record of the "
            "session (its folder is missing, read-only or full). Nothing more is shared."
        ),
        "peer_audit_failed": QCoreApplication.translate(
            "AgentApp",
            "The session was ended because your technician's computer cannot save the record "
            "of the session. Nothing more is shared."
        ),
        "peer_timeout": QCoreApplication.translate(
            "AgentApp",
            "Your technician's program stopped answering. Nothing was shared."
        ),
        RESTART_REASON: QCoreApplication.translate(
            "AgentApp",
            "Fernhilfe is restarting with administrator rights. Windows asks for your "
            "permission."
        ),
    }
    texts["resource_limit"] = texts["protocol_error"]  # the peer sent more than allowed
    fallback = QCoreApplication.translate("AgentApp", "The session has ended.")
    # ``message`` comes from the peer for reasons it chose: its words go to the log, never on
    # screen (a hostile console must not write its own sentences into the customer's window).
    return texts.get(reason, fallback)


def restart_text(outcome: RestartOutcome) -> str:
    """What the customer reads when Fernhilfe did not restart with administrator rights."""
    if outcome is RestartOutcome.CANCELLED:
        return QCoreApplication.translate(
            "AgentApp",
            "Windows did not give Fernhilfe administrator rights. You can get a new code and "
            "go on without them.")
    return QCoreApplication.translate(
        "AgentApp",
        "Fernhilfe could not be restarted with administrator rights. You can get a new code "
        "and go on without them.")


def relay_text(kind: str, branding: Branding | None = None) -> str:
    """Local text for a relay problem, with what to do next (the relay's own words and the
    exception text only go to the log)."""
    contact = support_contact(branding)
    texts = {
        "unreachable": QCoreApplication.translate(
            "AgentApp",
            "Fernhilfe cannot reach the connection service. Please check that this computer "
            "is connected to the internet. If it still does not work, please call {contact}."
        ),
        "insecure_url": QCoreApplication.translate(
            "AgentApp",
            "This copy of Fernhilfe is set up with an unsafe address for the connection "
            "service, so it does not connect. Please call {contact} for a new copy."
        ),
        "lost": QCoreApplication.translate(
            "AgentApp",
            "The connection to the connection service was lost. Fernhilfe tries again by "
            "itself."
        ),
        "rejected:too_many_connections": QCoreApplication.translate(
            "AgentApp",
            "The connection service is busy right now. Fernhilfe tries again by itself."
        ),
        "rejected:rate_limited": QCoreApplication.translate(
            "AgentApp",
            "There were too many attempts from your network. Please wait a moment; Fernhilfe "
            "tries again by itself."
        ),
        "rejected:shutting_down": QCoreApplication.translate(
            "AgentApp",
            "The connection service is restarting. Fernhilfe tries again by itself."
        ),
        "rejected:bad_request": QCoreApplication.translate(
            "AgentApp",
            "The connection service does not understand this copy of Fernhilfe. Please call "
            "{contact} for an update."
        ),
    }
    generic = QCoreApplication.translate(
        "AgentApp",
        "The connection service did not accept the connection. If this keeps happening, "
        "please call {contact}."
    )
    return texts.get(kind, generic).format(contact=contact)


def attempt_text(reason: str, automatic: bool) -> str:
    """What the customer reads after a join that did not become a session (never blaming)."""
    if reason in ("wrong_code", "protocol_error", "integrity_error"):  # garbage is wrong too
        what = QCoreApplication.translate("AgentApp", "The code that was entered did not match.")
    elif reason == "peer_timeout":
        what = QCoreApplication.translate(
            "AgentApp", "Your code was entered, but the other side stopped answering.")
    else:
        what = QCoreApplication.translate("AgentApp", "A connection with your code did not work.")
    if automatic:
        return what + " " + QCoreApplication.translate("AgentApp", "Here is a new code.")
    return what


def scam_warning(failures: int) -> str:
    """The plain warning after several failed attempts in one run."""
    return QCoreApplication.translate(
        "AgentApp",
        "Warning: {count} attempts to connect to this computer have failed. Only continue if "
        "you called your support company yourself, at a phone number you know (for example "
        "from your contract or invoice). If someone called you and asked for this code, "
        "click Quit."
    ).format(count=failures)


def error_text(kind: str, branding: Branding | None = None) -> str:
    """Local text for a failure while getting a code, with what to do next."""
    contact = support_contact(branding)
    if kind == "audit_unavailable":
        return QCoreApplication.translate(
            "AgentApp",
            "This computer cannot save the record of remote support sessions (its folder is "
            "missing, read-only or full), so no code can be given. Please free up disk space "
            "or call {contact}, then try again."
        ).format(contact=contact)
    return QCoreApplication.translate(
        "AgentApp",
        "Getting a code did not work. Please try again. If it keeps happening, please call "
        "{contact}."
    ).format(contact=contact)


def show_folder(folder: str) -> None:
    """"Show in folder": the file manager on the folder of a received file. Only ever a
    folder: a received file is never opened or started by Fernhilfe."""
    path = Path(folder)
    if path.is_dir():
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


#: Makes the elevation notice's monitor: only on Windows, whose probes exist only there (tests
#: elsewhere put a monitor with scripted probes here).
ELEVATION_MONITOR: Callable[[ElevationNotice, QObject], ElevationMonitor] | None = (
    windows_monitor if sys.platform == "win32" else None)


class AgentApp:
    """Owns the windows and the worker for one run of the agent."""

    def __init__(self, config: AgentConfig) -> None:
        self.config = config
        self.branding = Branding(organisation=config.organisation,
                                 support_phone=config.support_phone,
                                 accent=config.accent_colour, logo_path=config.logo)
        self.window = CodeWindow(self.branding)
        self.worker = AgentWorker(config)
        self.consent: ConsentDialog | None = None
        self.overlay: SessionOverlay | None = None
        self.pointer_layer: AnnotationLayer | None = None  # the technician's laser and strokes
        self._requested: frozenset[str] = frozenset()  # what the technician asked for
        self._granted: frozenset[str] = frozenset()  # what the customer allows now
        self._began = False  # the customer allowed: something was shared
        self.records_window: RecordWindow | None = None  # "Show session record"
        #: the customer's clipboard, text only: on exactly while "clipboard" is granted and
        #: sharing is not paused (issue 17)
        self.clipboard = ClipboardBridge()
        self._paused = False
        #: Windows only: tells the customer when the window in front runs as administrator
        self.elevation: ElevationMonitor | None = None
        if ELEVATION_MONITOR is not None:
            self.elevation = ELEVATION_MONITOR(self.window.session_view.elevation, self.window)
        self.wire_elevation()
        #: the OS's privacy permissions (macOS: Screen Recording, Accessibility; elsewhere
        #: always allowed), asked off the GUI thread; a test replaces ``permission_watch.probe``
        #: with scripted answers standing in for macOS
        self.permission_watch = PermissionWatch(current_probes)
        self.probes: Probes | None = None  # None until the first answer
        #: holds picture and control of the running session back while the OS does not allow
        #: them (agent.platform.readiness)
        self.gate = SessionGate()
        self._asked_screen = False  # the customer asked macOS for Screen Recording this run
        self._resume_wanted = False  # Resume clicked while Screen Recording was missing
        self.session_notice: MacPermissionNotice | None = None  # on the session panel
        w, win = self.worker, self.window
        self.permission_watch.answered.connect(self._on_probes)
        self._connect_notice(win.mac_notice)
        if config.side_file:
            win.show_settings_source(config.side_file)
        w.connecting.connect(win.show_connecting)
        w.relay_unreachable.connect(
            lambda kind, retry: win.show_relay_unreachable(relay_text(kind, self.branding),
                                                           retry))
        w.code_ready.connect(self._on_code)
        w.code_used.connect(win.show_code_used)
        w.attempt_failed.connect(self._on_attempt_failed)
        w.code_expired.connect(win.show_code_expired)
        w.failed.connect(self._on_failed)
        w.consent_requested.connect(self._on_consent_requested)
        w.session_started.connect(self._on_session_started)
        w.permissions_changed.connect(self._on_permissions)
        w.permissions_requested.connect(self._on_permissions_requested)
        w.clipboard_received.connect(self.clipboard.set_remote_text)
        self.clipboard.local_text.connect(w.send_clipboard)
        files = win.session_view.files
        w.transfer_update.connect(files.update_transfer)
        w.transfer_update.connect(self._on_transfer)
        files.send_file_requested.connect(w.send_file)
        files.cancel_requested.connect(w.cancel_file)
        files.show_folder_requested.connect(show_folder)
        w.session_ended.connect(self._on_ended)
        w.technician_refused.connect(self._on_refused)
        w.link_changed.connect(self._on_link_changed)
        w.share_check_asked.connect(self._on_share_check_asked)
        w.sharing_paused_changed.connect(self._on_sharing_paused)
        w.show_received.connect(self._on_show)
        chat = win.session_view.chat
        w.chat_received.connect(self._on_chat)
        w.chat_sent.connect(chat.add_sent)
        w.chat_not_sent.connect(chat.log.not_sent)
        w.chat_recording_changed.connect(chat.set_recording)
        chat.send_requested.connect(w.send_chat)
        chat.recording_requested.connect(w.set_chat_recording)
        w.monitors_changed.connect(self._on_monitors_changed)
        win.new_code_requested.connect(w.request_new_code)
        win.quit_requested.connect(self.quit)
        win.control_toggle_requested.connect(self._on_control_toggle)
        win.session_view.permissions.permission_requested.connect(w.set_permission)
        win.end_session_requested.connect(w.end_session)
        win.show_record_requested.connect(self.show_record)

    def start(self) -> None:
        self.window.show()
        self.worker.start()
        self.permission_watch.check_now()

    # --- Windows: elevated windows, restart as administrator, Ctrl+Alt+Del

    #: Starts the elevated agent and waits for the customer's answer in Windows' prompt
    #: (tests on Linux put a stand-in here: there is no UAC to answer).
    restart_elevated: Callable[[Sequence[str]], RestartOutcome] = staticmethod(
        restart_elevated)

    def wire_elevation(self) -> None:
        view = self.window.session_view
        self.confirm_restart: ConfirmRestart | None = None
        self._restart_pending = False
        view.elevation.restart_requested.connect(self._on_restart_requested)
        self.worker.sas_outcome.connect(self._on_sas_outcome)
        if self.elevation is not None:
            self.elevation.shown.connect(self._bring_up)
            self.elevation.technician.connect(self._tell_elevation)

    def _tell_elevation(self, blocked: bool) -> None:
        """The technician hears it too (issue 18): their input does not reach that window."""
        self.worker.send_notice("foreground_elevated" if blocked else "foreground_ok")

    def _bring_up(self) -> None:
        """The notice is in the (minimised) session window: show it."""
        self.window.showNormal()
        self.window.raise_()

    def _on_restart_requested(self) -> None:
        """"Restart as administrator…": say what happens first (non-blocking)."""
        dialog = ConfirmRestart(self.window)
        dialog.restart_confirmed.connect(self._restart_confirmed)
        self.confirm_restart = dialog
        dialog.open()

    def _restart_confirmed(self) -> None:
        """End the session (the technician reads why), then Windows' prompt."""
        self.confirm_restart = None
        self._restart_pending = True
        if self.window.state == "session":
            self.worker.end_for_restart()  # _on_ended restarts once the session is over
        else:
            QTimer.singleShot(0, self._restart_now)

    def _restart_now(self) -> None:
        self._restart_pending = False
        outcome = self.restart_elevated(sys.argv)
        log.info("restart as administrator: %s", outcome.value)
        if outcome is RestartOutcome.STARTED:
            self.quit()  # the elevated agent shows the new code
        else:
            self.window.show_session_ended(restart_text(outcome), began=True)

    def _on_sas_outcome(self, outcome: str) -> None:
        """Windows would not take Ctrl+Alt+Del from Fernhilfe: the customer presses it."""
        if outcome != "sent" and self.window.state == "session":
            self.window.session_view.sas_notice.show_refused()
            self._bring_up()

    def quit(self) -> None:
        self.permission_watch.stop()
        self._close_session_windows()
        self.worker.stop()
        QApplication.quit()

    def _on_code(self, display: str, valid_for: float) -> None:
        self.window.show_code(display, valid_for)

    def _on_attempt_failed(self, reason: str, automatic: bool, warn: bool, failures: int
                           ) -> None:
        self._close_session_windows()
        if warn:
            self.window.show_scam_warning(scam_warning(failures))
        self.window.show_failed_attempt(attempt_text(reason, automatic), automatic)

    def _on_failed(self, kind: str) -> None:
        self._close_session_windows()
        self.window.showNormal()
        self.window.show_error(error_text(kind, self.branding))

    def _on_consent_requested(self, name: str, organisation: str, verification: str,
                              permissions: frozenset[str], identity: Verification) -> None:
        self._requested = frozenset(permissions)
        self._began = False
        dialog = ConsentDialog(name, organisation, verification,
                               requested=frozenset(permissions),
                               branding=self.branding, identity=identity)
        dialog.decided.connect(self._on_decided)
        self._connect_notice(dialog.mac_notice)
        dialog.show_os_readiness(assess(self.probes or ALLOWED, self._requested,
                                        self._asked_screen))
        self.consent = dialog
        self.window.show_waiting_for_consent()
        dialog.show()
        dialog.present()

    def _on_decided(self, allowed: bool, permissions: frozenset[str]) -> None:
        dialog, self.consent = self.consent, None
        timed_out = dialog is not None and dialog.timed_out
        # What the OS does not allow yet is held back in the same step as the answer, so no
        # wallpaper or black frame leaves and no input is posted into nothing.
        probes = self.probes if self.probes is not None else self.permission_watch.probe()
        self.gate = SessionGate(probes=probes)
        self._resume_wanted = False
        if allowed:
            self.gate.holding_view = "view" in permissions and not probes.screen_recording
            self.gate.holding_control = "control" in permissions and not probes.accessibility
        self.worker.decide(allowed, frozenset(permissions), timed_out,
                           hold_view=self.gate.holding_view,
                           hold_control=self.gate.holding_control)

    def _on_session_started(self, name: str, permissions: frozenset[str]) -> None:
        hotkey = create_hotkey()
        overlay = SessionOverlay(name, control="control" in permissions,
                                 branding=self.branding, hotkey=hotkey,
                                 holds_button=self.worker.technician_holds_button)
        self.pointer_layer = AnnotationLayer()
        hotkey.pointer_pressed.connect(self.pointer_layer.clear_strokes)  # the customer's click
        overlay.end_session_requested.connect(self.worker.end_session)
        overlay.control_toggle_requested.connect(self._on_control_toggle)
        overlay.release_input_requested.connect(self.worker.release_input)
        overlay.continue_sharing_requested.connect(self._on_continue_sharing)
        overlay.resume_sharing_requested.connect(self._on_resume)
        overlay.show_chat_requested.connect(self.show_chat)
        overlay.permission_toggle_requested.connect(self.worker.set_permission)
        overlay.show_files_requested.connect(self.show_files)
        overlay.set_permissions(frozenset(permissions))
        # What macOS has not allowed yet, on the always-on-top panel (hidden elsewhere).
        notice = MacPermissionNotice(in_session=True)
        self._connect_notice(notice)
        grid = overlay.panel.layout()
        if isinstance(grid, QGridLayout):
            grid.addWidget(notice, grid.rowCount(), 0, 1, grid.columnCount())
        self.session_notice = notice
        self.overlay = overlay
        overlay.show()
        self._began = True
        # The window now shows the session (never the spent code); it steps aside for the
        # technician's view, the overlay's panel stays on top.
        self.window.show_session(name, frozenset(permissions), datetime.now().astimezone(),
                                 control_offered="control" in self._requested)
        self._granted = frozenset(permissions)
        self._paused = False
        self.window.session_view.set_permissions(self._requested, self._granted)
        self._update_clipboard()
        if self.elevation is not None:
            self.elevation.start()
        self._show_session_notice()
        self.permission_watch.set_polling(True)  # a permission taken away meanwhile is seen
        self.window.showMinimized()

    def _on_permissions(self, permissions: frozenset[str]) -> None:
        self._granted = frozenset(permissions)
        if self.overlay is not None:
            self.overlay.set_control("control" in permissions)
            self.overlay.set_permissions(self._granted)
        if self.window.state == "session":
            self.window.set_control("control" in permissions)
            self.window.session_view.set_permissions(self._requested, self._granted)
        self._update_clipboard()
        if self.overlay is not None and self.probes is not None:
            self._apply(self.gate.update(self._granted, self.probes, self._paused))

    def _update_clipboard(self) -> None:
        """The bridge follows the permission and the pause (the session checks both too);
        so does the elevation notice (it matters only while the technician may control)."""
        self.clipboard.enabled = ("clipboard" in self._granted and not self._paused
                                  and self.overlay is not None)
        if self.elevation is not None:
            self.elevation.set_control("control" in self._granted and not self._paused)

    def _on_permissions_requested(self, permissions: frozenset[str]) -> None:
        """The technician asks for more during the session: the switches offer it from now
        on, and the panel asks the customer (Allow / Not now)."""
        self._requested = self._requested | frozenset(permissions)
        if self.window.state == "session":
            self.window.session_view.set_permissions(self._requested, self._granted)
        if self.overlay is not None:
            self.overlay.ask_permissions(frozenset(permissions))

    def _on_show(self, show: Show) -> None:
        """The technician's laser pointer or a stroke: drawn, never input."""
        if self.pointer_layer is not None:
            self.pointer_layer.show_message(show)

    def _on_monitors_changed(self, monitors: object, shared: int) -> None:
        if self.overlay is not None:
            self.overlay.set_monitors(monitors, shared)

    def _on_link_changed(self, state: str, _grace_left: float) -> None:
        if self.overlay is not None:
            self.overlay.set_link(state)
        self.window.session_view.set_link(state)

    def _on_share_check_asked(self, seconds: float) -> None:
        if self.overlay is not None:
            self.overlay.ask_still_sharing(seconds)

    def _on_continue_sharing(self) -> None:
        """Continue counts only when it is the customer's: a click that came with the
        technician's own input (they see the panel too) leaves the question standing."""
        if self.worker.technician_input_recent():
            log.warning("'still sharing?' answered while the technician's input was applied: "
                        "not counted")
            return
        self.worker.confirm_sharing()
        if self.overlay is not None:
            self.overlay.sharing_confirmed()

    def _on_sharing_paused(self, paused: bool, reason: str) -> None:
        self._paused = paused
        self._update_clipboard()
        if self.overlay is not None and not (paused and self.gate.holding_view):
            self.overlay.set_paused(paused, reason)  # held for macOS: the notice says why
        self._show_session_notice()
        if paused and self.pointer_layer is not None:  # nothing of the technician's stays
            self.pointer_layer.clear()

    # --- the OS's privacy permissions (macOS; elsewhere all allowed)

    def _connect_notice(self, notice: MacPermissionNotice) -> None:
        notice.open_settings_requested.connect(self._open_settings)
        notice.ask_requested.connect(self._ask_os)
        notice.restart_requested.connect(self._restart)

    def _on_probes(self, probes: Probes) -> None:
        """The OS answered: every notice shows what is missing now; a running session holds
        back, or lets go of, what the OS does (not) allow; polling goes on while something is
        missing or a session runs."""
        self.probes = probes
        self.window.mac_notice.show_readiness(assess(probes, BEFORE_SESSION,
                                                     self._asked_screen))
        if self.consent is not None:
            self.consent.show_os_readiness(assess(probes, self._requested, self._asked_screen))
        if self.overlay is not None:
            self._apply(self.gate.update(self._granted, probes, self._paused))
        self._show_session_notice()
        self.permission_watch.set_polling(probes != ALLOWED or self.overlay is not None)

    def _apply(self, step: GateStep) -> None:
        if step.pause is True:
            self.worker.hold_sharing(True)
        elif step.pause is False:
            if self._resume_wanted:  # the customer's own Resume waited for macOS
                self._resume_wanted = False
                self.worker.resume_sharing()
            self.worker.hold_sharing(False)
        if step.control is not None:
            self.worker.hold_control(not step.control)
        if not step.empty:
            self._show_session_notice()

    def _show_session_notice(self) -> None:
        if self.session_notice is None or self.overlay is None:
            return
        before = self.session_notice.isVisible()
        self.session_notice.show_readiness(self.gate.readiness(self._asked_screen))
        if before != self.session_notice.isVisible():
            self.overlay.panel.adjustSize()

    def _on_control_toggle(self, enabled: bool) -> None:
        """The customer's Allow control / Stop control: on waits for Accessibility."""
        if self.gate.customer_control(enabled):
            self.worker.set_control(enabled)
        self._show_session_notice()

    def _on_resume(self) -> None:
        """Resume after a pause: while Screen Recording is missing it waits (the panel says
        why) and goes on by itself once macOS allows it."""
        if self.gate.customer_resume():
            self.worker.resume_sharing()
        else:
            self._resume_wanted = True
        self._show_session_notice()

    def _open_settings(self, pane: str) -> None:
        if pane == macos.SCREEN_RECORDING:
            self._asked_screen = True
        macos.open_privacy_settings(pane)
        self._probe_again()

    def _ask_os(self, pane: str) -> None:
        """The system's own dialog (macOS shows the Screen Recording one once per program)."""
        if pane == macos.SCREEN_RECORDING:
            self._asked_screen = True
            macos.request_screen_recording()
        else:
            macos.accessibility_allowed(prompt=True)
        self._probe_again()

    def _probe_again(self) -> None:
        self.permission_watch.check_now()
        self.permission_watch.set_polling(True)

    def _restart(self) -> None:
        """Restart Fernhilfe so macOS tells it about a new grant: only outside a session
        (the button is only on the code window; a consent waiting would be lost)."""
        if self.overlay is not None or self.consent is not None:
            return
        macos.restart_fernhilfe()
        self.quit()

    def _on_chat(self, text: str, dropped_before: int) -> None:
        """A line from the technician: into the chat, and on the always-on-top panel too
        unless the customer is looking at the chat right now."""
        self.window.session_view.chat.add_received(text, dropped_before)
        looking = self.window.isActiveWindow() and not self.window.isMinimized()
        if self.overlay is not None and not looking:
            self.overlay.show_chat_notice(text)

    def _on_transfer(self, update: TransferUpdate) -> None:
        """A file from the technician is complete: the always-on-top panel says so too (the
        customer's window, with the list, steps aside during the session)."""
        if (update.state == "completed" and update.direction == TO_CUSTOMER
                and self.overlay is not None):
            self.overlay.show_file_notice(update.name, update.size)

    def show_files(self) -> None:
        """"Show files": the customer's window to the front, with the list of files."""
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def show_chat(self) -> None:
        """"Show chat": the customer's window to the front, the keyboard in the chat."""
        if self.overlay is not None:
            self.overlay.clear_chat_notice()
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()
        self.window.session_view.chat.focus_input()

    def _on_ended(self, reason: str, message: str) -> None:
        if self.elevation is not None:
            self.elevation.stop()
        if self.confirm_restart is not None:  # the question was about a session now over
            dialog, self.confirm_restart = self.confirm_restart, None
            dialog.close()
        self.window.session_view.sas_notice.clear()
        self.window.session_view.chat.stop()
        self.window.session_view.files.stop()
        self._granted = frozenset()
        self._update_clipboard()
        self.window.session_view.set_link("live")
        self._close_session_windows()
        self.permission_watch.set_polling(self.probes is not None and self.probes != ALLOWED)
        self.window.showNormal()
        self.window.show_session_ended(ended_text(reason, message), began=self._began)
        self._began = False
        if self._restart_pending:
            QTimer.singleShot(0, self._restart_now)  # the End went out: now Windows' prompt

    def _on_refused(self, verdict: str) -> None:
        """A technician who is not verified was refused (the branding requires it): nothing
        was shown to the customer before; say so, with the reason, and wait for their click."""
        self._close_session_windows()
        self.window.showNormal()
        self.window.show_refused(reason_text(verdict))
        self._began = False

    def show_record(self) -> None:
        """"Show session record": the record window on the newest session, in plain words and
        local time (one window per run, brought up to date each time it is asked for)."""
        if self.records_window is None:
            self.records_window = RecordWindow(default_audit_dir(), role="agent")
        self.records_window.show_latest()

    def _close_session_windows(self) -> None:
        self.window.session_closing()  # the session is over or being ended: no question
        self.clipboard.enabled = False  # nothing more in or out, whatever ended it
        if self.consent is not None:
            dialog, self.consent = self.consent, None
            dialog.decided.disconnect(self._on_decided)
            dialog.close()
        self.session_notice = None  # a child of the panel: closed with it
        self.gate = SessionGate(probes=self.gate.probes)
        self._resume_wanted = False
        if self.overlay is not None:
            overlay, self.overlay = self.overlay, None
            overlay.close()
        if self.pointer_layer is not None:
            layer, self.pointer_layer = self.pointer_layer, None
            layer.close()


def main(argv: list[str] | None = None) -> int:
    """Run the agent; the exit code is 2 when its settings file is unusable."""

    def add_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--relay",
                            help="relay URL (default: from the branding or config file)")

    def prepare(args: argparse.Namespace) -> Launch:
        config = load_config(args.relay)  # ConfigError: message on stderr, exit code 2
        return Launch(args.lang or config.language, lambda: AgentApp(config))

    return run_program(PROGRAM, argv, add_options, prepare)
