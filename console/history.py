"""The console's session history: every session the technician ran, searchable, billable.

The audit records (:mod:`desktop.audit_store`) are the source of truth. This module keeps an
*index* of them in SQLite (``history.sqlite3`` beside the ``audit`` folder) so that the history
window opens fast over thousands of sessions, plus the one thing the records do not hold: the
technician's own notes (which customer, what was done), typed in the session window or the
history window.

Two tables, two kinds of data:

* ``sessions`` is derived. :meth:`HistoryStore.sync` reads every console record that is new or
  changed since the last sync (file size and modification time) through
  :func:`desktop.audit_store.read_summary` and :func:`shared.audit_summary.summarise`, and forgets
  the sessions whose record is gone. Delete the database and sync: it comes back as it was.
* ``notes`` is the technician's and lives **only** here (record file name -> customer, note).
  A re-index never touches it; deleting the database loses it.

A record is a file anyone with access to the folder can edit: a damaged or hostile one is
indexed with what can be read (its texts are already one bounded visible line each, see
:func:`shared.audit.plain`), never raises. Every query is parameterised; search words are
matched with ``LIKE`` and escaped wildcards.

SQLite connections are not shared between threads: each thread that uses a store gets its own
connection (the history window syncs on a worker thread and reads on the GUI thread); WAL lets
the reader go on while the writer writes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import IO, Any, cast

from desktop.audit_store import MAX_RECORD_BYTES, RecordEntry, default_audit_dir, read_summary
from shared.audit_summary import SessionSummary, role_from_name
from shared.errors import FernhilfeError

#: The index's file name, in the console's data folder (beside ``audit/``).
DB_NAME = "history.sqlite3"
#: The schema this version writes. ``sessions`` of an older schema is rebuilt from the records;
#: ``notes`` is carried over. A newer schema (a newer console wrote it) is refused, untouched.
SCHEMA_VERSION = 1
#: Most file names kept per session (the audit summary's own cap on files moved).
MAX_FILE_NAMES = 200
#: Longest customer or note text stored (the technician's own words; a paste of a whole mail
#: must not make the list slow).
MAX_NOTE_CHARS = 4000
MAX_CUSTOMER_CHARS = 200
#: Most search words used (the rest are ignored: each one is a LIKE over every row).
MAX_SEARCH_WORDS = 8
#: Directions of a file or clipboard text (api17.md section 3).
TO_CUSTOMER = "to_customer"
TO_TECHNICIAN = "to_technician"
#: The first characters a spreadsheet reads as a formula (or a DDE call): such a cell gets a
#: leading ``'`` in the CSV, so ``=HYPERLINK(...)`` in a note stays text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The CSV's columns, in order (English; the window passes its translated headings).
CSV_COLUMNS = ("date", "start", "end", "duration_minutes", "customer", "note", "permissions",
               "files", "ended")
#: Most bytes one sync reads (5 000 ordinary records are about 10 MB; a folder of huge edited
#: files is indexed a part per sync instead of stalling the window's worker for minutes).
MAX_SYNC_BYTES = 256 * 1024 * 1024
#: Longest session believed for a duration (a week): more is an edited record.
MAX_DURATION_S = 7 * 86_400


class HistoryError(FernhilfeError):
    """The history database cannot be opened or written (damaged, newer, read-only, full)."""


def default_history_path() -> Path:
    """``history.sqlite3`` in the console's data folder (``FERNHILFE_DATA_DIR`` moves it)."""
    return default_audit_dir().parent / DB_NAME


@dataclass(frozen=True)
class FileMoved:
    """One file transfer of a session, as the history keeps it."""

    direction: str
    name: str
    size: int
    outcome: str  # "completed", "cancelled:<reason>" or "open"


