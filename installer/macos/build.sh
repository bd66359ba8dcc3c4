#!/usr/bin/env bash
# macOS build, signing and notarisation of the agent (.app in a .zip), and with --console the
# console's .app (unsigned). Not run on the Linux machines; .github/workflows/platforms.yml runs it
# unsigned on a macOS runner on every push. Needs a Mac with Xcode command line tools, Python 3.11+
# (PYTHON=/path/to/python3.11 to pick one) and, for signing, an Apple Developer ID.
#   installer/macos/build.sh BRANDING.toml [--console]
# Set (or export from your keychain / CI secrets):
#   SIGN_IDENTITY   "Developer ID Application: Example IT Service GmbH (TEAMID1234)"
#   NOTARY_PROFILE  name of a `xcrun notarytool store-credentials` profile
# Without SIGN_IDENTITY the .app is built unsigned (fine for testing on your own Mac only).
set -euo pipefail
cd "$(dirname "$0")/../.."

branding=${1:?usage: installer/macos/build.sh BRANDING.toml [--console]}
console=${2:-}
SIGN_IDENTITY=${SIGN_IDENTITY:-}
NOTARY_PROFILE=${NOTARY_PROFILE:-fernhilfe-notary}

[[ -x .venv-macos/bin/python ]] || "${PYTHON:-python3}" -m venv .venv-macos
.venv-macos/bin/python -m pip install -q --upgrade pip
.venv-macos/bin/python -m pip install -q -e '.[build]'
.venv-macos/bin/python installer/build_agent.py --branding "$branding"
if [[ $console == --console ]]; then
  .venv-macos/bin/python installer/build_console.py
fi

app=$(ls -d dist/fernhilfe-agent-*.app | head -n1)
zip="${app%.app}-macos.zip"
if [[ -z $SIGN_IDENTITY ]]; then
  echo "SIGN_IDENTITY not set: $app is unsigned (Gatekeeper will block it on other Macs)" >&2
  exit 0
fi

# 1. Sign, inside out, with the hardened runtime (required for notarisation).
codesign --force --deep --options runtime --timestamp \
  --entitlements installer/macos/entitlements.plist --sign "$SIGN_IDENTITY" "$app"
codesign --verify --strict --verbose=2 "$app"

# 2. Notarise (uploads to Apple; takes minutes) and staple the ticket to the .app.
ditto -c -k --keepParent "$app" "$zip"
xcrun notarytool submit "$zip" --keychain-profile "$NOTARY_PROFILE" --wait
xcrun stapler staple "$app"

# 3. Zip again so the download contains the stapled ticket; check Gatekeeper accepts it.
rm -f "$zip" && ditto -c -k --keepParent "$app" "$zip"
spctl --assess --type execute --verbose "$app"
shasum -a 256 "$zip"
