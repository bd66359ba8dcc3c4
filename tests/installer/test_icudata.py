"""The one-file agent's trimmed ICU data (installer/icudata.py): small, and Qt still works with it.

Real parts: PySide6's own libicudata from the .venv, Debian's icu-devtools (icupkg, genccode) and
gcc build the trimmed library, and a real Qt process loads it (LD_PRELOAD: same soname, so Qt's
libicuuc binds to it) and collates, names time zones and opens codecs through it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# The build scripts import their modules as top-level ones (they run from installer/).
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "installer"))
import icudata
import PySide6

QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"

QT_PROBE = r"""
import json
from PySide6.QtCore import QCollator, QDateTime, QLocale, QStringDecoder, QTimeZone
when = QDateTime.fromSecsSinceEpoch(1_700_000_000)
berlin = QTimeZone(b"Europe/Berlin")
out = {
    "de_sorts_umlaut_before_b": QCollator(QLocale("de_DE")).compare("\u00e4", "b") < 0,
    "fr_sorts_accent_before_b": QCollator(QLocale("fr_FR")).compare("\u00e9", "f") < 0,
    "zone_de": berlin.displayName(when, QTimeZone.NameType.LongName, QLocale("de_DE")),
    "zone_en": berlin.displayName(when, QTimeZone.NameType.LongName, QLocale("en_US")),
    "upper": QLocale("de_DE").toUpper("stra\u00dfe"),
    "codecs": {n: QStringDecoder(n).isValid() for n in ("UTF-8", "ISO-8859-1", "Shift_JIS")},
    "icudata": [ln.split()[-1] for ln in open("/proc/self/maps") if "libicudata" in ln][:1],
}
print(json.dumps(out))
"""


def test_items_kept_and_removed() -> None:
    items = ["root.res", "de.res", "de_AT.res", "en_GB.res", "fr.res", "pool.res",
             "res_index.res", "supplementalData.res", "zoneinfo64.res", "cnvalias.icu",
             "ibm-943_P15A-2003.cnv", "coll/ucadata.icu", "coll/de.res", "coll/fr.res",
             "coll/root.res", "zone/tzdbNames.res", "zone/fr.res", "zone/de.res",
             "brkitr/root.res", "brkitr/thaidict.dict", "lang/de.res", "unit/en.res",
             "nl.res", "es_419.res"]
    removed = set(icudata.items_to_remove(items, ["en", "de", "nl"]))
    assert removed == {"fr.res", "ibm-943_P15A-2003.cnv", "coll/fr.res", "zone/fr.res",
                       "brkitr/root.res", "brkitr/thaidict.dict", "lang/de.res",
                       "unit/en.res", "es_419.res"}


def test_not_an_icu_library(tmp_path: Path) -> None:
    fake = tmp_path / "libicudata.so.99"
    fake.write_bytes(b"\x7fELF not really")
    with pytest.raises(icudata.IcuTrimError):
        icudata.extract_package(fake, tmp_path / "out.dat")
    with pytest.raises(icudata.IcuTrimError, match=r"libicudata\.so\.<version>"):
        icudata.extract_package(tmp_path / "libfoo.so", tmp_path / "out.dat")


def _probe(preload: Path | None) -> dict:
    env = dict(os.environ)
    if preload:
        env["LD_PRELOAD"] = str(preload)
    out = subprocess.run([sys.executable, "-c", QT_PROBE], env=env, capture_output=True,
                         text=True, timeout=60, check=True)
    return json.loads(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt uses ICU data on Linux")
def test_trimmed_library_is_small_and_qt_still_works(tmp_path: Path) -> None:
    (full,) = QT_LIB.glob("libicudata.so.*")
    built = icudata.trimmed_library(full, tmp_path / "icu", ["en", "de"])
    assert built.name == full.name
    assert built.stat().st_size < 5_000_000 < 20_000_000 < full.stat().st_size

    before, after = _probe(None), _probe(built)
    assert after["icudata"] == [str(built)]  # Qt really ran on the trimmed data
    # what the apps use is unchanged: German/English collation, zone names, case mapping
    for key in ("de_sorts_umlaut_before_b", "zone_de", "zone_en", "upper"):
        assert after[key] == before[key], key
    assert after["zone_de"] == "Mitteleuropäische Normalzeit"
    assert after["upper"] == "STRASSE"
    # other languages fall back to ICU's root collation (still the Unicode default order)
    assert after["fr_sorts_accent_before_b"]
    # UTF-8 and Latin-1 are Qt's own; the legacy tables are what was trimmed
    assert after["codecs"] == {"UTF-8": True, "ISO-8859-1": True, "Shift_JIS": False}
    assert before["codecs"]["Shift_JIS"]


def test_toc_entries_other_than_icu_data_untouched(tmp_path: Path) -> None:
    entries = [("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY")]
    assert icudata.trim_toc(entries, tmp_path, ["en"]) == entries
