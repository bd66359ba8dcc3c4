"""Agent and console session state machines (sans-I/O).

These are the whole security policy of a session in one place: handshake, then introductions
(``Hello``), then the consent request and the customer's decision, then the active phase in which
frames flow one way and input the other, then the end. The I/O shells feed received websocket
messages into :meth:`receive` and send whatever comes back; they never decide policy themselves.
Which message or action may change which phase is written out once, in :data:`TRANSITIONS` and
:data:`LOCAL_TRANSITIONS` (h11's ``_state.py`` is the model); tests/shared/test_session_table.py
enumerates both.

Rules enforced here (DESIGN.md §3–5):

* nothing but handshake messages before keys are confirmed; a wrong code is a distinct outcome;
* every later message goes through the :class:`~shared.channel.SecureChannel`, so a forged,
  replayed, dropped or reordered message ends the session with an integrity error;
* the agent cannot seal a single frame or cursor update before the customer allowed ``view``,
  and input is only handed on while ``control`` is granted (otherwise dropped and counted);
* the console never accepts frames before consent, nor permissions it did not ask for;
* the agent checks the technician's proof (issue 12) when the consent request arrives: an agent
  whose policy requires verified technicians refuses anyone else *before* the customer is asked
  (``unverified_technician``), and every consent request carries the verdict;
* any malformed, unexpected or hostile message ends the session with a clear reason (and an
  ``Error`` message to the peer) instead of an exception escaping into the I/O shell.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from shared import identity as ident
from shared import messages as m
from shared.channel import OpenJob, SealJob, SecureChannel
from shared.codec import Encoding, ResourceLimit
from shared.codes import SessionCode
from shared.errors import (
    FernhilfeError,
    LocalProtocolError,
    ProtocolError,
    RemoteProtocolError,
    UnsupportedVersion,
)
from shared.filenames import safe_name
from shared.handshake import AgentHandshake, ConsoleHandshake, Established, WrongCode
from shared.resume import Resumed, resume_secret
from shared.transfer import FileInfo, IncomingFile, OutgoingFile

APP_VERSION = "0.1.0"
#: After pairing, the peer must finish the key exchange, introduce itself and (console) ask for
#: consent within this many seconds; a silent peer would otherwise hold a spent code for ever.
#: The customer's own answer has the consent dialog's 2-minute timeout instead.
PEER_SILENCE_TIMEOUT = 30.0
#: How long the customer has to answer the consent dialog (DESIGN: no answer within 2 minutes =
#: Deny). The console waits that long plus :data:`PEER_SILENCE_TIMEOUT` for the answer.
CONSENT_TIMEOUT = 120.0
#: What the customer can grant (issue 17 added clipboard and each direction of files); chat
#: rides on the session and is no permission.
GRANTABLE: frozenset[str] = frozenset({"view", "control", "clipboard", "files_in", "files_out"})
#: Permissions the consent dialog shows only when asked for, and unticked (issue 17).
OPTIONAL: frozenset[str] = frozenset({"clipboard", "files_in", "files_out"})
#: What a console asks for unless told otherwise (the optional ones only on purpose).
DEFAULT_REQUEST: frozenset[str] = frozenset({"view", "control"})
#: The permission each file direction needs: files_in lets the technician send files in,
#: files_out lets the customer send files out.
DIRECTION_PERMISSION: Mapping[str, str] = {"to_customer": "files_in",
                                           "to_technician": "files_out"}
#: A receiver's cap on an offered file unless the shell sets ``max_file_size`` (4 GiB).
DEFAULT_MAX_FILE = 4 * 1024**3
#: Clipboard texts a side takes from the other at once, and per second after that.
CLIPBOARD_BURST = 5
CLIPBOARD_PER_SECOND = 1.0
#: Permission requests the agent takes at once, then one per 10 s (each may open a question to
#: the customer: a technician's program must not bury her in them).
REQUEST_BURST = 3
REQUEST_PER_SECOND = 0.1
#: Receiver-side progress events: at most one per 1 % or this many seconds per transfer.
PROGRESS_INTERVAL = 0.25
#: Closed incoming transfers whose outcome a receiver remembers (to answer a repeated offer
#: after a resume); older ones are answered "cancelled".
REMEMBERED_TRANSFERS = 256
INPUT_TYPES = (m.PointerMove, m.PointerButton, m.Wheel, m.Key)
#: Chat lines a side takes from the other at once, and per second after that (a token bucket):
#: a flooding peer gets its extra lines dropped and counted, never a frozen chat view.
CHAT_BURST = 20
CHAT_PER_SECOND = 2.0
#: Pointer and drawing messages the agent takes at once, and per second after that. The v1
#: console sends at most one every 20 ms (50/s); a technician's program that sends more gets
#: the extra ones dropped and counted, so it cannot flood the customer's screen and GUI queue.
SHOW_BURST = 100
SHOW_PER_SECOND = 100.0
#: System notices the console takes at once, and per second after that (issue 18): an honest
#: agent says one when the OS's answer changes (a few a minute at most); a hostile one must not
#: flood the technician's window, so the extra ones are dropped and counted.
NOTICE_BURST = 5
NOTICE_PER_SECOND = 2.0
InputMessage = m.PointerMove | m.PointerButton | m.Wheel | m.Key


class NotPermitted(LocalProtocolError):
    """This side tried to do something the session does not allow now (a bug in the caller)."""


class ChatRefused(LocalProtocolError):
    """This side tried to send a chat line the protocol does not carry (empty, too long,
    control or hidden characters). ``problem`` is a key of :data:`CHAT_PROBLEMS`; UIs check
    with :func:`chat_problem` first and say it in the user's language."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(CHAT_PROBLEMS[problem])


class ClipboardRefused(LocalProtocolError):
    """This side tried to send clipboard text the protocol does not carry (empty, over
    ``MAX_CLIPBOARD`` bytes, a NUL). ``problem`` is a key of :data:`CLIPBOARD_PROBLEMS`; shells
    check with :func:`clipboard_problem` first."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(CLIPBOARD_PROBLEMS[problem])


CLIPBOARD_PROBLEMS = {
    "empty": "Empty clipboard text is not sent.",
    "too_long": f"Clipboard text can have at most {m.MAX_CLIPBOARD // 1024} KiB.",
    "characters": "Clipboard text cannot contain NUL characters.",
}


def clipboard_problem(text: str) -> str | None:
    """Why ``text`` cannot be sent as clipboard text (a key of :data:`CLIPBOARD_PROBLEMS`)."""
    if not text:
        return "empty"
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        return "characters"
    if size > m.MAX_CLIPBOARD:
        return "too_long"
    return "characters" if "\x00" in text else None


class TransferRefused(LocalProtocolError):
    """A new outgoing transfer cannot start: ``problem`` ``"too_many"`` (already
    ``MAX_OPEN_TRANSFERS`` open in this direction)."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(f"At most {m.MAX_OPEN_TRANSFERS} files can be on their way at once."
                         if problem == "too_many" else problem)


CHAT_PROBLEMS = {
    "empty": "A chat message cannot be empty.",
    "too_long": f"A chat message can have at most {m.MAX_CHAT} characters.",
    "characters": "A chat message cannot contain control or invisible characters.",
}


def chat_problem(text: str) -> str | None:
    """Why ``text`` cannot be sent as a chat line (a key of :data:`CHAT_PROBLEMS`), or None."""
    if not text:
        return "empty"
    if len(text) > m.MAX_CHAT:
        return "too_long"
    try:
        m.ChatText(text)
    except ProtocolError:
        return "characters"
    return None


class _Budget:
    """Token bucket for what the peer may make this side do (chat lines: :data:`CHAT_BURST`):
    ``burst`` at once, then ``per_second``. A clock that goes back refills nothing."""

    def __init__(self, clock: Callable[[], float], burst: int, per_second: float) -> None:
        self._clock = clock
        self._burst = float(burst)
        self._rate = per_second
        self._tokens = float(burst)
        self._at = clock()
        self.dropped = 0  # since the last delivered line

    def take(self) -> bool:
        now = self._clock()
        self._tokens = min(self._burst, self._tokens + max(0.0, now - self._at) * self._rate)
        self._at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        self.dropped += 1
        return False


# ------------------------------------------------------------------------------------------
# Events


@dataclass(frozen=True)
class KeysAgreed:
    """The code was right on both sides; show ``verification`` to the person."""

    verification: str


@dataclass(frozen=True)
class WrongCodeEntered:
    """The peer used another code; the agent burns this code and shows a fresh one."""


@dataclass(frozen=True)
class PeerIntroduced:
    """The peer's Hello arrived: the session runs at protocol ``version`` from now on.

    Why: the session record (the GDPR record of who did what) must say which protocol the
    session ran at and which app versions both sides said they were (``peer_app_version`` is
    as claimed by the peer, free text; ``app_version`` is this program's)."""

    version: int
    app_version: str
    peer_app_version: str


@dataclass(frozen=True)
class ConsentRequested:
    """Agent side: ask the customer.

    ``name`` and ``organisation`` are as claimed in the Hello (unverified); ``identity`` is
    the verdict on the technician's certificate and proof: only when ``identity.verified`` may
    the dialog show ``identity.certificate``'s names as verified.
    """

    name: str
    organisation: str
    verification: str
    permissions: frozenset[str]
    identity: ident.Verification = ident.UNCHECKED


@dataclass(frozen=True)
class ConsentAnswered:
    """Console side: the customer's decision."""

    allowed: bool
    permissions: frozenset[str]


@dataclass(frozen=True)
class PermissionsChanged:
    """What is granted now (after the customer revoked or re-granted control)."""

    permissions: frozenset[str]


