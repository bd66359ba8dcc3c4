"""The streamer's and the DAMAGE watcher's CPU per typed character, without the whole rig.

Run: ``python -m bench.typing_streamer [--chars 300] [--delay 40] [--profile FILE]``. Prints
one JSON object.

Why a bench of its own: ``bench.typing_cost`` runs the whole agent, relay and console (about a
minute, tens of percent of spread on a loaded machine); this one is the part lane typing owns,
in this process, in a few seconds: a real 1920x1080 Xvfb, a painter process that "types" into
a 578x168 text field as Qt does (the whole field is put again for each key, so X DAMAGE reports
the whole field while one glyph differs: what the glass-to-glass stimulus does), the real
DAMAGE watcher (libxcb), capturer (XShm) and :class:`agent.pipeline.ScreenStreamer`; each
update is acknowledged 3 ms later from another thread (the network thread's place). Measured:
thread CPU (``/proc/self/task/*/schedstat``) of the streamer and of the watcher per character,
and the streamer's wakeups, grabs and frames per character.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time
from typing import Any

W, H = 1920, 1080
FIELD = (1280, 130, 578, 168)  # the stimulus's text field (x, y, w, h)


def _thread_ns(native_id: int | None) -> int:
    """CPU nanoseconds of one thread of this process (the kernel's schedstat)."""
    if native_id is None:
        return 0
    try:
        with open(f"/proc/self/task/{native_id}/schedstat") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError):
        return 0


