"""The technician's console: wires the widgets (show state, emit intents) to the worker."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QDateTime, QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog

from console.history import HistoryStore
from console.identity import (
    IdentityError,
    IdentityStore,
    StoredIdentity,
    read_import_files,
)
from console.identity.terminal import import_identity, show_identity
from console.keymap import key_to_wire
from console.ui import ConnectWindow, SessionWindow, install_translator
from console.ui.history_window import show_history
from console.ui.identity_dialogs import ImportIdentityDialog, PassphraseDialog
from console.worker import ConsoleWorker
from desktop.audit_store import default_audit_dir
from desktop.clipboard import ClipboardBridge
from desktop.qt.app import Launch, ProgramInfo, run_program
from desktop.qt.record_window import RecordWindow
from desktop.transfers import TransferUpdate
from shared import messages as m
from shared import rendezvous as rv
from shared.codes import parse_code
from shared.errors import CodeError, CodeLengthError
from shared.identity import TechnicianIdentity
from shared.link import DEFAULT_GRACE, check_grace

log = logging.getLogger(__name__)

DEFAULT_RELAY = "ws://127.0.0.1:8765/v1"
PROGRAM = ProgramInfo("fernhilfe-console", "Fernhilfe technician console.",
                      app_name="Fernhilfe Console", install_translator=install_translator,
                      record_role="console")


def ended_text(reason: str, message: str) -> str:
    """What the technician reads when a session ends: always our own translated text.

    ``reason`` and ``message`` may come from the customer's program (an ``Error`` message) or
    the relay: the message goes to the log only, an unknown reason gets a general sentence.
    A reason ``rejected:<code>`` means the connection service ended the session with that code.
    """
    if message:
        log.info("session ended: reason=%r message=%r", reason, message)
    if reason.startswith(REJECTED):
        return relay_error_text(_relay_code(reason))
    texts = {
        "denied": QCoreApplication.translate(
            "ConsoleApp",
            "The customer declined the session."
        ),
        "timeout": QCoreApplication.translate(
            "ConsoleApp",
            "The customer did not answer in time."
        ),
        "customer_ended": QCoreApplication.translate(
            "ConsoleApp",
            "The customer ended the session."
        ),
        "technician_ended": QCoreApplication.translate(
            "ConsoleApp",
            "You ended the session."
        ),
        # The customer restarts Fernhilfe with administrator rights (Windows, issue 18).
        "restarting_elevated": QCoreApplication.translate(
            "ConsoleApp",
            "The customer is restarting Fernhilfe with administrator rights; connect again "
            "with the new code."
        ),
        "wrong_code": QCoreApplication.translate(
            "ConsoleApp",
            "The code was wrong. It is now used up: please ask the customer for the "
            "new code their program shows."
        ),
        "peer_gone": QCoreApplication.translate(
            "ConsoleApp",
            "The connection to the customer was lost."
        ),
        "connection_lost": QCoreApplication.translate(
            "ConsoleApp",
            "The connection to the customer was lost and did not come back in time."
        ),
        "integrity_error": QCoreApplication.translate(
            "ConsoleApp",
            "The session was ended because a message was damaged or forged on the way."
        ),
        "resource_limit": QCoreApplication.translate(
            "ConsoleApp",
            "The session was ended because the customer's program sent more than the console "
            "accepts (for example a screen wider or taller than 8192 pixels, or a faulty or "
            "manipulated program)."
        ),
        "unsupported_version": QCoreApplication.translate(
            "ConsoleApp",
            "The customer uses another version of Fernhilfe. Please update both "
            "programs."
        ),
        "protocol_error": QCoreApplication.translate(
            "ConsoleApp",
            "The session was ended because the customer's program sent something it must not "
            "send."
        ),
        "error": QCoreApplication.translate(
            "ConsoleApp",
            "The session was ended because of an error (details are in the log)."
        ),
        "peer_timeout": QCoreApplication.translate(
            "ConsoleApp",
            "The customer's program stopped responding, or the customer did not answer. "
            "Please ask the customer for a new code."
        ),
        "audit_unavailable": QCoreApplication.translate(
            "ConsoleApp",
            "No session was started: this computer cannot save the session record (its records "
            "folder is missing, read-only or full). The customer's code is still valid."
        ),
        "audit_failed": QCoreApplication.translate(
            "ConsoleApp",
            "The session was ended because its session record could not be saved (the records "
            "folder on your computer or the customer's is missing, read-only or full)."
        ),
        "unverified_technician": QCoreApplication.translate(
            "ConsoleApp",
            "The customer's program only accepts verified technicians of its support company. "
            "Import your certificate or ask your administrator."
        ),
    }
    fallback = QCoreApplication.translate("ConsoleApp", "The session has ended.")
    return texts.get(reason, fallback)


# Most characters of the customer's program's own words shown with a refusal.
MAX_PEER_REASON_CHARS = 300


def peer_reason(message: str) -> str:
    """The customer's program's words, shortened and without control characters: shown as
    plain text after our own sentence (they say *which* check failed)."""
    text = "".join(ch if ch.isprintable() else " " for ch in message).strip()
    if len(text) > MAX_PEER_REASON_CHARS:
        text = text[:MAX_PEER_REASON_CHARS - 1] + "…"
    return text


def refusal_text(message: str) -> str:
    """The refusal of an unverified technician: our sentence, then the agent's reason."""
    text = ended_text("unverified_technician", message)
    reason = peer_reason(message)
    if not reason:
        return text
    return text + "\n\n" + QCoreApplication.translate(
        "ConsoleApp", "The customer's program said: {reason}").format(reason=reason)