@dataclass(frozen=True)
class PermissionsRequested:
    """Agent side: the technician asks for these too (only those not granted now); the panel
    asks the customer (Allow / Not now) and answers with :meth:`AgentSession.set_permission`."""

    permissions: frozenset[str]


@dataclass(frozen=True)
class ClipboardReceived:
    """Both sides: clipboard text from the other side (``clipboard`` granted, not paused).
    Put it on the local clipboard only; never show or run it."""

    text: str


@dataclass(frozen=True)
class FileOffered:
    """Receiver: the peer offers a file (this side's permission holds, size within
    ``max_file_size``). ``info.name`` is already :func:`offer_name` of the sender's (one safe
    component; still text from outside: show it as plain text). The shell picks
    the target (maybe a partial file: ``incoming(id).absorb_prefix``), then ``accept_file``."""

    info: FileInfo


@dataclass(frozen=True)
class FileAccepted:
    """Sender: the receiver takes file ``id`` from ``offset`` on (first, or again after a
    resume): read from there what ``outgoing(id).next_chunk`` asks for."""

    id: int
    offset: int


@dataclass(frozen=True)
class FileChunkReceived:
    """Receiver: write these bytes at ``offset`` (they are in order and within the size),
    then call ``file_written``. The session keeps no copy."""

    id: int
    offset: int
    data: bytes


@dataclass(frozen=True)
class FileProgress:
    """Both sides: ``done`` of ``size`` bytes of transfer ``id``. Sender: after every FileAck
    (the window opened: ask ``next_chunk`` again); receiver: bytes written, at most every
    1 % or :data:`PROGRESS_INTERVAL`."""

    direction: str
    id: int
    done: int
    size: int


@dataclass(frozen=True)
class FileVerified:
    """Receiver: every byte arrived and its sha256 matched: put the file in place, then call
    ``file_landed`` (the sender hears "completed" only once it is saved, so both sides'
    records say the same, Art. 28)."""

    info: FileInfo


@dataclass(frozen=True)
class FileCompleted:
    """Both sides: every byte arrived, the receiver checked the sha256 and saved the file."""

    info: FileInfo


@dataclass(frozen=True)
class FileCancelled:
    """Both sides: transfer ``id`` ended early for ``reason`` (``FILE_CANCEL_REASONS``);
    ``by_peer``: the other side ended it (else this side, or the customer's revoke here)."""

    direction: str
    id: int
    reason: str
    by_peer: bool


@dataclass(frozen=True)
class InputReceived:
    """Agent side: apply this input (control is granted)."""

    message: InputMessage


@dataclass(frozen=True)
class FrameAcked:
    """Agent side: the console has shown frame ``seq`` (flow-control credit)."""

    seq: int


@dataclass(frozen=True)
class StreamSettingsChanged:
    """Agent side: the technician chose another picture quality / bandwidth cap.

    ``quality`` 1..100, or 0 for lossless only; ``max_bytes_per_s`` 0 = unlimited.
    """

    quality: int
    max_bytes_per_s: int


@dataclass(frozen=True)
class FrameReceived:
    """Console side: screen update to decode and show."""

    update: m.FrameUpdate


@dataclass(frozen=True)
class CursorReceived:
    """Console side: remote pointer position and maybe shape."""

    update: m.CursorUpdate


@dataclass(frozen=True)
class LinkEstimated:
    """Console side: the link the agent measured (issue 16): delivery rate, smoothed and
    minimum frame round trip, and the queue it estimates it has built. For the status bar."""

    rate_bytes_per_s: int
    rtt_ms: int
    min_rtt_ms: int
    queue_ms: int


@dataclass(frozen=True)
class RoundTripMeasured:
    """Console side: a Ping came back after ``ms`` milliseconds."""

    ms: float


@dataclass(frozen=True)
class ChatReceived:
    """Both sides: a chat line from the other side (plain text, already checked).

    ``dropped_before`` counts lines dropped since the last delivered one because the other side
    sent faster than :data:`CHAT_BURST` / :data:`CHAT_PER_SECOND` allow.
    """

    text: str
    dropped_before: int = 0


@dataclass(frozen=True)
class ChatRecordingChanged:
    """Console side: the customer opted in (or out) of keeping the chat in the audit."""

    recorded: bool


@dataclass(frozen=True)
class SharingPausedChanged:
    """Both sides: screen and control are paused (or go on); ``reason`` is
    ``"timeout"`` or ``"customer"`` (``messages.PAUSE_REASONS``)."""

    paused: bool
    reason: str


@dataclass(frozen=True)
class NoticeReceived:
    """Console side (issue 18): the customer's OS blocks something (or no longer does);
    ``code`` is one of ``messages.NOTICE_CODES`` (unknown codes never get here)."""

    code: str


@dataclass(frozen=True)
class MonitorChosen:
    """Agent side: the technician asks to share monitor ``index`` (0 = all). The shell checks
    it against the monitors it has and answers with :meth:`AgentSession.set_monitors`."""

    index: int


@dataclass(frozen=True)
class MonitorsChanged:
    """Console side: the customer's monitors and which one is shared (0 = all)."""

    monitors: tuple[m.Monitor, ...]
    shared: int


#: What the technician shows without controlling (drawn by the agent's overlay, never input).
ShowMessage = m.LaserPointer | m.Annotation | m.AnnotationClear
SHOW_TYPES = (m.LaserPointer, m.Annotation, m.AnnotationClear)


@dataclass(frozen=True)
class ShowReceived:
    """Agent side: draw this pointer/annotation message on the overlay (``view`` is granted
    and sharing is not paused)."""

    message: ShowMessage


@dataclass(frozen=True)
class SessionEnded:
    """The session is over. ``reason`` is a stable id, ``message`` human text (may be empty)."""

    reason: str
    message: str = ""
    by_peer: bool = False


Event = (
    KeysAgreed
    | PeerIntroduced
    | WrongCodeEntered
    | ConsentRequested
    | ConsentAnswered
    | PermissionsChanged
    | PermissionsRequested
    | ClipboardReceived
    | FileOffered
    | FileAccepted
    | FileChunkReceived
    | FileProgress
    | FileVerified
    | FileCompleted
    | FileCancelled
    | InputReceived
    | FrameAcked
    | StreamSettingsChanged
    | FrameReceived
    | CursorReceived
    | RoundTripMeasured
    | LinkEstimated
    | ChatReceived
    | ChatRecordingChanged
    | SharingPausedChanged
    | NoticeReceived
    | MonitorChosen
    | MonitorsChanged
    | ShowReceived
    | SessionEnded
)


@dataclass
class Step:
    """What one call leads to: bytes to send (in order), and events for the application."""

    outgoing: list[bytes] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class Phase(Enum):
    HANDSHAKE = "handshake"
    INTRODUCING = "introducing"  # keys agreed, waiting for the peer's Hello
    CONSENT = "consent"  # agent: waiting for the customer; console: waiting for the answer
    ACTIVE = "active"
    ENDED = "ended"


def silence_limit(phase: Phase) -> float | None:
    """Seconds the console waits in ``phase`` for the agent to move the session on (None: no
    limit, the session runs). A hostile or broken agent that pairs and then says nothing, or never
    answers the consent request, must not keep the technician waiting for ever."""
    if phase in (Phase.HANDSHAKE, Phase.INTRODUCING):
        return PEER_SILENCE_TIMEOUT
    if phase is Phase.CONSENT:
        return CONSENT_TIMEOUT + PEER_SILENCE_TIMEOUT
    return None


# ------------------------------------------------------------------------------------------
# The transition tables (h11's ``_state.py`` is the model)
#
# Every phase change of a session is listed here and nowhere else: the code below looks the
# next phase up and never decides it in an if-chain. A pair that is not listed is not allowed:
# from the peer it is a RemoteProtocolError (the session ends with ``protocol_error``), from
# this program (a local action) it does nothing, or raises LocalProtocolError where doing
# nothing would hide a bug (sealing a frame without consent).

#: What moves a session on: a received message's type, or (type, variant) where the content
#: decides the next phase (h11 keys a protocol-switching response the same way), or in the
#: HANDSHAKE phase the handshake's outcome type.
EventKey = type | tuple[type, str]

ALLOWED, DENIED = "allowed", "denied"


def event_key(msg: m.Message) -> EventKey:
    """The key of ``msg`` in :data:`TRANSITIONS`."""
    if isinstance(msg, m.ConsentDecision):
        return (m.ConsentDecision, ALLOWED if msg.allowed else DENIED)
    return type(msg)


def _after_handshake(phase: Phase, table: dict[EventKey, Phase]) -> dict[EventKey, Phase]:
    """``table`` plus what every phase after the handshake accepts: the peer may end the
    session at any time (``End``, ``Error``) and measure the round trip (``Ping``)."""
    return {m.End: Phase.ENDED, m.Error: Phase.ENDED, m.Ping: phase, **table}


def _stay(phase: Phase, *kinds: type) -> dict[EventKey, Phase]:
    return dict.fromkeys(kinds, phase)


#: Issue 17's messages both sides take while active (each is checked against the permissions
#: where it is handled: without them an offer is refused, text dropped and counted).
CLIPBOARD_AND_FILES = (m.ClipboardText, m.FileOffer, m.FileAccept, m.FileChunk, m.FileAck,
                       m.FileComplete, m.FileCancel)

_HANDSHAKE: dict[EventKey, Phase] = {Established: Phase.INTRODUCING, WrongCode: Phase.ENDED}

