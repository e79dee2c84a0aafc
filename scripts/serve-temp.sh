# Sourced by test.sh and loadtest.sh: starts the release server on a free loopback port with a
# temporary database, waits until /healthz answers, and stops it (and removes the database) when
# the calling script exits. Sets $port, $tmp and $server.
tmp=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=planner-web \
  LEPTOS_SITE_ADDR="127.0.0.1:$port" DATABASE_URL="sqlite://$tmp/temp.db" \
  ./target/release/server >"$tmp/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$tmp/server.log"; exit 1; }
