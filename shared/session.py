"""Agent and console session state machines (sans-I/O).

These are the whole security policy of a session in one place: handshake, then introductions
(``Hello``), then the consent request and the customer's decision, then the active phase in which
frames flow one way and input the other, then the end. The I/O shells feed received websocket
messages into :meth:`receive` and send whatever comes back; they never decide policy themselves.

Rules enforced here (DESIGN.md §3–5):

* nothing but handshake messages before keys are confirmed; a wrong code is a distinct outcome;
* every later message goes through the :class:`~shared.channel.SecureChannel`, so a forged,
  replayed, dropped or reordered message ends the session with an integrity error;
* the agent cannot seal a single frame or cursor update before the customer allowed ``view``,
  and input is only handed on while ``control`` is granted (otherwise dropped and counted);
* the console never accepts frames before consent, nor permissions it did not ask for;
* any malformed, unexpected or hostile message ends the session with a clear reason (and an
  ``Error`` message to the peer) instead of an exception escaping into the I/O shell.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from shared import messages as m
from shared.channel import SecureChannel
from shared.codec import ResourceLimit
from shared.codes import SessionCode
from shared.errors import (
    FernhilfeError,
    HandshakeError,
    IntegrityError,
    ProtocolError,
    UnsupportedVersion,
)
from shared.handshake import AgentHandshake, ConsoleHandshake, Established, WrongCode

APP_VERSION = "0.1.0"
#: After pairing, the peer must finish the key exchange, introduce itself and (console) ask for
#: consent within this many seconds; a silent peer would otherwise hold a spent code for ever.
#: The customer's own answer has the consent dialog's 2-minute timeout instead.
PEER_SILENCE_TIMEOUT = 30.0
#: How long the customer has to answer the consent dialog (DESIGN: no answer within 2 minutes =
#: Deny). The console waits that long plus :data:`PEER_SILENCE_TIMEOUT` for the answer.
CONSENT_TIMEOUT = 120.0
#: What a v1 session can grant; clipboard, files and chat come later, separately granted.
GRANTABLE: frozenset[str] = frozenset({"view", "control"})
INPUT_TYPES = (m.PointerMove, m.PointerButton, m.Wheel, m.Key)
InputMessage = m.PointerMove | m.PointerButton | m.Wheel | m.Key


class NotPermitted(FernhilfeError):
    """This side tried to do something the session does not allow now (a bug in the caller)."""


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
class ConsentRequested:
    """Agent side: ask the customer. The name and organisation are as claimed (unverified)."""

    name: str
    organisation: str
    verification: str
    permissions: frozenset[str]


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
class RoundTripMeasured:
    """Console side: a Ping came back after ``ms`` milliseconds."""

    ms: float


@dataclass(frozen=True)
class SessionEnded:
    """The session is over. ``reason`` is a stable id, ``message`` human text (may be empty)."""

    reason: str
    message: str = ""
    by_peer: bool = False


Event = (
    KeysAgreed
    | WrongCodeEntered
    | ConsentRequested
    | ConsentAnswered
    | PermissionsChanged
    | InputReceived
    | FrameAcked
    | StreamSettingsChanged
    | FrameReceived
    | CursorReceived
    | RoundTripMeasured
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
# Common machinery


class _Session:
    _role: str
    _peer_role: str

    def __init__(self, handshake: AgentHandshake | ConsoleHandshake, name: str,
                 organisation: str, app_version: str) -> None:
        self._handshake = handshake
        self._hello = m.Hello(m.PROTOCOL_VERSION, app_version, self._role,  # type: ignore[arg-type]
                              name, organisation)
        self._channel: SecureChannel | None = None
        self.phase = Phase.HANDSHAKE
        self.verification = ""
        self.peer: m.Hello | None = None
        self.permissions: frozenset[str] = frozenset()
        self.end_reason = ""

    # --- public --------------------------------------------------------------------------

    def start(self) -> bytes:
        """The first message to send once the relay says ``paired``."""
        return self._handshake.start()

    @property
    def ended(self) -> bool:
        return self.phase is Phase.ENDED

    def receive(self, data: bytes) -> Step:
        """Feed one binary message from the relay. Never raises on bad input: it ends."""
        step = Step()
        if self.phase is Phase.ENDED:
            return step
        try:
            if self.phase is Phase.HANDSHAKE:
                self._receive_handshake(data, step)
            else:
                assert self._channel is not None
                msg = m.decode(self._channel.open(data))
                self._dispatch(msg, step)
        except UnsupportedVersion as exc:
            self._fail(step, "unsupported_version",
                       f"{exc} Please update Fernhilfe on both computers.")
        except IntegrityError as exc:
            self._fail(step, "integrity_error", str(exc))
        except ResourceLimit as exc:  # over a budget: a hostile peer, say so precisely
            self._fail(step, "resource_limit", resource_limit_message(exc))
        except (ProtocolError, HandshakeError) as exc:
            self._fail(step, "protocol_error", str(exc))
        except FernhilfeError as exc:  # e.g. ChannelExhausted: still a clean end, never a trace
            self._fail(step, "error", str(exc))
        return step

    def end(self, reason: str) -> Step:
        """End the session from this side (``reason`` from ``messages.END_REASONS``)."""
        step = Step()
        if self.phase is Phase.ENDED:
            return step
        if self._channel is not None:
            self._send(step, m.End(reason))
        self._finish(step, reason, by_peer=False)
        return step

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
        if self.phase is not Phase.ENDED:
            self._finish(step, "peer_gone", message, by_peer=True)
        return step

    def abort(self, code: str, message: str) -> Step:
        """End because something local found the peer's behaviour bad (e.g. a bogus ack)."""
        step = Step()
        if self.phase is not Phase.ENDED:
            self._fail(step, code, message)
        return step

    # --- internals -----------------------------------------------------------------------

    def _receive_handshake(self, data: bytes, step: Step) -> None:
        result = self._handshake.receive(data)
        step.outgoing.extend(result.outgoing)
        if isinstance(result.outcome, WrongCode):
            step.events.append(WrongCodeEntered())
            self._finish(step, "wrong_code", "The session code was wrong.", by_peer=True)
        elif isinstance(result.outcome, Established):
            self._channel = result.outcome.channel()
            self.verification = result.outcome.verification
            self.phase = Phase.INTRODUCING
            step.events.append(KeysAgreed(self.verification))
            self._send(step, self._hello)
            self._on_established(step)

    def _send(self, step: Step, msg: m.Message) -> None:
        assert self._channel is not None
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

    def _on_hello(self, msg: m.Hello) -> None:
        if msg.role != self._peer_role:
            raise ProtocolError(f"The other side claims to be a {msg.role}, not a "
                                f"{self._peer_role}.")
        self.peer = msg

    def _common(self, msg: m.Message, step: Step) -> bool:
        """Messages valid in every phase after the handshake. True if handled."""
        if isinstance(msg, m.End):
            texts = {"denied": "The customer declined the session.",
                     "customer_ended": "The customer ended the session.",
                     "technician_ended": "The technician ended the session.",
                     "timeout": "Nobody answered in time."}
            self._finish(step, msg.reason, texts.get(msg.reason, ""), by_peer=True)
            return True
        if isinstance(msg, m.Error):
            self._finish(step, msg.code, msg.message, by_peer=True)
            return True
        if isinstance(msg, m.Ping):
            self._send(step, m.Pong(msg.t))
            return True
        return False

    def _on_established(self, step: Step) -> None:
        raise NotImplementedError

    def _dispatch(self, msg: m.Message, step: Step) -> None:
        raise NotImplementedError


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

    def __init__(self, code: SessionCode, *, name: str = "", organisation: str = "",
                 app_version: str = APP_VERSION, entropy: Callable[[int], bytes] | None = None
                 ) -> None:
        super().__init__(AgentHandshake(code, entropy=entropy), name, organisation, app_version)
        self.requested: frozenset[str] = frozenset()
        self.applied_inputs: Counter[str] = Counter()
        self.dropped_inputs: Counter[str] = Counter()

    def _on_established(self, step: Step) -> None:
        pass

    def _dispatch(self, msg: m.Message, step: Step) -> None:
        if self._common(msg, step):
            return
        if self.phase is Phase.INTRODUCING:
            if isinstance(msg, m.Hello) and self.peer is None:
                self._on_hello(msg)
                return
            if isinstance(msg, m.ConsentRequest) and self.peer is not None:
                if "view" not in msg.permissions:
                    raise ProtocolError("A session must at least ask to see the screen.")
                if not msg.permissions <= GRANTABLE:
                    raise ProtocolError("This version can only grant 'view' and 'control'.")
                self.requested = msg.permissions
                self.phase = Phase.CONSENT
                step.events.append(ConsentRequested(self.peer.name, self.peer.organisation,
                                                    self.verification, msg.permissions))
                return
        elif self.phase is Phase.ACTIVE:
            if isinstance(msg, INPUT_TYPES):
                kind = type(msg).__name__
                if "control" in self.permissions:
                    self.applied_inputs[kind] += 1
                    step.events.append(InputReceived(msg))
                else:
                    self.dropped_inputs[kind] += 1
                return
            if isinstance(msg, m.FrameAck):
                step.events.append(FrameAcked(msg.seq))
                return
            if isinstance(msg, m.StreamSettings):
                step.events.append(StreamSettingsChanged(msg.quality, msg.max_bytes_per_s))
                return
            if isinstance(msg, m.Pong):
                return
        elif self.phase is Phase.CONSENT and isinstance(msg, (*INPUT_TYPES, m.FrameAck)):
            # Sent in flight before the console learned of a denial/answer: drop and count.
            self.dropped_inputs[type(msg).__name__] += 1
            return
        raise _unexpected(msg, self.phase)

    def decide(self, allowed: bool, permissions: frozenset[str], *,
               reason: str = "denied") -> Step:
        """The customer answered the consent dialog.

        A refusal ends the session with ``reason``: ``"denied"``, or ``"timeout"`` when nobody
        answered in time.
        """
        step = Step()
        if self.phase is not Phase.CONSENT:
            return step  # the session ended meanwhile; nothing to say
        granted = frozenset(permissions) & self.requested if allowed else frozenset()
        if allowed and "view" not in granted:
            allowed, granted = False, frozenset()
        self._send(step, m.ConsentDecision(allowed, granted))
        if allowed:
            self.permissions = granted
            self.phase = Phase.ACTIVE
            step.events.append(PermissionsChanged(granted))
        else:
            self._send(step, m.End(reason))
            self._finish(step, reason, "You declined the session." if reason == "denied"
                         else "Nobody answered in time.", by_peer=False)
        return step

    def set_control(self, enabled: bool) -> Step:
        """The customer revoked or re-granted control from the overlay."""
        step = Step()
        if self.phase is not Phase.ACTIVE or "control" not in self.requested:
            return step
        new = self.permissions | {"control"} if enabled else self.permissions - {"control"}
        if new != self.permissions:
            self.permissions = new
            self._send(step, m.PermissionChange(new))
            step.events.append(PermissionsChanged(new))
        return step

    def _require_view(self) -> SecureChannel:
        if self.phase is not Phase.ACTIVE or "view" not in self.permissions:
            raise NotPermitted("The customer has not allowed screen sharing.")
        assert self._channel is not None
        return self._channel

    def seal_frame(self, update: m.FrameUpdate) -> bytes:
        """Encrypt a screen update; refuses (NotPermitted) unless ``view`` is granted now."""
        return self._require_view().seal(m.encode(update))

    def seal_cursor(self, update: m.CursorUpdate) -> bytes:
        """Encrypt a pointer update; same rule as frames."""
        return self._require_view().seal(m.encode(update))


