"""The lean video build's bookkeeping (installer/lean_av.py, build_agent.py; issue 16).

The build itself (FFmpeg from Debian's source, PyAV from its sdist, ~12 minutes) runs in
scripts/setup.sh; test_onefile_video.py and test_onefile_agent.py check what it produces inside
the built agent. Here: which cached build is used, the environment PyInstaller runs in, and that
video is the default only where the lean build exists.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

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


def test_newest_finished_build_for_this_pyav_is_used(tmp_path: Path) -> None:
    av, py = lean_av.av_version(), f"py{sys.version_info[0]}{sys.version_info[1]}"
    assert lean_av.find_cached(tmp_path) is None
    _fake_build(tmp_path, f"ffmpeg-9.0.1-av-{av}-{py}-aaaa", age=100)
    newest = _fake_build(tmp_path, f"ffmpeg-9.0.2-av-{av}-{py}-bbbb")
    _fake_build(tmp_path, f"ffmpeg-9.0.3-av-0.0.1-{py}-cccc")  # another PyAV: never mixed
    half = tmp_path / "lean-av" / f"ffmpeg-9.1-av-{av}-{py}-dddd"
    half.mkdir()  # no "done": an interrupted build is never used
    found = lean_av.find_cached(tmp_path)
    assert found == lean_av.LeanAv(site=newest / "site", libdir=newest / "ffmpeg" / "lib")


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