#: (role, phase) -> {what the peer sent -> next phase}. Not in the table: not allowed. Rules
#: the key alone cannot say are checked where the message is handled: the agent takes one
#: ``Hello``, at most one ``TechnicianProof`` after it, and a ``ConsentRequest`` only after the
#: Hello (all as "unexpected" when broken).
TRANSITIONS: dict[str, dict[Phase, dict[EventKey, Phase]]] = {
    "agent": {
        Phase.HANDSHAKE: _HANDSHAKE,
        Phase.INTRODUCING: _after_handshake(Phase.INTRODUCING, {
            m.Hello: Phase.INTRODUCING,
            m.TechnicianProof: Phase.INTRODUCING,
            m.ConsentRequest: Phase.CONSENT,
        }),
        # Input and acks the console sent in flight before it learned the answer: dropped.
        Phase.CONSENT: _after_handshake(Phase.CONSENT,
                                        _stay(Phase.CONSENT, *INPUT_TYPES, m.FrameAck)),
        Phase.ACTIVE: _after_handshake(Phase.ACTIVE, _stay(
            Phase.ACTIVE, *INPUT_TYPES, m.FrameAck, m.StreamSettings, m.Pong, m.ChatText,
            m.ChooseMonitor, *SHOW_TYPES, m.PermissionRequest, *CLIPBOARD_AND_FILES)),
        Phase.ENDED: {},
    },
    "console": {
        Phase.HANDSHAKE: _HANDSHAKE,
        Phase.INTRODUCING: _after_handshake(Phase.INTRODUCING, {m.Hello: Phase.CONSENT}),
        Phase.CONSENT: _after_handshake(Phase.CONSENT, {
            (m.ConsentDecision, ALLOWED): Phase.ACTIVE,
            (m.ConsentDecision, DENIED): Phase.CONSENT,  # the agent's End follows
        }),
        Phase.ACTIVE: _after_handshake(Phase.ACTIVE, _stay(
            Phase.ACTIVE, m.FrameUpdate, m.CursorUpdate, m.PermissionChange, m.Pong,
            m.ChatText, m.ChatRecording, m.SharingPaused, m.Monitors, m.LinkEstimate,
            m.SystemNotice, *CLIPBOARD_AND_FILES)),
        Phase.ENDED: {},
    },
}

#: Local actions: (role, phase) -> {action -> next phase}. Outside the table an action does
#: nothing (the session moved on meanwhile, e.g. the peer ended it while the customer was still
#: reading the dialog), except sealing a frame or cursor, which raises NotPermitted.
_END_ANYTIME = {"end": Phase.ENDED}
LOCAL_TRANSITIONS: dict[str, dict[Phase, dict[str, Phase]]] = {
    "agent": {
        Phase.HANDSHAKE: _END_ANYTIME,
        Phase.INTRODUCING: _END_ANYTIME,
        Phase.CONSENT: {"allow": Phase.ACTIVE, "deny": Phase.ENDED, **_END_ANYTIME},
        Phase.ACTIVE: {"set_permission": Phase.ACTIVE, "seal": Phase.ACTIVE,
                       "chat": Phase.ACTIVE, "chat_recording": Phase.ACTIVE,
                       "pause": Phase.ACTIVE, "monitors": Phase.ACTIVE,
                       "clipboard": Phase.ACTIVE, "files": Phase.ACTIVE,
                       "notice": Phase.ACTIVE, **_END_ANYTIME},
        Phase.ENDED: {},
    },
    "console": {
        Phase.HANDSHAKE: _END_ANYTIME,
        Phase.INTRODUCING: _END_ANYTIME,
        Phase.CONSENT: _END_ANYTIME,
        Phase.ACTIVE: {
            "send_input": Phase.ACTIVE,
            "ack": Phase.ACTIVE,
            "stream_settings": Phase.ACTIVE,
            "ping": Phase.ACTIVE,
            "chat": Phase.ACTIVE,
            "show": Phase.ACTIVE,
            "choose_monitor": Phase.ACTIVE,
            "ask_permissions": Phase.ACTIVE,
            "clipboard": Phase.ACTIVE,
            "files": Phase.ACTIVE,
            **_END_ANYTIME,
        },
        Phase.ENDED: {},
    },
}

Handler = Callable[[Any, Step], None]

#: The trust of an agent without branding: no organisation, unverified technicians allowed.
UNBRANDED = ident.TrustPolicy()


# ------------------------------------------------------------------------------------------
# Common machinery


def offer_name(name: str) -> str:
    """The name a FileOffer carries, and the name a received offer is known by: one safe
    path component (:func:`shared.filenames.safe_name`: no folders of the sender's disk, no
    reserved or hidden names, no bidi tricks, at most 200 UTF-8 bytes)."""
    return safe_name(name)


@dataclass
class _Sending:
    """One of this side's open transfers: its window, and the next byte on the wire."""

    file: OutgoingFile
    wire: int = 0
    #: No FileAccept yet, or none since the last resume: nothing may be sent.
    awaiting: bool = True


@dataclass
class _Receiving:
    """One of the peer's open transfers: what arrived, what the shell wrote."""

    file: IncomingFile
    accepted: bool = False
    written: int = 0
    #: every byte arrived and matched the hash: the shell is putting it in place
    verified: bool = False
    reported: int = 0  # bytes in the last FileProgress
    reported_at: float = 0.0


#: Every rect encoding this program's codec has (``shared.codec.Encoding``).
_CODEC_ENCODINGS = frozenset(int(e) for e in Encoding)


