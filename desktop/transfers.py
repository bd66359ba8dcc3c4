"""File transfer I/O both programs share: the folder, reading, writing, and the pump between
the session machine and the disk (issue 17, api17 §5 and §5.1).

The policy (who may send which way, ids, the order and size checks, the sender's window, the
hash check, resuming) is :mod:`shared.session` and :mod:`shared.transfer`'s, pure. This module is
the I/O around it, and it keeps the disk off the loop thread: the network loop never waits for
a file.

* :class:`FileSource` (sender) hashes a file on its own thread before it is offered, and reads
  the chunks the window asks for on a reader thread.
* :class:`FileSink` (receiver) picks the name (:func:`shared.filenames.safe_name`, then a free
  one), writes into ``<folder>/.fernhilfe-partial/<sha256>.part`` on ONE writer thread in
  order, and renames the part to its final name only after the hash matched. A part is kept
  when a transfer breaks off, so the same file offered again (after a drop, in a new session)
  continues where it stopped; a part whose hash did not match is deleted, never renamed: a
  wrong file never appears under the offered name. A received file is never executable.
* :class:`TransferPump` (both sides, loop thread) glues the two to the session: it answers the
  transfer events, keeps each outgoing window full, acknowledges what the writer wrote, and
  tells the window through :class:`TransferUpdate` (at most ~10 per second per transfer).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import re
import shutil
import stat
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import platformdirs

from shared.errors import FernhilfeError
from shared.filenames import safe_name, unique_name
from shared.session import DEFAULT_MAX_FILE as _SESSION_MAX_FILE
from shared.session import (
    AgentSession,
    ConsoleSession,
    FileAccepted,
    FileCancelled,
    FileChunkReceived,
    FileCompleted,
    FileOffered,
    FileProgress,
    FileVerified,
    NotPermitted,
    Step,
    TransferRefused,
)
from shared.transfer import MAX_RATE, FileInfo

log = logging.getLogger(__name__)

#: The console's cap on what it receives (the agent's comes from the branding: max_file_mb);
#: the session machine's default, named here too for the shells (api17 §5).
DEFAULT_MAX_FILE = _SESSION_MAX_FILE
#: The folder under the user's Downloads where received files land.
FOLDER_NAME = "Fernhilfe"
#: Where parts of unfinished files wait, inside the folder (hidden: not a file to open yet).
PARTIAL_DIR = ".fernhilfe-partial"
#: Free space kept beyond the file: a transfer never fills the disk to the last byte.
SPACE_MARGIN = 64 * 1024**2
#: Bytes read at a time while hashing and while feeding a part's prefix to the hash.
HASH_BLOCK = 1024**2
#: Mode of a received file: readable, never executable (whatever the umask or the sender says).
RECEIVED_MODE = 0o644
#: Mode of a part while it is being written: only this user.
PART_MODE = 0o600

_SHA256 = re.compile(r"[0-9a-f]{64}")


class TransferIOError(FernhilfeError):
    """A file could not be read or written; :attr:`reason` is the FileCancel reason to send."""

    def __init__(self, message: str, reason: str = "error") -> None:
        super().__init__(message)
        self.reason = reason


class FileLike(Protocol):
    """What of :class:`shared.transfer.FileInfo` the I/O needs."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def sha256(self) -> str: ...


def default_download_dir() -> Path:
    """The user's Downloads folder / ``Fernhilfe``, made on first use.

    platformdirs knows the folder on every system (XDG ``user-dirs.dirs`` on Linux, the known
    folder on Windows, ~/Downloads on macOS) without Qt, so the network side can ask too."""
    folder = Path(platformdirs.user_downloads_dir()) / FOLDER_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---------------------------------------------------------------------------------- sending


@dataclass(frozen=True)
class PreparedFile:
    """A file picked to send: its name as offered, size and sha256 at the time it was read."""

    path: Path
    name: str
    size: int
    sha256: str


