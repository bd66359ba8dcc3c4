# Overrides the contrib hook, which imports pynput to list its submodules -- that fails without
# a display (CI, build servers). pynput picks its backend at import time, so name them here.
import sys

_backend = {"win32": "win32", "darwin": "darwin"}.get(sys.platform, "xorg")
hiddenimports = [f"pynput.{pkg}._{_backend}" for pkg in ("keyboard", "mouse")]
hiddenimports += ["pynput.keyboard._dummy", "pynput.mouse._dummy", f"pynput._util.{_backend}"]
hiddenimports += {
    "win32": ["pynput._util.win32_vks"],
    "darwin": ["pynput._util.darwin_vks"],
    "xorg": ["pynput._util.xorg_keysyms"],
}[_backend]
