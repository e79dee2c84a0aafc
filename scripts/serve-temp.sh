# Sourced by test.sh and loadtest.sh: starts the release server on a free loopback port with a
# temporary database, waits until /healthz answers, and stops it (and removes the database) when
# the calling script exits. Sets $port, $tmp and $server.
source scripts/lib.sh
tmp=$(mktemp -d)
port=$(free_port)
trap 'kill ${server:-} 2>/dev/null || true; rm -rf "$tmp"' EXIT
start_server "$port" "sqlite://$tmp/temp.db" "$tmp/server.log"
