"""What one X DAMAGE report costs the agent's watcher thread: python-xlib against libxcb.

Run: ``python -m bench.damage_cost [--reports 300] [--gap 0.03]``. Prints one JSON object.

A private Xvfb; a drawing client (python-xlib, in this process but on its own connection)
fills a glyph-sized rectangle every ``--gap`` seconds, as typing does; each watcher in turn
(:class:`agent.damage.X11DamageWatcher`, :class:`agent.damage_xcb.XcbDamageWatcher`) reports
them. Measured: the watcher thread's CPU time from ``/proc/self/task/<tid>/schedstat`` (what the
kernel counted), per report, and reports per drawing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from agent.damage import X11DamageWatcher
from agent.damage_xcb import XcbDamageWatcher, available
from bench.support.xvfb import XvfbDisplay


def _thread_cpu(tid: int) -> float:
    return int(Path(f"/proc/self/task/{tid}/schedstat").read_text().split()[0]) / 1e9


def run(cls: type[X11DamageWatcher], display: str, reports: int, gap: float) -> dict[str, Any]:
    from Xlib import display as xdisplay

    dpy = xdisplay.Display(display)
    screen = dpy.screen()
    win = screen.root.create_window(0, 0, 640, 480, 0, screen.root_depth,
                                    background_pixel=0x202020, override_redirect=True)
    win.map()
    gc = win.create_gc(foreground=0)
    dpy.sync()
    watcher = cls(display)
    assert watcher.start(lambda: None), f"{cls.__name__} did not start"
    try:
        time.sleep(0.3)
        assert watcher._thread is not None and watcher._thread.native_id is not None
        tid = watcher._thread.native_id
        n0, c0 = watcher.notifications, _thread_cpu(tid)
        for i in range(reports):
            gc.change(foreground=0x10000 * (i % 200) + 0x50)
            win.fill_rectangle(gc, 10 + (i * 9) % 600, 10 + 20 * ((i * 9) // 600 % 20), 8, 14)
            dpy.flush()
            time.sleep(gap)
        time.sleep(0.2)
        cpu, n = _thread_cpu(tid) - c0, watcher.notifications - n0
    finally:
        watcher.stop()
        win.destroy()
        dpy.close()
    return {"reports": n, "reports_per_drawing": round(n / reports, 3),
            "cpu_us_per_report": round(1e6 * cpu / max(1, n), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.damage_cost",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--gap", type=float, default=0.03)
    args = parser.parse_args(argv)
    out: dict[str, Any] = {}
    with XvfbDisplay(width=640, height=480) as disp:
        out["xlib"] = run(X11DamageWatcher, disp.name, args.reports, args.gap)
        if available():
            out["xcb"] = run(XcbDamageWatcher, disp.name, args.reports, args.gap)
    out["meta"] = {"load_avg_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
