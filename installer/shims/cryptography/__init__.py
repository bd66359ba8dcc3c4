"""Bundle-only stand-in for the `cryptography` package (NOT installed anywhere, NOT for reuse).

The agent/console need `cryptography` for exactly one thing: `spake2.groups` derives keys with
HKDF-SHA256 (RFC 5869). The real package adds ~4 MB (compressed) to the one-file program for
that, so the PyInstaller builds put this ~40-line HKDF on the import path instead.

Guard rails (installer/buildlib.py, `check_hkdf_shim`): every build compares this HKDF with the
RFC 5869 test vectors and with the real `cryptography` on random inputs, and refuses to use the
shim if Fernhilfe's own code imports `cryptography` for anything. `--no-hkdf-shim` turns it off.
"""

__version__ = "0+fernhilfe.shim"
