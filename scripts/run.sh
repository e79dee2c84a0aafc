#!/usr/bin/env bash
# Installs what is missing, builds the release site and serves it on the embedded SQLite file
# (data/planner.db, created and migrated on start; DATABASE_URL overrides) at 127.0.0.1:3000
# (LEPTOS_SITE_ADDR overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo leptos build --release
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=planner-web
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
export DATABASE_URL="${DATABASE_URL:-sqlite://data/planner.db}"
exec ./target/release/server
