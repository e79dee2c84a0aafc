# Sourced by the test scripts: a free loopback port, and the release server started on one and
# waited for until /healthz answers.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_server PORT DATABASE_URL LOG [VAR=value ...]: starts ./target/release/server in the
# background (its pid in $server) and returns when it answers; prints its log and exits if not.
# SERVER_CPUS (a taskset list, e.g. 0) keeps it, and the worker threads it sizes from them, on
# those cores.
start_server() {
  local port=$1 url=$2 log=$3
  shift 3
  local pin=()
  [ -n "${SERVER_CPUS:-}" ] && pin=(taskset -c "$SERVER_CPUS")
  "${pin[@]}" env "$@" LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=planner-web \
    LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="$url" \
    ./target/release/server >>"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  cat "$log"
  exit 1
}
