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


# ------------------------------------------------------------------ through a real relay
#
# Two real session drivers (bench/support/file_sessions.py) paired through ``python -m relay``
# on loopback, each with the real TransferPump, FileSource and FileSink on the real disk.


def _run(coro_fn, timeout: float = 90.0):
    """Run one async test body on a fresh loop, bounded."""
    import asyncio

    async def bounded():
        return await asyncio.wait_for(coro_fn(), timeout)

    return asyncio.run(bounded())


def _make(path: Path, size: int, mode: int = 0o644) -> bytes:
    data = os.urandom(size)
    path.write_bytes(data)
    path.chmod(mode)
    return data


def _records(pair) -> tuple[list[dict], list[dict]]:
    from desktop.audit_store import read_record

    return (list(read_record(pair.agent.record.path)),
            list(read_record(pair.console.record.path)))


async def _send(pair, sender, path: Path, timeout: float = 60.0):
    """Send ``path`` from ``sender`` (pair.agent / pair.console); the receiver's final update."""
    from bench.support.file_sessions import until

    receiver = pair.console if sender is pair.agent else pair.agent
    direction = sender.pump.out_direction
    n = len(sender.updates)
    sender.pump.send_file(path)
    await until(lambda: any(u.direction == direction for u in sender.updates[n:]), timeout)
    first = next(u for u in sender.updates[n:] if u.direction == direction)
    if first.state == "cancelled":
        return first, first
    await until(lambda: sender.final(direction, first.id) is not None, timeout)
    await until(lambda: receiver.final(direction, first.id) is not None
                or sender.final(direction, first.id).state == "cancelled", timeout)
    return sender.final(direction, first.id), receiver.final(direction, first.id)


@pytest.mark.parametrize("direction", ["to_customer", "to_technician"])
def test_files_land_byte_identical_with_hostile_names(tmp_path: Path, relay_url: str,
                                                      direction: str) -> None:
    from bench.support.file_sessions import open_pair

    src = tmp_path / "src"
    src.mkdir()
    files = {
        "CON": 3000,
        "con.txt": 1,
        "a\u202egnp.exe": 70_000,
        "Ü" * 120 + ".pdf": 300_000,  # 240 bytes of name on disk: shortened, extension kept
        "empty.txt": 0,
        "Setup Fernwartung.exe": 3 * 1024 * 1024 + 5,  # several chunks, executable here
    }
    expected = {"CON": "_CON", "con.txt": "_con.txt", "a\u202egnp.exe": "agnp.exe",
                "empty.txt": "empty.txt", "Setup Fernwartung.exe": "Setup Fernwartung.exe"}
    contents = {name: _make(src / name, size, 0o755) for name, size in files.items()}

    async def body() -> None:
        pair = await open_pair(relay_url, tmp_path / "run")
        try:
            sender = pair.console if direction == "to_customer" else pair.agent
            receiver = pair.agent if sender is pair.console else pair.console
            for name, data in contents.items():
                sent, got = await _send(pair, sender, src / name)
                assert sent.state == "completed" and got.state == "completed", (sent, got)
                landed = Path(got.path)
                assert landed.parent == receiver.folder
                assert landed.read_bytes() == data
                assert got.sha256 == hashlib.sha256(data).hexdigest() == sent.sha256
                assert got.size == len(data) and got.incoming and not sent.incoming
                assert not landed.stat().st_mode & 0o111  # never executable
                want = expected.get(name)
                if want is not None:
                    assert landed.name == want
                else:
                    assert landed.name.endswith(".pdf") and len(landed.name.encode()) <= 200
            # The same name again is renamed, never overwritten.
            sent, got = await _send(pair, sender, src / "con.txt")
            assert Path(got.path).name == "_con (2).txt"
            assert (receiver.folder / "_con.txt").read_bytes() == contents["con.txt"]
        finally:
            await pair.end()
        agent_log, console_log = _records(pair)
        for log in (agent_log, console_log):
            done = [e for e in log if e["event"] == "file_completed"]
            assert len(done) == len(files) + 1
            assert {e["direction"] for e in done} == {direction}
            assert all("text" not in e for e in log)
        saved = [e for e in agent_log if e["event"] == "file_completed"]
        assert all(("path" in e) == (direction == "to_customer") for e in saved)

    _run(body)


