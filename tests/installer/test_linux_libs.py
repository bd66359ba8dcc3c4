"""The one-file agent bundles the libraries it loads by ctypes, on purpose (issue 16).

agent/damage_xcb.py loads libxcb-damage by ctypes; PyInstaller only picks such a library up when
the build machine happens to have it, and then the DAMAGE watcher silently falls back to
python-xlib on the customer's desktop. buildlib now adds it to the bundle itself and refuses to
build without it. Real parts: the system's dynamic linker cache (scripts/setup.sh installs
libxcb-damage0); the missing case uses a finder that finds nothing (no other way to make a real
library vanish from this machine).
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
import buildlib

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux build only")


def test_agent_bundles_libxcb_damage() -> None:
    entries = buildlib.linux_ctypes_binaries(buildlib.LINUX_CTYPES_LIBS)
    assert [dest for dest, _src, kind in entries] == ["libxcb-damage.so.0"]
    src = Path(entries[0][1])
    assert src.is_file() and src.name.startswith("libxcb-damage.so.0")
    lib = ctypes.CDLL(str(src))  # the very file that goes into the bundle loads
    assert hasattr(lib, "xcb_damage_create")


def test_missing_library_stops_the_build_with_the_package_to_install() -> None:
    with pytest.raises(SystemExit, match="apt-get install libxcb-damage0"):
        buildlib.linux_ctypes_binaries(buildlib.LINUX_CTYPES_LIBS, find=lambda _name: None)


def test_glibc_vector_maths_is_never_bundled() -> None:
    """libmvec is part of glibc (like libm): a bundled copy could mismatch the system's libc."""
    toc = [("libmvec.so.1", "/lib/x86_64-linux-gnu/libmvec.so.1", "BINARY"),
           ("libxcb-damage.so.0", "/lib/x86_64-linux-gnu/libxcb-damage.so.0", "BINARY")]
    assert [e[0] for e in buildlib.prune_toc(toc, ["en", "de"])] == ["libxcb-damage.so.0"]
