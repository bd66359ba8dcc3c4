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

Sources come through package clients only: ``apt-get source --download-only`` (a private
sources list and state folder; the system's apt configuration is not touched; apt checks the
files against Debian's signed index) and ``pip download``. Needs: nasm, libx264-dev,
pkg-config, gcc, make (scripts/setup.sh installs them). Takes 2 minutes on 2 quiet cores (up
to 15 on busy ones), once per FFmpeg and PyAV version: cached in
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

#: Debian suite whose FFmpeg source is built: PyAV 18 needs FFmpeg >= 8; bookworm has 5.1,
#: trixie 7.1, forky 9.0.
SUITE = "forky"
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


def _apt(state: Path, *args: str) -> list[str]:
    sources = state / "sources.list"
    return ["apt-get", "-o", f"Dir::Etc::sourcelist={sources}", "-o",
            "Dir::Etc::sourceparts=/nonexistent", "-o", f"Dir::State::Lists={state / 'lists'}",
            *args]


def fetch_ffmpeg(work: Path, log: Path) -> tuple[str, Path]:
    """(FFmpeg version, its upstream tarball) from Debian's ``SUITE`` source package."""
    state = work / "apt"
    (state / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (state / "sources.list").write_text(f"deb-src http://deb.debian.org/debian {SUITE} main\n")
    _run(_apt(state, "update"), log)
    uris = subprocess.run(_apt(state, "source", "--print-uris", "ffmpeg"), capture_output=True,
                          text=True, check=False).stdout
    m = re.search(r"'(\S+)' (ffmpeg_([0-9.]+)\.orig\.tar\.xz) \d+ SHA256:([0-9a-f]{64})", uris)
    if not m:
        raise LeanAvError(f"no FFmpeg source in Debian {SUITE}: {uris[-500:]!r}")
    name, version, sha256 = m.group(2), m.group(3), m.group(4)
    src = work / "src"
    src.mkdir(exist_ok=True)
    # apt fetches every file of the source package; only the upstream tarball is used, so a
    # missing Debian patch file on the mirror does not matter. The hash is apt's (signed index).
    subprocess.run(_apt(state, "source", "--download-only", "ffmpeg"), cwd=src,
                   capture_output=True, check=False)
    tarball = src / name
    if not tarball.is_file() or hashlib.sha256(tarball.read_bytes()).hexdigest() != sha256:
        raise LeanAvError(f"{name} did not download intact from Debian {SUITE}")
    return version, tarball


def cache_key(ffmpeg: str, av: str) -> str:
    flags = hashlib.sha256(" ".join(CONFIGURE).encode()).hexdigest()[:10]
    return f"ffmpeg-{ffmpeg}-av-{av}-py{sys.version_info[0]}{sys.version_info[1]}-{flags}"


def find_cached(cache: Path = CACHE) -> LeanAv | None:
    """The newest finished build for this environment's PyAV, if any."""
    py = f"py{sys.version_info[0]}{sys.version_info[1]}"
    done = sorted((cache / "lean-av").glob(f"ffmpeg-*-av-{av_version()}-{py}-*/done"),
                  key=lambda p: p.stat().st_mtime)
    if not done:
        return None
    root = done[-1].parent
    return LeanAv(site=root / "site", libdir=root / "ffmpeg" / "lib")


def build(cache: Path = CACHE, *, jobs: int | None = None) -> LeanAv:
    """Build (or reuse) FFmpeg-lean + PyAV; returns where they are.

    One build at a time per cache (a lock file): two setups at once (several worktrees, a test
    that runs scripts/setup.sh) would otherwise wipe each other's half-built folder.
    """
    import fcntl

    cache.mkdir(parents=True, exist_ok=True)
    with (cache / "lean-av.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _build_locked(cache, jobs)


def _build_locked(cache: Path, jobs: int | None) -> LeanAv:
    av = av_version()
    with tempfile.TemporaryDirectory(prefix="lean-av-") as tmp:
        work = Path(tmp)
        log = work / "build.log"
        try:
            ffmpeg, tarball = fetch_ffmpeg(work, log)
            root = cache / "lean-av" / cache_key(ffmpeg, av)
            if (root / "done").is_file():
                return LeanAv(site=root / "site", libdir=root / "ffmpeg" / "lib")
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
            (root / "done").write_text(f"FFmpeg {ffmpeg} (Debian {SUITE}), PyAV {av}\n")
            return LeanAv(site=root / "site", libdir=prefix / "lib")
        except LeanAvError:
            kept = cache / "lean-av-failed.log"
            kept.parent.mkdir(parents=True, exist_ok=True)
            if log.is_file():
                shutil.copy(log, kept)
            raise


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="only say whether a build is cached")
    args = p.parse_args(argv)
    found = find_cached()
    if args.check:
        print(found or "no lean PyAV build cached")
        return 0 if found else 1
    try:
        lean = found or build()
    except LeanAvError as exc:
        print(f"lean PyAV build failed: {exc}", file=sys.stderr)
        return 2
    print(f"lean PyAV: {lean.site} (FFmpeg libraries: {lean.libdir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
