"""The technician's side of the work, without Qt: joining, the session, frames, statistics.

:class:`ConsoleJoiner` turns a typed code into a session (parse it, check the records folder,
reach the relay, join); :class:`ConsoleSessionDriver` is that session: the shared
:class:`SessionDriver` plus what only the technician's side does (back-pressure towards the
agent, pings for the round trip, statistics, the record). Decoding is not done here: frames go
to a :class:`FrameSink` that decodes on its own thread (``console.frame_decoder``), never
on the network loop. Everything for the window goes to a *sink* as one of the events below (or
an event of :mod:`shared.session` as it is); :class:`console.worker.ConsoleWorker` turns them
into Qt signals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from desktop.chat import CUSTOMER, TECHNICIAN, chat_received, send_chat
from desktop.relay_client import RelayConnection, RelayError, RelayRejected
from desktop.session_driver import (
    AuditRecord,
    AuditWriteError,
    SessionDriver,
    Sink,
    check_record_folder,
    default_audit_dir,
    open_record,
)
from desktop.transfers import (
    DEFAULT_MAX_FILE,
    FileSink,
    FileSource,
    TransferPump,
    default_download_dir,
)
from shared import messages as m
from shared import rendezvous as rv
from shared.codec import ResourceLimit
from shared.codes import parse_code
from shared.errors import FernhilfeError
from shared.identity import TechnicianIdentity, Verdict, identity_record
from shared.link import DEFAULT_GRACE, ping_interval
from shared.session import (
    GRANTABLE,
    ChatReceived,
    ChatRecordingChanged,
    ClipboardReceived,
    ClipboardRefused,
    ConsentAnswered,
    ConsoleSession,
    CursorReceived,
    FrameReceived,
    InputMessage,
    KeysAgreed,
    LinkEstimated,
    MonitorsChanged,
    NoticeReceived,
    PermissionsChanged,
    RoundTripMeasured,
    SessionEnded,
    SharingPausedChanged,
    ShowMessage,
    Step,
    WrongCodeEntered,
    resource_limit_message,
    silence_limit,
)

log = logging.getLogger(__name__)
STATS_INTERVAL = 1.0
# Pings: shared.link.ping_interval (every second; twice as often while the technician holds a
# key or button). They are the agent's sign of life from the console (its input watchdog), and
# their answers the console's from the agent, so both notice a frozen link within seconds.
#: The two directions of clipboard text and files, as the record names them (api17.md).
TO_CUSTOMER = "to_customer"
TO_TECHNICIAN = "to_technician"
#: What a session asks for when the technician ticked nothing more: the screen and control.
DEFAULT_REQUEST: frozenset[str] = frozenset({"view", "control"})
#: Frames received but not yet shown by the GUI (one at the GUI or decoding, one waiting);
#: at this many the network loop stops reading from the relay.
MAX_FRAMES_PENDING = 2


class FrameSink(Protocol):
    """Where frames go to be decoded (off the network loop)."""

    def put(self, update: m.FrameUpdate) -> None: ...
    def close(self) -> None: ...


#: Makes the frame sink of one session; the callable it gets reports a decode failure (from
#: the decode thread).
FrameSinkFactory = Callable[[Callable[[FernhilfeError], None]], FrameSink]


# ---------------------------------------------------------------------- events for the window


@dataclass(frozen=True)
class JoinFailed:
    """No session could start (bad code, the relay said no or cannot be reached).

    ``kind`` is a stable word the window turns into its own translated text (see
    :func:`join_failure_kind`); what exactly went wrong is in the log only.
    """

    kind: str


@dataclass(frozen=True)
class Stats:
    """Once a second: frames shown per second, round trip, bytes received per second."""

    fps: float
    rtt_ms: float
    bytes_per_s: float


@dataclass(frozen=True)
class Ended:
    """The session (or the attempt, once it reached the session loop) ended."""

    reason: str
    message: str


@dataclass(frozen=True)
class ClipboardSent:
    """The technician's copied text went out to the customer's clipboard (``chars``
    characters; the text itself is in neither the record nor the window)."""

    chars: int


@dataclass(frozen=True)
class RecordOpened:
    """This session's record exists: ``key`` is its file name, the session history's key for
    the technician's notes (api17.md section 7)."""

    key: str


