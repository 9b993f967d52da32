#!/usr/bin/env bash
# Throwaway RabbitMQ node for the integration tests and benchmarks.
#
#   eval "$(infra/test-services/rabbitmq.sh start)"   # installs rabbitmq-server if missing, starts (or reuses) a node,
#                                                     # exports PAYMENTS_TEST_RABBITMQ (host:port)
#   infra/test-services/rabbitmq.sh stop              # stops it and removes its data directory (safe to call any time)
#   infra/test-services/rabbitmq.sh status
#   infra/test-services/rabbitmq.sh vhost NAME       # a virtual host of its own for one test fixture
#   infra/test-services/rabbitmq.sh restart-app [S]  # stops and starts the broker application (chaos runs)
#
# The node is its own (name, port, data directory), listens on 127.0.0.1:${PAYMENTS_TEST_RABBIT_PORT:-55672} only,
# and lets guest in from loopback. It does not touch a system RabbitMQ, should one run.
# Erlang's own ports stay on loopback too: the node's distribution port (AMQP port + 100), and an epmd of the node's
# own (AMQP port + 200, started on 127.0.0.1) instead of the shared 4369 one, which another node may have opened on
# every interface. `start` refuses to report success while anything of the node listens beyond loopback.
# Everything human-readable goes to stderr; stdout carries only the export line, so `eval` works.
set -euo pipefail
# Erlang keeps its cookie in $HOME; a bare CI environment may not set it.
export HOME="${HOME:-$(getent passwd "$(id -un)" | cut -d: -f6)}"

port="${PAYMENTS_TEST_RABBIT_PORT:-55672}"
dist_port=$((port + 100))
epmd_port=$((port + 200))
node="payments-test-${port}@localhost"
state_file="/tmp/payments-test-rabbit-${port}.dir"
server=/usr/lib/rabbitmq/bin/rabbitmq-server
ctl=/usr/lib/rabbitmq/bin/rabbitmqctl

install_if_missing() {
  [[ -x "$server" ]] && return
  echo "rabbitmq.sh: installing rabbitmq-server (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 || true
  apt-get install -y -qq rabbitmq-server >&2
  # The package may start a system node on the default port; ours is separate, so leave it be.
}

data_dir() { [[ -f "$state_file" ]] && cat "$state_file" || true; }

node_env() {
  local dir="$1"
  export RABBITMQ_NODENAME="$node"
  export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  export RABBITMQ_NODE_PORT="$port"
  export RABBITMQ_DIST_PORT="$dist_port"
  # epmd, the distribution listener and the CLI tools' own Erlang nodes: loopback only.
  export ERL_EPMD_ADDRESS=127.0.0.1
  export ERL_EPMD_PORT="$epmd_port"
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
  export RABBITMQ_MNESIA_BASE="$dir/mnesia"
  export RABBITMQ_LOG_BASE="$dir/log"
  export RABBITMQ_PID_FILE="$dir/rabbit.pid"
  export RABBITMQ_CONFIG_FILE="$dir/rabbitmq"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
}

is_running() {
  local dir; dir="$(data_dir)"
  [[ -n "$dir" && -d "$dir" ]] || return 1
  node_env "$dir"
  "$ctl" -n "$node" status >/dev/null 2>&1
}

stop() {
  local dir; dir="$(data_dir)"
  if [[ -n "$dir" && -d "$dir" ]]; then
    node_env "$dir"
    "$ctl" -n "$node" stop >/dev/null 2>&1 || true
    if [[ -f "$dir/rabbit.pid" ]]; then kill "$(cat "$dir/rabbit.pid")" 2>/dev/null || true; fi
    # The epmd on this node's own port serves no other node.
    epmd -port "$epmd_port" -kill >/dev/null 2>&1 || true
    rm -rf -- "$dir"
    echo "rabbitmq.sh: stopped node ${node} and removed ${dir}" >&2
  else
    echo "rabbitmq.sh: no node recorded for port ${port}" >&2
  fi
  rm -f -- "$state_file"
}

