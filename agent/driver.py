"""The customer's side of the work, without Qt: codes, consent, screen streaming, input.

:class:`AgentHost` is the agent's life on its network loop: recover after a crash, get a code
from the relay (retrying with growing pauses while the relay fails), wait for the technician to
join, run the session, and spend the guess budget on joins that never became a session.
:class:`AgentSessionDriver` is one session: the shared :class:`SessionDriver` plus what only the
customer's side does. Everything the customer should see goes to a *sink* as one of the events
below; :class:`agent.worker.AgentWorker` turns them into Qt signals.

Nothing blocking runs on the network loop: screen geometry runs on the ``agent-desktop`` thread,
cursor polling on :class:`agent.cursor.CursorWatcher`'s, input injection on
:class:`agent.input.InputThread`'s, capture and encoding on the streamer's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from agent.annotations import globalise
from agent.capture import CaptureError
from agent.config import AgentConfig, ConfigError, revocation_url_template
from agent.cursor import CursorWatcher
from agent.input import InputThread, release_stuck_input
from agent.monitors import (
    POLL_INTERVAL,
    MonitorsShared,
    Screens,
    read_screens,
    read_screens_or_none,
)
from agent.pipeline import ScreenStreamer
from agent.revocations import FETCH_TIMEOUT, fetch_lists, keep_newest
from agent.still_sharing import ShareCheckFactory, StillSharing
from desktop.chat import CUSTOMER, TECHNICIAN, chat_received, send_chat
from desktop.relay_client import (
    RelayConnection,
    RelayError,
    RelayRejected,
)
from desktop.session_driver import (
    AuditRecord,
    AuditWriteError,
    SessionDriver,
    Sink,
    check_record_folder,
    default_audit_dir,
    open_record,
    recover_crashed_records,
)
from desktop.transfers import FileSink, FileSource, TransferPump, default_download_dir
from shared import messages as m
from shared import rendezvous as rv
from shared.codec.frame import EncodedFrame
from shared.codes import SessionCode, new_secret
from shared.errors import FernhilfeError
from shared.guess_budget import GuessBudget
from shared.identity import TrustedOrganisation, TrustPolicy
from shared.link import RELEASE_AFTER
from shared.session import (
    PEER_SILENCE_TIMEOUT,
    AgentSession,
    ChatReceived,
    ChatRecordingChanged,
    ClipboardReceived,
    ClipboardRefused,
    ConsentRequested,
    FrameAcked,
    InputReceived,
    KeysAgreed,
    MonitorChosen,
    PermissionsChanged,
    PermissionsRequested,
    SessionEnded,
    SharingPausedChanged,
    ShowReceived,
    StreamSettingsChanged,
    WrongCodeEntered,
)
from shared.share_check import ShareCheck

log = logging.getLogger(__name__)

#: Closest spacing (seconds) of two LinkEstimate messages to the console (issue 16).
LINK_ESTIMATE_INTERVAL = 1.0
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 15.0)
#: Directions of clipboard text and files, as the wire and the record name them (api17.md).
TO_CUSTOMER = "to_customer"
TO_TECHNICIAN = "to_technician"
AUDIT_FAILED_MESSAGE = ("The customer's computer cannot save the session record, so the "
                        "session was ended.")


# ---------------------------------------------------------------------- events for the window


@dataclass(frozen=True)
class Connecting:
    """Asking the relay for a code."""


@dataclass(frozen=True)
class RelayTrouble:
    """The relay cannot be used now (``kind``: ``RelayError.kind``); retry later."""

    kind: str
    retry_in: float


@dataclass(frozen=True)
class CodeReady:
    """Show this code ("NNN NNN NNN"), valid for ``valid_for`` seconds."""

    code: str
    valid_for: float


@dataclass(frozen=True)
class CodeUsed:
    """Someone joined the code: it is spent, no longer show it."""


@dataclass(frozen=True)
class AttemptFailed:
    """A join did not become a session (see :class:`GuessBudget`)."""

    reason: str
    automatic: bool  # a fresh code comes by itself
    warn: bool
    failures: int


@dataclass(frozen=True)
class CodeExpired:
    """The code ran out before anyone joined."""


@dataclass(frozen=True)
class Failed:
    """No code can be had now: ``"audit_unavailable"`` or ``"error"``; the customer may retry."""

    kind: str


@dataclass(frozen=True)
class SessionStarted:
    """The customer allowed; the screen is shared."""

    technician: str
    permissions: frozenset[str]


@dataclass(frozen=True)
class TechnicianRefused:
    """The branding requires verified technicians and this one was not (``verdict``: a
    :class:`shared.identity.Verdict` value): refused before any consent dialog, nothing shared;
    a new code only on the customer's click."""

    verdict: str


