"""Screen codec benchmark: ``python -m bench.codec_bench`` prints JSON.

Measures, on synthetic 1920x1080 screens: tile change detection, scroll detection, each encoder
(time and bytes) on an office-like page and a photo-like one, and the encoder core's frame rate
for a scrolling document (what the agent does per frame, minus the mss grab): a text-only one
and one of text and photographs (issue 16), each at 7 px (a 60 Hz wheel scroll) and 20 px a
frame, and 1-3 lines of 20 px a frame in turn (what the glass-to-glass stimulus does).
``--profile`` prints pyinstrument's profile of the text+photo scroll instead (install
pyinstrument into the .venv first); ``--parts`` prints the CPU time per frame of each step of
the encoder on that scroll (1-3 lines a frame), measured around each call (no sampling), which
is how issue 16's profile tables were made; ``python -m bench.streamer_bench`` measures the
whole streamer on a real X server.
"""

from __future__ import annotations

import argparse
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


def text_and_photos(height: int, width: int) -> np.ndarray:
    """A long document of text with photographs in it (what the glass-to-glass bench scrolls)."""
    doc = text_document(height, width)
    pic = photo(360, 640)
    for y in range(300, height - 360, 900):
        doc[y : y + 360, 200:840] = pic
        doc[y + 200 : y + 560, min(1100, width - 640) : min(1740, width)] = pic[::-1]
    doc[:, width - 16 :] = (200, 200, 200, 255)  # scrollbar track
    return doc


def scroll_core(doc: np.ndarray, step: int | tuple[int, ...],
                seconds_per_frame: float = 1 / 60) -> dict[str, object]:
    """The encoder core on ``doc`` scrolling ``step`` px a frame (a tuple: in turn, as a wheel
    moves 1-3 lines a tick): frames/s, ms and bytes."""
    enc = FrameEncoder(quality=75)
    steps = step if isinstance(step, tuple) else (step,)
    offsets: list[int] = []
    o = 0
    while len(offsets) < 180 and o + max(steps) + H <= doc.shape[0]:
        o += steps[len(offsets) % len(steps)]
        offsets.append(o)
    frames = [doc[o : o + H].copy() for o in offsets]
    total = 0
    cpu = float("inf")
    for _ in range(3):  # the best of three runs, in CPU time: the machine may be shared
        enc.reset()
        enc.encode(doc[0:H].copy(), 0.0)
        total = 0
        t0 = time.process_time()
        for i, f in enumerate(frames):
            rects, _ = enc.encode(f, seconds_per_frame * (i + 1))
            total += sum(len(r.payload) for r in rects)
        cpu = min(cpu, time.process_time() - t0)
    return {
        "frames": len(frames),
        "px_per_frame": step,
        "fps_encoder_core": round(len(frames) / cpu, 1),
        "ms_per_frame": round(cpu / len(frames) * 1000, 2),
        "avg_bytes_per_frame": total // len(frames),
        "copy_rects": enc.stats["moves"] // 3,
    }


def profile() -> None:
    """pyinstrument's profile of the encoder core on the text+photo scroll (7 px a frame)."""
    from pyinstrument import Profiler

    doc = text_and_photos(H + 4000, W)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    scroll_core(doc, 7)
    profiler.stop()
    print(profiler.output_text(unicode=False, color=False))


#: The encoder's steps timed by ``--parts``: (module, attribute, name); the modules' own names
#: are looked up at call time, so wrapping them here times every call the encoder makes.
_PARTS = (
    ("shared.codec.frame", "FrameEncoder.encode", "encode (all)"),
    ("shared.codec.frame", "FrameEncoder._changed_tiles", "tile diff before detection"),
    ("shared.codec.frame", "dirty_tiles", "tile diff (dirty_tiles)"),
    ("shared.codec.frame", "or_block_diff", "diff against the moves' sources"),
    ("shared.codec.frame", "band_row_hashes", "row hashes"),
    ("shared.codec.frame", "FrameEncoder._prev_hashes", "cached hashes of the reference"),
    ("shared.codec.frame", "detect_moves", "detect_moves"),
    ("shared.codec.frame", "apply_moves", "apply_moves"),
    ("shared.codec.frame", "FrameEncoder._settle_moves", "reference update after moves"),
    ("shared.codec.frame", "_diff_box", "box of differing pixels"),
    ("shared.codec.frame", "_diff_box_moved", "box of differing pixels (moves)"),
    ("shared.codec.frame", "tiles_to_rects", "tiles_to_rects"),
    ("shared.codec.encode", "RectEncoder.encode_rect", "encode_rect (strip)"),
    ("shared.codec.encode", "find_palette", "  of which find_palette"),
    ("shared.codec.refine", "RefinementTracker.note_move", "note_move"),
    ("shared.codec.video", "VideoStage.step", "video stage"),
)


