"""Branding hooks for the customer-facing windows (organisation, phone number, accent colour).

Kept as plain data so a packaged agent can ship its operator's details without touching widget code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Branding:
    """Who provides the support, how to reach them, and the colour the agent's windows use.

    ``organisation``/``support_phone`` may be empty: the windows then leave those lines out.
    ``accent`` is any colour string ``QColor`` accepts (``"#1f6feb"``, ``"darkorange"``).
    """

    organisation: str = ""
    support_phone: str = ""
    accent: str = "#1565c0"
    product_name: str = "Fernhilfe"
