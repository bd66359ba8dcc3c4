"""The audit record every session leaves on both PCs (GDPR Art. 28: who did what, and when).

This is the record's *format*, pure: events become lines, lines become events again, events
become the human-readable text a customer or auditor asks for. Where the lines go (a file per
session in the user's data folder, crash notes, ``--show-audit``) is
:mod:`desktop.audit_store`'s job; here a record only hands each line to a writer it was given.

Records hold text from outside (the technician's claimed name and organisation), so:

* every line is JSON with ``ensure_ascii=True``: no field can contain a raw line break, U+2028/
  U+2029 or a bidi control, so one event is always exactly one ``\\n``-terminated line;
* reading splits on ``\\n`` only, and a damaged line costs that line (shown as damaged), not the
  record;
* rendering escapes control, format, separator and bidi characters and shortens long values, so a
  hostile name prints as one visible line.

A record that cannot be written is an :class:`AuditWriteError`: the session shell ends the session
(no session without a record).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from shared.errors import FernhilfeError

#: Longest value ``render_text`` prints in full; longer ones are cut and their length shown.
RENDER_MAX_VALUE = 200


class AuditError(FernhilfeError):
    """An audit file cannot be read."""


class AuditWriteError(AuditError):
    """The audit record cannot be written (folder missing, read-only, disk full ...)."""


def utc_now() -> str:
    """The time stamp of an event: UTC to the second (the default clock of :class:`AuditLog`)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def encode_event(entry: dict[str, Any]) -> str:
    """One event as one line: ASCII-only JSON, so no field can break or hide a line."""
    return json.dumps(entry, ensure_ascii=True, sort_keys=True, default=str) + "\n"


class AuditLog:
    """One session's events in order; every ``log`` call hands its line to ``write`` at once.

    ``write`` is the store (a file append in :mod:`desktop.audit_store`; ``None`` keeps the
    record in memory only); it raises :class:`AuditWriteError` when the line cannot be kept.
    ``on_failure``: called with that error instead of raising it (for shells that end the
    session from a callback). ``clock`` stamps the events (injectable for tests).
    """

    def __init__(self, write: Callable[[str], None] | None = None,
                 clock: Callable[[], str] = utc_now) -> None:
        self.events: list[dict[str, Any]] = []
        self.on_failure: Callable[[AuditWriteError], None] | None = None
        self._write = write
        self._clock = clock

    def log(self, event: str, **details: Any) -> str:
        """Record ``event`` and store its line; return the line (what was, or should be, kept)."""
        entry = {"time": self._clock(), "event": event, **details}
        self.events.append(entry)
        line = encode_event(entry)
        if self._write is not None:
            try:
                self._write(line)
            except AuditWriteError as error:
                if self.on_failure is None:
                    raise
                self.on_failure(error)
        return line


def parse_record(text: str) -> list[dict[str, Any]]:
    """A saved record's events. A damaged line becomes a ``damaged_line`` entry naming the line."""
    return list(iter_record(text))


def iter_record(text: str) -> Iterator[dict[str, Any]]:
    """:func:`parse_record` one event at a time: a summary of a file of a million short (or
    damaged) lines then needs the memory of one event, not of a million."""
    start, number = 0, 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line, start, number = text[start:end], end + 1, number + 1
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            entry = None
        if not isinstance(entry, dict) or "event" not in entry or "time" not in entry:
            yield {"time": "?", "event": "damaged_line", "line": number}
            continue
        yield entry


def _escape(text: str) -> str:
    """Control, format (bidi), separator and unassigned characters as visible ``\\uXXXX``."""
    out = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "C" or cat in ("Zl", "Zp"):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out)


def plain(value: Any, max_chars: int = RENDER_MAX_VALUE) -> str:
    """A value as one safe, bounded line of text for a terminal or a label (``max_chars``:
    longer texts are cut there and say how long they were)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                            sort_keys=True, default=str)
    if len(text) > max_chars:
        text = f"{text[:max_chars]}… [{len(text)} characters]"
    return _escape(text)


def render_text(events: list[dict[str, Any]]) -> str:
    """A plain, line-per-event rendering for people (hostile text stays on its line)."""
    lines = []
    for entry in events:
        details = ", ".join(
            f"{plain(k)}={plain(v)}" for k, v in sorted(entry.items())
            if k not in ("time", "event")
        )
        head = f"{plain(entry.get('time', '?'))}  {plain(entry.get('event', '?'))}"
        lines.append(head + (f"  ({details})" if details else ""))
    return "\n".join(lines)
