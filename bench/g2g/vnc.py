"""x11vnc + TigerVNC's viewer under the same glass-to-glass workload, for comparison.

x11vnc serves the customer's screen on loopback; ``xtigervncviewer -FullScreen`` shows it on the
technician's. Bytes on the wire: x11vnc's socket to the viewer (``ss``). Over an emulated line
(``profile``) the viewer connects through a :class:`bench.support.link.LinkProxy` whose server
side is the customer's (x11vnc's sends use the uplink).
"""

from __future__ import annotations

import subprocess
import time
from typing import Any

from bench.g2g.meters import ByteMeter
from bench.g2g.procs import free_port, stop_proc
from bench.g2g.workload import Bench
from bench.support.link import LinkProfile, LinkProxy


def run_vnc(bench: Bench, profile: LinkProfile | None = None) -> dict[str, Any]:
    port = free_port()
    x11vnc = subprocess.Popen(
        [
            "x11vnc",
            "-display",
            bench.customer.name,
            "-localhost",
            "-rfbport",
            str(port),
            "-nopw",
            "-forever",
            "-shared",
            "-noncache",
            "-quiet",
        ],
        env=bench.customer.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    bench.procs.append(x11vnc)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        out = subprocess.run(
            ["ss", "-ltnH", f"( sport = :{port} )"], capture_output=True, text=True, timeout=10
        ).stdout
        if out.strip():
            break
        bench.qwait(0.1)
    link = LinkProxy(port, profile, client_is_customer=False) if profile else None
    viewer = subprocess.Popen(
        [
            "xtigervncviewer",
            "-FullScreen",
            "-SecurityTypes",
            "None",
            "-AlertOnFatalError=0",
            f"127.0.0.1::{link.port if link else port}",
        ],
        env=bench.tech.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    bench.procs.append(viewer)
    try:
        bench.qwait(1.5)
        bench.locate()
        pids = {"x11vnc": x11vnc.pid, "viewer": viewer.pid, "stimulus": bench.stimulus.proc.pid}
        if link is not None:
            pids["link"] = link.pid

        def meter() -> ByteMeter:
            return ByteMeter(f"( sport = :{port} )", x11vnc.pid)

        res = bench.run_workload(pids, meter, link)
        if link is not None:
            return res
        res["convergence"] = bench.convergence_at_1to1(2 if bench.args.quick else 3)
        return res
    finally:
        stop_proc(viewer)
        stop_proc(x11vnc)
        if link is not None:
            link.close()
