"""Console streaming path: only damage crosses threads, the view blits it, cursor shapes, and the
technician's quality / bandwidth choice."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QColor, QImage

from console.frame_decoder import damage_patches
from console.ui import RemoteView, SessionWindow
from console.worker import ConsoleWorker
from shared import messages as m
from shared.codec import Encoding
from shared.codec.encode import RectEncoder

ENCODER = RectEncoder()  # one per thread: it holds the zstd contexts


def solid(w: int, h: int, colour: str) -> QImage:
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor(colour))
    return img


class PaintSpy(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())  # type: ignore[attr-defined]
        return False


@pytest.fixture
def view(qtbot) -> RemoteView:
    v = RemoteView()
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    qtbot.waitExposed(v)
    return v


def wait_painted(qtbot, view: RemoteView) -> None:
    """Wait until the view has painted what is pending (a new screen size: all of it)."""
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    try:
        qtbot.waitUntil(lambda: bool(spy.rects), timeout=2000)
    finally:
        view.viewport().removeEventFilter(spy)


def test_patches_blit_into_persistent_image_and_repaint_only_damage(qtbot, view) -> None:
    view.apply_patches(1600, 900, [(0, 0, solid(1600, 900, "#000000"))])
    assert view.image().size().width() == 1600
    wait_painted(qtbot, view)
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    view.apply_patches(1600, 900, [(400, 200, solid(100, 60, "#ff0000"))])
    qtbot.waitUntil(lambda: bool(spy.rects), timeout=2000)
    # fit mode: 1600x900 into 800x600 is scale 0.5, centred vertically (75 px letterbox)
    assert view.scale() == pytest.approx(0.5)
    painted = spy.rects[0]
    assert painted.width() <= 60 and painted.height() <= 40, painted
    assert painted.contains(225, 75 + 115)
    img = view.image()
    assert QColor(img.pixel(450, 230)) == QColor("#ff0000")
    assert QColor(img.pixel(10, 10)) == QColor("#000000")  # the rest stays what it was
    shot = view.viewport().grab().toImage()
    assert QColor(shot.pixel(225, 75 + 115)) == QColor("#ff0000")
    # a new screen size starts from black and repaints everything
    view.apply_patches(640, 480, [(0, 0, solid(10, 10, "#00ff00"))])
    assert view.image().width() == 640
    assert QColor(view.image().pixel(100, 100)) == QColor("#000000")
    assert QColor(view.image().pixel(5, 5)) == QColor("#00ff00")


def test_damage_patches_copy_only_damage() -> None:
    arr = np.zeros((1080, 1920, 4), np.uint8)
    arr[100:164, 200:264] = (1, 2, 3, 255)
    patches = damage_patches(arr, [(200, 100, 64, 64), (1800, 1000, 10, 10)])
    assert [(x, y, p.width(), p.height()) for x, y, p in patches] == [
        (200, 100, 64, 64), (1800, 1000, 10, 10)]
    assert QColor(patches[0][2].pixel(0, 0)) == QColor(3, 2, 1)
    arr[0:2, 0:2] = 0  # patches are private copies
    # many tiles filling their box: one patch of the box
    tiles = [(x, y, 64, 64) for x in range(0, 256, 64) for y in range(0, 128, 64)]
    assert [(x, y, p.width(), p.height()) for x, y, p in damage_patches(arr, tiles)] == [
        (0, 0, 256, 128)]
    assert damage_patches(arr, []) == []


def test_worker_emits_patches_not_whole_screen_and_cursor_shapes(qtbot) -> None:
    worker = ConsoleWorker()
    try:
        decoder = worker._new_decoder(print)
        frames: list[tuple] = []
        # like the GUI: take the frame, then say so (the decoder waits for that)

        def take(*a: Any) -> None:
            frames.append(a)
            worker.frame_shown(a[3])

        worker.frame_ready.connect(take)
        full = np.full((1080, 1920, 4), 40, np.uint8)
        r = ENCODER.encode_rect(full, 0, 0, 1920, 1080, quality=None)
        decoder.put(m.FrameUpdate(1920, 1080, (r,), 1))
        small = ENCODER.encode_rect(np.full((1080, 1920, 4), 200, np.uint8), 64, 64, 64, 64,
                                    quality=None)
        decoder.put(m.FrameUpdate(1920, 1080, (small,), 2))
        qtbot.waitUntil(lambda: len(frames) == 2, timeout=2000)
        w, h, patches, seq = frames[1]
        assert (w, h, seq) == (1920, 1080, 2)
        assert sum(p.width() * p.height() for _x, _y, p in patches) == 64 * 64
        assert small.encoding != Encoding.JPEG

        cursors: list[tuple] = []
        worker.cursor_moved.connect(lambda *a: cursors.append(a))
        rgba = bytes([255, 0, 0, 255]) * 4
        worker._on_cursor(m.CursorUpdate(5, 6, True, m.CursorShape(2, 2, 1, 0, rgba)))
        worker._on_cursor(m.CursorUpdate(7, 8, True))
        qtbot.waitUntil(lambda: len(cursors) == 2, timeout=2000)
        x, y, visible, shape, hx, hy = cursors[0]
        assert (x, y, visible, hx, hy) == (5, 6, True, 1, 0)
        assert shape.size().width() == 2 and QColor(shape.pixel(0, 0)) == QColor("#ff0000")
        assert cursors[1][:4] == (7, 8, True, None)
    finally:
        worker.stop()


def test_view_draws_the_remote_cursor_shape(qtbot, view) -> None:
    view.set_scale_mode("actual")
    view.apply_patches(400, 300, [(0, 0, solid(400, 300, "#000000"))])
    shape = solid(8, 8, "#ff00ff")
    view.set_remote_cursor(100, 100, True, shape, 4, 4)
    shot = view.viewport().grab().toImage()
    origin = view.image_origin()
    ox, oy = int(origin.x()), int(origin.y())
    assert QColor(shot.pixel(ox + 97, oy + 97)) == QColor("#ff00ff")  # hot spot centred
    assert QColor(shot.pixel(ox + 105, oy + 105)) == QColor("#000000")
    view.set_remote_cursor(50, 50, True, None, 0, 0)  # None keeps the last shape
    shot = view.viewport().grab().toImage()
    assert QColor(shot.pixel(ox + 48, oy + 48)) == QColor("#ff00ff")


def test_session_window_quality_and_bandwidth_controls(qtbot, english) -> None:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert not win.quality_box.isEnabled()  # nothing to tune before the screen is shared
    assert win.stream_settings() == (75, 0)
    got: list[tuple[int, int]] = []
    win.stream_settings_requested.connect(lambda q, b: got.append((q, b)))
    win.set_permissions(frozenset({"view"}))
    win.show_streaming()
    assert win.quality_box.isEnabled() and win.bandwidth_box.isEnabled()
    labels = [win.quality_box.itemText(i) for i in range(win.quality_box.count())]
    assert labels == ["Sharp text", "Balanced", "Fast"]
    win.quality_box.setCurrentIndex(0)
    win.quality_box.activated.emit(0)
    win.bandwidth_box.setCurrentIndex(2)
    win.bandwidth_box.activated.emit(2)
    assert got == [(0, 0), (0, 250_000)]
    win.show_ended("done")
    win.bandwidth_box.activated.emit(3)
    assert got == [(0, 0), (0, 250_000)] and not win.bandwidth_box.isEnabled()


def test_worker_sends_and_audits_stream_settings(qtbot, tmp_path) -> None:
    import asyncio

    from bench.support.sessions import pump as _pump
    from console.driver import ConsoleSessionDriver
    from desktop.audit_store import AuditRecord, read_record
    from shared.codes import SessionCode
    from shared.session import AgentSession, ConsoleSession, StreamSettingsChanged

    code = SessionCode("123", "456789")
    a, c = AgentSession(code), ConsoleSession(code, name="Eva")
    _pump(a, c, [a.start()], [c.start()])
    _pump(a, c, a.decide(True, frozenset({"view"})).outgoing, [])
    loop = asyncio.new_event_loop()
    try:
        record = AuditRecord.create(tmp_path, "console")
        driver = ConsoleSessionDriver(c, record, print, loop, None)
        driver.set_stream_settings(40, 250_000)
        assert driver._sendq.qsize() == 1
        sent = driver._sendq.get_nowait()
        assert sent is not None
        assert a.receive(sent).events == [StreamSettingsChanged(40, 250_000)]
        logged = [e for e in read_record(record.path) if e["event"] == "stream_settings"]
        assert [(e["quality"], e["max_bytes_per_s"]) for e in logged] == [(40, 250_000)]
    finally:
        loop.close()


def test_scaled_view_paints_fast_while_streaming_then_smooth_after_rest(qtbot, view,
                                                                      monkeypatch) -> None:
    from PySide6.QtGui import QPainter

    from console.ui import remote_view

    view.apply_patches(1600, 900, [(0, 0, solid(1600, 900, "#000000"))])  # scale 0.5
    wait_painted(qtbot, view)
    assert not view.painting_fast  # a new screen size is painted smoothly at once
    hints: list[bool] = []
    real_draw = QPainter.drawImage

    def spy_draw(painter: QPainter, *args: Any) -> Any:
        hints.append(bool(painter.renderHints() & QPainter.RenderHint.SmoothPixmapTransform))
        return real_draw(painter, *args)

    monkeypatch.setattr(remote_view.QPainter, "drawImage", spy_draw)
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    view.apply_patches(1600, 900, [(400, 200, solid(100, 60, "#ff0000"))])
    assert view.painting_fast
    qtbot.waitUntil(lambda: bool(spy.rects), timeout=2000)
    fast_rect = spy.rects[0]
    assert fast_rect.width() <= 60 and fast_rect.height() <= 40, fast_rect  # only the damage
    assert hints and not any(hints)  # fast transform while frames stream
    hints.clear()
    spy.rects.clear()
    qtbot.waitUntil(lambda: not view.painting_fast, timeout=2000)
    qtbot.waitUntil(lambda: bool(spy.rects), timeout=2000)
    # after the rest: one smooth repaint of just what was painted fast
    assert all(hints) and hints
    assert all(fast_rect.contains(r) for r in spy.rects), (fast_rect, spy.rects)
    spy.rects.clear()
    qtbot.wait(remote_view.SMOOTH_AFTER_MS + 100)  # the stimulus: a resting screen, watched
    assert not spy.rects  # and then nothing more: a resting screen costs no paints


def test_unscaled_view_never_enters_fast_mode(qtbot, view) -> None:
    view.set_scale_mode("actual")
    view.apply_patches(640, 480, [(0, 0, solid(640, 480, "#000000"))])
    view.apply_patches(640, 480, [(10, 10, solid(20, 20, "#ff0000"))])
    assert view.scale() == 1.0
    assert not view.painting_fast


def test_decoder_patches_are_painted_from_its_framebuffer_before_returning(qtbot, view) -> None:
    """Issue 16 (console CPU): the view paints straight from the decoder's framebuffer, no
    blit into an image of its own, and it has painted when apply_patches returns, because the
    decoder writes the next frame as soon as it did (frame_shown): never half a frame."""
    arr = np.zeros((900, 1600, 4), np.uint8)
    arr[..., 3] = 255
    view.apply_patches(1600, 900, damage_patches(arr, [(0, 0, 1600, 900)]))
    qtbot.wait(20)  # (a new size was painted at once, too)
    arr[200:260, 400:500] = (0, 0, 255, 255)  # BGRA red, as the decoder writes it
    spy = PaintSpy()
    view.viewport().installEventFilter(spy)
    try:
        view.apply_patches(1600, 900, damage_patches(arr, [(400, 200, 100, 60)]))
        assert spy.rects, "painted before apply_patches returned"  # no event loop turn yet
    finally:
        view.viewport().removeEventFilter(spy)
    assert QColor(view.image().pixel(450, 230)) == QColor("#ff0000")
    shot = view.viewport().grab().toImage()
    assert QColor(shot.pixel(225, 75 + 115)) == QColor("#ff0000")
    # the same memory, not a copy: what the decoder writes is what the view reads
    arr[0:10, 0:10] = (0, 255, 0, 255)
    assert QColor(view.image().pixel(5, 5)) == QColor("#00ff00")
    # patches of their own (not a framebuffer's views) still work: blitted into a private copy
    view.apply_patches(1600, 900, [(0, 0, solid(10, 10, "#0000ff"))])
    arr[0:10, 0:10] = 0
    assert QColor(view.image().pixel(5, 5)) == QColor("#0000ff")
    assert QColor(view.image().pixel(450, 230)) == QColor("#ff0000")


def test_a_view_at_1to1_shows_every_remote_pixel_exactly(qtbot) -> None:
    """Issue 16 (convergence): a view one pixel taller than an even letterbox (here 51 rows
    left over) placed the picture at y = 25.5, so each repaint sampled the image at half-pixel
    rows and damage repainted on its own picked other rows than the full paint: the
    technician's picture at 1:1 was off by a row in places and never became exact. The picture
    now sits on whole pixels: the viewport shows the remote screen pixel for pixel, also after
    partial repaints."""
    v = RemoteView()
    qtbot.addWidget(v)
    v.resize(320, 251)
    v.show()
    qtbot.waitExposed(v)
    qtbot.waitUntil(lambda: v.viewport().size().height() == 251, timeout=2000)
    rng = np.random.default_rng(7)
    arr = rng.integers(0, 256, (200, 320, 4), dtype=np.uint8)
    arr[..., 3] = 255
    v.apply_patches(320, 200, damage_patches(arr, [(0, 0, 320, 200)]))
    qtbot.wait(20)
    arr[50:90, 30:130] = rng.integers(0, 256, (40, 100, 4), dtype=np.uint8)
    arr[..., 3] = 255
    v.apply_patches(320, 200, damage_patches(arr, [(30, 50, 100, 40)]))
    assert v.placement().scale == 1.0
    qtbot.wait(50)
    # what the X server shows (a widget's grab() would paint it all afresh)
    shot = v.screen().grabWindow(v.viewport().winId()).toImage().convertToFormat(
        QImage.Format.Format_RGB32)
    got = np.frombuffer(shot.constBits(), np.uint8).reshape(
        shot.height(), shot.bytesPerLine() // 4, 4)[:, :320, :3]
    # the picture starts at row 25 or 26 (on main: 25.5): exactly, every pixel, at one of them
    bad = {oy: int((got[oy:oy + 200] != arr[:, :, :3]).any(axis=2).sum()) for oy in (25, 26)}
    assert 0 in bad.values(), f"pixels differing with the picture at row 25 / 26: {bad}"
