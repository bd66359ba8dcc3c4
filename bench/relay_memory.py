"""Relay memory per idle paired session: ``python -m bench.relay_memory`` prints one JSON line.

``[--levels 1000,5000,10000] [--workers 3] [--profile 2000] [--variant "--read-size 4096" ...]``

1. **Levels**: ``python -m relay`` (its own process, limits opened up as in bench.relay_load)
   holds ``--levels`` idle paired sessions in turn, opened by ``--workers`` client processes
   (so the client side is not the limit; each binds its own 127.0.x.1 source address, so the
   ephemeral ports of one address do not run out). At each level, once the relay's RSS (from
   /proc) has settled: RSS and the sessions/s the pairing ran at. The figure: the slope
   (least squares over the levels) in KiB per idle paired session, and RSS at the top level
   (target: <= 1 GiB at 10 000 sessions).
2. **Profile** (``--profile N``, 0 skips): the same relay code (``RelayServer``, same flags) in a
   separate Python under ``tracemalloc``, snapshot before and after N sessions; the allocation
   sites that grew, per session, grouped into websockets / asyncio / relay / other. RSS with
   tracemalloc on is not the figure (tracemalloc costs memory itself); the split is.
3. **Variants** (``--variant FLAGS``, repeatable): the same at ``--variant-sessions`` with extra
   relay flags (e.g. ``--read-size 4096 --write-limit 16384``): which settings move the slope.

A human table goes to stderr. The machine may be loaded by other work: ``meta`` records the load
average before and after; compare two or three runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import multiprocessing
import os
import resource
import signal
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.relay_load import RelayProcess, close_all, open_pair
from bench.support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[1]
#: Pairs opened at once by one client worker (as bench.relay_load does).
BATCH = 50
#: A route is (agent URL, console URL): where the two ends of one pair connect.
Route = tuple[str, str]


def raise_fd_limit_hard(wanted: int) -> int:
    """Raise RLIMIT_NOFILE (soft, and hard if we may: root) towards ``wanted``; children inherit
    it. 10 000 sessions are 20 000 sockets in the relay alone."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, wanted))
            return wanted
        except (ValueError, OSError):
            pass
    target = min(max(soft, wanted), hard)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


# ------------------------------------------------------------------ client worker processes


async def _worker_loop(pipe: Connection, source: str) -> None:
    """Hold paired sessions for the parent; answer its commands one at a time. The loop keeps
    running while it waits (the relay's keepalive pings are answered)."""
    pairs: list[tuple[Any, Any]] = []
    options: dict[str, Any] = {"local_addr": (source, 0)} if source else {}
    refused: Counter[str] = Counter()
    while True:
        command, arg = await asyncio.to_thread(pipe.recv)
        try:
            if command == "grow":  # arg: (count, routes, offset, pairs opened at once)
                count, routes, offset, batch_size = arg
                t0 = time.perf_counter()
                while len(pairs) < count:
                    first = len(pairs) + offset
                    batch = [routes[(first + i) % len(routes)]
                             for i in range(min(batch_size, count - len(pairs)))]
                    pairs += await asyncio.gather(*(_pair(a, c, options, refused)
                                                    for a, c in batch))
                pipe.send(("ok", (time.perf_counter() - t0, dict(refused))))
                refused.clear()
            elif command == "stream":  # arg: (seconds, message size, pairs): at once
                seconds, size, count = arg
                pipe.send(("ok", await _stream_all(pairs[:count], seconds, size)))
            elif command == "close":
                await close_all([c for pair in pairs for c in pair])
                pairs.clear()
                pipe.send(("ok", 0))
            else:
                pipe.send(("ok", 0))
                return
        except Exception as exc:  # reported to the parent, which fails with it
            pipe.send(("error", f"{type(exc).__name__}: {exc}"))


#: Tries per pair: a relay node that cannot reach its shared state in time answers
#: ``shutting_down`` ("connect again in a moment"), and clients do connect again.
TRIES = 5


async def _pair(agent_url: str, console_url: str, options: dict[str, Any],
                refused: Counter[str]) -> tuple[Any, Any]:
    """One pair, tried again (as a client would) when the relay refuses; ``refused`` counts
    why, so a run reports what it took."""
    for attempt in range(TRIES):
        try:
            return await open_pair(agent_url, console_url, **options)
        except (AssertionError, ConnectionClosed, InvalidStatus, OSError) as exc:
            if attempt == TRIES - 1:
                raise
            refused[f"{type(exc).__name__}: {exc}"[:120]] += 1
            await asyncio.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


