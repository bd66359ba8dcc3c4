"""For tests of the agent's capture at the source's rate (issue 16): another X client that
animates a band of its window at a fixed rate, and a streamer on the real DAMAGE watcher whose
updates are acked at once (a fast link)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from agent.capture import ScreenCapturer
from agent.damage import X11DamageWatcher
from agent.pipeline import ScreenStreamer
from shared.codec.frame import EncodedFrame

xdisplay = pytest.importorskip("Xlib.display")

W, H = 640, 480


class Animator:
    """Another X client that redraws a band of its window at ``hz`` (a scrolling view) in a
    thread, each redraw synced, until stopped."""

    def __init__(self, display: str, hz: float) -> None:
        self.dpy = xdisplay.Display(display)
        screen = self.dpy.screen()
        self.win = screen.root.create_window(
            0, 0, W, H, 0, screen.root_depth, background_pixel=0xFFFFFF, override_redirect=True)
        self.win.map()
        self.gc = self.win.create_gc(foreground=0)
        self.dpy.sync()
        self.hz = hz
        self.frames = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def draw(self) -> None:
        n = self.frames
        self.gc.change(foreground=(n * 0x0A1B2C) & 0xFFFFFF)
        self.win.fill_rectangle(self.gc, 0, 100 + (n % 50) * 4, W, 120)
        self.dpy.sync()
        self.frames += 1

    def _run(self) -> None:
        period = 1.0 / self.hz
        next_t = time.monotonic()
        while not self._stop.is_set():
            self.draw()
            next_t += period
            self._stop.wait(max(0.0, next_t - time.monotonic()))

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="animator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(2.0)

    def close(self) -> None:
        self.stop()
        self.win.destroy()
        self.dpy.sync()
        self.dpy.close()


class AckingStreamer:
    """The real streamer on ``display`` with the real DAMAGE watcher and capturer; every update
    is kept in :attr:`got` and acked at once. :attr:`caps` holds the capturers it made."""

    def __init__(self, display: str, **options: Any) -> None:
        self.got: list[EncodedFrame] = []
        self.caps: list[ScreenCapturer] = []
        self.display = display
        self.streamer = ScreenStreamer(self._on_frame, source_factory=self._make,
                                       change_watcher=X11DamageWatcher(display), **options)

    def _on_frame(self, update: EncodedFrame) -> None:
        self.got.append(update)
        self.streamer.ack(update.seq)

    def _make(self) -> ScreenCapturer:
        self.caps.append(ScreenCapturer(display=self.display))
        return self.caps[-1]