def identity_error_text(exc: IdentityError) -> str:
    """Our own translated sentence for a certificate or key that cannot be used."""
    log.warning("certificate/key problem (%s): %s", exc.kind, exc)
    texts = {
        "wrong_passphrase": QCoreApplication.translate(
            "ConsoleApp", "The passphrase is wrong. Please try again."),
        "bad_file": QCoreApplication.translate(
            "ConsoleApp", "This is not a certificate or key file from your administrator. "
                          "Please check which files you chose."),
        "bad_certificate": QCoreApplication.translate(
            "ConsoleApp", "This certificate is damaged. Please ask your administrator for it "
                          "again."),
        "key_mismatch": QCoreApplication.translate(
            "ConsoleApp", "The key file does not belong to this certificate. Please check that "
                          "both files are yours."),
        "expired": QCoreApplication.translate(
            "ConsoleApp", "This certificate has expired. Please ask your administrator for a "
                          "renewed one."),
        "short_passphrase": QCoreApplication.translate(
            "ConsoleApp", "The passphrase needs at least 8 characters."),
        "needs_passphrase": QCoreApplication.translate(
            "ConsoleApp", "The keyring did not accept your key. Please choose a passphrase "
                          "for it instead."),
        "keyring_gone": QCoreApplication.translate(
            "ConsoleApp", "Your key cannot be read from this computer's keyring. Please "
                          "import your certificate again."),
        "not_writable": QCoreApplication.translate(
            "ConsoleApp", "Your certificate cannot be saved on this computer (details are in "
                          "the log)."),
    }
    return texts.get(exc.kind, QCoreApplication.translate(
        "ConsoleApp", "The certificate cannot be used (details are in the log)."))


def certificate_date(unix: int) -> str:
    """A certificate's date as the technician reads it (local time, 28.02.2027)."""
    return QDateTime.fromSecsSinceEpoch(unix).toString("dd.MM.yyyy")