@dataclass(frozen=True)
class HistoryRow:
    """One session in the history: the record's facts and the technician's note.

    Times are aware UTC (``None``: the record does not say); ``duration_s`` is ``None`` without
    both ends or when they are absurd. ``end_reason`` is the record's stable id (``""``: no end
    recorded), ``ended_by`` ``customer``/``technician``/``""``. ``problem``: ``""``,
    ``unreadable``, ``truncated`` or ``damaged`` (some lines could not be read). Texts from the
    record are display-safe (:func:`shared.audit.plain`) but still *from outside*: plain text.
    """

    key: str
    start: datetime | None
    end: datetime | None
    duration_s: int | None
    technician: str = ""
    verification: str = ""
    permissions: tuple[str, ...] = ()
    clipboard_to_customer: int = 0
    clipboard_to_technician: int = 0
    files_to_customer: int = 0
    files_to_technician: int = 0
    files_bytes: int = 0
    file_names: tuple[str, ...] = ()
    end_reason: str = ""
    ended_by: str = ""
    problem: str = ""
    customer: str = ""
    note: str = ""
    sort_time: datetime | None = None

    @property
    def files_count(self) -> int:
        """Files moved (completed) in either direction."""
        return self.files_to_customer + self.files_to_technician

    @property
    def billed_minutes(self) -> int | None:
        """The duration in whole minutes, rounded up (a started minute is billed)."""
        return None if self.duration_s is None else math.ceil(self.duration_s / 60)


# ------------------------------------------------------------------ facts from one record


@dataclass(frozen=True)
class _Facts:
    """What the history takes from one record."""

    permissions: frozenset[str]
    clipboard: Mapping[str, int]
    files: tuple[FileMoved, ...]


def _facts(summary: SessionSummary) -> _Facts:
    """Issue 17's facts of one record, from the audit summary (``permissions_used``,
    ``clipboard``, ``files``: already bounded and display-safe)."""
    moved = tuple(FileMoved(f.direction, f.name, f.size or 0, f.outcome)
                  for f in summary.files[:MAX_FILE_NAMES])
    return _Facts(summary.permissions_used, dict(summary.clipboard), moved)


def _row_values(entry: RecordEntry, mtime_ns: int, size: int) -> tuple[Any, ...]:
    """The ``sessions`` row of one record (column order of ``_SESSION_COLUMNS``)."""
    s = entry.summary
    facts = _facts(s)
    start, end = s.started, s.ended
    duration = None
    if start is not None and end is not None:
        seconds = (end - start).total_seconds()
        duration = int(seconds) if 0 <= seconds <= MAX_DURATION_S else None
    technician = (s.identity.technician if s.identity is not None else "") or s.technician
    done = [f for f in facts.files
            if f.outcome == "completed" and f.direction in (TO_CUSTOMER, TO_TECHNICIAN)]
    ending = s.ending
    if entry.error:
        problem = "unreadable"
    elif entry.truncated:
        problem = "truncated"
    elif s.damaged_lines:
        problem = "damaged"
    else:
        problem = ""
    return (
        entry.path.name, mtime_ns, size,
        _stamp(start), _stamp(end), duration, _stamp(entry.sort_key),
        technician, s.verification,
        ",".join(sorted(p for p in facts.permissions if "," not in p)),
        facts.clipboard.get(TO_CUSTOMER, 0), facts.clipboard.get(TO_TECHNICIAN, 0),
        sum(1 for f in done if f.direction == TO_CUSTOMER),
        sum(1 for f in done if f.direction == TO_TECHNICIAN),
        sum(f.size for f in done),
        "\n".join(f.name for f in done),
        ending.reason if ending is not None else "",
        ending.person if ending is not None else "",
        problem,
    )


