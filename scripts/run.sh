#!/usr/bin/env bash
# Installs what is missing and serves the planner. (The web app lands next; until then this
# builds the engine and prints the plan for the article's scenario.)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p planner
./target/release/planner plan --template > /tmp/planner-scenario.json
./target/release/planner plan --format table /tmp/planner-scenario.json
