"""The BUILT one-file Linux agent, driven from outside like a person would.

Shared by ``tests/installer/test_onefile_agent.py`` (CI smoke test) and ``bench/onefile_start.py``.
Nothing here reaches into the agent: windows are found by title (xdotool), buttons by the accent
colour in a screenshot (mss), the code is read from the display's clipboard (xclip).
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import mss
import numpy as np

from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_BRANDING = ROOT / "installer" / "branding.example.toml"
#: Local builds are reused from here while nothing they contain changed (CI starts clean).
CACHE = ROOT / "build" / "onefile-smoke"
NAME = "fernhilfe-agent-smoke"
ACCENT_BGR = (192, 101, 21)  # #1565c0, the example branding's accent_colour
LOGO_RGB = (255, 136, 0)  # the test logo's colour; differs from the accent and the screens
#: What goes into the bundle: newer source than the build means rebuild.
SOURCES = ("agent", "shared", "installer/buildlib.py", "installer/build_agent.py",
           "installer/icudata.py", "installer/lean_av.py",
           "installer/fernhilfe-agent.spec", "installer/hooks", "installer/shims",
           "pyproject.toml")
CODE_RE = re.compile(r"^\d{3,} \d{3} \d{3}$")


# ---------------------------------------------------------------------------------------- build


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG, byte-for-byte the same every time (so the build cache holds)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)


def smoke_branding(folder: Path) -> Path:
    """The example branding plus a logo (to check the bundle carries and shows it)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_if_changed(folder / "logo.png", _png(192, 48, LOGO_RGB))
    text = re.sub(r'(?m)^logo = ""', 'logo = "logo.png"', EXAMPLE_BRANDING.read_text())
    assert 'logo = "logo.png"' in text, "branding.example.toml no longer has a logo line"
    _write_if_changed(folder / "branding.toml", text.encode())
    return folder / "branding.toml"


def _newest_source(extra: list[Path]) -> float:
    newest = 0.0
    for rel in SOURCES:
        p = ROOT / rel
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()
                                          and "__pycache__" not in f.parts]
        newest = max([newest, *(f.stat().st_mtime for f in files)])
    return max([newest, *(f.stat().st_mtime for f in extra)])


