"""PyAV over an FFmpeg that holds only what the agent uses, so video fits the 60 MB agent (Linux).

    python installer/lean_av.py            # build once (cached), print where it is
    python installer/lean_av.py --check    # exit 1 when no cached build exists

Why: PyAV's wheel brings an FFmpeg with every codec (x265, SVT-AV1, dav1d, vpx, gnutls, ...):
+28.5 MB in the one-file agent, which then is 77 MB. The agent needs libx264 (encode) and the
h264 decoder (its own tests), nothing else. This builds FFmpeg from Debian's own source
package with ``--disable-everything`` plus those, against Debian's libx264, and PyAV from its
sdist (the same version the environment has) against that FFmpeg: +4.1 MB instead (53.0 MB
agent with video, FFmpeg 9.0.2 and PyAV 18.1.0; size lane, issue 16).
Nothing is patched: FFmpeg's and PyAV's own build systems, and the libraries are bundled by
PyInstaller like any other. The build only changes what the one-file agent bundles; the
development environment keeps PyPI's wheel.

The FFmpeg source is PINNED (``PIN``: upstream version and the SHA-256 of its tarball), because
Debian testing moves: a new upload could break PyAV's build or change the bundle, and the old one
leaves the mirror. Only the pinned tarball is ever built; nothing falls back to another FFmpeg.
Where it comes from, in order (sources come through package clients only):

1. ``~/.cache/fernhilfe-build/sources/`` (kept after the first download: with that folder
   cached, CI needs no mirror at all);
2. Debian's mirror through ``apt-get source --download-only`` (a private sources list, state and
   cache folder; the system's apt configuration is not touched; apt checks the files against
   Debian's signed index), searching ``SUITES`` in order for a source package whose upstream
   tarball is the pinned one (forky first; sid and experimental keep it a little longer);
3. a file handed in by a person: ``--ffmpeg-tarball FILE`` (Debian's
   ``ffmpeg_<v>.orig.tar.xz`` from any mirror or snapshot, or upstream's ``ffmpeg-<v>.tar.xz``,
   which Debian ships unchanged: its ``.orig.tar.xz.asc`` is upstream's signature). The pinned
   SHA-256 decides, whatever the file is called.

snapshot.debian.org does not resolve from the build machines and deb.debian.org/debian-debug
answers 400, so when the pinned version has left every suite and no cache holds it, the build
stops with a message that names both ways out: hand the tarball in, or move the pin
(``--print-pin`` shows what forky has now; put it into ``PIN``, rebuild, run
tests/installer/test_onefile_video.py).

Needs: nasm, libx264-dev, pkg-config, gcc, make (scripts/setup.sh installs them). Takes 2 minutes
on 2 quiet cores (up to 15 on busy ones), once per FFmpeg and PyAV version: cached in
``~/.cache/fernhilfe-build/lean-av/<key>/``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FfmpegPin:
    """The one FFmpeg source the lean build uses: upstream version and its tarball's SHA-256."""

    version: str
    sha256: str
    size: int

    @property
    def tarball(self) -> str:
        """Debian's name for the upstream tarball (the only file of the source package used)."""
        return f"ffmpeg_{self.version}.orig.tar.xz"


#: FFmpeg 9.0.2 as Debian forky had it on 2026-12-01 (ffmpeg 7:9.0.2-4; the .dsc's SHA-256 is
#: a4edad3a..., but only the upstream tarball is built, and it stays the same across Debian
#: revisions -5, -6, ...: so the tarball is what is pinned). PyAV 18 needs FFmpeg >= 8.
PIN = FfmpegPin("9.0.2", "8c3850283eb25fa026482078a04051e0be17347b09ef81a0849bec15a96e002e",
                12040788)
#: Debian suites searched for the pinned source, in order: testing first, then the suites that
#: keep an FFmpeg a little after testing moved on (bookworm has 5.1, trixie 7.1: too old).
SUITES = ("forky", "sid", "experimental")
MIRROR = "http://deb.debian.org/debian"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "fernhilfe-build"
#: What FFmpeg keeps: libx264 for the agent's encoder, h264 for decoding (tests, the console's
#: codec), swscale for BGRA -> YUV. PyAV links all seven libraries, so they are built, empty.
CONFIGURE = [
    "--enable-shared", "--disable-static", "--disable-programs", "--disable-doc",
    "--disable-debug", "--disable-everything", "--disable-autodetect", "--disable-network",
    "--enable-pthreads", "--enable-gpl", "--enable-libx264", "--enable-encoder=libx264",
    "--enable-decoder=h264", "--enable-parser=h264",
    "--enable-filter=buffer,buffersink,abuffer,abuffersink,format,scale",
    "--enable-swscale", "--enable-swresample", "--enable-avfilter", "--enable-avdevice",
    "--enable-avformat",
]


