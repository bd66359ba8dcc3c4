"""The customer's agent: wires the widgets (show state, emit intents) to the worker (does work).

Nothing here touches a socket, the screen or the input devices; it only connects Qt signals.
Consent has exactly one path: the real :class:`~agent.ui.ConsentDialog`'s Allow button.
"""

from __future__ import annotations

import argparse

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from agent.config import AgentConfig, load_config
from agent.hotkey import create_hotkey
from agent.ui import Branding, CodeWindow, ConsentDialog, SessionOverlay, install_translator
from agent.worker import AgentWorker
from desktop.qt.app import Launch, ProgramInfo, run_program

PROGRAM = ProgramInfo("fernhilfe-agent", "Fernhilfe customer agent: get remote support.",
                      app_name="Fernhilfe", install_translator=install_translator)


def ended_text(reason: str, message: str) -> str:
    """What the customer reads when a session ends, in their language."""
    texts = {
        "customer_ended": QCoreApplication.translate(
            "AgentApp",
            "You ended the session."
        ),
        "technician_ended": QCoreApplication.translate(
            "AgentApp",
            "The technician ended the session."
        ),
        "denied": QCoreApplication.translate(
            "AgentApp",
            "You declined the session. Nothing was shared."
        ),
        "timeout": QCoreApplication.translate(
            "AgentApp",
            "Nobody answered in time. Nothing was shared."
        ),
        "peer_gone": QCoreApplication.translate(
            "AgentApp",
            "The connection to the technician was lost."
        ),
        "integrity_error": QCoreApplication.translate(
            "AgentApp",
            "The session was closed because a message was damaged or forged."
        ),
        "protocol_error": QCoreApplication.translate(
            "AgentApp",
            "The session was closed because the other program misbehaved."
        ),
        "unsupported_version": QCoreApplication.translate(
            "AgentApp",
            "The technician uses another version of Fernhilfe. Please update both "
            "programs."
        ),
        "error": QCoreApplication.translate(
            "AgentApp",
            "The session was closed because of an error."
        ),
        "audit_failed": QCoreApplication.translate(
            "AgentApp",
            "The session was ended because this computer cannot save the record of the "
            "session (its folder is missing, read-only or full). Nothing more is shared."
        ),
        "peer_audit_failed": QCoreApplication.translate(
            "AgentApp",
            "The session was ended because the technician's computer cannot save the record "
            "of the session. Nothing more is shared."
        ),
        "peer_timeout": QCoreApplication.translate(
            "AgentApp",
            "The technician's program stopped responding. Nothing was shared."
        ),
    }
    texts["resource_limit"] = texts["protocol_error"]  # the peer sent more than allowed
    fallback = QCoreApplication.translate("AgentApp", "The session has ended.")
    # ``message`` comes from the peer for reasons it chose: its words go to the log, never on
    # screen (a hostile console must not write its own sentences into the customer's window).
    return texts.get(reason, fallback)


def relay_text(kind: str) -> str:
    """Local text for a relay problem (the relay's own words only go to the log)."""
    texts = {
        "unreachable": QCoreApplication.translate(
            "AgentApp",
            "The support service cannot be reached. Please check your internet connection."
        ),
        "insecure_url": QCoreApplication.translate(
            "AgentApp",
            "This program is set up with an unsafe address for the support service. Please "
            "ask your support company for a new program."
        ),
        "lost": QCoreApplication.translate(
            "AgentApp",
            "The connection to the support service was lost."
        ),
        "rejected:too_many_connections": QCoreApplication.translate(
            "AgentApp",
            "The support service is busy right now."
        ),
        "rejected:rate_limited": QCoreApplication.translate(
            "AgentApp",
            "Too many attempts from your network. Please wait a little."
        ),
        "rejected:shutting_down": QCoreApplication.translate(
            "AgentApp",
            "The support service is restarting."
        ),
        "rejected:bad_request": QCoreApplication.translate(
            "AgentApp",
            "The support service did not understand this program. Please ask your support "
            "company for an update."
        ),
    }
    generic = QCoreApplication.translate(
        "AgentApp",
        "The support service refused the connection."
    )
    return texts.get(kind, generic)


