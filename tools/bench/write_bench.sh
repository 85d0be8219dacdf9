#!/usr/bin/env bash
# write_bench.sh — the write benchmark of pocketc: authenticated creates into a `message`
# collection guarded by a create rule (`@request.auth.id != '' && owner = @request.auth.id`),
# wrk with 1 thread and 64 keep-alive connections for SECONDS, on a copy of PocketBase's test
# fixture (its users record 4q1xlclmfloku33 and that record's pre-signed token). Prints
# creates/s with p50/p99 beside the raw SQLite ceiling measured in the same run (same row
# shape, one row per transaction, WAL, synchronous=NORMAL) twice: with ids made as pocketc
# makes them (the same rows; the target's ratio) and with PocketBase's fully random ids.
# Each phase also prints the CPU share the hypervisor stole during it (a ratio from phases
# with very different steal compares two different machines). Asserts nothing.
# Usage: tools/bench/write_bench.sh [SECONDS] (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "wrk is not installed (tools/setup.sh --tests installs it)"; exit 2; }
source tools/bench/bench_common.sh
source tools/bench/write_fixture.sh
bench_build
bench_workdir
write_fixture "$dir"

port=$(free_port)
$bin serve --dir="$dir" --http=127.0.0.1:$port >/dev/null 2>&1 & pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.05; done

cat >"$work/create.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "$token"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/collections/message/records", nil, '{"owner":"4q1xlclmfloku33","body":"message body number ' .. n .. '"}')
end
LUA
# one probe request: the rule and the record must work before measuring
probe=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: $token" -H 'Content-Type: application/json' \
	-d '{"owner":"4q1xlclmfloku33","body":"probe"}' "http://127.0.0.1:$port/api/collections/message/records")
[ "$probe" = 200 ] || { echo "probe create failed with HTTP $probe"; exit 1; }

echo "pocketc write benchmark: authenticated creates under a create rule, wrk 1 thread x 64 connections, ${secs}s, $(nproc) cores"
mark=$(cpu_mark)
out=$(wrk -t1 -c64 -d"${secs}s" --latency -s "$work/create.lua" "http://127.0.0.1:$port" 2>&1)
api_steal=$(steal_since "$mark")
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p50=$(echo "$out" | awk '$1=="50%" {print $2}')
p99=$(echo "$out" | awk '$1=="99%" {print $2}')
non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
kill $pid; wait $pid 2>/dev/null || true; pid=
rows=$(sqlite3 "$dir/data.db" "SELECT COUNT(*) FROM message")
printf "%-28s %10s req/s   p50 %-8s p99 %-8s (%s rows stored, non-2xx: %s, steal %s%%)\n" "api-create" "$rps" "$p50" "$p99" "$rows" "${non2xx:-0}" "$api_steal"
# the same rows as the API's (ids made as pocketc makes them), then PocketBase's random ids
mark=$(cpu_mark)
ceil=$(./build-bench/sqlite_write_ceiling "$work/ceiling.db" "$secs" ordered)
echo "$ceil (steal $(steal_since "$mark")%)"
mark=$(cpu_mark)
ceil_random=$(./build-bench/sqlite_write_ceiling "$work/ceiling-random.db" "$secs" random)
echo "$ceil_random (steal $(steal_since "$mark")%)"
c=$(echo "$ceil" | awk '{print $2}')
cr=$(echo "$ceil_random" | awk '{print $2}')
awk -v a="$rps" -v c="$c" -v cr="$cr" 'BEGIN {
  printf "api-create / sqlite-1-row-txn (ordered ids, same rows) = %.2f (target >= 1.00)\n", a / c;
  printf "api-create / sqlite-1-row-txn (random ids) = %.2f\n", a / cr }'