class LeanAvError(RuntimeError):
    """The lean FFmpeg/PyAV build failed; the message says which step and where its log is."""


@dataclass(frozen=True)
class LeanAv:
    """A finished build: ``site`` goes first on PYTHONPATH, ``libdir`` on LD_LIBRARY_PATH."""

    site: Path
    libdir: Path

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment in which ``import av`` is this build (for running PyInstaller)."""
        env = dict(os.environ if base is None else base)
        for var, path in (("PYTHONPATH", self.site), ("LD_LIBRARY_PATH", self.libdir)):
            env[var] = os.pathsep.join(p for p in (str(path), env.get(var, "")) if p)
        return env


def av_version() -> str:
    """The PyAV version of this environment (the lean build uses the same)."""
    from importlib.metadata import version

    return version("av")


def _run(cmd: list[str], log: Path, **kw: object) -> None:
    with log.open("a") as out:
        out.write(f"+ {' '.join(cmd)}\n")
        out.flush()
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False,
                              **kw)  # type: ignore[call-overload]
    if done.returncode:
        raise LeanAvError(f"{cmd[0]} failed (exit {done.returncode}); see {log}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _apt(tool: str, state: Path, *args: str) -> list[str]:
    """``tool`` (apt-get, apt-cache) on a private sources list, lists and cache folder."""
    return [tool, "-o", f"Dir::Etc::sourcelist={state / 'sources.list'}", "-o",
            "Dir::Etc::sourceparts=/nonexistent", "-o", f"Dir::State::Lists={state / 'lists'}",
            "-o", f"Dir::Cache={state / 'cache'}", *args]


@dataclass(frozen=True)
class SourceVersion:
    """One FFmpeg source package in Debian's index: its version and upstream tarball."""

    version: str  # Debian's, with the epoch
    tarball: str
    sha256: str
    size: int


def _upstream(version: str) -> str:
    """9.0.2 from Debian's 7:9.0.2-4."""
    return version.split(":", 1)[-1].rsplit("-", 1)[0]


_CHECKSUM = re.compile(r"^ ([0-9a-f]{64}) (\d+) (ffmpeg_[0-9A-Za-z.+~]+\.orig\.tar\.xz)$")


def parse_showsrc(text: str) -> list[SourceVersion]:
    """FFmpeg source versions in ``apt-cache showsrc ffmpeg`` output (records without a
    Version or an upstream tarball in Checksums-Sha256 are left out, never guessed)."""
    found: list[SourceVersion] = []
    for record in re.split(r"\n\s*\n", text):
        version = None
        tarball: tuple[str, int, str] | None = None
        in_sha256 = False
        for line in record.splitlines():
            if not line.startswith(" "):
                in_sha256 = line.startswith("Checksums-Sha256:")
                if line.startswith("Version: "):
                    version = line.removeprefix("Version: ").strip() or None
            elif in_sha256 and (m := _CHECKSUM.match(line)):
                tarball = (m.group(1), int(m.group(2)), m.group(3))
        if version and tarball and tarball[2] == f"ffmpeg_{_upstream(version)}.orig.tar.xz":
            found.append(SourceVersion(version, tarball[2], tarball[0], tarball[1]))
    return found


