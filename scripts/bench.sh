#!/usr/bin/env bash
# Measure yaksokd: an optimised build, its own PostgreSQL cluster and daemon,
# 20 pledges, then read-only, write-only and mixed load from 8 and 64 clients.
# Prints figures (see docs/performance.md); nothing passes or fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DYAKSOK_TESTS=ON >/dev/null
cmake --build build-bench -j"$(nproc)" >/dev/null
export YK_BIN=$PWD/build-bench/bin YK_SRC=$PWD
SECONDS_EACH=${BENCH_SECONDS:-10}
source tests/integration/lib.sh
setup_all --db-pool "${BENCH_POOL:-8}"
yk department add 정책기획과 >/dev/null
for i in $(seq 1 20); do
	"$YK_BIN/docedit" examples/suwon-governance.yaml "code=\"BENCH-$i\"" >"$T/b.json"
	yk apply -f "$T/b.json" >/dev/null
done
for clients in 8 64; do
	for mix in 100 0 90; do
		YK_ADMIN_PW=$ADMIN_PW "$YK_BIN/bench" "$clients" "$SECONDS_EACH" "$mix" 20
		echo
	done
done
