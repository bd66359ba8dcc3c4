"""Synthetic screens for codec tests and the bench: office-like text and photo-like content."""

from __future__ import annotations

import numpy as np


def text_document(height: int, width: int, seed: int = 0) -> np.ndarray:
    """White page with dark 'text' lines (a few grey levels, like anti-aliased glyphs)."""
    rng = np.random.default_rng(seed)
    doc = np.full((height, width, 4), 255, dtype=np.uint8)
    greys = np.array([0, 40, 90, 140, 200, 255], dtype=np.uint8)
    for y in range(8, height - 14, 20):
        length = int(rng.integers(width // 8, width - 120))
        glyphs = greys[rng.integers(0, greys.size, size=(12, length))]
        doc[y : y + 12, 60 : 60 + length, :3] = glyphs[:, :, None]
    return doc


def photo(height: int, width: int, seed: int = 1) -> np.ndarray:
    """Smooth gradients plus noise: many colours, JPEG territory."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.empty((height, width, 4), dtype=np.uint8)
    img[:, :, 0] = (127 + 100 * np.sin(xx / 37.0) * np.cos(yy / 53.0)).astype(np.uint8)
    img[:, :, 1] = (xx * 255 / max(1, width - 1)).astype(np.uint8)
    img[:, :, 2] = (yy * 255 / max(1, height - 1)).astype(np.uint8)
    noise = rng.integers(0, 12, size=(height, width, 3), dtype=np.uint8)
    img[:, :, :3] = np.minimum(img[:, :, :3].astype(np.uint16) + noise, 255).astype(np.uint8)
    img[:, :, 3] = 255
    return img
