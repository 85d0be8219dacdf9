# bench_common.sh — the start every benchmark script shares (sourced from the repo root):
# bench_build builds the Release tree build-bench (extra arguments: cmake --build options such
# as --target) and sets bin; bench_workdir makes the scratch dir $work (with dir=$work/pb_data)
# and the EXIT trap that stops the server in $pid and removes $work; free_port prints a free
# 127.0.0.1 port.

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
