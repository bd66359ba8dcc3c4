"""Where the audit records live: one JSON-lines file per session in the user's data folder.

The record's format (:mod:`shared.audit`) is pure; this is its file store. Every event is
appended at once, so a crash mid-session still leaves everything up to the crash on disk, and a
running agent leaves a note (``running-<pid>.json``) that the next start finds if it died, to
close the record as ended unexpectedly. ``check_writable`` lets a shell find out before a code is
shown that a record can be kept (no session without a record).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from shared.audit import (
    AuditLog,
    AuditWriteError,
    encode_event,
    iter_record,
    parse_record,
    plain,
    render_text,
    utc_now,
)
from shared.audit_summary import CRASHED_REASON, SessionSummary, role_from_name, summarise

#: Marker files of agents whose session is running: ``running-<pid>.json`` in the audit folder.
RUNNING_PREFIX = "running-"
#: Most records the "Session records" window lists (the newest; older files stay untouched).
MAX_LISTED = 1000
#: Most bytes read of one record: a session's record is a few kB, an edited file may be huge.
MAX_RECORD_BYTES = 2 * 1024 * 1024
#: Of a record over that size, this much of its end is read too (its last lines: how it ended).
TAIL_BYTES = 256 * 1024
#: Most bytes the window reads for one listing (1000 ordinary records are about 3 MB).
MAX_LISTING_BYTES = 64 * 1024 * 1024


def default_audit_dir() -> Path:
    """The user's data folder for audit records (``FERNHILFE_DATA_DIR`` overrides it)."""
    import platformdirs

    base = os.environ.get("FERNHILFE_DATA_DIR") or platformdirs.user_data_dir("Fernhilfe", False)
    return Path(base) / "audit"


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


class AuditRecord(AuditLog):
    """One session's record in the file ``path``; every ``log`` call is appended to it at once."""

    def __init__(self, path: Path) -> None:
        super().__init__(write=self._append)
        self.path = path

    @classmethod
    def create(cls, directory: Path, role: str, clock: str | None = None) -> AuditRecord:
        """A new record file for ``role`` in ``directory``, named for the start time (unique)."""
        _make_dir(directory)
        stamp = re.sub(r"[^0-9T]", "", clock or utc_now())[:15]
        path = directory / f"session-{stamp}-{role}.jsonl"
        n = 1
        while path.exists():
            n += 1
            path = directory / f"session-{stamp}-{role}-{n}.jsonl"
        return cls(path=path)

    def _append(self, line: str) -> None:
        try:
            with self.path.open("a", encoding="ascii") as fh:
                fh.write(line)
        except OSError as exc:
            raise _write_error(self.path.parent, exc) from exc


def read_record(path: Path) -> list[dict[str, Any]]:
    """Load a saved record. A damaged line becomes a ``damaged_line`` entry naming the line."""
    return parse_record(path.read_bytes().decode("utf-8", "replace"))


def recent_records(directory: Path, count: int = 1) -> list[Path]:
    """The ``count`` most recent audit files in ``directory``, oldest first."""
    if not directory.is_dir():
        return []
    files = sorted(directory.glob("session-*.jsonl"), key=lambda p: (p.stat().st_mtime, p.name))
    return files[-count:] if count > 0 else []


@dataclass(frozen=True)
class RecordEntry:
    """One record file as the "Session records" window lists it.

    ``error``: the file could not be read (the summary is then empty); ``truncated``: only its
    beginning and its end were read (:data:`MAX_RECORD_BYTES`, or what the listing's budget
    left; :func:`read_summary`)."""

    path: Path
    summary: SessionSummary
    modified: datetime
    error: str = ""
    truncated: bool = False
    bytes_read: int = 0

    @property
    def sort_key(self) -> datetime:
        """When the session started (the file's time if the record does not say)."""
        return self.summary.started or self.modified


def _head_and_tail(fh: BinaryIO, size: int, max_bytes: int) -> bytes:
    """Whole lines from the start of a record of ``size`` bytes, too big to read, then whole
    lines from its end: how a session ended is in its last lines, and a long recorded chat (or
    a peer flooding one) must not push it out of what the window reads. Reads ``max_bytes``."""
    tail_size = min(TAIL_BYTES, max_bytes // 4)
    head = fh.read(max_bytes - tail_size)
    fh.seek(max(size - tail_size, len(head)))
    tail = fh.read(tail_size)
    head = head[:head.rfind(b"\n") + 1]  # a cut line would read as damaged
    first = tail.find(b"\n")
    return head + (tail[first + 1:] if first >= 0 else b"")


def read_summary(path: Path, max_bytes: int = MAX_RECORD_BYTES) -> RecordEntry:
    """Summarise one record file; never raises (an unreadable file is an entry with ``error``).

    Only regular files are opened (a FIFO or device planted in the folder would block or never
    end), and at most ``max_bytes`` of them: of a larger file its first and last whole lines
    (:data:`TAIL_BYTES` of the end), so the summary still says how the session ended."""
    role = role_from_name(path.name)
    modified = datetime.fromtimestamp(0, UTC)
    max_bytes = max(max_bytes, 0)
    try:
        stat = path.stat()
        modified = datetime.fromtimestamp(stat.st_mtime, UTC)
        if not path.is_file():
            raise OSError("not a regular file")
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            truncated = size > max_bytes
            if truncated:
                data = _head_and_tail(fh, size, max_bytes)
            else:
                data = fh.read(max_bytes + 1)
                if len(data) > max_bytes:  # it grew meanwhile: what was there
                    truncated, data = True, data[:data.rfind(b"\n", 0, max_bytes) + 1]
    except (OSError, ValueError, OverflowError) as exc:
        return RecordEntry(path, summarise([], role), modified, error=plain(str(exc)))
    events = iter_record(data.decode("utf-8", "replace"))
    return RecordEntry(path, summarise(events, role), modified, truncated=truncated,
                       bytes_read=max_bytes if truncated else len(data))


def list_summaries(directory: Path, limit: int = MAX_LISTED,
                   budget: int = MAX_LISTING_BYTES, role: str | None = None) -> list[RecordEntry]:
    """The newest ``limit`` records in ``directory`` summarised, newest session first; with
    ``role``, only that program's (agent and console share the folder on one PC, e.g. the demo).

    Together they read at most ``budget`` bytes (a folder of huge edited files must not stall
    the window); a record past the budget is read only as far as the budget left."""
    if not directory.is_dir():
        return []
    try:
        paths = list(directory.glob("session-*.jsonl"))
    except OSError:
        return []
    if role is not None:
        paths = [p for p in paths if role_from_name(p.name) == role]

    def mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    newest = sorted(paths, key=lambda p: (mtime(p), p.name), reverse=True)[:max(limit, 0)]
    entries = []
    for path in newest:
        entry = read_summary(path, min(MAX_RECORD_BYTES, budget))
        entries.append(entry)
        budget -= entry.bytes_read
    return sorted(entries, key=lambda e: (e.sort_key, e.path.name), reverse=True)


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

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
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
            line = encode_event({"time": utc_now(), "event": "session_ended",
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
