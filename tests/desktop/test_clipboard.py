"""The clipboard bridge both programs use (desktop/clipboard.py), with the real QClipboard on the
test's Xvfb display and real X clients on the other end of the CLIPBOARD selection: Debian's
``xclip`` (text, an image), and a second Qt process (text together with URLs or an image, as a
file manager or a browser puts them there).

Text copied in another X client is emitted once; text set from the peer is not emitted back and
another client pastes it; images, URLs and files are ignored; over the cap is refused, not sent;
disabled = silent both ways.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest

from bench.support.relay import stop_process
from desktop.clipboard import MAX_CLIPBOARD_BYTES, ClipboardBridge

#: A second X client that owns the clipboard with several formats at once, until killed.
_QT_OWNER = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QMimeData, QTimer, QUrl
    from PySide6.QtGui import QGuiApplication, QImage, QColor
    app = QGuiApplication([])
    mime = QMimeData()
    mime.setText(sys.argv[1])
    if sys.argv[2] == "urls":
        mime.setUrls([QUrl.fromLocalFile("/home/kunde/Rechnung.pdf")])
    else:
        image = QImage(8, 8, QImage.Format.Format_RGB32)
        image.fill(QColor("red"))
        mime.setImageData(image)
    app.clipboard().setMimeData(mime)
    QTimer.singleShot(0, lambda: print("ready", flush=True))
    app.exec()
    """
)


class Clients:
    """The X clients a test started; every one is stopped at the end."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def xclip_copy(self, data: bytes, target: str | None = None) -> None:
        """Copy ``data`` in xclip (it owns the selection, in the foreground, until killed)."""
        args = ["xclip", "-quiet", "-selection", "clipboard", "-i"]
        if target:
            args += ["-t", target]
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL)
        self.procs.append(proc)
        assert proc.stdin is not None
        proc.stdin.write(data)
        proc.stdin.close()

    def qt_copy(self, qtbot, text: str, extra: str) -> None:
        """Copy ``text`` together with URLs or an image from a second Qt program."""
        proc = subprocess.Popen([sys.executable, "-c", _QT_OWNER, text, extra],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.procs.append(proc)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"

    def paste(self, qtbot) -> str:
        """What another X client pastes (run beside Qt's event loop: this process may own it)."""
        proc = subprocess.Popen(["xclip", "-selection", "clipboard", "-o"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.procs.append(proc)
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=5000)
        assert proc.stdout is not None
        return proc.stdout.read().decode()

    def stop(self) -> None:
        for proc in self.procs:
            stop_process(proc)

    def __enter__(self) -> Clients:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@pytest.fixture
def clients() -> Iterator[Clients]:
    with Clients() as got:
        yield got


@pytest.fixture
def bridge(qapp) -> Iterator[ClipboardBridge]:
    made = ClipboardBridge()
    made.enabled = True
    try:
        yield made
    finally:
        made.close()


def collect(bridge: ClipboardBridge) -> tuple[list[str], list[str]]:
    sent: list[str] = []
    refused: list[str] = []
    bridge.local_text.connect(sent.append)
    bridge.local_refused.connect(refused.append)
    return sent, refused


def test_text_copied_in_another_client_is_emitted_once(qtbot, bridge, clients) -> None:
    sent, refused = collect(bridge)
    clients.xclip_copy("Lizenz: 4711-ÄÖÜ-\u202eabc\n".encode())
    qtbot.waitUntil(lambda: sent == ["Lizenz: 4711-ÄÖÜ-\u202eabc\n"], timeout=5000)
    qtbot.wait(500)
    assert sent == ["Lizenz: 4711-ÄÖÜ-\u202eabc\n"] and refused == []
    clients.xclip_copy(b"second copy")
    qtbot.waitUntil(lambda: sent[-1:] == ["second copy"], timeout=5000)
    assert len(sent) == 2


def test_text_from_the_peer_is_pasted_but_not_sent_back(qtbot, bridge, clients) -> None:
    sent, _ = collect(bridge)
    bridge.set_remote_text("vom Techniker: 123")
    assert clients.paste(qtbot) == "vom Techniker: 123"
    qtbot.wait(500)
    assert sent == []
    # The same text copied again elsewhere is not news either; a new text is.
    clients.xclip_copy(b"vom Techniker: 123")
    qtbot.wait(500)
    assert sent == []
    clients.xclip_copy(b"die Antwort der Kundin")
    qtbot.waitUntil(lambda: sent == ["die Antwort der Kundin"], timeout=5000)


@pytest.mark.parametrize("extra", ["urls", "image"])
def test_urls_and_images_are_ignored(qtbot, bridge, clients, extra: str) -> None:
    sent, refused = collect(bridge)
    clients.qt_copy(qtbot, "/home/kunde/Rechnung.pdf", extra)
    qtbot.wait(800)
    assert sent == [] and refused == []
    # A text copy afterwards still goes: the bridge is not stuck.
    clients.xclip_copy(b"nur Text")
    qtbot.waitUntil(lambda: sent == ["nur Text"], timeout=5000)


def test_an_image_alone_is_ignored(qtbot, bridge, clients) -> None:
    sent, refused = collect(bridge)
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
           b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05"
           b"\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    clients.xclip_copy(png, target="image/png")
    qtbot.wait(800)
    assert sent == [] and refused == []


def test_text_over_the_cap_is_refused_not_sent(qtbot, bridge, clients) -> None:
    sent, refused = collect(bridge)
    clients.xclip_copy(b"x" * (MAX_CLIPBOARD_BYTES + 1))
    qtbot.waitUntil(lambda: refused == ["too_long"], timeout=5000)
    assert sent == []
    clients.xclip_copy(b"with a NUL\x00 inside")
    qtbot.waitUntil(lambda: refused == ["too_long", "characters"], timeout=5000)
    clients.xclip_copy("ü".encode() * (MAX_CLIPBOARD_BYTES // 2))
    qtbot.waitUntil(lambda: len(sent) == 1, timeout=5000)
    assert sent[0] == "ü" * (MAX_CLIPBOARD_BYTES // 2)


def test_disabled_is_silent_both_ways(qtbot, bridge, clients) -> None:
    sent, refused = collect(bridge)
    bridge.enabled = False
    assert not bridge.enabled
    clients.xclip_copy(b"private text of the customer")
    qtbot.wait(800)
    bridge.set_remote_text("must not land")
    assert clients.paste(qtbot) == "private text of the customer"
    assert sent == [] and refused == []
    # Allowed again: what the clipboard held before is not sent, the next copy is.
    bridge.enabled = True
    qtbot.wait(300)
    assert sent == []
    clients.xclip_copy(b"now allowed")
    qtbot.waitUntil(lambda: sent == ["now allowed"], timeout=5000)


def test_closed_bridge_is_silent(qtbot, bridge, clients) -> None:
    sent, _ = collect(bridge)
    bridge.close()
    bridge.close()
    clients.xclip_copy(b"after the session")
    qtbot.wait(800)
    bridge.set_remote_text("late text from the peer")
    assert clients.paste(qtbot) == "after the session"
    assert sent == []