start() {
  install_if_missing
  if is_running; then
    echo "rabbitmq.sh: reusing node ${node} on port ${port}" >&2
    echo "export PAYMENTS_TEST_RABBITMQ=\"127.0.0.1:${port}\""
    return
  fi
  stop 2>/dev/null || true
  if (echo >"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
    echo "rabbitmq.sh: port ${port} is taken by another process; set PAYMENTS_TEST_RABBIT_PORT to a free port" >&2
    exit 1
  fi

  local dir; dir="$(mktemp -d /tmp/payments-test-rabbit.XXXXXX)"
  echo "$dir" >"$state_file"
  mkdir -p "$dir/mnesia" "$dir/log"
  cat >"$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:${port}
loopback_users = none
log.console = false
log.file.level = warning
disk_free_limit.absolute = 50MB
CONF
  echo "[]." >"$dir/enabled_plugins"
  echo "[]." >"$dir/advanced.config"
  if [[ -d /var/lib/rabbitmq && "$(id -u)" == "0" ]]; then chown -R rabbitmq: "$dir" 2>/dev/null || true; fi

  node_env "$dir"
  # Started in the foreground under nohup rather than -detached, so a failed boot is seen at once and logged.
  cd "$dir"
  nohup "$server" </dev/null >"$dir/log/start.out" 2>&1 &
  local server_pid=$!
  cd - >/dev/null
  for _ in $(seq 1 300); do
    [[ -s "$dir/rabbit.pid" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  if [[ ! -s "$dir/rabbit.pid" ]] || ! "$ctl" -n "$node" wait "$dir/rabbit.pid" --timeout 90 >/dev/null 2>&1; then
    echo "rabbitmq.sh: node did not start; its logs:" >&2
    cat "$dir/log/start.out" "$dir"/log/*.log >&2 2>/dev/null || true
    stop
    exit 1
  fi
  if ! assert_loopback_only; then stop; exit 1; fi
  echo "rabbitmq.sh: RabbitMQ node ${node} running on 127.0.0.1:${port} (data in ${dir})" >&2
  echo "export PAYMENTS_TEST_RABBITMQ=\"127.0.0.1:${port}\""
}

# Every socket the node listens on (AMQP, distribution, anything a plugin opens) and its epmd's: loopback only
# (epmd adds ::1 to the address it is given).
assert_loopback_only() {
  command -v ss >/dev/null || { echo "rabbitmq.sh: ss not found; cannot check the listeners" >&2; return 1; }
  local dir pid listeners exposed; dir="$(data_dir)"
  pid="$(cat "$dir/rabbit.pid" 2>/dev/null || true)"
  listeners="$(ss -Hltnp | awk -v pid="pid=${pid}," -v ports=":${port} :${dist_port} :${epmd_port}" '
    BEGIN { n = split(ports, wanted, " ") }
    { for (i = 1; i <= n; i++) if (substr($4, length($4) - length(wanted[i]) + 1) == wanted[i]) { print $4; next } }
    pid != "pid=," && index($0, pid) { print $4 }')"
  [[ -n "$listeners" ]] || { echo "rabbitmq.sh: nothing listens on port ${port}" >&2; return 1; }
  exposed="$(grep -Ev '^(127\.0\.0\.1|\[::1\]):' <<<"$listeners" || true)"
  if [[ -n "$exposed" ]]; then
    echo "rabbitmq.sh: the node listens beyond loopback: ${exposed//$'\n'/ }" >&2
    return 1
  fi
  echo "rabbitmq.sh: node ${node} and its epmd listen on 127.0.0.1 only" >&2
}

add_vhost() {
  local name="$1" dir; dir="$(data_dir)"
  [[ -n "$dir" ]] || { echo "rabbitmq.sh: no node running on port ${port}" >&2; exit 1; }
  node_env "$dir"
  "$ctl" -n "$node" add_vhost "$name" >/dev/null
  "$ctl" -n "$node" set_permissions -p "$name" guest ".*" ".*" ".*" >/dev/null
}

# Stops the node's RabbitMQ application and starts it again (queues come back from disk, connections drop).
restart_app() {
  local dir; dir="$(data_dir)"
  [[ -n "$dir" ]] || { echo "rabbitmq.sh: no node running on port ${port}" >&2; exit 1; }
  node_env "$dir"
  "$ctl" -n "$node" stop_app >/dev/null
  sleep "${1:-2}"
  "$ctl" -n "$node" start_app >/dev/null
}

case "${1:-}" in
  start) start ;;
  restart-app) restart_app "${2:-2}" ;;
  vhost) add_vhost "${2:?usage: $0 vhost NAME}" ;;
  stop) stop ;;
  status) if is_running; then echo "running: 127.0.0.1:${port}"; else echo "not running (port ${port})"; exit 1; fi ;;
  check-loopback) assert_loopback_only ;;
  *) echo "usage: $0 start|stop|status|vhost NAME|restart-app [SECONDS]|check-loopback" >&2; exit 2 ;;
esac