class FileSource:
    """The sender's disk side: hashing on its own thread, reading chunks on another.

    :meth:`prepare` and :meth:`read` block; the pump runs them through :attr:`hasher` and
    :attr:`reader` (never on the loop or the GUI thread). A long hash does not hold up the
    chunks of a file already on its way."""

    def __init__(self) -> None:
        self.hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fernhilfe-hash")
        self.reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fernhilfe-read")
        self._open: dict[Path, IO[bytes]] = {}
        self._lock = threading.Lock()

    def prepare(self, path: Path) -> PreparedFile:
        """Hash ``path`` (blocking). Raises :class:`TransferIOError` with a plain message."""
        try:
            st = path.stat()
            if not stat.S_ISREG(st.st_mode):
                raise TransferIOError(f"{path.name} is not a file that can be sent.")
            digest = hashlib.sha256()
            size = 0
            with path.open("rb") as f:
                while block := f.read(HASH_BLOCK):
                    digest.update(block)
                    size += len(block)
        except TransferIOError:
            raise
        except OSError as exc:
            raise TransferIOError(f"{path.name} cannot be read: {exc.strerror or exc}.") from exc
        return PreparedFile(path, safe_name(path.name), size, digest.hexdigest())

    def read(self, file: PreparedFile, offset: int, length: int) -> bytes:
        """``length`` bytes of ``file`` at ``offset`` (blocking, on the reader thread)."""
        try:
            with self._lock:
                handle = self._open.get(file.path)
                if handle is None:
                    handle = self._open[file.path] = file.path.open("rb")
            handle.seek(offset)
            data = handle.read(length)
        except OSError as exc:
            raise TransferIOError(f"{file.name} cannot be read: {exc.strerror or exc}.") from exc
        if len(data) != length:
            raise TransferIOError(f"{file.name} changed while it was being sent.")
        return data

    def release(self, file: PreparedFile) -> None:
        """The transfer of ``file`` is over: close its handle (if no other uses it)."""
        with self._lock:
            handle = self._open.pop(file.path, None)
        if handle is not None:
            handle.close()

    def close(self) -> None:
        """Stop both threads (what is queued is dropped) and close every handle."""
        self.hasher.shutdown(wait=False, cancel_futures=True)
        self.reader.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            handles, self._open = list(self._open.values()), {}
        for handle in handles:
            handle.close()


# ---------------------------------------------------------------------------------- receiving


@dataclass
class _Incoming:
    info: FileLike
    folder: Path
    part: Path
    target: Path
    handle: IO[bytes] | None = None
    written: int = 0
    failed: TransferIOError | None = None


