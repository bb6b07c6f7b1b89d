#!/usr/bin/env bash
# Milvus Lite 3.x from PyPI (`milvus-lite server`, gRPC with HNSW), in a venv, on a free loopback port.
SERVICE=milvus
source "$(dirname "$0")/lib.sh"

# milvus-lite 3.x imports pymilvus' generated gRPC stubs without declaring it: pin both.
MILVUS_LITE_VERSION=3.2.2
PYMILVUS_VERSION=2.6.12

DIR="$(service_dir)"
VENV="$DIR/venv"
PIDFILE="$DIR/milvus.pid"
CONN="$DIR/connection.json"
STAMP="$VENV/.complete-$MILVUS_LITE_VERSION-$PYMILVUS_VERSION"

service_install() {
  command -v python3 >/dev/null || apt_install python3 python3-venv
  if [[ ! -f "$STAMP" ]]; then
    log "installing milvus-lite==$MILVUS_LITE_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (is python3-venv installed?)"
    "$VENV/bin/pip" install -q --disable-pip-version-check \
      "milvus-lite==$MILVUS_LITE_VERSION" "pymilvus==$PYMILVUS_VERSION" >&2 \
      || die "pip could not install milvus-lite"
    touch "$STAMP"
  fi
}

# ready PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
ready() {
  python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1" 2>/dev/null
}

service_up() {
  if service_status >/dev/null 2>&1; then log "already running"; cat "$CONN"; return 0; fi
  service_install
  stop_pid "$PIDFILE"
  rm -f "$CONN"
  local port i
  port=$(free_port)
  # Fresh data each start: tests create their own collections.
  rm -rf "$DIR/data"
  mkdir -p "$DIR/data"
  log "starting on 127.0.0.1:$port"
  : >"$DIR/server.log"
  nohup "$VENV/bin/milvus-lite" server --data-dir "$DIR/data" --host 127.0.0.1 --port "$port" \
    --max-workers 4 >>"$DIR/server.log" 2>&1 &
  echo $! >"$PIDFILE"
  for ((i = 0; i < 240; i++)); do
    ready "$port" && break
    if ! pid_alive "$PIDFILE"; then
      tail -n 30 "$DIR/server.log" >&2 || true
      die "exited before it was ready"
    fi
    sleep 0.25
  done
  ready "$port" || { tail -n 30 "$DIR/server.log" >&2; stop_pid "$PIDFILE"; die "did not start"; }
  cat >"$CONN" <<JSON
{"host":"127.0.0.1","port":$port,"address":"127.0.0.1:$port","version":"$MILVUS_LITE_VERSION"}
JSON
  log "ready: $(cat "$CONN")"
}

run_service "$@"
