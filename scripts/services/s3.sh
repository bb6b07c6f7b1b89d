#!/usr/bin/env bash
# An S3-compatible server: versitygw (an S3 gateway over a directory) from the Go module proxy,
# on a free loopback port with a test key pair and one bucket.
SERVICE=s3
source "$(dirname "$0")/lib.sh"

VGW_MODULE=github.com/versity/versitygw/cmd/versitygw
VGW_VERSION=v1.8.0
DIR="$(service_dir)"
BIN="$DIR/bin/versitygw"
PIDFILE="$DIR/versitygw.pid"
CONN="$DIR/connection.json"
ACCESS_KEY=slo-scout-test
SECRET_KEY=slo-scout-test-secret
REGION=us-east-1
BUCKET=slo-scout

service_install() {
  command -v go >/dev/null || apt_install golang-go
  if [[ ! -x "$BIN" ]] || [[ "$(cat "$DIR/bin/.version" 2>/dev/null)" != "$VGW_VERSION" ]]; then
    log "go install $VGW_MODULE@$VGW_VERSION"
    mkdir -p "$DIR/bin"
    GOBIN="$DIR/bin" GOFLAGS=-buildvcs=false go install "$VGW_MODULE@$VGW_VERSION" >&2 \
      || die "go install of versitygw failed"
    echo "$VGW_VERSION" >"$DIR/bin/.version"
  fi
}

# wait_for_port PORT SECONDS: wait until something accepts connections on 127.0.0.1:PORT.
wait_for_port() {
  local port=$1 seconds=$2 i
  for ((i = 0; i < seconds * 4; i++)); do
    if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.5); sys.exit(s.connect_ex(('127.0.0.1', $port)))"; then
      return 0
    fi
    pid_alive "$PIDFILE" || { tail -n 30 "$DIR/server.log" >&2 || true; return 1; }
    sleep 0.25
  done
  tail -n 30 "$DIR/server.log" >&2 || true
  return 1
}

service_up() {
  if service_status >/dev/null 2>&1; then log "already running"; cat "$CONN"; return 0; fi
  service_install
  stop_pid "$PIDFILE"
  local port
  port=$(free_port)
  # Objects live in data/<bucket>/ (the posix backend maps buckets to directories); metadata in
  # a sidecar directory so the file system needs no extended attributes.
  mkdir -p "$DIR/data/$BUCKET" "$DIR/meta"
  log "starting on 127.0.0.1:$port"
  "$BIN" --access "$ACCESS_KEY" --secret "$SECRET_KEY" --region "$REGION" --port "127.0.0.1:$port" \
    posix --sidecar "$DIR/meta" "$DIR/data" >"$DIR/server.log" 2>&1 &
  echo $! >"$PIDFILE"
  wait_for_port "$port" 30 || { stop_pid "$PIDFILE"; die "did not start"; }
  cat >"$CONN" <<JSON
{"endpoint":"http://127.0.0.1:$port","port":$port,"region":"$REGION","accessKeyId":"$ACCESS_KEY","secretAccessKey":"$SECRET_KEY","bucket":"$BUCKET","forcePathStyle":true}
JSON
  log "ready: $(cat "$CONN")"
}

run_service "$@"
