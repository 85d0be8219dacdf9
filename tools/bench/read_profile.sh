#!/usr/bin/env bash
# read_profile.sh — deterministic CPU cost of the read path: instructions per request.
# Builds the read benchmark's data set (read_fixture.sh, request log off unless LOGS=on), runs
# the Release daemon under valgrind's callgrind with one worker, and for each request kind
# (health, view, list, listcount) warms up, zeroes the counters, sends exactly COUNT requests
# on one keep-alive connection (fixed_requests.mjs) and dumps. Prints instructions per request
# for each kind and view/list minus health (the per-request cost above the HTTP layer); keeps
# the dumps in OUT (default /tmp/pocketc-read-profile) for callgrind_annotate. Nothing asserted.
# WARM (default 200) is the number of warm-up requests; they are the first WARM of the measured
# ones (fixed seed), so WARM=COUNT measures with every page the run reads already in SQLite's
# cache, as in the wrk benchmark's steady state.
# Usage: tools/bench/read_profile.sh [COUNT] (default 2000)
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${1:-2000}
n=100000
out=${OUT:-/tmp/pocketc-read-profile}
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 2; }
source tools/bench/bench_common.sh
bench_build
bench_workdir
port=$(free_port)
source tools/bench/read_fixture.sh
read_fixture "$bin" "$dir" "$port" "$n" "${LOGS:-off}"

rm -rf "$out"; mkdir -p "$out"
valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" $bin serve --dir="$dir" --http=127.0.0.1:$port \
	--workers=1 >"$work/serve.log" 2>&1 & pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
declare -A ir
for kind in health view list listcount; do
	node tools/bench/fixed_requests.mjs "$base" "$kind" "${WARM:-200}" "$n"
	callgrind_control -z $pid >/dev/null 2>&1
	node tools/bench/fixed_requests.mjs "$base" "$kind" "$count" "$n"
	callgrind_control -d "$kind" $pid >/dev/null 2>&1
	f=$(ls -t "$out"/cg.out.* | head -1)
	mv "$f" "$out/$kind.cg"
	ir[$kind]=$(awk '/^summary:/ {print $2}' "$out/$kind.cg")
	printf "%-10s %12.0f instructions/request\n" "$kind" "$(echo "${ir[$kind]} / $count" | bc -l)"
done
for kind in view list listcount; do
	printf "%-10s %12.0f instructions/request above health\n" "$kind" "$(echo "(${ir[$kind]} - ${ir[health]}) / $count" | bc -l)"
done
echo "dumps: $out/{health,view,list,listcount}.cg (callgrind_annotate --inclusive=yes FILE)"