@dataclass(frozen=True)
class SessionOver:
    """A session with agreed keys ended (``reason`` as the window words it)."""

    reason: str
    message: str


# ConsentRequested and PermissionsChanged of shared.session go to the sink as they are.


# ---------------------------------------------------------------------- one session


class AgentSessionDriver(SessionDriver[AgentSession]):
    """One session on the customer's side: consent, streaming, cursor, input, the record."""

    peer_label = "the technician's side"
    error_message = "The customer's program hit an error."
    backlog_message = "The technician's program does not read what it is sent."
    audit_failed_message = AUDIT_FAILED_MESSAGE
    #: The input watchdog: held keys and buttons go up after this much console silence.
    link_release_after = RELEASE_AFTER

    def __init__(self, session: AgentSession, record: AuditRecord | None, sink: Sink,
                 loop: asyncio.AbstractEventLoop, *, host: AgentHost) -> None:
        super().__init__(session, record, sink, loop)
        self._host = host
        self.link_grace = host.grace_period
        self._deadline = loop.time() + PEER_SILENCE_TIMEOUT
        self.streamer: ScreenStreamer | None = None
        self.origin: tuple[int, int] = (0, 0)
        self._sharing = False  # view granted once: streaming started or starting
        self._stream_settings: tuple[int, int] | None = None  # until the streamer runs
        self._cursor: CursorWatcher | None = None
        #: "still sharing?" (issue 15): asks after the branding's interval, pauses unanswered
        self.still_sharing = StillSharing(self, host.share_check)
        #: the monitors as last read, and the one shared (0 = all; see agent.monitors)
        self.screens: Screens | None = None
        self.shared_monitor = 0
        self._switching = asyncio.Lock()  # one switch (or hot-plug follow-up) at a time
        self._wanted: int | None = None  # the technician's latest choice not yet followed
        #: every streamer numbers its frames from 1: the wire's seq goes on from the last one
        #: sent before a switch (``_seq_base``), so acks of the old picture free nothing new
        self._seq_base = 0
        self._wire_seq = 0
        self._estimate_at = -float("inf")  # loop time the last LinkEstimate went out
        # Files (issue 17): the session refuses offers over the branding's cap before a byte
        # is written; the pump does the disk side off the loop. Received files go to
        # Downloads/Fernhilfe, made only when the first file arrives; nothing is ever opened.
        session.max_file_size = host.max_file_size
        self.transfers = TransferPump(session, self.handle, self.sink, loop,
                                      folder=host.download_dir, source=FileSource(),
                                      file_sink=FileSink(), audit=self.audit)

    # --- hooks of the shared driver

    def silence_wait(self) -> float | None:
        """Until keys and introductions are done, all within PEER_SILENCE_TIMEOUT of pairing."""
        if not self.session.waiting_for_peer:
            return None
        return self._deadline - self.loop.time()

    def holds_input(self) -> bool:
        return self._host.input is not None and self._host.input.holds_input

    def release_held(self) -> None:
        """The input watchdog: the console went silent while something was held."""
        if self._host.input is None:
            return
        loop = self.loop

        def released(keys: list[str], buttons: list[str]) -> None:  # input thread
            if keys or buttons:
                with contextlib.suppress(RuntimeError):  # loop closed: the agent is exiting
                    loop.call_soon_threadsafe(self._record_release, keys, buttons)

        self._host.input.release_all(on_released=released)

    def _record_release(self, keys: list[str], buttons: list[str]) -> None:
        if not self.closed and not self.session.ended:
            self.audit("input_released", reason="link_silent", keys=keys, buttons=buttons)

    def on_event(self, ev: object) -> None:
        if self.transfers.on_event(ev):
            return  # a file event: the pump wrote, read, recorded and told the window
        if isinstance(ev, InputReceived):
            self._apply_input(ev.message)
        elif isinstance(ev, StreamSettingsChanged):
            self._apply_stream_settings(ev)
        elif isinstance(ev, FrameAcked):
            if self.streamer is not None and ev.seq > self._seq_base:  # else: the old picture
                try:
                    self.streamer.ack(ev.seq - self._seq_base)
                except FernhilfeError as exc:
                    self.abort("protocol_error", str(exc))
        elif isinstance(ev, KeysAgreed):
            if self.audit("keys_agreed", verification=ev.verification):
                self.mark_running()
        elif isinstance(ev, ConsentRequested):
            if self.audit("consent_requested", technician=ev.name,
                          organisation=ev.organisation, verification=ev.verification,
                          requested=sorted(ev.permissions), identity=ev.identity.audit()):
                self.sink(ev)
        elif isinstance(ev, PermissionsChanged):
            self._on_permissions(ev.permissions)
        elif isinstance(ev, PermissionsRequested):
            # The technician asks for more: recorded, then the panel asks the customer.
            if self.audit("permissions_requested", permissions=sorted(ev.permissions)):
                self.sink(ev)
        elif isinstance(ev, ClipboardReceived):
            # Counts only, never the text (api17.md section 6).
            if self.audit("clipboard", direction=TO_CUSTOMER, chars=len(ev.text)):
                self.sink(ev)
        elif isinstance(ev, WrongCodeEntered):
            self.audit("wrong_code")
        elif isinstance(ev, SharingPausedChanged):
            self.still_sharing.paused_changed(ev)
        elif isinstance(ev, ShowReceived):
            # Pointer and strokes: a picture on the overlay, never input (the input thread
            # never sees them); the window gets them in global desktop coordinates.
            self.sink(globalise(ev.message, self.origin))
        elif isinstance(ev, ChatReceived):
            chat_received(self, ev, TECHNICIAN)
        elif isinstance(ev, MonitorChosen):
            self._on_monitor_chosen(ev.index)

    def on_ended(self, ev: SessionEnded) -> None:
        self._host.release_input()
        self.still_sharing.stop()
        s = self.session
        # A refused technician never reached consent_requested: the end says whom we checked.
        refused = ({"identity": {**s.identity.audit(), "refused": True}}
                   if ev.reason == "unverified_technician" and s.identity is not None else {})
        logged = self.audit("session_ended", reason=ev.reason, by_peer=ev.by_peer,
                            message=ev.message, inputs_applied=dict(s.applied_inputs),
                            inputs_dropped=dict(s.dropped_inputs), shown=dict(s.shown),
                            **refused)
        if logged:
            self.mark_finished()
        if s.verification:
            # A record that could not be written is what the customer must hear about.
            reason = ev.reason if logged else "audit_failed"
            if ev.by_peer and ev.reason == "audit_failed":
                reason = "peer_audit_failed"  # the technician's records folder, not ours
            if reason == "unverified_technician" and not ev.by_peer and s.identity is not None:
                self._host.offer(TechnicianRefused(s.identity.verdict.value))
            else:
                self._host.offer(SessionOver(reason, ev.message))
        # Without keys the join was a failed attempt: AgentHost tells the customer.

    def link_interrupted(self, kind: str) -> None:
        """The link dropped: nothing the technician holds may stay pressed meanwhile (the
        watchdog released and recorded it already; this also covers a press that raced it)."""
        self._host.release_input()

    def link_resumed(self, n: int) -> None:
        """Back on a new link: credits reset, the whole picture again; and what the console may
        have missed meanwhile said again (permissions, chat opt-in, pause, monitors)."""
        self.handle(self.session.restate())
        if self.streamer is not None:
            self.streamer.resync()

    async def stopped(self) -> None:
        self.transfers.close()  # open transfers end; their partial files stay for a resume
        self._host.release_input()
        self.still_sharing.stop()
        if self._cursor is not None:
            self._cursor.stop()
        if self.streamer is not None:
            await self.loop.run_in_executor(None, self.streamer.stop)
        self.mark_finished()

    # --- the customer's intents

    def decide(self, allowed: bool, permissions: frozenset[str], timed_out: bool) -> None:
        if not self.audit("consent_decided", allowed=allowed,
                          permissions=sorted(permissions), timed_out=timed_out):
            return  # the session has ended: nothing is shared
        reason = "timeout" if timed_out else "denied"
        self.handle(self.session.decide(allowed, permissions, reason=reason))

    def set_control(self, enabled: bool) -> None:
        self.handle(self.session.set_control(enabled))

    def set_permission(self, name: str, granted: bool) -> None:
        """The customer's switch, panel or answer to a later request (the session accepts only
        what the technician asked for; the change is recorded by ``_on_permissions``)."""
        self.handle(self.session.set_permission(name, granted))

    def release_input(self) -> None:
        """Let go of every key and button the technician holds (e.g. sharing paused)."""
        self._host.release_input()

    def send_chat(self, text: str) -> None:
        send_chat(self, text, CUSTOMER)

    def send_file(self, path: str) -> None:
        """A file the customer picked herself in the file dialog (the pump hashes it off the
        loop; the session offers it only while files_out is granted)."""
        self.transfers.send_file(Path(path))

    def cancel_file(self, direction: str, transfer_id: int) -> None:
        self.transfers.cancel(direction, transfer_id)

    def send_clipboard(self, text: str) -> None:
        """The customer copied ``text``: to the technician only while the session allows it
        (the session checks the permission and the pause; nothing while the link is re-made:
        a later copy goes, an old one is not worth a queue). Recorded as a count, never the
        text."""
        if self.link_down:
            return
        try:
            step = self.session.send_clipboard(text)
        except ClipboardRefused as exc:  # the bridge checks the cap first: a bug, not fatal
            log.error("clipboard text refused (%s): not sent", exc.problem)
            return
        if step.outgoing and self.audit("clipboard", direction=TO_TECHNICIAN,
                                        chars=len(text)):
            self.handle(step)

    def set_chat_recording(self, recorded: bool) -> None:
        """The customer's opt-in: recorded on both sides from now on (the change itself is
        in the record either way, before the first line it covers)."""
        step = self.session.set_chat_recording(recorded)
        if step.outgoing and self.audit("chat_recording", recorded=recorded):
            self.handle(step)
            self.sink(ChatRecordingChanged(recorded))

    # --- permissions, streaming, cursor, input

    def _on_permissions(self, perms: frozenset[str]) -> None:
        first = not self._sharing
        if not self.audit("session_started" if first else "permissions_changed",
                          permissions=sorted(perms)):
            return  # no session without a record: ended before anything was shared
        if "control" not in perms:
            self._host.release_input()
        if first and "view" in perms:
            self._sharing = True
            self.still_sharing.start()
            self.spawn(self._share_screen())
            peer = self.session.peer
            self.sink(SessionStarted(peer.name if peer else "", perms))
        self.sink(PermissionsChanged(perms))

    async def _share_screen(self) -> None:
        """Find the monitors (desktop thread), share the default one, watch for hot-plug."""
        try:
            screens = await self.loop.run_in_executor(self._host.desktop, read_screens)
            index = screens.default()
        except CaptureError as exc:
            self._streaming_failed(exc)
            return
        if self.closed or self.session.ended:
            return
        async with self._switching:
            self.screens = screens
            self._share(index)
        self.spawn(self._watch_monitors())

    def _share(self, index: int) -> None:
        """Stream monitor ``index`` of :attr:`screens` (0 = all), watch the cursor there, and
        tell the record, the technician and the customer's panel which one it is."""
        screens = self.screens
        assert screens is not None
        self.shared_monitor = index
        self.origin = origin = screens.origin(index)
        _left, _top, width, height = screens.geometry(index)
        self.audit("monitor_shared", index=index, count=screens.count, width=width,
                   height=height)
        self._seq_base = self._wire_seq
        self.streamer = self._start_streaming(screens.capture[index])
        if self._stream_settings is not None:
            self._set_stream(*self._stream_settings)
        self._announce_monitors()
        loop = self.loop

        def on_update(update: m.CursorUpdate) -> None:  # cursor thread
            with contextlib.suppress(RuntimeError):  # loop already closed: agent exiting
                loop.call_soon_threadsafe(self._send_cursor, update)

        self._cursor = CursorWatcher(origin, on_update, size=(width, height))
        self._cursor.start()

    def _announce_monitors(self) -> None:
        """The monitor list and the shared one to the console and to the customer's panel."""
        if self.screens is not None and not self.closed and not self.session.ended:
            monitors = self.screens.monitors
            self.handle(self.session.set_monitors(monitors, self.shared_monitor))
            self.sink(MonitorsShared(monitors, self.shared_monitor))

    async def _stop_sharing(self) -> None:
        """Stop the streamer and the cursor watcher of the monitor shared until now."""
        streamer, cursor = self.streamer, self._cursor
        self.streamer, self._cursor = None, None  # its last frames are dropped (_send_frame)
        if cursor is not None:
            cursor.stop()
        if streamer is not None:
            await self.loop.run_in_executor(None, streamer.stop)

    def _on_monitor_chosen(self, index: int) -> None:
        """Follow the technician's latest choice, one switch at a time: a console that sends
        choices faster than streamers restart gets the last one, never a task per message."""
        idle = self._wanted is None
        self._wanted = index
        if idle:
            self.spawn(self._follow_choices())

    async def _follow_choices(self) -> None:
        try:
            while self._wanted is not None:
                index = self._wanted
                await self._switch_monitor(index)
                if self._wanted == index:
                    self._wanted = None
        finally:
            self._wanted = None

    async def _switch_monitor(self, index: int) -> None:
        """The technician chose monitor ``index`` (0 = all): stream that one from now on.

        An index this desktop lacks (just unplugged, or all monitors too big for the frame
        budget) changes nothing: the console gets the current list again."""
        async with self._switching:
            if self.screens is None or self.streamer is None:
                return  # not sharing yet: the first Monitors says what is shared
            if self.screens.choose(index) is None or index == self.shared_monitor:
                self._announce_monitors()
                return
            await self._stop_sharing()
            if not self.closed and not self.session.ended:
                self._share(index)

    async def _watch_monitors(self) -> None:
        """Hot-plug: look at the monitor list every POLL_INTERVAL seconds (desktop thread).
        A new list goes to the console; when the shared monitor went away or moved, the
        streamer follows it (or falls back to the default)."""
        while not self.closed and not self.session.ended:
            await asyncio.sleep(POLL_INTERVAL)
            screens = await self.loop.run_in_executor(self._host.desktop, read_screens_or_none)
            if screens is None or screens == self.screens:
                continue
            async with self._switching:
                if self.screens is not None and self.streamer is not None:
                    await self._follow_screens(screens)

    async def _follow_screens(self, screens: Screens) -> None:
        """The monitor list changed (hold ``_switching``): tell the console and the panel, and
        restart streamer and cursor watcher when the shared monitor went away or moved."""
        before = self.screens
        assert before is not None
        self.audit("monitors_changed", count=screens.count)
        index = screens.follow(self.shared_monitor, before)
        same = (index == self.shared_monitor
                and screens.geometry(index) == before.geometry(self.shared_monitor)
                and screens.capture[index] == before.capture[self.shared_monitor])
        self.screens = screens
        if same:
            self._announce_monitors()
            return
        await self._stop_sharing()
        if not self.closed and not self.session.ended:
            self._share(index)

    async def _recover_capture(self, exc: BaseException, source: ScreenStreamer) -> None:
        """The shared monitor's grab failed: unplugged between two looks at the list (the
        desktop shrank under it) is followed like any hot-plug; anything else ends the session."""
        screens = await self.loop.run_in_executor(self._host.desktop, read_screens_or_none)
        async with self._switching:
            if source is not self.streamer or self.closed or self.session.ended:
                return  # replaced meanwhile (a switch), or over
            if screens is None or screens == self.screens:
                log.error("screen capture failed: %s", exc)
                self.end("error")
                return
            log.warning("screen capture failed as the monitors changed: %s", exc)
            await self._follow_screens(screens)

    def _start_streaming(self, monitor: int) -> ScreenStreamer:
        loop = self.loop

        def on_frame(frame: EncodedFrame) -> None:  # streamer thread
            with contextlib.suppress(RuntimeError):  # loop already closed: agent exiting
                loop.call_soon_threadsafe(self._send_frame, frame, streamer)

        def on_error(exc: BaseException) -> None:  # streamer thread
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._streaming_failed, exc, streamer)

        streamer = ScreenStreamer(on_frame, on_error=on_error, monitor=monitor)
        if self.session.paused:  # a switch or hot-plug while paused: the new one waits too
            streamer.set_paused(True)
        streamer.start()
        return streamer

    def _send_frame(self, frame: EncodedFrame, source: ScreenStreamer | None = None) -> None:
        if self.closed or self.session.ended or not self.session.sharing:
            return  # e.g. encoded just before a pause: nothing of the screen leaves now
        if source is not None and source is not self.streamer:
            return  # the monitor shared before a switch: its last frames are not sent
        seq = self._seq_base + frame.seq
        try:
            update = m.FrameUpdate(frame.width, frame.height, tuple(frame.rects), seq)
            # The counter is taken here, in order; a big frame is encrypted off the loop so
            # that input arriving meanwhile goes first (issue 16; SessionDriver.send_job).
            job = self.session.reserve_frame(update)
        except FernhilfeError as exc:  # e.g. a screen over the budget: say so, never go silent
            log.error("cannot send the screen: %s", exc)
            self.end("error")
            return
        self._wire_seq = seq
        self.send_job(job)
        self._send_link_estimate()

    def _send_link_estimate(self) -> None:
        """Rate control (issue 16): at most once every :data:`LINK_ESTIMATE_INTERVAL` while
        frames go out, the link the streamer measured, for the technician's status bar."""
        now = self.loop.time()
        if self.streamer is None or now - self._estimate_at < LINK_ESTIMATE_INTERVAL:
            return
        estimate = self.streamer.link_estimate()
        if estimate is not None:
            self._estimate_at = now
            self.send(self.session.link_estimate(*estimate))  # sharing: checked by the caller

    def _apply_stream_settings(self, ev: StreamSettingsChanged) -> None:
        """The technician chose another quality / bandwidth cap (0 = lossless / unlimited)."""
        if not self.audit("stream_settings", quality=ev.quality,
                          max_bytes_per_s=ev.max_bytes_per_s):
            return
        self._stream_settings = (ev.quality, ev.max_bytes_per_s)
        if self.streamer is not None:
            self._set_stream(ev.quality, ev.max_bytes_per_s)

    def _set_stream(self, quality: int, max_bytes_per_s: int) -> None:
        assert self.streamer is not None
        self.streamer.set_quality(quality or None)
        self.streamer.set_bandwidth_cap(max_bytes_per_s or None)

    def _streaming_failed(self, exc: BaseException, source: ScreenStreamer | None = None
                          ) -> None:
        if self.closed or self.session.ended:
            return
        if source is not None:
            if source is self.streamer:  # else: the one before a switch, stopped anyway
                self.spawn(self._recover_capture(exc, source))
            return
        log.error("screen capture failed: %s", exc)
        self.end("error")

    def _send_cursor(self, update: m.CursorUpdate) -> None:
        """A pointer update from the cursor watcher (hopped to the loop): send it."""
        if self.closed or self.session.ended or not self.session.sharing:
            return  # paused: not even where the pointer is
        with contextlib.suppress(FernhilfeError):
            self.send(self.session.seal_cursor(update))

    def _apply_input(self, msg: m.Message) -> None:
        """Hand admitted input to the input thread (the session machine checked control)."""
        if self._host.input is not None:
            self._host.input.apply(msg, self.origin)

    def input_failed(self, exc: BaseException) -> None:
        """The injector failed (on the loop, hopped from the input thread): the session ends
        with ``error`` (a half-applied input stream must not go on; everything is released)."""
        if not self.closed and not self.session.ended:
            log.error("input injection failed: %s", exc)
            self.end("error")

    def input_applied(self) -> None:
        """Input reached the desktop: let the streamer look now (input thread)."""
        streamer = self.streamer
        if streamer is not None:
            streamer.poke()