class _Session:
    _role: str
    _peer_role: str
    _budget_clock: Callable[[], float]  # set by the subclass before __init__ (chat budget)
    #: The file direction this side sends, and the one it receives.
    _out_dir: str
    _in_dir: str
    requested: frozenset[str]

    def __init__(self, handshake: AgentHandshake | ConsoleHandshake, name: str,
                 organisation: str, app_version: str,
                 transfer_clock: Callable[[], float] = time.monotonic) -> None:
        self._handshake = handshake
        # The oldest version we speak in the field a version-1 peer checks, the newest in the
        # mark it reads past (docs/PROTOCOL.md section 11).
        self._hello = m.Hello(m.MIN_PROTOCOL_VERSION, app_version, self._role,  # type: ignore[arg-type]
                              name, organisation, max_version=m.PROTOCOL_VERSION)
        #: The protocol version of this session: the lower of both sides' newest, known from
        #: the peer's Hello (until then the oldest we speak, so nothing newer can slip out).
        self.version = m.MIN_PROTOCOL_VERSION
        self._encodings = self._encodings_checked()
        self._channel: SecureChannel | None = None
        self.resume_secret = b""  # once keys are agreed: see shared/resume.py
        self.phase = Phase.HANDSHAKE
        self.verification = ""
        self.peer: m.Hello | None = None
        self.permissions: frozenset[str] = frozenset()
        self.end_reason = ""
        self._binding = b""  # what a technician's proof signs (Established.binding)
        #: Screen and control paused by the agent (issue 15's "still sharing?"); chat goes on.
        self.paused = False
        self.pause_reason = ""
        self._chat_in = _Budget(self._budget_clock, CHAT_BURST, CHAT_PER_SECOND)
        self._clipboard_in = _Budget(self._budget_clock, CLIPBOARD_BURST, CLIPBOARD_PER_SECOND)
        #: Clipboard texts sent and delivered (for the audit; never the text).
        self.clipboard_sent = 0
        self.clipboard_received = 0
        #: The largest file this side takes (the shell sets it: branding, or a constant).
        self.max_file_size = DEFAULT_MAX_FILE
        #: The clock of the file windows: the shell's ``next_chunk(now)`` must use the same one
        #: (asyncio's ``loop.time`` is ``time.monotonic``).
        self.transfer_clock = transfer_clock
        self._sending: dict[int, _Sending] = {}
        self._receiving_files: dict[int, _Receiving] = {}
        self._next_id = 1  # this side's next transfer id (ids only rise)
        self._highest_in = 0  # the peer's highest transfer id so far
        self._closed_in: dict[int, str] = {}  # recent closed incoming ids -> outcome
        self._transfers_restated = False
        self._transitions = TRANSITIONS[self._role]
        self._local = LOCAL_TRANSITIONS[self._role]
        self._handlers: dict[type, Handler] = {
            m.End: self._on_end, m.Error: self._on_error, m.Ping: self._on_ping,
            m.Hello: self._on_hello, m.ChatText: self._on_chat,
            m.ClipboardText: self._on_clipboard, m.FileOffer: self._on_file_offer,
            m.FileAccept: self._on_file_accept, m.FileChunk: self._on_file_chunk,
            m.FileAck: self._on_file_ack, m.FileComplete: self._on_file_complete,
            m.FileCancel: self._on_file_cancel, **self._role_handlers(),
        }

    # --- public --------------------------------------------------------------------------

    def start(self) -> bytes:
        """The first message to send once the relay says ``paired``."""
        return self._handshake.start()

    @property
    def ended(self) -> bool:
        return self.phase is Phase.ENDED

    def receive(self, data: bytes) -> Step:
        """Feed one binary message from the relay. Never raises on the peer's bad input: it
        ends the session (a LocalProtocolError, a bug of ours, still propagates)."""
        if self.phase is Phase.ENDED:
            return Step()
        if self.phase is Phase.HANDSHAKE:
            return self._receiving(lambda step: self._receive_handshake(data, step))
        channel = self._channel
        assert channel is not None
        return self._receiving(lambda step: self._dispatch(m.decode(channel.open(data)), step))

    def open_later(self, data: bytes) -> OpenJob | None:
        """For a big message: its decryption as a pure job to run elsewhere (a worker thread:
        input to send is not stuck behind it); finish with :meth:`receive_opened` before the
        next message is received. None: not now (handshake, ended): use :meth:`receive`."""
        if self.phase in (Phase.HANDSHAKE, Phase.ENDED) or self._channel is None:
            return None
        return self._channel.open_job(data)

    def receive_opened(self, job: OpenJob, plaintext: bytes | None) -> Step:
        """:meth:`receive` for a message opened by :meth:`open_later`'s job (``plaintext``: the
        job's result): the same checks, errors and end as if it had been received here."""
        channel = self._channel
        if channel is None:
            return Step()
        return self._receiving(
            lambda step: self._dispatch(m.decode(channel.open_result(job, plaintext)), step))

    def _receiving(self, act: Callable[[Step], None]) -> Step:
        """Run one received message's handling; the peer's bad input ends the session."""
        step = Step()
        if self.phase is Phase.ENDED:
            return step
        try:
            act(step)
        except UnsupportedVersion as exc:
            self._fail(step, exc.reason, f"{exc} Please update Fernhilfe on both computers.")
        except ResourceLimit as exc:  # over a budget: a hostile peer, say so precisely
            self._fail(step, "resource_limit", resource_limit_message(exc))
        except RemoteProtocolError as exc:
            self._fail(step, exc.reason, str(exc))
        except LocalProtocolError:
            raise
        except FernhilfeError as exc:  # e.g. ChannelExhausted: still a clean end, never a trace
            self._fail(step, "error", str(exc))
        return step

    def send_chat(self, text: str) -> Step:
        """Send a chat line (any active session, view-only too; paused too). Nothing unless
        the session is active; text the protocol does not carry raises :class:`ChatRefused`
        (check with :func:`chat_problem` first)."""
        step = Step()
        problem = chat_problem(text)
        if problem is not None:
            raise ChatRefused(problem)
        if self._may("chat") is not None:
            self._send(step, m.ChatText(text))
        return step

    # --- clipboard (issue 17) -----------------------------------------------------------------

    @property
    def clipboard_allowed(self) -> bool:
        """True while clipboard text may cross, either way (granted, active, not paused)."""
        return (self._may("clipboard") is not None and "clipboard" in self.permissions
                and not self.paused)

    def send_clipboard(self, text: str) -> Step:
        """Send clipboard text to the other side: only while :attr:`clipboard_allowed`, else
        nothing (never an error: the permission may have just gone). Text the protocol does
        not carry raises :class:`ClipboardRefused` (check with :func:`clipboard_problem`)."""
        step = Step()
        problem = clipboard_problem(text)
        if problem is not None:
            raise ClipboardRefused(problem)
        if self.clipboard_allowed:
            self._send(step, m.ClipboardText(text))
            self.clipboard_sent += 1
        return step

    def _on_clipboard(self, msg: m.ClipboardText, step: Step) -> None:
        # Permission first: text that crossed a revoke in flight must not use up the budget.
        if self.clipboard_allowed and self._clipboard_in.take():
            self.clipboard_received += 1
            step.events.append(ClipboardReceived(msg.text))
        else:
            self._drop("ClipboardText")

    def _drop(self, kind: str) -> None:
        raise NotImplementedError

    # --- files (issue 17; the pure machines are in shared/transfer.py) -----------------------

    @property
    def files_allowed(self) -> bool:
        """True while this side may offer and send files (its direction's permission is
        granted, the session is active and not paused)."""
        return (self._may("files") is not None
                and DIRECTION_PERMISSION[self._out_dir] in self.permissions and not self.paused)

    def outgoing(self, file_id: int) -> OutgoingFile | None:
        """The window of this side's open transfer ``file_id`` (None: not open)."""
        sending = self._sending.get(file_id)
        return sending.file if sending is not None else None

    def incoming(self, file_id: int) -> IncomingFile | None:
        """The peer's open transfer ``file_id`` (None: not open)."""
        receiving = self._receiving_files.get(file_id)
        return receiving.file if receiving is not None else None

    def offer_file(self, name: str, size: int, sha256: str) -> tuple[int, Step]:
        """Offer a file to the other side: its id and the FileOffer to send. The name is
        reduced to a safe base name first. Raises :class:`NotPermitted` unless
        :attr:`files_allowed`, :class:`TransferRefused` ``"too_many"`` at
        ``MAX_OPEN_TRANSFERS``, ValueError for a size or hash the protocol cannot carry."""
        if not self.files_allowed:
            raise NotPermitted("The customer has not allowed files in this direction now.")
        if len(self._sending) >= m.MAX_OPEN_TRANSFERS or self._next_id > m.MAX_FILE_ID:
            raise TransferRefused("too_many")
        file_id = self._next_id
        try:
            offer = m.FileOffer(file_id, offer_name(name), size, sha256)
        except ProtocolError as exc:
            raise ValueError(f"This file cannot be offered: {exc}") from None
        self._next_id += 1
        self._sending[file_id] = _Sending(OutgoingFile(
            FileInfo(file_id, offer.name, size, sha256, self._out_dir)))
        step = Step()
        self._send(step, offer)
        return file_id, step

    def send_file_chunk(self, file_id: int, offset: int, data: bytes) -> Step:
        """Send the bytes the shell read for ``outgoing(file_id).next_chunk``. Nothing if the
        transfer is gone, not allowed now (paused: it is held), or the bytes are not the next
        ones on the wire (a read from before a pause or resume: the window hands them out
        again)."""
        step = Step()
        sending = self._sending.get(file_id)
        if sending is None or not data or sending.awaiting or not self.files_allowed:
            return step
        end = offset + len(data)
        if end > sending.file.info.size:
            raise LocalProtocolError("A chunk runs past the end of the offered file.")
        if end <= sending.wire:
            return step  # sent already
        if offset > sending.wire:  # something before it was not sent: ask for it again
            sending.file.retreat(sending.wire)
            return step
        self._send(step, m.FileChunk(file_id, sending.wire, bytes(data[sending.wire - offset:])))
        sending.wire = end
        sending.file.mark_sent(end, self.transfer_clock())
        return step

    def accept_file(self, file_id: int, offset: int = 0) -> Step:
        """Take the offered file from ``offset`` on: 0, or the length of a partial file the
        shell holds and already fed to ``incoming(file_id).absorb_prefix``. A file held whole
        completes at once. Nothing if the transfer is gone (cancelled or revoked meanwhile)."""
        step = Step()
        receiving = self._receiving_files.get(file_id)
        if receiving is None or self._may("files") is None:
            return step
        if receiving.accepted:
            raise LocalProtocolError("This transfer was accepted already.")
        if offset != receiving.file.received:
            raise LocalProtocolError("Feed the held prefix to absorb_prefix before accepting "
                                     "at its length.")
        receiving.accepted = True
        receiving.written = offset
        self._send(step, m.FileAccept(file_id, offset))
        if offset == receiving.file.info.size:
            self._finish_incoming(receiving, step)
        return step

    def refuse_file(self, file_id: int, reason: str) -> Step:
        """Do not take (or stop taking) the peer's file ``file_id``: ``"cancelled"``,
        ``"no_space"``, ``"error"`` ..."""
        return self.cancel_file(self._in_dir, file_id, reason)

    def cancel_file(self, direction: str, file_id: int, reason: str = "cancelled") -> Step:
        """End transfer ``file_id`` of ``direction`` from this side (tells the peer). Nothing
        if it is not open (it ended meanwhile)."""
        if reason not in m.FILE_CANCEL_REASONS or direction not in m.FILE_DIRECTIONS:
            raise ValueError(f"cannot cancel a transfer {direction!r} for {reason!r}")
        step = Step()
        table = self._sending if direction == self._out_dir else self._receiving_files
        if file_id in table and self._may("files") is not None:
            self._cancel(step, direction, file_id, reason, tell=True)
        return step

    def file_written(self, file_id: int, offset: int) -> Step:
        """The shell wrote every byte before ``offset``: acknowledge it (the sender's window
        moves on); after the last byte check the hash: FileComplete, or FileCancel
        ``hash_mismatch``. Nothing if the transfer is gone."""
        step = Step()
        receiving = self._receiving_files.get(file_id)
        if receiving is None or self._may("files") is None or receiving.verified:
            return step
        if not receiving.written <= offset <= receiving.file.received:
            raise LocalProtocolError("Written past what was received, or backwards.")
        receiving.written = offset
        if offset == receiving.file.info.size:
            self._finish_incoming(receiving, step)
            return step
        self._send(step, m.FileAck(file_id, offset))
        info = receiving.file.info
        now = self.transfer_clock()
        if (offset - receiving.reported >= info.size / 100
                or now - receiving.reported_at >= PROGRESS_INTERVAL):
            receiving.reported, receiving.reported_at = offset, now
            step.events.append(FileProgress(info.direction, file_id, offset, info.size))
        return step

    def restate_transfers(self) -> Step:
        """After a resume: tell the peer where every transfer stands, since what was in flight
        on the dropped link is gone. As receiver: FileAccept at what arrived (the sender rewinds
        there); as sender: the offers again (the receiver answers what it knows of them). Once
        per resume; nothing unless active."""
        step = Step()
        if self._may("files") is None or self._transfers_restated:
            return step
        self._transfers_restated = True
        for file_id, receiving in self._receiving_files.items():
            if receiving.accepted:
                self._send(step, m.FileAccept(file_id, receiving.file.received))
        for file_id, sending in self._sending.items():
            info = sending.file.info
            self._send(step, m.FileOffer(file_id, info.name, info.size, info.sha256))
        return step

    def _transfers_resumed(self) -> None:
        """A new link: every outgoing transfer waits for the receiver to say where it stands
        (a chunk sent before that could skip bytes lost with the old link)."""
        self._transfers_restated = False
        for sending in self._sending.values():
            sending.awaiting = sending.file.held = True

    def _hold_transfers(self, held: bool, step: Step) -> None:
        """Paused (or going on): no file data is handed out or sent while paused; after it,
        what was read meanwhile is read again from the wire position."""
        for file_id, sending in self._sending.items():
            if held:
                sending.file.held = True
            elif not sending.awaiting:
                sending.file.retreat(sending.wire)
                sending.file.held = False
                info = sending.file.info
                step.events.append(FileProgress(info.direction, file_id,
                                                sending.file.acked_bytes, info.size))

    def _cancel_direction(self, direction: str, step: Step, *, tell: bool) -> None:
        """The permission of ``direction`` is gone: every open transfer of it ends "revoked"."""
        table = self._sending if direction == self._out_dir else self._receiving_files
        for file_id in list(table):
            self._cancel(step, direction, file_id, "revoked", tell=tell, by_peer=not tell)

    def _cancel(self, step: Step, direction: str, file_id: int, reason: str, *, tell: bool,
                by_peer: bool = False) -> None:
        if direction == self._out_dir:
            del self._sending[file_id]
        else:
            del self._receiving_files[file_id]
            self._remember(file_id, reason)
        if tell:
            self._send(step, m.FileCancel(file_id, direction, reason))
        step.events.append(FileCancelled(direction, file_id, reason, by_peer))

    def _remember(self, file_id: int, outcome: str) -> None:
        self._closed_in[file_id] = outcome
        while len(self._closed_in) > REMEMBERED_TRANSFERS:
            del self._closed_in[next(iter(self._closed_in))]

    def _finish_incoming(self, receiving: _Receiving, step: Step) -> None:
        """The last byte is written: the shell puts a verified file in place (FileVerified,
        then ``file_landed``); the transfer stays open until then, so a resume restates it as
        received whole and an offer said again waits for the outcome."""
        info = receiving.file.info
        if receiving.file.verify():
            receiving.verified = True
            step.events.append(FileProgress(info.direction, info.id, info.size, info.size))
            step.events.append(FileVerified(info))
        else:
            self._cancel(step, info.direction, info.id, "hash_mismatch", tell=True)

    def file_landed(self, file_id: int, saved: bool) -> Step:
        """The shell put the verified file ``file_id`` in place (``saved``) or could not:
        FileComplete, or FileCancel ``error`` (the sender records what really happened, not
        "completed" for a file that was never saved). Nothing if the transfer ended meanwhile
        (cancelled or revoked while it was being saved: the shell removes what it saved)."""
        step = Step()
        receiving = self._receiving_files.get(file_id)
        if receiving is None or self._may("files") is None:
            return step
        if not receiving.verified:
            raise LocalProtocolError("Only a verified file can land (wait for FileVerified).")
        if not saved:
            self._cancel(step, self._in_dir, file_id, "error", tell=True)
            return step
        del self._receiving_files[file_id]
        self._remember(file_id, "completed")
        self._send(step, m.FileComplete(file_id))
        step.events.append(FileCompleted(receiving.file.info))
        return step

    def _closed(self, msg: m.Message, file_id: int, highest: int) -> None:
        """A message for a transfer that is not open: in flight after it ended (dropped,
        counted), or for one that never existed (the peer's error)."""
        if not 1 <= file_id <= highest:
            raise ProtocolError(f"A {type(msg).__name__} arrived for file {file_id}, which was "
                                "never offered.")
        self._drop(type(msg).__name__)

    def _on_file_offer(self, msg: m.FileOffer, step: Step) -> None:
        direction = self._in_dir
        known = self._receiving_files.get(msg.id)
        name = offer_name(msg.name)  # the sender's name is never used as it came
        if msg.id <= self._highest_in:  # said again after a resume, or an id used twice
            if known is not None:
                if known.file.info.name != name or known.file.info.size != msg.size or (
                        known.file.info.sha256 != msg.sha256):
                    raise ProtocolError("The other side offered two files with one id.")
                return  # known and open: it goes on
            outcome = self._closed_in.get(msg.id, "cancelled")
            self._send(step, m.FileComplete(msg.id) if outcome == "completed"
                       else m.FileCancel(msg.id, direction, outcome))
            return
        self._highest_in = msg.id
        if DIRECTION_PERMISSION[direction] not in self.permissions or self.paused:
            # Not a protocol error: the permission may have gone while the offer was on its way.
            self._drop("FileOffer")
            self._remember(msg.id, "refused")
            self._send(step, m.FileCancel(msg.id, direction, "refused"))
            return
        if len(self._receiving_files) >= m.MAX_OPEN_TRANSFERS:
            raise ProtocolError(f"The other side opened more than {m.MAX_OPEN_TRANSFERS} "
                                "transfers at once.")
        if msg.size > self.max_file_size:
            self._remember(msg.id, "too_large")
            self._send(step, m.FileCancel(msg.id, direction, "too_large"))
            step.events.append(FileCancelled(direction, msg.id, "too_large", False))
            return
        info = FileInfo(msg.id, name, msg.size, msg.sha256, direction)
        self._receiving_files[msg.id] = _Receiving(IncomingFile(info),
                                                   reported_at=self.transfer_clock())
        step.events.append(FileOffered(info))

    def _on_file_accept(self, msg: m.FileAccept, step: Step) -> None:
        sending = self._sending.get(msg.id)
        if sending is None:
            self._closed(msg, msg.id, self._next_id - 1)
            # This side ended it: say so again, in case the word was lost with a dropped link
            # (the receiver would otherwise wait for it for ever; a second cancel is ignored).
            self._send(step, m.FileCancel(msg.id, self._out_dir, "cancelled"))
            return
        out = sending.file
        if not sending.awaiting:
            raise ProtocolError("The other side accepted a file twice.")
        low, high = (out.acked_bytes, sending.wire) if out.started else (0, out.info.size)
        if not low <= msg.offset <= high:
            raise ProtocolError(f"The other side accepted a file at byte {msg.offset}, outside "
                                f"{low}..{high}.")
        out.accepted(msg.offset, self.transfer_clock())
        sending.wire = msg.offset
        sending.awaiting = False
        out.held = self.paused
        step.events.append(FileAccepted(msg.id, msg.offset))

    def _on_file_chunk(self, msg: m.FileChunk, step: Step) -> None:
        receiving = self._receiving_files.get(msg.id)
        if receiving is None:
            self._closed(msg, msg.id, self._highest_in)
            return
        if not receiving.accepted:
            raise ProtocolError("A file chunk arrived before the file was accepted.")
        receiving.file.chunk(msg.offset, msg.data)  # order and size: else ProtocolError
        step.events.append(FileChunkReceived(msg.id, msg.offset, msg.data))

    def _on_file_ack(self, msg: m.FileAck, step: Step) -> None:
        sending = self._sending.get(msg.id)
        if sending is None:
            self._closed(msg, msg.id, self._next_id - 1)
            return
        out = sending.file
        # While waiting for the receiver's word after a resume its acks of what it wrote from
        # the old link may still come first: fine, as long as they lie within what was sent.
        if not out.started or not out.acked_bytes <= msg.offset <= sending.wire:
            raise ProtocolError(f"The other side acknowledged byte {msg.offset} of a file, "
                                "which was not sent.")
        out.acked(msg.offset, self.transfer_clock())
        step.events.append(FileProgress(out.info.direction, msg.id, msg.offset, out.info.size))

    def _on_file_complete(self, msg: m.FileComplete, step: Step) -> None:
        sending = self._sending.get(msg.id)
        if sending is None:
            self._closed(msg, msg.id, self._next_id - 1)
            return
        info = sending.file.info
        if sending.wire != info.size:  # (awaiting is fine: the answer to an offer said again)
            raise ProtocolError("The other side completed a file before it was sent.")
        del self._sending[msg.id]
        step.events.append(FileProgress(info.direction, msg.id, info.size, info.size))
        step.events.append(FileCompleted(info))

    def _on_file_cancel(self, msg: m.FileCancel, step: Step) -> None:
        outgoing = msg.direction == self._out_dir
        table: Mapping[int, object] = self._sending if outgoing else self._receiving_files
        if msg.id not in table:
            self._closed(msg, msg.id, self._next_id - 1 if outgoing else self._highest_in)
            return
        self._cancel(step, msg.direction, msg.id, msg.reason, tell=False, by_peer=True)


    def end(self, reason: str) -> Step:
        """End the session from this side (``reason`` from ``messages.END_REASONS``)."""
        step = Step()
        if self._may("end") is None:
            return step
        if self._channel is not None:
            self._send(step, m.End(self.wire_reason(reason)))
        self._finish(step, reason, by_peer=False)
        return step

    def wire_reason(self, reason: str) -> str:
        """The end reason the peer is told: a reason newer than this session's version becomes
        the older one it stands for (``restarting_elevated`` -> ``customer_ended`` for a
        version-1 console); the local reason stays as it is."""
        since, older = m.END_REASON_SINCE.get(reason, (1, reason))
        return reason if self.version >= since else older

    # --- resume (shared/resume.py): the same session on a new relay connection ------------

    @property
    def resumable(self) -> bool:
        """True while a dropped link may be resumed: the customer allowed, nothing ended."""
        return self.phase is Phase.ACTIVE and bool(self.resume_secret)

    def resume(self, resumed: Resumed) -> None:
        """Continue on the authenticated channel of reconnect ``resumed.n``: new keys, counters
        from 0. What was sealed for the old link and not delivered is gone (never re-sent)."""
        if not self.resumable:
            raise LocalProtocolError("Only an active session can be resumed.")
        self._channel = resumed.channel
        self._transfers_resumed()

    @property
    def waiting_for_peer(self) -> bool:
        """True while only the peer can move the session on (key exchange, introductions)."""
        return self.phase in (Phase.HANDSHAKE, Phase.INTRODUCING)

    def peer_silent(self) -> Step:
        """The peer said nothing for :data:`PEER_SILENCE_TIMEOUT` while it had to: end."""
        return self.abort("peer_timeout", "The other side stopped responding.")

    def peer_lost(self, message: str = "The connection to the other side was lost.") -> Step:
        """The relay connection or the peer went away without an orderly End."""
        step = Step()
        if self._may("end") is not None:
            self._finish(step, "peer_gone", message, by_peer=True)
        return step

    def abort(self, code: str, message: str) -> Step:
        """End because something local found the peer's behaviour bad (e.g. a bogus ack)."""
        step = Step()
        if self._may("end") is not None:
            self._fail(step, code, message)
        return step

    # --- internals -----------------------------------------------------------------------

    def _may(self, action: str) -> Phase | None:
        """The phase ``action`` leads to now, or None: not allowed in this phase."""
        return self._local[self.phase].get(action)

    def _receive_handshake(self, data: bytes, step: Step) -> None:
        result = self._handshake.receive(data)
        step.outgoing.extend(result.outgoing)
        outcome = result.outcome
        if outcome is None:
            return  # the key exchange goes on
        after = self._transitions[Phase.HANDSHAKE][type(outcome)]
        if isinstance(outcome, WrongCode):
            step.events.append(WrongCodeEntered())
            self._finish(step, "wrong_code", "The session code was wrong.", by_peer=True)
        else:
            self._channel = outcome.channel()
            a2c, c2a = ((outcome.send_key, outcome.recv_key) if self._role == "agent"
                        else (outcome.recv_key, outcome.send_key))
            self.resume_secret = resume_secret(a2c, c2a)
            self.verification = outcome.verification
            self.phase = after
            step.events.append(KeysAgreed(self.verification))
            self._binding = outcome.binding  # before the Hello: the console's proof signs it
            self._send(step, self._hello)
            self._on_established(step)

    def _dispatch(self, msg: m.Message, step: Step) -> None:
        """Look the message up in the table, let its handler check and act, then move on."""
        after = self._transitions[self.phase].get(event_key(msg))
        if after is None:
            raise _unexpected(msg, self.phase)
        if not self.speaks(type(msg)):  # newer than this session: the peer broke its word
            raise ProtocolError(f"{type(msg).__name__} is not part of protocol version "
                                f"{self.version}, which this session speaks.")
        self._handlers[type(msg)](msg, step)
        if self.phase is not Phase.ENDED:
            self.phase = after

    def speaks(self, kind: type) -> bool:
        """Whether messages of ``kind`` belong to this session's protocol version."""
        return self.version >= m.MESSAGE_SINCE.get(getattr(kind, "TYPE", 0), 1)

    def _encodings_checked(self) -> frozenset[int] | None:
        """The rect encodings this session's version carries, or None when that is every one
        this program's codec has (then nothing needs checking: a frame costs what it did). An
        encoding missing from ``ENCODING_SINCE`` keeps the check on: it is never sent."""
        mine = self.encodings_in_session()
        return None if mine == _CODEC_ENCODINGS else mine

    def encodings_in_session(self) -> frozenset[int]:
        """Rect encodings a frame of this session may carry (docs/PROTOCOL.md section 11)."""
        return m.encodings_in(self.version)

    def _check_encodings(self, update: m.FrameUpdate, allowed: frozenset[int]) -> None:
        """Raises ProtocolError for a rect whose encoding this session's version lacks."""
        for rect in update.rects:
            if rect.encoding not in allowed:
                raise ProtocolError(f"Rect encoding {rect.encoding} is newer than this "
                                    f"session's protocol version {self.version}.")

    def _send(self, step: Step, msg: m.Message) -> None:
        assert self._channel is not None
        if not self.speaks(type(msg)):  # callers check first: sending it would be our bug
            raise NotPermitted(f"{type(msg).__name__} is newer than this session's protocol "
                               f"version {self.version}.")
        step.outgoing.append(self._channel.seal(m.encode(msg)))

    def _finish(self, step: Step, reason: str, message: str = "", *, by_peer: bool) -> None:
        self.phase = Phase.ENDED
        self.end_reason = reason
        step.events.append(SessionEnded(reason, message, by_peer))

    def _fail(self, step: Step, code: str, message: str) -> None:
        """End because of bad input; tell the peer why if we still can."""
        if self._channel is not None and not self._channel.broken:
            with contextlib.suppress(FernhilfeError):
                self._send(step, m.Error(code, message[: m.MAX_ERROR_MESSAGE]))
        self._finish(step, code, message, by_peer=False)

    # --- handlers of what every phase after the handshake accepts --------------------------

    def _on_end(self, msg: m.End, step: Step) -> None:
        self._finish(step, msg.reason, _END_TEXTS.get(msg.reason, ""), by_peer=True)

    def _on_error(self, msg: m.Error, step: Step) -> None:
        self._finish(step, msg.code, msg.message, by_peer=True)

    def _on_ping(self, msg: m.Ping, step: Step) -> None:
        self._send(step, m.Pong(msg.t))

    def _on_chat(self, msg: m.ChatText, step: Step) -> None:
        if self._chat_in.take():
            step.events.append(ChatReceived(msg.text, self._chat_in.dropped))
            self._chat_in.dropped = 0

    def _on_hello(self, msg: m.Hello, step: Step) -> None:
        if self.peer is not None:  # introductions happen once
            raise _unexpected(msg, self.phase)
        if msg.role != self._peer_role:
            raise ProtocolError(f"The other side claims to be a {msg.role}, not a "
                                f"{self._peer_role}.")
        self.peer = msg
        # The newest both said they speak (the decoder refused a peer without a common one).
        self.version = min(self._hello.newest, msg.newest)
        self._encodings = self._encodings_checked()
        step.events.append(PeerIntroduced(self.version, self._hello.app_version,
                                          msg.app_version))

    def _on_established(self, step: Step) -> None:
        raise NotImplementedError

    def _role_handlers(self) -> dict[type, Handler]:
        raise NotImplementedError


