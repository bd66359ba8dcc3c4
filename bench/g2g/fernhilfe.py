"""Fernhilfe under the glass-to-glass workload: relay, console and agent as subprocesses.

The agent runs in a process of its own (:mod:`bench.g2g.agent_proc`), which tells the bench the
session code (``AgentApp.window.code_text()``: OCR is not available) and clicks the real Allow
button (QTest) when the bench says so. Its CPU is the agent's alone: before issue 16's typing
work the agent ran in this process, and the bench's own Qt loop and pipe readers (about 0.75 %
of a core) counted as the agent's. Bytes on the wire: the agent's websocket to the relay
(``ss``), with the relay's Prometheus counter as a cross-check.

Over an emulated line (``profile``), the agent reaches the relay through a
:class:`bench.support.link.LinkProxy` (the agent's side is the customer's: its sends use the
uplink); the console, the technician's side, reaches the relay directly.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

from bench.g2g.agent_proc import AgentProcess, InProcessAgent
from bench.g2g.meters import ByteMeter, relay_byte_meter
from bench.g2g.procs import stop_proc
from bench.g2g.rig import ROOT, H, W
from bench.g2g.workload import Bench
from bench.support.link import LinkProfile, LinkProxy
from bench.support.relay import start_relay


def start_relay_and_console(
    bench: Bench,
) -> tuple[str, int, subprocess.Popen[Any], subprocess.Popen[Any]]:
    """A relay on loopback and the technician's console on the technician's display."""
    relay, url = start_relay()
    bench.procs.append(relay)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    settings = bench.tmp / "console.ini"
    settings.write_text(
        f"[technician]\nname=Bench Technik\norganisation=Bench\n[relay]\nurl={url}\n"
    )
    console = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "console",
            "--relay",
            url,
            "--settings",
            str(settings),
            "--lang",
            "en",
        ],
        cwd=ROOT,
        env=bench.tech.env(FERNHILFE_DATA_DIR=str(bench.tmp / "console-data"), LANG="C.UTF-8"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    bench.procs.append(console)
    return url, port, relay, console

def run_fernhilfe(bench: Bench, profile: LinkProfile | None = None, *,
                  own_process: bool = True) -> dict[str, Any]:
    """The workload against Fernhilfe. ``own_process``: the agent runs in a process of its own
    (:mod:`bench.g2g.agent_proc`), so its CPU is the agent's alone; False keeps it in this
    process (bench/frame_path.py wraps its methods), where this process's Qt loop counts too."""
    url, port, relay, console = start_relay_and_console(bench)
    link = LinkProxy(port, profile, client_is_customer=True) if profile else None
    agent_url = url.replace(f":{port}/", f":{link.port}/") if link else url

    agent: AgentProcess | InProcessAgent
    if own_process:
        agent = AgentProcess(agent_url, bench.customer.env(
            FERNHILFE_DATA_DIR=str(bench.tmp / "agent-data"), QT_QPA_PLATFORM="xcb"), str(ROOT),
            getattr(bench.args, "profile", None))
    else:
        agent = InProcessAgent(bench, agent_url)
    bench.agent = agent
    try:
        code = agent.code(20)
        agent.lower()  # what a window manager's minimise does; stimulus on top
        win = ""
        deadline = time.monotonic() + 20
        while not win and time.monotonic() < deadline:
            win = bench.xdo(
                bench.tech, "search", "--onlyvisible", "--name", "Connect to a customer"
            ).split("\n")[-1]
            bench.qwait(0.1)
        bench.xdo(bench.tech, "windowfocus", "--sync", win)
        bench.xdo(bench.tech, "type", "--delay", "15", code)
        bench.xdo(bench.tech, "key", "Return")
        agent.allow(20)
        sw = ""
        deadline = time.monotonic() + 20
        while not sw and time.monotonic() < deadline:
            sw = bench.xdo(
                bench.tech, "search", "--onlyvisible", "--name", "Fernhilfe – Session"
            ).split("\n")[-1]
            bench.qwait(0.1)
        bench.xdo(bench.tech, "windowmove", sw, "0", "0")
        bench.xdo(bench.tech, "windowsize", sw, str(W), str(H))
        bench.xdo(bench.tech, "windowfocus", sw)
        bench.qwait(1.5)
        bench.locate()
        pids = {
            "agent": agent.pid,
            "console": console.pid,
            "relay": relay.pid,
            "stimulus": bench.stimulus.proc.pid,
        }
        if link is not None:
            pids["link"] = link.pid

        def meter() -> ByteMeter:
            return relay_byte_meter(port, link.port if link else None, agent.pid)

        res = bench.run_workload(pids, meter, link)
        res["console_alive_after_workload"] = console.poll() is None
        if link is not None:  # the pixel-exact check needs a resized window: loopback only
            return res
        wanted = getattr(bench.args, "phases", None)
        if wanted is not None and "convergence" not in wanted:
            return res
        # Pixel-exact check at 1:1: make the view at least 1920x1080, so fit mode scales by
        # exactly 1 (the window may extend past the screen; there is no window manager).
        bench.xdo(bench.tech, "windowmove", sw, "0", "-160")
        bench.xdo(bench.tech, "windowsize", sw, str(W), str(H + 320))
        bench.qwait(1.5)
        bench.locate()
        res["convergence"] = bench.convergence_at_1to1(2 if bench.args.quick else 3)
        return res
    finally:
        bench.agent = None  # VNC's phases after it have no agent to ask (Bench.link_result)
        agent.close()
        bench.qwait(0.2)
        bench.stim("raise", "raised")  # put the stimulus back on top
        stop_proc(console)
        stop_proc(relay)
        if link is not None:
            link.close()
