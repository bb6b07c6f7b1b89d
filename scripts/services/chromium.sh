#!/usr/bin/env bash
# Chromium from Debian, for the RUM SDK's real-browser tests. Chromium is a binary, not a server:
# `install` installs it when /usr/bin/chromium is missing, `up` only makes sure it is installed and
# records where it is, `down` has nothing to stop, `status` reports installed or not installed. The
# tests launch it themselves (playwright-core with executablePath /usr/bin/chromium).
SERVICE=chromium
source "$(dirname "$0")/lib.sh"

DIR="$(service_dir)"
CONN="$DIR/connection.json"
CHROMIUM=/usr/bin/chromium

service_install() {
  if [[ ! -x "$CHROMIUM" ]]; then
    apt_install chromium
  fi
  # The Debian wrapper script complains on stderr about large memory sizes; only the version matters.
  "$CHROMIUM" --version 2>/dev/null | head -n 1 >&2
}

service_status() {
  if [[ -x "$CHROMIUM" ]]; then
    echo "chromium: installed ($("$CHROMIUM" --version 2>/dev/null | head -n 1))"
  else
    echo "chromium: not installed"
    return 3
  fi
}

service_up() {
  service_install
  cat >"$CONN" <<JSON
{"executablePath":"$CHROMIUM"}
JSON
  log "ready: $(cat "$CONN")"
}

service_down() {
  rm -f "$CONN"
  log "nothing to stop (chromium is launched by the tests)"
}

run_service "$@"
