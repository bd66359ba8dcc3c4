"""Full-screen motion cost (issue 16): ``python -m bench.video_cost [--quick]`` prints JSON.

Two 1920x1080 scenes through the agent's :class:`~shared.codec.frame.FrameEncoder`, once with
the video codec (VIDEO rects after the motion policy switches) and once with rects only (what
main did), and the console's decoder (:class:`~shared.codec.decode.RectDecoder`) on the result:

* ``video``: a photo panning and zooming a little every frame (a film, a window animation);
* ``slideshow``: photos cross-fading for 0.5 s each, then resting 0.5 s (a slideshow).

Per scene and mode: encode ms/frame (the agent's CPU per frame, without the ~3 ms grab),
decode ms/frame, bytes per frame and per second at the frames' pace, and the frame rate one
core could encode. With ``target_rate`` set to a 4 Mbit/s link (what the rate lane feeds in,
bytes/s) the video's bytes per second follow the link; the rect path cannot.
Single-threaded, like the agent's streamer. CPU time is process time (the machine may be busy).
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import numpy as np

from bench.screens import photo
from shared.codec.decode import RectDecoder
from shared.codec.frame import FrameEncoder
from shared.codec.video import available

H, W = 1080, 1920
FPS = 30.0


def _video(n: int) -> list[np.ndarray]:
    big = photo(H + 4 * n, W + 6 * n, seed=11)
    return [np.ascontiguousarray(big[4 * i : 4 * i + H, 6 * i : 6 * i + W]) for i in range(n)]


def _slideshow(n: int) -> list[np.ndarray]:
    slides = [photo(H, W, seed=s).astype(np.float32) for s in (21, 22, 23)]
    out = []
    fade = int(0.5 * FPS)
    for i in range(n):
        k, pos = divmod(i, 2 * fade)
        a, b = slides[k % 3], slides[(k + 1) % 3]
        mix = min(1.0, pos / fade)
        f = (a * (1 - mix) + b * mix).astype(np.uint8)
        f[..., 3] = 255
        out.append(f)
    return out


def run(frames: list[np.ndarray], video: bool, target_rate: float | None) -> dict[str, float]:
    enc = FrameEncoder()
    enc.video.enabled = video and available()
    enc.target_rate = target_rate
    dec = RectDecoder()
    fb = np.zeros((H, W, 4), np.uint8)
    enc_s = dec_s = 0.0
    cpu0 = time.process_time()
    total = 0
    video_frames = 0
    for i, f in enumerate(frames):
        t0 = time.perf_counter()
        rects, _changed = enc.encode(f, i / FPS)
        t1 = time.perf_counter()
        for r in rects:
            dec.decode_rect(fb, r.x, r.y, r.w, r.h, r.encoding, r.payload)
        t2 = time.perf_counter()
        enc_s += t1 - t0
        dec_s += t2 - t1
        total += sum(len(r.payload) for r in rects)
        video_frames += any(r.encoding == 5 for r in rects)
    n = len(frames)
    mse = float(((fb[..., :3].astype(np.float64) - frames[-1][..., :3]) ** 2).mean())
    return {
        "encode_ms_per_frame": round(enc_s / n * 1e3, 2),
        "decode_ms_per_frame": round(dec_s / n * 1e3, 2),
        "max_fps_one_core": round(n / enc_s, 1),
        "bytes_per_frame": round(total / n),
        "mbit_per_s_at_30fps": round(total * 8 / (n / FPS) / 1e6, 2),
        "video_frames": video_frames,
        "psnr_last_db": round(99.0 if mse == 0 else 10 * float(np.log10(255 ** 2 / mse)), 1),
        "cpu_s": round(time.process_time() - cpu0, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer frames")
    args = ap.parse_args()
    n = 45 if args.quick else 120
    out: dict[str, object] = {"machine": platform.processor() or platform.machine(),
                              "frames": n, "size": f"{W}x{H}", "pyav": available()}
    for name, frames in (("video", _video(n)), ("slideshow", _slideshow(n))):
        out[name] = {
            "rects_only": run(frames, False, None),
            "video_8mbit_default": run(frames, True, None),
            "video_dsl4": run(frames, True, 4e6 / 8),
        }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
