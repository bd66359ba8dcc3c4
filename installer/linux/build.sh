#!/usr/bin/env bash
# Linux one-file builds of the agent (and optionally the console). Runs on this machine and in CI.
#   installer/linux/build.sh BRANDING.toml [--console]
# Output: dist/fernhilfe-agent-<org-slug> (+ dist/fernhilfe-console), with size and SHA-256.
# Build on the oldest distribution you support (glibc is not bundled): a Debian 12 build
# (glibc 2.36) runs on Debian 12 and Ubuntu 23.04+; build on Ubuntu 22.04 to reach 22.04.
# Linux binaries are usually not code-signed: publish the SHA-256 (printed below) on your
# HTTPS download page instead, or sign it with GPG:
#   gpg --detach-sign --armor dist/fernhilfe-agent-<slug>
set -euo pipefail
cd "$(dirname "$0")/../.."

branding=${1:?usage: installer/linux/build.sh BRANDING.toml [--console]}
console=${2:-}
MAX_MB=${MAX_MB:-60}   # the agent must stay a quick download

bash scripts/setup.sh
.venv/bin/python -m pip install -q -e '.[build]'
.venv/bin/python installer/build_agent.py --branding "$branding" --max-mb "$MAX_MB"
if [[ $console == --console ]]; then
  .venv/bin/python installer/build_console.py
fi
