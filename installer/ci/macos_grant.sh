#!/usr/bin/env bash
# GitHub's hosted macOS runner only: let the programs this CI job starts use Accessibility (input
# injection, System Events) and Screen Recording (mss, screencapture) without a person clicking
# Allow. GitHub's macOS images run with System Integrity Protection off, so the TCC databases can
# be written with sqlite3 (the runner image itself grants its provisioner this way). NEVER run this
# on a real Mac: there the customer grants both in System Settings, in the system's own dialogs.
#   bash installer/ci/macos_grant.sh /path/to/python [more programs...]
# A grant that cannot be written is reported and skipped: the tests and the code check then say
# exactly what was refused.
set -uo pipefail
[[ ${GITHUB_ACTIONS:-} == true && $(uname) == Darwin ]] || {
  echo "macos_grant.sh: only for GitHub's hosted macOS runners" >&2; exit 2; }

clients=(/usr/bin/osascript /bin/bash /bin/zsh /usr/sbin/screencapture "$@")
user_db="$HOME/Library/Application Support/com.apple.TCC/TCC.db"
system_db="/Library/Application Support/com.apple.TCC/TCC.db"

grant() {  # database service client [target bundle id, for Apple Events]
  local sql="INSERT OR REPLACE INTO access (service, client, client_type, auth_value, auth_reason,
    auth_version, indirect_object_identifier) VALUES ('$2', '$3', 1, 2, 4, 1, '${4:-UNUSED}');"
  if sudo sqlite3 "$1" "$sql" 2>/tmp/tcc-error; then
    echo "granted $2 to $3 in $1"
  else
    echo "::warning::could not grant $2 to $3 in $1: $(cat /tmp/tcc-error)"
  fi
}

for client in "${clients[@]}"; do
  for db in "$user_db" "$system_db"; do
    grant "$db" kTCCServiceAccessibility "$client"
    grant "$db" kTCCServiceScreenCapture "$client"
    grant "$db" kTCCServicePostEvent "$client"
  done
  # osascript asks System Events for the agent's windows: an Apple Event, a grant of its own.
  grant "$user_db" kTCCServiceAppleEvents "$client" com.apple.systemevents
done
exit 0
