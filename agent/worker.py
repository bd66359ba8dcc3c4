"""The agent's Qt bridge: driver events become signals, GUI intents become driver calls.

``AgentWorker`` is a QObject living in the GUI thread whose *signals* tell the widgets what to
show. The work itself is :class:`agent.driver.AgentHost` on one asyncio loop in a daemon thread
(:class:`desktop.loop_thread.LoopThread`); its events arrive on that thread and leave as queued
signals. The GUI calls the worker's public methods (``decide``, ``set_control``,
``end_session``, ``request_new_code``), which only schedule work on that loop. All session
policy is in :class:`shared.session.AgentSession`, run by the shared session driver.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from agent.annotations import ClearStrokes, LaserAt, StrokePoints
from agent.config import AgentConfig
from agent.driver import (
    AgentHost,
    AgentSessionDriver,
    AttemptFailed,
    CodeExpired,
    CodeReady,
    CodeUsed,
    Connecting,
    Failed,
    RelayTrouble,
    SessionOver,
    SessionStarted,
    TechnicianRefused,
)
from agent.input import InputInjector, InputThread, InputUnavailable, create_injector
from agent.monitors import MonitorsShared
from agent.platform.elevation import RESTART_REASON
from agent.platform.windows import SasOutcome
from agent.still_sharing import TECHNICIAN_QUIET, ShareCheckAsked
from desktop.loop_thread import LoopThread
from desktop.qt.chat_signals import ChatSignals
from desktop.session_driver import LinkChanged
from desktop.transfers import TransferUpdate
from shared.guess_budget import GuessBudget
from shared.session import (
    ClipboardReceived,
    ConsentRequested,
    PermissionsChanged,
    PermissionsRequested,
    SharingPausedChanged,
)
from shared.share_check import CheckState

log = logging.getLogger(__name__)


class AgentWorker(ChatSignals):
    """Relay + session + streaming for the customer's agent, as Qt signals.

    The chat's signals come from :class:`~desktop.qt.chat_signals.ChatSignals`, shared with the
    other program.
    """

    connecting = Signal()
    relay_unreachable = Signal(str, float)  # kind (RelayError.kind), retry in seconds
    code_ready = Signal(str, float)  # "NNN NNN NNN", valid for seconds
    code_used = Signal()  # someone joined the code: it is spent, no longer show it
    #: a join did not become a session: end reason, fresh code comes by itself, warn, failures
    attempt_failed = Signal(str, bool, bool, int)
    code_expired = Signal()
    failed = Signal(str)  # kind: "audit_unavailable" or "error"; the customer may try again
    #: name, organisation (both as typed), verification, perms, identity (shared.identity's
    #: Verification: the agent's check of the technician's certificate)
    consent_requested = Signal(str, str, str, object, object)
    #: refused before any consent dialog (the branding requires verified technicians): verdict
    technician_refused = Signal(str)
    session_started = Signal(str, object)  # technician name, granted permissions
    permissions_changed = Signal(object)  # frozenset[str]
    #: the technician asks for more during the session (frozenset[str]: only what is not
    #: granted now); the panel asks the customer (issue 17)
    permissions_requested = Signal(object)
    #: clipboard text from the technician (only while the customer allows the clipboard): the
    #: app puts it on the clipboard through its ClipboardBridge, never shows or runs it
    clipboard_received = Signal(str)
    #: one file transfer's state (desktop.transfers.TransferUpdate) for the files list
    transfer_update = Signal(object)
    session_ended = Signal(str, str)  # reason, human message
    #: the link to the technician: "live", "interrupted" (quiet), "reconnecting" or
    #: "restarting" (the relay restarts; LinkChanged.shown); seconds until the session ends
    link_changed = Signal(str, float)
    #: "still sharing?": ask the customer now, seconds to answer before sharing pauses
    share_check_asked = Signal(float)
    #: screen and control paused (True) or going on; reason "timeout" or "customer"
    sharing_paused_changed = Signal(bool, str)
    #: the technician's laser pointer or strokes (agent.annotations.Show, GLOBAL coordinates):
    #: drawn by the overlay's annotation layer, never input
    show_received = Signal(object)
    #: the customer's monitors (tuple[Monitor], virtual-desktop pixels) and the shared one
    #: (0 = all): when sharing starts, on each switch and each hot-plug
    monitors_changed = Signal(object, int)
    #: Windows: what became of the technician's Ctrl+Alt+Del (agent.platform.windows.SasOutcome
    #: value: "sent", "not_allowed", "failed")
    sas_outcome = Signal(str)

    def __init__(self, config: AgentConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._io = LoopThread("agent-net", on_start=self._on_loop_start)
        self.host = AgentHost(config, self._on_event, self._io.loop)
        self._main_task: asyncio.Task[None] | None = None

    @property
    def budget(self) -> GuessBudget:
        return self.host.budget

    @property
    def active(self) -> AgentSessionDriver | None:
        """The session running now (tests and benchmarks look at it)."""
        return self.host.active

    @property
    def input(self) -> InputThread | None:
        """The input thread, None where remote control is unavailable."""
        return self.host.input

    # ---------------------------------------------------------------- GUI-thread API

    def start(self) -> None:
        self._io.start()

    def stop(self, timeout: float = 5.0) -> None:
        """End any session (releasing held input) and stop the thread. Safe to call twice."""
        self._io.stop(lambda: self.host.shutdown(self._main_task), timeout)

    def request_new_code(self) -> None:
        self._call(self.host.new_code)

    def decide(self, allowed: bool, permissions: frozenset[str], timed_out: bool = False,
               *, hold_view: bool = False, hold_control: bool = False) -> None:
        """The customer's answer. ``hold_view``/``hold_control``: the OS does not allow
        recording the screen / posting input yet (macOS): in the same step on the loop, before
        any frame can be grabbed or any input arrive, the session pauses / control is held
        back (:mod:`agent.platform.readiness`)."""
        self._call(self._decide_on_loop, allowed, frozenset(permissions), timed_out, hold_view,
                   hold_control)

    def hold_sharing(self, held: bool) -> None:
        """Pause the picture while the OS does not let us record the screen (the technician
        is told the session is paused, the same message as the customer's pause), or go on
        once it does. Going on never overrides an unanswered "still sharing?": that pause
        stays until the customer's Resume."""
        self._call(self._hold_on_loop, held)

    def hold_control(self, held: bool) -> None:
        """Hold control back while the OS does not let us post input (macOS Accessibility):
        the technician sees control switched off, nothing is posted into nothing; or grant it
        again once the OS allows it (the customer allowed it in the consent dialog)."""
        self._call(self._hold_control_on_loop, held)

    def send_notice(self, code: str) -> None:
        """Tell the technician what the customer's OS blocks now, or no longer blocks
        (``messages.NOTICE_CODES``, e.g. ``foreground_elevated`` / ``foreground_ok``): the
        record keeps ``system_notice {code}``. Nothing outside a session."""
        self._call(self._notice_on_loop, code)

    def set_control(self, enabled: bool) -> None:
        self._call(self.host.set_control, enabled)

    def set_permission(self, name: str, granted: bool) -> None:
        """The customer grants or revokes an optional permission (clipboard, files_in,
        files_out) or control, for the rest of the session."""
        self._call(self.host.set_permission, name, granted)

    def end_session(self) -> None:
        self._call(self.host.end, "customer_ended")

    def end_for_restart(self) -> None:
        """The customer restarts Fernhilfe with administrator rights (Windows): the session
        ends with a reason the technician reads, and the record has it."""
        self._call(self.host.end, RESTART_REASON)

    def confirm_sharing(self) -> None:
        """The customer answered "still sharing?" with Continue."""
        self._call(self.host.confirm_sharing)

    def resume_sharing(self) -> None:
        """The customer clicked Resume: screen (and control, if granted) go on."""
        self._call(self.host.resume_sharing)

    def send_chat(self, text: str) -> None:
        """Send a chat line (the chat area checked it with ``chat_problem`` first)."""
        self._call(self.host.send_chat, text)

    def send_clipboard(self, text: str) -> None:
        """The customer copied text (the bridge emits only while the clipboard is allowed)."""
        self._call(self.host.send_clipboard, text)

    def send_file(self, path: str) -> None:
        """A file the customer picked herself ("Send a file to your technician…")."""
        self._call(self.host.send_file, path)

    def cancel_file(self, direction: str, transfer_id: int) -> None:
        self._call(self.host.cancel_file, direction, transfer_id)

    def set_chat_recording(self, recorded: bool) -> None:
        self._call(self.host.set_chat_recording, recorded)

    def release_input(self) -> None:
        """Let go of every key and button the technician holds (control stays as it is)."""
        self._call(self.host.release_input)

    def technician_input_recent(self) -> bool:
        """True if the technician's input was applied here within TECHNICIAN_QUIET seconds
        (a "still sharing?" answer then may be theirs, not the customer's)."""
        return time.monotonic() - self.host.last_input_at < TECHNICIAN_QUIET

    def technician_holds_button(self) -> bool:
        """True while a technician's mouse button is down here (the panel asks, see overlay)."""
        thread = self.host.input
        return thread is not None and thread.holds_buttons

    def _call(self, fn: Callable[..., object], *args: object) -> None:
        self._io.call(fn, *args)

    # ---------------------------------------------------------------- loop thread

    def _on_loop_start(self) -> None:
        self._main_task = self._io.loop.create_task(self._run())

    async def _run(self) -> None:
        """Open the input backend off the network loop (an X connection), then run the host."""
        factory: Callable[[], InputInjector] = create_injector
        if sys.platform == "win32":  # Ctrl+Alt+Del through SendSAS (agent.platform.windows)
            from agent.platform.windows_input import create_windows_injector

            def factory() -> InputInjector:
                return create_windows_injector(on_sas=self._on_sas)
        try:
            injector = await self._io.loop.run_in_executor(self.host.desktop, factory)
        except InputUnavailable as exc:
            log.warning("remote control unavailable: %s", exc)
        else:
            self.host.attach_input(InputThread(injector))
        await self.host.run()

    def _on_sas(self, outcome: SasOutcome) -> None:
        """Ctrl+Alt+Del was answered (input thread): the customer's window hears it, and the
        session record has it."""
        self.sas_outcome.emit(outcome.value)

        def record() -> None:
            if self.host.active is not None:
                self.host.active.audit("ctrl_alt_del", outcome=outcome.value)
                if outcome.value != "sent":  # the technician hears it too (issue 18)
                    self._notice_on_loop("ctrl_alt_del_refused")
        self._call(record)

    def _decide_on_loop(self, allowed: bool, permissions: frozenset[str], timed_out: bool,
                        hold_view: bool, hold_control: bool) -> None:
        self.host.decide(allowed, permissions, timed_out)
        if not allowed:
            return
        if hold_view and "view" in permissions:
            self._hold_on_loop(True)
        if hold_control and "control" in permissions:
            self._hold_control_on_loop(True)

    def _notice_on_loop(self, code: str) -> None:
        active = self.host.active
        if active is None or active.closed or active.session.ended:
            return
        step = active.session.send_notice(code)
        if step.outgoing and active.audit("system_notice", code=code):
            active.handle(step)

    def _hold_on_loop(self, held: bool) -> None:
        active = self.host.active
        if active is None or active.closed or active.session.ended:
            return
        # First the why, then the pause: the technician never reads "paused by the customer"
        # while it is macOS that holds the picture back.
        self._notice_on_loop("screen_recording_missing" if held else "screen_recording_ok")
        check = active.still_sharing.check
        if not held and check is not None and check.state is CheckState.PAUSED:
            return  # "still sharing?" went unanswered meanwhile: only Resume goes on
        if active.audit("os_permission", permission="screen_recording", allowed=not held):
            active.handle(active.session.set_paused(held, "customer"))

    def _hold_control_on_loop(self, held: bool) -> None:
        active = self.host.active
        if active is None or active.closed or active.session.ended:
            return
        self._notice_on_loop("accessibility_missing" if held else "accessibility_ok")
        if active.audit("os_permission", permission="accessibility", allowed=not held):
            active.set_control(not held)

    def _on_event(self, ev: object) -> None:
        """One driver event (loop thread) -> one queued signal."""
        if self.emit_chat(ev):
            return
        if isinstance(ev, Connecting):
            self.connecting.emit()
        elif isinstance(ev, RelayTrouble):
            self.relay_unreachable.emit(ev.kind, ev.retry_in)
        elif isinstance(ev, CodeReady):
            self.code_ready.emit(ev.code, ev.valid_for)
        elif isinstance(ev, CodeUsed):
            self.code_used.emit()
        elif isinstance(ev, AttemptFailed):
            self.attempt_failed.emit(ev.reason, ev.automatic, ev.warn, ev.failures)
        elif isinstance(ev, CodeExpired):
            self.code_expired.emit()
        elif isinstance(ev, Failed):
            self.failed.emit(ev.kind)
        elif isinstance(ev, ConsentRequested):
            self.consent_requested.emit(ev.name, ev.organisation, ev.verification,
                                        ev.permissions, ev.identity)
        elif isinstance(ev, TechnicianRefused):
            self.technician_refused.emit(ev.verdict)
        elif isinstance(ev, SessionStarted):
            self.session_started.emit(ev.technician, ev.permissions)
        elif isinstance(ev, PermissionsChanged):
            self.permissions_changed.emit(ev.permissions)
        elif isinstance(ev, PermissionsRequested):
            self.permissions_requested.emit(ev.permissions)
        elif isinstance(ev, ClipboardReceived):
            self.clipboard_received.emit(ev.text)
        elif isinstance(ev, TransferUpdate):
            self.transfer_update.emit(ev)
        elif isinstance(ev, SessionOver):
            self.session_ended.emit(ev.reason, ev.message)
        elif isinstance(ev, LinkChanged):
            self.link_changed.emit(ev.shown, ev.grace_left)
        elif isinstance(ev, ShareCheckAsked):
            self.share_check_asked.emit(ev.seconds)
        elif isinstance(ev, SharingPausedChanged):
            self.sharing_paused_changed.emit(ev.paused, ev.reason)
        elif isinstance(ev, LaserAt | StrokePoints | ClearStrokes):
            self.show_received.emit(ev)
        elif isinstance(ev, MonitorsShared):
            self.monitors_changed.emit(ev.monitors, ev.shared)