# ------------------------------------------------------------------------------------------
# Console


class ConsoleSession(_Session):
    """The technician's side."""

    _role = "console"
    _peer_role = "agent"

    def __init__(self, code: SessionCode, *, name: str, organisation: str = "",
                 requested: frozenset[str] = GRANTABLE, app_version: str = APP_VERSION,
                 entropy: Callable[[int], bytes] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(ConsoleHandshake(code, entropy=entropy), name, organisation, app_version)
        self.requested = frozenset(requested)
        self._clock = clock
        self.sent_inputs: Counter[str] = Counter()

    def _on_established(self, step: Step) -> None:
        self._send(step, m.ConsentRequest(self.requested))

    def _check_grant(self, permissions: frozenset[str]) -> None:
        if not permissions <= self.requested:
            raise ProtocolError("The other side granted permissions that were never asked for.")

    def _dispatch(self, msg: m.Message, step: Step) -> None:
        if self._common(msg, step):
            return
        if self.phase is Phase.INTRODUCING and isinstance(msg, m.Hello) and self.peer is None:
            self._on_hello(msg)
            self.phase = Phase.CONSENT
            return
        if self.phase is Phase.CONSENT and isinstance(msg, m.ConsentDecision):
            self._check_grant(msg.permissions)
            step.events.append(ConsentAnswered(msg.allowed, msg.permissions))
            if msg.allowed:
                if "view" not in msg.permissions:
                    raise ProtocolError("A session was allowed without the screen.")
                self.permissions = msg.permissions
                self.phase = Phase.ACTIVE
                step.events.append(PermissionsChanged(msg.permissions))
            return
        if self.phase is Phase.ACTIVE:
            if isinstance(msg, m.FrameUpdate):
                step.events.append(FrameReceived(msg))
                return
            if isinstance(msg, m.CursorUpdate):
                step.events.append(CursorReceived(msg))
                return
            if isinstance(msg, m.PermissionChange):
                self._check_grant(msg.permissions)
                self.permissions = msg.permissions
                step.events.append(PermissionsChanged(msg.permissions))
                return
            if isinstance(msg, m.Pong):
                sent = msg.t / 1e6
                step.events.append(RoundTripMeasured(max(0.0, (self._clock() - sent) * 1000)))
                return
        raise _unexpected(msg, self.phase)

    @property
    def control_granted(self) -> bool:
        return self.phase is Phase.ACTIVE and "control" in self.permissions

    def send_input(self, msg: InputMessage) -> Step:
        """Encrypt an input event; silently nothing unless control is granted now."""
        step = Step()
        if self.control_granted:
            self._send(step, msg)
            self.sent_inputs[type(msg).__name__] += 1
        return step

    def ack(self, seq: int) -> Step:
        """Tell the agent frame ``seq`` is shown (gives back one flow-control credit)."""
        step = Step()
        if self.phase is Phase.ACTIVE:
            self._send(step, m.FrameAck(seq))
        return step

    def set_stream_settings(self, quality: int, max_bytes_per_s: int) -> Step:
        """Ask the agent for another picture quality (1..100, 0 = lossless only) and bandwidth
        cap (bytes per second, 0 = unlimited). Nothing unless the session is active; invalid
        values raise ProtocolError (a caller bug)."""
        step = Step()
        if self.phase is Phase.ACTIVE:
            self._send(step, m.StreamSettings(quality, max_bytes_per_s))
        return step

    def ping(self) -> Step:
        """Measure the round trip; the answer arrives as :class:`RoundTripMeasured`."""
        step = Step()
        if self.phase is Phase.ACTIVE:
            self._send(step, m.Ping(int(self._clock() * 1e6)))
        return step
