"""The audit record every session leaves on both PCs (GDPR Art. 28: who did what, and when).

Pure data plus a tiny file writer: the agent and the console each keep one record per session,
append events as they happen, and save it as JSON lines in the user's data directory, so that a
crash mid-session still leaves everything up to the crash on disk. ``render_text`` turns a record
into the human-readable form a customer or auditor asks for.

Records hold text from outside (the technician's claimed name and organisation), so:

* every line is JSON with ``ensure_ascii=True``: no field can contain a raw line break, U+2028/
  U+2029 or a bidi control, so one event is always exactly one ``\\n``-terminated line;
* reading splits on ``\\n`` only, and a damaged line costs that line (shown as damaged), not the
  record;
* rendering escapes control, format, separator and bidi characters and shortens long values, so a
  hostile name prints as one visible line.

A record that cannot be written is an :class:`AuditWriteError`: the session shell ends the session
(no session without a record). ``check_writable`` lets it find out before a code is shown.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.errors import FernhilfeError

#: Longest value ``render_text`` prints in full; longer ones are cut and their length shown.
RENDER_MAX_VALUE = 200
#: Marker files of agents whose session is running: ``running-<pid>.json`` in the audit folder.
RUNNING_PREFIX = "running-"
#: The end reason written into a record that a crashed agent left open.
CRASHED_REASON = "agent_crashed"


class AuditError(FernhilfeError):
    """An audit file cannot be read."""


class AuditWriteError(AuditError):
    """The audit record cannot be written (folder missing, read-only, disk full ...)."""


def default_audit_dir() -> Path:
    """The user's data folder for audit records (``FERNHILFE_DATA_DIR`` overrides it)."""
    import platformdirs

    base = os.environ.get("FERNHILFE_DATA_DIR") or platformdirs.user_data_dir("Fernhilfe", False)
    return Path(base) / "audit"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_error(directory: Path, exc: OSError) -> AuditWriteError:
    return AuditWriteError(f"The session record cannot be written to {directory} "
                           f"({exc.__class__.__name__}: {exc.strerror or exc}).")


def _make_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(directory, exc) from exc


def check_writable(directory: Path) -> None:
    """Create ``directory`` if needed and write (then remove) a probe file; AuditWriteError if not.

    Called before a code is shown: a session must never start without a place for its record.
    """
    _make_dir(directory)
    probe = directory / f".probe-{os.getpid()}"
    try:
        with probe.open("wb") as fh:
            fh.write(b"x" * 512 + b"\n")  # about one event: a full disk fails here, not later
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise _write_error(directory, exc) from exc
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def encode_event(entry: dict[str, Any]) -> str:
    """One event as one line: ASCII-only JSON, so no field can break or hide a line."""
    return json.dumps(entry, ensure_ascii=True, sort_keys=True, default=str) + "\n"


@dataclass
class AuditRecord:
    """One session's record; every ``log`` call is written through to disk at once.

    ``on_failure``: called with the AuditWriteError instead of raising it (for shells that end
    the session from a callback).
    """

    path: Path
    events: list[dict[str, Any]] = field(default_factory=list)
    on_failure: Callable[[AuditWriteError], None] | None = None

    @classmethod
    def create(cls, directory: Path, role: str, clock: str | None = None) -> AuditRecord:
        _make_dir(directory)
        stamp = re.sub(r"[^0-9T]", "", clock or _now())[:15]
        path = directory / f"session-{stamp}-{role}.jsonl"
        n = 1
        while path.exists():
            n += 1
            path = directory / f"session-{stamp}-{role}-{n}.jsonl"
        return cls(path=path)

    def log(self, event: str, **details: Any) -> None:
        entry = {"time": _now(), "event": event, **details}
        self.events.append(entry)
        try:
            with self.path.open("a", encoding="ascii") as fh:
                fh.write(encode_event(entry))
        except OSError as exc:
            error = _write_error(self.path.parent, exc)
            if self.on_failure is None:
                raise error from exc
            self.on_failure(error)


