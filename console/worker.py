"""The console's Qt bridge: driver events become signals, GUI intents become driver calls.

Same shape as the agent's worker: a QObject whose signals feed the widgets, and one asyncio loop in
a daemon thread doing the I/O (the *network loop*: :class:`console.driver.ConsoleJoiner` and the
session driver: relay, session, pings, what the technician sends). Frames are decoded into a
:class:`Framebuffer` on a third thread (:class:`console.frame_decoder.FrameDecoder`), never on the
GUI thread nor on the network loop, so a hostile agent's worst frames cannot delay End or the
round-trip measurement. Back-pressure end to end: the decoder starts a frame only after the GUI
took the last one (``frame_shown``, which is also the agent's flow-control ack), and the network
loop stops reading from the relay while ``console.driver.MAX_FRAMES_PENDING`` frames wait (TCP
back-pressure towards the agent); the technician's End and input still go out at once.

What crosses to the GUI per frame is only the damage: ``QImage`` views of the damaged rectangles
of the decoder's framebuffer (or of their bounding box when that is about as big; no copy), which
the GUI paints from in place, at once (:meth:`RemoteView.apply_patches`); the decoder does
not touch the framebuffer again before that. The GUI applies all patches of one frame before it
returns to its event loop, so a paint never shows half a frame.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from console.driver import (
    ClipboardSent,
    ConsoleJoiner,
    Ended,
    JoinFailed,
    RecordOpened,
    Stats,
)
from console.frame_decoder import FrameDecoder
from desktop.loop_thread import LoopThread
from desktop.qt.chat_signals import ChatSignals
from desktop.session_driver import LinkChanged
from desktop.transfers import TransferUpdate
from shared import messages as m
from shared.errors import FernhilfeError
from shared.identity import TechnicianIdentity
from shared.link import DEFAULT_GRACE
from shared.session import (
    ClipboardReceived,
    ConsentAnswered,
    CursorReceived,
    InputMessage,
    KeysAgreed,
    LinkEstimated,
    MonitorsChanged,
    NoticeReceived,
    PermissionsChanged,
    SharingPausedChanged,
    ShowMessage,
)

log = logging.getLogger(__name__)

class ConsoleWorker(ChatSignals):
    """Relay + session + decoding for the technician's console, as Qt signals.

    The chat's signals come from :class:`~desktop.qt.chat_signals.ChatSignals`, shared with the
    other program.
    """

    #: could not start a session: a stable kind (console.driver.join_failure_kind), never the
    #: exception's or the relay's words (those are in the log)
    failed = Signal(str)
    verification = Signal(str)
    consent_answered = Signal(bool, object)
    permissions_changed = Signal(object)
    #: width, height, [(x, y, QImage patch)], seq: paint the patches (RemoteView.apply_patches)
    frame_ready = Signal(int, int, list, int)
    #: x, y, visible, new shape (QImage with straight alpha) or None = keep the last, hot x, y
    cursor_moved = Signal(int, int, bool, object, int, int)
    stats = Signal(float, float, float)  # fps, rtt ms, bytes/s
    #: the link the agent measured: bytes/s, rtt ms, min rtt ms, queue ms (issue 16)
    link_estimated = Signal(int, int, int, int)
    ended = Signal(str, str)  # reason, the peer's message (for the log only)
    #: the link to the customer: "live", "interrupted" (quiet), "reconnecting" or "restarting" (the
    #: relay restarts; LinkChanged.shown); seconds until the session ends if it stays so
    link_changed = Signal(str, float)
    #: the customer's sharing paused (True) or goes on; reason "timeout" or "customer"
    sharing_paused_changed = Signal(bool, str)
    #: what the customer's OS blocks now, or no longer (a code of messages.NOTICE_CODES)
    notice_received = Signal(str)
    #: the customer's monitors (tuple[Monitor]) and the shared one (0 = all)
    monitors_changed = Signal(object, int)
    #: text from the customer's clipboard (only while the customer allows the clipboard)
    clipboard_received = Signal(str)
    #: the technician's copied text went to the customer (its number of characters)
    clipboard_sent = Signal(int)
    #: this session's record file name (the session history's key for the notes)
    record_opened = Signal(str)
    #: one transfer's latest state (desktop.transfers.TransferUpdate), at most ~10/s each
    transfer_updated = Signal(object)

    def __init__(self, parent: QObject | None = None, *, grace: float = DEFAULT_GRACE) -> None:
        """``grace``: seconds a session survives a silent link (console setting)."""
        super().__init__(parent)
        self._io = LoopThread("console-net")
        self._decoder: FrameDecoder | None = None
        self.joiner = ConsoleJoiner(self._on_event, self._io.loop, self._new_decoder,
                                    grace=grace)
        self._io.start()

    # ---------------------------------------------------------------- GUI-thread API

    def connect_to(self, relay_url: str, name: str, organisation: str, code_text: str,
                   identity: TechnicianIdentity | None = None,
                   requested: frozenset[str] | None = None) -> None:
        """Join the customer's session; ``identity`` proves who connects (None: unverified);
        ``requested``: what to ask the customer for (None: the screen and control)."""
        self._io.call(self.joiner.begin, relay_url, name, organisation, code_text, identity,
                      requested)

    def send_input(self, msg: InputMessage) -> None:
        self._io.call(self.joiner.send_input, msg)

    def send_show(self, msg: ShowMessage) -> None:
        """The laser pointer or a stroke (console.ui.show_tools): shown, never input."""
        self._io.call(self.joiner.send_show, msg)

    def frame_shown(self, seq: int) -> None:
        decoder = self._decoder
        if decoder is not None:
            decoder.shown(seq)  # the next frame may be decoded at once, not after a loop hop
        self._io.call(self.joiner.ack, seq)

    def set_holding(self, held: bool) -> None:
        """The technician holds a key or button (RemoteView): ping more often meanwhile, so
        the customer's input watchdog never releases it during a healthy session."""
        self._io.call(self.joiner.set_holding, held)

    def end_session(self) -> None:
        self._io.call(self.joiner.end, "technician_ended")

    def send_chat(self, text: str) -> None:
        """Send a chat line (the chat panel checked it with ``chat_problem`` first)."""
        self._io.call(self.joiner.send_chat, text)

    def choose_monitor(self, index: int) -> None:
        """Ask the customer to share monitor ``index`` (1..n, 0 = all monitors)."""
        self._io.call(self.joiner.choose_monitor, index)

    def send_clipboard(self, text: str) -> None:
        """Text the technician copied (the bridge emits it only while the clipboard is
        allowed; the session checks again)."""
        self._io.call(self.joiner.send_clipboard, text)

    def ask_permissions(self, permissions: frozenset[str]) -> None:
        """"Ask for more…": ask the customer for these permissions now."""
        self._io.call(self.joiner.ask_permissions, frozenset(permissions))

    def send_files(self, paths: list[str]) -> None:
        """Send these files to the customer ("Send file…" or dropped on the screen)."""
        self._io.call(self.joiner.send_files, list(paths))

    def cancel_transfer(self, direction: str, file_id: int) -> None:
        self._io.call(self.joiner.cancel_transfer, direction, file_id)

    def set_stream_settings(self, quality: int, max_bytes_per_s: int) -> None:
        """Picture quality 1..100 or 0 = lossless only; bandwidth cap in bytes/s, 0 = none."""
        self._io.call(self.joiner.set_stream_settings, quality, max_bytes_per_s)

    def stop(self, timeout: float = 5.0) -> None:
        """End any session (telling the customer) and stop the thread. Safe to call twice."""
        self._io.stop(self.joiner.shutdown, timeout)

    # ---------------------------------------------------------------- loop thread

    def _new_decoder(self, failed: Callable[[FernhilfeError], None]) -> FrameDecoder:
        """A decode thread for one session: patches go straight to the GUI as a signal."""
        self._decoder = FrameDecoder(self.frame_ready.emit, failed)
        return self._decoder

    def _on_event(self, ev: object) -> None:
        """One driver event (loop thread) -> one queued signal."""
        if self.emit_chat(ev):
            return
        if isinstance(ev, CursorReceived):
            self._on_cursor(ev.update)
        elif isinstance(ev, Stats):
            self.stats.emit(ev.fps, ev.rtt_ms, ev.bytes_per_s)
        elif isinstance(ev, LinkEstimated):
            self.link_estimated.emit(ev.rate_bytes_per_s, ev.rtt_ms, ev.min_rtt_ms, ev.queue_ms)
        elif isinstance(ev, KeysAgreed):
            self.verification.emit(ev.verification)
        elif isinstance(ev, ConsentAnswered):
            self.consent_answered.emit(ev.allowed, ev.permissions)
        elif isinstance(ev, PermissionsChanged):
            self.permissions_changed.emit(ev.permissions)
        elif isinstance(ev, Ended):
            self.ended.emit(ev.reason, ev.message)
        elif isinstance(ev, JoinFailed):
            self.failed.emit(ev.kind)
        elif isinstance(ev, LinkChanged):
            self.link_changed.emit(ev.shown, ev.grace_left)
        elif isinstance(ev, SharingPausedChanged):
            self.sharing_paused_changed.emit(ev.paused, ev.reason)
        elif isinstance(ev, NoticeReceived):
            self.notice_received.emit(ev.code)
        elif isinstance(ev, MonitorsChanged):
            self.monitors_changed.emit(ev.monitors, ev.shared)
        elif isinstance(ev, ClipboardReceived):
            self.clipboard_received.emit(ev.text)
        elif isinstance(ev, ClipboardSent):
            self.clipboard_sent.emit(ev.chars)
        elif isinstance(ev, RecordOpened):
            self.record_opened.emit(ev.key)
        elif isinstance(ev, TransferUpdate):
            self.transfer_updated.emit(ev)

    def _on_cursor(self, update: m.CursorUpdate) -> None:
        shape = update.shape
        if shape is None:
            self.cursor_moved.emit(update.x, update.y, update.visible, None, 0, 0)
            return
        image = QImage(shape.rgba, shape.width, shape.height, shape.width * 4,
                       QImage.Format.Format_RGBA8888).copy()
        self.cursor_moved.emit(update.x, update.y, update.visible, image, shape.hot_x,
                               shape.hot_y)
