# bench_common.sh — the start every benchmark script shares (sourced from the repo root):
# bench_build builds the Release tree build-bench (extra arguments: cmake --build options such
# as --target) and sets bin; bench_workdir makes the scratch dir $work (with dir=$work/pb_data)
# and the EXIT trap that stops the server in $pid and removes $work; free_port prints a free
# 127.0.0.1 port; cpu_mark prints /proc/stat's cpu totals and steal_since MARK the share of CPU
# time the hypervisor took (steal) since the mark, in percent: a run with much steal measured a
# slower machine than its neighbours.

bench_build() {
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build-bench -j"$(nproc)" "$@" >/dev/null
	bin=$PWD/build-bench/pocketc
}

bench_workdir() {
	work=$(mktemp -d)
	dir="$work/pb_data"
	pid=
	trap 'if [ -n "$pid" ]; then kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; fi; rm -rf "$work"' EXIT
}

free_port() {
	node -e 's=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

cpu_mark() {
	awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print t, $9 }' /proc/stat
}

steal_since() {
	local t0=${1% *} s0=${1#* }
	cpu_mark | awk -v t0="$t0" -v s0="$s0" '{ d = $1 - t0; printf "%.1f", (d > 0 ? 100 * ($2 - s0) / d : 0) }'
}