_END_TEXTS = {"denied": "The customer declined the session.",
              "customer_ended": "The customer ended the session.",
              "technician_ended": "The technician ended the session.",
              "timeout": "Nobody answered in time."}


def resource_limit_message(exc: Exception) -> str:
    """The audit/peer text for a budget the other side exceeded (end reason resource_limit)."""
    return f"The other side sent more than this program accepts: {exc}."


def _unexpected(msg: m.Message, phase: Phase) -> ProtocolError:
    return ProtocolError(f"Unexpected {type(msg).__name__} while the session is {phase.value}.")


# ------------------------------------------------------------------------------------------
# Agent


class AgentSession(_Session):
    """The customer's side."""

    _role = "agent"
    _peer_role = "console"
    _out_dir = "to_technician"
    _in_dir = "to_customer"

    def __init__(self, code: SessionCode, *, name: str = "", organisation: str = "",
                 app_version: str = APP_VERSION, entropy: Callable[[int], bytes] | None = None,
                 trust: ident.TrustPolicy = UNBRANDED,
                 clock: Callable[[], float] = time.time,
                 transfer_clock: Callable[[], float] = time.monotonic) -> None:
        if not isinstance(trust, ident.TrustPolicy):
            raise TypeError("trust must be a TrustPolicy")
        self.trust = trust
        #: Unix time for the certificate checks (injectable: tests, a trusted time source).
        self.clock = clock
        #: The verdict on the technician, once the consent request arrived (None before).
        self.identity: ident.Verification | None = None
        self._proof: m.TechnicianProof | None = None
        self._revocations: dict[str, bytes | None] = {}
        self.requested: frozenset[str] = frozenset()
        self.applied_inputs: Counter[str] = Counter()
        self.dropped_inputs: Counter[str] = Counter()
        #: The customer opted in to keep the chat in both audit records (off by default).
        self.chat_recorded = False
        #: Pointer/annotation messages handed to the overlay, by type (for the audit).
        self.shown: Counter[str] = Counter()
        #: The monitors and the shared one (0 = all) last told to the console (set_monitors).
        self.monitors: tuple[m.Monitor, ...] = ()
        self.shared_monitor = 0
        #: The system notices that hold now (``foreground_elevated`` ...): said again after a
        #: resume, cleared by their ``_ok`` code (issue 18).
        self.notices: set[str] = set()
        self._budget_clock = clock
        super().__init__(AgentHandshake(code, entropy=entropy), name, organisation, app_version,
                         transfer_clock)
        self._show_in = _Budget(clock, SHOW_BURST, SHOW_PER_SECOND)
        self._requests_in = _Budget(clock, REQUEST_BURST, REQUEST_PER_SECOND)

    def _on_established(self, step: Step) -> None:
        pass

    @property
    def now(self) -> int:
        """The current unix time in whole seconds, from :attr:`clock`."""
        return int(self.clock())

    def set_revocation_lists(self, lists: Mapping[str, bytes | None]) -> None:
        """The revocation lists the shell fetched, by organisation key id (``None``: the
        fetch failed). Call any time before the consent request arrives; later calls add to
        and replace earlier ones. A list not given counts as missing."""
        for key_id, data in lists.items():
            if type(key_id) is not str or not (data is None or type(data) is bytes):
                raise TypeError("revocation lists map a key id (str) to bytes or None")
            self._revocations[key_id] = data

    def _role_handlers(self) -> dict[type, Handler]:
        return {
            m.TechnicianProof: self._on_proof,
            m.ConsentRequest: self._on_consent_request,
            **dict.fromkeys(INPUT_TYPES, self._on_input),
            m.FrameAck: self._on_frame_ack,
            m.StreamSettings: self._on_stream_settings,
            m.Pong: _ignore,
            m.ChooseMonitor: self._on_choose_monitor,
            **dict.fromkeys(SHOW_TYPES, self._on_show),
            m.PermissionRequest: self._on_permission_request,
        }

    def _drop(self, kind: str) -> None:
        self.dropped_inputs[kind] += 1

    def _on_permission_request(self, msg: m.PermissionRequest, step: Step) -> None:
        if not self._requests_in.take():
            self._drop("PermissionRequest")
            return
        self.requested |= msg.permissions
        new = msg.permissions - self.permissions
        if new:
            step.events.append(PermissionsRequested(new))

    def _on_consent_request(self, msg: m.ConsentRequest, step: Step) -> None:
        if self.peer is None:  # the console introduces itself first
            raise _unexpected(msg, self.phase)
        if "view" not in msg.permissions:
            raise ProtocolError("A session must at least ask to see the screen.")
        if not msg.permissions <= GRANTABLE:
            raise ProtocolError("This version can only grant " + ", ".join(
                f"'{name}'" for name in sorted(GRANTABLE)) + ".")
        self.requested = msg.permissions
        proof = self._proof
        self.identity = identity = ident.verify_technician(
            proof.certificate if proof else None, proof.signature if proof else None,
            binding=self._binding, trusted=self.trust.trusted, revocations=self._revocations,
            now=self.now)
        if self.trust.require_verified and not identity.verified:
            # Refused before the customer is asked: no ConsentRequested, ever.
            self._fail(step, "unverified_technician", refusal_message(identity))
            return
        step.events.append(ConsentRequested(self.peer.name, self.peer.organisation,
                                            self.verification, msg.permissions, identity))

    def _on_proof(self, msg: m.TechnicianProof, step: Step) -> None:
        if self.peer is None or self._proof is not None:  # after the Hello, once
            raise _unexpected(msg, self.phase)
        self._proof = msg

    def _on_input(self, msg: InputMessage, step: Step) -> None:
        kind = type(msg).__name__
        if self.phase is Phase.ACTIVE and "control" in self.permissions and not self.paused:
            self.applied_inputs[kind] += 1
            step.events.append(InputReceived(msg))
        else:  # no control, or sent in flight before the console learned the answer
            self.dropped_inputs[kind] += 1

    def _on_frame_ack(self, msg: m.FrameAck, step: Step) -> None:
        if self.phase is Phase.ACTIVE:
            step.events.append(FrameAcked(msg.seq))
        else:  # in flight before the console learned of a denial
            self.dropped_inputs["FrameAck"] += 1

    def _on_stream_settings(self, msg: m.StreamSettings, step: Step) -> None:
        step.events.append(StreamSettingsChanged(msg.quality, msg.max_bytes_per_s))

    def _on_choose_monitor(self, msg: m.ChooseMonitor, step: Step) -> None:
        # Nothing is shown while paused (the technician may choose after). A flood of choices
        # is the shell's to coalesce (it follows the last one): dropping here could drop it.
        if self.paused:
            self.dropped_inputs["ChooseMonitor"] += 1
        else:
            step.events.append(MonitorChosen(msg.index))

    def _on_show(self, msg: ShowMessage, step: Step) -> None:
        """Pointer and annotations ride on ``view`` (ACTIVE always has it); never input."""
        if self.paused or "view" not in self.permissions or not self._show_in.take():
            self.dropped_inputs[type(msg).__name__] += 1
        else:
            self.shown[type(msg).__name__] += 1
            step.events.append(ShowReceived(msg))

    def decide(self, allowed: bool, permissions: frozenset[str], *,
               reason: str = "denied") -> Step:
        """The customer answered the consent dialog.

        A refusal ends the session with ``reason``: ``"denied"``, or ``"timeout"`` when nobody
        answered in time.
        """
        step = Step()
        after = self._may("allow")
        if after is None:
            return step  # the session ended meanwhile; nothing to say
        granted = frozenset(permissions) & self.requested if allowed else frozenset()
        if allowed and "view" not in granted:
            allowed, granted = False, frozenset()
        self._send(step, m.ConsentDecision(allowed, granted))
        if allowed:
            self.permissions = granted
            self.phase = after
            step.events.append(PermissionsChanged(granted))
        else:
            self._send(step, m.End(reason))
            self._finish(step, reason, "You declined the session." if reason == "denied"
                         else "Nobody answered in time.", by_peer=False)
        return step

    def set_control(self, enabled: bool) -> Step:
        """The customer revoked or re-granted control from the overlay."""
        return self.set_permission("control", enabled)

    def set_permission(self, name: str, granted: bool) -> Step:
        """The customer granted or revoked ``name`` (control, clipboard, files_in, files_out;
        only what the technician asked for). Revoking a file direction cancels its open
        transfers ("revoked"); revoking the clipboard stops it at once, both ways."""
        step = Step()
        if self._may("set_permission") is None or name not in self.requested - {"view"}:
            return step
        new = self.permissions | {name} if granted else self.permissions - {name}
        if new == self.permissions:
            return step
        self.permissions = new
        self._send(step, m.PermissionChange(new))
        step.events.append(PermissionsChanged(new))
        for direction, permission in DIRECTION_PERMISSION.items():
            if permission == name and not granted:
                self._cancel_direction(direction, step, tell=True)
        return step

    def set_chat_recording(self, recorded: bool) -> Step:
        """The customer opted in (or out) of keeping the chat in both audit records."""
        step = Step()
        if self._may("chat_recording") is not None and recorded != self.chat_recorded:
            self.chat_recorded = recorded
            self._send(step, m.ChatRecording(recorded))
        return step

    def set_paused(self, paused: bool, reason: str) -> Step:
        """Pause (or go on with) screen and control: ``reason`` ``"timeout"`` when nobody
        answered "still sharing?", ``"customer"`` when the customer clicked. While paused no
        frame or cursor can be sealed and input, pointer and monitor choices are dropped."""
        step = Step()
        if reason not in m.PAUSE_REASONS:  # a caller's bug, whatever the phase
            raise ValueError(f"unknown pause reason {reason!r}")
        if self._may("pause") is None or paused == self.paused:
            return step
        message = m.SharingPaused(paused, reason)
        self.paused, self.pause_reason = paused, reason if paused else ""
        self._send(step, message)
        step.events.append(SharingPausedChanged(paused, reason))
        self._hold_transfers(paused, step)
        return step

    def send_notice(self, code: str) -> Step:
        """Tell the technician what the customer's OS blocks now, or no longer blocks
        (issue 18): ``code`` from ``messages.NOTICE_CODES``, e.g. ``foreground_elevated`` and
        later ``foreground_ok``. Nothing unless the session is active; an unknown code raises
        ValueError (a caller's bug). What still holds is said again by :meth:`restate`."""
        step = Step()
        if code not in m.NOTICE_CODES:
            raise ValueError(f"unknown notice code {code!r}")
        if self._may("notice") is None or not self.speaks(m.SystemNotice):
            return step  # a version-1 console cannot read it: it is not told
        cleared = m.NOTICE_CLEARS.get(code)
        if cleared is not None:
            self.notices.discard(cleared)
        elif code in m.NOTICE_CLEARS.values():
            self.notices.add(code)
        self._send(step, m.SystemNotice(code))
        return step

    def set_monitors(self, monitors: tuple[m.Monitor, ...], shared: int) -> Step:
        """Tell the console the monitors and which one is shared (0 = all): when sharing
        starts, after a switch, and when monitors come or go."""
        step = Step()
        if self._may("monitors") is not None and "view" in self.permissions:
            message = m.Monitors(tuple(monitors), shared)  # checks them (a caller's bug)
            self.monitors, self.shared_monitor = message.monitors, shared
            self._send(step, message)
        return step

    def restate(self) -> Step:
        """After a resume (shared/resume.py): say again what the console must know and may
        have missed, since what was sealed for the dropped link is never sent: the granted
        permissions, the chat opt-in, the pause and the monitors. The console takes repeats
        as they are. Nothing unless the session is active."""
        step = Step()
        if self._may("monitors") is None:
            return step
        self._send(step, m.PermissionChange(self.permissions))
        self._send(step, m.ChatRecording(self.chat_recorded))
        self._send(step, m.SharingPaused(self.paused, self.pause_reason or "customer"))
        for code in sorted(self.notices):  # empty in a version-1 session
            self._send(step, m.SystemNotice(code))
        if self.monitors:
            self._send(step, m.Monitors(self.monitors, self.shared_monitor))
        restated = self.restate_transfers()
        step.outgoing += restated.outgoing
        return step

    @property
    def sharing(self) -> bool:
        """True while frames and cursor updates may be sealed (view granted, not paused)."""
        return (self._may("seal") is not None and "view" in self.permissions
                and not self.paused)

    def _require_view(self) -> SecureChannel:
        if self._may("seal") is None or "view" not in self.permissions:
            raise NotPermitted("The customer has not allowed screen sharing.")
        if self.paused:
            raise NotPermitted("Screen sharing is paused.")
        assert self._channel is not None
        return self._channel

    def seal_frame(self, update: m.FrameUpdate) -> bytes:
        """Encrypt a screen update; refuses (NotPermitted) unless ``view`` is granted now."""
        return self.reserve_frame(update).seal()

    def reserve_frame(self, update: m.FrameUpdate) -> SealJob:
        """A screen update's place in the send order, sealed later (maybe off the network
        loop: :class:`shared.channel.SealJob`). Same rule as :meth:`seal_frame`, checked now,
        when the counter is taken: the update is then in the wire order exactly as a sealed
        one, before anything reserved or sealed later (a pause said later goes out after it).
        Once reserved it must be sent, or the link dropped: the peer opens counters in order.
        A rect encoding this session's version lacks is refused (NotPermitted): a peer of that
        version could not decode it."""
        channel = self._require_view()
        if self._encodings is not None:
            try:
                self._check_encodings(update, self._encodings)
            except ProtocolError as exc:
                raise NotPermitted(str(exc)) from None
        return channel.reserve(m.encode(update))

    def seal_cursor(self, update: m.CursorUpdate) -> bytes:
        """Encrypt a pointer update; same rule as frames."""
        return self._require_view().seal(m.encode(update))

    def link_estimate(self, rate_bytes_per_s: float, rtt: float, min_rtt: float,
                      queue: float) -> bytes:
        """Encrypt the measured link for the technician's status bar (rate in bytes/s, times in
        seconds; each clamped into its wire range). Same rule as frames: rides on ``view``."""
        channel = self._require_view()

        def ms(seconds: float) -> int:
            return min(0xFFFF, max(0, round(seconds * 1000)))

        message = m.LinkEstimate(min(0xFFFFFFFF, max(0, round(rate_bytes_per_s))), ms(rtt),
                                 ms(min_rtt), ms(queue))
        return channel.seal(m.encode(message))


