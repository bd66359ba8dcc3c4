"""The relay's pre-pairing messages (sans-I/O): small JSON text messages with stable error codes.

Before two peers are paired, agent, console and relay talk in tiny JSON objects sent as websocket
*text* messages:

- agent → relay   ``{"op":"host"}``
- relay → agent   ``{"op":"nameplate","nameplate":"123","expires_in":600}``
- console → relay ``{"op":"join","nameplate":"123"}``
- agent or console → relay ``{"op":"resume","token":"<64 hex digits>","role":"agent"}``
  (reconnect ``n`` of a running session, see :mod:`shared.resume`; the relay pairs the two
  connections that present the same token, once)
- relay → both    ``{"op":"paired"}``
- relay → peer    ``{"op":"peer_gone"}`` (the other side left; the relay closes next)
- relay → any     ``{"op":"error","code":"<ErrorCode>","message":"<English text>"}`` (then close)

After ``paired`` the peers exchange *binary* messages only; a text message from the relay after
pairing is one of ``peer_gone`` or ``error``. Parsing is strict: exact keys, exact types, nothing
else, so that the same rules hold in relay, agent and console. Every malformed input raises
:class:`RendezvousError` and nothing else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from shared import strict_json
from shared.codes import MAX_NAMEPLATE_DIGITS, MIN_NAMEPLATE_DIGITS
from shared.errors import LocalProtocolError, ProtocolError
from shared.strict_json import StrictJSONError

#: Largest pre-pairing text message anyone sends, in UTF-8 bytes. Real ones are under 200 bytes.
MAX_RENDEZVOUS_MESSAGE = 1024

#: A nameplate: 3 to 7 digits (the code's own limits) without a leading zero (the relay starts
#: at 100). ASCII digits only: ``re``'s ``[0-9]`` never matches other scripts' digits.
_NAMEPLATE_RE = re.compile(
    rf"[1-9][0-9]{{{MIN_NAMEPLATE_DIGITS - 1},{MAX_NAMEPLATE_DIGITS - 1}}}"
)


class ErrorCode(StrEnum):
    """Stable error codes sent in ``{"op":"error"}``; clients switch on these, never on text."""

    UNKNOWN_NAMEPLATE = "unknown_nameplate"
    NAMEPLATE_EXPIRED = "nameplate_expired"
    NAMEPLATE_SPENT = "nameplate_spent"
    ALREADY_JOINED = "already_joined"
    TOO_MANY_CONNECTIONS = "too_many_connections"
    RATE_LIMITED = "rate_limited"
    MESSAGE_TOO_LARGE = "message_too_large"
    BAD_REQUEST = "bad_request"
    IDLE_TIMEOUT = "idle_timeout"
    HANDSHAKE_TIMEOUT = "handshake_timeout"
    SHUTTING_DOWN = "shutting_down"
    PEER_GONE = "peer_gone"
    SESSION_LIMIT = "session_limit"
    RESUME_REFUSED = "resume_refused"
    RESUME_EXPIRED = "resume_expired"


#: What a person reads for each code (English; clients may translate by code).
ERROR_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.UNKNOWN_NAMEPLATE: (
        "No customer is waiting with this code. Please check the code, or ask the customer to "
        "read out the code their program shows now."
    ),
    ErrorCode.NAMEPLATE_EXPIRED: (
        "This code has expired (codes are valid for 10 minutes). Please ask the customer for "
        "the new code."
    ),
    ErrorCode.NAMEPLATE_SPENT: (
        "This code has already been used. Each code works for one attempt only; please ask the "
        "customer for the new code."
    ),
    ErrorCode.ALREADY_JOINED: (
        "Someone else is already connected with this code. Please ask the customer for a new code."
    ),
    ErrorCode.TOO_MANY_CONNECTIONS: (
        "The relay server is busy right now. Please try again in a minute."
    ),
    ErrorCode.RATE_LIMITED: (
        "Too many connection attempts from your network. Please wait a little and try again."
    ),
    ErrorCode.MESSAGE_TOO_LARGE: "A message was too large for the relay server.",
    ErrorCode.BAD_REQUEST: (
        "The relay server did not understand the program's request. Please update the program."
    ),
    ErrorCode.IDLE_TIMEOUT: "The session was closed because nothing happened for a long time.",
    ErrorCode.HANDSHAKE_TIMEOUT: (
        "The connection to the relay server was too slow to start. Please try again."
    ),
    ErrorCode.SHUTTING_DOWN: ("The relay server is restarting. Please connect again in a moment."),
    ErrorCode.PEER_GONE: "The other side has left the session.",
    ErrorCode.SESSION_LIMIT: (
        "The session reached the relay server's data limit and was closed. Please start a new "
        "session."
    ),
    ErrorCode.RESUME_REFUSED: (
        "This reconnection was already used or does not fit. The program tries again by itself."
    ),
    ErrorCode.RESUME_EXPIRED: (
        "The other side did not come back in time, so the session has ended. Please start a "
        "new session with a new code."
    ),
}


class RendezvousError(ProtocolError):
    """A pre-pairing message is malformed or not allowed; ``code`` is what the relay answers."""

    def __init__(self, message: str, code: ErrorCode = ErrorCode.BAD_REQUEST) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Host:
    """Agent asks for a nameplate."""


@dataclass(frozen=True, slots=True)
class Join:
    """Console asks to be paired with the agent waiting on ``nameplate``."""

    nameplate: str

    def __post_init__(self) -> None:
        _check_nameplate(self.nameplate)


#: A resume token on the wire: 32 bytes as 64 lowercase hex digits (shared/resume.py).
_TOKEN_RE = re.compile(r"[0-9a-f]{64}")
#: Who presents a resume token; the relay pairs an agent with a console, nothing else.
RESUME_ROLES = ("agent", "console")


@dataclass(frozen=True, slots=True)
class Resume:
    """Agent or console asks to be paired again with its peer, which presents ``token`` too."""

    token: str
    role: str

    def __post_init__(self) -> None:
        if not isinstance(self.token, str) or _TOKEN_RE.fullmatch(self.token) is None:
            raise RendezvousError("token must be 64 lowercase hex digits")
        if self.role not in RESUME_ROLES:
            raise RendezvousError("role must be 'agent' or 'console'")


@dataclass(frozen=True, slots=True)
class Nameplate:
    """Relay hands the agent its nameplate, valid for ``expires_in`` seconds."""

    nameplate: str
    expires_in: int

    def __post_init__(self) -> None:
        _check_nameplate(self.nameplate)
        if type(self.expires_in) is not int or not 0 < self.expires_in <= 86_400:
            raise RendezvousError("expires_in must be an integer between 1 and 86400")


@dataclass(frozen=True, slots=True)
class Paired:
    """Relay tells both sides that from now on binary messages reach the peer."""


@dataclass(frozen=True, slots=True)
class PeerGone:
    """Relay tells the survivor that the other side left."""


@dataclass(frozen=True, slots=True)
class Error:
    """Relay reports a failure with a stable code; the connection closes next."""

    code: ErrorCode
    message: str

    def __post_init__(self) -> None:
        if not isinstance(self.code, ErrorCode):
            raise RendezvousError("error code must be an ErrorCode")
        if not isinstance(self.message, str) or len(self.message) > 500:
            raise RendezvousError("error message must be a string of at most 500 characters")

    @classmethod
    def of(cls, code: ErrorCode) -> Error:
        """The error for ``code`` with its standard English message."""
        return cls(code, ERROR_MESSAGES[code])


ClientMessage = Host | Join | Resume
ServerMessage = Nameplate | Paired | PeerGone | Error
RendezvousMessage = ClientMessage | ServerMessage


def _check_nameplate(value: object) -> None:
    if not isinstance(value, str) or _NAMEPLATE_RE.fullmatch(value) is None:
        raise RendezvousError(
            f"nameplate must be {MIN_NAMEPLATE_DIGITS} to {MAX_NAMEPLATE_DIGITS} digits without "
            "a leading zero"
        )


def encode(message: RendezvousMessage) -> str:
    """The JSON text for ``message`` (compact, stable key order)."""
    body: dict[str, Any]
    match message:
        case Host():
            body = {"op": "host"}
        case Join(nameplate=nameplate):
            body = {"op": "join", "nameplate": nameplate}
        case Resume(token=tok, role=role):
            body = {"op": "resume", "token": tok, "role": role}
        case Nameplate(nameplate=nameplate, expires_in=expires_in):
            body = {"op": "nameplate", "nameplate": nameplate, "expires_in": expires_in}
        case Paired():
            body = {"op": "paired"}
        case PeerGone():
            body = {"op": "peer_gone"}
        case Error(code=code, message=text):
            body = {"op": "error", "code": code.value, "message": text}
        case _:
            # Our bug, not the peer's: no wire input reaches encode().
            raise LocalProtocolError(f"not a rendezvous message: {type(message).__name__}")
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _load(data: object) -> dict[str, Any]:
    """Decode one JSON object from a text message, strictly."""
    if not isinstance(data, str):
        raise RendezvousError("rendezvous messages must be websocket text messages")
    if len(data) > MAX_RENDEZVOUS_MESSAGE or len(data.encode("utf-8", "surrogatepass")) > (
        MAX_RENDEZVOUS_MESSAGE
    ):
        raise RendezvousError("rendezvous message too large", ErrorCode.MESSAGE_TOO_LARGE)
    try:
        body = strict_json.loads(data)
    except StrictJSONError as exc:  # a key twice, NaN or Infinity
        raise RendezvousError(str(exc)) from None
    except (ValueError, RecursionError) as exc:
        raise RendezvousError("rendezvous message is not valid JSON") from exc
    if not isinstance(body, dict):
        raise RendezvousError("rendezvous message must be a JSON object")
    op = body.get("op")
    if not isinstance(op, str):
        raise RendezvousError("rendezvous message needs a string 'op'")
    return body


def _expect_keys(body: dict[str, Any], *keys: str) -> None:
    if set(body) != {"op", *keys}:
        raise RendezvousError(f"'{body['op']}' takes exactly the keys {sorted({'op', *keys})}")


def parse_client(data: object) -> ClientMessage:
    """Parse what an agent or console sends before pairing (``host``, ``join``, ``resume``)."""
    body = _load(data)
    op = body["op"]
    if op == "host":
        _expect_keys(body)
        return Host()
    if op == "join":
        _expect_keys(body, "nameplate")
        return Join(body["nameplate"])
    if op == "resume":
        _expect_keys(body, "token", "role")
        return Resume(body["token"], body["role"])
    raise RendezvousError("unknown client op")


def parse_server(data: object) -> ServerMessage:
    """Parse what the relay sends (``nameplate``, ``paired``, ``peer_gone``, ``error``)."""
    body = _load(data)
    op = body["op"]
    if op == "nameplate":
        _expect_keys(body, "nameplate", "expires_in")
        return Nameplate(body["nameplate"], body["expires_in"])
    if op == "paired":
        _expect_keys(body)
        return Paired()
    if op == "peer_gone":
        _expect_keys(body)
        return PeerGone()
    if op == "error":
        _expect_keys(body, "code", "message")
        code = body["code"]
        if not isinstance(code, str):
            raise RendezvousError("error code must be a string")
        try:
            parsed = ErrorCode(code)
        except ValueError as exc:
            raise RendezvousError("unknown error code") from exc
        return Error(parsed, body["message"])
    raise RendezvousError("unknown server op")