# KeysAgreed, ConsentAnswered, PermissionsChanged, CursorReceived and ClipboardReceived of
# shared.session go to the sink as they are.


#: A typed code that is no code (the window checks first, so only a caller's bug gets here).
BAD_CODE = "bad_code"
#: Something this program did not expect (a bug, or a relay saying nonsense): generic text.
UNEXPECTED = "unexpected"


def join_failure_kind(exc: BaseException) -> str:
    """The stable kind ``JoinFailed`` carries for ``exc``: ``rejected:<relay code>``,
    ``unreachable``, ``insecure_url``, ``lost`` or ``unexpected``.

    The exception's own text (Python's "[Errno 111] ...", or words an untrusted relay chose)
    goes to the log here and nowhere else.
    """
    if isinstance(exc, RelayRejected):
        log.warning("the relay refused: %s (it said %r)", exc.code.value, str(exc))
    else:
        log.warning("connecting failed: %s: %s", type(exc).__name__, exc)
    return exc.kind if isinstance(exc, RelayError) else UNEXPECTED


#: The end reason of a customer's program that accepts only verified technicians.
UNVERIFIED_TECHNICIAN = "unverified_technician"


#: The console's "verdict" in its record: it cannot know the agent's, only what it presented.
PRESENTED = "presented"


def presented_identity(identity: TechnicianIdentity | None) -> dict[str, object]:
    """What the console shows the customer's program about the technician, for the record
    (the ``identity`` field of api12.md: verdict, serial, organisation, key id, technician)."""
    if identity is None:
        return identity_record(Verdict.NO_PROOF.value, None)
    return identity_record(PRESENTED, identity.fields)


# ---------------------------------------------------------------------- one session


