"""Shared helpers for the PyInstaller builds of the Fernhilfe agent and console.

Used by ``build_agent.py`` / ``build_console.py`` (branding validation, version resource) and by the
``*.spec`` files (which Qt modules, plugins and translations go into the one-file program).
Standard library only: it runs before anything is built and inside PyInstaller's spec namespace.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from agent.config import check_file_mb
from shared.errors import FernhilfeError
from shared.hosts import is_loopback
from shared.identity.keys import parse_org_key
from shared.link import check_grace
from shared.share_check import check_minutes

REPO = Path(__file__).resolve().parents[1]

# Settings the agent reads from its baked-in branding file (agent/config.py, AgentConfig).
BRANDING_FIELDS = (
    "relay_url", "organisation", "support_phone", "accent_colour", "logo", "language",
    "revocation_url",
)
# The trust settings that are not strings (issue 12): a list of "fhorg1:" keys and a switch.
TRUST_FIELDS = ("trusted_organisations", "require_verified")
#: The one branding setting that is a number (seconds; shared.link.check_grace), not a string.
NUMBER_FIELDS = ("grace_period",)
#: Whole minutes (shared.share_check.check_minutes): when "still sharing?" is asked (issue 15).
MINUTES_FIELDS = ("still_sharing_minutes",)
#: Whole MiB (agent.config.check_file_mb): the largest file the technician may send (issue 17).
FILE_MB_FIELDS = ("max_file_mb",)
# Settings only the build uses; they never reach the agent.
BUILD_FIELDS = ("windows_icon", "macos_icon", "macos_bundle_id")
MAX_LOGO_BYTES = 512 * 1024


class BrandingError(ValueError):
    """The branding file cannot be used; the message says which setting and why."""


@dataclass(frozen=True)
class Branding:
    """A validated branding file: agent settings plus build-only options, paths resolved."""

    source: Path
    agent: dict[str, str]
    logo_file: Path | None = None
    windows_icon: Path | None = None
    macos_icon: Path | None = None
    macos_bundle_id: str = ""
    warnings: list[str] = field(default_factory=list)
    trusted_organisations: tuple[str, ...] = ()
    require_verified: bool = False
    #: seconds a running session survives a lost link (None: the agent's default, 120 s)
    grace_period: float | None = None
    #: minutes before "still sharing?" is asked (None: the agent's default, 30)
    still_sharing_minutes: int | None = None
    #: the largest file (MiB) received from the technician (None: the agent's default, 4096)
    max_file_mb: int | None = None

    @property
    def slug(self) -> str:
        return slugify(self.agent.get("organisation", "fernhilfe"))


# --------------------------------------------------------------------------------------------
# version, names


def project_version(pyproject: Path = REPO / "pyproject.toml") -> str:
    with pyproject.open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'1.2.3rc1' -> (1, 2, 3, 0): the four 16-bit numbers of a Windows version resource."""
    numbers = [int(m) for m in re.findall(r"\d+", version.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    return (numbers[0], numbers[1], numbers[2], numbers[3])


_TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "ł": "l", "đ": "d"}
)


def slugify(text: str, max_len: int = 32) -> str:
    """'Müller & Söhne IT GmbH & Co. KG' -> 'mueller-soehne-it' (ASCII, for file names)."""
    text = text.lower().translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    text = re.sub(r"(-(gmbh|mbh|ag|kg|ug|ohg|ek|e-k|ltd|llc|inc|co|sa|sarl|bv|srl))+$", "", text)
    return text[:max_len].rstrip("-") or "fernhilfe"


# --------------------------------------------------------------------------------------------
# branding file


def check_relay_url(url: str, *, allow_insecure: bool = False) -> list[str]:
    """Errors in a relay URL (empty list: fine). Plain ws:// is for loopback tests only."""
    parts = urlsplit(url)
    if parts.scheme not in ("wss", "ws") or not parts.hostname:
        return [f"relay_url {url!r} must look like wss://relay.example.com/v1"]
    if parts.scheme == "ws" and not (allow_insecure or is_loopback(parts.hostname)):
        return [f"relay_url {url!r}: plain ws:// is only allowed to loopback; use wss://"]
    if parts.query or parts.fragment or parts.username or parts.password:
        return [f"relay_url {url!r} must not contain a query, fragment or credentials"]
    return []