def attempt_text(reason: str, automatic: bool) -> str:
    """What the customer reads after a join that did not become a session."""
    if reason in ("wrong_code", "protocol_error", "integrity_error"):  # garbage is wrong too
        what = QCoreApplication.translate("AgentApp", "Someone entered a wrong code.")
    elif reason == "peer_timeout":
        what = QCoreApplication.translate(
            "AgentApp", "Someone entered your code but then stopped responding.")
    else:
        what = QCoreApplication.translate(
            "AgentApp", "Someone tried to connect with your code, but it did not work.")
    if automatic:
        return what + " " + QCoreApplication.translate("AgentApp", "Here is a new one.")
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


def error_text(kind: str) -> str:
    """Local text for a failure while getting a code."""
    if kind == "audit_unavailable":
        return QCoreApplication.translate(
            "AgentApp",
            "This computer cannot save the record of support sessions (its folder is missing, "
            "read-only or full), so no code can be given. Please free up disk space or ask "
            "your support company, then try again."
        )
    return QCoreApplication.translate(
        "AgentApp",
        "Something went wrong while getting a code. Please try again."
    )


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
        w, win = self.worker, self.window
        if config.side_file:
            win.show_settings_source(config.side_file)
        w.connecting.connect(win.show_connecting)
        w.relay_unreachable.connect(
            lambda kind, retry: win.show_relay_unreachable(relay_text(kind), retry))
        w.code_ready.connect(self._on_code)
        w.code_used.connect(win.show_code_used)
        w.attempt_failed.connect(self._on_attempt_failed)
        w.code_expired.connect(win.show_code_expired)
        w.failed.connect(self._on_failed)
        w.consent_requested.connect(self._on_consent_requested)
        w.session_started.connect(self._on_session_started)
        w.permissions_changed.connect(self._on_permissions)
        w.session_ended.connect(self._on_ended)
        win.new_code_requested.connect(w.request_new_code)
        win.quit_requested.connect(self.quit)

    def start(self) -> None:
        self.window.show()
        self.worker.start()

    def quit(self) -> None:
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
        self.window.show_error(error_text(kind))

    def _on_consent_requested(self, name: str, organisation: str, verification: str,
                              permissions: frozenset[str]) -> None:
        dialog = ConsentDialog(name, organisation, verification,
                               requested=frozenset(permissions),
                               branding=self.branding)
        dialog.decided.connect(self._on_decided)
        self.consent = dialog
        dialog.show()
        dialog.present()

    def _on_decided(self, allowed: bool, permissions: frozenset[str]) -> None:
        dialog, self.consent = self.consent, None
        timed_out = dialog is not None and dialog.timed_out
        self.worker.decide(allowed, frozenset(permissions), timed_out)

    def _on_session_started(self, name: str, permissions: frozenset[str]) -> None:
        overlay = SessionOverlay(name, control="control" in permissions,
                                 branding=self.branding, hotkey=create_hotkey(),
                                 holds_button=self.worker.technician_holds_button)
        overlay.end_session_requested.connect(self.worker.end_session)
        overlay.control_toggle_requested.connect(self.worker.set_control)
        overlay.release_input_requested.connect(self.worker.release_input)
        self.overlay = overlay
        overlay.show()
        self.window.showMinimized()

    def _on_permissions(self, permissions: frozenset[str]) -> None:
        if self.overlay is not None:
            self.overlay.set_control("control" in permissions)

    def _on_ended(self, reason: str, message: str) -> None:
        self._close_session_windows()
        self.window.showNormal()
        self.window.show_session_ended(ended_text(reason, message))

    def _close_session_windows(self) -> None:
        if self.consent is not None:
            dialog, self.consent = self.consent, None
            dialog.decided.disconnect(self._on_decided)
            dialog.close()
        if self.overlay is not None:
            overlay, self.overlay = self.overlay, None
            overlay.close()


def main(argv: list[str] | None = None) -> int:
    """Run the agent; the exit code is 2 when its settings file is unusable."""

    def add_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--relay",
                            help="relay URL (default: from the branding or config file)")

    def prepare(args: argparse.Namespace) -> Launch:
        config = load_config(args.relay)  # ConfigError: message on stderr, exit code 2
        return Launch(args.lang or config.language, lambda: AgentApp(config))

    return run_program(PROGRAM, argv, add_options, prepare)
