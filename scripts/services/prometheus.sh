#!/usr/bin/env bash
# Prometheus 2.42 and promtool from Debian, on a free loopback port. `install` only installs the
# binaries (promtool is all the artifacts tests need); `up` also starts a server with remote read.
SERVICE=prometheus
source "$(dirname "$0")/lib.sh"

DIR="$(service_dir)"
PIDFILE="$DIR/prometheus.pid"
CONN="$DIR/connection.json"

service_install() {
  if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
    apt_install prometheus
    # The Debian package starts a system-wide daemon on :9090; tests use their own instance.
    if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
      systemctl stop prometheus || true
    fi
    pkill -f '^/usr/bin/prometheus( |$)' 2>/dev/null || true
  fi
  promtool --version 2>&1 | head -n 1 >&2
}

service_up() {
  if service_status >/dev/null 2>&1; then log "already running"; cat "$CONN"; return 0; fi
  service_install
  stop_pid "$PIDFILE"
  local port config="${SLO_PROMETHEUS_CONFIG:-$DIR/prometheus.yml}"
  port=$(free_port)
  if [[ -z "${SLO_PROMETHEUS_CONFIG:-}" ]]; then
    cat >"$config" <<YAML
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $DIR/rules/*.yml
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$port']
YAML
  fi
  rm -rf "$DIR/data" "$DIR/rules"
  mkdir -p "$DIR/rules"
  : >"$DIR/server.log"
  log "starting on 127.0.0.1:$port"
  nohup prometheus --config.file="$config" --storage.tsdb.path="$DIR/data" \
    --web.listen-address="127.0.0.1:$port" --web.enable-admin-api --web.enable-lifecycle >>"$DIR/server.log" 2>&1 &
  echo $! >"$PIDFILE"
  wait_for_log "$DIR/server.log" "Server is ready to receive web requests" 60 "$PIDFILE" || { stop_pid "$PIDFILE"; die "did not start"; }
  cat >"$CONN" <<JSON
{"url":"http://127.0.0.1:$port","port":$port,"promtool":"$(command -v promtool)","rulesDir":"$DIR/rules"}
JSON
  log "ready: $(cat "$CONN")"
}

run_service "$@"
