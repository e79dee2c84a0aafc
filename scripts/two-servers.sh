#!/usr/bin/env bash
# Two release servers on one throwaway PostgreSQL database: a save made through one is read,
# renamed and deleted through the other (run by test.sh after the release build).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres-temp.sh
logs=$(mktemp -d)
pids=()
previous_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
trap 'kill ${pids[*]} 2>/dev/null || true; rm -rf "$logs"; '"$previous_trap" EXIT
a=$(free_port); b=$(free_port)
for port in "$a" "$b"; do
  start_server "$port" "$PLANNER_TEST_POSTGRES_URL" "$logs/$port.log"
  pids+=("$server")
done
fail() { echo "two servers: $*"; cat "$logs"/*.log; exit 1; }
saved=$(curl -fs -X POST "http://127.0.0.1:$a/api/v1/scenarios" -H 'content-type: application/json' \
  -d '{"name": "saved through a", "peak_users": 3}')
id=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$saved")
token=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["owner_url"].split("owner=")[1])' "$saved")
curl -fs "http://127.0.0.1:$b/s/$id" | grep -q "saved through a" || fail "b does not show a's save"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$b/s/$id/rename" \
  --data-urlencode "owner=$token" --data-urlencode "name=renamed through b")
[ "$code" = 303 ] || fail "rename through b answered $code"
curl -fs "http://127.0.0.1:$a/api/v1/scenarios/$id" | grep -q "renamed through b" || fail "a does not see b's rename"
# Delete asks first: without confirm=yes the answer is the confirming page and nothing goes.
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$b/s/$id/delete" --data-urlencode "owner=$token")
[ "$code" = 200 ] || fail "an unconfirmed delete through b answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$a/s/$id")
[ "$code" = 200 ] || fail "an unconfirmed delete removed the save ($code)"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$b/s/$id/delete" \
  --data-urlencode "owner=$token" --data-urlencode "confirm=yes")
[ "$code" = 303 ] || fail "delete through b answered $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$a/s/$id")
[ "$code" = 404 ] || fail "a still serves the deleted save ($code)"
echo "two servers on one PostgreSQL: saved through one, read, renamed and deleted through the other"