def parts(steps: tuple[int, ...] = (20, 40, 60), frames: int = 150) -> dict[str, float]:
    """CPU ms per frame of each step in :data:`_PARTS` (missing ones left out) on the
    text+photo document scrolling ``steps`` px a frame in turn, best of two passes."""
    import importlib

    acc: dict[str, float] = {}
    undo: list[tuple[object, str, object]] = []

    def timed(fn: Callable[..., object], name: str) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            t0 = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                acc[name] = acc.get(name, 0.0) + time.thread_time() - t0
        return wrapper

    for module, attr, name in _PARTS:
        owner: object = importlib.import_module(module)
        *path, last = attr.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        fn = getattr(owner, last, None) if owner is not None else None
        if fn is None:
            continue  # a step this checkout does not have (bench.ab runs old checkouts too)
        undo.append((owner, last, fn))
        setattr(owner, last, timed(fn, name))
    try:
        doc = text_and_photos(H + 4000, W)
        offsets: list[int] = []
        o = 0
        while len(offsets) < frames and o + max(steps) + H <= doc.shape[0]:
            o += steps[len(offsets) % len(steps)]
            offsets.append(o)
        shots = [doc[o : o + H].copy() for o in offsets]
        best: dict[str, float] = {}
        for _ in range(2):
            enc = FrameEncoder(quality=75)
            enc.encode(doc[0:H].copy(), 0.0)
            acc.clear()
            for i, f in enumerate(shots):
                enc.encode(f, (i + 1) / 60)
            if not best or acc.get("encode (all)", 0) < best.get("encode (all)", 0):
                best = dict(acc)
    finally:
        for owner, last, fn in reversed(undo):
            setattr(owner, last, fn)
    return {k: round(v / len(shots) * 1000, 3) for k, v in
            sorted(best.items(), key=lambda kv: -kv[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description="screen codec benchmark (JSON)")
    parser.add_argument("--profile", action="store_true",
                        help="print a pyinstrument profile of the text+photo scroll instead")
    parser.add_argument("--parts", action="store_true",
                        help="print CPU ms per frame of each encoder step instead (JSON)")
    args = parser.parse_args()
    if args.profile:
        profile()
        return
    if args.parts:
        print(json.dumps({"load_1min": round(os.getloadavg()[0], 2),
                          "cpu_ms_per_frame_1to3_lines": parts(),
                          "cpu_ms_per_frame_7px": parts((7,))}, indent=2))
        return
    office = text_document(H, W)
    pic = photo(H, W)
    changed = office.copy()
    changed[500:520, 900:1300] = 0
    doc = text_document(H + 4000, W)
    doc[:, W - 16 :] = (200, 200, 200, 255)  # scrollbar track
    prev, cur = doc[0:H].copy(), doc[37 : 37 + H].copy()

    result: dict[str, object] = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_1min": round(os.getloadavg()[0], 2)},
        "change_detection_ms_1080p": {
            "identical": _ms(lambda: dirty_tiles(office, office.copy())),
            "small_change": _ms(lambda: dirty_tiles(office, changed)),
        },
        "scroll_detection_ms_1080p": _ms(lambda: detect_moves(prev, cur)),
        "encoders_office_1080p": _encoders(office),
        "encoders_photo_1080p": _encoders(pic),
    }
    mixed = text_and_photos(H + 4000, W)
    result["scrolling_document_1080p"] = {
        "text_7px": scroll_core(doc, 7),
        "text_20px": scroll_core(doc, 20),
        "text_and_photos_7px": scroll_core(mixed, 7),
        "text_and_photos_20px": scroll_core(mixed, 20),
        "text_and_photos_1to3_lines": scroll_core(mixed, (20, 40, 60)),
        "note": "encoder core only: no grab (mss), no sealing or sending",
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