def load_branding(path: Path, *, allow_insecure_relay: bool = False) -> Branding:
    """Read and validate a branding file; raise BrandingError listing every problem found."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise BrandingError(f"{path}: cannot read ({exc.strerror})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise BrandingError(f"{path}: not valid TOML ({exc})") from exc

    base = path.resolve().parent
    agent_table = data.get("agent", {k: v for k, v in data.items() if k != "build"})
    build_table = data.get("build", {})
    errors: list[str] = []
    warnings: list[str] = []
    if not isinstance(agent_table, dict) or not isinstance(build_table, dict):
        raise BrandingError(f"{path}: [agent] and [build] must be tables")
    if "agent" in data and set(data) - {"agent", "build"}:
        errors.append("settings outside [agent]/[build] are ignored when [agent] is used: "
                      + ", ".join(sorted(set(data) - {"agent", "build"})))

    known = (*BRANDING_FIELDS, *TRUST_FIELDS, *NUMBER_FIELDS, *MINUTES_FIELDS, *FILE_MB_FIELDS)
    for key in sorted(set(agent_table) - set(known)):
        errors.append(f"unknown setting {key!r} (known: {', '.join(known)})")
    for key in sorted(set(build_table) - set(BUILD_FIELDS)):
        errors.append(f"unknown [build] setting {key!r} (known: {', '.join(BUILD_FIELDS)})")
    grace: float | None = None
    minutes: int | None = None
    file_mb: int | None = None
    for key, value in [*agent_table.items(), *build_table.items()]:
        if key in FILE_MB_FIELDS and key in agent_table:
            try:
                file_mb = check_file_mb(value)
            except ValueError as exc:
                errors.append(f"{key} {exc}")
        elif key in MINUTES_FIELDS and key in agent_table:
            try:
                minutes = check_minutes(value)
            except ValueError as exc:
                errors.append(f"{key} {exc}")
        elif key in NUMBER_FIELDS and key in agent_table:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                errors.append(f"{key!r} must be a number of seconds (no quotes)")
                continue
            try:
                grace = check_grace(value)
            except ValueError as exc:
                errors.append(f"{key}: {exc}")
        elif key not in TRUST_FIELDS and not isinstance(value, str):
            errors.append(f"{key!r} must be a string (in quotes)")
    trusted, require = _check_trust(agent_table, errors)
    if errors:
        raise BrandingError(f"{path}:\n  " + "\n  ".join(errors))

    agent: dict[str, str] = {k: v.strip() for k, v in agent_table.items()
                             if k not in (*TRUST_FIELDS, *NUMBER_FIELDS, *MINUTES_FIELDS,
                                          *FILE_MB_FIELDS)}

    url = agent.get("relay_url", "")
    if not url:
        errors.append("relay_url is required (your relay, e.g. wss://relay.example.com/v1)")
    else:
        errors += check_relay_url(url, allow_insecure=allow_insecure_relay)
        if not urlsplit(url).path.rstrip("/").endswith("/v1"):
            warnings.append(f"relay_url {url!r} does not end in /v1 (the relay's protocol path)")

    org = agent.get("organisation", "")
    if not org:
        errors.append("organisation is required (shown to the customer)")
    elif len(org) > 64 or any(unicodedata.category(c).startswith("C") for c in org):
        errors.append("organisation must be one line of at most 64 characters")

    phone = agent.get("support_phone", "")
    if phone and not re.fullmatch(r"\+?[0-9][0-9 ()/.\-]{2,30}", phone):
        errors.append(f"support_phone {phone!r}: digits, spaces, + ( ) / . - only")

    colour = agent.get("accent_colour", "")
    if colour and not re.fullmatch(r"#[0-9a-fA-F]{6}", colour):
        errors.append(f"accent_colour {colour!r} must be #rrggbb")

    lang = agent.get("language", "")
    if lang and not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2})?", lang):
        errors.append(f"language {lang!r} must be a code like 'de' or 'pt_BR' (empty: system)")
    elif lang and lang != "en" and lang not in agent_languages():
        warnings.append(f"language {lang!r}: the agent has no translation for it yet")

    logo_file = _check_file(base, agent.get("logo", ""), "logo", {".png"}, errors)
    if logo_file and logo_file.stat().st_size > MAX_LOGO_BYTES:
        errors.append(f"logo {logo_file} is larger than {MAX_LOGO_BYTES // 1024} KiB")
    windows_icon = _check_file(base, build_table.get("windows_icon", ""), "windows_icon",
                               {".ico"}, errors)
    macos_icon = _check_file(base, build_table.get("macos_icon", ""), "macos_icon",
                             {".icns"}, errors)
    bundle_id = build_table.get("macos_bundle_id", "")
    if bundle_id and not re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", bundle_id):
        errors.append(f"macos_bundle_id {bundle_id!r} must look like com.example.fernhilfe-agent")

    errors += check_revocation_url(agent.get("revocation_url", ""), url if trusted else "")
    if trusted and not require:
        warnings.append("require_verified is false: technicians without a certificate of a "
                        "trusted organisation can still connect (shown as not verified)")

    if errors:
        raise BrandingError(f"{path}:\n  " + "\n  ".join(errors))
    return Branding(path, agent, logo_file, windows_icon, macos_icon, bundle_id, warnings,
                    trusted, require, grace, minutes, file_mb)


def _check_trust(table: dict[str, object], errors: list[str]) -> tuple[tuple[str, ...], bool]:
    """The trusted organisation keys and the policy switch, each checked (errors appended)."""
    raw = table.get("trusted_organisations", [])
    keys: list[str] = []
    if not isinstance(raw, list) or not all(isinstance(k, str) for k in raw):
        errors.append('trusted_organisations must be a list of keys: ["fhorg1:...", ...]')
    else:
        for index, key in enumerate(raw, 1):
            try:
                parse_org_key(key.strip())
            except (FernhilfeError, ValueError) as exc:  # the message says what is wrong
                errors.append(f"trusted_organisations entry {index}: {exc}")
            else:
                if key.strip() not in keys:
                    keys.append(key.strip())
    require = table.get("require_verified", False)
    if not isinstance(require, bool):
        errors.append("require_verified must be true or false (without quotes)")
        require = False
    elif require and not raw:
        errors.append("require_verified = true needs at least one key in trusted_organisations "
                      "(otherwise every technician would be refused)")
    return tuple(keys), require


def check_revocation_url(template: str, relay_url: str) -> list[str]:
    """Errors in where the agent fetches revocation lists: ``template`` (with ``{key_id}``), or
    when it is empty and ``relay_url`` is given, the address derived from the relay's."""
    if not template:
        if not relay_url:
            return []
        parts = urlsplit(relay_url)
        if parts.scheme == "ws" and not is_loopback(parts.hostname or ""):
            return ["revocation lists would be fetched over plain http:// from the relay; "
                    "set revocation_url = \"https://.../{key_id}.fhrl\""]
        return []
    if template.count("{key_id}") != 1:
        return [f"revocation_url {template!r} must contain {{key_id}} exactly once"]
    parts = urlsplit(template)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return [f"revocation_url {template!r} must look like "
                "https://example.com/revocations/{key_id}.fhrl"]
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return [f"revocation_url {template!r}: plain http:// only to loopback; use https://"]
    return []