def painter(display: str, chars: int, delay: float) -> None:
    """Child process: a full-screen document with the text field; on "go", one key every
    ``delay`` s: the field put whole (ZPixmap) with one more glyph in it."""
    import numpy as np
    from Xlib import X
    from Xlib import display as xdisplay

    from bench.screens import text_document

    doc = text_document(H, W)
    dpy = xdisplay.Display(display)
    screen = dpy.screen()
    win = screen.root.create_window(0, 0, W, H, 0, screen.root_depth,
                                    background_pixel=0xFFFFFF, override_redirect=True)
    win.map()
    gc = win.create_gc(foreground=0)
    for y in range(0, H, 32):
        chunk = np.ascontiguousarray(doc[y : y + 32])
        win.put_image(gc, 0, y, W, chunk.shape[0], X.ZPixmap, screen.root_depth, 0,
                      chunk.tobytes())
    fx, fy, fw, fh = FIELD
    field = np.full((fh, fw, 4), 255, dtype=np.uint8)

    pix = win.create_pixmap(fw, fh, screen.root_depth)

    def put_field() -> None:
        """The field into a pixmap (in halves: one X request holds at most 256 KiB), then
        onto the window in one request, as Qt's backing store flushes a widget."""
        for y in (0, fh // 2):
            part = np.ascontiguousarray(field[y : y + fh // 2])
            pix.put_image(gc, 0, y, fw, fh // 2, X.ZPixmap, screen.root_depth, 0,
                          part.tobytes())
        win.copy_area(gc, pix, 0, 0, fw, fh, fx, fy)

    put_field()
    dpy.sync()
    rng = np.random.default_rng(3)
    print("ready", flush=True)
    sys.stdin.readline()  # go
    nxt = time.monotonic()
    for k in range(chars):
        col, line = k % 60, (k // 60) % 7
        glyph = rng.choice(np.array([0, 60, 140, 255], dtype=np.uint8), size=(14, 8))
        field[10 + line * 22 : 24 + line * 22, 8 + col * 9 : 16 + col * 9, :3] = glyph[..., None]
        if col == 0 and line == 0:
            field[:, :, :3] = 255
            field[10:24, 8:16, :3] = glyph[..., None]
        put_field()
        dpy.sync()
        nxt += delay
        time.sleep(max(0.0, nxt - time.monotonic()))
    print("done", flush=True)
    sys.stdin.readline()


class _WindowProfile:
    """cProfile of the streamer's thread during the typing only (not its start, imports and
    first full update): switched on and off by the thread itself at its next wait."""

    def __init__(self) -> None:
        import cProfile

        self.prof = cProfile.Profile(time.thread_time)
        self.want = threading.Event()
        self.on = False
        self.done = threading.Event()

    def install(self) -> None:
        from agent.pipeline import ScreenStreamer

        original = ScreenStreamer._wait
        window = self

        def _wait(self: ScreenStreamer, timeout: float | None) -> None:
            if window.want.is_set() != window.on:
                window.on = not window.on
                if window.on:
                    window.prof.enable()
                else:
                    window.prof.disable()
                    window.done.set()
            original(self, timeout)

        ScreenStreamer._wait = _wait  # type: ignore[method-assign]


def run(chars: int, delay: float, profile: str | None) -> dict[str, Any]:
    window = None
    if profile:
        window = _WindowProfile()
        window.install()
    from agent.capture import WATCHED_IDLE_HZ, ScreenCapturer
    from agent.damage import watcher_for
    from agent.pipeline import ScreenStreamer
    from bench.support.xvfb import XvfbDisplay
    from shared.codec.frame import EncodedFrame

    with XvfbDisplay(width=W, height=H) as disp:
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.typing_streamer", "--paint", disp.name, str(chars),
             str(delay)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout is not None and child.stdin is not None
            if child.stdout.readline().strip() != "ready":
                raise RuntimeError("the painter did not start")
            acks: queue.Queue[int | None] = queue.Queue()
            sent = {"frames": 0, "bytes": 0}
            st: ScreenStreamer

            def acker() -> None:  # the network thread's place: ack 3 ms after the hand-off
                while (seq := acks.get()) is not None:
                    time.sleep(0.003)
                    st.ack(seq)

            def on_frame(u: EncodedFrame) -> None:
                sent["frames"] += 1
                sent["bytes"] += u.nbytes
                acks.put(u.seq)

            cap = ScreenCapturer(display=disp.name, idle_hz=WATCHED_IDLE_HZ)
            watcher = watcher_for(disp.name)
            st = ScreenStreamer(on_frame, source=cap, change_watcher=watcher)
            ack_thread = threading.Thread(target=acker, name="acker", daemon=True)
            ack_thread.start()
            st.start()
            time.sleep(1.5)  # the first full update and its refinement
            assert st._thread is not None and st.damage_driven
            sid = st._thread.native_id
            wid = getattr(getattr(watcher, "_thread", None), "native_id", None)
            s0, w0 = _thread_ns(sid), _thread_ns(wid)
            f0, b0, k0 = sent["frames"], sent["bytes"], st.wakeups
            g0 = dict(cap.stats)
            t0 = time.monotonic()
            if window is not None:
                window.want.set()
            child.stdin.write("go\n")
            child.stdin.flush()
            if child.stdout.readline().strip() != "done":
                raise RuntimeError("the painter stopped")
            time.sleep(0.3)  # the last key's update and ack
            span = time.monotonic() - t0
            s1, w1 = _thread_ns(sid), _thread_ns(wid)
            if window is not None and profile:
                window.want.clear()
                st.poke()  # the thread switches its profile off at its next wait
                window.done.wait(5.0)
                window.prof.dump_stats(profile)
            frames, nbytes = sent["frames"] - f0, sent["bytes"] - b0
            wakeups = st.wakeups - k0
            grabs = {k: v - g0[k] for k, v in cap.stats.items()}
            ok = st.stop()
            acks.put(None)
            ack_thread.join(2.0)
            if not ok or st.error is not None:
                raise RuntimeError(f"the streamer failed: {st.error!r}")
        finally:
            child.kill()
            child.wait()
    return {
        "chars": chars, "delay_ms": delay * 1000, "seconds": round(span, 2),
        "streamer_ms_per_char": round((s1 - s0) / 1e6 / chars, 4),
        "damage_ms_per_char": round((w1 - w0) / 1e6 / chars, 4),
        "both_ms_per_char": round((s1 - s0 + w1 - w0) / 1e6 / chars, 4),
        "frames_per_char": round(frames / chars, 3), "bytes_per_char": round(nbytes / chars, 1),
        "wakeups_per_char": round(wakeups / chars, 3),
        "grabs_per_char": {k: round(v / chars, 3) for k, v in grabs.items()},
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--paint":
        painter(argv[1], int(argv[2]), float(argv[3]))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.typing_streamer",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=300)
    parser.add_argument("--delay", type=int, default=40, help="ms between keys (default 40)")
    parser.add_argument("--profile", metavar="FILE",
                        help="cProfile the streamer's thread in thread CPU time while it "
                             "types, into FILE (pstats)")
    args = parser.parse_args(argv)
    out = run(args.chars, args.delay / 1000, args.profile)
    out["meta"] = {"load_avg_1m": round(os.getloadavg()[0], 2), "cores": os.cpu_count()}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
