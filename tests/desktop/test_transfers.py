"""File transfer I/O (desktop/transfers.py) on the real disk: hashing and reading (FileSource),
names, parts, free space, the writer thread and the final rename (FileSink)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.transfers import (
    PARTIAL_DIR,
    RECEIVED_MODE,
    FileSink,
    FileSource,
    TransferIOError,
    default_download_dir,
)


@dataclass(frozen=True)
class Info:
    id: int
    name: str
    size: int
    sha256: str


def info_for(data: bytes, name: str, id: int = 1) -> Info:
    return Info(id, name, len(data), hashlib.sha256(data).hexdigest())


def write_all(sink: FileSink, id: int, data: bytes, start: int = 0, step: int = 7000) -> int:
    """Write ``data[start:]`` in pieces through the writer thread; the last ``done`` offset."""
    done = threading.Event()
    ends: list[int] = []

    def on_done(end: int) -> None:
        ends.append(end)
        if end == len(data):
            done.set()

    def on_failed(exc: TransferIOError) -> None:
        raise AssertionError(exc)

    for off in range(start, len(data), step):
        sink.write(id, off, data[off:off + step], on_done, on_failed)
    if start < len(data):
        assert done.wait(10)
    return ends[-1] if ends else start


def test_source_hashes_and_reads(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = tmp_path / "Setup Ümlaut.exe"
    path.write_bytes(data)
    source = FileSource()
    try:
        prepared = source.hasher.submit(source.prepare, path).result(10)
        assert (prepared.name, prepared.size) == ("Setup Ümlaut.exe", len(data))
        assert prepared.sha256 == hashlib.sha256(data).hexdigest()
        assert source.reader.submit(source.read, prepared, 5, 1000).result(5) == data[5:1005]
        with pytest.raises(TransferIOError, match="changed while"):
            source.read(prepared, len(data) - 10, 20)
        source.release(prepared)
        source.release(prepared)
        with pytest.raises(TransferIOError, match="cannot be read"):
            source.prepare(tmp_path / "gone.bin")
        with pytest.raises(TransferIOError, match="not a file"):
            source.prepare(tmp_path)
    finally:
        source.close()


@pytest.mark.parametrize(
    ("offered", "saved"),
    [("../../x", "x"), ("CON", "_CON"), ("con.txt", "_con.txt"),
     ("a\u202egnp.exe", "agnp.exe"), ("..", "_"), ("", "file"), ("n\x00ul", "nul_"),
     ("Übersicht.pdf...", "Übersicht.pdf"), ("y" * 300 + ".zip", "y" * 196 + ".zip")],
)
def test_sink_lands_a_hostile_name_inside_the_folder(tmp_path: Path, offered: str,
                                                     saved: str) -> None:
    if saved == "nul_":
        saved = "_nul"  # (NUL removed, then "nul" is a Windows device)
    data = os.urandom(20_000)
    sink = FileSink(margin=0)
    try:
        offset, target = sink.open(info_for(data, offered), tmp_path)
        assert offset == 0 and target == tmp_path / saved
        write_all(sink, 1, data)
        landed = sink.finish(1, True).result(5)
        assert landed == tmp_path / saved and landed.read_bytes() == data
        assert stat.S_IMODE(landed.stat().st_mode) == RECEIVED_MODE  # never executable
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted([saved, PARTIAL_DIR])
        assert list((tmp_path / PARTIAL_DIR).iterdir()) == []
    finally:
        sink.close()


def test_collisions_are_renamed_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"the customer's own")
    sink = FileSink(margin=0)
    try:
        first, second = b"first" * 100, b"second" * 100
        _, t1 = sink.open(info_for(first, "report.pdf", 1), tmp_path)
        _, t2 = sink.open(info_for(second, "report.pdf", 2), tmp_path)
        assert t1.name == t2.name == "report (2).pdf"  # (chosen again when it lands)
        write_all(sink, 1, first)
        write_all(sink, 2, second)
        # A file of the chosen name appears meanwhile: it is not replaced either.
        t1.write_bytes(b"appeared meanwhile")
        landed1 = sink.finish(1, True).result(5)
        landed2 = sink.finish(2, True).result(5)
        assert (tmp_path / "report.pdf").read_bytes() == b"the customer's own"
        assert t1.read_bytes() == b"appeared meanwhile"
        assert landed1 is not None and landed1.read_bytes() == first
        assert landed2 is not None and landed2.read_bytes() == second
        assert len({landed1, landed2, t1}) == 3
    finally:
        sink.close()


def test_a_part_is_kept_on_cancel_and_resumed_from(tmp_path: Path) -> None:
    data = os.urandom(300_000)
    info = info_for(data, "update.msi")
    sink = FileSink(margin=0)
    try:
        sink.open(info, tmp_path)
        write_all(sink, 1, data[:123_456])
        sink.cancel(1, "cancelled")
        sink.writer.submit(lambda: None).result(5)
        part = tmp_path / PARTIAL_DIR / f"{info.sha256}.part"
        assert part.read_bytes() == data[:123_456]
        assert stat.S_IMODE(part.stat().st_mode) == 0o600
        assert not (tmp_path / "update.msi").exists()

        offset, _ = sink.open(info, tmp_path)
        assert offset == 123_456
        prefix = sink.writer.submit(lambda: b"".join(sink.prefix_chunks(1))).result(5)
        assert prefix == data[:123_456]
        write_all(sink, 1, data, start=offset)
        landed = sink.finish(1, True).result(5)
        assert landed is not None and landed.read_bytes() == data
        assert not part.exists()
    finally:
        sink.close()


def test_a_part_that_does_not_match_is_deleted_never_renamed(tmp_path: Path) -> None:
    data = os.urandom(50_000)
    info = info_for(data, "licence.txt")
    sink = FileSink(margin=0)
    try:
        sink.open(info, tmp_path)
        write_all(sink, 1, data)
        assert sink.finish(1, False).result(5) is None
        assert sorted(p.name for p in tmp_path.iterdir()) == [PARTIAL_DIR]
        assert list((tmp_path / PARTIAL_DIR).iterdir()) == []
        # A hash mismatch on cancel deletes the part too (the next offer starts at 0).
        sink.open(info, tmp_path)
        write_all(sink, 1, data[:10_000])
        sink.cancel(1, "hash_mismatch")
        sink.writer.submit(lambda: None).result(5)
        assert list((tmp_path / PARTIAL_DIR).iterdir()) == []
        # A part longer than the file is not a prefix of it: start from 0.
        (tmp_path / PARTIAL_DIR / f"{info.sha256}.part").write_bytes(b"x" * 60_000)
        assert sink.open(info, tmp_path)[0] == 0
    finally:
        sink.close()


def test_no_space_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    free = shutil.disk_usage(tmp_path).free
    sink = FileSink()
    try:
        with pytest.raises(TransferIOError) as info:
            sink.open(Info(1, "huge.iso", free + 1, "a" * 64), tmp_path)
        assert info.value.reason == "no_space"
        assert "not enough free space" in str(info.value)
        assert not (tmp_path / "huge.iso").exists()
        with pytest.raises(TransferIOError, match="checksum"):
            sink.open(Info(2, "x", 1, "../../etc"), tmp_path)
    finally:
        sink.close()


def test_an_unusable_folder_is_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_bytes(b"")
    sink = FileSink(margin=0)
    try:
        with pytest.raises(TransferIOError, match="cannot be used") as info:
            sink.open(Info(1, "a.txt", 1, "b" * 64), blocker)
        assert info.value.reason == "error"
    finally:
        sink.close()


def test_out_of_order_write_fails_once(tmp_path: Path) -> None:
    sink = FileSink(margin=0)
    failures: list[TransferIOError] = []
    try:
        sink.open(Info(1, "a.bin", 100, "c" * 64), tmp_path)
        sink.write(1, 10, b"x" * 10, lambda end: None, failures.append)
        sink.write(1, 20, b"x" * 10, lambda end: None, failures.append)
        sink.writer.submit(lambda: None).result(5)
        assert [f.reason for f in failures] == ["error"]
    finally:
        sink.close()


def test_default_download_dir_is_made_under_downloads(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path))
    folder = default_download_dir()
    assert folder == tmp_path / "Downloads" / "Fernhilfe" and folder.is_dir()
