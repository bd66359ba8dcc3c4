"""Where the scroll's frames go: ``python -m bench.frame_path`` prints one JSON object.

Why: the agent's streamer alone sends about 58 updates/s on the glass-to-glass stimulus
(``bench.streamer_bench --only stimulus``), but glass_to_glass saw about 48 distinct frames/s on
the technician's screen. This bench runs glass_to_glass's scroll phase only (same rig, same
stimulus, same sampler, same console window in fit mode) and stamps each frame at every stage:

    stimulus  tick painted (its own stamps)
    agent     change reported (DAMAGE), grab, update sent, ack received      (this process)
    console   received (handed to the decoder), decoded, painted (apply_patches returned),
              acked (frame_shown)                                            (``--console``)
    sampler   the distinct barcode values it saw (what glass_to_glass counts)

Probes are wrappers put around product methods *in these bench processes only* (the agent runs
here as in glass_to_glass; the console runs as ``python -m bench.frame_path --console FILE
<console args>``, which wraps and then runs ``console.app.main``). All stamps are
``time.monotonic()`` (one clock for the machine).

Per stage: events per second; how many ticks the agent's grabs caught (a tick is caught by the
first grab after it and before the next tick); how long each painted frame stayed on the
technician's screen before the next one replaced it (the sampler counts a value only when two
of its grabs see it, so a frame shown for less than two sampler periods is lost to it); the
console's decode and paint times. ``--seconds`` (default 6). Needs what glass_to_glass needs.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.g2g.meters import CpuMeter, pct, rounded

STAMPS: list[tuple[str, float, int]] = []  # (event, time, seq or -1)
_LOCK = threading.Lock()
#: per sent frame: time, delivery rate, pacing rate, queue delay, min rtt, filled_pipe, bytes
RATES: list[tuple[float, float | None, float | None, float, float | None, bool, int]] = []
SENT_SEQS: list[int] = []  # the seq of each RATES entry


def stamp(event: str, seq: int = -1) -> None:
    t = time.monotonic()
    with _LOCK:
        STAMPS.append((event, t, seq))


# ---------------------------------------------------------------------- the console process


def console_main(out: str, argv: list[str]) -> int:
    """The real console with probes; stamps go to ``out`` (JSON lines, flushed per frame)."""
    import console.app as capp
    from console.frame_decoder import FrameDecoder
    from console.ui.remote_view import RemoteView
    from console.worker import ConsoleWorker

    sink = Path(out).open("w", buffering=1)  # noqa: SIM115  # open until the process ends

    lock = threading.Lock()

    def write(event: str, seq: int = -1) -> None:
        t = time.monotonic()
        with lock:
            sink.write(f'["{event}",{t!r},{seq}]\n')

    orig_put = FrameDecoder.put

    @functools.wraps(orig_put)
    def put(self: FrameDecoder, update: Any) -> None:
        write("c_recv", update.seq)
        orig_put(self, update)

    orig_new = ConsoleWorker._new_decoder

    def new_decoder(self: ConsoleWorker, failed: Any) -> FrameDecoder:
        decoder = orig_new(self, failed)
        emit = decoder._on_done

        def done(w: int, h: int, patches: list[Any], seq: int) -> None:
            write("c_decoded", seq)
            emit(w, h, patches, seq)

        decoder._on_done = done
        return decoder

    orig_apply = RemoteView.apply_patches

    def apply(self: RemoteView, width: int, height: int, patches: list[Any]) -> None:
        write("c_paint_start")
        orig_apply(self, width, height, patches)
        write("c_painted")

    orig_shown = ConsoleWorker.frame_shown

    def shown(self: ConsoleWorker, seq: int) -> None:
        write("c_shown", seq)
        orig_shown(self, seq)

    orig_paint = RemoteView.paintEvent

    def paint(self: RemoteView, event: Any) -> None:
        orig_paint(self, event)
        write("c_paint_event")

    FrameDecoder.put = put  # type: ignore[method-assign]
    ConsoleWorker._new_decoder = new_decoder  # type: ignore[method-assign]
    RemoteView.apply_patches = apply  # type: ignore[method-assign]
    RemoteView.paintEvent = paint  # type: ignore[method-assign]
    ConsoleWorker.frame_shown = shown  # type: ignore[method-assign]
    return capp.main(argv)


# ---------------------------------------------------------------------- the bench process


def install_agent_probes() -> None:
    from agent.pipeline import ScreenStreamer

    orig_changed = ScreenStreamer.screen_changed
    orig_step = ScreenStreamer._step
    orig_send = ScreenStreamer._send_backlog
    orig_ack = ScreenStreamer.ack

    def changed(self: ScreenStreamer) -> None:
        stamp("a_damage")
        orig_changed(self)

    def step(self: ScreenStreamer, src: Any, frame: Any, regions: Any = None) -> None:
        stamp("a_grab")
        orig_step(self, src, frame, regions)

    def send(self: ScreenStreamer) -> bool:
        before, nbytes = self.frames_sent, self.bytes_sent
        sent = orig_send(self)
        if self.frames_sent > before:
            seq = self._seq  # the frame just handed on (the worker alone numbers them)
            stamp("a_sent", seq)
            SENT_SEQS.append(seq)
            flow = self._flow
            RATES.append((time.monotonic(), flow.delivery_rate, flow.pacing_rate,
                          flow.queue_delay, flow.min_rtt, flow.filled_pipe,
                          self.bytes_sent - nbytes))
        return sent

    def ack(self: ScreenStreamer, seq: int) -> None:
        stamp("a_ack", seq)
        orig_ack(self, seq)

    from shared.flow import FlowControl

    orig_delay = FlowControl.send_delay

    def send_delay(self: FlowControl) -> float | None:
        d = orig_delay(self)
        if d is None:
            stamp("a_no_credit")
        elif d > 0:
            stamp("a_paced", int(d * 1e6))
        return d

    FlowControl.send_delay = send_delay  # type: ignore[method-assign]
    ScreenStreamer.screen_changed = changed  # type: ignore[method-assign]
    ScreenStreamer._step = step  # type: ignore[method-assign]
    ScreenStreamer._send_backlog = send  # type: ignore[method-assign]
    ScreenStreamer.ack = ack  # type: ignore[method-assign]


def set_refine_delay(seconds: float) -> None:
    """Every streamer made in this process refines after ``seconds`` (bench/frame_path A/B)."""
    from agent.pipeline import ScreenStreamer

    orig_init = ScreenStreamer.__init__

    @functools.wraps(orig_init)
    def init(self: ScreenStreamer, *a: Any, **kw: Any) -> None:
        kw["refine_delay"] = seconds
        orig_init(self, *a, **kw)

    ScreenStreamer.__init__ = init  # type: ignore[method-assign]


def analyse(events: list[tuple[str, float, int]], ticks: list[float], seen: list[list[float]],
            t0: float, t1: float, sampler_hz: float) -> dict[str, Any]:
    """Rates per stage over [t0, t1], ticks caught by grabs, display times of painted frames."""
    span = t1 - t0
    inside = [(e, t, s) for e, t, s in events if t0 <= t <= t1]
    by: dict[str, list[tuple[float, int]]] = {}
    for e, t, s in inside:
        by.setdefault(e, []).append((t, s))
    out: dict[str, Any] = {"seconds": rounded(span)}
    ticks_in = [t for t in ticks if t0 <= t <= t1]
    out["per_s"] = {"stimulus_tick": rounded(len(ticks_in) / span),
                    **{e: rounded(len(v) / span) for e, v in sorted(by.items())},
                    "sampler_seen": rounded(len([s for s in seen if t0 <= s[0] <= t1]) / span)}
    # ticks caught: a tick counts when some grab falls between it and the next tick
    grabs = [t for t, _ in by.get("a_grab", [])]
    caught = 0
    gi = 0
    for a, b in itertools.pairwise([*ticks_in, float("inf")]):
        while gi < len(grabs) and grabs[gi] < a:
            gi += 1
        if gi < len(grabs) and grabs[gi] < b:
            caught += 1
    out["ticks_caught_by_a_grab"] = rounded(caught / max(1, len(ticks_in)), 3)
    # stage latencies per seq
    first: dict[str, dict[int, float]] = {}
    for e, t, s in events:
        if s >= 0:
            first.setdefault(e, {}).setdefault(s, t)
    def lat(a: str, b: str) -> dict[str, Any]:
        xs = [first[b][s] - t for s, t in first.get(a, {}).items() if s in first.get(b, {})
              and t0 <= t <= t1]
        return {"p50_ms": rounded(1000 * (pct(xs, 0.5) or 0)),
                "p95_ms": rounded(1000 * (pct(xs, 0.95) or 0)), "n": len(xs)}
    out["ms"] = {"sent_to_recv": lat("a_sent", "c_recv"),
                 "recv_to_decoded": lat("c_recv", "c_decoded"),
                 "decoded_to_shown": lat("c_decoded", "c_shown"),
                 "shown_to_ack": lat("c_shown", "a_ack"),
                 "sent_to_ack": lat("a_sent", "a_ack")}
    ends = [t for t, _ in by.get("c_painted", [])]
    paint, began = [], None  # each apply_patches: its start to the end that follows it
    for e, t, _s in inside:
        if e == "c_paint_start":
            began = t
        elif e == "c_painted" and began is not None:
            paint.append(t - began)
            began = None
    out["ms"]["apply_patches"] = {"p50_ms": rounded(1000 * (pct(paint, 0.5) or 0)),
                                  "p95_ms": rounded(1000 * (pct(paint, 0.95) or 0))}
    # how long each painted frame stayed before the next replaced it
    shown = [b - a for a, b in itertools.pairwise(ends)]
    period = 1.0 / sampler_hz if sampler_hz else 0.005
    out["painted_frames_shown_ms"] = {
        "p10": rounded(1000 * (pct(shown, 0.1) or 0)),
        "p50": rounded(1000 * (pct(shown, 0.5) or 0)),
        "under_2_sampler_periods": sum(1 for d in shown if d < 2 * period),
        "under_8ms": sum(1 for d in shown if d < 0.008),
        "n": len(shown),
    }
    # the agent's grab gaps
    gaps = [b - a for a, b in itertools.pairwise(grabs)]
    out["grab_gap_ms"] = {"p10": rounded(1000 * (pct(gaps, 0.1) or 0)),
                          "p50": rounded(1000 * (pct(gaps, 0.5) or 0)),
                          "p90": rounded(1000 * (pct(gaps, 0.9) or 0))}
    sent = [t for t, _ in by.get("a_sent", [])]
    # the longest gaps between two sends, and what happened meanwhile (where a stall sits)
    worst = sorted(itertools.pairwise(sent), key=lambda ab: ab[0] - ab[1])[:3]
    out["longest_send_gaps"] = [
        {"ms": rounded(1000 * (b - a)),
         "meanwhile": {e: n for e in sorted(by) if (n := sum(1 for t, _ in by[e] if a < t < b))}}
        for a, b in worst]
    acks = [t for t, _ in by.get("a_ack", [])]
    # credit: how often a grab waited for an ack (the sends right after an ack)
    after_ack = sum(1 for t in sent if any(0 <= t - a < 0.002 for a in acks))
    out["sends_within_2ms_of_an_ack"] = after_ack
    return out


#: The stages a convergence timeline shows (the rest are the scroll's detail).
TIMELINE_EVENTS = frozenset({"a_damage", "a_grab", "a_sent", "a_ack", "c_recv", "c_decoded",
                             "c_painted", "c_shown", "c_paint_event"})


def timeline(events: list[tuple[str, float, int]], stop: float,
             seen: float | None) -> dict[str, Any]:
    """One convergence trial: from the scroll's stop (0) to the first exact grab, each stage's
    stamps in ms, consecutive repeats of a stage folded (``a_grab x3``); sent frames with bytes."""
    end = (seen if seen is not None else stop + 3.0) + 0.05
    sizes = {seq: nbytes for (t, *_r, nbytes), seq in zip(RATES, SENT_SEQS, strict=False)}
    rows: list[str] = []
    last = ""
    count = 0
    for e, t, s in events:
        if e not in TIMELINE_EVENTS or not stop - 0.05 <= t <= end:
            continue
        label = f"{e} #{s}" if s >= 0 else e
        if e == "a_sent" and s in sizes:
            label += f" {sizes[s]} B"
        if label == last and s < 0:
            count += 1
            rows[-1] = f"{1000 * (t - stop):7.1f} {label} x{count}"
            continue
        last, count = label, 1
        rows.append(f"{1000 * (t - stop):7.1f} {label}")
    return {"seen_ms": rounded(1000 * (seen - stop)) if seen is not None else None,
            "events": rows}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--console"]:
        return console_main(argv[1], argv[2:])
    parser = argparse.ArgumentParser(prog="python -m bench.frame_path",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--warm", action="store_true",
                        help="run glass_to_glass's screen-latency and click phases first")
    parser.add_argument("--convergence", type=int, metavar="TRIALS", default=0,
                        help="instead of the scroll: glass_to_glass's convergence trials, each "
                        "as a timeline from the scroll's stop to the exact picture")
    parser.add_argument("--refine-delay", type=float, metavar="SECONDS",
                        help="the agent's refinement delay (an A/B of one checkout; default: "
                        "the product's)")
    args = parser.parse_args(argv)
    args.quick = True
    install_agent_probes()
    if args.refine_delay is not None:
        set_refine_delay(args.refine_delay)
    import bench.g2g.fernhilfe as gf
    from bench.g2g.workload import Bench

    console_stamps = Path(os.environ.get("TMPDIR", "/tmp")) / f"frame_path-{os.getpid()}.jsonl"
    orig_popen = gf.subprocess.Popen

    def popen(cmd: list[str], *a: Any, **kw: Any) -> Any:
        if cmd[1:3] == ["-m", "console"]:
            cmd = [cmd[0], "-m", "bench.frame_path", "--console", str(console_stamps), *cmd[3:]]
        return orig_popen(cmd, *a, **kw)

    gf.subprocess.Popen = popen  # type: ignore[misc,assignment]

    def console_events() -> list[tuple[str, float, int]]:
        events = []
        for line in console_stamps.read_text().splitlines():
            try:
                e, t, s = json.loads(line)
            except ValueError:
                continue
            events.append((e, t, s))
        return events
    result: dict[str, Any] = {}

    class ScrollOnly(Bench):
        def run_workload(self, pids: dict[str, int], bytes_meter: Any,
                         link: Any = None) -> dict[str, Any]:
            if args.convergence:
                return {}
            dx, dy, _dw, dh = self.geo["doc"]
            box = self.tech_box(dx + 4, dy + 20, 130, dh - 40)
            bx, by, bw, bh = self.geo["barcode"]
            barbox = self.tech_box(bx, by, bw, bh)
            bits = [self.to_tech(bx + (i + 0.5) * bw / 16, by + bh / 2) for i in range(16)]
            if args.warm:
                self.screen_latency(6, 4)
                self.click_to_photon(6)
            self.stim("scroll on", "scroll")
            self.qwait(1.0)
            cpu = CpuMeter(pids)
            t0 = time.monotonic()
            r = self.ask({"op": "count", "box": box, "barbox": barbox, "bits": bits,
                          "duration": args.seconds, "period": 0.004},
                         timeout=args.seconds + 15, poll=0.1)
            t1 = time.monotonic()
            cpu_pct = cpu.pct()
            stop = self.stim("scroll off", "scroll")
            self.qwait(0.5)
            with _LOCK:
                events = list(STAMPS)
            events += console_events()
            events.sort(key=lambda x: x[1])
            sampler_hz = r["samples"] / args.seconds
            result.update(analyse(events, stop["tick_times"], r["values"], t0, t1, sampler_hz))
            result["sampler_hz"] = rounded(sampler_hz)
            result["sampler_fps"] = rounded(len(r["values"]) / args.seconds)
            result["raw_changes_per_s"] = rounded(r["changes"] / args.seconds)
            result["cpu_pct"] = cpu_pct
            paced = [s / 1e3 for e, t, s in events if e == "a_paced" and t0 <= t <= t1]
            result["agent_paced_waits"] = {"n": len(paced), "p50_ms": rounded(pct(paced, 0.5)),
                                           "max_ms": rounded(max(paced) if paced else None)}
            result["agent_no_credit_calls"] = sum(
                1 for e, t, _s in events if e == "a_no_credit" and t0 <= t <= t1)
            rates = [r for r in RATES if t0 <= r[0] <= t1]
            if rates:
                def col(i: int) -> list[float]:
                    return [float(v) for r in rates if isinstance(v := r[i], (int, float))]
                result["flow_at_send"] = {
                    "delivery_rate_p50": rounded(pct(col(1), 0.5)),
                    "pacing_rate_p10": rounded(pct(col(2), 0.1)),
                    "pacing_rate_p50": rounded(pct(col(2), 0.5)),
                    "queue_delay_ms_p50": rounded(1000 * (pct(col(3), 0.5) or 0)),
                    "min_rtt_ms_p50": rounded(1000 * (pct(col(4), 0.5) or 0)),
                    "filled_pipe": sum(1 for r in rates if r[5]) / len(rates),
                    "frame_bytes_p50": rounded(pct(col(6), 0.5)),
                    "frame_bytes_p90": rounded(pct(col(6), 0.9)),
                }
            return {}

        def convergence_at_1to1(self, trials: int) -> dict[str, Any]:
            if not args.convergence:
                return {}
            out = super().convergence_at_1to1(args.convergence)
            with _LOCK:
                events = list(STAMPS)
            events += console_events()
            events.sort(key=lambda x: x[1])
            result["convergence"] = out
            result["timelines"] = [timeline(events, stop, seen)
                                   for stop, seen in self.convergence_trials]
            return out

    bench = ScrollOnly(args)
    try:
        bench.start()
        gf.run_fernhilfe(bench, None, own_process=False)  # its probes wrap this process
    finally:
        bench.close()
        console_stamps.unlink(missing_ok=True)
    result["load_avg_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
