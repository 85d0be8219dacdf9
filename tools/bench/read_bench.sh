#!/usr/bin/env bash
# read_bench.sh — the read benchmark of pocketc.
# Builds a pb_data with a 100k-record `messages` collection (public rules, index on
# (room, created)), starts pocketc on it, and measures with wrk (1 thread, 64 keep-alive
# connections): GET /api/health (the HTTP ceiling), view by id, and the 30 newest messages
# of a room (filter + sort, with skipTotal and with PocketBase's default total count).
# The database ceiling is the same queries straight through SQLite in one process
# (sqlite_read_ceiling). Prints requests/s, p50/p99 and the ratios. Nothing is asserted.
# Usage: tools/bench/read_bench.sh [SECONDS] (default 10)
# LOGS=off turns the request activity log off (settings.logs.maxDays = 0) to measure its cost.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-10}
n=100000
command -v wrk >/dev/null || { echo "wrk is not installed (tools/setup.sh --tests installs it)"; exit 2; }
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
bin=build-bench/pocketc
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT
dir="$work/pb_data"
port=$(node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# 1. a fresh pb_data, created by pocketc itself
$bin serve --dir="$dir" --http=127.0.0.1:$port >/dev/null 2>&1 & pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.05; done
kill $pid; wait $pid 2>/dev/null || true

# 2. the benchmark collection and its rows (the write path is not needed for a read benchmark)
sqlite3 "$dir/data.db" <<SQL
INSERT INTO _collections (id, system, type, name, fields, indexes, listRule, viewRule, createRule, updateRule, deleteRule, options, created, updated)
VALUES ('pbc_bench_msgs', 0, 'base', 'messages',
 '[{"autogeneratePattern":"[a-z0-9]{15}","help":"","hidden":false,"id":"text3208210256","max":15,"min":15,"name":"id","pattern":"^[a-z0-9]+$","presentable":false,"primaryKey":true,"required":true,"system":true,"type":"text"},{"autogeneratePattern":"","help":"","hidden":false,"id":"text1","max":0,"min":0,"name":"room","pattern":"","presentable":false,"primaryKey":false,"required":false,"system":false,"type":"text"},{"autogeneratePattern":"","help":"","hidden":false,"id":"text2","max":0,"min":0,"name":"body","pattern":"","presentable":false,"primaryKey":false,"required":false,"system":false,"type":"text"},{"hidden":false,"id":"autodate2990389176","name":"created","onCreate":true,"onUpdate":false,"presentable":false,"system":false,"type":"autodate"},{"hidden":false,"id":"autodate3332085495","name":"updated","onCreate":true,"onUpdate":true,"presentable":false,"system":false,"type":"autodate"}]',
 '["CREATE INDEX \`idx_room_created\` ON \`messages\` (\`room\`, \`created\`)"]', '', '', NULL, NULL, NULL, '{}',
 strftime('%Y-%m-%d %H:%M:%fZ'), strftime('%Y-%m-%d %H:%M:%fZ'));
CREATE TABLE messages (id TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, room TEXT DEFAULT '' NOT NULL, body TEXT DEFAULT '' NOT NULL, created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL);
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < $n - 1)
INSERT INTO messages SELECT printf('r%014d', i), 'room' || (i % 100), 'message body number ' || i || ' with some text',
 strftime('%Y-%m-%d %H:%M:%fZ', 1700000000 + i, 'unixepoch'), strftime('%Y-%m-%d %H:%M:%fZ', 1700000000 + i, 'unixepoch') FROM seq;
CREATE INDEX idx_room_created ON messages (room, created);
SQL
if [ "${LOGS:-on}" = off ]; then
	sqlite3 "$dir/data.db" "UPDATE _params SET value = json_set(CAST(value AS TEXT), '\$.logs.maxDays', 0) WHERE id = 'settings'"
fi

$bin serve --dir="$dir" --http=127.0.0.1:$port >/dev/null 2>&1 & pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.05; done
base="http://127.0.0.1:$port"

cat >"$work/view.lua" <<LUA
math.randomseed(42)
request = function()
  return wrk.format("GET", string.format("/api/collections/messages/records/r%014d", math.random(0, $n - 1)))
end
LUA
cat >"$work/list.lua" <<LUA
math.randomseed(7)
request = function()
  return wrk.format("GET", string.format("/api/collections/messages/records?filter=room%%3D%%27room%d%%27&sort=-created&perPage=30&skipTotal=1", math.random(0, 99)))
end
LUA
cat >"$work/listcount.lua" <<LUA
math.randomseed(9)
request = function()
  return wrk.format("GET", string.format("/api/collections/messages/records?filter=room%%3D%%27room%d%%27&sort=-created&perPage=30", math.random(0, 99)))
end
LUA

run() { # name, extra wrk args...
	local name=$1; shift
	local out
	out=$(wrk -t1 -c64 -d"${secs}s" --latency "$@" 2>&1)
	local rps p50 p99
	rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
	p50=$(echo "$out" | awk '$1=="50%" {print $2}')
	p99=$(echo "$out" | awk '$1=="99%" {print $2}')
	printf "%-28s %10s req/s   p50 %-8s p99 %-8s\n" "$name" "$rps" "$p50" "$p99"
	echo "$rps" >"$work/$name.rps"
}

echo "pocketc read benchmark: $n records, wrk 1 thread x 64 connections, ${secs}s each, $(nproc) cores, request log ${LOGS:-on}"
run health "$base/api/health"
run view-by-id -s "$work/view.lua" "$base"
run list-30-newest -s "$work/list.lua" "$base"
run list-30-newest+count -s "$work/listcount.lua" "$base"
kill $pid; wait $pid 2>/dev/null || true
./build-bench/sqlite_read_ceiling "$dir/data.db" $n "$secs" "$(nproc)" | tee "$work/ceiling.txt"
h=$(cat "$work/health.rps"); v=$(cat "$work/view-by-id.rps"); l=$(cat "$work/list-30-newest.rps")
sv=$(awk '/view-by-id/ {print $(NF-1)}' "$work/ceiling.txt"); sl=$(awk '/list-30-newest/ {print $(NF-1)}' "$work/ceiling.txt")
awk -v h="$h" -v v="$v" -v l="$l" -v sv="$sv" -v sl="$sl" 'BEGIN {
  printf "view-by-id / health       = %.0f%% (target >= 70%%)\n", 100 * v / h;
  printf "list-30 / health          = %.0f%%\n", 100 * l / h;
  printf "view-by-id / sqlite       = %.0f%%\n", 100 * v / sv;
  printf "list-30 / sqlite          = %.0f%%\n", 100 * l / sl; }'
