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

log = logging.getLogger(__name__)

#: The console's cap on what it receives (the agent's comes from the branding: max_file_mb).
DEFAULT_MAX_FILE = 4 * 1024**3
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
            return _move_into_place(entry.part, entry.folder, entry.target.name)
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
