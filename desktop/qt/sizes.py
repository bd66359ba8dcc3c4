"""Byte counts as people read them, in the window's language.

One helper for every window that shows a size (the customer's file list, the technician's
transfers, the session record): the same units everywhere (powers of 1000 like the file
managers, "kB" as in SI), the decimal sign of the *translation* (so a German window says
"1,5 MB" whatever the system locale).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

# Units above bytes, each 1000 times the one before.
UNITS = ("kB", "MB", "GB", "TB")


def size_text(size: int | None, *, exact: bool = False) -> str:
    """``1536000`` -> ``"1.5 MB"``; with ``exact`` also in bytes, ``"1.5 MB (1536000 bytes)"``,
    so it can be compared with the file. ``None``: "size unknown"."""
    if size is None:
        return QCoreApplication.translate("Sizes", "size unknown")
    size = max(0, size)
    if size < 1000:
        return QCoreApplication.translate("Sizes", "{0} bytes").format(size)
    units: tuple[str, ...] = UNITS
    value = size / 1000
    while round(value, 1) >= 1000 and len(units) > 1:  # 999 950 bytes is "1.0 MB"
        value, units = value / 1000, units[1:]
    #: The decimal sign of the language (German: a comma).
    rounded = f"{value:.1f}".replace(".", QCoreApplication.translate("Sizes", "."))
    if exact:
        return QCoreApplication.translate("Sizes", "{0} {1} ({2} bytes)").format(
            rounded, units[0], size)
    return f"{rounded} {units[0]}"