def _check_file(base: Path, value: str, key: str, suffixes: set[str],
                errors: list[str]) -> Path | None:
    if not value:
        return None
    file = (base / value).resolve()
    if file.suffix.lower() not in suffixes:
        errors.append(f"{key} {value!r} must be a {' or '.join(sorted(suffixes))} file")
    elif not file.is_file():
        errors.append(f"{key} {value!r} not found (looked at {file})")
    else:
        return file
    return None


def toml_string(value: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


def write_agent_branding(branding: Branding, stage: Path) -> Path:
    """Write the normalised branding file (+ logo) into ``stage`` for the bundle's agent/ folder.

    The baked file holds only agent settings; the logo is copied beside it and referred to by
    its bare file name (the agent resolves a relative logo path against the branding file).
    """
    stage.mkdir(parents=True, exist_ok=True)
    values: dict[str, object] = dict(branding.agent)
    if branding.logo_file:
        logo_name = "branding-logo" + branding.logo_file.suffix.lower()
        (stage / logo_name).write_bytes(branding.logo_file.read_bytes())
        values["logo"] = logo_name
    lines = ["# Baked in by installer/build_agent.py from " + branding.source.name, ""]
    lines += [f"{key} = {toml_string(str(values[key]))}" for key in BRANDING_FIELDS
              if key in values]
    if branding.trusted_organisations:
        keys = ", ".join(toml_string(k) for k in branding.trusted_organisations)
        lines.append(f"trusted_organisations = [{keys}]")
        lines.append(f"require_verified = {'true' if branding.require_verified else 'false'}")
    expected: dict[str, object] = dict(values)
    if branding.trusted_organisations:
        expected["trusted_organisations"] = list(branding.trusted_organisations)
        expected["require_verified"] = branding.require_verified
    if branding.grace_period is not None:
        expected["grace_period"] = branding.grace_period
        lines.append(f"grace_period = {branding.grace_period!r}")
    if branding.still_sharing_minutes is not None:
        expected["still_sharing_minutes"] = branding.still_sharing_minutes
        lines.append(f"still_sharing_minutes = {branding.still_sharing_minutes}")
    if branding.max_file_mb is not None:
        expected["max_file_mb"] = branding.max_file_mb
        lines.append(f"max_file_mb = {branding.max_file_mb}")
    out = stage / "branding.toml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with out.open("rb") as fh:  # round trip: what we wrote is what we meant
        if tomllib.load(fh) != expected:
            raise BrandingError(f"{out}: round trip failed (please report this)")
    return out


# --------------------------------------------------------------------------------------------
# Windows version resource


def write_version_file(path: Path, *, version: str, product: str, description: str,
                       company: str, exe_name: str) -> Path:
    """Write a PyInstaller version-resource file (only used for Windows builds)."""
    nums = version_tuple(version)
    strings = {
        "CompanyName": company,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": exe_name,
        "LegalCopyright": f"{company}; Fernhilfe is Apache-2.0 licensed",
        "OriginalFilename": exe_name + ".exe",
        "ProductName": product,
        "ProductVersion": version,
    }
    string_structs = ",\n".join(
        f"          StringStruct({k!r}, {v!r})" for k, v in strings.items()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""# Generated by installer/buildlib.py -- do not edit.
VSVersionInfo(
  ffi=FixedFileInfo(filevers={nums}, prodvers={nums}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([
      StringTable('040904B0', [
{string_structs}
      ])
    ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
""",
        encoding="utf-8",
    )
    return path


# --------------------------------------------------------------------------------------------
# what goes into the bundle (used by the .spec files)

# Python modules the apps never use. PySide6 modules other than QtCore/QtGui/QtWidgets are
# excluded so their shared libraries, plugins and translations are not collected either.
QT_EXCLUDES = [
    f"PySide6.{m}"
    for m in [
        "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
        "QtAxContainer", "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization",
        "QtDBus", "QtDesigner", "QtGraphs", "QtHelp", "QtHttpServer", "QtLabsStyleKit",
        "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth",
        "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning",
        "QtPrintSupport", "QtQml", "QtQmlFeatures", "QtQuick", "QtQuick3D", "QtQuickControls2",
        "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus",
        "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvg", "QtSvgWidgets",
        "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
        "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
    ]
]
PY_EXCLUDES = [
    "tkinter", "_tkinter", "unittest", "pydoc", "pydoc_data", "doctest", "lib2to3",
    "distutils", "setuptools", "pkg_resources", "pip", "IPython", "matplotlib", "PIL",
    "pytest", "hypothesis", "readline", "curses",
    # numpy parts the screen codecs do not use (numpy loads them lazily); numpy.random is used,
    # and so is numpy.ma (np.unique imports it: the one-file smoke test caught it missing)
    "numpy.f2py", "numpy.distutils", "numpy.testing", "numpy.fft", "_pydecimal",
    "numpy.polynomial", "numpy._core._multiarray_tests", "numpy._pyinstaller",
    # East Asian legacy text codecs (we speak UTF-8 only)
    "_codecs_cn", "_codecs_hk", "_codecs_iso2022", "_codecs_jp", "_codecs_kr", "_codecs_tw",
    "_multibytecodec",
    # zstandard's CFFI backend (12 MB) is a fallback for PyPy; CPython uses backend_c
    "zstandard.backend_cffi", "zstandard._cffi", "cffi.setuptools_ext", "cffi.recompiler",
]
EXCLUDES = QT_EXCLUDES + PY_EXCLUDES
#: PyAV and its FFmpeg (H.264 for full-screen motion, issue 16); left out with ``--no-video``
#: (then ``shared.codec.video.available()`` is False and motion goes as JPEG rects). PyAV's own
#: wheel costs +28.5 MB compressed (the agent 77 MB): libavcodec links x265, SVT-AV1, dav1d,
#: vpx, gnutls, ..., which must load with it though the agent only uses libx264. So on Linux
#: the agent bundles a PyAV built over an FFmpeg with libx264 and the h264 decoder only
#: (installer/lean_av.py): +4.1 MB, 53.0 MB in all. Windows/macOS have no lean build yet.
VIDEO_EXCLUDES = ["av"]

# Qt plugins kept, by plugin folder; a folder not listed here is dropped entirely.
# None = keep the whole folder.
QT_PLUGINS_KEEP: dict[str, set[str] | None] = {
    # xcb for X11 desktops (also XWayland); offscreen/minimal for headless smoke tests;
    # windows / cocoa on their platforms.
    "platforms": {"qxcb", "qoffscreen", "qminimal", "qwindows", "qcocoa", "qdirect2d"},
    # dead keys / compose sequences in text fields on X11 (tiny)
    "platforminputcontexts": {"composeplatforminputcontextplugin"},
    # window icons (ico), JPEG logos/screenshots, macOS icons; PNG is built into QtGui
    "imageformats": {"qico", "qjpeg", "qicns"},
    "styles": None,  # Windows/macOS native styles
}


def _plugin_of(dest: str) -> tuple[str, str] | None:
    """'PySide6/Qt/plugins/platforms/libqxcb.so' -> ('platforms', 'qxcb')."""
    parts = Path(dest).parts
    if "plugins" not in parts:
        return None
    i = parts.index("plugins")
    if i == 0 or parts[i - 1] != "Qt" or len(parts) < i + 3:
        return None
    stem = parts[-1].split(".")[0]
    stem = stem.removeprefix("lib")
    return parts[i + 1], stem


def keep_qt_plugin(dest: str) -> bool:
    found = _plugin_of(dest)
    if found is None:
        return True
    folder, stem = found
    if folder not in QT_PLUGINS_KEEP:
        return False
    wanted = QT_PLUGINS_KEEP[folder]
    return wanted is None or stem in wanted


def app_languages(package: str) -> set[str]:
    """Languages an app ships translations for: '<pkg>/i18n/fernhilfe_de.qm' / 'de.qm' -> 'de'."""
    langs = set()
    for qm in (REPO / package / "i18n").glob("*.qm"):
        m = re.search(r"(?:^|_)([a-z]{2,3}(?:_[A-Z]{2})?)$", qm.stem)
        if m:
            langs.add(m.group(1))
    return langs


def agent_languages() -> set[str]:
    return app_languages("agent")


def keep_qt_translation(dest: str, languages: Iterable[str]) -> bool:
    """Keep Qt's own qt_*/qtbase_* catalogues only for the languages the app speaks."""
    parts = Path(dest).parts
    if "translations" not in parts or not dest.endswith(".qm") or "Qt" not in parts:
        return True
    m = re.fullmatch(r"(qt|qtbase)_([a-z]{2,3}(?:_[A-Z]{2})?)\.qm", parts[-1])
    if not m:
        return False  # qtdeclarative_*, designer_*, ...: not used
    langs = set(languages)
    return m.group(2) in langs or m.group(2).split("_")[0] in langs


SHIMS = Path(__file__).resolve().parent / "shims"
_RFC5869 = [  # (ikm, salt, info, length, okm) -- RFC 5869 appendix A, cases 1 and 3
    (bytes([0x0B] * 22), bytes(range(13)), bytes(range(0xF0, 0xFA)), 42,
     "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
    (bytes([0x0B] * 22), b"", b"", 42,
     "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
]


def check_hkdf_shim(
    packages: Iterable[str] = ("agent", "console", "desktop", "shared"),
) -> str | None:
    """Why the bundle-only HKDF shim must not be used (None: safe to use).

    Checks the shim against RFC 5869 vectors and against the real ``cryptography`` (when
    installed) on random inputs, and that Fernhilfe's own code never imports ``cryptography``.
    """
    import importlib.util
    import os

    for pkg in packages:
        for src in (REPO / pkg).rglob("*.py"):
            if re.search(r"^\s*(from|import)\s+cryptography\b", src.read_text("utf-8"), re.M):
                return f"{src.relative_to(REPO)} imports cryptography itself"
    spec = importlib.util.spec_from_file_location(
        "_fernhilfe_hkdf_shim", SHIMS / "cryptography/hazmat/primitives/kdf/hkdf.py")
    assert spec and spec.loader
    shim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shim)

    class _Sha256:
        name = "sha256"

    def ours(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
        return shim.HKDF(_Sha256(), length, salt, info).derive(ikm)

    for ikm, salt, info, length, okm in _RFC5869:
        if ours(ikm, salt, info, length).hex() != okm:
            return "HKDF shim fails an RFC 5869 test vector"
    try:
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF
    except ImportError:
        return None
    for n in range(200):
        ikm, salt, info = os.urandom(n % 70), os.urandom(n % 33), os.urandom(n % 17)
        length = 1 + n % 100
        real = HKDF(hashes.SHA256(), length, salt, info).derive(ikm)
        if ours(ikm, salt, info, length) != real:
            return "HKDF shim disagrees with cryptography's HKDF"
    return None


# Shared libraries the Python-level excludes do not catch (pulled in by plugin scans or hooks).
DROP_LIB_PATTERNS = [
    r"libQt6(Qml|Quick|Pdf|Network|OpenGL|Svg|VirtualKeyboard|Wayland|EglFs|Test|Sql)",
    r"Qt6(Qml|Quick|Pdf|Network|OpenGL|Svg|VirtualKeyboard|Test|Sql)\w*\.dll",
]


# Linux: libraries every desktop has and that must match the system's own configuration and
# services (fontconfig reads /etc/fonts, D-Bus talks to the session bus, libX11 its locale
# files): use the system's copy. Follows AppImage's excludelist. The xcb-util libraries Qt
# needs (xcb-cursor, -icccm, -keysyms, ...) are often missing on desktops and stay bundled.
LINUX_SYSTEM_LIBS = [
    r"lib(dbus-1|systemd|gcrypt|gpg-error|cap|lz4|fontconfig|freetype|readline|tinfo)\.so",
    r"lib(X11|X11-xcb|xcb|Xext|Xau|Xdmcp|Xrender|Xfixes|Xrandr|z|expat)\.so",
    # glibc's vector maths (x265 in PyAV's wheel links it): part of glibc itself, so it must
    # be the system's own copy, like libc and libm, which PyInstaller never bundles
    r"libmvec\.so",
]

#: Linux libraries the agent loads by ctypes (agent/damage_xcb.py) that PyInstaller only
#: finds when the build machine happens to have them: bundled on purpose, so the DAMAGE watcher
#: over libxcb (199 -> 94 us per report, issue 16) runs on desktops without libxcb-damage0
#: too. 14 kB; it links only libxcb.so.1, which every X11 desktop has.
LINUX_CTYPES_LIBS = {"libxcb-damage.so.0": "libxcb-damage0"}


def linux_ctypes_binaries(libs: dict[str, str],
                          find: Callable[[str], str | None] | None = None) -> list:
    """TOC entries (dest, src, "BINARY") for ``libs`` (soname -> Debian package); an error
    naming the package if one is missing.

    ``find`` maps a soname to a file (default: the dynamic linker's cache, ``ldconfig -p``).
    """
    find = find or _ldconfig_path
    entries = []
    for soname, package in libs.items():
        path = find(soname)
        if not path or not Path(path).is_file():
            raise SystemExit(f"{soname} not found on this build machine: the agent bundles it "
                             f"(install it: apt-get install {package}; scripts/setup.sh does)")
        entries.append((soname, str(Path(path).resolve()), "BINARY"))
    return entries


def _ldconfig_path(soname: str) -> str | None:
    """Where the dynamic linker finds ``soname`` (x86-64/aarch64 entry of ``ldconfig -p``)."""
    import subprocess

    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=True)
        except (OSError, subprocess.CalledProcessError):
            continue
        for line in out.stdout.splitlines():
            name, _, rest = line.strip().partition(" ")
            if name == soname and "=>" in rest and ("x86-64" in rest or "AArch64" in rest):
                return rest.rsplit("=>", 1)[1].strip()
        return None
    return None


def prune_toc(entries: list, languages: Iterable[str]) -> list:
    """Filter an Analysis TOC (list of (dest, src, typecode)) down to what the apps need."""
    langs = list(languages)
    patterns = DROP_LIB_PATTERNS + (LINUX_SYSTEM_LIBS if sys.platform == "linux" else [])
    drop = re.compile("|".join(patterns))
    kept = []
    for entry in entries:
        dest = entry[0].replace("\\", "/")
        name = dest.rsplit("/", 1)[-1]
        if not keep_qt_plugin(dest) or not keep_qt_translation(dest, langs):
            continue
        if drop.match(name):
            continue
        kept.append(entry)
    return kept


def _has_debug_info(path: str) -> bool:
    with open(path, "rb") as fh:
        return b".debug_info" in fh.read()


_LOAD_CHECK = """
import ctypes, sys
for path in sys.argv[1:]:
    try:
        ctypes.CDLL(path)
    except OSError as exc:
        if "undefined symbol" not in str(exc) and "cannot open shared object" not in str(exc):
            print(path)
"""


def strip_debug_info(entries: list, workdir: Path) -> list:
    """Linux: drop debug info from bundled libraries that carry it (size only, same code).

    Hits e.g. a pyenv-built libpython (23 -> 6 MB), zstandard (12 -> 1 MB), PyNaCl.
    Libraries vendored by auditwheel (``*.libs/``) are left alone: stripping patchelf-edited
    files breaks them ("ELF load command address/offset not page-aligned"), and every
    stripped copy must still load (checked) or the original is used.
    """
    import shutil
    import subprocess

    strip = shutil.which("strip")
    if sys.platform != "linux" or not strip:
        return entries
    stripped: dict[int, str] = {}
    for i, (dest, src, typecode) in enumerate(entries):
        if typecode not in ("BINARY", "EXTENSION") or Path(src).parent.name.endswith(".libs"):
            continue
        if not _has_debug_info(src):
            continue
        target = workdir / "stripped" / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.stat().st_mtime < Path(src).stat().st_mtime:
            shutil.copy2(src, target)
            subprocess.run([strip, "--strip-debug", str(target)], check=True)
        stripped[i] = str(target)
    if stripped:
        check = subprocess.run([sys.executable, "-c", _LOAD_CHECK, *stripped.values()],
                               capture_output=True, text=True, check=False)
        broken = set(check.stdout.split())
        stripped = {i: p for i, p in stripped.items() if p not in broken}
        for path in broken:
            print(f"WARNING: stripped copy does not load, bundling original: {path}")
    return [(d, stripped.get(i, s), t) for i, (d, s, t) in enumerate(entries)]


def build_languages(extra: Iterable[str] = ()) -> list[str]:
    return sorted(agent_languages() | {"en", "de"} | {x for x in extra if x})


def platform_tag() -> str:
    return {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")


# --------------------------------------------------------------------------------------------
# running PyInstaller (used by build_agent.py / build_console.py)


def add_build_arguments(parser: argparse.ArgumentParser, package: str) -> None:
    """The flags every one-file build takes (agent and console alike)."""
    parser.add_argument("--entry", type=Path, default=REPO / package / "__main__.py",
                        help=argparse.SUPPRESS)  # for testing the spec machinery
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    parser.add_argument("--work", type=Path, default=REPO / "build")
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    parser.add_argument("--max-mb", type=float, default=0, help="fail if the output is larger")
    parser.add_argument("--no-hkdf-shim", action="store_true",
                        help="bundle the real cryptography package (see installer/shims)")


def run_pyinstaller(spec: Path, spec_args: list[str], *, dist: Path, work: Path,
                    clean: bool = False, env: dict[str, str] | None = None) -> None:
    """Run PyInstaller from the current interpreter on ``spec``; exit on failure.

    ``env``: the environment to run it in (the lean PyAV's PYTHONPATH, installer/lean_av.py).
    """
    import subprocess

    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work)]
    if clean:
        cmd.append("--clean")
    cmd += [str(spec), "--", *spec_args]
    print("+", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=REPO, check=False, env=env)
    if result.returncode:
        raise SystemExit(f"PyInstaller failed (exit code {result.returncode})")


def built_artifact(dist: Path, name: str) -> Path:
    """The file (or .app folder) PyInstaller produced for ``name``."""
    for candidate in (dist / f"{name}.app", dist / f"{name}.exe", dist / name):
        if candidate.exists():
            return candidate
    raise SystemExit(f"build finished but no output for {name!r} in {dist}")


def describe_artifact(path: Path, max_mb: float = 0) -> None:
    """Print size and SHA-256; exit non-zero if the file is larger than ``max_mb`` (0: no limit)."""
    import hashlib

    if path.is_dir():
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        digest = "(folder; sign and zip it, then hash the zip)"
    else:
        size = path.stat().st_size
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        digest = h.hexdigest()
    mb = size / 1e6
    print(f"built: {path}\n  size: {mb:.1f} MB ({size} bytes)\n  sha256: {digest}")
    if max_mb and mb > max_mb:
        raise SystemExit(f"{path.name} is {mb:.1f} MB, above the limit of {max_mb:g} MB")


# --------------------------------------------------------------------------------------------
# the body shared by fernhilfe-agent.spec and fernhilfe-console.spec


def package_datas(package: str) -> list[tuple[str, str]]:
    """Translations and images shipped inside an app package (agent/, console/)."""
    root = REPO / package
    datas = []
    for pattern in ("*.qm", "*.png", "*.ico"):
        for p in sorted(root.rglob(pattern)):
            rel = p.parent.relative_to(REPO)
            if "tests" not in rel.parts:
                datas.append((str(p), str(rel)))
    return datas


def macos_info_plist(version: str, display_name: str) -> dict[str, object]:
    """The .app's Info.plist keys beyond PyInstaller's defaults (issue 18).

    ``display_name`` is the name macOS lists under System Settings → Privacy & Security →
    Screen Recording / Accessibility, where the customer is told to "switch Fernhilfe on":
    PyInstaller would show the file name (``fernhilfe-agent-acme``) instead. No usage
    description is needed: Screen Recording, Accessibility and Input Monitoring have no
    Info.plist key (the system's own dialogs say what they are for), and the programs send no
    Apple Events (``NSAppleEventsUsageDescription``), use no camera, microphone or location.
    """
    return {
        "CFBundleShortVersionString": version,
        "CFBundleVersion": version,
        "CFBundleName": display_name,
        "CFBundleDisplayName": display_name,
        "NSHighResolutionCapable": True,
    }


def spec_build(ns: dict, *, entry: Path, name: str, datas: list[tuple[str, str]],
               languages: list[str], workpath: Path, icon: str | None = None,
               bundle_id: str = "org.fernhilfe.app", version_file: Path | None = None,
               hkdf_shim: bool = True, video: bool = True,
               display_name: str | None = None,
               linux_libs: dict[str, str] | None = None) -> None:
    """Run Analysis -> PYZ -> EXE (one file; a .app on macOS) with PyInstaller's spec globals."""
    pathex = [str(REPO)]
    if hkdf_shim:
        why_not = check_hkdf_shim()
        if why_not:
            print(f"WARNING: bundling the real cryptography package: {why_not}")
        else:
            pathex.insert(0, str(SHIMS))  # found before site-packages' cryptography

    a = ns["Analysis"](
        [str(entry)],
        pathex=pathex,
        datas=datas,
        hookspath=[str(Path(__file__).resolve().parent / "hooks")],  # PySide6/pynput overrides
        excludes=EXCLUDES + ([] if video else VIDEO_EXCLUDES),
        noarchive=False,
        optimize=1,  # asserts off, docstrings kept (some libraries read them)
    )
    if sys.platform.startswith("linux") and linux_libs:  # ctypes-loaded: bundle them for sure
        have = {dest for dest, _src, _kind in a.binaries}
        a.binaries += [e for e in linux_ctypes_binaries(linux_libs) if e[0] not in have]
    a.binaries = strip_debug_info(prune_toc(a.binaries, languages), workpath)
    if sys.platform.startswith("linux"):  # Qt's ICU data: 32 MB, of which the apps need 3
        import icudata  # beside this file, like the spec's own import of buildlib

        a.binaries = icudata.trim_toc(a.binaries, workpath, languages)
    a.datas = prune_toc(a.datas, languages)
    pyz = ns["PYZ"](a.pure)

    exe_options = dict(
        name=name,
        debug=False,
        strip=False,  # see strip_debug_info: stripping wheels' libraries breaks them
        upx=False,  # UPX'd programs trip virus scanners and start slower
        console=False,  # windowed on Windows/macOS; no effect on Linux
        icon=icon,
        version=str(version_file) if sys.platform == "win32" and version_file else None,
        codesign_identity=None,  # signing is a separate step (installer/<platform>/build.*)
        entitlements_file=None,
    )
    if sys.platform == "darwin":
        # A normal .app (one folder inside); one-file .app bundles start slowly and are
        # deprecated by PyInstaller. Customers still get one thing to double-click.
        exe = ns["EXE"](pyz, a.scripts, [], exclude_binaries=True, **exe_options)
        coll = ns["COLLECT"](exe, a.binaries, a.datas, strip=False, upx=False, name=name)
        ns["BUNDLE"](
            coll,
            name=f"{name}.app",
            icon=icon,
            bundle_identifier=bundle_id,
            info_plist=macos_info_plist(project_version(), display_name or name),
        )
    else:
        ns["EXE"](pyz, a.scripts, a.binaries, a.datas, [], runtime_tmpdir=None, **exe_options)
