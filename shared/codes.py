"""Session codes: what the customer reads out and the technician types in.

A code is ``NNN NNN NNN``: the first group is the *nameplate* the relay hands out to route the
console to the right agent (3 digits, more only when the relay is busy; at most 7), the last six
digits are the *secret* the agent draws with :mod:`secrets` and never sends anywhere. The nine (or
more) digits as ASCII are the SPAKE2 password.

People type codes in many ways (with spaces, dashes, dots, a pasted non-breaking space, full-width
digits from an IME), so :func:`parse_code` is lenient about separators and strict about digits,
and its errors say exactly what to fix.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from shared.errors import CodeCharacterError, CodeLengthError

SECRET_DIGITS = 6
MIN_NAMEPLATE_DIGITS = 3
MAX_NAMEPLATE_DIGITS = 7
MIN_CODE_DIGITS = MIN_NAMEPLATE_DIGITS + SECRET_DIGITS
MAX_CODE_DIGITS = MAX_NAMEPLATE_DIGITS + SECRET_DIGITS
EXAMPLE = "123 456 789"

# Separators people type or paste between the groups: blanks of all kinds, dashes, dots.
_SEPARATORS = frozenset(
    " \t\r\n"
    "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000"  # non-breaking, figure, thin, ... spaces
    "-\u2010\u2011\u2012\u2013\u2014\u2212"  # hyphen-minus, hyphens, dashes, minus sign
    ".\u00b7\u2024\u3002"  # full stop, middle dot, one-dot leader, ideographic full stop
    "_/"
)
# Characters that look like digits; named in the error so the person knows what to fix.
_LOOKALIKES = {"o": "0", "O": "0", "l": "1", "I": "1", "i": "1", "S": "5", "B": "8", "Z": "2"}

_ASCII_DIGITS = frozenset("0123456789")


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all(ch in _ASCII_DIGITS for ch in text)


@dataclass(frozen=True)
class SessionCode:
    """A validated session code. ``repr`` hides the secret so it never lands in a log."""

    nameplate: str
    secret: str = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.nameplate, str) or not isinstance(self.secret, str):
            raise CodeCharacterError("The code must be given as text made of digits.")
        if not _is_ascii_digits(self.nameplate) and self.nameplate:
            raise CodeCharacterError("The first part of the code (the nameplate) must be digits.")
        if not _is_ascii_digits(self.secret) and self.secret:
            raise CodeCharacterError("The last six digits of the code must be digits.")
        if not MIN_NAMEPLATE_DIGITS <= len(self.nameplate) <= MAX_NAMEPLATE_DIGITS:
            raise CodeLengthError(
                f"The first group of the code must have {MIN_NAMEPLATE_DIGITS} to "
                f"{MAX_NAMEPLATE_DIGITS} digits, not {len(self.nameplate)}."
            )
        if len(self.secret) != SECRET_DIGITS:
            raise CodeLengthError(
                f"The secret part of the code must have {SECRET_DIGITS} digits, "
                f"not {len(self.secret)}."
            )

    @property
    def digits(self) -> str:
        """All digits, nameplate first: the SPAKE2 password (as ASCII)."""
        return self.nameplate + self.secret

    def display(self) -> str:
        """The code as shown to people: ``"123 456 789"`` (a longer nameplate, a longer group)."""
        return f"{self.nameplate} {self.secret[:3]} {self.secret[3:]}"


def new_secret(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """Draw the six secret digits (``randbelow`` is injectable so tests are deterministic)."""
    value = randbelow(10**SECRET_DIGITS)
    if not 0 <= value < 10**SECRET_DIGITS:
        raise ValueError("randbelow returned a value out of range")
    return f"{value:0{SECRET_DIGITS}d}"


def _describe(ch: str) -> str:
    """Name a character so a person can find it in what they typed."""
    if ch in _LOOKALIKES:
        return f"the letter {ch!r} (did you mean the digit {_LOOKALIKES[ch]}?)"
    if ch.isprintable():
        return repr(ch)
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name.lower()})" if name else "")


def parse_code(text: str) -> SessionCode:
    """Read a code as typed by a person; the last six digits are the secret.

    Separators (blanks, dashes, dots) anywhere are ignored; any decimal digit (also full-width or
    other scripts) counts as that digit. Raises :class:`CodeCharacterError` for anything else and
    :class:`CodeLengthError` for the wrong number of digits.
    """
    if not isinstance(text, str):
        raise CodeCharacterError("The code must be given as text.")
    digits: list[str] = []
    for ch in text:
        if ch in _ASCII_DIGITS:
            digits.append(ch)
        elif ch in _SEPARATORS:
            continue
        elif ch.isdecimal():
            digits.append(str(unicodedata.decimal(ch)))
        else:
            raise CodeCharacterError(
                f"The code can only contain digits (spaces and dashes are fine), "
                f"but it contains {_describe(ch)}. Please type it like {EXAMPLE}."
            )
    count = len(digits)
    if count == 0:
        raise CodeLengthError(
            f"Please enter the code the customer reads out: 9 digits, like {EXAMPLE}."
        )
    if count < MIN_CODE_DIGITS:
        raise CodeLengthError(
            f"The code has {count} digit{'s' if count != 1 else ''}; it should have "
            f"{MIN_CODE_DIGITS}, like {EXAMPLE}."
        )
    if count > MAX_CODE_DIGITS:
        raise CodeLengthError(
            f"The code has {count} digits; that is too many. It should have {MIN_CODE_DIGITS} "
            f"(at most {MAX_CODE_DIGITS}), like {EXAMPLE}."
        )
    joined = "".join(digits)
    return SessionCode(nameplate=joined[:-SECRET_DIGITS], secret=joined[-SECRET_DIGITS:])
