#!/usr/bin/env bash
# Measures what the README reports: the release wasm size (gzipped) and the planner page's
# requests/s against a bare /healthz in the same wrk run, on loopback only. Needs a release
# build (make run or cargo leptos build --release) and Debian's wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
wasm=$(ls target/site/pkg/*.wasm)
echo "wasm: $(stat -c %s "$wasm") bytes raw, $(gzip -9c "$wasm" | wc -c) bytes gzipped"
source scripts/serve-temp.sh
run() { wrk -t2 -c"${CONNECTIONS:-16}" -d"${DURATION:-10s}" --latency "http://127.0.0.1:$port$1" | tee "$tmp/out"; grep Requests/sec "$tmp/out" | awk '{print $2}'; }
echo "== /healthz"; h=$(run /healthz | tail -1)
echo "== / (the planner page, article scenario)"; p=$(run / | tail -1)
python3 -c "print(f'planner page: {float($p):.0f} req/s = {100*float($p)/float($h):.1f}% of /healthz ({float($h):.0f} req/s)')"