async def _stream_all(pairs: list[tuple[Any, Any]], seconds: float, size: int) -> int:
    """Every pair sends ``size``-byte messages agent → console for ``seconds``; bytes received."""
    from bench.relay_load import stream

    payload = os.urandom(size)
    totals = await asyncio.gather(*(stream(a, c, payload, seconds) for a, c in pairs))
    return sum(totals)


def _worker_main(pipe: Connection, source: str) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    gc.disable()  # thousands of long-lived objects: no collection pauses mid-measurement
    asyncio.run(_worker_loop(pipe, source))


class ClientPool:
    """Paired sessions held by ``workers`` client processes (spawned: nothing inherited but the
    fd limit). Pair i of the pool connects along ``routes[i % len(routes)]``; each worker opens
    ``batch`` pairs at once."""

    def __init__(self, workers: int, sources: Sequence[str] = (), batch: int = BATCH) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.batch = batch
        self.held = 0
        #: Why pair attempts were refused and tried again, since the pool started.
        self.refused: Counter[str] = Counter()
        self._pipes: list[Connection] = []
        self._procs: list[Any] = []
        for i in range(workers):
            mine, theirs = ctx.Pipe()
            source = sources[i % len(sources)] if sources else ""
            proc = ctx.Process(target=_worker_main, args=(theirs, source), daemon=True)
            proc.start()
            self._pipes.append(mine)
            self._procs.append(proc)

    def _all(self, commands: list[tuple[str, Any]], timeout: float = 900.0) -> list[Any]:
        for pipe, command in zip(self._pipes, commands, strict=True):
            pipe.send(command)
        answers = []
        for pipe in self._pipes:
            if not pipe.poll(timeout):
                raise TimeoutError(f"a client worker did not answer {commands[0][0]!r}")
            status, value = pipe.recv()
            if status != "ok":
                raise RuntimeError(f"client worker failed: {value}")
            answers.append(value)
        return answers

    def grow(self, total: int, routes: Sequence[Route]) -> float:
        """Open pairs until the pool holds ``total``; returns the wall-clock seconds it took.
        Refusals that were tried again are added up in :attr:`refused`."""
        n = len(self._pipes)
        share = [total // n + (1 if i < total % n else 0) for i in range(n)]
        t0 = time.perf_counter()
        # Each worker's own count of pairs decides its next route index; offsets keep the
        # workers' pairs spread over the routes.
        answers = self._all([("grow", (share[i], list(routes), i, self.batch))
                             for i in range(n)])
        for _, refused in answers:
            self.refused.update(refused)
        self.held = total
        return time.perf_counter() - t0

    def stream(self, seconds: float, size: int, pairs: int) -> int:
        """``pairs`` of the held pairs (spread over the workers) stream for ``seconds``; the
        bytes all their consoles received. Not every pair of thousands: a saturated relay
        drains each one so slowly that its keepalive pongs, queued behind megabytes in the
        socket buffers, come later than ``ping_timeout`` and the relay closes the link."""
        n = len(self._pipes)
        return sum(self._all([("stream", (seconds, size, pairs // n + (i < pairs % n)))
                              for i in range(n)]))

    @property
    def pids(self) -> list[int]:
        """The worker processes (their CPU is the client side's cost)."""
        return [proc.pid for proc in self._procs]

    def close_pairs(self) -> None:
        self._all([("close", None)] * len(self._pipes))
        self.held = 0

    def stop(self) -> None:
        """Close every pair and end the workers, whatever state they are in."""
        for pipe in self._pipes:
            with contextlib.suppress(OSError):
                pipe.send(("exit", None))
        for proc in self._procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()
                proc.join()

    def __enter__(self) -> ClientPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def client_sources(workers: int) -> list[str]:
    """One loopback source address per worker: 127.0.2.1, 127.0.3.1, ..."""
    return [f"127.0.{i + 2}.1" for i in range(workers)]


# ------------------------------------------------------------------ measuring

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/PID/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    parts = stat[stat.rindex(")") + 2:].split()
    return (int(parts[11]) + int(parts[12])) / TICK


def rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident set size of a process in MB (/proc/PID/status)."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


class ClusterNode:
    """The one node of a one-node cluster (Redis state, bench/support/cluster.py, no HAProxy),
    with RelayProcess's measuring interface: what a node costs in cluster mode."""

    def __init__(self, tmp: Path) -> None:
        from bench.relay_load import OPEN_LIMITS
        from bench.support.cluster import Cluster

        self.cluster = Cluster(tmp, nodes=1, haproxy=False, relay_flags=OPEN_LIMITS)
        self.cluster.__enter__()
        node = self.cluster.nodes[0]
        assert node.pid is not None
        self.url, self.pid = node.url, node.pid

    def rss_mb(self) -> tuple[float, float]:
        return rss_mb(self.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def stop(self) -> int:
        self.cluster.close()
        return 0


def settled_rss(relay: RelayProcess | ClusterNode, quiet: float = 2.0,
                timeout: float = 30.0) -> float:
    """The relay's RSS (MB) once it has changed by less than 1 MB for ``quiet`` seconds."""
    last = [relay.rss_mb()[0], time.monotonic()]

    def steady() -> float | None:
        rss = relay.rss_mb()[0]
        if abs(rss - last[0]) >= 1.0:
            last[:] = [rss, time.monotonic()]
        return rss if time.monotonic() - last[1] >= quiet else None

    try:
        return wait_for(steady, timeout, "the relay's memory to settle", step=0.25)
    except TimeoutError:
        return relay.rss_mb()[0]


def slope(points: Sequence[tuple[int, float]]) -> float:
    """Least-squares slope (MB per session) of (sessions, RSS MB) points."""
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


def session_cap() -> int:
    """Most paired sessions one relay can hold under this process's fd limit: two sockets per
    session plus a few dozen fds of its own (listener, epoll, pipes, log)."""
    return (resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 100) // 2


def measure_levels(
    levels: Sequence[int], workers: int, flags: Sequence[str] = (), module: str = "relay",
    cluster_dir: Path | None = None, batch: int = BATCH,
) -> dict[str, Any]:
    """RSS at each level of idle paired sessions, on one fresh relay. A level above what the
    fd limit allows is measured at the cap and noted (``capped_from``); the RSS asked for is then
    extrapolated with the slope (``rss_mb_at_asked``)."""
    relay: RelayProcess | ClusterNode = (
        ClusterNode(cluster_dir) if cluster_dir is not None
        else RelayProcess([*flags], module=module))
    rows: list[dict[str, Any]] = []
    cap = session_cap()
    try:
        with ClientPool(workers, client_sources(workers), batch) as pool:
            base = settled_rss(relay)
            rows.append({"sessions": 0, "rss_mb": round(base, 1)})
            for asked in levels:
                level = min(asked, cap)
                seconds = pool.grow(level, [(relay.url, relay.url)])
                added = level - rows[-1]["sessions"]
                rss = settled_rss(relay)
                row: dict[str, Any] = {"sessions": level, "rss_mb": round(rss, 1),
                                       "pairs_per_s": round(added / seconds, 1)}
                if level < asked:
                    row["capped_from"] = asked
                rows.append(row)
            rss_peak = relay.rss_mb()[1]
            cpu = relay.cpu_seconds()
            refused = sum(pool.refused.values())
            pool.close_pairs()
            after_close = settled_rss(relay)
    finally:
        exit_code = relay.stop()
    per_session = slope([(r["sessions"], r["rss_mb"]) for r in rows])
    top = rows[-1]
    asked = top.get("capped_from", top["sessions"])
    return {
        "flags": ["(one cluster node, Redis)"] if cluster_dir is not None else list(flags),
        "levels": rows,
        "refused_then_retried": refused,
        "kib_per_session": round(per_session * 1024, 1),
        "rss_mb_top": top["rss_mb"],
        "rss_mb_at_asked": round(top["rss_mb"] + per_session * (asked - top["sessions"]), 1),
        "asked_top": asked,
        "rss_mb_peak": round(rss_peak, 1),
        "rss_mb_after_close": round(after_close, 1),
        "relay_cpu_seconds": round(cpu, 1),
        "relay_exit_code": exit_code,
    }


# ------------------------------------------------------------------ tracemalloc profile

#: Where an allocation site belongs, by the path of its file.
GROUPS = (("websockets", "/websockets/"), ("asyncio", "/asyncio/"), ("relay", "/relay/"),
          ("ssl/socket", "/ssl.py"), ("ssl/socket", "/socket.py"))


def group_of(filename: str) -> str:
    for name, marker in GROUPS:
        if marker in filename:
            return name
    return "other"


def _traced_relay(trace_dir: Path, flags: list[str]) -> int:
    """The relay's own code (``RelayServer``) under tracemalloc. SIGUSR1 takes the baseline
    snapshot, SIGUSR2 writes the growth since then (``diff.json``); each answer lands in
    ``trace_dir`` (written whole, then renamed: the parent polls for it)."""
    from relay.server import RelayServer
    from relay.settings import load_settings

    tracemalloc.start(1)
    settings = load_settings(flags)

    def write(name: str, data: Any) -> None:
        tmp = trace_dir / (name + ".tmp")
        tmp.write_text(json.dumps(data))
        tmp.rename(trace_dir / name)

    async def run() -> None:
        server = RelayServer(settings)
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        base: list[tracemalloc.Snapshot] = []

        def mark() -> None:
            gc.collect()
            base[:] = [tracemalloc.take_snapshot()]
            write("mark.json", {"traced_mb": tracemalloc.get_traced_memory()[0] / 2**20})

        def diff() -> None:
            gc.collect()
            stats = tracemalloc.take_snapshot().compare_to(base[0], "lineno")
            write("diff.json", [
                {"file": s.traceback[0].filename, "line": s.traceback[0].lineno,
                 "size_diff": s.size_diff, "count_diff": s.count_diff}
                for s in stats if s.size_diff > 0
            ])

        loop.add_signal_handler(signal.SIGUSR1, mark)
        loop.add_signal_handler(signal.SIGUSR2, diff)
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await server.start()
        print(json.dumps({"event": "listening", "url": server.url}), flush=True)
        await stop.wait()
        await server.stop()

    asyncio.run(run())
    return 0


def profile(sessions: int, workers: int, trace_dir: Path) -> dict[str, Any]:
    """Per-session growth by allocation site, from the traced relay."""
    trace_dir.mkdir(parents=True, exist_ok=True)
    for old in trace_dir.glob("*.json"):
        old.unlink()
    relay = RelayProcess(["--trace-dir", str(trace_dir)], module="bench.relay_memory")
    try:
        with ClientPool(workers, client_sources(workers)) as pool:
            pool.grow(20, [(relay.url, relay.url)])  # warm up: imports, caches, first frames
            pool.close_pairs()
            time.sleep(1.0)
            relay.proc.send_signal(signal.SIGUSR1)
            wait_for(lambda: (trace_dir / "mark.json").exists(), 60, "the baseline snapshot")
            pool.grow(sessions, [(relay.url, relay.url)])
            time.sleep(2.0)
            relay.proc.send_signal(signal.SIGUSR2)
            wait_for(lambda: (trace_dir / "diff.json").exists(), 300, "the snapshot diff")
            sites = json.loads((trace_dir / "diff.json").read_text())
    finally:
        relay.stop()
    total = sum(s["size_diff"] for s in sites)
    groups: dict[str, float] = {}
    for s in sites:
        group = group_of(s["file"])
        groups[group] = groups.get(group, 0) + s["size_diff"]
    top = sorted(sites, key=lambda s: -s["size_diff"])[:25]
    return {
        "sessions": sessions,
        "traced_bytes_per_session": round(total / sessions),
        "by_group_bytes_per_session": {g: round(v / sessions)
                                       for g, v in sorted(groups.items(), key=lambda kv: -kv[1])},
        "top_sites": [
            {"site": f"{short(s['file'])}:{s['line']}",
             "bytes_per_session": round(s["size_diff"] / sessions),
             "blocks_per_session": round(s["count_diff"] / sessions, 2)}
            for s in top
        ],
    }


def short(filename: str) -> str:
    """site-packages/websockets/x.py → websockets/x.py; /usr/lib/python3.11/asyncio → asyncio;
    this checkout's files relative to it."""
    for marker in ("site-packages/", "/lib/python3"):
        if marker in filename:
            tail = filename.split(marker, 1)[1]
            return tail.split("/", 1)[1] if marker == "/lib/python3" else tail
    if filename.startswith(str(ROOT) + "/"):
        return filename[len(str(ROOT)) + 1:]
    return filename


# ------------------------------------------------------------------ report


def table(result: dict[str, Any]) -> str:
    lines = ["relay memory, idle paired sessions (one relay process)",
             f"{'sessions':>9} {'RSS MB':>9} {'pairs/s':>9}"]
    for row in result["default"]["levels"]:
        lines.append(f"{row['sessions']:>9} {row['rss_mb']:>9.1f} {row.get('pairs_per_s', ''):>9}")
    d = result["default"]
    lines.append(f"slope {d['kib_per_session']} KiB/session; RSS at {d['asked_top']}: "
                 f"{d['rss_mb_at_asked']} MB (target <= 1024 MB: {result['target_met']})")
    if "capped_from" in d["levels"][-1]:
        lines.append(f"  (fd limit {result['meta']['fd_limit']}: measured at "
                     f"{d['levels'][-1]['sessions']}, the rest extrapolated with the slope)")
    if "cluster_node" in result:
        c = result["cluster_node"]
        lines.append(f"one cluster node (Redis): {c['kib_per_session']} KiB/session, "
                     f"{c['rss_mb_at_asked']} MB at {c['asked_top']} "
                     f"({c['refused_then_retried']} pairings refused and tried again)")
    for v in result.get("variants", []):
        lines.append(f"variant {' '.join(v['flags'])}: {v['kib_per_session']} KiB/session, "
                     f"{v['rss_mb_top']} MB at {v['levels'][-1]['sessions']}")
    if "profile" in result:
        p = result["profile"]
        lines.append(f"tracemalloc, {p['sessions']} sessions: {p['traced_bytes_per_session']} "
                     f"bytes/session traced; by group: {p['by_group_bytes_per_session']}")
        for site in p["top_sites"][:12]:
            lines.append(f"  {site['bytes_per_session']:>7} B {site['blocks_per_session']:>6} "
                         f"blocks  {site['site']}")
    lines.append(f"load average 1 min: {result['meta']['load_avg_1m_start']} -> "
                 f"{result['meta']['load_avg_1m_end']} on {result['meta']['cpus']} CPUs")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--trace-dir" in argv:  # the traced relay (started by profile()), not the benchmark
        i = argv.index("--trace-dir")
        return _traced_relay(Path(argv[i + 1]), argv[:i] + argv[i + 2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1000,5000,10000",
                        help="comma-separated session counts, ascending")
    parser.add_argument("--workers", type=int, default=3, help="client processes")
    parser.add_argument("--batch", type=int, default=BATCH,
                        help="pairs each client process opens at once")
    parser.add_argument("--profile", type=int, default=2000,
                        help="sessions for the tracemalloc split (0: skip)")
    parser.add_argument("--variant", action="append", default=[],
                        help='extra relay flags for one more run, e.g. "--read-size 4096"')
    parser.add_argument("--variant-sessions", type=int, default=5000)
    parser.add_argument("--cluster-node", action="store_true",
                        help="also: the levels on one node in cluster mode (Redis state)")
    args = parser.parse_args(argv)
    levels = [int(x) for x in args.levels.split(",")]
    fd_limit = raise_fd_limit_hard(2 * max([*levels, args.variant_sessions]) + 2000)
    result: dict[str, Any] = {
        "bench": "relay_memory",
        "meta": {"load_avg_1m_start": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
                 "workers": args.workers, "fd_limit": fd_limit,
                 "note": "machine shared with other work: the lead re-measures"},
    }
    result["default"] = measure_levels(levels, args.workers, batch=args.batch)
    # The target is about 10 000 sessions: a run that stops below says nothing about it.
    result["target_met"] = (result["default"]["rss_mb_at_asked"] <= 1024
                            if levels[-1] >= 10_000 else None)
    variants = [measure_levels([args.variant_sessions], args.workers, v.split())
                for v in args.variant]
    if variants:
        result["variants"] = variants
    if args.cluster_node:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="fh-relay-memory-cluster-") as tmp:
            result["cluster_node"] = measure_levels(levels, args.workers, cluster_dir=Path(tmp),
                                                    batch=args.batch)
    if args.profile:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="fh-relay-memory-") as tmp:
            result["profile"] = profile(args.profile, args.workers, Path(tmp))
    result["meta"]["load_avg_1m_end"] = round(os.getloadavg()[0], 2)
    print(table(result), file=sys.stderr)
    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
