#!/usr/bin/env bash
# PostgreSQL 15 from Debian, on a free loopback port, run as a non-root user.
SERVICE=postgres
source "$(dirname "$0")/lib.sh"

PG_BIN=/usr/lib/postgresql/15/bin
DIR="$(service_dir)"
CONN="$DIR/connection.json"

service_install() {
  [[ -x "$PG_BIN/postgres" ]] || apt_install postgresql-15
}

# The server refuses to run as root: use the Debian `postgres` account then.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

service_status() {
  if [[ -f "$DIR/data/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1 && [[ -f "$CONN" ]]; then
    echo "postgres: running $(cat "$CONN")"
  else
    echo "postgres: stopped"
    return 3
  fi
}

service_up() {
  if service_status >/dev/null 2>&1; then log "already running"; cat "$CONN"; return 0; fi
  service_install
  local data="$DIR/data" port
  if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$DIR"; then
    die "the postgres account cannot reach $DIR; set SLO_SERVICES_DIR to a path it can traverse"
  fi
  if [[ ! -f "$data/PG_VERSION" ]]; then
    rm -rf "$data"
    mkdir -p "$data"
    if [[ $(id -u) -eq 0 ]]; then chown postgres "$data"; fi
    log "initdb $data"
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  fi
  # A server left over from a killed session: stop it before taking a new port.
  as_pg "$PG_BIN/pg_ctl" -D "$data" stop -m immediate >/dev/null 2>&1 || true
  port=$(free_port)
  touch "$DIR/server.log"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$DIR/server.log"; fi
  log "starting on 127.0.0.1:$port"
  as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { tail -n 30 "$DIR/server.log" >&2; die "did not start"; }
  cat >"$CONN" <<JSON
{"host":"127.0.0.1","port":$port,"user":"postgres","database":"postgres","url":"postgres://postgres@127.0.0.1:$port/postgres"}
JSON
  log "ready: $(cat "$CONN")"
}

service_down() {
  if [[ -f "$DIR/data/PG_VERSION" ]]; then
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" stop -m fast -w >/dev/null 2>&1 || true
  fi
  rm -f "$CONN"
  log "stopped"
}

run_service "$@"
