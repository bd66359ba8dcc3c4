"""The one hash algorithm spake2 asks for (see cryptography/__init__.py)."""

from __future__ import annotations


class SHA256:
    name = "sha256"
    digest_size = 32
    block_size = 64
