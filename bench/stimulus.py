"""The glass-to-glass stimulus: a full-screen window on the customer's display.

Run by ``bench/glass_to_glass.py`` as ``python -m bench.stimulus`` with DISPLAY set to the
customer's screen. It is an ordinary X client: nothing in Fernhilfe or VNC knows it is there.

What it shows (fixed layout for a 1920x1080 screen, scaled for others):

* a **marker** square that takes the next colour of :data:`PALETTE` on the command ``next`` and
  on every left mouse press on it (that is how click-to-photon works: the technician's click
  travels to this window, which reacts at once);
* a **text field** for typing (focused, no cursor blinking so a resting screen really rests);
* a **barcode**: the scroll tick number and its complement as black/white blocks, so the
  technician side can count distinct customer frames and time each one;
* a **document**: a QTextEdit of varied text with a photograph (:func:`_photo_image`, 480x270)
  after every few paragraphs (issue 16: text only was too kind to every codec), which
  ``scroll on`` scrolls by 1–3 lines per tick of a 60 Hz precise timer, until ``scroll off``;
* ``video on``/``video off``: a **full-screen video**, a photograph larger than the screen
  panned by a few pixels per tick at :data:`VIDEO_HZ` (every pixel moves, as in a film or a
  slideshow's pan), the barcode on top (event ``video`` like ``scroll``).

Commands come one per line on stdin; every event is one JSON line on stdout with
``time.monotonic()`` stamps (CLOCK_MONOTONIC is the same clock in every process of this machine,
so the bench can subtract them from its own readings). A colour change is stamped right after
``repaint()`` returned, i.e. after Qt painted and flushed it to the X server.

Commands: ``next``, ``colour N``, ``scroll on``, ``scroll off``, ``clear``, ``geometry``,
``raise``, ``quit``, ``video on|off``. Events: ``ready`` (with the geometry), ``colour`` (source
``cmd`` or ``click``), ``press`` (when a click reached the window, before the repaint), ``key``
(a key press reached the text field, before Qt handled it), ``scroll`` (start/stop with tick
counts and tick times), ``video`` (the same), ``cleared``, ``raised``, ``geometry``.

Used by ``bench/session_figures.py`` (hidden until asked for, so glass_to_glass sees the same
screen as before):

* ``corners K`` shows four **corner markers** (inset from the screen edges, clear of the agent's
  session frame) in colours of :data:`CORNER_COLOURS` rotated by K, so each new session can look
  for a combination the previous one did not show; ``corners off`` hides them. Event ``corners``
  with their boxes and colours.
* ``flood prepare`` pre-renders :data:`FLOOD_IMAGES` full-screen images (photo-like and
  text-like; event ``flood_ready``); ``flood on`` then shows them in turn at 60 Hz, one per tick,
  so the **whole screen** changes every tick, with the barcode on top carrying the tick number;
  ``flood off`` stops and hides them (event ``flood`` like ``scroll``, with tick times).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

import numpy as np
from PySide6.QtCore import QSocketNotifier, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
    QTextImageFormat,
)
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QTextEdit, QWidget

#: Saturated colours that stay far apart after JPEG (RGB). Index 0 is the "locate" colour.
PALETTE: list[tuple[int, int, int]] = [
    (255, 0, 255),  # magenta
    (0, 200, 0),  # green
    (0, 60, 255),  # blue
    (255, 200, 0),  # amber
    (230, 0, 0),  # red
    (0, 220, 220),  # cyan
]

SCROLL_HZ = 60.0
#: The full-screen video's frame rate and its pan per frame (px): a film runs at 25-30 fps.
VIDEO_HZ = 30.0
VIDEO_PAN = (7, 3)
#: The document: lines of text, a photograph after every PHOTO_EVERY of them.
DOC_LINES = 1500
PHOTO_EVERY = 14
PHOTO_SIZE = (480, 270)

#: Corner marker colours (RGB): far from each other and from every PALETTE entry, so neither the
#: marker ``locate`` nor a corner watch can mistake one for another.
CORNER_COLOURS: list[tuple[int, int, int]] = [
    (255, 120, 0),  # orange
    (120, 0, 255),  # violet
    (120, 255, 0),  # lime
    (255, 0, 120),  # pink
    (0, 120, 120),  # teal
    (120, 60, 0),  # brown
]
CORNER_SIZE = 48  # px at 1920x1080
CORNER_INSET = 16  # px from the screen edge: the agent's session frame is 6 px wide

#: Full-screen images the flood mode alternates between: kinds in the order shown.
FLOOD_IMAGES = ("photo", "text", "photo", "code")

_TEXT = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua Rechnung Drucker Treiber Kundennummer 2024 Server Freigabe "
    "quick brown fox jumps over the lazy dog 0123456789 ÄÖÜäöüß configuration update backup "
    "Netzwerk Ordner Passwort zurücksetzen Outlook Kalender Termin invoice printer spooler queue "
    "{ } [ ] ( ) = + - * / ; : , . ! ? # % & @ tabulator Überweisung Steuerberater Wartung"
)
_WORDS = _TEXT.split()


class NoneGuard:
    """Keeps ``None``'s reference count from reaching zero in this process.

    With PySide6 6.12.0 on CPython 3.11 every call of a void Qt method from Python (``update()``,
    ``setValue()``, ``QPalette.setColor()``…) drops one reference to ``None``; after ~5000 such
    calls the process aborts with "none_dealloc: deallocating None". A 60 Hz stimulus makes that
    many calls in a minute, so it tops the count up from time to time. (The product is affected
    too; see bench/README.md.)
    """

    def __init__(self) -> None:
        self.base = sys.getrefcount(None)
        self.bank: list[None] = []

    def top_up(self) -> None:
        missing = self.base - sys.getrefcount(None)
        if missing > 0:
            self.bank.extend([None] * missing)


GUARD = NoneGuard()


def emit(event: str, **fields: object) -> None:
    fields["event"] = event
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


def document_text(lines: int = 4000, seed: int = 7) -> str:
    rnd = random.Random(seed)
    out = []
    for i in range(lines):
        n = rnd.randint(3, 22)
        words = " ".join(rnd.choice(_WORDS) for _ in range(n))
        indent = " " * (4 * rnd.randint(0, 3)) if rnd.random() < 0.3 else ""
        out.append(f"{i + 1:5d}  {indent}{words}")
    return "\n".join(out)


def _fill(widget: QWidget, rgb: tuple[int, int, int]) -> None:
    """Solid background through the palette. No Python ``paintEvent`` overrides here: with one
    repainting at 60 Hz, PySide6 6.12 aborted this process ("none_dealloc: deallocating None")."""
    pal = widget.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor(*rgb))
    widget.setPalette(pal)


def _photo_image(width: int, height: int, seed: int) -> QImage:
    """Something a camera might have taken: smooth colour fields, mid-sized blobs, soft shapes
    and per-pixel grain (so no two pixels repeat and a lossless codec gains little)."""
    rnd = np.random.default_rng(seed)

    def smooth(rows: int, cols: int, amp: float) -> np.ndarray:
        small = rnd.integers(0, 256, (rows, cols, 3), dtype=np.uint8)
        img = QImage(small.tobytes(), cols, rows, 3 * cols, QImage.Format.Format_RGB888)
        big = img.scaled(
            width,
            height,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        ).convertToFormat(QImage.Format.Format_RGB888)
        arr: np.ndarray = np.frombuffer(big.constBits(), np.uint8).reshape(
            height, big.bytesPerLine()
        )
        arr = arr[:, : 3 * width].reshape(height, width, 3).astype(np.float32)
        return (arr - 128.0) * (amp / 128.0)

    base = 128.0 + smooth(6, 10, 110) + smooth(40, 70, 35)
    base += rnd.normal(0.0, 7.0, (height, width, 3)).astype(np.float32)
    arr = np.clip(base, 0, 255).astype(np.uint8)
    img = QImage(arr.tobytes(), width, height, 3 * width, QImage.Format.Format_RGB888).copy()
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    for _ in range(14):
        red, green, blue = (int(v) for v in rnd.integers(0, 256, 3))
        colour = QColor(red, green, blue, int(rnd.integers(60, 160)))
        painter.setBrush(colour)
        r = int(rnd.integers(width // 30, width // 7))
        painter.drawEllipse(
            int(rnd.integers(0, width)) - r, int(rnd.integers(0, height)) - r, 2 * r, 2 * r
        )
    painter.end()
    return img


def _text_image(width: int, height: int, seed: int, dark: bool) -> QImage:
    """A page of text: a document (light) or a code editor (dark), lines in several colours."""
    rnd = random.Random(seed)
    img = QImage(width, height, QImage.Format.Format_RGB888)
    img.fill(QColor(30, 32, 38) if dark else QColor(252, 252, 250))
    painter = QPainter(img)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    inks = (
        [(220, 220, 210), (120, 200, 255), (250, 180, 90), (160, 230, 140), (200, 140, 240)]
        if dark
        else [(20, 24, 30), (20, 24, 30), (20, 24, 30), (0, 80, 170), (170, 30, 30)]
    )
    font = QFont("DejaVu Sans Mono" if dark else "DejaVu Sans")
    lines = document_text(400, seed).split("\n")
    y, i = 8, rnd.randrange(len(lines))
    while y < height:
        size = 15 if dark else rnd.choice([14, 15, 16, 16, 17, 22])
        font.setPixelSize(size)
        font.setBold(size > 20)
        painter.setFont(font)
        painter.setPen(QColor(*rnd.choice(inks)))
        painter.drawText(12 + 24 * rnd.randint(0, 2), y + size, lines[i % len(lines)] * 2)
        y, i = y + size + 5, i + 1
    painter.end()
    return img


def photo_document(font: QFont, lines: int = DOC_LINES, seed: int = 7) -> QTextDocument:
    """Text with a photograph after every :data:`PHOTO_EVERY` lines (eight different ones,
    cycled), built once with a cursor (an HTML string this long lays out far slower)."""
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(4)
    for k in range(8):
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"photo{k}"),
                        _photo_image(*PHOTO_SIZE, seed=300 + k))
    cursor = QTextCursor(doc)
    text = document_text(lines, seed).split("\n")
    for i, line in enumerate(text):
        if i:
            cursor.insertBlock()
        cursor.insertText(line)
        if i % PHOTO_EVERY == PHOTO_EVERY - 1:
            cursor.insertBlock()
            image = QTextImageFormat()
            image.setName(f"photo{(i // PHOTO_EVERY) % 8}")
            image.setWidth(PHOTO_SIZE[0])
            image.setHeight(PHOTO_SIZE[1])
            cursor.insertImage(image)
    return doc


class TypingField(QPlainTextEdit):
    """The text field; stamps each key press's arrival (the technician's typing echo)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        emit("key", t=time.monotonic(), text=event.text())
        super().keyPressEvent(event)
        self.viewport().repaint()  # show the glyph now, not at the next loop turn


