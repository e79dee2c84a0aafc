#!/usr/bin/env bash
# Every test: formatting, lints, unit/integration/property tests (the store on SQLite and on a
# throwaway PostgreSQL cluster), the calibration report, and the end-to-end suite in Debian's
# chromium against a server started here on a free port with a temporary database (and stopped
# at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# Incremental caches double the target dir and a CI clone builds once anyway.
export CARGO_INCREMENTAL=0
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
# The server and the wasm need `app` with different features (ssr / hydrate): build them in
# separate commands so Cargo does not unify both into one `app`.
echo "== cargo clippy --all-targets -D warnings"
cargo clippy -p planner -p store -p app -p server --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings
echo "== cargo test"
cargo test -p planner -p store
cargo test -p app --features ssr
cargo test -p server
echo "== the store on PostgreSQL (a throwaway cluster): its flows, concurrent saves, two servers on one database"
(source scripts/postgres-temp.sh && cargo test -p server --test integration -- --ignored postgres)
# Release: leave-one-out refits once per row (about 1,500 fits).
echo "== calibration report (held-out rows)"
cargo run --quiet --release -p planner --bin planner -- calibrate --split holdout planner/data/calibration.csv | grep '^summary'
echo "== calibration report (leave-one-out: each row predicted by a fit on all the others)"
cargo run --quiet --release -p planner --bin planner -- calibrate --split loo planner/data/calibration.csv | grep '^summary'

echo "== end-to-end (release build, chromium)"
cargo leptos build --release
bash scripts/two-servers.sh
bash scripts/durability.sh
source scripts/serve-temp.sh
(cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null && \
  PLANNER_URL="http://127.0.0.1:$port" npx playwright test)
