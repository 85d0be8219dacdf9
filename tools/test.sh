#!/usr/bin/env bash
# test.sh — builds pocketc twice (normal with -Werror, and ASan+UBSan) and runs every test:
# the C unit tests under ctest in both builds, the API tests (node --test with the official
# `pocketbase` SDK) against both binaries, and a short libFuzzer run of each fuzz target
# when clang is available. Exits non-zero on the first failing stage.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== build (Release, as README builds it, -Werror)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPOCKETC_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
echo "== unit tests"
(cd build && ctest --output-on-failure)

echo "== build (ASan+UBSan)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPOCKETC_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
echo "== unit tests (ASan+UBSan)"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure)

echo "== API tests"
(cd tests/api && POCKETC_BIN="$PWD/../../build/pocketc" node --test --test-concurrency=1)
echo "== API tests (ASan+UBSan)"
(cd tests/api && POCKETC_BIN="$PWD/../../build-asan/pocketc" ASAN_OPTIONS=detect_leaks=1 node --test --test-concurrency=1)

if command -v clang >/dev/null 2>&1 && ls tests/fuzz/fuzz_*.c >/dev/null 2>&1; then
	echo "== fuzz (short runs)"
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DPOCKETC_SANITIZE=ON -DPOCKETC_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j"$jobs"
	for f in tests/fuzz/fuzz_*.c; do
		name=$(basename "$f" .c)
		corpus="tests/fuzz/corpus/${name#fuzz_}"
		work=$(mktemp -d)
		[ -d "$corpus" ] && cp -r "$corpus"/. "$work"/
		./build-fuzz/"$name" -max_total_time="${FUZZ_SECONDS:-30}" -max_len=4096 "$work" 2>&1 | tail -n 2
		rm -rf "$work"
	done
fi
echo "all test stages passed"
