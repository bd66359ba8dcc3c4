"""Revocation lists from the operator's folder, served as they are (issue 12).

The support firm's admin drops ``<org key id>.fhrl`` files (made by ``fernhilfe-org revoke``)
into ``revocations_dir``; the relay serves them at
:data:`shared.identity.revocation.REVOCATION_PATH_TEMPLATE`. The relay does NOT check the
signature: it is untrusted anyway, and the agent checks signature and freshness itself. What the
relay owns is that a request can only ever reach one such file (the key id is exactly 16
lowercase hex characters, so no path tricks), that nothing larger than
:data:`MAX_REVOCATION_LIST_SIZE` is read, and that a replaced file is served from the next
request on (read anew every time: no restart, no stale cache in the relay).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from shared.identity.revocation import MAX_REVOCATION_LIST_SIZE, REVOCATION_PATH_TEMPLATE

_PREFIX, _SUFFIX = REVOCATION_PATH_TEMPLATE.split("{key_id}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
#: The file name for a key id: the same suffix as the URL (".fhrl").
FILE_SUFFIX = _SUFFIX[_SUFFIX.rfind(".") :]


def key_id_of(path: str) -> str | None:
    """The organisation key id a request path asks for, or None if it is not exactly a
    revocation-list path (query, extra slashes, upper case, dots or escapes: all None)."""
    if not (path.startswith(_PREFIX) and path.endswith(_SUFFIX)):
        return None
    key_id = path[len(_PREFIX) : len(path) - len(_SUFFIX)]
    return key_id if _KEY_ID.fullmatch(key_id) else None


class Outcome(Enum):
    """What a request for a list came to; also the label of the relay's request counter."""

    SERVED = "served"
    NOT_FOUND = "not_found"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"


@dataclass(frozen=True)
class Lookup:
    outcome: Outcome
    body: bytes = b""
    detail: str = ""


def read_list(folder: Path | None, key_id: str) -> Lookup:
    """Read ``<folder>/<key_id>.fhrl`` now (blocking: the server runs it off its loop).

    Only a regular file is read (a FIFO planted there must not hang a worker thread: opened
    non-blocking, checked with fstat before reading), at most one byte more than the limit.
    """
    if folder is None or not _KEY_ID.fullmatch(key_id):
        return Lookup(Outcome.NOT_FOUND)
    path = folder / f"{key_id}{FILE_SUFFIX}"
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return Lookup(Outcome.NOT_FOUND)
    except OSError as exc:
        if exc.errno in (errno.ENOTDIR, errno.ENOENT):
            return Lookup(Outcome.NOT_FOUND)
        return Lookup(Outcome.UNREADABLE, detail=exc.strerror or type(exc).__name__)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Lookup(Outcome.UNREADABLE, detail="not a regular file")
        if info.st_size > MAX_REVOCATION_LIST_SIZE:
            return Lookup(Outcome.TOO_LARGE, detail=f"{info.st_size} bytes")
        chunks: list[bytes] = []
        size = 0
        while size <= MAX_REVOCATION_LIST_SIZE:
            chunk = os.read(fd, MAX_REVOCATION_LIST_SIZE + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_REVOCATION_LIST_SIZE:  # grew while we read it
            return Lookup(Outcome.TOO_LARGE, detail=f"over {MAX_REVOCATION_LIST_SIZE} bytes")
        return Lookup(Outcome.SERVED, b"".join(chunks))
    except OSError as exc:
        return Lookup(Outcome.UNREADABLE, detail=exc.strerror or type(exc).__name__)
    finally:
        os.close(fd)
