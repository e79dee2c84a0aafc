#!/usr/bin/env bash
# Installs what is missing, from the package registries only, pinned to versions that build on
# this machine's rustc (see README). Each step is skipped when the right version is present.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10      # 0.3.11 needs a newer rustc
WASM_BINDGEN_VERSION=0.2.130     # must equal wasm-bindgen in Cargo.lock
WASM_OPT_VERSION=0.116.1         # binaryen 116; Debian's binaryen 108 silently breaks hydration

export PATH="$HOME/.cargo/bin:$PATH"

have() { command -v "$1" >/dev/null 2>&1 && "$@" 2>/dev/null | grep -q "$VERSION_WANTED"; }

if ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
VERSION_WANTED=$WASM_BINDGEN_VERSION
if ! have wasm-bindgen --version; then
  # Not --locked: its lock file asks for a webpki-roots version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
VERSION_WANTED=$CARGO_LEPTOS_VERSION
if ! have cargo-leptos --version; then
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi
VERSION_WANTED="version 116"
if ! have wasm-opt --version; then
  cargo install wasm-opt --version "$WASM_OPT_VERSION" --locked
fi
# cargo-leptos must find our wasm-opt first, never Debian's binaryen.
if ! wasm-opt --version | grep -q "version 116"; then
  echo "error: the wasm-opt on PATH is not binaryen 116: $(command -v wasm-opt)" >&2
  exit 1
fi
