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
  # the agent's DAMAGE watcher over libxcb (agent/damage_xcb.py; python-xlib without it)
  libxcb-damage0
  xclip x11-xserver-utils binutils openbox wmctrl
  # the one-file agent's build trims Qt's ICU data with ICU's own tools (installer/icudata.py)
  icu-devtools gcc
  # the agent's video codec: FFmpeg with libx264 only, built from Debian's source, and PyAV
  # over it (installer/lean_av.py; PyAV's wheel would make the agent 77 MB, budget 60)
  make nasm pkg-config libx264-dev
  # The relay kit's tests run Debian's own servers on loopback (tests/relay/test_behind_proxy.py).
  caddy nginx nftables
  # A relay on several machines (issue 14): its tests run Redis and HAProxy on loopback.
  redis-server haproxy
  # the AT-SPI check (tests/desktop/test_accessibility.py): session bus, a11y bus, libatspi
  dbus-daemon dbus-bin at-spi2-core python3-gi gir1.2-atspi-2.0
  # the console's key in a real Secret Service keyring (tests/console/test_identity_keyring.py)
  gnome-keyring
  # actionlint checks the Windows/macOS workflow's bash steps with it (scripts/test)
  shellcheck
)
# Servers the tests start themselves, on loopback: their packaged services must not run.
QUIET_SERVICES=(caddy nginx redis-server haproxy)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # A policy-rc.d that says 101 keeps the packages' services from starting (invoke-rc.d and
    # deb-systemd-invoke ask it); only ours is removed again.
    policy=/usr/sbin/policy-rc.d
    own_policy=
    if [[ ! -e $policy ]]; then
      printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
      trap 'if [[ -n $own_policy ]]; then rm -f "$policy"; fi' EXIT
    fi
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    # Other setups may hold the dpkg lock (several worktrees set up at once): wait for it.
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" \
      >/dev/null
    if [[ -n $own_policy ]]; then rm -f "$policy"; own_policy=; fi
    for svc in "${QUIET_SERVICES[@]}"; do
      [[ " ${missing[*]} " == *" $svc "* ]] || continue  # installed before us: not ours to stop
      if [[ -d /run/systemd/system ]]; then
        systemctl disable --now "$svc" >/dev/null 2>&1 || true
      elif [[ -x /etc/init.d/$svc ]]; then
        "/etc/init.d/$svc" stop >/dev/null 2>&1 || true
      fi
    done
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
# The one-file agent's video codec (installer/lean_av.py): the PINNED FFmpeg source, built once
# per FFmpeg and PyAV version, cached in ~/.cache/fernhilfe-build (2 minutes on 2 quiet cores the
# first time, up to 15 on busy ones). If it fails, setup carries on so everything else can be
# tested, and says so: the tests that build the default Linux agent
# (tests/installer/test_onefile_*.py) then FAIL with the reason kept in lean-av-failed.log.
if ! .venv/bin/python installer/lean_av.py --check >/dev/null 2>&1; then
  echo "setup: building PyAV over a lean FFmpeg for the one-file agent (once, cached)"
  if ! .venv/bin/python installer/lean_av.py; then
    echo "setup: WARNING: no lean video build (reason: ${XDG_CACHE_HOME:-$HOME/.cache}/fernhilfe-build/lean-av-failed.log)." >&2
    echo "setup: the default Linux agent cannot be built: tests/installer/test_onefile_*.py will fail;" >&2
    echo "setup: one-file agents can still be built with --no-video or --wheel-av" >&2
  fi
fi
echo "setup: ready (.venv)"
