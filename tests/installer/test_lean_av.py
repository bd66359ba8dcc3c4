"""The lean video build's bookkeeping (installer/lean_av.py, build_agent.py; issue 16).

The build itself (FFmpeg from Debian's source, PyAV from its sdist, 2-15 minutes) runs in
scripts/setup.sh; test_onefile_video.py and test_onefile_agent.py check what it produces inside
the built agent. Here: which cached build is used, the environment PyInstaller runs in, that
video is the default only where the lean build exists, and the pinned FFmpeg source: where it
comes from and what happens when Debian's mirror no longer has it.

FAKE: the source tests put a fake ``apt-get``/``apt-cache`` first on PATH (a small Python
script that answers from a canned index and a tiny tarball). Tests have no network, and the
failure they check (the pinned version gone from Debian) cannot be produced with the real
mirror; the real apt path runs in scripts/setup.sh on every cold cache.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import tarfile
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
import build_agent
import lean_av


def _fake_build(cache: Path, key: str, age: float = 0.0) -> Path:
    root = cache / "lean-av" / key
    (root / "site").mkdir(parents=True)
    done = root / "done"
    done.write_text("test\n")
    when = time.time() - age
    os.utime(done, (when, when))
    return root


def test_only_the_pinned_ffmpeg_build_for_this_pyav_is_used(tmp_path: Path) -> None:
    av, py = lean_av.av_version(), f"py{sys.version_info[0]}{sys.version_info[1]}"
    pinned = lean_av.cache_key(lean_av.PIN.version, av)
    assert lean_av.find_cached(tmp_path) is None
    _fake_build(tmp_path, f"ffmpeg-9.9.9-av-{av}-{py}-aaaa")  # newer FFmpeg: never instead
    _fake_build(tmp_path, lean_av.cache_key(lean_av.PIN.version, "0.0.1"))  # another PyAV
    assert lean_av.find_cached(tmp_path) is None
    (tmp_path / "lean-av" / pinned).mkdir()  # no "done": an interrupted build is never used
    assert lean_av.find_cached(tmp_path) is None
    (tmp_path / "lean-av" / pinned / "done").write_text("test\n")
    root = tmp_path / "lean-av" / pinned
    found = lean_av.find_cached(tmp_path)
    assert found == lean_av.LeanAv(site=root / "site", libdir=root / "ffmpeg" / "lib")


def test_pyinstaller_runs_where_import_av_is_the_lean_build(tmp_path: Path) -> None:
    root = _fake_build(tmp_path, "k")
    (root / "site" / "av").mkdir()
    (root / "site" / "av" / "__init__.py").write_text("LEAN = True\n")
    lean = lean_av.LeanAv(site=root / "site", libdir=root / "ffmpeg" / "lib")
    env = lean.env({"PATH": os.environ["PATH"], "LD_LIBRARY_PATH": "/elsewhere"})
    assert env["LD_LIBRARY_PATH"] == f"{root / 'ffmpeg' / 'lib'}{os.pathsep}/elsewhere"
    out = subprocess.run([sys.executable, "-c", "import av; print(av.LEAN)"], env=env,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_the_cache_key_changes_with_ffmpeg_pyav_and_flags() -> None:
    keys = {lean_av.cache_key("9.0.2", "18.1.0"), lean_av.cache_key("9.0.3", "18.1.0"),
            lean_av.cache_key("9.0.2", "18.2.0")}
    assert len(keys) == 3


def test_video_is_the_default_only_on_linux() -> None:
    assert build_agent.video_wanted(None, "linux")
    assert not build_agent.video_wanted(None, "win32")
    assert not build_agent.video_wanted(None, "darwin")
    assert build_agent.video_wanted(True, "win32") and not build_agent.video_wanted(False, "linux")


# ------------------------------------------------------------------- the pinned FFmpeg source

FAKE_APT = textwrap.dedent("""\
    #!{python}
    # FAKE apt-get / apt-cache for tests/installer/test_lean_av.py (no network in tests).
    import os, shutil, sys
    from pathlib import Path
    fake = Path({fake!r})
    args = sys.argv[1:]
    with (fake / "calls").open("a") as log:
        log.write(Path(sys.argv[0]).name + " " + " ".join(args) + "\\n")
    if (fake / "offline").exists():
        sys.exit(100)
    sources = next(a.split("=", 1)[1] for a in args if a.startswith("Dir::Etc::sourcelist="))
    if "update" in args:
        shutil.copy(sources, fake / "sources-at-update")
        sys.exit(0)
    if "showsrc" in args:
        print((fake / "index").read_text(), end="")
        sys.exit(0)
    if "source" in args:  # like this machine's mirror: the tarball, a 404 for the .dsc
        shutil.copy(fake / "served", Path.cwd() / {tarball!r})
        sys.exit(100)
    sys.exit(1)