def trust_policy(config: AgentConfig) -> TrustPolicy:
    """The session's trust from the agent's settings (keys already checked by agent.config)."""
    return TrustPolicy(
        trusted=tuple(TrustedOrganisation.from_text(k) for k in config.trusted_organisations),
        require_verified=config.require_verified)


# ---------------------------------------------------------------------- the agent's life


class AgentHost:
    """The agent on its network loop: codes, retries, the guess budget, one session at a time.

    Call every method on the loop thread (the Qt bridge hops there)."""

    def __init__(self, config: AgentConfig, sink: Sink, loop: asyncio.AbstractEventLoop
                 ) -> None:
        self._config = config
        self._sink = sink
        self._loop = loop
        self.input: InputThread | None = None  # None: remote control unavailable here
        #: screen geometry and crash recovery: blocking X calls, never on the network loop
        self.desktop = ThreadPoolExecutor(1, thread_name_prefix="agent-desktop")
        self._wake = asyncio.Event()
        self.active: AgentSessionDriver | None = None
        #: seconds a session survives a silent link before it ends as connection_lost
        self.grace_period = config.grace_period
        #: the largest file the technician may send in (the branding's max_file_mb)
        self.max_file_size = config.max_file_size
        #: where received files land (made on first use; a test may put its own folder here,
        #: never a flag or variable of the program)
        self.download_dir: Callable[[], Path] = default_download_dir
        #: makes each session's "still sharing?" check from the loop's time (the branding's
        #: interval; a test may put its own ShareCheck factory here, never a flag or variable)
        self.share_check: ShareCheckFactory = (
            lambda now: ShareCheck(now, config.still_sharing_minutes * 60.0))
        self._retries = 0  # relay problems in a row (chooses the back-off)
        self.budget = GuessBudget()
        #: whom this agent trusts and whether it refuses everyone else (baked branding only)
        self.trust = trust_policy(config)
        #: the newest revocation list fetched per organisation key id (None: never fetched)
        self.revocations: dict[str, bytes | None] = {}
        self._fetch: asyncio.Task[None] | None = None
        #: time.monotonic() of the technician's last input applied here (input thread writes)
        self.last_input_at = -float("inf")

    def attach_input(self, input_thread: InputThread) -> None:
        """Replay the technician's input through ``input_thread`` (made on the loop thread)."""
        self.input = input_thread
        input_thread.set_callbacks(on_error=self._input_failed, on_applied=self._applied)

    # --- intents (loop thread)

    def new_code(self) -> None:
        """The customer asked for a (new) code: the only way past a spent guess budget."""
        self._wake.set()

    def decide(self, allowed: bool, permissions: frozenset[str], timed_out: bool) -> None:
        if self.active is not None:
            self.active.decide(allowed, permissions, timed_out)

    def set_control(self, enabled: bool) -> None:
        if self.active is not None:
            self.active.set_control(enabled)

    def set_permission(self, name: str, granted: bool) -> None:
        if self.active is not None:
            self.active.set_permission(name, granted)

    def send_chat(self, text: str) -> None:
        if self.active is not None:
            self.active.send_chat(text)

    def send_clipboard(self, text: str) -> None:
        if self.active is not None:
            self.active.send_clipboard(text)

    def send_file(self, path: str) -> None:
        if self.active is not None:
            self.active.send_file(path)

    def cancel_file(self, direction: str, transfer_id: int) -> None:
        if self.active is not None:
            self.active.cancel_file(direction, transfer_id)

    def set_chat_recording(self, recorded: bool) -> None:
        if self.active is not None:
            self.active.set_chat_recording(recorded)

    def end(self, reason: str) -> None:
        if self.active is not None:
            self.active.end(reason)

    def confirm_sharing(self) -> None:
        """The customer answered "still sharing?" with Continue."""
        if self.active is not None:
            self.active.still_sharing.confirm()

    def resume_sharing(self) -> None:
        """The customer clicked Resume after sharing paused."""
        if self.active is not None:
            self.active.still_sharing.resume()

    async def shutdown(self, main: asyncio.Task[None] | None) -> None:
        """End any session (telling the technician), stop, release everything."""
        active = self.active
        if active is not None:
            active.end("customer_ended")
            await asyncio.sleep(0.2)  # let the End message go out
        if main is not None:
            main.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await main
        if active is not None:  # nothing if its own teardown finished before the cancel
            await active.close()
        if self._fetch is not None:
            self._fetch.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._fetch
        if self.input is not None:
            self.input.close()
        self.desktop.shutdown(wait=False)

    # --- helpers for the session

    def offer(self, ev: object) -> None:
        """Show a state that waits for the customer: forget older clicks, then show it.

        Both happen in one loop step, so a click on the state just shown can never be lost
        and a stale click can never buy a code nobody asked for."""
        self._wake.clear()
        self._sink(ev)

    def release_input(self) -> None:
        if self.input is not None:
            self.input.release_all()

    def _input_failed(self, exc: BaseException) -> None:  # input thread
        def on_loop() -> None:
            if self.active is not None:
                self.active.input_failed(exc)
        with contextlib.suppress(RuntimeError):  # loop closed: the agent is exiting
            self._loop.call_soon_threadsafe(on_loop)

    def _applied(self) -> None:  # input thread
        self.last_input_at = time.monotonic()
        active = self.active
        if active is not None:
            active.input_applied()

    # --- revocation lists

    def _start_fetch(self) -> None:
        """Fetch every trusted organisation's revocation list while the code is shown (one
        fetch at a time; nothing to do for an agent that trusts nobody)."""
        if not self.trust.trusted or (self._fetch is not None and not self._fetch.done()):
            return
        try:
            template = revocation_url_template(self._config)
        except ConfigError as exc:  # e.g. --relay gave an address no list can come from
            log.warning("revocation lists cannot be fetched: %s", exc)
            return
        self._fetch = self._loop.create_task(self._fetch_lists(template))

    async def _fetch_lists(self, template: str) -> None:
        got = await fetch_lists(template, [org.key_id for org in self.trust.trusted])
        for org in self.trust.trusted:
            # A failed, damaged or older fetch keeps the list from before (its own next-update
            # decides whether it still counts).
            self.revocations[org.key_id] = keep_newest(
                org, self.revocations.get(org.key_id), got.get(org.key_id))

    async def _lists_ready(self) -> None:
        """A technician joined: let a fetch still under way finish (it is bounded by
        FETCH_TIMEOUT), so a quick join is not refused for a list that was about to arrive."""
        if self._fetch is not None and not self._fetch.done():
            await asyncio.wait({self._fetch}, timeout=FETCH_TIMEOUT + 1.0)

    async def _pause(self, seconds: float) -> None:
        """Wait before an automatic retry; a click ("Try again now") cuts it short."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    # --- the life

    async def _recover_after_crash(self) -> None:
        """A previous run died mid-session: close its record, release what it left held."""
        try:
            closed = await self._loop.run_in_executor(
                self.desktop, recover_crashed_records, default_audit_dir())
        except Exception:  # never let recovery stop the agent from starting
            log.exception("could not check for an unfinished session record")
            return
        if closed:
            log.warning("closed %d session record(s) left open by a crash", len(closed))
            try:
                released = await self._loop.run_in_executor(self.desktop, release_stuck_input)
            except Exception:
                log.exception("could not release input left held by a crash")
            else:
                log.warning("released input left held by a crash: %s", released)

    async def run(self) -> None:
        await self._recover_after_crash()
        automatic = True  # the first code of a run: the customer started the program for it
        while True:
            if not automatic:
                await self._wake.wait()
            self._wake.clear()
            automatic = False
            self._sink(Connecting())
            try:
                # Writes and syncs a probe file: on the desktop thread, not the network loop.
                await self._loop.run_in_executor(
                    self.desktop, check_record_folder, default_audit_dir())
            except AuditWriteError as exc:  # no session without a record: no code either
                log.error("audit record unavailable: %s", exc)
                self.offer(Failed("audit_unavailable"))
                continue
            try:
                conn = await RelayConnection.open(self._config.relay_url)
            except RelayError as exc:
                log.warning("relay unreachable: %s", exc)
                await self._retry_later(exc)
                automatic = True
                continue
            except Exception:
                log.exception("cannot connect to the relay")
                self.offer(Failed("error"))
                continue
            try:
                automatic = await self._one_code(conn)
            except RelayRejected as exc:
                log.warning("relay refused: %s (%s)", exc.code.value, exc)
                if exc.code == rv.ErrorCode.NAMEPLATE_EXPIRED:
                    self.offer(CodeExpired())
                else:
                    await self._retry_later(exc)
                    automatic = True
            except RelayError as exc:
                # Lost the relay before anyone joined (e.g. relay restart, or a relay that sent
                # something malformed such as an 8-digit nameplate): no guess was made.
                log.warning("relay connection lost: %s", exc)
                await self._retry_later(exc)
                automatic = True
            except asyncio.CancelledError:
                raise
            except Exception:  # e.g. an 8-digit nameplate: never a silent death
                log.exception("hosting a code failed")
                self.offer(Failed("error"))
            finally:
                await conn.close()

    async def _retry_later(self, exc: RelayError) -> None:
        """Say what is wrong with the relay, then wait before trying again: longer while it
        keeps failing, so a relay that is down or misbehaves is not hammered once a second
        ("try again now" cuts the wait short)."""
        delay = RETRY_DELAYS[min(self._retries, len(RETRY_DELAYS) - 1)]
        self._retries += 1
        self.offer(RelayTrouble(exc.kind, delay))  # a stable word; the text is the GUI's
        await self._pause(delay)

    async def _one_code(self, conn: RelayConnection) -> bool:
        """Host one code and run the session it leads to; True = show a new code at once."""
        plate = await conn.host()
        self._retries = 0  # the relay works: the next problem starts the back-off afresh
        code = SessionCode(plate.nameplate, new_secret())
        self._sink(CodeReady(code.display(), float(plate.expires_in)))
        self._start_fetch()
        if not await self._paired_unless_asked(conn):
            return True  # the customer asked for another code (e.g. theirs ran out on screen)
        self._sink(CodeUsed())  # spent from now on, whatever happens next
        await self._lists_ready()
        session = AgentSession(code, organisation=self._config.organisation, trust=self.trust)
        session.set_revocation_lists(self.revocations)
        try:
            record = open_record(default_audit_dir(), "agent")
        except AuditWriteError as exc:
            log.error("audit record unavailable: %s", exc)
            record = None  # the first write ends the session: the technician hears why
        self.active = AgentSessionDriver(session, record, self._sink, self._loop, host=self)
        self.active.relay_url = self._config.relay_url  # to resume a dropped link
        try:
            await self.active.run(conn)
        finally:
            self.active = None
        return self._after_join(session)

    async def _paired_unless_asked(self, conn: RelayConnection) -> bool:
        """Wait until someone joins (True), or the customer clicks for a new code (False).

        The window counts the code down by itself and offers "Get a new code" when it runs
        out, possibly before the relay says so: that click must not be lost."""
        paired = asyncio.ensure_future(conn.wait_paired())
        asked = asyncio.ensure_future(self._wake.wait())
        clicked = False
        try:
            await asyncio.wait({paired, asked}, return_when=asyncio.FIRST_COMPLETED)
            clicked = asked.done() and not asked.cancelled()
        finally:
            asked.cancel()
            if not paired.done():
                paired.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await paired
        if paired.done() and not paired.cancelled():
            if paired.exception() is None:
                return True  # joined: the code is spent, the session runs
            if not clicked:
                paired.result()  # the relay's error (e.g. expiry) propagates
            # The relay's expiry and the customer's click in one step: the click wins (showing
            # "expired" would forget it and ask for a second click).
        return False

    def _after_join(self, session: AgentSession) -> bool:
        """Whether the next code may come by itself (see :class:`GuessBudget`)."""
        if session.verification:
            # The peer knew the code: the customer read it out. The end was already shown.
            self.budget.code_proved()
            return False
        verdict = self.budget.join_failed()
        log.warning("join without a session (%s); failed joins in this run: %d",
                    session.end_reason, verdict.failures)
        event = AttemptFailed(session.end_reason, verdict.automatic, verdict.warn,
                              verdict.failures)
        if verdict.automatic:
            self._sink(event)
        else:
            self.offer(event)
        return verdict.automatic
