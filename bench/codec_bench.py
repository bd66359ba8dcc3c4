"""Screen codec benchmark: ``python -m bench.codec_bench`` prints JSON.

Measures, on synthetic 1920x1080 screens: tile change detection, scroll detection, each encoder
(time and bytes) on an office-like page and a photo-like one, and the encoder core's frame rate
for a scrolling document (what the agent does per frame, minus the ~3 ms mss grab).
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from functools import partial

import numpy as np

from bench.screens import photo, text_document
from shared.codec.encode import RectEncoder, encode_jpeg, find_palette
from shared.codec.frame import FrameEncoder
from shared.codec.scroll import detect_moves
from shared.codec.tiles import dirty_tiles

H, W = 1080, 1920


def _ms(fn: Callable[[], object], repeat: int = 10) -> float:
    fn()
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn()
    return round((time.perf_counter() - t0) / repeat * 1000, 2)


def _encoders(frame: np.ndarray) -> dict[str, dict[str, float | int | None]]:
    px = frame.view(np.uint32)[..., 0]
    out: dict[str, dict[str, float | int | None]] = {}
    enc = RectEncoder()
    pal = find_palette(px)
    out["palette_detect"] = {"ms": _ms(lambda: find_palette(px), 5), "bytes": None}
    if pal is not None:
        out["PALETTE_ZSTD"] = {
            "ms": _ms(lambda: enc.encode_palette(*pal), 5),
            "bytes": len(enc.encode_palette(*pal)),
        }
    out["RAW_ZSTD"] = {"ms": _ms(lambda: enc.encode_raw(frame), 5),
                       "bytes": len(enc.encode_raw(frame))}
    for q in (60, 85):
        out[f"JPEG_q{q}"] = {
            "ms": _ms(partial(encode_jpeg, frame, q), 5),
            "bytes": len(encode_jpeg(frame, q)),
        }
    return out


def main() -> None:
    office = text_document(H, W)
    pic = photo(H, W)
    changed = office.copy()
    changed[500:520, 900:1300] = 0
    doc = text_document(H + 4000, W)
    doc[:, W - 16 :] = (200, 200, 200, 255)  # scrollbar track
    prev, cur = doc[0:H].copy(), doc[37 : 37 + H].copy()

    result: dict[str, object] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "change_detection_ms_1080p": {
            "identical": _ms(lambda: dirty_tiles(office, office.copy())),
            "small_change": _ms(lambda: dirty_tiles(office, changed)),
        },
        "scroll_detection_ms_1080p": _ms(lambda: detect_moves(prev, cur)),
        "encoders_office_1080p": _encoders(office),
        "encoders_photo_1080p": _encoders(pic),
    }

    # full encoder core on a document scrolling 20 px per frame (mixed with 40 px jumps)
    enc = FrameEncoder(quality=75)
    enc.encode(doc[0:H].copy(), 0.0)
    frames = [doc[o : o + H].copy() for o in range(20, 3600, 20)]
    total = 0
    t0 = time.perf_counter()
    for i, f in enumerate(frames):
        rects, _ = enc.encode(f, 0.033 * (i + 1))
        total += sum(len(r.payload) for r in rects)
    dt = time.perf_counter() - t0
    result["scrolling_document_1080p"] = {
        "frames": len(frames),
        "fps_encoder_core": round(len(frames) / dt, 1),
        "ms_per_frame": round(dt / len(frames) * 1000, 2),
        "avg_bytes_per_frame": total // len(frames),
        "copy_rects": enc.stats["moves"],
        "note": "excludes the mss grab (~3 ms for 1080p on X11 XShm)",
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