""")


def _tiny_tarball(path: Path, version: str) -> lean_av.FfmpegPin:
    """A stand-in FFmpeg source tarball and the pin that names it."""
    data = b"not FFmpeg, a stand-in"
    info = tarfile.TarInfo(f"ffmpeg-{version}/README")
    info.size = len(data)
    with tarfile.open(path, "w:xz") as tar:
        tar.addfile(info, io.BytesIO(data))
    blob = path.read_bytes()
    return lean_av.FfmpegPin(version, hashlib.sha256(blob).hexdigest(), len(blob))


def _record(version: str, sha256: str, size: int) -> str:
    upstream = version.split(":")[-1].rsplit("-", 1)[0]
    return (f"Package: ffmpeg\nBinary: libavcodec62\nVersion: {version}\n"
            "Files:\n 4c47fa111bd791da246ec07748ba5e04 5822 ffmpeg.dsc\n"
            f"Checksums-Sha256:\n {'a' * 64} 5822 ffmpeg_{version.split(':')[-1]}.dsc\n"
            f" {sha256} {size} ffmpeg_{upstream}.orig.tar.xz\n"
            "Package-List: \n ffmpeg deb video optional arch=any\n\n")


class FakeApt:
    """The fake apt's folder: what its index offers, what it serves, what it was asked."""

    def __init__(self, folder: Path, pin: lean_av.FfmpegPin) -> None:
        self.folder = folder
        for tool in ("apt-get", "apt-cache"):
            script = folder / tool
            script.write_text(FAKE_APT.format(python=sys.executable, fake=str(folder),
                                              tarball=pin.tarball))
            script.chmod(0o755)

    def offer(self, *records: str, served: Path) -> None:
        (self.folder / "index").write_text("".join(records))
        (self.folder / "served").write_bytes(served.read_bytes())

    def calls(self) -> list[str]:
        path = self.folder / "calls"
        return path.read_text().splitlines() if path.is_file() else []

    def go_offline(self) -> None:
        (self.folder / "offline").touch()


@pytest.fixture
def pinned(tmp_path: Path) -> tuple[lean_av.FfmpegPin, Path]:
    tarball = tmp_path / "ffmpeg_0.0.1.orig.tar.xz"
    return _tiny_tarball(tarball, "0.0.1"), tarball


@pytest.fixture
def apt(tmp_path: Path, pinned: tuple[lean_av.FfmpegPin, Path],
        monkeypatch: pytest.MonkeyPatch) -> FakeApt:
    folder = tmp_path / "fake-apt"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return FakeApt(folder, pinned[0])


def _work(tmp_path: Path) -> tuple[Path, Path]:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return work, work / "build.log"


def test_pinned_source_is_fetched_once_then_kept(tmp_path: Path, apt: FakeApt,
                                                 pinned: tuple[lean_av.FfmpegPin, Path]) -> None:
    pin, tarball = pinned
    newer = _tiny_tarball(tmp_path / "newer.tar.xz", "0.0.2")
    apt.offer(_record("7:0.0.2-1", newer.sha256, newer.size), _record("7:0.0.1-3", pin.sha256,
              pin.size), served=tarball)
    cache = tmp_path / "cache"
    got = lean_av.fetch_ffmpeg(*_work(tmp_path), cache, pin)
    assert got == cache / "sources" / pin.tarball and got.read_bytes() == tarball.read_bytes()
    assert any(c.endswith("source --download-only ffmpeg=7:0.0.1-3") for c in apt.calls())
    apt.go_offline()  # the mirror lost it, or there is no network: the kept copy is enough
    assert lean_av.fetch_ffmpeg(*_work(tmp_path), cache, pin) == got


def test_a_newer_ffmpeg_on_the_mirror_is_never_built_instead(
        tmp_path: Path, apt: FakeApt, pinned: tuple[lean_av.FfmpegPin, Path]) -> None:
    pin, _ = pinned
    newer = _tiny_tarball(tmp_path / "newer.tar.xz", "0.0.2")
    apt.offer(_record("7:0.0.2-1", newer.sha256, newer.size), served=tmp_path / "newer.tar.xz")
    cache = tmp_path / "cache"
    with pytest.raises(lean_av.LeanAvError) as err:
        lean_av.fetch_ffmpeg(*_work(tmp_path), cache, pin)
    message = str(err.value)
    for says in ("pinned FFmpeg 0.0.1", pin.sha256, "offer ffmpeg 7:0.0.2-1", "--ffmpeg-tarball",
                 "--print-pin", "no other FFmpeg", ", ".join(lean_av.SUITES)):
        assert says in message
    assert not any(" source " in c for c in apt.calls())  # nothing downloaded, nothing built
    searched = (apt.folder / "sources-at-update").read_text()
    assert [line.split()[2] for line in searched.splitlines()] == list(lean_av.SUITES)
    assert not (cache / "sources").exists()