class ConsoleSessionDriver(SessionDriver[ConsoleSession]):
    """One session on the technician's side."""

    peer_label = "the customer's side"
    error_message = "The technician's program hit an error."
    backlog_message = "The customer's program does not read what it is sent."
    audit_failed_message = "The technician's computer cannot save the session record."
    end_later_on_audit_failure = True

    def __init__(self, session: ConsoleSession, record: AuditRecord, sink: Sink,
                 loop: asyncio.AbstractEventLoop, frames: FrameSink | None,
                 identity: TechnicianIdentity | None = None, *,
                 grace: float = DEFAULT_GRACE,
                 download_dir: Callable[[], Path] = default_download_dir) -> None:
        super().__init__(session, record, sink, loop)
        session.max_file_size = DEFAULT_MAX_FILE  # the console's cap on what it receives
        #: files both ways (issue 17): hashing, reading and writing off this loop; received
        #: files land in ``download_dir()`` (Downloads/Fernhilfe), asked on first use
        self.pump = TransferPump(session, self.handle, sink, loop, folder=download_dir,
                                 source=FileSource(), file_sink=FileSink(), audit=self.audit)
        self.link_grace = grace
        self.holding = False  # the technician holds a key or button (pings more often)
        self.dropped_while_down = 0  # input not sent because the link was being re-made
        self._ping_now = asyncio.Event()
        self.frames = frames
        self.presented = presented_identity(identity)
        self.pending = 0  # frames handed to the decoder and not yet shown by the GUI
        self._shared_monitor = -1  # the customer's shared monitor (0 = all), -1: not told yet
        self._room = asyncio.Event()  # set whenever pending drops or the session ends
        self._phase, self._phase_since = session.phase, loop.time()
        self._frames_shown = 0
        self._rtt_ms = 0.0
        self._relay_kind = ""  # the relay's code when it ended the session (for the window)

    # --- hooks of the shared driver

    def started(self) -> None:
        if self.record is not None:
            self.sink(RecordOpened(self.record.path.name))
        self.spawn(self._tick())
        self.spawn(self._pinger())

    def reading_paused(self) -> bool:
        return self.pending >= MAX_FRAMES_PENDING and not self.session.ended

    async def room_to_read(self) -> None:
        """Back-pressure: stop reading from the relay until the GUI caught up."""
        while self.pending >= MAX_FRAMES_PENDING and not self.session.ended:
            self._room.clear()
            await self._room.wait()

    def silence_wait(self) -> float | None:
        """The agent must move each phase on in time (:func:`shared.session.silence_limit`)."""
        if self.session.phase is not self._phase:
            self._phase, self._phase_since = self.session.phase, self.loop.time()
        limit = silence_limit(self._phase)
        return None if limit is None else self._phase_since + limit - self.loop.time()

    def peer_left(self) -> Step:
        return self.session.peer_lost("The customer's computer left the session.")

    def relay_lost(self, exc: RelayError) -> Step:
        if isinstance(exc, RelayRejected):  # e.g. session_limit: the window says which
            self._relay_kind = exc.kind
        return self.session.peer_lost(str(exc))

    def on_event(self, ev: object) -> None:
        if self.pump.on_event(ev):  # a file event: the pump writes, reads, records, tells
            return
        if isinstance(ev, FrameReceived):
            if self.frames is not None:
                self.pending += 1
                self.frames.put(ev.update)
        elif isinstance(ev, CursorReceived):
            self.sink(ev)
        elif isinstance(ev, RoundTripMeasured):
            self._rtt_ms = ev.ms
        elif isinstance(ev, LinkEstimated):  # the agent's measured link: for the status bar
            self.sink(ev)
        elif isinstance(ev, KeysAgreed):
            # the proof (if any) goes out with the Hello, right after the keys are agreed
            self.audit("keys_agreed", verification=ev.verification, identity=self.presented)
            self.sink(ev)
        elif isinstance(ev, ConsentAnswered):
            self.audit("consent_answered", allowed=ev.allowed,
                       permissions=sorted(ev.permissions))
            self.sink(ev)
        elif isinstance(ev, PermissionsChanged):
            self.audit("permissions_changed", permissions=sorted(ev.permissions))
            self.sink(ev)
        elif isinstance(ev, WrongCodeEntered):
            self.audit("wrong_code")
        elif isinstance(ev, SharingPausedChanged):  # "still sharing?" (issue 15)
            self.audit("sharing_paused" if ev.paused else "sharing_resumed", reason=ev.reason)
            self.sink(ev)
        elif isinstance(ev, NoticeReceived):  # what the customer's OS blocks (issue 18)
            if self.audit("system_notice", code=ev.code):
                self.sink(ev)
        elif isinstance(ev, ChatReceived):
            chat_received(self, ev, CUSTOMER)
        elif isinstance(ev, ClipboardReceived):  # never the text in the record
            if self.audit("clipboard", direction=TO_TECHNICIAN, chars=len(ev.text)):
                self.sink(ev)
        elif isinstance(ev, ChatRecordingChanged) and self.audit(
                "chat_recording", recorded=ev.recorded):
            self.sink(ev)
        elif isinstance(ev, MonitorsChanged):
            if ev.shared != self._shared_monitor:  # a switch (also the first list)
                self._shared_monitor = ev.shared
                self.audit("monitor_shared", index=ev.shared, count=len(ev.monitors))
            self.sink(ev)

    def on_ended(self, ev: SessionEnded) -> None:
        self._room.set()  # a network loop waiting for the GUI stops waiting
        refused = {}
        if ev.reason == UNVERIFIED_TECHNICIAN:  # what was presented, and that it was refused
            refused = {"identity": {**self.presented, "refused": True}}
        self.audit("session_ended", reason=ev.reason, by_peer=ev.by_peer, message=ev.message,
                   inputs_sent=dict(self.session.sent_inputs),
                   inputs_not_sent=self.dropped_while_down, **refused)
        self.sink(Ended(self._relay_kind or ev.reason, ev.message))

    def link_resumed(self, n: int) -> None:
        """A new link: tell the customer's program where each incoming file stands (what was
        in flight on the old link is gone; it rewinds there)."""
        self.pump.resumed()

    async def stopped(self) -> None:
        self.pump.close()  # partial files are kept: the same file offered again resumes
        if self.frames is not None:
            self.frames.close()

    # --- the technician's intents

    def send_input(self, msg: InputMessage) -> None:
        """Send the technician's input. While the link is only quiet ("interrupted") it still
        goes out: a slow but working link (a loaded computer, a large frame ahead) must not
        eat a click; it arrives late and in order. While the link is being re-made
        ("reconnecting") nothing goes out and nothing is kept for later: input in flight
        across a resume is dropped, never replayed (the agent released everything)."""
        if self.link_down:
            self.dropped_while_down += 1
            return
        self.handle(self.session.send_input(msg))

    def send_show(self, msg: ShowMessage) -> None:
        """The laser pointer or a stroke (never input; rides on "view"). While the link is
        being re-made it is dropped: a pointer position from before is worth nothing later."""
        if self.link_down:
            return
        self.handle(self.session.send_show(msg))

    def send_chat(self, text: str) -> None:
        send_chat(self, text, TECHNICIAN)

    def send_clipboard(self, text: str) -> None:
        """The technician copied ``text``: to the customer's clipboard, only while the customer
        allows the clipboard (the session sends nothing otherwise; the window's bridge does
        not even ask then). While the link is being re-made nothing goes out: an old copy is
        worth nothing later, the next copy goes."""
        if self.link_down:
            return
        try:
            step = self.session.send_clipboard(text)
        except ClipboardRefused as exc:  # the bridge checks the cap first: a caller's bug
            log.error("clipboard text refused (%s): not sent", exc.problem)
            return
        if not step.outgoing:
            return  # not allowed now (revoked in flight, paused, not active)
        if self.audit("clipboard", direction=TO_CUSTOMER, chars=len(text)):
            self.handle(step)
            self.sink(ClipboardSent(len(text)))

    def send_files(self, paths: list[str]) -> None:
        """Send these files to the customer (hashed off the loop first; what cannot go, e.g.
        without files_in, comes back as a cancelled transfer with its reason)."""
        for path in paths:
            self.pump.send_file(Path(path))

    def cancel_transfer(self, direction: str, file_id: int) -> None:
        self.pump.cancel(direction, file_id)

    def ask_permissions(self, permissions: frozenset[str]) -> None:
        """"Ask for more…": the customer's program asks the customer (Allow / Not now); the
        answer comes as a PermissionChange like any other."""
        new = frozenset(permissions) - self.session.permissions  # what the agent is asked
        try:
            step = self.session.ask_permissions(frozenset(permissions))
        except (FernhilfeError, ValueError) as exc:  # names the window never offers: a bug
            log.error("cannot ask for %s: %s", sorted(permissions), exc)
            return
        if step.outgoing and self.audit("permissions_requested", permissions=sorted(new)):
            self.handle(step)

    def choose_monitor(self, index: int) -> None:
        """Ask the customer's agent to share monitor ``index`` (0 = all); the next Monitors
        and the next frame (its new size) say when it did."""
        self.handle(self.session.choose_monitor(index))

    def set_holding(self, held: bool) -> None:
        """The technician pressed (True) or let go of everything (False): from a press on,
        ping at the faster pace at once."""
        if held and not self.holding:
            self._ping_now.set()
        self.holding = held

    def ack(self, seq: int) -> None:
        """The GUI drew frame ``seq``: one more may be read, and the agent gets its credit."""
        if self.pending > 0:
            self.pending -= 1
            self._frames_shown += 1
            self._room.set()
        self.handle(self.session.ack(seq))

    def set_stream_settings(self, quality: int, max_bytes_per_s: int) -> None:
        try:
            step = self.session.set_stream_settings(quality, max_bytes_per_s)
        except FernhilfeError as exc:  # a caller bug: say so, keep the session
            log.error("bad stream settings: %s", exc)
            return
        if step.outgoing:
            self.audit("stream_settings", quality=quality, max_bytes_per_s=max_bytes_per_s)
        self.handle(step)

    def decode_failed(self, exc: FernhilfeError) -> None:
        """A frame broke a rule or a budget: end the session, telling the agent why."""
        if isinstance(exc, ResourceLimit):
            self.abort("resource_limit", resource_limit_message(exc))
        else:
            self.abort("protocol_error", str(exc))

    # --- ticks

    async def _tick(self) -> None:
        """Statistics once a second."""
        last = time.monotonic()
        while not self.session.ended:
            await asyncio.sleep(STATS_INTERVAL)
            if self.session.ended or self.closed:
                return
            now = time.monotonic()
            span = max(1e-3, now - last)
            self.sink(Stats(self._frames_shown / span, self._rtt_ms, self.bytes_in / span))
            self._frames_shown = self.bytes_in = 0
            last = now

    async def _pinger(self) -> None:
        """Ping the agent at :func:`shared.link.ping_interval` (nothing before the session
        runs: ``ConsoleSession.ping`` sends only in ``ACTIVE``)."""
        while not self.session.ended and not self.closed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ping_now.wait(), ping_interval(self.holding))
            self._ping_now.clear()
            if self.session.ended or self.closed:
                return
            self.handle(self.session.ping())