class FileSink:
    """The receiver's disk side: names, parts, free space, ONE writer thread, the final rename.

    Every method but :meth:`open` and :meth:`write` is cheap and may run on the loop; the
    part's own I/O (opening, prefix hashing, writing, flushing) happens on :attr:`writer`, in
    the order it was asked for."""

    def __init__(self, *, margin: int = SPACE_MARGIN) -> None:
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fernhilfe-write")
        self.margin = margin
        self._files: dict[int, _Incoming] = {}
        self._parts_in_use: set[Path] = set()

    def open(self, info: FileLike, folder: Path) -> tuple[int, Path]:
        """Get ready to receive ``info`` into ``folder``: (offset to resume from, final path).

        The offset is how much of the file a part from an earlier attempt holds (0: none).
        Raises :class:`TransferIOError` with reason ``no_space`` when the rest does not fit,
        ``error`` when the folder cannot be used."""
        if not _SHA256.fullmatch(info.sha256):
            raise TransferIOError("The offered file has no valid checksum.")
        try:
            parts = folder / PARTIAL_DIR
            parts.mkdir(parents=True, exist_ok=True)
            part = parts / f"{info.sha256}.part"
            if part in self._parts_in_use:  # the same file twice at once: no shared part
                part = parts / f"{info.sha256}.{info.id}.part"
            held = part.stat().st_size if part.exists() else 0
            if held > info.size:  # not a prefix of this file: start again
                held = 0
            free = shutil.disk_usage(folder).free
        except OSError as exc:
            raise TransferIOError(
                f"The folder {folder} cannot be used: {exc.strerror or exc}.") from exc
        if info.size - held + self.margin > free:
            raise TransferIOError(
                f"There is not enough free space in {folder} for {safe_name(info.name)}.",
                "no_space")
        target = folder / unique_name(safe_name(info.name), lambda n: (folder / n).exists())
        self._files[info.id] = _Incoming(info, folder, part, target, written=held)
        self._parts_in_use.add(part)
        return held, target

    def target(self, id: int) -> Path | None:
        """Where the file ``id`` will land (None: not open)."""
        entry = self._files.get(id)
        return entry.target if entry else None

    def prefix_chunks(self, id: int) -> Iterator[bytes]:
        """The bytes the part already holds, in blocks, for ``IncomingFile.absorb_prefix``
        (blocking: run it on :attr:`writer`, before the first write)."""
        entry = self._files[id]
        if entry.written == 0:
            return
        with entry.part.open("rb") as f:
            left = entry.written
            while left > 0:
                block = f.read(min(HASH_BLOCK, left))
                if not block:
                    raise TransferIOError("The partly received file got shorter.")
                left -= len(block)
                yield block

    def write(self, id: int, offset: int, data: bytes, done: Callable[[int], None],
              failed: Callable[[TransferIOError], None]) -> None:
        """Write ``data`` at ``offset`` on the writer thread, in order; then ``done(end)``
        there (or ``failed(error)`` once: reason ``no_space`` for a full disk)."""
        self.writer.submit(self._write, id, offset, data, done, failed)

    def _write(self, id: int, offset: int, data: bytes, done: Callable[[int], None],
               failed: Callable[[TransferIOError], None]) -> None:
        entry = self._files.get(id)
        if entry is None or entry.failed is not None:
            return
        try:
            if entry.handle is None:
                entry.handle = _open_part(entry.part, offset)
            if offset != entry.written:
                raise TransferIOError("A piece of the file came out of order.")
            entry.handle.write(data)
            entry.written += len(data)
        except OSError as exc:
            entry.failed = TransferIOError(
                f"{entry.target.name} cannot be saved: {exc.strerror or exc}.",
                "no_space" if exc.errno in _NO_SPACE else "error")
            failed(entry.failed)
            return
        except TransferIOError as exc:
            entry.failed = exc
            failed(exc)
            return
        done(entry.written)

    def finish(self, id: int, verified: bool) -> Future[Path | None]:
        """After the last byte: rename the part to the final name (mode 0o644) if
        ``verified``, else delete it. On the writer thread (behind every write): the path
        it landed at (None: deleted, or it failed)."""
        return self.writer.submit(self._finish, id, verified)

    def _finish(self, id: int, verified: bool) -> Path | None:
        entry = self._files.pop(id, None)
        if entry is None:
            return None
        self._parts_in_use.discard(entry.part)
        try:
            if entry.handle is None:  # nothing written here (an empty file, or all resumed)
                entry.handle = _open_part(entry.part, entry.written)
            entry.handle.flush()
            os.fsync(entry.handle.fileno())
            entry.handle.close()
            if not verified:
                entry.part.unlink(missing_ok=True)
                return None
            os.chmod(entry.part, RECEIVED_MODE)
            landed = _move_into_place(entry.part, entry.folder, entry.target.name)
            _mark_from_internet(landed)
            return landed
        except OSError as exc:
            log.error("a received file could not be put in place: %s", exc)
            return None

    def cancel(self, id: int, reason: str) -> None:
        """The transfer broke off: close the part and keep it (the same file offered again
        resumes from it), unless its hash did not match (deleted). On the writer thread."""
        self.writer.submit(self._cancel, id, reason)

    def _cancel(self, id: int, reason: str) -> None:
        entry = self._files.pop(id, None)
        if entry is None:
            return
        self._parts_in_use.discard(entry.part)
        try:
            if entry.handle is not None:
                entry.handle.close()
            if reason == "hash_mismatch" or entry.written == 0:
                entry.part.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("a partly received file could not be tidied up: %s", exc)

    def close(self) -> None:
        """Teardown: close every part (kept for a resume) and stop the writer after what is
        queued is written."""
        for id in list(self._files):
            self.writer.submit(self._close_one, id)
        self.writer.shutdown(wait=True)

    def _close_one(self, id: int) -> None:
        entry = self._files.pop(id, None)
        if entry is not None and entry.handle is not None:
            entry.handle.close()