def test_a_download_that_is_not_the_pinned_tarball_is_refused(
        tmp_path: Path, apt: FakeApt, pinned: tuple[lean_av.FfmpegPin, Path]) -> None:
    pin, _ = pinned
    other = _tiny_tarball(tmp_path / "other.tar.xz", "0.0.1-evil")
    apt.offer(_record("7:0.0.1-1", pin.sha256, pin.size), served=tmp_path / "other.tar.xz")
    assert other.sha256 != pin.sha256
    cache = tmp_path / "cache"
    with pytest.raises(lean_av.LeanAvError, match="did not download intact"):
        lean_av.fetch_ffmpeg(*_work(tmp_path), cache, pin)
    assert not (cache / "sources" / pin.tarball).exists()


def test_a_damaged_cached_tarball_is_fetched_again(
        tmp_path: Path, apt: FakeApt, pinned: tuple[lean_av.FfmpegPin, Path]) -> None:
    pin, tarball = pinned
    apt.offer(_record("7:0.0.1-1", pin.sha256, pin.size), served=tarball)
    cache = tmp_path / "cache"
    (cache / "sources").mkdir(parents=True)
    (cache / "sources" / pin.tarball).write_bytes(b"x" * pin.size)
    got = lean_av.fetch_ffmpeg(*_work(tmp_path), cache, pin)
    assert got.read_bytes() == tarball.read_bytes()


def test_a_handed_in_tarball_is_checked_against_the_pin(
        tmp_path: Path, apt: FakeApt, pinned: tuple[lean_av.FfmpegPin, Path]) -> None:
    pin, tarball = pinned
    cache = tmp_path / "cache"
    wrong = _tiny_tarball(tmp_path / "ffmpeg-0.0.1.tar.xz", "0.0.1-changed")
    assert wrong.sha256 != pin.sha256
    with pytest.raises(lean_av.LeanAvError, match=r"is not FFmpeg 0\.0\.1 as pinned"):
        lean_av.hand_in_tarball(tmp_path / "ffmpeg-0.0.1.tar.xz", cache, pin)
    assert not (cache / "sources" / pin.tarball).exists()
    kept = lean_av.hand_in_tarball(tarball, cache, pin)
    apt.go_offline()
    assert lean_av.fetch_ffmpeg(*_work(tmp_path), cache, pin) == kept
    assert apt.calls() == []


def test_a_failed_build_leaves_its_reason_for_setup_and_the_tests(
        tmp_path: Path, apt: FakeApt, pinned: tuple[lean_av.FfmpegPin, Path]) -> None:
    from tests.installer.conftest import lean_video_missing

    pin, _ = pinned
    apt.go_offline()
    cache = tmp_path / "cache"
    with pytest.raises(lean_av.LeanAvError, match="mirror could not be asked") as err:
        lean_av.build(cache, pin=pin)
    assert "apt-get failed (exit 100)" in str(err.value) and "--ffmpeg-tarball" in str(err.value)
    assert lean_av.find_cached(cache, pin) is None
    reason = lean_av.failed_log(cache).read_text()
    assert reason.startswith(str(err.value))
    if sys.platform.startswith("linux"):
        missing = lean_video_missing(cache)
        assert missing is not None and str(err.value) in missing


def test_setup_carries_on_and_says_which_tests_will_fail() -> None:
    setup = (Path(__file__).resolve().parents[2] / "scripts" / "setup.sh").read_text()
    assert "lean-av-failed.log" in setup and "test_onefile" in setup


@given(st.text())
def test_showsrc_parser_takes_only_whole_records(text: str) -> None:
    for found in lean_av.parse_showsrc(text):
        upstream = found.version.split(":", 1)[-1].rsplit("-", 1)[0]
        assert found.tarball == f"ffmpeg_{upstream}.orig.tar.xz"
        assert len(found.sha256) == 64 and found.size >= 0


@given(st.lists(st.tuples(st.from_regex(r"[0-9]{1,2}:[0-9.]{1,8}-[0-9]{1,2}", fullmatch=True),
                          st.binary(min_size=1, max_size=8), st.integers(0, 10**9)),
                max_size=4))
def test_showsrc_parser_finds_every_real_record(
        records: list[tuple[str, bytes, int]]) -> None:
    text = "".join(_record(v, hashlib.sha256(b).hexdigest(), n) for v, b, n in records)
    found = lean_av.parse_showsrc(text)
    assert [(f.version, f.sha256, f.size) for f in found] == \
        [(v, hashlib.sha256(b).hexdigest(), n) for v, b, n in records]