def refusal_message(identity: ident.Verification) -> str:
    """What an agent that requires verified technicians tells both sides when it refuses one."""
    return (f"This computer accepts only verified technicians; this one was refused "
            f"({identity.verdict.value}): {identity.message}")[:m.MAX_ERROR_MESSAGE]


def _ignore(msg: m.Message, step: Step) -> None:
    """A message that is allowed and needs nothing (an unasked-for Pong)."""


# ------------------------------------------------------------------------------------------
# Console


class ConsoleSession(_Session):
    """The technician's side."""

    _role = "console"
    _peer_role = "agent"
    _out_dir = "to_customer"
    _in_dir = "to_technician"

    def __init__(self, code: SessionCode, *, name: str, organisation: str = "",
                 requested: frozenset[str] = DEFAULT_REQUEST, app_version: str = APP_VERSION,
                 entropy: Callable[[int], bytes] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 identity: ident.TechnicianIdentity | None = None,
                 transfer_clock: Callable[[], float] = time.monotonic) -> None:
        if identity is not None and not isinstance(identity, ident.TechnicianIdentity):
            raise TypeError("identity must be a TechnicianIdentity")
        #: The certificate and key this console proves its technician with (None: unverified).
        self.identity = identity
        self.requested = frozenset(requested)
        self._clock = clock
        self._budget_clock = clock
        self.sent_inputs: Counter[str] = Counter()
        #: The customer opted in to keep the chat in the audit (then this side records it too).
        self.chat_recorded = False
        #: The customer's monitors and the shared one (0 = all), from the last Monitors.
        self.monitors: tuple[m.Monitor, ...] = ()
        self.shared_monitor = 0
        #: What the agent sent that this side dropped, by type (clipboard text while not
        #: allowed or over the budget, refused offers, file messages in flight after an end).
        self.dropped: Counter[str] = Counter()
        self._notices_in = _Budget(clock, NOTICE_BURST, NOTICE_PER_SECOND)
        super().__init__(ConsoleHandshake(code, entropy=entropy), name, organisation, app_version,
                         transfer_clock)

    @property
    def presented(self) -> ident.CertificateFields | None:
        """What this console presents to the agent (for its audit record), or None."""
        return self.identity.fields if self.identity is not None else None

    def _on_established(self, step: Step) -> None:
        if self.identity is not None:  # after the Hello, before the consent request
            proof = ident.sign_proof(self.identity.seed, self._binding)
            self._send(step, m.TechnicianProof(self.identity.certificate, proof))
        self._send(step, m.ConsentRequest(self.requested))

    def _on_frame(self, msg: m.FrameUpdate, step: Step) -> None:
        # A rect encoding newer than this session's version: a protocol error, as it is for a
        # program of that version (its decoder does not know it).
        if self._encodings is not None:
            self._check_encodings(msg, self._encodings)
        step.events.append(FrameReceived(msg))

    def _role_handlers(self) -> dict[type, Handler]:
        return {
            m.ConsentDecision: self._on_decision,
            m.FrameUpdate: self._on_frame,
            m.CursorUpdate: lambda msg, step: step.events.append(CursorReceived(msg)),
            m.PermissionChange: self._on_permission_change,
            m.Pong: self._on_pong,
            m.ChatRecording: self._on_chat_recording,
            m.SharingPaused: self._on_sharing_paused,
            m.SystemNotice: self._on_notice,
            m.Monitors: self._on_monitors,
            m.LinkEstimate: self._on_link_estimate,
        }

    def _drop(self, kind: str) -> None:
        self.dropped[kind] += 1

    def ask_permissions(self, perms: frozenset[str]) -> Step:
        """Ask the customer for more during the session (``REQUESTABLE`` names): those not
        granted now go to the agent, which asks her. Nothing unless active."""
        step = Step()
        perms = frozenset(perms)
        if not perms or not perms <= m.REQUESTABLE:
            raise ValueError(f"only {sorted(m.REQUESTABLE)} can be asked for later")
        new = perms - self.permissions
        if self._may("ask_permissions") is not None and new:
            self.requested |= new
            self._send(step, m.PermissionRequest(new))
        return step

    def _check_grant(self, permissions: frozenset[str]) -> None:
        if not permissions <= self.requested:
            raise ProtocolError("The other side granted permissions that were never asked for.")

    def _on_decision(self, msg: m.ConsentDecision, step: Step) -> None:
        self._check_grant(msg.permissions)
        step.events.append(ConsentAnswered(msg.allowed, msg.permissions))
        if msg.allowed:
            if "view" not in msg.permissions:
                raise ProtocolError("A session was allowed without the screen.")
            self.permissions = msg.permissions
            step.events.append(PermissionsChanged(msg.permissions))

    def _on_permission_change(self, msg: m.PermissionChange, step: Step) -> None:
        self._check_grant(msg.permissions)
        if msg.permissions == self.permissions:  # said again after a resume: no change
            return
        self.permissions = msg.permissions
        step.events.append(PermissionsChanged(msg.permissions))
        for direction, permission in DIRECTION_PERMISSION.items():
            if permission not in msg.permissions:  # the agent cancelled them already
                self._cancel_direction(direction, step, tell=False)

    def _on_pong(self, msg: m.Pong, step: Step) -> None:
        sent = msg.t / 1e6
        step.events.append(RoundTripMeasured(max(0.0, (self._clock() - sent) * 1000)))

    def _on_chat_recording(self, msg: m.ChatRecording, step: Step) -> None:
        if msg.recorded == self.chat_recorded:  # said again after a resume: no change
            return
        self.chat_recorded = msg.recorded
        step.events.append(ChatRecordingChanged(msg.recorded))

    def _on_sharing_paused(self, msg: m.SharingPaused, step: Step) -> None:
        if msg.paused == self.paused:  # said again after a resume: no change
            return
        self.paused, self.pause_reason = msg.paused, msg.reason if msg.paused else ""
        step.events.append(SharingPausedChanged(msg.paused, msg.reason))
        self._hold_transfers(msg.paused, step)

    def _on_notice(self, msg: m.SystemNotice, step: Step) -> None:
        # A newer agent's code: ignored and counted (agents may add codes, old consoles go on).
        if msg.code not in m.NOTICE_CODES:
            self._drop("SystemNotice:unknown")
        elif self._notices_in.take():
            step.events.append(NoticeReceived(msg.code))
        else:
            self._drop("SystemNotice")

    def _on_link_estimate(self, msg: m.LinkEstimate, step: Step) -> None:
        step.events.append(LinkEstimated(msg.rate_bytes_per_s, msg.rtt_ms, msg.min_rtt_ms,
                                         msg.queue_ms))

    def _on_monitors(self, msg: m.Monitors, step: Step) -> None:
        self.monitors, self.shared_monitor = msg.monitors, msg.shared
        step.events.append(MonitorsChanged(msg.monitors, msg.shared))

    @property
    def control_granted(self) -> bool:
        return self.phase is Phase.ACTIVE and "control" in self.permissions and not self.paused

    def send_input(self, msg: InputMessage) -> Step:
        """Encrypt an input event; silently nothing unless control is granted now (and
        sharing is not paused)."""
        step = Step()
        if (self._may("send_input") is not None and "control" in self.permissions
                and not self.paused):
            self._send(step, msg)
            self.sent_inputs[type(msg).__name__] += 1
        return step

    def ack(self, seq: int) -> Step:
        """Tell the agent frame ``seq`` is shown (gives back one flow-control credit)."""
        step = Step()
        if self._may("ack") is not None:
            self._send(step, m.FrameAck(seq))
        return step

    def set_stream_settings(self, quality: int, max_bytes_per_s: int) -> Step:
        """Ask the agent for another picture quality (1..100, 0 = lossless only) and bandwidth
        cap (bytes per second, 0 = unlimited). Nothing unless the session is active; invalid
        values raise ProtocolError (a caller bug)."""
        step = Step()
        if self._may("stream_settings") is not None:
            self._send(step, m.StreamSettings(quality, max_bytes_per_s))
        return step

    def send_show(self, msg: ShowMessage) -> Step:
        """Show without controlling: a laser pointer position or an annotation (rides on
        ``view``). Nothing unless the session is active and not paused."""
        step = Step()
        if not isinstance(msg, SHOW_TYPES):
            raise TypeError("send_show takes LaserPointer, Annotation or AnnotationClear")
        if self._may("show") is not None and "view" in self.permissions and not self.paused:
            self._send(step, msg)
        return step

    def choose_monitor(self, index: int) -> Step:
        """Ask the agent to share monitor ``index`` (1..n of :attr:`monitors`, 0 = all)."""
        step = Step()
        if self._may("choose_monitor") is not None:
            self._send(step, m.ChooseMonitor(index))
        return step

    def ping(self) -> Step:
        """Measure the round trip; the answer arrives as :class:`RoundTripMeasured`."""
        step = Step()
        if self._may("ping") is not None:
            self._send(step, m.Ping(int(self._clock() * 1e6)))
        return step
