"""JSON as strict as a protocol needs: Python's ``json`` accepts a key twice (the last wins) and
NaN/Infinity; here both are errors, so two readers can never see different values.

Used for everything JSON that comes from outside: the rendezvous messages and the control
messages of the channel. Callers turn :class:`StrictJSONError` into their own error type.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["StrictJSONError", "loads"]


class StrictJSONError(ValueError):
    """Well-formed JSON that a strict reader refuses: a key twice, or NaN/Infinity."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJSONError(f"field {key!r} appears twice")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise StrictJSONError(f"{name} is not allowed")


def loads(text: str) -> Any:
    """``json.loads`` that raises StrictJSONError for a duplicate key or NaN/Infinity (and,
    like ``json.loads``, ValueError/RecursionError for text that is not JSON)."""
    return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
