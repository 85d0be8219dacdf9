#!/usr/bin/env bash
# log_cost.sh — what the request activity log costs the read path, measured so that a noisy
# machine does not decide it. One server on the read benchmark's data set (read_fixture.sh);
# the log is switched on and off through PATCH /api/settings (logs.maxDays 5 / 0) between
# short wrk runs of view-by-id (1 thread, 64 keep-alive connections) in the order on, off,
# off, on, on, off, ... so that drift hits both sides alike. After each run the server idles
# for WAIT seconds (longer than the log writer's 3 s interval: the writer catches up), and
# the server's CPU time from the run's start to the idle's end — utime+stime of every thread
# from /proc, the log writer's counted apart — is divided by the run's requests. Prints every
# run, the medians of both sides, the throughput cost (1 - on/off), the CPU cost per request,
# and for the on runs the request rows written and the entries the bounded queue dropped
# (read from auxiliary.db: its request rows and the writer's {"dropped":N} warning rows).
# Nothing is asserted.
# Usage: tools/bench/log_cost.sh [SECONDS_PER_RUN [ROUNDS]] (defaults 4 and 4; a round is
# one on and one off run)
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-4}
rounds=${2:-4}
wait_secs=${WAIT:-4}
n=100000
command -v wrk >/dev/null || { echo "wrk is not installed (tools/setup.sh --tests installs it)"; exit 2; }
source tools/bench/bench_common.sh
bench_build
bench_workdir
port=$(free_port)
source tools/bench/read_fixture.sh
read_fixture "$bin" "$dir" "$port" "$n" on
$bin superuser upsert bench@example.com benchpass123 --dir="$dir" >/dev/null

$bin serve --dir="$dir" --http=127.0.0.1:$port >/dev/null 2>&1 & pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/api/health" >/dev/null && break; sleep 0.05; done
token=$(curl -sf -H 'Content-Type: application/json' -d '{"identity":"bench@example.com","password":"benchpass123"}' \
	"$base/api/collections/_superusers/auth-with-password" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).token))')

cat >"$work/view.lua" <<LUA
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("/api/collections/messages/records/r%014d", math.random(0, $n - 1)))
end
LUA

set_logs() { # maxDays
	curl -sf -o /dev/null -X PATCH -H "Authorization: $token" -H 'Content-Type: application/json' \
		-d "{\"logs\":{\"maxDays\":$1}}" "$base/api/settings"
}

# CPU ticks of the server: "all writer" (all threads, the log writer thread alone)
cpu_ticks() {
	local all writer=0 t
	all=$(awk '{print $14 + $15}' /proc/$pid/stat)
	for t in /proc/$pid/task/*; do
		if [ "$(cat "$t/comm" 2>/dev/null)" = pb-logs ]; then
			writer=$(awk '{print $14 + $15}' "$t/stat")
		fi
	done
	echo "$all $writer"
}

hz=$(getconf CLK_TCK)
aux="$dir/auxiliary.db"
# "rows dropped" so far in auxiliary.db: the benchmark's request rows and the entries the
# writer's warning rows report dropped (switching the log off deletes the rows)
log_counts() {
	sqlite3 -separator ' ' "$aux" "SELECT (SELECT count(*) FROM _logs WHERE level = 0 AND message LIKE
		'GET /api/collections/messages/records/%'), (SELECT coalesce(sum(json_extract(data, '\$.dropped')), 0)
		FROM _logs WHERE level = 4)"
}
echo "pocketc request-log cost: view-by-id, $n records, wrk 1 thread x 64 connections, ${secs}s runs + ${wait_secs}s idle, $rounds rounds, $(nproc) cores"
printf "%-4s %12s %10s %10s %14s %14s %10s %10s\n" log req/s p50 p99 "cpu us/req" "writer us/req" rows dropped
: >"$work/on"; : >"$work/off"
for r in $(seq "$rounds"); do
	if [ $((r % 2)) = 1 ]; then order="on off"; else order="off on"; fi
	for side in $order; do
		if [ "$side" = on ]; then set_logs 5; else set_logs 0; fi
		read -r rows0 dropped0 < <(log_counts)
		read -r c0 w0 < <(cpu_ticks)
		out=$(wrk -t1 -c64 -d"${secs}s" --latency -s "$work/view.lua" "$base" 2>&1)
		sleep "$wait_secs"
		read -r c1 w1 < <(cpu_ticks)
		reqs=$(echo "$out" | awk '/requests in/ {print $1}')
		rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
		p50=$(echo "$out" | awk '$1=="50%" {print $2}')
		p99=$(echo "$out" | awk '$1=="99%" {print $2}')
		rows=-; dropped=-
		if [ "$side" = on ]; then
			read -r rows1 dropped1 < <(log_counts)
			rows=$((rows1 - rows0)); dropped=$((dropped1 - dropped0))
		fi
		cpu=$(awk -v a="$c0" -v b="$c1" -v n="$reqs" -v hz="$hz" 'BEGIN {printf "%.2f", (b - a) * 1e6 / hz / n}')
		wcpu=$(awk -v a="$w0" -v b="$w1" -v n="$reqs" -v hz="$hz" 'BEGIN {printf "%.2f", (b - a) * 1e6 / hz / n}')
		printf "%-4s %12s %10s %10s %14s %14s %10s %10s\n" "$side" "$rps" "$p50" "$p99" "$cpu" "$wcpu" "$rows" "$dropped"
		echo "$rps $cpu $wcpu" >>"$work/$side"
	done
done
median() { # column of file
	sort -g -k"$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
on_rps=$(median "$work/on" 1); off_rps=$(median "$work/off" 1)
on_cpu=$(median "$work/on" 2); off_cpu=$(median "$work/off" 2); on_w=$(median "$work/on" 3)
awk -v a="$on_rps" -v b="$off_rps" -v ca="$on_cpu" -v cb="$off_cpu" -v w="$on_w" 'BEGIN {
  printf "median req/s: log on %.0f, log off %.0f -> throughput cost %.1f%% (target < 5%%)\n", a, b, 100 * (1 - a / b);
  printf "median server CPU per request: log on %.2f us (writer %.2f us), log off %.2f us -> CPU cost %.1f%%\n", ca, w, cb, 100 * (ca / cb - 1); }'
