"""CI smoke test of the BUILT one-file Linux agent (not the source), used as people use it.

Builds ``dist``-style one-file agent from the example branding (plus a logo) with
``installer/build_agent.py`` — reused locally while newer than everything it contains; CI starts
clean, so there the build runs inside this test. Then: a real relay on loopback, the built file on
its own Xvfb display, the code read through the agent's Copy button and the display's clipboard, a
real console (source) on a second display types it, the consent dialog's Allow button is clicked
with xdotool, and the customer's green screen must show up on the technician's screen.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.support import onefile
from bench.support.onefile import (
    BuiltAgent,
    accent_button,
    build_onefile,
    click,
    colour_mask,
    find_window,
    grab,
    run_built_agent,
)
from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay
from desktop.audit_store import read_record
from tests.e2e.conftest import Console

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

GREEN = "#00c800"  # the customer's desktop, as the technician must see it
GREEN_BGR = (0, 200, 0)
MAX_MB = 60


@pytest.fixture(scope="module")
def artifact(lean_video: None) -> Path:
    path, seconds = build_onefile()
    how = f"built in {seconds:.0f} s" if seconds else "reused"
    print(f"one-file agent: {path} ({path.stat().st_size / 1e6:.1f} MB, {how})")
    return path


@pytest.fixture
def relay_url() -> Iterator[str]:
    with onefile.relay() as url:
        yield url


@pytest.fixture
def customer_display() -> Iterator[XvfbDisplay]:
    with XvfbDisplay(width=1280, height=800, depth=24) as display:
        onefile.root_colour(display, GREEN)
        yield display


@pytest.fixture
def built_agent(artifact: Path, customer_display: XvfbDisplay, relay_url: str,
                tmp_path: Path) -> Iterator[BuiltAgent]:
    data = tmp_path / "agent-data"
    data.mkdir()
    with run_built_agent(artifact, customer_display, relay_url, data,
                         log=tmp_path / "agent.log") as agent:
        yield agent


@pytest.fixture
def console(relay_url: str, tmp_path: Path) -> Iterator[Console]:
    settings = tmp_path / "console.ini"
    settings.write_text("[technician]\nname=Eva Technik\norganisation=Acme IT\n"
                        f"[relay]\nurl={relay_url}\n")
    data = tmp_path / "console-data"
    with XvfbDisplay(width=1280, height=800, depth=24) as display:
        env = display.env(FERNHILFE_DATA_DIR=str(data), LANG="C.UTF-8")
        proc = subprocess.Popen(
            [sys.executable, "-m", "console", "--relay", relay_url, "--settings", str(settings),
             "--lang", "en"],
            cwd=onefile.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            yield Console(proc, display, data)
        finally:
            onefile.stop(proc)


def test_artifact_is_small_enough(artifact: Path) -> None:
    """The default build, which carries the video codec (test_bundle_carries_lean_video)."""
    assert artifact.stat().st_size <= MAX_MB * 1_000_000


def test_bundle_carries_lean_video(artifact: Path) -> None:
    """The default agent carries H.264 (issue 16, Deliver 3) over the lean FFmpeg: libx264 and
    libavcodec are in, the codecs only PyAV's wheel brings (x265, SVT-AV1, ...) are not."""
    from PyInstaller.archive.readers import CArchiveReader  # type: ignore[import-untyped]

    names = [n.rsplit("/", 1)[-1] for n in CArchiveReader(str(artifact)).toc]
    for wanted in ("libx264", "libavcodec", "libswscale"):
        assert any(n.startswith(wanted) for n in names), wanted
    assert any(n.startswith("frame.") for n in names)  # av/video/frame: PyAV itself
    wheel_only = [n for n in names if n.startswith(("libx265", "libSvtAv1", "libdav1d", "libvpx",
                                                    "libgnutls"))]
    assert not wheel_only, wheel_only


def test_bundle_carries_lean_icu_data(artifact: Path) -> None:
    """The ICU trim (issue 16: room for the video codec) really reaches the built file."""
    from PyInstaller.archive.readers import CArchiveReader

    toc = CArchiveReader(str(artifact)).toc  # name -> (pos, compressed, raw, flag, type)
    icu = {n: entry[2] for n, entry in toc.items() if "libicudata" in n}
    assert icu and all(raw < 5_000_000 for raw in icu.values()), icu  # full data: 32 MB


def test_built_agent_speaks_german(artifact: Path, customer_display: XvfbDisplay,
                                   relay_url: str, tmp_path: Path) -> None:
    """German text still shows with the trimmed ICU data (issue 16: what paid for video)."""
    data = tmp_path / "agent-data"
    data.mkdir()
    with run_built_agent(artifact, customer_display, relay_url, data, lang="de",
                         log=tmp_path / "agent.log") as agent:
        wait_for(lambda: find_window(customer_display, "Fernwartung durch Example IT Service"),
                 60, "the German code window of the built agent", 0.1)
        assert agent.proc.poll() is None


def test_built_agent_full_session(built_agent: BuiltAgent, console: Console,
                                  tmp_path: Path) -> None:
    customer = built_agent.display
    # The customer reads the code off the clipboard (Copy button), as they would paste it.
    code = built_agent.read_code(timeout=60)
    shown_after = time.monotonic() - built_agent.started
    assert onefile.CODE_RE.match(code), code
    # The bundled logo shows in the code window (branding-logo.png, resolved by the agent).
    wid = find_window(customer, "Remote support by Example IT Service")
    assert wid, "code window title does not carry the baked-in organisation"
    x, y, w, h = onefile.window_box(customer, wid)
    logo_px = colour_mask(grab(customer)[y:y + h, x:x + w], onefile.LOGO_RGB[::-1]).sum()
    assert logo_px > 1000, "the branding logo is not visible in the code window"

    console.enter_code(code)
    allow = wait_for(lambda: find_window(customer, "Allow remote support?")
                     and accent_button(customer, "Allow remote support?"),
                     30, "the consent dialog with its Allow button", 0.05)
    # The dialog carries the logo too.
    dx, dy, dw, dh = onefile.window_box(customer, find_window(customer, "Allow remote support?"))
    assert colour_mask(grab(customer)[dy:dy + dh, dx:dx + dw], onefile.LOGO_RGB[::-1]).sum() > 1000
    click(customer, allow)  # type: ignore[arg-type]

    answered = console.wait_audit("consent_answered", timeout=30)
    assert answered["allowed"] is True, answered
    # The customer's green desktop appears on the technician's screen.
    wait_for(lambda: colour_mask(grab(console.display), GREEN_BGR, tol=40).sum() > 20_000,
             30, "the customer's screen in the console", 0.05)
    assert built_agent.proc.poll() is None
    print(f"start -> code on clipboard: {shown_after:.2f} s")
    # The agent's own audit record (its FERNHILFE_DATA_DIR) says the session started.
    events = [e["event"] for p in sorted((tmp_path / "agent-data").rglob("*.jsonl"))
              for e in read_record(p)]
    assert "session_started" in events, events
