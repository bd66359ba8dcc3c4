"""Installer tests' shared fixture: the lean video build the default Linux agent bundles.

scripts/setup.sh builds it (installer/lean_av.py) and, when that fails, carries on so CI still
tests everything else. The tests that build the default agent then FAIL at once with the build's
own reason instead of starting the 2-15 minute build again inside a test (and timing out with no
reason) or skipping: an agent that cannot be built with the video it ships is a red build.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
import lean_av


def lean_video_missing(cache: Path = lean_av.CACHE) -> str | None:
    """Why the default Linux agent cannot be built here (None: the pinned build is cached)."""
    if not sys.platform.startswith("linux") or lean_av.find_cached(cache) is not None:
        return None
    failed = lean_av.failed_log(cache)
    reason = (failed.read_text(errors="replace").split("\n\n", 1)[0] if failed.is_file()
              else "scripts/setup.sh has not built it yet")
    return (f"no lean video build of the pinned FFmpeg {lean_av.PIN.version} for PyAV "
            f"{lean_av.av_version()} in {cache / 'lean-av'}: {reason} (full log: {failed}; "
            "build it with scripts/setup.sh or python installer/lean_av.py)")


@pytest.fixture(scope="session")
def lean_video() -> None:
    """Fails the test, with the lean build's own reason, when the default agent needs it."""
    missing = lean_video_missing()
    if missing:
        pytest.fail(missing, pytrace=False)
