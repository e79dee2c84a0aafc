#!/usr/bin/env bash
# Measures what the README reports: the release wasm size (gzipped), and wrk runs on loopback
# against /healthz, the planner page, a saved scenario's page and POST /api/v1/plan: requests/s,
# latency percentiles and errors (non-2xx/3xx answers and socket errors). Needs a release build
# (make run or cargo leptos build --release) and Debian's wrk (apt-get install wrk).
# CONNECTIONS (default 64) and DURATION (default 30s) set the load.
# With two or more cores the server runs on all but the last and wrk (one thread) on the last:
# sharing cores, the load generator's time slices land in the server's latency tail.
set -euo pipefail
cd "$(dirname "$0")/.."
cpus=$(nproc)
if [ "$cpus" -ge 2 ]; then
  export SERVER_CPUS="0-$((cpus - 2))"
  gen=(taskset -c "$((cpus - 1))" wrk -t1)
else
  gen=(wrk -t2)
fi
echo "server on cores ${SERVER_CPUS:-all}, wrk: ${gen[*]}"
wasm=$(ls target/site/pkg/*.wasm)
echo "wasm: $(stat -c %s "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzipped"
source scripts/serve-temp.sh
saved=$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/scenarios" -H 'content-type: application/json' -d '{"name": "load"}')
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$saved")
cat >"$tmp/plan.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"peak_users": 10}'
wrk.headers["Content-Type"] = "application/json"
LUA
# Each run follows a 2-second warm-up at the same load, not counted: the first requests fill the
# page cache and the allocator's pools, and a run of "cached pages" should not time them.
run() {
  "${gen[@]}" -c"${CONNECTIONS:-64}" -d2s "$@" >/dev/null
  "${gen[@]}" -c"${CONNECTIONS:-64}" -d"${DURATION:-30s}" --latency "$@" >"$tmp/out"
  python3 - "$tmp/out" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1))
def ms(p):
    m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", t)
    v = float(m.group(1)); return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sock.groups())) if sock else 0)
print(f"{rps:.0f} req/s, p50 {ms(50):.2f} ms, p99 {ms(99):.2f} ms (p99/p50 {ms(99)/ms(50):.1f}), errors {errors}")
PY
}
echo "== /healthz: $(run "http://127.0.0.1:$port/healthz")"
echo "== / (the planner page, article scenario): $(run "http://127.0.0.1:$port/")"
echo "== /s/{id} (a saved scenario): $(run "http://127.0.0.1:$port/s/$id")"
echo "== POST /api/v1/plan (10 users, the default grid): $(run -s "$tmp/plan.lua" "http://127.0.0.1:$port/api/v1/plan")"