# ---------------------------------------------------------------------- joining


class ConsoleJoiner:
    """From a typed code to a running session, one attempt at a time (loop thread)."""

    def __init__(self, sink: Sink, loop: asyncio.AbstractEventLoop,
                 frames: FrameSinkFactory | None = None, *, grace: float = DEFAULT_GRACE
                 ) -> None:
        self._sink = sink
        self.grace = grace  # seconds a session survives a silent link (shared.link)
        self._loop = loop
        self._frames = frames
        self.active: ConsoleSessionDriver | None = None
        self._task: asyncio.Task[None] | None = None
        self._began = False  # the current attempt reached its session loop
        self._identity: TechnicianIdentity | None = None
        self._requested: frozenset[str] = DEFAULT_REQUEST
        #: where received files land (Downloads/Fernhilfe; tests point it elsewhere)
        self.download_dir: Callable[[], Path] = default_download_dir

    def begin(self, relay_url: str, name: str, organisation: str, code_text: str,
              identity: TechnicianIdentity | None = None,
              requested: frozenset[str] | None = None) -> None:
        """Join with ``code_text``; ``identity`` (certificate + key) proves who connects;
        ``requested``: what to ask the customer for (None: the screen and control)."""
        if self._task is not None and not self._task.done():
            return
        self._identity = identity
        # only what a session may ask for at all (the connect window's remembered ticks)
        self._requested = frozenset(requested or DEFAULT_REQUEST) & GRANTABLE
        self._task = self._loop.create_task(self._run(relay_url, name, organisation,
                                                      code_text))

    async def shutdown(self) -> None:
        self.end("technician_ended")
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 2.0)

    def end(self, reason: str) -> None:
        if self.active is not None:
            self.active.end(reason)

    def send_input(self, msg: InputMessage) -> None:
        if self.active is not None:
            self.active.send_input(msg)

    def ack(self, seq: int) -> None:
        if self.active is not None:
            self.active.ack(seq)

    def send_show(self, msg: ShowMessage) -> None:
        if self.active is not None:
            self.active.send_show(msg)

    def send_chat(self, text: str) -> None:
        if self.active is not None:
            self.active.send_chat(text)

    def set_holding(self, held: bool) -> None:
        if self.active is not None:
            self.active.set_holding(held)

    def choose_monitor(self, index: int) -> None:
        if self.active is not None:
            self.active.choose_monitor(index)

    def send_clipboard(self, text: str) -> None:
        if self.active is not None:
            self.active.send_clipboard(text)

    def ask_permissions(self, permissions: frozenset[str]) -> None:
        if self.active is not None:
            self.active.ask_permissions(permissions)

    def send_files(self, paths: list[str]) -> None:
        if self.active is not None:
            self.active.send_files(paths)

    def cancel_transfer(self, direction: str, file_id: int) -> None:
        if self.active is not None:
            self.active.cancel_transfer(direction, file_id)

    def set_stream_settings(self, quality: int, max_bytes_per_s: int) -> None:
        if self.active is not None:
            self.active.set_stream_settings(quality, max_bytes_per_s)

    async def _run(self, relay_url: str, name: str, organisation: str, code_text: str) -> None:
        self._began = False  # a session loop started: its end is "ended", not "failed"
        try:
            await self._connect(relay_url, name, organisation, code_text)
        except asyncio.CancelledError:
            raise
        except Exception:  # never a silent death: the window must not stay "Connecting…"
            log.exception("connecting to the customer failed")
            self._sink(Ended("error", "") if self._began else JoinFailed(UNEXPECTED))

    async def _connect(self, relay_url: str, name: str, organisation: str,
                       code_text: str) -> None:
        try:
            code = parse_code(code_text)
        except FernhilfeError as exc:
            log.warning("not a code: %s", exc)
            self._sink(JoinFailed(BAD_CODE))
            return
        try:
            rv.Join(code.nameplate)
        except rv.RendezvousError:  # e.g. "012 ...": no relay hands out such a nameplate
            self._sink(JoinFailed(f"rejected:{rv.ErrorCode.UNKNOWN_NAMEPLATE.value}"))
            return
        try:  # before joining: a broken records folder must not burn the customer's code
            # (writes and syncs a probe file: off the network loop)
            await self._loop.run_in_executor(None, check_record_folder, default_audit_dir())
        except AuditWriteError as exc:
            log.error("audit record unavailable: %s", exc)
            self._sink(Ended("audit_unavailable", ""))
            return
        try:
            conn = await RelayConnection.open(relay_url)
        except RelayError as exc:
            self._sink(JoinFailed(join_failure_kind(exc)))
            return
        try:
            try:
                await conn.join(code.nameplate)
            except RelayError as exc:
                self._sink(JoinFailed(join_failure_kind(exc)))
                return
            await self._session(conn, ConsoleSession(code, name=name,
                                                     organisation=organisation,
                                                     requested=self._requested,
                                                     identity=self._identity), relay_url)
        finally:
            await conn.close()

    async def _session(self, conn: RelayConnection, session: ConsoleSession,
                       relay_url: str = "") -> None:
        self._began = True
        try:  # no session without a record: say so instead of hanging in "Connecting…"
            record = open_record(default_audit_dir(), "console")
        except AuditWriteError as exc:
            log.error("audit record unavailable: %s", exc)
            self._sink(Ended("audit_failed", ""))
            return
        loop = self._loop
        driver: ConsoleSessionDriver | None = None

        def decode_failed(exc: FernhilfeError) -> None:  # decode thread
            def on_loop() -> None:
                if driver is not None and not driver.closed:
                    driver.decode_failed(exc)
            with contextlib.suppress(RuntimeError):  # loop closed: the console is exiting
                loop.call_soon_threadsafe(on_loop)

        frames = self._frames(decode_failed) if self._frames is not None else None
        driver = ConsoleSessionDriver(session, record, self._sink, loop, frames,
                                      self._identity, grace=self.grace,
                                      download_dir=self.download_dir)
        driver.relay_url = relay_url  # to resume a dropped link
        self.active = driver
        try:
            await driver.run(conn)
        finally:
            self.active = None
