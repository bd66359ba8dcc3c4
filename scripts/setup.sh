#!/usr/bin/env bash
# Sets up everything Fernhilfe needs on a Debian/Ubuntu machine, idempotently:
# system packages (when root; otherwise says what to install), a project-local .venv,
# and the project installed into it in editable mode with its development tools.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-venv xvfb xdotool xterm x11-utils x11-xkb-utils xkb-data
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
  libxcb-xfixes0 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
  xclip x11-xserver-utils binutils openbox wmctrl
  # the AT-SPI check (tests/desktop/test_accessibility.py): session bus, a11y bus, libatspi
  dbus-daemon dbus-bin at-spi2-core python3-gi gir1.2-atspi-2.0
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: these system packages are missing; install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.fernhilfe-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  touch "$stamp"
fi
echo "setup: ready (.venv)"
