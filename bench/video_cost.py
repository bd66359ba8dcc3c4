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

``--link``: the agent's real :class:`~agent.pipeline.ScreenStreamer` (its flow control and
grab scheduling as on this branch) streams a 60 Hz 1080p film, in real time, into a *model* of
a link (a FIFO leaving at the uplink's rate, then half the round trip; the ack half a round
trip later), with ``target_rate`` set to the link's rate as the rate lane's controller would:
frames delivered per second, bytes per second, the process's CPU. The bench lane's
``bench/support/link.py`` proxy and ``glass_to_glass`` measure the real thing.
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


class _Film:
    """A 60 Hz film as a frame source: each grab shows the picture of the current instant."""

    def __init__(self, n: int = 240) -> None:
        self._big = photo(H + 2 * n, W + 3 * n, seed=11)
        self._n = n
        self._t0 = time.monotonic()

    def grab(self) -> np.ndarray:
        i = int((time.monotonic() - self._t0) * 60) % self._n
        return self._big[2 * i : 2 * i + H, 3 * i : 3 * i + W]

    def interval(self) -> float:
        return 1 / 60

    def poke(self) -> None:
        pass

    def note_frame(self, changed: bool) -> None:
        pass

    def close(self) -> None:
        pass


def link_run(up_bits: float, rtt_ms: float, seconds: float, video: bool) -> dict[str, float]:
    """The streamer into a modelled uplink; what arrives, and the process's CPU."""
    import heapq
    import threading

    from agent.pipeline import ScreenStreamer
    from shared.codec.frame import EncodedFrame

    rate = up_bits / 8
    lock = threading.Lock()
    acks: list[tuple[float, int]] = []
    arrived: list[tuple[float, int]] = []
    free = [0.0]
    streamer: ScreenStreamer

    def on_frame(update: EncodedFrame) -> None:
        now = time.monotonic()
        with lock:
            free[0] = max(now, free[0]) + update.nbytes / rate
            at = free[0] + rtt_ms / 2000
            arrived.append((at, update.nbytes))
            heapq.heappush(acks, (at + rtt_ms / 2000, update.seq))

    streamer = ScreenStreamer(on_frame, source=_Film(), change_watcher=None)
    streamer._encoder.video.enabled = video and available()
    streamer._encoder.target_rate = rate
    stop = threading.Event()

    def acker() -> None:
        while not stop.is_set():
            with lock:
                due = acks[0] if acks and acks[0][0] <= time.monotonic() else None
                if due:
                    heapq.heappop(acks)
            if due:
                streamer.ack(due[1])
            else:
                time.sleep(0.001)

    thread = threading.Thread(target=acker, daemon=True)
    thread.start()
    streamer.start()
    time.sleep(2.0)  # warm-up: the first full paint and the policy's window
    cpu0, t0 = time.process_time(), time.monotonic()
    time.sleep(seconds)
    cpu, t1 = time.process_time() - cpu0, time.monotonic()
    streamer.stop()
    stop.set()
    thread.join()
    window = [(t, b) for t, b in arrived if t0 <= t < t1]
    return {
        "fps_delivered": round(len(window) / (t1 - t0), 1),
        "mbit_per_s": round(sum(b for _t, b in window) * 8 / (t1 - t0) / 1e6, 2),
        "link_use": round(sum(b for _t, b in window) / (t1 - t0) / rate, 2),
        "cpu_core_share": round(cpu / (t1 - t0), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer frames")
    ap.add_argument("--link", action="store_true", help="the streamer into modelled uplinks")
    args = ap.parse_args()
    if args.link:
        runs = {}
        for name, bits, rtt in (("dsl4", 4e6, 40.0), ("dsl16", 16e6, 20.0)):
            for video in (False, True):
                runs[f"{name}_{'video' if video else 'rects_only'}"] = link_run(
                    bits, rtt, 5.0 if args.quick else 15.0, video)
        print(json.dumps({"film": "1920x1080 at 60 Hz", "pyav": available(), **runs}, indent=1))
        return
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
