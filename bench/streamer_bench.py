"""The agent's screen pipeline on a real X server: ``python -m bench.streamer_bench`` prints JSON.

What the agent's streamer thread costs while a 1920x1080 document of text and photographs
scrolls at 60 Hz, and while someone types: a real Xvfb, another process scrolling a window by
XCopyArea from a server-side pixmap (what a scrolling view does; the painter's CPU is not
counted), the real DAMAGE watcher, capturer (mss, XShm) and frame encoder in
:class:`agent.pipeline.ScreenStreamer`, every update acknowledged at once (a fast console). Per
phase: updates/s, the streamer's and the damage watcher's CPU (% of a core, from
``/proc/self/task``), bytes/s. Phase ``stimulus`` scrolls glass_to_glass's own Qt document
(``bench.stimulus``: 1-3 lines a tick, text only) instead; phase ``window`` scrolls the document
in a window of two thirds of the screen's width (:data:`WINDOW`) while a clock above it ticks
once a second. Sealing and sending (agent-net) are
not included: see ``bench.glass_to_glass`` for the whole agent. ``--seconds`` per phase
(default 5).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from typing import Any

H, W = 1080, 1920
DOC_ROWS = 4000
#: Phase ``window``: where the document scrolls (x, y, w, h): a browser beside a mail list
WINDOW = (600, 40, 1280, 1000)


def _thread_cpu(native_id: int | None) -> float:
    """CPU seconds of one thread of this process (utime + stime)."""
    if native_id is None:
        return 0.0
    try:
        with open(f"/proc/self/task/{native_id}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def painter(display: str, mode: str, hz: float) -> None:
    """Child process: a full-screen window showing the document, scrolled or typed into."""
    import numpy as np
    from Xlib import X
    from Xlib import display as xdisplay

    from bench.screens import photo, text_document

    doc = text_document(DOC_ROWS, W)
    pic = photo(360, 640)
    for y in range(300, DOC_ROWS - 360, 900):
        doc[y : y + 360, 200:840] = pic
        doc[y + 200 : y + 560, 1100:1740] = pic[::-1]
    dpy = xdisplay.Display(display)
    screen = dpy.screen()
    win = screen.root.create_window(0, 0, W, H, 0, screen.root_depth,
                                    background_pixel=0xFFFFFF, override_redirect=True)
    win.map()
    pix = win.create_pixmap(W, DOC_ROWS, screen.root_depth)
    gc = win.create_gc(foreground=0)
    for y in range(0, DOC_ROWS, 32):
        chunk = np.ascontiguousarray(doc[y : y + 32])
        pix.put_image(gc, 0, y, W, chunk.shape[0], X.ZPixmap, screen.root_depth, 0,
                      chunk.tobytes())
    win.copy_area(gc, pix, 0, 0, W, H, 0, 0)
    dpy.sync()
    print("ready", flush=True)
    sys.stdin.readline()  # go
    period = 1.0 / hz
    nxt = time.monotonic()
    i = 0
    while True:
        i += 1
        if mode == "scroll":
            off = (i * 7) % (DOC_ROWS - H)  # 7 px a frame: 420 px/s, a brisk wheel scroll
            win.copy_area(gc, pix, 0, off, W, H, 0, 0)
        elif mode == "window":  # the same scroll in a window beside a sidebar, a clock above
            wx, wy, ww, wh = WINDOW
            off = (i * 7) % (DOC_ROWS - wh)
            # the document's columns from 160 on: text and photographs reach the window's
            # left edge, as a page's do in a browser scrolled sideways or a spreadsheet's cells
            win.copy_area(gc, pix, 160, off, ww, wh, wx, wy)
            if i % 60 == 0:  # the panel's clock: once a second
                gc.change(foreground=(i * 0x1F3D5B) & 0xFFFFFF)
                win.fill_rectangle(gc, 24, 8, 64, 16)
                gc.change(foreground=0)
        else:  # typing: one glyph-sized cell at ~14 chars/s, a caret beside it
            if i % 4 == 0:
                k = i // 4
                gc.change(foreground=(k * 0x1F3D5B) & 0x7F7F7F)
                win.fill_rectangle(gc, 100 + (k % 150) * 10, 200 + (k // 150) % 40 * 20, 8, 14)
        dpy.sync()
        nxt += period
        time.sleep(max(0.0, nxt - time.monotonic()))


def run_phase(display: str, mode: str, seconds: float) -> dict[str, Any]:
    from agent.capture import ScreenCapturer
    from agent.damage import X11DamageWatcher
    from agent.pipeline import ScreenStreamer
    from shared.codec.frame import EncodedFrame

    hz = 56.0 if mode == "typing" else 60.0  # typing: 14 glyphs/s (every 4th tick)
    if mode == "stimulus":  # glass_to_glass's own stimulus: a Qt document, 1-3 lines a tick
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.stimulus"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"})
    else:
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.streamer_bench", "--paint", display, mode, str(hz)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdin is not None
        while True:
            line = child.stdout.readline()
            if not line:
                raise RuntimeError("the painter did not start")
            if line.strip() == "ready" or '"ready"' in line:
                break
        sent = {"frames": 0, "bytes": 0}
        lock = threading.Lock()
        st: ScreenStreamer

        def on_frame(u: EncodedFrame) -> None:
            with lock:
                sent["frames"] += 1
                sent["bytes"] += u.nbytes
            st.ack(u.seq)

        watcher = X11DamageWatcher(display)
        st = ScreenStreamer(on_frame, change_watcher=watcher,
                            source_factory=lambda: ScreenCapturer(display=display))
        st.start()
        time.sleep(1.0)
        child.stdin.write("scroll on\n" if mode == "stimulus" else "go\n")
        child.stdin.flush()
        time.sleep(1.0)  # warm up
        assert st._thread is not None
        sid = st._thread.native_id
        wid = watcher._thread.native_id if watcher._thread is not None else None
        c0, w0, p0, t0 = _thread_cpu(sid), _thread_cpu(wid), time.process_time(), time.monotonic()
        with lock:
            f0, b0 = sent["frames"], sent["bytes"]
        time.sleep(seconds)
        span = time.monotonic() - t0
        c1, w1, p1 = _thread_cpu(sid), _thread_cpu(wid), time.process_time()
        with lock:
            f1, b1 = sent["frames"], sent["bytes"]
        st.stop()
        return {
            "updates_per_s": round((f1 - f0) / span, 1),
            "bytes_per_s": round((b1 - b0) / span),
            "cpu_pct_streamer": round(100 * (c1 - c0) / span, 1),
            "cpu_pct_damage_watcher": round(100 * (w1 - w0) / span, 1),
            "cpu_pct_process": round(100 * (p1 - p0) / span, 1),
            "ms_per_update_streamer": round(1000 * (c1 - c0) / max(1, f1 - f0), 2),
        }
    finally:
        child.kill()
        child.wait()


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--paint":
        painter(sys.argv[2], sys.argv[3], float(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--only", choices=("scroll", "typing", "stimulus", "window"))
    args = parser.parse_args()
    from bench.support.xvfb import XvfbDisplay

    out: dict[str, Any] = {"screen": f"{W}x{H}", "cpus": os.cpu_count(),
                           "load_1min": os.getloadavg()[0]}
    with XvfbDisplay(width=W, height=H) as disp:
        for mode in ("scroll", "typing", "stimulus", "window"):
            if args.only in (None, mode):
                out[mode] = run_phase(disp.name, mode, args.seconds)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