def index_versions(state: Path, suites: tuple[str, ...], log: Path) -> list[SourceVersion]:
    """The FFmpeg sources Debian's mirror offers in ``suites`` (an apt update of their index)."""
    (state / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (state / "cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    (state / "sources.list").write_text(
        "".join(f"deb-src {MIRROR} {suite} main\n" for suite in suites))
    _run(_apt("apt-get", state, "update"), log)
    shown = subprocess.run(_apt("apt-cache", state, "showsrc", "--only-source", "ffmpeg"),
                           capture_output=True, text=True, check=False)
    return parse_showsrc(shown.stdout)


def _keep_verified(candidate: Path, pin: FfmpegPin, sources: Path) -> Path | None:
    """``candidate`` copied into the source cache if it is the pinned tarball, else None."""
    if not candidate.is_file() or candidate.stat().st_size != pin.size \
            or _sha256(candidate) != pin.sha256:
        return None
    sources.mkdir(parents=True, exist_ok=True)
    kept = sources / pin.tarball
    if candidate.resolve() != kept.resolve():
        part = sources / f"{pin.tarball}.part"  # a copy cut short is never the cached file
        shutil.copyfile(candidate, part)
        part.replace(kept)
    return kept


def hand_in_tarball(path: Path, cache: Path = CACHE, pin: FfmpegPin = PIN) -> Path:
    """A tarball fetched by a person (the mirror lost the pinned one) into the source cache."""
    kept = _keep_verified(path, pin, cache / "sources")
    if kept is None:
        raise LeanAvError(f"{path} is not FFmpeg {pin.version} as pinned (SHA-256 {pin.sha256}, "
                          f"{pin.size} bytes); nothing was changed")
    return kept


def fetch_ffmpeg(work: Path, log: Path, cache: Path = CACHE, pin: FfmpegPin = PIN) -> Path:
    """The pinned FFmpeg tarball: from the source cache, else from Debian's mirror (kept)."""
    sources = cache / "sources"
    cached = sources / pin.tarball
    if cached.is_file():
        if _keep_verified(cached, pin, sources):
            return cached
        cached.unlink()  # damaged on disk: fetched again below
    state = work / "apt"
    seen: list[SourceVersion] = []
    for n in range(1, len(SUITES) + 1):  # one suite more each round: testing is usually enough
        try:
            seen = index_versions(state, SUITES[:n], log)
        except LeanAvError as exc:
            raise LeanAvError(
                f"Debian's mirror could not be asked for the pinned FFmpeg {pin.version} ({exc}),"
                f" and {cached} does not hold it. With no network: hand it in with python "
                f"installer/lean_av.py --ffmpeg-tarball FILE (SHA-256 {pin.sha256})") from exc
        match = next((v for v in seen if v.tarball == pin.tarball and v.sha256 == pin.sha256),
                     None)
        if match is None:
            continue
        src = work / "src"
        src.mkdir(exist_ok=True)
        # apt fetches every file of that source version (``=`` takes the version with its
        # epoch) and checks each against the signed index. Only the upstream tarball is used:
        # a mirror that lacks the Debian files (this one answers 404 for the .dsc) makes apt
        # exit 100 with the tarball fetched, so the pinned hash decides, not apt's exit code.
        with log.open("a") as out:
            subprocess.run(_apt("apt-get", state, "source", "--download-only",
                                f"ffmpeg={match.version}"), cwd=src, stdout=out,
                           stderr=subprocess.STDOUT, check=False)
        kept = _keep_verified(src / pin.tarball, pin, sources)
        if kept is None:
            raise LeanAvError(f"{pin.tarball} did not download intact from {MIRROR} "
                              f"(ffmpeg {match.version}); see {log}")
        return kept
    offered = ", ".join(sorted({v.version for v in seen})) or "none"
    raise LeanAvError(
        f"the pinned FFmpeg {pin.version} ({pin.tarball}, SHA-256 {pin.sha256}) is no longer "
        f"on Debian's mirror: searched {', '.join(SUITES)}, which offer ffmpeg {offered}. "
        "snapshot.debian.org is not reachable from here. Nothing was built, and no other "
        "FFmpeg is used in its place. Either hand the tarball in: python installer/lean_av.py "
        f"--ffmpeg-tarball FILE (Debian's {pin.tarball} from any mirror or snapshot, or "
        f"upstream's ffmpeg-{pin.version}.tar.xz; the SHA-256 is checked), or move the pin: "
        "python installer/lean_av.py --print-pin, put it into PIN in installer/lean_av.py, "
        "rebuild and run tests/installer/test_onefile_video.py")


def cache_key(ffmpeg: str, av: str) -> str:
    flags = hashlib.sha256(" ".join(CONFIGURE).encode()).hexdigest()[:10]
    return f"ffmpeg-{ffmpeg}-av-{av}-py{sys.version_info[0]}{sys.version_info[1]}-{flags}"


def _root(cache: Path, pin: FfmpegPin) -> Path:
    return cache / "lean-av" / cache_key(pin.version, av_version())


def find_cached(cache: Path = CACHE, pin: FfmpegPin = PIN) -> LeanAv | None:
    """The finished build of the pinned FFmpeg for this environment's PyAV, if any (a build of
    any other FFmpeg in the cache is never used)."""
    root = _root(cache, pin)
    if not (root / "done").is_file():
        return None
    return LeanAv(site=root / "site", libdir=root / "ffmpeg" / "lib")


def build(cache: Path = CACHE, *, jobs: int | None = None, pin: FfmpegPin = PIN) -> LeanAv:
    """Build (or reuse) FFmpeg-lean + PyAV; returns where they are.

    One build at a time per cache (a lock file): two setups at once (several worktrees, a test
    that runs scripts/setup.sh) would otherwise wipe each other's half-built folder.
    """
    import fcntl

    cache.mkdir(parents=True, exist_ok=True)
    with (cache / "lean-av.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_locked(cache, jobs, pin)


def failed_log(cache: Path = CACHE) -> Path:
    """Why the last build failed (its message, then its log): what setup and the tests show."""
    return cache / "lean-av-failed.log"


def _build_locked(cache: Path, jobs: int | None, pin: FfmpegPin) -> LeanAv:
    found = find_cached(cache, pin)  # built by whoever held the lock before us
    if found is not None:
        return found
    av = av_version()
    with tempfile.TemporaryDirectory(prefix="lean-av-") as tmp:
        work = Path(tmp)
        log = work / "build.log"
        try:
            tarball = fetch_ffmpeg(work, log, cache, pin)
            root = _root(cache, pin)
            if root.exists():
                shutil.rmtree(root)
            root.mkdir(parents=True)
            with tarfile.open(tarball) as tar:
                tar.extractall(work / "src", filter="data")
            source = next(p for p in (work / "src").iterdir() if p.is_dir()
                          and p.name.startswith("ffmpeg-"))
            prefix = root / "ffmpeg"
            n = str(jobs or os.cpu_count() or 2)
            _run(["./configure", f"--prefix={prefix}", *CONFIGURE], log, cwd=source)
            _run(["make", f"-j{n}"], log, cwd=source)
            _run(["make", "install"], log, cwd=source)
            env = dict(os.environ, PKG_CONFIG_PATH=str(prefix / "lib" / "pkgconfig"),
                       LD_LIBRARY_PATH=str(prefix / "lib"))
            pip = [sys.executable, "-m", "pip"]
            _run([*pip, "wheel", "--no-deps", "--no-binary", "av", f"av=={av}",
                  "-w", str(work / "wheel")], log, env=env)  # from the sdist, never a wheel
            wheel = next((work / "wheel").glob("av-*.whl"))
            _run([*pip, "install", "--no-deps", "--target", str(root / "site"), str(wheel)],
                 log, env=env)
            shutil.copy(log, root / "build.log")
            (root / "done").write_text(
                f"FFmpeg {pin.version} ({pin.tarball}, SHA-256 {pin.sha256}), PyAV {av}\n")
            failed_log(cache).unlink(missing_ok=True)
            return LeanAv(site=root / "site", libdir=prefix / "lib")
        except LeanAvError as exc:
            kept = failed_log(cache)
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(f"{exc}\n\n" + (log.read_text(errors="replace")
                                               if log.is_file() else ""))
            raise


def print_pin(work: Path) -> str:
    """What Debian testing has now, written as a ``PIN`` (to move the pin deliberately)."""
    log = work / "print-pin.log"
    offered = index_versions(work / "apt", SUITES[:1], log)
    if not offered:
        raise LeanAvError(f"no FFmpeg source in Debian {SUITES[0]}; see {log}")
    newest = offered[-1]
    return (f"# ffmpeg {newest.version} in Debian {SUITES[0]}\n"
            f"PIN = FfmpegPin({_upstream(newest.version)!r}, {newest.sha256!r}, {newest.size})")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="only say whether a build is cached")
    p.add_argument("--ffmpeg-tarball", type=Path, metavar="FILE",
                   help=f"use this FFmpeg {PIN.version} tarball (checked against the pinned "
                        "SHA-256) when Debian's mirror no longer has it")
    p.add_argument("--print-pin", action="store_true",
                   help=f"print Debian {SUITES[0]}'s current FFmpeg as a PIN line (moving the "
                        "pin is a deliberate change: rebuild and test after it)")
    args = p.parse_args(argv)
    try:
        if args.print_pin:
            with tempfile.TemporaryDirectory(prefix="lean-av-pin-") as tmp:
                print(print_pin(Path(tmp)))
            return 0
        found = find_cached()
        if args.check:
            print(found or f"no lean PyAV build of FFmpeg {PIN.version} cached")
            return 0 if found else 1
        if args.ffmpeg_tarball:
            print(f"FFmpeg source: {hand_in_tarball(args.ffmpeg_tarball)}")
        lean = found or build()
    except LeanAvError as exc:
        print(f"lean PyAV build failed: {exc}", file=sys.stderr)
        return 2
    print(f"lean PyAV: {lean.site} (FFmpeg {PIN.version}; libraries: {lean.libdir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
