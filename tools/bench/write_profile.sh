#!/usr/bin/env bash
# write_profile.sh — the CPU cost of one create on the write benchmark's path, measured
# deterministically (instructions, not wall time): the Release daemon (one worker) runs under
# callgrind with one output per thread; after a warm-up the counters are zeroed, N creates are
# sent (same request, collection and rule as write_bench.sh, 16 keep-alive connections), the
# counters are dumped, and the instructions per create of each thread are printed (worker,
# writer, the rest). Keeps the callgrind files when KEEP=dir is given (for callgrind_annotate).
# Usage: tools/bench/write_profile.sh [N] (default 2000)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-2000}
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 2; }
source tools/bench/bench_common.sh
source tools/bench/write_fixture.sh
bench_build
bench_workdir
write_fixture "$dir"

port=$(free_port)
(cd "$work" && exec valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$work/cg.out" \
	"$bin" serve --dir="$dir" --http=127.0.0.1:$port --workers=1) >"$work/valgrind.log" 2>&1 & pid=$!
for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break; sleep 0.1; done

cat >"$work/client.mjs" <<'JS'
import http from 'node:http';
const [port, token, total, conc] = process.argv.slice(2).map((v, i) => (i === 1 ? v : Number(v)));
const agent = new http.Agent({ keepAlive: true, maxSockets: conc });
let sent = 0, bad = 0;
function one() {
  if (sent >= total) return Promise.resolve();
  const i = sent++;
  const body = JSON.stringify({ owner: '4q1xlclmfloku33', body: 'message body number ' + i });
  return new Promise((resolve) => {
    const r = http.request({ host: '127.0.0.1', port, path: '/api/collections/message/records', method: 'POST', agent,
      headers: { 'Content-Type': 'application/json', Authorization: token, 'Content-Length': Buffer.byteLength(body) } },
      (res) => { if (res.statusCode !== 200) bad++; res.resume(); res.on('end', resolve); });
    r.on('error', () => { bad++; resolve(); });
    r.end(body);
  }).then(one);
}
await Promise.all(Array.from({ length: conc }, one));
agent.destroy();
if (bad) { console.error(bad + ' requests failed'); process.exit(1); }
JS
node "$work/client.mjs" "$port" "$token" 200 16
callgrind_control -z "$pid" >/dev/null
node "$work/client.mjs" "$port" "$token" "$n" 16
callgrind_control -d "$pid" >/dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

# the dump taken after the zeroing: files named cg.out.1-NN (one per thread)
echo "pocketc write profile: $n creates, 1 worker, instructions per create by thread"
total=0
for f in "$work"/cg.out.1-*; do
	[ -e "$f" ] || continue
	ir=$(awk '/^summary:/ {print $2}' "$f")
	[ -n "$ir" ] || ir=$(awk '/^totals:/ {print $2}' "$f")
	[ -n "$ir" ] || continue
	# which thread: the pocketc start function seen first in its inclusive listing
	kind=$(callgrind_annotate --inclusive=yes "$f" 2>/dev/null | grep -oE ':(writer_main|thread_main|writer_thread|pool_main|ticker_thread|main) ' | head -1 | tr -d ': ' || true)
	case "$kind" in writer_main) kind=writer ;; thread_main) kind=worker ;; writer_thread) kind=request-log ;;
		pool_main) kind=pool ;; ticker_thread) kind=cron ;; main) kind=main ;; *) kind=other ;; esac
	total=$((total + ir))
	awk -v k="$kind" -v ir="$ir" -v n="$n" -v f="$(basename "$f")" 'BEGIN { if (ir / n >= 100) printf "%-14s %-24s %10.0f\n", f, k, ir / n }'
done
awk -v t="$total" -v n="$n" 'BEGIN { printf "%-39s %10.0f\n", "all threads", t / n }'
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$work"/cg.out.1-* "$KEEP"/ && echo "callgrind files in $KEEP"; fi