def test_a_transfer_cut_at_half_resumes_from_the_part_in_a_new_offer(tmp_path: Path) -> None:
    """The relay dies at half (SIGKILL, no resume: the session ends); in a new session the
    same file offered again continues from the customer's part, and the hash is checked."""
    from bench.support.file_sessions import open_pair, until
    from bench.support.relay import RelayProcess, free_port

    data = _make(tmp_path / "Update 2026.msi", 24 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()
    relay = RelayProcess(free_port())
    relay.start()
    url = f"ws://127.0.0.1:{relay.port}/v1"

    async def body() -> tuple[int, int]:
        pair = await open_pair(url, tmp_path / "one", resumable=False)
        try:
            pair.console.pump.send_file(tmp_path / "Update 2026.msi")

            def half() -> bool:
                ids = [u.id for u in pair.agent.updates]
                got = pair.agent.session.incoming(ids[-1]) if ids else None
                return got is not None and got.received >= len(data) // 2

            await until(half, 30, step=0.0005)
            relay.kill()
            await until(lambda: pair.agent.ended is not None
                        and pair.console.ended is not None, 30)
        finally:
            await pair.end()
        cut = [u for u in pair.agent.updates if u.state == "cancelled"]
        assert [u.reason for u in cut] == ["ended"]
        part = tmp_path / "one" / "customer" / PARTIAL_DIR / f"{sha}.part"
        held = part.stat().st_size
        assert len(data) // 2 <= held < len(data)
        assert part.read_bytes() == data[:held]
        assert not (tmp_path / "one" / "customer" / "Update 2026.msi").exists()

        relay.start()
        # A new session, whose customer keeps files in the same folder.
        pair = await open_pair(url, tmp_path / "two")
        pair.agent.pump._folder = tmp_path / "one" / "customer"
        try:
            sent, got = await _send(pair, pair.console, tmp_path / "Update 2026.msi")
            resumed_at = next(u.done for u in pair.console.updates if u.state == "running")
        finally:
            await pair.end()
        assert sent.state == got.state == "completed"
        landed = Path(got.path)
        assert landed == tmp_path / "one" / "customer" / "Update 2026.msi"
        assert landed.read_bytes() == data
        assert not part.exists()
        return resumed_at, held

    try:
        resumed_at, held = _run(body)
    finally:
        relay.stop()
    assert resumed_at == held  # the sender started where the part ended, not at 0


def test_a_corrupted_part_gives_hash_mismatch_never_a_wrong_file(tmp_path: Path,
                                                                 relay_url: str) -> None:
    data = _make(tmp_path / "licence.key", 2 * 1024 * 1024 + 3)
    sha = hashlib.sha256(data).hexdigest()
    bad = bytearray(data[: len(data) // 2])
    bad[1000] ^= 0xFF  # one flipped byte on the customer's disk
    parts = tmp_path / "run" / "customer" / PARTIAL_DIR
    parts.mkdir(parents=True)
    (parts / f"{sha}.part").write_bytes(bytes(bad))

    async def body() -> None:
        from bench.support.file_sessions import open_pair, until

        pair = await open_pair(relay_url, tmp_path / "run")
        try:
            sent, got = await _send(pair, pair.console, tmp_path / "licence.key")
            assert sent.state == got.state == "cancelled", (sent, got)
            assert sent.reason == got.reason == "hash_mismatch"
            assert got.path == ""
            assert sorted(p.name for p in pair.agent.folder.iterdir()) == [PARTIAL_DIR]
            # The bad part is deleted (on the writer thread, before any later look for it):
            # the next try starts clean.
            await until(lambda: list(parts.iterdir()) == [], 5)
            sent, got = await _send(pair, pair.console, tmp_path / "licence.key")
            assert got.state == "completed" and Path(got.path).read_bytes() == data
        finally:
            await pair.end()
        agent_log, console_log = _records(pair)
        for log in (agent_log, console_log):
            assert [e["reason"] for e in log if e["event"] == "file_cancelled"] == [
                "hash_mismatch"]

    _run(body)


def test_no_space_is_refused_and_both_sides_hear_it(tmp_path: Path, relay_url: str) -> None:
    _make(tmp_path / "big.iso", 100_000)

    async def body() -> None:
        from bench.support.file_sessions import open_pair

        pair = await open_pair(relay_url, tmp_path / "run")
        # The customer's disk keeps this much free beyond any file: nothing fits.
        pair.agent.pump.file_sink.margin = shutil.disk_usage(tmp_path).free
        try:
            sent, got = await _send(pair, pair.console, tmp_path / "big.iso")
            assert sent.state == got.state == "cancelled"
            assert sent.reason == got.reason == "no_space"
            assert sorted(p.name for p in pair.agent.folder.iterdir()) == [PARTIAL_DIR]
        finally:
            await pair.end()

    _run(body)


def test_a_file_that_cannot_be_saved_is_cancelled_in_both_records(
        tmp_path: Path, relay_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Art. 28: the sender's record must not say "completed" for a file the receiver never
    saved. Every byte arrives and matches; putting it in place then fails. (A fake failure:
    this suite runs as root, which no permission on the folder stops, so the final move is
    made to raise the OSError a full or vanished disk gives.) Before, the sender heard
    FileComplete as soon as the hash matched and recorded "completed"."""
    data = _make(tmp_path / "Bericht.pdf", 70_000)
    import desktop.transfers as transfers

    def disk_gone(part: Path, folder: Path, name: str) -> Path:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(transfers, "_move_into_place", disk_gone)

    async def body() -> None:
        from bench.support.file_sessions import open_pair

        pair = await open_pair(relay_url, tmp_path / "run")
        try:
            sent, got = await _send(pair, pair.console, tmp_path / "Bericht.pdf")
            assert sent.state == got.state == "cancelled", (sent, got)
            assert sent.reason == got.reason == "error"
            assert "could not be saved" in got.message
            assert not any(p.name == "Bericht.pdf" for p in pair.agent.folder.iterdir())
        finally:
            await pair.end()
        agent_log, console_log = _records(pair)
        for log in (agent_log, console_log):
            assert not [e for e in log if e["event"] == "file_completed"]
            assert [e["reason"] for e in log if e["event"] == "file_cancelled"] == ["error"]
        assert len(data) == 70_000

    _run(body)


def test_a_cancel_while_the_file_is_being_saved_leaves_no_file_and_agreeing_records(
        tmp_path: Path, relay_url: str) -> None:
    """The technician cancels after the last byte, while the customer's side still puts the
    verified file in place (held here on the writer thread, before the move): the transfer
    ends "cancelled" on both sides, both records say so, and no file stays in Downloads that
    the records say never arrived. Before, the sender heard FileComplete as soon as the hash
    matched and recorded "completed"."""
    _make(tmp_path / "Bericht.pdf", 70_000)

    async def body() -> None:
        from bench.support.file_sessions import open_pair, until

        pair = await open_pair(relay_url, tmp_path / "run")
        sink = pair.agent.pump.file_sink
        saving, go_on, moved = threading.Event(), threading.Event(), threading.Event()
        real_finish = sink._finish

        def held_finish(id: int, verified: bool) -> Path | None:  # the writer thread
            saving.set()
            go_on.wait(20)
            try:
                return real_finish(id, verified)
            finally:
                moved.set()

        sink._finish = held_finish  # type: ignore[method-assign]
        try:
            n = len(pair.console.updates)
            pair.console.pump.send_file(tmp_path / "Bericht.pdf")
            await until(saving.is_set, 30)
            first = next(u for u in pair.console.updates[n:] if u.direction == "to_customer")
            pair.console.pump.cancel("to_customer", first.id)
            await until(lambda: pair.agent.final("to_customer", first.id) is not None, 30)
            go_on.set()
            await until(lambda: moved.is_set() and not any(
                p.name == "Bericht.pdf" for p in pair.agent.folder.iterdir()), 30)
            sent = pair.console.final("to_customer", first.id)
            got = pair.agent.final("to_customer", first.id)
            assert sent is not None and got is not None
            assert sent.state == got.state == "cancelled", (sent, got)
        finally:
            go_on.set()
            await pair.end()
        agent_log, console_log = _records(pair)
        for log in (agent_log, console_log):
            assert not [e for e in log if e["event"] == "file_completed"]
            assert [e["reason"] for e in log if e["event"] == "file_cancelled"] == ["cancelled"]

    _run(body)


def test_sending_without_the_permission_is_a_cancelled_update(tmp_path: Path,
                                                               relay_url: str) -> None:
    _make(tmp_path / "x.txt", 10)

    async def body() -> None:
        from bench.support.file_sessions import open_pair

        pair = await open_pair(relay_url, tmp_path / "run",
                               grant=frozenset({"view", "files_in"}))
        try:
            sent, _ = await _send(pair, pair.agent, tmp_path / "x.txt")
            assert (sent.state, sent.reason, sent.id) == ("cancelled", "not_permitted", 0)
            sent, _ = await _send(pair, pair.console, tmp_path / "missing.txt")
            assert (sent.state, sent.reason) == ("cancelled", "unreadable")
        finally:
            await pair.end()

    _run(body)


def test_hostile_names_on_the_wire_are_sanitised_by_the_receiver(
        tmp_path: Path, relay_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A technician's program that does not sanitise (offer_name switched off in this process's
    sender; the receiver's rule is the same module, untouched): the names arrive raw and the
    customer's side still lands every file inside its folder under a safe name."""
    from concurrent.futures import Future

    import shared.session
    from bench.support.file_sessions import open_pair, until
    from desktop.transfers import PreparedFile

    monkeypatch.setattr(shared.session, "offer_name", lambda name: name)
    hostile = {
        "../../x": "x", "..": "_", "CON": "_CON", "con.txt": "_con.txt",
        "a\u202egnp.exe": "agnp.exe", "..\\..\\AppData\\Roaming\\evil.bat": "evil.bat",
        "C:\\Windows\\win.ini": "win.ini", "trailing. . .": "trailing",
        "\x1b[31mred\x07.txt": "[31mred.txt", ".bashrc": "_bashrc",
        "w" * 255: "w" * 200,
    }
    data = _make(tmp_path / "payload.bin", 5000)
    sha = hashlib.sha256(data).hexdigest()

    async def body() -> None:
        pair = await open_pair(relay_url, tmp_path / "run")
        try:
            for raw, safe in hostile.items():
                n = len(pair.agent.updates)
                done: Future[PreparedFile] = Future()
                done.set_result(PreparedFile(tmp_path / "payload.bin", raw, len(data), sha))
                pair.console.pump._prepared(tmp_path / "payload.bin", done)
                def arrived(n: int = n) -> bool:
                    return any(u.state in ("completed", "cancelled")
                               for u in pair.agent.updates[n:])

                await until(arrived, 20)
                got = next(u for u in pair.agent.updates[n:]
                           if u.state in ("completed", "cancelled"))
                assert got.state == "completed", got
                assert Path(got.path) == pair.agent.folder / safe
                assert Path(got.path).read_bytes() == data
        finally:
            await pair.end()
        assert sorted(p.name for p in (tmp_path / "run").iterdir()) == [
            "customer", "records", "technician"]
        landed = sorted(p.name for p in pair.agent.folder.iterdir())
        assert landed == sorted([*hostile.values(), PARTIAL_DIR])
        offered = [e["name"] for e in _records(pair)[0] if e["event"] == "file_offered"]
        assert offered == list(hostile.values())  # the record holds the safe names too

    _run(body)


def test_revoking_mid_transfer_cancels_on_both_sides_and_keeps_the_part(
        tmp_path: Path, relay_url: str) -> None:
    """The customer takes files_in back while a file comes in: both sides end it "revoked"
    (recorded on both), no file appears, the part stays for a later resume; a new offer is
    refused while the permission is off, and after it is given again the file resumes."""
    from bench.support.file_sessions import open_pair, until

    data = _make(tmp_path / "Treiber.zip", 24 * 1024 * 1024)
    sha = hashlib.sha256(data).hexdigest()

    async def body() -> None:
        pair = await open_pair(relay_url, tmp_path / "run")
        agent, console = pair.agent, pair.console
        try:
            console.pump.send_file(tmp_path / "Treiber.zip")

            def quarter() -> bool:
                ids = [u.id for u in agent.updates]
                got = agent.session.incoming(ids[-1]) if ids else None
                return got is not None and got.received >= len(data) // 4

            await until(quarter, 30, step=0.0005)
            agent.handle(agent.session.set_permission("files_in", False))
            await until(lambda: console.final("to_customer", 1) is not None
                        and agent.final("to_customer", 1) is not None, 10)
            for side in (agent, console):
                last = side.final("to_customer", 1)
                assert last is not None
                assert (last.state, last.reason) == ("cancelled", "revoked"), side.updates
            part = agent.folder / PARTIAL_DIR / f"{sha}.part"
            await until(lambda: part.exists() and part.stat().st_size >= len(data) // 4, 5)
            assert sorted(p.name for p in agent.folder.iterdir()) == [PARTIAL_DIR]

            sent, _ = await _send(pair, console, tmp_path / "Treiber.zip")
            assert (sent.state, sent.reason) == ("cancelled", "not_permitted")

            agent.handle(agent.session.set_permission("files_in", True))
            await until(lambda: "files_in" in console.session.permissions, 10)
            sent, got = await _send(pair, console, tmp_path / "Treiber.zip")
            assert sent.state == got.state == "completed"
            assert Path(got.path).read_bytes() == data
            assert console.accepted[-1][1] > 0  # went on from the part
        finally:
            await pair.end()
        for log in _records(pair):
            cancelled = [e for e in log if e["event"] == "file_cancelled"]
            assert [(e["reason"], e["by"]) for e in cancelled] == [("revoked", "customer")]

    _run(body)
