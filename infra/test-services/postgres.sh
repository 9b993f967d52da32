#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the persistence tests and benchmarks.
#
#   eval "$(infra/test-services/postgres.sh start)"   # starts (or reuses) the cluster, exports PAYMENTS_TEST_POSTGRES
#   infra/test-services/postgres.sh stop              # stops it and removes its data directory (safe to call any time)
#   infra/test-services/postgres.sh status
#
# The cluster listens on 127.0.0.1:${PAYMENTS_TEST_PG_PORT:-55432} only, trusts every local connection and has a
# `payments` database. It is tuned for tests (fsync off); set PAYMENTS_TEST_PG_DURABLE=1 to keep fsync on, e.g. for
# benchmark figures that should include the cost of a durable commit.
# Everything human-readable goes to stderr; stdout carries only the export line, so `eval` works.
set -euo pipefail

port="${PAYMENTS_TEST_PG_PORT:-55432}"
state_file="/tmp/payments-test-pg-${port}.dir"
database="payments"

find_bin_dir() {
  for candidate in /usr/lib/postgresql/15/bin /usr/local/bin /usr/bin; do
    if [[ -x "$candidate/pg_ctl" && -x "$candidate/initdb" ]]; then echo "$candidate"; return; fi
  done
  echo "postgres.sh: no pg_ctl/initdb found (looked in /usr/lib/postgresql/15/bin, /usr/local/bin, /usr/bin)" >&2
  exit 1
}
bin_dir="$(find_bin_dir)"

as_postgres() {
  if [[ "$(id -un)" == "postgres" ]]; then "$@"; else runuser -u postgres -- "$@"; fi
}

connection_string() {
  echo "Host=127.0.0.1;Port=${port};Username=postgres;Database=${database}"
}

data_dir() {
  [[ -f "$state_file" ]] && cat "$state_file" || true
}

is_running() {
  local dir; dir="$(data_dir)"
  [[ -n "$dir" && -d "$dir/data" ]] && as_postgres "$bin_dir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

stop() {
  local dir; dir="$(data_dir)"
  if [[ -n "$dir" && -d "$dir" ]]; then
    if [[ -d "$dir/data" ]]; then
      as_postgres "$bin_dir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$dir"
    echo "postgres.sh: stopped the cluster on port ${port} and removed ${dir}" >&2
  else
    echo "postgres.sh: no cluster recorded for port ${port}" >&2
  fi
  rm -f -- "$state_file"
}

# The cluster's port is open on 127.0.0.1 only (listen_addresses above): nothing of ours on 0.0.0.0 or ::.
assert_loopback_only() {
  command -v ss >/dev/null || { echo "postgres.sh: ss not found; cannot check the listeners" >&2; return 1; }
  local listeners exposed
  listeners="$(ss -Hltn "( sport = :${port} )" | awk '{print $4}')"
  [[ -n "$listeners" ]] || { echo "postgres.sh: nothing listens on port ${port}" >&2; return 1; }
  exposed="$(grep -Ev '^(127\.0\.0\.1|\[::1\]):' <<<"$listeners" || true)"
  if [[ -n "$exposed" ]]; then
    echo "postgres.sh: the cluster listens beyond loopback: ${exposed//$'\n'/ }" >&2
    return 1
  fi
}

start() {
  if is_running; then
    echo "postgres.sh: reusing the running cluster on port ${port} ($(data_dir))" >&2
    echo "export PAYMENTS_TEST_POSTGRES=\"$(connection_string)\""
    return
  fi
  stop 2>/dev/null || true

  if (echo >"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
    echo "postgres.sh: port ${port} is taken by another process; set PAYMENTS_TEST_PG_PORT to a free port" >&2
    exit 1
  fi

  local dir; dir="$(mktemp -d /tmp/payments-test-pg.XXXXXX)"
  echo "$dir" >"$state_file"
  chown postgres: "$dir" 2>/dev/null || true
  chmod 700 "$dir"

  as_postgres "$bin_dir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; stop; exit 1; }

  local durability="fsync=off
synchronous_commit=off
full_page_writes=off"
  # Durable is the benchmarks' mode: they also read per-statement counts from pg_stat_statements.
  if [[ "${PAYMENTS_TEST_PG_DURABLE:-0}" == "1" ]]; then durability="fsync=on
shared_preload_libraries='pg_stat_statements'"; fi

  as_postgres tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF
listen_addresses='127.0.0.1'
port=${port}
unix_socket_directories='${dir}'
max_connections=300
shared_buffers=256MB
${durability}
CONF

  if ! as_postgres "$bin_dir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    cat "$dir/server.log" >&2 || true
    stop
    exit 1
  fi
  as_postgres "$bin_dir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database"
  if ! assert_loopback_only; then stop; exit 1; fi

  echo "postgres.sh: PostgreSQL $("$bin_dir/postgres" --version | awk '{print $3}') running on 127.0.0.1:${port} (data in ${dir})" >&2
  echo "export PAYMENTS_TEST_POSTGRES=\"$(connection_string)\""
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  check-loopback) assert_loopback_only ;;
  status)
    if is_running; then echo "running on port ${port}: $(connection_string)"; else echo "not running (port ${port})"; exit 1; fi ;;
  *) echo "usage: $0 start|stop|status|check-loopback" >&2; exit 2 ;;
esac
