"""The sampler: a subprocess on the technician's display that watches and clicks.

Run as ``python -m bench.g2g.sampler`` with DISPLAY set to the technician's screen. JSON commands
on stdin, JSON replies on stdout. It grabs small regions with mss in a loop and clicks with XTest
(what xdotool does, without a process start per click between the time stamp and the click); all
time stamps are ``time.monotonic()`` (CLOCK_MONOTONIC, one clock for every process on the
machine), so they compare with the stimulus's.
"""

from __future__ import annotations

import json
import sys
import time
import zlib
from typing import Any

import numpy as np


def _grab(sct: Any, box: list[int]) -> np.ndarray:
    x, y, w, h = (int(v) for v in box)
    mon = sct.monitors[0]  # clamp: XShmGetImage fails (BadMatch) outside the screen
    x, y = max(0, min(x, mon["width"] - 1)), max(0, min(y, mon["height"] - 1))
    w, h = max(1, min(w, mon["width"] - x)), max(1, min(h, mon["height"] - y))
    shot = sct.grab({"left": int(x), "top": int(y), "width": int(w), "height": int(h)})
    return np.frombuffer(shot.raw, np.uint8).reshape(shot.height, shot.width, 4)


def _pixels(img: np.ndarray) -> np.ndarray:
    """BGRA pixels as one uint32 each with alpha cleared: one compare per pixel, not three."""
    return np.ascontiguousarray(img).view(np.uint32)[:, :, 0] & np.uint32(0x00FFFFFF)


def _best_shift(whole: np.ndarray, want: np.ndarray, mask: np.ndarray, m: int
                ) -> tuple[int, int]:
    """The shift within +-m px at which ``whole`` (``want`` plus an m-pixel rim) matches best,
    judged on every 8th row (25 shifts of a whole screen in ~50 ms, not ~2 s)."""
    ih, iw = want.shape
    shifts = {
        (dx, dy): int(np.count_nonzero(
            (whole[m + dy : m + dy + ih : 8, m + dx : m + dx + iw] != want[::8]) & mask[::8]))
        for dy in range(-m, m + 1) for dx in range(-m, m + 1)
    }
    return min(shifts, key=lambda k: (shifts[k], abs(k[0]) + abs(k[1])))


def _mismatch(whole: np.ndarray, want: np.ndarray, mask: np.ndarray, m: int, sx: int,
              sy: int) -> int:
    """Pixels of ``want`` (under ``mask``) that ``whole`` at shift (sx, sy) does not show."""
    ih, iw = want.shape
    got = whole[m + sy : m + sy + ih, m + sx : m + sx + iw]
    return int(np.count_nonzero((got != want) & mask))


def _matches(img: np.ndarray, rgb: list[int], tol: int = 60) -> bool:
    med = np.median(img[:, :, :3].reshape(-1, 3), axis=0)  # BGR
    want = np.array([rgb[2], rgb[1], rgb[0]], np.float64)
    return bool(np.abs(med - want).max() <= tol)


def _decode_bar(img: np.ndarray, pts: list[tuple[int, int]]) -> int | None:
    """The barcode's 8-bit value, or None if value and complement disagree (a torn paint)."""
    bits = []
    for x, y in pts:
        patch = img[max(0, y - 1) : y + 2, max(0, x - 1) : x + 2, :3]
        bits.append(1 if float(patch.mean()) < 128 else 0)
    half = len(bits) // 2
    if any(a == b for a, b in zip(bits[:half], bits[half:], strict=True)):
        return None
    return sum(b << i for i, b in enumerate(bits[:half]))


def _dense_run(counts: np.ndarray) -> tuple[int, int]:
    """The longest run of rows (or columns) where at least half as many pixels match as in the
    best one: the solid marker, not stray pixels of its colour in a photograph elsewhere."""
    dense = counts >= 0.5 * counts.max()
    best, start = (0, 0), None
    for i, d in enumerate([*dense.tolist(), False]):
        if d and start is None:
            start = i
        elif not d and start is not None:
            if i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    return best