_NO_SPACE = {28, 122}  # ENOSPC, EDQUOT (Linux numbering; Windows maps a full disk to 28)


def _open_part(part: Path, offset: int) -> IO[bytes]:
    """The part, opened for writing at ``offset`` (made with mode 0o600 if new; truncated
    there: what lies beyond was never acknowledged)."""
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), PART_MODE)
    handle = os.fdopen(fd, "wb")
    handle.truncate(offset)
    handle.seek(offset)
    return handle


def _mark_from_internet(path: Path) -> None:
    """On Windows, the "mark of the web" every browser puts on a download: opening a received
    program then shows Windows' own warning first (SmartScreen), as it should. Elsewhere the
    mode (never executable) does that job. Best effort: a file system without alternate data
    streams (FAT) simply has no mark."""
    if os.name != "nt":
        return
    with contextlib.suppress(OSError), open(f"{path}:Zone.Identifier", "w") as mark:
        mark.write("[ZoneTransfer]\r\nZoneId=3\r\n")


def _move_into_place(part: Path, folder: Path, name: str) -> Path:
    """Give the part its final name without ever replacing a file that appeared meanwhile
    (a hard link fails if the name exists; where there are none, FAT, a rename after a check)."""
    for _ in range(100):
        target = folder / unique_name(name, lambda n: (folder / n).exists())
        try:
            if os.name == "nt":
                os.rename(part, target)  # (fails if the target exists)
            else:
                try:
                    os.link(part, target)  # (fails if the target exists)
                except FileExistsError:
                    raise
                except OSError:  # no hard links on this file system
                    if target.exists():
                        continue
                    os.rename(part, target)
                    return target
                part.unlink()
            return target
        except FileExistsError:
            continue
    raise OSError(f"no free name for {name} in {folder}")


# ---------------------------------------------------------------------------------- the pump

#: Seconds between two progress updates of one transfer to the window (~10 per second).
UPDATE_EVERY = 0.1
#: States of a :class:`TransferUpdate`.
STATES = ("waiting", "running", "completed", "cancelled")
#: Reasons of a cancelled update found here, beside the protocol's FILE_CANCEL_REASONS:
#: the file cannot be read, this side may not send files now, too many open at once, the
#: session ended with the transfer open.
LOCAL_REASONS = ("unreadable", "not_permitted", "too_many", "ended")


@dataclass(frozen=True)
class TransferUpdate:
    """What the window shows of one transfer (sent to the GUI through the driver's sink).

    ``direction``: ``to_customer`` or ``to_technician``; ``id``: the transfer's id (0 for a
    file that never got one: it could not be read or offered); ``done`` of ``size`` bytes;
    ``state`` in :data:`STATES`; ``reason`` (cancelled): a FileCancel reason or one of
    :data:`LOCAL_REASONS`; ``message``: a plain English sentence for the log; ``path``: where a
    received file was saved; ``sha256``: the file's checksum, shown before it is opened;
    ``incoming``: this side receives it."""

    direction: str
    id: int
    name: str
    size: int
    done: int
    state: str
    reason: str = ""
    path: str = ""
    sha256: str = ""
    incoming: bool = False
    message: str = ""


