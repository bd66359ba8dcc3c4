"""Branding hooks for the customer-facing windows (organisation, phone number, accent colour, logo).

Kept as plain data so a packaged agent can ship its operator's details without touching widget code.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QWidget

log = logging.getLogger(__name__)

#: Height of the logo in the agent's windows (logical pixels); wide logos are capped in width.
LOGO_HEIGHT = 56
LOGO_MAX_WIDTH = 320


@dataclass(frozen=True)
class Branding:
    """Who provides the support, how to reach them, and the colour the agent's windows use.

    ``organisation``/``support_phone`` may be empty: the windows then leave those lines out.
    ``accent`` is any colour string ``QColor`` accepts (``"#1f6feb"``, ``"darkorange"``).
    ``logo_path`` is a PNG file (absolute, or relative to the working folder); empty: no logo.
    A logo that is missing or cannot be read is left out with a warning in the log.
    """

    organisation: str = ""
    support_phone: str = ""
    accent: str = "#1565c0"
    product_name: str = "Fernhilfe"
    logo_path: str = ""


def load_logo(branding: Branding, height: int = LOGO_HEIGHT,
              max_width: int = LOGO_MAX_WIDTH) -> QPixmap | None:
    """The branding's logo scaled to ``height`` (never wider than ``max_width``), or None."""
    path = branding.logo_path.strip()
    if not path:
        return None
    pixmap = QPixmap()
    try:
        ok = pixmap.load(path)
    except (OSError, ValueError):  # e.g. a NUL byte in the path
        ok = False
    if not ok or pixmap.isNull():
        log.warning("branding logo %r cannot be read; showing no logo", path)
        return None
    scaled = pixmap.scaledToHeight(height, Qt.TransformationMode.SmoothTransformation)
    if scaled.width() > max_width:
        scaled = pixmap.scaledToWidth(max_width, Qt.TransformationMode.SmoothTransformation)
    return scaled


def logo_label(branding: Branding, parent: QWidget | None = None) -> QLabel | None:
    """A centred label showing the branding's logo (object name ``logo``), or None."""
    pixmap = load_logo(branding)
    if pixmap is None:
        return None
    label = QLabel(parent)
    label.setObjectName("logo")
    label.setPixmap(pixmap)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setAccessibleName(branding.organisation or branding.product_name)
    return label
