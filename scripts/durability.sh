#!/usr/bin/env bash
# kill -9 during 1,000 concurrent saves, on SQLite and on PostgreSQL: after a restart every
# save the server acknowledged (201) is readable and identical. Each save comes from its own
# client address (PLANNER_CLIENT_IP_HEADER), as 1,000 users' would, so the save quota does not
# stop the run. Needs the release build (run by test.sh after it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres-temp.sh
work=$(mktemp -d)
previous_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT$//")
server=
trap 'kill -9 $server 2>/dev/null || true; rm -rf "$work"; '"$previous_trap" EXIT
port=$(free_port)
start() { start_server "$port" "$1" "$work/server.log" PLANNER_CLIENT_IP_HEADER=x-forwarded-for; }
for url in "sqlite://$work/durable.db" "$PLANNER_TEST_POSTGRES_URL"; do
  start "$url"
  python3 - "$port" "$server" "$work/acked.json" <<'PY'
import json, os, signal, sys, threading, urllib.request
port, pid, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
acked, lock, killed = [], threading.Lock(), threading.Event()
def save(i):
    body = json.dumps({"name": f"durable {i}", "peak_users": i + 1}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/scenarios", body,
        {"content-type": "application/json", "x-forwarded-for": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            if r.status == 201:
                with lock:
                    acked.append((json.load(r)["id"], i))
                    if len(acked) == 300 and not killed.is_set():
                        killed.set()
                        os.kill(pid, signal.SIGKILL)
    except Exception:
        pass  # refused or cut off by the kill: not acknowledged
def worker(items):
    for i in items:
        save(i)
threads = [threading.Thread(target=worker, args=(range(k, 1000, 32),)) for k in range(32)]
for t in threads: t.start()
for t in threads: t.join()
if not killed.is_set():
    os.kill(pid, signal.SIGKILL)
json.dump(acked, open(out, "w"))
print(f"{len(acked)} saves acknowledged before or around the kill -9")
PY
  { wait "$server"; } 2>/dev/null || true
  start "$url"
  python3 - "$port" "$work/acked.json" <<'PY'
import json, sys, urllib.request
port, acked = int(sys.argv[1]), json.load(open(sys.argv[2]))
assert len(acked) >= 300, f"only {len(acked)} saves acknowledged"
for id, i in acked:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/scenarios/{id}", timeout=30) as r:
        s = json.load(r)
    assert s["name"] == f"durable {i}" and s["scenario"]["peak_users"] == i + 1, (id, i, s["name"])
print(f"all {len(acked)} acknowledged saves readable and identical after the restart")
PY
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
done
