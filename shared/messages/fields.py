"""Field checks shared by constructing a message and decoding one: one rule per kind of field.

Every failure is a :class:`~shared.errors.ProtocolError` ("Malformed message from the other
side: ..."), or :class:`~shared.codec.ResourceLimit` for a size over a budget.
"""

from __future__ import annotations

import re
import unicodedata

from shared.codec import ResourceLimit
from shared.errors import ProtocolError
from shared.messages.limits import MAX_CURSOR, PERMISSIONS
from shared.text import PROBLEMS, name_problem

_STABLE_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
# Format characters (bidi controls, zero-width characters...) and line/paragraph separators
# could make text read differently from what it is; no text field of any message may hold them.
_HIDDEN_CATEGORIES = frozenset({"Cf", "Zl", "Zp"})


def fail(what: str) -> ProtocolError:
    return ProtocolError(f"Malformed message from the other side: {what}.")


def check_int(value: object, name: str, lo: int, hi: int) -> None:
    if type(value) is not int:
        raise fail(f"{name} must be an integer")
    if not lo <= value <= hi:
        raise fail(f"{name} = {value} is outside {lo}..{hi}")


def check_bool(value: object, name: str) -> None:
    if type(value) is not bool:
        raise fail(f"{name} must be true or false")


def check_text(
    value: object,
    name: str,
    max_chars: int,
    *,
    min_chars: int = 0,
    allow_newlines: bool = False,
) -> None:
    if type(value) is not str:
        raise fail(f"{name} must be text")
    if not min_chars <= len(value) <= max_chars:
        raise fail(f"{name} must have {min_chars} to {max_chars} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise fail(f"{name} is not valid Unicode") from None
    for ch in value:
        if (ch < " " or "\x7f" <= ch < "\xa0") and not (allow_newlines and ch in "\n\t"):
            raise fail(f"{name} contains a control character")
        if ch > "\x7f" and unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            raise fail(f"{name} contains an invisible formatting, text-direction or "
                        "line-separator character")


def check_name(value: object, name: str) -> None:
    """A name a person reads (technician, organisation): the one rule in :mod:`shared.text`."""
    problem = name_problem(value)
    if problem is not None:
        raise fail(f"{name} {PROBLEMS[problem]}")


def check_stable_id(value: object, name: str) -> None:
    if type(value) is not str or not _STABLE_ID.fullmatch(value):
        raise fail(f"{name} must be a short lowercase identifier")


def check_permissions(value: object, name: str = "permissions") -> None:
    if type(value) is not frozenset:
        raise fail(f"{name} must be a frozenset")
    for item in value:
        if type(item) is not str or item not in PERMISSIONS:
            raise fail(f"{name} contains an unknown permission")


def check_bytes(value: object, name: str) -> None:
    if type(value) is not bytes:
        raise fail(f"{name} must be bytes")


def check_cursor_size(width: object, height: object) -> None:
    """A cursor image of at most MAX_CURSOR x MAX_CURSOR (a budget: ResourceLimit beyond)."""
    check_int(width, "cursor width", 1, 0xFFFF)
    check_int(height, "cursor height", 1, 0xFFFF)
    if width > MAX_CURSOR or height > MAX_CURSOR:  # type: ignore[operator]
        raise ResourceLimit(f"a cursor image of {width}x{height} pixels is larger than the "
                            f"supported {MAX_CURSOR}x{MAX_CURSOR}")
