"""Fernhilfe under the glass-to-glass workload: relay and console as subprocesses, the agent in
this process.

The agent runs here (as in tests/e2e) so the bench can read the session code from
``AgentApp.window.code_text()`` and click the real Allow button (QTest): OCR is not available.
Everything else this process would do (screen sampling, clicking) runs in subprocesses, so this
process's CPU is about the agent's (plus a Qt event loop that sleeps, and two threads blocked on
pipes). Bytes on the wire: the agent's websocket to the relay (``ss``), with the relay's
Prometheus counter as a cross-check.

Over an emulated line (``profile``), the agent reaches the relay through a
:class:`bench.support.link.LinkProxy` (the agent's side is the customer's: its sends use the
uplink); the console, the technician's side, reaches the relay directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

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

def run_fernhilfe(bench: Bench, profile: LinkProfile | None = None) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from agent.app import AgentApp
    from agent.config import AgentConfig

    url, port, relay, console = start_relay_and_console(bench)
    link = LinkProxy(port, profile, client_is_customer=True) if profile else None
    agent_url = url.replace(f":{port}/", f":{link.port}/") if link else url

    agent = AgentApp(AgentConfig(relay_url=agent_url, organisation="Bench"))
    agent.window.move(0, 0)
    agent.start()
    try:
        bench.wait_until(
            lambda: agent.window.state == "code" and bool(agent.window.code_text()),
            20,
            "the session code",
        )
        agent.window.lower()  # what a window manager's minimise does; stimulus on top
        code = agent.window.code_text()
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
        bench.wait_until(
            lambda: agent.consent is not None and agent.consent.isVisible(),
            20,
            "the consent dialog",
        )
        bench.qwait(0.3)
        assert agent.consent is not None
        QTest.mouseClick(agent.consent.allow_button, Qt.MouseButton.LeftButton)
        bench.wait_until(lambda: agent.overlay is not None, 20, "the session to start")
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
            "agent": os.getpid(),
            "console": console.pid,
            "relay": relay.pid,
            "stimulus": bench.stimulus.proc.pid,
        }
        if link is not None:
            pids["link"] = link.pid

        def meter() -> ByteMeter:
            return relay_byte_meter(port, link.port if link else None)

        res = bench.run_workload(pids, meter, link)
        res["console_alive_after_workload"] = console.poll() is None
        if link is not None:  # the pixel-exact check needs a resized window: loopback only
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
        agent._close_session_windows()
        agent.worker.stop()
        agent.window.close()
        bench.qwait(0.5)  # queued "session ended" signals re-show the code window…
        agent.window.close()  # …so close it again, and put the stimulus back on top
        bench.qwait(0.2)
        bench.stim("raise", "raised")
        stop_proc(console)
        stop_proc(relay)
        if link is not None:
            link.close()