def relay_error_text(code: rv.ErrorCode | None) -> str:
    """Our own translated sentence for a relay error code (``None``: a code we do not know)."""
    texts = {
        rv.ErrorCode.UNKNOWN_NAMEPLATE: QCoreApplication.translate(
            "ConsoleApp",
            "No customer is waiting with this code. Please check the code, or ask the customer "
            "to read out the code their program shows now."
        ),
        rv.ErrorCode.NAMEPLATE_EXPIRED: QCoreApplication.translate(
            "ConsoleApp",
            "This code has expired. Please ask the customer for the new code."
        ),
        rv.ErrorCode.NAMEPLATE_SPENT: QCoreApplication.translate(
            "ConsoleApp",
            "This code has already been used. Each code works once; please ask the customer "
            "for the new code."
        ),
        rv.ErrorCode.ALREADY_JOINED: QCoreApplication.translate(
            "ConsoleApp",
            "Someone else is already connected with this code. Please ask the customer for a "
            "new code."
        ),
        rv.ErrorCode.TOO_MANY_CONNECTIONS: QCoreApplication.translate(
            "ConsoleApp",
            "The connection service is busy right now. Please try again in a minute."
        ),
        rv.ErrorCode.RATE_LIMITED: QCoreApplication.translate(
            "ConsoleApp",
            "Too many connection attempts from your network. Please wait a little and try "
            "again."
        ),
        rv.ErrorCode.MESSAGE_TOO_LARGE: QCoreApplication.translate(
            "ConsoleApp",
            "A message was too large for the connection service. Please start a new session."
        ),
        rv.ErrorCode.BAD_REQUEST: QCoreApplication.translate(
            "ConsoleApp",
            "The connection service did not understand this program. Please update "
            "Fernhilfe."
        ),
        rv.ErrorCode.IDLE_TIMEOUT: QCoreApplication.translate(
            "ConsoleApp",
            "The connection service ended the connection because nothing happened for a long "
            "time."
        ),
        rv.ErrorCode.HANDSHAKE_TIMEOUT: QCoreApplication.translate(
            "ConsoleApp",
            "Setting up the connection took too long. Please try again."
        ),
        rv.ErrorCode.SHUTTING_DOWN: QCoreApplication.translate(
            "ConsoleApp",
            "The connection service is restarting. Please connect again in a moment."
        ),
        rv.ErrorCode.SESSION_LIMIT: QCoreApplication.translate(
            "ConsoleApp",
            "The connection service ended the session because it reached the data limit its "
            "operator set. Please start a new session."
        ),
        rv.ErrorCode.PEER_GONE: QCoreApplication.translate(
            "ConsoleApp",
            "The customer's computer left the session."
        ),
    }
    if code in texts:
        return texts[code]
    return QCoreApplication.translate(
        "ConsoleApp",
        "The connection could not be set up. Please try again; if it keeps happening, tell "
        "your administrator (details are in the log)."
    )


#: Prefix of a kind (or end reason) that carries the relay's stable error code.
REJECTED = "rejected:"


def _relay_code(kind: str) -> rv.ErrorCode | None:
    """The relay code in ``rejected:<code>``; ``None`` for a code this version does not know."""
    try:
        return rv.ErrorCode(kind.removeprefix(REJECTED))
    except ValueError:
        return None


def failure_text(kind: str) -> str:
    """Our own translated sentence for why connecting failed, by its stable ``kind``.

    ``kind`` comes from :func:`console.driver.join_failure_kind` (``rejected:<relay code>``,
    ``unreachable``, ``insecure_url``, ``lost``, ``bad_code``, ``unexpected``); what exactly
    happened is already in the log. A kind we do not know gets the general sentence (true
    whatever went wrong): only text from our own translations is ever shown.
    """
    if kind.startswith(REJECTED):
        return relay_error_text(_relay_code(kind))
    texts = {
        "unreachable": QCoreApplication.translate(
            "ConsoleApp",
            "The connection service cannot be reached. Please check its address and your "
            "internet connection."
        ),
        "insecure_url": QCoreApplication.translate(
            "ConsoleApp",
            "This address of the connection service is not allowed: it must start with wss:// "
            "(ws:// only for a connection service on this computer)."
        ),
        "lost": QCoreApplication.translate(
            "ConsoleApp",
            "The connection service closed the connection. Please try again."
        ),
        "bad_code": QCoreApplication.translate(
            "ConsoleApp",
            "This is not a code. A code has 9 digits, like 123 456 789."
        ),
    }
    if kind not in texts:
        log.warning("no text for the failure kind %r: the general one", kind)
    return texts.get(kind, relay_error_text(None))


def code_error_text(exc: CodeError) -> str:
    """Our own translated sentence for a code that cannot be parsed (the connect window's)."""
    if isinstance(exc, CodeLengthError):
        return QCoreApplication.translate(
            "ConnectWindow",
            "The code has 9 digits, like 123 456 789. Please check it."
        )
    return QCoreApplication.translate(
        "ConnectWindow",
        "The code has only digits, like 123 456 789."
    )