def sampler_main() -> int:
    """Sampler on the technician's display: JSON commands on stdin, JSON replies on stdout."""
    import mss
    from Xlib import X
    from Xlib import display as xdisplay
    from Xlib.ext import xtest

    dpy = xdisplay.Display()
    sct = mss.MSS()

    def reply(**kw: Any) -> None:
        sys.stdout.write(json.dumps(kw) + "\n")
        sys.stdout.flush()

    def watch(box: list[int], rgb: list[int], timeout: float, period: float) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            t = time.monotonic()
            if _matches(_grab(sct, box), rgb):
                return t
            time.sleep(period)
        return None

    def move(x: int, y: int) -> None:
        xtest.fake_input(dpy, X.MotionNotify, x=int(x), y=int(y))
        dpy.sync()

    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "quit":
            break
        if op == "locate":  # bounding box of the colour on the whole screen
            mon = sct.monitors[0]
            img = np.frombuffer(sct.grab(mon).raw, np.uint8).reshape(mon["height"], mon["width"], 4)
            r, g, b = cmd["rgb"]
            diff = np.abs(img[:, :, :3].astype(np.int16) - np.array([b, g, r], np.int16))
            hit = diff.max(axis=2) <= cmd.get("tol", 40)
            if int(hit.sum()) < 400:
                reply(box=None)
            else:
                y0, y1 = _dense_run(hit.sum(axis=1))
                x0, x1 = _dense_run(hit[y0:y1].sum(axis=0))
                reply(box=[x0, y0, x1 - x0, y1 - y0])
        elif op == "watch":  # ready at once, then the first time the box shows the colour
            reply(ready=True)
            reply(seen=watch(cmd["box"], cmd["rgb"], cmd["timeout"], cmd.get("period", 0.001)))
        elif op == "watch_all":  # ready at once, then the first grab where every box shows its
            # colour (bench/session_figures.py: a complete first frame), plus each box's first
            reply(ready=True)
            targets = [(t["box"], t["rgb"]) for t in cmd["targets"]]
            first: list[float | None] = [None] * len(targets)
            seen_all, deadline = None, time.monotonic() + cmd["timeout"]
            while time.monotonic() < deadline:
                t = time.monotonic()
                ok = [_matches(_grab(sct, box), rgb) for box, rgb in targets]
                first = [f if f is not None or not o else t for f, o in zip(first, ok, strict=True)]
                if all(ok):
                    seen_all = t
                    break
                time.sleep(cmd.get("period", 0.002))
            reply(seen=seen_all, first=first)
        elif op == "move":
            move(cmd["x"], cmd["y"])
            reply(ok=True)
        elif op == "click":
            move(cmd["x"], cmd["y"])
            t0 = time.monotonic()
            xtest.fake_input(dpy, X.ButtonPress, 1)
            dpy.sync()
            xtest.fake_input(dpy, X.ButtonRelease, 1)
            dpy.sync()
            reply(
                t0=t0, seen=watch(cmd["box"], cmd["rgb"], cmd["timeout"], cmd.get("period", 0.001))
            )
        elif op == "count":  # distinct customer frames (barcode) and raw changes (doc strip)
            period, end = cmd.get("period", 0.005), time.monotonic() + cmd["duration"]
            bx, by, _bw, _bh = cmd["barbox"]
            pts = [(int(px) - bx, int(py) - by) for px, py in cmd["bits"]]
            last_crc, last_val, candidate = None, None, None
            seen_vals: list[tuple[float, int]] = []
            changes = samples = torn = 0
            while time.monotonic() < end:
                t = time.monotonic()
                crc = zlib.crc32(_grab(sct, cmd["box"]).tobytes())
                bar = _grab(sct, cmd["barbox"])
                samples += 1
                if crc != last_crc:
                    changes += 1
                last_crc = crc
                val = _decode_bar(bar, pts)
                if val is None:
                    torn += 1
                elif val != last_val:
                    if candidate is not None and candidate[1] == val:
                        seen_vals.append(candidate)  # held for two samples: a real frame
                        last_val, candidate = val, None
                    else:
                        candidate = (t, val)
                time.sleep(period)
            reply(changes=changes, values=seen_vals, samples=samples, unreadable=torn)
        elif op == "type":  # technician types: XTest key -> the glyph changes the box
            # A change = at least 6 pixels differing by > 80 in a channel from the grab just
            # before the key (a lossy refinement moves pixels by less; a glyph by far more).
            from Xlib import XK

            out = []
            gaps = cmd.get("gaps") or [cmd.get("gap", 0.12)] * len(cmd["chars"])
            for ch, gap in zip(cmd["chars"], gaps, strict=True):
                code = dpy.keysym_to_keycode(XK.string_to_keysym(ch))
                before = _grab(sct, cmd["box"])[:, :, :3].astype(np.int16)
                t0 = time.monotonic()
                xtest.fake_input(dpy, X.KeyPress, code)
                dpy.sync()
                xtest.fake_input(dpy, X.KeyRelease, code)
                dpy.sync()
                seen, deadline = None, t0 + cmd["timeout"]
                while time.monotonic() < deadline:
                    t = time.monotonic()
                    now = _grab(sct, cmd["box"])[:, :, :3].astype(np.int16)
                    if int((np.abs(now - before).max(axis=2) > 80).sum()) >= 6:
                        seen = t
                        break
                    time.sleep(0.001)
                out.append([t0, seen])
                time.sleep(gap)
            reply(keys=out)
        elif op == "converge":  # until the region equals the reference (masked), or timeout
            ref = np.load(cmd["ref"])
            ox, oy = cmd["offset"]
            x0, y0, w, h = cmd["box"]  # in customer pixels
            mask = np.ones((h, w), bool)
            for mx, my, mw, mh in cmd.get("mask", []):
                mask[
                    max(0, my - y0) : max(0, my - y0 + mh), max(0, mx - x0) : max(0, mx - x0 + mw)
                ] = False
            # The offset comes from locating the marker, which can be a pixel off (a lossy first
            # paint, an edge row within the colour tolerance): a photo shifted by one row differs
            # everywhere. Compare the box without an m-pixel rim at the best shift within +-m px,
            # picked on the first grab and again now and then while it differs (a first grab of
            # a picture still moving can pick a wrong one); the shift is reported.
            # Pixels compare as one uint32 each (B, G, R; alpha masked off) and the shift is
            # picked on every 8th row: 25 shifts of the whole box compared channel by channel
            # took ~2 s on a loaded 2-core machine, and the first look waited for them, so that
            # floor, not the product, was most of the time measured (converge20). A grab
            # counts at its own time, the first one too.
            m = 2
            t_first = time.monotonic()
            whole = _pixels(_grab(sct, [x0 + ox, y0 + oy, w, h]))
            want = _pixels(ref[y0 + m : y0 + h - m, x0 + m : x0 + w - m])
            mask = mask[m : h - m, m : w - m]
            sx, sy = _best_shift(whole, want, mask, m)
            deadline = time.monotonic() + cmd["timeout"]
            seen, frac = None, 1.0
            t, looks = t_first, 0
            looking = time.monotonic()
            while True:
                bad = _mismatch(whole, want, mask, m, sx, sy)
                if bad and looks % 8 == 7:
                    sx, sy = _best_shift(whole, want, mask, m)
                    bad = _mismatch(whole, want, mask, m, sx, sy)
                frac = bad / mask.size
                if bad == 0:
                    seen = t
                    break
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.01)
                t, looks = time.monotonic(), looks + 1
                whole = _pixels(_grab(sct, [x0 + ox, y0 + oy, w, h]))
            reply(seen=seen, mismatch=frac, shift=[sx, sy], first=t_first, looking=looking)
    sct.close()
    return 0


if __name__ == "__main__":
    sys.exit(sampler_main())