class Marker(QWidget):
    def __init__(self, stimulus: Stimulus) -> None:
        super().__init__(stimulus)
        self.stimulus = stimulus
        self.setAutoFillBackground(True)
        _fill(self, PALETTE[0])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            emit("press", t=time.monotonic())
            self.stimulus.set_colour(self.stimulus.index + 1, "click")


class Barcode(QWidget):
    """The scroll tick number (8 bits), then its complement: 16 black/white blocks in a row.

    The technician side reads it to count *distinct customer frames* that arrive, which a
    half-painted (torn) update cannot fake: a single tear line yields value/complement mismatch.
    """

    BITS = 8

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.value = -1
        self.blocks = []
        for _ in range(2 * self.BITS):
            block = QWidget(self)
            block.setAutoFillBackground(True)
            self.blocks.append(block)
        self.set_value(0)

    def resizeEvent(self, _event: QResizeEvent) -> None:
        n = len(self.blocks)
        for i, block in enumerate(self.blocks):
            x0, x1 = i * self.width() // n, (i + 1) * self.width() // n
            block.setGeometry(x0, 0, x1 - x0, self.height())

    def set_value(self, value: int) -> None:
        bits = [(value >> i) & 1 for i in range(self.BITS)]
        bits += [1 - b for b in bits]
        old = [(self.value >> i) & 1 for i in range(self.BITS)] if self.value >= 0 else []
        old += [1 - b for b in old]
        for i, (block, bit) in enumerate(zip(self.blocks, bits, strict=True)):
            if not old or old[i] != bit:
                _fill(block, (0, 0, 0) if bit else (255, 255, 255))
        self.value = value


