"""The project's environment runs numpy without OpenBLAS (installer/lean_numpy.py, issue 16).

What the one-file agent bundles is what this interpreter imports, so the 8.4 MB of OpenBLAS and
libgfortran stay out only while scripts/setup.sh keeps numpy lean; numpy still computes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
import lean_numpy


def test_numpy_here_is_built_without_blas() -> None:
    assert not lean_numpy.uses_blas(), "run scripts/setup.sh (it builds numpy without BLAS)"
    assert not list((Path(np.__file__).parent.parent / "numpy.libs").glob("*openblas*"))


def test_numpy_without_blas_still_computes() -> None:
    a = np.arange(12, dtype=np.float64).reshape(3, 4)
    assert (a @ a.T)[2, 2] == 8 * 8 + 9 * 9 + 10 * 10 + 11 * 11
    assert np.allclose(np.linalg.inv(np.diag([2.0, 4.0])), np.diag([0.5, 0.25]))
