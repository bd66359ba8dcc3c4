"""The glass-to-glass workload: the same measurements against any viewer of the customer's
screen (Fernhilfe's console, a VNC viewer).

Screen latency (marker change -> visible; while the screen is active and after >=1.2 s of rest),
click-to-photon (XTest click on the marker in the viewer -> the stimulus reacts -> visible),
frames per second seen and bytes per second while the document (text and photographs) scrolls at
60 Hz, the technician's typing echo while it scrolls (key in the viewer -> glyph visible), a
full-screen video (a panning photograph at 30 fps), bytes/s and CPU at rest and while typing, and
the time until a resting screen is pixel-exact on the technician's. Over an emulated link
(:class:`bench.support.link.LinkProxy`) each phase also reports what the link carried.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import subprocess
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bench.g2g.meters import ByteMeter, CpuMeter, ms_stats, pct, rounded
from bench.g2g.procs import stop_proc
from bench.g2g.rig import H, Rig, W
from bench.support.link import LinkProxy

#: Letters the technician types in the typing-echo phase (one XTest key each).
ECHO_TEXT = "hallodruckerneustartenbitte"
#: Keys of the typing-echo phase (a p95 of 12 keys is nearly their maximum), and with --quick.
ECHO_KEYS, ECHO_KEYS_QUICK = 48, 40
#: Pause after a key's glyph showed before the next key (seconds, uniform).
ECHO_GAP = (0.08, 0.3)
#: The phases of :meth:`Bench.run_workload` in order, then the pixel-exact check at 1:1
#: (``glass_to_glass --phases``: e.g. ``convergence`` alone, about 40 s).
PHASES = ("screen_latency", "click_to_photon", "scroll", "typing_echo", "video", "idle",
          "typing", "convergence")


class Bench(Rig):
    """The rig plus the measurements; ``bench/session_figures.py`` builds on it too."""

    #: The emulated line of the system under test, while :meth:`run_workload` runs on one.
    link: LinkProxy | None = None
    #: Fernhilfe's agent while it runs (bench.g2g.agent_proc: AgentProcess or InProcessAgent)
    agent: Any = None
    #: The last :meth:`convergence`'s trials: (scroll stopped, first exact grab or None), as
    #: ``time.monotonic()`` stamps (bench/frame_path.py lays its probes' stamps along them).
    convergence_trials: tuple[tuple[float, float | None], ...] = ()

    def link_window(self) -> None:
        """Start the link's statistics window where a phase starts its CPU and byte meters,
        so that what a previous phase left queued and warm-up times do not count."""
        if self.link is not None:
            self.link.stats()

    def link_result(self) -> dict[str, Any] | None:
        """What the line carried since :meth:`link_window` (None off an emulated line): taken
        where a phase's measuring ends, so that stopping its stimulus and what the line then
        carries, or not, do not count."""
        if self.link is None:
            return None
        stats = self.link.stats()
        out = link_summary(stats)
        held = getattr(self.agent, "held", None)  # Fernhilfe's agent (VNC's server has none)
        if held is not None:
            # the line's idle time split into the rate control's (it held the agent back) and
            # the machine's (grabbing, encoding, a screen with nothing new): which one to cut
            from bench.link_rate import controlled_use

            with contextlib.suppress(RuntimeError, OSError):
                out.update(controlled_use(stats["up"], held()))
        return out

    def screen_latency(self, n_active: int, n_rest: int) -> dict[str, Any]:
        mx, my, mw, mh = self.geo["marker"]
        box = self.tech_box(mx + 0.1 * mw, my + 0.1 * mh, 0.4 * mw, 0.4 * mh)
        plan = [("active", self.rnd.uniform(0.2, 0.5)) for _ in range(n_active)]
        plan += [("rest", self.rnd.uniform(1.2, 1.6)) for _ in range(n_rest)]
        self.rnd.shuffle(plan)
        res: dict[str, list[float]] = {"active": [], "rest": []}
        misses = 0
        for kind, gap in plan:
            self.qwait(gap)
            nxt = (self.colour_index + 1) % len(self.geo["palette"])
            self.sampler.send(
                json.dumps(
                    {"op": "watch", "box": box, "timeout": 3.0, "rgb": self.geo["palette"][nxt]}
                )
            )
            self.get(self.sampler, lambda m: "ready" in m, 10)
            ev = self.set_colour(nxt)
            seen = self.get(self.sampler, lambda m: "seen" in m, 10)["seen"]
            if seen is None:
                misses += 1
                continue
            res[kind].append(seen - ev["t"])
        out = ms_stats(res["active"] + res["rest"])
        out["misses"] = misses
        out["active"] = ms_stats(res["active"])
        out["after_rest"] = ms_stats(res["rest"])
        return out

    def click_to_photon(self, n: int) -> dict[str, Any]:
        mx, my, mw, mh = self.geo["marker"]
        box = self.tech_box(mx + 0.1 * mw, my + 0.1 * mh, 0.4 * mw, 0.4 * mh)
        cx, cy = self.to_tech(mx + 0.8 * mw, my + 0.8 * mh)
        self.ask({"op": "move", "x": cx - 20, "y": cy - 20})
        self.qwait(0.3)
        self.ask({"op": "move", "x": cx, "y": cy})
        self.qwait(0.5)
        totals, inputs, screens = [], [], []
        misses = 0
        for _ in range(n):
            self.qwait(self.rnd.uniform(0.3, 0.7))
            while not self.stimulus.q.empty():
                self.stimulus.q.get_nowait()
            nxt = (self.colour_index + 1) % len(self.geo["palette"])
            r = self.ask(
                {
                    "op": "click",
                    "x": cx,
                    "y": cy,
                    "box": box,
                    "timeout": 3.0,
                    "rgb": self.geo["palette"][nxt],
                },
                timeout=10,
            )
            try:
                press = self.get(self.stimulus, lambda m: m.get("event") == "press", 1.0)
                col = self.get(self.stimulus, lambda m: m.get("event") == "colour", 1.0)
            except RuntimeError:
                misses += 1
                continue
            self.colour_index = col["index"]
            if r["seen"] is None:
                misses += 1
                continue
            totals.append(r["seen"] - r["t0"])
            inputs.append(press["t"] - r["t0"])
            screens.append(r["seen"] - col["t"])
        out = ms_stats(totals)
        out["misses"] = misses
        out["input_path"] = ms_stats(inputs)
        out["screen_path"] = ms_stats(screens)
        return out

    def scroll(
        self,
        seconds: float,
        pids: dict[str, int],
        bytes_meter: Callable[[], ByteMeter],
        mode: str = "scroll",
    ) -> dict[str, Any]:
        """``mode``: the stimulus command that starts/stops the 60 Hz ticks: ``scroll`` (the
        document) or ``flood`` (the whole screen, bench/session_figures.py); same counting."""
        dx, dy, _dw, dh = self.geo["doc"]
        box = self.tech_box(dx + 4, dy + 20, 130, dh - 40)
        bx, by, bw, bh = self.geo["barcode"]
        barbox = self.tech_box(bx, by, bw, bh)
        bits = [self.to_tech(bx + (i + 0.5) * bw / 16, by + bh / 2) for i in range(16)]
        self.stim(f"{mode} on", mode)
        self.qwait(1.0)  # warm up: reach steady state
        self.link_window()
        cpu, net = CpuMeter(pids), bytes_meter()
        r = self.ask(
            {
                "op": "count",
                "box": box,
                "barbox": barbox,
                "bits": bits,
                "duration": seconds,
                "period": 0.004,
            },
            timeout=seconds + 15,
            poll=0.1,
        )
        cpu_pct, rates, link = cpu.pct(), net.rates(), self.link_result()
        stop = self.stim(f"{mode} off", mode)
        ticks: list[float] = stop["tick_times"]
        seen: list[list[float]] = [v for v in r["values"]]
        # each value seen: the latest tick with that number (mod 256) painted before it showed
        lat = []
        for t, val in seen:
            cands = [tt for i, tt in enumerate(ticks) if (i + 1) & 0xFF == val and tt <= t]
            if cands:
                lat.append(t - max(cands))
        times = [t for t, _ in seen]
        gaps = [b - a for a, b in itertools.pairwise(times)]
        gap_p95 = pct(gaps, 0.95)  # None when there are no gaps
        out = {
            "fps": rounded(len(seen) / seconds),
            "raw_changes_per_s": rounded(r["changes"] / seconds),
            "unreadable_samples": r["unreadable"],
            "frame_latency": ms_stats(lat),
            "frame_gap_p95_ms": rounded(gap_p95 * 1000 if gap_p95 is not None else None),
            "frame_gap_max_ms": rounded(max(gaps) * 1000 if gaps else None),
            "stimulus_hz": rounded(stop.get("hz")),
            "sampler_hz": rounded(r["samples"] / seconds),
            **rates,
            "cpu_pct": cpu_pct,
        }
        if link is not None:
            out["link"] = link
        return out

    def typing_echo(
        self, keys: int, pids: dict[str, int], bytes_meter: Callable[[], ByteMeter]
    ) -> dict[str, Any]:
        """While the document scrolls at 60 Hz, the technician types into the customer's text
        field through the viewer (XTest on the technician's screen): key -> the glyph visible
        there (p50/p95), split at the key's arrival in the stimulus (``input_path``).

        The next key comes 80-300 ms (random) after the previous one showed: a fixed pause
        would put each key at the same phase of the scroll's updates, so its p95 would sample
        one phase only (issue 16, dsl20: with 12 keys the p95 was nearly their maximum)."""
        tx, ty, tw, th = self.geo["typing"]
        self.stim("clear", "cleared")
        # focus the viewer and the customer's text field: a click on the field through it
        cx, cy = self.to_tech(tx + tw - 40, ty + th - 30)
        self.ask({"op": "click", "x": cx, "y": cy, "box": [cx, cy, 2, 2], "rgb": [1, 2, 3],
                  "timeout": 0.3})
        self.qwait(0.5)
        self.stim("scroll on", "scroll")
        self.qwait(1.0)
        self.link_window()
        cpu, net = CpuMeter(pids), bytes_meter()
        text = (ECHO_TEXT * 4)[:keys]
        box = self.tech_box(tx + 2, ty + 2, tw - 4, th - 4)
        gaps = [round(self.rnd.uniform(*ECHO_GAP), 3) for _ in text]
        r = self.ask({"op": "type", "chars": list(text), "box": box, "timeout": 2.0,
                      "gaps": gaps}, timeout=keys * 2.5 + sum(gaps) + 15, poll=0.05)
        cpu_pct, rates, link = cpu.pct(), net.rates(), self.link_result()
        self.qwait(0.2)
        arrivals = []
        while not self.stimulus.q.empty():
            msg = self.stimulus.q.get_nowait()
            if msg.get("event") == "key":
                arrivals.append(msg["t"])
        self.stim("scroll off", "scroll")
        echoes = [seen - t0 for t0, seen in r["keys"] if seen is not None]
        # the i-th arrival belongs to the i-th key when every key arrived
        inputs = ([a - k[0] for a, k in zip(arrivals, r["keys"], strict=True)]
                  if len(arrivals) == len(r["keys"]) else [])
        out = ms_stats(echoes)
        out.update({"keys": len(text), "misses": len(text) - len(echoes),
                    "arrived": len(arrivals), "input_path": ms_stats(inputs),
                    # per key, in typing order (None: its glyph was never seen): the tail's
                    # keys can then be matched to what the agent sent at the time
                    "each_ms": [None if seen is None else round((seen - t0) * 1000, 1)
                                for t0, seen in r["keys"]],
                    "input_each_ms": [round(v * 1000, 1) for v in inputs], **rates,
                    "cpu_pct": cpu_pct})
        if link is not None:
            out["link"] = link
        return out

    def idle(
        self, seconds: float, pids: dict[str, int], bytes_meter: Callable[[], ByteMeter]
    ) -> dict[str, Any]:
        self.qwait(2.5)  # let adaptive capture rates drop to idle
        self.link_window()
        cpu, net = CpuMeter(pids), bytes_meter()
        self.qwait(seconds)
        return {**net.rates(), "cpu_pct": cpu.pct()}

    def typing(
        self, seconds: float, pids: dict[str, int], bytes_meter: Callable[[], ByteMeter]
    ) -> dict[str, Any]:
        tx, ty, tw, th = self.geo["typing"]
        self.xdo(self.customer, "mousemove", str(tx + tw // 2), str(ty + th // 2), "click", "1")
        self.stim("clear", "cleared")
        self.qwait(0.5)
        text = "Hallo, hier ist der Techniker. Bitte den Drucker neu starten. " * 4
        n = int(seconds / 0.07)
        self.link_window()
        cpu, net = CpuMeter(pids), bytes_meter()
        proc = subprocess.Popen(
            ["xdotool", "type", "--delay", "70", text[:n]], env=self.customer.env()
        )
        deadline = time.monotonic() + seconds + 10
        while proc.poll() is None and time.monotonic() < deadline:
            self.qwait(0.1)
        stop_proc(proc)
        return {"chars": n, **net.rates(), "cpu_pct": cpu.pct()}

    def convergence(
        self, offset: tuple[int, int], trials: int, visible: list[int]
    ) -> dict[str, Any]:
        """Scroll briefly, stop; time from the stop until the technician's screen equals the
        customer's screen (exactly, on the overlap ``visible`` in customer pixels)."""
        import mss

        # park the customer's pointer in a corner and mask it (ours draws it into the view)
        px, py = W - 60, H - 60
        self.xdo(self.customer, "mousemove", str(px), str(py))
        mask = [[px - 12, py - 12, 60, 60]]
        results, mismatch, first_look = [], [], []
        shifts: list[Any] = []
        trial_times: list[tuple[float, float | None]] = []
        ref_path = self.tmp / "ref.npy"
        for _ in range(trials):
            self.stim("scroll on", "scroll")
            self.qwait(0.8)
            stop = self.stim("scroll off", "scroll")
            with mss.MSS(display=self.customer.name) as sct:
                shot = sct.grab(sct.monitors[0])
                ref = np.frombuffer(shot.raw, np.uint8).reshape(shot.height, shot.width, 4)
            np.save(ref_path, ref)
            r = self.ask(
                {
                    "op": "converge",
                    "ref": str(ref_path),
                    "offset": list(offset),
                    "box": visible,
                    "mask": mask,
                    "timeout": 3.0,
                },
                timeout=15,
            )
            shifts.append(r.get("shift"))
            first_look.append(r["first"] - stop["t"])
            trial_times.append((stop["t"], r["seen"]))
            self.convergence_trials = tuple(trial_times)
            if r["seen"] is None:
                mismatch.append(r["mismatch"])
            else:
                results.append(r["seen"] - stop["t"])
            self.qwait(0.3)
        out: dict[str, Any] = {
            "p50_s": rounded(pct(results, 0.5), 3),
            "max_s": rounded(max(results), 3) if results else None,
            "converged": len(results),
            "trials": trials,
            # the sampler's correction of the located offset, per trial ([dx, dy], +-2 px)
            "offset_shift": shifts,
            # the stop until the sampler's first grab: the floor of what it can measure
            "first_look_p50_s": rounded(pct(first_look, 0.5), 3),
        }
        if mismatch:
            out["unconverged_mismatch_fraction_after_3s"] = [round(x, 5) for x in mismatch]
        return out

    def run_workload(
        self, pids: dict[str, int], bytes_meter: Callable[[], ByteMeter],
        link: LinkProxy | None = None,
    ) -> dict[str, Any]:
        """Every phase in turn; over an emulated link each phase's result gets ``link``: what
        the customer's uplink and downlink carried meanwhile (bits/s, share of the line, the
        modem queue's delay)."""
        q = self.args.quick
        res: dict[str, Any] = {"scale": round(self.scale, 4), "tech_marker": self.tech_marker}
        phases: list[tuple[str, Callable[[], dict[str, Any]]]] = [
            ("screen_latency", lambda: self.screen_latency(6 if q else 14, 4 if q else 10)),
            ("click_to_photon", lambda: self.click_to_photon(6 if q else 16)),
            ("scroll", lambda: self.scroll(4.0 if q else 10.0, pids, bytes_meter)),
            ("typing_echo", lambda: self.typing_echo(ECHO_KEYS_QUICK if q else ECHO_KEYS,
                                                     pids, bytes_meter)),
            ("video", lambda: self.scroll(4.0 if q else 8.0, pids, bytes_meter, mode="video")),
            ("idle", lambda: self.idle(4.0 if q else 10.0, pids, bytes_meter)),
            ("typing", lambda: self.typing(3.0 if q else 5.0, pids, bytes_meter)),
        ]
        self.link = link
        wanted = getattr(self.args, "phases", None)
        if wanted is not None:
            phases = [(name, phase) for name, phase in phases if name in wanted]
        try:
            for name, phase in phases:
                self.link_window()  # phases with meters start it again with them
                res[name] = phase()
                if link is not None and "link" not in res[name]:
                    res[name]["link"] = link_summary(link.stats())
        finally:
            self.link = None
        return res

    def convergence_at_1to1(self, trials: int) -> dict[str, Any]:
        if abs(self.scale - 1.0) > 0.01:
            return {"error": f"view not at 1:1 (scale {self.scale:.3f})"}
        ox, oy = round(self.origin[0]), round(self.origin[1])
        x0, y0 = max(0, -ox), max(0, -oy)
        x1, y1 = min(W, W - ox), min(H, H - oy)
        out = self.convergence((ox, oy), trials, [x0, y0, x1 - x0, y1 - y0])
        out["compared_px"] = [x1 - x0, y1 - y0]
        return out


def link_summary(stats: dict[str, Any]) -> dict[str, Any]:
    """The parts of :meth:`LinkProxy.stats` a phase reports."""
    up, down = stats["up"], stats["down"]
    return {
        "up_bits_per_s": up["bits_per_s"],
        "up_utilisation": up["utilisation"],
        "up_queue_ms": up["queue_ms"],
        "up_stalls": up["stalls"],
        "down_bits_per_s": down["bits_per_s"],
        "down_utilisation": down["utilisation"],
    }