def grace_setting(settings: str | None) -> float:
    """Seconds a session survives a silent link: ``[session] grace_period`` of the settings
    file (the user's settings without ``--settings``); a bad value is logged, never fatal."""
    store = (QSettings("Fernhilfe", "Console") if settings is None
             else QSettings(settings, QSettings.Format.IniFormat))
    value = store.value("session/grace_period")
    if value is None:
        return DEFAULT_GRACE
    try:
        return check_grace(float(str(value)))
    except ValueError as exc:
        log.warning("settings: session/grace_period %r ignored: %s", value, exc)
        return DEFAULT_GRACE


class NotesStore(Protocol):
    """Where the technician's notes on a session are kept (the session history's store,
    ``console.history.HistoryStore``; api17.md section 7)."""

    def set_notes(self, record_key: str, customer: str, note: str) -> None: ...


def _clamp(v: int) -> int:
    return max(0, min(m.MAX_COORDINATE, int(v)))


class ConsoleApp:
    """Owns the windows and the worker for one run of the console."""

    def __init__(self, default_relay: str = DEFAULT_RELAY, settings: str | None = None, *,
                 relay: str | None = None, identity_store: IdentityStore | None = None) -> None:
        """``default_relay`` is proposed when none is remembered; ``relay`` (``--relay``) wins
        over the remembered one: whoever starts the console with an address means that one.
        ``identity_store``: where the technician's certificate is kept (default: the data
        folder, the OS keyring if usable)."""
        self.connect_window = ConnectWindow(settings, default_relay_url=default_relay)
        self.identity_store = identity_store or IdentityStore()
        # the unlocked identity of this run (the passphrase is asked once per run)
        self._identity: TechnicianIdentity | None = None
        self._identity_failed = False
        self.import_dialog: ImportIdentityDialog | None = None
        self.passphrase_dialog: PassphraseDialog | None = None
        if relay:
            self.connect_window.relay_edit.setText(relay)
        self.worker = ConsoleWorker(grace=grace_setting(settings))
        self.session_window: SessionWindow | None = None
        self.records_window: RecordWindow | None = None
        #: the session's clipboard bridge (enabled only while the customer allows it)
        self.clipboard: ClipboardBridge | None = None
        #: the running session's record file name, the history's key for the notes
        self.record_key = ""
        #: the technician's notes (customer, note) on the current session
        self.notes = ("", "")
        #: where notes are saved (the session history's store, opened at the first note;
        #: None until then, or when it cannot be opened: the notes stay in the window)
        self.notes_store: NotesStore | None = None
        self.connect_window.connect_requested.connect(self._on_connect)
        self.connect_window.enable_records(True)
        self.connect_window.records_requested.connect(self.show_records)
        self.connect_window.history_requested.connect(lambda: show_history(self))
        self.connect_window.import_requested.connect(self.show_import)
        self.refresh_identity()
        w = self.worker
        w.failed.connect(self._on_failed)
        w.verification.connect(self._on_verification)
        w.consent_answered.connect(self._on_consent)
        w.permissions_changed.connect(self._on_permissions)
        w.frame_ready.connect(self._on_frame)
        w.cursor_moved.connect(self._on_cursor)
        w.stats.connect(self._on_stats)
        w.link_estimated.connect(self._on_link_estimated)
        w.ended.connect(self._on_ended)
        w.link_changed.connect(self._on_link_changed)
        w.sharing_paused_changed.connect(self._on_sharing_paused)
        w.notice_received.connect(self._on_system_notice)
        w.chat_received.connect(self._on_chat)
        w.chat_sent.connect(self._on_chat_sent)
        w.chat_not_sent.connect(self._on_chat_not_sent)
        w.chat_recording_changed.connect(self._on_chat_recorded)
        w.monitors_changed.connect(self._on_monitors_changed)
        w.clipboard_received.connect(self._on_clipboard_received)
        w.clipboard_sent.connect(self._on_clipboard_sent)
        w.record_opened.connect(self._on_record_opened)
        w.transfer_updated.connect(self._on_transfer)

    def start(self) -> None:
        self.connect_window.show()

    def quit(self) -> None:
        self.worker.stop()
        QApplication.quit()

    def show_records(self) -> None:
        """The technician's session records, newest first (one window per run, brought up to
        date each time it is asked for)."""
        if self.records_window is None:
            self.records_window = RecordWindow(default_audit_dir(), role="console")
        self.records_window.show_latest()

    # ------------------------------------------------------------------ identity

    def _usable_identity(self) -> StoredIdentity | None:
        """The stored certificate if it can be presented now (not expired, key readable)."""
        if self._identity_failed:
            return None
        info = self.identity_store.stored()
        if info is None or info.expired(int(time.time())):
            return None
        return info

    def refresh_identity(self) -> None:
        """Tell the connect window who the technician connects as."""
        info = self.identity_store.stored()
        window = self.connect_window
        if info is None:
            window.show_unverified()
        elif info.expired(int(time.time())):
            window.show_unverified(QCoreApplication.translate(
                "ConsoleApp", "Your certificate expired on {date}.").format(
                    date=certificate_date(info.fields.valid_until)))
        elif self._identity_failed:
            window.show_unverified(QCoreApplication.translate(
                "ConsoleApp", "Your key cannot be used."))
        else:
            f = info.fields
            window.show_verified(f.technician, f.organisation, certificate_date(f.valid_until))

    def show_import(self) -> None:
        """The "Import certificate…" dialog (non-modal; the window stays usable)."""
        if self.import_dialog is None:
            dialog = ImportIdentityDialog(self.identity_store.keyring() is None,
                                          self.connect_window)
            dialog.import_requested.connect(self._on_import)
            dialog.finished.connect(lambda _r: setattr(self, "import_dialog", None))
            self.import_dialog = dialog
        self.import_dialog.show()
        self.import_dialog.raise_()

    def _on_import(self, cert: str, key: str, key_passphrase: str, new_passphrase: str) -> None:
        dialog = self.import_dialog
        if dialog is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # Argon2id: about a second
        try:
            certificate, seed, _fields = read_import_files(
                Path(cert), Path(key), key_passphrase, int(time.time()))
            self.identity_store.save(certificate, seed, passphrase=new_passphrase or None)
        except IdentityError as exc:
            if exc.kind == "needs_passphrase":
                dialog.set_needs_passphrase(True)
            dialog.show_error(identity_error_text(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._identity = TechnicianIdentity(certificate=certificate, seed=seed)
        self._identity_failed = False
        dialog.accept()
        self.refresh_identity()

    def _unlock(self, info: StoredIdentity) -> TechnicianIdentity | None:
        """The identity for this run: from the keyring, or after the passphrase dialog.

        ``None`` when the technician cancelled; an unusable key turns the window to
        "not verified" (and says why) so the next Connect goes without it.
        """
        if self._identity is not None:
            return self._identity
        try:
            if info.storage != "passphrase":
                self._identity = self.identity_store.load()
                return self._identity
            dialog = PassphraseDialog(info.fields.technician, self.connect_window)
            self.passphrase_dialog = dialog
            try:
                while dialog.exec() == QDialog.DialogCode.Accepted:
                    try:
                        self._identity = self.identity_store.load(dialog.passphrase())
                        return self._identity
                    except IdentityError as exc:
                        if exc.kind != "wrong_passphrase":
                            raise
                        dialog.show_error(identity_error_text(exc))
                return None
            finally:
                self.passphrase_dialog = None
                dialog.deleteLater()
        except IdentityError as exc:
            self._identity_failed = True
            self.refresh_identity()
            self.connect_window.show_error(identity_error_text(exc))
            return None

    # ------------------------------------------------------------------ intents

    def _on_connect(self, name: str, organisation: str, relay_url: str, code: str) -> None:
        try:
            parse_code(code)  # here, so that what the worker reports is never a code typo
        except CodeError as exc:
            self.connect_window.show_error(code_error_text(exc))
            return
        identity = None
        info = self._usable_identity()
        if info is not None:
            identity = self._unlock(info)
            if identity is None:  # cancelled, or the key failed (the window says which)
                self.connect_window.set_busy(False)
                return
            # the certificate's name is the one the customer sees
            name, organisation = info.fields.technician, info.fields.organisation
        self.connect_window.set_busy(True)
        self.worker.connect_to(relay_url, name, organisation, code, identity,
                               self.connect_window.requested_permissions())

    def _open_session_window(self) -> SessionWindow:
        if self.session_window is None:
            win = SessionWindow()
            view = win.view
            view.pointer_moved.connect(
                lambda x, y: self.worker.send_input(m.PointerMove(_clamp(x), _clamp(y))))
            view.button_changed.connect(
                lambda b, pressed, x, y: self.worker.send_input(
                    m.PointerButton(b, pressed, _clamp(x), _clamp(y))))
            view.wheel_turned.connect(  # already in the wire's signs (RemoteView)
                lambda dx, dy, x, y: self.worker.send_input(
                    m.Wheel(dx, dy, _clamp(x), _clamp(y))))
            view.key_changed.connect(self._on_key)
            view.holding_changed.connect(self.worker.set_holding)
            win.show_tools.show_requested.connect(self.worker.send_show)
            win.end_requested.connect(self.worker.end_session)
            win.stream_settings_requested.connect(self.worker.set_stream_settings)
            win.monitor_requested.connect(self.worker.choose_monitor)
            win.special_keys_requested.connect(self._on_special)
            win.closed.connect(self._on_session_window_closed)
            win.enable_records(True)
            win.records_requested.connect(self.show_records)
            win.chat.send_requested.connect(self.worker.send_chat)
            win.ask_permissions_requested.connect(self.worker.ask_permissions)
            win.send_files_requested.connect(self.worker.send_files)
            win.cancel_transfer_requested.connect(self.worker.cancel_transfer)
            win.notes_changed.connect(self._on_notes)
            bridge = ClipboardBridge(parent=win)
            bridge.local_text.connect(self.worker.send_clipboard)
            bridge.local_refused.connect(lambda _problem: win.show_clipboard_refused())
            self.clipboard = bridge
            self.notes = ("", "")
            self.session_window = win
            win.resize(1100, 750)
            win.show()
        return self.session_window

    def _on_key(self, key: int, text: str, modifiers: int, scan: int, vk: int,
                pressed: bool) -> None:
        code, wire_text = key_to_wire(key, text, modifiers, scan, vk)
        self.worker.send_input(m.Key(code, wire_text, pressed))

    def _on_special(self, what: str) -> None:
        if what == "ctrl_alt_del":
            keys = ("ControlLeft", "AltLeft", "Delete")
            for k in keys:
                self.worker.send_input(m.Key(k, "", True))
            for k in reversed(keys):
                self.worker.send_input(m.Key(k, "", False))

    def _sync_clipboard(self) -> None:
        """The bridge works exactly while the customer allows the clipboard (and the session
        runs, not paused): otherwise it neither sends the technician's copies nor sets."""
        win, bridge = self.session_window, self.clipboard
        if win is None or bridge is None:
            return
        bridge.enabled = (win.state == "streaming" and "clipboard" in win.permissions
                          and not win.paused)

    def _on_clipboard_received(self, text: str) -> None:
        bridge, win = self.clipboard, self.session_window
        if bridge is None or win is None or not bridge.enabled:
            return  # revoked meanwhile: the text is not put anywhere
        bridge.set_remote_text(text)
        win.show_clipboard_received(len(text))

    def _on_transfer(self, update: object) -> None:
        if self.session_window is not None and isinstance(update, TransferUpdate):
            self.session_window.transfers.update_transfer(update)

    def _on_clipboard_sent(self, chars: int) -> None:
        if self.session_window is not None:
            self.session_window.show_clipboard_sent(chars)

    def _on_record_opened(self, key: str) -> None:
        self.record_key = key
        if self.notes != ("", ""):  # typed before the record existed
            self._save_notes()

    def _on_notes(self, customer: str, note: str) -> None:
        self.notes = (customer, note)
        self._save_notes()

    def _save_notes(self) -> None:
        if not self.record_key:
            return
        try:
            if self.notes_store is None:
                self.notes_store = HistoryStore()
            self.notes_store.set_notes(self.record_key, *self.notes)
        except Exception:  # the history is a convenience: a failure must not end a session
            log.exception("the session notes could not be saved")

    def _on_session_window_closed(self) -> None:
        if self.clipboard is not None:
            self.clipboard.close()
            self.clipboard = None
        self.session_window = None
        self.connect_window.set_busy(False)
        self.connect_window.show()
        self.connect_window.focus_code()

    # ------------------------------------------------------------------ worker events

    def _on_failed(self, kind: str) -> None:
        self.connect_window.show_error(failure_text(kind))
        self.connect_window.focus_code()

    def _on_verification(self, number: str) -> None:
        win = self._open_session_window()
        self.connect_window.hide()
        win.show_verification(number)

    def _on_consent(self, allowed: bool, permissions: frozenset[str]) -> None:
        if allowed and self.session_window is not None:
            # what was granted first, so the window says "view only" when it opens
            self.session_window.set_permissions(frozenset(permissions))
            self.session_window.show_streaming()
            self._sync_clipboard()

    def _on_permissions(self, permissions: frozenset[str]) -> None:
        if self.session_window is not None:
            self.session_window.set_permissions(frozenset(permissions))
            self._sync_clipboard()

    def _on_frame(self, width: int, height: int, patches: list, seq: int) -> None:
        if self.session_window is not None:
            self.session_window.view.apply_patches(width, height, patches)
        self.worker.frame_shown(seq)  # after the GUI took the frame: real backpressure

    def _on_cursor(self, x: int, y: int, visible: bool, shape: QImage | None, hot_x: int,
                   hot_y: int) -> None:
        if self.session_window is not None:
            self.session_window.view.set_remote_cursor(x, y, visible, shape, hot_x, hot_y)

    def _on_stats(self, fps: float, rtt_ms: float, bps: float) -> None:
        if self.session_window is not None:
            self.session_window.set_stats(fps, rtt_ms, bps)

    def _on_link_estimated(self, rate: int, rtt_ms: int, min_rtt_ms: int, queue_ms: int) -> None:
        if self.session_window is not None:
            self.session_window.set_link_estimate(rate, rtt_ms, min_rtt_ms, queue_ms)

    def _on_monitors_changed(self, monitors: object, shared: int) -> None:
        if self.session_window is not None:
            self.session_window.set_monitors(monitors, shared)

    def _on_link_changed(self, state: str, grace_left: float) -> None:
        if self.session_window is not None:
            self.session_window.set_link(state, grace_left)

    def _on_sharing_paused(self, paused: bool, reason: str) -> None:
        if self.session_window is not None:
            self.session_window.set_paused(paused, reason)
            self._sync_clipboard()

    def _on_system_notice(self, code: str) -> None:
        if self.session_window is not None:
            self.session_window.show_system_notice(code)

    def _on_chat(self, text: str, dropped_before: int) -> None:
        if self.session_window is not None:
            self.session_window.chat.add_received(text, dropped_before)

    def _on_chat_sent(self, text: str) -> None:
        if self.session_window is not None:
            self.session_window.chat.add_sent(text)

    def _on_chat_not_sent(self, text: str) -> None:
        if self.session_window is not None:
            self.session_window.chat.log.not_sent(text)

    def _on_chat_recorded(self, recorded: bool) -> None:
        if self.session_window is not None:
            self.session_window.chat.set_recorded(recorded)

    def _on_ended(self, reason: str, message: str) -> None:
        if reason == "unverified_technician":  # which check failed: the agent's own words
            text = refusal_text(message)
        else:
            text = ended_text(reason, message)
        if self.clipboard is not None:
            self.clipboard.close()
        if self.session_window is not None:
            self.session_window.show_ended(text)
        else:
            self.connect_window.show_error(text)


def main(argv: list[str] | None = None) -> int:
    """Run the console until the technician quits it."""

    def add_options(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--relay", default=None,
                            help="connection service (relay URL) to use, instead of the one "
                                 "remembered from the last connection")
        parser.add_argument("--settings",
                            help="settings file (INI) instead of the user's settings")
        parser.add_argument("--import-identity", nargs=2, metavar=("CERT", "KEY"), type=Path,
                            help="import your certificate (.fhcert) and key (.fhkey) from "
                                 "your administrator, then exit")
        parser.add_argument("--show-identity", action="store_true",
                            help="say who this console connects as (checks the key), then "
                                 "exit")

    def prepare(args: argparse.Namespace) -> Launch:
        if args.import_identity:
            raise SystemExit(import_identity(*args.import_identity))
        if args.show_identity:
            raise SystemExit(show_identity())
        return Launch(args.lang, lambda: ConsoleApp(settings=args.settings, relay=args.relay))

    return run_program(PROGRAM, argv, add_options, prepare)
