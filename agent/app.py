"""The customer's agent: wires the widgets (show state, emit intents) to the worker (does work).

Nothing here touches a socket, the screen or the input devices; it only connects Qt signals.
Consent has exactly one path: the real :class:`~agent.ui.ConsentDialog`'s Allow button.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from PySide6.QtCore import QCoreApplication, QLocale, QTimer
from PySide6.QtWidgets import QApplication

from agent.config import AgentConfig, ConfigError, load_config
from agent.ui import Branding, CodeWindow, ConsentDialog, SessionOverlay, install_translator
from agent.worker import AgentWorker
from shared.audit import default_audit_dir, render_recent


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
    }
    texts["resource_limit"] = texts["protocol_error"]  # the peer sent more than allowed
    fallback = QCoreApplication.translate("AgentApp", "The session has ended.")
    return texts.get(reason, message or fallback)


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
        self._wrong_code_pending = False
        w, win = self.worker, self.window
        w.connecting.connect(win.show_connecting)
        w.relay_unreachable.connect(win.show_relay_unreachable)
        w.code_ready.connect(self._on_code)
        w.wrong_code.connect(win.show_wrong_code_attempt)
        w.code_expired.connect(win.show_code_expired)
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

    def _on_consent_requested(self, name: str, organisation: str, verification: str,
                              permissions: object) -> None:
        dialog = ConsentDialog(name, organisation, verification,
                               requested=frozenset(permissions),  # type: ignore[arg-type]
                               branding=self.branding)
        dialog.decided.connect(self._on_decided)
        self.consent = dialog
        dialog.show()
        dialog.present()

    def _on_decided(self, allowed: bool, permissions: object) -> None:
        dialog, self.consent = self.consent, None
        timed_out = dialog is not None and dialog.timed_out
        self.worker.decide(allowed, frozenset(permissions), timed_out)  # type: ignore[arg-type]

    def _on_session_started(self, name: str, permissions: object) -> None:
        overlay = SessionOverlay(name, control="control" in permissions,  # type: ignore[operator]
                                 branding=self.branding)
        overlay.end_session_requested.connect(self.worker.end_session)
        overlay.control_toggle_requested.connect(self.worker.set_control)
        self.overlay = overlay
        overlay.show()
        self.window.showMinimized()

    def _on_permissions(self, permissions: object) -> None:
        if self.overlay is not None:
            self.overlay.set_control("control" in permissions)  # type: ignore[operator]

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
    parser = argparse.ArgumentParser(prog="fernhilfe-agent",
                                     description="Fernhilfe customer agent: get remote support.")
    parser.add_argument("--relay", help="relay URL (default: from the branding or config file)")
    parser.add_argument("--lang", help="UI language such as de or en (default: system locale)")
    parser.add_argument("--show-audit", nargs="?", const=1, type=int, metavar="N",
                        help="print the audit record of the last N sessions and exit")
    args = parser.parse_args(argv)
    if args.show_audit is not None:
        print(render_recent(default_audit_dir(), args.show_audit))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    try:
        config = load_config(args.relay)
    except ConfigError as exc:
        print(f"fernhilfe-agent: {exc}", file=sys.stderr)
        return 2
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Fernhilfe")
    lang = args.lang or config.language
    install_translator(app, QLocale(lang) if lang else None)
    agent = AgentApp(config)
    # Ctrl+C / SIGTERM end the session cleanly (release held input) instead of killing mid-way.
    signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, agent.quit))
    signal.signal(signal.SIGTERM, lambda *_: QTimer.singleShot(0, agent.quit))
    wake = QTimer()
    wake.start(200)  # lets Python run signal handlers while Qt's loop sleeps
    wake.timeout.connect(lambda: None)
    agent.start()
    code = app.exec()
    agent.worker.stop()
    return code