def _stamp(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def _moment(value: object) -> datetime | None:
    if not isinstance(value, int | float):
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


# ------------------------------------------------------------------ the store

_SESSION_COLUMNS = (
    "key", "mtime_ns", "size", "start", "end_time", "duration", "sort_time", "technician",
    "verification", "permissions", "clip_to_customer", "clip_to_technician",
    "files_to_customer", "files_to_technician", "files_bytes", "file_names", "end_reason",
    "ended_by", "problem",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    start REAL,
    end_time REAL,
    duration INTEGER,
    sort_time REAL,
    technician TEXT NOT NULL DEFAULT '',
    verification TEXT NOT NULL DEFAULT '',
    permissions TEXT NOT NULL DEFAULT '',
    clip_to_customer INTEGER NOT NULL DEFAULT 0,
    clip_to_technician INTEGER NOT NULL DEFAULT 0,
    files_to_customer INTEGER NOT NULL DEFAULT 0,
    files_to_technician INTEGER NOT NULL DEFAULT 0,
    files_bytes INTEGER NOT NULL DEFAULT 0,
    file_names TEXT NOT NULL DEFAULT '',
    end_reason TEXT NOT NULL DEFAULT '',
    ended_by TEXT NOT NULL DEFAULT '',
    problem TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS sessions_by_time ON sessions (sort_time);
CREATE TABLE IF NOT EXISTS notes (
    key TEXT PRIMARY KEY,
    customer TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    updated REAL
);
"""


_INSERT_SESSION = """
INSERT OR REPLACE INTO sessions (
    key, mtime_ns, size, start, end_time, duration, sort_time, technician, verification,
    permissions, clip_to_customer, clip_to_technician, files_to_customer, files_to_technician,
    files_bytes, file_names, end_reason, ended_by, problem
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""

#: The one search: ?1 since, ?2 until (NULL: open), ?3..?10 up to eight LIKE patterns that
#: must all be found in the row's searchable text (NULL: unused). A fixed text: no SQL is
#: ever put together from what the technician typed.
_SEARCH = r"""
SELECT key, start, end_time, duration, sort_time, technician, verification, permissions,
       clip_to_customer, clip_to_technician, files_to_customer, files_to_technician,
       files_bytes, file_names, end_reason, ended_by, problem, customer, note
FROM (
    SELECT s.*, coalesce(n.customer, '') AS customer, coalesce(n.note, '') AS note,
           fold(coalesce(n.customer, '') || char(10) || coalesce(n.note, '') || char(10)
                || s.file_names || char(10) || s.end_reason || char(10) || s.ended_by
                || char(10) || s.verification || char(10) || s.technician) AS haystack
    FROM sessions s LEFT JOIN notes n ON n.key = s.key
)
WHERE (?1 IS NULL OR sort_time >= ?1) AND (?2 IS NULL OR sort_time < ?2)
  AND (?3 IS NULL OR haystack LIKE ?3 ESCAPE '\') AND (?4 IS NULL OR haystack LIKE ?4 ESCAPE '\')
  AND (?5 IS NULL OR haystack LIKE ?5 ESCAPE '\') AND (?6 IS NULL OR haystack LIKE ?6 ESCAPE '\')
  AND (?7 IS NULL OR haystack LIKE ?7 ESCAPE '\') AND (?8 IS NULL OR haystack LIKE ?8 ESCAPE '\')
  AND (?9 IS NULL OR haystack LIKE ?9 ESCAPE '\')
  AND (?10 IS NULL OR haystack LIKE ?10 ESCAPE '\')
ORDER BY sort_time DESC, key DESC
"""


def like_pattern(word: str) -> str:
    """``%word%`` for ``LIKE ... ESCAPE '\'``: the word's own ``%``, ``_`` and ``\\`` match
    themselves, never as wildcards."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fold(value: object) -> str:
    """Case-insensitive matching for every script (SQLite's LIKE folds ASCII only: Müller)."""
    return value.casefold() if isinstance(value, str) else ""


class HistoryStore:
    """The session history in the SQLite file ``path`` (see the module's text).

    Safe to use from several threads: each gets its own connection. :meth:`close` closes them
    all (call it when no thread uses the store any more).
    """

    def __init__(self, path: Path | None = None, *, clock: Callable[[], datetime] | None = None
                 ) -> None:
        self.path = path if path is not None else default_history_path()
        self._clock = clock or (lambda: datetime.now(UTC))
        self._local = threading.local()
        self._lock = threading.Lock()  # the list of connections; one sync at a time
        self._sync_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._conn()  # open (and create or check the schema) now: errors show at once

    # -------------------------------------------------------------- connections

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=10.0, isolation_level=None,
                                   check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"The session history cannot be opened at {self.path} "
                               f"({exc}). Check that the folder exists and is writable.") from exc
        try:
            conn.create_function("fold", 1, _fold, deterministic=True)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._check_schema(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise HistoryError(
                f"The session history {self.path} is damaged or locked ({exc}). Close other "
                "consoles; if it stays, move the file away: the sessions come back from the "
                "session records, only the notes are in the old file.") from exc
        except HistoryError:
            conn.close()
            raise
        self._local.conn = conn
        with self._lock:
            self._connections.append(conn)
        return conn

    def _check_schema(self, conn: sqlite3.Connection) -> None:
        with self._transaction(conn):
            conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
            version = row[0] if row is not None else None
            if version is not None and version > SCHEMA_VERSION:
                raise HistoryError(
                    f"The session history {self.path} was written by a newer Fernhilfe console "
                    f"(schema {version}). Please update this console.")
            if version is not None and version < SCHEMA_VERSION:
                conn.execute("DROP TABLE IF EXISTS sessions")  # derived: rebuilt by sync()
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            if version != SCHEMA_VERSION:
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)",
                             (SCHEMA_VERSION,))

    @staticmethod
    @contextlib.contextmanager
    def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close_thread(self) -> None:
        """Close this thread's connection (a worker thread that is about to end)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            return
        self._local.conn = None
        with self._lock:
            if conn in self._connections:
                self._connections.remove(conn)
        with contextlib.suppress(sqlite3.Error):
            conn.close()

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()

    # -------------------------------------------------------------- indexing

    def sync(self, audit_dir: Path | None = None, budget: int = MAX_SYNC_BYTES) -> int:
        """Bring ``sessions`` up to date with the console records in ``audit_dir``; return how
        many were (re)indexed. New and changed records (size or modification time) are read,
        newest first, until about ``budget`` bytes were read (the rest on the next sync);
        sessions whose record is gone are forgotten (their notes stay). Never raises for a
        record's content; :class:`HistoryError` when the database cannot be written."""
        directory = audit_dir if audit_dir is not None else default_audit_dir()
        with self._sync_lock:
            current = self._record_files(directory)
            conn = self._conn()
            try:
                known = {key: (mtime, size) for key, mtime, size in
                         conn.execute("SELECT key, mtime_ns, size FROM sessions")}
                changed = sorted(((path, stat) for name, (path, stat) in current.items()
                                  if known.get(name) != stat),
                                 key=lambda item: item[1][0], reverse=True)  # newest first
                rows = []
                for path, stat in changed:
                    if budget <= 0:  # a folder of huge edited files: the rest next time
                        break
                    entry = read_summary(path, min(MAX_RECORD_BYTES, budget))
                    budget -= max(entry.bytes_read, 1)
                    rows.append(_row_values(entry, *stat))
                gone = [(key,) for key in known if key not in current]
                with self._transaction(conn):
                    conn.executemany(_INSERT_SESSION, rows)
                    conn.executemany("DELETE FROM sessions WHERE key = ?", gone)
            except sqlite3.Error as exc:
                raise HistoryError(f"The session history {self.path} cannot be written "
                                   f"({exc}).") from exc
            return len(rows)

    @staticmethod
    def _record_files(directory: Path) -> dict[str, tuple[Path, tuple[int, int]]]:
        """The console's record files in ``directory``: name -> (path, (mtime_ns, size))."""
        found: dict[str, tuple[Path, tuple[int, int]]] = {}
        try:
            paths = list(directory.glob("session-*.jsonl"))
        except OSError:
            return found
        for path in paths:
            if role_from_name(path.name) != "console":
                continue
            try:
                st = path.stat()
            except OSError:
                continue
            found[path.name] = (path, (st.st_mtime_ns, st.st_size))
        return found

    # -------------------------------------------------------------- reading

    def sessions(self, query: str = "", since: datetime | None = None,
                 until: datetime | None = None) -> list[HistoryRow]:
        """The sessions, newest first, whose customer, note, file names, end (reason or who),
        check number or technician contain every word of ``query`` (any case); with ``since``
        / ``until`` (aware datetimes; ``until`` exclusive) only those that started in that
        time (a record without a start counts at its file's time)."""
        words: list[str | None] = [like_pattern(w.casefold())
                                   for w in query.split()[:MAX_SEARCH_WORDS]]
        words += [None] * (MAX_SEARCH_WORDS - len(words))
        params = [None if since is None else _aware(since).timestamp(),
                  None if until is None else _aware(until).timestamp(), *words]
        try:
            cursor = self._conn().execute(_SEARCH, params)
            return [_history_row(row) for row in cursor]
        except sqlite3.Error as exc:
            raise HistoryError(f"The session history {self.path} cannot be read "
                               f"({exc}).") from exc

    def session(self, key: str) -> HistoryRow | None:
        """One session by its record's file name."""
        return next((row for row in self.sessions() if row.key == key), None)

    # -------------------------------------------------------------- the technician's notes

    def set_notes(self, record_key: str, customer: str, note: str) -> None:
        """Keep the technician's customer and note for the session of ``record_key`` (the
        record's file name, ``AuditRecord.path.name``). Works before the record is indexed
        (the session window saves while the session runs); survives every re-index."""
        if not record_key or "/" in record_key or "\\" in record_key:
            raise ValueError(f"not a record's file name: {record_key!r}")
        try:
            conn = self._conn()
            with self._transaction(conn):
                conn.execute(
                    "INSERT INTO notes (key, customer, note, updated) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET customer = excluded.customer, "
                    "note = excluded.note, updated = excluded.updated",
                    (record_key, customer[:MAX_CUSTOMER_CHARS], note[:MAX_NOTE_CHARS],
                     self._clock().timestamp()))
        except sqlite3.Error as exc:
            raise HistoryError(f"The note cannot be saved in {self.path} ({exc}).") from exc

    def notes(self, record_key: str) -> tuple[str, str]:
        """The customer and note kept for ``record_key`` (empty when none)."""
        row = self._conn().execute("SELECT customer, note FROM notes WHERE key = ?",
                                   (record_key,)).fetchone()
        return (str(row[0]), str(row[1])) if row is not None else ("", "")


def _aware(moment: datetime) -> datetime:
    """A naive datetime is taken as UTC (callers pass aware ones)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _history_row(row: Sequence[Any]) -> HistoryRow:
    (key, start, end, duration, sort_time, technician, verification, permissions, clip_c,
     clip_t, files_c, files_t, files_bytes, names, reason, ended_by, problem, customer,
     note) = row
    return HistoryRow(
        key=key, start=_moment(start), end=_moment(end), duration_s=duration,
        technician=technician, verification=verification,
        permissions=tuple(p for p in permissions.split(",") if p),
        clipboard_to_customer=clip_c, clipboard_to_technician=clip_t,
        files_to_customer=files_c, files_to_technician=files_t, files_bytes=files_bytes,
        file_names=tuple(n for n in names.split("\n") if n), end_reason=reason,
        ended_by=ended_by, problem=problem, customer=customer, note=note,
        sort_time=_moment(sort_time))


# ------------------------------------------------------------------ billing export


def csv_cell(value: object) -> str:
    """One CSV cell, safe in a spreadsheet: text that would start a formula gets a ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _default_ended(row: HistoryRow) -> str:
    return row.end_reason


def export_csv(rows: Iterable[HistoryRow], target: Path | IO[str] | IO[bytes], *,
               headers: Sequence[str] = CSV_COLUMNS, tz: tzinfo | None = None,
               delimiter: str = ";",
               permissions_text: Callable[[HistoryRow], str] | None = None,
               ended_text: Callable[[HistoryRow], str] = _default_ended) -> int:
    """Write ``rows`` as a billing CSV to ``target`` (a path, or an open text or binary
    stream); return the number of sessions written.

    One line per session: date, start, end (local time of ``tz``, default this computer's),
    duration in minutes rounded up, customer, note, permissions, files (names), how it ended.
    UTF-8 with a byte order mark (German Excel then reads umlauts right), ``;`` between cells
    by default (German Excel's list separator), every cell formula-safe (:func:`csv_cell`).
    ``headers``, ``permissions_text`` and ``ended_text`` let the window put its language in.
    """
    if len(headers) != len(CSV_COLUMNS):
        raise ValueError(f"export_csv needs {len(CSV_COLUMNS)} headings")
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8-sig", newline="") as fh:
            return _write_csv(rows, fh, headers, tz, delimiter, permissions_text, ended_text)
    if isinstance(target, io.TextIOBase):
        target.write("\ufeff")  # a text stream has its own encoding: the BOM as a character
        return _write_csv(rows, target, headers, tz, delimiter, permissions_text, ended_text)
    wrapper = io.TextIOWrapper(cast("IO[bytes]", target), encoding="utf-8-sig", newline="")
    try:
        return _write_csv(rows, wrapper, headers, tz, delimiter, permissions_text, ended_text)
    finally:
        wrapper.flush()
        wrapper.detach()  # the caller's stream stays open


def _write_csv(rows: Iterable[HistoryRow], fh: IO[str], headers: Sequence[str],
               tz: tzinfo | None, delimiter: str,
               permissions_text: Callable[[HistoryRow], str] | None,
               ended_text: Callable[[HistoryRow], str]) -> int:
    out = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    out.writerow([csv_cell(h) for h in headers])
    count = 0
    for row in rows:
        start = row.start.astimezone(tz) if row.start is not None else None
        end = row.end.astimezone(tz) if row.end is not None else None
        perms = permissions_text(row) if permissions_text else ", ".join(row.permissions)
        out.writerow([csv_cell(v) for v in (
            start.strftime("%Y-%m-%d") if start else "",
            start.strftime("%H:%M") if start else "",
            end.strftime("%H:%M") if end else "",
            "" if row.billed_minutes is None else row.billed_minutes,
            row.customer, row.note, perms, ", ".join(row.file_names), ended_text(row))])
        count += 1
    return count
