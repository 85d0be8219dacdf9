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
source tools/bench/bench_common.sh
bench_build
bench_workdir
port=$(free_port)

# 1. a fresh pb_data with the benchmark collection (tools/bench/read_fixture.sh)
source tools/bench/read_fixture.sh
read_fixture "$bin" "$dir" "$port" "$n" "${LOGS:-on}"

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
