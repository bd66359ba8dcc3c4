"""One session record, summarised for people: who, when, which check number, what was allowed.

:mod:`shared.audit` turns a record's lines into events; this turns those events into a typed
:class:`SessionSummary` that the "Session records" window (and its PDF/HTML export) shows in
plain, translated language. Pure: no files, no Qt, no local time zone (times stay aware UTC
``datetime`` objects; the caller converts them with the zone it was given).

A record is a file anyone with access to the folder can edit, and it holds text from outside
(the technician's claimed name and organisation). So :func:`summarise` trusts nothing:

* every field may be missing, of the wrong JSON type, or absurd: it is then left out, never a
  crash; times that are not ISO 8601 with a zone become ``None``;
* every text in the summary has gone through :func:`shared.audit.plain`: one visible line with
  controls, bidi and separator characters escaped, and bounded in length;
* lists are bounded (permissions, input kinds, changes, connection events, chat lines, sharing
  events), so a hostile record of a million lines gives a summary of bounded size that says how
  much it left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from shared.audit import plain
from shared.messages import limits

#: Roles a record can belong to (``""``: neither the file name nor the events say).
ROLES = ("agent", "console")
#: Most permissions kept per entry (the protocol knows five; more is a hostile record).
MAX_PERMISSIONS = 8
#: Most permission or stream-settings changes kept; the rest are counted in ``omitted_changes``.
MAX_CHANGES = 200
#: Most input kinds kept from an end event's counters.
MAX_INPUT_KINDS = 16
#: Counters that are not mouse or keyboard input (acknowledged frames arrive in every session;
#: the pointer, the drawings and monitor choices of issue 15 are counted where dropped too).
NOT_INPUT = frozenset({"FrameAck", "LaserPointer", "Annotation", "AnnotationClear",
                       "ChooseMonitor"})
#: Most connection events kept (interruptions, resumes, releases); the rest are counted in
#: ``omitted_changes``. A link that flaps all day still gives a summary of bounded size.
MAX_LINK_EVENTS = 200
#: Why a link was interrupted (issue 13, desktop/session_driver.py ``LinkChanged.cause``):
#: nothing arrived (``quiet``), the connection dropped (``lost``), the relay said it restarts.
LINK_CAUSES = frozenset({"quiet", "lost", "restarting"})
#: Longest interruption believed (a day): a larger figure is a damaged or forged record.
MAX_LINK_SECONDS = 86_400.0
#: Most chat lines kept (issue 15; a record holds them only when the customer opted in); the
#: rest are counted in ``omitted_chat``.
MAX_CHAT_LINES = 500
#: Longest chat line kept (the protocol's); longer ones are cut and say so.
MAX_CHAT_TEXT = limits.MAX_CHAT
#: Most display lines one chat message is shown in; further line breaks become spaces.
MAX_CHAT_TEXT_LINES = 40
#: Who wrote a chat line.
CHAT_SENDERS = frozenset({"technician", "customer"})
#: Most sharing events kept (chat opt-in, monitor switches, "still sharing?", pauses); the
#: rest are counted in ``omitted_changes``.
MAX_SHARING_EVENTS = 200
#: Largest monitor index or count believed (the protocol's); beyond it: a damaged record.
MAX_MONITOR_INDEX = limits.MAX_MONITORS
#: Largest shared picture side believed (the protocol's).
MAX_PICTURE_SIDE = limits.MAX_DIMENSION
#: Why sharing was paused or went on.
PAUSE_REASONS = limits.PAUSE_REASONS
#: What the customer's operating system blocked or allowed again (issue 18's SystemNotice).
NOTICE_CODES = limits.NOTICE_CODES
#: What the technician showed (the agent's ``session_ended.shown``, by message type).
SHOWN_KINDS = ("LaserPointer", "Annotation", "AnnotationClear")
#: Most file transfers kept (issue 17); the rest are counted in ``omitted_files``.
MAX_FILES = 200
#: Largest file size believed (the protocol's); beyond it: a damaged or forged record.
MAX_FILE_SIZE = limits.MAX_FILE_SIZE
#: The two directions of a file or of clipboard text (issue 17).
DIRECTIONS = limits.FILE_DIRECTIONS
#: How a transfer ended: ``completed``, ``cancelled:<reason>`` (a reason of
#: :data:`FILE_CANCEL_REASONS`, else ``cancelled:unknown``) or ``open`` (no end recorded: the
#: session ended while it was on its way).
FILE_CANCEL_REASONS = limits.FILE_CANCEL_REASONS
#: Who cancelled a transfer.
CANCELLED_BY = frozenset({"customer", "technician"})
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: Largest protocol version believed (a version mark has at most 5 digits, docs/PROTOCOL.md
#: section 11.1); beyond it, or below 1: a damaged or forged record.
MAX_PROTOCOL_VERSION = 99_999
#: The end reason :mod:`desktop.audit_store` writes when a crashed agent's record is closed.
CRASHED_REASON = "agent_crashed"

#: The events that may carry the ``identity`` field about the technician's certificate (issue
#: 12): the agent puts its verdict on ``consent_requested`` (or, when it refused, on
#: ``session_ended``), the console what it presented on ``keys_agreed`` and, when refused, on
#: ``session_ended``; a record may also hold it as an event of its own. The last one wins.
IDENTITY_EVENTS = frozenset({"identity", "consent_requested", "keys_agreed", "session_ended"})
#: The verdicts ``identity`` can hold: the agent's :class:`shared.identity.Verdict` values, and on
#: the console ``presented`` (it proved a certificate) or ``no_proof`` (it had none).
IDENTITY_VERDICTS = frozenset({
    "verified", "no_proof", "malformed", "foreign_organisation", "bad_signature", "expired",
    "not_yet_valid", "revoked", "revocation_missing", "revocation_stale", "bad_proof",
    "no_trust", "presented",
})

#: End reasons that are a person's decision, and whose.
_ENDED_BY = {"customer_ended": "customer", "denied": "customer", "technician_ended": "technician"}
_ROLE_IN_NAME = re.compile(r"-(agent|console)(?:-\d+)?\.jsonl\Z")


@dataclass(frozen=True)
class PermissionChange:
    """What the technician may do from ``time`` on (``None``: the record's time was unreadable)."""

    time: datetime | None
    permissions: frozenset[str]


@dataclass(frozen=True)
class StreamChange:
    """The technician chose another picture quality (0: lossless) or bandwidth cap (0: none)."""

    time: datetime | None
    quality: int | None
    max_bytes_per_s: int | None


@dataclass(frozen=True)
class LinkEvent:
    """Something that happened to the connection between the two computers (issue 13).

    ``kind``: ``interrupted`` (``cause`` one of :data:`LINK_CAUSES` or ``""``; ``seconds``: how
    long nothing had arrived), ``resumed`` (``seconds``: how long it was interrupted) or
    ``released`` (the agent let go of ``released`` held keys and buttons while the link was
    silent). ``seconds`` is ``None`` when the record's figure is missing or absurd."""

    time: datetime | None
    kind: str
    cause: str = ""
    seconds: float | None = None
    released: int = 0


@dataclass(frozen=True)
class ChatLine:
    """One recorded chat message (issue 15): ``sender`` ``technician``, ``customer`` or ``""``
    (unknown), its text as display-safe lines (a message may have line breaks)."""

    time: datetime | None
    sender: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class SharingEvent:
    """Something that changed what was shared or recorded (issue 15).

    ``kind``: ``chat_recording`` (``on``: the customer opted in or out), ``monitor_shared``
    (``index`` 0 = all monitors, of ``count``; ``width`` x ``height`` when the agent said),
    ``monitors_changed`` (``count`` now), ``share_check_asked``, ``share_check_confirmed``,
    ``sharing_paused`` / ``sharing_resumed`` (``reason`` from :data:`PAUSE_REASONS` or
    ``""``); issue 18: ``system_notice`` (``reason``: a code of :data:`NOTICE_CODES`, what the
    customer's operating system blocked or allowed again) and ``ctrl_alt_del`` (``reason``
    ``sent``: Windows took it). Numbers the record does not give, or gives absurdly, are
    ``None``."""

    time: datetime | None
    kind: str
    on: bool | None = None
    index: int | None = None
    count: int | None = None
    width: int | None = None
    height: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class FileMoved:
    """One file transfer of the session (issue 17).

    ``direction`` ``to_customer`` (the technician sent it in) or ``to_technician`` (the
    customer sent it out), ``""`` when the record does not say; ``name`` display-safe (from
    outside: plain text); ``size`` ``None`` when missing or absurd; ``sha256`` 64 lowercase hex
    or ``""``; ``outcome`` ``completed``, ``cancelled:<reason>`` or ``open``; ``by`` who
    cancelled (``customer``/``technician``/``""``); ``path`` where the agent saved it."""

    direction: str
    name: str
    size: int | None
    sha256: str
    outcome: str = "open"
    by: str = ""
    path: str = ""
    time: datetime | None = None


@dataclass(frozen=True)
class Consent:
    """The customer's answer: allowed (with what), denied, or no answer in time."""

    time: datetime | None
    allowed: bool
    permissions: frozenset[str]
    timed_out: bool = False


@dataclass(frozen=True)
class Ending:
    """How the session ended: a stable ``reason`` id, and whether the other side ended it."""

    time: datetime | None
    reason: str
    by_peer: bool | None
    message: str = ""

    @property
    def crashed(self) -> bool:
        """The program died mid-session and the next start closed the record."""
        return self.reason == CRASHED_REASON

    @property
    def person(self) -> str:
        """The person who ended it: ``customer`` or ``technician``; ``""`` when no person did
        (a program, the network, the clock)."""
        return _ENDED_BY.get(self.reason, "")


@dataclass(frozen=True)
class Identity:
    """What the record says about the technician's certificate (issue 12).

    Agent: the verdict it reached and the certificate it checked (the names are the
    certificate's, trustworthy only when :attr:`verified`). Console: ``presented`` or
    ``no_proof``, and what it presented. ``refused``: the refusal's text when the agent refused
    the technician (``unverified_technician``), else ``""``.
    """

    verdict: str
    serial: int | None = None
    organisation: str = ""
    org_key_id: str = ""
    technician: str = ""
    refused: str = ""

    @property
    def verified(self) -> bool:
        """The agent checked the certificate and proof and trusted them."""
        return self.verdict == "verified"


@dataclass(frozen=True)
class SessionSummary:
    """Everything a customer or a data-protection officer asks about one session record.

    Texts are display-safe (:func:`shared.audit.plain`) but still *from outside*: show them as
    plain text and escape them in HTML.
    """

    role: str = ""
    started: datetime | None = None
    ended: datetime | None = None
    technician: str = ""
    organisation: str = ""
    verification: str = ""
    #: The certificate check (issue 12); None in records without one (older versions).
    identity: Identity | None = None
    #: The protocol version the session ran at; None in records without it (written before
    #: converge20, or the peer never introduced itself).
    protocol_version: int | None = None
    #: Both sides' app versions as the ``versions`` event names them (the peer's as it
    #: claimed: display-safe text from outside); ``""`` when the record does not say.
    agent_app_version: str = ""
    console_app_version: str = ""
    requested: frozenset[str] = frozenset()
    consent: Consent | None = None
    changes: tuple[PermissionChange, ...] = ()
    stream_changes: tuple[StreamChange, ...] = ()
    #: Interruptions and resumes of the connection, and input released meanwhile (issue 13).
    link_events: tuple[LinkEvent, ...] = ()
    omitted_changes: int = 0
    #: Chat lines the customer opted to record (issue 15), and how many were left out.
    chat: tuple[ChatLine, ...] = ()
    omitted_chat: int = 0
    #: Chat opt-in, monitor switches, "still sharing?" and pauses (issue 15).
    sharing_events: tuple[SharingEvent, ...] = ()
    #: What the technician showed on the customer's screen, by kind (agent's records).
    shown: Mapping[str, int] = field(default_factory=dict)
    #: Clipboard texts by direction (``to_customer``/``to_technician``): counts, never text.
    clipboard: Mapping[str, int] = field(default_factory=dict)
    #: File transfers in the order they were offered (issue 17), and how many were left out.
    files: tuple[FileMoved, ...] = ()
    omitted_files: int = 0
    #: Every permission granted at any time of the session (known names only).
    permissions_used: frozenset[str] = frozenset()
    #: Every permission the technician asked for later, during the session.
    permissions_requested: frozenset[str] = frozenset()
    ending: Ending | None = None
    inputs: Mapping[str, int] = field(default_factory=dict)
    inputs_dropped: Mapping[str, int] = field(default_factory=dict)
    wrong_codes: int = 0
    damaged_lines: int = 0
    events: int = 0

    @property
    def crashed(self) -> bool:
        """The program ended unexpectedly during the session."""
        return self.ending is not None and self.ending.crashed

    @property
    def unfinished(self) -> bool:
        """The record has no end: still running, or cut off (deleted lines, a killed program)."""
        return self.ending is None

    @property
    def input_count(self) -> int:
        """Mouse and keyboard actions applied (agent) or sent (console)."""
        return sum(n for kind, n in self.inputs.items() if kind not in NOT_INPUT)

    @property
    def dropped_count(self) -> int:
        """Actions the agent refused because control was not allowed at that moment."""
        return sum(n for kind, n in self.inputs_dropped.items() if kind not in NOT_INPUT)

    @property
    def permissions(self) -> frozenset[str]:
        """What the technician could do at the end (or last)."""
        if self.changes:
            return self.changes[-1].permissions
        return self.consent.permissions if self.consent and self.consent.allowed else frozenset()


def role_from_name(name: str) -> str:
    """``agent`` or ``console`` from a record file's name (``session-<time>-<role>[-n].jsonl``)."""
    match = _ROLE_IN_NAME.search(name)
    return match.group(1) if match else ""


def parse_time(value: object) -> datetime | None:
    """An event's time as aware UTC, or ``None`` if it is not ISO 8601 with a time zone."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return None  # a naive time could be any zone: showing it as local would mislead
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):  # e.g. year 1 minus an offset
        return None


def _text(value: object) -> str:
    return plain(value) if isinstance(value, str) else ""


def _permissions(value: object) -> frozenset[str]:
    if not isinstance(value, list | tuple):
        return frozenset()
    return frozenset(plain(p) for p in value[:MAX_PERMISSIONS] if isinstance(p, str))


def _count(value: object) -> int | None:
    """A non-negative JSON integer (``True`` is not a number here)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def _counters(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    counts: dict[str, int] = {}
    for kind, n in list(value.items())[:MAX_INPUT_KINDS]:
        number = _count(n)
        if isinstance(kind, str) and number is not None:
            counts[plain(kind)] = number
    return counts


def _seconds(value: object) -> float | None:
    """A duration in seconds from a record: a finite, non-negative number up to a day."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and 0 <= number <= MAX_LINK_SECONDS else None


def _direction(value: object) -> str:
    return value if isinstance(value, str) and value in DIRECTIONS else ""


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _small(value: object, most: int) -> int | None:
    """A count or index from a record, ``None`` when missing or over ``most``."""
    number = _count(value)
    return number if number is not None and number <= most else None


def chat_lines(value: object) -> tuple[str, ...]:
    """A chat message as display-safe lines: each line plain (no controls, bidi or separator
    characters), tabs as spaces, the text bounded by :data:`MAX_CHAT_TEXT` and the lines by
    :data:`MAX_CHAT_TEXT_LINES` (further breaks become spaces)."""
    if not isinstance(value, str) or not value:
        return ()
    text = value if len(value) <= MAX_CHAT_TEXT else (
        f"{value[:MAX_CHAT_TEXT]}… [{len(value)} characters]")
    parts = text.replace("\r\n", "\n").replace("\t", "    ").split("\n")
    if len(parts) > MAX_CHAT_TEXT_LINES:
        parts = [*parts[:MAX_CHAT_TEXT_LINES - 1], " ".join(parts[MAX_CHAT_TEXT_LINES - 1:])]
    return tuple(plain(part, MAX_CHAT_TEXT + 32) for part in parts)


class _Builder:
    """Collects one record's facts event by event (later events win, as in the session)."""

    def __init__(self, role: str) -> None:
        self.fields: dict[str, Any] = {"role": role if role in ROLES else ""}
        self.changes: list[PermissionChange] = []
        self.streams: list[StreamChange] = []
        self.links: list[LinkEvent] = []
        self.chat: list[ChatLine] = []
        self.sharing: list[SharingEvent] = []
        self.omitted = 0
        self.omitted_chat = 0
        self.wrong_codes = 0
        self.damaged = 0
        self.times: list[datetime] = []
        self.seen: set[str] = set()
        self.clipboard: dict[str, int] = {}
        self.files: dict[tuple[str, int | None], FileMoved] = {}  # (direction, id) -> transfer
        self.anonymous_files = 0  # transfers without a usable id (each its own entry)
        self.omitted_files = 0
        self.used: set[str] = set()
        self.asked_later: set[str] = set()

    def add(self, entry: Mapping[str, Any]) -> None:
        kind = entry.get("event")
        when = parse_time(entry.get("time"))
        if when is not None:
            self.times.append(when)
        if not isinstance(kind, str):
            return
        self.seen.add(kind)
        handler = _HANDLERS.get(kind)
        if handler is not None:
            handler(self, entry, when)
        self._identity(kind, entry)

    def _set_text(self, key: str, value: object) -> None:
        text = _text(value)
        if text:
            self.fields[key] = text

    def _on_damaged_line(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self.damaged += 1

    def _on_keys_agreed(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self._set_text("verification", entry.get("verification"))

    def _on_versions(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        version = _small(entry.get("protocol_version"), MAX_PROTOCOL_VERSION)
        if version:  # (0 is no version)
            self.fields["protocol_version"] = version
        self._set_text("agent_app_version", entry.get("agent_app_version"))
        self._set_text("console_app_version", entry.get("console_app_version"))

    def _on_consent_requested(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self._set_text("technician", entry.get("technician"))
        self._set_text("organisation", entry.get("organisation"))
        self._set_text("verification", entry.get("verification"))
        self.fields["requested"] = _permissions(entry.get("requested"))

    def _on_consent(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        allowed = _flag(entry.get("allowed"))
        if allowed is None:
            return
        permissions = _permissions(entry.get("permissions"))
        self.fields["consent"] = Consent(when, allowed, permissions,
                                         bool(_flag(entry.get("timed_out"))))
        if allowed:
            self.used |= permissions & limits.PERMISSIONS

    def _on_permissions(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self.used |= _permissions(entry.get("permissions")) & limits.PERMISSIONS
        if len(self.changes) >= MAX_CHANGES:
            self.omitted += 1
            return
        self.changes.append(PermissionChange(when, _permissions(entry.get("permissions"))))

    def _on_stream_settings(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        if len(self.streams) >= MAX_CHANGES:
            self.omitted += 1
            return
        self.streams.append(StreamChange(when, _count(entry.get("quality")),
                                         _count(entry.get("max_bytes_per_s"))))

    def _link(self, event: LinkEvent) -> None:
        if len(self.links) >= MAX_LINK_EVENTS:
            self.omitted += 1
        else:
            self.links.append(event)

    def _on_link_interrupted(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        cause = entry.get("kind")
        self._link(LinkEvent(when, "interrupted",
                             cause if isinstance(cause, str) and cause in LINK_CAUSES else "",
                             _seconds(entry.get("silent_for"))))

    def _on_link_resumed(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self._link(LinkEvent(when, "resumed", seconds=_seconds(entry.get("seconds"))))

    def _on_input_released(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        held = [entry.get("keys"), entry.get("buttons")]
        self._link(LinkEvent(when, "released", released=sum(
            len(names) for names in held if isinstance(names, list))))

    def _on_chat(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        if len(self.chat) >= MAX_CHAT_LINES:
            self.omitted_chat += 1
            return
        sender = entry.get("sender")
        lines = chat_lines(entry.get("text"))
        if lines:
            self.chat.append(ChatLine(
                when, sender if isinstance(sender, str) and sender in CHAT_SENDERS else "",
                lines))

    def _sharing(self, event: SharingEvent) -> None:
        if len(self.sharing) >= MAX_SHARING_EVENTS:
            self.omitted += 1
        else:
            self.sharing.append(event)

    def _on_chat_recording(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        on = _flag(entry.get("recorded"))
        if on is not None:
            self._sharing(SharingEvent(when, "chat_recording", on=on))

    def _on_monitor_shared(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self._sharing(SharingEvent(
            when, "monitor_shared", index=_small(entry.get("index"), MAX_MONITOR_INDEX),
            count=_small(entry.get("count"), MAX_MONITOR_INDEX),
            width=_small(entry.get("width"), MAX_PICTURE_SIDE),
            height=_small(entry.get("height"), MAX_PICTURE_SIDE)))

    def _on_monitors_changed(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self._sharing(SharingEvent(when, "monitors_changed",
                                   count=_small(entry.get("count"), MAX_MONITOR_INDEX)))

    def _on_share_check(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        kind = entry.get("event")
        assert isinstance(kind, str)  # add() dispatches on it
        self._sharing(SharingEvent(when, kind))

    def _on_pause(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        kind, reason = entry.get("event"), entry.get("reason")
        assert isinstance(kind, str)
        self._sharing(SharingEvent(
            when, kind, reason=reason if isinstance(reason, str) and reason in PAUSE_REASONS
            else ""))

    def _on_system_notice(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        code = entry.get("code")
        if isinstance(code, str) and code in NOTICE_CODES:
            self._sharing(SharingEvent(when, "system_notice", reason=code))

    def _on_ctrl_alt_del(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        """Only a Ctrl+Alt+Del Windows took: a refused one is the ``ctrl_alt_del_refused``
        notice the same record holds."""
        if entry.get("outcome") == "sent":
            self._sharing(SharingEvent(when, "ctrl_alt_del", reason="sent"))

    def _on_permissions_requested(self, entry: Mapping[str, Any],
                                  when: datetime | None) -> None:
        self.asked_later |= _permissions(entry.get("permissions")) & limits.PERMISSIONS

    def _on_clipboard(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        direction = _direction(entry.get("direction"))
        if direction:
            self.clipboard[direction] = self.clipboard.get(direction, 0) + 1

    def _file(self, entry: Mapping[str, Any], when: datetime | None
              ) -> tuple[str, int | None] | None:
        """The key of the transfer an event is about (made when first seen), or None when
        over the bound (counted when it is first seen)."""
        direction = _direction(entry.get("direction"))
        file_id = _count(entry.get("id"))
        key: tuple[str, int | None] = (direction, file_id)
        if file_id is None:  # no id: a transfer of its own, never merged with another
            self.anonymous_files += 1
            key = (direction, -self.anonymous_files)
        if key in self.files:
            return key
        if len(self.files) >= MAX_FILES:
            self.omitted_files += 1
            return None
        self.files[key] = FileMoved(direction, "", None, "", time=when)
        return key

    def _update_file(self, entry: Mapping[str, Any], when: datetime | None,
                     **changes: Any) -> None:
        key = self._file(entry, when)
        if key is None:
            return
        moved = self.files[key]
        size = _small(entry.get("size"), MAX_FILE_SIZE)
        digest = entry.get("sha256")
        name = _text(entry.get("name"))
        details = {
            "name": name or moved.name,
            "size": size if size is not None else moved.size,
            "sha256": digest if isinstance(digest, str) and _SHA256.fullmatch(digest)
            else moved.sha256,
            **changes,
        }
        self.files[key] = replace(moved, **details)

    def _on_file_offered(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self._update_file(entry, when)

    def _on_file_completed(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self._update_file(entry, when, outcome="completed", path=_text(entry.get("path")))

    def _on_file_cancelled(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        reason, by = entry.get("reason"), entry.get("by")
        self._update_file(
            entry, when,
            outcome="cancelled:" + (reason if isinstance(reason, str)
                                    and reason in FILE_CANCEL_REASONS else "unknown"),
            by=by if isinstance(by, str) and by in CANCELLED_BY else "")

    def _identity(self, kind: str, entry: Mapping[str, Any]) -> None:
        raw = entry.get("identity")
        if kind not in IDENTITY_EVENTS or not isinstance(raw, Mapping):
            return
        verdict = raw.get("verdict")
        if not isinstance(verdict, str) or verdict not in IDENTITY_VERDICTS:
            verdict = "unknown"  # a newer version's verdict, or a forged one: never "verified"
        key_id = _text(raw.get("org_key_id"))
        refused = raw.get("refused")
        if isinstance(refused, str):
            refusal = _text(refused)
        elif refused is True or (kind == "session_ended"
                                 and entry.get("reason") == "unverified_technician"):
            refusal = _text(entry.get("message")) or "unverified_technician"
        else:
            refusal = ""
        self.fields["identity"] = Identity(
            verdict=verdict, serial=_count(raw.get("serial")),
            organisation=_text(raw.get("organisation")),
            org_key_id=key_id if re.fullmatch(r"[0-9a-f]{16}", key_id) else "",
            technician=_text(raw.get("technician")), refused=refusal)

    def _on_wrong_code(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        self.wrong_codes += 1

    def _on_session_ended(self, entry: Mapping[str, Any], when: datetime | None) -> None:
        reason = _text(entry.get("reason")) or "unknown"
        if reason == CRASHED_REASON and "ending" in self.fields:
            return  # died between writing its end and removing its note: the real end stands
        self.fields["ending"] = Ending(when, reason, _flag(entry.get("by_peer")),
                                      _text(entry.get("message")))
        applied = entry.get("inputs_applied", entry.get("inputs_sent"))
        self.fields["inputs"] = _counters(applied)
        self.fields["inputs_dropped"] = _counters(entry.get("inputs_dropped"))
        shown = _counters(entry.get("shown"))
        self.fields["shown"] = {kind: shown[kind] for kind in SHOWN_KINDS if kind in shown}

    def build(self, count: int) -> SessionSummary:
        role = self.fields["role"] or _guess_role(self.seen)
        ending: Ending | None = self.fields.get("ending")
        started = min(self.times) if self.times else None
        if ending is not None and ending.crashed:
            # The crash note is written at the next start, maybe days later: the session's end
            # is the last thing it recorded itself.
            own = [t for t in self.times if ending.time is None or t < ending.time]
            ended = max(own) if own else ending.time
        elif ending is not None:
            ended = ending.time or (max(self.times) if self.times else None)
        else:
            ended = None
        return SessionSummary(
            **{**self.fields, "role": role},
            started=started,
            ended=ended,
            changes=tuple(self.changes),
            stream_changes=tuple(self.streams),
            link_events=tuple(self.links),
            chat=tuple(self.chat),
            omitted_chat=self.omitted_chat,
            sharing_events=tuple(self.sharing),
            clipboard=dict(self.clipboard),
            files=tuple(self.files.values()),
            omitted_files=self.omitted_files,
            permissions_used=frozenset(self.used),
            permissions_requested=frozenset(self.asked_later),
            omitted_changes=self.omitted,
            wrong_codes=self.wrong_codes,
            damaged_lines=self.damaged,
            events=count,
        )


_Handler = Callable[[_Builder, Mapping[str, Any], datetime | None], None]
#: The events a summary reads; any other event (a newer version's, a forged one) is counted only.
_HANDLERS: dict[str, _Handler] = {
    "damaged_line": _Builder._on_damaged_line,
    "keys_agreed": _Builder._on_keys_agreed,
    "versions": _Builder._on_versions,
    "consent_requested": _Builder._on_consent_requested,
    "consent_decided": _Builder._on_consent,  # the agent: the customer's own answer
    "consent_answered": _Builder._on_consent,  # the console: the answer that arrived
    "session_started": _Builder._on_permissions,
    "permissions_changed": _Builder._on_permissions,
    "stream_settings": _Builder._on_stream_settings,
    "wrong_code": _Builder._on_wrong_code,
    "link_interrupted": _Builder._on_link_interrupted,
    "link_resumed": _Builder._on_link_resumed,
    "input_released": _Builder._on_input_released,
    "chat": _Builder._on_chat,
    "chat_recording": _Builder._on_chat_recording,
    "monitor_shared": _Builder._on_monitor_shared,
    "monitors_changed": _Builder._on_monitors_changed,
    "share_check_asked": _Builder._on_share_check,
    "share_check_confirmed": _Builder._on_share_check,
    "sharing_paused": _Builder._on_pause,
    "sharing_resumed": _Builder._on_pause,
    "session_ended": _Builder._on_session_ended,
    "permissions_requested": _Builder._on_permissions_requested,
    "clipboard": _Builder._on_clipboard,
    "file_offered": _Builder._on_file_offered,
    "file_completed": _Builder._on_file_completed,
    "file_cancelled": _Builder._on_file_cancelled,
    "system_notice": _Builder._on_system_notice,
    "ctrl_alt_del": _Builder._on_ctrl_alt_del,
}


def _guess_role(seen: set[str]) -> str:
    if seen & {"consent_requested", "consent_decided"}:
        return "agent"
    if "consent_answered" in seen:
        return "console"
    return ""


def summarise(events: Iterable[object], role: str = "") -> SessionSummary:
    """The summary of one record's events (from :func:`shared.audit.parse_record`).

    ``role`` is the side that wrote the record (see :func:`role_from_name`); when it is not
    given, the events decide (a consent request means the customer's side). Never raises for
    any content of ``events``: what cannot be understood is left out.
    """
    builder = _Builder(role)
    count = 0
    for entry in events:
        count += 1
        if isinstance(entry, Mapping):
            builder.add(entry)
        else:
            builder.damaged += 1
    return builder.build(count)
