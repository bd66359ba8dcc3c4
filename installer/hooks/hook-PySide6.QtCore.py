# Overrides PyInstaller's stock hook: same collection, minus unneeded Qt plugins (see _qtfilter).
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _qtfilter import filtered_qt6_dependencies

hiddenimports, binaries, datas = filtered_qt6_dependencies(__file__)
