"""Bytes per scroll update of a text document with photographs: ``python -m bench.scroll_bytes``.

Issue 16 (dsl19): on a 4 Mbit/s line the scroll's frame rate is the line's bytes over the bytes
per update. This runs the frame encoder alone (no X, no network) on g2g's picture, numpy-made
(:func:`photo_doc`: text with a 480x270 photograph after every 14 lines, the document view
1800x680), scrolled ``--step`` rows an update (114: g2g's 60 Hz scroll of 1-3 lines a tick,
seen 21 times a second), at JPEG qualities 75/50/30, with a photo-bearing strip cut into its
photograph (JPEG) and exact text (``split``, ``RectEncoder.encode_parts``) or sent as one JPEG
(``whole``, before). Prints JSON: bytes per update, JPEG pixels per update, CPU ms per update.
``--stimulus``: the stimulus's own document instead, rendered offscreen by Qt (real glyphs).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter

import numpy as np

from bench.screens import photo, text_document
from shared.codec import Encoding
from shared.codec.frame import FrameEncoder

H, W = 680, 1800  # g2g's document view
PHOTO_H, PHOTO_W, TEXT_ROWS = 270, 480, 280  # a photograph after every 14 lines of 20 rows


def photo_doc(height: int = 6000, width: int = W) -> tuple[np.ndarray, np.ndarray]:
    """g2g's picture, numpy-made; and the mask of the photographs' pixels."""
    doc = text_document(height, width, seed=3)
    mask = np.zeros((height, width), bool)
    y, k = TEXT_ROWS, 0
    while y + PHOTO_H < height:
        doc[y : y + PHOTO_H, 4 : 4 + PHOTO_W] = photo(PHOTO_H, PHOTO_W, seed=k % 8)
        mask[y : y + PHOTO_H, 4 : 4 + PHOTO_W] = True
        y, k = y + TEXT_ROWS + PHOTO_H, k + 1
    return doc, mask


def stimulus_doc(height: int = 8000, width: int = W) -> np.ndarray:
    """The g2g stimulus's own document (``bench.stimulus.photo_document``: real anti-aliased
    text, its photographs), rendered offscreen by Qt at the document view's width."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QFont, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from bench.stimulus import photo_document

    _app = QApplication.instance() or QApplication([])
    font = QFont("DejaVu Sans")
    font.setPixelSize(17)  # as the stimulus's document view
    doc = photo_document(font, lines=400)
    doc.setTextWidth(width)
    img = QImage(width, height, QImage.Format.Format_RGB32)
    img.fill(QColor(255, 255, 255))
    painter = QPainter(img)
    doc.drawContents(painter, QRectF(0, 0, width, height))
    painter.end()
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(height, img.bytesPerLine() // 4, 4)
    return rows[:, :width].copy()


def measure(doc: np.ndarray, step: int, quality: int, split: bool,
            updates: int = 40) -> dict[str, float]:
    enc = FrameEncoder(quality=quality)
    enc.split_photos = split
    enc.encode(doc[0:H].copy(), 0.0)
    frames = [doc[i * step : i * step + H].copy() for i in range(1, updates + 1)]
    total, jpeg_px = 0, 0
    kinds: Counter[str] = Counter()
    t0 = time.process_time()
    for i, frame in enumerate(frames, 1):
        rects, _ = enc.encode(frame, i / 20)
        for r in rects:
            total += len(r.payload) + 16
            kinds[Encoding(r.encoding).name] += len(r.payload) + 16
            if r.encoding == Encoding.JPEG:
                jpeg_px += r.w * r.h
    cpu = time.process_time() - t0
    return {
        "bytes_per_update": round(total / updates),
        "jpeg_bytes_per_update": round(kinds["JPEG"] / updates),
        "jpeg_px_per_update": round(jpeg_px / updates),
        "cpu_ms_per_update": round(cpu / updates * 1000, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--step", type=int, default=114, help="rows scrolled per update")
    ap.add_argument("--stimulus", action="store_true",
                    help="the g2g stimulus's own document, rendered by Qt (else numpy-made)")
    args = ap.parse_args()
    doc = stimulus_doc() if args.stimulus else photo_doc()[0]
    out = {f"{'split' if split else 'whole'}_q{q}": measure(doc, args.step, q, split)
           for split in (False, True) for q in (75, 50, 30)}
    print(json.dumps({"step": args.step, "stimulus": args.stimulus, **out}, indent=1))


if __name__ == "__main__":
    main()
