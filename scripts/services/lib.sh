#!/usr/bin/env bash
# Shared helpers for scripts/services/<name>.sh. Sourced, not run.
# Every service: binds to 127.0.0.1 on a free port, keeps its data under $SERVICES_DIR/<name>
# (git-ignored), is idempotent, and writes its connection settings to
# $SERVICES_DIR/<name>/connection.json for the tests to read.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES_DIR="${SLO_SERVICES_DIR:-$REPO_ROOT/.services}"

log() { printf '[services/%s] %s\n' "$SERVICE" "$*" >&2; }
die() { log "error: $*"; exit 1; }

service_dir() { printf '%s/%s' "$SERVICES_DIR" "$SERVICE"; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# pid_alive FILE: true when FILE holds the pid of a live process.
pid_alive() {
  [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null
}

# wait_for_log FILE PATTERN SECONDS PIDFILE: wait until PATTERN appears in FILE.
wait_for_log() {
  local file=$1 pattern=$2 seconds=$3 pidfile=$4 i
  for ((i = 0; i < seconds * 4; i++)); do
    if [[ -f "$file" ]] && grep -q "$pattern" "$file"; then return 0; fi
    if ! pid_alive "$pidfile"; then
      log "process exited before it was ready; last lines of $file:"
      tail -n 30 "$file" >&2 || true
      return 1
    fi
    sleep 0.25
  done
  log "not ready after ${seconds}s; last lines of $file:"
  tail -n 30 "$file" >&2 || true
  return 1
}

# stop_pid PIDFILE: TERM, wait up to 20 s, then KILL.
stop_pid() {
  local pidfile=$1 pid i
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 80; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

apt_updated=""
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then die "missing packages ($*): install them with apt-get as root"; fi
  if [[ -z "$apt_updated" ]]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# Defaults for a server run as one process whose pid is in $PIDFILE and whose settings are in
# $CONN; a script with other needs defines its own service_status/service_down after sourcing.
service_status() {
  if pid_alive "$PIDFILE" && [[ -f "$CONN" ]]; then
    echo "$SERVICE: running $(cat "$CONN")"
  else
    echo "$SERVICE: stopped"
    return 3
  fi
}

service_down() {
  stop_pid "$PIDFILE"
  rm -f "$CONN"
  log "stopped"
}

# run_service "$@": dispatch up|down|status|install to service_up/service_down/service_status/service_install.
run_service() {
  local cmd=${1:-status}
  mkdir -p "$(service_dir)"
  case "$cmd" in
    up) service_up ;;
    down) service_down ;;
    status) service_status ;;
    install) service_install ;;
    *) die "usage: $0 up|down|status|install" ;;
  esac
}
