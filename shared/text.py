"""The one rule for names a person reads: technician name and organisation (sans-I/O, pure).

A name travels from the technician's console, through the untrusted relay, into the customer's
consent dialog and session overlay, and into both audit records. Whoever types it (or forges it)
must not be able to make it *look* like something else: no extra lines ("Identity checked … Safe
to allow"), no text running right-to-left, no invisible characters that hide a difference, no
stack of combining marks painting over the dialog, no name so wide it pushes the verification
number out of view. :func:`name_problem` says why a text breaks that rule (or ``None``); the
message decoder, the console's input fields and the consent dialog all call it, so the rule is
the same on both sides.

Width is counted the way a terminal or a label lays the text out: East-Asian wide and fullwidth
characters take 2 columns, combining marks 0, everything else 1.
"""

from __future__ import annotations

import unicodedata

from shared.errors import FernhilfeError

#: Most display columns a name or organisation may take (a wide CJK character counts 2).
MAX_NAME_WIDTH = 48
#: Most UTF-8 bytes of a name or organisation (bounds the JSON body and the audit line).
MAX_NAME_BYTES = 192
#: Most combining marks on one base character (Vietnamese and Indic need 2-3; "Zalgo" far more).
MAX_MARKS_PER_BASE = 3

#: Categories that never belong in a name: controls, format characters (bidi controls,
#: zero-width space/joiners, soft hyphen, tags...), line and paragraph separators, surrogates,
#: private-use and unassigned code points (a later Unicode version may make the latter format
#: characters; private-use glyphs can look like anything).
_REJECTED_CATEGORIES: dict[str, str] = {
    "Cc": "control",
    "Cf": "format",
    "Zl": "line_break",
    "Zp": "line_break",
    "Cs": "not_unicode",
    "Co": "private_use",
    "Cn": "unassigned",
}
#: Letters and symbols that render as nothing (Hangul fillers, braille blank, Khmer inherent
#: vowels, the combining grapheme joiner, Mongolian free variation selectors...).
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
)
#: The only spaces allowed: the ordinary one, no-break and the ideographic space. The others
#: (en/em/thin/hair/figure space...) have odd widths and are used to fake alignment.
_SPACES = frozenset(" \u00a0\u3000")
_MARKS = frozenset({"Mn", "Me"})

#: Stable problem keys :func:`name_problem` returns; UIs translate them, the decoder reports them.
PROBLEMS: dict[str, str] = {
    "not_text": "is not text",
    "not_unicode": "is not valid Unicode",
    "too_long": f"is longer than {MAX_NAME_BYTES} bytes",
    "too_wide": f"is wider than {MAX_NAME_WIDTH} characters",
    "line_break": "contains a line or paragraph break",
    "control": "contains a control character",
    "format": "contains an invisible formatting or text-direction character",
    "invisible": "contains an invisible character",
    "space": "contains an unusual space character",
    "private_use": "contains a private-use character",
    "unassigned": "contains an unassigned character",
    "marks": f"has more than {MAX_MARKS_PER_BASE} accents on one letter, or an accent "
             "without a letter",
}


class NameRejected(FernhilfeError, ValueError):
    """A name or organisation breaks the display rule; ``problem`` is a key of ``PROBLEMS``."""

    def __init__(self, what: str, problem: str) -> None:
        super().__init__(f"The {what} {PROBLEMS[problem]}.")
        self.what = what
        self.problem = problem


def char_width(ch: str) -> int:
    """Display columns of one code point: 2 for East-Asian wide/fullwidth, 0 for marks."""
    if unicodedata.category(ch) in _MARKS:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Display columns of ``text`` (sum of :func:`char_width`)."""
    return sum(char_width(ch) for ch in text)


def name_problem(
    text: object,
    *,
    max_width: int = MAX_NAME_WIDTH,
    max_bytes: int = MAX_NAME_BYTES,
) -> str | None:
    """Why ``text`` cannot be shown as a name (a key of :data:`PROBLEMS`), or ``None`` if it can.

    Cheap checks (type, bytes) come first, so a 10 MB "name" costs one length check.
    """
    if type(text) is not str:
        return "not_text"
    if len(text) > max_bytes:  # every code point is at least one UTF-8 byte
        return "too_long"
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:  # lone surrogates
        return "not_unicode"
    if size > max_bytes:
        return "too_long"
    width = 0
    marks = 0
    have_base = False
    for ch in text:
        category = unicodedata.category(ch)
        problem = _REJECTED_CATEGORIES.get(category)
        if problem is not None:
            return problem
        if ch in _INVISIBLE:
            return "invisible"
        if category == "Zs" and ch not in _SPACES:
            return "space"
        if category in _MARKS:
            marks += 1
            if not have_base or marks > MAX_MARKS_PER_BASE:
                return "marks"
            continue
        marks = 0
        have_base = True
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if width > max_width:
            return "too_wide"
    return None


def check_name(text: object, what: str = "name") -> str:
    """Return ``text`` if it may be shown as a name; raise :class:`NameRejected` otherwise."""
    problem = name_problem(text)
    if problem is not None:
        raise NameRejected(what, problem)
    assert isinstance(text, str)
    return text


def shown_name(text: str, fallback: str) -> str:
    """``text`` stripped for display, or ``fallback`` when empty or breaking the rule.

    The last line of defence in widgets: the decoder already refuses such names, so the fallback
    only appears if a caller bypassed it.
    """
    if name_problem(text) is not None or not text.strip():
        return fallback
    return text.strip()
