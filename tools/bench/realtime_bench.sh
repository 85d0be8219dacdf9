#!/usr/bin/env bash
# realtime_bench.sh — the realtime benchmark of pocketc (figures only, nothing asserted).
# Builds a Release binary and rt_bench, starts pocketc on a copy of PocketBase's test fixture
# and measures with rt_bench (SSE over HTTP/1.0, every stream subscribed to demo2's wildcard):
#   (a) latency from a create's response to each subscriber's event at 1, 100, 1000 subscribers;
#   (b) daemon RSS per idle SSE stream with 10,000 streams (fewer if ulimit -n does not allow);
#   (c) messages/s delivered to 1000 subscribers while 8 writers create records.
# Usage: tools/bench/realtime_bench.sh [EVENTS] (creates per latency run, default 200)
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-200}
source tools/bench/bench_common.sh
bench_build --target pocketc rt_bench
bench=build-bench/rt_bench
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
bench_workdir
port=$(free_port)

start() {
	rm -rf "$work/pb_data"
	cp -r ../shared/fixtures/pb-testdata "$work/pb_data"
	chmod -R u+w "$work/pb_data"
	$bin serve --dir="$work/pb_data" --http=127.0.0.1:$port >"$work/log" 2>&1 & pid=$!
	for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && return; sleep 0.05; done
	echo "pocketc did not start"; cat "$work/log"; exit 1
}
stop() { kill $pid; wait $pid 2>/dev/null || true; pid=; }

echo "== realtime benchmark ($(nproc) cores, pocketc with its default workers)"
echo "-- (a) latency"
for n in 1 100 1000; do
	start
	m=$events; [ "$n" -ge 1000 ] && m=$((events / 2))
	$bench 127.0.0.1 $port latency $n $m
	stop
done
echo "-- (b) idle streams"
limit=$(ulimit -n)
conns=10000
[ $((limit - 200)) -lt $conns ] && conns=$((limit - 200))
start
$bench 127.0.0.1 $port idle $conns $pid
stop
echo "-- (c) throughput"
start
$bench 127.0.0.1 $port throughput 1000 $((events * 5))
stop
