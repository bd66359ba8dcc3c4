"""The macOS .app's Info.plist and entitlements (issue 18, item 3): what macOS needs for the
Screen Recording and Accessibility permissions. Pure checks, run everywhere; the real bundle is
built by the platforms workflow on macos-latest."""

from __future__ import annotations

import plistlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "installer"))

import buildlib  # noqa: E402  (beside the build scripts, like the .spec files import it)


def test_the_app_is_listed_as_fernhilfe_in_system_settings() -> None:
    plist = buildlib.macos_info_plist("1.2.3", "Fernhilfe")
    # the customer is told to "switch Fernhilfe on": that is the name macOS must list
    assert plist["CFBundleName"] == plist["CFBundleDisplayName"] == "Fernhilfe"
    assert plist["CFBundleShortVersionString"] == plist["CFBundleVersion"] == "1.2.3"
    assert plist["NSHighResolutionCapable"] is True
    plistlib.dumps(plist)  # every value is one a plist can hold


def test_no_usage_description_for_what_the_agent_never_does() -> None:
    plist = buildlib.macos_info_plist("1.0", "Fernhilfe")
    assert not [k for k in plist if k.endswith("UsageDescription")]


def test_agent_spec_names_the_bundle_fernhilfe() -> None:
    spec = (ROOT / "installer" / "fernhilfe-agent.spec").read_text()
    assert 'display_name="Fernhilfe"' in spec


def test_entitlements_keep_the_hardened_runtime_working_and_ask_for_nothing_else() -> None:
    with (ROOT / "installer" / "macos" / "entitlements.plist").open("rb") as fh:
        entitlements = plistlib.load(fh)
    assert entitlements == {
        "com.apple.security.cs.disable-library-validation": True,
        "com.apple.security.cs.allow-unsigned-executable-memory": True,
    }