def read_record(path: Path) -> list[dict[str, Any]]:
    """Load a saved record. A damaged line becomes a ``damaged_line`` entry naming the line."""
    events: list[dict[str, Any]] = []
    text = path.read_bytes().decode("utf-8", "replace")
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            entry = None
        if not isinstance(entry, dict) or "event" not in entry or "time" not in entry:
            events.append({"time": "?", "event": "damaged_line", "line": number})
            continue
        events.append(entry)
    return events


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


def plain(value: Any) -> str:
    """A value as one safe, bounded line of text for a terminal or a label."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                            sort_keys=True, default=str)
    if len(text) > RENDER_MAX_VALUE:
        text = f"{text[:RENDER_MAX_VALUE]}… [{len(text)} characters]"
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


def recent_records(directory: Path, count: int = 1) -> list[Path]:
    """The ``count`` most recent audit files in ``directory``, oldest first."""
    if not directory.is_dir():
        return []
    files = sorted(directory.glob("session-*.jsonl"), key=lambda p: (p.stat().st_mtime, p.name))
    return files[-count:] if count > 0 else []


def render_recent(directory: Path, count: int = 1) -> str:
    """What ``--show-audit`` prints: the latest records, each under its file name."""
    paths = recent_records(directory, count)
    if not paths:
        return f"No sessions recorded yet (looked in {plain(str(directory))})."
    parts = []
    for path in paths:
        try:
            body = render_text(read_record(path))
        except OSError as exc:
            body = plain(f"cannot read: {exc}")
        parts.append(f"== {plain(path.name)}\n{body}")
    return "\n\n".join(parts)


# ------------------------------------------------------------------ crash bookkeeping


def _pid_alive(pid: int) -> bool:
    """True if a process with this id runs (a recycled id errs on the safe side: 'alive')."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))  # type: ignore[attr-defined]
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_running(record: AuditRecord) -> Path:
    """Note that ``record``'s session runs in this process (removed by :func:`mark_finished`).

    If the process dies, the next agent start finds the note, closes the record as ended
    unexpectedly and releases input that may still be held."""
    marker = record.path.parent / f"{RUNNING_PREFIX}{os.getpid()}.json"
    try:
        marker.write_text(json.dumps({"pid": os.getpid(), "record": record.path.name}),
                          encoding="ascii")
    except OSError as exc:
        raise _write_error(record.path.parent, exc) from exc
    return marker


def mark_finished(record: AuditRecord) -> None:
    """The session of ``record`` ended in an orderly way; forget the running note."""
    with contextlib.suppress(OSError):
        (record.path.parent / f"{RUNNING_PREFIX}{os.getpid()}.json").unlink()


def close_crashed(directory: Path) -> list[Path]:
    """Close every record whose agent died mid-session; return those records' paths.

    A note whose process still runs (another agent) is left alone."""
    closed: list[Path] = []
    if not directory.is_dir():
        return closed
    for marker in sorted(directory.glob(f"{RUNNING_PREFIX}*.json")):
        try:
            note = json.loads(marker.read_text(encoding="ascii"))
            pid, name = int(note["pid"]), str(note["record"])
        except (OSError, ValueError, KeyError, TypeError):
            pid, name = 0, ""
        if pid == os.getpid() or _pid_alive(pid):
            continue
        record_path = directory / Path(name).name if name else None
        if record_path is not None and record_path.is_file():
            line = encode_event({"time": _now(), "event": "session_ended",
                                 "reason": CRASHED_REASON,
                                 "message": "The agent ended unexpectedly."})
            with contextlib.suppress(OSError):
                torn = not record_path.read_bytes().endswith(b"\n")  # died mid-write
                with record_path.open("a", encoding="ascii") as fh:
                    fh.write(("\n" if torn else "") + line)
                closed.append(record_path)
        with contextlib.suppress(OSError):
            marker.unlink()
    return closed