class Stimulus(QWidget):
    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle("glass-to-glass stimulus")
        self.setAutoFillBackground(True)
        _fill(self, (244, 244, 240))  # a style sheet here would override the children's palettes
        self.setGeometry(0, 0, width, height)
        sx, sy = width / 1920.0, height / 1080.0
        self.index = 0

        def box(x: int, y: int, w: int, h: int) -> tuple[int, int, int, int]:
            return int(x * sx), int(y * sy), int(w * sx), int(h * sy)

        self.marker = Marker(self)
        self.marker.setGeometry(*box(60, 60, 240, 240))
        self.barcode = Barcode(self)
        self.barcode.setGeometry(*box(360, 60, 384, 32))
        self.typing = TypingField(self)
        self.typing.setGeometry(*box(1280, 130, 580, 170))
        self.typing.setStyleSheet("background: white; color: #111; font-size: 16px;")
        self.typing.setPlaceholderText("type here")
        self.doc = QTextEdit(self)
        self.doc.setGeometry(*box(60, 340, 1800, 680))
        self.doc.setReadOnly(True)
        self.doc.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.doc.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
        self.doc.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.doc.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = QFont("DejaVu Sans")
        font.setPixelSize(17)
        self.doc.setFont(font)
        self.doc.setStyleSheet("background: white; color: #1b1f24;")
        self._document = photo_document(font)
        self.doc.setDocument(self._document)
        self._line_px = self.doc.fontMetrics().lineSpacing()
        self._rnd = random.Random(11)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(round(1000 / SCROLL_HZ))
        self._timer.timeout.connect(self._tick)
        self._ticks = 0
        self._tick_times: list[float] = []
        self._scroll_t0 = 0.0
        # session_figures only: corner markers and the full-screen flood, hidden until asked for
        self.corners: list[QWidget] = []
        c, inset = int(CORNER_SIZE * sx), int(CORNER_INSET * sx)
        for cx, cy in (
            (inset, inset),
            (width - inset - c, inset),
            (inset, height - inset - c),
            (width - inset - c, height - inset - c),
        ):
            corner = QWidget(self)
            corner.setAutoFillBackground(True)
            corner.setGeometry(cx, cy, c, c)
            corner.hide()
            self.corners.append(corner)
        self.flood_label = QLabel(self)
        self.flood_label.setGeometry(0, 0, width, height)
        self.flood_label.hide()
        self._flood_pixmaps: list[QPixmap] = []
        self._flood_timer = QTimer(self)
        self._flood_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._flood_timer.setInterval(round(1000 / SCROLL_HZ))
        self._flood_timer.timeout.connect(self._flood_tick)
        self._video: QPixmap | None = None
        self._video_pos = [0, 0]
        self._video_dir = [1, 1]
        self._video_timer = QTimer(self)
        self._video_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._video_timer.setInterval(round(1000 / VIDEO_HZ))
        self._video_timer.timeout.connect(self._video_tick)

    def geometry_fields(self) -> dict[str, object]:
        def g(w: QWidget) -> list[int]:
            r = w.geometry()
            return [r.x(), r.y(), r.width(), r.height()]

        return {
            "marker": g(self.marker),
            "barcode": g(self.barcode),
            "typing": g(self.typing),
            "doc": g(self.doc),
            "screen": [self.width(), self.height()],
            "palette": PALETTE,
        }

    def set_colour(self, index: int, source: str) -> None:
        self.index = index % len(PALETTE)
        _fill(self.marker, PALETTE[self.index])
        self.marker.repaint()  # paint + flush to the X server now, not at the next loop turn
        emit("colour", t=time.monotonic(), index=self.index, source=source)

    def _tick(self) -> None:
        GUARD.top_up()
        bar = self.doc.verticalScrollBar()
        step = self._rnd.randint(1, 3) * self._line_px
        value = bar.value() + step
        if value >= bar.maximum():
            value = 0
        bar.setValue(value)
        self._ticks += 1
        self.barcode.set_value(self._ticks & 0xFF)
        self.doc.viewport().repaint()  # paint and flush now, so the stamp is when it shows
        self.barcode.repaint()
        self._tick_times.append(time.monotonic())

    def set_corners(self, k: int) -> list[list[int]]:
        colours = []
        for i, corner in enumerate(self.corners):
            rgb = CORNER_COLOURS[(k + i) % len(CORNER_COLOURS)]
            _fill(corner, rgb)
            corner.show()
            corner.raise_()
            colours.append(list(rgb))
        self.repaint()
        return colours

    def prepare_flood(self) -> None:
        if self._flood_pixmaps:
            return
        w, h = self.width(), self.height()
        for i, kind in enumerate(FLOOD_IMAGES):
            if kind == "photo":
                img = _photo_image(w, h, seed=100 + i)
            else:
                img = _text_image(w, h, seed=200 + i, dark=kind == "code")
            self._flood_pixmaps.append(QPixmap.fromImage(img))

    def _flood_tick(self) -> None:
        GUARD.top_up()
        self._ticks += 1
        self.flood_label.setPixmap(self._flood_pixmaps[self._ticks % len(self._flood_pixmaps)])
        self.barcode.set_value(self._ticks & 0xFF)
        self.repaint()  # the whole window (label and barcode on top), flushed now
        self._tick_times.append(time.monotonic())

    def _video_tick(self) -> None:
        GUARD.top_up()
        assert self._video is not None
        self._ticks += 1
        for axis, limit in ((0, self._video.width() - self.width()),
                            (1, self._video.height() - self.height())):
            nxt = self._video_pos[axis] + self._video_dir[axis] * VIDEO_PAN[axis]
            if not 0 <= nxt <= limit:
                self._video_dir[axis] *= -1
                nxt = self._video_pos[axis] + self._video_dir[axis] * VIDEO_PAN[axis]
            self._video_pos[axis] = nxt
        x, y = self._video_pos
        self.flood_label.setPixmap(self._video.copy(x, y, self.width(), self.height()))
        self.barcode.set_value(self._ticks & 0xFF)
        self.repaint()
        self._tick_times.append(time.monotonic())

    def _ticking(self, name: str, timer: QTimer, on: bool) -> None:
        """Start or stop a timed mode (video); events like ``scroll``'s."""
        if on and not timer.isActive():
            self._ticks = 0
            self._tick_times = []
            self._scroll_t0 = time.monotonic()
            timer.start()
            emit(name, t=self._scroll_t0, on=True)
        elif not on and timer.isActive():
            timer.stop()
            now = time.monotonic()
            emit(name, t=now, on=False, ticks=self._ticks,
                 hz=self._ticks / max(1e-6, now - self._scroll_t0), tick_times=self._tick_times)

    def command(self, line: str) -> None:
        GUARD.top_up()
        parts = line.split()
        if not parts:
            return
        cmd = parts[0]
        if cmd == "next":
            self.set_colour(self.index + 1, "cmd")
        elif cmd == "colour":
            self.set_colour(int(parts[1]), "cmd")
        elif cmd == "scroll":
            if parts[1] == "on" and not self._timer.isActive():
                self._ticks = 0
                self._tick_times = []
                self._scroll_t0 = time.monotonic()
                self._timer.start()
                emit("scroll", t=self._scroll_t0, on=True)
            elif parts[1] == "off" and self._timer.isActive():
                self._timer.stop()
                now = time.monotonic()
                emit(
                    "scroll",
                    t=now,
                    on=False,
                    ticks=self._ticks,
                    hz=self._ticks / max(1e-6, now - self._scroll_t0),
                    tick_times=self._tick_times,
                )
        elif cmd == "corners":
            if parts[1] == "off":
                for corner in self.corners:
                    corner.hide()
                emit("corners", t=time.monotonic(), boxes=[], colours=[])
            else:
                colours = self.set_corners(int(parts[1]))
                boxes = [
                    [c.geometry().x(), c.geometry().y(), c.width(), c.height()]
                    for c in self.corners
                ]
                emit("corners", t=time.monotonic(), boxes=boxes, colours=colours)
        elif cmd == "flood":
            if parts[1] == "prepare":
                t0 = time.monotonic()
                self.prepare_flood()
                emit(
                    "flood_ready",
                    t=time.monotonic(),
                    seconds=time.monotonic() - t0,
                    images=list(FLOOD_IMAGES),
                )
            elif parts[1] == "on" and not self._flood_timer.isActive():
                self.prepare_flood()
                self._ticks = 0
                self._tick_times = []
                self.flood_label.show()
                self.flood_label.raise_()
                self.barcode.raise_()
                self._scroll_t0 = time.monotonic()
                self._flood_timer.start()
                emit("flood", t=self._scroll_t0, on=True)
            elif parts[1] == "off" and self._flood_timer.isActive():
                self._flood_timer.stop()
                now = time.monotonic()
                self.flood_label.hide()
                self.repaint()
                emit(
                    "flood",
                    t=now,
                    on=False,
                    ticks=self._ticks,
                    hz=self._ticks / max(1e-6, now - self._scroll_t0),
                    tick_times=self._tick_times,
                )
        elif cmd == "video":
            if parts[1] == "on" and self._video is None:
                self._video = QPixmap.fromImage(
                    _photo_image(self.width() + 640, self.height() + 360, seed=400))
            if parts[1] == "on" and not self._video_timer.isActive():
                self.flood_label.show()
                self.flood_label.raise_()
                self.barcode.raise_()
            elif parts[1] == "off" and self._video_timer.isActive():
                self.flood_label.hide()
                self.repaint()
            self._ticking("video", self._video_timer, parts[1] == "on")
        elif cmd == "clear":
            self.typing.clear()
            self.typing.setFocus()
            emit("cleared", t=time.monotonic())
        elif cmd == "geometry":
            emit("geometry", **self.geometry_fields())
        elif cmd == "raise":
            self.raise_()
            emit("raised", t=time.monotonic())
        elif cmd == "quit":
            QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setCursorFlashTime(0)  # no blinking text cursor: a resting screen must rest
    screen = app.primaryScreen().geometry()
    win = Stimulus(screen.width(), screen.height())
    win.show()
    win.raise_()
    win.typing.setFocus()
    buf = bytearray()

    def on_stdin() -> None:
        chunk = os.read(0, 4096)
        if not chunk:
            QApplication.quit()
            return
        buf.extend(chunk)
        while b"\n" in buf:
            line, _, rest = bytes(buf).partition(b"\n")
            buf[:] = rest
            win.command(line.decode())

    notifier = QSocketNotifier(0, QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    QTimer.singleShot(300, lambda: emit("ready", t=time.monotonic(), **win.geometry_fields()))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
