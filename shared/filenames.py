"""The one rule for a file name that came from the peer (sans-I/O, pure).

A ``FileOffer`` carries the sender's file name, and the sender may be hostile (or the relay may
have been, before the channel was up: the name is inside the box, but the technician at the other
end is still only "as claimed"). The receiver writes the file into a folder the person sees, so
the name must not be able to climb out of it (``../../x``, ``C:\\x``), hit a device Windows
reserves (``CON``, ``com1.txt``), hide behind a text-direction trick (``a\\u202Egnp.exe`` shows
as ``aexe.png``), be invisible (a leading dot), or be too long for any file system.
:func:`safe_name` turns ANY text into one safe path component; it never raises. Both the sender
(before it offers) and the receiver (before it writes) call it, so a hostile name is only ever a
test case, never a protocol error (docs/PROTOCOL.md section 18).

:func:`unique_name` picks ``name (2).ext``, ``name (3).ext``... when the name is taken; whether a
name is taken is the caller's question (the core opens no files).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from shared.errors import FernhilfeError

#: Most UTF-8 bytes of a safe name (most file systems allow 255; room left for " (12)" and for
#: the folders above it on Windows' 260-character paths).
MAX_NAME_BYTES = 200
#: Longest extension kept when a long name is shortened ("report.tar.gz" keeps ".gz").
MAX_EXTENSION_BYTES = 32
#: What an empty (or emptied) name becomes.
FALLBACK_NAME = "file"
#: Most numbered names :func:`unique_name` tries before it gives up.
MAX_UNIQUE_TRIES = 10_000

#: Characters Windows forbids in names (``/``, ``\\`` and ``:`` split path parts first).
_FORBIDDEN = frozenset('<>:"|?*')
#: Separators of path parts on any system: only the last part is the name.
_SEPARATORS = ("/", "\\", ":")
#: Categories removed: controls (NUL, newlines, tabs, ESC), format characters (bidi overrides
#: such as U+202E, zero-width joiners, soft hyphen), line/paragraph separators, lone
#: surrogates (not encodable), private-use and unassigned code points (no visible glyph anyone
#: agreed on; a later Unicode may make the latter format characters).
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
#: Device names Windows reserves in any case and with any extension ("con.txt" is CON too).
#: The superscript digits count on Windows as well.
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{dev}{n}" for dev in ("COM", "LPT") for n in "123456789\u00b9\u00b2\u00b3"}
)


class NoFreeName(FernhilfeError):
    """Every numbered variant of a name is taken: the folder needs tidying up."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"There are already {MAX_UNIQUE_TRIES} files called like {name!r} in the folder; "
            "please move some of them away."
        )
        self.name = name


def safe_name(name: str) -> str:
    """One safe path component for ``name``: never empty, never a path, never reserved.

    Steps, in order: NFC; control/format/bidi characters removed; only the last path part kept
    (``/``, ``\\`` and ``:`` separate parts); ``<>:"|?*`` become ``_``; spaces and dots trimmed
    at the end, spaces at the start; a name of dots only (``.``, ``..``) becomes ``_`` and
    leading dots become ``_`` (a hidden file is a file the person does not see); a Windows
    device name (``CON``, ``com1.txt``) gets a ``_`` in front; empty becomes ``file``; at most
    :data:`MAX_NAME_BYTES` UTF-8 bytes, the extension kept.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _REMOVED_CATEGORIES)
    for sep in _SEPARATORS:
        text = text.rsplit(sep, 1)[-1]
    text = "".join("_" if ch in _FORBIDDEN else ch for ch in text)
    # Composing again: removing a character may have put a base and its accent side by side.
    text = unicodedata.normalize("NFC", text)
    if text.strip(" ") and not text.strip(" ."):
        text = "_"
    text = _trim(text)
    if text.startswith("."):
        text = "_" + text.lstrip(".")
    if not text:
        text = FALLBACK_NAME
    text = _shorten(text, MAX_NAME_BYTES)
    if is_reserved(text):
        text = _shorten("_" + text, MAX_NAME_BYTES)
    return text


def is_reserved(name: str) -> bool:
    """Whether Windows treats ``name`` as a device (``CON``, ``nul.txt``, ``Com1 .log``)."""
    return name.split(".", 1)[0].rstrip(" ").upper() in _RESERVED


def split_extension(name: str) -> tuple[str, str]:
    """``("report", ".pdf")``: the last dot's extension if short and the stem is not empty."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or not ext or len(("." + ext).encode("utf-8")) > MAX_EXTENSION_BYTES:
        return name, ""
    return stem, "." + ext


def unique_name(name: str, exists: Callable[[str], bool]) -> str:
    """``name`` if free, else ``name (2).ext``, ``name (3).ext``...: the first ``exists`` denies.

    ``name`` should already be safe (:func:`safe_name`); the numbered variants stay within
    :data:`MAX_NAME_BYTES`. Raises :class:`NoFreeName` after :data:`MAX_UNIQUE_TRIES`.
    """
    if not exists(name):
        return name
    stem, ext = split_extension(name)
    for n in range(2, MAX_UNIQUE_TRIES + 2):
        suffix = f" ({n}){ext}"
        room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
        candidate = _cut(stem, room).rstrip(" ") + suffix
        if not exists(candidate):
            return candidate
    raise NoFreeName(name)


def _trim(text: str) -> str:
    """No spaces/dots at the end (Windows drops them silently), no spaces at the start."""
    return text.rstrip(" .").lstrip(" ")


def _cut(text: str, limit: int) -> str:
    """The longest prefix of ``text`` within ``limit`` UTF-8 bytes, cut between characters."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return unicodedata.normalize("NFC", data[:limit].decode("utf-8", "ignore"))


def _shorten(text: str, limit: int) -> str:
    """``text`` within ``limit`` bytes, keeping its extension; trimmed again after the cut."""
    if len(text.encode("utf-8")) <= limit:
        return text
    stem, ext = split_extension(text)
    short = _trim(_cut(stem, limit - len(ext.encode("utf-8")))) + ext
    return _trim(short) or FALLBACK_NAME