def as_update(update: object) -> TransferUpdate:
    """A :class:`TransferUpdate` from anything with its fields (the windows take duck-typed
    updates; a missing field is empty), so both programs' lists read one type."""
    if isinstance(update, TransferUpdate):
        return update
    return TransferUpdate(
        direction=str(getattr(update, "direction", "")), id=int(getattr(update, "id", 0)),
        name=str(getattr(update, "name", "")), size=int(getattr(update, "size", 0)),
        done=int(getattr(update, "done", 0)), state=str(getattr(update, "state", "")),
        reason=str(getattr(update, "reason", "")), path=str(getattr(update, "path", "")),
        sha256=str(getattr(update, "sha256", "")))


@dataclass
class _Transfer:
    direction: str
    id: int
    name: str
    size: int
    sha256: str
    incoming: bool
    done: int = 0
    shown_at: float = float("-inf")
    # sending
    file: PreparedFile | None = None
    generation: int = 0  # bumped on every (re)start: reads of an older one are dropped
    pacing: asyncio.TimerHandle | None = None  # a fill waiting for the pace
    # receiving
    target: Path | None = None


class TransferPump:
    """Loop-thread glue between a session and the disk, the same for agent and console.

    The driver hands every event to :meth:`on_event` first; the window's intents arrive as
    :meth:`send_file` and :meth:`cancel` (through the worker's loop hop); :meth:`resumed`
    after a link resume, :meth:`close` at teardown. Nothing here blocks the loop: hashing,
    reading and writing run on the source's and the sink's threads, and their results hop
    back with ``call_soon_threadsafe``.
    """

    def __init__(self, session: AgentSession | ConsoleSession, handle: Callable[[Step], None],
                 sink: Callable[[object], None], loop: asyncio.AbstractEventLoop, *,
                 folder: Path | Callable[[], Path], source: FileSource, file_sink: FileSink,
                 clock: Callable[[], float] | None = None,
                 audit: Callable[..., bool] | None = None) -> None:
        self.session = session
        self._api = session
        self.handle = handle
        self.sink = sink
        self.loop = loop
        self._folder = folder
        self.source = source
        self.file_sink = file_sink
        # The session stamps acknowledgements with its transfer clock: the window's round
        # trips need the same one for what is handed out.
        self.clock = clock or session.transfer_clock
        self.audit = audit or (lambda event, **details: True)
        agent = isinstance(session, AgentSession)
        #: the direction this side sends (files_out for the agent, files_in for the console)
        self.out_direction = "to_technician" if agent else "to_customer"
        self.in_direction = "to_customer" if agent else "to_technician"
        self._me, self._peer = ("customer", "technician") if agent else ("technician", "customer")
        self._record_path = agent
        self._transfers: dict[tuple[str, int], _Transfer] = {}
        self.closed = False

    # ------------------------------------------------------------ intents (loop thread)

    def send_file(self, path: Path) -> None:
        """Hash ``path`` off the loop, then offer it. Problems become a cancelled update
        (id 0 if it never got one), never a raise."""
        future = self.source.hasher.submit(self.source.prepare, path)
        future.add_done_callback(
            lambda f: self._soon(self._prepared, path, f))

    def cancel(self, direction: str, id: int) -> None:
        """The person cancelled a transfer (either direction)."""
        if (direction, id) in self._transfers:
            self.handle(self._api.cancel_file(direction, id))
            # (the machine's FileCancelled event normally finished it already)
            self._finish_cancelled(direction, id, "cancelled", by_peer=False)

    def resumed(self) -> None:
        """The link was re-made: tell the sender where each incoming file stands."""
        if not self.closed:
            self.handle(self._api.restate_transfers())

    def close(self) -> None:
        """Teardown: every open transfer is over for this session (its part kept for a
        resume); the threads stop."""
        if self.closed:
            return
        self.closed = True
        for (direction, id) in list(self._transfers):
            self._finish_cancelled(direction, id, "ended", by_peer=False, record=False)
        self.source.close()
        self.file_sink.close()

    @property
    def folder(self) -> Path:
        """Where received files land (asked each time: the shell may make it on first use)."""
        return self._folder() if callable(self._folder) else self._folder

    # ------------------------------------------------------------ events (loop thread)

    def on_event(self, ev: object) -> bool:
        """Handle a file event of the session machine; False: not a file event."""
        if isinstance(ev, FileOffered):
            self._offered(ev.info)
        elif isinstance(ev, FileAccepted):
            self._accepted(ev.id, ev.offset)
        elif isinstance(ev, FileChunkReceived):
            self._chunk(ev.id, ev.offset, ev.data)
        elif isinstance(ev, FileProgress):
            self._progress(ev.direction, ev.id, ev.done)
        elif isinstance(ev, FileVerified):
            self._verified(ev.info)
        elif isinstance(ev, FileCompleted):
            self._completed(ev.info)
        elif isinstance(ev, FileCancelled):
            self._finish_cancelled(ev.direction, ev.id, ev.reason, ev.by_peer)
        else:
            return False
        return True

    def _soon(self, fn: Callable[..., None], *args: object) -> None:
        """Run ``fn(*args)`` on the loop (from a worker thread); nothing after close."""
        if self.closed:
            return
        with contextlib.suppress(RuntimeError):  # the loop is closed: the program exits
            self.loop.call_soon_threadsafe(self._if_open, fn, *args)

    def _if_open(self, fn: Callable[..., None], *args: object) -> None:
        if not self.closed:
            fn(*args)

    def _update(self, t: _Transfer, state: str, *, reason: str = "", path: str = "",
                message: str = "", force: bool = True) -> None:
        now = self.clock()
        if not force and now - t.shown_at < UPDATE_EVERY:
            return
        t.shown_at = now
        self.sink(TransferUpdate(t.direction, t.id, t.name, t.size, t.done, state, reason,
                                 path, t.sha256, t.incoming, message))

    # sending ------------------------------------------------------------

    def _prepared(self, path: Path, future: Future[PreparedFile]) -> None:
        try:
            file = future.result()
        except TransferIOError as exc:
            self._refused_locally(path.name, "unreadable", str(exc))
            return
        except Exception as exc:  # (cancelled at teardown, a bug): never into the loop
            self._refused_locally(path.name, "error", f"{path.name} could not be read: {exc}")
            return
        try:
            id, step = self._api.offer_file(file.name, file.size, file.sha256)
        except NotPermitted:
            self._refused_locally(file.name, "not_permitted",
                                  "Sending files is not allowed in this session now.", file)
            return
        except TransferRefused as exc:
            self._refused_locally(file.name, "too_many", str(exc), file)
            return
        t = _Transfer(self.out_direction, id, file.name, file.size, file.sha256, False,
                      file=file)
        self._transfers[(t.direction, id)] = t
        self.handle(step)
        self.audit("file_offered", direction=t.direction, id=id, name=t.name, size=t.size,
                   sha256=t.sha256)
        if (t.direction, id) in self._transfers:
            self._update(t, "waiting")

    def _refused_locally(self, name: str, reason: str, message: str,
                         file: PreparedFile | None = None) -> None:
        log.warning("file not sent: %s", message)
        self.sink(TransferUpdate(self.out_direction, 0, name, file.size if file else 0, 0,
                                 "cancelled", reason, "", file.sha256 if file else "", False,
                                 message))

    def _accepted(self, id: int, offset: int) -> None:
        t = self._transfers.get((self.out_direction, id))
        if t is None or t.file is None:
            return
        t.generation += 1  # reads for an earlier start (before a resume) are dropped
        t.done = offset
        out = self._api.outgoing(id)
        if out is not None:
            out.max_rate = MAX_RATE  # paced from its (re)start on; see shared.transfer
        self._update(t, "running")
        self._fill(t)

    def _fill(self, t: _Transfer) -> None:
        """Read what the window lets go now. The acknowledgements that open it come back as
        FileProgress events, which call this again."""
        out = self._api.outgoing(t.id)
        if out is None or t.file is None or self.closed:
            return
        now = self.clock()
        while (piece := out.next_chunk(now)) is not None:
            offset, length = piece
            future = self.source.reader.submit(self.source.read, t.file, offset, length)
            future.add_done_callback(functools.partial(self._read_done, t, t.generation, offset))
        wait = out.paced_for(now)
        if wait > 0 and t.pacing is None:  # the pace, not the window, holds it: come back
            t.pacing = self.loop.call_later(wait, self._paced_fill, t)

    def _paced_fill(self, t: _Transfer) -> None:
        t.pacing = None
        if (t.direction, t.id) in self._transfers:
            self._fill(t)

    def _read_done(self, t: _Transfer, generation: int, offset: int,
                   future: Future[bytes]) -> None:
        self._soon(self._read, t, generation, offset, future)

    def _read(self, t: _Transfer, generation: int, offset: int, future: Future[bytes]) -> None:
        """A chunk was read (in the order asked: one reader thread, callbacks in order).
        The session sends it if it is the next on the wire; a read from before a pause or a
        resume is skipped there and handed out again, so the window is asked once more."""
        if generation != t.generation or (t.direction, t.id) not in self._transfers:
            return
        try:
            data = future.result()
        except TransferIOError as exc:
            log.warning("file transfer %d: %s", t.id, exc)
            self.handle(self._api.cancel_file(t.direction, t.id, "error"))
            self._finish_cancelled(t.direction, t.id, "error", by_peer=False, message=str(exc))
            return
        except Exception:  # cancelled at teardown
            return
        self.handle(self._api.send_file_chunk(t.id, offset, data))
        self._fill(t)

    def _progress(self, direction: str, id: int, done: int) -> None:
        t = self._transfers.get((direction, id))
        if t is None:
            return
        t.done = done
        self._update(t, "running", force=done == t.size)
        if not t.incoming:
            self._fill(t)

    # receiving ----------------------------------------------------------

    def _offered(self, info: FileInfo) -> None:
        t = _Transfer(info.direction, info.id, safe_name(info.name), info.size, info.sha256,
                      True)
        self._transfers[(t.direction, t.id)] = t
        self.audit("file_offered", direction=t.direction, id=t.id, name=t.name, size=t.size,
                   sha256=t.sha256)
        self._update(t, "waiting")
        folder, incoming = self.folder, self._api.incoming(t.id)

        def prepare() -> tuple[int, Path]:
            # On the writer thread, behind whatever it still does with parts (a part deleted
            # after a hash mismatch is gone before the same file is looked for again). The
            # machine's IncomingFile is not touched by the loop before it is accepted.
            offset, target = self.file_sink.open(info, folder)
            if offset and incoming is not None:
                for block in self.file_sink.prefix_chunks(info.id):
                    incoming.absorb_prefix(block)
            return offset, target

        future = self.file_sink.writer.submit(prepare)
        future.add_done_callback(lambda f: self._soon(self._opened, t, f))

    def _opened(self, t: _Transfer, future: Future[tuple[int, Path]]) -> None:
        if (t.direction, t.id) not in self._transfers:
            return  # cancelled meanwhile (its part was dealt with behind the open)
        try:
            offset, target = future.result()
        except TransferIOError as exc:
            reason, message = exc.reason, str(exc)
        except Exception as exc:  # the part went away while it was read back, a bug
            reason, message = "error", f"The file could not be prepared: {exc}"
        else:
            t.target, t.done = target, offset
            self._accept(t, offset)
            return
        log.warning("file %d refused: %s", t.id, message)
        self.handle(self._api.refuse_file(t.id, reason))
        self._finish_cancelled(t.direction, t.id, reason, by_peer=False, message=message)

    def _accept(self, t: _Transfer, offset: int) -> None:
        log.info("receiving file %d (%d bytes) from byte %d", t.id, t.size, offset)
        # (a file held whole, or an empty one, completes in this step)
        self.handle(self._api.accept_file(t.id, offset))
        if (t.direction, t.id) in self._transfers and t.done < t.size:
            self._update(t, "running")

    def _chunk(self, id: int, offset: int, data: bytes) -> None:
        t = self._transfers.get((self.in_direction, id))
        if t is None:
            return
        self.file_sink.write(
            id, offset, data,
            lambda end: self._soon(self._written, t, end),
            lambda exc: self._soon(self._write_failed, t, exc))

    def _written(self, t: _Transfer, end: int) -> None:
        if (t.direction, t.id) in self._transfers:
            self.handle(self._api.file_written(t.id, end))

    def _write_failed(self, t: _Transfer, exc: TransferIOError) -> None:
        if (t.direction, t.id) not in self._transfers:
            return
        log.warning("file %d cannot be saved: %s", t.id, exc)
        self.handle(self._api.cancel_file(t.direction, t.id, exc.reason))
        self._finish_cancelled(t.direction, t.id, exc.reason, by_peer=False, message=str(exc))

    # the end of a transfer ------------------------------------------------

    def _completed(self, info: FileInfo) -> None:
        """A file this side sent arrived and was saved (an incoming one's end is
        :meth:`_landed`'s, which already recorded it)."""
        t = self._transfers.get((info.direction, info.id))
        if t is None or t.incoming:
            return
        t.done = t.size
        del self._transfers[(t.direction, t.id)]
        self._release(t)
        self.audit("file_completed", direction=t.direction, id=t.id, name=t.name,
                   size=t.size, sha256=t.sha256)
        self._update(t, "completed")

    def _verified(self, info: FileInfo) -> None:
        """Every byte arrived and the hash matched: put it in place (writer thread), then tell
        the sender whether it was saved (:meth:`_landed`)."""
        t = self._transfers.get((info.direction, info.id))
        if t is None:
            return
        t.done = t.size
        future = self.file_sink.finish(t.id, True)
        future.add_done_callback(lambda f: self._soon(self._landed, t, f))

    def _landed(self, t: _Transfer, future: Future[Path | None]) -> None:
        path = future.result()
        if self._transfers.get((t.direction, t.id)) is not t:
            # Cancelled (by the sender, or revoked) while it was being put in place: that
            # end was recorded and the sender told so; no file stays that the record says
            # never arrived.
            if path is not None:
                with contextlib.suppress(OSError):
                    path.unlink()
            return
        del self._transfers[(t.direction, t.id)]
        self.handle(self._api.file_landed(t.id, saved=path is not None))
        if path is None:
            self.audit("file_cancelled", direction=t.direction, id=t.id, reason="error",
                       by=self._me)
            self._update(t, "cancelled", reason="error",
                         message=f"{t.name} arrived but could not be saved.")
            return
        details: dict[str, object] = {}
        if self._record_path:
            details["path"] = str(path)
        self.audit("file_completed", direction=t.direction, id=t.id, name=path.name,
                   size=t.size, sha256=t.sha256, **details)
        t.name = path.name
        self._update(t, "completed", path=str(path))

    def _release(self, t: _Transfer) -> None:
        """Close the sent file's handle on the reader thread (behind its last read)."""
        if t.file is not None:
            with contextlib.suppress(RuntimeError):  # (the threads stopped: closed already)
                self.source.reader.submit(self.source.release, t.file)

    def _finish_cancelled(self, direction: str, id: int, reason: str, by_peer: bool, *,
                          message: str = "", record: bool = True) -> None:
        t = self._transfers.pop((direction, id), None)
        if t is None:
            return
        t.generation += 1
        if t.incoming:
            with contextlib.suppress(RuntimeError):  # (the writer stopped: closed already)
                if reason == "hash_mismatch":
                    self.file_sink.finish(t.id, False)
                else:
                    self.file_sink.cancel(t.id, reason)
        else:
            self._release(t)
        if record:
            self.audit("file_cancelled", direction=direction, id=id, reason=reason,
                       by=self._peer if by_peer else self._me)
        self._update(t, "cancelled", reason=reason, message=message)
