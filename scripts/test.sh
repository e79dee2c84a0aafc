#!/usr/bin/env bash
# Every test: formatting, lints, unit/integration/property tests, the calibration report.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --workspace
echo "== calibration report (held-out rows)"
cargo run --quiet -p planner --bin planner -- calibrate --split holdout planner/data/calibration.csv
