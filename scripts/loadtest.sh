#!/usr/bin/env bash
# Measures what the README reports: the release wasm size (gzipped) and the planner page's
# requests/s against a bare /healthz in the same wrk run, on loopback only. Needs a release
# build (make run or cargo leptos build --release) and Debian's wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=$(ls target/site/pkg/*.wasm)
echo "wasm: $(stat -c %s "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzipped"
tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=planner-web \
  LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$tmp/load.db" \
  ./target/release/server >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
run() { wrk -t2 -c"${CONNECTIONS:-16}" -d"${DURATION:-10s}" --latency "http://127.0.0.1:$port$1" | tee "$tmp/out"; grep Requests/sec "$tmp/out" | awk '{print $2}'; }
echo "== /healthz"; h=$(run /healthz | tail -1)
echo "== / (the planner page, article scenario)"; p=$(run / | tail -1)
python3 -c "print(f'planner page: {float($p):.0f} req/s = {100*float($p)/float($h):.1f}% of /healthz ({float($h):.0f} req/s)')"
