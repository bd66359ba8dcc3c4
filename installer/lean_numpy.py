"""numpy without OpenBLAS in this interpreter, so the one-file agent does not carry 8.4 MB of BLAS.

numpy's wheels bundle OpenBLAS and libgfortran (25 + 3 MB raw, 8.4 MB of the one-file agent
compressed). Fernhilfe never multiplies matrices: its numpy use is element-wise (tiles, hashes,
diffs), which numpy's own loops do without BLAS; np.dot/np.linalg still work on numpy's bundled
fallback, only slower on large matrices. So the project's environment runs a numpy built from
numpy's own sdist with its documented build options ``-Dblas=none -Dlapack=none``; the wheel is
built once per numpy version (about N minutes on 2 cores, see the report) and cached under
``$FERNHILFE_BUILD_CACHE`` (default ``~/.cache/fernhilfe-build/wheels``).

    python installer/lean_numpy.py          # scripts/setup.sh runs it with the .venv's python
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import time
from pathlib import Path

BUILD_OPTIONS = ["-Csetup-args=-Dblas=none", "-Csetup-args=-Dlapack=none",
                 "-Csetup-args=-Dallow-noblas=true"]


def cache_dir() -> Path:
    root = os.environ.get("FERNHILFE_BUILD_CACHE") or Path.home() / ".cache" / "fernhilfe-build"
    return Path(root) / "wheels"


def uses_blas() -> bool:
    """Whether the numpy this interpreter imports was built against a BLAS library."""
    out = subprocess.run(
        [sys.executable, "-c",
         "import numpy; d = numpy.show_config('dicts')['Build Dependencies'];"
         "print(bool(d.get('blas', {}).get('found')))"],
        capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def main() -> int:
    version = importlib.metadata.version("numpy")
    if not uses_blas():
        print(f"lean numpy: numpy {version} already built without BLAS")
        return 0
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob(f"numpy-{version}-*.whl"))
    if not wheels:
        print(f"lean numpy: building numpy {version} without BLAS into {cache} (once; minutes)",
              flush=True)
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                        "--no-binary", "numpy", f"numpy=={version}", "-w", str(cache),
                        *BUILD_OPTIONS], check=True)
        print(f"lean numpy: built in {time.monotonic() - t0:.0f} s")
        wheels = sorted(cache.glob(f"numpy-{version}-*.whl"))
        if not wheels:
            print("lean numpy: pip built no wheel", file=sys.stderr)
            return 1
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "--force-reinstall", str(wheels[-1])], check=True)
    if uses_blas():
        print(f"lean numpy: {wheels[-1].name} still links a BLAS", file=sys.stderr)
        return 1
    print(f"lean numpy: installed {wheels[-1].name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