def build_onefile(cache: Path = CACHE, *, timeout: float = 600) -> tuple[Path, float]:
    """Build (or reuse an up-to-date build of) the one-file agent; returns (file, build seconds)."""
    branding = smoke_branding(cache / "branding")
    artifact = cache / "dist" / NAME
    sources = [branding, branding.with_name("logo.png"), EXAMPLE_BRANDING]
    if artifact.is_file() and artifact.stat().st_mtime > _newest_source(sources):
        return artifact, 0.0
    t0 = time.monotonic()
    out = subprocess.run(
        [sys.executable, str(ROOT / "installer" / "build_agent.py"), "--branding", str(branding),
         "--name", NAME, "--dist", str(cache / "dist"), "--work", str(cache / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )
    if out.returncode or not artifact.is_file():
        raise RuntimeError(f"one-file build failed ({out.returncode}):\n"
                           f"{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return artifact, time.monotonic() - t0


# ---------------------------------------------------------------------------------------- screen


def grab(display: XvfbDisplay) -> np.ndarray:
    with mss.MSS(display=display.name) as sct:
        shot = sct.grab(sct.monitors[0])
        return np.frombuffer(shot.bgra, np.uint8).reshape(shot.height, shot.width, 4)


def colour_mask(img: np.ndarray, bgr: tuple[int, int, int], tol: int = 12) -> np.ndarray:
    diff = np.abs(img[:, :, :3].astype(np.int16) - np.array(bgr, np.int16)).max(axis=2)
    return diff <= tol


def solid_box(mask: np.ndarray, size: int = 9) -> tuple[int, int, int, int] | None:
    """Bounding box (x0, y0, x1, y1) of the pixels that are the centre of a fully set
    ``size``x``size`` square: filled areas such as a button, not text or 2-px borders."""
    h, w = mask.shape
    if h < size or w < size:
        return None
    s = np.zeros((h + 1, w + 1), np.int32)
    s[1:, 1:] = mask.astype(np.int32).cumsum(0).cumsum(1)
    full = (s[size:, size:] - s[:-size, size:] - s[size:, :-size] + s[:-size, :-size]) == size**2
    ys, xs = np.nonzero(full)
    if len(xs) == 0:
        return None
    r = size // 2
    return int(xs.min()) + r, int(ys.min()) + r, int(xs.max()) + r, int(ys.max()) + r


def xdo(display: XvfbDisplay, *args: str, check: bool = True) -> str:
    out = subprocess.run(["xdotool", *args], env=display.env(), capture_output=True, text=True,
                         timeout=20, check=False)
    if check and out.returncode != 0:
        raise RuntimeError(f"xdotool {' '.join(args)} failed: {out.stderr}")
    return out.stdout.strip()


def find_window(display: XvfbDisplay, title: str) -> str:
    ids = xdo(display, "search", "--onlyvisible", "--name", title, check=False)
    return ids.splitlines()[-1] if ids else ""


def window_box(display: XvfbDisplay, wid: str) -> tuple[int, int, int, int]:
    """(x, y, width, height) of a window on its screen."""
    geo = dict(line.split("=", 1) for line in
               xdo(display, "getwindowgeometry", "--shell", wid).splitlines() if "=" in line)
    return int(geo["X"]), int(geo["Y"]), int(geo["WIDTH"]), int(geo["HEIGHT"])


def accent_button(display: XvfbDisplay, title: str, img: np.ndarray | None = None
                  ) -> tuple[int, int] | None:
    """Screen position of the centre of the accent-coloured button in the window ``title``."""
    wid = find_window(display, title)
    if not wid:
        return None
    x, y, w, h = window_box(display, wid)
    img = grab(display) if img is None else img
    box = solid_box(colour_mask(img[y:y + h, x:x + w], ACCENT_BGR))
    if box is None:
        return None
    return x + (box[0] + box[2]) // 2, y + (box[1] + box[3]) // 2


def click(display: XvfbDisplay, pos: tuple[int, int]) -> None:
    xdo(display, "mousemove", "--sync", str(pos[0]), str(pos[1]), "click", "1")


def clipboard(display: XvfbDisplay) -> str:
    out = subprocess.run(["xclip", "-o", "-selection", "clipboard"], env=display.env(),
                         capture_output=True, text=True, timeout=5, check=False)
    return out.stdout.strip() if out.returncode == 0 else ""


# ---------------------------------------------------------------------------------------- processes


def stop(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """SIGTERM (the one-file bootloader forwards it and cleans its unpack folder), then kill."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextmanager
def relay() -> Iterator[str]:
    """A real relay on loopback (from source); yields its ws:// URL."""
    proc = subprocess.Popen([sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        yield json.loads(proc.stdout.readline())["url"]
    finally:
        stop(proc)


@dataclass
class BuiltAgent:
    """The built agent file running on its own display."""

    proc: subprocess.Popen[bytes]
    display: XvfbDisplay
    started: float  # time.monotonic() just before the process was started

    def copy_button(self) -> tuple[int, int] | None:
        return accent_button(self.display, "Remote support by")

    def wait_code_shown(self, timeout: float = 30.0) -> tuple[int, int]:
        """Wait for the code window with its Copy button (only shown with a code)."""
        def ready() -> tuple[int, int] | None:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the agent exited with code {self.proc.returncode}")
            return self.copy_button()
        return wait_for(ready, timeout, "the agent to show a code", 0.05)

    def read_code(self, timeout: float = 15.0) -> str:
        """Click Copy, read the display's clipboard: the code as the customer would paste it."""
        def copied() -> str:
            pos = self.wait_code_shown(timeout)
            click(self.display, pos)
            try:
                return str(wait_for(lambda: CODE_RE.match(clipboard(self.display))
                                    and clipboard(self.display), 3, "the clipboard", 0.1))
            except TimeoutError:
                return ""
        return str(wait_for(copied, timeout, "the code on the clipboard", 0.2))


@contextmanager
def run_built_agent(artifact: Path, display: XvfbDisplay, relay_url: str, data_dir: Path,
                    log: Path | None = None, lang: str = "en") -> Iterator[BuiltAgent]:
    env = display.env(FERNHILFE_DATA_DIR=str(data_dir), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("PYTHONPATH", None)
    out = log.open("wb") if log else subprocess.DEVNULL
    started = time.monotonic()
    proc = subprocess.Popen([str(artifact), "--relay", relay_url, "--lang", lang],
                            cwd=data_dir.parent, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield BuiltAgent(proc, display, started)
    finally:
        stop(proc)
        if log and not isinstance(out, int):
            out.close()


def root_colour(display: XvfbDisplay, colour: str) -> None:
    """Paint the display's root window one colour (``xsetroot``, package x11-xserver-utils)."""
    subprocess.run(["xsetroot", "-solid", colour], env=display.env(), check=True, timeout=10)
